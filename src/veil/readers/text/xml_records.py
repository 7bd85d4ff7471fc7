"""Generic XML (exports, SDMX, KML/GPX, RSS, ...) and Excel 2003 XML spreadsheets.

An element is a record: its attributes (`@id`) and its children are its fields. The tree is handed to the JSON
reader's walk in the same shape as JSON (text/json_records.py `document_units`), so the same rules hold:

    <Cases><Case id="1"><Name>Jose Garcia</Name><DOB>1990-03-04</DOB></Case><Case>...</Case></Cases>
      -> Table "/Cases.Case (2 records)", header ["@id", "Name", "DOB"]   (repeated elements are rows)
    <Applicant><Name>Jose Garcia</Name><Claim><Type>asylum</Type></Claim></Applicant>
      -> Text "/Applicant": "name: Jose Garcia; claim type: asylum"    (one element, one sentence)

Names are local (namespaces dropped). Comments are Text (markup-comment). SpreadsheetML (`<Workbook
xmlns="urn:schemas-microsoft-com:office:spreadsheet">`, what "XML Spreadsheet 2003" writes) is read as a
workbook: one Table per worksheet with column letters, `ss:Index` gaps kept, hidden rows, hidden columns and hidden
worksheets marked, cell comments as Text. Parsing is safexml's: no DTD, no entities, no network; past
MAX_XML_BYTES (Python objects for every element) or MAX_ELEMENTS the file is unverifiable.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import polars as pl
from lxml import etree

from veil.readers.limits import LimitExceeded
from veil.readers.registry import ReadContext
from veil.readers.safexml import local, parse
from veil.readers.text.json_records import document_units
from veil.readers.units import Notice, Table, Text, Unit, Visibility

MAX_XML_BYTES = 128 * 1024 * 1024
MAX_ELEMENTS = 5_000_000
_SS = "urn:schemas-microsoft-com:office:spreadsheet"
_MAX_COLUMNS = 16_384


def read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    if len(blob) > MAX_XML_BYTES:
        raise LimitExceeded(f"XML files over {MAX_XML_BYTES // (1024 * 1024)} MB are not read")
    root = parse(blob, "the XML file", ctx.budget.limits.max_xml_bytes)
    if sum(1 for _ in root.iter()) > MAX_ELEMENTS:
        raise LimitExceeded(f"the XML file has more than {MAX_ELEMENTS} elements")
    if local(root.tag) == "Workbook" and root.nsmap.get(None) == _SS:
        yield from _spreadsheet(root, ctx)
        return
    comments: list[str] = []
    document = _value(root, comments)
    yield from document_units(document, ctx, root=f"/{local(root.tag)}")
    if comments:
        yield Text("comments", Visibility.MARKUP_COMMENT, "\n".join(comments))


def _value(element: Any, comments: list[str]) -> Any:
    """An element as JSON would hold it: a string for a leaf, else a dict of attributes, children and text."""
    fields: dict[str, Any] = {f"@{local(k)}": v for k, v in element.attrib.items()}
    texts = [element.text.strip()] if element.text and element.text.strip() else []
    children: dict[str, list[Any]] = {}
    for child in element:
        if child.tail and child.tail.strip():
            texts.append(child.tail.strip())
        if child.tag is etree.Comment:
            comments.append(str(child.text or "").strip())
        elif isinstance(child.tag, str):  # not a processing instruction
            children.setdefault(local(child.tag), []).append(_value(child, comments))
    # An element never becomes a list by itself, so a list always means repeated elements (rows).
    fields.update((key, values[0] if len(values) == 1 else values) for key, values in children.items())
    if not fields:
        return " ".join(texts)
    if texts:
        fields["#text"] = " ".join(texts)
    return fields


# --- Excel 2003 XML -----------------------------------------------------------------------------------------------


def _ss(name: str) -> str:
    return f"{{{_SS}}}{name}"


def _spreadsheet(root: Any, ctx: ReadContext) -> Iterator[Unit]:
    for number, sheet in enumerate(root.iter(_ss("Worksheet")), start=1):
        ctx.budget.check_time()
        name = sheet.get(_ss("Name")) or f"Sheet{number}"
        options = sheet.find("{urn:schemas-microsoft-com:office:excel}WorksheetOptions")
        shown = options.findtext("{urn:schemas-microsoft-com:office:excel}Visible") if options is not None else None
        visibility = {"SheetHidden": Visibility.HIDDEN_SHEET, "SheetVeryHidden": Visibility.VERY_HIDDEN_SHEET
                      }.get(shown or "", Visibility.VISIBLE)
        where = f"sheet '{name}' (XML spreadsheet)"
        table = sheet.find(_ss("Table"))
        if table is None:
            continue
        rows, hidden_rows, hidden_columns, comments = _grid(table, ctx)
        width = max((len(r) for r in rows), default=0)
        if width == 0:
            continue
        frame = pl.DataFrame({f"c{i}": [r[i] if i < len(r) else None for r in rows] for i in range(width)},
                             schema={f"c{i}": pl.String for i in range(width)})
        yield Table(location=where, visibility=visibility, frame=frame, hidden_rows=frozenset(hidden_rows),
                    hidden_columns=frozenset(c for c in hidden_columns if c < width),
                    column_labels=[_letters(i) for i in range(width)])
        if visibility is not Visibility.VISIBLE:
            yield Notice(where, visibility, "the worksheet is hidden")
        if hidden_rows or hidden_columns:
            yield Notice(where, Visibility.HIDDEN_ROW if hidden_rows else Visibility.HIDDEN_COLUMN,
                         f"{len(hidden_rows)} hidden row(s), {len(hidden_columns)} hidden column(s)")
        if comments:
            yield Text(f"{where} comments", Visibility.COMMENT, "\n".join(comments))


def _grid(table: Any, ctx: ReadContext) -> tuple[list[list[str | None]], set[int], set[int], list[str]]:
    rows: list[list[str | None]] = []
    hidden_rows: set[int] = set()
    hidden_columns: set[int] = set()
    comments: list[str] = []
    column = 0
    for col in table.iter(_ss("Column")):
        column = _index(col, column)
        if col.get(_ss("Hidden")) == "1":
            hidden_columns.update(range(column, column + 1 + int(col.get(_ss("Span")) or 0)))
        column += int(col.get(_ss("Span")) or 0) + 1
    cells = 0
    for row in table.iter(_ss("Row")):
        index = _index(row, len(rows))
        while len(rows) < index:
            rows.append([])
        values: list[str | None] = []
        for cell in row.iter(_ss("Cell")):
            at = _index(cell, len(values))
            if at >= _MAX_COLUMNS:
                raise LimitExceeded("a row of the XML spreadsheet is wider than any spreadsheet")
            values.extend([None] * (at - len(values)))
            data = cell.find(_ss("Data"))
            text = "".join(data.itertext()).strip() if data is not None else ""
            values.append(text or None)
            values.extend([None] * int(cell.get(_ss("MergeAcross")) or 0))
            note = cell.find(_ss("Comment"))
            if note is not None:
                comments.append(f"comment on {_letters(at)}{index + 1}: {' '.join(''.join(note.itertext()).split())}")
        cells += len(values)
        if cells > ctx.budget.limits.max_cells:
            raise LimitExceeded(f"the XML spreadsheet has more than {ctx.budget.limits.max_cells} cells")
        if row.get(_ss("Hidden")) == "1":
            hidden_rows.add(index)
        rows.append(values)
    return rows, hidden_rows, hidden_columns, comments


def _index(element: Any, following: int) -> int:
    """ss:Index is 1-based and skips ahead; without it an element follows the one before."""
    value = element.get(_ss("Index"))
    return int(value) - 1 if value and value.isdigit() and int(value) > following else following


def _letters(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name
