"""The delimited-text reader: encodings, delimiters, quoting, ragged rows, no header, bad input."""

from __future__ import annotations

import codecs
import random
import time
from pathlib import Path

import polars as pl
import pytest
from faker import Faker
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from support.paths import CORPUS
from veil.readers.limits import LimitExceeded, Limits
from veil.readers.registry import ReadContext, read_blob
from veil.readers.sniff import sniff
from veil.readers.text import delimited
from veil.readers.units import Notice, Table, Text, Unreadable


def _units(blob: bytes, name: str = "people.csv", limits: Limits | None = None) -> list:
    """The reader's units, failing closed like read_blob does (sniffing is tested on its own)."""
    ctx = ReadContext(name=name) if limits is None else ReadContext(name=name, budget=_budget(limits))
    try:
        return list(delimited.read(blob, ctx))
    except LimitExceeded as exc:
        return [Unreadable("", str(exc))]


def _budget(limits: Limits):
    from veil.readers.limits import Budget

    return Budget(limits=limits)


def _table(blob: bytes, name: str = "people.csv") -> Table:
    tables = [u for u in _units(blob, name) if isinstance(u, Table)]
    assert len(tables) == 1, _units(blob, name)
    return tables[0]


def _grid(table: Table) -> list[list[str | None]]:
    return [list(r) for r in table.frame.iter_rows()]


def _people(n: int = 5, seed_: int = 7) -> list[list[str]]:
    fake = Faker("en_US")
    fake.seed_instance(seed_)
    rows = [["Name", "Date of birth", "A-Number", "Nationality"]]
    for _ in range(n):
        rows.append([fake.name(), fake.date_of_birth().isoformat(), f"A{fake.random_number(9, True)}", fake.country()])
    return rows


def _join(rows: list[list[str]], delim: str, eol: str = "\n") -> str:
    return eol.join(delim.join(r) for r in rows) + eol


# --- encodings ----------------------------------------------------------------------------------------------

NAMES = [["Name", "City"], ["José Müller", "Zürich"], ["Zoë Łukasz", "Kraków"], ["Ærø Ñandú", "Şanlıurfa"]]
LATIN = [["Name", "City"], ["José Müller", "Zürich"], ["Françoise Øster", "Malmö"], ["Ñandú Peña", "Córdoba"]]


@pytest.mark.parametrize(
    ("encode", "rows", "label"),
    [
        (lambda t: t.encode("utf-8"), NAMES, "utf-8"),
        (lambda t: codecs.BOM_UTF8 + t.encode("utf-8"), NAMES, "utf-8 with BOM"),
        (lambda t: t.encode("utf-16"), NAMES, "utf-16"),  # BOM + native order
        (lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be"), NAMES, "utf-16-be"),
        (lambda t: t.encode("utf-16-le"), NAMES, "utf-16-le"),
        (lambda t: t.encode("cp1252"), LATIN, None),
        (lambda t: t.encode("latin-1"), LATIN, None),
    ],
    ids=["utf8", "utf8-bom", "utf16-bom", "utf16be-bom", "utf16le-nobom", "cp1252", "latin1"],
)
def test_encodings_decode_to_the_same_grid(encode, rows, label) -> None:
    blob = encode(_join(rows * 3, ","))
    table = _table(blob)
    assert _grid(table) == rows * 3
    if label:
        assert label in table.location


def test_utf16_be_without_bom_is_decoded() -> None:
    blob = _join(NAMES, ",").encode("utf-16-be")
    assert sniff(blob) == "delimited"
    decoded = delimited.decode(blob)
    assert decoded.encoding == "utf-16-be"
    assert decoded.utf8.decode("utf-8") == _join(NAMES, ",")


def test_cp1252_punctuation_survives() -> None:
    rows = [["Name", "Note"], ["O\u2019Brien", "\u201cquoted\u201d \u2013 \u20ac5"], ["Ann", "x"]]
    blob = _join(rows, ";").encode("cp1252")
    assert _grid(_table(blob)) == rows


def test_bytes_cp1252_leaves_undefined_fall_back_to_latin1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(delimited, "_guess_encoding", lambda sample: None)
    blob = b"a,b\n\x81x,\x8dy\nc,d\n"
    assert delimited.decode(blob).utf8.decode() == "a,b\n\x81x,\x8dy\nc,d\n"


# --- delimiters ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("delim", [",", ";", "\t", "|"])
def test_delimiter_detection(delim: str) -> None:
    rows = _people(8)
    table = _table(_join(rows, delim).encode())
    assert _grid(table) == rows
    assert table.n_cols == 4


def test_commas_inside_quoted_names_do_not_fool_semicolon_detection() -> None:
    text = 'Name;Country\n"Smith, John";Chad\n"Doe, Jane";Peru\n"Roe, Max, Jr";Mali\n'
    assert _grid(_table(text.encode())) == [
        ["Name", "Country"],
        ["Smith, John", "Chad"],
        ["Doe, Jane", "Peru"],
        ["Roe, Max, Jr", "Mali"],
    ]


def test_tabs_win_over_commas_in_free_text() -> None:
    text = "id\tnote\n1\tmet Ann, Bob\n2\tnone\n3\tx, y, z\n"
    table = _table(text.encode(), "notes.tsv")
    assert "tab-separated" in table.location
    assert table.n_cols == 2


def test_single_column_file() -> None:
    text = "\n".join(["name"] + [f"Person {i}" for i in range(10)]) + "\n"
    blob = text.encode()
    decoded = delimited.decode(blob)
    units = list(delimited.read(decoded.utf8, ReadContext()))
    table = [u for u in units if isinstance(u, Table)][0]
    assert table.n_cols == 1 and table.n_rows == 11


# --- quoting, line ends, ragged rows, headers ---------------------------------------------------------------


def test_quoted_newlines_stay_in_one_cell() -> None:
    text = 'name,address\r\n"Ann Lee","1 Main St\r\nApt 2"\r\n"Bob Roe","x"\r\n'
    assert _grid(_table(text.encode())) == [["name", "address"], ["Ann Lee", "1 Main St\r\nApt 2"], ["Bob Roe", "x"]]


@pytest.mark.parametrize("eol", ["\n", "\r"], ids=["polars", "csv-module"])
def test_very_long_field(eol: str) -> None:
    note = "x" * 300_000
    text = f'id,note{eol}1,"{note}"{eol}2,short{eol}'
    assert _grid(_table(text.encode())) == [["id", "note"], ["1", note], ["2", "short"]]


def test_escaped_quotes() -> None:
    text = 'a,b\n"say ""hi""",2\n'
    assert _grid(_table(text.encode())) == [["a", "b"], ['say "hi"', "2"]]


def test_bare_cr_line_ends_are_rows() -> None:
    text = "a,b\r1,2\r3,4\r"
    assert _grid(_table(text.encode())) == [["a", "b"], ["1", "2"], ["3", "4"]]


def test_overlong_rows_keep_every_field() -> None:
    # pandas would silently move the extra fields into an index; Veil widens the table
    text = "name,dob\nAnn Lee,1990-01-01\nBob Roe,1985-02-03,A123456789,Chad\nCy Poe,1970-05-06\n"
    units = _units(text.encode())
    table = [u for u in units if isinstance(u, Table)][0]
    assert _grid(table) == [
        ["name", "dob", None, None],
        ["Ann Lee", "1990-01-01", None, None],
        ["Bob Roe", "1985-02-03", "A123456789", "Chad"],
        ["Cy Poe", "1970-05-06", None, None],
    ]
    assert any(isinstance(u, Notice) and "more fields" in u.message for u in units)


def test_overlong_row_after_the_sample_is_kept() -> None:
    rows = [["a", "b", "c"]] + [[str(i), "x", "y"] for i in range(20_000)]
    text = _join(rows, ",") + "late,row,with,extra,fields\n"
    table = _table(text.encode())
    assert table.n_cols == 5 and table.n_rows == 20_002
    assert _grid(table)[-1] == ["late", "row", "with", "extra", "fields"]


def test_long_row_after_the_sample_with_quoted_newlines_is_not_overwidened() -> None:
    # line-based width estimates count delimiters inside multi-line quotes: the extra columns must not survive
    rows = [["a", "b", "c"]] + [[str(i), "x", "y"] for i in range(20_000)]
    text = _join(rows, ",") + '"note, with, commas\nand, more, lines, here",2,3\n' + "late,row,with,four\n"
    table = _table(text.encode())
    assert table.n_cols == 4
    assert _grid(table)[-2] == ["note, with, commas\nand, more, lines, here", "2", "3", None]


def test_long_row_after_the_sample_with_a_stray_quote_is_kept() -> None:
    rows = [["a", "b", "c"]] + [[str(i), "x", "y"] for i in range(20_000)]
    text = _join(rows, ",") + '5\'4",x,"y,z",w,v\n'
    table = _table(text.encode())
    assert _grid(table)[-1] == ["5'4\"", "x", "y,z", "w", "v"]


def test_polars_never_truncates_extra_fields() -> None:
    """The fast path must refuse rather than drop fields, so the reader can fall back."""
    assert delimited._read_polars(b"a,b\n1,2,3\n", ",", 2, 10**6) is None
    assert delimited._read_polars(b"a,b\n1,2\n4,5,6,7\n", ",", 2, 10**6) is None


def test_short_rows_are_padded_with_null_and_blank_lines_kept() -> None:
    text = "a,b,c\n1,2\n\n3,4,5\n"
    assert _grid(_table(text.encode())) == [["a", "b", "c"], ["1", "2", None], [None, None, None], ["3", "4", "5"]]


def test_preamble_lines_stay_in_the_grid() -> None:
    text = (
        '"Extracted from a statistics database."\nDate extracted: 2014-06-30\n\n"Title"\n\n'
        "Country,Origin,Type,2000,2001\nA,B,Refugees,10,20\nC,D,Asylum,,5\n"
    )
    table = _table(text.encode())
    grid = _grid(table)
    assert table.first_row_number == 1
    assert grid[0][0] == "Extracted from a statistics database."
    assert grid[5] == ["Country", "Origin", "Type", "2000", "2001"]
    assert table.n_cols == 5


def test_no_header_row_is_read_as_data() -> None:
    rows = _people(6)[1:]
    table = _table(_join(rows, ",").encode())
    assert _grid(table) == rows
    assert table.header is None


def test_stray_quote_in_unquoted_field_is_kept() -> None:
    text = "name,height\nAnn,5'4\"\nBob,6'1\"\n"
    grid = _grid(_table(text.encode()))
    assert grid[1] == ["Ann", "5'4\""] and len(grid) == 3


def test_unterminated_quote_does_not_swallow_the_rest() -> None:
    text = 'name,city\n"Ann Lee,Paris\nBob Roe,Rome\nCy Poe,Oslo\n'
    units = _units(text.encode())
    table = [u for u in units if isinstance(u, Table)][0]
    assert table.n_rows == 4
    assert ["Bob Roe", "Rome"] in _grid(table)
    assert any(isinstance(u, Notice) and "never closed" in u.message for u in units)


def test_empty_quoted_cells_are_null() -> None:
    assert _grid(_table(b'a,b,c\n1,"",3\n,,\n'))[1:] == [["1", None, "3"], [None, None, None]]


def test_location_names_rows_delimiter_and_encoding() -> None:
    table = _table(_join(_people(5), ",").encode())
    assert table.location == "rows 1-6 (comma-separated, utf-8)"


@pytest.mark.parametrize("name", ["export.txt", "people.csv", "people.tsv", "data"])
def test_read_blob_routes_tables_here(name: str) -> None:
    units = list(read_blob(_join(_people(4), "\t").encode(), ReadContext(name=name)))
    assert [type(u) for u in units] == [Table]
    assert units[0].n_cols == 4


# --- limits and bad input -----------------------------------------------------------------------------------


def test_cell_limit_fails_closed() -> None:
    blob = _join([[str(i), "x"] for i in range(1000)], ",").encode()
    units = _units(blob, limits=Limits(max_cells=500))
    assert any(isinstance(u, Unreadable) and "cells" in u.reason for u in units)


def test_cell_limit_on_python_path_fails_closed() -> None:
    blob = _join([[str(i), "x"] for i in range(1000)], ",", "\r").encode()
    units = _units(blob, limits=Limits(max_cells=500))
    assert any(isinstance(u, Unreadable) and "cells" in u.reason for u in units)


def test_truncated_file_still_reads() -> None:
    blob = _join(_people(50), ",").encode()
    for cut in (10, 77, len(blob) // 2, len(blob) - 3):
        units = _units(blob[:cut])
        assert not any(isinstance(u, Unreadable) for u in units)


@pytest.mark.parametrize(
    "blob",
    [
        b"",
        b"   \n\n",
        b"\x00\x01\x02\xff" * 50,
        b'"' * 100,
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"\xff\xfe\x00",
        b"a\x00b\x00",
        b"\n" * 1000,
    ],
)
def test_odd_input_never_raises(blob: bytes) -> None:
    for unit in list(delimited.read(blob, ReadContext())) + list(read_blob(blob, ReadContext(name="x.csv"))):
        assert isinstance(unit, Table | Text | Notice | Unreadable)


@seed(20261123)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_bytes_only_ever_raise_limit_exceeded(data: st.DataObject) -> None:
    base = bytearray(_join(_people(6), random.Random(1).choice([",", ";"])).encode())
    for _ in range(data.draw(st.integers(1, 8))):
        pos = data.draw(st.integers(0, len(base) - 1))
        base[pos] = data.draw(st.sampled_from([0, 10, 13, 34, 44, 59, 9, 124, 0xFF, 0xFE, 0xC3, 0x81]))
    try:
        units = list(delimited.read(bytes(base), ReadContext()))
    except LimitExceeded:
        return
    tables = [u for u in units if isinstance(u, Table)]
    assert len(tables) == 1
    assert all(dtype == pl.String for dtype in tables[0].frame.dtypes)


# --- real corpus --------------------------------------------------------------------------------------------


def _corpus_files() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for ext in ("*.csv", "*.tsv") for p in CORPUS.rglob(ext))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: p.name)
def test_real_corpus_reads_without_unreadable(path: Path) -> None:
    units = _units(path.read_bytes(), path.name)
    assert not any(isinstance(u, Unreadable) for u in units)
    tables = [u for u in units if isinstance(u, Table)]
    assert len(tables) == 1 and tables[0].n_rows > 1


# --- end to end -----------------------------------------------------------------------------------------------


def test_roster_csv_blocks_and_statistics_csv_passes() -> None:
    from veil.pipeline import check_bytes

    roster = check_bytes(_join(_people(60), ",").encode(), "people.csv")
    assert roster.verdict == "block"
    assert any(f.kind == "record-level" for f in roster.findings)
    stats = [["Region", "Year", "Applications", "Granted"]]
    stats += [
        [r, str(y), str(100 + 7 * i), str(40 + 3 * i)]
        for i, (r, y) in enumerate((r, y) for r in ("North", "South", "East", "West") for y in range(2015, 2024))
    ]
    assert check_bytes(_join(stats, ",").encode(), "stats.csv").verdict == "pass"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('name,address\n"Ann Lee","1 Main St\nApt 2\nSpringfield"\n"Bob Roe","2 Oak Rd\nUnit 5"\n', True),
        ("id;name\n1;Ann\n2;Bob\n", True),
        ("a\tb\n", True),
        ("Dear Ann,\nthanks for the list, we will look at it, soon.\nBest,\nBob\n", False),
        ("just one line of prose without delimiters\nand another\n", False),
    ],
)
def test_looks_delimited_is_quote_aware(text: str, expected: bool) -> None:
    assert delimited.looks_delimited(text) is expected


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
@pytest.mark.parametrize("path", _corpus_files(), ids=lambda p: p.name)
def test_real_corpus_fast_path_matches_the_csv_module(path: Path) -> None:
    """polars and Python's csv module must see the same grid, cell for cell."""
    decoded = delimited.decode(path.read_bytes())
    layout = delimited.detect_delimiter(decoded.utf8[:65536].decode("utf-8", "ignore"))
    fast = delimited._read_polars(decoded.utf8, layout.delimiter, layout.width, 10**9)
    exact, _ = delimited._read_python(decoded.utf8.decode("utf-8"), layout.delimiter, 10**9, ReadContext())
    assert fast is not None and fast.equals(exact)


def _one_line(fields: int, extra: bytes = b"") -> bytes:
    return b",".join(str(i % 10).encode() for i in range(fields)) + b"\n" + extra


def test_a_one_line_csv_wider_than_any_table_is_unreadable_quickly() -> None:
    """A 2 MB line of a million fields: refused from a linear count before any reader builds that many columns
    (a 50 MB line took 99 s and 11 GB)."""
    from support.doc_factory import read_units, unreadable
    from veil.readers.text.delimited import MAX_COLUMNS

    started = time.perf_counter()
    units = read_units(_one_line(1_000_000), "wide.csv")
    assert time.perf_counter() - started < 5
    reasons = [u.reason for u in unreadable(units)]
    assert reasons and f"more than the {MAX_COLUMNS:,} columns" in reasons[0]


def test_the_width_guard_holds_without_a_spare_control_character() -> None:
    """The fast count needs a character the file does not use; a file with all of them is counted byte-wise."""
    from support.doc_factory import read_units, unreadable

    units = read_units(_one_line(200_000, b"\x1f\x1e\x1d\x01\n"), "wide.csv")
    assert any("columns Veil reads" in u.reason for u in unreadable(units))


def test_a_wide_but_bounded_line_is_still_a_table_and_quoted_empties_are_null() -> None:
    from support.doc_factory import read_units

    units = read_units(_one_line(25_600), "wide.csv")
    tables = [u for u in units if isinstance(u, Table)]
    assert tables and tables[0].frame.width == 25_600
    frame = [u for u in read_units(b'a,"",c\nd,,f\n', "q.csv") if isinstance(u, Table)][0].frame
    assert frame.row(0) == ("a", None, "c") and frame.row(1) == ("d", None, "f")
