"""Every screen decision goes into the gate's audit log (the hash chain of `veil.workflow.audit`), masked: the file's
sha256 and masked name, the recipient's kind and masked name, the verdict, each finding's kind, location, masked
message and masked sentence, and the sha256 of the suggestion. Never a raw name, identifier or message text.

    ScreenDecided.of(result, actor) -> ScreenDecided     the event for one screen result
    record(session, results, actor)                     append one event per result, in the caller's transaction
    masked_location(location) -> str                    a finding's location, the file and sheet names it quotes
                                                        masked (the screen page shows it so too)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, ClassVar

from sqlalchemy.orm import Session

from veil.masking import mask
from veil.screen.result import ScreenResult
from veil.workflow import audit
from veil.workflow.events import Event

_QUOTED = re.compile(r"'([^']*)'")


def masked_location(location: str) -> str:
    """Locations quote file and sheet names ("attachment 'garcia.pdf' › line 1"): those are masked too."""
    return _QUOTED.sub(lambda m: f"'{mask(m.group(1))}'", location)


@dataclass(frozen=True, kw_only=True)
class ScreenDecided(Event):
    name: ClassVar[str] = "screen"
    what: str  # message | manifest
    file: str  # the file name, masked
    sha256: str
    verdict: str  # pass | block
    recipient_kind: str | None
    recipient: str  # masked
    persons: int
    findings: tuple[dict[str, Any], ...]
    suggestion_sha256: str | None = None

    @classmethod
    def of(cls, result: ScreenResult, actor: str) -> ScreenDecided:
        findings = tuple({"kind": f.kind.value, "location": masked_location(f.location), "blocks": f.blocks,
                          "message": f.message, **({"sentence": f.sentence} if f.sentence else {})}
                         for f in result.findings)
        return cls(actor=actor, what=result.what, file=mask(PurePath(result.path).name), sha256=result.sha256,
                   verdict=result.verdict,
                   recipient_kind=result.recipient.kind.value if result.recipient.kind else None,
                   recipient=mask(result.recipient.name) if result.recipient.name else "",
                   persons=result.persons, findings=findings,
                   suggestion_sha256=result.suggestion.sha256 if result.suggestion else None)


def record(session: Session, results: Iterable[ScreenResult], actor: str) -> None:
    for result in results:
        audit.append(session, ScreenDecided.of(result, actor))
