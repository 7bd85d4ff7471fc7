"""Content-addressed file storage: bytes live at root/ab/abcdef... named by their sha256, written atomically.
The database refers to files only by sha256."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from veil.atomic_files import write_atomically
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
        write_atomically(target, data)
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
