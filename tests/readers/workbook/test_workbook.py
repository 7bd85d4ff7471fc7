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
import xlwt
from faker import Faker
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from support.paths import CORPUS
from veil.readers.limits import LimitExceeded, Limits
from veil.readers.registry import ReadContext, read_blob
from veil.readers.units import Notice, Table, Text, Unreadable, Visibility
from veil.readers.workbook import reader as workbook
from veil.readers.workbook.xls import _header_text, loose_strings


def _people(n: int = 6, seed_: int = 11) -> list[list[str]]:
    fake = Faker("en_GB")
    fake.seed_instance(seed_)
    rows = [["Name", "Date of birth", "Nationality"]]
    rows += [[fake.name(), fake.date_of_birth().isoformat(), fake.country()] for _ in range(n)]
    return rows


def _read(blob: bytes, fmt: str, limits: Limits | None = None) -> list:
    ctx = ReadContext(name=f"book.{fmt}", format=fmt)
    if limits is not None:
        from veil.readers.limits import Budget

        ctx = ReadContext(name=f"book.{fmt}", format=fmt, budget=Budget(limits=limits))
    return list(workbook.read(blob, ctx))


def _tables(units: list) -> dict[str, Table]:
    return {u.location.split("'")[1]: u for u in units if isinstance(u, Table)}


def _grid(table: Table) -> list[list[str | None]]:
    return [list(r) for r in table.frame.iter_rows()]


# --- xls ------------------------------------------------------------------------------------------------------


def make_xls(*, hidden_row: int | None = 2, hidden_col: int | None = 2, header: str = "") -> bytes:
    book = xlwt.Workbook()
    visible = book.add_sheet("Summary")
    visible.write(0, 0, "Region")
    visible.write(0, 1, "Cases")
    visible.write(1, 0, "North")
    visible.write(1, 1, 12)
    roster = book.add_sheet("Roster")
    for r, row in enumerate(_people()):
        for c, value in enumerate(row):
            roster.write(r, c, value)
    if hidden_row is not None:
        roster.row(hidden_row).hidden = True
    if hidden_col is not None:
        roster.col(hidden_col).hidden = True
    if header:
        roster.header_str = header.encode("latin-1")
    hidden = book.add_sheet("Hidden")
    hidden.write(0, 0, "Case note")
    hidden.visibility = 1
    very = book.add_sheet("Deep")
    for r, row in enumerate(_people(4, seed_=3)):
        for c, value in enumerate(row):
            very.write(r, c, value)
    very.visibility = 2
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xls_reads_every_sheet_with_its_visibility() -> None:
    units = _read(make_xls(), "xls")
    tables = _tables(units)
    assert set(tables) == {"Summary", "Roster", "Hidden", "Deep"}
    assert tables["Summary"].visibility is Visibility.VISIBLE
    assert tables["Hidden"].visibility is Visibility.HIDDEN_SHEET
    assert tables["Deep"].visibility is Visibility.VERY_HIDDEN_SHEET
    assert _grid(tables["Deep"]) == _people(4, seed_=3)
    assert _grid(tables["Summary"]) == [["Region", "Cases"], ["North", "12"]]
    assert any(isinstance(u, Notice) and u.visibility is Visibility.HIDDEN_SHEET and "1 very hidden" in u.message
               for u in units)


def test_xls_hidden_rows_and_columns() -> None:
    units = _read(make_xls(hidden_row=3, hidden_col=1), "xls")
    roster = _tables(units)["Roster"]
    assert roster.hidden_rows == {3} and roster.hidden_columns == {1}
    assert roster.column_labels == ["A", "B", "C"] and roster.first_row_number == 1
    assert _grid(roster) == _people()
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
    assert _grid(_tables(units)["Roster"]) == _people()


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
    assert _grid(tables["Roster"]) == _people() and tables["Roster"].hidden_rows == {3}
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

_ODS_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" '
           'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"')


def _ods_cell(value: object, extra: str = "", note: str = "") -> str:
    annotation = (f'<office:annotation><dc:creator>Case worker</dc:creator><text:p>{note}</text:p>'
                  f'</office:annotation>' if note else "")
    if isinstance(value, (int, float)):
        return (f'<table:table-cell office:value-type="float" office:value="{value}"{extra}>{annotation}'
                f'<text:p>{value}</text:p></table:table-cell>')
    return (f'<table:table-cell office:value-type="string"{extra}>{annotation}<text:p>{value}</text:p>'
            "</table:table-cell>")


def _ods_row(values: list[object], attrs: str = "") -> str:
    return f"<table:table-row{attrs}>" + "".join(_ods_cell(v) for v in values) + "</table:table-row>"


def make_ods(*, encrypted: bool = False, extra_table: str = "") -> bytes:
    people = _people()
    roster_rows = [_ods_row(people[0])]
    for i, row in enumerate(people[1:], start=1):
        attrs = ' table:visibility="collapse"' if i == 2 else ' table:visibility="filter"' if i == 4 else ""
        roster_rows.append(_ods_row(row, attrs))
    roster_rows.append('<table:table-row table:number-rows-repeated="1048000"><table:table-cell '
                       'table:number-columns-repeated="1024"/></table:table-row>')
    note_row = ("<table:table-row>" + _ods_cell("Flagged", note="Lives with her brother, Ahmed") +
                "</table:table-row>")
    content = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-content {_ODS_NS}>
<office:automatic-styles>
  <style:style style:name="ta1" style:family="table"><style:table-properties table:display="true"/></style:style>
  <style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/></style:style>
</office:automatic-styles>
<office:body><office:spreadsheet>
<table:table table:name="Summary" table:style-name="ta1">
  <table:table-column table:number-columns-repeated="2"/>
  {_ods_row(["Region", "Cases"])}{_ods_row(["North", 12])}
  <table:table-row table:number-rows-repeated="3"><table:table-cell/></table:table-row>
  {note_row}
</table:table>
<table:table table:name="Roster" table:style-name="ta2">
  <table:table-column/><table:table-column table:visibility="collapse"/><table:table-column/>
  <table:table-header-rows>{roster_rows[0]}</table:table-header-rows>
  {"".join(roster_rows[1:])}
</table:table>
{extra_table}
</office:spreadsheet></office:body></office:document-content>"""
    meta = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-meta {_ODS_NS}><office:meta><meta:initial-creator>Jane Example</meta:initial-creator>
<dc:title>Casework list</dc:title><meta:generator>LibreOffice</meta:generator></office:meta></office:document-meta>"""
    styles = f"""<?xml version="1.0" encoding="UTF-8"?>
<office:document-styles {_ODS_NS}><office:master-styles><style:master-page style:name="Default">
<style:header><text:p>Prepared by Omar Example</text:p></style:header></style:master-page></office:master-styles>
</office:document-styles>"""
    manifest = ('<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0">'
                '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">'
                + ('<manifest:encryption-data manifest:checksum-type="SHA1"/>' if encrypted else "")
                + "</manifest:file-entry></manifest:manifest>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet", compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", manifest)
        z.writestr("content.xml", content)
        z.writestr("meta.xml", meta)
        z.writestr("styles.xml", styles)
    return out.getvalue()


def test_ods_hidden_table_rows_columns_and_values() -> None:
    units = _read(make_ods(), "ods")
    tables = _tables(units)
    roster = tables["Roster"]
    assert roster.visibility is Visibility.HIDDEN_SHEET
    assert _grid(roster) == _people()
    assert roster.hidden_rows == {2, 4}
    assert roster.hidden_columns == {1}
    assert tables["Summary"].visibility is Visibility.VISIBLE
    assert _grid(tables["Summary"])[:2] == [["Region", "Cases"], ["North", "12"]]
    kinds = {u.visibility for u in units if isinstance(u, Notice)}
    assert {Visibility.HIDDEN_SHEET, Visibility.HIDDEN_ROW, Visibility.FILTERED_ROW, Visibility.HIDDEN_COLUMN} <= kinds


def test_ods_blank_filler_rows_do_not_grow_the_grid() -> None:
    roster = _tables(_read(make_ods(), "ods"))["Roster"]
    assert roster.n_rows == len(_people()) and roster.n_cols == 3


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
             + _ods_row(["Name", "Case"])
             + '<table:table-row-group table:display="false">' + _ods_row(["Ann Example", "C-1"])
             + _ods_row(["Bob Example", "C-2"]) + "</table:table-row-group>"
             + _ods_row(["Total", 2]) + "</table:table>")
    table = _tables(_read(make_ods(extra_table=group), "ods"))["Grouped"]
    assert table.hidden_rows == {1, 2} and table.n_rows == 4


def test_ods_cell_limit() -> None:
    with pytest.raises(LimitExceeded, match="cells"):
        _read(make_ods(), "ods", Limits(max_cells=10))


# --- xlsb -----------------------------------------------------------------------------------------------------


def _rec(kind: int, data: bytes = b"") -> bytes:
    out = bytearray([kind] if kind < 128 else [(kind & 0x7F) | 0x80, kind >> 7])
    size = len(data)
    while True:
        byte, size = size & 0x7F, size >> 7
        out.append(byte | (0x80 if size else 0))
        if not size:
            return bytes(out) + data


def _wide(text: str) -> bytes:
    raw = text.encode("utf-16-le")
    return struct.pack("<I", len(raw) // 2) + raw


def _xlsb_sheet(rows: list[list[object]], hidden_rows: set[int], hidden_cols: set[int]) -> bytes:
    width = max(len(r) for r in rows)
    out = _rec(129) + _rec(148, struct.pack("<IIII", 0, len(rows) - 1, 0, width - 1)) + _rec(390)
    for col in sorted(hidden_cols):
        out += _rec(60, struct.pack("<IIII", col, col, 2304, 0) + bytes([1, 0]))
    out += _rec(391) + _rec(145)
    for r, row in enumerate(rows):
        flags = 0x10 if r in hidden_rows else 0
        out += _rec(0, struct.pack("<IIH", r, 0, 300) + bytes([0, flags, 0]) + struct.pack("<I", 0))
        for c, value in enumerate(row):
            cell = struct.pack("<I", c) + b"\x00" * 4
            out += _rec(6, cell + _wide(value)) if isinstance(value, str) else _rec(5, cell + struct.pack("<d", value))
    return out + _rec(146) + _rec(130)


def make_xlsb(comment: str = "") -> bytes:
    """A minimal BIFF12 workbook: Summary (visible), Roster (hidden row 2, hidden column B), Deep (very hidden)."""
    sheets = [("Summary", 0, [["Region", "Cases"], ["North", 12.0]], set(), set()),
              ("Roster", 0, _people(), {2}, {1}),
              ("Deep", 2, _people(3, seed_=5), set(), set())]
    book = _rec(131) + _rec(143)
    rels = ['<?xml version="1.0" encoding="UTF-8"?><Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">']
    parts = {}
    for i, (name, state, rows, hidden_rows, hidden_cols) in enumerate(sheets, 1):
        book += _rec(156, struct.pack("<II", state, i) + _wide(f"rId{i}") + _wide(name))
        rels.append(f'<Relationship Id="rId{i}" Target="worksheets/sheet{i}.bin" Type="http://schemas.'
                    'openxmlformats.org/officeDocument/2006/relationships/worksheet"/>')
        parts[f"xl/worksheets/sheet{i}.bin"] = _xlsb_sheet(rows, hidden_rows, hidden_cols)
    book += _rec(144) + _rec(132)
    xf = struct.pack("<HHHHH", 0xFFFF, 0, 0, 0, 0) + bytes([0, 0]) + struct.pack("<H", 0) + bytes([0, 0])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Default Extension="bin" ContentType="application/'
                   'vnd.ms-excel.sheet.binary.macroEnabled.main"/></Types>')
        z.writestr("xl/workbook.bin", book)
        z.writestr("xl/_rels/workbook.bin.rels", "".join(rels) + "</Relationships>")
        z.writestr("xl/styles.bin", _rec(278) + _rec(617, struct.pack("<I", 1)) + _rec(47, xf) + _rec(618) + _rec(279))
        for name, data in parts.items():
            z.writestr(name, data)
        if comment:  # on Roster (sheet2), cell C4, by "Case worker"
            z.writestr("xl/worksheets/_rels/sheet2.bin.rels", rels[0] + '<Relationship Id="rId1" '
                       'Target="../comments1.bin" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                       'relationships/comments"/></Relationships>')
            z.writestr("xl/comments1.bin", _rec(628) + _rec(630) + _rec(632, _wide("Case worker")) + _rec(631)
                       + _rec(633) + _rec(635, struct.pack("<IIIII", 0, 3, 3, 2, 2) + b"\x00" * 16)
                       + _rec(637, b"\x00" + _wide(comment)) + _rec(636) + _rec(634) + _rec(629))
    return out.getvalue()


def test_xlsb_sheets_hidden_rows_and_columns() -> None:
    blob = make_xlsb()
    units = list(read_blob(blob, ReadContext(name="book.xlsb")))
    tables = _tables(units)
    assert set(tables) == {"Summary", "Roster", "Deep"}
    assert tables["Deep"].visibility is Visibility.VERY_HIDDEN_SHEET
    assert tables["Roster"].location == "sheet 'Roster' (xl/worksheets/sheet2.bin)"
    assert tables["Roster"].hidden_rows == {2} and tables["Roster"].hidden_columns == {1}
    assert _grid(tables["Roster"]) == _people()
    assert _grid(tables["Summary"]) == [["Region", "Cases"], ["North", "12"]]


def test_xlsb_comments_are_read_as_text() -> None:
    units = _read(make_xlsb(comment="Mother: Fatima Example"), "xlsb")
    comments = [u for u in units if isinstance(u, Text) and u.visibility is Visibility.COMMENT]
    assert comments == [Text("sheet 'Roster' (xl/worksheets/sheet2.bin) cell C4 comment (xl/comments1.bin)",
                             Visibility.COMMENT, "Case worker: Mother: Fatima Example")]


def test_xlsb_far_apart_cells_are_refused_before_calamine() -> None:
    far = _rec(0, struct.pack("<IIH", 1_000_000, 0, 300) + bytes(3) + struct.pack("<I", 0))
    far += _rec(5, struct.pack("<I", 16_000) + b"\x00" * 4 + struct.pack("<d", 1.0))
    blob = make_xlsb()
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    sheet = parts["xl/worksheets/sheet1.bin"]
    end = sheet.rindex(_rec(146))
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
    with pytest.raises(LimitExceeded) as info:
        _read(blob, fmt)
    assert "\n" not in str(info.value)
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
