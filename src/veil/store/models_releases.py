"""Releases, their file versions, scans with masked findings, approvals, rejections and publications.

A file version is immutable: new bytes under the same name make a new version (and need a new scan and new
approvals). Findings hold only what `veil.findings.Finding` holds, which is masked; file bytes live in the
content-addressed blob store, never in the database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from veil.store.base import Base, UTCDateTime, utcnow


class Release(Base):
    __tablename__ = "releases"
    __table_args__ = (Index("ix_releases_created_id", "created", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    target_path: Mapped[str] = mapped_column(String(500))
    notes: Mapped[str] = mapped_column(Text, default="")
    submitter_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    # open | rejected | published | withdrawn
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    files: Mapped[list[ReleaseFile]] = relationship(
        back_populates="release", order_by="(ReleaseFile.name, ReleaseFile.version)"
    )


class ReleaseFile(Base):
    __tablename__ = "release_files"
    __table_args__ = (UniqueConstraint("release_id", "name", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    version: Mapped[int] = mapped_column(Integer, default=1)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(Integer)
    uploader_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    release: Mapped[Release] = relationship(back_populates="files")
    scans: Mapped[list[Scan]] = relationship(back_populates="file", order_by="Scan.id")


class Scan(Base):
    """One scan job and its result. Also the queue: workers lease rows whose status is `queued`, or `running`
    with an expired lease (the previous worker died)."""

    __tablename__ = "scans"
    __table_args__ = (Index("ix_scans_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("release_files.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    # queued | running | done
    status: Mapped[str] = mapped_column(String(20), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_owner: Mapped[str | None] = mapped_column(String(100), nullable=True)
    lease_expires: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    verdict: Mapped[str | None] = mapped_column(String(20), nullable=True)
    persons: Mapped[int] = mapped_column(Integer, default=0)
    format: Mapped[str] = mapped_column(String(40), default="")
    scanner_version: Mapped[str] = mapped_column(String(40), default="")
    policy_version: Mapped[str] = mapped_column(String(80), default="")
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    file: Mapped[ReleaseFile] = relationship(back_populates="scans")
    findings: Mapped[list[FindingRecord]] = relationship(
        back_populates="scan", order_by="FindingRecord.id", cascade="all, delete-orphan"
    )


class FindingRecord(Base):
    """A finding as the checker reported it: already masked (message, samples), never the raw value."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(primary_key=True)
    scan_id: Mapped[int] = mapped_column(ForeignKey("scans.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    effect: Mapped[str] = mapped_column(String(20), default="")
    location: Mapped[str] = mapped_column(Text)
    visible: Mapped[bool] = mapped_column(Boolean)
    visibility: Mapped[str] = mapped_column(String(60))
    message: Mapped[str] = mapped_column(Text)
    detector: Mapped[str] = mapped_column(String(60), default="")
    samples: Mapped[list[str]] = mapped_column(JSON, default=list)
    evidence: Mapped[list[str]] = mapped_column(JSON, default=list)
    # a small-cells finding's cells ("C7=3"), as `veil check` lists them
    cells: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    scan: Mapped[Scan] = relationship(back_populates="findings")


class Decision(Base):
    """An approval (naming exact sha256s), an override (approval of a block file by an authorising official, with
    the legal basis and a justification) or a rejection (with a comment)."""

    __tablename__ = "decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    # approve | reject
    action: Mapped[str] = mapped_column(String(20))
    override: Mapped[bool] = mapped_column(Boolean, default=False)
    # an override's legal basis: an id from the policy's gate.override.legal_bases ("" for other decisions)
    legal_basis: Mapped[str] = mapped_column(String(80), default="", server_default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    items: Mapped[list[DecisionFile]] = relationship(
        back_populates="decision", cascade="all, delete-orphan", lazy="selectin"
    )


class DecisionFile(Base):
    __tablename__ = "decision_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(ForeignKey("decisions.id", ondelete="CASCADE"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("release_files.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    decision: Mapped[Decision] = relationship(back_populates="items")


class Publication(Base):
    """What was published where and when; `withdrawn` is set when it is taken down."""

    __tablename__ = "publications"

    id: Mapped[int] = mapped_column(primary_key=True)
    release_id: Mapped[int] = mapped_column(ForeignKey("releases.id"), index=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("release_files.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    site: Mapped[str] = mapped_column(String(500))
    path: Mapped[str] = mapped_column(String(1000))
    publisher_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    published: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    withdrawn: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"), nullable=True)
