"""The sweep: inventory the public files, re-check what changed, compare with the publication records.

A file is a finding when its bytes were **never approved**, when they **differ** from the bytes approved for its
path, or when **today's detectors and policy** do not pass it (it is re-checked whenever its bytes, the scanner
version or the policy version changed since its last check). What a finding leads to (alert, takedown) is decided
by the caller: the CLI reports, the service (service.py) alerts and quarantines.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from veil.findings import FileResult, Finding, Kind, Verdict
from veil.policy import Policy
from veil.readers.limits import Limits
from veil.watch.approvals import Approval, ApprovalAnswer, ApprovalSource, NoApprovals
from veil.watch.inventory import Entry, Problem, walk
from veil.watch.scanning import Scanner, Task, run_tasks
from veil.watch.state import Known, SweepState, result_from_json, result_json

# Sweep reasons. Persisted names (JSON reports, incidents, the policy's `sweep.takedown` list): never rename one.
REASONS = ("never-approved", "bytes-differ", "block", "unverifiable", "review")
DEFAULT_TAKEDOWN = ("block", "unverifiable")


def takedown_reasons(policy: Policy) -> frozenset[str]:
    """The reasons that take a file down: the policy's `sweep: {takedown: [...]}`, default block + unverifiable."""
    settings = policy.raw.get("sweep") or {}
    chosen = settings.get("takedown", list(DEFAULT_TAKEDOWN)) if isinstance(settings, dict) else DEFAULT_TAKEDOWN
    return frozenset(str(r) for r in chosen or ())


def scanner_version() -> str:
    from veil.pipeline import SCANNER_VERSION

    return str(SCANNER_VERSION)


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class SweepItem:
    """One public file as this sweep saw it. `reasons` is empty when nothing is wrong with it."""

    path: str                 # public path (relative to the site root) or URL
    location: str             # where it was read: a filesystem path or a URL
    sha256: str
    size: int
    first_seen: str
    result: FileResult
    approval: ApprovalAnswer
    reasons: tuple[str, ...] = ()
    scanned: bool = False     # checked by this sweep (not taken from the state)

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)

    @property
    def verdict(self) -> Verdict:
        """The detectors' verdict, raised to block when the bytes on the site are not the approved ones."""
        if self.approval.status in (Approval.NEVER_APPROVED, Approval.BYTES_DIFFER):
            return Verdict.worst([self.result.verdict, Verdict.BLOCK])
        return self.result.verdict

    def takes_down(self, reasons: frozenset[str]) -> bool:
        return any(r in reasons for r in self.reasons)


@dataclass
class SweepReport:
    target: str
    started: str
    seconds: float = 0.0
    files: int = 0
    unchanged: int = 0
    scanned: int = 0
    problems: int = 0
    vanished: int = 0
    flagged: list[SweepItem] = field(default_factory=list)
    # live only because authorising officials overrode the checks: listed by every sweep, so a routine approval of
    # a leaking file cannot go unseen (the 2022 failure)
    overrides: list[SweepItem] = field(default_factory=list)
    items: list[SweepItem] = field(default_factory=list)  # every file, only when asked for (keep_all)


def reasons_for(result: FileResult, approval: ApprovalAnswer) -> tuple[str, ...]:
    reasons = []
    if approval.status in (Approval.NEVER_APPROVED, Approval.BYTES_DIFFER):
        reasons.append(approval.status.value)
    # An authorising official approved exactly these bytes despite the findings (8 CFR 208.6 exception).
    if result.verdict is not Verdict.PASS and approval.status is not Approval.OVERRIDE:
        reasons.append(result.verdict.value)
    return tuple(reasons)


def problem_result(name: str, reason: str, policy: Policy) -> FileResult:
    finding = Finding(Kind.UNREADABLE, "(file)", False, reason, "sweep", visibility="unreadable")
    return FileResult(path=name, sha256="", size=0, format="unknown", verdict=policy.verdict([finding]),
                      persons=0, findings=[finding])


class Ledger:
    """The bookkeeping one sweep shares across its front-ends (directory, URLs): what was known, what changed,
    the approval check and the report."""

    def __init__(self, target: str, state: SweepState | None, approvals: ApprovalSource, policy: Policy,
                 keep_all: bool = False) -> None:
        self.target = target
        self.state = state
        self.approvals = approvals
        self.policy = policy
        self.versions = (scanner_version(), policy.version)
        self.keep_all = keep_all
        self.known: dict[str, Known] = state.load(target) if state else {}
        self.seen: set[str] = set()
        self.changed: list[Known] = []
        self.report = SweepReport(target=target, started=now_iso())
        self._clock = time.perf_counter()

    def current(self, known: Known | None) -> bool:
        return known is not None and (known.scanner_version, known.policy_version) == self.versions

    def _with_result(self, known: Known) -> Known:
        if not known.result and self.state is not None:
            known.result = self.state.result_of(self.target, known.path)
        return known

    def add(self, item: SweepItem) -> None:
        self.report.files += 1
        if item.flagged:
            self.report.flagged.append(item)
        if item.approval.status is Approval.OVERRIDE:
            self.report.overrides.append(item)
        if self.keep_all:
            self.report.items.append(item)

    def problem(self, path: str, location: str, reason: str) -> None:
        self.seen.add(path)
        previous = self.known.get(path)
        self.report.problems += 1
        result = problem_result(path, reason, self.policy)
        approval = ApprovalAnswer(Approval.NOT_CHECKED)
        self.add(SweepItem(path, location, previous.sha256 if previous else "", 0,
                           previous.first_seen if previous else now_iso(), result, approval,
                           reasons_for(result, approval)))

    def unchanged(self, known: Known, location: str) -> None:
        self.seen.add(known.path)
        self.report.unchanged += 1
        if known.verdict == Verdict.PASS.value:
            approval = self.approvals.check(known.path, known.sha256)
            if approval.status in (Approval.NEVER_APPROVED, Approval.BYTES_DIFFER, Approval.OVERRIDE) \
                    or self.keep_all:
                result = FileResult(known.path, known.sha256, known.size, "", Verdict.PASS, 0, [])
                self.add(SweepItem(known.path, location, known.sha256, known.size, known.first_seen, result,
                                   approval, reasons_for(result, approval)))
            else:
                self.report.files += 1
            return
        result = result_from_json(self._with_result(known), known.path)
        approval = self.approvals.check(known.path, known.sha256)
        self.add(SweepItem(known.path, location, known.sha256, known.size, known.first_seen, result, approval,
                           reasons_for(result, approval)))

    def checked(self, path: str, location: str, sha256: str, size: int, result: FileResult | None,
                fingerprint: tuple[int, int, int, int] = (0, 0, 0, 0), etag: str = "",
                last_modified: str = "") -> None:
        """A file read by this sweep; `result` None means the bytes were the known ones (not re-checked)."""
        self.seen.add(path)
        known = self.known.get(path)
        if result is None:
            assert known is not None
            result = result_from_json(self._with_result(known), path)
        else:
            self.report.scanned += 1
        result.path = path
        if not sha256:  # could not be read: nothing to record, it is re-read next time
            approval = ApprovalAnswer(Approval.NOT_CHECKED)
            self.add(SweepItem(path, location, "", 0, known.first_seen if known else now_iso(), result, approval,
                               reasons_for(result, approval), scanned=True))
            return
        # First sighting of *these bytes* here: new bytes under an old name start a new exposure.
        first_seen = known.first_seen if known is not None and known.sha256 == sha256 else now_iso()
        self.changed.append(Known(path, size, *fingerprint[1:], etag=etag, last_modified=last_modified,
                                  sha256=sha256, first_seen=first_seen, verdict=result.verdict.value,
                                  scanner_version=self.versions[0], policy_version=self.versions[1],
                                  result=result_json(result)))
        approval = self.approvals.check(path, sha256)
        self.add(SweepItem(path, location, sha256, size, first_seen, result, approval,
                           reasons_for(result, approval), scanned=True))

    def finish(self, forget_unseen: bool = True) -> SweepReport:
        vanished = [p for p in self.known if p not in self.seen] if forget_unseen else []
        self.report.vanished = len(vanished)
        if self.state is not None:
            self.state.save(self.target, self.changed, vanished)
        self.report.flagged.sort(key=lambda i: i.path)
        self.report.overrides.sort(key=lambda i: i.path)
        self.report.seconds = round(time.perf_counter() - self._clock, 3)
        return self.report


def sweep_directory(root: str | Path, policy: Policy, *, state: SweepState | None = None,
                    approvals: ApprovalSource | None = None, scanner: Scanner | None = None, jobs: int = 0,
                    limits: Limits | None = None, only: Iterable[str] | None = None, rehash: bool = False,
                    keep_all: bool = False) -> SweepReport:
    """Sweep a public directory. `only` limits it to some public paths (a targeted sweep keeps the rest of the
    inventory as it was). `rehash` re-reads every file even when its stat fingerprint is unchanged."""
    root = Path(root)
    limits = limits or Limits()
    ledger = Ledger(str(root.resolve()), state, approvals or NoApprovals(), policy, keep_all)
    tasks: list[Task] = []
    entries: dict[str, Entry] = {}
    for item in walk(root, set(only) if only is not None else None):
        if isinstance(item, Problem):
            ledger.problem(item.rel, item.path, item.reason)
            continue
        known = ledger.known.get(item.rel)
        if known is not None and not rehash and known.fingerprint() == item.fingerprint() \
                and ledger.current(known):
            ledger.unchanged(known, item.path)
            continue
        entries[item.rel] = item
        known_sha = known.sha256 if known is not None and ledger.current(known) else None
        tasks.append(Task(item.path, item.rel, known_sha, item.size))
    for outcome in run_tasks(tasks, policy, limits, jobs, scanner):
        entry = entries[outcome.task.name]
        ledger.checked(entry.rel, entry.path, outcome.sha256, outcome.size, outcome.result, entry.fingerprint())
    return ledger.finish(forget_unseen=only is None)
