"""The scan queue, in the database. A worker claims a job by taking a lease (owner + expiry); a worker that dies
mid-scan leaves its lease to expire and the job is claimed again. PostgreSQL claims with FOR UPDATE SKIP LOCKED,
so several `veil worker` processes share one queue; on SQLite the exclusive write transaction does the same job.

A job that keeps failing (MAX_ATTEMPTS leases expired) is finished as `unverifiable`: fail closed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from veil import __version__
from veil.findings import FileResult, Finding, Kind, Verdict
from veil.policy import Policy
from veil.store.base import utcnow
from veil.store.engine import Database
from veil.store.models_releases import FindingRecord, ReleaseFile, Scan
from veil.workflow import audit
from veil.workflow.background import WakeableThread
from veil.workflow.blobs import BlobStore
from veil.workflow.errors import WorkflowError
from veil.workflow.events import ScanCompleted

log = logging.getLogger(__name__)

Scanner = Callable[[bytes, str], FileResult]
MAX_ATTEMPTS = 3
LEASE = timedelta(minutes=10)


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
                _finish(session, scan, _failed_result(scan.sha256, f"the scan did not finish after {scan.attempts} "
                                                      "attempts"), None)
                continue  # commits this job as unverifiable, then looks for the next one
            scan.status, scan.lease_owner, scan.lease_expires = "running", worker, now + lease
            scan.attempts += 1
            return scan.id


def run_one(db: Database, blobs: BlobStore, scanner: Scanner, policy: Policy, worker: str,
            lease: timedelta = LEASE) -> bool:
    """Claim and run one job; False when the queue is empty."""
    scan_id = claim(db, worker, lease)
    if scan_id is None:
        return False
    with db.read() as session:
        scan = session.get(Scan, scan_id)
        assert scan is not None
        name, sha = scan.file.name, scan.sha256
    try:
        result = scanner(blobs.get(sha), name)
    except WorkflowError as exc:
        result = _failed_result(sha, str(exc))
    except Exception as exc:  # the checker never raises on bad input; anything else must still fail closed
        log.warning("scan %s failed: %s", scan_id, type(exc).__name__)
        result = _failed_result(sha, f"the scanner failed ({type(exc).__name__})")
    with db.write() as session:
        scan = session.get(Scan, scan_id)
        if scan is None or scan.status != "running" or scan.lease_owner != worker:
            log.info("scan %s: lease lost, result dropped", scan_id)
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


def _failed_result(sha: str, reason: str) -> FileResult:
    finding = Finding(Kind.UNREADABLE, "(file)", False, reason, "gate", visibility="unreadable")
    return FileResult(path="-", sha256=sha, size=0, format="", verdict=Verdict.UNVERIFIABLE, persons=0,
                      findings=[finding])


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
            samples=list(f.samples), evidence=list(f.evidence)))
    session.flush()
    file = session.get(ReleaseFile, scan.file_id)
    assert file is not None
    audit.append(session, ScanCompleted(actor="scanner", release_id=file.release_id, file_id=file.id,
                                        sha256=scan.sha256, verdict=scan.verdict, findings=len(result.findings),
                                        scanner_version=scan.scanner_version, policy_version=scan.policy_version))


class ScanWorker(WakeableThread):
    """A thread that keeps running jobs; `wake()` after an upload makes it look at once instead of at next poll."""

    def __init__(self, db: Database, blobs: BlobStore, scanner: Scanner, policy: Policy, name: str = "worker",
                 poll: float = 1.0) -> None:
        super().__init__(f"veil-{name}")
        self.db, self.blobs, self.scanner, self.policy = db, blobs, scanner, policy
        self.name, self.poll = name, poll

    def run(self) -> None:
        """Run jobs in this thread until stopped (`veil worker` runs here; `start()` runs it in the background)."""
        while not self._stop.is_set():
            try:
                busy = run_one(self.db, self.blobs, self.scanner, self.policy, self.name)
            except Exception as exc:  # a database hiccup must not kill the worker; the lease makes it safe
                log.warning("scan worker: %s", type(exc).__name__)
                busy = False
            if not busy:
                self._wake.wait(self.poll)
                self._wake.clear()

    _loop = run
