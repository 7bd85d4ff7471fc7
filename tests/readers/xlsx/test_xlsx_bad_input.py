"""Hostile and broken workbooks: each ends `unverifiable` with a one-line reason, quickly, without a traceback."""

from __future__ import annotations

import io
import re
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from typer.testing import CliRunner

from support.xlsx_factory import nested_workbook, write_workbook
from veil.findings import FileResult, Kind, Verdict
from veil.pipeline import check_bytes
from veil.readers.limits import Limits
from veil.readers.registry import ReadContext, read_blob
from veil.readers.units import Table, Unreadable, Visibility

SECONDS = 5.0


def checked(blob: bytes, name: str = "bad.xlsx", limits: Limits | None = None) -> tuple[FileResult, float]:
    started = time.perf_counter()
    result = check_bytes(blob, name, limits=limits)
    return result, time.perf_counter() - started


def assert_unverifiable(blob: bytes, words: str, limits: Limits | None = None, name: str = "bad.xlsx",
                        recovered: bool = False) -> None:
    """Unverifiable with a one-line reason naming `words`; with `recovered`, text recovered from the damaged file
    may also show the people in it (then the verdict is block, which outranks unverifiable)."""
    result, elapsed = checked(blob, name, limits)
    allowed = {Verdict.UNVERIFIABLE, Verdict.BLOCK} if recovered else {Verdict.UNVERIFIABLE}
    assert result.verdict in allowed, [f.message for f in result.findings]
    reasons = [f.message for f in result.findings if f.kind is Kind.UNREADABLE]
    assert reasons and all("\n" not in r and len(r) < 300 for r in reasons)
    said = [f"{f.location}: {f.message}" for f in result.findings if f.kind is Kind.UNREADABLE]
    assert any(words in r for r in said), said
    assert elapsed < SECONDS


def replace_part(blob: bytes, name: str, data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, data if info.filename == name else src.read(info.filename))
    return out.getvalue()


@pytest.fixture(scope="module")
def workbook() -> bytes:
    return write_workbook(None, vector="hidden_sheet", people=10)


def test_encrypted_workbook(workbook: bytes) -> None:
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    out = io.BytesIO()
    ooxml.OOXMLFile(io.BytesIO(workbook)).encrypt("secret", out)
    assert_unverifiable(out.getvalue(), "encrypted")


def test_password_flagged_zip_members(workbook: bytes) -> None:
    data = bytearray(workbook)
    for sig, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        for m in re.finditer(re.escape(sig), bytes(data)):
            data[m.start() + offset] |= 0x01
    assert_unverifiable(bytes(data), "password-protected")


def test_duplicate_part_names(workbook: bytes) -> None:
    src = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst, pytest.warns(UserWarning, match="Duplicate name"):
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        dst.writestr("XL/worksheets/sheet2.xml", src.read("xl/worksheets/sheet1.xml"))
        dst.writestr("xl/worksheets/sheet2.xml", src.read("xl/worksheets/sheet1.xml"))
    assert_unverifiable(out.getvalue(), "two parts named", recovered=True)


def test_corrupt_zip() -> None:
    assert_unverifiable(b"PK\x03\x04" + bytes(range(256)) * 4, "corrupt")


def test_truncated_file(workbook: bytes) -> None:
    assert_unverifiable(workbook[: len(workbook) // 2], "truncated", recovered=True)


def test_corrupt_member_data(workbook: bytes) -> None:
    z = zipfile.ZipFile(io.BytesIO(workbook))
    info = z.getinfo("xl/worksheets/sheet2.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    data = bytearray(workbook)
    for i in range(start + 5, start + min(info.compress_size, 60)):
        data[i] ^= 0x5A
    assert_unverifiable(bytes(data), "sheet2.xml")


def test_a_csv_named_xlsx_is_read_as_csv() -> None:
    rows = ["Name,A-Number,Date of Birth,Country"] + [f"GARCIA{i}, JOSE,A2000000{i:02d},1990-01-0{i % 9 + 1},Mexico"
                                                      for i in range(30)]
    result, elapsed = checked("\n".join(rows).encode(), "roster.xlsx")
    assert result.format == "delimited" and result.verdict is not Verdict.PASS and elapsed < SECONDS


def test_a_pdf_named_xlsx_is_not_read_as_xlsx() -> None:
    result, _ = checked(b"%PDF-1.4\n%broken\n1 0 obj\n<<", "report.xlsx")
    assert result.format == "pdf" and result.verdict is Verdict.UNVERIFIABLE


def test_zip_bomb_by_compression_ratio(workbook: bytes) -> None:
    body = b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' \
           + b" " * 30_000_000 + b"<sheetData/></worksheet>"
    assert_unverifiable(replace_part(workbook, "xl/worksheets/sheet2.xml", body), "zip bomb")


def test_zip_bomb_by_total_size(workbook: bytes) -> None:
    assert_unverifiable(workbook, "total-size limit", Limits(max_total_uncompressed=20_000))


def test_too_many_members(workbook: bytes) -> None:
    assert_unverifiable(workbook, "members", Limits(max_members=5))


BILLION_LAUGHS = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                  + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                             for i in range(1, 10))
                  + b']><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                  + b"<sheets><sheet name='&lol9;' sheetId='1'/></sheets></workbook>")
XXE = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
       b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
       b'<c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row></sheetData></worksheet>')


def test_xml_bomb(workbook: bytes) -> None:
    assert_unverifiable(replace_part(workbook, "xl/workbook.xml", BILLION_LAUGHS), "DTD")


def test_external_entity(workbook: bytes) -> None:
    assert_unverifiable(replace_part(workbook, "xl/worksheets/sheet2.xml", XXE), "DTD")


def test_external_entity_in_shared_strings() -> None:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    wb.add_worksheet("S").write(0, 0, "text")
    wb.close()
    sst = (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
           b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&xxe;</t></si></sst>')
    assert_unverifiable(replace_part(buf.getvalue(), "xl/sharedStrings.xml", sst), "DTD")


def test_enormous_sheet() -> None:
    blob = write_workbook(None, vector="visible", people=200)
    assert_unverifiable(blob, "cells", Limits(max_cells=500))


def test_sparse_sheet_bomb() -> None:
    wb = Workbook()
    ws = wb.active
    for i in range(3000):
        ws.cell(row=i + 1, column=i + 1, value=i)
    buf = io.BytesIO()
    wb.save(buf)
    assert_unverifiable(buf.getvalue(), "spread too thinly")


def test_opposite_corners_are_two_small_tables() -> None:
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "top left"
    ws["XFD1048576"] = "bottom right"
    buf = io.BytesIO()
    wb.save(buf)
    started = time.perf_counter()
    units = list(read_blob(buf.getvalue(), ReadContext(name="corners.xlsx")))
    assert time.perf_counter() - started < SECONDS
    tables = [u for u in units if isinstance(u, Table) and u.location.startswith("sheet '")]
    assert [t.frame.shape for t in tables] == [(1, 1), (1, 1)]
    assert tables[1].visibility is Visibility.OUTSIDE_USED_AREA and "XFD1048576" in tables[1].location


def test_time_budget(workbook: bytes) -> None:
    assert_unverifiable(workbook, "took longer than", Limits(seconds=0.0))


def test_deeply_nested_embeddings() -> None:
    assert_unverifiable(nested_workbook(7), "nested deeper")


def test_cli_exit_code_is_1_on_bad_input(tmp_path: object, workbook: bytes) -> None:
    from pathlib import Path

    from veil.cli import app

    target = Path(str(tmp_path)) / "broken.xlsx"
    target.write_bytes(workbook[:300])
    result = CliRunner().invoke(app, ["check", str(target), "--format", "json"])
    assert result.exit_code == 1 and '"unverifiable"' in result.output and "Traceback" not in result.output


@settings(max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(min_value=0, max_value=10**9), junk=st.binary(min_size=1, max_size=16))
def test_mutated_workbooks_never_crash(workbook: bytes, position: int, junk: bytes) -> None:
    at = position % len(workbook)
    mutated = workbook[:at] + junk + workbook[at + len(junk):]
    started = time.perf_counter()
    units = list(read_blob(mutated, ReadContext(name="m.xlsx")))
    assert time.perf_counter() - started < SECONDS
    assert all("\n" not in u.reason for u in units if isinstance(u, Unreadable))


def test_styled_empty_rows_to_the_last_row_do_not_inflate_the_grid() -> None:
    wb = Workbook()
    ws = wb.active
    for row in range(1, 2001):
        ws.append([f"r{row}", row])
    ws.row_dimensions[1_048_576].height = 30  # a formatted but empty last row
    buf = io.BytesIO()
    wb.save(buf)
    started = time.perf_counter()
    units = list(read_blob(buf.getvalue(), ReadContext(name="styled.xlsx")))
    assert time.perf_counter() - started < SECONDS
    assert [t.frame.shape for t in units if isinstance(t, Table) and t.location.startswith("sheet '")] == [(2000, 2)]
