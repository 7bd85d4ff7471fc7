"""Accounts: argon2 hashes, lock-out, sessions and tokens stored only as hashes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from veil.store.base import utcnow
from veil.store.models_audit import AuditEntry
from veil.workflow import accounts
from veil.workflow.errors import Invalid
from veil.workflow.gate import Gate


@pytest.fixture
def alice(gate: Gate) -> Gate:
    with gate.db.write() as s:
        accounts.create_user(s, "alice", "correct horse battery", ["reviewer"], actor="admin")
    return gate


def login(gate: Gate, password: str, now=None) -> accounts.LoginResult:  # type: ignore[no-untyped-def]
    with gate.db.write() as s:
        return accounts.authenticate(s, "alice", password, now)


def test_password_is_stored_as_an_argon2_hash(alice: Gate) -> None:
    with alice.db.read() as s:
        user = accounts.get_user(s, "alice")
        assert user.password_hash.startswith("$argon2id$") and "horse" not in user.password_hash
    assert login(alice, "correct horse battery").user is not None


def test_lock_out_after_repeated_failures(alice: Gate) -> None:
    for _ in range(accounts.MAX_FAILED_LOGINS):
        assert login(alice, "wrong password!").user is None
    locked = login(alice, "correct horse battery")
    assert locked.user is None and "locked" in locked.error
    later = utcnow() + accounts.LOCKOUT + timedelta(seconds=1)
    assert login(alice, "correct horse battery", now=later).user is not None


def test_failed_logins_are_audited_with_a_masked_name(alice: Gate) -> None:
    with alice.db.write() as s:
        accounts.authenticate(s, "my secret password", "x")
    with alice.db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.event == "login-failed")).one()
    assert "secret" not in entry.actor and entry.actor.startswith("m*")


def test_sessions_and_tokens_are_stored_as_hashes(alice: Gate) -> None:
    with alice.db.write() as s:
        user = accounts.get_user(s, "alice")
        raw_session, row = accounts.open_session(s, user)
        raw_token = accounts.create_token(s, "alice", "ci", actor="admin")
    with alice.db.read() as s:
        stored = " ".join(str(r) for r in s.execute(text("SELECT * FROM web_sessions")))
        stored += " ".join(str(r) for r in s.execute(text("SELECT * FROM api_tokens")))
        assert raw_session not in stored and raw_token not in stored
        resolved = accounts.resolve_session(s, raw_session)
        assert resolved is not None and resolved[0].username == "alice"
        token_user = accounts.resolve_token(s, raw_token)
        assert token_user is not None and token_user.username == "alice"
        assert accounts.resolve_token(s, raw_token + "x") is None


def test_bad_usernames_passwords_and_roles_are_refused(gate: Gate) -> None:
    with gate.db.write() as s:
        with pytest.raises(Invalid):
            accounts.create_user(s, "Bad Name!", "correct horse battery", [], actor="admin")
        with pytest.raises(Invalid):
            accounts.create_user(s, "bob", "short", [], actor="admin")
        with pytest.raises(Invalid, match="unknown role"):
            accounts.create_user(s, "bob", "correct horse battery", ["king"], actor="admin")


def test_role_changes_are_audited(alice: Gate) -> None:
    with alice.db.write() as s:
        accounts.set_roles(s, "alice", ["publisher", "reviewer"], actor="admin")
    with alice.db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.event == "role-change")).one()
    assert entry.payload == {"username": "alice", "roles": ["publisher", "reviewer"], "previous": ["reviewer"]}


def test_one_message_for_unknown_wrong_and_locked(alice: Gate) -> None:
    for _ in range(accounts.MAX_FAILED_LOGINS):
        wrong = login(alice, "wrong password!")
    locked = login(alice, "correct horse battery")
    with alice.db.write() as s:
        unknown = accounts.authenticate(s, "nobody-here", "whatever")
    assert wrong.error == locked.error == unknown.error == accounts.LOGIN_FAILED


def test_tokens_are_listed_without_secrets_and_revoked_for_good(alice: Gate) -> None:
    with alice.db.write() as s:
        raw = accounts.create_token(s, "alice", "ci", actor="admin")
    with alice.db.read() as s:
        [token] = accounts.list_tokens(s, "alice")
        assert token.name == "ci" and not token.revoked and raw not in repr(token)
    with alice.db.write() as s:
        assert accounts.revoke_token(s, token.id, actor="admin").revoked
        accounts.revoke_token(s, token.id, actor="admin")  # again: a no-op, audited once
    with alice.db.read() as s:
        assert accounts.resolve_token(s, raw) is None
        events = s.scalars(select(AuditEntry).where(AuditEntry.event == "token-revoked")).all()
        assert len(events) == 1 and events[0].payload["token_name"] == "ci"
