"""Bounds on what one check may consume, so hostile files end in `unverifiable` instead of a hang or an OOM.

`Limits` are the numbers; `Budget` is one top-level file's running state. Readers call `budget.check_time()` between
units (cooperative). `budget.enforce(check)` adds a watchdog over the whole check, readers AND detectors: when the
check runs past `seconds`, or the process's resident memory grows by more than `max_memory_bytes`, the watchdog
raises `BudgetExceeded` inside the checking thread at its next Python instruction, whatever code it is in. Code
that is inside a C extension at that moment (a regex, a Rust parser) sees it when it returns; the gate runs each
scan in a child process with an address-space limit and a wall-clock kill for that case (`veil.workflow.sandbox`).
"""

from __future__ import annotations

import ctypes
import os
import resource
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 512 * 1024 * 1024
    # zip-like containers (xlsx, docx, zip, ...)
    max_members: int = 10_000
    max_member_bytes: int = 1024 * 1024 * 1024
    max_total_uncompressed: int = 2 * 1024 * 1024 * 1024
    max_compression_ratio: float = 200.0
    # nesting of embedded files, archives within archives, attachments
    max_depth: int = 5
    # spreadsheets
    max_cells: int = 60_000_000
    # XML
    max_xml_bytes: int = 512 * 1024 * 1024
    # wall-clock budget for one top-level file: reading and detecting
    seconds: float = 300.0
    # growth of the process's resident memory while one file is checked (0: no memory bound)
    max_memory_bytes: int = 4 * 1024 * 1024 * 1024


class LimitExceeded(Exception):
    """Raised by a reader when a bound in Limits is crossed; the pipeline turns it into Unreadable."""


class BudgetExceeded(BaseException):
    """Raised asynchronously in the checking thread by the budget's watchdog. A BaseException, so that the
    `except Exception` of a reader or detector that fails closed part by part does not swallow it: the whole
    check stops, and the pipeline turns it into `unverifiable` with `Budget.exceeded` as the reason."""


@dataclass
class Budget:
    """The running state of one top-level file's check: the deadline, the memory baseline, and why it stopped."""

    limits: Limits = field(default_factory=Limits)
    started: float = field(default_factory=time.monotonic)
    exceeded: str = ""

    def check_time(self) -> None:
        if self.exceeded:
            raise LimitExceeded(self.exceeded)
        if time.monotonic() - self.started > self.limits.seconds:
            raise LimitExceeded(f"reading took longer than {self.limits.seconds:.0f} s")

    def over(self, baseline_rss: int) -> str:
        """Why the check is over its budget now, or ''."""
        if time.monotonic() - self.started > self.limits.seconds:
            return f"the check took longer than its {self.limits.seconds:g} s budget"
        if self.limits.max_memory_bytes and resident_bytes() - baseline_rss > self.limits.max_memory_bytes:
            return f"the check needed more than its {self.limits.max_memory_bytes >> 20:,} MB memory budget"
        return ""

    def enforce(self, check: Callable[[], T], poll: float = 0.05) -> T:
        """Run `check()` under the watchdog (see the module docstring); raises LimitExceeded with the reason when
        the budget ran out before `check()` returned."""
        watchdog = _Watchdog(self, threading.get_ident(), poll)
        watchdog.start()
        try:
            try:
                result = check()
            finally:
                watchdog.finish()
        except BudgetExceeded:
            watchdog.finish()  # again: the shot may have landed inside the first finish()
            raise LimitExceeded(self.exceeded or "the check ran out of its budget") from None
        if self.exceeded:  # a reader swallowed the shot and carried on: what it returned may be partial
            raise LimitExceeded(self.exceeded)
        return result


class _Watchdog(threading.Thread):
    # A reader that swallows BaseException (some catch polars' PanicException that way) would swallow the first
    # shot; it fires again every REFIRE seconds, a few times, and the cooperative check_time() also stops it.
    REFIRE = 1.0
    SHOTS = 5

    def __init__(self, budget: Budget, target: int, poll: float) -> None:
        super().__init__(name="veil-budget", daemon=True)
        self.budget, self.target, self.poll = budget, target, poll
        self.baseline = resident_bytes()
        self.lock = threading.Lock()
        self.done = threading.Event()
        self.pending = False

    def run(self) -> None:
        shots = 0
        while not self.done.wait(self.poll if not shots else self.REFIRE):
            reason = self.budget.exceeded or self.budget.over(self.baseline)
            if not reason:
                continue
            with self.lock:
                if self.done.is_set():
                    return
                self.budget.exceeded = reason
                self.pending = _raise_in_thread(self.target, BudgetExceeded)
            shots += 1
            if shots >= self.SHOTS:
                return

    def finish(self) -> None:
        """Stop watching; once this returns no shot is pending or can be fired."""
        for _ in range(self.SHOTS + 1):
            try:
                with self.lock:
                    self.done.set()
                    if self.pending:
                        _raise_in_thread(self.target, None)  # cancel a shot that has not landed yet
                        self.pending = False
                break
            except BudgetExceeded:  # a shot that landed here, in the thread being watched: already counted
                continue
        if self is not threading.current_thread():
            self.join()


def _raise_in_thread(thread_id: int, exc: type[BaseException] | None) -> bool:
    """Schedule `exc` in the thread (None clears a scheduled one): CPython's PyThreadState_SetAsyncExc."""
    done = ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id),
                                                      ctypes.py_object(exc) if exc else None)
    return bool(done)


_PAGE = os.sysconf("SC_PAGE_SIZE")


def resident_bytes() -> int:
    """The process's resident memory now (Linux /proc; elsewhere the peak so far, an upper bound)."""
    try:
        with open("/proc/self/statm", "rb") as fh:
            return int(fh.read().split()[1]) * _PAGE
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
