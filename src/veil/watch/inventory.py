"""Listing the files of a public directory: one `lstat` per entry, no file opened.

Every file is listed, whatever its name: dot-files, and `.veil-tmp-*` files too (the gate's publisher stages its temp
files outside the public tree, so a file of that name here is not one of them). Bad input is reported, never fatal
and never unbounded: a folder that cannot be listed, a symlink loop or a
dangling link, a symlinked folder (not followed: it could loop or leave the tree, and what it exposes is not
verified, so it is reported) all become `Problem`s and the walk goes on with the rest.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Entry:
    """A regular file (or a symlink to one) in the public tree. `rel` is its POSIX path under the root."""

    rel: str
    path: str
    size: int
    mtime_ns: int
    ctime_ns: int
    ino: int

    def fingerprint(self) -> tuple[int, int, int, int]:
        return (self.size, self.mtime_ns, self.ctime_ns, self.ino)


@dataclass(frozen=True)
class Problem:
    """Something in the public tree Veil could not inventory; `reason` names the cause, not any content."""

    rel: str
    path: str
    reason: str


def walk(root: str | Path, only: set[str] | None = None) -> Iterator[Entry | Problem]:
    """Every file under `root`, depth first, sorted. With `only`, just those relative paths (a targeted sweep)."""
    root = Path(root)
    if only is not None:
        for rel in _outermost(only):
            yield from _one(root, rel)
        return
    stack = [""]
    while stack:
        rel_dir = stack.pop()
        folder = os.path.join(root, rel_dir) if rel_dir else str(root)
        try:
            with os.scandir(folder) as it:
                children = sorted(it, key=lambda e: e.name)
        except OSError as exc:
            yield Problem(rel_dir or ".", folder, f"cannot list the folder: {_reason(exc)}")
            continue
        subdirs = []
        for child in children:
            rel = f"{rel_dir}/{child.name}" if rel_dir else child.name
            try:
                if child.is_dir(follow_symlinks=False):
                    subdirs.append(rel)
                    continue
            except OSError as exc:
                yield Problem(rel, child.path, f"cannot inspect: {_reason(exc)}")
                continue
            yield _entry(child.path, rel, child.is_symlink())
        stack.extend(reversed(subdirs))


def _outermost(paths: set[str]) -> list[str]:
    """The paths, sorted, without those inside another one (a folder's walk lists them already)."""
    kept: list[str] = []
    for rel in sorted({p.strip("/") for p in paths if p.strip("/")}, key=lambda p: (p.count("/"), p)):
        if not any(rel.startswith(parent + "/") for parent in kept):
            kept.append(rel)
    return sorted(kept)


def _one(root: Path, rel: str) -> Iterator[Entry | Problem]:
    path = os.path.join(root, rel)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as exc:
        yield Problem(rel, path, f"cannot inspect: {_reason(exc)}")
        return
    if stat.S_ISDIR(st.st_mode):
        for item in walk(path):
            yield _prefixed(item, rel)
        return
    yield _entry(path, rel, stat.S_ISLNK(st.st_mode))


def _prefixed(item: Entry | Problem, rel: str) -> Entry | Problem:
    if isinstance(item, Entry):
        return Entry(f"{rel}/{item.rel}", item.path, item.size, item.mtime_ns, item.ctime_ns, item.ino)
    return Problem(f"{rel}/{item.rel}", item.path, item.reason)


def _entry(path: str, rel: str, is_link: bool) -> Entry | Problem:
    try:
        st = os.stat(path) if is_link else os.lstat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Problem(rel, path, "symlink loop")
        if is_link and exc.errno == errno.ENOENT:
            return Problem(rel, path, "dangling symlink")
        return Problem(rel, path, f"cannot inspect: {_reason(exc)}")
    if stat.S_ISDIR(st.st_mode):
        return Problem(rel, path, "symlinked folder not followed: what it exposes is not verified")
    if not stat.S_ISREG(st.st_mode):
        return Problem(rel, path, "not a regular file (device, pipe or socket)")
    return Entry(rel, path, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _reason(exc: OSError) -> str:
    return exc.strerror or type(exc).__name__
