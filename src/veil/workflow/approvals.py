"""Approval rules. A file version is approved when:

- its scan has finished;
- two different people, neither the release's submitter nor the uploader of that version, approved its exact
  sha256 (after the latest rejection, if any);
- and, if its verdict is `block` or `unverifiable`, two different authorising officials (again neither submitter
  nor uploader) each overrode it, naming a legal basis from the policy's list and writing why it applies
  (overrides.py: boilerplate alone is refused). Until both have, nobody else may approve it; the two overrides are
  the two approvals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from veil.shown_names import shown_name
from veil.store.models_accounts import User
from veil.store.models_releases import Decision, DecisionFile, Release, ReleaseFile, Scan
from veil.workflow import audit
from veil.workflow.errors import Forbidden, Invalid, Refused
from veil.workflow.events import Approved, Overridden, Rejected
from veil.workflow.overrides import REQUIRED_OFFICIALS, OverrideRules, default_rules
from veil.workflow.releases import current_files
from veil.workflow.roles import DECIDERS, Role

REQUIRED_APPROVALS = 2
BLOCKING = ("block", "unverifiable")


@dataclass(frozen=True)
class Override:
    by: str
    legal_basis: str
    justification: str
    created: datetime


@dataclass
class FileState:
    file: ReleaseFile
    scan: Scan | None
    approvers: list[str] = field(default_factory=list)
    overrides: list[Override] = field(default_factory=list)

    @property
    def verdict(self) -> str | None:
        return self.scan.verdict if self.scan is not None and self.scan.status == "done" else None

    @property
    def scanned(self) -> bool:
        return self.verdict is not None

    @property
    def blocking(self) -> bool:
        return self.verdict in BLOCKING

    @property
    def overridden_by(self) -> list[str]:
        return [o.by for o in self.overrides]

    @property
    def justifications(self) -> list[str]:
        return [o.justification for o in self.overrides]

    @property
    def officials(self) -> set[str]:
        """The authorising officials whose override counts: it names a legal basis (an override recorded before
        the gate asked for one is shown, but does not count)."""
        return {o.by for o in self.overrides if o.legal_basis}

    @property
    def fully_overridden(self) -> bool:
        return len(self.officials) >= REQUIRED_OFFICIALS

    @property
    def approved(self) -> bool:
        if not self.scanned or len(set(self.approvers)) < REQUIRED_APPROVALS:
            return False
        return not self.blocking or self.fully_overridden

    @property
    def needs(self) -> str:
        """What is missing, in words, for the release page."""
        if not self.scanned:
            return "waiting for the scan"
        if self.blocking and not self.fully_overridden:
            missing = REQUIRED_OFFICIALS - len(self.officials)
            return (f"blocked: needs {missing} more authorising official{'s' if missing > 1 else ''}' override "
                    f"(legal basis and justification; {REQUIRED_OFFICIALS} in all)")
        missing = REQUIRED_APPROVALS - len(set(self.approvers))
        return f"needs {missing} more approval{'s' if missing > 1 else ''}" if missing > 0 else "approved"


def _latest_rejection(session: Session, release_id: int) -> datetime | None:
    return session.scalar(select(Decision.created).where(Decision.release_id == release_id,
                                                         Decision.action == "reject")
                          .order_by(Decision.id.desc()).limit(1))


def _excluded(decision: Decision, release: Release, file: ReleaseFile) -> bool:
    """The submitter of the release and the uploader of the version never count for it."""
    return decision.user_id in (release.submitter_id, file.uploader_id)


def file_states(session: Session, release: Release) -> list[FileState]:
    """The state of each current file of the release."""
    files = current_files(session, release.id)
    if not files:
        return []
    ids = [f.id for f in files]
    scans: dict[int, Scan] = {}
    for scan in session.scalars(select(Scan).where(Scan.file_id.in_(ids)).order_by(Scan.id)):
        scans[scan.file_id] = scan  # the latest scan of each file wins
    states = {f.id: FileState(f, scans.get(f.id)) for f in files}
    since = _latest_rejection(session, release.id)
    query = (select(Decision, DecisionFile, User.username)
             .join(DecisionFile, DecisionFile.decision_id == Decision.id)
             .join(User, User.id == Decision.user_id)
             .where(Decision.release_id == release.id, Decision.action == "approve", DecisionFile.file_id.in_(ids))
             .order_by(Decision.id))
    for decision, item, username in session.execute(query):
        state = states[item.file_id]
        if item.sha256 != state.file.sha256 or _excluded(decision, release, state.file):
            continue
        if since is not None and decision.created <= since:
            continue
        if username not in state.approvers:
            state.approvers.append(username)
        if decision.override and state.blocking:
            state.overrides.append(Override(username, decision.legal_basis, decision.comment, decision.created))
    return [states[f.id] for f in files]


def approve(session: Session, release: Release, user: User, sha256s: list[str], justification: str = "",
            legal_basis: str = "", rules: OverrideRules | None = None) -> Decision:
    """Approve the named file versions. Refuses (nothing is recorded) if any rule is broken for any of them.
    `rules`: the override rules of the gate's policy (default: the default policy's)."""
    roles = user.role_names
    if not roles & set(DECIDERS):
        raise Forbidden("approving needs the reviewer or authorising official role")
    if release.status != "open":
        raise Refused(f"this release is {release.status}; only an open release can be approved")
    if user.id == release.submitter_id:
        raise Refused("the submitter of a release cannot approve it")
    wanted = list(dict.fromkeys(s.strip().lower() for s in sha256s if s.strip()))
    if not wanted:
        raise Invalid("name the sha256 of each file version you approve")
    justification = justification.strip()
    states = {s.file.sha256: s for s in file_states(session, release)}
    overriding: list[str] = []
    basis_id = ""
    for sha in wanted:
        state = states.get(sha)
        if state is None:
            raise Refused(f"{sha[:12]}… is not the current version of any file in this release "
                          "(the file changed or was never part of it): approve the current version")
        name = shown_name(state.file.name)
        if not state.scanned:
            raise Refused(f"{name} has not been scanned yet")
        if user.id == state.file.uploader_id:
            raise Refused(f"you uploaded this version of {name}: the uploader of a version cannot approve it")
        if user.username in state.approvers:
            raise Refused(f"you already approved {name} at this version")
        if state.blocking and not state.fully_overridden:
            if Role.AUTHORISING_OFFICIAL not in roles:
                raise Refused(f"{name} has a {state.verdict} verdict: only authorising officials can approve it, "
                              f"{REQUIRED_OFFICIALS} of them, each naming the legal basis (8 CFR 208.6) and "
                              "writing why it applies")
            basis_id = (rules or default_rules()).check(name, str(state.verdict), legal_basis, justification,
                                                        state.justifications).id
            overriding.append(sha)
    decision = Decision(release_id=release.id, user_id=user.id, action="approve", override=bool(overriding),
                        legal_basis=basis_id, comment=justification[:5000] if overriding else justification[:2000],
                        items=[DecisionFile(file_id=states[s].file.id, sha256=s) for s in wanted])
    session.add(decision)
    session.flush()
    audit.append(session, Approved(actor=user.username, release_id=release.id, sha256s=tuple(wanted)))
    if overriding:
        audit.append(session, Overridden(actor=user.username, release_id=release.id, sha256s=tuple(overriding),
                                         legal_basis=basis_id, justification=justification[:5000]))
    return decision


def reject(session: Session, release: Release, user: User, comment: str) -> Decision:
    if not user.role_names & set(DECIDERS):
        raise Forbidden("rejecting needs the reviewer or authorising official role")
    if release.status not in ("open", "published"):
        raise Refused(f"this release is {release.status}")
    comment = comment.strip()
    if not comment:
        raise Invalid("a rejection needs a comment saying why")
    decision = Decision(release_id=release.id, user_id=user.id, action="reject", comment=comment[:5000])
    session.add(decision)
    if release.status == "open":
        release.status = "rejected"
    session.flush()
    audit.append(session, Rejected(actor=user.username, release_id=release.id, comment=comment[:5000]))
    return decision


def overridden_releases(session: Session, release_ids: list[int]) -> set[int]:
    """Which of these releases carry an override (for highlighting them in lists)."""
    if not release_ids:
        return set()
    return set(session.scalars(select(Decision.release_id).where(Decision.override.is_(True),
                                                                 Decision.release_id.in_(release_ids))))


def history(session: Session, release_id: int) -> list[tuple[Decision, str]]:
    query = (select(Decision, User.username).join(User, User.id == Decision.user_id)
             .where(Decision.release_id == release_id).order_by(Decision.id))
    return [(d, u) for d, u in session.execute(query)]
