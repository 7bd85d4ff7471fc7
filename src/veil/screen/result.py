"""What screening returns: findings with the reason (and the masked sentence), a verdict per file, and the JSON shape
shared with `veil check`: {"verdict", "files": [{"path", "verdict", "findings": [{"kind", "location", "message"}]}]}.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class RecipientKind(StrEnum):
    """Who a message goes to. Persisted names (CLI option, API field, policy file, audit log): never rename one.
    Whether each may know that identified people sought protection is the policy's recipient table."""

    APPLICANT = "applicant"  # the person themselves
    ATTORNEY = "attorney"  # attorney or representative of record
    COURT = "court"  # immigration court, Board of Immigration Appeals
    AGENCY = "agency"  # another office of the agency with a need to know
    SEALED = "sealed"  # a filing under seal
    FOREIGN_GOVERNMENT = "foreign-government"
    PUBLIC = "public"  # the public, the press
    THIRD_PARTY = "third-party"  # NGOs, carriers, local police, landlords, employers


@dataclass(frozen=True)
class Recipient:
    name: str = ""
    kind: RecipientKind | None = None


class ScreenKind(StrEnum):
    """Kinds of screening findings. Persisted names (JSON reports, audit log): never rename one."""

    STATUS_DISCLOSURE = "status-disclosure"  # a sentence says identified people have a protected status
    PROTECTED_PERSON = "protected-person"  # a held/affected/protected person's name, A-number or birth date
    RESEMBLES_DISCLOSURE = "resembles-disclosure"  # no rule names it, but the model scores the text as a disclosure
    ATTACHMENT = "attachment"  # an attachment `veil check` would not pass
    MANIFEST_FIELD = "manifest-field"  # a manifest column that reveals protected status or an incident
    MANIFEST_VALUE = "manifest-value"  # manifest cells that reveal protected status
    MANIFEST_PERSON = "manifest-person"  # a manifest row for a held/affected/protected person
    UNREADABLE = "unreadable"  # a part that could not be read: never a pass
    NOTICE = "notice"  # worth knowing, does not block


_BLOCKING = frozenset(ScreenKind) - {ScreenKind.NOTICE}


@dataclass(frozen=True)
class ScreenFinding:
    """One reason to stop a message. `message` and `sentence` are masked: they never hold a name or identifier."""

    kind: ScreenKind
    location: str
    message: str
    sentence: str = ""
    rule: str = ""
    visible: bool = True  # False when the text sits where a reader would not see it (tracked change, hidden text)
    allowed: bool = False  # a disclosure this recipient may receive (the policy's recipient table): it does not block

    @property
    def blocks(self) -> bool:
        return self.kind in _BLOCKING and not self.allowed

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind.value, "location": self.location, "visible": self.visible,
                               "message": self.message, "blocks": self.blocks}
        if self.sentence:
            out["sentence"] = self.sentence
        if self.rule:
            out["rule"] = self.rule
        return out


@dataclass
class Suggestion:
    """What to send instead of a blocked message or manifest. It has been screened itself, for the same recipient,
    and passes. `text` is the message to send (it holds what the sender wrote, minus the disclosures); a manifest
    copy is `data`, written to `path` when asked. `changes` say what was taken out, masked, never why to the
    recipient: the copy gives no reason."""

    kind: str  # "message" | "manifest"
    changes: list[str] = field(default_factory=list)
    text: str = ""
    data: bytes = b""
    path: str = ""
    verdict: str = "pass"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data or self.text.encode("utf-8")).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "verdict": self.verdict, "changes": self.changes,
                               "sha256": self.sha256}
        if self.kind == "message":
            out["text"] = self.text
        else:
            out["path"] = self.path or None
        return out


@dataclass
class ScreenResult:
    path: str
    findings: list[ScreenFinding] = field(default_factory=list)
    sha256: str = ""
    recipient: Recipient = field(default_factory=Recipient)
    seconds: float = 0.0
    persons: int = 0  # distinct protected people the file names (registry matches)
    suggestion: Suggestion | None = None  # what to send instead, when blocked
    what: str = "message"  # "message" | "manifest"

    @property
    def verdict(self) -> str:
        """'block' when anything blocks, else 'pass'. Screening has no 'review': a message goes out or it does not."""
        return "block" if any(f.blocks for f in self.findings) else "pass"

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.path, "sha256": self.sha256, "verdict": self.verdict,
                               "persons": self.persons,
                               "recipient_kind": self.recipient.kind.value if self.recipient.kind else None,
                               "findings": [f.to_dict() for f in self.findings]}
        if self.suggestion is not None:
            out["suggestion"] = self.suggestion.to_dict()
        return out


def report(results: list[ScreenResult]) -> dict[str, Any]:
    """The `--format json` document."""
    verdict = "block" if any(r.verdict == "block" for r in results) else "pass"
    return {"verdict": verdict, "files": [r.to_dict() for r in results]}
