"""xls, xlsb and ods readers: every sheet whatever its visibility, hidden rows/columns, notes, bad input.

Fixtures are built here: xls with xlwt, ods and xlsb by writing their parts directly (no writer library exists
for xlsb), each with seeded synthetic people.
"""

from __future__ import annotations

import functools
import io
import struct
import zipfile
from pathlib import Path

import olefile
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from support.paths import CORPUS
from support.workbook_factory import biff12_record, make_ods, make_xls, make_xlsb, ods_row, people
from veil.readers.limits import LimitExceeded, Limits
from veil.readers.registry import ReadContext, read_blob
from veil.readers.units import Notice, Table, Text, Unreadable, Visibility
from veil.readers.workbook import reader as workbook
from veil.readers.workbook.xls import _header_text, loose_strings


def _read(blob: bytes, fmt: str, limits: Limits | None = None) -> list:
    ctx = ReadContext(name=f"book.{fmt}", format=fmt)
    if limits is not None:
        from veil.readers.limits import Budget

        ctx = ReadContext(name=f"book.{fmt}", format=fmt, budget=Budget(limits=limits))
    return list(workbook.read(blob, ctx))


def _tables(units: list) -> dict[str, Table]:
    """The sheets' tables by sheet name (the table of sheet names itself left out)."""
    return {u.location.split("'")[1]: u for u in units if isinstance(u, Table) and u.location.startswith("sheet '")}


def _grid(table: Table) -> list[list[str | None]]:
    return [list(r) for r in table.frame.iter_rows()]


# --- xls ------------------------------------------------------------------------------------------------------


def test_xls_reads_every_sheet_with_its_visibility() -> None:
    units = _read(make_xls(), "xls")
    tables = _tables(units)
    assert set(tables) == {"Summary", "Roster", "Hidden", "Deep"}
    assert tables["Summary"].visibility is Visibility.VISIBLE
    assert tables["Hidden"].visibility is Visibility.HIDDEN_SHEET
    assert tables["Deep"].visibility is Visibility.VERY_HIDDEN_SHEET
    assert _grid(tables["Deep"]) == people(4, seed_=3)
    assert _grid(tables["Summary"]) == [["Region", "Cases"], ["North", "12"]]
    assert any(isinstance(u, Notice) and u.visibility is Visibility.HIDDEN_SHEET and "1 very hidden" in u.message
               for u in units)


def test_xls_hidden_rows_and_columns() -> None:
    units = _read(make_xls(hidden_row=3, hidden_col=1), "xls")
    roster = _tables(units)["Roster"]
    assert roster.hidden_rows == {3} and roster.hidden_columns == {1}
    assert roster.column_labels == ["A", "B", "C"] and roster.first_row_number == 1
    assert _grid(roster) == people()
    kinds = {u.visibility for u in units if isinstance(u, Notice) and "Roster" in u.location}
    assert {Visibility.HIDDEN_ROW, Visibility.HIDDEN_COLUMN} <= kinds


def test_xls_header_footer_text() -> None:
    units = _read(make_xls(header="&LPrepared by Ann Example&RPage &P"), "xls")
    texts = [u for u in units if isinstance(u, Text) and u.visibility is Visibility.HEADER_FOOTER]
    assert texts and "Prepared by Ann Example" in texts[0].text and "&" not in texts[0].text


def test_header_codes_are_stripped() -> None:
    assert _header_text('&L&"Arial,Bold"&12Case list&C&D&R&P of &N') == "Case list of"


def _encrypt(blob: bytes) -> bytes:
    """Turn one workbook-globals record into FILEPASS, keeping the stream size (olefile rewrites in place)."""
    ole = olefile.OleFileIO(io.BytesIO(blob))
    stream = bytearray(ole.openstream("Workbook").read())
    ole.close()
    pos = 0
    while pos + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, pos)
        if pos and kind in (0x0019, 0x0013, 0x013D, 0x009C):  # WINDOWPROTECT, PASSWORD, TABID, FNGROUPCOUNT
            struct.pack_into("<H", stream, pos, 0x002F)
            break
        pos += 4 + size
    out = io.BytesIO(blob)
    ole = olefile.OleFileIO(out, write_mode=True)
    ole.write_stream("Workbook", bytes(stream))
    ole.close()
    return out.getvalue()


def test_encrypted_xls_is_unreadable() -> None:
    units = list(read_blob(_encrypt(make_xls()), ReadContext(name="book.xls")))
    assert any(isinstance(u, Unreadable) and "password-protected" in u.reason for u in units)
    assert not any(isinstance(u, Table) for u in units)


def _patch_records(blob: bytes, kind: int, patch) -> bytes:
    """Rewrite the payload of every BIFF record of one kind in place (same size), as a hostile file would."""
    ole = olefile.OleFileIO(io.BytesIO(blob))
    stream = bytearray(ole.openstream("Workbook").read())
    ole.close()
    pos = 0
    while pos + 4 <= len(stream):
        record, size = struct.unpack_from("<HH", stream, pos)
        if record == kind:
            stream[pos + 4:pos + 4 + size] = patch(bytes(stream[pos + 4:pos + 4 + size]))
        pos += 4 + size
    out = io.BytesIO(blob)
    ole = olefile.OleFileIO(out, write_mode=True)
    ole.write_stream("Workbook", bytes(stream))
    ole.close()
    return out.getvalue()


@pytest.mark.parametrize(("first", "end"), [(0, 0x52000007), (0xD700, 5)], ids=["huge", "reversed"])
def test_xls_declaring_a_huge_sheet_is_refused_before_calamine(first: int, end: int) -> None:
    """calamine sizes a buffer from DIMENSIONS; 1.4 billion rows (or a first row after the last, which underflows)
    would abort the whole process, not raise. Such files are read with xlrd instead."""
    blob = _patch_records(make_xls(), 0x0200, lambda d: struct.pack("<II", first, end) + d[8:])
    units = list(read_blob(blob, ReadContext(name="book.xls")))
    assert any(isinstance(u, Notice) and "read with xlrd" in u.message for u in units)
    assert _grid(_tables(units)["Roster"]) == people()


def test_xls_cell_beyond_column_256_is_refused_before_calamine() -> None:
    """A cell in column 55,296 made calamine build a dense grid of billions of cells (a hang, then an abort)."""
    blob = _patch_records(make_xls(), 0x00FD, lambda d: d[:2] + struct.pack("<H", 0xD800) + d[4:])
    units = list(read_blob(blob, ReadContext(name="book.xls")))
    assert any(isinstance(u, Unreadable) for u in units) or any(
        isinstance(u, Notice) and "read with xlrd" in u.message for u in units)


def test_xls_string_table_count_beyond_the_file_is_refused() -> None:
    blob = _patch_records(make_xls(), 0x00FC, lambda d: struct.pack("<II", 7, 0x7FFFFFFF) + d[8:])
    with pytest.raises(LimitExceeded, match="string table"):
        _read(blob, "xls")


def test_xls_notes_become_comment_text() -> None:
    from veil.readers.workbook.grid import SheetFacts
    from veil.readers.workbook.xls import _notes

    class _Note:
        text, author = "Client lives at 4 Example Road", "Case worker"

    class _Sheet:
        cell_note_map = {(4, 2): _Note()}

    units = list(_notes(_Sheet(), SheetFacts("Roster", "sheet 'Roster'")))
    assert units == [Text("sheet 'Roster' cell C5 note", Visibility.COMMENT,
                          "Case worker: Client lives at 4 Example Road")]


def test_loose_strings_find_8bit_and_utf16_text() -> None:
    data = b"\x00\x01Amina Haddad\x00\x02" + "Olena Kovalenko".encode("utf-16-le") + b"\x00\x09ab\x00"
    text = loose_strings(data)
    assert "Amina Haddad" in text and "Olena Kovalenko" in text and "ab" not in text.split("\n")


@pytest.mark.parametrize("broken", ["open", "sheet"])
def test_xls_values_fall_back_to_xlrd_when_calamine_fails(monkeypatch: pytest.MonkeyPatch, broken: str) -> None:
    from veil.readers.workbook import xls as workbook_xls

    def refuse(*args: object) -> object:
        raise LimitExceeded("the xls workbook could not be parsed (PanicException)")

    monkeypatch.setattr(workbook_xls, "open_calamine" if broken == "open" else "calamine_grid", refuse)
    units = _read(make_xls(hidden_row=3), "xls")
    tables = _tables(units)
    assert set(tables) == {"Summary", "Roster", "Hidden", "Deep"}
    assert _grid(tables["Roster"]) == people() and tables["Roster"].hidden_rows == {3}
    assert _grid(tables["Summary"]) == [["Region", "Cases"], ["North", "12"]]
    assert tables["Deep"].visibility is Visibility.VERY_HIDDEN_SHEET
    assert not any(isinstance(u, Unreadable) for u in units)


def test_external_link_cache_strings_are_read() -> None:
    from veil.readers.workbook.xls import _crn_strings

    name = "Amina Haddad"
    record = bytes([2, 0]) + struct.pack("<H", 7)  # columns 0-2 of row 7
    record += b"\x02" + struct.pack("<H", len(name)) + b"\x00" + name.encode("latin-1")
    record += b"\x01" + struct.pack("<d", 42.0)
    record += b"\x02" + struct.pack("<H", 3) + b"\x01" + "Zoë".encode("utf-16-le")
    assert _crn_strings(record) == ["Amina Haddad", "Zoë"]


@pytest.mark.skipif(not (CORPUS / "ice" / "09foia5638detentionfacilitylist.xls").exists(), reason="corpus absent")
def test_real_xls_external_link_cache_and_hidden_column() -> None:
    units = list(read_blob((CORPUS / "ice" / "09foia5638detentionfacilitylist.xls").read_bytes(), ReadContext()))
    assert any(isinstance(u, Text) and u.visibility is Visibility.EXTERNAL_LINK_CACHE for u in units)
    assert _tables(units)["Facility List"].hidden_columns == {0}


# --- ods ------------------------------------------------------------------------------------------------------

def test_ods_hidden_table_rows_columns_and_values() -> None:
    units = _read(make_ods(), "ods")
    tables = _tables(units)
    roster = tables["Roster"]
    assert roster.visibility is Visibility.HIDDEN_SHEET
    assert _grid(roster) == people()
    assert roster.hidden_rows == {2, 4}
    assert roster.hidden_columns == {1}
    assert tables["Summary"].visibility is Visibility.VISIBLE
    assert _grid(tables["Summary"])[:2] == [["Region", "Cases"], ["North", "12"]]
    kinds = {u.visibility for u in units if isinstance(u, Notice)}
    assert {Visibility.HIDDEN_SHEET, Visibility.HIDDEN_ROW, Visibility.FILTERED_ROW, Visibility.HIDDEN_COLUMN} <= kinds


def test_ods_blank_filler_rows_do_not_grow_the_grid() -> None:
    roster = _tables(_read(make_ods(), "ods"))["Roster"]
    assert roster.n_rows == len(people()) and roster.n_cols == 3


def test_ods_annotations_metadata_and_headers() -> None:
    units = _read(make_ods(), "ods")
    texts = {u.visibility: u for u in units if isinstance(u, Text)}
    comment = texts[Visibility.COMMENT]
    assert comment.location == "sheet 'Summary' (content.xml) cell A6 comment"
    assert comment.text == "Case worker: Lives with her brother, Ahmed"
    assert "Jane Example" in texts[Visibility.METADATA].text and "LibreOffice" not in texts[Visibility.METADATA].text
    assert "Omar Example" in texts[Visibility.HEADER_FOOTER].text
    summary = _tables(units)["Summary"]
    assert _grid(summary)[-1] == ["Flagged", None]  # the annotation is not part of the cell's value


def test_ods_through_read_blob() -> None:
    units = list(read_blob(make_ods(), ReadContext(name="book.ods")))
    assert {"Summary", "Roster"} <= set(_tables(units))


def test_encrypted_ods_is_unreadable() -> None:
    with pytest.raises(LimitExceeded, match="password-protected"):
        _read(make_ods(encrypted=True), "ods")


def test_ods_repeated_data_row_is_bounded() -> None:
    bomb = ('<table:table table:name="Bomb"><table:table-row table:number-rows-repeated="5000000">'
            '<table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell>'
            '</table:table-row></table:table>')
    with pytest.raises(LimitExceeded):
        _read(make_ods(extra_table=bomb), "ods")


def test_ods_rows_in_a_collapsed_group_are_hidden() -> None:
    group = ('<table:table table:name="Grouped">'
             + ods_row(["Name", "Case"])
             + '<table:table-row-group table:display="false">' + ods_row(["Ann Example", "C-1"])
             + ods_row(["Bob Example", "C-2"]) + "</table:table-row-group>"
             + ods_row(["Total", 2]) + "</table:table>")
    table = _tables(_read(make_ods(extra_table=group), "ods"))["Grouped"]
    assert table.hidden_rows == {1, 2} and table.n_rows == 4


def test_ods_cell_limit() -> None:
    with pytest.raises(LimitExceeded, match="cells"):
        _read(make_ods(), "ods", Limits(max_cells=10))


# --- xlsb -----------------------------------------------------------------------------------------------------


def test_xlsb_sheets_hidden_rows_and_columns() -> None:
    blob = make_xlsb()
    units = list(read_blob(blob, ReadContext(name="book.xlsb")))
    tables = _tables(units)
    assert set(tables) == {"Summary", "Roster", "Deep"}
    assert tables["Deep"].visibility is Visibility.VERY_HIDDEN_SHEET
    assert tables["Roster"].location == "sheet 'Roster' (xl/worksheets/sheet2.bin)"
    assert tables["Roster"].hidden_rows == {2} and tables["Roster"].hidden_columns == {1}
    assert _grid(tables["Roster"]) == people()
    assert _grid(tables["Summary"]) == [["Region", "Cases"], ["North", "12"]]


def test_xlsb_comments_are_read_as_text() -> None:
    units = _read(make_xlsb(comment="Mother: Fatima Example"), "xlsb")
    comments = [u for u in units if isinstance(u, Text) and u.visibility is Visibility.COMMENT]
    assert comments == [Text("sheet 'Roster' (xl/worksheets/sheet2.bin) cell C4 comment (xl/comments1.bin)",
                             Visibility.COMMENT, "Case worker: Mother: Fatima Example")]


def test_xlsb_far_apart_cells_are_refused_before_calamine() -> None:
    far = biff12_record(0, struct.pack("<IIH", 1_000_000, 0, 300) + bytes(3) + struct.pack("<I", 0))
    far += biff12_record(5, struct.pack("<I", 16_000) + b"\x00" * 4 + struct.pack("<d", 1.0))
    blob = make_xlsb()
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.bin"]
    end = sheet.rindex(biff12_record(146))
    parts["xl/worksheets/sheet1.bin"] = sheet[:end] + far + sheet[end:]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    units = _read(out.getvalue(), "xlsb")
    assert any(isinstance(u, Unreadable) and "far-apart" in u.reason for u in units)


def test_xlsb_declared_size_is_bounded() -> None:
    units = _read(make_xlsb(), "xlsb", Limits(max_cells=5))
    assert "Roster" not in _tables(units)
    assert any(isinstance(u, Unreadable) and "Roster" in u.location and "cells" in u.reason for u in units)


# --- bad input ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xls", "ods", "xlsb"])
@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_bad_input_is_a_one_line_limit(fmt: str, damage: str) -> None:
    good = {"xls": make_xls, "ods": make_ods, "xlsb": make_xlsb}[fmt]()
    blob = {"truncated": good[: len(good) // 2], "garbage": bytes(range(256)) * 20, "empty": b""}[damage]
    try:  # the reader stops with a reason, or (a damaged legacy file) says why and adds what a raw scan found
        reasons = [u.reason for u in _read(blob, fmt) if isinstance(u, Unreadable)]
    except LimitExceeded as exc:
        reasons = [str(exc)]
    assert reasons and all("\n" not in r for r in reasons)
    units = list(read_blob(blob, ReadContext(name=f"book.{fmt}")))
    assert any(isinstance(u, Unreadable | Notice) for u in units)


@seed(20261123)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.data())
def test_mutated_workbooks_only_raise_limit_exceeded(data: st.DataObject) -> None:
    fmt = data.draw(st.sampled_from(["xls", "ods", "xlsb"]))
    blob = bytearray(_FIXTURES[fmt])
    for _ in range(data.draw(st.integers(1, 6))):
        blob[data.draw(st.integers(0, len(blob) - 1))] = data.draw(st.integers(0, 255))
    try:
        units = _read(bytes(blob), fmt)
    except LimitExceeded:
        return
    assert all(isinstance(u, Table | Text | Notice | Unreadable) for u in units)


_FIXTURES = {"xls": make_xls(), "ods": make_ods(), "xlsb": make_xlsb()}


# --- real corpus ----------------------------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _corpus_units(path: Path) -> list:
    """Each corpus file read once for all the tests that look at it (the largest ods takes seconds)."""
    return list(read_blob(path.read_bytes(), ReadContext(name=path.name)))


def _corpus() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for ext in ("*.xls", "*.ods", "*.xlsb") for p in CORPUS.rglob(ext))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
@pytest.mark.parametrize("path", _corpus(), ids=lambda p: p.name)
def test_real_corpus_reads_without_unreadable(path: Path) -> None:
    units = _corpus_units(path)
    assert not [u for u in units if isinstance(u, Unreadable)]
    assert any(isinstance(u, Table) and u.n_rows > 1 for u in units)


# --- end to end -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "hidden"), [("xls", "very-hidden-sheet"), ("xlsb", "very-hidden-sheet"),
                                             ("ods", "hidden-sheet")])
def test_roster_in_a_hidden_sheet_blocks(fmt: str, hidden: str) -> None:
    from veil.pipeline import check_bytes

    result = check_bytes(_FIXTURES[fmt], f"book.{fmt}")
    assert result.verdict == "block"
    assert any(f.kind == "record-level" and f.visibility == hidden for f in result.findings)


def _col_index(label: str) -> int:
    index = 0
    for ch in label:
        index = index * 26 + ord(ch) - 64
    return index - 1


def _filled(values: list[list[object]]) -> list[tuple[int, int, str]]:
    from veil.readers.units import cell_text

    return [(r, c, cell_text(v)) for r, row in enumerate(values) for c, v in enumerate(row)
            if cell_text(v) is not None]


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
@pytest.mark.parametrize("path", [p for p in _corpus() if p.suffix == ".ods"], ids=lambda p: p.name)
def test_real_ods_values_match_calamine(path: Path) -> None:
    """Veil's own content.xml reader and calamine agree on every non-empty cell and where it is."""
    import python_calamine as pc

    blob = path.read_bytes()
    tables = _tables(_corpus_units(path))
    book = pc.CalamineWorkbook.from_filelike(io.BytesIO(blob))
    for name in book.sheet_names:
        sheet = book.get_sheet_by_name(name)
        theirs = _filled(sheet.to_python(skip_empty_area=False))
        table = tables[name]
        ours = [(r + table.first_row_number - 1, c + _col_index(table.column_labels[0]), v)
                for r, row in enumerate(table.frame.iter_rows()) for c, v in enumerate(row) if v is not None]
        assert ours == theirs, name


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
@pytest.mark.parametrize("path", [p for p in _corpus() if p.suffix == ".xls"], ids=lambda p: p.name)
def test_real_xls_values_match_xlrd(path: Path) -> None:
    """calamine's values (what Veil reads) cover every non-empty cell xlrd sees, at the same place."""
    import xlrd

    blob = path.read_bytes()
    tables = _tables(_corpus_units(path))
    book = xlrd.open_workbook(file_contents=blob)
    for sheet in book.sheets():
        table = tables[sheet.name]
        ours = {(r + table.first_row_number - 1, c + _col_index(table.column_labels[0]))
                for r, row in enumerate(table.frame.iter_rows()) for c, v in enumerate(row) if v is not None}
        theirs = {(r, c) for r in range(sheet.nrows) for c in range(sheet.ncols)
                  if sheet.cell_type(r, c) not in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK)
                  and str(sheet.cell_value(r, c)).strip()}
        assert ours == theirs, sheet.name
