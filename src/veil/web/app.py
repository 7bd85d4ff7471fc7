"""The FastAPI application: pages, the JSON API under /api, static files, error handling and security headers."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from veil import __version__
from veil.watch.service import WatchService
from veil.web import api, incident_pages, pages, screen_pages, watch_pages
from veil.web.rendering import TEMPLATES, render
from veil.web.security import (
    BodyGuard,
    LoginRequired,
    LoginThrottle,
    NotAllowed,
    Unauthenticated,
    page_principal,
)
from veil.workflow.audit_anchor import Anchor
from veil.workflow.errors import WorkflowError
from veil.workflow.gate import Gate
from veil.workflow.uploads import MAX_FILE_BYTES, UploadLimits

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
MAX_UPLOAD_BYTES = MAX_FILE_BYTES
_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'")
# The gate needs none of these browser features: deny them to every page (and anything injected into one).
_PERMISSIONS = ("accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), microphone=(), "
                "payment=(), usb=(), interest-cohort=()")
_HSTS = "max-age=31536000; includeSubDomains"


def create_app(gate: Gate, *, start_worker: bool = True, secure_cookies: bool = False,
               max_upload_bytes: int = MAX_UPLOAD_BYTES, watch: WatchService | None = None,
               schedule_sweeps: bool = False) -> FastAPI:
    """The whole web service over `gate`: the release gate's pages and API, the sweeper's report form and views,
    the incident pages and the screen page. With `start_worker`, an in-process scan worker runs for the app's
    lifetime (the SQLite set-up; with PostgreSQL, `veil worker` processes may do it instead); with
    `schedule_sweeps`, so do the sweeps. `watch` is the sweeper to use (default: one configured from the
    environment)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await run_in_threadpool(warm_up, app)  # uvicorn opens the port after this: the first page is not slow
        if start_worker and gate.worker is None:
            gate.start_worker()
        anchor = Anchor(gate.db, gate.anchor) if gate.anchor is not None else None
        if anchor is not None:
            anchor.start()  # a checkpoint now, then every N entries or minutes, and one at shutdown
        yield
        if gate.worker is not None:
            gate.worker.stop()
            gate.worker = None
        if anchor is not None:
            anchor.stop()

    app = FastAPI(title="Veil release gate", version=__version__, lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url="/api/openapi.json",
                  description="Submit releases, read scan verdicts, approve, publish. Authenticate with "
                              "`Authorization: Bearer <token>` (tokens: `veil admin create-token`).")
    app.state.gate = gate
    app.state.secure_cookies = secure_cookies
    app.state.max_upload_bytes = max_upload_bytes
    app.state.upload_limits = UploadLimits(max_file_bytes=max_upload_bytes)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api.router, prefix="/api")
    app.include_router(pages.router)
    app.include_router(incident_pages.router)
    app.include_router(screen_pages.router)
    watch_pages.install(app, watch, schedule=schedule_sweeps)

    @app.get("/api/docs", include_in_schema=False, response_class=HTMLResponse)
    def api_docs(request: Request) -> Response:
        # Rendered from the OpenAPI document locally: no CDN scripts (offline, and the CSP allows none).
        return render(request, "api_docs.html", page_principal(request), spec=app.openapi())

    _handlers(app)
    # Added before the headers middleware, so it wraps them: their early answers (401, 413, 429) get the headers.
    app.add_middleware(LoginThrottle)
    app.add_middleware(BodyGuard, limits=app.state.upload_limits)

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        response.headers.setdefault("Content-Security-Policy", _CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = _PERMISSIONS
        if secure_cookies:  # served over TLS (at a proxy): browsers must not come back over plain HTTP
            response.headers["Strict-Transport-Security"] = _HSTS
        if not request.url.path.startswith("/static/"):
            response.headers["Cache-Control"] = "no-store"
        return response

    return app


def warm_up(app: FastAPI) -> None:
    """What a first request would otherwise pay for, done at start-up: every template compiled, the OpenAPI
    document built (the API docs page and /api/openapi.json), a database connection opened."""
    for name in TEMPLATES.env.list_templates(extensions=["html"]):
        TEMPLATES.env.get_template(name)
    app.openapi()
    with app.state.gate.db.read() as s:
        s.execute(text("SELECT 1"))


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def login_required(request: Request, exc: LoginRequired) -> Response:
        if request.headers.get("HX-Request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)

    @app.exception_handler(Unauthenticated)
    async def unauthenticated(request: Request, exc: Unauthenticated) -> Response:
        return JSONResponse({"detail": str(exc)}, status_code=401, headers={"WWW-Authenticate": "Bearer"})

    @app.exception_handler(NotAllowed)
    async def not_allowed(request: Request, exc: NotAllowed) -> Response:
        return _error(request, 403, str(exc))

    @app.exception_handler(WorkflowError)
    async def workflow_error(request: Request, exc: WorkflowError) -> Response:
        # An operator sees what was refused where; the message stays out of the log (it can name a file).
        log.info("%s %s refused (%d, %s)", request.method, _route(request), exc.status, type(exc).__name__)
        return _error(request, exc.status, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        # Say which fields are wrong, never echo the values sent (they may be personal data).
        fields = sorted({".".join(str(p) for p in e.get("loc", ())[1:]) or "request" for e in exc.errors()})
        message = "invalid or missing: " + ", ".join(fields)
        if _is_api(request):
            return JSONResponse({"detail": message}, status_code=422)
        return _error(request, 422, message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        return _error(request, exc.status_code, str(exc.detail), headers=getattr(exc, "headers", None))

    @app.exception_handler(IsADirectoryError)
    @app.exception_handler(NotADirectoryError)
    @app.exception_handler(FileExistsError)
    async def path_collision(request: Request, exc: OSError) -> Response:
        # A file where a folder must go or the other way round (publishing): the caller can fix it, and neither
        # the message nor the log names the path, which can carry a person's name.
        log.warning("path collision on %s %s: %s", request.method, _route(request), type(exc).__name__)
        return _error(request, 409, "a file and a folder of the same name collide at the target; rename one of "
                                    "them, or withdraw what is in the way, and try again")

    @app.exception_handler(Exception)
    async def crash(request: Request, exc: Exception) -> Response:
        # The type and route template only: exception messages and request paths can carry values.
        log.error("internal error on %s %s: %s", request.method, _route(request), type(exc).__name__)
        return _error(request, 500, "internal error; the server log has the details")


def _route(request: Request) -> str:
    """The route's template (/releases/{release_id}/publish), never the path as requested."""
    route = request.scope.get("route")
    return str(getattr(route, "path", "(no route)"))


def _error(request: Request, status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    if _is_api(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    principal = None
    try:
        principal = page_principal(request)
    except Exception:  # the error page must render even when the database is what failed
        principal = None
    return render(request, "error.html", principal, status_code=status, detail=message, status=status)
