"""Taking a file down: moved atomically (one `rename` within the filesystem) out of the public tree into a
quarantine folder, where the exposed bytes are kept under their sha256 for the incident.

The quarantine must be outside the public tree and on the same filesystem, so the file disappears from the site in
one step and its bytes are never copied through memory. Each quarantined file has a JSON sidecar (public path,
times, reasons), so a standalone takedown loses nothing even without the service's database.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
import stat
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from veil.atomic_files import write_atomically
from veil.errors import UsageError


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
    def __init__(self, root: str | Path, public_root: str | Path) -> None:
        self.root = Path(root).resolve()
        self.public_root = Path(public_root).resolve()
        if self.root == self.public_root or self.root.is_relative_to(self.public_root):
            raise UsageError("the quarantine folder must be outside the public tree")
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o700)  # it holds exactly the files that must not be public
        if self.public_root.exists() and os.stat(self.root).st_dev != os.stat(self.public_root).st_dev:
            raise UsageError("the quarantine folder must be on the same filesystem as the public tree "
                             "(a takedown is one atomic rename); set VEIL_QUARANTINE_DIR")

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
        incoming = self.root / f".incoming-{secrets.token_hex(8)}"
        try:
            os.rename(source, incoming)
        except OSError as exc:
            if exc.errno == errno.EXDEV:
                raise TakedownFailed("the quarantine folder is on another filesystem than the public tree; "
                                     "a takedown must be one atomic rename") from None
            raise TakedownFailed(f"cannot move the file: {exc.strerror}") from None
        moved = datetime.now(UTC)
        if stat.S_ISLNK(mode):
            sha, size = hashlib.sha256(os.readlink(incoming).encode()).hexdigest(), 0
        else:
            try:
                sha, size = _sha(incoming)
            except OSError:
                sha, size = "unreadable-" + secrets.token_hex(8), 0
        final = self.root / sha
        if final.exists():
            incoming.unlink()  # the same bytes were taken down before: one copy is enough
        else:
            os.rename(incoming, final)
            if not stat.S_ISLNK(mode):
                os.chmod(final, 0o600)
        self._sidecar(final, rel, moved, reasons)
        return Quarantined(rel, str(final), sha, size, moved)

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
