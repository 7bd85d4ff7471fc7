"""A daemon thread that loops until stopped and can be woken early: the scan workers and the sweep scheduler."""

from __future__ import annotations

import threading


class WakeableThread:
    """Subclasses write `_loop()`, which waits on `self._wake` between rounds and returns once `self._stop` is set."""

    def __init__(self, thread_name: str) -> None:
        self._thread_name = thread_name
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name=self._thread_name, daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Look now instead of at the next poll."""
        self._wake.set()

    def stop(self, timeout: float = 30.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        raise NotImplementedError
