"""External reports: anyone may report a public URL. The report is stored with a random tracking token (only its
sha256 is kept), the URL is mapped to a path of the public site, and that path is swept at once.

Veil never fetches a reported URL: it looks at its own public directory under the reported path, so a report
cannot make the server request arbitrary addresses.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import select
from sqlalchemy.orm import Session

from veil.incident.incidents import exposed_files, open_or_join
from veil.store.base import utcnow
from veil.store.models_watch import ExternalReport
from veil.watch.events import ExternalReportReceived
from veil.watch.service import WatchService
from veil.workflow import audit
from veil.workflow.errors import Invalid

MAX_URL = 2000


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def public_path_of(url: str, base_url: str) -> str | None:
    """The site path a reported URL points at, or None when it is not on our site (per `base_url`, if known)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    path = unquote(parts.path)
    if base_url:
        base = urlsplit(base_url)
        if (parts.netloc.lower(), parts.scheme) != (base.netloc.lower(), base.scheme):
            return None
        prefix = base.path.rstrip("/")
        if prefix:
            if not path.startswith(prefix + "/"):
                return None
            path = path[len(prefix):]
    rel = path.lstrip("/")
    if not rel or ".." in rel.split("/"):
        return None
    return rel


def submit(session: Session, url: str, note: str = "", contact: str = "", base_url: str = "") \
        -> tuple[ExternalReport, str]:
    """Record a report; returns it and its tracking token (shown once to the reporter)."""
    url = url.strip()
    if not url or len(url) > MAX_URL or not url.startswith(("http://", "https://")):
        raise Invalid("the URL must be an http(s) address of at most 2000 characters")
    token = secrets.token_urlsafe(18)
    rel = public_path_of(url, base_url)
    report = ExternalReport(token_hash=_token_hash(token), url=url, public_path=rel or "", note=note[:4000],
                            contact=contact[:320], status="received" if rel else "outside-site")
    session.add(report)
    session.flush()
    audit.append(session, ExternalReportReceived(actor="public", report_id=report.id, public_path=rel or ""))
    return report, token


def find(session: Session, token: str) -> ExternalReport | None:
    return session.scalar(select(ExternalReport).where(ExternalReport.token_hash == _token_hash(token)))


def check(service: WatchService, report_id: int) -> str:
    """Sweep the reported path now and record what was found: found | clean | not-found | outside-site | failed."""
    db = service.gate.db
    with db.read() as s:
        report = s.get(ExternalReport, report_id)
        rel = report.public_path if report else ""
    if not rel:
        return "outside-site"
    with db.write() as s:
        row = s.get(ExternalReport, report_id)
        if row is not None:
            row.status, row.updated = "checking", utcnow()
    incident_id, verdict = None, ""
    try:
        outcome = service.sweep(trigger="report", only=[rel])
        match = [a for a in outcome.actions if a.item.path == rel or a.item.path.startswith(rel + "/")]
        if match:
            status, verdict = "found", match[0].item.verdict.value
            incident_id = next((a.incident_id for a in match if a.incident_id), None)
        elif outcome.report.files:
            status, verdict = "clean", "pass"
        else:
            status = "not-found"
    except Exception:  # noqa: BLE001 - the report stays tracked as failed; a person follows it up
        status = "failed"
    with db.write() as s:
        row = s.get(ExternalReport, report_id)
        if row is not None:
            row.status, row.verdict, row.updated = status, verdict, utcnow()
            if incident_id is not None:
                row.incident_id = incident_id
                _join(s, incident_id, row)
    return status


def _join(session: Session, incident_id: int, report: ExternalReport) -> None:
    """The report is a signal of its own on the incident the takedown opened: its time is exposure evidence."""
    for exposed in exposed_files(session, incident_id):
        open_or_join(session, sha256=exposed.sha256, path=report.public_path or None, url=report.url,
                     source="report", actor="public", seen_at=report.created)


def public_dict(report: ExternalReport) -> dict[str, Any]:
    """What the reporter may see: the status, not the findings or the incident."""
    return {"id": report.id, "status": report.status, "created": report.created.isoformat(timespec="seconds"),
            "updated": report.updated.isoformat(timespec="seconds"), "url": report.url}


def staff_dict(report: ExternalReport) -> dict[str, Any]:
    return {**public_dict(report), "public_path": report.public_path, "verdict": report.verdict,
            "incident_id": report.incident_id, "note": report.note, "contact": report.contact}
