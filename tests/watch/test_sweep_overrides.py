"""Every sweep lists the files live under an override (text, JSON, the run's summary), and one click on the release
page opens (or joins) the incident for such a file."""

from __future__ import annotations

import json
import re
from datetime import UTC
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from support.watch import publish_under_override
from support.webgate import csrf, login
from veil.store.models_incident import IrExposedFile
from veil.store.models_releases import Publication
from veil.store.models_watch import SweepRun
from veil.watch.report import render_json, render_text
from veil.watch.service import WatchConfig, WatchService
from veil.web.app import create_app
from veil.workflow.gate import Gate


def test_every_sweep_lists_the_files_live_under_an_override(gate: Gate) -> None:
    rid = publish_under_override(gate)
    service = WatchService(gate, WatchConfig(), scanner=gate.scanner)
    try:
        for _ in range(2):  # the first sweep checks the files, the second finds them unchanged: both list it
            outcome = service.sweep(trigger="schedule")
            assert outcome.report.flagged == [] and outcome.actions == []
            [item] = outcome.report.overrides
            assert item.path == "stats/2022/detention.txt" and item.approval.release_id == rid
            text = render_text(outcome.report)
            assert "LIVE UNDER OVERRIDE BLOCK" in text and "stats/2022/detention.txt" in text
            assert f"release #{rid}" in text and "1 live under an override" in text and "GARCIA" not in text
            [listed] = json.loads(render_json(outcome.report))["sweep"]["under_override"]
            assert listed["path"] == "stats/2022/detention.txt" and listed["release_id"] == rid
            assert listed["verdict"] == "block" and listed["finding_kinds"] == ["person-in-text"]
            with gate.db.read() as s:
                run = s.get(SweepRun, outcome.run_id)
                assert run is not None
                assert run.summary == [f"live-under-override stats/2022/detention.txt (release #{rid})"]
        assert (Path(gate.site.root) / "stats/2022/detention.txt").exists()  # type: ignore[attr-defined]
    finally:
        service.close()


def test_one_click_on_the_release_page_opens_the_incident_for_a_file_under_override(gate: Gate) -> None:
    rid = publish_under_override(gate)
    app = create_app(gate, start_worker=False)
    with TestClient(app, follow_redirects=False) as irene:
        login(irene, "irene")
        page = irene.get(f"/releases/{rid}").text
        assert "LIVE UNDER OVERRIDE" in page and f'action="/releases/{rid}/incident"' in page
        form = {"csrf": csrf(irene), "path": "stats/2022/detention.txt"}
        opened = irene.post(f"/releases/{rid}/incident", data=form)
        assert opened.status_code == 303
        match = re.fullmatch(r"/incidents/(\d+)", opened.headers["location"])
        assert match is not None
        again = irene.post(f"/releases/{rid}/incident", data=form)
        assert again.headers["location"] == opened.headers["location"]  # the same bytes join the same incident
        missing = irene.post(f"/releases/{rid}/incident", data={**form, "path": "stats/2022/nothing.txt"})
        assert missing.status_code == 404 and "never published" in missing.text
        with TestClient(app, follow_redirects=False) as bob:
            login(bob, "bob")
            assert bob.post(f"/releases/{rid}/incident", data={**form, "csrf": csrf(bob)}).status_code == 403
    with gate.db.read() as s:
        [exposed] = s.scalars(select(IrExposedFile)).all()
        pub = s.scalars(select(Publication).where(Publication.path == "stats/2022/detention.txt")).one()
        assert exposed.incident_id == int(match.group(1)) and exposed.sha256 == pub.sha256
        assert exposed.exposure_start.astimezone(UTC) == pub.published.astimezone(UTC)
        assert exposed.exposure_end is None  # still live: nobody took it down yet
