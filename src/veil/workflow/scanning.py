"""The scan queue, in the database. A worker claims a job by taking a lease (owner + expiry) and renews it every
HEARTBEAT while the scan runs; a worker that dies mid-scan stops renewing, and within LEASE the job is claimed
again. The owner names the worker's host and pid (`host:pid:name`), so a worker starting on the same host hands
back at once the jobs of a process that is gone (`reclaim_dead`). PostgreSQL claims with FOR UPDATE SKIP LOCKED,
so several `veil worker` processes share one queue; on SQLite the exclusive write transaction does the same job.

A job that keeps failing (MAX_ATTEMPTS leases lost) is finished as `unverifiable`: fail closed.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from veil import __version__
from veil.findings import FileResult, Verdict
from veil.policy import Policy
from veil.store.base import utcnow
from veil.store.engine import Database
from veil.store.models_releases import FindingRecord, ReleaseFile, Scan
from veil.workflow import audit
from veil.workflow.background import WakeableThread
from veil.workflow.blobs import BlobStore
from veil.workflow.errors import WorkflowError
from veil.workflow.events import ScanCompleted, ScansReclaimed
from veil.workflow.sandbox import unverifiable

log = logging.getLogger(__name__)

Scanner = Callable[[bytes, str], FileResult]
MAX_ATTEMPTS = 3
LEASE = timedelta(seconds=45)
HEARTBEAT = timedelta(seconds=5)


def worker_identity(name: str) -> str:
    """`host:pid:name`, recorded as the lease owner: who holds a job, and whether that process still exists."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{name}"[:100]


def _owner_is_dead(owner: str | None, host: str) -> bool:
    parts = (owner or "").split(":", 2)
    if len(parts) < 3 or parts[0] != host or not parts[1].isdigit():
        return False  # another host, or an owner of the old form: only its lease's expiry tells
    pid = int(parts[1])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False  # a process of another user holds that pid now: it is not ours, but we cannot tell
    return False


def reclaim_dead(db: Database) -> int:
    """Queue again, at once, the running jobs of processes on this host that are gone (a worker killed mid-scan);
    returns how many. Run when a server or worker starts; jobs of other hosts wait for their lease to expire."""
    host = socket.gethostname()[:40]
    with db.write() as session:
        running = session.scalars(select(Scan).where(Scan.status == "running")).all()
        dead = [scan for scan in running if _owner_is_dead(scan.lease_owner, host)]
        for scan in dead:
            scan.status, scan.lease_owner, scan.lease_expires = "queued", None, None
        if dead:
            audit.append(session, ScansReclaimed(actor="scanner", scan_ids=tuple(s.id for s in dead),
                                                 reason="the worker process holding them is gone"))
    return len(dead)


def renew(db: Database, scan_id: int, worker: str, lease: timedelta = LEASE) -> bool:
    """Extend the lease of a running job this worker holds; False when the lease was lost."""
    with db.write() as session:
        done = session.execute(update(Scan).where(Scan.id == scan_id, Scan.status == "running",
                                                  Scan.lease_owner == worker)
                               .values(lease_expires=utcnow() + lease))
        return bool(getattr(done, "rowcount", 0))


class _Heartbeat(threading.Thread):
    """Renews one job's lease every `every` until stopped, so only a dead worker's jobs go stale."""

    def __init__(self, db: Database, scan_id: int, worker: str, lease: timedelta, every: timedelta) -> None:
        super().__init__(name="veil-heartbeat", daemon=True)
        self.db, self.scan_id, self.worker, self.lease, self.every = db, scan_id, worker, lease, every
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.every.total_seconds()):
            try:
                if not renew(self.db, self.scan_id, self.worker, self.lease):
                    return
            except Exception as exc:  # a database hiccup: try again at the next beat
                log.warning("scan %s: lease renewal failed (%s)", self.scan_id, type(exc).__name__)

    def stop(self) -> None:
        self.stopped.set()
        self.join()


def enqueue(session: Session, file: ReleaseFile) -> Scan:
    scan = Scan(file_id=file.id, sha256=file.sha256, status="queued")
    session.add(scan)
    session.flush()
    return scan


def claim(db: Database, worker: str, lease: timedelta = LEASE) -> int | None:
    """Lease the oldest job that is queued or whose lease expired; None when there is nothing to do."""
    while True:
        with db.write() as session:
            now = utcnow()
            ready = or_(Scan.status == "queued", and_(Scan.status == "running", Scan.lease_expires < now))
            query = select(Scan).where(ready).order_by(Scan.id).limit(1)
            if db.is_postgres:
                query = query.with_for_update(skip_locked=True)
            scan = session.scalar(query)
            if scan is None:
                return None
            if scan.attempts >= MAX_ATTEMPTS:
                _finish(session, scan, unverifiable(scan.sha256, f"the scan did not finish after {scan.attempts} "
                                                      "attempts"), None)
                continue  # commits this job as unverifiable, then looks for the next one
            scan.status, scan.lease_owner, scan.lease_expires = "running", worker, now + lease
            scan.attempts += 1
            return scan.id


def run_one(db: Database, blobs: BlobStore, scanner: Scanner, policy: Policy, worker: str,
            lease: timedelta = LEASE, heartbeat: timedelta = HEARTBEAT,
            stopping: Callable[[], bool] = lambda: False) -> bool:
    """Claim and run one job, renewing its lease while it runs; False when the queue is empty. When `stopping()`
    is true once the scanner returns (the worker is shutting down and cut the scan short), the job goes back to
    the queue instead of being finished with that result."""
    scan_id = claim(db, worker, lease)
    if scan_id is None:
        return False
    with db.read() as session:
        scan = session.get(Scan, scan_id)
        assert scan is not None
        name, sha = scan.file.name, scan.sha256
    beat = _Heartbeat(db, scan_id, worker, lease, heartbeat)
    beat.start()
    try:
        result = scanner(blobs.get(sha), name)
    except WorkflowError as exc:
        result = unverifiable(sha, str(exc))
    except Exception as exc:  # the checker never raises on bad input; anything else must still fail closed
        log.warning("scan %s failed: %s", scan_id, type(exc).__name__)
        result = unverifiable(sha, f"the scanner failed ({type(exc).__name__})")
    finally:
        beat.stop()
    with db.write() as session:
        scan = session.get(Scan, scan_id)
        if scan is None or scan.status != "running" or scan.lease_owner != worker:
            log.info("scan %s: lease lost, result dropped", scan_id)
            return True
        if stopping():
            # Not the file's fault: it does not count as an attempt.
            scan.status, scan.lease_owner, scan.lease_expires = "queued", None, None
            scan.attempts = max(0, scan.attempts - 1)
            return True
        _finish(session, scan, result, policy)
    return True


def drain(db: Database, blobs: BlobStore, scanner: Scanner, policy: Policy, worker: str = "drain",
          limit: int = 10_000) -> int:
    """Run jobs until the queue is empty (tests, `veil worker --once`); returns how many ran."""
    done = 0
    while done < limit and run_one(db, blobs, scanner, policy, worker):
        done += 1
    return done


def _finish(session: Session, scan: Scan, result: FileResult, policy: Policy | None) -> None:
    verdict = result.verdict
    if result.sha256 != scan.sha256:
        verdict = Verdict.UNVERIFIABLE  # the scanner read different bytes than the file version names
    scan.status, scan.lease_owner, scan.lease_expires = "done", None, None
    scan.verdict = verdict.value
    scan.persons = result.persons
    scan.format = result.format[:40]
    scan.scanner_version = __version__
    scan.policy_version = policy.version if policy else ""
    scan.finished = utcnow()
    for f in result.findings:
        scan.findings.append(FindingRecord(
            kind=str(f.kind), effect=policy.effect(f.kind) if policy else "unverifiable", location=f.location,
            visible=f.visible, visibility=f.visibility, message=f.message, detector=f.detector,
            samples=list(f.samples), evidence=list(f.evidence), cells=list(f.cells)))
    session.flush()
    file = session.get(ReleaseFile, scan.file_id)
    assert file is not None
    audit.append(session, ScanCompleted(actor="scanner", release_id=file.release_id, file_id=file.id,
                                        sha256=scan.sha256, verdict=scan.verdict, findings=len(result.findings),
                                        scanner_version=scan.scanner_version, policy_version=scan.policy_version))


class ScanWorker(WakeableThread):
    """A thread that keeps running jobs; `wake()` after an upload makes it look at once instead of at next poll.
    Its lease owner is `worker_identity(name)`; on start it hands back the jobs of dead workers of this host."""

    def __init__(self, db: Database, blobs: BlobStore, scanner: Scanner, policy: Policy, name: str = "worker",
                 poll: float = 1.0, lease: timedelta = LEASE, heartbeat: timedelta = HEARTBEAT) -> None:
        super().__init__(f"veil-{name}")
        self.db, self.blobs, self.scanner, self.policy = db, blobs, scanner, policy
        self.name, self.poll, self.lease, self.heartbeat = worker_identity(name), poll, lease, heartbeat

    def run(self) -> None:
        """Run jobs in this thread until stopped (`veil worker` runs here; `start()` runs it in the background)."""
        try:
            reclaim_dead(self.db)
        except Exception as exc:  # the expired leases are claimed anyway, a little later
            log.warning("scan worker: reclaiming failed (%s)", type(exc).__name__)
        while not self._stop.is_set():
            try:
                busy = run_one(self.db, self.blobs, self.scanner, self.policy, self.name, self.lease,
                               self.heartbeat, self._stop.is_set)
            except Exception as exc:  # a database hiccup must not kill the worker; the lease makes it safe
                log.warning("scan worker: %s", type(exc).__name__)
                busy = False
            if not busy:
                self._wake.wait(self.poll)
                self._wake.clear()

    _loop = run

    def stop(self, timeout: float = 30.0) -> None:
        """Stop after the current job; a scan in a child process is cut short (the job is queued again)."""
        self._stop.set()
        close = getattr(self.scanner, "close", None)
        if callable(close):
            close()
        super().stop(timeout)
