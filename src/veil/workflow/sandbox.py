"""The gate's scanner: each scan in a child process with its own time and memory limit, so that one file cannot
hold the scan queue or take the server down with it.

    scan worker thread ──(policy once; then name + bytes)──► child: python -m veil.workflow.sandbox
                       ◄──────────(the result, as JSON)────── RLIMIT_AS = memory limit; dies with its parent

- Time: the child checks under the pipeline's budget (`Limits.seconds`: `unverifiable` with the reason); if it
  has not answered `grace` seconds after that, the parent kills it and the file is `unverifiable`.
- Memory: the child's address space is limited (RLIMIT_AS). A Python allocation over it is a MemoryError, which
  the readers and the pipeline turn into `unverifiable`; a native parser that aborts kills only the child, and
  the file is `unverifiable` with the reason.
- The child is reused for the next scans (starting Python and the readers costs about a second) and replaced after
  a kill, a crash, or `scans_per_child` scans. It dies with its parent (`die_with_parent`).
- Results come back as JSON, not pickle: the child reads hostile files, so nothing it sends is executed.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import os
import resource
import subprocess
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from veil.findings import FileResult, Finding, FindingKind, Kind, Verdict, kind_of
from veil.pipeline import check_bytes
from veil.policy import Policy
from veil.readers.limits import Limits
from veil.workflow.background import die_with_parent

log = logging.getLogger(__name__)
_READY = b"ready"
_START_SECONDS = 120.0


@dataclass(frozen=True)
class ScanLimits:
    """Per-scan bounds of the gate (`veil serve --scan-seconds/--scan-memory-mb`)."""

    seconds: float = 300.0
    memory_bytes: int = 4 << 30
    grace: float = 15.0
    scans_per_child: int = 200


def unverifiable(sha256: str, reason: str, detector: str = "gate") -> FileResult:
    """The result of a scan that could not finish: fails closed, with the reason a reviewer reads."""
    finding = Finding(Kind.UNREADABLE, "(file)", False, reason, detector, visibility="unreadable")
    return FileResult(path="-", sha256=sha256, size=0, format="", verdict=Verdict.UNVERIFIABLE, persons=0,
                      findings=[finding])


class SandboxScanner:
    """A `Scanner` (blob, name) -> FileResult that runs each scan in a child process. One child per calling
    thread (each scan worker thread has its own); `close()` ends them all."""

    # How a child starts; its arguments follow (tests start one whose checker misbehaves on purpose).
    entry: tuple[str, ...] = (sys.executable, "-m", "veil.workflow.sandbox")

    def __init__(self, policy: Policy, limits: ScanLimits | None = None) -> None:
        self.policy, self.limits = policy, limits or ScanLimits()
        self._children: dict[int, _Child] = {}
        self._lock = threading.Lock()

    def __call__(self, blob: bytes, name: str) -> FileResult:
        with self._lock:
            child = self._children.setdefault(threading.get_ident(), _Child(self.policy, self.limits, self.entry))
        return child.scan(blob, name)

    def close(self) -> None:
        with self._lock:
            children, self._children = list(self._children.values()), {}
        for child in children:
            child.stop()

    def pids(self) -> list[int]:
        """The running children (tests look for orphans)."""
        with self._lock:
            return [c.proc.pid for c in self._children.values() if c.proc is not None and c.proc.poll() is None]


class _Child:
    def __init__(self, policy: Policy, limits: ScanLimits, entry: tuple[str, ...]) -> None:
        self.policy, self.limits, self.entry = policy, limits, entry
        self.proc: subprocess.Popen[bytes] | None = None
        self.requests: Connection | None = None
        self.results: Connection | None = None
        self.scans = 0

    def scan(self, blob: bytes, name: str) -> FileResult:
        sha = hashlib.sha256(blob).hexdigest()
        if self.proc is None or self.proc.poll() is not None or self.scans >= self.limits.scans_per_child:
            self.stop()
            problem = self._start()
            if problem:
                return unverifiable(sha, problem)
        # Local references: `stop()` from another thread (a shutting-down worker) may clear the attributes.
        proc, requests, results = self.proc, self.requests, self.results
        assert proc is not None and requests is not None and results is not None
        self.scans += 1
        try:
            requests.send((name, self.limits.seconds))
            requests.send_bytes(blob)
            answered = results.poll(self.limits.seconds + self.limits.grace)
        except OSError:
            answered = True  # the child is gone; recv below says so
        if not answered:
            self.stop()
            return unverifiable(sha, f"the scan took longer than {self.limits.seconds:.0f} s and was stopped")
        try:
            return result_from_json(results.recv_bytes())
        except (EOFError, OSError):
            return unverifiable(sha, self._death_reason(proc))
        except (ValueError, KeyError, TypeError):
            self.stop()
            return unverifiable(sha, "the scanning process sent a malformed result")

    def _start(self) -> str:
        """Start the child and wait until it has loaded the readers; '' or why it could not start."""
        from_parent, to_child = os.pipe()  # (read end, write end)
        from_child, to_parent = os.pipe()
        command = [*self.entry, "--parent", str(os.getpid()),
                   "--memory", str(self.limits.memory_bytes), "--requests", str(from_parent),
                   "--results", str(to_parent)]
        try:
            self.proc = subprocess.Popen(command, pass_fds=(from_parent, to_parent), stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        finally:
            os.close(from_parent)
            os.close(to_parent)
        self.requests = Connection(to_child, readable=False)
        self.results = Connection(from_child, writable=False)
        self.scans = 0
        try:
            self.requests.send(self.policy)
            if self.results.poll(_START_SECONDS) and self.results.recv_bytes() == _READY:
                return ""
        except (EOFError, OSError):
            pass
        self.stop()
        return "the scanning process could not start"

    def _death_reason(self, proc: subprocess.Popen[bytes]) -> str:
        try:
            code = proc.wait(5)
        except subprocess.TimeoutExpired:
            code = None
        self.stop()
        if code is not None and code < 0 and -code == 9:
            return "the scanning process was killed (out of memory?) while reading this file"
        return "the scanning process crashed on this file (it ran out of memory or a parser failed)"

    def stop(self) -> None:
        for conn in (self.requests, self.results):
            if conn is not None:
                conn.close()
        self.requests = self.results = None
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.kill()
            self.proc.wait()
            self.proc = None


def result_to_json(result: FileResult) -> bytes:
    findings = [{"kind": str(f.kind), "location": f.location, "visible": f.visible, "message": f.message,
                 "detector": f.detector, "evidence": list(f.evidence), "samples": list(f.samples),
                 "visibility": f.visibility, "cells": list(f.cells)} for f in result.findings]
    doc = {"path": result.path, "sha256": result.sha256, "size": result.size, "format": result.format,
           "verdict": result.verdict.value, "persons": result.persons, "seconds": result.seconds,
           "findings": findings}
    return json.dumps(doc, ensure_ascii=False).encode("utf-8")


def result_from_json(raw: bytes) -> FileResult:
    doc: dict[str, Any] = json.loads(raw)
    findings = [Finding(kind=_kind(f["kind"]), location=str(f["location"]), visible=bool(f["visible"]),
                        message=str(f["message"]), detector=str(f["detector"]),
                        evidence=tuple(map(str, f["evidence"])), samples=tuple(map(str, f["samples"])),
                        visibility=str(f["visibility"]), cells=tuple(map(str, f["cells"])))
                for f in doc["findings"]]
    return FileResult(path=str(doc["path"]), sha256=str(doc["sha256"]), size=int(doc["size"]),
                      format=str(doc["format"]), verdict=Verdict(doc["verdict"]), persons=int(doc["persons"]),
                      findings=findings, seconds=float(doc["seconds"]))


def _kind(value: str) -> FindingKind:
    return kind_of(value)  # a plug-in's kind stays itself: the policy looks it up by name


def _serve(requests: Connection, results: Connection, memory_bytes: int) -> None:
    policy: Policy = requests.recv()  # from the parent, which is trusted (the other direction is JSON)
    results.send_bytes(_READY)
    while True:
        try:
            name, seconds = requests.recv()
            blob = requests.recv_bytes()
        except EOFError:
            return
        limits = Limits(seconds=float(seconds), max_memory_bytes=memory_bytes // 2)
        try:
            result = check_bytes(blob, str(name), policy, limits)
        except MemoryError:
            result = unverifiable(hashlib.sha256(blob).hexdigest(), "the file needs more memory than a scan may use")
        except Exception as exc:  # noqa: BLE001 - the check never raises on bad input; if it does, fail closed
            result = unverifiable(hashlib.sha256(blob).hexdigest(), f"the scan failed ({type(exc).__name__})")
        del blob
        results.send_bytes(result_to_json(result))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="veil-sandbox", description="One scan process of the gate (internal).")
    parser.add_argument("--parent", type=int, required=True)
    parser.add_argument("--memory", type=int, required=True)
    parser.add_argument("--requests", type=int, required=True)
    parser.add_argument("--results", type=int, required=True)
    args = parser.parse_args(argv)
    die_with_parent(args.parent)
    logging.disable(logging.CRITICAL)  # nothing a parser says reaches a log from here (it could carry values)
    if args.memory:
        resource.setrlimit(resource.RLIMIT_AS, (args.memory, args.memory))
    _serve(Connection(args.requests, writable=False), Connection(args.results, readable=False), args.memory)


if __name__ == "__main__":
    main()
