"""Real `veil serve` processes, killed with SIGKILL: the scan they held is handed back to the queue as soon as a
server starts again, their scanning processes die with them, and an anonymous gigabyte never reaches the disk."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from veil.store.models_releases import Scan
from veil.workflow import accounts
from veil.workflow.gate import Gate

pytestmark = pytest.mark.slow
PROSE = ("On 12 May the applicant Maria Lopez Garcia (A123456789) from Honduras told the officer she feared "
         "persecution. ").encode()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    def __init__(self, data: Path, tmp: Path) -> None:
        self.data, self.tmp, self.port = data, tmp, _free_port()
        env = {**os.environ, "TMPDIR": str(tmp)}
        self.proc = subprocess.Popen([sys.executable, "-m", "veil", "serve", "--data-dir", str(data), "--port",
                                      str(self.port), "--scan-seconds", "120"], env=env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/login", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        self.proc.kill()
        raise AssertionError("veil serve did not start")

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def children(self) -> list[int]:
        kids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:
                kids.append(int(stat.parent.name))
        return kids


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.fixture
def data(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "gate"
    gate = Gate.open(folder)
    with gate.db.write() as s:
        accounts.create_user(s, "sub", "correct horse battery", ["submitter"], actor="setup")
    gate.close()
    yield folder


def _token(data: Path) -> str:
    gate = Gate.open(data)
    try:
        with gate.db.write() as s:
            return accounts.create_token(s, "sub", "t", actor="setup")
    finally:
        gate.close()


def _scan(data: Path) -> Scan | None:
    gate = Gate.open(data, upgrade=False)
    try:
        with gate.db.read() as s:
            return s.scalars(select(Scan)).first()
    finally:
        gate.close()


def test_kill_9_mid_scan_children_die_and_the_job_is_reclaimed_at_restart(data: Path, tmp_path: Path) -> None:
    token = _token(data)
    (tmp_path / "tmp").mkdir()
    server = Server(data, tmp_path / "tmp")
    headers = {"Authorization": f"Bearer {token}"}
    try:
        rid = httpx.post(f"{server.url}/api/releases", headers=headers,
                         json={"title": "Notes", "target_path": "notes"}).json()["id"]
        up = httpx.post(f"{server.url}/api/releases/{rid}/files", headers=headers, timeout=60,
                        files={"file": ("notes.txt", PROSE * 20_000, "text/plain")})
        assert up.status_code == 201
        deadline = time.monotonic() + 60
        while (scan := _scan(data)) is None or scan.status != "running":
            assert time.monotonic() < deadline, "the scan never started"
            time.sleep(0.05)
        assert f":{server.proc.pid}:" in (scan.lease_owner or "")  # host:pid:name
        children = server.children()
        assert children, "the scan runs in a child process"
    finally:
        os.kill(server.proc.pid, signal.SIGKILL)
        server.proc.wait()
    deadline = time.monotonic() + 5
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_alive(pid) for pid in children), "a child outlived the killed server"
    assert _scan(data).status == "running"  # type: ignore[union-attr]  # the dead server's lease is still there

    restarted = Server(data, tmp_path / "tmp")
    try:
        started = time.monotonic()
        while True:
            scan = _scan(data)
            assert scan is not None
            if f":{restarted.proc.pid}:" in (scan.lease_owner or "") or scan.status == "done":
                break
            assert time.monotonic() - started < 60, "the job was not reclaimed within a minute"
            time.sleep(0.1)
        assert scan.attempts == 2
        kids = restarted.children()
    finally:
        restarted.proc.terminate()
        restarted.proc.wait(30)
    assert not any(_alive(pid) for pid in kids)


def test_an_anonymous_gigabyte_gets_401_before_any_of_it_is_written(data: Path, tmp_path: Path) -> None:
    spool = tmp_path / "tmp"
    spool.mkdir()
    server = Server(data, spool)
    try:
        with socket.create_connection(("127.0.0.1", server.port)) as conn:
            conn.sendall((f"POST /api/releases/1/files HTTP/1.1\r\nHost: x\r\nContent-Length: {1 << 30}\r\n"
                          "Content-Type: multipart/form-data; boundary=b\r\n\r\n").encode())
            sent = 0
            conn.settimeout(10)
            try:
                while sent < 64 << 20:  # keep sending until the server answers (or stops reading)
                    conn.sendall(b"x" * (1 << 20))
                    sent += 1 << 20
            except OSError:
                pass
            answer = conn.recv(4096)
        assert answer.startswith(b"HTTP/1.1 401"), answer[:100]
        written = [p for p in list(spool.rglob("*")) + list(data.rglob("*")) if p.is_file()
                   and p.stat().st_size > 1 << 20 and not p.name.startswith("veil.db")]
        assert written == []
    finally:
        server.proc.terminate()
        server.proc.wait(30)


def test_x_forwarded_for_is_not_believed_without_a_trusted_proxy(data: Path, tmp_path: Path) -> None:
    """A client cannot escape the per-address login throttle by naming another address in X-Forwarded-For."""
    spool = tmp_path / "tmp"
    spool.mkdir()
    server = Server(data, spool)
    try:
        with httpx.Client(base_url=server.url) as client:
            codes = []
            for i in range(11):
                form = client.get("/login")
                token = form.text.split('name="csrf" value="', 1)[1].split('"', 1)[0]
                codes.append(client.post("/login", headers={"X-Forwarded-For": f"198.51.100.{i}"},
                                         data={"username": "sub", "password": "wrong password", "csrf": token})
                             .status_code)
        assert codes[:10] == [401] * 10 and codes[10] == 429
    finally:
        server.proc.terminate()
        server.proc.wait(30)
