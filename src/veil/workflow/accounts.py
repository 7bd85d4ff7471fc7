"""Accounts: argon2 password hashes, lock-out after repeated failures, browser sessions and API tokens.

Session ids and API tokens are random secrets handed to the client once; the database holds only their sha256,
so a copy of the database does not let anyone log in.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from veil.masking import mask
from veil.store.base import utcnow
from veil.store.models_accounts import ApiToken, User, UserRole, WebSession
from veil.workflow import audit
from veil.workflow.errors import Invalid, NotFound
from veil.workflow.events import LoggedIn, LoginFailed, RolesChanged, TokenCreated, TokenRevoked, UserCreated
from veil.workflow.roles import ROLES

# Tests swap in a cheaper hasher; production keeps argon2-cffi's defaults (RFC 9106 low-memory profile).
HASHER = PasswordHasher()
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
SESSION_LIFETIME = timedelta(hours=12)
MIN_PASSWORD = 10
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,63}$")
_DUMMY_HASH: str | None = None


def _sha(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def check_roles(roles: list[str] | tuple[str, ...]) -> list[str]:
    unknown = sorted(set(roles) - set(ROLES))
    if unknown:
        raise Invalid(f"unknown role(s) {', '.join(unknown)}; roles are {', '.join(ROLES)}")
    return sorted(set(roles))


def create_user(session: Session, username: str, password: str, roles: list[str] | tuple[str, ...],
                actor: str) -> User:
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise Invalid("a username is 2-64 characters: lower-case letters, digits, '.', '_' or '-'")
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"a password needs at least {MIN_PASSWORD} characters")
    wanted = check_roles(roles)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise Invalid(f"user {username!r} already exists")
    user = User(username=username, password_hash=HASHER.hash(password), roles=[UserRole(role=r) for r in wanted])
    session.add(user)
    session.flush()
    audit.append(session, UserCreated(actor=actor, username=username, roles=tuple(wanted)))
    return user


def get_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


def set_roles(session: Session, username: str, roles: list[str] | tuple[str, ...], actor: str) -> User:
    user = get_user(session, username)
    wanted = check_roles(roles)
    previous = sorted(user.role_names)
    # Change only what differs: replacing the collection would insert before deleting and trip the unique key.
    for row in [r for r in user.roles if r.role not in wanted]:
        user.roles.remove(row)
    session.flush()
    user.roles.extend(UserRole(role=r) for r in wanted if r not in previous)
    session.flush()
    audit.append(session, RolesChanged(actor=actor, username=user.username, roles=tuple(wanted),
                                       previous=tuple(previous)))
    return user


def set_password(session: Session, username: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"a password needs at least {MIN_PASSWORD} characters")
    user = get_user(session, username)
    user.password_hash = HASHER.hash(password)
    user.failed_logins, user.locked_until = 0, None


@dataclass
class LoginResult:
    user: User | None
    error: str = ""


# One message for every failure (unknown name, wrong password, locked account): which usernames exist, and which
# are locked, is not told to whoever is guessing.
LOGIN_FAILED = (f"wrong username or password; after {MAX_FAILED_LOGINS} failed attempts an account is locked for "
                f"{int(LOCKOUT.total_seconds() // 60)} minutes")


def authenticate(session: Session, username: str, password: str, now: datetime | None = None) -> LoginResult:
    """Check a password. Failures are counted and audited; after MAX_FAILED_LOGINS the account locks for LOCKOUT.
    The caller commits either way (the failure count must persist). Every failure takes one password hash's
    time and gives the same message, so neither timing nor wording tells which usernames exist."""
    now = now or utcnow()
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None or not user.active:
        _verify(_dummy_hash(), password)
        audit.append(session, LoginFailed(actor=mask(username) or "-"))
        return LoginResult(None, LOGIN_FAILED)
    if user.locked_until is not None and user.locked_until > now:
        _verify(_dummy_hash(), password)
        audit.append(session, LoginFailed(actor=user.username, locked=True))
        return LoginResult(None, LOGIN_FAILED)
    if not _verify(user.password_hash, password):
        user.failed_logins += 1
        locked = user.failed_logins >= MAX_FAILED_LOGINS
        if locked:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
        audit.append(session, LoginFailed(actor=user.username, locked=locked))
        return LoginResult(None, LOGIN_FAILED)
    user.failed_logins, user.locked_until = 0, None
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = HASHER.hash(password)
    audit.append(session, LoggedIn(actor=user.username))
    return LoginResult(user)


def _dummy_hash() -> str:
    global _DUMMY_HASH
    _DUMMY_HASH = _DUMMY_HASH or HASHER.hash("not a password")
    return _DUMMY_HASH


def _verify(hashed: str, password: str) -> bool:
    try:
        return HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def open_session(session: Session, user: User, now: datetime | None = None) -> tuple[str, WebSession]:
    """A new browser session; returns the raw cookie value (shown once) and the row (holding the CSRF token)."""
    now = now or utcnow()
    raw = secrets.token_urlsafe(32)
    row = WebSession(token_hash=_sha(raw), user_id=user.id, csrf=secrets.token_urlsafe(32), created=now,
                     expires=now + SESSION_LIFETIME)
    session.add(row)
    session.execute(delete(WebSession).where(WebSession.expires < now))
    session.flush()
    return raw, row


def resolve_session(session: Session, raw: str, now: datetime | None = None) -> tuple[User, WebSession] | None:
    row = session.scalar(select(WebSession).where(WebSession.token_hash == _sha(raw)))
    if row is None or row.expires <= (now or utcnow()):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.active:
        return None
    return user, row


def close_session(session: Session, raw: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == _sha(raw)))


def create_token(session: Session, username: str, name: str, actor: str) -> str:
    """A new API token for `username`; the raw value is returned once and never stored."""
    user = get_user(session, username)
    name = name.strip()[:100] or "token"
    raw = "veil_" + secrets.token_urlsafe(32)
    session.add(ApiToken(token_hash=_sha(raw), user_id=user.id, name=name))
    audit.append(session, TokenCreated(actor=actor, username=user.username, token_name=name))
    return raw


@dataclass(frozen=True)
class TokenInfo:
    id: int
    username: str
    name: str
    created: datetime
    revoked: bool


def list_tokens(session: Session, username: str | None = None) -> list[TokenInfo]:
    """Every API token (or one user's): id, owner, name, created, revoked. Never the secret, which is not kept."""
    query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id)
    if username:
        query = query.where(User.id == get_user(session, username).id)
    return [TokenInfo(t.id, name, t.name, t.created, t.revoked) for t, name in session.execute(query)]


def revoke_token(session: Session, token_id: int, actor: str) -> TokenInfo:
    """Revoke an API token for good (audited); it stops working at its next request."""
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"no API token {token_id}")
    user = session.get(User, token.user_id)
    owner = user.username if user else "-"
    if not token.revoked:
        token.revoked = True
        session.flush()
        audit.append(session, TokenRevoked(actor=actor, username=owner, token_name=token.name, token_id=token.id))
    return TokenInfo(token.id, owner, token.name, token.created, token.revoked)


def resolve_token(session: Session, raw: str) -> User | None:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _sha(raw), ApiToken.revoked.is_(False)))
    if row is None:
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.active else None
