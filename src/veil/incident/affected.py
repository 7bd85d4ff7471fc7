"""Who was exposed: the exposed file's people linked to the roster (veil.incident.linkage), the clerical-review
queue (a clerk accepts a candidate, adds a person the linkage did not offer, or rejects the row; a `none` row is
not final), group exposure, and each affected person's status with its history.

Every affected person gets a protective hold in the same transaction that makes them affected (holds.place_hold):
there is no moment at which someone is known to be exposed and not held.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from veil.incident import holds
from veil.incident.events import HoldChanged, PeopleLinked, PersonStatusChanged
from veil.incident.exposed import read_exposed_table
from veil.incident.incidents import add_timeline, get_incident, refresh_major
from veil.incident.linkage import Decision, link_table
from veil.incident.linkage_columns import LinkageInputError
from veil.incident.roster import roster_frame, roster_link_mapping
from veil.store.base import utcnow
from veil.store.models_incident import (
    IrAffected,
    IrExposedFile,
    IrHold,
    IrIncident,
    IrReviewItem,
    IrRosterPerson,
    IrStatusChange,
)
from veil.workflow import audit
from veil.workflow.errors import Invalid, NotFound, Refused

STATUSES = ("in-custody", "released", "custody-review", "removed-before-exposure",
            "removed-after-exposure-before-notice", "removed-after-notice", "returned", "case-reopened")
# The figure that must stay zero.
MUST_STAY_ZERO = "removed-after-exposure-before-notice"


@dataclass(frozen=True)
class LinkSummary:
    accepted: int
    review: int
    none: int
    already_affected: int
    notes: tuple[str, ...]


def _add_affected(session: Session, incident: IrIncident, person_id: int, basis: str, actor: str, *,
                  exposed_row: int | None = None, probability: float = 1.0,
                  evidence: dict[str, list[object]] | None = None, group: str = "") -> IrAffected | None:
    """Add one affected person (None when already affected in this incident) and hold them at once."""
    existing = session.scalar(select(IrAffected).where(IrAffected.incident_id == incident.id,
                                                       IrAffected.person_id == person_id))
    if existing is not None:
        return None
    person = session.get(IrRosterPerson, person_id)
    if person is None:
        raise NotFound(f"no roster person {person_id}")
    affected = IrAffected(incident_id=incident.id, person_id=person_id, basis=basis, exposed_row=exposed_row,
                          probability=probability, evidence=evidence or {}, group=group[:100],
                          status="in-custody" if person.in_custody else "released")
    session.add(affected)
    session.flush()
    holds.place_hold(session, affected)
    return affected


def _add_many(session: Session, incident: IrIncident, specs: list[dict[str, Any]], actor: str) -> int:
    """Add many affected people at once (each spec: person_id, basis and optional exposed_row, probability,
    evidence, group), skipping those already affected, and hold every one of them in the same flush. One audit
    entry records the holds placed; each hold row keeps its own time."""
    if not specs:
        return 0
    existing = set(session.scalars(select(IrAffected.person_id).where(IrAffected.incident_id == incident.id)))
    wanted = {int(sp["person_id"]): sp for sp in specs if int(sp["person_id"]) not in existing}
    if not wanted:
        return 0
    custody: dict[int, bool] = {}
    ids = list(wanted)
    for start in range(0, len(ids), 900):  # under SQLite's bound-parameter limit
        custody.update({pid: bool(c) for pid, c in session.execute(
            select(IrRosterPerson.id, IrRosterPerson.in_custody).where(IrRosterPerson.id.in_(ids[start:start + 900])))})
    missing = set(ids) - set(custody)
    if missing:
        raise NotFound(f"no roster person {min(missing)}")
    rows = [IrAffected(incident_id=incident.id, status="in-custody" if custody[pid] else "released",
                       **sp) for pid, sp in wanted.items()]
    session.add_all(rows)
    session.flush()
    now = utcnow()
    session.add_all([IrHold(affected_id=a.id, person_id=a.person_id, placed=now) for a in rows])
    session.flush()
    audit.append(session, HoldChanged(actor=actor, incident_id=incident.id, action="placed", holds=len(rows)))
    return len(rows)


def link_exposed_file(session: Session, incident: IrIncident, exposed: IrExposedFile, exposed_path: str | Path,
                      roster_id: int, actor: str, *, exposed_mapping: Mapping[str, str] | None = None,
                      sheet: str | None = None) -> LinkSummary:
    """Link the exposed file's people to a stored roster: accepted -> affected (and held), review -> the clerical
    queue with every candidate, none -> listed as non-matches (a clerk may still add the person). Raises
    LinkageInputError when the file cannot be read (nothing written)."""
    if exposed.incident_id != incident.id:
        raise Invalid("the exposed file belongs to another incident")
    if exposed.people or session.scalar(select(IrReviewItem.id).where(IrReviewItem.exposed_file_id == exposed.id)
                                        .limit(1)) is not None:
        raise Refused(f"the exposed file {exposed.id} was already linked")
    table = read_exposed_table(exposed_path, sheet)
    roster = roster_frame(session, roster_id)
    if roster.height == 0:
        raise LinkageInputError(f"roster {roster_id} is empty or does not exist")
    # As `veil link` links the same files (link_table): the exposed table's own mapping (several tables of people
    # gathered), and the facility compared when both the file and the stored roster have one.
    result = link_table(table, roster, "pid", exposed_mapping=exposed_mapping,
                        roster_mapping=roster_link_mapping(roster))
    specs: list[dict[str, Any]] = []
    for m in result.matches:
        cands = [{"person_id": int(c.roster_id), "probability": round(c.probability, 6),
                  "evidence": {k: list(v) for k, v in c.evidence.items()}} for c in m.candidates]
        if m.decision is Decision.ACCEPTED:
            specs.append({"person_id": cands[0]["person_id"], "basis": "in-file", "exposed_row": m.row,
                          "probability": cands[0]["probability"], "evidence": cands[0]["evidence"]})
        else:
            session.add(IrReviewItem(incident_id=incident.id, exposed_file_id=exposed.id, exposed_row=m.row,
                                     candidates=cands, state="pending" if m.decision is Decision.REVIEW else "none"))
    # Two rows of the file can be one person: the second is not a new affected person.
    already = len(specs) - _add_many(session, incident, specs, actor)
    exposed.rows = exposed.people = len(result.matches)
    accepted, review, none = (result.count(Decision.ACCEPTED), result.count(Decision.REVIEW),
                              result.count(Decision.NONE))
    add_timeline(session, incident, "linked", f"{len(result.matches):,} people in {exposed.name}: {accepted:,} "
                 f"matched, {review:,} for review, {none:,} not in the roster", actor)
    audit.append(session, PeopleLinked(actor=actor, incident_id=incident.id, exposed_file_id=exposed.id,
                                       accepted=accepted, review=review, none=none))
    refresh_major(session, incident, actor)
    return LinkSummary(accepted, review, none, already, tuple(result.notes))


def resolve_review(session: Session, item_id: int, actor: str, person_id: int | None) -> IrAffected | None:
    """A clerk's decision on a review item: one of its candidates (affected, held) or none of them."""
    item = session.get(IrReviewItem, item_id)
    if item is None:
        raise NotFound(f"no review item {item_id}")
    if item.state != "pending":
        raise Refused(f"review item {item_id} is already {item.state}")
    if person_id is None:
        reject_row(session, item, actor)
        return None
    return settle_row(session, item, actor, person_id)


REVIEW_OPEN = ("pending", "none", "rejected")  # rows a clerk can still settle


def review_item_for_row(session: Session, incident_id: int, row: int, file_id: int | None = None) -> IrReviewItem:
    """The review item of exposed row `row` (1 = first data row); `file_id` picks the file when several have it."""
    query = select(IrReviewItem).where(IrReviewItem.incident_id == incident_id, IrReviewItem.exposed_row == row)
    if file_id is not None:
        query = query.where(IrReviewItem.exposed_file_id == file_id)
    items = list(session.scalars(query))
    if not items:
        raise NotFound(f"row {row} of the exposed file is not waiting for review in incident {incident_id}")
    if len(items) > 1:
        raise Invalid(f"row {row} is in several exposed files: name the file (FILE_ID:ROW)")
    return items[0]


def roster_person(session: Session, ref: str) -> IrRosterPerson:
    """A roster person by the roster's own id (the newest roster that has it)."""
    person = session.scalars(select(IrRosterPerson).where(IrRosterPerson.ref == ref.strip())
                             .order_by(IrRosterPerson.roster_id.desc()).limit(1)).first()
    if person is None:
        raise NotFound("no roster person with that id (check the roster id column)")
    return person


def settle_row(session: Session, item: IrReviewItem, actor: str, person_id: int, *, add: bool = False
               ) -> IrAffected | None:
    """A clerk links a review row to a roster person: one of its candidates (`add=False`), or anyone in the
    roster the linkage did not offer (`add=True`: for `none` rows and missed candidates). The person becomes
    affected and is held. Returns None when they were affected already (another row, or a group)."""
    if item.state not in REVIEW_OPEN:
        raise Refused(f"row {item.exposed_row} was already settled ({item.state})")
    chosen = next((c for c in item.candidates if c.get("person_id") == person_id), None)
    if chosen is None and not add:
        raise Invalid(f"row {item.exposed_row}: that person is not one of its candidates (use add to link a person "
                      "the linkage did not offer)")
    incident = get_incident(session, item.incident_id)
    item.state = "accepted" if chosen is not None else "added"
    item.resolved_by, item.resolved = actor[:64], utcnow()
    affected = _add_affected(session, incident, person_id, "review-confirmed" if chosen else "clerk-added", actor,
                             exposed_row=item.exposed_row,
                             probability=float(chosen.get("probability", 0.0)) if chosen else 1.0,  # type: ignore[arg-type]
                             evidence=chosen.get("evidence", {}) if chosen else {"clerk": ["added", 0.0]})  # type: ignore[arg-type]
    add_timeline(session, incident, "review", f"row {item.exposed_row}: {'matched' if chosen else 'added'} by a "
                 "clerk", actor)
    audit.append(session, PeopleLinked(actor=actor, incident_id=incident.id, exposed_file_id=item.exposed_file_id,
                                       accepted=1, review=-1 if item.state == "accepted" else 0,
                                       none=-1 if chosen is None else 0))
    refresh_major(session, incident, actor)
    return affected


def reject_row(session: Session, item: IrReviewItem, actor: str) -> None:
    """None of the candidates: the row stays a non-match (and can still be added later)."""
    if item.state not in ("pending", "none"):
        raise Refused(f"row {item.exposed_row} was already settled ({item.state})")
    item.state, item.resolved_by, item.resolved = "rejected", actor[:64], utcnow()
    incident = get_incident(session, item.incident_id)
    add_timeline(session, incident, "review", f"row {item.exposed_row}: no match", actor)
    audit.append(session, PeopleLinked(actor=actor, incident_id=incident.id, exposed_file_id=item.exposed_file_id,
                                       accepted=0, review=-1, none=1))


def add_group_exposure(session: Session, incident: IrIncident, roster_id: int, group: str, actor: str) -> int:
    """Everyone in the roster group (e.g. a removal flight) whose connection to the file was disclosed: those not
    already affected are added as `group-exposure` and held. Returns how many were added."""
    group = group.strip()
    if not group:
        raise Invalid("name the group (e.g. the flight number)")
    members = [pid for pid, groups in session.execute(
        select(IrRosterPerson.id, IrRosterPerson.groups).where(IrRosterPerson.roster_id == roster_id))
        if group in (groups or [])]
    if not members:
        raise Invalid("nobody in the roster belongs to that group")
    added = _add_many(session, incident, [{"person_id": pid, "basis": "group-exposure", "group": group[:100]}
                                          for pid in members], actor)
    add_timeline(session, incident, "group-exposure", f"group exposure: {len(members):,} in the group, {added:,} "
                 "added as affected", actor)
    audit.append(session, PeopleLinked(actor=actor, incident_id=incident.id, exposed_file_id=0, accepted=0,
                                       review=0, none=0, group_exposure=added))
    refresh_major(session, incident, actor)
    return added


def exposure_start(session: Session, incident_id: int) -> datetime | None:
    starts = list(session.scalars(select(IrExposedFile.exposure_start).where(IrExposedFile.incident_id == incident_id)))
    return min(starts) if starts else None


def classify_removal(when: datetime, start: datetime | None, notified: datetime | None) -> str:
    """A removal by its date: before the exposure, after the person's notice, or in between (must stay zero)."""
    if start is not None and when < start:
        return "removed-before-exposure"
    if notified is not None and when >= notified:
        return "removed-after-notice"
    return MUST_STAY_ZERO


def set_status(session: Session, affected_id: int, status: str, actor: str, *, at: datetime | None = None,
               acknowledge_alert: bool = False, source: str = "") -> str:
    """Record a person's status. `removed` is classified by date: before the exposure, after the notice, or
    after the exposure but before notice — the figure that must stay zero: that is refused unless
    `acknowledge_alert` records a removal that has already happened (then an alert goes on the timeline).
    A removal while a hold is active is refused outright. Returns the status recorded."""
    affected = session.get(IrAffected, affected_id)
    if affected is None:
        raise NotFound(f"no affected person {affected_id}")
    when = at or utcnow()
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when
    incident = get_incident(session, affected.incident_id)
    if status == "removed":
        notified = affected.notified.replace(tzinfo=UTC) if affected.notified and affected.notified.tzinfo is None \
            else affected.notified
        status = classify_removal(when, exposure_start(session, incident.id), notified)
    if status not in STATUSES:
        raise Invalid(f"status must be 'removed' or one of {', '.join(STATUSES)}")
    if status == MUST_STAY_ZERO:
        if not acknowledge_alert:
            raise Refused(f"ALERT: recording this removal would make '{MUST_STAY_ZERO}' non-zero "
                          f"(affected person {affected.id}, under a protective hold); refused")
        add_timeline(session, incident, "alert", f"ALERT: affected person {affected.id} removed after the exposure "
                     "and before notice", actor, at=when)
    if status == "removed-after-notice" and holds.active_hold(session, affected) is not None \
            and not acknowledge_alert:
        raise Refused(f"affected person {affected.id} is under a protective hold: removal refused")
    previous, affected.status, affected.status_changed = affected.status, status, when
    session.add(IrStatusChange(affected_id=affected.id, status=status, at=when, actor=actor[:64],
                               source=source[:300]))
    audit.append(session, PersonStatusChanged(actor=actor, affected_id=affected.id, status=status, previous=previous))
    return status


def status_history(session: Session, affected_id: int) -> list[IrStatusChange]:
    return list(session.scalars(select(IrStatusChange).where(IrStatusChange.affected_id == affected_id)
                                .order_by(IrStatusChange.at, IrStatusChange.id)))


def reclassify_removals(session: Session, incident: IrIncident, actor: str) -> int:
    """After the exposure window moved: removals are classified again by their dates. Returns how many changed."""
    start = exposure_start(session, incident.id)
    moved = 0
    for affected in session.scalars(select(IrAffected).where(IrAffected.incident_id == incident.id,
                                                             IrAffected.status.like("removed-%"))):
        when = affected.status_changed.replace(tzinfo=UTC) if affected.status_changed.tzinfo is None \
            else affected.status_changed
        notified = affected.notified.replace(tzinfo=UTC) if affected.notified and affected.notified.tzinfo is None \
            else affected.notified
        status = classify_removal(when, start, notified)
        if status != affected.status:
            previous, affected.status = affected.status, status
            session.add(IrStatusChange(affected_id=affected.id, status=status, at=when, actor=actor[:64],
                                       source="exposure window moved"))
            audit.append(session, PersonStatusChanged(actor=actor, affected_id=affected.id, status=status,
                                                      previous=previous))
            moved += 1
    if moved:
        add_timeline(session, incident, "status", f"{moved:,} removal(s) classified again: the exposure window "
                     "moved", actor)
    return moved


def review_queue(session: Session, incident_id: int, state: str = "pending") -> list[IrReviewItem]:
    return list(session.scalars(select(IrReviewItem).where(IrReviewItem.incident_id == incident_id,
                                                           IrReviewItem.state == state)
                                .order_by(IrReviewItem.exposed_row)))


def affected_people(session: Session, incident_id: int) -> list[tuple[IrAffected, IrRosterPerson]]:
    return [(a, p) for a, p in session.execute(
        select(IrAffected, IrRosterPerson).join(IrRosterPerson, IrRosterPerson.id == IrAffected.person_id)
        .where(IrAffected.incident_id == incident_id).order_by(IrAffected.id))]
