"""The one way files enter a release, for every face (the API, the pages, the CLI).

A face feeds an `UploadReceiver` the files of one request as they stream in: each file is size-checked chunk by
chunk, held in memory only up to the limit, and written to the blob store only once complete and within it, so an
over-size upload leaves nothing on disk. More than `max_files` files is refused, never cut short. `add_uploads`
then adds them to the release in the caller's transaction.

    receiver = UploadReceiver(gate.blobs, limits)
    receiver.begin("roster.xlsx"); receiver.feed(chunk) ...; receiver.end()     # per file, as it streams
    with gate.db.write() as s:
        rows = add_uploads(s, gate.blobs, release, user, receiver.files)

A `HeldReceiver` takes files the same way but keeps them in memory and stores nothing (the screen page).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy.orm import Session

from veil.store.models_accounts import User
from veil.store.models_releases import Release, ReleaseFile
from veil.workflow import releases
from veil.workflow.blobs import BlobStore
from veil.workflow.errors import Invalid, WorkflowError

MAX_FILES = 100
MAX_FILE_BYTES = 100 * 1024 * 1024


class TooLarge(WorkflowError):
    """An upload over the size limit (HTTP 413)."""

    status = 413


@dataclass(frozen=True)
class UploadLimits:
    max_file_bytes: int = MAX_FILE_BYTES
    max_files: int = MAX_FILES

    @property
    def max_request_bytes(self) -> int:
        """The most one request may carry: files, form fields and multipart framing."""
        return max(1 << 30, self.max_file_bytes + (1 << 20))


@dataclass(frozen=True)
class Upload:
    """A received file: stored in the blob store under its sha256, not yet part of a release."""

    name: str
    sha256: str
    size: int


class UploadReceiver:
    """Receives one request's files as streamed chunks; see the module docstring."""

    def __init__(self, blobs: BlobStore | None, limits: UploadLimits | None = None) -> None:
        self.blobs, self.limits = blobs, limits or UploadLimits()
        self.files: list[Upload] = []
        self._name: str | None = None
        self._chunks: list[bytes] = []
        self._size = 0
        self._begun = 0

    def begin(self, name: str) -> None:
        if self._begun >= self.limits.max_files:
            raise Invalid(f"at most {self.limits.max_files} files per upload; send the others in another upload")
        self._begun += 1
        self._name, self._chunks, self._size = name or "upload", [], 0

    def feed(self, chunk: bytes) -> None:
        if self._name is None:
            raise Invalid("file data outside a file")
        self._size += len(chunk)
        if self._size > self.limits.max_file_bytes:
            name, self._name, self._chunks = self._name, None, []
            raise TooLarge(f"{_shown(name)} is larger than the {self.limits.max_file_bytes:,} byte upload limit")
        self._chunks.append(chunk)

    def end(self) -> Upload:
        """The current file is complete: store it."""
        return self.store(*self.close())

    def close(self) -> tuple[str, bytes]:
        """The current file is complete: its name and bytes, to `store()` later (a web server stores off its
        event loop)."""
        if self._name is None:
            raise Invalid("file data outside a file")
        done = self._name, b"".join(self._chunks)
        self._name, self._chunks = None, []
        return done

    def store(self, name: str, data: bytes) -> Upload:
        assert self.blobs is not None, "a receiver without a blob store keeps its files (HeldReceiver)"
        upload = Upload(name, self.blobs.put(data), len(data))
        self.files.append(upload)
        return upload

    def receive(self, name: str, data: bytes) -> Upload:
        """A whole file at once (the CLI, tests): the same checks as streaming it."""
        self.begin(name)
        self.feed(data)
        return self.end()


class HeldReceiver(UploadReceiver):
    """The same limits and checks, but the files are held in memory (`held`) and nothing is written: for a file that
    is looked at once and not kept, such as a message on the screen page."""

    def __init__(self, limits: UploadLimits | None = None) -> None:
        super().__init__(None, limits)
        self.held: list[tuple[str, bytes]] = []

    def store(self, name: str, data: bytes) -> Upload:
        upload = Upload(name, hashlib.sha256(data).hexdigest(), len(data))
        self.files.append(upload)
        self.held.append((name, data))
        return upload


def add_uploads(session: Session, blobs: BlobStore, release: Release, user: User,
                uploads: list[Upload]) -> list[ReleaseFile]:
    """Add received files to the release as new versions (one scan queued each); refuses an empty upload."""
    if not uploads:
        raise Invalid("choose at least one file")
    # One file's bytes in memory at a time (blobs.get re-checks them against their sha256).
    return [releases.add_file(session, blobs, release, user, u.name, blobs.get(u.sha256)) for u in uploads]


def _shown(name: str) -> str:
    """A file name for a message: only its last part, shortened (names can carry a person's name)."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    return base if len(base) <= 60 else base[:57] + "..."
