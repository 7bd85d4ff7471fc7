"""Incident pages for the gate's web app: the incident list with its deadline clocks, an incident's exposure
window, figures and timeline, the clerical-review queue (candidates side by side, masked to the minimum needed; a
person the linkage did not offer can be added by roster id), the people with a page each and their status history,
bulk status files, holds (counted and paged in SQL), notices, the response steps (link a roster, access logs,
letters) and the reports. Roles: incident responders act; authorising officials and auditors read, holds and
notices included (authorising officials may lift a hold).

Mounted by the app factory, `veil.web.app.create_app`. The steps are the ones `veil incident` runs
(`veil.incident.response`).
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from sqlalchemy import func, select

from veil.incident import affected as aff
from veil.incident import clocks, holds, incidents, notifications, reports
from veil.masking import mask
from veil.shown_names import shown_name
from veil.store.base import utcnow
from veil.store.models_accounts import User
from veil.store.models_incident import IrAffected, IrHold, IrIncident, IrReviewItem, IrRosterPerson
from veil.web import incident_steps
from veil.web.rendering import render
from veil.web.security import Principal, gate_of, requires
from veil.workflow.errors import Invalid
from veil.workflow.roles import Role

router = APIRouter(include_in_schema=False)
router.include_router(incident_steps.router)
Reader = Annotated[Principal, Depends(requires(Role.INCIDENT_RESPONDER, Role.AUTHORISING_OFFICIAL, Role.AUDITOR))]
Responder = Annotated[Principal, Depends(requires(Role.INCIDENT_RESPONDER))]
IncidentId = Annotated[int, PathParam(ge=1, le=2_147_483_647)]


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else ""


def _left(seconds: float) -> str:
    hours, rest = divmod(int(max(seconds, 0)), 3600)
    return f"{hours} h {rest // 60} min"


def _page(request: Request, name: str, me: Principal, **context: Any) -> HTMLResponse:
    return render(request, f"incident/{name}", me, **context)


@router.get("/incidents", response_class=HTMLResponse)
def incident_list(request: Request, me: Reader) -> Response:
    with gate_of(request).db.read() as s:
        counts = {
            i: n for i, n in s.execute(select(IrAffected.incident_id, func.count()).group_by(IrAffected.incident_id))
        }
        rows = [
            {
                "id": i.id,
                "title": i.title,
                "status": i.status,
                "severity": i.severity,
                "discovered": _when(i.discovered),
                "clocks": clocks.deadlines(i),
                "affected": counts.get(i.id, 0),
            }
            for i in s.scalars(select(IrIncident).order_by(IrIncident.id.desc()).limit(200))
        ]
    return _page(request, "incidents.html", me, rows=rows)


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(request: Request, incident_id: IncidentId, me: Reader) -> Response:
    with gate_of(request).db.read() as s:
        inc = incidents.get_incident(s, incident_id)
        fig = reports.figures(s, inc)
        clock_rows = [
            {
                "name": c.name,
                "due": _when(c.due),
                "done": _when(c.done),
                "state": c.state,
                "left": _left(c.remaining_seconds),
                "used": round(min(c.used_percent, 100)),
            }
            for c in clocks.deadlines(inc)
        ]
        timeline = [
            {"at": _when(e.at), "kind": e.kind, "text": e.text, "actor": e.actor} for e in incidents.timeline(s, inc)
        ]
        files = [
            {
                "id": f.id,
                "name": shown_name(f.name),
                "sha": f.sha256[:12],
                "start": _when(f.exposure_start),
                "start_source": f.exposure_start_source,
                "end": _when(f.exposure_end),
                "rows": f.rows,
                "lasted": incidents.duration(f.exposure_start, f.exposure_end or utcnow()),
                "verdict": f.verdict,
                "quarantined": bool(f.quarantine_path),
                "evidence": sorted(f.evidence or {}),
            }
            for f in incidents.exposed_files(s, incident_id)
        ]
        pending = len(aff.review_queue(s, incident_id)) + len(aff.review_queue(s, incident_id, "none"))
        exact = reports.oversight_figures(s, inc)
        view = {
            "id": inc.id,
            "title": inc.title,
            "status": inc.status,
            "severity": inc.severity,
            "major": inc.major,
            "discovered": _when(inc.discovered),
            "opened_by": inc.opened_by,
            "oversight_required": inc.oversight_required,
            "oversight_basis": inc.oversight_basis,
        }
    must_zero = dict(fig.breakdowns["status"]).get(aff.MUST_STAY_ZERO, 0)
    return _page(
        request,
        "incident.html",
        me,
        inc=view,
        fig=fig,
        clocks=clock_rows,
        timeline=timeline,
        pending=pending,
        must_zero=must_zero,
        files=files,
        exact=exact,
        can_act=me.has(Role.INCIDENT_RESPONDER.value),
    )


@router.get("/incidents/{incident_id}/centre-report.json")
def centre_report(request: Request, incident_id: IncidentId, me: Reader) -> Response:
    with gate_of(request).db.read() as s:
        body = clocks.centre_report(s, incidents.get_incident(s, incident_id))
    return JSONResponse(body, headers={"Content-Disposition": f'attachment; filename="incident-{incident_id}.json"'})


_MEDIA = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


@router.get("/incidents/{incident_id}/report/{kind}.{fmt}")
def report_download(request: Request, incident_id: IncidentId, kind: str, fmt: str, me: Reader) -> Response:
    """A report: oversight (exact), centre, or public (small counts banded; refused with 409 if `veil check` does
    not pass it)."""
    if fmt not in _MEDIA or kind not in reports.KINDS:
        raise Invalid("a report is oversight, centre or public, as json, xlsx or pdf")
    with gate_of(request).db.read() as s:
        blob = reports.export(s, incidents.get_incident(s, incident_id), kind, fmt, policy=gate_of(request).policy)
    return Response(
        blob,
        media_type=_MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="incident-{incident_id}-{kind}.{fmt}"'},
    )


@router.get("/incidents/{incident_id}/review", response_class=HTMLResponse)
def review_page(request: Request, incident_id: IncidentId, me: Responder) -> Response:
    with gate_of(request).db.read() as s:
        inc = incidents.get_incident(s, incident_id)
        items = []
        for item in (aff.review_queue(s, incident_id) + aff.review_queue(s, incident_id, "none"))[:50]:
            cands = []
            for c in item.candidates:
                person = s.get(IrRosterPerson, int(c["person_id"]))  # type: ignore[call-overload]
                if person is None:
                    continue
                cands.append(
                    {
                        "person_id": person.id,
                        "ref": person.ref,
                        "name": mask(f"{person.surname}, {person.given}"),
                        "dob": mask(person.dob.isoformat()) if person.dob else "",
                        "anumber": mask(person.anumber),
                        "nationality": person.nationality,
                        "probability": float(c.get("probability", 0.0)),  # type: ignore[arg-type]
                        "evidence": c.get("evidence", {}),
                    }
                )
            items.append({"id": item.id, "row": item.exposed_row, "candidates": cands, "state": item.state})
        view = {"id": inc.id}
    return _page(request, "review.html", me, inc=view, items=items)


@router.post("/incidents/{incident_id}/review/{item_id}")
def review_decide(
    request: Request,
    incident_id: IncidentId,
    item_id: IncidentId,
    me: Responder,
    person_id: Annotated[str, Form()] = "none",
    roster_id: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """A candidate, 'none of these', or (roster_id) a person the linkage did not offer."""
    with gate_of(request).db.write() as s:
        item = s.get(IrReviewItem, item_id)
        if item is None or item.incident_id != incident_id:
            raise Invalid("no such review item in this incident")
        if roster_id.strip():
            aff.settle_row(s, item, me.username, aff.roster_person(s, roster_id).id, add=True)
            return RedirectResponse(f"/incidents/{incident_id}/review", status_code=303)
        chosen = None if person_id == "none" else int(person_id) if person_id.isdigit() else -1
        if chosen == -1:
            raise Invalid("choose a candidate or 'none of these'")
        if chosen is None:
            aff.reject_row(s, item, me.username) if item.state == "pending" else None
        else:
            aff.settle_row(s, item, me.username, chosen)
    return RedirectResponse(f"/incidents/{incident_id}/review", status_code=303)


@router.get("/incidents/{incident_id}/notices", response_class=HTMLResponse)
def notices_page(request: Request, incident_id: IncidentId, me: Reader, status: str | None = None) -> Response:
    with gate_of(request).db.read() as s:
        inc = incidents.get_incident(s, incident_id)
        work = notifications.worklist(s, incident_id)
        view = {"id": inc.id}
    counts = [f"{n} {st}" for st, n in sorted(Counter(w.status for w in work).items())]
    rows = [
        {
            "notification_id": w.notification_id,
            "affected_id": w.affected_id,
            "recipient": w.recipient,
            "name": w.name,
            "channel": w.channel,
            "language": w.language,
            "status": w.status,
            "delivered": _when(w.delivered),
            "hold_until": _when(w.hold_until),
            "waiting": w.waiting_reason,
        }
        for w in work
        if status is None or w.status == status
    ][:1000]
    return _page(
        request, "worklist.html", me, inc=view, rows=rows, counts=counts, can_act=me.has(Role.INCIDENT_RESPONDER.value)
    )


@router.post("/incidents/{incident_id}/notices/{notification_id}/delivered")
def notice_delivered(
    request: Request,
    incident_id: IncidentId,
    notification_id: IncidentId,
    me: Responder,
    proof: Annotated[str, Form(max_length=300)] = "",
) -> Response:
    with gate_of(request).db.write() as s:
        if not any(w.notification_id == notification_id for w in notifications.worklist(s, incident_id)):
            raise Invalid("no such notice in this incident")
        notifications.mark_delivered(s, notification_id, me.username, proof)
    return RedirectResponse(f"/incidents/{incident_id}/notices", status_code=303)


Lifter = Annotated[Principal, Depends(requires(Role.INCIDENT_RESPONDER, Role.AUTHORISING_OFFICIAL))]
PAGE = 200


@router.get("/incidents/{incident_id}/holds", response_class=HTMLResponse)
def holds_page(request: Request, incident_id: IncidentId, me: Reader, page: int = 1) -> Response:
    """Every hold, counted in SQL and shown a page at a time."""
    now = utcnow()
    page = max(page, 1)
    with gate_of(request).db.read() as s:
        inc = incidents.get_incident(s, incident_id)
        mine = IrAffected.incident_id == incident_id
        active = int(
            s.scalar(select(func.count()).select_from(IrHold).join(IrAffected).where(mine, IrHold.lifted.is_(None)))
            or 0
        )
        total = int(s.scalar(select(func.count()).select_from(IrHold).join(IrAffected).where(mine)) or 0)
        rows = []
        for hold, affected, person in s.execute(
            select(IrHold, IrAffected, IrRosterPerson)
            .join(IrAffected, IrAffected.id == IrHold.affected_id)
            .join(IrRosterPerson, IrRosterPerson.id == IrHold.person_id)
            .where(mine)
            .order_by(IrHold.id)
            .offset((page - 1) * PAGE)
            .limit(PAGE)
        ):
            lift_from = holds.earliest_lift(affected)
            rows.append(
                {
                    "id": hold.id,
                    "affected_id": affected.id,
                    "name": mask(f"{person.surname}, {person.given}"),
                    "basis": affected.basis,
                    "status": affected.status,
                    "placed": _when(hold.placed),
                    "lift_from": _when(lift_from),
                    "lifted": _when(hold.lifted),
                    "can_lift": hold.lifted is None and lift_from is not None and lift_from <= now,
                }
            )
        view = {"id": inc.id}
    can_lift = me.has(Role.INCIDENT_RESPONDER.value, Role.AUTHORISING_OFFICIAL.value)
    return _page(
        request,
        "holds.html",
        me,
        inc=view,
        rows=rows,
        active=active,
        lifted=total - active,
        must_zero=aff.MUST_STAY_ZERO,
        page=page,
        pages=max(1, -(-total // PAGE)),
        can_lift=can_lift,
    )


@router.post("/incidents/{incident_id}/holds/{hold_id}/lift")
def hold_lift(
    request: Request,
    incident_id: IncidentId,
    hold_id: IncidentId,
    me: Lifter,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    with gate_of(request).db.write() as s:
        hold = s.get(IrHold, hold_id)
        affected = s.get(IrAffected, hold.affected_id) if hold is not None else None
        if affected is None or affected.incident_id != incident_id:
            raise Invalid("no such hold in this incident")
        user = s.get(User, me.id)
        assert user is not None  # the principal was resolved from this user
        holds.lift_hold(s, hold_id, user, reason)
    return RedirectResponse(f"/incidents/{incident_id}/holds", status_code=303)
