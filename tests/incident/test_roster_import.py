# ruff: noqa: F811  (pytest fixtures imported from support.respond are redefined as arguments)
"""Roster import stores what the ORM would have stored, on SQLite and PostgreSQL: the rows are checked column by
column and inserted with the driver's executemany (a million people in seconds, not minutes)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from sqlalchemy import select

from support.respond import both_databases, cheap_password_hashing  # noqa: F401  (fixtures)
from veil.incident.roster import RosterError, import_roster, import_roster_frame
from veil.store.engine import Database
from veil.store.models_incident import IrRosterPerson

PEOPLE = pl.DataFrame(
    {
        "ID": ["a1", "a2", "a3", "a4", "a5"],
        "Name": ["GARCIA LOPEZ, Juan  Carlos", "Maria  de la Cruz", "Solo", " Li,Wei ", "Ana María Pérez"],
        "DOB": ["1980-01-02", "", "03/04/1990", "1975-12-31", "2001-05-06"],
        "A-Number": ["A123456789", "", "1234567", "", "987654321"],
        "Language": ["Spanish", "", "Haitian Creole", "ENGLISH", "Tigrinya language long"],
        "Flight": ["FL1; FL2", "", " , ", "FL3", "FL1; FL2"],
        "In custody": ["Yes", "no", "x", "", "Detained"],
        "Nationality": ["Mexico", None, "Haiti", "China", ""],
    }
)


@pytest.fixture
def db(both_databases: Database) -> Database:
    return both_databases


def test_stored_values(db: Database, tmp_path: Path) -> None:
    PEOPLE.write_csv(tmp_path / "roster.csv")
    with db.write() as s:
        roster = import_roster(s, tmp_path / "roster.csv", {"id": "ID", "group": "Flight"}, "t")
        assert roster.rows == 5
    with db.read() as s:
        got = [
            (p.ref, p.given, p.surname, p.dob, p.nationality, p.anumber, p.language, p.in_custody, p.groups)
            for p in s.scalars(select(IrRosterPerson).order_by(IrRosterPerson.id))
        ]
    assert got == [
        ("a1", "Juan Carlos", "GARCIA LOPEZ", dt.date(1980, 1, 2), "Mexico", "123456789", "es", True, ["FL1", "FL2"]),
        ("a2", "Maria de la", "Cruz", None, "", "", "en", False, []),
        ("a3", "", "Solo", dt.date(1990, 3, 4), "Haiti", "001234567", "haitian cr", True, []),
        ("a4", "Wei", "Li", dt.date(1975, 12, 31), "China", "", "en", False, ["FL3"]),
        ("a5", "Ana María", "Pérez", dt.date(2001, 5, 6), "", "987654321", "tigrinya l", True, ["FL1", "FL2"]),
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"ID": ["a1", "a2", "a1", "a4", "a5"]}, "row 3, column 'ID': the person id repeats row 1"),
        ({"ID": ["a1", "", "a3", "a4", "a5"]}, "row 2, column 'ID': the person id is empty"),
        ({"Name": ["x", "y", " ", "z", "w"]}, "row 3: the name is empty"),
        ({"A-Number": ["1", "", "", "", ""]}, "row 1, column 'A-Number': not an A-number"),
    ],
)
def test_first_bad_row_named_nothing_written(db: Database, change: dict[str, list[str]], message: str) -> None:
    """A frame's first data row is row 1."""
    with pytest.raises(RosterError, match=message), db.write() as s:
        import_roster_frame(
            s, PEOPLE.with_columns(pl.Series(k, v) for k, v in change.items()), "people", {"id": "ID"}, "t"
        )
    with db.read() as s:
        assert s.scalar(select(IrRosterPerson.id).limit(1)) is None


def test_parquet_roster_read_whole_past_the_untrusted_bounds(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The roster is the agency's own data: read as `veil link` reads it (DuckDB for Parquet, every row), not within
    the row bound kept for untrusted Parquet files (here lowered to 3 rows to show it)."""
    from veil.readers.datasets import parquet

    monkeypatch.setattr(parquet, "MAX_ROWS", 3)
    PEOPLE.write_parquet(tmp_path / "roster.parquet")
    with db.write() as s:
        roster = import_roster(s, tmp_path / "roster.parquet", {"id": "ID", "group": "Flight"}, "t")
        assert roster.rows == 5
    with db.read() as s:
        refs = [p.ref for p in s.scalars(select(IrRosterPerson).order_by(IrRosterPerson.id))]
    assert refs == ["a1", "a2", "a3", "a4", "a5"]


def test_roster_that_does_not_fit_in_memory_is_refused(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from veil.incident import linkage_roster

    monkeypatch.setattr(linkage_roster, "available_memory", lambda: 1000)
    PEOPLE.write_csv(tmp_path / "roster.csv")
    with db.write() as s, pytest.raises(RosterError, match="needs about"):
        import_roster(s, tmp_path / "roster.csv", {"id": "ID"}, "t")
