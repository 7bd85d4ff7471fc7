"""Protected people from incident response: everyone in an incident's affected set, `held` while a protective hold
is active. Read from Veil's database (the incident module's tables), into a MemoryRegistry the screener queries.

    load_incident_registry(session) -> MemoryRegistry
    screen_registry(protected, database) -> ProtectedRegistry | None     what `veil screen` and the screen page query

Only read here: the incident module owns these tables. A closed incident still counts: its people stay protected.
The people read are kept per database and read again as soon as any affected person, hold or roster person is added,
removed or lifted (a few aggregates tell): the screen page does not re-read 20,000 people for every message, and
never screens against a list older than the last change.
"""

from __future__ import annotations

import threading
import weakref
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import and_, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from veil.errors import UsageError
from veil.screen.registry import FileRegistry, MemoryRegistry, ProtectedPerson, ProtectedRegistry

if TYPE_CHECKING:
    from veil.store.engine import Database


def load_incident_registry(session: Session, limit: int = 2_000_000) -> MemoryRegistry:
    """Everyone affected by any incident, with `held` for those under an active hold, else `affected`."""
    from veil.store.models_incident import IrAffected, IrHold, IrRosterPerson

    query = (
        select(IrRosterPerson.given, IrRosterPerson.surname, IrRosterPerson.anumber, IrRosterPerson.dob,
               IrRosterPerson.nationality, IrHold.id)
        .join(IrAffected, IrAffected.person_id == IrRosterPerson.id)
        .outerjoin(IrHold, and_(IrHold.affected_id == IrAffected.id, IrHold.lifted.is_(None)))
        .limit(limit)
    )
    registry = MemoryRegistry()
    seen: dict[tuple[str, str, str], bool] = {}
    for given, surname, anumber, dob, nationality, hold_id in session.execute(query):
        key = (given or "", surname or "", anumber or "")
        held = hold_id is not None
        if key in seen and (seen[key] or not held):
            continue  # one entry per person; a hold in any incident wins
        seen[key] = held
        name = f"{surname}, {given}" if surname and given else (surname or given or "")
        registry.add(ProtectedPerson(name=name, a_number=anumber or "", dob=dob, nationality=nationality or "",
                                     reason="held" if held else "affected"))
    return registry


# Per Database object (two databases can hold the same counts), dropped with it.
_CACHE: weakref.WeakKeyDictionary[Database, tuple[tuple[object, ...], MemoryRegistry]] = \
    weakref.WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def _fingerprint(session: Session) -> tuple[object, ...]:
    """What changes whenever load_incident_registry's answer can: rows added or removed (counts and highest ids),
    a hold lifted (the active count and the latest lift time)."""
    from veil.store.models_incident import IrAffected, IrHold, IrRosterPerson

    aggregates = (
        select(func.count(IrAffected.id), func.max(IrAffected.id)),
        select(func.count(IrHold.id), func.max(IrHold.id), func.max(IrHold.lifted),
               func.count(IrHold.id).filter(IrHold.lifted.is_(None))),
        select(func.count(IrRosterPerson.id), func.max(IrRosterPerson.id)),
    )
    return tuple(value for query in aggregates for value in session.execute(query).one())


def incident_people(database: Database) -> MemoryRegistry:
    """Everyone affected by an incident (load_incident_registry), read again only when the tables changed. The
    registry is shared between screens: only read it."""
    with database.read() as session:
        mark = _fingerprint(session)
        with _CACHE_LOCK:
            cached = _CACHE.get(database)
        if cached and cached[0] == mark:
            return cached[1]
        people = load_incident_registry(session)
    with _CACHE_LOCK:
        _CACHE[database] = (mark, people)
    return people


def screen_registry(protected: str | Path | None = None, database: Database | None = None) -> ProtectedRegistry | None:
    """The protected people a screen looks names up in: those of a protected-people file (`--protected`) and, with
    a database, everyone in an incident's affected set. None when there is neither (nobody to look up). Raises
    UsageError, naming the kind of failure only, when the file or the incidents cannot be read: a screen that
    could not read whom to protect must not pass anything."""
    people: list[ProtectedPerson] = list(FileRegistry(protected)) if protected else []
    if database is None:
        return MemoryRegistry(people) if protected else None
    try:
        incidents = incident_people(database)
    except SQLAlchemyError as exc:
        raise UsageError(f"cannot read incidents from the database ({type(exc).__name__})") from None
    return MemoryRegistry(people + list(incidents)) if people else incidents
