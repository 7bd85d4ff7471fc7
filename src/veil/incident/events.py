"""Incident-response events for the gate's audit chain. Payloads carry ids, counts, kinds and sha256s, never a
person's name, birth date or A-number (the audit log is read by auditors who need no personal data)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from veil.workflow.events import Event


@dataclass(frozen=True, kw_only=True)
class IncidentChanged(Event):
    """Any change to an incident record: `action` says which (opened, file-added, disclosure, task, status, ...)."""

    name: ClassVar[str] = "incident"
    incident_id: int
    action: str
    detail: str = ""


@dataclass(frozen=True, kw_only=True)
class RosterImported(Event):
    name: ClassVar[str] = "roster-imported"
    roster_id: int
    sha256: str
    rows: int


@dataclass(frozen=True, kw_only=True)
class PeopleLinked(Event):
    name: ClassVar[str] = "people-linked"
    incident_id: int
    exposed_file_id: int
    accepted: int
    review: int
    none: int
    group_exposure: int = 0


@dataclass(frozen=True, kw_only=True)
class HoldChanged(Event):
    name: ClassVar[str] = "hold"
    incident_id: int
    action: str  # placed | lifted
    holds: int = 1
    affected_id: int | None = None


@dataclass(frozen=True, kw_only=True)
class ManifestChecked(Event):
    name: ClassVar[str] = "manifest-checked"
    sha256: str
    rows: int
    held: int
    incident_id: int | None = None  # checked against one incident's people; None: every active hold


@dataclass(frozen=True, kw_only=True)
class NotificationChanged(Event):
    name: ClassVar[str] = "notification"
    notification_id: int
    affected_id: int
    action: str  # created | generated | sent | delivered | returned
    count: int = 1


@dataclass(frozen=True, kw_only=True)
class PersonStatusChanged(Event):
    name: ClassVar[str] = "person-status"
    affected_id: int
    status: str
    previous: str


@dataclass(frozen=True, kw_only=True)
class AccessLogImported(Event):
    name: ClassVar[str] = "access-log-imported"
    incident_id: int
    log_name: str
    sha256: str
    lines: int
    selected: int
    malformed: int
