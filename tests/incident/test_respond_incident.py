# ruff: noqa: F811  (pytest fixtures imported from support.respond are redefined as arguments)
"""The incident record and its clocks (SQLite and PostgreSQL), the watch's takedown opening an incident, and the
centre report's JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from support.respond import both_databases, cheap_password_hashing  # noqa: F401  (fixtures)
from veil.incident import incidents
from veil.store.engine import Database
from veil.workflow import audit
from veil.workflow.errors import Invalid

FOUND = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _kinds(db: Database, incident_id: int) -> list[tuple[str, str]]:
    with db.read() as s:
        return [(e.kind, e.text) for e in incidents.timeline(s, incidents.get_incident(s, incident_id))]


def test_centre_deadline_missed_and_major_oversight(both_databases: Database) -> None:
    with both_databases.write() as s:
        inc = incidents.open_incident(s, "resp", title="Roster on the website", discovered=FOUND)
        inc_id = inc.id
        clocks = incidents.record_deadlines(s, inc, now=FOUND + timedelta(minutes=30))
        assert [c.state for c in clocks] == ["running"]
        assert 1790 <= clocks[0].remaining_seconds <= 1800
    with both_databases.write() as s:
        inc = incidents.get_incident(s, inc_id)
        incidents.record_deadlines(s, inc, now=FOUND + timedelta(hours=2))  # nobody reported: missed
        incidents.record_deadlines(s, inc, now=FOUND + timedelta(hours=3))  # recorded once only
        incidents.record_centre_report(s, inc, "resp", at=FOUND + timedelta(hours=4))
        incidents.declare_major(s, inc, "resp", "foreign government received the list")
        incidents.record_oversight_report(s, inc, "resp", at=FOUND + timedelta(days=6))
    kinds = _kinds(both_databases, inc_id)
    assert [k for k, _ in kinds].count("deadline-missed") == 1
    assert ("deadline-met", "deadline met: report to oversight (7 days)") in kinds
    with both_databases.read() as s:
        inc = incidents.get_incident(s, inc_id)
        states = {c.name: c.state for c in incidents.deadlines(inc)}
        assert states == {"centre": "missed", "oversight": "met"}
        report = json.loads(incidents.centre_report_json(s, inc))
        assert report["major_incident"] is True and report["discovered"].startswith("2026-03-02T09:00")
        assert {d["name"]: d["state"] for d in report["deadlines"]} == states
        assert audit.verify(s).ok


def test_open_from_takedown_and_validation(both_databases: Database) -> None:
    watch = SimpleNamespace(id=7, taken_down=FOUND, opened=FOUND, public_path="reports/2026/detainees.xlsx",
                            sha256="b" * 64, size=1234, exposure_start=FOUND - timedelta(days=30))
    with both_databases.write() as s:
        inc = incidents.open_from_takedown(s, watch)
        assert inc.opened_by == "takedown" and inc.watch_incident_id == 7
        report = incidents.centre_report(s, inc)
        assert report["exposed_files"][0]["location"] == "reports/2026/detainees.xlsx"
        with pytest.raises(Invalid):
            incidents.add_exposed_file(s, inc, "r", name="x", sha256="nothex", size=1, location="x",
                                       exposure_start=FOUND, exposure_end=None)
        with pytest.raises(Invalid):
            incidents.add_disclosure(s, inc, "r", channel="pigeon", recipient="x", at=FOUND)
        with pytest.raises(Invalid):
            incidents.assess_risk(s, inc, "r", colour="red")
        with pytest.raises(Invalid):
            incidents.open_incident(s, "r", title="x", discovered=datetime.now(UTC) + timedelta(days=1))
        task = incidents.add_task(s, inc, "r", title="Notify oversight", owner="dana")
        incidents.complete_task(s, task.id, "dana")
        incidents.set_status(s, inc, "r", "contained")
        incidents.set_severity(s, inc, "r", "critical")
        assert inc.status == "contained" and task.status == "done"


def test_sync_watch_incidents(both_databases: Database) -> None:
    from veil.store.models_watch import Incident

    with both_databases.write() as s:
        s.add(Incident(site="public", public_path="data/list.csv", sha256="a" * 64, size=10, verdict="block",
                       exposure_start=FOUND - timedelta(days=4), exposure_start_source="publication", taken_down=FOUND))
        s.flush()
        opened = incidents.sync_watch_incidents(s)
        assert [i.discovered for i in opened] == [FOUND] and incidents.sync_watch_incidents(s) == []
        report = incidents.centre_report(s, opened[0])
        assert report["exposed_files"][0]["exposure_end"].startswith("2026-03-02T09:00")
