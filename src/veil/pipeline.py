"""The whole check of one file: bytes -> readers -> units -> detectors -> findings -> verdict.

This is the library entry point the CLI, the web service, the sweeper and the screener all call."""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from pathlib import Path

from veil import __version__
from veil.detectors import analyse
from veil.detectors.people import count_people
from veil.detectors.recognizers import using
from veil.findings import FileResult, Finding, Kind
from veil.policy import Policy, load_policy
from veil.readers.file_names import base_name, name_unit
from veil.readers.limits import Budget, LimitExceeded, Limits
from veil.readers.registry import ReadContext, read_blob
from veil.readers.sniff import sniff
from veil.readers.units import Unit
from veil.shown_names import FileNames

SCANNER_VERSION = __version__
_HASH_ASIDE_BYTES = 4 << 20


def check_bytes(blob: bytes, name: str = "-", policy: Policy | None = None, limits: Limits | None = None) -> FileResult:
    """Check one file's bytes and return its result. Never raises on bad input."""
    policy = policy or load_policy()
    started = time.perf_counter()
    digest = _sha256_meanwhile(blob)
    budget = Budget(limits or Limits())
    ctx = ReadContext(name=name, budget=budget)
    names = FileNames()
    try:
        # One budget over reading AND detecting: a file whose detectors would run for hours is unverifiable.
        with using(policy.recognizers):
            findings = budget.enforce(
                lambda: names.masked(analyse(names.watch(_own_name(name), read_blob(blob, ctx)), policy.thresholds)))
    except LimitExceeded as exc:
        findings = [_stopped(f"Veil stopped checking this file: {exc}")]
    except BaseException as exc:
        # Rust-backed libraries (polars, calamine) raise pyo3's PanicException, not an Exception, also from inside
        # a detector: the file fails closed instead of the caller getting a traceback.
        if type(exc).__name__ != "PanicException":
            raise
        findings = [_stopped("Veil could not analyse this file (a parser library failed on it)")]
    return _result(name, blob, sniff(blob, name), findings, policy, time.perf_counter() - started,
                   sha=digest())


def _own_name(name: str) -> Iterator[Unit]:
    """The file's own name is published with it: its last part is checked as text (not the folders it was
    checked from, which are the checker's own)."""
    unit = name_unit(base_name(name)) if name and name != "-" else None
    if unit is not None:
        yield unit


def check_path(path: str | Path, policy: Policy | None = None, limits: Limits | None = None) -> FileResult:
    """Check one file on disk. Unreadable paths (permissions, too large) give an `unverifiable` result."""
    path = Path(path)
    limits = limits or Limits()
    policy = policy or load_policy()
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            finding = Finding(Kind.UNREADABLE, "(file)", False,
                              f"file is larger than the {limits.max_file_bytes} byte limit", "reader")
            return _result(str(path), b"", "too-large", [finding], policy, 0.0, size=size, sha=_sha_file(path))
        blob = path.read_bytes()
    except OSError as exc:
        finding = Finding(Kind.UNREADABLE, "(file)", False, f"cannot read the file: {exc.strerror}", "reader")
        return _result(str(path), b"", "unreadable", [finding], policy, 0.0)
    return check_bytes(blob, str(path), policy, limits)


def _stopped(reason: str) -> Finding:
    return Finding(Kind.UNREADABLE, "(file)", False, reason, "pipeline", visibility="unreadable")


def failed_result(path: str, reason: str, policy: Policy | None = None) -> FileResult:
    """The result for a file Veil could not check at all: unverifiable, with the reason."""
    return _result(path, b"", "unknown", [_stopped(reason)], policy or load_policy(), 0.0)


def _sha256_meanwhile(blob: bytes) -> Callable[[], str]:
    """The file's SHA-256, to be collected later. A large file is hashed on the other core while it is read and
    analysed (hashlib lets go of the GIL), which takes a tenth of a second off a 100 MB file. A thread per file
    rather than a shared pool: a pool's thread does not survive a fork, and this is a library entry point."""
    if len(blob) < _HASH_ASIDE_BYTES:
        digest = hashlib.sha256(blob).hexdigest()
        return lambda: digest
    future: Future[str] = Future()

    def work() -> None:
        try:
            future.set_result(hashlib.sha256(blob).hexdigest())
        except Exception as exc:  # noqa: BLE001 - handed to the caller, who re-raises it
            future.set_exception(exc)

    threading.Thread(target=work, name="veil-sha256", daemon=True).start()
    return future.result


def _sha_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _result(name: str, blob: bytes, fmt: str, findings: list[Finding], policy: Policy, seconds: float,
            size: int | None = None, sha: str | None = None) -> FileResult:
    # Each person once across the file's findings: one identity (identifier, else name + birth date, else name)
    # whether a table, prose or a part inside the file names them.
    persons = count_people([f.person_keys for f in findings if f.person_keys and policy.effect(f.kind) == "block"])
    return FileResult(
        path=name,
        sha256=sha or hashlib.sha256(blob).hexdigest(),
        size=len(blob) if size is None else size,
        format=fmt,
        verdict=policy.verdict(findings),
        persons=persons,
        findings=findings,
        seconds=seconds,
    )
