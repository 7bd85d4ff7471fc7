"""Notifications: the worklist (one notice per affected person, one per attorney of record), letters, sending and
proof of delivery. The person's 30-day clock (holds.earliest_lift) starts at the first delivery of a notice to the
person themself; a notice to the attorney is tracked but does not start it.

Channels: `hand-delivery` (in custody), `mail` (released) and `attorney`. Worklist rows shown anywhere are masked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from veil.atomic_files import write_atomically
from veil.incident.events import NotificationChanged
from veil.incident.holds import earliest_lift
from veil.incident.letters import LetterSettings, render_pdf, render_text, template_language
from veil.masking import mask
from veil.store.base import utcnow
from veil.store.models_incident import IrAffected, IrExposedFile, IrIncident, IrNotification, IrRosterPerson
from veil.workflow import audit
from veil.workflow.errors import Invalid, NotFound, Refused

CHANNELS = ("hand-delivery", "mail", "attorney")
STATUSES = ("pending", "generated", "sent", "delivered", "returned")


def _aware(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def build_worklist(session: Session, incident: IrIncident, actor: str,
                   settings: LetterSettings | None = None) -> int:
    """Create the missing notices for every affected person (and their attorney). Returns how many were created."""
    have = {(a, r) for a, r in session.execute(
        select(IrNotification.affected_id, IrNotification.recipient).join(IrAffected)
        .where(IrAffected.incident_id == incident.id))}
    created = 0
    rows = session.execute(select(IrAffected, IrRosterPerson).join(IrRosterPerson,
                                                                   IrRosterPerson.id == IrAffected.person_id)
                           .where(IrAffected.incident_id == incident.id).order_by(IrAffected.id))
    for affected, person in rows:
        wanted = [("person", "hand-delivery" if person.in_custody else "mail", person.language or "en")]
        if person.attorney:
            wanted.append(("attorney", "attorney", "en"))
        for recipient, channel, language in wanted:
            if (affected.id, recipient) in have:
                continue
            note = IrNotification(affected_id=affected.id, recipient=recipient, channel=channel,
                                  language=template_language(recipient, language, settings))
            session.add(note)
            created += 1
    session.flush()
    if created:
        audit.append(session, NotificationChanged(actor=actor, notification_id=0, affected_id=0, action="created",
                                                  count=created))
    return created


def _get(session: Session, notification_id: int) -> tuple[IrNotification, IrAffected]:
    note = session.get(IrNotification, notification_id)
    if note is None:
        raise NotFound(f"no notification {notification_id}")
    affected = session.get(IrAffected, note.affected_id)
    assert affected is not None  # foreign key
    return note, affected


_FIELD_WORDS = {"en": {"dob": "date of birth", "nationality": "nationality", "anumber": "A-number",
                       "facility": "detention facility"},
                "es": {"dob": "fecha de nacimiento", "nationality": "nacionalidad", "anumber": "número A",
                       "facility": "centro de detención"}}


def letter_context(session: Session, note: IrNotification, affected: IrAffected, person: IrRosterPerson,
                   today: datetime | None = None) -> dict[str, object]:
    files = list(session.scalars(select(IrExposedFile).where(IrExposedFile.incident_id == affected.incident_id)))
    start = min((f.exposure_start for f in files), default=None)
    ends = [f.exposure_end for f in files if f.exposure_end]
    end = max(ends) if ends else None
    words = _FIELD_WORDS.get(note.language, _FIELD_WORDS["en"])
    evidence = affected.evidence or {}
    exposed = [words[k] for k in ("dob", "nationality", "anumber") if evidence.get(k, ["missing"])[0] != "missing"]
    exposed.append(words["facility"])
    joiner = " y " if note.language == "es" else " and "
    fields = ", ".join(exposed[:-1]) + joiner + exposed[-1] if len(exposed) > 1 else exposed[0]
    if affected.basis == "group-exposure":
        fields = ""
    fmt = "%d/%m/%Y" if note.language == "es" else "%B %d, %Y"
    return {
        "today": (today or utcnow()).strftime(fmt),
        "name": f"{person.given} {person.surname}".strip(),
        "address_lines": [ln.strip() for ln in person.address.replace(";", ",").split(",") if ln.strip()]
        if note.channel == "mail" else [person.facility] if person.facility else [],
        "attorney": person.attorney,
        "attorney_lines": [ln.strip() for ln in person.attorney_address.split(",") if ln.strip()],
        "incident_id": affected.incident_id,
        "notice_id": note.id,
        "anumber_tail": person.anumber[-3:] if person.anumber else "",
        "exposure_start": start.strftime(fmt) if start else "?",
        "exposure_end": end.strftime(fmt) if end else "?",
        "fields": fields,
        "group_exposure": affected.basis == "group-exposure",
        "group": affected.group,
        "custody": person.in_custody,
    }


def generate_letters(session: Session, incident: IrIncident, out_dir: str | Path, actor: str,
                     settings: LetterSettings | None = None, today: datetime | None = None,
                     notification_ids: list[int] | None = None) -> list[Path]:
    """A PDF for every pending notice of the incident (or of those listed), written to `out_dir` as
    notice-<id>-<language>.pdf. Written to a temporary name and renamed: a failure leaves no partial letter."""
    folder = Path(out_dir)
    if not folder.is_dir():
        raise Invalid(f"the letters folder does not exist: {folder}")
    written: list[Path] = []
    query = (select(IrNotification, IrAffected, IrRosterPerson)
             .join(IrAffected, IrAffected.id == IrNotification.affected_id)
             .join(IrRosterPerson, IrRosterPerson.id == IrAffected.person_id)
             .where(IrAffected.incident_id == incident.id, IrNotification.status == "pending")
             .order_by(IrNotification.id))
    if notification_ids is not None:
        query = query.where(IrNotification.id.in_(notification_ids))
    rows = session.execute(query)
    for note, affected, person in rows:
        text = render_text(note.recipient, note.language, letter_context(session, note, affected, person, today),
                           settings)
        pdf = render_pdf(text, title=f"Notice {note.id}")
        target = folder / f"notice-{note.id}-{note.language}.pdf"
        write_atomically(target, pdf)
        note.status, note.generated, note.letter_sha256 = "generated", utcnow(), hashlib.sha256(pdf).hexdigest()
        written.append(target)
    if written:
        audit.append(session, NotificationChanged(actor=actor, notification_id=0, affected_id=0, action="generated",
                                                  count=len(written)))
    return written


def mark_sent(session: Session, notification_id: int, actor: str, at: datetime | None = None,
              proof: str = "") -> IrNotification:
    note, affected = _get(session, notification_id)
    if note.status not in ("generated", "returned"):
        raise Refused(f"notification {note.id} is {note.status}: generate the letter first")
    note.status, note.sent, note.proof = "sent", _aware(at) if at else utcnow(), (proof or note.proof)[:300]
    audit.append(session, NotificationChanged(actor=actor, notification_id=note.id, affected_id=affected.id,
                                              action="sent"))
    return note


def mark_delivered(session: Session, notification_id: int, actor: str, proof: str,
                   at: datetime | None = None) -> IrNotification:
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
    audit.append(session, NotificationChanged(actor=actor, notification_id=note.id, affected_id=affected.id,
                                              action="delivered"))
    return note


def mark_returned(session: Session, notification_id: int, actor: str, reason: str = "") -> IrNotification:
    note, affected = _get(session, notification_id)
    if note.status != "sent":
        raise Refused(f"notification {note.id} is {note.status}: only a sent notice can come back")
    note.status, note.proof = "returned", reason[:300]
    audit.append(session, NotificationChanged(actor=actor, notification_id=note.id, affected_id=affected.id,
                                              action="returned"))
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


def worklist(session: Session, incident_id: int, status: str | None = None) -> list[WorkItem]:
    query = (select(IrNotification, IrAffected, IrRosterPerson)
             .join(IrAffected, IrAffected.id == IrNotification.affected_id)
             .join(IrRosterPerson, IrRosterPerson.id == IrAffected.person_id)
             .where(IrAffected.incident_id == incident_id).order_by(IrNotification.id))
    if status:
        query = query.where(IrNotification.status == status)
    out = []
    for note, affected, person in session.execute(query):
        name = mask(f"{person.surname}, {person.given}") if note.recipient == "person" else mask(person.attorney)
        out.append(WorkItem(note.id, affected.id, note.recipient, name, note.channel, note.language, note.status,
                            note.delivered, earliest_lift(affected)))
    return out
