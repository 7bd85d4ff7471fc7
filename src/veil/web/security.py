"""Who is asking, and may they: session cookies and CSRF for pages, bearer tokens for the API, and `requires()`,
the one role check every route declares as a dependency.

- Pages: the `veil_session` cookie (random id; the database keeps its sha256), HttpOnly, SameSite=Strict, Secure
  when served over TLS or when `secure_cookies` is set. Every non-GET page request must carry the session's CSRF
  token in the `csrf` form field: checked here, so no form can forget it.
- API: `Authorization: Bearer veil_...` only. Cookies are ignored under /api, so cross-site requests cannot ride
  on a browser session.
- `BodyGuard`, around the whole app, looks at a request before its body is read: a declared length over the
  request limit is refused (413); a large or chunked body from a client with no valid session or token is
  refused (401), so an anonymous client cannot make the server spool a gigabyte; a body that streams past the
  limit is cut off (413).
- `LoginThrottle` counts failed logins per client address (as the socket sees it, or as a trusted proxy says:
  `veil serve --trusted-proxy`) and answers 429 after too many, whichever usernames were tried.
"""

from __future__ import annotations

import hmac
import time
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import cookie_parser
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from veil.store.models_accounts import User
from veil.workflow import accounts
from veil.workflow.gate import Gate
from veil.workflow.roles import Role
from veil.workflow.uploads import TooLarge, UploadLimits

SESSION_COOKIE = "veil_session"
ANONYMOUS_BODY_BYTES = 1 << 20
LOGIN_CSRF_COOKIE = "veil_login_csrf"
_bearer = HTTPBearer(auto_error=False, description="An API token from `veil admin create-token`.")
BearerCredentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


class LoginRequired(Exception):
    """A page needs a logged-in user: the handler redirects to /login."""


class NotAllowed(Exception):
    """The user is known but lacks the role (403), or the CSRF token is wrong (403)."""

    def __init__(self, message: str, api: bool) -> None:
        super().__init__(message)
        self.api = api


class Unauthenticated(Exception):
    """An API call without a valid token (401)."""


@dataclass(frozen=True)
class Principal:
    id: int
    username: str
    roles: frozenset[str]
    csrf: str = ""

    def has(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))


def gate_of(request: Request) -> Gate:
    gate: Gate = request.app.state.gate
    return gate


def _principal(user: User, csrf: str = "") -> Principal:
    return Principal(user.id, user.username, frozenset(user.role_names), csrf)


def page_principal(request: Request) -> Principal | None:
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    cached: Principal | None = getattr(request.state, "principal", None)
    if cached is not None:
        return cached
    with gate_of(request).db.read() as s:
        found = accounts.resolve_session(s, raw)
        principal = _principal(found[0], found[1].csrf) if found else None
    request.state.principal = principal
    return principal


def api_principal(request: Request, credentials: HTTPAuthorizationCredentials | None) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Unauthenticated("an API token is required (Authorization: Bearer ...)")
    with gate_of(request).db.read() as s:
        user = accounts.resolve_token(s, credentials.credentials)
        if user is None:
            raise Unauthenticated("the API token is not valid")
        return _principal(user)


async def check_csrf(request: Request, expected: str) -> None:
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    form = await request.form()
    sent = form.get("csrf")
    if not isinstance(sent, str) or not expected or not hmac.compare_digest(sent, expected):
        raise NotAllowed("the form's security token is missing or out of date; reload the page and try again",
                         api=False)


def requires(*roles: Role, api: bool = False) -> Callable[..., Awaitable[Principal]]:
    """A dependency: the caller must be logged in (page) or hold a token (API) and have one of `roles`
    (any role at all when none are named). Page requests that change something must also pass CSRF."""
    wanted = {r.value for r in roles}

    if api:
        async def api_dependency(request: Request, credentials: BearerCredentials) -> Principal:
            principal = api_principal(request, credentials)
            _check_roles(principal, wanted, api=True)
            return principal

        return api_dependency

    async def page_dependency(request: Request) -> Principal:
        principal = page_principal(request)
        if principal is None:
            raise LoginRequired()
        _check_roles(principal, wanted, api=False)
        await check_csrf(request, principal.csrf)
        return principal

    return page_dependency


def requires_upload(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """Like `requires()` for a page route that takes files: login and roles are checked before the body is read,
    and the CSRF token is left to `veil.web.uploads.receive_form(request, receiver, csrf=principal.csrf)`, which
    checks it as the body streams (reading the form here would spool the files first)."""
    wanted = {r.value for r in roles}

    async def upload_dependency(request: Request) -> Principal:
        principal = page_principal(request)
        if principal is None:
            raise LoginRequired()
        _check_roles(principal, wanted, api=False)
        return principal

    return upload_dependency


def _check_roles(principal: Principal, wanted: set[str], api: bool) -> None:
    if not principal.roles:
        raise NotAllowed("your account has no role yet; ask an administrator", api)
    if wanted and not principal.roles & wanted:
        names = ", ".join(sorted(w.replace("_", " ") for w in wanted))
        raise NotAllowed(f"this needs one of these roles: {names}", api)


class BodyGuard:
    """ASGI middleware; see the module docstring. `limits` gives the request limit."""

    def __init__(self, app: ASGIApp, limits: UploadLimits) -> None:
        self.app, self.limits = app, limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        limit = self.limits.max_request_bytes
        declared = headers.get("content-length", "")
        size = int(declared) if declared.isdigit() else None
        refusal: Response | None = None
        if size is not None and size > limit:
            refusal = _refuse(scope, 413, f"the request is larger than the {limit:,} byte limit")
        elif (size is None or size > ANONYMOUS_BODY_BYTES) and not await run_in_threadpool(_known, scope, headers):
            refusal = _refuse(scope, 401, "log in (or send an API token) before sending files")
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        await self.app(scope, _counting(receive, limit), send)


def _counting(receive: Receive, limit: int) -> Receive:
    received = 0

    async def counted() -> Message:
        nonlocal received
        message = await receive()
        received += len(message.get("body", b""))
        if received > limit:
            raise TooLarge(f"the request is larger than the {limit:,} byte limit")
        return message

    return counted


def _known(scope: Scope, headers: Headers) -> bool:
    """Whether the request carries a valid API token or session cookie (no role needed yet)."""
    gate: Gate = scope["app"].state.gate
    scheme, _, credentials = headers.get("authorization", "").partition(" ")
    with gate.db.read() as s:
        if scheme.lower() == "bearer" and credentials:
            return accounts.resolve_token(s, credentials.strip()) is not None
        raw = cookie_parser(headers.get("cookie", "")).get(SESSION_COOKIE) or ""
        return bool(raw) and accounts.resolve_session(s, raw) is not None


def _refuse(scope: Scope, status: int, message: str) -> Response:
    extra: dict[str, Any] = {"WWW-Authenticate": "Bearer"} if status == 401 else {}
    # The client is still sending the body it was refused: close the connection rather than read it.
    headers = {"Connection": "close", **extra}
    if str(scope.get("path", "")).startswith("/api/"):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return PlainTextResponse(message, status_code=status, headers=headers)


class LoginThrottle:
    """ASGI middleware: at most `failures` failed logins (401 answers to POST /login) per client address in
    `window` seconds; then 429 until the oldest failure ages out. Success does not reset the count (an attacker
    with one account must not clear it between guesses). Remembers at most `clients` addresses."""

    def __init__(self, app: ASGIApp, failures: int = 10, window: float = 600.0, clients: int = 10_000) -> None:
        self.app, self.failures, self.window, self.clients = app, failures, window, clients
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != "/login":
            await self.app(scope, receive, send)
            return
        client = scope["client"][0] if scope.get("client") else "-"
        now = time.monotonic()
        hits = self._hits.setdefault(client, deque())
        self._hits.move_to_end(client)
        while hits and hits[0] < now - self.window:
            hits.popleft()
        if len(hits) >= self.failures:
            wait = max(1, int((hits[0] + self.window - now) // 60) + 1)
            await PlainTextResponse(f"too many failed logins from this address; try again in {wait} minute(s)",
                                    status_code=429, headers={"Retry-After": str(wait * 60)})(scope, receive, send)
            return
        status = 0

        async def watched(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, receive, watched)
        if status == 401:
            hits.append(now)
        while len(self._hits) > self.clients:
            self._hits.popitem(last=False)
