"""What the sweeper keeps in the database: sweep runs and external reports.

A takedown or a report that finds a file opens or joins the one incident record (`models_incident.IrIncident`,
through `veil.incident.incidents.open_or_join`); the sweeper keeps no incident table of its own. No personal value
is stored here: findings stay masked, and a reporter's note and contact are shown only to incident responders.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
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
    incident_id: Mapped[int | None] = mapped_column(ForeignKey("ir_incidents.id"), nullable=True)
