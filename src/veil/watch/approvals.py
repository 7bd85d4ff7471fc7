"""What a sweep compares the public files with: the publication records.

An `ApprovalSource` answers, for a public path and the sha256 found there, whether those bytes were approved for
that place. The service reads the gate's publication records (service.py); standalone, `--approved FILE` gives a
list of sha256s, optionally with their paths (`sha256sum` output), and without it approval is not checked at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from veil.errors import UsageError

_SHA = re.compile(r"^[0-9a-fA-F]{64}$")


class Approval(StrEnum):
    """Persisted names (JSON reports, incidents): never rename one."""

    APPROVED = "approved"
    OVERRIDE = "override"              # approved by authorising officials despite a block: not flagged, but listed
    NEVER_APPROVED = "never-approved"
    BYTES_DIFFER = "bytes-differ"      # this path was approved or published with other bytes
    NOT_CHECKED = "not-checked"        # standalone sweep without --approved


@dataclass(frozen=True)
class ApprovalAnswer:
    status: Approval
    published: datetime | None = None  # when the gate published these bytes here (start of an exposure window)
    approved_sha256: str | None = None
    release_id: int | None = None      # the gate's release that published them


class ApprovalSource(Protocol):
    def check(self, path: str, sha256: str) -> ApprovalAnswer: ...


class NoApprovals:
    """Standalone without a list: only today's detectors decide."""

    def check(self, path: str, sha256: str) -> ApprovalAnswer:
        return ApprovalAnswer(Approval.NOT_CHECKED)


class ApprovedList:
    """Approved sha256s, some tied to a path (`sha256  path` lines, as `sha256sum` writes them)."""

    def __init__(self, shas: set[str], by_path: dict[str, str]) -> None:
        self.shas = shas
        self.by_path = by_path

    @classmethod
    def read(cls, path: str | Path) -> ApprovedList:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read the approved list {path} ({type(exc).__name__})") from None
        shas: set[str] = set()
        by_path: dict[str, str] = {}
        for number, raw in enumerate(text.splitlines(), 1):
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            sha, _, rest = line.partition(" ")
            if not _SHA.match(sha):
                raise UsageError(f"approved list {path}, line {number}: not a sha256")
            sha = sha.lower()
            shas.add(sha)
            rel = rest.strip().lstrip("*").removeprefix("./")
            if rel:
                by_path[rel] = sha
        return cls(shas, by_path)

    def check(self, path: str, sha256: str) -> ApprovalAnswer:
        expected = self.by_path.get(path)
        if expected is not None:
            if expected == sha256:
                return ApprovalAnswer(Approval.APPROVED, approved_sha256=expected)
            return ApprovalAnswer(Approval.BYTES_DIFFER, approved_sha256=expected)
        if sha256 in self.shas:
            return ApprovalAnswer(Approval.APPROVED, approved_sha256=sha256)
        return ApprovalAnswer(Approval.NEVER_APPROVED)
