"""Incident pages for people and for the response steps: the people of an incident (paged, by status), a page per
person (masked identity, status history, notices; a responder records a status), status files in bulk, linking a
roster, access logs and their downloaders, letters, and the oversight determination. The steps are the ones
`veil incident` runs (`veil.incident.response`). Included by `incident_pages.router`.
"""

from __future__ import annotations

import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, UploadFile
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func, select

from veil.incident import access_logs, incidents, response, statuses
from veil.incident import affected as aff
from veil.incident.letters import language_code
from veil.masking import mask
from veil.store.models_incident import IrAffected, IrHold, IrNotification, IrRosterPerson
from veil.web.rendering import render
from veil.web.security import Principal, gate_of, requires
from veil.web.uploads import read_upload
from veil.workflow.errors import Invalid
from veil.workflow.roles import Role

router = APIRouter(include_in_schema=False)
Reader = Annotated[Principal, Depends(requires(Role.INCIDENT_RESPONDER, Role.AUTHORISING_OFFICIAL, Role.AUDITOR))]
Responder = Annotated[Principal, Depends(requires(Role.INCIDENT_RESPONDER))]
IncidentId = Annotated[int, PathParam(ge=1, le=2_147_483_647)]
PAGE = 200


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def _back(incident_id: int, where: str = "") -> RedirectResponse:
    return RedirectResponse(f"/incidents/{incident_id}{where}", status_code=303)


@router.get("/incidents/{incident_id}/people", response_class=HTMLResponse)
def people_page(
    request: Request, incident_id: IncidentId, me: Reader, status: str | None = None, page: int = 1
) -> Response:
    page = max(page, 1)
    with gate_of(request).db.read() as s:
        inc = incidents.get_incident(s, incident_id)
        where = [IrAffected.incident_id == incident_id] + ([IrAffected.status == status] if status else [])
        total = int(s.scalar(select(func.count()).select_from(IrAffected).where(*where)) or 0)
        rows = [
            {
                "id": a.id,
                "name": mask(f"{p.surname}, {p.given}"),
                "basis": a.basis,
                "nationality": p.nationality,
                "language": language_code(p.language or ""),
                "status": a.status,
                "since": _when(a.status_changed),
            }
            for a, p in s.execute(
                select(IrAffected, IrRosterPerson)
                .join(IrRosterPerson, IrRosterPerson.id == IrAffected.person_id)
                .where(*where)
                .order_by(IrAffected.id)
                .offset((page - 1) * PAGE)
                .limit(PAGE)
            )
        ]
        view = {"id": inc.id}
    return render(
        request,
        "incident/people.html",
        me,
        inc=view,
        rows=rows,
        total=total,
        status=status,
        page=page,
        pages=max(1, -(-total // PAGE)),
        statuses=aff.STATUSES,
        must_zero=aff.MUST_STAY_ZERO,
    )


@router.get("/incidents/{incident_id}/people/{affected_id}", response_class=HTMLResponse)
def person_page(request: Request, incident_id: IncidentId, affected_id: IncidentId, me: Reader) -> Response:
    with gate_of(request).db.read() as s:
        affected = s.get(IrAffected, affected_id)
        if affected is None or affected.incident_id != incident_id:
            raise Invalid("no such person in this incident")
        person = s.get(IrRosterPerson, affected.person_id)
        assert person is not None  # foreign key
        hold = s.scalar(select(IrHold).where(IrHold.affected_id == affected.id))
        view = {
            "id": affected.id,
            "name": mask(f"{person.surname}, {person.given}"),
            "ref": person.ref,
            "dob": mask(person.dob.isoformat()) if person.dob else "",
            "anumber": mask(person.anumber),
            "nationality": person.nationality,
            "language": language_code(person.language or ""),
            "basis": affected.basis,
            "row": affected.exposed_row,
            "group": affected.group,
            "status": affected.status,
            "since": _when(affected.status_changed),
            "notified": _when(affected.notified),
            "hold": "none"
            if hold is None
            else f"lifted {_when(hold.lifted)}"
            if hold.lifted
            else f"active since {_when(hold.placed)}",
        }
        history = [
            {"at": _when(h.at), "status": h.status, "actor": h.actor, "source": h.source}
            for h in aff.status_history(s, affected.id)
        ]
        notices = [
            {
                "id": n.id,
                "recipient": n.recipient,
                "channel": n.channel,
                "language": n.language,
                "status": n.status,
                "waiting": n.waiting_reason,
            }
            for n in s.scalars(select(IrNotification).where(IrNotification.affected_id == affected.id))
        ]
    return render(
        request,
        "incident/person.html",
        me,
        inc={"id": incident_id},
        p=view,
        history=history,
        notices=notices,
        file_statuses=statuses.FILE_STATUSES,
        must_zero=aff.MUST_STAY_ZERO,
        can_act=me.has(Role.INCIDENT_RESPONDER.value),
    )


@router.post("/incidents/{incident_id}/people/{affected_id}/status")
def person_status(
    request: Request,
    incident_id: IncidentId,
    affected_id: IncidentId,
    me: Responder,
    status: Annotated[str, Form(max_length=50)],
    at: Annotated[str, Form(max_length=40)] = "",
) -> Response:
    if status not in statuses.FILE_STATUSES:
        raise Invalid(f"a status is one of {', '.join(statuses.FILE_STATUSES)}")
    try:
        when = datetime.fromisoformat(at.strip()) if at.strip() else datetime.now(UTC)
    except ValueError:
        raise Invalid("the time must be an ISO date and time") from None
    with gate_of(request).db.write() as s:
        affected = s.get(IrAffected, affected_id)
        if affected is None or affected.incident_id != incident_id:
            raise Invalid("no such person in this incident")
        aff.set_status(
            s,
            affected_id,
            status,
            me.username,
            at=when.replace(tzinfo=when.tzinfo or UTC),
            acknowledge_alert=True,
            source="web",
        )
    return _back(incident_id, f"/people/{affected_id}")


def _saved(request: Request, upload: UploadFile, folder: Path) -> Path:
    """An upload written to a private temp folder under its own name (read with the app's size limit)."""
    data = read_upload(upload, request.app.state.max_upload_bytes)
    name = Path(upload.filename or "upload").name or "upload"
    target = folder / name
    target.write_bytes(data)
    return target


@router.post("/incidents/{incident_id}/statuses")
def statuses_upload(
    request: Request,
    incident_id: IncidentId,
    me: Responder,
    statuses_file: Annotated[UploadFile, Form(alias="statuses")],
) -> Response:
    """A status file (roster_id,status,at) for many people at once."""
    with tempfile.TemporaryDirectory(prefix="veil-status-") as tmp:
        path = _saved(request, statuses_file, Path(tmp))
        with gate_of(request).db.write() as s:
            response.import_status_file(s, incidents.get_incident(s, incident_id), path, me.username)
    return _back(incident_id, "/people")


@router.post("/incidents/{incident_id}/link")
def link_upload(
    request: Request,
    incident_id: IncidentId,
    me: Responder,
    roster: Annotated[UploadFile, Form()],
    roster_id: Annotated[str, Form(max_length=100)],
    sheet: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    with tempfile.TemporaryDirectory(prefix="veil-roster-") as tmp:
        path = _saved(request, roster, Path(tmp))
        with gate_of(request).db.write() as s:
            response.link_roster(
                s,
                incidents.get_incident(s, incident_id),
                path,
                roster_id.strip(),
                me.username,
                sheet=sheet.strip() or None,
            )
    return _back(incident_id, "/review")


@router.post("/incidents/{incident_id}/access-logs")
def logs_upload(
    request: Request, incident_id: IncidentId, me: Responder, logs: Annotated[list[UploadFile], Form()]
) -> Response:
    with tempfile.TemporaryDirectory(prefix="veil-logs-") as tmp:
        paths = [_saved(request, upload, Path(tmp)) for upload in logs]
        with gate_of(request).db.write() as s:
            response.import_logs(s, incidents.get_incident(s, incident_id), paths, me.username)
    return _back(incident_id, "/downloaders")


@router.get("/incidents/{incident_id}/downloaders", response_class=HTMLResponse)
def downloaders_page(request: Request, incident_id: IncidentId, me: Reader) -> Response:
    with gate_of(request).db.read() as s:
        incidents.get_incident(s, incident_id)
        rows: list[dict[str, Any]] = [
            {
                "ip": r.ip,
                "agent": r.user_agent[:80],
                "first": _when(r.first),
                "last": _when(r.last),
                "requests": r.requests,
                "bytes": r.bytes,
                "statuses": ", ".join(map(str, r.statuses)),
                "got_copy": r.got_copy,
                "clawback": r.clawback,
            }
            for r in access_logs.requesters(s, incident_id)
        ]
    return render(
        request,
        "incident/downloaders.html",
        me,
        inc={"id": incident_id},
        rows=rows,
        copies=len({r["ip"] for r in rows if r["got_copy"]}),
    )


@router.post("/incidents/{incident_id}/notify")
def notify_now(request: Request, incident_id: IncidentId, me: Responder) -> Response:
    """Letters for every notice that can be made, into DATA_DIR/letters/incident-ID (private)."""
    folder = gate_of(request).data_dir / "letters" / f"incident-{incident_id}"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    with gate_of(request).db.write() as s:
        response.notify(s, incidents.get_incident(s, incident_id), folder, me.username)
    return _back(incident_id, "/notices")


@router.post("/incidents/{incident_id}/oversight")
def oversight_determination(
    request: Request,
    incident_id: IncidentId,
    me: Responder,
    required: Annotated[str, Form()],
    reason: Annotated[str, Form(max_length=300)],
) -> Response:
    with gate_of(request).db.write() as s:
        incidents.determine_oversight(
            s, incidents.get_incident(s, incident_id), me.username, required=required == "yes", reason=reason
        )
    return _back(incident_id)
