"""Every place an xlsx hides people: each vector of the factory is read into units with the right location and
visibility, holding the people's values; end to end, such a workbook must be blocked."""

from __future__ import annotations

import io
import time

import polars as pl
import pytest
import xlsxwriter

from support.xlsx_factory import VECTORS, nested_workbook, roster, write_workbook
from veil.findings import Verdict
from veil.pipeline import check_bytes
from veil.readers.registry import ReadContext, read_blob
from veil.readers.units import Notice, Table, Text, Unit, Unreadable, Visibility

V = Visibility
PEOPLE = 20


def read(blob: bytes, name: str = "test.xlsx") -> list[Unit]:
    return list(read_blob(blob, ReadContext(name=name)))


def values(unit: Unit) -> str:
    """Everything a unit says, as one string (cells joined), for membership checks."""
    if isinstance(unit, Table):
        cells = [v for col in unit.frame.iter_columns() for v in col.to_list() if v is not None]
        return "\n".join([*(unit.header or []), *cells])
    if isinstance(unit, Text):
        return unit.text
    if isinstance(unit, Notice):
        return unit.message
    return unit.reason


def only(units: list[Unit], kind: type, visibility: Visibility) -> list[Unit]:
    return [u for u in units if isinstance(u, kind) and getattr(u, "visibility", None) is visibility]


def people() -> list[list[object]]:
    return roster(PEOPLE)[1:]


# vector -> (unit type, visibility, words in the location, how many people's A-numbers it must hold)
EXPECTED: dict[str, tuple[type, Visibility, str, int]] = {
    "visible": (Table, V.VISIBLE, "sheet 'Roster' (xl/worksheets/sheet2.xml)", PEOPLE),
    "hidden_sheet": (Table, V.HIDDEN_SHEET, "sheet 'Roster'", PEOPLE),
    "very_hidden_sheet": (Table, V.VERY_HIDDEN_SHEET, "sheet 'Roster'", PEOPLE),
    "far_column": (Table, V.OUTSIDE_USED_AREA, "cells ZZ1:AAE21", PEOPLE),
    "far_row": (Table, V.OUTSIDE_USED_AREA, "cells A900000:F900020", PEOPLE),
    "white_text": (Table, V.WHITE_TEXT, "invisible cells A13:F33", PEOPLE),
    "theme_white_text": (Table, V.WHITE_TEXT, "invisible cells A13:F33", PEOPLE),
    "conditional_white_text": (Table, V.WHITE_TEXT, "invisible cells A13:F33", PEOPLE),
    "font_matches_fill": (Table, V.WHITE_TEXT, "invisible cells", PEOPLE),
    "white_rich_run": (Text, V.WHITE_TEXT, "white text runs in shared strings (xl/sharedStrings.xml)", 5),
    "black_box": (Text, V.UNDER_REDACTION, "cells A13:F33 under a dark filled shape", PEOPLE),
    "white_box": (Table, V.WHITE_TEXT, "invisible cells A13:F33", PEOPLE),
    "hidden_number_format": (Table, V.WHITE_TEXT, "invisible cells", PEOPLE),
    "comments": (Text, V.COMMENT, "sheet 'Summary' (xl/worksheets/sheet1.xml) comment on A2", 1),
    "threaded_comments": (Text, V.COMMENT, "threaded comment on A2 (xl/threadedComments/threadedComment1.xml)", 1),
    "defined_names": (Text, V.DEFINED_NAME, "defined names (xl/workbook.xml)", 5),
    "header_footer": (Text, V.HEADER_FOOTER, "sheet 'Summary' (xl/worksheets/sheet1.xml) header/footer", 2),
    "doc_properties": (Text, V.METADATA, "document properties (docProps/core.xml)", 2),
    "deleted_sheet_titles": (Text, V.METADATA, "application properties (docProps/app.xml)", 1),
    "pivot_cache": (Table, V.PIVOT_CACHE, "pivot cache 1 records (xl/pivotCache/pivotCacheRecords1.xml)", PEOPLE),
    "pivot_shared_items": (Table, V.PIVOT_CACHE, "pivot cache 1 shared items", PEOPLE),
    "external_link": (Table, V.EXTERNAL_LINK_CACHE, "external link 1 (xl/externalLinks/externalLink1.xml) cache",
                      PEOPLE),
    "chart_cache": (Table, V.CHART_CACHE, "chart cache (xl/charts/chart1.xml)", PEOPLE),
    "revision_log": (Table, V.REVISION_LOG, "revision log", PEOPLE),
    "power_query": (Text, V.QUERY, "Power Query package (customXml/item1.xml) Formulas/Section1.m", 10),
    "connections": (Text, V.QUERY, "data connections (xl/connections.xml)", 1),
    "formula_cache": (Table, V.HIDDEN_SHEET, "sheet 'Data'", PEOPLE),
    "embedded_workbook": (Table, V.EMBEDDED, "embedded object (xl/embeddings/Microsoft_Excel_Worksheet1.xlsx) › "
                                             "sheet 'Roster'", PEOPLE),
    "orphan_strings": (Text, V.EARLIER_REVISION, "shared strings no cell uses", PEOPLE),
    "ole_embedded_csv": (Table, V.EMBEDDED, "embedded object (xl/embeddings/oleObject1.bin) › ", PEOPLE),
    "unlisted_sheet": (Table, V.UNKNOWN_PART, "sheet '(unlisted) sheet9.xml' (xl/worksheets/sheet9.xml)", PEOPLE),
    "unknown_xml_part": (Text, V.UNKNOWN_PART, "unrecognised part (xl/custom/people.xml)", PEOPLE),
    "unknown_binary_part": (Text, V.UNKNOWN_PART, "(xl/custom/people.bin)", PEOPLE),
    "vba_roster": (Text, V.MACRO, "xl/vbaProject.bin VBA module 'Roster'", PEOPLE),
    "vba_cells": (Text, V.MACRO, "xl/vbaProject.bin VBA module 'Roster'", PEOPLE),
    "vba_comments": (Text, V.MACRO, "xl/vbaProject.bin VBA module 'Roster'", PEOPLE),
    "vba_stomped": (Text, V.MACRO, "xl/vbaProject.bin VBA module 'Module1' compiled code", PEOPLE),
    "vba_form": (Text, V.MACRO, "xl/vbaProject.bin VBA form 'UserForm1'", PEOPLE),
    "chart_series_names": (Table, V.VISIBLE, "chart series names (xl/charts/chart1.xml)", PEOPLE),
    "conditional_formulas": (Text, V.FORMULA, "sheet 'Summary' (xl/worksheets/sheet1.xml) conditional-format", PEOPLE),
    "validation_formulas": (Text, V.DATA_VALIDATION, "sheet 'Summary' (xl/worksheets/sheet1.xml) data-validation",
                            PEOPLE),
    "validation_prompts": (Text, V.DATA_VALIDATION, "data-validation lists", PEOPLE),
    "named_formula_literals": (Text, V.DEFINED_NAME, "defined names (xl/workbook.xml)", PEOPLE),
    "custom_xml_records": (Table, V.METADATA, "custom XML (customXml/item1.xml) records <detainee>", PEOPLE),
}
# vectors whose people are only names (sheet tabs): the names must be there, beside the sheets' heading
SHEET_NAME_VECTORS = {"sheet_names": frozenset(), "hidden_sheet_names": frozenset(range(1, PEOPLE + 1))}
# vectors reported only as a Notice / Unreadable (no personal values to show, or unreadable by design)
NOTICES = {"thumbnail": V.THUMBNAIL, "macros": V.MACRO, "data_model": None, "hidden_rows": V.HIDDEN_ROW,
           "tiny_rows": V.HIDDEN_ROW,
           "hidden_columns": V.HIDDEN_COLUMN, "autofilter": V.FILTERED_ROW, "data_validation": None}


def test_every_vector_is_covered_here() -> None:
    assert set(VECTORS) == set(EXPECTED) | set(NOTICES) | set(SHEET_NAME_VECTORS)


@pytest.mark.parametrize("vector", sorted(SHEET_NAME_VECTORS))
def test_sheet_names_are_a_column_beside_each_sheets_heading(vector: str) -> None:
    units = read(write_workbook(None, vector=vector, people=PEOPLE))
    table = next(u for u in units if isinstance(u, Table) and u.location == "sheet names (xl/workbook.xml)")
    assert table.header == ["sheet name", "sheet heading"]
    names = table.frame["c0"].to_list()
    assert all(str(p[0]).replace(",", "")[:31] in names for p in people())
    assert set(table.frame["c1"].drop_nulls().to_list()) >= {"Credible fear detention log"}
    assert table.hidden_rows == SHEET_NAME_VECTORS[vector]


@pytest.mark.parametrize("vector", sorted(EXPECTED))
def test_vector_is_read_with_location_and_visibility(vector: str) -> None:
    kind, visibility, where, n_people = EXPECTED[vector]
    units = read(write_workbook(None, vector=vector, people=PEOPLE))
    assert not [u for u in units if isinstance(u, Unreadable)]
    found = [u for u in only(units, kind, visibility) if where in u.location]
    assert found, f"no {kind.__name__} {visibility} at {where!r}: {[(type(u).__name__, u.location) for u in units]}"
    text = "\n".join(values(u) for u in found)
    held = [p for p in people() if str(p[1]) in text]
    assert len(held) >= n_people


def test_roster_cells_follow_cell_text_semantics() -> None:
    units = read(write_workbook(None, vector="visible", people=PEOPLE))
    table = next(u for u in units if isinstance(u, Table) and "Roster" in u.location)
    assert table.column_labels == ["A", "B", "C", "D", "E", "F"]
    assert table.first_row_number == 1
    assert table.frame.columns == [f"c{i}" for i in range(6)]
    assert all(dtype == pl.String for dtype in table.frame.dtypes)
    first = people()[0]
    assert table.frame.row(1) == (first[0], first[1], first[2].isoformat(), first[3], first[4], first[5])
    summary = next(u for u in units if isinstance(u, Table) and "Summary" in u.location)
    counts = [v for v in summary.frame["c1"].to_list()[1:]]
    assert all(v is not None and v.isdigit() for v in counts)  # whole numbers without '.0'


def test_hidden_rows_are_marked_as_frame_indices() -> None:
    units = read(write_workbook(None, vector="hidden_rows", people=PEOPLE))
    table = next(u for u in units if isinstance(u, Table) and "Roster" in u.location)
    assert table.visibility is V.VISIBLE
    assert table.hidden_rows == frozenset(range(1, PEOPLE + 1))
    assert only(units, Notice, V.HIDDEN_ROW)


def test_rows_too_low_to_read_count_as_hidden() -> None:
    units = read(write_workbook(None, vector="tiny_rows", people=PEOPLE))
    table = next(u for u in units if isinstance(u, Table) and "Roster" in u.location)
    assert table.hidden_rows == frozenset(range(1, PEOPLE + 1))


def test_hidden_columns_are_marked() -> None:
    units = read(write_workbook(None, vector="hidden_columns", people=PEOPLE))
    table = next(u for u in units if isinstance(u, Table) and "Roster" in u.location)
    assert table.hidden_columns == frozenset({0, 1, 2})
    assert "A, B, C" in only(units, Notice, V.HIDDEN_COLUMN)[0].message


def test_rows_hidden_by_an_autofilter_are_marked_and_noted() -> None:
    units = read(write_workbook(None, vector="autofilter", people=PEOPLE))
    table = next(u for u in units if isinstance(u, Table) and "Roster" in u.location)
    assert table.hidden_rows == frozenset(range(1, PEOPLE + 1))
    assert any("autofilter" in note for note in table.notes)
    assert only(units, Notice, V.FILTERED_ROW)


def test_far_blocks_are_separate_tables_that_say_where() -> None:
    units = read(write_workbook(None, vector="far_row", people=PEOPLE))
    far = only(units, Table, V.OUTSIDE_USED_AREA)[0]
    assert far.first_row_number == 900_000 and far.column_labels[0] == "A"
    main = next(u for u in units if isinstance(u, Table) and u.visibility is V.VISIBLE)
    assert main.n_rows == 10  # the summary alone, not 900,000 blank rows
    assert any("A900000" in u.location for u in only(units, Notice, V.OUTSIDE_USED_AREA))


def test_invisible_cells_keep_their_grid_and_reason() -> None:
    for vector, reason in [("white_text", "white text"), ("font_matches_fill", "matches the background"),
                           ("hidden_number_format", ";;;")]:
        units = read(write_workbook(None, vector=vector, people=PEOPLE))
        table = only(units, Table, V.WHITE_TEXT)[0]
        assert table.first_row_number == 13 and table.column_labels == list("ABCDEF")
        assert table.frame.row(1)[1] == people()[0][1]
        assert reason in only(units, Notice, V.WHITE_TEXT)[0].message


def test_cells_under_a_black_box_keep_rows_together() -> None:
    units = read(write_workbook(None, vector="black_box", people=PEOPLE))
    text = only(units, Text, V.UNDER_REDACTION)[0].text
    first = people()[0]
    assert f"{first[0]}\t{first[1]}" in text
    assert check_bytes(write_workbook(None, vector="black_box"), "b.xlsx").verdict is Verdict.BLOCK


def test_data_validation_lists_are_text() -> None:
    units = read(write_workbook(None, vector="data_validation", people=PEOPLE))
    text = only(units, Text, V.DATA_VALIDATION)[0].text
    assert str(people()[0][0]).replace(",", "") in text


def test_defined_names_into_hidden_sheets_are_noted() -> None:
    units = read(write_workbook(None, vector="defined_names", people=PEOPLE))
    assert any("hidden sheet 'Lookup'" in n.message for n in only(units, Notice, V.DEFINED_NAME))


def test_deleted_sheet_names_are_noticed() -> None:
    units = read(write_workbook(None, vector="deleted_sheet_titles", people=PEOPLE))
    assert any("TitlesOfParts" in n.message for n in only(units, Notice, V.METADATA))


def test_pivot_records_resolve_shared_items_into_rows() -> None:
    units = read(write_workbook(None, vector="pivot_cache", people=PEOPLE))
    table = only(units, Table, V.PIVOT_CACHE)[0]
    assert table.header == ["Name", "A-Number", "Date of Birth", "Country of Citizenship", "Facility", "Case Status"]
    first = people()[0]
    assert table.frame.row(0)[:2] == (first[0], first[1])
    assert table.n_rows == PEOPLE and table.total_rows is None
    assert any("no longer in the workbook" in n.message for n in only(units, Notice, V.PIVOT_CACHE))


def test_big_pivot_caches_are_sampled_with_their_total(monkeypatch: pytest.MonkeyPatch) -> None:
    import veil.readers.xlsx.caches as caches

    monkeypatch.setattr(caches, "PIVOT_SAMPLE_ROWS", 5)
    table = only(read(write_workbook(None, vector="pivot_cache", people=PEOPLE)), Table, V.PIVOT_CACHE)[0]
    assert table.n_rows == 5 and table.total_rows == PEOPLE


def test_formula_caches_from_hidden_and_external_sources_are_noticed() -> None:
    units = read(write_workbook(None, vector="formula_cache", people=PEOPLE))
    messages = [n.message for n in only(units, Notice, V.FORMULA_CACHE)]
    assert any("hidden sheet 'Data'" in m for m in messages)
    assert any("another workbook" in m for m in messages)


def test_query_tables_are_read() -> None:
    units = read(write_workbook(None, vector="connections", people=PEOPLE))
    text = [u for u in only(units, Text, V.QUERY) if "queryTable1.xml" in u.location]
    assert text and str(people()[1][0]) in text[0].text


def test_data_model_makes_the_file_unverifiable() -> None:
    units = read(write_workbook(None, vector="data_model", people=PEOPLE))
    bad = [u for u in units if isinstance(u, Unreadable)]
    assert bad and "Power Pivot" in bad[0].reason and bad[0].location.endswith("(xl/model/item.data)")
    assert check_bytes(write_workbook(None, vector="data_model"), "m.xlsx").verdict is Verdict.UNVERIFIABLE


@pytest.mark.parametrize("vector, visibility, words", [("thumbnail", V.THUMBNAIL, "thumbnail"),
                                                       ("macros", V.MACRO, "macros")])
def test_notices(vector: str, visibility: Visibility, words: str) -> None:
    units = read(write_workbook(None, vector=vector, people=PEOPLE))
    assert any(words in n.message for n in only(units, Notice, visibility))


def test_embedded_workbooks_nest_locations_and_depth_is_bounded() -> None:
    units = read(nested_workbook(2))
    inner = [u for u in units if isinstance(u, Table) and u.location.count("›") == 2]
    assert inner and inner[0].visibility is V.EMBEDDED
    deep = read(nested_workbook(7))
    assert any(isinstance(u, Unreadable) and "nested deeper" in u.reason for u in deep)


def test_every_part_is_accounted_for() -> None:
    """No part of any factory workbook is silently skipped: unknown ones are reported."""
    for vector in ("unknown_xml_part", "unknown_binary_part"):
        units = read(write_workbook(None, vector=vector, people=PEOPLE))
        assert only(units, Notice, V.UNKNOWN_PART)


def test_roster_of_6252_people_reads_fast() -> None:
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Roster")
    rows = roster(6252, seed=1)
    date_format = wb.add_format({"num_format": "yyyy-mm-dd"})
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if c == 2 and r:
                ws.write_datetime(r, c, value, date_format)
            else:
                ws.write(r, c, value)
    wb.close()
    blob = buf.getvalue()
    started = time.perf_counter()
    units = read(blob)
    elapsed = time.perf_counter() - started
    table = next(u for u in units if isinstance(u, Table))
    assert table.n_rows == 6253 and table.frame.item(1, 2) == rows[1][2].isoformat()
    assert elapsed < 5.0  # 0.3 s here under load; generous so a busy CI machine does not flake


# Not blocked: a drop-down of bare names (names with nothing attached are a note by policy), and vectors that only
# say where data might be (thumbnail, macros). The Power Pivot model cannot be read: unverifiable.
NOT_BLOCKED = {"data_validation": Verdict.PASS, "thumbnail": Verdict.PASS, "macros": Verdict.PASS,
               "data_model": Verdict.UNVERIFIABLE}


@pytest.mark.parametrize("vector", VECTORS)
def test_every_vector_end_to_end(vector: str) -> None:
    result = check_bytes(write_workbook(None, vector=vector, people=PEOPLE), f"{vector}.xlsx")
    assert result.verdict is NOT_BLOCKED.get(vector, Verdict.BLOCK)
    if vector in EXPECTED and EXPECTED[vector][0] is Table:
        assert result.persons >= PEOPLE - 1


def test_workbook_save_path_and_reservation_are_metadata() -> None:
    import re
    import zipfile

    blob = write_workbook(None, vector="visible", people=3)
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/workbook.xml":
                data = re.sub(rb"(<workbook[^>]*>)", rb'\1<fileSharing userName="GARCIA, JOSE"/>'
                              rb'<x15ac:absPath xmlns:x15ac="http://schemas.microsoft.com/office/spreadsheetml/2010/'
                              rb'11/ac" url="C:\\Users\\jgarcia\\Desktop\\"/>', data, count=1)
            dst.writestr(info.filename, data)
    text = only(read(out.getvalue()), Text, V.METADATA)
    said = "\n".join(t.text for t in text if "workbook properties" in t.location)
    assert "GARCIA, JOSE" in said and "jgarcia" in said
