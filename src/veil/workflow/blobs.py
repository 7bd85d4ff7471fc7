"""Content-addressed file storage: bytes live at root/ab/abcdef... named by their sha256, written atomically.
The database refers to files only by sha256."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from pathlib import Path

from veil.workflow.errors import Refused

_SHA = re.compile(r"^[0-9a-f]{64}$")


class BlobStore:
    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)

    def path(self, sha256: str) -> Path:
        if not _SHA.match(sha256):
            raise Refused("not a sha256")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if target.exists():
            return sha
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return sha

    def get(self, sha256: str) -> bytes:
        """The bytes stored under `sha256`; refuses if they are missing or no longer hash to it."""
        try:
            data = self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise Refused(f"the stored bytes of {sha256[:12]}… are missing") from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise Refused(f"the stored bytes of {sha256[:12]}… no longer match their sha256")
        return data
