"""Writing a file so that readers see the old bytes or the new ones, never half of them ("nothing lost")."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

# The sweeper skips files with this prefix in the public folder: the publisher is writing them right now.
TEMP_PREFIX = ".veil-tmp-"


def write_atomically(target: Path, data: bytes, mode: int | None = None) -> None:
    """Write `data` to a temporary file beside `target`, flush it to disk, then rename it over `target`.
    `mode` sets the permissions (mkstemp makes the file private to its owner)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=TEMP_PREFIX)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
