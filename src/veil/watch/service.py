"""The sweeper inside `veil serve`: sweeps the gate's public directory against its publication records, alerts,
takes flagged files down into quarantine, opens incidents and writes it all to the audit log.

    WatchConfig   settings (environment variables VEIL_SWEEP_*, VEIL_ALERT_*; see `from_env`)
    DbApprovals   the gate's live publications (and overrides) as an ApprovalSource
    WatchService  one sweep at a time (`sweep()`), used by the scheduler, the report API and tests
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

import veil.store.models_watch  # noqa: F401  (registers the sweeper's tables on Base.metadata)
from veil.errors import UsageError
from veil.incident import clocks, incidents
from veil.store.base import utcnow
from veil.store.models_incident import IrExposedFile, IrIncident
from veil.store.models_releases import Decision, DecisionFile, Publication
from veil.store.models_watch import SweepRun
from veil.watch import alerts
from veil.watch.approvals import Approval, ApprovalAnswer
from veil.watch.events import SweepFlagged, TakedownFailedEvent, TakenDown
from veil.watch.report import override_lines
from veil.watch.scanning import Scanner
from veil.watch.state import SweepState
from veil.watch.sweep import (
    SweepItem,
    SweepReport,
    reasons_for,
    scanner_version,
    sweep_directory,
    takedown_reasons,
)
from veil.watch.takedown import Quarantine, Quarantined, TakedownFailed
from veil.workflow import audit
from veil.workflow.gate import Gate

log = logging.getLogger(__name__)
ACTOR = "sweeper"
MIN_INTERVAL = 30.0
DEFAULT_INTERVAL = 300.0


@dataclass(frozen=True)
class WatchConfig:
    interval: float = DEFAULT_INTERVAL
    state_path: Path | None = None        # default: DATA_DIR/sweep-state.sqlite
    quarantine_dir: Path | None = None    # default: DATA_DIR/quarantine (must share the public tree's filesystem)
    public_base_url: str = ""             # how the public site is reached, to map reported URLs to paths
    alerts: alerts.AlertSettings = field(default_factory=alerts.AlertSettings)
    jobs: int = 0

    def __post_init__(self) -> None:
        if self.interval < MIN_INTERVAL:
            raise UsageError(f"the sweep interval must be at least {MIN_INTERVAL:.0f} s")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> WatchConfig:
        """VEIL_SWEEP_INTERVAL (seconds), VEIL_SWEEP_STATE, VEIL_QUARANTINE_DIR, VEIL_PUBLIC_BASE_URL,
        VEIL_ALERT_SMTP (host[:port]), VEIL_ALERT_SMTP_STARTTLS (1), VEIL_ALERT_SMTP_USER, VEIL_ALERT_SMTP_PASSWORD,
        VEIL_ALERT_FROM, VEIL_ALERT_TO (comma-separated), VEIL_ALERT_WEBHOOK."""
        env = dict(os.environ if env is None else env)
        host, _, port = env.get("VEIL_ALERT_SMTP", "").partition(":")
        try:
            settings = alerts.AlertSettings(
                smtp_host=host, smtp_port=int(port or 25),
                smtp_starttls=env.get("VEIL_ALERT_SMTP_STARTTLS", "") in ("1", "true", "yes"),
                smtp_user=env.get("VEIL_ALERT_SMTP_USER", ""), smtp_password=env.get("VEIL_ALERT_SMTP_PASSWORD", ""),
                mail_from=env.get("VEIL_ALERT_FROM", "veil@localhost"),
                mail_to=tuple(a.strip() for a in env.get("VEIL_ALERT_TO", "").split(",") if a.strip()),
                webhook_url=env.get("VEIL_ALERT_WEBHOOK", ""))
            return cls(interval=float(env.get("VEIL_SWEEP_INTERVAL", DEFAULT_INTERVAL)),
                       state_path=Path(env["VEIL_SWEEP_STATE"]) if env.get("VEIL_SWEEP_STATE") else None,
                       quarantine_dir=Path(env["VEIL_QUARANTINE_DIR"]) if env.get("VEIL_QUARANTINE_DIR") else None,
                       public_base_url=env.get("VEIL_PUBLIC_BASE_URL", ""), alerts=settings)
        except ValueError:
            raise UsageError("VEIL_SWEEP_INTERVAL and the VEIL_ALERT_SMTP port must be numbers") from None


class DbApprovals:
    """The gate's publication records for one site: a path is approved for the bytes live there."""

    def __init__(self, session: Session, site: str) -> None:
        rows = session.scalars(select(Publication).where(Publication.site == site,
                                                         Publication.withdrawn.is_(None)).order_by(Publication.id))
        self.live: dict[str, Publication] = {p.path: p for p in rows}
        overridden = session.scalars(select(DecisionFile.sha256).join(Decision).where(Decision.override.is_(True),
                                                                                     Decision.action == "approve"))
        self.overridden = set(overridden)

    def check(self, path: str, sha256: str) -> ApprovalAnswer:
        pub = self.live.get(path)
        if pub is None:
            return ApprovalAnswer(Approval.NEVER_APPROVED)
        if pub.sha256 != sha256:
            return ApprovalAnswer(Approval.BYTES_DIFFER, approved_sha256=pub.sha256)
        status = Approval.OVERRIDE if sha256 in self.overridden else Approval.APPROVED
        return ApprovalAnswer(status, published=pub.published, approved_sha256=pub.sha256, release_id=pub.release_id)

    def publication(self, path: str) -> Publication | None:
        return self.live.get(path)


@dataclass
class Action:
    item: SweepItem
    quarantined: Quarantined | None = None
    incident_id: int | None = None
    error: str = ""

    def alert_dict(self) -> dict[str, Any]:
        return {"path": self.item.path, "sha256": self.item.sha256, "verdict": self.item.verdict.value,
                "reasons": list(self.item.reasons),
                "finding_kinds": sorted({str(f.kind) for f in self.item.result.findings}),
                "taken_down": self.quarantined is not None, "incident_id": self.incident_id,
                "takedown_error": self.error}


@dataclass
class SweepOutcome:
    run_id: int
    report: SweepReport
    actions: list[Action]
    alert_failures: list[str] = field(default_factory=list)


class WatchService:
    """One public directory watched against the gate's records. `scanner` None: the real checker, in a process
    pool for many changed files; tests pass the gate's fake scanner."""

    def __init__(self, gate: Gate, config: WatchConfig | None = None, scanner: Scanner | None = None) -> None:
        root = getattr(gate.site, "root", None)
        if root is None:
            raise UsageError("the sweeper watches a directory site; this public site is not one")
        self.gate = gate
        self.config = config or WatchConfig()
        self.scanner = scanner
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)  # nothing published yet is an empty site, not a problem
        self.site_name = gate.site.name
        self.state = SweepState(self.config.state_path or gate.data_dir / "sweep-state.sqlite")
        self.quarantine = Quarantine(self.config.quarantine_dir or gate.data_dir / "quarantine", self.root,
                                     gate.blobs.sealer)
        self._lock = threading.Lock()
        self._alerted: set[tuple[str, str, tuple[str, ...]]] = set()

    def close(self) -> None:
        self.state.close()

    def sweep(self, trigger: str = "manual", only: Iterable[str] | None = None) -> SweepOutcome:
        """One sweep (the whole directory, or just `only`): takedowns, incidents, audit, then alerts."""
        with self._lock:
            with self.gate.db.read() as s:
                approvals = DbApprovals(s, self.site_name)
            report = sweep_directory(self.root, self.gate.policy, state=self.state, approvals=approvals,
                                     scanner=self.scanner, jobs=self.config.jobs, only=only)
            approvals = self._recheck(report)
            reasons = takedown_reasons(self.gate.policy)
            actions = [self._act(item, reasons) for item in report.flagged]
            # A file still flagged (not taken down) is alerted and audited once, not at every sweep.
            fresh = [a for a in actions if a.quarantined or a.error or self._key(a) not in self._alerted]
            run_id = self._record(trigger, report, actions, fresh, approvals)
            self._alerted.update(self._key(a) for a in fresh)
        failures = []
        if fresh and self.config.alerts.enabled:
            failures = alerts.send(self.config.alerts, alerts.payload(self.site_name, [a.alert_dict() for a in fresh]))
        failures += self.warn_clocks()
        return SweepOutcome(run_id, report, actions, failures)

    def warn_clocks(self) -> list[str]:
        """The incidents' clock warnings now due (50% and 90% of each clock), through the alert channels. Each
        warning is recorded once, so each goes out once (when no channel is set, it stays on the timeline)."""
        with self.gate.db.write() as s:
            due = [w.as_dict() for w in clocks.open_incidents_warnings(s, ACTOR)]
        if not due or not self.config.alerts.enabled:
            return []
        return alerts.send(self.config.alerts, alerts.clock_payload(due))

    def _recheck(self, report: SweepReport) -> DbApprovals:
        """The gate writes a file to the site a moment before it commits the publication record: a file the sweep
        met in that moment looks unapproved. Ask the records again, now, before acting on an approval reason."""
        with self.gate.db.read() as s:
            latest = DbApprovals(s, self.site_name)
        kept = []
        for item in report.flagged:
            if item.approval.status in (Approval.NEVER_APPROVED, Approval.BYTES_DIFFER) and item.sha256:
                item.approval = latest.check(item.path, item.sha256)
                item.reasons = reasons_for(item.result, item.approval)
            if item.reasons:
                kept.append(item)
        report.flagged = kept
        return latest

    def _key(self, action: Action) -> tuple[str, str, tuple[str, ...]]:
        return (action.item.path, action.item.sha256, action.item.reasons)

    def _act(self, item: SweepItem, reasons: frozenset[str]) -> Action:
        action = Action(item)
        folder = self.root / item.path
        if item.takes_down(reasons) and (folder.is_symlink() or not folder.is_dir()):  # a folder: alert only
            try:
                action.quarantined = self.quarantine.take_down(item.path, item.reasons)
            except TakedownFailed as exc:
                action.error = str(exc)
                log.warning("takedown of %s failed: %s", item.path, exc)
        return action

    def _record(self, trigger: str, report: SweepReport, actions: list[Action], fresh: list[Action],
                approvals: DbApprovals) -> int:
        """Everything this sweep did, in one transaction: the run, incidents, withdrawn publications, audit."""
        with self.gate.db.write() as s:
            run = SweepRun(trigger=trigger, target=self.site_name, seconds=report.seconds, files=report.files,
                           scanned=report.scanned, flagged=len(report.flagged),
                           taken_down=sum(1 for a in actions if a.quarantined),
                           scanner_version=scanner_version(), policy_version=self.gate.policy.version,
                           summary=([f"{','.join(a.item.reasons)} {a.item.path}" for a in actions]
                                    + override_lines(report))[:1000])
            s.add(run)
            s.flush()
            for action in fresh:
                item = action.item
                kinds = tuple(sorted({str(f.kind) for f in item.result.findings}))
                audit.append(s, SweepFlagged(actor=ACTOR, site=self.site_name, path=item.path, sha256=item.sha256,
                                             verdict=item.verdict.value, reasons=item.reasons, finding_kinds=kinds))
                if action.error:
                    audit.append(s, TakedownFailedEvent(actor=ACTOR, site=self.site_name, path=item.path,
                                                        reason=action.error))
                if action.quarantined is not None:
                    action.incident_id = self._open_incident(s, run.id, action, approvals, kinds)
        return run.id

    def _open_incident(self, s: Session, run_id: int, action: Action, approvals: DbApprovals,
                       kinds: tuple[str, ...]) -> int:
        """Open or join the incident for the taken-down bytes: the first sighting and the publication record are
        its exposure evidence, the takedown ends the exposure."""
        item, moved = action.item, action.quarantined
        assert moved is not None
        pub = approvals.publication(item.path)
        incident = incidents.open_or_join(
            s, sha256=moved.sha256, path=item.path, url=None, source="takedown", actor=ACTOR,
            seen_at=datetime.fromisoformat(item.first_seen), taken_down=moved.moved, size=moved.size,
            site=self.site_name, verdict=item.verdict.value, reasons=item.reasons, finding_kinds=kinds,
            quarantine_path=moved.quarantine_path, sweep_run_id=run_id)
        if pub is not None:
            live = s.get(Publication, pub.id)
            if live is not None and live.withdrawn is None:
                live.withdrawn = moved.moved
        s.flush()
        audit.append(s, TakenDown(actor=ACTOR, site=self.site_name, path=item.path, sha256=moved.sha256,
                                  quarantine=Path(moved.quarantine_path).name, reasons=item.reasons,
                                  incident_id=incident.id))
        return incident.id


def incident_dict(incident: IrIncident, files: list[IrExposedFile]) -> dict[str, Any]:
    """An incident as the sweeper's staff API shows it: its files, where they were, their exposure windows."""
    return {"id": incident.id, "status": incident.status, "source": incident.opened_by, "title": incident.title,
            "opened": incident.created.isoformat(timespec="seconds"),
            "files": [{"public_path": f.location, "locations": f.locations, "sha256": f.sha256, "size": f.size,
                       "site": f.site, "verdict": f.verdict, "reasons": f.reasons, "finding_kinds": f.finding_kinds,
                       "quarantined": bool(f.quarantine_path), "exposure": exposure_dict(f)} for f in files]}


def exposure_dict(exposed: IrExposedFile) -> dict[str, Any]:
    start = incidents.aware(exposed.exposure_start)
    end = incidents.aware(exposed.exposure_end) if exposed.exposure_end else None
    return {"start": start.isoformat(timespec="seconds"), "start_source": exposed.exposure_start_source,
            "end": end.isoformat(timespec="seconds") if end else None, "end_source": exposed.end_source,
            "seconds": round(((end or utcnow()) - start).total_seconds(), 1), "evidence": exposed.evidence}
