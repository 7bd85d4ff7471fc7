"""The scan queue: leases, retries after a dead worker, failing closed, and findings stored masked."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from datetime import timedelta

from sqlalchemy import select, text

from support.gate import LEAKING, make_cast, make_release
from veil.store.models_audit import AuditEntry
from veil.store.models_releases import FindingRecord, Scan
from veil.workflow import scanning
from veil.workflow.gate import Gate


def test_a_job_whose_worker_died_is_claimed_again(gate: Gate) -> None:
    make_cast(gate)
    make_release(gate, {"a.txt": b"hello"}, scan=False)
    first = scanning.claim(gate.db, "dies", lease=timedelta(seconds=-1))  # lease already expired
    assert first is not None
    assert scanning.claim(gate.db, "other", lease=timedelta(minutes=5)) == first
    assert scanning.claim(gate.db, "third") is None  # a live lease is not taken


def test_a_result_from_a_worker_that_lost_its_lease_is_dropped(gate: Gate) -> None:
    make_cast(gate)
    make_release(gate, {"a.txt": b"hello"}, scan=False)
    scan_id = scanning.claim(gate.db, "slow", lease=timedelta(seconds=-1))
    assert scanning.claim(gate.db, "fast") == scan_id
    with gate.db.write() as s:
        scan = s.get(Scan, scan_id)
        assert scan is not None
        scan.lease_owner = "fast"
    # "slow" finishing now must not overwrite; run_one for "fast" completes it.
    assert scanning.drain(gate.db, gate.blobs, gate.scanner, gate.policy) == 0
    with gate.db.write() as s:
        s.execute(text("UPDATE scans SET lease_expires = :t"), {"t": scan.created - timedelta(days=1)})
    assert scanning.drain(gate.db, gate.blobs, gate.scanner, gate.policy, worker="fast") == 1


def test_a_job_that_keeps_failing_ends_unverifiable(gate: Gate) -> None:
    make_cast(gate)
    make_release(gate, {"a.txt": b"hello"}, scan=False)
    for i in range(scanning.MAX_ATTEMPTS):
        assert scanning.claim(gate.db, f"w{i}", lease=timedelta(seconds=-1)) is not None
    assert scanning.claim(gate.db, "last") is None
    with gate.db.read() as s:
        scan = s.scalars(select(Scan)).one()
        assert scan.status == "done" and scan.verdict == "unverifiable"


def test_a_scanner_crash_fails_closed(gate: Gate) -> None:
    make_cast(gate)

    def broken(blob: bytes, name: str):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom with a value GARCIA")

    gate.scanner = broken
    make_release(gate, {"a.txt": b"hello"})
    with gate.db.read() as s:
        scan = s.scalars(select(Scan)).one()
        assert scan.verdict == "unverifiable"
        assert "GARCIA" not in " ".join(f.message for f in scan.findings)


def test_findings_are_stored_masked_and_file_bytes_stay_out_of_the_database(gate: Gate) -> None:
    make_cast(gate)
    make_release(gate, {"roster.txt": LEAKING})
    with gate.db.read() as s:
        scan = s.scalars(select(Scan)).one()
        assert scan.verdict == "block" and scan.policy_version and scan.scanner_version
        rows = s.scalars(select(FindingRecord)).all()
        assert rows and rows[0].samples == ["G*****, J***", "A*********"]
        dump = []
        for table in ("findings", "scans", "release_files", "releases", "audit_log", "decisions"):
            dump += [repr(tuple(r)) for r in s.execute(text(f"SELECT * FROM {table}"))]
    blob = "\n".join(dump)
    assert "GARCIA" not in blob and "A123456789" not in blob


def test_the_worker_thread_scans_in_the_background(gate: Gate) -> None:

    make_cast(gate)
    worker = gate.start_worker(poll=0.05)
    try:
        make_release(gate, {"a.txt": b"hello"}, scan=False)
        gate.wake_worker()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with gate.db.read() as s:
                if s.scalars(select(Scan.status)).one() == "done":
                    break
            time.sleep(0.05)
        else:
            raise AssertionError("the worker did not finish the scan")
    finally:
        worker.stop()


def test_concurrent_workers_never_claim_the_same_job(gate: Gate) -> None:
    make_cast(gate)
    make_release(gate, {f"f{i}.txt": f"file {i}".encode() for i in range(6)}, scan=False)
    claimed: list[int] = []
    lock = threading.Lock()

    def worker(name: str) -> None:
        while (job := scanning.claim(gate.db, name)) is not None:
            with lock:
                claimed.append(job)

    threads = [threading.Thread(target=worker, args=(f"w{i}",)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(claimed) == sorted(set(claimed)) and len(claimed) == 6


def test_a_running_scan_keeps_its_lease_by_heartbeat(gate: Gate) -> None:
    """A long scan is not taken over while its worker lives: the worker renews the lease every beat."""

    make_cast(gate)
    make_release(gate, {"a.txt": b"hello"}, scan=False)
    started = threading.Event()
    stolen: list[int | None] = []

    def slow(blob: bytes, name: str):  # type: ignore[no-untyped-def]
        started.set()
        time.sleep(2.0)
        stolen.append(scanning.claim(gate.db, "thief", lease=timedelta(seconds=1)))
        return gate.scanner(blob, name)

    ran = scanning.run_one(gate.db, gate.blobs, slow, gate.policy, "owner", lease=timedelta(seconds=1),
                           heartbeat=timedelta(seconds=0.2))
    assert ran and started.is_set() and stolen == [None]
    with gate.db.read() as s:
        assert s.scalars(select(Scan.status)).one() == "done"


def test_jobs_of_a_dead_process_on_this_host_are_queued_again_at_once(gate: Gate) -> None:
    make_cast(gate)
    make_release(gate, {"a.txt": b"hello", "b.txt": b"world"}, scan=False)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    dead_owner = scanning.worker_identity("w").replace(f":{os.getpid()}:", f":{gone.pid}:")
    first = scanning.claim(gate.db, dead_owner)
    second = scanning.claim(gate.db, scanning.worker_identity("alive"))
    assert first and second
    assert scanning.reclaim_dead(gate.db) == 1
    with gate.db.read() as s:
        assert s.get(Scan, first).status == "queued"  # type: ignore[union-attr]
        assert s.get(Scan, second).status == "running"  # type: ignore[union-attr]
        event = s.scalars(select(AuditEntry).where(AuditEntry.event == "scans-reclaimed")).one()
        assert event.payload["scan_ids"] == [first]
    assert scanning.claim(gate.db, "next") == first


def test_the_lease_owner_names_host_and_pid() -> None:
    owner = scanning.worker_identity("web-worker")
    assert owner == f"{socket.gethostname()[:40]}:{os.getpid()}:web-worker"
    assert scanning.LEASE <= timedelta(seconds=60) and scanning.HEARTBEAT * 5 <= scanning.LEASE


def test_stopping_the_worker_cuts_the_scan_short_and_queues_the_job_again(gate: Gate) -> None:
    make_cast(gate)
    make_release(gate, {"a.txt": b"hello"}, scan=False)
    started, interrupted = threading.Event(), threading.Event()

    class Slow:
        def __call__(self, blob: bytes, name: str):  # type: ignore[no-untyped-def]
            started.set()
            interrupted.wait(30)
            return gate.scanner(blob, name)

        def close(self) -> None:  # what SandboxScanner.close does: kill the scan in flight
            interrupted.set()

    worker = scanning.ScanWorker(gate.db, gate.blobs, Slow(), gate.policy, poll=0.05)
    worker.start()
    assert started.wait(10)
    begun = time.monotonic()
    worker.stop()
    assert time.monotonic() - begun < 5
    with gate.db.read() as s:
        scan = s.scalars(select(Scan)).one()
        assert (scan.status, scan.attempts, scan.lease_owner) == ("queued", 0, None)
