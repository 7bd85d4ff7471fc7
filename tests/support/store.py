"""Test support: one parametrising fixture runs store/workflow tests on SQLite and on PostgreSQL (the splink
`tests/decorator.py` idea). Import the fixtures in a conftest: `from support.store import *  # noqa`.

PostgreSQL is 127.0.0.1:5432, database `test`, trust auth (override with VEIL_TEST_PG_URL): each test session
gets a fresh schema `veil_test_<random>` (migrated once, dropped at the end) and each test starts from emptied
tables. SQLite tests get a copy of a file migrated once per session. When no server answers, the PostgreSQL
tests skip with a message.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from veil.findings import FileResult, Finding, Kind, Verdict
from veil.store.engine import Database

PG_URL = os.environ.get("VEIL_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
_pg_state: dict[str, str | None] = {}


def postgres_unavailable() -> str | None:
    """None when the test server answers, else why not (checked once per run)."""
    if "reason" not in _pg_state:
        import psycopg

        try:
            with psycopg.connect(PG_URL.replace("+psycopg", ""), connect_timeout=3) as conn:
                conn.execute("SELECT 1")
            _pg_state["reason"] = None
        except Exception as exc:
            _pg_state["reason"] = f"PostgreSQL at 127.0.0.1:5432/test does not answer ({type(exc).__name__})"
    return _pg_state["reason"]


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file per test session; each test gets a copy (migrating per test costs ~0.4 s CPU)."""
    path = tmp_path_factory.mktemp("veil-template") / "veil.db"
    db = Database(f"sqlite:///{path}")
    db.upgrade()
    db.dispose()  # the last connection closing folds the WAL back into the file
    return path


def postgres_database(prefix: str = "veil_test") -> Iterator[Database]:
    """A migrated database in a fresh `<prefix>_<random>` schema, dropped afterwards; skips the test when no
    PostgreSQL server answers."""
    reason = postgres_unavailable()
    if reason:
        pytest.skip(reason)
    import psycopg

    schema = f"{prefix}_{secrets.token_hex(6)}"
    plain = PG_URL.replace("+psycopg", "")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    db = Database(PG_URL, schema=schema)
    try:
        db.upgrade()
        yield db
    finally:
        db.dispose()
        with psycopg.connect(plain, autocommit=True) as conn:
            conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture(scope="session")
def _postgres_schema() -> Iterator[str]:
    """A fresh `veil_test_<random>` schema for this test session, migrated once and dropped at the end."""
    for db in postgres_database():
        db.dispose()
        yield str(db.schema)


def _empty_postgres(db: Database, schema: str) -> None:
    with db.engine.begin() as conn:
        tables = [r[0] for r in conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = :s AND "
                                                  "tablename <> 'alembic_version'"), {"s": schema})]
        if tables:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database: once on SQLite, once on PostgreSQL."""
    if request.param == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_template")
        shutil.copyfile(template, tmp_path / "veil.db")
        db = Database(f"sqlite:///{tmp_path / 'veil.db'}")
    else:
        schema: str = request.getfixturevalue("_postgres_schema")
        db = Database(PG_URL, schema=schema)
        _empty_postgres(db, schema)
    try:
        yield db
    finally:
        db.dispose()


@pytest.fixture(autouse=True)
def fast_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """argon2 at its cheapest: tests log in a lot, and the cost parameters are not what they test."""
    from veil.workflow import accounts

    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def fake_scanner(blob: bytes, name: str) -> FileResult:
    """A stand-in for the checker that does not depend on detectors: files whose bytes contain LEAK block,
    UNREADABLE are unverifiable, REVIEW need review, everything else passes. Findings are masked like the real ones."""
    sha = hashlib.sha256(blob).hexdigest()
    findings: list[Finding] = []
    verdict = Verdict.PASS
    if b"LEAK" in blob:
        verdict = Verdict.BLOCK
        findings.append(Finding(Kind.PERSON_IN_TEXT, "line 2", True, "a person tied to an A-number and asylum",
                                "fake", samples=("G*****, J***", "A*********")))
    elif b"UNREADABLE" in blob:
        verdict = Verdict.UNVERIFIABLE
        findings.append(Finding(Kind.UNREADABLE, "(file)", False, "the file is encrypted", "fake",
                                visibility="unreadable"))
    elif b"REVIEW" in blob:
        verdict = Verdict.REVIEW
        findings.append(Finding(Kind.NAMED_PERSON, "line 1", True, "a named official", "fake",
                                samples=("D**** S****",)))
    return FileResult(path=name, sha256=sha, size=len(blob), format="text", verdict=verdict, persons=0,
                      findings=findings)
