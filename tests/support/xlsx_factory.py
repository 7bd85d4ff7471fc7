"""Seeded factory of workbooks that hide synthetic people in one place each (one "vector" per workbook).

    from support.xlsx_factory import VECTORS, write_workbook, roster
    blob = write_workbook(None, vector="pivot_cache", people=50, seed=0)   # bytes
    write_workbook("out.xlsx", vector="hidden_sheet")                     # or a path / binary buffer

Every workbook has a visible "Summary" sheet of harmless counts by nationality; the people are hidden according to
the vector. `roster(people, seed)` gives the same people as rows (header first) so tests know what to look for.
All people are synthetic (Faker, seeded).
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import random
import re
import struct
import zipfile
from collections import Counter
from pathlib import Path
from typing import BinaryIO

import xlsxwriter
from faker import Faker
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.packaging.custom import StringProperty
from openpyxl.styles import Color, Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from support.vba_factory import BENIGN_MACRO, form_stream, roster_macro, vba_project_bin

HEADER = ["Name", "A-Number", "Date of Birth", "Country of Citizenship", "Facility", "Case Status"]
_COUNTRIES = ["Mexico", "Guatemala", "Honduras", "El Salvador", "Haiti", "Venezuela", "Russia", "China", "Iran",
              "Afghanistan"]
_FACILITIES = ["Otay Mesa Detention Center", "Stewart Detention Center", "Adelanto ICE Processing Center",
               "South Texas Family Residential Center", "Krome Service Processing Center"]
_STATUSES = ["Asylum pending", "Credible fear positive", "Withholding granted", "CAT deferral", "T visa applicant"]

VECTORS: tuple[str, ...] = (
    "visible", "hidden_sheet", "very_hidden_sheet", "hidden_rows", "tiny_rows", "hidden_columns", "autofilter",
    "far_column", "far_row", "white_text", "theme_white_text", "conditional_white_text", "font_matches_fill",
    "hidden_number_format", "white_rich_run", "black_box", "white_box", "comments", "threaded_comments",
    "defined_names", "data_validation", "header_footer", "doc_properties", "deleted_sheet_titles", "pivot_cache",
    "pivot_shared_items", "external_link", "chart_cache", "revision_log", "data_model", "power_query", "connections",
    "thumbnail", "formula_cache", "embedded_workbook", "orphan_strings", "unlisted_sheet", "ole_embedded_csv",
    "unknown_xml_part", "unknown_binary_part", "macros", "vba_roster", "vba_cells", "vba_comments", "vba_stomped",
    "vba_form", "sheet_names", "hidden_sheet_names", "chart_series_names", "conditional_formulas",
    "validation_formulas", "validation_prompts", "named_formula_literals", "custom_xml_records",
)


def roster(people: int = 50, seed: int = 0) -> list[list[object]]:
    """Header + one row per synthetic person: 'LAST, FIRST', A-number, date of birth, nationality, facility, status."""
    fake = Faker(["en_US", "es_MX"])
    fake.seed_instance(seed)
    rnd = random.Random(seed)
    rows: list[list[object]] = [list(HEADER)]
    for _ in range(people):
        name = f"{fake.last_name().upper()}, {fake.first_name().upper()}"
        a_number = f"A{rnd.randint(100_000_000, 249_999_999)}"
        born = dt.date(1950, 1, 1) + dt.timedelta(days=rnd.randint(0, 20_000))
        rows.append([name, a_number, born, rnd.choice(_COUNTRIES), rnd.choice(_FACILITIES), rnd.choice(_STATUSES)])
    return rows


def write_workbook(target: str | Path | BinaryIO | None, *, vector: str, people: int = 50, seed: int = 0) -> bytes:
    """Write a workbook hiding `people` synthetic people by `vector`; returns the bytes (and writes them to target)."""
    if vector not in VECTORS:
        raise ValueError(f"unknown vector {vector!r}; choose one of {', '.join(VECTORS)}")
    rows = roster(people, seed)
    blob = _BUILDERS.get(vector, _openpyxl_vector)(vector, rows, seed)
    if isinstance(target, (str, Path)):
        Path(target).write_bytes(blob)
    elif target is not None:
        target.write(blob)
    return blob


# --- openpyxl-built vectors ------------------------------------------------------------------------------------

def _summary(wb: Workbook, rows: list[list[object]]) -> None:
    ws = wb.active
    ws.title = "Summary"
    ws.append(["Country of Citizenship", "People in detention"])
    for country, count in sorted(Counter(str(r[3]) for r in rows[1:]).items()):
        ws.append([country, count * 100])


def _save(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _openpyxl_vector(vector: str, rows: list[list[object]], seed: int) -> bytes:
    wb = Workbook()
    _summary(wb, rows)
    summary = wb["Summary"]
    if vector in ("visible", "hidden_sheet", "very_hidden_sheet", "hidden_rows", "tiny_rows", "hidden_columns",
                  "autofilter", "comments", "defined_names", "doc_properties", "header_footer"):
        ws = wb.create_sheet("Roster")
        for row in rows:
            ws.append(row)
        if vector == "hidden_sheet":
            ws.sheet_state = "hidden"
        elif vector == "very_hidden_sheet":
            ws.sheet_state = "veryHidden"
        elif vector == "hidden_rows":
            for r in range(2, len(rows) + 1):
                ws.row_dimensions[r].hidden = True
        elif vector == "tiny_rows":
            for r in range(2, len(rows) + 1):
                ws.row_dimensions[r].height = 0.5
        elif vector == "hidden_columns":
            for letter in "ABC":
                ws.column_dimensions[letter].hidden = True
        elif vector == "autofilter":
            ws.auto_filter.ref = f"A1:F{len(rows)}"
            ws.auto_filter.add_filter_column(5, ["Closed"])
            for r in range(2, len(rows) + 1):
                ws.row_dimensions[r].hidden = True
        if vector in ("comments", "defined_names", "doc_properties", "header_footer"):
            wb.remove(ws)  # these vectors keep the people out of the cells
    if vector == "comments":
        for i, row in enumerate(rows[1:6], start=2):
            summary.cell(row=i, column=1).comment = Comment(f"Case of {row[0]} ({row[1]}), born {row[2]}",
                                                            "Case Officer")
    elif vector == "defined_names":
        for i, row in enumerate(rows[1:6], start=1):
            wb.defined_names[f"Witness{i}"] = DefinedName(f"Witness{i}", attr_text=f'"{row[0]} {row[1]}"')
        hidden = wb.create_sheet("Lookup")
        for row in rows:
            hidden.append(row)
        hidden.sheet_state = "hidden"
        wb.defined_names["People"] = DefinedName("People", attr_text=f"Lookup!$A$1:$F${len(rows)}")
    elif vector == "data_validation":
        names = ",".join(str(r[0]).replace(",", "") for r in rows[1:6])
        dv = DataValidation(type="list", formula1=f'"{names}"')
        summary.add_data_validation(dv)
        dv.add("D2")
    elif vector == "header_footer":
        row = rows[1]
        summary.oddHeader.center.text = f"Prepared for the hearing of {row[0]} {row[1]}"
        summary.oddFooter.left.text = f"Witness: {rows[2][0]} {rows[2][1]}"
    elif vector == "doc_properties":
        wb.properties.creator = "Records Unit"
        wb.properties.title = f"Case file {rows[1][0]} {rows[1][1]}"
        wb.properties.description = f"Detainee {rows[2][0]}, {rows[2][1]}, born {rows[2][2]}"
        wb.custom_doc_props.append(StringProperty(name="Subject", value=f"{rows[3][0]} {rows[3][1]}"))
    elif vector in ("far_column", "far_row"):
        r0, c0 = (1, 702) if vector == "far_column" else (900_000, 1)
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                summary.cell(row=r0 + i, column=c0 + j, value=value)
    elif vector == "conditional_white_text":
        start = summary.max_row + 3
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                summary.cell(row=start + i, column=1 + j, value=value)
        end = f"{chr(64 + len(rows[0]))}{start + len(rows) - 1}"
        summary.conditional_formatting.add(f"A{start}:{end}", FormulaRule(formula=["TRUE"],
                                                                          font=Font(color="FFFFFF")))
    elif vector in ("white_text", "theme_white_text", "font_matches_fill", "hidden_number_format"):
        font = {"white_text": Font(color="FFFFFF"), "theme_white_text": Font(color=Color(theme=0))}.get(
            vector, Font(color="DDEBF7"))  # theme 0 is 'Background 1': white in the default theme
        fill = PatternFill("solid", fgColor="DDEBF7") if vector == "font_matches_fill" else None
        start = summary.max_row + 3
        for i, row in enumerate(rows):
            for j, value in enumerate(row):
                cell = summary.cell(row=start + i, column=1 + j, value=value)
                if vector == "hidden_number_format":
                    cell.number_format = ";;;"
                else:
                    cell.font = font
                    if fill is not None:
                        cell.fill = fill
    return _finish(vector, _save(wb), rows, seed)


def _finish(vector: str, blob: bytes, rows: list[list[object]], seed: int) -> bytes:
    """Vectors that openpyxl cannot write: parts added to the saved package."""
    people = rows[1:]
    if vector == "threaded_comments":
        return add_parts(blob, {
            "xl/threadedComments/threadedComment1.xml": _threaded(people[:5]),
            "xl/persons/person.xml": _xml('<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/'
                                          '2018/threadedcomments"><person displayName="Case Officer" id="{P1}" '
                                          'userId="officer" providerId="None"/></personList>'),
        }, sheet_rels={"xl/worksheets/sheet1.xml": [("threadedComment", "../threadedComments/threadedComment1.xml")]})
    if vector == "deleted_sheet_titles":
        app = _xml('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
                   'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><TitlesOfParts>'
                   '<vt:vector size="2" baseType="lpstr"><vt:lpstr>Summary</vt:lpstr>'
                   f'<vt:lpstr>{_esc(people[0][0])} {people[0][1]}</vt:lpstr></vt:vector></TitlesOfParts>'
                   '</Properties>')
        return add_parts(blob, {"docProps/app.xml": app})
    if vector == "pivot_cache":
        definition, records = _pivot(rows, with_records=True)
        return add_parts(blob, {"xl/pivotCache/pivotCacheDefinition1.xml": definition,
                                 "xl/pivotCache/pivotCacheRecords1.xml": records,
                                 "xl/pivotCache/_rels/pivotCacheDefinition1.xml.rels": _rels(
                                     [("pivotCacheRecords", "pivotCacheRecords1.xml")])})
    if vector == "pivot_shared_items":
        definition, _ = _pivot(rows, with_records=False)
        return add_parts(blob, {"xl/pivotCache/pivotCacheDefinition1.xml": definition})
    if vector == "external_link":
        return add_parts(blob, {"xl/externalLinks/externalLink1.xml": _external(rows),
                                 "xl/externalLinks/_rels/externalLink1.xml.rels": _rels(
                                     [("externalLinkPath", "file:///S:/cases/roster.xlsx", True)])})
    if vector == "chart_cache":
        return add_parts(blob, {"xl/charts/chart1.xml": _chart(people)})
    if vector == "revision_log":
        return add_parts(blob, {"xl/revisions/revisionHeaders.xml": _xml(
            '<headers xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" guid="{G}">'
            '<header guid="{H}" dateTime="2024-01-01T00:00:00" maxSheetId="2" userName="Records Unit" r:id="rId1" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"/></headers>'),
            "xl/revisions/revisionLog1.xml": _revisions(rows)})
    if vector == "data_model":
        return add_parts(blob, {"xl/model/item.data": random.Random(seed).randbytes(4096)})
    if vector == "power_query":
        return add_parts(blob, {"customXml/item1.xml": _mashup(people[:10])})
    if vector == "connections":
        return add_parts(blob, {"xl/connections.xml": _xml(
            '<connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><connection id="1" '
            f'name="Detainees where name = {_esc(people[0][0])}" type="1"><dbPr connection="DSN=cases" '
            f'command="SELECT * FROM detainees WHERE anumber = \'{people[0][1]}\'"/></connection></connections>'),
            "xl/queryTables/queryTable1.xml": _xml(
                '<queryTable xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" name="Detainees" '
                'connectionId="1"><queryTableRefresh><queryTableFields count="2">'
                f'<queryTableField id="1" name="Name"/><queryTableField id="2" name="{_esc(people[1][0])}"/>'
                '</queryTableFields></queryTableRefresh></queryTable>')})
    if vector == "thumbnail":
        return add_parts(blob, {"docProps/thumbnail.jpeg": b"\xff\xd8\xff\xe0" + bytes(64)})
    if vector == "embedded_workbook":
        inner = write_workbook(None, vector="visible", people=len(people), seed=seed)
        return add_parts(blob, {"xl/embeddings/Microsoft_Excel_Worksheet1.xlsx": inner})
    if vector == "orphan_strings":
        return _orphans(blob, people)
    if vector == "ole_embedded_csv":  # how Excel embeds a non-Office file: OLE Packager, \x01Ole10Native stream
        csv = "\n".join(",".join(f'"{v}"' for v in row) for row in rows).encode()
        return add_parts(blob, {"xl/embeddings/oleObject1.bin": ole_file("\x01Ole10Native", _ole10(csv))})
    if vector == "unlisted_sheet":  # a roster sheet's part left behind after the workbook stopped listing it
        roster_sheet = zipfile.ZipFile(io.BytesIO(write_workbook(None, vector="visible", people=len(people),
                                                                 seed=seed))).read("xl/worksheets/sheet2.xml")
        return add_parts(blob, {"xl/worksheets/sheet9.xml": roster_sheet})
    if vector == "unknown_xml_part":
        body = "".join(f"<p>{_esc(p[0])} {p[1]}</p>" for p in people)
        return add_parts(blob, {"xl/custom/people.xml": _xml(f"<people>{body}</people>")})
    if vector == "unknown_binary_part":
        body = b"\x00\x01".join(f"{p[0]} {p[1]}".encode() for p in people)
        return add_parts(blob, {"xl/custom/people.bin": b"\x00\x00\x7f" + body})
    if vector == "macros":  # a workbook with an ordinary macro: nothing personal in it
        return add_parts(blob, {"xl/vbaProject.bin": vba_project_bin({"Module1": BENIGN_MACRO})})
    if vector.startswith("vba_"):
        return add_parts(blob, {"xl/vbaProject.bin": _vba(vector, people)})
    return blob


def _sheet_per_person(vector: str, rows: list[list[object]], seed: int) -> bytes:
    """One sheet per detainee, named after them, each headed "Credible fear detention log" with case notes that
    name nobody: the names are only in the sheet tabs (hidden tabs for `hidden_sheet_names`)."""
    wb = Workbook()
    _summary(wb, rows)
    for person in rows[1:]:
        ws = wb.create_sheet(str(person[0])[:31].replace(",", ""))
        ws.append(["Credible fear detention log"])
        ws.append(["Interview", "2024-03-01", "Officer notes pending"])
        if vector == "hidden_sheet_names":
            ws.sheet_state = "hidden"
    return _save(wb)


def _formula_vectors(vector: str, rows: list[list[object]], seed: int) -> bytes:
    """People written inside formulas and rules, never in a cell: conditional-format rules, validation formulas
    and messages, defined-name formulas, and chart series names typed into a chart."""
    people = rows[1:]
    wb = Workbook()
    _summary(wb, rows)
    summary = wb["Summary"]
    if vector == "conditional_formulas":
        for i, p in enumerate(people, start=2):
            rule = FormulaRule(formula=[f'AND($A{i}="{p[0]}",$B{i}="{p[1]}",$C{i}="{p[5]}")'],
                               font=Font(bold=True))
            summary.conditional_formatting.add(f"A{i}:F{i}", rule)
    elif vector == "validation_formulas":
        for i, p in enumerate(people, start=2):
            dv = DataValidation(type="custom", formula1=f'OR(A{i}="{p[0]}",B{i}="{p[1]}")')
            summary.add_data_validation(dv)
            dv.add(f"D{i}")
    elif vector == "validation_prompts":
        for i, p in enumerate(people, start=2):
            dv = DataValidation(type="whole", formula1="0", showInputMessage=True, promptTitle="Detainee",
                                prompt=f"{p[0]} ({p[1]}), born {p[2]}: {p[5]}")
            summary.add_data_validation(dv)
            dv.add(f"E{i}")
    elif vector == "named_formula_literals":
        for i, p in enumerate(people, start=1):
            wb.defined_names[f"Case{i}"] = DefinedName(
                f"Case{i}", attr_text=f'IF(Summary!$B$2>0,"{p[0]} {p[1]} {p[5]}","")')
    blob = _save(wb)
    if vector == "chart_series_names":
        return add_parts(blob, {"xl/charts/chart1.xml": _typed_series_chart(people)})
    if vector == "custom_xml_records":
        body = "".join(f"<detainee><name>{_esc(p[0])}</name><anumber>{p[1]}</anumber><dob>{p[2]}</dob>"
                       f"<status>{_esc(p[5])}</status></detainee>" for p in people)
        return add_parts(blob, {"customXml/item1.xml": _xml(f'<caseData xmlns="urn:example:cases">{body}</caseData>')})
    return blob


def _typed_series_chart(people: list[list[object]]) -> bytes:
    series = "".join(
        f'<c:ser><c:idx val="{i}"/><c:tx><c:v>{_esc(p[0])} {p[1]}</c:v></c:tx><c:val><c:numLit><c:ptCount val="1"/>'
        f'<c:pt idx="0"><c:v>{i + 1}</c:v></c:pt></c:numLit></c:val></c:ser>' for i, p in enumerate(people))
    return _xml('<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
                'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><c:chart><c:title><c:tx><c:rich>'
                '<a:p><a:r><a:t>Credible fear interviews pending</a:t></a:r></a:p></c:rich></c:tx></c:title>'
                f'<c:plotArea><c:barChart>{series}</c:barChart></c:plotArea></c:chart></c:chartSpace>')


def _vba(vector: str, people: list[list[object]]) -> bytes:
    """A VBA project carrying the people: typed into the code (array, cell assignments, comments), left in the
    compiled code of a module whose source was replaced, or as a UserForm's list items."""
    if vector == "vba_stomped":
        strings = b"".join(f"{p[0]} {p[1]} {p[5]}".encode("cp1252") + b"\x00\x00" for p in people)
        return vba_project_bin({"Module1": BENIGN_MACRO}, pcode={"Module1": b"\x00\x01" + strings})
    if vector == "vba_form":
        return vba_project_bin({"Module1": BENIGN_MACRO},
                               forms={"UserForm1": form_stream([f"{p[0]} {p[1]}" for p in people])})
    style = {"vba_roster": "array", "vba_cells": "cells", "vba_comments": "comments"}[vector]
    return vba_project_bin({"Module1": BENIGN_MACRO, "Roster": roster_macro(people, style)})


# --- xlsxwriter-built vectors ----------------------------------------------------------------------------------

def _formula_cache(vector: str, rows: list[list[object]], seed: int) -> bytes:
    """A visible sheet whose formulas show the people of a hidden sheet (cached values travel with the file)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    shown = wb.add_worksheet("Summary")
    data = wb.add_worksheet("Data")
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            data.write(i, j, str(value))
            col = xlsxwriter.utility.xl_col_to_name(j)
            shown.write_formula(i, j, f"=Data!{col}{i + 1}", None, str(value))
    shown.write_formula(len(rows) + 2, 0, "=[1]Sheet1!A1", None, "external")
    data.hide()
    wb.close()
    return buf.getvalue()


def _box_over_roster(vector: str, rows: list[list[object]], seed: int) -> bytes:
    """The spreadsheet 'redaction': a filled rectangle drawn over the roster's cells (their values stay)."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Summary")
    counts = sorted(Counter(str(r[3]) for r in rows[1:]).items())
    ws.write_row(0, 0, ["Country of Citizenship", "People in detention"])
    for i, (country, count) in enumerate(counts, start=1):
        ws.write_row(i, 0, [country, count * 100])
    start = len(counts) + 3
    for i, row in enumerate(rows):
        ws.write_row(start + i, 0, [str(v) for v in row])
    colour = "#000000" if vector == "black_box" else "#FFFFFF"
    ws.insert_textbox(start, 0, "", {"width": 64 * len(rows[0]), "height": 20 * len(rows),
                                     "fill": {"color": colour}, "line": {"none": True}})
    wb.close()
    return buf.getvalue()


def _white_rich_run(vector: str, rows: list[list[object]], seed: int) -> bytes:
    """Part of a cell's text written in white: 'Total' shows, the names after it do not."""
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Summary")
    white = wb.add_format({"font_color": "#FFFFFF"})
    for i, row in enumerate(rows[1:6]):
        ws.write_rich_string(i, 0, "Total ", white, f"{row[0]} {row[1]}")
        ws.write_number(i, 1, 100 + i)
    wb.close()
    return buf.getvalue()


_BUILDERS = {"formula_cache": _formula_cache, "black_box": _box_over_roster, "white_box": _box_over_roster,
             "white_rich_run": _white_rich_run, "sheet_names": _sheet_per_person,
             "hidden_sheet_names": _sheet_per_person, "chart_series_names": _formula_vectors,
             "conditional_formulas": _formula_vectors, "validation_formulas": _formula_vectors,
             "validation_prompts": _formula_vectors, "named_formula_literals": _formula_vectors,
             "custom_xml_records": _formula_vectors}


# --- raw parts -------------------------------------------------------------------------------------------------

def _xml(body: str) -> bytes:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body).encode()


def _esc(value: object) -> str:
    return str(value).replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def _rels(items: list[tuple[str, str] | tuple[str, str, bool]]) -> bytes:
    body = ""
    for i, item in enumerate(items, start=1):
        kind, target = item[0], item[1]
        mode = ' TargetMode="External"' if len(item) > 2 and item[2] else ""
        body += (f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 f'relationships/{kind}" Target="{_esc(target)}"{mode}/>')
    return _xml(f'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{body}'
                '</Relationships>')


def add_parts(blob: bytes, parts: dict[str, bytes],
               sheet_rels: dict[str, list[tuple[str, str]]] | None = None) -> bytes:
    """Copy a package, replacing or adding parts (and relationships of sheets)."""
    src = zipfile.ZipFile(io.BytesIO(blob))
    for sheet, extra in (sheet_rels or {}).items():
        folder, base = sheet.rsplit("/", 1)
        name = f"{folder}/_rels/{base}.rels"
        existing = src.read(name).decode() if name in src.namelist() else ""
        items = re.findall(r'Type="[^"]*/([^"/]+)" Target="([^"]+)"', existing)
        parts[name] = _rels([*items, *extra])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in parts:
                dst.writestr(info.filename, src.read(info.filename))
        for name, data in parts.items():
            dst.writestr(name, data)
    return out.getvalue()


def _threaded(people: list[list[object]]) -> bytes:
    body = "".join(f'<threadedComment ref="A{i}" dT="2024-01-01T00:00:00" personId="{{P1}}" id="{{C{i}}}">'
                   f"<text>Interviewed {_esc(p[0])} ({p[1]}) today</text></threadedComment>"
                   for i, p in enumerate(people, start=2))
    return _xml('<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
                f"{body}</ThreadedComments>")


def _pivot(rows: list[list[object]], *, with_records: bool) -> tuple[bytes, bytes]:
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    fields = ""
    items: list[list[str]] = []
    for j, name in enumerate(HEADER):
        values = sorted({str(r[j]) for r in rows[1:]})
        items.append(values)
        shared = "".join(f'<s v="{_esc(v)}"/>' for v in values)
        fields += f'<cacheField name="{name}" numFmtId="0"><sharedItems count="{len(values)}">{shared}' \
                  '</sharedItems></cacheField>'
    definition = _xml(f'<pivotCacheDefinition {ns} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/'
                      f'relationships" r:id="rId1" recordCount="{len(rows) - 1}"><cacheSource type="worksheet">'
                      f'<worksheetSource ref="A1:F{len(rows)}" sheet="Roster"/></cacheSource>'
                      f'<cacheFields count="{len(HEADER)}">{fields}</cacheFields></pivotCacheDefinition>')
    body = "".join("<r>" + "".join(f'<x v="{items[j].index(str(v))}"/>' for j, v in enumerate(r)) + "</r>"
                   for r in rows[1:])
    records = _xml(f'<pivotCacheRecords {ns} count="{len(rows) - 1}">{body}</pivotCacheRecords>')
    return definition, (records if with_records else b"")


def _external(rows: list[list[object]]) -> bytes:
    cells = ""
    for i, row in enumerate(rows, start=1):
        cells += f'<row r="{i}">' + "".join(
            f'<cell r="{xlsxwriter.utility.xl_col_to_name(j)}{i}" t="str"><v>{_esc(v)}</v></cell>'
            for j, v in enumerate(row)) + "</row>"
    return _xml('<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
                '<externalBook r:id="rId1"><sheetNames><sheetName val="Roster"/></sheetNames><sheetDataSet>'
                f'<sheetData sheetId="0">{cells}</sheetData></sheetDataSet></externalBook></externalLink>')


def _chart(people: list[list[object]]) -> bytes:
    cats = "".join(f'<c:pt idx="{i}"><c:v>{_esc(p[0])}</c:v></c:pt>' for i, p in enumerate(people))
    ids = "".join(f'<c:pt idx="{i}"><c:v>{p[1]}</c:v></c:pt>' for i, p in enumerate(people))
    vals = "".join(f'<c:pt idx="{i}"><c:v>{1990 - i}</c:v></c:pt>' for i, _ in enumerate(people))
    n = len(people)
    return _xml(
        '<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><c:chart><c:plotArea><c:barChart>'
        '<c:ser><c:idx val="0"/><c:tx><c:strRef><c:f>Deleted!$B$1</c:f><c:strCache><c:ptCount val="1"/>'
        '<c:pt idx="0"><c:v>Year of birth</c:v></c:pt></c:strCache></c:strRef></c:tx>'
        f'<c:cat><c:multiLvlStrRef><c:f>Deleted!$A$2:$B${n + 1}</c:f><c:multiLvlStrCache><c:ptCount val="{n}"/>'
        f'<c:lvl>{cats}</c:lvl><c:lvl>{ids}</c:lvl></c:multiLvlStrCache></c:multiLvlStrRef></c:cat>'
        f'<c:val><c:numRef><c:f>Deleted!$C$2:$C${n + 1}</c:f><c:numCache><c:ptCount val="{n}"/>{vals}'
        '</c:numCache></c:numRef></c:val></c:ser></c:barChart></c:plotArea></c:chart></c:chartSpace>')


def _revisions(rows: list[list[object]]) -> bytes:
    body = ""
    for i, row in enumerate(rows, start=1):
        cells = "".join(f'<rcc rId="{i * 10 + j}" sId="2"><nc r="{xlsxwriter.utility.xl_col_to_name(j)}{i}" '
                        f't="inlineStr"><is><t>{_esc(v)}</t></is></nc></rcc>' for j, v in enumerate(row))
        body += f'<rrc rId="{i}" sId="2" ref="A{i}:XFD{i}" action="deleteRow">{cells}</rrc>'
    return _xml(f'<revisions xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{body}</revisions>')


def _mashup(people: list[list[object]]) -> bytes:
    records = ", ".join(f'[Name="{p[0]}", ANumber="{p[1]}"]' for p in people)
    code = f"section Section1;\nshared Roster = Table.FromRecords({{{records}}});\n"
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("Formulas/Section1.m", code)
    package = inner.getvalue()
    payload = struct.pack("<II", 0, len(package)) + package + struct.pack("<I", 0)
    encoded = base64.b64encode(payload).decode()
    return _xml(f'<DataMashup xmlns="http://schemas.microsoft.com/DataMashup">{encoded}</DataMashup>')


def _orphans(blob: bytes, people: list[list[object]]) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(blob))
    if "xl/sharedStrings.xml" in src.namelist():
        sst = src.read("xl/sharedStrings.xml").decode()
    else:  # openpyxl writes inline strings: a table no cell uses is what some tools leave behind
        sst = '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"></sst>'
    extra = "".join(f"<si><t>{_esc(p[0])} {p[1]}</t></si>" for p in people)
    sst = re.sub(r"</sst>\s*$", extra + "</sst>", sst)
    return add_parts(blob, {"xl/sharedStrings.xml": sst.encode()})


def nested_workbook(depth: int, people: int = 5, seed: int = 0) -> bytes:
    """A workbook embedding a workbook embedding ... `depth` levels deep (the innermost holds a roster)."""
    blob = write_workbook(None, vector="visible", people=people, seed=seed)
    for _ in range(depth):
        blob = add_parts(write_workbook(None, vector="thumbnail", people=people, seed=seed),
                          {"xl/embeddings/inner.xlsx": blob})
    return blob


def big_roster(rows: int = 6252, seed: int = 1) -> bytes:
    """A plain one-sheet roster of `rows` people x 8 columns (dates as real Excel dates), for timing the reader.
    People repeat after 6,252 so large sizes stay cheap to generate."""
    people = roster(min(rows, 6252), seed=seed)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = wb.add_worksheet("Roster")
    date = wb.add_format({"num_format": "yyyy-mm-dd"})
    ws.write_row(0, 0, [*people[0], "Book-in Date", "Bed"])
    for r in range(1, rows + 1):
        person = people[(r - 1) % (len(people) - 1) + 1]
        ws.write_row(r, 0, person[:2])
        ws.write_datetime(r, 2, person[2], date)
        ws.write_row(r, 3, person[3:])
        ws.write_datetime(r, 6, person[2], date)
        ws.write_number(r, 7, r)
    wb.close()
    return buf.getvalue()


def _ole10(payload: bytes, name: str = "roster.csv") -> bytes:
    """The OLE Packager's \\x01Ole10Native stream: size, flags, label, source path, two longs, temp path, data."""
    body = (b"\x02\x00" + name.encode() + b"\x00" + f"C:\\cases\\{name}".encode() + b"\x00" + b"\x00\x00\x03\x00"
            + struct.pack("<I", 20) + f"C:\\Temp\\{name}".encode() + b"\x00" + struct.pack("<I", len(payload))
            + payload)
    return struct.pack("<I", len(body)) + body


def ole_file(stream: str, data: bytes) -> bytes:
    """A minimal OLE compound file (CFB v3) holding one stream, enough for olefile (no writer exists on PyPI)."""
    sector = 512
    data = data + bytes(max(0, 4096 - len(data)))  # at least the mini-stream cutoff: a plain FAT chain
    n_data = -(-len(data) // sector)
    if n_data > 120:
        raise ValueError("ole_file keeps to one FAT sector: stream too large")
    end, free, fat_sect, nostream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    # sector 0 is the FAT, 1 the directory, 2.. the stream (each pointing at the next)
    fat = [fat_sect, end] + [3 + i if i < n_data - 1 else end for i in range(n_data)]
    fat += [free] * (128 - len(fat))
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + bytes(6) + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)

    def entry(name: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00" if name else b""
        return (raw.ljust(64, b"\x00") + struct.pack("<HBB", len(raw), kind, 1 if kind else 0)
                + struct.pack("<III", nostream, nostream, child) + bytes(16) + struct.pack("<I", 0) + bytes(16)
                + struct.pack("<IQ", start, size))

    directory = (entry("Root Entry", 5, 1, end, 0) + entry(stream, 2, nostream, 2, len(data))
                 + entry("", 0, nostream, 0, 0) * 2)
    body = struct.pack("<128I", *fat) + directory + data.ljust(n_data * sector, b"\x00")
    return header + body
