"""Migration 0004_one_incident: the sweeper's incident rows are carried into the one incident table. Rows for the
same bytes join one incident, the duplicate shells `sync_watch_incidents` used to open are folded in, and external
reports follow their incident. On SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import text

from support.store import postgres_database
from veil.store.engine import MIGRATIONS, Database

T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def _to(db: Database, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with db.engine.execution_options(veil_write=True).begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'veil.db'}")
        yield db
        db.dispose()
        return
    for migrated in postgres_database("veil_mig"):
        # A fresh schema, emptied of the tables the fixture migrated: this test migrates step by step itself.
        with migrated.engine.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {migrated.schema} CASCADE"))
            conn.execute(text(f"CREATE SCHEMA {migrated.schema}"))
        yield migrated


def _watch_row(conn: object, id_: int, sha: str, path: str, start: datetime, down: datetime | None) -> None:
    conn.execute(text(  # type: ignore[attr-defined]
        "INSERT INTO incidents (id, status, source, opened, site, public_path, sha256, size, verdict, reasons, "
        "finding_kinds, quarantine_path, exposure_start, exposure_start_source, taken_down) VALUES (:id, 'open', "
        "'sweep', :opened, 'public', :path, :sha, 10, 'block', '[\"never-approved\"]', '[\"record-level\"]', "
        ":q, :start, 'first-seen', :down)"),
        {"id": id_, "opened": down or start, "path": path, "sha": sha, "q": f"/q/{sha}", "start": start,
         "down": down})


def test_watch_incidents_become_one_incident_per_file(empty_database: Database) -> None:
    db = empty_database
    _to(db, "0003_incident")
    a, b = "a" * 64, "b" * 64
    with db.engine.begin() as conn:
        _watch_row(conn, 1, a, "stats/list.xlsx", T0, T0 + timedelta(hours=4))
        _watch_row(conn, 2, a, "stats/copy.xlsx", T0 - timedelta(hours=1), T0 + timedelta(hours=5))
        _watch_row(conn, 3, b, "other.csv", T0, None)
        # what sync_watch_incidents made of rows 1 and 2: two incidents for one file, nothing done in the second
        for ir_id, watch_id in ((10, 1), (11, 2)):
            conn.execute(text(
                "INSERT INTO ir_incidents (id, title, opened_by, watch_incident_id, discovered, created, reporter, "
                "channel, status, severity, major, major_reason, risk, centre_reference, deadlines_recorded) "
                "VALUES (:id, 't', 'takedown', :w, :d, :d, '', '', 'open', 'high', false, '', '{}', '', '[]')"),
                {"id": ir_id, "w": watch_id, "d": T0 + timedelta(hours=4)})
            conn.execute(text(
                "INSERT INTO ir_exposed_files (incident_id, name, sha256, size, location, exposure_start, "
                "people) VALUES (:i, 'list.xlsx', :sha, 10, 'stats/list.xlsx', :s, 0)"),
                {"i": ir_id, "sha": a, "s": T0})
            conn.execute(text("INSERT INTO ir_timeline (incident_id, at, kind, text, actor) "
                              "VALUES (:i, :at, 'opened', 'incident opened', 'watch')"), {"i": ir_id, "at": T0})
        conn.execute(text("INSERT INTO external_reports (token_hash, created, updated, url, public_path, note, "
                          "contact, status, verdict, incident_id) VALUES ('x', :t, :t, 'https://x/other.csv', "
                          "'other.csv', '', '', 'found', 'block', 3)"), {"t": T0})
    _to(db, "head")
    with db.engine.connect() as conn:
        incidents = conn.execute(text("SELECT id, opened_by FROM ir_incidents ORDER BY id")).all()
        files = conn.execute(text("SELECT incident_id, sha256, exposure_start_source, locations, quarantine_path "
                                  "FROM ir_exposed_files ORDER BY incident_id")).all()
        report = conn.execute(text("SELECT incident_id FROM external_reports")).scalar()
        merged = conn.execute(text("SELECT count(*) FROM ir_timeline WHERE kind = 'merged'")).scalar()
        tables = {r[0] for r in conn.execute(text(
            "SELECT name FROM sqlite_master WHERE type='table'" if db.is_sqlite else
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))}
    ids = {i for i, _ in incidents}
    assert len(ids) == 2 and 10 in ids  # 11 was a shell for the same bytes: folded into 10
    assert merged == 1 and "incidents" not in tables
    by_incident = {f[0]: f for f in files}
    other = next(i for i in ids if i != 10)
    assert by_incident[other][1] == b and dict(incidents)[other] == "sweep"
    assert by_incident[10][1] == a and by_incident[other][1] == b
    import json

    locations = by_incident[10][3] if isinstance(by_incident[10][3], list) else json.loads(by_incident[10][3])
    assert locations == ["stats/list.xlsx", "stats/copy.xlsx"]
    assert by_incident[10][2] == "first-seen" and by_incident[10][4] == f"/q/{a}"
    assert report == other
