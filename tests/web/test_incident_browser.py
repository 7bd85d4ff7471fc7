"""One incident walked through the pages in Debian's Chromium, from the takedown to the report: the sweeper takes a
leaking workbook down (the incident opens itself), a responder links the roster, settles a review row, imports an
access log and a status file, makes the letters and downloads the oversight report; an auditor and an
authorising official read the incident, its holds and its notices. Real checker, real server on a loopback port.
Set VEIL_SCREENSHOT_DIR to keep a screenshot of each page."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from support.scenario_2022 import FILE_PATH, make_scenario
from veil.incident import affected as aff
from veil.policy import load_policy
from veil.store.engine import Database
from veil.store.models_incident import IrIncident, IrRosterPerson
from veil.watch.service import WatchConfig, WatchService
from veil.web.app import create_app
from veil.workflow import accounts
from veil.workflow.blobs import BlobStore
from veil.workflow.gate import Gate, default_scanner
from veil.workflow.publishing import DirectorySite

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"]
PASSWORD = "correct horse battery"
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not Path(CHROMIUM).exists(), reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)"
    ),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Gate, WatchService]]:
    import uvicorn

    db = Database(f"sqlite:///{tmp_path / 'veil.db'}")
    db.upgrade()
    policy = load_policy()
    gate = Gate(
        db=db,
        blobs=BlobStore(tmp_path / "blobs"),
        site=DirectorySite(tmp_path / "public"),
        policy=policy,
        scanner=default_scanner(policy),
        data_dir=tmp_path,
    )
    with db.write() as s:
        for name, roles in {"ir": ["incident_responder"], "aud": ["auditor"], "ao": ["authorising_official"]}.items():
            accounts.create_user(s, name, PASSWORD, roles, actor="setup")
    watch = WatchService(gate, WatchConfig(), scanner=gate.scanner)
    app = create_app(gate, start_worker=False, watch=watch)
    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", gate, watch
    uv.should_exit = True
    thread.join(10)
    watch.close()
    gate.close()


def test_takedown_to_report_in_chromium(server: tuple[str, Gate, WatchService], tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, gate, watch = server
    (tmp_path / "data").mkdir()
    sc = make_scenario(tmp_path / "data", roster_size=600, exposed_rows=80, decoys=3, downloaders=6)
    public = Path(gate.site.root) / FILE_PATH.lstrip("/")  # type: ignore[attr-defined]
    public.parent.mkdir(parents=True)
    public.write_bytes(sc.workbook.read_bytes())
    [action] = watch.sweep(trigger="schedule").actions  # the sweeper takes it down: the incident opens
    assert action.quarantined is not None and action.incident_id is not None
    incident = action.incident_id
    shots = os.environ.get("VEIL_SCREENSHOT_DIR")

    def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / f"incident-{name}.png"), full_page=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:

            def login(who: str):  # type: ignore[no-untyped-def]
                page = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True).new_page()
                page.set_default_timeout(120_000)
                page.goto(f"{base}/login")
                page.fill("input[name=username]", who)
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_load_state()
                return page

            ir = login("ir")
            ir.goto(f"{base}/incidents")
            expect(ir.locator("table")).to_contain_text("Exposed file")
            shot(ir, "01-list")
            ir.click(f"a[href='/incidents/{incident}']")
            expect(ir.locator("h2:has-text('Exposure')")).to_be_visible()
            expect(ir.locator("body")).to_contain_text("first-seen")
            assert "detention-stats-fy23.xlsx" in ir.content()  # a statistics file keeps its name (shown_name)
            shot(ir, "02-opened-by-takedown")

            ir.set_input_files("input[name=roster]", str(sc.roster))
            ir.fill("input[name=roster_id]", "Person ID")
            ir.fill("input[name=sheet]", "Detainees")
            ir.click("form[action$='/link'] button")
            ir.wait_for_url(f"{base}/incidents/{incident}/review")
            shot(ir, "03-review")
            cards = ir.locator("div.card form")
            if cards.count():  # settle the first row from the truth, by roster id
                first = cards.first
                row = int(first.locator("xpath=..").locator("h3").inner_text().split()[2])
                truth = sc.truth_rows[row - 1]
                if truth:
                    first.locator("input[name=roster_id]").fill(truth)
                first.locator("button:has-text('Decide')").click()
                ir.wait_for_url(f"{base}/incidents/{incident}/review")
            _settle_rest(gate, incident, sc.truth_rows)

            ir.goto(f"{base}/incidents/{incident}")
            ir.set_input_files("input[name=logs]", str(sc.access_log))
            ir.click("form[action$='/access-logs'] button")
            ir.wait_for_url(f"{base}/incidents/{incident}/downloaders")
            expect(ir.locator("body")).to_contain_text("may hold a copy")
            copies = int(ir.locator("p").first.inner_text().split()[0])
            marked = ir.locator("tbody tr td:nth-child(8)").all_inner_texts()
            assert copies == 6 and marked.count("yes") == copies and "no" in marked  # HEAD, 304: no copy
            shot(ir, "04-downloaders")

            ir.goto(f"{base}/incidents/{incident}")
            ir.set_input_files("input[name=statuses]", str(sc.statuses))
            ir.click("form[action$='/statuses'] button")
            ir.wait_for_url(f"{base}/incidents/{incident}/people")
            shot(ir, "05-people")
            ir.locator("table a").first.click()
            expect(ir.locator("h2:has-text('Status history')")).to_be_visible()
            shot(ir, "06-person")

            ir.goto(f"{base}/incidents/{incident}")
            ir.click("form[action$='/notify'] button")
            ir.wait_for_url(f"{base}/incidents/{incident}/notices")
            expect(ir.locator("body")).to_contain_text("generated")
            shot(ir, "07-notices")

            ir.goto(f"{base}/incidents/{incident}")
            people = ir.locator("h2:has-text('People') + table")
            expect(people).to_contain_text("Rows in the exposed file")
            expect(people.locator("tr:has-text('Downloaders who got a copy') td")).to_have_text("6")
            expect(people.locator("tr:has-text('Rows in the exposed file') td")).to_have_text("80")
            shot(ir, "08-incident-after")
            with ir.expect_download() as download:
                ir.click("a:has-text('JSON') >> nth=0")
            report = json.loads(Path(download.value.path()).read_text())
            assert report["kind"] == "oversight" and report["exposed_rows"] == 80

            for who in ("aud", "ao"):
                page = login(who)
                page.goto(f"{base}/incidents/{incident}/holds")
                expect(page.locator("body")).to_contain_text("active")
                assert page.locator("form[action$='/lift']").count() == 0  # nothing can be lifted yet
                page.goto(f"{base}/incidents/{incident}/notices")
                expect(page.locator("body")).to_contain_text("generated")
                assert page.locator("input[name=proof]").count() == 0  # reading only
                shot(page, f"09-{who}-notices")
        finally:
            browser.close()
    with gate.db.read() as s:
        inc = s.get(IrIncident, incident)
        assert inc is not None and inc.opened_by == "takedown" and inc.oversight_required


def _settle_rest(gate: Gate, incident: int, truth_rows: list[str | None]) -> None:
    """The clerk's other decisions, as the review page would record them."""
    with gate.db.write() as s:
        ref = {pid: r for pid, r in s.execute(select(IrRosterPerson.id, IrRosterPerson.ref))}
        for state in ("pending", "none"):
            for item in aff.review_queue(s, incident, state):
                want = truth_rows[item.exposed_row - 1]
                offered = {ref[c["person_id"]]: c["person_id"] for c in item.candidates}
                if want in offered:
                    aff.settle_row(s, item, "ir", offered[want])
                elif want is not None:
                    aff.settle_row(s, item, "ir", aff.roster_person(s, want).id, add=True)
                elif state == "pending":
                    aff.reject_row(s, item, "ir")
