"""Findings a person has already accepted: a baseline file, as detect-secrets keeps one.

    veil check PATHS --write-baseline .veil-baseline.json    # accept what is found today (review it first)
    veil check PATHS --baseline .veil-baseline.json          # report only what is new

A finding is known by a fingerprint of its kind, the file's path, its location, its message, its masked samples and
its cells: all masked as every report shows them, so the baseline holds no personal data. A finding whose message,
samples or cells change (another count, other people, another column) is new again. A part Veil could not read
(`unreadable`) is never accepted: a file that cannot be read is never a pass.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path, PurePath
from typing import Any

from veil import __version__
from veil.errors import UsageError
from veil.findings import FileResult, Finding, Kind
from veil.policy import Policy

VERSION = 1
_NEVER_ACCEPTED = frozenset({Kind.UNREADABLE})


def path_key(path: str) -> str:
    """The path as the baseline stores it: relative to the working directory when inside it, with '/' separators,
    so `veil check docs` and `veil check ./docs` agree."""
    if path == "-":
        return path
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute)
    except ValueError:  # another drive on Windows
        relative = absolute
    key = absolute if relative.startswith("..") else relative
    return PurePath(key).as_posix()


def fingerprint(path: str, finding: Finding) -> str:
    text = "\0".join((finding.kind.value, path_key(path), finding.location, finding.message,
                      "\x1f".join(finding.samples), "\x1f".join(finding.cells)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


def acceptable(finding: Finding, policy: Policy) -> bool:
    """Worth writing into a baseline: it changes a verdict, and it is not a part Veil could not read."""
    return finding.kind not in _NEVER_ACCEPTED and policy.effect(finding.kind) != "note"


@dataclass
class Baseline:
    """Accepted fingerprints per path, with what a reviewer needs to recognise each (kind, location)."""

    results: dict[str, list[dict[str, str]]] = field(default_factory=dict)

    def accepted(self, path: str) -> frozenset[str]:
        return frozenset(e["fingerprint"] for e in self.results.get(path_key(path), ()))

    def add(self, result: FileResult, policy: Policy) -> int:
        entries = [{"fingerprint": fingerprint(result.path, f), "kind": f.kind.value, "location": f.location}
                    for f in result.findings if acceptable(f, policy)]
        key = path_key(result.path)
        if entries:
            self.results[key] = entries
        else:
            self.results.pop(key, None)
        return len(entries)

    def to_json(self) -> str:
        doc: dict[str, Any] = {"version": VERSION, "generated_by": f"veil {__version__}",
                               "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
                               "results": {k: self.results[k] for k in sorted(self.results)}}
        return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def load_baseline(path: str | Path) -> Baseline:
    try:
        doc = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise UsageError(f"cannot read baseline {path}: {exc.strerror}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise UsageError(f"baseline {path} is not JSON") from None
    if not isinstance(doc, dict) or doc.get("version") != VERSION or not isinstance(doc.get("results"), dict):
        raise UsageError(f"baseline {path} is not a version {VERSION} Veil baseline")
    results: dict[str, list[dict[str, str]]] = {}
    for key, entries in doc["results"].items():
        if not isinstance(entries, list) or not all(isinstance(e, dict) and "fingerprint" in e for e in entries):
            raise UsageError(f"baseline {path}: the entries for one file are malformed")
        results[str(key)] = [{k: str(v) for k, v in e.items()} for e in entries]
    return Baseline(results)


def apply_baseline(result: FileResult, baseline: Baseline, policy: Policy) -> tuple[FileResult, int]:
    """The result with accepted findings set aside: the verdict and persons are those of the findings left.
    Returns the new result and how many findings the baseline accepted."""
    accepted = baseline.accepted(result.path)
    if not accepted:
        return result, 0
    kept = [f for f in result.findings if not (acceptable(f, policy) and fingerprint(result.path, f) in accepted)]
    dropped = len(result.findings) - len(kept)
    if not dropped:
        return result, 0
    blocking = [f.person_keys for f in kept if f.person_keys and policy.effect(f.kind) == "block"]
    persons = len(frozenset().union(*blocking)) if blocking else 0
    return replace(result, findings=kept, verdict=policy.verdict(kept), persons=persons), dropped
