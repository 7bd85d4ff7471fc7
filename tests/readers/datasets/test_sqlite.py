"""SQLite: every table and view read as a Table from a read-only copy; rosters block, statistics pass; hostile or
damaged databases are unverifiable, never a pass and never a hang."""

from __future__ import annotations

import io
import sqlite3
import tempfile
import time
import zipfile
from pathlib import Path

import pytest

from support.dataset_factory import aggregate, people, sqlite_db
from veil.findings import Kind, Verdict
from veil.pipeline import check_bytes
from veil.readers.limits import Budget, Limits
from veil.readers.registry import ReadContext, read_blob
from veil.readers.sniff import sniff
from veil.readers.units import Notice, Table, Text, Unreadable, Visibility


def _units(blob: bytes, limits: Limits | None = None) -> list:
    return list(read_blob(blob, ReadContext(name="data.db", budget=Budget(limits or Limits()))))


def _tables(units: list) -> dict[str, Table]:
    return {u.location.split(" (")[0]: u for u in units if isinstance(u, Table)}


@pytest.mark.parametrize("seed", range(3))
def test_a_roster_in_a_database_blocks_and_counts_each_person(seed: int) -> None:
    roster = people(n=10 + seed, seed=seed)
    blob = sqlite_db(roster, aggregate(seed))
    assert sniff(blob, "anything.bin") == "sqlite"
    result = check_bytes(blob, "detention.db")
    assert result.verdict is Verdict.BLOCK
    assert result.persons == len(roster.names)
    record = [f for f in result.findings if f.kind is Kind.RECORD_LEVEL]
    assert record and record[0].location.startswith("table 'detainees' (sqlite, 5 columns)")


@pytest.mark.parametrize("seed", range(3))
def test_aggregate_statistics_in_a_database_pass(seed: int) -> None:
    result = check_bytes(sqlite_db(stats=aggregate(seed)), "statistics.sqlite")
    assert result.verdict is Verdict.PASS, [(f.kind, f.message) for f in result.findings]
    assert result.persons == 0


def test_every_table_and_view_is_read_with_its_column_names() -> None:
    roster = people(n=4, seed=5)
    blob = sqlite_db(roster, aggregate(), extra_sql="CREATE VIEW by_country AS SELECT country, SUM(bookins) AS n "
                                                    "FROM book_ins GROUP BY country;")
    tables = _tables(_units(blob))
    assert set(tables) == {"table 'detainees'", "table 'book_ins'", "view 'by_country'"}
    detainees = tables["table 'detainees'"]
    assert detainees.header == ["full_name", "date_of_birth", "a_number", "citizenship", "claim"]
    assert detainees.frame.get_column("c0").to_list() == roster.names
    assert tables["view 'by_country'"].n_rows == 8


def test_literals_in_views_and_triggers_are_read() -> None:
    blob = sqlite_db(stats=aggregate(), extra_sql=(
        "CREATE VIEW flagged AS SELECT 'Maria Lopez, A123456789, asylum' AS note;"
        "CREATE TRIGGER t AFTER INSERT ON book_ins BEGIN SELECT 'Jose Garcia'; END;"))
    units = _units(blob)
    schema = next(u for u in units if isinstance(u, Text))
    assert schema.visibility is Visibility.METADATA and "Jose Garcia" in schema.text
    assert check_bytes(blob, "x.db").verdict is Verdict.BLOCK


def test_a_file_stored_in_a_blob_goes_back_through_the_readers() -> None:
    roster = people(n=6, seed=9)
    csv = "name,date of birth,a-number\n" + "\n".join(
        f'"{n}",{b},{a}' for n, b, a in zip(roster.names, roster.births, roster.a_numbers, strict=True))
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("roster.csv", csv)
    blob = sqlite_db(stats=aggregate(), extra_sql="CREATE TABLE docs (id INTEGER, body BLOB);")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.db"
        path.write_bytes(blob)
        connection = sqlite3.connect(path)
        connection.execute("INSERT INTO docs VALUES (1, ?), (2, ?)", (packed.getvalue(), b"\x89PNG\r\n\x1a\n\x00"))
        connection.commit()
        connection.close()
        blob = path.read_bytes()
    units = _units(blob)
    place = "table 'docs' (sqlite, 2 columns) row 1"
    inner = [u for u in units if isinstance(u, Table) and u.location.startswith(place)]
    assert inner and inner[0].visibility is Visibility.ARCHIVE_MEMBER
    assert any(isinstance(u, Notice) and "1 binary value" in u.message for u in units)
    result = check_bytes(blob, "x.db")
    assert result.verdict is Verdict.BLOCK and result.persons == 6


def test_a_database_in_wal_mode_is_read() -> None:
    roster = people(n=5, seed=2)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.db"
        connection = sqlite3.connect(path)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE t (name TEXT, dob TEXT)")
        connection.executemany("INSERT INTO t VALUES (?, ?)", zip(roster.names, roster.births, strict=True))
        connection.commit()
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        blob = path.read_bytes()
    assert _tables(_units(blob))["table 't'"].n_rows == 5


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.9])
def test_a_truncated_database_is_unverifiable(cut: int) -> None:
    blob = sqlite_db(people(n=300, seed=1), aggregate())
    result = check_bytes(blob[: int(len(blob) * cut)], "x.db")
    assert result.verdict in (Verdict.UNVERIFIABLE, Verdict.BLOCK)
    assert any(f.kind is Kind.UNREADABLE for f in result.findings)


def test_garbage_behind_the_magic_is_unverifiable() -> None:
    result = check_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 40, "x.db")
    assert result.verdict is Verdict.UNVERIFIABLE


@pytest.mark.parametrize("sql", [
    "CREATE VIEW huge AS SELECT randomblob(1000000000) AS b;",
    "CREATE VIEW ext AS SELECT load_extension('/tmp/nothing') AS x;",
])
def test_a_view_that_cannot_run_makes_the_file_unverifiable_and_the_rest_is_read(sql: str) -> None:
    units = _units(sqlite_db(stats=aggregate(), extra_sql=sql))
    assert "table 'book_ins'" in _tables(units)
    assert any(isinstance(u, Unreadable) and u.location.startswith("view ") for u in units)


def test_a_view_that_never_ends_is_stopped_by_the_time_budget() -> None:
    blob = sqlite_db(stats=aggregate(), extra_sql=(
        "CREATE VIEW forever AS WITH RECURSIVE r(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM r) SELECT x FROM r;"))
    started = time.monotonic()
    result = check_bytes(blob, "x.db", limits=Limits(seconds=3))
    assert time.monotonic() - started < 20
    assert result.verdict is Verdict.UNVERIFIABLE


def test_more_cells_than_the_limit_is_unverifiable() -> None:
    units = _units(sqlite_db(people(n=50, seed=3)), Limits(max_cells=100))
    assert any(isinstance(u, Unreadable) and "cells" in u.reason for u in units)


def test_the_original_bytes_are_not_changed() -> None:
    blob = sqlite_db(people(n=5, seed=4), aggregate())
    before = bytes(blob)
    _units(blob)
    assert blob == before


def _after(blob: bytes, sql: str, secure_delete: bool = False, vacuum: bool = False) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.db"
        path.write_bytes(blob)
        connection = sqlite3.connect(path)
        connection.execute(f"PRAGMA secure_delete={'ON' if secure_delete else 'OFF'}")
        connection.execute(sql)
        connection.commit()
        if vacuum:
            connection.execute("VACUUM")
        connection.close()
        return path.read_bytes()


@pytest.mark.parametrize("sql", ["DROP TABLE detainees", "DELETE FROM detainees"])
@pytest.mark.parametrize("seed", range(2))
def test_a_dropped_roster_left_in_free_pages_is_found(sql: str, seed: int) -> None:
    # SQLite builds without SECURE_DELETE (macOS, Windows, most languages' bundles) leave freed pages as they were.
    blob = _after(sqlite_db(people(n=300, seed=seed), aggregate(seed)), sql)
    units = _units(blob)
    deleted = [u for u in units if isinstance(u, Table) and u.visibility is Visibility.EARLIER_REVISION]
    assert deleted and deleted[0].location.startswith("deleted rows of 5 fields")
    result = check_bytes(blob, "statistics.db")
    assert result.verdict is Verdict.BLOCK and result.persons > 200


@pytest.mark.parametrize("secure_delete,vacuum", [(True, False), (False, True)])
def test_a_wiped_or_vacuumed_database_keeps_no_deleted_rows(secure_delete: bool, vacuum: bool) -> None:
    blob = _after(sqlite_db(people(n=300, seed=1), aggregate(1)), "DROP TABLE detainees", secure_delete, vacuum)
    assert check_bytes(blob, "statistics.db").verdict is Verdict.PASS
