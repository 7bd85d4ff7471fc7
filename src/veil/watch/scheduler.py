"""Sweeps on a schedule, right after each publication, and on demand (an external report, a button).

A daemon thread wakes every `poll` seconds: it sweeps when the interval has passed, when the gate recorded a new
publication since the last look (no hook into the gate is needed: the publications table says it), or when
`trigger()` was called. One failed sweep is logged (its error type only) and the next one runs as planned.
"""

from __future__ import annotations

import logging
import time

from sqlalchemy import func, select

from veil.store.models_releases import Publication
from veil.watch.service import WatchService
from veil.workflow.background import WakeableThread

log = logging.getLogger(__name__)


class SweepScheduler(WakeableThread):
    def __init__(self, service: WatchService, interval: float | None = None, poll: float = 1.0) -> None:
        super().__init__("veil-sweeper")
        self.service = service
        self.interval = interval if interval is not None else service.config.interval
        self.poll = poll
        self._reason = "manual"
        self._last_publication = self._latest_publication()
        self.runs = 0
        self.last_error = ""

    def _latest_publication(self) -> int:
        with self.service.gate.db.read() as s:
            return int(s.scalar(select(func.max(Publication.id))) or 0)

    def trigger(self, reason: str = "manual") -> None:
        self._reason = reason
        self.wake()

    def _loop(self) -> None:
        due = time.monotonic()  # a first sweep at start-up
        while not self._stop.is_set():
            woken = self._wake.wait(max(0.0, min(self.poll, due - time.monotonic())))
            if self._stop.is_set():
                return
            reason = None
            if woken:
                self._wake.clear()
                reason = self._reason
            try:
                latest = self._latest_publication()
                if latest != self._last_publication:
                    self._last_publication, reason = latest, reason or "publication"
                if reason is None and time.monotonic() >= due:
                    reason = "schedule"
                if reason is None:
                    continue
                self.service.sweep(trigger=reason)
                self.runs += 1
                self.last_error = ""
            except Exception as exc:  # noqa: BLE001 - the watch must outlive one bad sweep
                self.last_error = type(exc).__name__
                log.error("sweep failed: %s", type(exc).__name__)
            due = time.monotonic() + self.interval
