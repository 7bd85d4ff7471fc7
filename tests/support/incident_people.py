"""A migrated SQLite database holding one incident's affected people, some under a protective hold (for the tests
of `veil screen` and `veil holds check-manifest`)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from veil.store.engine import Database
from veil.store.models_incident import IrAffected, IrHold, IrIncident, IrRoster, IrRosterPerson

NOW = datetime(2023, 1, 10, tzinfo=UTC)


def incident_database(data_dir: Path, people: list[dict[str, Any]], held: Collection[int],
                      lifted: Collection[int] = ()) -> None:
    """`people` are IrRosterPerson fields; the people at the `held` indexes get an active hold, those at `lifted` a
    hold that was lifted (they stay affected)."""
    db = Database(f"sqlite:///{data_dir / 'veil.db'}")
    db.upgrade()
    try:
        add_incident_people(db, people, held, lifted)
    finally:
        db.dispose()


def add_incident_people(db: Database, people: list[dict[str, Any]], held: Collection[int],
                        lifted: Collection[int] = ()) -> None:
    """One incident with `people` affected, in an already migrated database (see `incident_database`)."""
    with db.write() as s:
        incident = IrIncident(title="roster posted", discovered=NOW)
        roster = IrRoster(name="roster.xlsx", sha256="0" * 64)
        s.add_all([incident, roster])
        s.flush()
        rows = [IrRosterPerson(roster_id=roster.id, ref=str(i + 1), **fields) for i, fields in enumerate(people)]
        s.add_all(rows)
        s.flush()
        affected = [IrAffected(incident_id=incident.id, person_id=p.id, basis="in-file") for p in rows]
        s.add_all(affected)
        s.flush()
        s.add_all([IrHold(affected_id=affected[i].id, person_id=affected[i].person_id, placed=NOW) for i in held])
        s.add_all([IrHold(affected_id=affected[i].id, person_id=affected[i].person_id, placed=NOW, lifted=NOW,
                          lifted_by="x", lift_reason="notice period over") for i in lifted])
