"""Incident response: the one incident record, its exposed files, the roster, affected people, holds, statuses,
notifications and downloads.

Tables are prefixed `ir_`. There is one incident model: a takedown, a sweep finding, an outside report and a manual
opening all open or join the same `IrIncident` for the same file bytes (`veil.incident.incidents.open_or_join`);
what the sweeper knows about a file (site, verdict, reasons, quarantine, publication) lives on its `IrExposedFile`.
The roster and affected-person tables hold personal data by necessity (they are the system of records extract);
everything shown from them outside a letter is masked by the code that reads them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from veil.store.base import Base, UTCDateTime, utcnow


class IrIncident(Base):
    __tablename__ = "ir_incidents"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    # takedown | report | sweep | manual | publication: the first signal
    opened_by: Mapped[str] = mapped_column(String(20), default="manual")
    # The clock starts at discovery, not at the moment the record was created.
    discovered: Mapped[datetime] = mapped_column(UTCDateTime)
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reporter: Mapped[str] = mapped_column(String(200), default="")
    channel: Mapped[str] = mapped_column(String(40), default="")
    # open | contained | closed
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    # low | moderate | high | critical
    severity: Mapped[str] = mapped_column(String(20), default="high")
    major: Mapped[bool] = mapped_column(Boolean, default=False)
    major_reason: Mapped[str] = mapped_column(String(200), default="")
    # risk-of-harm assessment: nature_of_data, sensitivity, vulnerable_population, likelihood_of_access, breach_type
    risk: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    centre_reported: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    centre_reference: Mapped[str] = mapped_column(String(100), default="")
    oversight_reported: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # Whether the oversight clock runs: Veil's determination (protected-status data in the exposed file), unless a
    # responder recorded another one with a reason (`oversight_set_by` is then their name).
    oversight_required: Mapped[bool] = mapped_column(Boolean, default=False)
    oversight_basis: Mapped[str] = mapped_column(String(300), default="")
    oversight_set_by: Mapped[str] = mapped_column(String(64), default="")
    # deadline names already written to the timeline as met or missed
    deadlines_recorded: Mapped[list[str]] = mapped_column(JSON, default=list)
    closed: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class IrExposedFile(Base):
    __tablename__ = "ir_exposed_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("ir_incidents.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger, default=0)
    location: Mapped[str] = mapped_column(String(2000))  # URL or path where it was exposed (the first one seen)
    locations: Mapped[list[str]] = mapped_column(JSON, default=list)  # every public path and URL of these bytes
    # The exposure window starts at the earliest evidence: {"publication" | "first-seen" | "access-log" |
    # "reported" | "manual" | "discovered": ISO time}; `exposure_start_source` names the one that won.
    exposure_start: Mapped[datetime] = mapped_column(UTCDateTime)
    exposure_start_source: Mapped[str] = mapped_column(String(20), default="discovered")
    evidence: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    exposure_end: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    end_source: Mapped[str] = mapped_column(String(20), default="")  # takedown | manual
    rows: Mapped[int] = mapped_column(Integer, default=0)  # rows of people in the file (set when linked)
    people: Mapped[int] = mapped_column(Integer, default=0)
    # What the sweeper and the checker know about the bytes (masked kinds and reasons only).
    site: Mapped[str] = mapped_column(String(500), default="")
    verdict: Mapped[str] = mapped_column(String(20), default="")
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    finding_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    quarantine_path: Mapped[str] = mapped_column(String(1000), default="")
    local_path: Mapped[str] = mapped_column(String(2000), default="")  # the copy a responder gave (not kept by Veil)
    publication_id: Mapped[int | None] = mapped_column(ForeignKey("publications.id"), nullable=True)
    sweep_run_id: Mapped[int | None] = mapped_column(ForeignKey("sweep_runs.id"), nullable=True)


class IrDisclosure(Base):
    __tablename__ = "ir_disclosures"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("ir_incidents.id", ondelete="CASCADE"), index=True)
    # web | email | oral | foreign-government
    channel: Mapped[str] = mapped_column(String(30))
    recipient: Mapped[str] = mapped_column(String(300))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    what: Mapped[str] = mapped_column(Text, default="")


class IrTask(Base):
    __tablename__ = "ir_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("ir_incidents.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    owner: Mapped[str] = mapped_column(String(64))
    due: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    # open | done
    status: Mapped[str] = mapped_column(String(20), default="open")
    done: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class IrTimelineEntry(Base):
    __tablename__ = "ir_timeline"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("ir_incidents.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    actor: Mapped[str] = mapped_column(String(64), default="")


class IrRoster(Base):
    __tablename__ = "ir_rosters"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    sha256: Mapped[str] = mapped_column(String(64))
    imported: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    mapping: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)


class IrRosterPerson(Base):
    __tablename__ = "ir_roster_people"
    __table_args__ = (UniqueConstraint("roster_id", "ref", name="uq_ir_roster_people_roster_ref"),
                      Index("ix_ir_roster_people_anumber", "anumber"))

    id: Mapped[int] = mapped_column(primary_key=True)
    roster_id: Mapped[int] = mapped_column(ForeignKey("ir_rosters.id", ondelete="CASCADE"), index=True)
    ref: Mapped[str] = mapped_column(String(100))  # the roster's own person id
    given: Mapped[str] = mapped_column(String(200), default="")
    surname: Mapped[str] = mapped_column(String(200), default="")
    dob: Mapped[date | None] = mapped_column(Date, nullable=True)
    nationality: Mapped[str] = mapped_column(String(100), default="")
    anumber: Mapped[str] = mapped_column(String(9), default="")  # 9 digits, or empty
    facility: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(10), default="en")
    address: Mapped[str] = mapped_column(Text, default="")
    in_custody: Mapped[bool] = mapped_column(Boolean, default=False)
    attorney: Mapped[str] = mapped_column(String(200), default="")
    attorney_address: Mapped[str] = mapped_column(Text, default="")
    groups: Mapped[list[str]] = mapped_column(JSON, default=list)  # e.g. flight or bus numbers


class IrAffected(Base):
    __tablename__ = "ir_affected"
    __table_args__ = (UniqueConstraint("incident_id", "person_id", name="uq_ir_affected_incident_person"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("ir_incidents.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("ir_roster_people.id"), index=True)
    # in-file | group-exposure | review-confirmed
    basis: Mapped[str] = mapped_column(String(30))
    exposed_row: Mapped[int | None] = mapped_column(Integer, nullable=True)
    probability: Mapped[float] = mapped_column(default=1.0)
    evidence: Mapped[dict[str, list[object]]] = mapped_column(JSON, default=dict)
    group: Mapped[str] = mapped_column(String(100), default="")
    added: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # in-custody | released | custody-review | removed-before-exposure | removed-after-exposure-before-notice
    # | removed-after-notice | returned | case-reopened
    status: Mapped[str] = mapped_column(String(50), default="in-custody", index=True)
    status_changed: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    notified: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)  # first delivery: the 30-day clock


class IrStatusChange(Base):
    """A person's status history: every status recorded, with when it happened and who recorded it from where."""

    __tablename__ = "ir_status_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    affected_id: Mapped[int] = mapped_column(ForeignKey("ir_affected.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(50))
    at: Mapped[datetime] = mapped_column(UTCDateTime)  # when it happened
    recorded: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(64), default="")
    source: Mapped[str] = mapped_column(String(300), default="")  # a status file's name, "web", "review"


class IrReviewItem(Base):
    """An exposed row the linkage could not settle: its candidates wait for a clerk."""

    __tablename__ = "ir_review_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("ir_incidents.id", ondelete="CASCADE"), index=True)
    exposed_file_id: Mapped[int] = mapped_column(ForeignKey("ir_exposed_files.id", ondelete="CASCADE"))
    exposed_row: Mapped[int] = mapped_column(Integer)
    # [{"person_id": int, "probability": float, "evidence": {...}}, ...] best first
    candidates: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    # pending | accepted | rejected | added, and 'none' for rows with no candidate: kept so the list of non-matches
    # is complete, and not final (a clerk can still add the person by their roster id)
    state: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    resolved_by: Mapped[str] = mapped_column(String(64), default="")
    resolved: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class IrHold(Base):
    __tablename__ = "ir_holds"

    id: Mapped[int] = mapped_column(primary_key=True)
    affected_id: Mapped[int] = mapped_column(ForeignKey("ir_affected.id", ondelete="CASCADE"), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("ir_roster_people.id"), index=True)
    placed: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    lifted: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True, index=True)
    lifted_by: Mapped[str] = mapped_column(String(64), default="")
    lift_reason: Mapped[str] = mapped_column(Text, default="")


class IrNotification(Base):
    __tablename__ = "ir_notifications"

    id: Mapped[int] = mapped_column(primary_key=True)
    affected_id: Mapped[int] = mapped_column(ForeignKey("ir_affected.id", ondelete="CASCADE"), index=True)
    # person | attorney
    recipient: Mapped[str] = mapped_column(String(20))
    # hand-delivery | mail | attorney
    channel: Mapped[str] = mapped_column(String(20))
    language: Mapped[str] = mapped_column(String(10), default="en")
    # facility (in custody) | home (released) | last-known (removed) | attorney
    address_kind: Mapped[str] = mapped_column(String(20), default="")
    # waiting (no template in the person's language, or no font for its script) | pending | generated | sent |
    # delivered | returned
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    waiting_reason: Mapped[str] = mapped_column(String(200), default="")
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    generated: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    letter_sha256: Mapped[str] = mapped_column(String(64), default="")
    sent: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    delivered: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    proof: Mapped[str] = mapped_column(String(300), default="")  # tracking number, receipt or witness reference


class IrAccessRequest(Base):
    """One request for an exposed URL inside the exposure window: who may hold a copy (for claw-back)."""

    __tablename__ = "ir_access_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("ir_incidents.id", ondelete="CASCADE"), index=True)
    log_name: Mapped[str] = mapped_column(String(300))
    line: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    ip: Mapped[str] = mapped_column(String(64), index=True)
    user_agent: Mapped[str] = mapped_column(String(1000), default="")
    url: Mapped[str] = mapped_column(String(2000))
    status: Mapped[int] = mapped_column(Integer)
    bytes: Mapped[int] = mapped_column(BigInteger, default=0)
    # to-contact | letter-sent | copy-deleted | no-response | not-applicable
    clawback: Mapped[str] = mapped_column(String(30), default="to-contact")
