"""Roles. Persisted names (database, CLI, API): never rename one."""

from enum import StrEnum


class Role(StrEnum):
    SUBMITTER = "submitter"
    REVIEWER = "reviewer"
    AUTHORISING_OFFICIAL = "authorising_official"
    PUBLISHER = "publisher"
    AUDITOR = "auditor"
    ADMIN = "admin"
    INCIDENT_RESPONDER = "incident_responder"


ROLES = tuple(r.value for r in Role)
# Who may approve or reject: reviewers and authorising officials (who alone may override a block).
DECIDERS = (Role.REVIEWER, Role.AUTHORISING_OFFICIAL)
