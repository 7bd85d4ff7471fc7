"""The store seam: migrations reach the models exactly, on SQLite and PostgreSQL; SQLite settings; bad URLs."""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

import veil.store
import veil.store.models  # noqa: F401
from veil.errors import UsageError
from veil.store.base import Base
from veil.store.engine import Database, open_database


def _import_every_models_module() -> None:
    # Also the modules of areas still being written that models.py does not list yet.
    for info in pkgutil.iter_modules(veil.store.__path__):
        if info.name.startswith("models_"):
            importlib.import_module(f"veil.store.{info.name}")


def test_migrations_match_the_models(database: Database) -> None:
    _import_every_models_module()
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": False}), Base.metadata)
    assert diff == [], "a model changed without a migration (or the reverse)"


def test_upgrade_is_idempotent(database: Database) -> None:
    before = database.current_revision()
    database.upgrade()
    assert database.current_revision() == before is not None


def test_sqlite_runs_with_wal_and_foreign_keys(tmp_path: Path) -> None:
    db = open_database(data_dir=tmp_path / "data")
    assert (tmp_path / "data" / "veil.db").exists()
    with db.read() as s:
        assert s.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.dispose()


def test_postgres_urls_use_psycopg3() -> None:
    db = Database("postgres://u@127.0.0.1:1/x")
    assert db.url.startswith("postgresql+psycopg://") and db.is_postgres
    db.dispose()


@pytest.mark.parametrize("url", ["mysql://u@h/db", "not a url", "oracle://x"])
def test_unsupported_or_invalid_urls_are_usage_errors(url: str) -> None:
    with pytest.raises(UsageError):
        Database(url)
