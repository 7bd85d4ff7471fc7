"""Content-addressed file storage: bytes live at root/ab/abcdef... named by the sha256 of their plaintext, sealed
(AES-256-GCM, `veil.workflow.sealing`: the key is outside the database), written atomically. The database refers
to files only by sha256.

Every blob is sealed, so the copy of a file that later leaks (and becomes an incident's exposed file) is sealed
too. Blobs a Veil without sealing wrote are sealed in place the first time the store is opened (`seal_legacy`).
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

from veil.atomic_files import write_atomically
from veil.workflow.errors import Refused
from veil.workflow.sealing import MAGIC, Sealer, SealError, sealer_for

_SHA = re.compile(r"^[0-9a-f]{64}$")
SEALED_MARKER = ".all-sealed-v1"


class BlobStore:
    def __init__(self, root: str | Path, sealer: Sealer | None = None) -> None:
        """`sealer` defaults to the key of the data directory that holds `root`."""
        self.root = Path(root)
        self.root.mkdir(parents=True, exist_ok=True)
        self.sealer = sealer or sealer_for(self.root.parent)

    def path(self, sha256: str) -> Path:
        if not _SHA.match(sha256):
            raise Refused("not a sha256")
        return self.root / sha256[:2] / sha256

    def put(self, data: bytes) -> str:
        sha = hashlib.sha256(data).hexdigest()
        target = self.path(sha)
        if target.exists():
            return sha
        write_atomically(target, self.sealer.seal_bytes(data))
        return sha

    def get(self, sha256: str) -> bytes:
        """The bytes stored under `sha256`; refuses if they are missing, do not open or no longer hash to it."""
        try:
            stored = self.path(sha256).read_bytes()
        except FileNotFoundError:
            raise Refused(f"the stored bytes of {sha256[:12]}… are missing") from None
        data = stored
        if Sealer.is_sealed(stored):
            try:
                data = self.sealer.open_bytes(stored)
            except SealError as exc:
                raise Refused(f"the stored bytes of {sha256[:12]}… cannot be opened: {exc}") from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise Refused(f"the stored bytes of {sha256[:12]}… no longer match their sha256")
        return data

    def has(self, sha256: str) -> bool:
        return self.path(sha256).exists()

    def seal_legacy(self) -> int:
        """Seal, in place, every blob still in plain form; returns how many. Done once per store (a marker file
        remembers it), since every blob written since is sealed."""
        marker = self.root / SEALED_MARKER
        if marker.exists():
            return 0
        sealed = 0
        for folder in sorted(p for p in self.root.iterdir() if p.is_dir() and len(p.name) == 2):
            for blob in sorted(folder.iterdir()):
                if not _SHA.match(blob.name):
                    continue
                with blob.open("rb") as fh:
                    if fh.read(len(MAGIC)) == MAGIC:
                        continue
                self.sealer.seal_file(blob, blob)
                sealed += 1
        fd = os.open(marker, os.O_WRONLY | os.O_CREAT, 0o600)
        os.close(fd)
        return sealed
