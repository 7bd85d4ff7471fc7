"""The process pool: a worker that dies fails its files closed and a fresh pool checks the rest."""

from __future__ import annotations

import os
from pathlib import Path

from veil.policy import load_policy
from veil.readers.limits import Limits
from veil.watch import scanning
from veil.watch.scanning import Task

LEAK = b"Case notes\nGARCIA, Jose A123456789 granted asylum on 2021-03-04\n"


class _Killer(Task):
    """Unpickling this in a worker kills the worker, as an out-of-memory kill would."""

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (os._exit, (3,))


def test_a_dead_worker_fails_its_files_closed_and_the_rest_are_checked(tmp_path: Path) -> None:
    names = ["a.txt", "b.txt", "c.txt", "leak.txt"]
    for name in names:
        (tmp_path / name).write_bytes(LEAK if name == "leak.txt" else f"Bulletin {name}: nothing.\n".encode())
    tasks = [
        Task(str(tmp_path / "a.txt"), "a.txt", None),
        _Killer("x", "killer.txt", None),
        *(Task(str(tmp_path / n), n, None) for n in names[1:]),
    ]
    outcomes = {o.task.name: o for o in scanning._pooled(tasks, load_policy(), Limits(), jobs=1)}
    assert sorted(outcomes) == sorted([*names, "killer.txt"])  # every file has exactly one outcome
    killed = outcomes["killer.txt"].result
    assert killed is not None and killed.verdict.value == "unverifiable"
    assert "died" in killed.findings[0].message
    leak = outcomes["leak.txt"].result  # checked by the fresh pool
    assert leak is not None and leak.verdict.value == "block"
    for outcome in outcomes.values():
        assert outcome.result is not None and outcome.result.verdict.value in ("pass", "unverifiable", "block")


def test_the_sweeps_workers_die_with_their_parent(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A kill -9 of `veil serve` must not leave the sweep's workers behind: the pool starts them with
    `die_with_parent` (tests/workflow/test_gate_background.py shows that this initializer ends them)."""
    from veil.workflow.background import die_with_parent

    seen: list[object] = []
    real = scanning.ProcessPoolExecutor

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(kwargs.get("initializer"))
        return real(*args, **kwargs)

    monkeypatch.setattr(scanning, "ProcessPoolExecutor", spy)
    (tmp_path / "a.txt").write_bytes(b"Bulletin: nothing.\n")
    outcomes = list(scanning._pooled([Task(str(tmp_path / "a.txt"), "a.txt", None)], load_policy(), Limits(), 1))
    assert seen == [die_with_parent]
    assert outcomes[0].result is not None and outcomes[0].result.verdict.value == "pass"
