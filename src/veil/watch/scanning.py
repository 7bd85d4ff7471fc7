"""Hashing and checking the files that changed since the last sweep, in a process pool.

A worker reads a file once, hashes it and, unless the hash is the one already checked under today's scanner and
policy, runs the checker on the bytes. Memory stays bounded: at most `2 × jobs` files are in flight, each capped
by `Limits.max_file_bytes` (larger files are hashed in chunks and reported as unverifiable by the pipeline).
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass

from veil.findings import FileResult
from veil.policy import Policy
from veil.readers.limits import Limits
from veil.workflow.background import die_with_parent

Scanner = Callable[[bytes, str], FileResult]
# A spawned worker needs seconds to start (a fresh interpreter importing the checker) while a small file is checked
# in tens of milliseconds: below these amounts of work, checking in this process is faster.
POOL_MIN_FILES = 200
POOL_MIN_BYTES = 32 * 1024 * 1024
MAX_POOL_RESTARTS = 3


@dataclass(frozen=True)
class Task:
    path: str  # where to read
    name: str  # the name reports use (the public path)
    known_sha256: str | None  # skip the check when the bytes still hash to this (already checked, same versions)
    size: int = 0  # as listed (to decide whether a pool pays off)


@dataclass
class Outcome:
    task: Task
    sha256: str
    size: int
    result: FileResult | None  # None: same bytes as known_sha256, nothing checked


def read_file(path: str, limit: int) -> bytes | None:
    """The file's bytes, or None when it is larger than `limit` (the caller hashes it in chunks instead)."""
    with open(path, "rb") as fh:
        blob = fh.read(limit + 1)
    return None if len(blob) > limit else blob


def _hash_file(path: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def run_task(task: Task, policy: Policy, limits: Limits, scanner: Scanner | None = None) -> Outcome:
    """Hash and (when needed) check one file. Never raises: failures are unverifiable results."""
    from veil.pipeline import check_bytes, check_path, failed_result

    try:
        blob = read_file(task.path, limits.max_file_bytes)
        if blob is None:
            sha, size = _hash_file(task.path)
            if sha == task.known_sha256:
                return Outcome(task, sha, size, None)
            result = check_path(task.path, policy, limits)
            result.path, result.sha256 = task.name, sha
            return Outcome(task, sha, size, result)
        sha = hashlib.sha256(blob).hexdigest()
        if sha == task.known_sha256:
            return Outcome(task, sha, len(blob), None)
        result = scanner(blob, task.name) if scanner else check_bytes(blob, task.name, policy, limits)
        return Outcome(task, sha, len(blob), result)
    except OSError as exc:
        reason = f"cannot read the file: {exc.strerror or type(exc).__name__}"
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop the sweep, and never passes
        reason = f"Veil failed on this file (internal {type(exc).__name__})"
    failed = failed_result(task.name, reason, policy)
    return Outcome(task, "", 0, failed)


def _pool_task(args: tuple[Task, Policy, Limits]) -> Outcome:
    return run_task(*args)


def run_tasks(
    tasks: list[Task], policy: Policy, limits: Limits, jobs: int = 0, scanner: Scanner | None = None
) -> Iterator[Outcome]:
    """Outcomes in completion order. A custom `scanner` (tests, the service's) runs in this process."""
    jobs = jobs or os.cpu_count() or 1
    work = sum(t.size for t in tasks)
    if scanner is not None or jobs <= 1 or len(tasks) < 2 or (len(tasks) < POOL_MIN_FILES and work < POOL_MIN_BYTES):
        for task in tasks:
            yield run_task(task, policy, limits, scanner)
        return
    yield from _pooled(list(tasks), policy, limits, jobs)


def _pooled(tasks: list[Task], policy: Policy, limits: Limits, jobs: int) -> Iterator[Outcome]:
    """Run `tasks` in a spawn pool. A worker that dies (out of memory, killed) breaks the whole pool: the files
    that were in flight fail closed (one of them killed it) and a fresh pool takes the rest, a few times at most."""
    # spawn, not fork: forking a process whose polars thread pool is running deadlocks the children
    context = multiprocessing.get_context("spawn")
    queue = list(reversed(tasks))
    for _attempt in range(MAX_POOL_RESTARTS + 1):
        pending: dict[Future[Outcome], Task] = {}
        # the workers die with this process, also when it is killed with SIGKILL (no orphans of `veil serve`)
        workers = max(1, min(jobs, len(queue)))
        with ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=die_with_parent) as pool:
            try:
                while queue or pending:
                    while queue and len(pending) < 2 * jobs:
                        task = queue.pop()
                        pending[pool.submit(_pool_task, (task, policy, limits))] = task
                    yield from _collect(pending, policy)
                return
            except BrokenProcessPool:
                for task in pending.values():
                    yield _failed(task, policy, "the checking process died on this file or one checked with it")
    for task in reversed(queue):
        yield _failed(task, policy, "not checked: the checking processes kept dying")


def _failed(task: Task, policy: Policy, reason: str) -> Outcome:
    from veil.pipeline import failed_result

    return Outcome(task, "", 0, failed_result(task.name, reason, policy))


def _collect(pending: dict[Future[Outcome], Task], policy: Policy) -> Iterator[Outcome]:
    """Yield what finished; raises BrokenProcessPool (leaving the unfinished tasks in `pending`) if a worker died."""
    done, _ = wait(pending, return_when=FIRST_COMPLETED)
    for future in done:
        try:
            outcome = future.result()
        except BrokenProcessPool:
            raise
        except Exception as exc:  # noqa: BLE001 - a task that failed in its worker fails its file closed
            outcome = _failed(pending[future], policy, f"the checking process failed ({type(exc).__name__})")
        del pending[future]
        yield outcome
