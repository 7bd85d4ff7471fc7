"""The steps of a response, as both faces run them (`veil incident ...` and the incident pages): each takes the
caller's write session and does one step whole, with its timeline and audit entries.

    open_from_file    open (or join) the incident for an exposed file a responder has a copy of
    link_roster       import the roster and link every exposed file not linked yet
    settle_review     a clerk's accept / add / reject decisions, by exposed row and roster id
    import_logs       access logs: the first request that delivered the file is exposure evidence, then the
                      requests inside the window are kept (access_logs.import_access_log)
    notify            the worklist, then a letter for every notice that can be made
    summary           what `show` and the incident page print
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from veil.incident import access_logs, clocks, notifications, reports, statuses
from veil.incident import affected as aff
from veil.incident.incidents import aware, exposed_files, note_evidence, open_or_join
from veil.incident.letters import LetterSettings
from veil.incident.roster import import_roster
from veil.policy import Policy
from veil.store.models_incident import IrAffected, IrExposedFile, IrIncident, IrNotification, IrReviewItem, IrRoster
from veil.workflow.errors import Invalid, Refused
from veil.workflow.sealing import sealer_for


def file_sha256(path: Path) -> str:
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def open_from_file(
    session: Session,
    path: str | Path,
    *,
    actor: str,
    title: str | None = None,
    url: str | None = None,
    exposed_from: datetime | None = None,
    exposed_to: datetime | None = None,
    policy: Policy | None = None,
) -> tuple[IrIncident, bool]:
    """Open the incident for the file at `path` (a copy a responder holds), or join the open one for the same
    bytes. The file is checked (its finding kinds decide whether it holds protected-status data); Veil keeps its
    path, not a copy. Returns the incident and whether it was joined."""
    p = Path(path)
    if not p.is_file():
        raise Invalid(f"no such file: {p.name}")
    sha = file_sha256(p)
    joined = (
        session.scalar(
            select(IrExposedFile.id)
            .join(IrIncident)
            .where(IrExposedFile.sha256 == sha, IrIncident.status != "closed")
            .limit(1)
        )
        is not None
    )
    from veil.pipeline import check_path  # the checker is heavy: only opening from a file needs it

    result = check_path(p, policy=policy)
    kinds = sorted({str(f.kind) for f in result.findings})
    where = urlsplit(url).path.lstrip("/") if url else None
    incident = open_or_join(
        session,
        sha256=sha,
        path=unquote(where) if where else None,
        url=url,
        source="manual",
        actor=actor,
        title=title,
        seen_at=exposed_from,
        exposed_to=exposed_to,
        size=p.stat().st_size,
        verdict=result.verdict.value,
        finding_kinds=kinds,
        local_path=str(p.resolve()),
    )
    if url:
        exposed = next(f for f in exposed_files(session, incident.id) if f.sha256 == sha)
        if url not in (exposed.locations or []):
            exposed.locations = [*(exposed.locations or []), url[:2000]]
    return incident, joined


@contextmanager
def exposed_copy(exposed: IrExposedFile) -> Iterator[Path]:
    """Where the exposed bytes can be read while linking: the responder's copy, or the sealed quarantine copy opened
    into a private temporary file (memory-backed where the system has /dev/shm) that is removed right after. Refused
    when none holds the same bytes any more (fail closed: never link another file)."""
    local = exposed.local_path
    if local and Path(local).is_file() and file_sha256(Path(local)) == exposed.sha256:
        yield Path(local)
        return
    sealed = Path(exposed.quarantine_path) if exposed.quarantine_path else None
    if sealed is not None and sealed.is_file():
        # The quarantine's key is its data directory's (veil.watch.takedown.Quarantine: the folder above it).
        data = sealer_for(sealed.parent.parent).open_file(sealed) if sealed.suffix == ".sealed" else sealed.read_bytes()
        if hashlib.sha256(data).hexdigest() == exposed.sha256:
            shm = Path("/dev/shm")
            with tempfile.TemporaryDirectory(prefix="veil-exposed-", dir=shm if shm.is_dir() else None) as tmp:
                os.chmod(tmp, 0o700)
                copy = Path(tmp) / ("exposed" + Path(exposed.name or "").suffix[:10])
                copy.write_bytes(data)
                yield copy
            return
    raise Refused(
        f"no copy of the exposed file {exposed.sha256[:12]}… is readable with the same bytes; "
        "open the incident again with --file"
    )


def link_roster(
    session: Session,
    incident: IrIncident,
    roster_path: str | Path,
    roster_id: str,
    actor: str,
    *,
    sheet: str | None = None,
    roster_sheet: str | None = None,
    mapping: dict[str, str] | None = None,
) -> list[aff.LinkSummary]:
    """Import the roster (once: the same bytes are reused) and link every exposed file not linked yet."""
    p = Path(roster_path)
    sha = file_sha256(p)
    roster = session.scalars(select(IrRoster).where(IrRoster.sha256 == sha).order_by(IrRoster.id.desc())).first()
    if roster is None:
        roster = import_roster(session, p, {**(mapping or {}), "id": roster_id}, actor, sheet=roster_sheet)
    done = []
    for exposed in exposed_files(session, incident.id):
        linked = (
            exposed.rows
            or session.scalar(select(IrReviewItem.id).where(IrReviewItem.exposed_file_id == exposed.id).limit(1))
            is not None
        )
        if not linked:
            with exposed_copy(exposed) as copy:
                done.append(aff.link_exposed_file(session, incident, exposed, copy, roster.id, actor, sheet=sheet))
    if not done:
        raise Refused("every exposed file of this incident was already linked")
    return done


@dataclass(frozen=True)
class RowChoice:
    row: int
    file_id: int | None
    roster_ref: str | None  # None: reject the row


def parse_choice(text: str, with_person: bool = True) -> RowChoice:
    """'ROW=ROSTER_ID' (or 'FILE_ID:ROW=ROSTER_ID'); without a person just 'ROW'."""
    where, sep, ref = text.partition("=")
    if with_person and (not sep or not ref.strip()):
        raise Invalid(f"expected ROW=ROSTER_ID, got {text!r}")
    file_part, colon, row_part = where.strip().rpartition(":")
    try:
        row = int(row_part)
        file_id = int(file_part) if colon else None
    except ValueError:
        raise Invalid(f"expected a row number (or FILE_ID:ROW) in {text!r}") from None
    return RowChoice(row, file_id, ref.strip() if with_person else None)


def settle_review(
    session: Session,
    incident: IrIncident,
    actor: str,
    *,
    accept: Sequence[RowChoice] = (),
    add: Sequence[RowChoice] = (),
    reject: Sequence[RowChoice] = (),
) -> dict[str, int]:
    counts = {"accepted": 0, "added": 0, "rejected": 0}
    for choices, action in ((accept, "accepted"), (add, "added"), (reject, "rejected")):
        for choice in choices:
            item = aff.review_item_for_row(session, incident.id, choice.row, choice.file_id)
            if action == "rejected":
                aff.reject_row(session, item, actor)
            else:
                person = aff.roster_person(session, choice.roster_ref or "")
                aff.settle_row(session, item, actor, person.id, add=action == "added")
            counts[action] += 1
    return counts


def _delivered(request: access_logs.Request) -> bool:
    """A request that delivered the file's bytes (the window's evidence): a GET answered 200 or 206 with bytes."""
    return request.method.upper() == "GET" and request.status in (200, 206) and request.bytes > 0


def _paths(exposed: IrExposedFile) -> set[str]:
    out = set()
    for where in exposed.locations or [exposed.location]:
        path = unquote(urlsplit(where).path if "://" in where else where).strip("/")
        if path:
            out.add(path)
    return out


def earliest_delivery(session: Session, incident: IrIncident, log: Path) -> dict[int, datetime]:
    """For each exposed file: the first request in the log that delivered it."""
    targets = {f.id: _paths(f) for f in exposed_files(session, incident.id)}
    first: dict[int, datetime] = {}
    for request in access_logs.parse_log(log, access_logs.ParseReport()):
        if not _delivered(request):
            continue
        path = request.path.strip("/")
        for file_id, paths in targets.items():
            if any(path == t or path.endswith("/" + t) for t in paths):
                at = aware(request.at)
                if file_id not in first or at < first[file_id]:
                    first[file_id] = at
    return first


def import_logs(session: Session, incident: IrIncident, logs: list[Path], actor: str) -> list[dict[str, Any]]:
    """Each log: its earliest delivery moves the exposure window's start if it is earlier, then the requests for
    the exposed files inside the window are stored (the claw-back list)."""
    out = []
    files = {f.id: f for f in exposed_files(session, incident.id)}
    for log in logs:
        moved = False
        for file_id, at in earliest_delivery(session, incident, log).items():
            moved |= note_evidence(session, incident, files[file_id], "access-log", at, actor)
        if moved:
            aff.reclassify_removals(session, incident, actor)
        result = access_logs.import_access_log(session, incident, log, actor)
        out.append(
            {
                "log": log.name,
                "format": result.format,
                "lines": result.lines,
                "selected": result.selected,
                "malformed": result.malformed,
                "window_moved": moved,
            }
        )
    return out


def notify(
    session: Session,
    incident: IrIncident,
    out_dir: str | Path,
    actor: str,
    settings: LetterSettings | None = None,
    workers: int = 1,
) -> dict[str, Any]:
    created = notifications.build_worklist(session, incident, actor, settings)
    written = notifications.generate_letters(session, incident, out_dir, actor, settings, workers=workers)
    waiting: dict[str, int] = {}
    for reason, n in session.execute(
        select(IrNotification.waiting_reason, func.count())
        .join(IrAffected)
        .where(IrAffected.incident_id == incident.id, IrNotification.status == "waiting")
        .group_by(IrNotification.waiting_reason)
    ):
        waiting[reason or "waiting"] = int(n)
    persons = sum(1 for p in written if p.name.startswith("notice-") and _recipient(session, p) == "person")
    return {
        "created": created,
        "letters": len(written),
        "persons": persons,
        "attorneys": len(written) - persons,
        "waiting": waiting,
        "folder": str(Path(out_dir)),
    }


def _recipient(session: Session, letter: Path) -> str:
    note = session.get(IrNotification, int(letter.name.split("-")[1]))
    return note.recipient if note is not None else ""


def import_status_file(session: Session, incident: IrIncident, path: Path, actor: str) -> statuses.StatusImport:
    return statuses.import_statuses(session, incident, path, actor)


def summary(session: Session, incident: IrIncident, actor: str = "veil") -> dict[str, Any]:
    clocks.record_deadlines(session, incident, actor)
    figs = reports.oversight_figures(session, incident)
    return {
        "id": incident.id,
        "title": incident.title,
        "status": incident.status,
        "opened_by": incident.opened_by,
        "discovered": aware(incident.discovered).isoformat(),
        "severity": incident.severity,
        "oversight_required": incident.oversight_required,
        "oversight_basis": incident.oversight_basis,
        "files": [
            {
                "id": f.id,
                "name": f.name,
                "sha256": f.sha256,
                "locations": f.locations,
                "rows": f.rows,
                "exposure_start": aware(f.exposure_start).isoformat(),
                "exposure_start_source": f.exposure_start_source,
                "evidence": f.evidence,
                "exposure_end": aware(f.exposure_end).isoformat() if f.exposure_end else None,
                "verdict": f.verdict,
                "quarantined": bool(f.quarantine_path),
            }
            for f in exposed_files(session, incident.id)
        ],
        "figures": {k: v for k, v in figs.items() if not isinstance(v, dict | list)},
        "deadlines": figs["deadlines"],
    }
