"""Bad input to `veil link` and the normalisation underneath: clear one-line messages, no output half-written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from veil.cli import app
from veil.errors import UsageError
from veil.incident.linkage import LinkageInputError, link
from veil.incident.linkage_columns import find_columns, read_people_table
from veil.incident.linkage_prepare import parse_dates, prepare

ROSTER = pl.DataFrame({
    "ID": ["R1", "R2", "R3"],
    "First name": ["José", "Ana", "Wei"],
    "Last name": ["García López", "Pérez", "Zhang"],
    "DOB": ["1990-01-02", "1985-03-04", "1970-05-06"],
    "A-Number": ["012345678", "", "223456789"],
})


@pytest.mark.parametrize(("raw", "expected"), [
    ("1985-03-04", dt.date(1985, 3, 4)),
    ("03/04/1985", dt.date(1985, 3, 4)),
    ("13.01.1990", dt.date(1990, 1, 13)),
    ("19900113", dt.date(1990, 1, 13)),
    ("31196", dt.date(1985, 5, 29)),  # an Excel serial
    ("12 de marzo de 1985", dt.date(1985, 3, 12)),
    ("March 12, 1985", dt.date(1985, 3, 12)),
    ("2/30/1990", None),
    ("not a date", None),
])
def test_dates(raw: str, expected: dt.date | None) -> None:
    assert parse_dates(pl.Series([raw]), day_first=False).dob[0] == expected


def test_day_first_column_is_recognised() -> None:
    parsed = parse_dates(pl.Series(["25/12/1980", "03/04/1985"]))
    assert parsed.day_first and parsed.dob.to_list() == [dt.date(1980, 12, 25), dt.date(1985, 4, 3)]


def test_names_fold_to_the_same_key() -> None:
    frame = pl.DataFrame({"n": ["GARCÍA LÓPEZ, José", "jose garcia lopez", "Muhammad Al-Hashimi",
                                "Mohammed Alhashemi", "Сергей Кузнецов", "Sergey Kuznetsov"],
                          "a": ["A012-345-678", "12345678", "", "x", "", ""]})
    prepared, _ = prepare(frame, {"name": "n", "anumber": "a"}, pl.Series(range(6)))
    keys, skeletons = prepared["name_key"].to_list(), prepared["name_ph"].to_list()
    assert keys[0] == keys[1] == "garcia jose lopez"
    assert sorted(skeletons[2]) == sorted(skeletons[3])
    assert sorted(skeletons[4]) == sorted(skeletons[5])
    assert prepared["anum"].to_list()[:2] == ["012345678", "012345678"]
    assert prepared["anum"][3] is None


def test_roster_without_name_or_dates_is_refused() -> None:
    with pytest.raises(LinkageInputError, match="no name column"):
        link(ROSTER, ROSTER.drop("First name", "Last name"), "ID")
    with pytest.raises(LinkageInputError, match="birth-date or A-number"):
        link(ROSTER, ROSTER.drop("DOB", "A-Number"), "ID")


def test_roster_with_bad_dates_is_refused_without_values() -> None:
    bad = ROSTER.with_columns(pl.Series("DOB", ["1990-01-02", "Juan's birthday", "31/31/1970"]))
    with pytest.raises(LinkageInputError) as info:
        link(ROSTER, bad, "ID")
    assert "2 unreadable dates of 3" in str(info.value) and "birthday" not in str(info.value)


def test_roster_id_problems_are_usage_errors() -> None:
    with pytest.raises(UsageError):
        link(ROSTER, ROSTER, "Missing")
    with pytest.raises(LinkageInputError, match="duplicate"):
        link(ROSTER, ROSTER.with_columns(pl.lit("R1").alias("ID")), "ID")
    with pytest.raises(UsageError):
        find_columns(ROSTER, {"dob": "Nope"})
    with pytest.raises(UsageError, match="unknown linkage engine 'hadoop'"):
        link(ROSTER, ROSTER, "ID", engine="hadoop")


def test_header_below_title_rows_and_shapes(tmp_path: Path) -> None:
    path = tmp_path / "exposed.csv"
    path.write_text("Detainee list,,\nexported 2026,,\nPerson,Born,Country\nJose Garcia,01/02/1990,Mexico\n"
                    "Ana Perez,03/04/1985,MEX\n", encoding="utf-8")
    table = read_people_table(path)
    assert table.frame.height == 2 and table.first_row == 4
    assert find_columns(table.frame) == {"name": "Person", "dob": "Born", "nationality": "Country"}


def _cli(*args: str) -> tuple[int, str]:
    run = CliRunner().invoke(app, ["link", *args])
    return run.exit_code, run.output


def test_cli_bad_inputs(tmp_path: Path) -> None:
    roster = tmp_path / "roster.csv"
    ROSTER.write_csv(roster)
    out = tmp_path / "matches.csv"
    junk = tmp_path / "exposed.xlsx"
    junk.write_bytes(b"PK\x03\x04 not really a zip")
    code, output = _cli(str(junk), str(roster), "--roster-id", "ID", "--out", str(out))
    assert code == 1 and "cannot read the exposed file exposed.xlsx" in output
    assert "Traceback" not in output and not out.exists()

    code, output = _cli(str(roster), str(roster), "--roster-id", "ID", "--out", str(out), "--map", "dob")
    assert code == 2 and "FIELD=COLUMN" in output
    code, output = _cli(str(roster), str(roster), "--roster-id", "Nope", "--out", str(out))
    assert code == 2 and "'Nope'" in output
    code, output = _cli(str(tmp_path / "absent.csv"), str(roster), "--roster-id", "ID", "--out", str(out))
    assert code == 2
    assert not out.exists()

    bad_roster = tmp_path / "bad.csv"
    ROSTER.drop("DOB", "A-Number").write_csv(bad_roster)
    code, output = _cli(str(roster), str(bad_roster), "--roster-id", "ID", "--out", str(out))
    assert code == 1 and "birth-date or A-number" in output and not out.exists()


def test_xlsx_every_people_sheet_hidden_too_or_named_sheet(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    hidden = book.active
    hidden.title = "Notes"
    hidden.append(["Name", "DOB"])
    hidden.append(["Hidden Person", "1990-01-01"])
    hidden.sheet_state = "hidden"
    shown = book.create_sheet("People")
    shown.append(["Detainees"])
    shown.append(["Full name", "Date of birth", "A#"])
    shown.append(["Jose Garcia", dt.datetime(1990, 1, 2), "A012345678"])
    path = tmp_path / "exposed.xlsx"
    book.save(path)
    # A hidden sheet of people is exposed as much as a visible one: both are read, one after the other.
    table = read_people_table(path)
    assert table.frame.height == 2 and table.mapping == {"name": "name", "dob": "dob", "anumber": "anumber"}
    first, second = "exposed.xlsx sheet 1 'N****'", "exposed.xlsx sheet 2 'P*****'"
    assert [(p.where, p.first_row) for p in table.parts] == [(f"{first} (xl/worksheets/sheet1.xml)", 2),
                                                           (f"{second} (xl/worksheets/sheet2.xml)", 3)]
    assert table.where(1) == (f"{second} (xl/worksheets/sheet2.xml)", 3)
    assert table.frame.row(1) == ("Jose Garcia", "1990-01-02", "A012345678")
    assert read_people_table(path, sheet="Notes").frame.height == 1
    assert read_people_table(path, sheet="2").frame.row(0) == ("Jose Garcia", "1990-01-02", "A012345678")
    with pytest.raises(LinkageInputError, match="no sheet named"):
        read_people_table(path, sheet="Missing")


def test_blank_rows_keep_row_numbers(tmp_path: Path) -> None:
    path = tmp_path / "exposed.csv"
    path.write_text("Name,DOB\nJose Garcia,01/02/1990\n,\nAna Perez,03/04/1985\n,\n,\n", encoding="utf-8")
    frame = read_people_table(path).frame
    assert frame.height == 3 and frame["Name"].to_list() == ["Jose Garcia", None, "Ana Perez"]
    roster = tmp_path / "roster.csv"
    ROSTER.write_csv(roster)
    out = tmp_path / "matches.csv"
    code, output = _cli(str(path), str(roster), "--roster-id", "ID", "--out", str(out))
    assert code == 0, output
    rows = out.read_text(encoding="utf-8").splitlines()
    assert [r.split(",")[0] for r in rows] == ["row", "1", "3"]
    assert rows[1].split(",")[1] == "R1" and rows[2].split(",")[1] == "R2"


def test_agreement_chance_is_exact() -> None:
    from veil.incident.linkage_model import agreement_chance

    exposed = pl.Series(["a", "a", "b", None])
    roster = pl.Series(["a", "b", "b", "c"])
    # P(agree) = 2/3 * 1/4 + 1/3 * 2/4
    assert agreement_chance(exposed, roster) == pytest.approx(2 / 3 * 1 / 4 + 1 / 3 * 2 / 4)
    assert agreement_chance(pl.Series([None], dtype=pl.String), roster) is None


def test_short_name_part_headers() -> None:
    frame = pl.DataFrame({"Given": ["José"], "Family": ["García"], "DOB": ["1990-01-02"]})
    found = find_columns(frame)
    assert found["given"] == "Given" and found["surname"] == "Family" and found["dob"] == "DOB"


def test_a_gathered_table_needs_no_mapping() -> None:
    # read_exposed_table gathers several people tables under the field names: link() finds them by name alone.
    frame = pl.DataFrame({"given": ["José"], "surname": ["García"], "surname2": ["López"], "dob": ["1990-01-02"],
                          "anumber": ["A012345678"]})
    assert find_columns(frame) == {"given": "given", "surname": "surname", "surname2": "surname2", "dob": "dob",
                                   "anumber": "anumber"}


def test_a_file_named_after_a_person_is_masked_in_the_error(tmp_path: Path) -> None:
    # Exposed files are often named after the people in them; the error is shown and logged, so it must not name them.
    exposed = tmp_path / "GARCIA_JOSE_A123456789.xlsx"
    exposed.write_bytes(b"PK\x03\x04 not a workbook")
    with pytest.raises(LinkageInputError) as err:
        read_people_table(exposed, None, what="exposed file")
    assert "A123456789" not in str(err.value) and "GARCIA" not in str(err.value)
    assert "exposed file" in str(err.value)
