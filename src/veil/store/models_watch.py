"""What the sweeper keeps in the database: sweep runs, incidents opened by takedowns, and external reports.

`Incident` is the minimal record a takedown opens (the exposed bytes' sha256, kept in quarantine, the public path
and the exposure window); the incident-response area extends it. No personal value is stored here: findings stay
masked, and a reporter's note and contact are shown only to incident responders.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from veil.store.base import Base, UTCDateTime, utcnow


class SweepRun(Base):
    __tablename__ = "sweep_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    # schedule | publication | report | manual
    trigger: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(1000))
    started: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    seconds: Mapped[float] = mapped_column(default=0.0)
    files: Mapped[int] = mapped_column(Integer, default=0)
    scanned: Mapped[int] = mapped_column(Integer, default=0)
    flagged: Mapped[int] = mapped_column(Integer, default=0)
    taken_down: Mapped[int] = mapped_column(Integer, default=0)
    scanner_version: Mapped[str] = mapped_column(String(40), default="")
    policy_version: Mapped[str] = mapped_column(String(80), default="")
    # one line per flagged file: "reason[,reason] path" (paths and reasons only)
    summary: Mapped[list[str]] = mapped_column(JSON, default=list)


class Incident(Base):
    __tablename__ = "incidents"
    __table_args__ = (Index("ix_incidents_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # open | closed
    status: Mapped[str] = mapped_column(String(20), default="open")
    # sweep | report
    source: Mapped[str] = mapped_column(String(20), default="sweep")
    opened: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    site: Mapped[str] = mapped_column(String(500))
    public_path: Mapped[str] = mapped_column(String(1000))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer, default=0)
    verdict: Mapped[str] = mapped_column(String(20))
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    finding_kinds: Mapped[list[str]] = mapped_column(JSON, default=list)
    quarantine_path: Mapped[str] = mapped_column(String(1000), default="")
    # The exposure window: from the publication (or, for bytes the gate never published, the first sighting)
    # to the takedown.
    exposure_start: Mapped[datetime] = mapped_column(UTCDateTime)
    exposure_start_source: Mapped[str] = mapped_column(String(20))  # publication | first-seen
    taken_down: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    publication_id: Mapped[int | None] = mapped_column(ForeignKey("publications.id"), nullable=True)
    sweep_run_id: Mapped[int | None] = mapped_column(ForeignKey("sweep_runs.id"), nullable=True)


class ExternalReport(Base):
    """A URL reported by anyone (the form needs no account). Tracked by a random token; the database keeps only
    its sha256."""

    __tablename__ = "external_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    url: Mapped[str] = mapped_column(String(2000))
    public_path: Mapped[str] = mapped_column(String(1000), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    contact: Mapped[str] = mapped_column(String(320), default="")
    # received | checking | found | clean | not-found | outside-site | failed
    status: Mapped[str] = mapped_column(String(20), default="received", index=True)
    verdict: Mapped[str] = mapped_column(String(20), default="")
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("incidents.id"), nullable=True)
