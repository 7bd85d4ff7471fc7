"""Seeded legacy and binary workbooks for tests: .xls (xlwt), .ods (hand-written OpenDocument XML) and .xlsb
(hand-written BIFF12 records), each with a visible summary, a roster with hidden rows/columns, and hidden sheets.

    make_xls(), make_ods(), make_xlsb(comment="...")   -> bytes
"""

from __future__ import annotations

import io
import struct
import zipfile

import xlwt
from faker import Faker


def people(n: int = 6, seed_: int = 11) -> list[list[str]]:
    fake = Faker("en_GB")
    fake.seed_instance(seed_)
    rows = [["Name", "Date of birth", "Nationality"]]
    rows += [[fake.name(), fake.date_of_birth().isoformat(), fake.country()] for _ in range(n)]
    return rows



def make_xls(*, hidden_row: int | None = 2, hidden_col: int | None = 2, header: str = "") -> bytes:
    book = xlwt.Workbook()
    visible = book.add_sheet("Summary")
    visible.write(0, 0, "Region")
    visible.write(0, 1, "Cases")
    visible.write(1, 0, "North")
    visible.write(1, 1, 12)
    roster = book.add_sheet("Roster")
    for r, row in enumerate(people()):
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
    for r, row in enumerate(people(4, seed_=3)):
        for c, value in enumerate(row):
            very.write(r, c, value)
    very.visibility = 2
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()



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


def ods_row(values: list[object], attrs: str = "") -> str:
    return f"<table:table-row{attrs}>" + "".join(_ods_cell(v) for v in values) + "</table:table-row>"


def make_ods(*, encrypted: bool = False, extra_table: str = "") -> bytes:
    crowd = people()
    roster_rows = [ods_row(crowd[0])]
    for i, row in enumerate(crowd[1:], start=1):
        attrs = ' table:visibility="collapse"' if i == 2 else ' table:visibility="filter"' if i == 4 else ""
        roster_rows.append(ods_row(row, attrs))
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
  {ods_row(["Region", "Cases"])}{ods_row(["North", 12])}
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



def biff12_record(kind: int, data: bytes = b"") -> bytes:
    """One BIFF12 record: its type and size as variable-length integers, then the data."""
    out = bytearray([kind] if kind < 128 else [(kind & 0x7F) | 0x80, kind >> 7])
    size = len(data)
    while True:
        byte, size = size & 0x7F, size >> 7
        out.append(byte | (0x80 if size else 0))
        if not size:
            return bytes(out) + data


_rec = biff12_record


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
              ("Roster", 0, people(), {2}, {1}),
              ("Deep", 2, people(3, seed_=5), set(), set())]
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
