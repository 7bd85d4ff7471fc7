"""The 2022 leak replayed from the command line alone (`veil incident ...`), on generated data with its truth: a
statistics workbook whose third sheet lists 600 people, a 3,000-person roster, an access log with 50 downloaders
among noise, and a status file. Every figure of the oversight report is compared with the generator's truth."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from support.scenario_2022 import PUBLISHED, STATED_START, URL, Scenario, make_scenario
from veil.cli import app
from veil.incident import letter_fonts
from veil.store.engine import open_database
from veil.workflow import audit


def _veil(data: Path, *args: str, code: int | None = 0) -> dict[str, Any]:
    extra = [] if "--format" in args else ["--format", "json"]
    result = CliRunner().invoke(app, ["incident", *args, "--data-dir", str(data), *extra, "--actor", "responder"])
    if code is not None:
        assert result.exit_code == code, result.output
    return json.loads(result.stdout) if result.stdout.strip() else {}


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("replay")
    sc = make_scenario(tmp)
    data = tmp / "veil"
    out: dict[str, Any] = {"scenario": sc, "data": data}
    opened = _veil(data, "open", "--title", "Detention statistics workbook with people", "--file",
                   str(sc.workbook), "--url", URL, "--exposed-from", STATED_START.isoformat(), "--exposed-to",
                   (PUBLISHED + timedelta(hours=4, minutes=19)).isoformat())
    incident = str(opened["id"])
    out["opened"] = opened
    out["joined"] = _veil(data, "open", "--title", "The same file, reported again", "--file", str(sc.workbook))
    out["link"] = _veil(data, "link", incident, str(sc.roster), "--roster-id", "Person ID", "--sheet", "Detainees",
                        code=1)  # rows wait for a clerk
    out["review"] = _settle(data, incident, sc)
    out["logs"] = _veil(data, "access-log", incident, str(sc.access_log))
    out["status"] = _veil(data, "status", incident, str(sc.statuses), code=1)  # the 8 removals: ALERT
    out["notify"] = _veil(data, "notify", incident, "--out", str(tmp / "letters"), code=1)  # Tigrinya waits
    out["letters"] = tmp / "letters"
    out["oversight"] = _veil(data, "report", incident, "--kind", "oversight", "--format", "json")
    out["public"] = _veil(data, "report", incident, "--kind", "public", "--format", "json")
    for kind, fmt in (("oversight", "pdf"), ("public", "xlsx"), ("centre", "pdf")):
        done = _veil(data, "report", incident, "--kind", kind, "--format", fmt, "--out", str(tmp / f"{kind}.{fmt}"))
        assert done["bytes"] > 1000
    out["show"] = _veil(data, "show", incident)
    out["incident"] = int(incident)
    return out


def _settle(data: Path, incident: str, sc: Scenario) -> dict[str, Any]:
    """A clerk settles every open row from the truth: a candidate when it is offered, else the person by roster
    id (for `none` rows too), else no match."""
    listing = _veil(data, "review", incident, code=None)
    accept, add, reject = [], [], []
    for row in listing["open"]:
        truth = sc.truth_rows[row["row"] - 1]
        offered = {c["roster_id"] for c in row["candidates"]}
        if truth is not None and truth in offered:
            accept.append(f"{row['row']}={truth}")
        elif truth is not None:
            add.append(f"{row['row']}={truth}")
        elif row["state"] == "pending":
            reject.append(str(row["row"]))
    args = [a for x in accept for a in ("--accept", x)] + [a for x in add for a in ("--add", x)] + \
        [a for x in reject for a in ("--reject", x)]
    settled = _veil(data, "review", incident, *args, code=None)
    assert all(sc.truth_rows[r["row"] - 1] is None for r in settled["open"]), "an exposed person stays unreachable"
    return {"listing": listing, "settled": settled}


REQUIRED = ("exposed_rows", "identified", "unidentified", "held", "notified_persons", "notified_attorneys",
            "downloaders", "removed_before_exposure", "removed_after_exposure_before_notice", "released",
            "custody_review")


def test_every_oversight_figure_matches_the_truth(replay: dict[str, Any]) -> None:
    sc: Scenario = replay["scenario"]
    report = replay["oversight"]
    if letter_fonts.missing("zh"):
        pytest.skip("no CJK font installed: Chinese letters wait (apt-get install fonts-droid-fallback)")
    for key in REQUIRED:
        assert isinstance(report[key], int), key
    checked = [k for k in REQUIRED if k != "downloaders"]  # downloaders: see the test that waits for linkage
    assert {k: report[k] for k in checked} == {k: sc.truth[k] for k in checked}
    assert report["by_nationality"] == sc.truth["by_nationality"]
    assert report["by_language"] == sc.truth["by_language"]
    assert report["waiting_notices"] == sc.truth["waiting_persons"]
    assert report["affected"] == sc.truth["identified"] and report["pending_review"] == 0


def test_one_incident_and_the_exposure_window_from_the_evidence(replay: dict[str, Any]) -> None:
    assert replay["joined"]["joined"] is True and replay["joined"]["id"] == replay["opened"]["id"]
    [exposed] = replay["show"]["files"]
    # The responder said an hour after publication; the first download 3 minutes after it moved the start.
    assert datetime.fromisoformat(exposed["exposure_start"]) == PUBLISHED + timedelta(minutes=3)
    assert exposed["exposure_start_source"] == "access-log"
    assert set(exposed["evidence"]) == {"discovered", "manual", "access-log"}
    assert replay["logs"]["logs"][0]["window_moved"] is True
    assert replay["show"]["oversight_required"] is True  # protected-status data, whatever the count
    assert [c["name"] for c in replay["show"]["deadlines"]] == ["centre", "oversight"]


def test_statuses_notices_and_the_public_statement(replay: dict[str, Any]) -> None:
    sc: Scenario = replay["scenario"]
    assert replay["status"]["alerts"] == 8 and replay["status"]["not_affected"] == 1
    notify = replay["notify"]
    if letter_fonts.missing("zh"):  # no CJK font on this machine: Chinese letters wait (.ci/run installs one)
        pytest.skip("no CJK font installed (apt-get install fonts-droid-fallback)")
    assert notify["persons"] == sc.truth["notified_persons"]
    assert notify["attorneys"] == sc.truth["notified_attorneys"]
    assert notify["waiting"] == {"no letter template in tigrinya": sc.truth["waiting_persons"]}
    names = sorted(p.name for p in replay["letters"].iterdir())
    assert len(names) == notify["letters"] and all(n.startswith("notice-") for n in names)
    assert {n.split("-")[2].removesuffix(".pdf") for n in names} >= {"es", "ht", "fr", "pt", "ru", "uk", "zh",
                                                                      "hi", "ar"}
    public = replay["public"]
    assert public["removed_after_exposure_before_notice"] == "fewer than 10"  # a band, not a refusal
    assert public["exposed_rows"] == sc.truth["exposed_rows"]


def test_the_audit_chain_holds_every_step(replay: dict[str, Any]) -> None:
    db = open_database(None, replay["data"])
    try:
        with db.read() as s:
            assert audit.verify(s).ok
            events = {e.event for e in audit.page(s, limit=100000)}
    finally:
        db.dispose()
    assert {"incident", "roster-imported", "people-linked", "hold", "person-status", "notification",
            "access-log-imported"} <= events


def test_downloaders_count_only_responses_that_delivered_the_file(replay: dict[str, Any]) -> None:
    assert replay["oversight"]["downloaders"] == replay["scenario"].truth["downloaders"]


def test_namesakes_with_the_same_birth_date_are_both_offered(replay: dict[str, Any]) -> None:
    row, person, twin = replay["scenario"].namesake
    listed = next(r for r in replay["review"]["listing"]["open"] if r["row"] == row)
    assert {person, twin} <= {c["roster_id"] for c in listed["candidates"]}


def test_the_people_sheet_is_found_without_sheet(tmp_path: Path, replay: dict[str, Any]) -> None:
    sc: Scenario = replay["scenario"]
    data = tmp_path / "veil"
    opened = _veil(data, "open", "--title", "t", "--file", str(sc.workbook))
    linked = _veil(data, "link", str(opened["id"]), str(sc.roster), "--roster-id", "Person ID", code=None)
    assert linked["accepted"] + linked["review"] + linked["none"] == sc.truth["exposed_rows"]
