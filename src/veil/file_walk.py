"""The files a check covers: folders expanded recursively in a stable order, dot-folders included (web servers
publish `.well-known/`), `--exclude` globs applied. The local and the Spark engines list files with it, so both check
the same files under the same names."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterator
from pathlib import Path

from veil.errors import UsageError


def iter_files(paths: list[str], exclude: list[str] | None = None) -> Iterator[str]:
    """Expand directories (recursively, sorted) and keep files and '-' as given. Dot-folders are checked like any
    other (web servers publish `.well-known/`); `exclude` globs leave out what matches."""
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not excluded(str(Path(root) / d), d, exclude))
                for name in sorted(files):
                    full = str(Path(root) / name)
                    if not excluded(full, name, exclude):
                        yield full
        elif path.exists() or path.is_symlink():
            if not excluded(raw, path.name, exclude):
                yield raw
        else:
            raise UsageError(f"no such file or directory: {raw}")


def excluded(path: str, name: str, globs: list[str] | None) -> bool:
    """True when a glob matches the path (as given or relative to the working directory) or the bare name."""
    if not globs:
        return False
    rel = os.path.relpath(path) if not path.startswith("..") else path
    candidates = {path, rel, Path(path).as_posix(), Path(rel).as_posix(), name}
    return any(fnmatch.fnmatch(c, g) for c in candidates for g in globs)
