"""Shared by the Chromium tests: the browser's path and flags, a synthetic leaking roster, and a real gate server
on a loopback port (the real checker; an in-process scan worker)."""

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
from typing import Any

import pytest
import uvicorn
from faker import Faker

from veil.policy import load_policy
from veil.store.engine import Database
from veil.web.app import create_app
from veil.workflow import accounts
from veil.workflow.blobs import BlobStore
from veil.workflow.gate import Gate, default_scanner
from veil.workflow.publishing import DirectorySite

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]
PASSWORD = "correct horse battery"
BENIGN = b"Quarterly statistics: 1,204 asylum applications were received nationally in the quarter.\n"

BROWSER_MARKS = [pytest.mark.browser,
                 pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)")]
USERS = {"sub": ["submitter"], "rev": ["reviewer"], "rev2": ["reviewer"], "pub": ["publisher"], "aud": ["auditor"],
         "ao": ["authorising_official"], "ao2": ["authorising_official"], "ir": ["incident_responder"]}


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


def serve_gate(tmp_path: Path) -> Iterator[tuple[str, Gate]]:
    """The gate of `tmp_path` served on a loopback port (the `server` fixture of tests/web/conftest.py)."""
    db = Database(f"sqlite:///{tmp_path / 'veil.db'}")
    db.upgrade()
    policy = load_policy()
    gate = Gate(db=db, blobs=BlobStore(tmp_path / "blobs"), site=DirectorySite(tmp_path / "public"), policy=policy,
                scanner=default_scanner(policy), data_dir=tmp_path)
    with db.write() as s:
        for name, roles in USERS.items():
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




def shot(page: Any, name: str) -> None:
    """A full-page screenshot into VEIL_SCREENSHOT_DIR, when it is set."""
    folder = os.environ.get("VEIL_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def logged_in(browser: Any, base: str, who: str, login_shot: str = "") -> Any:
    """A new page of its own browser context, logged in as `who` and on the release list."""
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{base}/login")
    if login_shot:
        shot(page, login_shot)
    page.fill("input[name=username]", who)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/releases")
    return page
