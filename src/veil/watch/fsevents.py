"""The public tree's changes as they happen: file-system events (inotify on Linux, FSEvents on macOS,
ReadDirectoryChangesW on Windows, through `watchfiles`), so a file dropped behind the gate is swept within seconds
instead of at the next interval. The periodic sweep stays as the safety net: events can be lost (a watch limit
reached, a network filesystem that sends none, the tree replaced), a sweep on schedule cannot.

Debounced: after the first change, changes are collected until the tree has been quiet for `settle` seconds (a
file being written keeps changing), and at most for `max_wait` seconds; then the changed paths are handed on at once.
Nothing is filtered out: dot-files and temp-file names are exactly what someone might hide a roster under.

    VEIL_SWEEP_EVENTS   1 (default) to sweep on file-system events, 0 to sweep on the interval only
    VEIL_SWEEP_SETTLE   seconds of quiet before a sweep (default 2)

A site that is a bucket has no local tree to watch: point the bucket's event notifications (S3 event notifications
through SNS or EventBridge, GCS Pub/Sub push, Azure Event Grid) at `POST /api/watch/sweep` with a token of a user
who may sweep (see docs/sweep.md).
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import watchfiles

from veil.errors import UsageError

log = logging.getLogger(__name__)
RETRY_SECONDS = 5.0


@dataclass(frozen=True)
class EventSettings:
    enabled: bool = True
    settle: float = 2.0
    max_wait: float = 10.0

    def __post_init__(self) -> None:
        if not 0.05 <= self.settle <= 60 or not self.settle <= self.max_wait <= 300:
            raise UsageError("VEIL_SWEEP_SETTLE is a number of seconds between 0.05 and 60")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> EventSettings:
        env = os.environ if env is None else env
        enabled = env.get("VEIL_SWEEP_EVENTS", "1").strip().lower() not in ("0", "false", "no", "off")
        try:
            settle = float(env.get("VEIL_SWEEP_SETTLE", cls.settle))
        except ValueError:
            raise UsageError("VEIL_SWEEP_SETTLE must be a number of seconds") from None
        return cls(enabled=enabled, settle=settle, max_wait=max(cls.max_wait, settle))


class TreeWatcher:
    """Calls `on_change(paths)` (POSIX paths relative to `root`) from its own thread whenever the tree changed."""

    def __init__(self, root: str | Path, on_change: Callable[[set[str]], None],
                 settings: EventSettings | None = None) -> None:
        self.root = Path(root)
        self.on_change = on_change
        self.settings = settings or EventSettings()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.ready = threading.Event()  # set once the watch is in place (tests wait for it)
        self.last_error = ""

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="veil-tree-watcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self._watch()
            except Exception as exc:  # noqa: BLE001 - the tree vanished, a watch limit: the interval sweep covers it
                self.last_error = type(exc).__name__
                log.warning("file-system events stopped (%s); retrying in %.0f s, the periodic sweep goes on",
                            type(exc).__name__, RETRY_SECONDS)
                self.ready.clear()
                self._stop.wait(RETRY_SECONDS)

    def _watch(self) -> None:
        roots = {str(self.root.absolute()), str(self.root.resolve())}
        changes = watchfiles.watch(self.root, watch_filter=None, debounce=int(self.settings.max_wait * 1000),
                                   step=int(self.settings.settle * 1000), stop_event=self._stop,
                                   rust_timeout=500, yield_on_timeout=True, raise_interrupt=False)
        for batch in changes:
            self.ready.set()
            paths = {rel for _change, path in batch if (rel := _relative(path, roots))}
            if paths:
                self.last_error = ""
                self.on_change(paths)


def _relative(path: str, roots: set[str]) -> str:
    for root in roots:
        rel = os.path.relpath(path, root)
        if rel != "." and not rel.startswith(".."):
            return Path(rel).as_posix()
    return ""
