"""Protective holds, and the removal-manifest check that enforces them.

A hold is placed the moment a person becomes affected. It can be lifted only by an authorising official or an
incident responder, with a reason, and only from 30 days after the person was notified (first delivery).

`check_manifest()` links a removal manifest (CSV/XLSX: name, date of birth, A-number, nationality) to everyone under
an active hold: an exact A-number is a match; otherwise name and date of birth (day and month swaps allowed) compared
with the linkage's own normalisation (accents, romanisation skeletons, word order). It fails closed: a row that is
only probably a held person still counts as held. Results are masked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from veil.incident.events import HoldChanged, ManifestChecked
from veil.incident.linkage_columns import read_people_table
from veil.incident.manifest_match import linked_rows, manifest_columns, manifest_name
from veil.masking import mask
from veil.store.base import utcnow
from veil.store.models_accounts import User
from veil.store.models_incident import IrAffected, IrHold, IrIncident, IrRosterPerson
from veil.workflow import audit
from veil.workflow.errors import Forbidden, Invalid, NotFound, Refused
from veil.workflow.roles import Role

NOTICE_PERIOD = timedelta(days=30)
LIFTERS = (Role.AUTHORISING_OFFICIAL, Role.INCIDENT_RESPONDER)


def place_hold(session: Session, affected: IrAffected, actor: str = "veil") -> IrHold:
    hold = IrHold(affected_id=affected.id, person_id=affected.person_id, placed=utcnow())
    session.add(hold)
    session.flush()
    audit.append(
        session, HoldChanged(actor=actor, incident_id=affected.incident_id, action="placed", affected_id=affected.id)
    )
    return hold


def active_hold(session: Session, affected: IrAffected) -> IrHold | None:
    return session.scalar(select(IrHold).where(IrHold.affected_id == affected.id, IrHold.lifted.is_(None)))


def earliest_lift(affected: IrAffected) -> datetime | None:
    """When the hold may first be lifted: 30 days after delivery of the first notice (None: not notified yet)."""
    if affected.notified is None:
        return None
    notified = affected.notified if affected.notified.tzinfo else affected.notified.replace(tzinfo=UTC)
    return notified + NOTICE_PERIOD


def lift_hold(session: Session, hold_id: int, user: User, reason: str, now: datetime | None = None) -> IrHold:
    hold = session.get(IrHold, hold_id)
    if hold is None:
        raise NotFound(f"no hold {hold_id}")
    if not (user.role_names & {r.value for r in LIFTERS}):
        raise Forbidden("lifting a protective hold needs the authorising official or incident responder role")
    if not reason.strip():
        raise Invalid("lifting a protective hold needs a reason")
    if hold.lifted is not None:
        raise Refused(f"hold {hold_id} was already lifted")
    affected = session.get(IrAffected, hold.affected_id)
    assert affected is not None  # the foreign key guarantees it
    now = now or utcnow()
    earliest = earliest_lift(affected)
    if earliest is None:
        raise Refused(f"hold {hold_id}: the person has not been notified; the hold stays")
    if now < earliest:
        raise Refused(f"hold {hold_id}: 30 days since notice end {earliest:%Y-%m-%d %H:%M} UTC; the hold stays")
    hold.lifted, hold.lifted_by, hold.lift_reason = now, user.username, reason.strip()[:2000]
    audit.append(
        session,
        HoldChanged(actor=user.username, incident_id=affected.incident_id, action="lifted", affected_id=affected.id),
    )
    return hold


@dataclass(frozen=True)
class HeldRow:
    row: int  # source row number in the manifest (header = row 1 for CSV/XLSX)
    name: str  # masked
    anumber: str  # masked
    how: str  # a-number | name and date of birth | name
    hold_ids: tuple[int, ...]  # active holds of the person; empty: affected, no active hold (not refused)
    incident_ids: tuple[int, ...] = ()

    @property
    def held(self) -> bool:
        return bool(self.hold_ids)


@dataclass(frozen=True)
class ManifestCheck:
    rows: int
    held: tuple[HeldRow, ...]  # rows of people under an active hold: the manifest is refused
    sha256: str
    affected: tuple[HeldRow, ...] = ()  # the incident's people with no active hold (with incident_id only)
    incident_id: int | None = None

    @property
    def refused(self) -> bool:
        return bool(self.held)


def _people_frame(session: Session, incident_id: int | None) -> tuple[pl.DataFrame, list[tuple[int | None, int]]]:
    """The people a manifest is checked against, with (active hold id or None, incident id) per person: everyone
    under an active hold in any incident (closed ones too: their people stay protected), or every affected person
    of one incident, held or not."""
    query = (
        select(
            IrHold.id,
            IrAffected.incident_id,
            IrRosterPerson.given,
            IrRosterPerson.surname,
            IrRosterPerson.dob,
            IrRosterPerson.anumber,
        )
        .select_from(IrAffected)
        .join(IrRosterPerson, IrRosterPerson.id == IrAffected.person_id)
        .outerjoin(IrHold, and_(IrHold.affected_id == IrAffected.id, IrHold.lifted.is_(None)))
    )
    if incident_id is None:
        query = query.where(IrHold.id.is_not(None))
    else:
        query = query.where(IrAffected.incident_id == incident_id)
    data = session.execute(query.order_by(IrAffected.id, IrHold.id)).all()
    frame = pl.DataFrame(
        {
            "given": [r[2] for r in data],
            "surname": [r[3] for r in data],
            "dob": [r[4].isoformat() if r[4] else "" for r in data],
            "anumber": [r[5] for r in data],
        },
        schema={c: pl.String for c in ("given", "surname", "dob", "anumber")},
    )
    return frame, [(r[0], r[1]) for r in data]


def check_manifest(
    session: Session, path: str | Path, actor: str = "veil", sheet: str | None = None, incident_id: int | None = None
) -> ManifestCheck:
    """Which manifest rows are people under a protective hold (any incident's, or one incident's with
    `incident_id`; that incident's people with no active hold are listed in `affected`, not refused). Raises
    NotFound for an unknown incident, LinkageInputError when the manifest cannot be read or has neither an
    A-number nor a name and date-of-birth column (fail closed: no verdict)."""
    if incident_id is not None and session.get(IrIncident, incident_id) is None:
        raise NotFound(f"no incident {incident_id}")
    p = Path(path)
    table = read_people_table(p, sheet, what="manifest")
    frame = table.frame
    cols = manifest_columns(frame)
    people, keys = _people_frame(session, incident_id)
    sha = hashlib.sha256(p.read_bytes()).hexdigest()
    held: list[HeldRow] = []
    affected: list[HeldRow] = []
    people_cols = {"given": "given", "surname": "surname", "dob": "dob", "anumber": "anumber"}
    for i, hits, how in linked_rows(frame, cols, people, people_cols):
        name = manifest_name(frame, cols, i)
        anum = str(frame[cols["anumber"]][i] or "") if "anumber" in cols else ""
        hold_ids = tuple(sorted({h for h, _ in (keys[j] for j in hits) if h is not None}))
        row = HeldRow(
            table.first_row + i, mask(name), mask(anum), how, hold_ids, tuple(sorted({keys[j][1] for j in hits}))
        )
        (held if hold_ids else affected).append(row)
    audit.append(
        session, ManifestChecked(actor=actor, sha256=sha, rows=frame.height, held=len(held), incident_id=incident_id)
    )
    return ManifestCheck(frame.height, tuple(held), sha, tuple(affected), incident_id)
