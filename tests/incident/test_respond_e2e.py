# ruff: noqa: F811  (pytest fixtures imported from support.respond are redefined as arguments)
"""End to end on generated data: a leaking file, the incident, 200 exposed people linked to a 3,000-person roster,
group exposure, holds, a refused manifest, notifications with their 30-day clocks, statuses and reports that match
the ground truth. (The issue's full 6,252 vs 200,000 run is benchmarks/incident_e2e.py.)"""

from __future__ import annotations

import csv
import json
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select
from typer.testing import CliRunner

from support.respond import (  # noqa: F401  (fixtures)
    DISCOVERED,
    EXPOSURE_START,
    ROSTER_MAPPING,
    Case,
    cheap_password_hashing,
    db,
    make_case,
)
from veil.cli import app
from veil.incident import affected as aff
from veil.incident import clocks, holds, incidents, notifications, reports
from veil.incident.roster import import_roster
from veil.store.engine import Database
from veil.store.models_incident import IrAffected, IrExposedFile, IrHold, IrRosterPerson
from veil.workflow import accounts, audit
from veil.workflow.errors import Forbidden, Invalid, Refused


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Case:
    return make_case(tmp_path_factory.mktemp("case"), roster_size=3000, exposed_size=200, decoys=10)



def _refs(s, incident_id: int) -> set[str]:  # noqa: ANN001
    return {p.ref for _, p in aff.affected_people(s, incident_id)}


def test_incident_end_to_end(db: Database, case: Case, tmp_path: Path) -> None:
    # --- the incident opens; the clock starts at discovery -------------------------------------------------------
    with db.write() as s:
        inc = incidents.open_incident(s, "resp", title="Detainee list on the public site", discovered=DISCOVERED,
                                      reporter="journalist", channel="email")
        exposed = incidents.add_exposed_file(s, inc, "resp", name=case.exposed_path.name, sha256=case.sha256,
                                             size=case.exposed_path.stat().st_size,
                                             location=f"https://agency.example/data/{case.exposed_path.name}",
                                             exposure_start=EXPOSURE_START, exposure_end=DISCOVERED)
        incidents.add_disclosure(s, inc, "resp", channel="foreign-government", recipient="consulate",
                                 at=DISCOVERED - timedelta(days=2), what="flight RF-2207 manifest link")
        incidents.add_task(s, inc, "resp", title="Report to the incident centre", owner="resp")
        incidents.assess_risk(s, inc, "resp", nature_of_data="names, birth dates, A-numbers",
                              vulnerable_population="asylum seekers", likelihood_of_access="high",
                              breach_type="unintended publication")
        clocks.record_centre_report(s, inc, "resp", at=DISCOVERED + timedelta(minutes=50), reference="C-1")
        roster = import_roster(s, case.roster_path, ROSTER_MAPPING, "resp")
        inc_id, exposed_id, roster_id = inc.id, exposed.id, roster.id
    with db.read() as s:
        inc = incidents.get_incident(s, inc_id)
        by_name = {c.name: c for c in clocks.deadlines(inc)}
        assert by_name["centre"].state == "met" and "oversight" not in by_name  # no protected data known yet
        report = clocks.centre_report(s, inc)
        assert report["exposed_files"][0]["sha256"] == case.sha256
        assert report["deadlines"][0]["state"] == "met"

    # --- people linked; the review queue resolved as a clerk would --------------------------------------------------
    with db.write() as s:
        inc = incidents.get_incident(s, inc_id)
        summary = aff.link_exposed_file(s, inc, s.get(IrExposedFile, exposed_id), case.exposed_path, roster_id,
                                        "resp")
    assert summary.accepted + summary.review + summary.none == 200
    with db.write() as s, pytest.raises(Refused, match="already linked"):
        aff.link_exposed_file(s, incidents.get_incident(s, inc_id), s.get(IrExposedFile, exposed_id),
                              case.exposed_path, roster_id, "resp")
    ref_of: dict[int, str]
    with db.read() as s:
        ref_of = dict(s.execute(select(IrRosterPerson.id, IrRosterPerson.ref)).all())  # type: ignore[arg-type]
        accepted = {a.exposed_row: ref_of[a.person_id] for a, _ in aff.affected_people(s, inc_id)}
        queue = aff.review_queue(s, inc_id)
        nones = aff.review_queue(s, inc_id, state="none")
    for row, ref in accepted.items():
        assert case.truth[row - 1] == ref, f"accepted row {row} is the wrong person"
    for item in nones:  # nobody who was in the file is left as a non-match
        assert case.truth[item.exposed_row - 1] is None
    with db.write() as s:
        for item in queue:
            truth = case.truth[item.exposed_row - 1]
            pick = next((c["person_id"] for c in item.candidates if ref_of[c["person_id"]] == truth), None)
            aff.resolve_review(s, item.id, "clerk", pick)  # type: ignore[arg-type]
    in_file = {t for t in case.truth if t is not None}
    with db.read() as s:
        assert _refs(s, inc_id) == in_file

    # --- group exposure: the flight's other passengers --------------------------------------------------------------
    with db.write() as s:
        added = aff.add_group_exposure(s, incidents.get_incident(s, inc_id), roster_id, case.flight, "resp")
    assert added == len(set(case.flight_members) - in_file) == 103 - 46
    truth_affected = in_file | set(case.flight_members)
    with db.read() as s:
        assert _refs(s, inc_id) == truth_affected
        people = aff.affected_people(s, inc_id)
        assert Counter(a.basis for a, _ in people)["group-exposure"] == 57
        # every affected person is held, at once
        held = set(s.scalars(select(IrHold.affected_id).where(IrHold.lifted.is_(None))))
        assert held == {a.id for a, _ in people}

    # --- a removal manifest with held people is refused ----------------------------------------------------------
    roster_rows = {r["Person ID"]: r for r in case.roster.iter_rows(named=True)}
    held_refs = sorted(truth_affected)[:4]
    free_refs = sorted(set(roster_rows) - truth_affected)[:6]
    manifest = tmp_path / "manifest.csv"
    with manifest.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["Name", "Date of birth", "A-Number", "Nationality"])
        for i, ref in enumerate(held_refs + free_refs):
            r = roster_rows[ref]
            name = f"{r['Surname']}, {r['Given names']}"
            anum = r["A-Number"] if i % 2 == 0 else ""  # half without A-number: name and birth date must do
            y, m, d = r["Date of birth"].split("-")
            w.writerow([name.upper(), f"{m}/{d}/{y}", anum, r["Nationality"]])
    with db.write() as s:
        check = holds.check_manifest(s, manifest, actor="ops")
    assert check.refused and sorted(h.row for h in check.held) == [2, 3, 4, 5]
    result = CliRunner().invoke(app, ["holds", "check-manifest", str(manifest), "--database-url", db.url])
    assert result.exit_code == 1, result.output
    assert "REFUSED: 4 of 10" in result.output
    for ref in held_refs:
        assert roster_rows[ref]["Surname"].upper() not in result.output  # masked
    clean = tmp_path / "clean.csv"
    clean.write_text("Name,Date of birth,A-Number\n" + "".join(
        f"\"{roster_rows[r]['Surname']}, {roster_rows[r]['Given names']}\",{roster_rows[r]['Date of birth']},"
        f"{roster_rows[r]['A-Number']}\n" for r in free_refs))
    assert CliRunner().invoke(app, ["holds", "check-manifest", str(clean), "--database-url", db.url]).exit_code == 0
    assert CliRunner().invoke(app, ["holds", "check-manifest", str(tmp_path / "nope.csv"),
                                    "--database-url", db.url]).exit_code == 2

    # --- notifications: worklist, letters, delivery, the 30-day clock --------------------------------------------
    with db.write() as s:
        inc = incidents.get_incident(s, inc_id)
        created = notifications.build_worklist(s, inc, "resp")
        attorneys = sum(1 for _, p in aff.affected_people(s, inc_id) if p.attorney)
        assert created == len(truth_affected) + attorneys
        work = notifications.worklist(s, inc_id)
        sample = [next(w for w in work if w.language == "es"), next(w for w in work if w.recipient == "attorney")]
        letters_dir = tmp_path / "letters"
        letters_dir.mkdir()
        paths = notifications.generate_letters(s, inc, letters_dir, "resp",
                                               notification_ids=[w.notification_id for w in sample])
    assert len(paths) == 2
    text = PdfReader(paths[0]).pages[0].extract_text()
    assert "Aviso" in text and "suspensión de protección" in text
    with db.write() as s:
        inc = incidents.get_incident(s, inc_id)
        notifications.generate_letters(s, inc, letters_dir, "resp",
                                       notification_ids=[w.notification_id for w in work
                                                         if w.recipient == "person"][:40])
    delivered_at = {}
    with db.write() as s:
        for k, w in enumerate(notifications.worklist(s, inc_id, status="generated")):
            when = DISCOVERED + timedelta(days=2 + k % 3, hours=k % 5)
            notifications.mark_sent(s, w.notification_id, "clerk", at=when - timedelta(hours=1))
            notifications.mark_delivered(s, w.notification_id, "clerk", proof=f"receipt {k}", at=when)
            if w.recipient == "person":
                delivered_at[w.affected_id] = when
    with db.read() as s:
        for w in notifications.worklist(s, inc_id):
            if w.recipient == "person" and w.affected_id in delivered_at:
                assert w.hold_until == delivered_at[w.affected_id] + timedelta(days=30)
            elif w.recipient == "person":
                assert w.hold_until is None

    # --- holds are lifted only after 30 days, by an authorised person, with a reason ------------------------------
    first = next(iter(delivered_at))
    with db.write() as s:
        official = accounts.create_user(s, "official", "a long enough password", ["authorising_official"], "t")
        clerk = accounts.create_user(s, "clerk", "a long enough password", ["submitter"], "t")
        hold = s.scalar(select(IrHold).where(IrHold.affected_id == first))
        assert hold is not None
        hold_id = hold.id
        with pytest.raises(Forbidden):
            holds.lift_hold(s, hold_id, clerk, "done", now=delivered_at[first] + timedelta(days=31))
        with pytest.raises(Invalid):
            holds.lift_hold(s, hold_id, official, " ", now=delivered_at[first] + timedelta(days=31))
        with pytest.raises(Refused):
            holds.lift_hold(s, hold_id, official, "reviewed", now=delivered_at[first] + timedelta(days=29))
    with db.write() as s:
        official = accounts.get_user(s, "official")
        holds.lift_hold(s, hold_id, official, "case reviewed; no risk", now=delivered_at[first] + timedelta(days=31))

    # --- statuses: the figure that must stay zero ----------------------------------------------------------------
    not_notified = next(a.id for a, _ in people if a.id not in delivered_at)
    with db.write() as s:
        with pytest.raises(Refused, match="ALERT"):
            aff.set_status(s, not_notified, "removed", "ops", at=DISCOVERED + timedelta(days=1))
    with db.write() as s:  # a removal before the exposure is history, not a breach of the hold
        status = aff.set_status(s, not_notified, "removed", "ops", at=EXPOSURE_START - timedelta(days=3))
        assert status == "removed-before-exposure"
        aff.set_status(s, first, "released", "ops")

    # --- reports match the ground truth --------------------------------------------------------------------------
    with db.read() as s:
        fig = reports.figures(s, incidents.get_incident(s, inc_id))
    truth_nat = Counter(roster_rows[r]["Nationality"] for r in truth_affected)
    assert dict(fig.breakdowns["nationality"]) == dict(truth_nat)
    assert dict(fig.breakdowns["facility"]) == dict(Counter(roster_rows[r]["Facility"] for r in truth_affected))
    assert fig.affected == len(truth_affected) and fig.held == len(truth_affected) - 1
    assert fig.notified == len(delivered_at) and fig.progress[-1][1] == len(delivered_at)
    assert dict(fig.breakdowns["status"])["removed-after-exposure-before-notice"] == 0
    with db.read() as s:
        inc = incidents.get_incident(s, inc_id)
        oversight = json.loads(reports.export(s, inc, "oversight", "json"))
        public = reports.report(s, inc, "public")
    assert oversight["affected"] == len(truth_affected) and oversight["group_exposure"] == 57
    assert oversight["by_nationality"] == dict(truth_nat)
    small = [k for k, v in truth_nat.items() if v < 10]
    assert all(public["by_nationality"][k] == "fewer than 10" for k in small)  # banded, not refused

    # --- the audit chain holds every step ------------------------------------------------------------------------
    with db.read() as s:
        verification = audit.verify(s)
        assert verification.ok, verification.problems
        entries = audit.page(s, limit=5000)
        events = Counter(e.event for e in entries)
        placed = sum(e.payload["holds"] for e in entries if e.event == "hold" and e.payload["action"] == "placed")
    assert placed == len(truth_affected) and events["hold"] >= 3  # placed per linkage batch, group and review decision
    assert events["manifest-checked"] == 3 and events["roster-imported"] == 1
    with db.read() as s:
        assert s.scalar(select(IrAffected).where(IrAffected.status == "removed-after-exposure-before-notice")) is None
