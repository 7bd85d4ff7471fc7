"""The sweeper's audit events (appended with the gate's `veil.workflow.audit.append`). Persisted names: never
rename one. Payloads hold paths, sha256s, verdicts and reasons, never personal values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from veil.workflow.events import Event


@dataclass(frozen=True, kw_only=True)
class SweepFlagged(Event):
    name: ClassVar[str] = "sweep-finding"
    site: str
    path: str
    sha256: str
    verdict: str
    reasons: tuple[str, ...]
    finding_kinds: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class TakenDown(Event):
    name: ClassVar[str] = "takedown"
    site: str
    path: str
    sha256: str
    quarantine: str
    reasons: tuple[str, ...]
    incident_id: int


@dataclass(frozen=True, kw_only=True)
class TakedownFailedEvent(Event):
    name: ClassVar[str] = "takedown-failed"
    site: str
    path: str
    reason: str


@dataclass(frozen=True, kw_only=True)
class ExternalReportReceived(Event):
    name: ClassVar[str] = "external-report"
    report_id: int
    public_path: str
