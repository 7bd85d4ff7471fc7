"""Child processes die with their parent, also when the parent is killed with SIGKILL: the function a process pool
uses as its initializer (the sweeper's pool, the scan sandbox)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

POOL = textwrap.dedent("""
    import multiprocessing, time
    from concurrent.futures import ProcessPoolExecutor
    from veil.workflow.background import die_with_parent

    def nap(_):
        time.sleep(600)

    if __name__ == "__main__":
        pool = ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn"),
                                   initializer={initializer})
        futures = [pool.submit(nap, i) for i in range(2)]
        time.sleep(3)
        print("ready", flush=True)
        time.sleep(600)
""")


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _orphans_after_kill(tmp_path: Path, initializer: str) -> set[int]:
    script = tmp_path / "pool.py"
    script.write_text(POOL.format(initializer=initializer))
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    kids = _descendants(proc.pid)
    assert len(kids) >= 2  # two workers (and multiprocessing's resource tracker)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(_alive(k) for k in kids):
        time.sleep(0.05)
    left = {k for k in kids if _alive(k)}
    for pid in left:  # the control case leaves them: clean up what this test started
        os.kill(pid, signal.SIGKILL)
    return left


def test_pool_workers_with_die_with_parent_end_when_the_parent_is_killed(tmp_path: Path) -> None:
    assert _orphans_after_kill(tmp_path, "die_with_parent") == set()


def test_without_it_they_are_orphaned(tmp_path: Path) -> None:
    """The control: what each kill -9 of `veil serve` left behind (3 processes) before."""
    assert _orphans_after_kill(tmp_path, "None")
