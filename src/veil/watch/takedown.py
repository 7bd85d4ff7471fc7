"""Taking a file down: moved atomically (one `rename` within the filesystem) out of the public tree into a
quarantine folder, where the exposed bytes are kept sealed under their sha256 for the incident.

The quarantine must be outside the public tree and on the same filesystem, so the file disappears from the site in
one step. Then its bytes are sealed (AES-256-GCM, `veil.workflow.sealing`; the key is outside the database) into
`SHA256.sealed` and the plain file is unlinked: nothing in the quarantine is readable without the key. Veil reads
the exposed bytes back, for linkage, through one function: `exposed_bytes` (the quarantine, else the gate's blob
store, which seals every blob). Each quarantined file has a JSON sidecar (public path, times, reasons), so a
standalone takedown loses nothing even without the service's database.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import re
import secrets
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from veil.atomic_files import write_atomically
from veil.errors import UsageError
from veil.workflow.blobs import BlobStore
from veil.workflow.errors import NotFound
from veil.workflow.sealing import Sealer, SealError, sealer_for

SEALED_SUFFIX = ".sealed"
_INCOMING = ".incoming-"
_PLAIN_NAME = re.compile(r"^[0-9a-f]{64}$")


class TakedownFailed(Exception):
    """The file could not be moved (it is still public): the alert says so. Carries the reason, never content."""


@dataclass(frozen=True)
class Quarantined:
    public_path: str
    quarantine_path: str
    sha256: str
    size: int
    moved: datetime


def _sha(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


class Quarantine:
    def __init__(self, root: str | Path, public_root: str | Path, sealer: Sealer | None = None) -> None:
        """`sealer` defaults to the key of the folder holding the quarantine (the data directory by default)."""
        self.root = Path(root).resolve()
        self.public_root = Path(public_root).resolve()
        if self.root == self.public_root or self.root.is_relative_to(self.public_root):
            raise UsageError("the quarantine folder must be outside the public tree")
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)  # it holds exactly the files that must not be public
        if self.public_root.exists() and os.stat(self.root).st_dev != os.stat(self.public_root).st_dev:
            raise UsageError("the quarantine folder must be on the same filesystem as the public tree "
                             "(a takedown is one atomic rename); set VEIL_QUARANTINE_DIR")
        self.sealer = sealer or sealer_for(self.root.parent)
        self._seal_leftovers()

    def sealed_path(self, sha256: str) -> Path:
        return self.root / f"{sha256}{SEALED_SUFFIX}"

    def take_down(self, rel: str, reasons: tuple[str, ...] = ()) -> Quarantined:
        source = self.public_root / rel
        pure = PurePosixPath(rel)
        if not pure.parts or pure.is_absolute() or ".." in pure.parts:
            raise TakedownFailed("the path is outside the public tree")
        try:
            mode = os.lstat(source).st_mode
        except FileNotFoundError:
            raise TakedownFailed("the file was gone before the takedown (moved or deleted meanwhile)") from None
        except OSError as exc:
            raise TakedownFailed(f"cannot inspect the file: {exc.strerror}") from None
        if stat.S_ISDIR(mode):
            raise TakedownFailed("a folder is not taken down automatically")
        incoming = self.root / f"{_INCOMING}{secrets.token_hex(8)}"
        try:
            os.rename(source, incoming)
        except OSError as exc:
            if exc.errno == errno.EXDEV:
                raise TakedownFailed("the quarantine folder is on another filesystem than the public tree; "
                                     "a takedown must be one atomic rename") from None
            raise TakedownFailed(f"cannot move the file: {exc.strerror}") from None
        moved = datetime.now(UTC)
        if stat.S_ISLNK(mode):  # a link holds no bytes of its own: kept as it is, named by its target's hash
            sha, size = hashlib.sha256(os.readlink(incoming).encode()).hexdigest(), 0
            final = self.root / sha
            if final.is_symlink() or final.exists():
                incoming.unlink()
            else:
                os.rename(incoming, final)
        else:
            sha, size, final = self._seal(incoming)
        self._sidecar(final, rel, moved, reasons)
        return Quarantined(rel, str(final), sha, size, moved)

    def _seal(self, plain: Path) -> tuple[str, int, Path]:
        """Seal a file moved into the quarantine and unlink the plain one. The file is already off the site, so a
        failure here (disk full) leaves it plain but private (0600) in the quarantine, sealed at the next start."""
        try:
            os.chmod(plain, 0o600)
            sha, size = _sha(plain)
        except OSError:
            return "unreadable-" + secrets.token_hex(8), 0, plain
        final = self.sealed_path(sha)
        if not final.exists():  # the same bytes taken down before: one sealed copy is enough
            try:
                self.sealer.seal_file(plain, final)
            except OSError:
                return sha, size, plain
        plain.unlink()
        return sha, size, final

    def _seal_leftovers(self) -> None:
        """Seal what an older Veil kept in plain form (SHA256 files) or a crash left half done (.incoming-*)."""
        for entry in sorted(self.root.iterdir()):
            if entry.is_symlink() or not entry.is_file():
                continue
            if _PLAIN_NAME.match(entry.name) or entry.name.startswith(_INCOMING):
                _sha_name, _size, final = self._seal(entry)
                legacy_meta = entry.with_name(entry.name + ".json")
                if final != entry and legacy_meta.exists():
                    os.replace(legacy_meta, final.with_name(final.name + ".json"))

    def read(self, sha256: str) -> bytes:
        """The exposed bytes kept under `sha256`, opened (and re-hashed)."""
        path = self.sealed_path(sha256)
        try:
            data = self.sealer.open_file(path)
        except FileNotFoundError:
            raise NotFound(f"no quarantined file {sha256[:12]}…") from None
        except SealError as exc:
            raise NotFound(f"the quarantined file {sha256[:12]}… cannot be opened: {exc}") from None
        if hashlib.sha256(data).hexdigest() != sha256:
            raise NotFound(f"the quarantined file {sha256[:12]}… no longer matches its sha256")
        return data

    def _sidecar(self, final: Path, rel: str, moved: datetime, reasons: tuple[str, ...]) -> None:
        meta = final.with_name(final.name + ".json")
        records = []
        if meta.exists():
            try:
                records = json.loads(meta.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                records = []
        records.append({"public_path": rel, "taken_down": moved.isoformat(timespec="seconds"),
                        "reasons": list(reasons)})
        write_atomically(meta, json.dumps(records, indent=1).encode("utf-8"))


def exposed_bytes(sha256: str, blobs: BlobStore, quarantine: Quarantine | None = None) -> bytes:
    """The one way Veil reads an exposed file's raw bytes (for linkage): from the quarantine if a takedown kept
    them, else from the gate's blob store. Both are sealed at rest; the bytes exist in plain form only in memory."""
    if quarantine is not None and quarantine.sealed_path(sha256).exists():
        return quarantine.read(sha256)
    if blobs.has(sha256):
        return blobs.get(sha256)
    raise NotFound(f"Veil keeps no copy of the file {sha256[:12]}… (neither quarantined nor uploaded)")
