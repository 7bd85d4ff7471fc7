"""Writing a file so that readers see the old bytes or the new ones, never half of them ("nothing lost")."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# Veil's temp files. They never sit in the public tree (the publisher stages outside it), so the sweeper checks a
# file of this name there like any other.
TEMP_PREFIX = ".veil-tmp-"


def write_temp_file(folder: Path, data: bytes, mode: int | None = None) -> Path:
    """`data` in a new temp file in `folder`, flushed to disk (private to its owner unless `mode` says otherwise);
    the caller renames it into place."""
    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=TEMP_PREFIX)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_atomically(target: Path, data: bytes, mode: int | None = None) -> None:
    """Write `data` to a temporary file beside `target`, flush it to disk, then rename it over `target`.
    `mode` sets the permissions (mkstemp makes the file private to its owner)."""
    tmp = write_temp_file(target.parent, data, mode)
    try:
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
