"""Web face of the sweeper: the public report form and API, and staff views of incidents, reports and sweeps.

`install(app)` (called by the app factory) mounts the router, creates the `WatchService` from the environment
(`WatchConfig.from_env`) unless one is given, and, with `schedule`, runs the sweep scheduler for the app's lifetime.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, FastAPI, Form, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from veil.store.models_incident import IrExposedFile, IrIncident
from veil.store.models_watch import ExternalReport, SweepRun
from veil.watch import reports
from veil.watch.report import summary
from veil.watch.scheduler import SweepScheduler
from veil.watch.service import WatchConfig, WatchService, incident_dict
from veil.web.rendering import TEMPLATES
from veil.web.security import Principal, gate_of, requires
from veil.workflow.roles import Role

router = APIRouter(tags=["sweeper"])
Responder = Annotated[Principal, Depends(requires(Role.INCIDENT_RESPONDER, Role.ADMIN, api=True))]
Watcher = Annotated[Principal, Depends(requires(Role.INCIDENT_RESPONDER, Role.AUDITOR, Role.ADMIN, api=True))]
Sweeper = Annotated[Principal, Depends(requires(Role.INCIDENT_RESPONDER, Role.PUBLISHER, Role.ADMIN, api=True))]


class ReportIn(BaseModel):
    url: str = Field(min_length=8, max_length=reports.MAX_URL, description="the public address of the file")
    note: str = Field("", max_length=4000, description="what the reporter saw (please no personal details)")
    contact: str = Field("", max_length=320, description="how to reach the reporter (optional)")


class _RateLimit:
    """At most `count` reports per client address in `window` seconds: the form needs no account."""

    def __init__(self, count: int = 20, window: float = 600.0) -> None:
        self.count, self.window = count, window
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def check(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            hits = self._hits.setdefault(client, deque())
            while hits and hits[0] < now - self.window:
                hits.popleft()
            if len(hits) >= self.count:
                raise HTTPException(429, "too many reports from this address; try again later")
            hits.append(now)
            if len(self._hits) > 10_000:  # bounded memory under a flood of addresses
                self._hits.clear()


_limit = _RateLimit()


def watch_of(request: Request) -> WatchService:
    service: WatchService | None = getattr(request.app.state, "watch", None)
    if service is None:
        raise HTTPException(503, "the sweeper is not running")
    return service


def _submit(request: Request, background: BackgroundTasks, url: str, note: str, contact: str) \
        -> tuple[ExternalReport, str]:
    _limit.check(request.client.host if request.client else "-")
    service = watch_of(request)
    with gate_of(request).db.write() as s:
        report, token = reports.submit(s, url, note, contact, service.config.public_base_url
                                       or getattr(service.gate.site, "base_url", ""))
    if report.public_path:
        background.add_task(reports.check, service, report.id)
    return report, token


@router.post("/api/reports", status_code=202)
def report_api(request: Request, body: ReportIn, background: BackgroundTasks) -> dict[str, Any]:
    """Report a public URL (no account needed). The file is checked at once; follow the report with its token."""
    report, token = _submit(request, background, body.url, body.note, body.contact)
    return {**reports.public_dict(report), "token": token, "track": f"/api/reports/{token}"}


@router.get("/api/reports/{token}")
def report_status_api(request: Request, token: str) -> dict[str, Any]:
    with gate_of(request).db.read() as s:
        report = reports.find(s, token)
        if report is None:
            raise HTTPException(404, "no such report")
        return reports.public_dict(report)


@router.get("/report", response_class=HTMLResponse, include_in_schema=False)
def report_form(request: Request) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, "watch/report.html", {})


@router.post("/report", response_class=HTMLResponse, include_in_schema=False)
def report_form_post(request: Request, background: BackgroundTasks,
                     url: Annotated[str, Form(max_length=reports.MAX_URL)],
                     note: Annotated[str, Form(max_length=4000)] = "",
                     contact: Annotated[str, Form(max_length=320)] = "") -> Response:
    _report, token = _submit(request, background, url, note, contact)
    # Post/Redirect/Get: the reporter lands on the report's own page; reloading it does not report again.
    return RedirectResponse(f"/report/{token}?sent=1", status_code=303)


@router.get("/report/{token}", response_class=HTMLResponse, include_in_schema=False)
def report_status_page(request: Request, token: str, sent: bool = False) -> HTMLResponse:
    with gate_of(request).db.read() as s:
        report = reports.find(s, token)
        if report is None:
            raise HTTPException(404, "no such report")
        return TEMPLATES.TemplateResponse(request, "watch/report.html",
                                          {"report": reports.public_dict(report), "token": token, "sent": sent})


@router.get("/api/watch/incidents")
def incidents_api(request: Request, principal: Watcher,
                  status: Annotated[str | None, Query(pattern="^(open|closed)$")] = None,
                  limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict[str, Any]]:
    with gate_of(request).db.read() as s:
        query = select(IrIncident).order_by(IrIncident.id.desc()).limit(limit)
        if status == "open":
            query = query.where(IrIncident.status != "closed")
        elif status == "closed":
            query = query.where(IrIncident.status == "closed")
        found = list(s.scalars(query))
        files: dict[int, list[IrExposedFile]] = {}
        for f in s.scalars(select(IrExposedFile).where(IrExposedFile.incident_id.in_([i.id for i in found]))
                           .order_by(IrExposedFile.id)):
            files.setdefault(f.incident_id, []).append(f)
        return [incident_dict(i, files.get(i.id, [])) for i in found]


@router.get("/api/watch/reports")
def reports_api(request: Request, principal: Responder,
                limit: Annotated[int, Query(ge=1, le=500)] = 100) -> list[dict[str, Any]]:
    with gate_of(request).db.read() as s:
        rows = s.scalars(select(ExternalReport).order_by(ExternalReport.id.desc()).limit(limit))
        return [reports.staff_dict(r) for r in rows]


@router.get("/api/watch/runs")
def runs_api(request: Request, principal: Watcher,
             limit: Annotated[int, Query(ge=1, le=500)] = 50) -> list[dict[str, Any]]:
    with gate_of(request).db.read() as s:
        rows = s.scalars(select(SweepRun).order_by(SweepRun.id.desc()).limit(limit))
        return [{"id": r.id, "trigger": r.trigger, "started": r.started.isoformat(timespec="seconds"),
                 "seconds": r.seconds, "files": r.files, "scanned": r.scanned, "flagged": r.flagged,
                 "taken_down": r.taken_down, "summary": r.summary} for r in rows]


@router.post("/api/watch/sweep")
def sweep_now(request: Request, principal: Sweeper) -> dict[str, Any]:
    """Sweep the public site now and return what it found and did."""
    outcome = watch_of(request).sweep(trigger="manual")
    return {"run": outcome.run_id, "summary": summary(outcome.report),
            "files": [a.alert_dict() for a in outcome.actions], "alert_failures": outcome.alert_failures}


def install(app: FastAPI, service: WatchService | None = None, schedule: bool = True) -> WatchService:
    """Mount the sweeper on the gate's app; with `schedule`, sweeps run for the app's lifetime."""
    service = service or WatchService(app.state.gate, WatchConfig.from_env())
    app.state.watch = service
    app.include_router(router)
    if schedule:
        inner = app.router.lifespan_context

        @asynccontextmanager
        async def lifespan(the_app: Any) -> AsyncIterator[Any]:
            scheduler = SweepScheduler(service)
            app.state.sweep_scheduler = scheduler
            scheduler.start()
            try:
                async with inner(the_app) as state:
                    yield state
            finally:
                scheduler.stop()

        app.router.lifespan_context = lifespan
    return service
