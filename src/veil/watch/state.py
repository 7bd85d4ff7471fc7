"""The sweeper's inventory: what it saw last time for each public file, in a small SQLite file.

One row per (target, path): the stat fingerprint (size, mtime, ctime, inode) or the HTTP validators (ETag,
Last-Modified), the sha256, when Veil first saw the file, and the last scan's verdict with its masked findings and
the scanner/policy versions it ran under. A file whose fingerprint and versions match is not read again, which is
what makes a sweep of 100,000 unchanged files take seconds. Findings stored here are the checker's masked ones.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from veil.findings import FileResult, Finding, Verdict, kind_of

FORMAT_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    target TEXT NOT NULL, path TEXT NOT NULL,
    size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, ctime_ns INTEGER NOT NULL, ino INTEGER NOT NULL,
    etag TEXT NOT NULL DEFAULT '', last_modified TEXT NOT NULL DEFAULT '',
    sha256 TEXT NOT NULL, first_seen TEXT NOT NULL,
    verdict TEXT NOT NULL, scanner_version TEXT NOT NULL, policy_version TEXT NOT NULL,
    result TEXT NOT NULL,
    PRIMARY KEY (target, path)
);
"""
_COLUMNS = ("path", "size", "mtime_ns", "ctime_ns", "ino", "etag", "last_modified", "sha256", "first_seen",
            "verdict", "scanner_version", "policy_version", "result")


@dataclass
class Known:
    """What the last sweep recorded about one file. `result` is the JSON of the masked scan result."""

    path: str
    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int
    etag: str
    last_modified: str
    sha256: str
    first_seen: str
    verdict: str
    scanner_version: str
    policy_version: str
    result: str = ""  # "" until read: `SweepState.load` leaves results out

    def fingerprint(self) -> tuple[int, int, int, int]:
        return (self.size, self.mtime_ns, self.ctime_ns, self.ino)


class StateError(Exception):
    """The state file cannot be opened or is not a sweep state file."""


class SweepState:
    """The inventory of one or more sweep targets, in one SQLite file (created 0600: it names public files and
    holds masked findings)."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if not self.path.exists():
                os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
            self._db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.executescript(_SCHEMA)
            row = self._db.execute("SELECT value FROM meta WHERE key='format'").fetchone()
            if row is None:
                with self._db:
                    self._db.execute("INSERT INTO meta VALUES ('format', ?)", (str(FORMAT_VERSION),))
            elif int(row[0]) > FORMAT_VERSION:
                raise StateError(f"the state file {self.path} was written by a newer Veil")
        except (sqlite3.DatabaseError, OSError, ValueError) as exc:
            raise StateError(f"cannot use the state file {self.path} ({type(exc).__name__})") from None

    def load(self, target: str) -> dict[str, Known]:
        """Everything but the stored results (read on demand by `result_of`: most files pass and need none)."""
        rows = self._db.execute(f"SELECT {', '.join(_COLUMNS[:-1])} FROM files WHERE target=?", (target,))
        return {r[0]: Known(*r) for r in rows}

    def result_of(self, target: str, path: str) -> str:
        row = self._db.execute("SELECT result FROM files WHERE target=? AND path=?", (target, path)).fetchone()
        return str(row[0]) if row else ""

    def save(self, target: str, changed: list[Known], vanished: list[str]) -> None:
        """Record changed files and forget vanished ones, in one transaction (nothing half-written)."""
        with self._db:
            self._db.executemany(
                f"INSERT OR REPLACE INTO files (target, {', '.join(_COLUMNS)}) "
                f"VALUES (?, {', '.join('?' for _ in _COLUMNS)})",
                [(target, *(getattr(k, c) for c in _COLUMNS)) for k in changed])
            self._db.executemany("DELETE FROM files WHERE target=? AND path=?", [(target, p) for p in vanished])

    def close(self) -> None:
        self._db.close()


def result_json(result: FileResult) -> str:
    """The masked part of a scan result worth keeping: verdict, format, persons and findings."""
    return json.dumps({
        "format": result.format, "persons": result.persons,
        "findings": [{"kind": str(f.kind), "location": f.location, "visible": f.visible, "message": f.message,
                      "detector": f.detector, "visibility": f.visibility, "samples": list(f.samples),
                      "evidence": list(f.evidence), "cells": list(f.cells)} for f in result.findings],
    }, ensure_ascii=False)


def result_from_json(known: Known, path: str) -> FileResult:
    data: dict[str, Any] = json.loads(known.result or "{}")
    findings = []
    for f in data.get("findings", []):
        # A kind this Veil does not know (a plugin's, or a newer Veil's) stays itself: the policy gives an unknown
        # kind `review`, never less.
        kind = kind_of(str(f["kind"]))
        findings.append(Finding(kind, f["location"], bool(f["visible"]), f["message"], f.get("detector", ""),
                                tuple(f.get("evidence", ())), tuple(f.get("samples", ())),
                                f.get("visibility", "visible"), cells=tuple(f.get("cells", ()))))
    return FileResult(path=path, sha256=known.sha256, size=known.size, format=data.get("format", ""),
                      verdict=Verdict(known.verdict), persons=int(data.get("persons", 0)), findings=findings)
