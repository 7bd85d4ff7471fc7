"""Notifications: the worklist (one notice per affected person, one per attorney of record), letters, sending and
proof of delivery. The person's 30-day clock (holds.earliest_lift) starts at the first delivery of a notice to the
person themself; a notice to the attorney is tracked but does not start it.

Letters follow the person's status at the time they are made: in custody (or in custody review) -> the facility,
by hand; released -> the home address, by mail; removed -> the last known address, by mail, with the attorney's
copy. Never a foreign government. The 30-day no-removal promise goes only to people it applies to (not to people
already removed). A person whose language has no template, or whose letter has nowhere to go, waits: the notice is
`waiting` with the reason, and is made as soon as the template or address exists (never English instead).
Worklist rows shown anywhere are masked.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from veil.atomic_files import write_atomically
from veil.incident.events import NotificationChanged
from veil.incident.holds import earliest_lift
from veil.incident.incidents import exposure_window
from veil.incident.letters import (
    FontMissing,
    LetterSettings,
    language_code,
    render_pdf,
    render_text,
    template_language,
)
from veil.masking import mask
from veil.store.base import utcnow
from veil.store.models_incident import IrAffected, IrIncident, IrNotification, IrRosterPerson
from veil.workflow import audit
from veil.workflow.errors import Invalid, NotFound, Refused

CHANNELS = ("hand-delivery", "mail", "attorney")
STATUSES = ("waiting", "pending", "generated", "sent", "delivered", "returned")
ISSUED = ("generated", "sent", "delivered")  # a letter exists for the notice
IN_CUSTODY = ("in-custody", "custody-review")


def _aware(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def removed(affected: IrAffected) -> bool:
    return affected.status.startswith("removed-")


def delivery(affected: IrAffected, person: IrRosterPerson) -> tuple[str, str, list[str]]:
    """(channel, address kind, address lines) of the person's own letter, by their status now. No lines: the
    letter has nowhere to go."""
    if affected.status in IN_CUSTODY:
        return "hand-delivery", "facility", [person.facility] if person.facility else []
    lines = [ln.strip() for ln in person.address.replace(";", ",").split(",") if ln.strip()]
    return "mail", "last-known" if removed(affected) else "home", lines


def _plan(note: IrNotification, affected: IrAffected, person: IrRosterPerson, settings: LetterSettings | None) -> None:
    """Set the notice's channel, address and language from the person's status and language now; a notice that
    cannot be made waits, with the reason."""
    if note.recipient == "attorney":
        note.channel, note.address_kind, note.language = "attorney", "attorney", "en"
        reason = "" if person.attorney_address.strip() else "no attorney address"
    else:
        note.channel, note.address_kind, lines = delivery(affected, person)
        code = language_code(person.language or "en")
        note.language = code
        if template_language("person", code, settings) is None:
            reason = f"no letter template in {code}"
        elif not lines:
            reason = "no facility" if note.address_kind == "facility" else "no address"
        else:
            reason = ""
    note.waiting_reason = reason[:200]
    if note.status in ("waiting", "pending"):
        note.status = "waiting" if reason else "pending"


def build_worklist(session: Session, incident: IrIncident, actor: str, settings: LetterSettings | None = None) -> int:
    """Create the missing notices for every affected person (and their attorney), and look again at the waiting
    ones (a template or an address may exist now). Returns how many were created."""
    have = {
        (n.affected_id, n.recipient): n
        for n in session.scalars(select(IrNotification).join(IrAffected).where(IrAffected.incident_id == incident.id))
    }
    created = 0
    rows = session.execute(
        select(IrAffected, IrRosterPerson)
        .join(IrRosterPerson, IrRosterPerson.id == IrAffected.person_id)
        .where(IrAffected.incident_id == incident.id)
        .order_by(IrAffected.id)
    )
    for affected, person in rows:
        wanted = ["person"] + (["attorney"] if person.attorney else [])
        for recipient in wanted:
            note = have.get((affected.id, recipient))
            if note is None:
                note = IrNotification(affected_id=affected.id, recipient=recipient, channel="mail", status="pending")
                session.add(note)
                created += 1
            if note.status in ("waiting", "pending"):
                _plan(note, affected, person, settings)
    session.flush()
    if created:
        audit.append(
            session, NotificationChanged(actor=actor, notification_id=0, affected_id=0, action="created", count=created)
        )
    return created


def _get(session: Session, notification_id: int) -> tuple[IrNotification, IrAffected]:
    note = session.get(IrNotification, notification_id)
    if note is None:
        raise NotFound(f"no notification {notification_id}")
    affected = session.get(IrAffected, note.affected_id)
    assert affected is not None  # foreign key
    return note, affected


def _zone(settings: LetterSettings) -> ZoneInfo | None:
    try:
        return ZoneInfo(settings.zone) if settings.zone.upper() != "UTC" else None
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"unknown time zone {settings.zone!r} for letters") from None


def letter_context(
    session: Session,
    note: IrNotification,
    affected: IrAffected,
    person: IrRosterPerson,
    today: datetime | None = None,
    settings: LetterSettings | None = None,
    window: tuple[datetime | None, datetime | None] | None = None,
) -> dict[str, object]:
    """What a template gets: datetimes in the letter's time zone (templates format them in their language) and
    the exposed fields as keys (templates name them)."""
    settings = settings or LetterSettings()
    zone = _zone(settings)

    def local(when: datetime | None) -> datetime | None:
        return None if when is None else _aware(when).astimezone(zone) if zone else _aware(when)

    start, end = window or exposure_window(session, affected.incident_id)
    evidence = affected.evidence or {}
    fields = [k for k in ("dob", "nationality", "anumber") if evidence.get(k, ["missing"])[0] != "missing"]
    fields.append("facility")
    channel, _, lines = delivery(affected, person)
    zone_name = (local(start) or utcnow()).tzname() if zone else "UTC"
    return {
        "today": local(today or utcnow()),
        "zone": zone_name,
        "name": f"{person.given} {person.surname}".strip(),
        "address_lines": lines,
        "channel": channel,
        "attorney": person.attorney,
        "attorney_lines": [ln.strip() for ln in person.attorney_address.split(",") if ln.strip()],
        "incident_id": affected.incident_id,
        "notice_id": note.id,
        "anumber_tail": person.anumber[-3:] if person.anumber else "",
        "start": local(start) or local(utcnow()),
        "end": local(end),
        "fields": [] if affected.basis == "group-exposure" else fields,
        "group_exposure": affected.basis == "group-exposure",
        "group": affected.group,
        "custody": affected.status in IN_CUSTODY,
        "hold": not removed(affected),  # the 30-day promise: only to people who can still be removed
        "removed": removed(affected),
        "removed_on": local(affected.status_changed) if removed(affected) else None,
    }


BATCH = 64  # letters handed to worker processes at a time, in 16s; no workers for 8 batches or fewer


def _layout(job: tuple[str, str, str]) -> tuple[bytes | None, str]:
    """(PDF, '') or (None, why) for one letter's (text, title, language); in a worker process or this one."""
    text, title, language = job
    try:
        return render_pdf(text, title=title, language=language), ""
    except FontMissing as exc:
        return None, str(exc)


def _layouts(jobs: list[tuple[str, str, str]], workers: int) -> Iterator[tuple[bytes | None, str]]:
    """The PDFs of the letters in order, laid out in batches by up to `workers` processes (each loads its fonts
    once); at most a few batches of PDFs are held in memory at a time."""
    if workers <= 1 or len(jobs) <= BATCH * 8:  # starting workers costs seconds: only for many letters
        yield from map(_layout, jobs)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    step = BATCH * workers * 4
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        for start in range(0, len(jobs), step):
            yield from pool.map(_layout, jobs[start : start + step], chunksize=max(1, BATCH // 4))


def generate_letters(
    session: Session,
    incident: IrIncident,
    out_dir: str | Path,
    actor: str,
    settings: LetterSettings | None = None,
    today: datetime | None = None,
    notification_ids: list[int] | None = None,
    workers: int = 1,
) -> list[Path]:
    """A PDF for every pending notice of the incident (or of those listed), written to `out_dir` as
    notice-<id>-<language>.pdf. Each notice is planned again from the person's status first (a released person's
    letter goes home). The texts are written here; the PDFs are laid out in batches, by `workers` processes
    when there are more than 8 batches of `BATCH` letters (started with 'spawn': a script calling this with
    workers > 1 needs the usual `if __name__ == "__main__":` guard). Each PDF is written to a temporary name and
    renamed: a failure leaves no partial letter."""
    folder = Path(out_dir)
    if not folder.is_dir():
        raise Invalid(f"the letters folder does not exist: {folder}")
    query = (
        select(IrNotification, IrAffected, IrRosterPerson)
        .join(IrAffected, IrAffected.id == IrNotification.affected_id)
        .join(IrRosterPerson, IrRosterPerson.id == IrAffected.person_id)
        .where(IrAffected.incident_id == incident.id, IrNotification.status.in_(("pending", "waiting")))
        .order_by(IrNotification.id)
    )
    if notification_ids is not None:
        query = query.where(IrNotification.id.in_(notification_ids))
    window = exposure_window(session, incident.id)
    todo: list[tuple[IrNotification, tuple[str, str, str]]] = []
    for note, affected, person in session.execute(query).all():
        _plan(note, affected, person, settings)
        if note.status != "pending":
            continue
        context = letter_context(session, note, affected, person, today, settings, window=window)
        todo.append(
            (note, (render_text(note.recipient, note.language, context, settings), f"Notice {note.id}", note.language))
        )
    written: list[Path] = []
    for (note, _), (pdf, why) in zip(todo, _layouts([job for _, job in todo], workers), strict=True):
        if pdf is None:
            note.status, note.waiting_reason = "waiting", why[:200]
            continue
        target = folder / f"notice-{note.id}-{note.language}.pdf"
        write_atomically(target, pdf)
        note.status, note.generated, note.letter_sha256 = "generated", utcnow(), hashlib.sha256(pdf).hexdigest()
        written.append(target)
    if written:
        audit.append(
            session,
            NotificationChanged(actor=actor, notification_id=0, affected_id=0, action="generated", count=len(written)),
        )
    return written


def mark_sent(
    session: Session, notification_id: int, actor: str, at: datetime | None = None, proof: str = ""
) -> IrNotification:
    note, affected = _get(session, notification_id)
    if note.status not in ("generated", "returned"):
        raise Refused(f"notification {note.id} is {note.status}: generate the letter first")
    note.status, note.sent, note.proof = "sent", _aware(at) if at else utcnow(), (proof or note.proof)[:300]
    audit.append(
        session, NotificationChanged(actor=actor, notification_id=note.id, affected_id=affected.id, action="sent")
    )
    return note


def mark_delivered(
    session: Session, notification_id: int, actor: str, proof: str, at: datetime | None = None
) -> IrNotification:
    """Delivery with its proof (signed receipt, tracking number, witness). Starts the person's 30-day clock."""
    if not proof.strip():
        raise Invalid("delivery needs a proof: a signed receipt, tracking number or witness reference")
    note, affected = _get(session, notification_id)
    if note.status not in ("generated", "sent"):
        raise Refused(f"notification {note.id} is {note.status}: it cannot be marked delivered")
    when = _aware(at) if at else utcnow()
    if note.sent is not None and when < note.sent:
        raise Invalid("delivery cannot precede sending")
    note.status, note.delivered, note.proof = "delivered", when, proof.strip()[:300]
    if note.recipient == "person" and (affected.notified is None or when < affected.notified):
        affected.notified = when
    audit.append(
        session, NotificationChanged(actor=actor, notification_id=note.id, affected_id=affected.id, action="delivered")
    )
    return note


def mark_returned(session: Session, notification_id: int, actor: str, reason: str = "") -> IrNotification:
    note, affected = _get(session, notification_id)
    if note.status != "sent":
        raise Refused(f"notification {note.id} is {note.status}: only a sent notice can come back")
    note.status, note.proof = "returned", reason[:300]
    audit.append(
        session, NotificationChanged(actor=actor, notification_id=note.id, affected_id=affected.id, action="returned")
    )
    return note


@dataclass(frozen=True)
class WorkItem:
    notification_id: int
    affected_id: int
    recipient: str
    name: str  # masked
    channel: str
    language: str
    status: str
    delivered: datetime | None
    hold_until: datetime | None  # earliest lift: 30 days after the person's first delivery
    waiting_reason: str = ""
    address_kind: str = ""


def worklist(session: Session, incident_id: int, status: str | None = None) -> list[WorkItem]:
    query = (
        select(IrNotification, IrAffected, IrRosterPerson)
        .join(IrAffected, IrAffected.id == IrNotification.affected_id)
        .join(IrRosterPerson, IrRosterPerson.id == IrAffected.person_id)
        .where(IrAffected.incident_id == incident_id)
        .order_by(IrNotification.id)
    )
    if status:
        query = query.where(IrNotification.status == status)
    out = []
    for note, affected, person in session.execute(query):
        name = mask(f"{person.surname}, {person.given}") if note.recipient == "person" else mask(person.attorney)
        out.append(
            WorkItem(
                note.id,
                affected.id,
                note.recipient,
                name,
                note.channel,
                note.language,
                note.status,
                note.delivered,
                earliest_lift(affected),
                note.waiting_reason,
                note.address_kind,
            )
        )
    return out
