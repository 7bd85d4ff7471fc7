"""HTML pages (Jinja2 + HTMX). Every route declares its roles through `requires()`; CSRF is checked there too."""

from __future__ import annotations

import csv
import io
import json
import secrets
import shlex
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool

from veil.incident import incidents
from veil.store.models_accounts import User
from veil.store.models_releases import Publication, ReleaseFile
from veil.web.rendering import render
from veil.web.security import LOGIN_CSRF_COOKIE, SESSION_COOKIE, Principal, gate_of, requires, requires_upload
from veil.web.uploads import receive_form, upload_limits
from veil.workflow import accounts, approvals, audit, publishing, releases
from veil.workflow.errors import Invalid, WorkflowError
from veil.workflow.overrides import REQUIRED_OFFICIALS
from veil.workflow.roles import ROLES, Role
from veil.workflow.uploads import UploadReceiver, add_uploads
from veil.workflow.views import release_detail, release_page

router = APIRouter(include_in_schema=False)

AnyRole = Annotated[Principal, Depends(requires())]
Submitter = Annotated[Principal, Depends(requires(Role.SUBMITTER))]
# a submitter's form with files: CSRF is checked as the body streams, before any file (veil.web.uploads)
Uploader = Annotated[Principal, Depends(requires_upload(Role.SUBMITTER))]
Decider = Annotated[Principal, Depends(requires(Role.REVIEWER, Role.AUTHORISING_OFFICIAL))]
Publisher = Annotated[Principal, Depends(requires(Role.PUBLISHER))]
Auditor = Annotated[Principal, Depends(requires(Role.AUDITOR, Role.ADMIN))]
Admin = Annotated[Principal, Depends(requires(Role.ADMIN))]
IncidentOpener = Annotated[Principal, Depends(requires(Role.INCIDENT_RESPONDER, Role.AUTHORISING_OFFICIAL))]
ReleaseId = Annotated[int, PathParam(ge=1, le=2_147_483_647)]
PER_PAGE = 50
# Post/Redirect/Get: a done action redirects (303) to the release page with `?done=KEY`; the page shows the message
# for KEY (a fixed text: nothing from the address is echoed), and reloading it repeats nothing.
DONE = {"approved": "approval recorded", "rejected": "release rejected", "published": "published",
        "withdrawn": "withdrawn", "uploaded": "files uploaded; scanning"}


def _user(session: Any, principal: Principal) -> User:
    user = session.get(User, principal.id)
    assert user is not None
    return user


def _secure(request: Request) -> bool:
    return bool(request.app.state.secure_cookies) or request.url.scheme == "https"


def _safe_next(target: str | None) -> str:
    return target if target and target.startswith("/") and not target.startswith("//") else "/releases"


@router.get("/", response_class=RedirectResponse)
def home() -> RedirectResponse:
    return RedirectResponse("/releases", status_code=303)


def first_admin_command(gate: Any) -> str:
    """The command that creates the first admin of this gate's database, or "" once it has any user. It names the
    data directory (unless it is the default) and, for PostgreSQL, the URL by its environment variable only (a URL
    can hold a password)."""
    with gate.db.read() as s:
        if s.scalar(select(func.count()).select_from(User)):
            return ""
    command = "veil admin create-user admin --role admin"
    data_dir = str(gate.data_dir)
    if Path(data_dir) != Path(".veil"):
        command += f" --data-dir {shlex.quote(data_dir)}"
    if not gate.db.is_sqlite:
        command += ' --database-url "$VEIL_DATABASE_URL"'
    return command


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str | None = None) -> Response:
    return login_form_with_error(request, "", next, 200)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, username: Annotated[str, Form(max_length=200)],
          password: Annotated[str, Form(max_length=1000)], csrf: Annotated[str, Form(max_length=200)] = "",
          next: Annotated[str, Form(max_length=2000)] = "/releases") -> Response:
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not secrets.compare_digest(expected, csrf):
        return login_form_with_error(request, "the login form expired; please try again", next, 403)
    gate = gate_of(request)
    with gate.db.write() as s:
        result = accounts.authenticate(s, username, password)
        raw = accounts.open_session(s, result.user)[0] if result.user is not None else None
    if raw is None:
        return login_form_with_error(request, result.error, next, 401)
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, raw, httponly=True, samesite="strict", secure=_secure(request),
                        max_age=int(accounts.SESSION_LIFETIME.total_seconds()))
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


def login_form_with_error(request: Request, error: str, next: str | None, status: int) -> Response:
    """The login form (with a fresh login CSRF cookie); with no users yet, the command making the first admin."""
    token = secrets.token_urlsafe(24)
    response = render(request, "login.html", None, login_csrf=token, next=_safe_next(next), error=error,
                      status_code=status, first_admin=first_admin_command(gate_of(request)),
                      min_password=accounts.MIN_PASSWORD)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, httponly=True, samesite="strict", secure=_secure(request),
                        max_age=3600)
    return response


@router.post("/logout")
def logout(request: Request, principal: AnyRole) -> Response:
    from veil.workflow.events import LoggedOut

    with gate_of(request).db.write() as s:
        accounts.close_session(s, request.cookies.get(SESSION_COOKIE, ""))
        audit.append(s, LoggedOut(actor=principal.username))
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/releases", response_class=HTMLResponse)
def release_list(request: Request, principal: AnyRole, page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
                 status: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    with gate_of(request).db.read() as s:
        items, total = release_page(s, page, PER_PAGE, status or None)
    pages = max(1, -(-total // PER_PAGE))
    return render(request, "releases.html", principal, releases=items, page=page, pages=pages, total=total,
                  status=status or "")


@router.get("/releases/new", response_class=HTMLResponse)
def new_release_form(request: Request, principal: Submitter) -> Response:
    return render(request, "new_release.html", principal, form={}, max_files=upload_limits(request).max_files)


class FieldErrors(Invalid):
    """The new-release form's refusals, by field: each is shown next to its field, and what was typed is kept."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


def check_release_fields(fields: dict[str, str]) -> None:
    """The new-release form's text fields, checked before any file of the form is received."""
    errors: dict[str, str] = {}
    title = " ".join(fields.get("title", "").split())
    if not title:
        errors["title"] = "give the release a title"
    elif len(title) > 200:
        errors["title"] = "a title has at most 200 characters"
    if not fields.get("target_path", "").strip():
        errors["target_path"] = "say where on the public site the files go, e.g. statistics/2024-q3"
    else:
        try:
            releases.clean_target_path(fields["target_path"][:500])
        except Invalid as exc:
            errors["target_path"] = str(exc)
    if len(fields.get("notes", "")) > 20_000:
        errors["notes"] = "the notes are longer than 20,000 characters"
    if errors:
        raise FieldErrors(errors)


@router.post("/releases", response_class=HTMLResponse)
async def create_release(request: Request, principal: Uploader) -> Response:
    """A new release and its first files, streamed through the one upload function (`receive_form`): the CSRF token
    and the text fields are checked before any file is stored; a refused form comes back as it was typed."""
    gate = gate_of(request)
    typed: dict[str, str] = {}

    def check(fields: dict[str, str]) -> None:
        typed.update(fields)
        check_release_fields(typed)

    try:
        form = await receive_form(request, UploadReceiver(gate.blobs, upload_limits(request)), csrf=principal.csrf,
                                  before_files=check)
        check(form.fields)

        def create() -> int:
            with gate.db.write() as s:
                user = _user(s, principal)
                release = releases.create_release(s, user, typed["title"], typed["target_path"],
                                                  typed.get("notes", ""))
                if form.files:
                    add_uploads(s, gate.blobs, release, user, form.files)
                return int(release.id)

        release_id = await run_in_threadpool(create)
    except WorkflowError as exc:
        fields = {k: typed.get(k, "") for k in ("title", "target_path", "notes")}
        errors = exc.errors if isinstance(exc, FieldErrors) else {}
        return render(request, "new_release.html", principal, form=fields, errors=errors,
                      error="" if errors else str(exc), status_code=exc.status,
                      max_files=upload_limits(request).max_files)
    gate.wake_worker()
    return RedirectResponse(f"/releases/{release_id}", status_code=303)


def _release_page(request: Request, principal: Principal, release_id: int, error: str = "",
                  message: str = "", status_code: int = 200, template: str = "release.html",
                  form: dict[str, str] | None = None) -> Response:
    """The release page; `form` refills the override form after a refusal (the official's text is not lost)."""
    gate = gate_of(request)
    with gate.db.read() as s:
        detail = release_detail(s, release_id, gate.override_rules)
    return render(request, template, principal, r=detail, error=error, message=message, status_code=status_code,
                  legal_bases=gate.override_rules.legal_bases, officials=REQUIRED_OFFICIALS, form=form)


@router.get("/releases/{release_id}", response_class=HTMLResponse)
def release_view(request: Request, release_id: ReleaseId, principal: AnyRole,
                 done: Annotated[str, Query(max_length=20)] = "") -> Response:
    return _release_page(request, principal, release_id, message=DONE.get(done, ""))


@router.get("/releases/{release_id}/files", response_class=HTMLResponse)
def release_files_fragment(request: Request, release_id: ReleaseId, principal: AnyRole) -> Response:
    """The files table alone: the release page polls it (HTMX) while scans are pending, and reloads in full
    once they are done (the approve and publish forms depend on the verdicts)."""
    gate = gate_of(request)
    with gate.db.read() as s:
        detail = release_detail(s, release_id, gate.override_rules)
    if request.headers.get("HX-Request") and not detail["scans_pending"]:
        return Response(status_code=200, headers={"HX-Refresh": "true"})
    return render(request, "_files.html", principal, r=detail)


def _act(request: Request, principal: Principal, release_id: int, action: Any, done: str,
         form: dict[str, str] | None = None) -> Response:
    """Run one workflow action in a write transaction. Refusals come back on the release page (with what was
    typed); success redirects to it (303, `done` a key of DONE), so a reload does not post again."""
    try:
        with gate_of(request).db.write() as s:
            release = releases.get_release(s, release_id, lock=True)
            action(s, release, _user(s, principal))
    except WorkflowError as exc:
        return _release_page(request, principal, release_id, error=str(exc), status_code=exc.status, form=form)
    return RedirectResponse(f"/releases/{release_id}?done={done}", status_code=303)


@router.post("/releases/{release_id}/files", response_class=HTMLResponse)
async def upload_files(request: Request, release_id: ReleaseId, principal: Uploader) -> Response:
    """New files or versions, streamed through the one upload function: the CSRF token before any file, the size
    as it streams, more than the file limit refused (never cut short)."""
    gate = gate_of(request)
    try:
        form = await receive_form(request, UploadReceiver(gate.blobs, upload_limits(request)), csrf=principal.csrf)
    except WorkflowError as exc:
        error, status = str(exc), exc.status
        return await run_in_threadpool(lambda: _release_page(request, principal, release_id, error=error,
                                                             status_code=status))

    def add() -> Response:
        response = _act(request, principal, release_id,
                        lambda s, release, user: add_uploads(s, gate.blobs, release, user, form.files), "uploaded")
        gate.wake_worker()
        return response

    return await run_in_threadpool(add)


@router.post("/releases/{release_id}/approve", response_class=HTMLResponse)
def approve(request: Request, release_id: ReleaseId, principal: Decider,
            sha256s: Annotated[list[str] | None, Form(max_length=500)] = None,
            justification: Annotated[str, Form(max_length=5000)] = "",
            legal_basis: Annotated[str, Form(max_length=80)] = "") -> Response:
    rules = gate_of(request).override_rules
    return _act(request, principal, release_id,
                lambda s, release, user: approvals.approve(s, release, user, sha256s or [], justification,
                                                           legal_basis, rules),
                "approved", form={"legal_basis": legal_basis, "justification": justification})


@router.post("/releases/{release_id}/reject", response_class=HTMLResponse)
def reject(request: Request, release_id: ReleaseId, principal: Decider,
           comment: Annotated[str, Form(max_length=5000)] = "") -> Response:
    return _act(request, principal, release_id,
                lambda s, release, user: approvals.reject(s, release, user, comment), "rejected")


@router.post("/releases/{release_id}/publish", response_class=HTMLResponse)
def publish(request: Request, release_id: ReleaseId, principal: Publisher,
            sha256s: Annotated[list[str] | None, Form(max_length=500)] = None) -> Response:
    gate = gate_of(request)
    return _act(request, principal, release_id,
                lambda s, release, user: publishing.publish(s, gate.blobs, gate.site, release, user, sha256s or None),
                "published")


@router.post("/releases/{release_id}/withdraw", response_class=HTMLResponse)
def withdraw(request: Request, release_id: ReleaseId, principal: Publisher) -> Response:
    gate = gate_of(request)
    return _act(request, principal, release_id,
                lambda s, release, user: publishing.withdraw(s, gate.site, release, user), "withdrawn")


@router.post("/releases/{release_id}/incident")
def open_incident_for_file(request: Request, release_id: ReleaseId, principal: IncidentOpener,
                           path: Annotated[str, Form(max_length=1000)]) -> Response:
    """One click from a published file (one a sweep lists as live under an override, say) to its incident: the
    incident that already holds these bytes, or a new one exposing them from their publication."""
    gate = gate_of(request)
    try:
        with gate.db.write() as s:
            pub = publishing.publication_at(s, release_id, path)
            incident_id = _incident_for(s, principal.username, pub)
    except WorkflowError as exc:
        return _release_page(request, principal, release_id, error=str(exc), status_code=exc.status)
    return RedirectResponse(f"/incidents/{incident_id}", status_code=303)


def _incident_for(session: Any, actor: str, pub: Publication) -> int:
    """The open incident holding these bytes, or a new one; its exposure starts at the publication record."""
    incident = incidents.open_or_join(session, sha256=pub.sha256, path=pub.path, url=None, source="manual",
                                      actor=actor, size=session.get(ReleaseFile, pub.file_id).size,
                                      exposed_to=pub.withdrawn)
    return int(incident.id)


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, principal: Auditor, page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
               event: Annotated[str | None, Query(max_length=40)] = None) -> Response:
    with gate_of(request).db.read() as s:
        entries = [audit.entry_dict(e) for e in audit.page(s, (page - 1) * 100, 100, event or None)]
        check = audit.verify(s)
    return render(request, "audit.html", principal, entries=entries, page=page, check=check, event=event or "")


def _all_entries(request: Request) -> Iterator[dict[str, Any]]:
    offset = 0
    while True:
        with gate_of(request).db.read() as s:
            batch = [audit.entry_dict(e) for e in audit.page(s, offset, 1000)]
        if not batch:
            return
        yield from batch
        offset += len(batch)


@router.get("/audit/export.csv")
def audit_csv(request: Request, principal: Auditor) -> Response:
    def rows() -> Iterator[str]:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(["seq", "created", "actor", "event", "payload", "prev_hash", "hash"])
        for e in _all_entries(request):
            writer.writerow([e["seq"], e["created"], e["actor"], e["event"],
                             json.dumps(e["payload"], sort_keys=True, ensure_ascii=False), e["prev_hash"], e["hash"]])
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()

    return StreamingResponse(rows(), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="veil-audit.csv"'})


@router.get("/audit/export.json")
def audit_json(request: Request, principal: Auditor) -> Response:
    def chunks() -> Iterator[str]:
        yield "["
        for i, e in enumerate(_all_entries(request)):
            yield ("," if i else "") + "\n" + json.dumps(e, ensure_ascii=False)
        yield "\n]\n"

    return StreamingResponse(chunks(), media_type="application/json",
                             headers={"Content-Disposition": 'attachment; filename="veil-audit.json"'})


@router.get("/admin/users", response_class=HTMLResponse)
def users_page(request: Request, principal: Admin) -> Response:
    return _users_view(request, principal)


def _users_view(request: Request, principal: Principal, error: str = "", message: str = "", token: str = "",
                status_code: int = 200) -> Response:
    with gate_of(request).db.read() as s:
        users = [{"username": u.username, "roles": sorted(u.role_names), "locked": u.locked_until is not None}
                 for u in s.scalars(select(User).order_by(User.username))]
    return render(request, "users.html", principal, users=users, roles=ROLES, error=error, message=message,
                  token=token, status_code=status_code)


def _admin_act(request: Request, principal: Principal, action: Any, done: str) -> Response:
    try:
        with gate_of(request).db.write() as s:
            token = action(s)
    except WorkflowError as exc:
        return _users_view(request, principal, error=str(exc), status_code=exc.status)
    return _users_view(request, principal, message=done, token=token if isinstance(token, str) else "")


@router.post("/admin/users", response_class=HTMLResponse)
def create_user(request: Request, principal: Admin, username: Annotated[str, Form(max_length=64)],
                password: Annotated[str, Form(max_length=1000)],
                roles: Annotated[list[str] | None, Form()] = None) -> Response:
    return _admin_act(request, principal, lambda s: accounts.create_user(s, username, password, roles or [],
                                                                         actor=principal.username) and None,
                      f"user {username} created")


@router.post("/admin/users/{username}/roles", response_class=HTMLResponse)
def set_roles(request: Request, principal: Admin, username: Annotated[str, PathParam(max_length=64)],
              roles: Annotated[list[str] | None, Form()] = None) -> Response:
    return _admin_act(request, principal, lambda s: accounts.set_roles(s, username, roles or [],
                                                                       actor=principal.username) and None,
                      f"roles of {username} updated")


@router.post("/admin/tokens", response_class=HTMLResponse)
def create_token(request: Request, principal: Admin, username: Annotated[str, Form(max_length=64)],
                 name: Annotated[str, Form(max_length=100)] = "token") -> Response:
    return _admin_act(request, principal,
                      lambda s: accounts.create_token(s, username, name, actor=principal.username),
                      f"token created for {username}: copy it now, it is not shown again")
