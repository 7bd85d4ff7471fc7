# ruff: noqa: F811  (pytest fixtures imported from support.respond are redefined as arguments)
"""The incident record and its clocks (SQLite and PostgreSQL), one incident per file bytes (open_or_join) with its
exposure window from the earliest evidence, clock warnings, and the centre report's JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from support.respond import both_databases, cheap_password_hashing  # noqa: F401  (fixtures)
from veil.incident import clocks, incidents
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
        running = clocks.record_deadlines(s, inc, now=FOUND + timedelta(minutes=30))
        assert [c.state for c in running] == ["running"]
        assert 1790 <= running[0].remaining_seconds <= 1800
    with both_databases.write() as s:
        inc = incidents.get_incident(s, inc_id)
        clocks.record_deadlines(s, inc, now=FOUND + timedelta(hours=2))  # nobody reported: missed
        clocks.record_deadlines(s, inc, now=FOUND + timedelta(hours=3))  # recorded once only
        clocks.record_centre_report(s, inc, "resp", at=FOUND + timedelta(hours=4))
        incidents.declare_major(s, inc, "resp", "foreign government received the list")
        clocks.record_oversight_report(s, inc, "resp", at=FOUND + timedelta(days=6))
    kinds = _kinds(both_databases, inc_id)
    assert [k for k, _ in kinds].count("deadline-missed") == 1
    assert ("deadline-met", "deadline met: report to oversight (7 days)") in kinds
    with both_databases.read() as s:
        inc = incidents.get_incident(s, inc_id)
        states = {c.name: c.state for c in clocks.deadlines(inc)}
        assert states == {"centre": "missed", "oversight": "met"}
        report = json.loads(clocks.centre_report_json(s, inc))
        assert report["major_incident"] is True and report["discovered"].startswith("2026-03-02T09:00")
        assert {d["name"]: d["state"] for d in report["deadlines"]} == states
        assert audit.verify(s).ok


def test_every_signal_joins_one_incident_and_the_window_starts_at_the_earliest_evidence(
        both_databases: Database) -> None:
    sha = "b" * 64
    with both_databases.write() as s:
        first = incidents.open_or_join(s, sha256=sha, path="reports/2026/detainees.xlsx", url=None, source="sweep",
                                       actor="sweeper", seen_at=FOUND - timedelta(hours=2))
        again = incidents.open_or_join(s, sha256=sha, path="reports/2026/detainees.xlsx", url=None,
                                       source="takedown", actor="sweeper", taken_down=FOUND)
        report = incidents.open_or_join(s, sha256=sha, path=None, url="https://x.example/copy.xlsx",
                                        source="report", actor="public", seen_at=FOUND - timedelta(hours=5))
        manual = incidents.open_or_join(s, sha256=sha, path=None, url=None, source="manual", actor="dana")
        assert first.id == again.id == report.id == manual.id
        [exposed] = incidents.exposed_files(s, first.id)
        assert exposed.exposure_start_source == "reported" and exposed.exposure_start == FOUND - timedelta(hours=5)
        assert exposed.exposure_end == FOUND and exposed.end_source == "takedown"
        assert exposed.locations == ["reports/2026/detainees.xlsx", "https://x.example/copy.xlsx"]
        assert incidents.note_evidence(s, first, exposed, "access-log", FOUND - timedelta(days=1), "dana")
        assert exposed.exposure_start_source == "access-log"
        assert not incidents.note_evidence(s, first, exposed, "first-seen", FOUND, "dana")  # later: no change
        other = incidents.open_or_join(s, sha256="c" * 64, path="x.csv", url=None, source="sweep", actor="s")
        assert other.id != first.id
        with pytest.raises(Invalid):
            incidents.open_or_join(s, sha256="nothex", path="x", url=None, source="sweep", actor="s")
        with pytest.raises(Invalid):
            incidents.open_or_join(s, sha256=sha, path="x", url=None, source="rumour", actor="s")
        assert audit.verify(s).ok


def test_validation(both_databases: Database) -> None:
    with both_databases.write() as s:
        inc = incidents.open_incident(s, "r", title="t", discovered=FOUND)
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


def test_oversight_clock_from_protected_data_and_warnings_at_50_and_90_percent(both_databases: Database) -> None:
    with both_databases.write() as s:
        inc = incidents.open_or_join(s, sha256="d" * 64, path="list.xlsx", url=None, source="sweep", actor="s",
                                     finding_kinds=["record-level"])
        assert inc.oversight_required and "8 CFR 208.6" in inc.oversight_basis
        inc.discovered = FOUND
        assert [c.name for c in clocks.deadlines(inc)] == ["centre", "oversight"]
        assert clocks.due_warnings(s, inc, now=FOUND + timedelta(minutes=20)) == []
        warned = clocks.due_warnings(s, inc, now=FOUND + timedelta(minutes=56))
        assert sorted((w.clock, w.percent) for w in warned) == [("centre", 50), ("centre", 90)]
        assert clocks.due_warnings(s, inc, now=FOUND + timedelta(minutes=57)) == []  # once each
        later = clocks.due_warnings(s, inc, now=FOUND + timedelta(days=3, hours=13))
        assert [(w.clock, w.percent) for w in later] == [("oversight", 50)]
        with pytest.raises(Invalid):
            incidents.determine_oversight(s, inc, "dana", required=False, reason="  ")
        incidents.determine_oversight(s, inc, "dana", required=False, reason="aggregate file, no status data")
        assert [c.name for c in clocks.deadlines(inc)] == ["centre"] and inc.oversight_set_by == "dana"
        incidents.refresh_oversight(s, inc, "veil")  # a responder's determination stands
        assert not inc.oversight_required


def test_the_timeline_shows_file_names_as_the_gate_does(both_databases: Database) -> None:
    # A file named after the people in it is masked; a statistics file keeps its name, so responders can tell files
    # apart (the same rule as the gate's pages, veil.shown_names).
    with both_databases.write() as s:
        named = incidents.open_or_join(s, sha256="d" * 64, path="pub/GARCIA_JOSE_A123456789.xlsx", url=None,
                                       source="sweep", actor="sweeper", seen_at=FOUND)
        stats = incidents.open_or_join(s, sha256="e" * 64, path="pub/detention-stats-fy23.xlsx", url=None,
                                       source="sweep", actor="sweeper", seen_at=FOUND)
        named_id, stats_id = named.id, stats.id
    named_text = " ".join(text for _, text in _kinds(both_databases, named_id))
    assert "A123456789" not in named_text and "GARCIA" not in named_text
    assert "detention-stats-fy23.xlsx" in " ".join(text for _, text in _kinds(both_databases, stats_id))
