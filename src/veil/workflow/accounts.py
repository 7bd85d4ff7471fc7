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
from veil.workflow.events import LoggedIn, LoginFailed, RolesChanged, TokenCreated, UserCreated
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


def authenticate(session: Session, username: str, password: str, now: datetime | None = None) -> LoginResult:
    """Check a password. Failures are counted and audited; after MAX_FAILED_LOGINS the account locks for LOCKOUT.
    The caller commits either way (the failure count must persist)."""
    global _DUMMY_HASH
    now = now or utcnow()
    generic = "wrong username or password"
    user = session.scalar(select(User).where(User.username == username.strip().lower()))
    if user is None or not user.active:
        # Spend the same time as a real check, so timing does not tell which usernames exist.
        _DUMMY_HASH = _DUMMY_HASH or HASHER.hash("not a password")
        _verify(_DUMMY_HASH, password)
        audit.append(session, LoginFailed(actor=mask(username) or "-"))
        return LoginResult(None, generic)
    if user.locked_until is not None and user.locked_until > now:
        audit.append(session, LoginFailed(actor=user.username, locked=True))
        return LoginResult(None, "this account is locked after repeated failed logins; try again later")
    if not _verify(user.password_hash, password):
        user.failed_logins += 1
        locked = user.failed_logins >= MAX_FAILED_LOGINS
        if locked:
            user.locked_until = now + LOCKOUT
            user.failed_logins = 0
        audit.append(session, LoginFailed(actor=user.username, locked=locked))
        return LoginResult(None, generic)
    user.failed_logins, user.locked_until = 0, None
    if HASHER.check_needs_rehash(user.password_hash):
        user.password_hash = HASHER.hash(password)
    audit.append(session, LoggedIn(actor=user.username))
    return LoginResult(user)


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


def resolve_token(session: Session, raw: str) -> User | None:
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == _sha(raw), ApiToken.revoked.is_(False)))
    if row is None:
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.active else None
