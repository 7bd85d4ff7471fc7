"""Incident pages mounted on the gate's app: roles, clocks, masked clerical review with CSRF, centre report."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from support.respond import cheap_password_hashing, sqlite_database  # noqa: F401  (fixtures)
from support.store import fake_scanner
from veil.incident import incidents, notifications
from veil.policy import load_policy
from veil.store.models_incident import IrAffected, IrReviewItem, IrRoster, IrRosterPerson
from veil.web.app import create_app
from veil.workflow import accounts
from veil.workflow.blobs import BlobStore
from veil.workflow.gate import Gate
from veil.workflow.publishing import DirectorySite

PASSWORD = "correct horse battery"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[Gate, object]]:
    for db in sqlite_database(tmp_path):
        gate = Gate(db=db, blobs=BlobStore(tmp_path / "blobs"), site=DirectorySite(tmp_path / "public"),
                    policy=load_policy(), scanner=fake_scanner, data_dir=tmp_path)
        app = create_app(gate, start_worker=False)
        with db.write() as s:
            for name, roles in {"ir": ["incident_responder"], "aud": ["auditor"], "sub": ["submitter"],
                             "ao": ["authorising_official"]}.items():
                accounts.create_user(s, name, PASSWORD, roles, actor="setup")
        yield gate, app


def _login(app: object, who: str) -> TestClient:
    client = TestClient(app, follow_redirects=False)  # type: ignore[arg-type]
    token = _CSRF.search(client.get("/login").text)
    assert token
    client.post("/login", data={"username": who, "password": PASSWORD, "csrf": token.group(1)})
    return client


def test_pages_review_and_roles(site: tuple[Gate, object], tmp_path: Path) -> None:
    gate, app = site
    found = datetime.now(UTC) - timedelta(minutes=20)
    with gate.db.write() as s:
        inc = incidents.open_incident(s, "ir", title="Roster on the site", discovered=found)
        exposed = incidents.add_exposed_file(s, inc, "ir", name="x.csv", sha256="d" * 64, size=1, location="/x.csv",
                                             exposure_start=found - timedelta(days=3), exposure_end=found)
        roster = IrRoster(name="r.csv", sha256="e" * 64, rows=2, mapping={})
        s.add(roster)
        s.flush()
        people = [IrRosterPerson(roster_id=roster.id, ref=f"P{i}", given=g, surname=sn, anumber="123456789",
                                 address="1 Main St, Springfield",
                                 groups=[]) for i, (g, sn) in enumerate([("Jose", "Garcia"), ("Josefa", "Garcia")])]
        s.add_all(people)
        s.flush()
        item = IrReviewItem(incident_id=inc.id, exposed_file_id=exposed.id, exposed_row=7, state="pending",
                            candidates=[{"person_id": p.id, "probability": 0.4, "evidence": {"name": ["typo", 3.1]}}
                                        for p in people])
        s.add(item)
        s.flush()
        ids = (inc.id, item.id, people[1].id)
    ir = _login(app, "ir")
    listing = ir.get("/incidents")
    assert listing.status_code == 200 and "centre: running" in listing.text
    page = ir.get(f"/incidents/{ids[0]}")
    assert page.status_code == 200 and "min left" in page.text and "Rows waiting for a clerk" in page.text
    review = ir.get(f"/incidents/{ids[0]}/review")
    assert "G*****, J***" in review.text and "Garcia" not in review.text and "123456789" not in review.text
    token = _CSRF.search(review.text)
    assert token
    assert ir.post(f"/incidents/{ids[0]}/review/{ids[1]}", data={"person_id": str(ids[2])}).status_code == 403
    done = ir.post(f"/incidents/{ids[0]}/review/{ids[1]}", data={"person_id": str(ids[2]), "csrf": token.group(1)})
    assert done.status_code == 303
    with gate.db.read() as s:
        assert [a.person_id for a in s.query(IrAffected).all()] == [ids[2]]
    report = ir.get(f"/incidents/{ids[0]}/centre-report.json")
    assert report.json()["people_affected"] == 1
    with gate.db.write() as s:
        inc = incidents.get_incident(s, ids[0])
        notifications.build_worklist(s, inc, "ir")
        notifications.generate_letters(s, inc, tmp_path, "ir")
    notices = ir.get(f"/incidents/{ids[0]}/notices")
    assert notices.status_code == 200 and "1 generated" in notices.text and "Garcia" not in notices.text
    token = _CSRF.search(notices.text)
    assert token
    posted = ir.post(f"/incidents/{ids[0]}/notices/1/delivered", data={"proof": "signed", "csrf": token.group(1)})
    assert posted.status_code == 303
    assert "1 delivered" in ir.get(f"/incidents/{ids[0]}/notices").text
    assert ir.post(f"/incidents/{ids[0]}/notices/99/delivered", data={"proof": "x", "csrf": token.group(1)}
                   ).status_code == 422
    held = ir.get(f"/incidents/{ids[0]}/holds")
    assert held.status_code == 200 and "1 active" in held.text and "G*****, J*****" in held.text
    lift = {"reason": "reviewed", "csrf": token.group(1)}
    assert ir.post(f"/incidents/{ids[0]}/holds/1/lift", data=lift).status_code == 409  # not 30 days yet
    with gate.db.write() as s:
        s.query(IrAffected).one().notified = datetime.now(UTC) - timedelta(days=31)
    assert ir.post(f"/incidents/{ids[0]}/holds/1/lift", data=lift).status_code == 303
    assert "0 active, 1 lifted" in ir.get(f"/incidents/{ids[0]}/holds").text
    aud = _login(app, "aud")
    holds_page = aud.get(f"/incidents/{ids[0]}/holds")  # auditors see holds and notices, and cannot act
    assert holds_page.status_code == 200 and "0 active, 1 lifted" in holds_page.text
    assert "/lift\"" not in holds_page.text
    assert aud.get(f"/incidents/{ids[0]}/notices").status_code == 200
    oversight = ir.get(f"/incidents/{ids[0]}/report/oversight.json")
    assert oversight.status_code == 200 and oversight.json()["affected"] == 1
    public = ir.get(f"/incidents/{ids[0]}/report/public.json")  # one person: banded, not refused
    assert public.status_code == 200 and public.json()["affected"] == "fewer than 10" and "Garcia" not in public.text
    assert ir.get(f"/incidents/{ids[0]}/report/public.docx").status_code == 422
    assert aud.get(f"/incidents/{ids[0]}").status_code == 200
    assert aud.get(f"/incidents/{ids[0]}/review").status_code == 403
    assert _login(app, "ao").get(f"/incidents/{ids[0]}").status_code == 200  # authorising officials read
    assert _login(app, "sub").get("/incidents").status_code == 403
    assert TestClient(app, follow_redirects=False).get("/incidents").status_code in (302, 303)  # type: ignore[arg-type]
    assert ir.get("/incidents/999").status_code == 404
