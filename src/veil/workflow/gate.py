"""`Gate`: everything the web service, the worker and the CLI need, opened from one data directory.

    <data_dir>/veil.db          the SQLite database (unless a database URL is given)
    <data_dir>/data.key         the key that seals files at rest (unless VEIL_DATA_KEY* names another; 0600)
    <data_dir>/blobs/           uploaded files, content-addressed by sha256, sealed
    <data_dir>/public/          the public site (unless another directory is given)
    <public_dir>/../.veil-staging/  the publisher's temp files, renamed into the public site (VEIL_STAGING_DIR)
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from veil.findings import FileResult
from veil.pipeline import check_bytes
from veil.policy import Policy, load_policy
from veil.store.engine import Database, open_database
from veil.workflow.audit_anchor import AnchorSettings
from veil.workflow.blobs import BlobStore
from veil.workflow.overrides import OverrideRules
from veil.workflow.publishing import DirectorySite, PublicSite
from veil.workflow.sandbox import SandboxScanner, ScanLimits
from veil.workflow.scanning import Scanner, ScanWorker
from veil.workflow.sealing import sealer_for


def default_scanner(policy: Policy) -> Scanner:
    """The checker in this process (tests, tools). The service scans in child processes: `SandboxScanner`."""

    def scan(blob: bytes, name: str) -> FileResult:
        return check_bytes(blob, name, policy)

    return scan


@dataclass
class Gate:
    db: Database
    blobs: BlobStore
    site: PublicSite
    policy: Policy
    scanner: Scanner
    data_dir: Path
    worker: ScanWorker | None = None
    # Where the audit chain's signed checkpoints go (veil.workflow.audit_anchor); None: no anchoring.
    anchor: AnchorSettings | None = None

    @classmethod
    def open(cls, data_dir: str | Path = ".veil", database_url: str | None = None, public_dir: str | Path | None = None,
             policy_path: str | None = None, scanner: Scanner | None = None, schema: str | None = None,
             upgrade: bool = True, staging_dir: str | Path | None = None, scan_limits: ScanLimits | None = None,
             anchor: AnchorSettings | None = None) -> Gate:
        """The gate over a data directory. Scans run in child processes under `scan_limits` unless another
        `scanner` is given; the audit chain is anchored as `anchor` says (default: key and checkpoint file in
        the data directory)."""
        data = Path(data_dir)
        data.mkdir(parents=True, exist_ok=True)
        os.chmod(data, 0o700)  # uploaded files may hold personal data: keep the store private
        blobs = BlobStore(data / "blobs", sealer_for(data))
        blobs.seal_legacy()
        db = open_database(database_url, data, schema=schema, upgrade=upgrade)
        policy = load_policy(policy_path)
        OverrideRules.from_policy(policy)  # a bad `gate:` section is a set-up error now, not at the first approval
        site = DirectorySite(public_dir or data / "public",
                             staging=staging_dir or os.environ.get("VEIL_STAGING_DIR") or None)
        site.clean_staging()
        return cls(db=db, blobs=blobs, site=site, policy=policy, scanner=scanner or SandboxScanner(policy, scan_limits),
                   data_dir=data, anchor=anchor or AnchorSettings.for_data_dir(data))

    @cached_property
    def override_rules(self) -> OverrideRules:
        """What an override must carry under this gate's policy (legal bases, justification rules)."""
        return OverrideRules.from_policy(self.policy)

    def start_worker(self, name: str = "web-worker", poll: float = 1.0) -> ScanWorker:
        self.worker = ScanWorker(self.db, self.blobs, self.scanner, self.policy, name=name, poll=poll)
        self.worker.start()
        return self.worker

    def wake_worker(self) -> None:
        if self.worker is not None:
            self.worker.wake()

    def close(self) -> None:
        if self.worker is not None:
            self.worker.stop()
            self.worker = None
        if isinstance(self.scanner, SandboxScanner):
            self.scanner.close()
        self.db.dispose()
