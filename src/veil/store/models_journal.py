"""Publication commits: the row that says a publication's files were committed to the site together with its
database records. Written in the same transaction as the publication, so after a crash `recover()`
(veil.workflow.publication_journal) can tell a publication that committed from one that must be rolled back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from veil.store.base import Base, UTCDateTime, utcnow


class PublicationCommit(Base):
    __tablename__ = "publication_commits"

    journal_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    release_id: Mapped[int] = mapped_column(Integer, index=True)
    created: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
