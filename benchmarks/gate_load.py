"""Load test of `veil serve` on loopback: 20 concurrent clients submit 200 releases (create + upload) while the
database already holds 10,000 releases; reports throughput, p50/p95 latency of the release list page, and checks
that no submission was lost and no request returned 5xx.

    uv run python benchmarks/gate_load.py [--releases 200] [--clients 20] [--seed 10000] [--database-url URL]

Bounded: loopback only, a fixed number of requests, every wait has a timeout; the server is a child process
(`veil serve`) on a free port, stopped at the end. Exit status 0 when every check passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
from sqlalchemy import func, insert, select

from veil.store.models_releases import Release, ReleaseFile, Scan
from veil.workflow import accounts
from veil.workflow.gate import Gate

PASSWORD = "correct horse battery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def seed(gate: Gate, count: int) -> str:
    """Users, a token, and `count` releases inserted in bulk (the list page's worst case is a big table)."""
    with gate.db.write() as s:
        sub = accounts.create_user(s, "loadsub", PASSWORD, ["submitter", "reviewer"], actor="bench")
        token = accounts.create_token(s, "loadsub", "bench", actor="bench")
        start = datetime.now(UTC) - timedelta(days=400)
        rows = [{"title": f"Seeded release {i}", "target_path": f"seed/{i}", "notes": "", "submitter_id": sub.id,
                 "status": "open", "created": start + timedelta(minutes=i), "updated": start + timedelta(minutes=i)}
                for i in range(count)]
        for i in range(0, len(rows), 2000):
            s.execute(insert(Release), rows[i:i + 2000])
    return token


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def login(client: httpx.Client) -> None:
    form = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf, "login form"
    response = client.post("/login", data={"username": "loadsub", "password": PASSWORD, "csrf": csrf.group(1)})
    assert response.status_code == 303, response.status_code


def list_latency(base: str, requests: int, pages: int) -> tuple[list[float], list[int]]:
    """Latency of the HTML release list (first page and pages spread over the whole table)."""
    times, codes = [], []
    with httpx.Client(base_url=base, timeout=30) as client:
        login(client)
        for i in range(requests):
            page = 1 if i % 2 == 0 else 1 + (i * 37) % pages
            started = time.perf_counter()
            response = client.get(f"/releases?page={page}")
            times.append(time.perf_counter() - started)
            codes.append(response.status_code)
    return times, codes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--releases", type=int, default=200)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seed", type=int, default=10_000)
    parser.add_argument("--list-requests", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--timeout", type=float, default=600.0, help="bound on waiting for the scans")
    args = parser.parse_args()

    data = Path(tempfile.mkdtemp(prefix="veil-load-"))
    gate = Gate.open(data, args.database_url)
    t0 = time.perf_counter()
    token = seed(gate, args.seed)
    print(f"seeded {args.seed:,} releases in {time.perf_counter() - t0:.1f} s "
          f"({'PostgreSQL' if gate.db.is_postgres else 'SQLite'}, data in {data})")

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-c", "from veil.cli import main; main()", "serve", "--data-dir", str(data),
           "--host", "127.0.0.1", "--port", str(port)]
    if args.database_url:
        cmd += ["--database-url", args.database_url]
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    failures: list[str] = []
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/login", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit("the server did not start")
            time.sleep(0.3)

        pages = max(1, args.seed // 50)
        idle, codes = list_latency(base, args.list_requests, pages)
        print(f"release list page, idle, {args.seed:,} releases: p50 {percentile(idle, .5) * 1000:.1f} ms, "
              f"p95 {percentile(idle, .95) * 1000:.1f} ms ({len(idle)} requests)")
        failures += [f"list page returned {c}" for c in set(codes) if c != 200]

        headers = {"Authorization": f"Bearer {token}"}
        created: list[int] = []
        statuses: list[int] = []
        latencies: list[float] = []
        lock = threading.Lock()

        def submit_one(i: int) -> None:
            with httpx.Client(base_url=base, timeout=60, headers=headers) as client:
                started = time.perf_counter()
                r = client.post("/api/releases", json={"title": f"Load release {i}", "target_path": f"load/{i}"})
                codes = [r.status_code]
                if r.status_code == 201:
                    rid = r.json()["id"]
                    body = f"Load test file {i}: 1,204 applications received this quarter.\n".encode()
                    u = client.post(f"/api/releases/{rid}/files", files={"file": (f"stats-{i}.txt", body)})
                    codes.append(u.status_code)
                    if u.status_code == 201:
                        with lock:
                            created.append(rid)
                with lock:
                    statuses.extend(codes)
                    latencies.append(time.perf_counter() - started)

        # Measure the list page while the submissions run, from one more client.
        busy_times: list[float] = []
        stop = threading.Event()

        def watch() -> None:
            with httpx.Client(base_url=base, timeout=30) as client:
                login(client)
                while not stop.is_set():
                    started = time.perf_counter()
                    response = client.get("/releases")
                    busy_times.append(time.perf_counter() - started)
                    statuses.append(response.status_code)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        t0 = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(submit_one, range(args.releases)))
        elapsed = time.perf_counter() - t0
        stop.set()
        watcher.join(30)
        print(f"submitted {len(created)}/{args.releases} releases (create + upload) from {args.clients} clients in "
              f"{elapsed:.1f} s: {len(created) / elapsed:.1f} releases/s; submission p50 "
              f"{percentile(latencies, .5) * 1000:.0f} ms, p95 {percentile(latencies, .95) * 1000:.0f} ms")
        if busy_times:
            print(f"release list page under load: p50 {percentile(busy_times, .5) * 1000:.1f} ms, "
                  f"p95 {percentile(busy_times, .95) * 1000:.1f} ms ({len(busy_times)} requests)")
        five = [c for c in statuses if c >= 500]
        other = sorted({c for c in statuses if c >= 400 and c < 500})
        print(f"responses: {len(statuses)}, 5xx: {len(five)}, 4xx codes: {other or 'none'}")
        if five:
            failures.append(f"{len(five)} responses were 5xx")
        if len(created) != args.releases:
            failures.append(f"{args.releases - len(created)} submissions did not complete")

        t0 = time.perf_counter()
        deadline = time.monotonic() + args.timeout
        while True:
            with gate.db.read() as s:
                pending = s.scalar(select(func.count(Scan.id)).where(Scan.status != "done")) or 0
            if not pending or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        print(f"scan queue drained in {time.perf_counter() - t0:.1f} s after the last upload "
              f"({pending} still pending)")
        if pending:
            failures.append(f"{pending} scans still pending after {args.timeout:g} s")
        with gate.db.read() as s:
            total = s.scalar(select(func.count(Release.id))) or 0
            with_file = set(s.scalars(select(ReleaseFile.release_id).join(Scan, Scan.file_id == ReleaseFile.id)
                                      .where(Scan.status == "done")))
        lost = [rid for rid in created if rid not in with_file]
        print(f"releases in the database: {total:,} (expected {args.seed + args.releases:,}); "
              f"submitted releases without a finished scan: {len(lost)}")
        if total != args.seed + args.releases or lost:
            failures.append("a submission was lost")
        target = percentile(idle, .95) * 1000
        if not gate.db.is_postgres and target >= 150:
            failures.append(f"list page p95 {target:.0f} ms is over the 150 ms target")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
        gate.close()
    for failure in failures:
        print(f"FAIL: {failure}")
    print("OK" if not failures else "FAILED")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
