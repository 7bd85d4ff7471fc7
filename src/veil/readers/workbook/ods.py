"""OpenDocument spreadsheets (.ods): every table (hidden ones too), collapsed and filtered rows and columns, cell
annotations, shapes, charts' own data, headers/footers, document properties and embedded objects.

Cell values are read from content.xml by Veil itself rather than through calamine, so that the rows and columns
line up exactly with the visibility flags read from the same elements, and so that far-flung cells cannot make a
dense grid explode.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import polars as pl
from lxml import etree

from veil.readers.limits import LimitExceeded
from veil.readers.office.vba import read_basic_part
from veil.readers.registry import ReadContext
from veil.readers.safexml import local, parse
from veil.readers.safezip import SafeZip
from veil.readers.units import Notice, Text, Unit, Unreadable, Visibility
from veil.readers.workbook.grid import Grid, SheetFacts, cell_ref, hidden_sheets_notice, sheet_units
from veil.readers.workbook.sheet_names import heading_of, sheet_names_table

NS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
}
_T = "{%s}" % NS["table"]
_O = "{%s}" % NS["office"]
_TX = "{%s}" % NS["text"]
_BENIGN = re.compile(r"^(mimetype|META-INF/manifest\.xml|settings\.xml|manifest\.rdf|layout-cache"
                     r"|Configurations2/.*|.*/styles\.xml|.*/settings\.xml|.*/meta\.xml)$")
_IMAGE = re.compile(r"\.(png|jpe?g|gif|bmp|svg|wmf|emf|tiff?)$", re.I)
# Rows or columns repeated more than this are blank filler (ODF writes "1,048,000 empty rows" as one element).
_MAX_REPEAT_WITH_DATA = 100_000


def read_ods(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    z = SafeZip(blob, ctx.budget.limits)
    names = set(z.names)
    if "META-INF/manifest.xml" in names and b"encryption-data" in z.read("META-INF/manifest.xml"):
        raise LimitExceeded("the ods workbook is password-protected (encrypted)")
    if "content.xml" not in names:
        raise LimitExceeded("the ods file has no content.xml")
    max_xml = ctx.budget.limits.max_xml_bytes
    content = parse(z.read("content.xml"), "content.xml", max_xml)
    styles_root = parse(z.read("styles.xml"), "styles.xml", max_xml) if "styles.xml" in names else None
    hidden_styles = _hidden_table_styles(content)
    if styles_root is not None:
        hidden_styles |= _hidden_table_styles(styles_root)
    tables = content.findall(f"{_O}body/{_O}spreadsheet/{_T}table")
    facts = [SheetFacts(t.get(f"{_T}name", f"table {i + 1}"), "", Visibility.VISIBLE) for i, t in enumerate(tables)]
    for table, fact in zip(tables, facts, strict=True):
        fact.location = f"sheet '{fact.name}' (content.xml)"
        if table.get(f"{_T}style-name") in hidden_styles:
            fact.visibility = Visibility.HIDDEN_SHEET
    yield from hidden_sheets_notice("content.xml", facts)
    headings: dict[str, str | None] = {}
    for table, fact in zip(tables, facts, strict=True):
        ctx.budget.check_time()
        grid, annotations, shapes = _read_table(table, fact, ctx)
        headings[fact.name] = heading_of(grid.frame)
        yield from sheet_units(grid, fact)
        for unit in annotations + shapes:
            yield unit
    yield from sheet_names_table([(f.name, f.visibility, headings.get(f.name)) for f in facts],
                                 "sheet names (content.xml)")
    done = {"content.xml", "styles.xml"}
    yield from _meta(z, names)
    if styles_root is not None:
        yield from _headers_footers(styles_root)
    yield from _other_members(z, sorted(names - done), ctx)


def _hidden_table_styles(root: etree._Element) -> set[str]:
    hidden = set()
    for style in root.iter("{%s}style" % NS["style"]):
        if style.get("{%s}family" % NS["style"]) != "table":
            continue
        for props in style.iter("{%s}table-properties" % NS["style"]):
            if props.get(f"{_T}display") == "false":
                hidden.add(style.get("{%s}name" % NS["style"], ""))
    return hidden


# --- one table ------------------------------------------------------------------------------------------------


def _read_table(table: etree._Element, fact: SheetFacts, ctx: ReadContext) -> tuple[Grid, list[Unit], list[Unit]]:
    cells: dict[tuple[int, int], str] = {}
    annotations: list[Unit] = []
    shapes: list[Unit] = []
    max_cells = ctx.budget.limits.max_cells
    col = 0
    row = 0
    for el, in_hidden_group in _flat(table, {"table-columns", "table-header-columns", "table-column-group"},
                                     "table-column"):
        repeat = _repeat(el, "number-columns-repeated")
        hidden = in_hidden_group or el.get(f"{_T}visibility") in ("collapse", "filter")
        if hidden and repeat <= _MAX_REPEAT_WITH_DATA:
            fact.hidden_columns.update(range(col, col + repeat))
        col += repeat
    row_groups = {"table-rows", "table-header-rows", "table-row-group"}
    for el, in_hidden_group in _flat(table, row_groups, "table-row"):
        repeat = _repeat(el, "number-rows-repeated")
        visibility = el.get(f"{_T}visibility") or ("collapse" if in_hidden_group else None)
        values = _row_cells(el, row, fact, annotations, max_cells)
        if values and repeat > _MAX_REPEAT_WITH_DATA:
            raise LimitExceeded(f"{fact.location} repeats a row with data {repeat} times")
        if visibility in ("collapse", "filter") and repeat <= _MAX_REPEAT_WITH_DATA:
            (fact.hidden_rows if visibility == "collapse" else fact.filtered_rows).update(range(row, row + repeat))
        for offset in range(repeat if values else 0):
            for c, text in values:
                cells[(row + offset, c)] = text
        if len(cells) > max_cells:
            raise LimitExceeded(f"{fact.location} has more than {max_cells} cells")
        row += repeat
    for shape_holder in table.iter(f"{_T}shapes"):
        text = _paragraphs(shape_holder)
        if text:
            shapes.append(Text(f"{fact.location} shapes", fact.visibility, text))
    return _grid(cells, max_cells, fact), annotations, shapes


def _flat(
    parent: etree._Element, groups: set[str], leaf: str, hidden: bool = False,
) -> Iterator[tuple[etree._Element, bool]]:
    """Rows (or columns) in document order, looking inside header, group and row-set wrappers; with each, whether
    an enclosing group is collapsed (table:display="false")."""
    for child in parent:
        name = local(child.tag)
        if name == leaf:
            yield child, hidden
        elif name in groups:
            yield from _flat(child, groups, leaf, hidden or child.get(f"{_T}display") == "false")


def _repeat(el: etree._Element, attr: str) -> int:
    value = el.get(f"{_T}{attr}")
    if value is None:
        return 1
    try:
        return max(int(value), 1)
    except ValueError:
        return 1


_CELL, _COVERED, _ANNOTATION = f"{_T}table-cell", f"{_T}covered-table-cell", f"{_O}annotation"
_REPEAT_COLS, _VALUE_TYPE, _VALUE = f"{_T}number-columns-repeated", f"{_O}value-type", f"{_O}value"
_PARAGRAPHS = (f"{_TX}p", f"{_TX}h")


def _row_cells(
    row_el: etree._Element, row: int, fact: SheetFacts, annotations: list[Unit], max_cells: int,
) -> list[tuple[int, str]]:
    # The hot loop of the reader (one pass per cell): kept flat on purpose.
    found: list[tuple[int, str]] = []
    col = 0
    for cell in row_el:
        tag = cell.tag
        if tag != _CELL and tag != _COVERED:
            continue
        repeat = _repeat(cell, "number-columns-repeated") if cell.get(_REPEAT_COLS) else 1
        has_children = len(cell) > 0
        kind = cell.get(_VALUE_TYPE)
        if kind is None and not has_children:
            col += repeat
            continue
        if has_children:
            for note in cell.iterchildren(_ANNOTATION):
                _annotation(note, row, col, fact, annotations)
        text = _cell_value(cell, kind)
        if text is not None:
            if repeat > _MAX_REPEAT_WITH_DATA:
                raise LimitExceeded(f"{fact.location} repeats a cell with data {repeat} times")
            for offset in range(repeat):
                found.append((col + offset, text))
            if len(found) > max_cells:
                raise LimitExceeded(f"{fact.location} has more than {max_cells} cells")
        col += repeat
    return found


def _annotation(note: etree._Element, row: int, col: int, fact: SheetFacts, annotations: list[Unit]) -> None:
    body = _paragraphs(note)
    author = " ".join(a.text or "" for a in note.iter("{%s}creator" % NS["dc"])).strip()
    if body or author:
        annotations.append(Text(f"{fact.location} cell {cell_ref(row, col)} comment", Visibility.COMMENT,
                                f"{author}: {body}" if author else body))


def _cell_value(cell: etree._Element, kind: str | None) -> str | None:
    if kind == "float" or kind == "percentage" or kind == "currency":
        raw = cell.get(_VALUE)
        try:
            number = float(raw) if raw is not None else None
        except ValueError:
            number = None
        if number is not None and number == number:
            return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
    elif kind == "date":
        value = cell.get(f"{_O}date-value", "")
        return value[:10] if value.endswith("T00:00:00") else (value or None)
    elif kind == "boolean":
        return "TRUE" if cell.get(f"{_O}boolean-value") == "true" else "FALSE"
    elif kind == "string" and cell.get(f"{_O}string-value") is not None:
        return cell.get(f"{_O}string-value") or None
    paragraphs = []
    for p in cell.iterchildren(*_PARAGRAPHS):
        paragraphs.append(p.text or "" if len(p) == 0 else _inline_text(p))
    if not paragraphs:
        return None
    text = paragraphs[0] if len(paragraphs) == 1 else "\n".join(paragraphs)
    return text if text.strip() else None


def _inline_text(el: etree._Element) -> str:
    parts = [el.text or ""]
    for child in el:
        name = local(child.tag)
        if name == "s":
            parts.append(" " * _repeat_text(child))
        elif name == "tab":
            parts.append("\t")
        elif name == "line-break":
            parts.append("\n")
        elif name != "annotation":
            parts.append(_inline_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _repeat_text(el: etree._Element) -> int:
    try:
        return min(max(int(el.get(f"{_TX}c", "1")), 1), 1000)
    except ValueError:
        return 1


def _paragraphs(el: etree._Element) -> str:
    return "\n".join(t for t in (_inline_text(p).strip() for p in el.iter(f"{_TX}p", f"{_TX}h")) if t)


def _grid(cells: dict[tuple[int, int], str], max_cells: int, fact: SheetFacts) -> Grid:
    if not cells:
        return Grid(pl.DataFrame(schema={"c0": pl.String}))
    rows = [r for r, _ in cells]
    cols = [c for _, c in cells]
    row0, row1, col0, col1 = min(rows), max(rows), min(cols), max(cols)
    if (row1 - row0 + 1) * (col1 - col0 + 1) > max_cells:
        raise LimitExceeded(f"{fact.location} spans more than {max_cells} cells")
    height = row1 - row0 + 1
    columns: list[list[str | None]] = [[None] * height for _ in range(col1 - col0 + 1)]
    for (r, c), text in cells.items():
        columns[c - col0][r - row0] = text
    frame = pl.DataFrame({f"c{i}": col for i, col in enumerate(columns)},
                         schema={f"c{i}": pl.String for i in range(len(columns))})
    return Grid(frame, row0, col0)


# --- the rest of the package ----------------------------------------------------------------------------------


def _meta(z: SafeZip, names: set[str]) -> Iterator[Unit]:
    if "meta.xml" not in names:
        return
    root = parse(z.read("meta.xml"), "meta.xml")
    lines = []
    for el in root.iter():
        name = local(el.tag)
        if name in ("generator", "document-statistic", "editing-cycles", "editing-duration", "template"):
            continue
        value = (el.text or "").strip()
        if value and len(el) == 0:
            label = el.get("{%s}name" % NS["meta"]) or name
            lines.append(f"{label}: {value}")
    if lines:
        yield Text("document properties (meta.xml)", Visibility.METADATA, "\n".join(lines))


def _headers_footers(styles_root: etree._Element) -> Iterator[Unit]:
    texts = []
    for page in styles_root.iter("{%s}master-page" % NS["style"]):
        for part in page:
            if local(part.tag).startswith(("header", "footer")):
                text = _paragraphs(part)
                if text:
                    texts.append(text)
    if texts:
        yield Text("page headers and footers (styles.xml)", Visibility.HEADER_FOOTER, "\n".join(dict.fromkeys(texts)))


def _other_members(z: SafeZip, names: list[str], ctx: ReadContext) -> Iterator[Unit]:
    for name in names:
        if _BENIGN.match(name):
            continue
        try:
            if name.startswith("Thumbnails/"):
                yield Notice(name, Visibility.THUMBNAIL, "the file carries a thumbnail image, which may show data")
            elif name.startswith("Basic/") or name.startswith("Scripts/"):
                yield Notice(name, Visibility.MACRO, "macros present: their text was checked")
                yield from read_basic_part(z.read(name), name)
            elif name.startswith("ObjectReplacements/") or _IMAGE.search(name):
                continue  # pictures: not text; other engineers' image checks may look at them
            elif name.endswith("/content.xml"):
                yield from _object_content(z, name)
            else:
                yield from ctx.embedded(z.read(name), name, f"embedded file ({name})", Visibility.EMBEDDED)
        except LimitExceeded as exc:
            yield Unreadable(name, str(exc))


def _object_content(z: SafeZip, name: str) -> Iterator[Unit]:
    """An embedded object's content.xml: usually a chart, whose own table keeps a copy of the plotted data."""
    root = parse(z.read(name), name)
    is_chart = any(local(el.tag) == "chart" for el in root.iter("{*}chart"))
    visibility = Visibility.CHART_CACHE if is_chart else Visibility.EMBEDDED
    text = _paragraphs(root)
    if text:
        yield Text(f"{'chart data' if is_chart else 'embedded object'} ({name})", visibility, text)
