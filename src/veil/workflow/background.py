"""Background work that must not outlive its owner: a daemon thread that loops until stopped and can be woken
early (the scan workers and the sweep scheduler), and `die_with_parent()` for child processes.

A child process started by `veil serve` (a scan sandbox, a sweep's process pool) must end when the server ends,
also when the server is killed with SIGKILL and has no chance to clean up. On Linux the kernel does it: the child
asks for SIGKILL when its parent goes (prctl PR_SET_PDEATHSIG). Elsewhere, and as a second line, a thread in the
child polls its parent's pid and exits when the parent is gone (the child is then re-parented).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading

_PR_SET_PDEATHSIG = 1
_WATCH_PERIOD = 1.0


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


def die_with_parent(parent_pid: int | None = None) -> None:
    """Call first thing in a child process (a process pool's `initializer=die_with_parent` works): the child is
    killed when its parent dies. `parent_pid` is the parent the child expects; without it, the parent at call time.
    Note that on Linux "parent" means the parent *thread*: start the child from a thread that lives as long as the
    child should."""
    expected = parent_pid or os.getppid()
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != expected:  # the parent died before the line above took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(expected,), name="veil-parent-watch", daemon=True).start()


def _watch_parent(expected: int) -> None:
    gone = threading.Event()
    while not gone.wait(_WATCH_PERIOD):
        if os.getppid() != expected:
            os._exit(1)  # no clean-up: the parent that would receive the results is gone
