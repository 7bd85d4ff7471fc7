"""The reporting clocks of an incident, their warnings, and the national incident centre report.

    centre     report to the national incident centre within 1 hour of discovery (OMB M-17-12 / CISA)
    oversight  report to oversight within 7 days of discovery, whenever the oversight clock runs: the exposed file
               holds protected-status data (8 CFR 208.6, 8 U.S.C. 1367) whatever the count, or the incident is
               major, or a responder determined so (incidents.determine_oversight)

`record_deadlines` writes each outcome (met, missed) to the timeline once, and `due_warnings` returns the warnings
not yet given at 50% and 90% of each running clock (recorded once each); the sweeper sends them through its alert
channels (`veil.watch.alerts`). Call both on every change and on a schedule.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from veil.incident.incidents import (
    RISK_FIELDS,
    add_timeline,
    affected_count,
    aware,
    changed,
    exposed_files,
)
from veil.store.base import utcnow
from veil.store.models_incident import IrDisclosure, IrIncident

CENTRE_DEADLINE = timedelta(hours=1)
OVERSIGHT_DEADLINE = timedelta(days=7)
WARN_AT = (50, 90)  # percent of a clock's time gone
_WHAT = {"centre": "report to the national incident centre (1 hour)", "oversight": "report to oversight (7 days)"}


def record_centre_report(session: Session, incident: IrIncident, actor: str, at: datetime | None = None,
                         reference: str = "") -> None:
    incident.centre_reported, incident.centre_reference = aware(at) if at else utcnow(), reference[:100]
    add_timeline(session, incident, "reported", "reported to the national incident centre", actor,
                 at=incident.centre_reported)
    changed(session, incident, actor, "centre-reported", reference[:100])
    record_deadlines(session, incident, actor)


def record_oversight_report(session: Session, incident: IrIncident, actor: str, at: datetime | None = None) -> None:
    incident.oversight_reported = aware(at) if at else utcnow()
    add_timeline(session, incident, "reported", "reported to oversight", actor, at=incident.oversight_reported)
    changed(session, incident, actor, "oversight-reported")
    record_deadlines(session, incident, actor)


@dataclass(frozen=True)
class Clock:
    name: str  # centre | oversight
    start: datetime
    due: datetime
    done: datetime | None
    state: str  # running | met | missed | overdue (missed and still not done)
    remaining_seconds: float  # negative when past due

    @property
    def used_percent(self) -> float:
        """How much of the clock's time is gone (100 and more: due)."""
        total = (self.due - self.start).total_seconds()
        return 100.0 * (1 - self.remaining_seconds / total) if total else 100.0

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "due": self.due.isoformat(), "done": self.done.isoformat() if self.done else None,
                "state": self.state, "remaining_seconds": round(self.remaining_seconds),
                "used_percent": round(min(self.used_percent, 100.0), 1)}


def _clock(name: str, start: datetime, due: datetime, done: datetime | None, now: datetime) -> Clock:
    if done is not None:
        return Clock(name, start, due, done, "met" if done <= due else "missed", (due - done).total_seconds())
    return Clock(name, start, due, None, "running" if now <= due else "overdue", (due - now).total_seconds())


def deadlines(incident: IrIncident, now: datetime | None = None) -> list[Clock]:
    """The centre clock always; the oversight clock whenever it runs. Both run from discovery."""
    now = aware(now) if now else utcnow()
    found = aware(incident.discovered)
    clocks = [_clock("centre", found, found + CENTRE_DEADLINE, incident.centre_reported, now)]
    if incident.oversight_required or incident.major:
        clocks.append(_clock("oversight", found, found + OVERSIGHT_DEADLINE, incident.oversight_reported, now))
    return clocks


def record_deadlines(session: Session, incident: IrIncident, actor: str = "veil",
                     now: datetime | None = None) -> list[Clock]:
    """Write each deadline's outcome to the timeline once: met, missed (reported late) or missed (not reported
    when the clock ran out)."""
    clocks = deadlines(incident, now)
    recorded = list(incident.deadlines_recorded or [])
    for c in clocks:
        if c.state == "running":
            continue
        outcome = "met" if c.state == "met" else "missed"
        key = f"{c.name}:{outcome}"
        if key in recorded or (outcome == "met" and f"{c.name}:missed" in recorded):
            continue
        add_timeline(session, incident, f"deadline-{outcome}", f"deadline {outcome}: {_WHAT[c.name]}", actor,
                     at=c.done if c.done else c.due)
        recorded.append(key)
        changed(session, incident, actor, "deadline", key)
    incident.deadlines_recorded = recorded
    return clocks


@dataclass(frozen=True)
class ClockWarning:
    incident_id: int
    title: str
    clock: str
    percent: int
    due: datetime
    remaining_seconds: float

    def as_dict(self) -> dict[str, Any]:
        # No title: an alert travels through mail servers and chat tools, and a title may name a file.
        return {"incident_id": self.incident_id, "clock": self.clock, "percent": self.percent,
                "due": self.due.isoformat(timespec="seconds"), "remaining_seconds": round(self.remaining_seconds),
                "what": _WHAT[self.clock]}


def due_warnings(session: Session, incident: IrIncident, actor: str = "veil",
                 now: datetime | None = None) -> list[ClockWarning]:
    """The warnings of this incident's running clocks that are due and were not given yet (50% and 90% of the
    time gone). Each is recorded once (timeline and audit), so a caller sends it once."""
    recorded = list(incident.deadlines_recorded or [])
    out: list[ClockWarning] = []
    for c in deadlines(incident, now):
        if c.state not in ("running", "overdue") or c.done is not None:
            continue
        for percent in WARN_AT:
            key = f"{c.name}:{percent}%"
            if c.used_percent < percent or key in recorded:
                continue
            recorded.append(key)
            left = max(c.remaining_seconds, 0)
            add_timeline(session, incident, "deadline-warning", f"{percent}% of the time gone: {_WHAT[c.name]} "
                         f"is due {c.due:%Y-%m-%d %H:%M} UTC ({left / 3600:.1f} h left)", actor)
            changed(session, incident, actor, "deadline-warning", key)
            out.append(ClockWarning(incident.id, incident.title, c.name, percent, c.due, c.remaining_seconds))
    incident.deadlines_recorded = recorded
    return out


def open_incidents_warnings(session: Session, actor: str = "veil", now: datetime | None = None) -> list[ClockWarning]:
    """Every open incident's due warnings (and deadline outcomes recorded on the way)."""
    out: list[ClockWarning] = []
    for incident in session.scalars(select(IrIncident).where(IrIncident.status != "closed").order_by(IrIncident.id)):
        record_deadlines(session, incident, actor, now)
        out += due_warnings(session, incident, actor, now)
    return out


def centre_report(session: Session, incident: IrIncident) -> dict[str, Any]:
    """The fields of the national incident centre report (US-CERT/CISA incident notification), ready for JSON.
    Counts and kinds only: the report names no affected person."""
    files = exposed_files(session, incident.id)
    disclosures = list(session.scalars(select(IrDisclosure).where(IrDisclosure.incident_id == incident.id)))
    return {
        "incident_id": incident.id,
        "title": incident.title,
        "discovered": aware(incident.discovered).isoformat(),
        "reported": incident.centre_reported.isoformat() if incident.centre_reported else None,
        "reporter_channel": incident.channel,
        "status": incident.status,
        "functional_impact": "none",
        "information_impact": "privacy",  # personally identifiable information was exposed
        "recoverability": "supplemented",
        "attack_vector": "improper usage" if incident.opened_by != "report" else "unknown",
        "severity": incident.severity,
        "major_incident": incident.major,
        "oversight_required": incident.oversight_required,
        "oversight_basis": incident.oversight_basis,
        "people_affected": affected_count(session, incident),
        "risk_of_harm": {k: (incident.risk or {}).get(k, "") for k in RISK_FIELDS},
        "exposed_files": [{"name": f.name, "sha256": f.sha256, "size": f.size, "location": f.location,
                           "exposure_start": aware(f.exposure_start).isoformat(),
                           "exposure_start_source": f.exposure_start_source,
                           "exposure_end": aware(f.exposure_end).isoformat() if f.exposure_end else None}
                          for f in files],
        "disclosures": [{"channel": d.channel, "at": d.at.isoformat()} for d in disclosures],
        "deadlines": [c.as_dict() for c in deadlines(incident)],
    }


def centre_report_json(session: Session, incident: IrIncident) -> str:
    return json.dumps(centre_report(session, incident), indent=2, ensure_ascii=False)
