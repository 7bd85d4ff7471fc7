"""The incident record: discovery (the clock starts there), exposed files, disclosures, tasks, the timeline, the
risk-of-harm assessment and the two reporting deadlines.

Every function takes the caller's write session: the change, its timeline entry and its audit-chain entry commit
together or not at all (`with db.write() as s: open_incident(s, ...)`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from veil.incident.events import IncidentChanged
from veil.store.base import utcnow
from veil.store.models_incident import (
    IrAffected,
    IrDisclosure,
    IrExposedFile,
    IrIncident,
    IrTask,
    IrTimelineEntry,
)
from veil.workflow import audit
from veil.workflow.errors import Invalid, NotFound

# OMB M-17-12 / CISA: report to the national incident centre within one hour of discovery.
CENTRE_DEADLINE = timedelta(hours=1)
# A major incident is reported to oversight within seven days.
OVERSIGHT_DEADLINE = timedelta(days=7)
MAJOR_THRESHOLD = 100_000

SEVERITIES = ("low", "moderate", "high", "critical")
STATUSES = ("open", "contained", "closed")
DISCLOSURE_CHANNELS = ("web", "email", "oral", "foreign-government")
RISK_FIELDS = ("nature_of_data", "sensitivity", "vulnerable_population", "likelihood_of_access", "breach_type")
OPENED_BY = ("takedown", "report", "manual")


def _aware(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def get_incident(session: Session, incident_id: int) -> IrIncident:
    incident = session.get(IrIncident, incident_id)
    if incident is None:
        raise NotFound(f"no incident {incident_id}")
    return incident


def add_timeline(session: Session, incident: IrIncident, kind: str, text: str, actor: str = "",
                 at: datetime | None = None) -> IrTimelineEntry:
    entry = IrTimelineEntry(incident_id=incident.id, at=_aware(at) if at else utcnow(), kind=kind, text=text,
                            actor=actor[:64])
    session.add(entry)
    return entry


def _changed(session: Session, incident: IrIncident, actor: str, action: str, detail: str = "") -> None:
    audit.append(session, IncidentChanged(actor=actor, incident_id=incident.id, action=action, detail=detail[:200]))


def open_incident(session: Session, actor: str, *, title: str, discovered: datetime, reporter: str = "",
                  channel: str = "", severity: str = "high", opened_by: str = "manual",
                  watch_incident_id: int | None = None) -> IrIncident:
    title = " ".join(title.split())
    if not title or len(title) > 200:
        raise Invalid("an incident needs a title of at most 200 characters")
    if severity not in SEVERITIES:
        raise Invalid(f"severity must be one of {', '.join(SEVERITIES)}")
    if opened_by not in OPENED_BY:
        raise Invalid(f"opened_by must be one of {', '.join(OPENED_BY)}")
    discovered = _aware(discovered)
    if discovered > utcnow() + timedelta(minutes=5):
        raise Invalid("the discovery time is in the future")
    incident = IrIncident(title=title, discovered=discovered, reporter=reporter[:200], channel=channel[:40],
                          severity=severity, opened_by=opened_by, watch_incident_id=watch_incident_id,
                          risk={}, deadlines_recorded=[])
    session.add(incident)
    session.flush()
    add_timeline(session, incident, "discovered", f"discovered ({opened_by})", actor, at=discovered)
    add_timeline(session, incident, "opened", "incident opened", actor)
    _changed(session, incident, actor, "opened", opened_by)
    return incident


def open_from_takedown(session: Session, watch_incident: Any, actor: str = "watch") -> IrIncident:
    """An incident from the watch's takedown record: discovery is the takedown (or the time it was opened) and the
    exposed file is the taken-down bytes, exposed from `exposure_start` to the takedown."""
    discovered = watch_incident.taken_down or watch_incident.opened
    incident = open_incident(session, actor, title=f"Exposed file {watch_incident.public_path}"[:200],
                             discovered=discovered, reporter="veil watch", channel="sweep", opened_by="takedown",
                             watch_incident_id=watch_incident.id)
    add_exposed_file(session, incident, actor, name=watch_incident.public_path.rsplit("/", 1)[-1],
                     sha256=watch_incident.sha256, size=watch_incident.size, location=watch_incident.public_path,
                     exposure_start=watch_incident.exposure_start, exposure_end=watch_incident.taken_down)
    return incident


def sync_watch_incidents(session: Session, actor: str = "watch") -> list[IrIncident]:
    """Open a response incident for every open takedown record of the watch that has none yet (idempotent: call it
    after each sweep or on a schedule)."""
    from veil.store.models_watch import Incident as WatchIncident

    known = set(session.scalars(select(IrIncident.watch_incident_id)
                                .where(IrIncident.watch_incident_id.is_not(None))))
    opened = []
    for watch in session.scalars(select(WatchIncident).where(WatchIncident.status == "open")
                                 .order_by(WatchIncident.id)):
        if watch.id not in known:
            opened.append(open_from_takedown(session, watch, actor))
    return opened


def add_exposed_file(session: Session, incident: IrIncident, actor: str, *, name: str, sha256: str, size: int,
                     location: str, exposure_start: datetime, exposure_end: datetime | None) -> IrExposedFile:
    if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
        raise Invalid("an exposed file needs its sha256 (64 lower-case hex digits)")
    start = _aware(exposure_start)
    end = _aware(exposure_end) if exposure_end else None
    if end is not None and end < start:
        raise Invalid("the exposure ends before it starts")
    record = IrExposedFile(incident_id=incident.id, name=name[:500], sha256=sha256, size=size,
                           location=location[:2000], exposure_start=start, exposure_end=end)
    session.add(record)
    session.flush()
    hours = f", {(end - start).total_seconds() / 3600:.1f} h" if end else ", still exposed"
    add_timeline(session, incident, "exposed-file", f"exposed file {record.name} ({sha256[:12]}…{hours})", actor)
    _changed(session, incident, actor, "file-added", sha256)
    return record


def add_disclosure(session: Session, incident: IrIncident, actor: str, *, channel: str, recipient: str,
                   at: datetime, what: str = "") -> IrDisclosure:
    if channel not in DISCLOSURE_CHANNELS:
        raise Invalid(f"a disclosure channel is one of {', '.join(DISCLOSURE_CHANNELS)}")
    record = IrDisclosure(incident_id=incident.id, channel=channel, recipient=recipient[:300], at=_aware(at),
                          what=what[:5000])
    session.add(record)
    session.flush()
    add_timeline(session, incident, "disclosure", f"disclosed by {channel}", actor, at=record.at)
    _changed(session, incident, actor, "disclosure", channel)
    return record


def add_task(session: Session, incident: IrIncident, actor: str, *, title: str, owner: str,
             due: datetime | None = None) -> IrTask:
    if not title.strip() or not owner.strip():
        raise Invalid("a task needs a title and an owner")
    task = IrTask(incident_id=incident.id, title=title.strip()[:300], owner=owner.strip()[:64],
                  due=_aware(due) if due else None)
    session.add(task)
    session.flush()
    add_timeline(session, incident, "task", f"task {task.id} assigned to {task.owner}", actor)
    _changed(session, incident, actor, "task", str(task.id))
    return task


def complete_task(session: Session, task_id: int, actor: str) -> IrTask:
    task = session.get(IrTask, task_id)
    if task is None:
        raise NotFound(f"no task {task_id}")
    task.status, task.done = "done", utcnow()
    incident = get_incident(session, task.incident_id)
    add_timeline(session, incident, "task", f"task {task.id} done", actor)
    _changed(session, incident, actor, "task-done", str(task.id))
    return task


def set_status(session: Session, incident: IrIncident, actor: str, status: str) -> None:
    if status not in STATUSES:
        raise Invalid(f"status must be one of {', '.join(STATUSES)}")
    previous, incident.status = incident.status, status
    incident.closed = utcnow() if status == "closed" else None
    add_timeline(session, incident, "status", f"status {previous} -> {status}", actor)
    _changed(session, incident, actor, "status", status)


def set_severity(session: Session, incident: IrIncident, actor: str, severity: str) -> None:
    if severity not in SEVERITIES:
        raise Invalid(f"severity must be one of {', '.join(SEVERITIES)}")
    incident.severity = severity
    add_timeline(session, incident, "severity", f"severity {severity}", actor)
    _changed(session, incident, actor, "severity", severity)


def assess_risk(session: Session, incident: IrIncident, actor: str, **fields: str) -> None:
    """The risk-of-harm assessment (OMB M-17-12): nature and sensitivity of the data, vulnerable population,
    likelihood of access, type of breach."""
    unknown = set(fields) - set(RISK_FIELDS)
    if unknown:
        raise Invalid(f"unknown risk field(s) {', '.join(sorted(unknown))} (known: {', '.join(RISK_FIELDS)})")
    incident.risk = {**(incident.risk or {}), **{k: str(v)[:1000] for k, v in fields.items()}}
    add_timeline(session, incident, "risk", f"risk assessment: {', '.join(sorted(fields))}", actor)
    _changed(session, incident, actor, "risk", ",".join(sorted(fields)))


def declare_major(session: Session, incident: IrIncident, actor: str, reason: str) -> None:
    if not reason.strip():
        raise Invalid("declaring a major incident needs a reason")
    incident.major, incident.major_reason = True, reason.strip()[:200]
    add_timeline(session, incident, "major", f"major incident: {incident.major_reason}", actor)
    _changed(session, incident, actor, "major", incident.major_reason)


def affected_count(session: Session, incident: IrIncident) -> int:
    return int(session.scalar(select(func.count()).select_from(IrAffected)
                              .where(IrAffected.incident_id == incident.id)) or 0)


def refresh_major(session: Session, incident: IrIncident, actor: str) -> None:
    """100,000 or more affected people makes the incident major (never undone automatically)."""
    if not incident.major and affected_count(session, incident) >= MAJOR_THRESHOLD:
        declare_major(session, incident, actor, f"{MAJOR_THRESHOLD:,} or more people affected")


def record_centre_report(session: Session, incident: IrIncident, actor: str, at: datetime | None = None,
                         reference: str = "") -> None:
    incident.centre_reported, incident.centre_reference = _aware(at) if at else utcnow(), reference[:100]
    add_timeline(session, incident, "reported", "reported to the national incident centre", actor,
                 at=incident.centre_reported)
    _changed(session, incident, actor, "centre-reported", reference[:100])
    record_deadlines(session, incident, actor)


def record_oversight_report(session: Session, incident: IrIncident, actor: str, at: datetime | None = None) -> None:
    incident.oversight_reported = _aware(at) if at else utcnow()
    add_timeline(session, incident, "reported", "reported to oversight", actor, at=incident.oversight_reported)
    _changed(session, incident, actor, "oversight-reported")
    record_deadlines(session, incident, actor)


@dataclass(frozen=True)
class Clock:
    name: str  # centre | oversight
    due: datetime
    done: datetime | None
    state: str  # running | met | missed | overdue (missed and still not done)
    remaining_seconds: float  # negative when past due

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "due": self.due.isoformat(), "done": self.done.isoformat() if self.done else None,
                "state": self.state, "remaining_seconds": round(self.remaining_seconds)}


def _clock(name: str, due: datetime, done: datetime | None, now: datetime) -> Clock:
    if done is not None:
        return Clock(name, due, done, "met" if done <= due else "missed", (due - done).total_seconds())
    return Clock(name, due, None, "running" if now <= due else "overdue", (due - now).total_seconds())


def deadlines(incident: IrIncident, now: datetime | None = None) -> list[Clock]:
    """The centre clock always; the oversight clock once the incident is major (it runs from discovery)."""
    now = _aware(now) if now else utcnow()
    found = _aware(incident.discovered)
    clocks = [_clock("centre", found + CENTRE_DEADLINE, incident.centre_reported, now)]
    if incident.major:
        clocks.append(_clock("oversight", found + OVERSIGHT_DEADLINE, incident.oversight_reported, now))
    return clocks


def record_deadlines(session: Session, incident: IrIncident, actor: str = "veil",
                     now: datetime | None = None) -> list[Clock]:
    """Write each deadline's outcome to the timeline once: met, missed (reported late) or missed (not reported
    when the clock ran out). Call it on every change and on a schedule."""
    clocks = deadlines(incident, now)
    recorded = list(incident.deadlines_recorded or [])
    for c in clocks:
        if c.state == "running":
            continue
        key = f"{c.name}:{'met' if c.state == 'met' else 'missed'}"
        if key in recorded:
            continue
        if c.state == "met" and f"{c.name}:missed" in recorded:
            continue
        what = {"centre": "report to the national incident centre (1 hour)", "oversight": "report to oversight "
                "(7 days)"}[c.name]
        add_timeline(session, incident, f"deadline-{'met' if c.state == 'met' else 'missed'}",
                     f"deadline {'met' if c.state == 'met' else 'missed'}: {what}", actor,
                     at=c.done if c.state in ("met", "missed") and c.done else c.due)
        recorded.append(key)
        _changed(session, incident, actor, "deadline", key)
    incident.deadlines_recorded = recorded
    return clocks


def centre_report(session: Session, incident: IrIncident) -> dict[str, Any]:
    """The fields of the national incident centre report (US-CERT/CISA incident notification), ready for JSON.
    Counts and kinds only: the report names no affected person."""
    files = list(session.scalars(select(IrExposedFile).where(IrExposedFile.incident_id == incident.id)))
    disclosures = list(session.scalars(select(IrDisclosure).where(IrDisclosure.incident_id == incident.id)))
    clocks = deadlines(incident)
    return {
        "incident_id": incident.id,
        "title": incident.title,
        "discovered": _aware(incident.discovered).isoformat(),
        "reported": incident.centre_reported.isoformat() if incident.centre_reported else None,
        "reporter_channel": incident.channel,
        "status": incident.status,
        "functional_impact": "none",
        "information_impact": "privacy",  # personally identifiable information was exposed
        "recoverability": "supplemented",
        "attack_vector": "improper usage" if incident.opened_by != "report" else "unknown",
        "severity": incident.severity,
        "major_incident": incident.major,
        "people_affected": affected_count(session, incident),
        "risk_of_harm": {k: (incident.risk or {}).get(k, "") for k in RISK_FIELDS},
        "exposed_files": [{"name": f.name, "sha256": f.sha256, "size": f.size, "location": f.location,
                           "exposure_start": f.exposure_start.isoformat(),
                           "exposure_end": f.exposure_end.isoformat() if f.exposure_end else None}
                          for f in files],
        "disclosures": [{"channel": d.channel, "at": d.at.isoformat()} for d in disclosures],
        "deadlines": [c.as_dict() for c in clocks],
    }


def centre_report_json(session: Session, incident: IrIncident) -> str:
    return json.dumps(centre_report(session, incident), indent=2, ensure_ascii=False)


def timeline(session: Session, incident: IrIncident) -> list[IrTimelineEntry]:
    return list(session.scalars(select(IrTimelineEntry).where(IrTimelineEntry.incident_id == incident.id)
                                .order_by(IrTimelineEntry.at, IrTimelineEntry.id)))
