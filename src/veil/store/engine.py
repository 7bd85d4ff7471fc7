"""The seam between Veil and its database. SQLite (the default, one file in the data directory) and PostgreSQL
(psycopg 3) differ only here and in the scan queue's claim query:

- SQLite write transactions start with BEGIN IMMEDIATE, so two writers never deadlock on a lock upgrade; WAL lets
  readers run alongside the writer.
- PostgreSQL can be pointed at one schema (`schema=`), which tests use to get a fresh namespace per run.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from veil.errors import UsageError

MIGRATIONS = Path(__file__).parent / "migrations"


def default_database_url(data_dir: str | Path) -> str:
    return f"sqlite:///{Path(data_dir).resolve() / 'veil.db'}"


def _normalise_url(url: str) -> str:
    """Accept the usual spellings of a PostgreSQL URL and use psycopg 3 for all of them."""
    for prefix in ("postgres://", "postgresql://", "postgresql+psycopg2://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class Database:
    """An engine plus session factories. `write()` is for transactions that change rows, `read()` for the rest."""

    def __init__(self, url: str, schema: str | None = None, echo: bool = False) -> None:
        url = _normalise_url(url)
        try:
            parsed = make_url(url)
        except Exception as exc:  # sqlalchemy raises ArgumentError with the URL (and password) in it
            raise UsageError("the database URL is not valid") from exc
        self.url = url
        self.schema = schema
        self.dialect = parsed.get_backend_name()
        if self.dialect not in ("sqlite", "postgresql"):
            raise UsageError(f"unsupported database {self.dialect!r}: use sqlite or postgresql")
        kwargs: dict[str, Any] = {"echo": echo, "future": True}
        if self.is_sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
        else:
            kwargs["pool_pre_ping"] = True
            if schema:
                kwargs["connect_args"] = {"options": f"-csearch_path={schema}"}
        self.engine: Engine = create_engine(url, **kwargs)
        if self.is_sqlite:
            _sqlite_setup(self.engine)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(veil_write=True), expire_on_commit=False)

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def is_postgres(self) -> bool:
        return self.dialect == "postgresql"

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One write transaction: committed when the block ends, rolled back on any exception."""
        with self._write() as session, session.begin():
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session, session.begin():
            yield session

    def upgrade(self) -> None:
        """Apply every Alembic migration not yet applied (idempotent; safe at each start-up)."""
        from alembic import command
        from alembic.config import Config

        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.engine.execution_options(veil_write=True).begin() as conn:
            if self.is_postgres:
                # Two processes starting at once must not both migrate.
                conn.execute(text("SELECT pg_advisory_xact_lock(7715001)"))
            config.attributes["connection"] = conn
            command.upgrade(config, "head")

    def current_revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        write = conn.get_execution_options().get("veil_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def open_database(url: str | None = None, data_dir: str | Path = ".veil", schema: str | None = None,
                  upgrade: bool = True) -> Database:
    """The service's database: `url`, or the SQLite file in `data_dir` (created on first use)."""
    if url is None:
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        url = default_database_url(data_dir)
    db = Database(url, schema=schema)
    if upgrade:
        db.upgrade()
    return db
