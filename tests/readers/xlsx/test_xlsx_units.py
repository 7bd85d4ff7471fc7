"""Table tests for the xlsx reader's small pieces: colours, date formats, references, OLE unwrapping, grids."""

from __future__ import annotations

import datetime as dt
import struct

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from veil.readers.units import cell_text
from veil.readers.xlsx.grid import ROW_GAP, frame_from_rows, serial_date, sparse_blocks, split_blocks
from veil.readers.xlsx.package import cell_ref, col_index, col_letters, range_text, ranges_in, sheet_refs
from veil.readers.xlsx.parts import _ole10native, unwrap_ole
from veil.readers.xlsx.styles import contrast, hides_everything, is_date_format, read_styles

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


@pytest.mark.parametrize("code, is_date", [
    ("yyyy-mm-dd", True), ("d/m/yy h:mm", True), ("[$-409]mmmm d, yyyy", True), ("mm:ss", True),
    ("0.00", False), ("#,##0", False), ('"Day "0', False), ("[Red]0.0", False), ("General", False),
    ("0%", False), ("@", False), ('"m"0', False),
])
def test_date_formats(code: str, is_date: bool) -> None:
    assert is_date_format(code) is is_date


@pytest.mark.parametrize("code, hides", [
    (";;;", True), ('"";"";"";""', True), ("[White];;;", True), (";;; ", True), ("_-;;;", True),
    (";;;@", False), (";;", False), ("0;-0;;@", False), ('"x";;;', False), ("General", False),
    ('"a;b";;;', False),
])
def test_formats_that_hide_everything(code: str, hides: bool) -> None:
    assert hides_everything(code) is hides


@pytest.mark.parametrize("a, b, invisible", [
    ("FFFFFF", "FFFFFF", True), ("FEFEFE", "FFFFFF", True), ("F2F2F2", "FFFFFF", True), ("DDEBF7", "DDEBF7", True),
    ("000000", "FFFFFF", False), ("808080", "FFFFFF", False), ("D9D9D9", "FFFFFF", False), ("FFFFFF", "000000", False),
])
def test_near_background_contrast(a: str, b: str, invisible: bool) -> None:
    assert (contrast(a, b) < 1.3) is invisible


def _styles(fonts: str, fills: str, xfs: str, numfmts: str = "") -> etree._Element:
    return etree.fromstring(f'<styleSheet xmlns="{MAIN}">{numfmts}<fonts>{fonts}</fonts><fills>{fills}</fills>'
                            f"<cellXfs>{xfs}</cellXfs></styleSheet>".encode())


def test_invisible_styles_theme_indexed_tint_fill_and_format() -> None:
    theme = etree.fromstring(
        b'<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:themeElements><a:clrScheme>'
        b'<a:dk1><a:sysClr val="windowText" lastClr="000000"/></a:dk1><a:lt1><a:sysClr val="window" '
        b'lastClr="FFFFFF"/></a:lt1><a:dk2><a:srgbClr val="44546A"/></a:dk2><a:lt2><a:srgbClr val="E7E6E6"/></a:lt2>'
        b"</a:clrScheme></a:themeElements></a:theme>")
    fonts = ('<font><sz val="11"/></font>'                       # 0 default black
             '<font><color theme="0"/></font>'                      # 1 theme background 1 = white
             '<font><color indexed="9"/></font>'                    # 2 palette white
             '<font><color theme="1" tint="0.9999"/></font>'        # 3 black tinted to white
             '<font><color rgb="FF4472C4"/></font>'                 # 4 blue
             '<font><sz val="1"/></font>')                          # 5 one-point font
    fills = ('<fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill>'
             '<fill><patternFill patternType="solid"><fgColor rgb="FF4472C4"/></patternFill></fill>')
    xfs = ('<xf fontId="0" fillId="0" numFmtId="0"/><xf fontId="1" fillId="0"/><xf fontId="2" fillId="0"/>'
           '<xf fontId="3" fillId="0"/><xf fontId="4" fillId="2"/><xf fontId="0" fillId="0" numFmtId="164"/>'
           '<xf fontId="5" fillId="0"/><xf fontId="4" fillId="0"/><xf fontId="0" numFmtId="14"/>')
    numfmts = '<numFmts><numFmt numFmtId="164" formatCode=";;;"/></numFmts>'
    styles = read_styles(_styles(fonts, fills, xfs, numfmts), theme)
    assert sorted(styles.invisible) == [1, 2, 3, 4, 5, 6]
    assert "';;;'" in styles.invisible[5] and "1-point" in styles.invisible[6]
    assert styles.dates == {8}


def test_references() -> None:
    assert [col_index(x) for x in ("A", "Z", "AA", "ZZ", "XFD")] == [0, 25, 26, 701, 16383]
    assert all(col_index(col_letters(i)) == i for i in range(0, 20000, 37))
    assert cell_ref("$B$3") == (2, 1) and cell_ref("Sheet1!A1") is None
    assert range_text(0, 0, 0, 0) == "A1" and range_text(899_999, 0, 900_019, 5) == "A900000:F900020"
    assert ranges_in("'My Roster'!$A$1:$F$51") == [("My Roster", (0, 0, 50, 5))]
    assert sheet_refs("=SUM('Hidden ''Data'''!A1:B2)+Roster!C3+[1]Ext!A1") == {"Hidden 'Data'", "Roster", "Ext"}


def test_serial_dates_follow_excel() -> None:
    assert serial_date(1) == dt.date(1900, 1, 1)
    assert serial_date(61) == dt.date(1900, 3, 1)  # after Excel's fictitious 29 Feb 1900
    assert serial_date(45292) == dt.date(2024, 1, 1)
    assert serial_date(0, date1904=True) == dt.date(1904, 1, 1)
    assert serial_date(45292.5) == dt.datetime(2024, 1, 1, 12)


def test_blocks_split_on_wide_blank_bands() -> None:
    frame = pl.DataFrame({"c0": ["a", None, "b"], "c1": [None, None, None], "c2": [None, None, None]})
    assert [(b.row0, b.col0, b.frame.shape) for b in split_blocks(frame, 4, 2)] == [(4, 2, (3, 1))]
    cells = {(0, 0): "x", (ROW_GAP + 5, 0): "far", (0, 40): "wide"}
    blocks = sparse_blocks(cells, 10_000)
    assert sorted((b.row0, b.col0) for b in blocks) == [(0, 0), (0, 40), (ROW_GAP + 5, 0)]


def test_ole10native_payload() -> None:
    payload = b"Name,A-Number\nGARCIA, JOSE,A123456789\n"
    body = (b"\x02\x00" + b"roster.csv\x00" + b"C:\\cases\\roster.csv\x00" + b"\x00\x00\x03\x00"
            + struct.pack("<I", 20) + b"C:\\Temp\\roster.csv\x00" + struct.pack("<I", len(payload)) + payload)
    native = struct.pack("<I", len(body)) + body
    assert _ole10native(native) == ("roster.csv", payload)
    assert _ole10native(b"\x00\x01") is None
    assert unwrap_ole(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)) is None


_CELL = st.one_of(st.just(""), st.text(max_size=6), st.floats(allow_nan=False, allow_infinity=False),
                  st.dates(min_value=dt.date(1900, 1, 1)), st.booleans(),
                  st.datetimes(min_value=dt.datetime(1900, 1, 1)).map(lambda d: d.replace(microsecond=0)))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.lists(st.lists(_CELL, min_size=3, max_size=3), min_size=1, max_size=12))
def test_frames_follow_cell_text(rows: list[list[object]]) -> None:
    """The fast column conversion gives exactly what cell_text gives cell by cell (Unicode-blank text aside)."""
    got = [list(r) for r in frame_from_rows(rows).rows()]
    want = [[cell_text(v) for v in r] for r in rows]
    for g_row, w_row, raw in zip(got, want, rows, strict=True):
        for g, w, v in zip(g_row, w_row, raw, strict=True):
            if isinstance(v, str) and not v.strip():
                assert g is None or g == v  # control characters Python calls blank may be kept verbatim
            else:
                assert g == w
