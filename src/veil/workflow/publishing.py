"""Publishing approved bytes to the public site, and withdrawing them.

`PublicSite` is the seam: a directory (DirectorySite) by default; object storage can implement the same four
methods. Publishing re-reads each file from the blob store, re-hashes it and refuses any byte that is not the
approved sha256, writes atomically (a temp file in a staging folder outside the public tree, then one rename) and
re-hashes what the site holds afterwards.
"""

from __future__ import annotations

import errno
import hashlib
import os
import time
from pathlib import Path, PurePosixPath
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from veil.atomic_files import TEMP_PREFIX, write_temp_file
from veil.errors import UsageError
from veil.shown_names import shown_name, shown_path
from veil.store.base import utcnow
from veil.store.models_accounts import User
from veil.store.models_releases import Publication, Release
from veil.workflow import audit
from veil.workflow.approvals import file_states
from veil.workflow.blobs import BlobStore
from veil.workflow.errors import Forbidden, NotFound, Refused
from veil.workflow.events import Published, Withdrawn
from veil.workflow.publication_journal import Item, PublicationJournal
from veil.workflow.roles import Role

STAGING_NAME = ".veil-staging"
STALE_STAGING_SECONDS = 3600.0


class PublicSite(Protocol):
    name: str

    def put(self, path: str, data: bytes) -> None: ...

    def get(self, path: str) -> bytes | None: ...

    def remove(self, path: str) -> None: ...

    def url(self, path: str) -> str: ...


class DirectorySite:
    """A public site that is a directory (served by any web server).

    Bytes are written into a staging folder outside the public tree but on its filesystem (default: the sibling
    `.veil-staging` of the public folder), flushed to disk and renamed into place: the public tree never holds a
    half-written file, and nothing in it is ever a temp file the sweeper could be asked to ignore."""

    def __init__(self, root: str | Path, base_url: str = "", staging: str | Path | None = None) -> None:
        self.root = Path(root).resolve()
        self.name = str(self.root)
        self.base_url = base_url.rstrip("/")
        self.staging = Path(staging).resolve() if staging else self.root.parent / STAGING_NAME
        if self.staging == self.root or self.staging.is_relative_to(self.root):
            raise UsageError("the staging folder must be outside the public tree")

    def target(self, path: str) -> Path:
        """The file of `path` under the site's root; refuses a path that would leave it."""
        rel = PurePosixPath(path)
        if rel.is_absolute() or ".." in rel.parts:
            raise Refused("the publication path must stay inside the public site")
        target = (self.root / rel).resolve()
        if not target.is_relative_to(self.root):
            raise Refused("the publication path must stay inside the public site")
        return target

    def _stage(self, data: bytes) -> Path:
        self.staging.mkdir(mode=0o700, parents=True, exist_ok=True)
        return write_temp_file(self.staging, data, mode=0o644)

    def put(self, path: str, data: bytes) -> None:
        target = self.target(path)
        staged = self._stage(data)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)
        except (IsADirectoryError, NotADirectoryError, FileExistsError):
            # The message names no path: a path can carry a person's name.
            raise Refused("a file and a folder of the public site have the same name; choose another target "
                          "path or file name") from None
        except OSError as exc:
            if exc.errno == errno.EXDEV:
                raise Refused("the staging folder is on another filesystem than the public site; set "
                              "VEIL_STAGING_DIR to a folder beside it") from None
            raise
        finally:
            staged.unlink(missing_ok=True)
        _sync_folder(target.parent)

    def get(self, path: str) -> bytes | None:
        try:
            return self.target(path).read_bytes()
        except FileNotFoundError:
            return None

    def remove(self, path: str) -> None:
        self.target(path).unlink(missing_ok=True)

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path}" if self.base_url else path

    def clean_staging(self, older_than: float = STALE_STAGING_SECONDS) -> int:
        """Remove staged files a crashed writer left behind (older than `older_than` seconds: a live writer's
        files are seconds old); returns how many."""
        removed = 0
        if not self.staging.is_dir():
            return 0
        limit = time.time() - older_than
        for entry in self.staging.iterdir():
            try:
                if entry.name.startswith(TEMP_PREFIX) and entry.lstat().st_mtime < limit:
                    entry.unlink()
                    removed += 1
            except OSError:
                continue
        return removed


def _sync_folder(folder: Path) -> None:
    """Flush a rename to disk (the folder's entry), where the platform allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def publish(session: Session, blobs: BlobStore, site: PublicSite, release: Release, user: User,
            sha256s: list[str] | None = None) -> list[Publication]:
    """Publish the named approved file versions (default: every approved current file) of the release."""
    if Role.PUBLISHER not in user.role_names:
        raise Forbidden("publishing needs the publisher role")
    if release.status not in ("open", "published"):
        raise Refused(f"this release is {release.status}; it cannot be published")
    states = {s.file.sha256: s for s in file_states(session, release)}
    if sha256s:
        chosen = []
        for sha in dict.fromkeys(s.strip().lower() for s in sha256s):
            state = states.get(sha)
            if state is None:
                raise Refused(f"{sha[:12]}… is not the current version of any file in this release")
            if not state.approved:
                raise Refused(f"{shown_name(state.file.name)} is not approved ({state.needs}); it cannot be published")
            chosen.append(state)
    else:
        chosen = [s for s in states.values() if s.approved]
        if not chosen:
            raise Refused("no file of this release is approved; nothing to publish")
    live = _live(session, release.id)
    paths = [f"{release.target_path}/{s.file.name}" for s in chosen]
    taken = session.scalars(select(Publication).where(Publication.path.in_(paths), Publication.withdrawn.is_(None),
                                                      Publication.release_id != release.id)).first()
    if taken is not None:
        raise Refused(f"{shown_path(taken.path)} is live from release #{taken.release_id}; withdraw that release first")
    todo = [(state, f"{release.target_path}/{state.file.name}") for state in chosen]
    todo = [(state, path) for state, path in todo if not (path in live and live[path].sha256 == state.file.sha256)]
    items = [Item(path, state.file.sha256, blobs.get(state.file.sha256)) for state, path in todo]
    previous: list[tuple[str, bytes | None]] = []
    if isinstance(site, DirectorySite):
        _write_journaled(session, site, release.id, user.username, items)
    else:
        previous = _write_each(site, items)
    publications = []
    for state, path in todo:
        back = site.get(path)
        if back is None or hashlib.sha256(back).hexdigest() != state.file.sha256:
            _put_back(site, previous)  # a directory site is put back by the journal when the caller rolls back
            raise Refused(f"the public site does not hold the approved bytes of {shown_name(state.file.name)} "
                          "after writing")
        if path in live:
            live[path].withdrawn, live[path].withdrawn_by = utcnow(), user.id
        publications.append(Publication(release_id=release.id, file_id=state.file.id, sha256=state.file.sha256,
                                        site=site.name, path=path, publisher_id=user.id))
    if not publications:
        raise Refused("these files are already published at exactly these bytes")
    session.add_all(publications)
    release.status = "published"
    release.updated = utcnow()
    session.flush()
    audit.append(session, Published(actor=user.username, release_id=release.id, site=site.name,
                                    files=tuple(f"{p.sha256} {shown_path(p.path)}" for p in publications)))
    return publications


def _write_journaled(session: Session, site: DirectorySite, release_id: int, actor: str, items: list[Item]) -> None:
    """All or nothing, through crashes: the intent and the bytes are staged outside the public tree first, the
    caller's commit finishes the journal and its rollback (an error here or later) puts the site back; a crash in
    between is finished or rolled back by `publication_journal.recover` when the server starts."""
    for item in items:
        site.target(item.path)  # refuse a path that leaves the site before anything is staged
    journal = PublicationJournal.begin(site, release_id, actor, items)
    journal.bind(session)
    journal.apply()
    journal.commit(session)


def _write_each(site: PublicSite, items: list[Item]) -> list[tuple[str, bytes | None]]:
    """A site that is not a directory (object storage): each file written in turn, the earlier ones put back if
    one fails. Returns what each path held before, to put back if a later check fails."""
    written: list[tuple[str, bytes | None]] = []
    try:
        for item in items:
            written.append((item.path, site.get(item.path)))
            site.put(item.path, item.data)
    except BaseException:
        _put_back(site, written)
        raise
    return written


def _put_back(site: PublicSite, previous: list[tuple[str, bytes | None]]) -> None:
    for path, data in reversed(previous):
        if data is None:
            site.remove(path)
        else:
            site.put(path, data)


def withdraw(session: Session, site: PublicSite, release: Release, user: User) -> list[Publication]:
    """Take every live file of the release off the public site."""
    if Role.PUBLISHER not in user.role_names:
        raise Forbidden("withdrawing needs the publisher role")
    live = list(_live(session, release.id).values())
    if not live:
        raise Refused("nothing of this release is live")
    now = utcnow()
    for pub in live:
        site.remove(pub.path)
        pub.withdrawn, pub.withdrawn_by = now, user.id
    release.status = "withdrawn"
    release.updated = now
    session.flush()
    audit.append(session, Withdrawn(actor=user.username, release_id=release.id, site=site.name,
                                    paths=tuple(shown_path(p.path) for p in live)))
    return live


def _live(session: Session, release_id: int) -> dict[str, Publication]:
    rows = session.scalars(select(Publication).where(Publication.release_id == release_id,
                                                     Publication.withdrawn.is_(None)).order_by(Publication.id))
    return {p.path: p for p in rows}


def publications(session: Session, release_id: int) -> list[Publication]:
    return list(session.scalars(select(Publication).where(Publication.release_id == release_id)
                                .order_by(Publication.id)))


def publication_at(session: Session, release_id: int, path: str) -> Publication:
    """The release's publication at `path`: the live one, else the latest (an incident may concern a file already
    taken down)."""
    pub = session.scalars(select(Publication).where(Publication.release_id == release_id, Publication.path == path)
                          .order_by(Publication.withdrawn.is_not(None), Publication.id.desc())).first()
    if pub is None:
        raise NotFound(f"release #{release_id} never published a file at that path")
    return pub
