"""Fixtures for the sweeper: a gate on SQLite with a cast of users, and local SMTP and webhook receivers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support.store import fake_scanner, postgres_database
from support.watch import CAST, Receivers
from veil.policy import load_policy
from veil.store.engine import Database
from veil.workflow import accounts
from veil.workflow.blobs import BlobStore
from veil.workflow.gate import Gate
from veil.workflow.publishing import DirectorySite


def _database(backend: str, tmp_path: Path) -> Iterator[Database]:
    """A migrated, empty database of its own (a file, or a schema of its own)."""
    if backend == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'veil.db'}")
        db.upgrade()
        yield db
        db.dispose()
        return
    yield from postgres_database("veil_watch")


@pytest.fixture
def gate(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Gate]:
    """A gate on SQLite; `@pytest.mark.parametrize("gate", BACKENDS, indirect=True)` adds PostgreSQL."""
    for db in _database(getattr(request, "param", "sqlite"), tmp_path):
        gate = Gate(db=db, blobs=BlobStore(tmp_path / "blobs"), site=DirectorySite(tmp_path / "public"),
                    policy=load_policy(), scanner=fake_scanner, data_dir=tmp_path)
        (tmp_path / "public").mkdir()
        with db.write() as s:
            for name, roles in CAST.items():
                accounts.create_user(s, name, "correct horse battery", roles, actor="setup")
        yield gate


@pytest.fixture
def receivers() -> Iterator[Receivers]:
    r = Receivers()
    yield r
    r.close()
