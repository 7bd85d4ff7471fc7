"""Imports every models module so that Base.metadata knows every table (Alembic and tests rely on it).
Each area adds its module here and a migration under migrations/versions."""

from veil.store import models_incident, models_journal, models_watch
from veil.store.models_accounts import ApiToken, User, UserRole, WebSession
from veil.store.models_audit import AuditEntry, AuditHead
from veil.store.models_releases import Decision, DecisionFile, FindingRecord, Publication, Release, ReleaseFile, Scan

__all__ = [
    "ApiToken", "AuditEntry", "AuditHead", "Decision", "DecisionFile", "FindingRecord", "Publication", "Release",
    "ReleaseFile", "Scan", "User", "UserRole", "WebSession", "models_incident", "models_journal", "models_watch",
]
