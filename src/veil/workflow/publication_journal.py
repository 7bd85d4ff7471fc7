"""Publishing a set of files all or nothing, through crashes: an intent journal beside the public site.

    <public>/                          the site: only ever complete files, put in place by rename
    <site staging folder>/journals/<journal id>/   (outside the public tree; see journal_folder())
        intent.json                    what is being published (written and synced before the site is touched)
        new/<n>                        the new bytes, written and synced here first
        old/<n>                        hard links to the files they replace (the way back)

    journal = PublicationJournal.begin(site, release_id, actor, items)   # intent + staged bytes, synced
    journal.bind(session)           # the caller's commit finishes it, a rollback of the caller's transaction undoes it
    journal.apply()                 # each file: link the old one aside, rename the new one in (atomic per file)
    journal.commit(session)         # a PublicationCommit row, in the caller's transaction with the publications
    ... the caller commits (-> journal.finish(): the staging folder goes) or rolls back (-> journal.rollback())

`recover(gate)` runs when the server starts: a journal whose commit row exists is finished (clean-up only); any
other is rolled back (old files restored, new ones removed). Both are audited. The staging folder lives outside
the public tree (a web server never serves a half-written file, a sweep never sees one) and on the same file
system as the site, so each step is a rename or a link.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Protocol

from sqlalchemy import event
from sqlalchemy.orm import Session

from veil.shown_names import shown_name
from veil.store.base import utcnow
from veil.store.engine import Database
from veil.store.models_journal import PublicationCommit
from veil.workflow import audit
from veil.workflow.errors import Refused
from veil.workflow.events import PublicationRecovered

_INTENT = "intent.json"


class DirectoryLike(Protocol):
    """What the journal needs of a site: its folder (veil.workflow.publishing.DirectorySite has it)."""

    root: Path


@dataclass(frozen=True)
class Item:
    """One file to publish: its path on the site (relative, '/'-separated), sha256 and bytes."""

    path: str
    sha256: str
    data: bytes


def staging_root(site_root: Path) -> Path:
    """Where journals of the site at `site_root` live when the site names no staging folder: a hidden sibling
    folder, outside the public tree."""
    root = Path(site_root).resolve()
    return root.parent / f".{root.name}.veil-staging"


def journal_folder(site: object) -> Path | None:
    """Where the journals of `site` live: `<site.staging>/journals` when the site has a staging folder (the
    directory site's own, outside the public tree), else beside its root; None for a site that is no directory."""
    staging = getattr(site, "staging", None)
    if staging is not None:
        return Path(staging) / "journals"
    root = getattr(site, "root", None)
    return staging_root(Path(root)) if root is not None else None


def check_collisions(site_root: Path, paths: list[str]) -> None:
    """Refuse (409) paths that cannot be published as files: a folder already at the path, a file where one of
    its folders must go, or two paths of the batch where one is the other's folder. The message shows the file
    name as the gate shows names (masked when it holds personal data), and nothing is logged."""
    root = Path(site_root).resolve()
    wanted = {PurePosixPath(p) for p in paths}
    for rel in sorted(wanted):
        if rel.is_absolute() or ".." in rel.parts or not rel.parts:
            raise Refused("the publication path must stay inside the public site")
        if any(parent in wanted for parent in rel.parents):
            raise Refused(f"{shown_name(rel.name)} cannot be published: it would collide with another file of this "
                          "publication (a file and a folder of the same name)")
        target = root.joinpath(*rel.parts)
        if target.is_dir() and not target.is_symlink():
            raise Refused(f"{shown_name(rel.name)} cannot be published: it would collide with a folder of that name "
                          "on the public site")
        for parent in list(rel.parents)[:-1]:
            place = root.joinpath(*parent.parts)
            if place.exists() and not place.is_dir():
                raise Refused(f"{shown_name(rel.name)} cannot be published: the public site has a file where its "
                              "folder must go, and the two would collide")


class PublicationJournal:
    def __init__(self, site_root: Path, folder: Path, intent: dict[str, object]) -> None:
        self.site_root, self.folder, self.intent = Path(site_root).resolve(), folder, intent

    @property
    def id(self) -> str:
        return str(self.intent["id"])

    @property
    def entries(self) -> list[dict[str, object]]:
        entries: list[dict[str, object]] = self.intent["entries"]  # type: ignore[assignment]
        return entries

    @classmethod
    def begin(cls, site: DirectoryLike, release_id: int, actor: str, items: list[Item]) -> PublicationJournal:
        """Check the paths, record the intent and stage the new bytes; the site is not touched yet. `site` is a
        directory site (`.root`, and `.staging` if it has one)."""
        root = Path(site.root).resolve()
        check_collisions(root, [i.path for i in items])
        base = journal_folder(site)
        assert base is not None
        root.mkdir(parents=True, exist_ok=True)
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
        if os.stat(base).st_dev != os.stat(root).st_dev:
            raise Refused("the publication staging folder must be on the same file system as the public site")
        journal_id = f"{utcnow():%Y%m%dT%H%M%S}-{secrets.token_hex(6)}"
        folder = base / journal_id
        (folder / "new").mkdir(parents=True, mode=0o700)
        (folder / "old").mkdir(mode=0o700)
        entries: list[dict[str, object]] = []
        for n, item in enumerate(items):
            _write_synced(folder / "new" / str(n), item.data)
            entries.append({"n": n, "path": item.path, "sha256": item.sha256, "old": False, "made_dirs": []})
        intent: dict[str, object] = {"id": journal_id, "release_id": release_id, "actor": actor,
                                     "site": str(root), "entries": entries}
        journal = cls(root, folder, intent)
        journal._save()
        return journal

    def apply(self, after_each: Callable[[int], None] | None = None) -> None:
        """Put every staged file in place: the file it replaces is first linked aside (and the journal synced),
        then the new one is renamed over it, so a reader sees the old bytes or the new ones, never half."""
        for entry in self.entries:
            target = self._target(entry)
            made = _make_parents(target.parent, self.site_root)
            entry["made_dirs"] = [str(d.relative_to(self.site_root)) for d in made]
            if target.is_file() and not entry["old"]:
                os.link(target, self.folder / "old" / str(entry["n"]))
                entry["old"] = True
            self._save()
            os.replace(self.folder / "new" / str(entry["n"]), target)
            _sync_dir(target.parent)
            if after_each is not None:
                after_each(int(str(entry["n"])))

    def bind(self, session: Session) -> None:
        """Tie the journal to the caller's transaction: its commit finishes the journal, its rollback (any error,
        also after `apply()`) puts the site back. `publishing.publish` runs inside the caller's transaction, so it
        cannot finish the journal itself."""
        event.listen(session, "after_commit", lambda _s: self.finish(), once=True)
        event.listen(session, "after_rollback", lambda _s: self._undo(), once=True)

    def _undo(self) -> None:
        if self.folder.exists():  # not already finished (a commit and then a rollback of a later transaction)
            self.rollback()

    def commit(self, session: Session) -> None:
        """Record, in the caller's transaction, that this publication is committed."""
        session.add(PublicationCommit(journal_id=self.id, release_id=int(str(self.intent["release_id"]))))
        session.flush()

    def finish(self) -> None:
        """After the caller's commit: the staging folder goes."""
        shutil.rmtree(self.folder, ignore_errors=True)

    def rollback(self) -> None:
        """Put the site back as it was: restore each replaced file, remove each new one, drop empty folders this
        publication made. Safe to run again after a crash half-way through."""
        for entry in reversed(self.entries):
            target = self._target(entry)
            old = self.folder / "old" / str(entry["n"])
            staged = self.folder / "new" / str(entry["n"])
            if old.exists():
                os.replace(old, target)
            elif not staged.exists() and target.is_file():
                target.unlink()  # the new file had been put in place where there was none before
            for rel in reversed(list(entry.get("made_dirs") or [])):  # type: ignore[call-overload]
                try:
                    (self.site_root / str(rel)).rmdir()
                except OSError:
                    pass  # not empty (something else lives there) or already gone
        shutil.rmtree(self.folder, ignore_errors=True)

    def _target(self, entry: dict[str, object]) -> Path:
        return self.site_root.joinpath(*PurePosixPath(str(entry["path"])).parts)

    def _save(self) -> None:
        _write_synced(self.folder / _INTENT, json.dumps(self.intent, sort_keys=True).encode("utf-8"), replace=True)

    @classmethod
    def load(cls, folder: Path) -> PublicationJournal | None:
        try:
            intent = json.loads((folder / _INTENT).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return cls(Path(intent["site"]), folder, intent)


def recover(gate: object) -> list[str]:
    """At start-up: finish (clean up) journals that committed, roll back the others; one audit event each.
    `gate` needs `.db` and a `.site` with a `.root` (a directory site); returns one line per journal."""
    db: Database | None = getattr(gate, "db", None)
    base = journal_folder(getattr(gate, "site", None))
    if base is None or db is None or not base.is_dir():
        return []
    outcomes = []
    for folder in sorted(p for p in base.iterdir() if p.is_dir()):
        journal = PublicationJournal.load(folder)
        if journal is None:  # crashed before the intent was written: nothing was put on the site
            shutil.rmtree(folder, ignore_errors=True)
            continue
        with db.read() as session:
            committed = session.get(PublicationCommit, journal.id) is not None
        if committed:
            journal.finish()
        else:
            journal.rollback()
        outcome = "finished" if committed else "rolled-back"
        paths = tuple(str(e["path"]) for e in journal.entries)
        with db.write() as session:
            audit.append(session, PublicationRecovered(
                actor="recovery", release_id=int(str(journal.intent["release_id"])), journal=journal.id,
                outcome=outcome, publisher=str(journal.intent["actor"]), paths=paths))
        outcomes.append(f"publication {journal.id} of release #{journal.intent['release_id']} was interrupted: "
                        f"{'finished' if committed else 'rolled back'} ({len(paths)} file(s))")
    return outcomes


def _write_synced(path: Path, data: bytes, replace: bool = False) -> None:
    target = path.with_name(path.name + ".part") if replace else path
    with open(target, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    if replace:
        os.replace(target, path)
    _sync_dir(path.parent)


def _make_parents(folder: Path, root: Path) -> list[Path]:
    """Make `folder` and missing parents under `root`; returns the ones made, outermost first."""
    missing = []
    current = folder
    while current != root and not current.exists():
        missing.append(current)
        current = current.parent
    for made in reversed(missing):
        made.mkdir()
    return list(reversed(missing))


def _sync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
