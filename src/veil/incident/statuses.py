"""Statuses in bulk: a status file (CSV with `roster_id,status,at`) recorded for an incident's affected people.

Statuses: `in-custody`, `released`, `custody-review` and `removed` (classified by its date against the exposure
window and the person's notice: `affected.classify_removal`). A status file reports what happened, so a removal
that makes `removed-after-exposure-before-notice` non-zero is recorded with an ALERT on the timeline, never dropped.
All or nothing: every row is checked before the first one is recorded, and a bad row is named by its line and
column, never by its value. Every status is kept in the person's history (`ir_status_history`).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from veil.incident import affected as aff
from veil.incident.incidents import add_timeline
from veil.store.models_incident import IrAffected, IrIncident, IrRosterPerson
from veil.workflow.errors import Invalid

FILE_STATUSES = ("in-custody", "released", "custody-review", "removed")
MAX_BYTES = 200 * 1024 * 1024


@dataclass
class StatusImport:
    rows: int = 0
    recorded: int = 0
    by_status: dict[str, int] = field(default_factory=dict)
    alerts: int = 0  # removals after the exposure and before notice
    not_affected: int = 0  # roster ids that are not affected people of this incident
    not_affected_lines: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"rows": self.rows, "recorded": self.recorded, "by_status": dict(sorted(self.by_status.items())),
                "alerts": self.alerts, "not_affected": self.not_affected,
                "not_affected_lines": self.not_affected_lines[:50]}


def _when(text: str) -> datetime:
    value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def parse_status_file(data: bytes, name: str) -> list[tuple[int, str, str, datetime]]:
    """(line, roster_id, status, at) for every row; raises Invalid naming the first bad line and column."""
    if len(data) > MAX_BYTES:
        raise Invalid(f"the status file {name} is larger than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(f"the status file {name} is not UTF-8 text") from None
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in ("roster_id", "status", "at") if c not in header]
    if missing:
        raise Invalid(f"the status file {name} needs the columns roster_id, status, at (missing: "
                      f"{', '.join(missing)})")
    reader.fieldnames = header
    rows = []
    for line, record in enumerate(reader, start=2):
        ref = (record.get("roster_id") or "").strip()
        status = (record.get("status") or "").strip().lower()
        if not ref:
            raise Invalid(f"{name}, line {line}, column 'roster_id': empty")
        if status not in FILE_STATUSES:
            raise Invalid(f"{name}, line {line}, column 'status': not one of {', '.join(FILE_STATUSES)}")
        try:
            at = _when(record.get("at") or "")
        except ValueError:
            raise Invalid(f"{name}, line {line}, column 'at': not an ISO date and time") from None
        rows.append((line, ref, status, at))
    return rows


def import_statuses(session: Session, incident: IrIncident, path: str | Path, actor: str,
                    name: str | None = None) -> StatusImport:
    """Record every status of a status file for this incident's affected people, in date order."""
    p = Path(path)
    label = name or p.name
    rows = parse_status_file(p.read_bytes(), label)
    by_ref = {ref: affected_id for ref, affected_id in session.execute(
        select(IrRosterPerson.ref, IrAffected.id).join(IrAffected, IrAffected.person_id == IrRosterPerson.id)
        .where(IrAffected.incident_id == incident.id))}
    result = StatusImport(rows=len(rows))
    for line, ref, status, at in sorted(rows, key=lambda r: (r[3], r[0])):
        affected_id = by_ref.get(ref)
        if affected_id is None:
            result.not_affected += 1
            result.not_affected_lines.append(line)
            continue
        recorded = aff.set_status(session, affected_id, status, actor, at=at, acknowledge_alert=True,
                                  source=label)
        result.recorded += 1
        result.by_status[recorded] = result.by_status.get(recorded, 0) + 1
        result.alerts += recorded == aff.MUST_STAY_ZERO
    result.not_affected_lines.sort()
    add_timeline(session, incident, "status", f"status file {label}: {result.recorded:,} status(es) recorded"
                 + (f", {result.alerts:,} ALERT(s)" if result.alerts else "")
                 + (f", {result.not_affected:,} not affected" if result.not_affected else ""), actor)
    return result
