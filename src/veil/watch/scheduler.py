"""Sweeps on a schedule, right after each publication, as soon as the public tree changes, and on demand (an
external report, a button).

A daemon thread wakes every `poll` seconds: it sweeps when the interval has passed, when the gate recorded a new
publication since the last look (no hook into the gate is needed: the publications table says it), or when
`trigger()` was called. File-system events (fsevents.py) trigger a sweep of just the changed paths, a few seconds
after the tree went quiet; the interval's full sweep stays the safety net for events that never came. One failed
sweep is logged (its error type only) and the next one runs as planned.
"""

from __future__ import annotations

import logging
import os
import threading
import time

from sqlalchemy import func, select

from veil.store.models_releases import Publication
from veil.watch.fsevents import EventSettings, TreeWatcher
from veil.watch.service import WatchService
from veil.workflow.background import WakeableThread

log = logging.getLogger(__name__)
FILE_CHANGE = "file-change"
MAX_PENDING_PATHS = 100_000  # beyond this, one full sweep is cheaper than remembering every path


class SweepScheduler(WakeableThread):
    def __init__(self, service: WatchService, interval: float | None = None, poll: float = 1.0,
                 events: EventSettings | None = None) -> None:
        super().__init__("veil-sweeper")
        self.service = service
        self.interval = interval if interval is not None else service.config.interval
        self.poll = poll
        self.events = events if events is not None else EventSettings.from_env()
        self.watcher = TreeWatcher(service.root, self._changed, self.events) if self.events.enabled else None
        self._requested: str | None = None
        self._pending: set[str] = set()
        self._overflow = False
        self._pending_lock = threading.Lock()
        self._last_publication = self._latest_publication()
        self.runs = 0
        self.event_runs = 0
        self.last_error = ""

    def start(self) -> None:
        super().start()
        if self.watcher is not None:
            self.watcher.start()

    def stop(self, timeout: float = 30.0) -> None:
        if self.watcher is not None:
            self.watcher.stop()
        super().stop(timeout)

    def _latest_publication(self) -> int:
        with self.service.gate.db.read() as s:
            return int(s.scalar(select(func.max(Publication.id))) or 0)

    def trigger(self, reason: str = "manual") -> None:
        """Sweep everything now (`reason` is recorded with the run)."""
        self._requested = reason
        self.wake()

    def _changed(self, paths: set[str]) -> None:
        """From the tree watcher's thread: remember the paths, wake the sweeper."""
        with self._pending_lock:
            self._pending |= paths
            if len(self._pending) > MAX_PENDING_PATHS:
                self._pending.clear()
                self._overflow = True
        self.wake()

    def _take_pending(self) -> tuple[set[str], bool]:
        with self._pending_lock:
            paths, overflow = self._pending, self._overflow
            self._pending, self._overflow = set(), False
        return paths, overflow

    def _loop(self) -> None:
        due = time.monotonic()  # a first sweep at start-up
        while not self._stop.is_set():
            if self._wake.wait(max(0.0, min(self.poll, due - time.monotonic()))):
                self._wake.clear()
            if self._stop.is_set():
                return
            reason, self._requested = self._requested, None
            paths, overflow = self._take_pending()
            try:
                latest = self._latest_publication()
                if latest != self._last_publication:
                    self._last_publication, reason = latest, reason or "publication"
                if reason is None and (overflow or time.monotonic() >= due):
                    reason = FILE_CHANGE if overflow else "schedule"
                if reason is None:
                    # just the changed paths still there (a takedown's own move is an event too); the interval's
                    # full sweep keeps its own schedule
                    paths = {p for p in paths if os.path.lexists(self.service.root / p)}
                    if paths:
                        self.service.sweep(trigger=FILE_CHANGE, only=paths)
                        self.runs += 1
                        self.event_runs += 1
                        self.last_error = ""
                    continue
                self.service.sweep(trigger=reason)  # everything, the changed paths included
                self.runs += 1
                self.last_error = ""
            except Exception as exc:  # noqa: BLE001 - the watch must outlive one bad sweep
                self.last_error = type(exc).__name__
                log.error("sweep failed: %s", type(exc).__name__)
                if reason is None:
                    with self._pending_lock:  # the changed paths are looked at again, not forgotten
                        self._pending |= paths
                    self._stop.wait(min(self.poll, 1.0))
                    continue
            due = time.monotonic() + self.interval
