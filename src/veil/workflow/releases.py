"""Releases and their files. A file version is immutable: new bytes under an existing name make a new version,
which is queued for a new scan and needs new approvals (approvals name sha256s, not names)."""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from veil.shown_names import shown_name
from veil.store.base import utcnow
from veil.store.models_accounts import User
from veil.store.models_releases import Release, ReleaseFile
from veil.workflow import audit
from veil.workflow.blobs import BlobStore
from veil.workflow.errors import Forbidden, Invalid, NotFound, Refused
from veil.workflow.events import FileUploaded, ReleaseCreated
from veil.workflow.roles import Role
from veil.workflow.scanning import enqueue

_SAFE_PART = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ ()+-]{0,199}$")
MAX_PAGE = 200


def clean_target_path(raw: str) -> str:
    """A relative path on the public site: plain segments only (no '..', no absolute path, no odd characters)."""
    cleaned = raw.strip().replace("\\", "/")
    parts = [p for p in cleaned.split("/") if p not in ("", ".")]
    if cleaned.startswith("/") or not parts or len(parts) > 20 or any(not _SAFE_PART.match(p) for p in parts):
        raise Invalid("the target path must be a relative path of plain names (letters, digits, '.', '_', '-')")
    return str(PurePosixPath(*parts))


def clean_file_name(raw: str) -> str:
    name = raw.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not _SAFE_PART.match(name):
        raise Invalid("a file name must be plain: letters, digits, spaces, '.', '_', '-', '(', ')' and '+'")
    return name


def create_release(session: Session, user: User, title: str, target_path: str, notes: str = "") -> Release:
    title = " ".join(title.split())
    if not title or len(title) > 200:
        raise Invalid("a release needs a title of at most 200 characters")
    if len(notes) > 20_000:
        raise Invalid("the notes are longer than 20,000 characters")
    release = Release(title=title, target_path=clean_target_path(target_path), notes=notes, submitter_id=user.id)
    session.add(release)
    session.flush()
    audit.append(session, ReleaseCreated(actor=user.username, release_id=release.id, title=release.title,
                                         target_path=release.target_path))
    return release


def get_release(session: Session, release_id: int, *, lock: bool = False) -> Release:
    query = select(Release).where(Release.id == release_id)
    if lock:
        query = query.with_for_update()  # a no-op on SQLite, whose write transactions are exclusive anyway
    release = session.scalar(query)
    if release is None:
        raise NotFound(f"no release {release_id}")
    return release


def add_file(session: Session, blobs: BlobStore, release: Release, user: User, name: str,
             data: bytes) -> ReleaseFile:
    """Store the bytes and add them as the new current version of `name` (a no-op if they are unchanged)."""
    if user.id != release.submitter_id and Role.ADMIN not in user.role_names:
        raise Forbidden("only the release's submitter can add files to it")
    if release.status == "withdrawn":
        raise Refused("this release was withdrawn; create a new release")
    name = clean_file_name(name)
    current = session.scalar(select(ReleaseFile).where(ReleaseFile.release_id == release.id,
                                                       ReleaseFile.name == name, ReleaseFile.current.is_(True)))
    sha = blobs.put(data)
    if current is not None and current.sha256 == sha:
        return current
    version = 1
    if current is not None:
        current.current = False
        version = current.version + 1
    row = ReleaseFile(release_id=release.id, name=name, version=version, sha256=sha, size=len(data),
                      uploader_id=user.id, current=True)
    session.add(row)
    session.flush()
    release.updated = utcnow()
    if release.status in ("rejected", "published"):
        release.status = "open"  # new bytes reopen review; the published version stays live until replaced
    enqueue(session, row)
    audit.append(session, FileUploaded(actor=user.username, release_id=release.id, file_id=row.id,
                                       file=shown_name(name), version=version, sha256=sha, size=len(data)))
    return row


def current_files(session: Session, release_id: int) -> list[ReleaseFile]:
    return list(session.scalars(select(ReleaseFile).where(ReleaseFile.release_id == release_id,
                                                          ReleaseFile.current.is_(True))
                                .order_by(ReleaseFile.name)))


def list_releases(session: Session, page: int = 1, per_page: int = 50,
                  status: str | None = None) -> tuple[list[tuple[Release, str]], int]:
    """One page of releases, newest first, with their submitter's name, and the total count."""
    per_page = max(1, min(per_page, MAX_PAGE))
    page = max(1, page)
    query = select(Release, User.username).join(User, User.id == Release.submitter_id)
    count = select(func.count(Release.id))
    if status:
        query = query.where(Release.status == status)
        count = count.where(Release.status == status)
    rows = session.execute(query.order_by(Release.id.desc()).offset((page - 1) * per_page).limit(per_page)).all()
    return [(r, u) for r, u in rows], int(session.scalar(count) or 0)
