"""Decisions as events: small frozen dataclasses with `actor` and `created`, appended to the audit chain.

`name` is the persisted event type (never rename one); `payload()` is what the chain hashes besides actor/time.
Payloads hold ids, file names (masked when a name is personal data: veil.shown_names), sha256s and verdicts,
never personal values.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, ClassVar

from veil.store.base import utcnow


@dataclass(frozen=True, kw_only=True)
class Event:
    name: ClassVar[str] = "event"
    actor: str
    created: datetime = field(default_factory=utcnow)

    def payload(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name not in ("actor", "created")}
        return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}


@dataclass(frozen=True, kw_only=True)
class LoggedIn(Event):
    name: ClassVar[str] = "login"
    via: str = "password"


@dataclass(frozen=True, kw_only=True)
class LoginFailed(Event):
    """actor is the masked name typed in (it may be a mistyped password, so never the raw text)."""

    name: ClassVar[str] = "login-failed"
    locked: bool = False


@dataclass(frozen=True, kw_only=True)
class LoggedOut(Event):
    name: ClassVar[str] = "logout"


@dataclass(frozen=True, kw_only=True)
class UserCreated(Event):
    name: ClassVar[str] = "user-created"
    username: str
    roles: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RolesChanged(Event):
    name: ClassVar[str] = "role-change"
    username: str
    roles: tuple[str, ...] = ()
    previous: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class TokenCreated(Event):
    name: ClassVar[str] = "token-created"
    username: str
    token_name: str


@dataclass(frozen=True, kw_only=True)
class TokenRevoked(Event):
    name: ClassVar[str] = "token-revoked"
    username: str
    token_name: str
    token_id: int


@dataclass(frozen=True, kw_only=True)
class ReleaseCreated(Event):
    name: ClassVar[str] = "release-created"
    release_id: int
    title: str
    target_path: str


@dataclass(frozen=True, kw_only=True)
class FileUploaded(Event):
    name: ClassVar[str] = "upload"
    release_id: int
    file_id: int
    file: str
    version: int
    sha256: str
    size: int


@dataclass(frozen=True, kw_only=True)
class ScanCompleted(Event):
    name: ClassVar[str] = "scan-result"
    release_id: int
    file_id: int
    sha256: str
    verdict: str
    findings: int
    scanner_version: str
    policy_version: str


@dataclass(frozen=True, kw_only=True)
class ScansReclaimed(Event):
    """Running scans handed back to the queue because the worker process holding them is gone."""

    name: ClassVar[str] = "scans-reclaimed"
    scan_ids: tuple[int, ...]
    reason: str


@dataclass(frozen=True, kw_only=True)
class Approved(Event):
    name: ClassVar[str] = "approval"
    release_id: int
    sha256s: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Overridden(Event):
    """An authorising official approved block/unverifiable files, naming the legal basis (an id from the policy's
    list) and why it applies."""

    name: ClassVar[str] = "override"
    release_id: int
    sha256s: tuple[str, ...]
    justification: str
    legal_basis: str = ""


@dataclass(frozen=True, kw_only=True)
class Rejected(Event):
    name: ClassVar[str] = "rejection"
    release_id: int
    comment: str


@dataclass(frozen=True, kw_only=True)
class Published(Event):
    name: ClassVar[str] = "publication"
    release_id: int
    site: str
    files: tuple[str, ...]  # "sha256 path" pairs


@dataclass(frozen=True, kw_only=True)
class PublicationRecovered(Event):
    """A publication interrupted by a crash, settled at the next start: `finished` (it had committed; only the
    staging was left) or `rolled-back` (the site was put back as it was)."""

    name: ClassVar[str] = "publication-recovered"
    release_id: int
    journal: str
    outcome: str
    publisher: str
    paths: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class Withdrawn(Event):
    name: ClassVar[str] = "withdrawal"
    release_id: int
    site: str
    paths: tuple[str, ...]
