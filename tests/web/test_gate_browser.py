"""End to end in Debian's Chromium: log in, submit a benign and a leaking file, see the leak blocked with its
finding, approve the benign file as two reviewers, publish it, and find exactly those bytes on the public site.

Uses the real checker (`veil.pipeline.check_bytes`) and a real server on a loopback port. Set
VEIL_SCREENSHOT_DIR to keep a screenshot of each page."""

from __future__ import annotations

import csv
import io
import os
import random
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from faker import Faker

from veil.pipeline import check_bytes
from veil.policy import load_policy
from veil.store.engine import Database
from veil.web.app import create_app
from veil.workflow import accounts
from veil.workflow.gate import Gate, default_scanner

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]
PASSWORD = "correct horse battery"
BENIGN = b"Quarterly statistics: 1,204 asylum applications were received nationally in the quarter.\n"

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                 reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")]


def roster_csv(rows: int = 25) -> bytes:
    """A synthetic leaking roster: names, A-numbers, dates of birth, asylum status."""
    fake = Faker("es_MX")
    fake.seed_instance(7)
    rnd = random.Random(7)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Last name", "First name", "A-Number", "Country of birth", "Date of birth", "Case status"])
    for _ in range(rows):
        writer.writerow([fake.last_name(), fake.first_name(), f"A{rnd.randrange(10**8, 10**9):09d}", "Honduras",
                         fake.date_of_birth().isoformat(), "Asylum pending"])
    return buffer.getvalue().encode()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Gate]]:
    import uvicorn

    db = Database(f"sqlite:///{tmp_path / 'veil.db'}")
    db.upgrade()
    from veil.workflow.blobs import BlobStore
    from veil.workflow.publishing import DirectorySite

    policy = load_policy()
    gate = Gate(db=db, blobs=BlobStore(tmp_path / "blobs"), site=DirectorySite(tmp_path / "public"), policy=policy,
                scanner=default_scanner(policy), data_dir=tmp_path)
    with db.write() as s:
        for name, roles in {"sub": ["submitter"], "rev": ["reviewer"], "rev2": ["reviewer"],
                            "pub": ["publisher"], "aud": ["auditor"]}.items():
            accounts.create_user(s, name, PASSWORD, roles, actor="setup")
    app = create_app(gate, start_worker=False)
    gate.start_worker(poll=0.2)
    port = _free_port()
    uv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not uv.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", gate
    uv.should_exit = True
    thread.join(10)
    gate.close()


def test_submit_review_approve_publish_in_chromium(server: tuple[str, Gate], tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, gate = server
    leaking = roster_csv()
    assert check_bytes(leaking, "roster.csv").verdict.value == "block", "the roster must block (table detectors)"
    (tmp_path / "stats.txt").write_bytes(BENIGN)
    (tmp_path / "roster.csv").write_bytes(leaking)
    shots = os.environ.get("VEIL_SCREENSHOT_DIR")

    def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
        if shots:
            Path(shots).mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(Path(shots) / f"{name}.png"), full_page=True)

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            def login(who: str):  # type: ignore[no-untyped-def]
                page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
                page.set_default_timeout(30_000)
                page.goto(f"{base}/login")
                if who == "sub":
                    shot(page, "01-login")
                page.fill("input[name=username]", who)
                page.fill("input[name=password]", PASSWORD)
                page.click("button[type=submit]")
                page.wait_for_url(f"{base}/releases")
                return page

            sub = login("sub")
            sub.click("text=New release")
            sub.fill("input[name=title]", "Asylum statistics Q3")
            sub.fill("input[name=target_path]", "statistics/2024-q3")
            sub.set_input_files("input[name=files]", [str(tmp_path / "stats.txt"), str(tmp_path / "roster.csv")])
            shot(sub, "02-new-release")
            sub.click("button:has-text('Create release')")
            sub.wait_for_url(f"{base}/releases/*")
            url = sub.url
            # The files table polls (HTMX) and the page reloads itself when the scans are done.
            expect(sub.locator("tr.file:has-text('roster.csv') .verdict")).to_have_text("block", timeout=60_000)
            expect(sub.locator("tr.file:has-text('stats.txt') .verdict")).to_have_text("pass")
            findings = sub.locator("table.findings").first
            expect(findings).to_contain_text("record-level")
            html = sub.content()
            first_name = leaking.decode().splitlines()[1].split(",")[0]
            assert first_name not in html  # the page shows masked samples only
            shot(sub, "03-release-scanned")

            sha_benign = gate.blobs.put(BENIGN)
            for who in ("rev", "rev2"):
                page = login(who)
                page.goto(url)
                page.check(f"input[name=sha256s][value='{sha_benign}']")
                page.click("button:has-text('Approve selected versions')")
                expect(page.locator(".flash.ok")).to_contain_text("approval recorded")
                shot(page, f"04-approved-{who}")

            pub = login("pub")
            pub.goto(url)
            pub.click("button:has-text('Publish to')")
            expect(pub.locator(".flash.ok")).to_contain_text("published")
            shot(pub, "05-published")
            aud = login("aud")
            aud.goto(f"{base}/audit")
            expect(aud.locator(".verdict.pass")).to_contain_text("chain intact")
            shot(aud, "06-audit")
            sub.goto(f"{base}/releases")
            shot(sub, "07-release-list")
        finally:
            browser.close()

    public = gate.site.root / "statistics/2024-q3"  # type: ignore[attr-defined]
    assert (public / "stats.txt").read_bytes() == BENIGN
    assert not (public / "roster.csv").exists()
