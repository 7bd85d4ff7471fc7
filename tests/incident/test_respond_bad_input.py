# ruff: noqa: F811  (pytest fixtures imported from support.respond are redefined as arguments)
"""Bad input: rosters with missing columns, bad dates, repeated ids; an exposed file that cannot be read; a
manifest without usable columns. Each gives one clear line naming a row or column (never a value), and nothing is
half-imported."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from typer.testing import CliRunner

from support.respond import cheap_password_hashing, db  # noqa: F401  (fixtures)
from veil.cli import app
from veil.incident import affected as aff
from veil.incident import holds, incidents
from veil.incident.linkage_columns import LinkageInputError
from veil.incident.roster import RosterError, import_roster, import_roster_frame
from veil.store.engine import Database
from veil.store.models_incident import IrAffected, IrRoster, IrRosterPerson
from veil.workflow import audit

FOUND = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GOOD = [["P1", "Jose", "Garcia", "1990-04-03", "MEX", "A123456789", "North", "RF-1"],
        ["P2", "Ana", "Lopez", "1985-12-30", "GTM", "", "South", ""],
        ["P3", "Wei", "Zhang", "1979-01-15", "CHN", "234567890", "North", "RF-1"]]
HEADER = ["Person ID", "Given", "Surname", "DOB", "Nationality", "A-Number", "Facility", "Flight"]
MAPPING = {"id": "Person ID", "given": "Given", "surname": "Surname", "dob": "DOB", "nationality": "Nationality",
           "anumber": "A-Number", "facility": "Facility", "group": "Flight"}



def _csv(tmp: Path, rows: list[list[str]], header: list[str] = HEADER, name: str = "roster.csv") -> Path:
    frame = pl.DataFrame([dict(zip(header, r, strict=True)) for r in rows], schema={h: pl.String for h in header})
    path = tmp / name
    frame.write_csv(path)
    return path


def _count(db: Database, model: type) -> int:
    with db.read() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize(("rows", "mapping", "message"), [
    (GOOD + [["P4", "Omar", "Haddad", "31/31/1990", "SYR", "", "North", ""]], MAPPING,
     r"row 5, column 'DOB': not a readable date of birth"),
    (GOOD + [["P1", "Omar", "Haddad", "1990-01-01", "SYR", "", "North", ""]], MAPPING,
     r"row 5, column 'Person ID': the person id repeats row 2"),
    (GOOD + [["", "Omar", "Haddad", "1990-01-01", "SYR", "", "North", ""]], MAPPING,
     r"row 5, column 'Person ID': the person id is empty"),
    (GOOD + [["P4", "Omar", "Haddad", "1990-01-01", "SYR", "12", "North", ""]], MAPPING,
     r"row 5, column 'A-Number': not an A-number"),
    (GOOD, {**MAPPING, "dob": "Birth date"}, r"no column for dob='Birth date'"),
    (GOOD, {k: v for k, v in MAPPING.items() if k != "id"}, r"map the roster's person id column"),
])
def test_bad_roster_imports_nothing(db: Database, tmp_path: Path, rows: list[list[str]],
                                    mapping: dict[str, str], message: str) -> None:
    path = _csv(tmp_path, rows)
    with pytest.raises(RosterError, match=message) as info, db.write() as s:
        import_roster(s, path, mapping, "resp")
    assert "Haddad" not in str(info.value) and "Garcia" not in str(info.value)
    assert _count(db, IrRoster) == 0 and _count(db, IrRosterPerson) == 0


def test_roster_without_name_or_dates(db: Database, tmp_path: Path) -> None:
    path = _csv(tmp_path, [["P1", "x"]], header=["Person ID", "Notes"])
    with pytest.raises(RosterError, match="no name column"), db.write() as s:
        import_roster(s, path, {"id": "Person ID"}, "resp")
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(RosterError), db.write() as s:
        import_roster(s, tmp_path / "empty.csv", {"id": "Person ID"}, "resp")


def test_xlsx_roster_and_unreadable_exposed_file(db: Database, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for r in GOOD:
        sheet.append(r)
    book.save(tmp_path / "roster.xlsx")
    with db.write() as s:
        roster = import_roster(s, tmp_path / "roster.xlsx", MAPPING, "resp")
        inc = incidents.open_incident(s, "resp", title="t", discovered=FOUND)
        exposed = incidents.add_exposed_file(s, inc, "resp", name="x.xlsx", sha256="c" * 64, size=1,
                                             location="/x.xlsx", exposure_start=FOUND - timedelta(days=1),
                                             exposure_end=FOUND)
        ids = (roster.id, inc.id, exposed.id)
    assert roster.rows == 3
    broken = tmp_path / "exposed.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)  # a zip signature and nothing else
    with pytest.raises(LinkageInputError, match="cannot read the exposed file exposed.xlsx"), db.write() as s:
        inc = incidents.get_incident(s, ids[1])
        aff.link_exposed_file(s, inc, inc and s.get(type(exposed), ids[2]), broken, ids[0], "resp")  # type: ignore[arg-type]
    assert _count(db, IrAffected) == 0
    with db.read() as s:
        assert audit.verify(s).ok


def test_group_exposure_and_manifest_edge_cases(db: Database, tmp_path: Path) -> None:
    with db.write() as s:
        roster = import_roster(s, _csv(tmp_path, GOOD), MAPPING, "resp")
        inc = incidents.open_incident(s, "resp", title="t", discovered=FOUND)
        assert aff.add_group_exposure(s, inc, roster.id, "RF-1", "resp") == 2
        assert aff.add_group_exposure(s, inc, roster.id, "RF-1", "resp") == 0  # idempotent
    unusable = _csv(tmp_path, [["x", "y"]], header=["Flight", "Seat"], name="manifest.csv")
    result = CliRunner().invoke(app, ["holds", "check-manifest", str(unusable), "--database-url", db.url])
    assert result.exit_code == 1 and "cannot check it" in result.output
    # accents dropped, name order swapped, day and month swapped, no A-number: still the held person
    manifest = tmp_path / "m.csv"
    manifest.write_text("Name,DOB,Nationality\n\"Garcia Jose\",04/03/1990,Mexico\n\"Lopez, Ana\",30/12/1985,GTM\n")
    with db.write() as s:
        check = holds.check_manifest(s, manifest)
    assert [(h.row, h.name, h.how) for h in check.held] == [(2, "G***** J***", "name and date of birth")]


def test_roster_from_a_database_table(db: Database, tmp_path: Path) -> None:
    import sqlite3

    conn = sqlite3.connect(tmp_path / "records.db")
    conn.execute("CREATE TABLE people (person_id TEXT, given TEXT, surname TEXT, dob TEXT, a_number TEXT)")
    conn.executemany("INSERT INTO people VALUES (?, ?, ?, ?, ?)",
                     [("P1", "Jose", "Garcia", "1990-04-03", "A123456789"), ("P2", "Ana", "Lopez", "bad", "")])
    frame = pl.read_database("SELECT * FROM people", connection=conn)
    conn.close()
    mapping = {"id": "person_id", "given": "given", "surname": "surname", "dob": "dob", "anumber": "a_number"}
    with pytest.raises(RosterError, match="row 2, column 'dob'"), db.write() as s:
        import_roster_frame(s, frame, "records.people", mapping, "resp")
    good = frame.with_columns(pl.when(pl.col("dob") == "bad").then(pl.lit("1985-12-30")).otherwise(pl.col("dob"))
                              .str.to_date().alias("dob"))
    with db.write() as s:
        roster = import_roster_frame(s, good, "records.people", mapping, "resp")
    assert roster.rows == 2 and _count(db, IrRosterPerson) == 2
