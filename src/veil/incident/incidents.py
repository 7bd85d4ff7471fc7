"""The one incident record: discovery (the clocks start there), exposed files with their exposure window,
disclosures, tasks, the timeline, the risk-of-harm assessment and the oversight determination (clocks.py runs the
deadlines).

A takedown, a sweep finding, an outside report and a manual opening all call `open_or_join`: the same file bytes
(sha256) open one incident and every later signal joins it. The exposure window starts at the earliest evidence
(the publication record, the file's first sighting, an access-log request that delivered it, a report, a
responder's statement) and is recomputed whenever evidence arrives.

Every function takes the caller's write session: the change, its timeline entry and its audit-chain entry commit
together or not at all (`with db.write() as s: open_incident(s, ...)`).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from veil.incident.events import IncidentChanged
from veil.shown_names import shown_name
from veil.store.base import utcnow
from veil.store.models_incident import (
    IrAffected,
    IrDisclosure,
    IrExposedFile,
    IrIncident,
    IrTask,
    IrTimelineEntry,
)
from veil.store.models_releases import Publication
from veil.workflow import audit
from veil.workflow.errors import Invalid, NotFound

MAJOR_THRESHOLD = 100_000

SEVERITIES = ("low", "moderate", "high", "critical")
STATUSES = ("open", "contained", "closed")
DISCLOSURE_CHANNELS = ("web", "email", "oral", "foreign-government")
RISK_FIELDS = ("nature_of_data", "sensitivity", "vulnerable_population", "likelihood_of_access", "breach_type")
OPENED_BY = ("takedown", "report", "sweep", "manual", "publication")
# Exposure evidence, by what it is. Persisted names (exposed files' `evidence`, audit payloads): never rename one.
EVIDENCE = ("publication", "first-seen", "access-log", "reported", "manual", "discovered")
# Finding kinds that mean a file discloses identified people: with people of the protected roster in it (or these
# findings in a file from a protected-records system) the file holds protected-status data.
PERSON_KINDS = frozenset({"record-level", "person-in-text", "name-list", "named-list", "hidden-names"})
PROTECTED_BASIS = (
    "the exposed file holds records of people whose protected status is confidential (8 CFR 208.6, 8 U.S.C. 1367)"
)


def aware(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


def duration(start: datetime, end: datetime) -> str:
    """An exposure's length as people read it: '4 h 19 min', '2 d 3 h', '40 s'."""
    seconds = max(0, int((aware(end) - aware(start)).total_seconds()))
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    if days:
        return f"{days} d {hours} h"
    if hours or minutes:
        return f"{hours} h {minutes} min"
    return f"{secs} s"


def get_incident(session: Session, incident_id: int) -> IrIncident:
    incident = session.get(IrIncident, incident_id)
    if incident is None:
        raise NotFound(f"no incident {incident_id}")
    return incident


def add_timeline(
    session: Session, incident: IrIncident, kind: str, text: str, actor: str = "", at: datetime | None = None
) -> IrTimelineEntry:
    entry = IrTimelineEntry(
        incident_id=incident.id, at=aware(at) if at else utcnow(), kind=kind, text=text, actor=actor[:64]
    )
    session.add(entry)
    return entry


def changed(session: Session, incident: IrIncident, actor: str, action: str, detail: str = "") -> None:
    audit.append(session, IncidentChanged(actor=actor, incident_id=incident.id, action=action, detail=detail[:200]))


def open_incident(
    session: Session,
    actor: str,
    *,
    title: str,
    discovered: datetime,
    reporter: str = "",
    channel: str = "",
    severity: str = "high",
    opened_by: str = "manual",
) -> IrIncident:
    title = " ".join(title.split())
    if not title or len(title) > 200:
        raise Invalid("an incident needs a title of at most 200 characters")
    if severity not in SEVERITIES:
        raise Invalid(f"severity must be one of {', '.join(SEVERITIES)}")
    if opened_by not in OPENED_BY:
        raise Invalid(f"opened_by must be one of {', '.join(OPENED_BY)}")
    discovered = aware(discovered)
    if discovered > utcnow() + timedelta(minutes=5):
        raise Invalid("the discovery time is in the future")
    incident = IrIncident(
        title=title,
        discovered=discovered,
        reporter=reporter[:200],
        channel=channel[:40],
        severity=severity,
        opened_by=opened_by,
        risk={},
        deadlines_recorded=[],
    )
    session.add(incident)
    session.flush()
    add_timeline(session, incident, "discovered", f"discovered ({opened_by})", actor, at=discovered)
    add_timeline(session, incident, "opened", "incident opened", actor)
    changed(session, incident, actor, "opened", opened_by)
    return incident


def add_exposed_file(
    session: Session,
    incident: IrIncident,
    actor: str,
    *,
    name: str,
    sha256: str,
    size: int,
    location: str,
    exposure_start: datetime,
    exposure_end: datetime | None,
    start_source: str = "manual",
) -> IrExposedFile:
    if not _is_sha256(sha256):
        raise Invalid("an exposed file needs its sha256 (64 lower-case hex digits)")
    if start_source not in EVIDENCE:
        raise Invalid(f"exposure evidence is one of {', '.join(EVIDENCE)}")
    start = aware(exposure_start)
    end = aware(exposure_end) if exposure_end else None
    if end is not None and end < start:
        raise Invalid("the exposure ends before it starts")
    record = IrExposedFile(
        incident_id=incident.id,
        name=name[:500],
        sha256=sha256,
        size=size,
        location=location[:2000],
        locations=[location[:2000]] if location else [],
        exposure_start=start,
        exposure_start_source=start_source,
        evidence={start_source: start.isoformat()},
        exposure_end=end,
        end_source="manual" if end else "",
        reasons=[],
        finding_kinds=[],
    )
    session.add(record)
    session.flush()
    hours = f", exposed {duration(start, end)}" if end else ", still exposed"
    shown = shown_name(record.name)  # masked when the name itself holds personal data
    add_timeline(session, incident, "exposed-file", f"exposed file {shown} ({sha256[:12]}…{hours})", actor)
    changed(session, incident, actor, "file-added", sha256)
    return record


def _is_sha256(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def exposed_files(session: Session, incident_id: int) -> list[IrExposedFile]:
    return list(
        session.scalars(
            select(IrExposedFile).where(IrExposedFile.incident_id == incident_id).order_by(IrExposedFile.id)
        )
    )


def exposure_window(session: Session, incident_id: int) -> tuple[datetime | None, datetime | None]:
    """The incident's window: the earliest start and the latest end of its files (end None: still exposed)."""
    files = exposed_files(session, incident_id)
    if not files:
        return None, None
    ends = [aware(f.exposure_end) for f in files if f.exposure_end]
    return min(aware(f.exposure_start) for f in files), (max(ends) if len(ends) == len(files) else None)


def open_or_join(
    session: Session,
    *,
    sha256: str,
    path: str | None,
    url: str | None,
    source: str,
    actor: str,
    title: str | None = None,
    seen_at: datetime | None = None,
    taken_down: datetime | None = None,
    exposed_to: datetime | None = None,
    size: int = 0,
    site: str = "",
    verdict: str = "",
    reasons: tuple[str, ...] | list[str] = (),
    finding_kinds: tuple[str, ...] | list[str] = (),
    quarantine_path: str = "",
    local_path: str = "",
    sweep_run_id: int | None = None,
) -> IrIncident:
    """Open the incident for these file bytes, or join the open one that already holds them.

    `source` is the signal: takedown | report | sweep | manual | publication. `seen_at` is when that signal saw the
    file public (a sweep's first sighting, a reporter's or responder's statement); a takedown ends the exposure at
    `taken_down` (default: now). The publication record of the same bytes is looked up here. Every call is on the
    timeline and in the audit chain; the exposure window is recomputed from all the evidence.
    """
    sha256 = sha256.lower()
    if not _is_sha256(sha256):
        raise Invalid("an exposed file needs its sha256 (64 lower-case hex digits)")
    if source not in OPENED_BY:
        raise Invalid(f"an incident is opened by one of {', '.join(OPENED_BY)}")
    where = (path or url or "").strip()
    now = utcnow()
    found = session.execute(
        select(IrExposedFile, IrIncident)
        .join(IrIncident)
        .where(IrExposedFile.sha256 == sha256, IrIncident.status != "closed")
        .order_by(IrIncident.id, IrExposedFile.id)
        .limit(1)
    ).first()
    if found is None:
        name = where.rstrip("/").rsplit("/", 1)[-1] or f"file {sha256[:12]}"
        # The default title names the bytes, not the file: a file name can carry a person's name.
        incident = open_incident(
            session,
            actor,
            title=title or f"Exposed file {sha256[:12]}",
            discovered=now,
            opened_by=source,
            channel=source,
        )
        exposed = add_exposed_file(
            session,
            incident,
            actor,
            name=name,
            sha256=sha256,
            size=size,
            location=where,
            exposure_start=now,
            exposure_end=None,
            start_source="discovered",
        )
    else:
        exposed, incident = found
        add_timeline(
            session,
            incident,
            "joined",
            f"{source}: the same file ({sha256[:12]}…)" + (f" at {where}" if where else ""),
            actor,
        )
        changed(session, incident, actor, "joined", source)
        if where and where not in (exposed.locations or []):
            exposed.locations = [*(exposed.locations or []), where[:2000]]
            exposed.location = exposed.location or where[:2000]
    exposed.size = size or exposed.size
    for field, value in (
        ("site", site[:500]),
        ("verdict", verdict[:20]),
        ("quarantine_path", quarantine_path[:1000]),
        ("local_path", local_path[:2000]),
    ):
        if value:
            setattr(exposed, field, value)
    if reasons:
        exposed.reasons = sorted({*(exposed.reasons or []), *reasons})
    if finding_kinds:
        exposed.finding_kinds = sorted({*(exposed.finding_kinds or []), *finding_kinds})
    if sweep_run_id is not None:
        exposed.sweep_run_id = sweep_run_id
    seen = aware(seen_at) if seen_at else None
    kind = {
        "sweep": "first-seen",
        "takedown": "first-seen",
        "report": "reported",
        "manual": "manual",
        "publication": "publication",
    }[source]
    if seen is not None or source == "report":
        note_evidence(session, incident, exposed, kind, seen or now, actor)
    publication = session.scalars(
        select(Publication).where(Publication.sha256 == sha256).order_by(Publication.published).limit(1)
    ).first()
    if publication is not None:
        exposed.publication_id = exposed.publication_id or publication.id
        note_evidence(session, incident, exposed, "publication", publication.published, actor)
    end = (
        (aware(taken_down) if taken_down else now)
        if source == "takedown"
        else (aware(exposed_to) if exposed_to else None)
    )
    if end is not None:
        set_exposure_end(session, incident, exposed, end, "takedown" if source == "takedown" else "manual", actor)
    refresh_oversight(session, incident, actor)
    return incident


def note_evidence(
    session: Session, incident: IrIncident, exposed: IrExposedFile, kind: str, at: datetime, actor: str
) -> bool:
    """Record one piece of exposure evidence (the earliest of each kind is kept) and recompute the window's start.
    Returns True when the start moved."""
    if kind not in EVIDENCE:
        raise Invalid(f"exposure evidence is one of {', '.join(EVIDENCE)}")
    at = aware(at)
    evidence = dict(exposed.evidence or {})
    known = evidence.get(kind)
    if known is None or datetime.fromisoformat(known) > at:
        evidence[kind] = at.isoformat()
        exposed.evidence = evidence
    # Some evidence is to the second (a sweep's first sighting): within the same second the better-founded kind wins.
    first_kind, first = min(
        ((k, datetime.fromisoformat(v)) for k, v in evidence.items()),
        key=lambda kv: (kv[1].replace(microsecond=0), EVIDENCE.index(kv[0])),
    )
    if first == aware(exposed.exposure_start) and first_kind == exposed.exposure_start_source:
        return False
    previous = aware(exposed.exposure_start)
    exposed.exposure_start, exposed.exposure_start_source = first, first_kind
    add_timeline(
        session,
        incident,
        "exposure",
        f"exposure of {shown_name(exposed.name)} starts {first:%Y-%m-%d %H:%M:%S} "
        f"UTC ({first_kind}; was {previous:%Y-%m-%d %H:%M:%S} UTC)",
        actor,
    )
    changed(session, incident, actor, "exposure-start", f"{first_kind} {first.isoformat()}")
    return True


def set_exposure_end(
    session: Session, incident: IrIncident, exposed: IrExposedFile, end: datetime, source: str, actor: str
) -> None:
    """The exposure ends at the last takedown (or a responder's statement); an end before the start is refused."""
    end = aware(end)
    if end < aware(exposed.exposure_start):
        raise Invalid("the exposure ends before it starts")
    if exposed.exposure_end is not None and aware(exposed.exposure_end) >= end:
        return
    exposed.exposure_end, exposed.end_source = end, source
    add_timeline(
        session,
        incident,
        "exposure",
        f"exposure of {shown_name(exposed.name)} ends {end:%Y-%m-%d %H:%M:%S} "
        f"UTC ({source}; exposed {duration(aware(exposed.exposure_start), end)})",
        actor,
    )
    changed(session, incident, actor, "exposure-end", f"{source} {end.isoformat()}")


def add_disclosure(
    session: Session, incident: IrIncident, actor: str, *, channel: str, recipient: str, at: datetime, what: str = ""
) -> IrDisclosure:
    if channel not in DISCLOSURE_CHANNELS:
        raise Invalid(f"a disclosure channel is one of {', '.join(DISCLOSURE_CHANNELS)}")
    record = IrDisclosure(
        incident_id=incident.id, channel=channel, recipient=recipient[:300], at=aware(at), what=what[:5000]
    )
    session.add(record)
    session.flush()
    add_timeline(session, incident, "disclosure", f"disclosed by {channel}", actor, at=record.at)
    changed(session, incident, actor, "disclosure", channel)
    return record


def add_task(
    session: Session, incident: IrIncident, actor: str, *, title: str, owner: str, due: datetime | None = None
) -> IrTask:
    if not title.strip() or not owner.strip():
        raise Invalid("a task needs a title and an owner")
    task = IrTask(
        incident_id=incident.id, title=title.strip()[:300], owner=owner.strip()[:64], due=aware(due) if due else None
    )
    session.add(task)
    session.flush()
    add_timeline(session, incident, "task", f"task {task.id} assigned to {task.owner}", actor)
    changed(session, incident, actor, "task", str(task.id))
    return task


def complete_task(session: Session, task_id: int, actor: str) -> IrTask:
    task = session.get(IrTask, task_id)
    if task is None:
        raise NotFound(f"no task {task_id}")
    task.status, task.done = "done", utcnow()
    incident = get_incident(session, task.incident_id)
    add_timeline(session, incident, "task", f"task {task.id} done", actor)
    changed(session, incident, actor, "task-done", str(task.id))
    return task


def set_status(session: Session, incident: IrIncident, actor: str, status: str) -> None:
    if status not in STATUSES:
        raise Invalid(f"status must be one of {', '.join(STATUSES)}")
    previous, incident.status = incident.status, status
    incident.closed = utcnow() if status == "closed" else None
    add_timeline(session, incident, "status", f"status {previous} -> {status}", actor)
    changed(session, incident, actor, "status", status)


def set_severity(session: Session, incident: IrIncident, actor: str, severity: str) -> None:
    if severity not in SEVERITIES:
        raise Invalid(f"severity must be one of {', '.join(SEVERITIES)}")
    incident.severity = severity
    add_timeline(session, incident, "severity", f"severity {severity}", actor)
    changed(session, incident, actor, "severity", severity)


def assess_risk(session: Session, incident: IrIncident, actor: str, **fields: str) -> None:
    """The risk-of-harm assessment (OMB M-17-12): nature and sensitivity of the data, vulnerable population,
    likelihood of access, type of breach."""
    unknown = set(fields) - set(RISK_FIELDS)
    if unknown:
        raise Invalid(f"unknown risk field(s) {', '.join(sorted(unknown))} (known: {', '.join(RISK_FIELDS)})")
    incident.risk = {**(incident.risk or {}), **{k: str(v)[:1000] for k, v in fields.items()}}
    add_timeline(session, incident, "risk", f"risk assessment: {', '.join(sorted(fields))}", actor)
    changed(session, incident, actor, "risk", ",".join(sorted(fields)))


def declare_major(session: Session, incident: IrIncident, actor: str, reason: str) -> None:
    if not reason.strip():
        raise Invalid("declaring a major incident needs a reason")
    incident.major, incident.major_reason = True, reason.strip()[:200]
    add_timeline(session, incident, "major", f"major incident: {incident.major_reason}", actor)
    changed(session, incident, actor, "major", incident.major_reason)


def affected_count(session: Session, incident: IrIncident) -> int:
    return int(
        session.scalar(select(func.count()).select_from(IrAffected).where(IrAffected.incident_id == incident.id)) or 0
    )


def refresh_major(session: Session, incident: IrIncident, actor: str) -> None:
    """100,000 or more affected people makes the incident major (never undone automatically)."""
    if not incident.major and affected_count(session, incident) >= MAJOR_THRESHOLD:
        declare_major(session, incident, actor, f"{MAJOR_THRESHOLD:,} or more people affected")
    refresh_oversight(session, incident, actor)


def holds_protected_data(session: Session, incident: IrIncident) -> bool:
    """Whether an exposed file holds protected-status data: people of the protected roster were found in it, or
    the checker found identified people in it. The count does not matter."""
    linked = session.scalar(
        select(IrAffected.id).where(IrAffected.incident_id == incident.id, IrAffected.exposed_row.is_not(None)).limit(1)
    )
    if linked is not None:
        return True
    return any(PERSON_KINDS & set(f.finding_kinds or []) for f in exposed_files(session, incident.id))


def refresh_oversight(session: Session, incident: IrIncident, actor: str) -> None:
    """Veil's own determination of the oversight clock (protected-status data, or a major incident), unless a
    responder recorded one: theirs stands until they change it."""
    if incident.oversight_set_by:
        return
    if incident.major:
        required, basis = True, f"major incident: {incident.major_reason}"
    elif holds_protected_data(session, incident):
        required, basis = True, PROTECTED_BASIS
    else:
        required, basis = False, ""
    if required and not incident.oversight_required:
        incident.oversight_required, incident.oversight_basis = True, basis[:300]
        add_timeline(session, incident, "oversight", f"oversight clock runs: {basis}", actor)
        changed(session, incident, actor, "oversight", "required")


def determine_oversight(session: Session, incident: IrIncident, actor: str, *, required: bool, reason: str) -> None:
    """A responder's determination (with a reason) of whether oversight must be told: it overrides Veil's."""
    reason = " ".join(reason.split())
    if not reason:
        raise Invalid("a determination about oversight needs a reason")
    incident.oversight_required, incident.oversight_basis = required, reason[:300]
    incident.oversight_set_by = actor[:64] or "responder"
    add_timeline(
        session,
        incident,
        "oversight",
        f"determination by {incident.oversight_set_by}: oversight "
        f"{'must' if required else 'need not'} be told ({reason[:200]})",
        actor,
    )
    changed(session, incident, actor, "oversight-determination", "required" if required else "not-required")


def timeline(session: Session, incident: IrIncident) -> list[IrTimelineEntry]:
    return list(
        session.scalars(
            select(IrTimelineEntry)
            .where(IrTimelineEntry.incident_id == incident.id)
            .order_by(IrTimelineEntry.at, IrTimelineEntry.id)
        )
    )
