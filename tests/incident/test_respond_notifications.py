# ruff: noqa: F811  (pytest fixtures imported from support.respond are redefined as arguments)
"""Notifications and statuses on a three-person roster: channels, language fallback, delivery proof, the 30-day
clock, holds for people never notified, and the acknowledged must-stay-zero alert."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from support.respond import both_databases, cheap_password_hashing  # noqa: F401  (fixtures)
from veil.incident import affected as aff
from veil.incident import holds, incidents, notifications, reports
from veil.incident.letters import LetterSettings, language_code, languages, template_language
from veil.incident.roster import import_roster
from veil.store.engine import Database
from veil.store.models_incident import IrHold
from veil.workflow import accounts
from veil.workflow.errors import Invalid, Refused

FOUND = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def db(both_databases: Database) -> Database:
    """SQLite and PostgreSQL: holds, notices and statuses are where the two differ most (JSON, time zones)."""
    return both_databases
ROSTER = """Person ID,Given,Surname,DOB,A-Number,Facility,In custody,Language,Attorney,Attorney address,Address,Flight
P1,José,García,1990-04-03,123456789,North,yes,Spanish,Lee & Ortiz LLP,"1 Court St, Springfield",,RF-1
P2,Amina,Haddad,1985-12-30,,South,no,French,,,"5 Elm St, Springfield",RF-1
P3,Wei,Zhang,1979-01-15,234567890,North,no,English,,,"9 Oak St, Springfield",
"""



def _setup(db: Database, tmp: Path) -> int:
    (tmp / "roster.csv").write_text(ROSTER, encoding="utf-8")
    with db.write() as s:
        roster = import_roster(s, tmp / "roster.csv", {"id": "Person ID", "given": "Given"}, "resp")
        inc = incidents.open_incident(s, "resp", title="t", discovered=FOUND)
        incidents.add_exposed_file(s, inc, "resp", name="x.csv", sha256="f" * 64, size=1, location="/x.csv",
                                   exposure_start=FOUND - timedelta(days=5), exposure_end=FOUND)
        aff.add_group_exposure(s, inc, roster.id, "RF-1", "resp")
        return inc.id


def test_worklist_letters_delivery_and_clock(db: Database, tmp_path: Path) -> None:
    inc_id = _setup(db, tmp_path)
    with db.write() as s:
        inc = incidents.get_incident(s, inc_id)
        assert notifications.build_worklist(s, inc, "resp") == 3  # two people and one attorney
        assert notifications.build_worklist(s, inc, "resp") == 0
        work = {(w.recipient, w.channel, w.language): w for w in notifications.worklist(s, inc_id)}
        assert set(work) == {("person", "hand-delivery", "es"), ("attorney", "attorney", "en"),
                             ("person", "mail", "fr")}
        assert all("García" not in w.name and "Haddad" not in w.name for w in work.values())
        with pytest.raises(Invalid):
            notifications.generate_letters(s, inc, tmp_path / "missing", "resp")
        paths = notifications.generate_letters(s, inc, tmp_path, "resp")
        assert sorted(p.name for p in paths) == ["notice-1-es.pdf", "notice-2-en.pdf", "notice-3-fr.pdf"]
    spanish = _text(paths[0])
    assert "José García" in spanish and "número A que termina en 789" in spanish and "123456789" not in spanish
    assert "a las" in spanish and "(UTC)" in spanish  # the window with its hours and zone
    mail = _text(tmp_path / "notice-3-fr.pdf")
    assert "5 Elm St" in mail and "Votre nom ne figurait pas dans le fichier" in mail
    assert "Il contenait votre nom" not in mail  # a group letter does not also say the name was in the file
    person = work[("person", "hand-delivery", "es")]
    attorney = work[("attorney", "attorney", "en")]
    with db.write() as s:
        with pytest.raises(Invalid, match="proof"):
            notifications.mark_delivered(s, person.notification_id, "clerk", proof="  ")
        notifications.mark_delivered(s, attorney.notification_id, "clerk", proof="email receipt",
                                     at=FOUND + timedelta(days=1))
        notifications.mark_sent(s, person.notification_id, "clerk", at=FOUND + timedelta(days=2))
        with pytest.raises(Invalid):
            notifications.mark_delivered(s, person.notification_id, "clerk", proof="x", at=FOUND)
        notifications.mark_delivered(s, person.notification_id, "clerk", proof="signed receipt",
                                     at=FOUND + timedelta(days=3))
        with pytest.raises(Refused):
            notifications.mark_delivered(s, person.notification_id, "clerk", proof="again")
        mailed = work[("person", "mail", "fr")]
        notifications.mark_sent(s, mailed.notification_id, "clerk")
        notifications.mark_returned(s, mailed.notification_id, "clerk", reason="moved")
    with db.read() as s:
        rows = {w.notification_id: w for w in notifications.worklist(s, inc_id)}
    # the attorney's delivery (day 1) does not start the clock; the person's (day 3) does
    assert rows[person.notification_id].hold_until == FOUND + timedelta(days=33)
    assert rows[mailed.notification_id].status == "returned" and rows[mailed.notification_id].hold_until is None

    with db.write() as s:
        official = accounts.create_user(s, "official", "a long enough password", ["incident_responder"], "t")
        holds_by_person = {h.affected_id: h.id for h in s.query(IrHold).all()}
        with pytest.raises(Refused, match="not been notified"):
            holds.lift_hold(s, holds_by_person[mailed.affected_id], official, "r", now=FOUND + timedelta(days=90))
        lifted = holds.lift_hold(s, holds_by_person[person.affected_id], official, "reviewed",
                                 now=FOUND + timedelta(days=33))
        assert lifted.lifted_by == "official"
        with pytest.raises(Refused, match="already lifted"):
            holds.lift_hold(s, lifted.id, official, "again", now=FOUND + timedelta(days=34))


def test_must_stay_zero_alert_acknowledged(db: Database, tmp_path: Path) -> None:
    inc_id = _setup(db, tmp_path)
    with db.read() as s:
        first = aff.affected_people(s, inc_id)[0][0].id
    with db.write() as s:
        with pytest.raises(Invalid):
            aff.set_status(s, first, "deported", "ops")
        recorded = aff.set_status(s, first, "removed", "ops", at=FOUND + timedelta(hours=5), acknowledge_alert=True)
        assert recorded == aff.MUST_STAY_ZERO
    with db.read() as s:
        inc = incidents.get_incident(s, inc_id)
        assert any(e.kind == "alert" for e in incidents.timeline(s, inc))
        assert dict(reports.figures(s, inc).breakdowns["status"])[aff.MUST_STAY_ZERO] == 1


def _text(path: Path) -> str:
    return " ".join(PdfReader(path).pages[0].extract_text().split())


def test_extra_language_templates(tmp_path: Path) -> None:
    (tmp_path / "letter_person_ti.txt.j2").write_text("# Notice\n{{ name }}\n")
    settings = LetterSettings(extra_templates=tmp_path)
    assert languages("person") == ("ar", "en", "es", "fr", "hi", "ht", "pt", "ru", "uk", "zh")
    assert "ti" in languages("person", settings) and languages("attorney") == ("en",)
    assert language_code("Haitian Creole") == "ht" and language_code("haitian cr") == "ht"
    assert language_code("Mandarin") == "zh" and language_code("Kreyòl") == "ht" and language_code("Tigrinya") == \
        "tigrinya"
    assert template_language("person", "Tigrinya") is None  # waits: never English instead
