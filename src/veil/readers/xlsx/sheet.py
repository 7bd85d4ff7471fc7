"""One worksheet: its cell values (calamine, or Veil's sparse reader) and everything that hides them.

Values come from python-calamine, which is fast but cannot say what was hidden. What it cannot tell is taken from
the sheet XML without a per-cell Python loop: regular expressions pick out only hidden rows, cells whose style is
invisible and formulas; the rest of the sheet (columns, autofilter, header/footer, data validation, hyperlinks) is
small once <sheetData> is cut out, so it is parsed as XML.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import polars as pl
from lxml import etree

from veil.readers.limits import LimitExceeded
from veil.readers.safexml import local, parse
from veil.readers.units import Notice, Table, Text, Unit, Visibility
from veil.readers.xlsx.cover import covers
from veil.readers.xlsx.grid import Block, frame_from_rows, read_cells, sparse_blocks, split_blocks
from veil.readers.xlsx.package import (
    Package,
    Sheet,
    cell_ref,
    col_index,
    col_letters,
    formula_literals,
    range_text,
    ranges_in,
    sheet_refs,
)
from veil.readers.xlsx.styles import Styles

_SHEETDATA = re.compile(rb"<(\w+:)?sheetData\b[^>]*?(/?)>")
_ROW_R = re.compile(rb'\br="(\d+)"')
# hidden rows, and rows under one point high (nobody can read them); each pattern starts with a literal, so the
# regex engine skips ahead with a fast search instead of trying every position
_HIDDEN_ROW = (re.compile(rb'hidden="(?:1|true)"'), re.compile(rb' ht="0(?:\.\d*)?"'))
_HF_CODES = re.compile(r'&(?:"[^"]*"|\d+|[A-Za-z&])')
_DENSE_FLOOR = 1_000_000
_MAX_FLAGGED = 200_000  # invisible cells listed per column range


@dataclass
class SheetContext:
    """Workbook-wide facts a sheet needs."""

    pkg: Package
    styles: Styles
    calamine: object | None  # a CalamineWorkbook, or None when calamine could not open the package
    strings: list[str] | None = None  # loaded lazily for the sparse reader
    hidden_sheets: set[str] = field(default_factory=set)
    cells_read: int = 0
    # indexes (as digits) of shared strings some cell uses; None when the workbook has no shared-string table
    string_refs: set[bytes] | None = None


@dataclass
class _Scan:
    prefix: bytes = b""
    hidden_rows: set[int] = field(default_factory=set)  # 0-based
    rows_span: tuple[int, int] | None = None
    cols_span: tuple[int, int] | None = None
    cols_exact: bool = False
    n_cells: int = 0
    refs_complete: bool = True
    invisible: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: list[tuple[str, str]] = field(default_factory=list)  # (cell, formula) that reach other sheets


def read_sheet(sheet: Sheet, sc: SheetContext) -> Iterator[Unit]:
    pkg = sc.pkg
    data = pkg.zip.read(sheet.path)
    start = _SHEETDATA.search(data)
    if start is None:
        yield Notice(sheet.location, sheet.visibility, "the sheet has no cell data")
        return
    prefix = start.group(1) or b""
    if start.group(2):  # <sheetData/>: no cells
        body, rest = b"", data
    else:
        end = data.find(b"</" + prefix + b"sheetData>", start.end())
        if end < 0:
            raise LimitExceeded(f"{sheet.path} is truncated (no end of sheetData)")
        body = data[start.end():end]
        rest = data[:start.start()] + b"<" + prefix + b"sheetData/>" + data[end + len(prefix) + 12:]
    root = parse(rest, sheet.path, pkg.limits.max_xml_bytes)
    scan = _scan(body, prefix, sc.styles)
    if sc.string_refs is not None:
        simple = re.findall(rb't="s"><' + prefix + rb"v>(\d+)<", body)  # how Excel and most writers put it
        if len(simple) != body.count(b't="s"'):
            simple = re.findall(rb't="s"[^>]*>\s*<' + prefix + rb"v>(\d+)<", body)
        sc.string_refs.update(simple)
    sc.cells_read += scan.n_cells
    if sc.cells_read > pkg.limits.max_cells:
        raise LimitExceeded(f"the workbook has more than {pkg.limits.max_cells} cells")
    blocks = _blocks(sheet, data, body, scan, sc)
    _conditional_invisible(root, blocks, scan, sc.styles)
    yield from _covered_cells(sheet, blocks, scan, sc)
    hidden_cols = _hidden_columns(root)
    filtered = _filter_ranges(root, sheet, pkg)
    print_areas = pkg.print_areas().get(sheet.index, [])
    yield from _tables(sheet, blocks, scan, hidden_cols, filtered, print_areas)
    yield from _invisible_cells(sheet, blocks, scan)
    yield from _formula_notices(sheet, scan, sc)
    yield from _sheet_extras(sheet, root, pkg, sc)


def _scan(body: bytes, p: bytes, styles: Styles) -> _Scan:
    scan = _Scan(prefix=p)
    if not body:
        return scan
    # search for the attribute (a literal, fast) and look back for its row tag, rather than match every row tag
    for m in (m for pattern in _HIDDEN_ROW for m in pattern.finditer(body)):
        start = body.rfind(b"<", 0, m.start())
        if body.startswith(b"<" + p + b"row", start):
            r = _ROW_R.search(body, start, body.find(b">", m.end()) + 1)
            if r:
                scan.hidden_rows.add(int(r.group(1)) - 1)
    # the rows of the first and last values (styled empty rows may run on to row 1,048,576)
    values = [i for i in (body.find(b"<" + p + b"v>"), body.find(b"<" + p + b"is>")) if i >= 0]
    last_values = [i for i in (body.rfind(b"<" + p + b"v>"), body.rfind(b"<" + p + b"is>")) if i >= 0]
    first_m = last_m = None
    if values and last_values:
        first = body.rfind(b"<" + p + b"row ", 0, min(values))
        last = body.rfind(b"<" + p + b"row ", 0, max(last_values))
        first_m = _ROW_R.search(body, first, body.find(b">", first)) if first >= 0 else None
        last_m = _ROW_R.search(body, last, body.find(b">", last)) if last >= 0 else None
    if first_m and last_m:
        scan.rows_span = (int(first_m.group(1)) - 1, int(last_m.group(1)) - 1)
    # only cells with content count: Excel writes styled empty cells (<c r="X9" s="3"/>) out to column XFD
    scan.n_cells = body.count(b"<" + p + b"v>") + body.count(b"<" + p + b"is>")
    all_cells = body.count(b"<" + p + b"c ") + body.count(b"<" + p + b"c>")
    scan.refs_complete = bool(first_m and last_m) and body.count(b"<" + p + b'c r="') == all_cells
    if not re.search(rb"<" + p + rb'c r="[A-Z]{2}', body):
        scan.cols_span = (0, 25)  # nothing beyond column Z: a bound is enough to size calamine's grid
    else:
        _exact_columns(scan, body)
    if styles.invisible:
        styles_alt = b"|".join(str(i).encode() for i in sorted(styles.invisible))
        pattern = rb"<" + p + rb'c r="([A-Z]{1,3}\d+)"[^>]*?\bs="(' + styles_alt + rb')"[^>]*?(/?)>'
        for m in re.finditer(pattern, body):
            pos = cell_ref(m.group(1).decode()) if not m.group(3) else None
            if pos:
                scan.invisible[pos] = styles.invisible[int(m.group(2))]
    for m in re.finditer(rb"<" + p + rb"f\b[^>]*>([^<]+)</", body):
        formula = m.group(1).decode("utf-8", "replace")
        if "!" in formula or "[" in formula:
            cell = body.rfind(b"<" + p + b"c ", 0, m.start())
            ref = re.match(rb'<(?:\w+:)?c r="([A-Z]{1,3}\d+)"', body[cell:cell + 40]) if cell >= 0 else None
            scan.formulas.append((ref.group(1).decode() if ref else "?", formula))
    return scan


def _exact_columns(scan: _Scan, body: bytes) -> None:
    letters = re.findall(rb"<" + scan.prefix + rb'c r="([A-Z]{1,3})\d+"[^>/]*>', body)
    if letters:
        distinct = {col_index(x.decode()) for x in set(letters)}
        scan.cols_span = (min(distinct), max(distinct))
    scan.cols_exact = True


def _dense_size(scan: _Scan) -> int | None:
    if scan.refs_complete and scan.rows_span and scan.cols_span:
        return (scan.rows_span[1] - scan.rows_span[0] + 1) * (scan.cols_span[1] - scan.cols_span[0] + 1)
    return None


def _blocks(sheet: Sheet, data: bytes, body: bytes, scan: _Scan, sc: SheetContext) -> list[Block]:
    if scan.n_cells == 0:
        return []
    limit = min(max(4 * scan.n_cells, _DENSE_FLOOR), sc.pkg.limits.max_cells)
    dense = _dense_size(scan)
    if dense is not None and dense > limit and not scan.cols_exact:
        _exact_columns(scan, body)
        dense = _dense_size(scan)
    if dense is not None and dense <= limit and sc.calamine is not None:
        try:
            cal = sc.calamine.get_sheet_by_name(sheet.name)  # type: ignore[attr-defined]
            rows = cal.to_python(skip_empty_area=True)
            origin = cal.start or (0, 0)
        except Exception:  # noqa: BLE001 - calamine refuses some valid sheets: read them ourselves instead
            rows = None
        if rows is not None:
            return split_blocks(frame_from_rows(rows), origin[0], origin[1])
    if sc.strings is None:
        from veil.readers.xlsx.grid import shared_strings
        sc.strings = shared_strings(sc.pkg.zip.read_or_none("xl/sharedStrings.xml"))
    cells = read_cells(data, sheet.path, sc.strings, sc.styles.dates, sc.pkg.date1904, sc.pkg.limits.max_cells,
                       sc.pkg.check_time)
    return sparse_blocks(cells, sc.pkg.limits.max_cells)


def _conditional_invisible(root: etree._Element, blocks: list[Block], scan: _Scan, styles: Styles) -> None:
    """Cells a conditional format can make invisible (rules are not evaluated: any such rule counts)."""
    if not styles.invisible_dxf:
        return
    for cf in (el for el in root.iter() if local(el.tag) == "conditionalFormatting"):
        reasons = [styles.invisible_dxf[int(r.get("dxfId", "-1"))] for r in cf
                   if local(r.tag) == "cfRule" and r.get("dxfId", "").isdigit()
                   and int(r.get("dxfId", "-1")) in styles.invisible_dxf]
        if not reasons:
            continue
        for ref in cf.get("sqref", "").split():
            for _, area in ranges_in(ref)[:1]:
                for r, c, _ in _cells_in(blocks, area):
                    scan.invisible.setdefault((r, c), reasons[0])


def _cells_in(blocks: list[Block], area: tuple[int, int, int, int]) -> Iterator[tuple[int, int, str]]:
    """The cells holding a value inside an area (row0, col0, row1, col1), at most _MAX_FLAGGED per column."""
    r0, c0, r1, c1 = area
    for b in blocks:
        lo_r, hi_r = max(r0, b.row0), min(r1, b.row1)
        lo_c, hi_c = max(c0, b.col0), min(c1, b.col1)
        for c in range(lo_c, hi_c + 1) if lo_r <= hi_r else ():
            column = b.frame.get_column(f"c{c - b.col0}").slice(lo_r - b.row0, hi_r - lo_r + 1)
            for i in column.is_not_null().arg_true().to_list()[:_MAX_FLAGGED]:
                yield lo_r + i, c, column[i]


def _covered_cells(sheet: Sheet, blocks: list[Block], scan: _Scan, sc: SheetContext) -> Iterator[Unit]:
    """Cells under drawings: under a dark box they are text under a redaction mark; otherwise hidden like white
    text."""
    for cover in covers(sc.pkg, sheet, sc.styles.theme):
        area = (cover.rows[0], cover.cols[0], cover.rows[1], cover.cols[1])
        cells = list(_cells_in(blocks, area))
        if not cells:
            continue
        if not cover.dark:
            for r, c, _ in cells:
                scan.invisible.setdefault((r, c), f"covered by {cover.what}")
            continue
        where = f"{sheet.location} cells {range_text(*area)} under {cover.what}"
        lines: dict[int, list[str]] = {}
        for r, _, v in sorted(cells):  # row by row, so a name stays next to its identifier
            lines.setdefault(r, []).append(v)
        yield Text(where, Visibility.UNDER_REDACTION, "\n".join("\t".join(line) for line in lines.values()))
        yield Notice(where, Visibility.UNDER_REDACTION,
                     f"{len(cells)} cell(s) are covered by {cover.what} but their values are still in the file")


def _hidden_columns(root: etree._Element) -> set[int]:
    out: set[int] = set()
    for el in root.iter():
        if local(el.tag) == "col" and (el.get("hidden", "0") in ("1", "true") or _narrow(el.get("width"))):
            lo, hi = el.get("min", "0"), el.get("max", "0")
            if lo.isdigit() and hi.isdigit() and 0 < int(lo) <= int(hi):
                out.update(range(int(lo) - 1, min(int(hi), 16384)))
    return out


def _narrow(value: str | None) -> bool:
    """A column under half a character wide shows nothing of its cells."""
    try:
        return value is not None and float(value) < 0.5
    except ValueError:
        return False


def _filter_ranges(root: etree._Element, sheet: Sheet, pkg: Package) -> list[tuple[int, int, int, int]]:
    """Row ranges under an autofilter (the sheet's own, or an Excel table's) where hidden rows are filtered out."""
    out = []
    for el in root.iter():
        if local(el.tag) == "autoFilter" and el.get("ref"):
            out += [r for _, r in ranges_in(el.get("ref", ""))]
    for rel in pkg.rels(sheet.path).values():
        if rel.kind == "table" and not rel.external and rel.target in pkg.zip.infos:
            table = pkg.xml(rel.target)
            if any(local(c.tag) == "autoFilter" for c in table):
                out += [r for _, r in ranges_in(table.get("ref", ""))]
    return out


def _tables(sheet: Sheet, blocks: list[Block], scan: _Scan, hidden_cols: set[int],
            filtered: list[tuple[int, int, int, int]], print_areas: list[tuple[int, int, int, int]]) -> Iterator[Unit]:
    main = _main_block(blocks, print_areas)
    for block in blocks:
        rows = {r - block.row0 for r in scan.hidden_rows if block.row0 <= r <= block.row1}
        cols = {c - block.col0 for c in hidden_cols if block.col0 <= c <= block.col1}
        notes = []
        by_filter = {r for r in rows if any(r0 <= r + block.row0 <= r1 for r0, _, r1, _ in filtered)}
        if by_filter:
            notes.append(f"{len(by_filter)} of the hidden rows are hidden by an autofilter (filtered out)")
        where = range_text(block.row0, block.col0, block.row1, block.col1)
        visibility = sheet.visibility
        location = sheet.location
        if block is not main:
            location = f"{sheet.location} cells {where}"
            if visibility is Visibility.VISIBLE:
                visibility = Visibility.OUTSIDE_USED_AREA
                reason = "outside the print area" if print_areas else "far from the rest of the sheet"
                notes.append(f"cells {where} lie {reason}")
                yield Notice(location, visibility, f"cells {where} hold data {reason}")
        yield Table(location=location, visibility=visibility, frame=block.frame, hidden_rows=frozenset(rows),
                    hidden_columns=frozenset(cols), column_labels=[col_letters(block.col0 + i)
                                                                   for i in range(block.frame.width)],
                    first_row_number=block.row0 + 1, notes=notes)
        yield from _hidden_notices(location, block, rows, set(by_filter), cols)


def _hidden_notices(location: str, block: Block, rows: set[int], filtered: set[int], cols: set[int]) -> Iterator[Unit]:
    """Tell the reviewer what is hidden in a block (the Table marks the rows and columns themselves)."""
    plain = rows - filtered
    if plain:
        holds = " hold data" if _any_data(block.frame, plain) else " (empty)"
        yield Notice(location, Visibility.HIDDEN_ROW, f"{len(plain)} hidden row(s){holds}")
    if filtered:
        yield Notice(location, Visibility.FILTERED_ROW, f"{len(filtered)} row(s) are hidden by an autofilter")
    if cols:
        letters = ", ".join(col_letters(block.col0 + c) for c in sorted(cols)[:20])
        yield Notice(location, Visibility.HIDDEN_COLUMN, f"hidden column(s) {letters}")


def _any_data(frame: pl.DataFrame, rows: set[int]) -> bool:
    return any(any(v is not None for v in frame.row(r)) for r in sorted(rows)[:1000] if r < frame.height)


def _main_block(blocks: list[Block], print_areas: list[tuple[int, int, int, int]]) -> Block | None:
    """The block a reader sees: the one in the print area, else the first in reading order."""
    for block in blocks:
        for r0, c0, r1, c1 in print_areas:
            if block.row0 <= r1 and r0 <= block.row1 and block.col0 <= c1 and c0 <= block.col1:
                return block
    if print_areas:
        return None
    return min(blocks, key=lambda b: (b.row0, b.col0), default=None)


def _invisible_cells(sheet: Sheet, blocks: list[Block], scan: _Scan) -> Iterator[Unit]:
    """Cells styled so they cannot be seen: a Table of just those cells, so a white-on-white roster is a roster."""
    cells: dict[tuple[int, int], str] = {}
    for (r, c) in scan.invisible:
        for b in blocks:
            if b.row0 <= r <= b.row1 and b.col0 <= c <= b.col1:
                value = b.frame.item(r - b.row0, c - b.col0)
                if value is not None:
                    cells[(r, c)] = value
                break
    if not cells:
        return
    r0, r1 = min(r for r, _ in cells), max(r for r, _ in cells)
    c0, c1 = min(c for _, c in cells), max(c for _, c in cells)
    if (r1 - r0 + 1) * (c1 - c0 + 1) > 4 * len(cells) + 10_000:
        frame_rows = [[v] for v in cells.values()]
        where = f"{sheet.location} {len(cells)} invisible cells"
        yield Table(location=where, visibility=Visibility.WHITE_TEXT, frame=frame_from_rows(frame_rows))  # type: ignore[arg-type]
    else:
        grid: list[list[object]] = [[""] * (c1 - c0 + 1) for _ in range(r1 - r0 + 1)]
        for (r, c), v in cells.items():
            grid[r - r0][c - c0] = v
        where = f"{sheet.location} invisible cells {range_text(r0, c0, r1, c1)}"
        yield Table(location=where, visibility=Visibility.WHITE_TEXT, frame=frame_from_rows(grid),
                    column_labels=[col_letters(c) for c in range(c0, c1 + 1)], first_row_number=r0 + 1)
    reasons = sorted({scan.invisible[k] for k in cells})
    yield Notice(f"{sheet.location}", Visibility.WHITE_TEXT,
                 f"{len(cells)} cell(s) cannot be seen: {'; '.join(reasons)}")


def _formula_notices(sheet: Sheet, scan: _Scan, sc: SheetContext) -> Iterator[Unit]:
    external = [cell for cell, f in scan.formulas if re.search(r"\[[^\]]+\]", f)]
    hidden: dict[str, list[str]] = {}
    for cell, formula in scan.formulas:
        for name in sheet_refs(formula):
            target = sc.pkg.sheet_by_name(name)
            if target is not None and target.visibility is not Visibility.VISIBLE:
                hidden.setdefault(target.name, []).append(cell)
    if external:
        yield Notice(sheet.location, Visibility.FORMULA_CACHE,
                     f"{len(external)} formula(s) (e.g. {', '.join(external[:3])}) show cached values from another "
                     "workbook (external link)")
    for name, cells in hidden.items():
        yield Notice(sheet.location, Visibility.FORMULA_CACHE,
                     f"{len(cells)} formula(s) (e.g. {', '.join(cells[:3])}) show values from hidden sheet '{name}'")


def _sheet_extras(sheet: Sheet, root: etree._Element, pkg: Package, sc: SheetContext) -> Iterator[Unit]:
    header_footer: list[str] = []
    validations: list[str] = []
    conditional: list[str] = []
    hyperlinks: list[str] = []
    rels = pkg.rels(sheet.path)
    for el in root.iter():
        tag = local(el.tag) if isinstance(el.tag, str) else ""
        if tag in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter") and el.text:
            text = _HF_CODES.sub(" ", el.text).strip()
            if text:
                header_footer.append(f"{tag}: {text}")
        elif tag in ("formula1", "formula2", "f", "formula") and el.text:
            if _under(el, "dataValidation"):
                validations.extend(_list_literal(el.text, sheet, sc) if tag != "formula2" else [])
                if not el.text.strip().startswith('"') or tag == "formula2":
                    validations.extend(_literal_line(el.text))
            elif _under(el, "cfRule"):
                conditional.extend(_literal_line(el.text))
        elif tag == "dataValidation":
            validations.extend(v.strip() for k in ("promptTitle", "prompt", "errorTitle", "error")
                               if (v := el.get(k)) and v.strip())
        elif tag == "cfRule" and el.get("text", "").strip():
            conditional.append(el.get("text", "").strip())
        elif tag == "hyperlink":
            rid = next((v for k, v in el.attrib.items() if local(k) == "id"), None)
            rel = rels.get(rid or "")
            target = rel.target if rel and rel.external else el.get("location", "")
            if target:
                hyperlinks.append(f"{el.get('ref', '?')}: {target}")
    if header_footer:
        yield Text(f"{sheet.location} header/footer", Visibility.HEADER_FOOTER, "\n".join(header_footer))
    if validations:
        yield Text(f"{sheet.location} data-validation lists", Visibility.DATA_VALIDATION, "\n".join(validations))
    if conditional:
        yield Text(f"{sheet.location} conditional-format formulas", Visibility.FORMULA, "\n".join(conditional))
    if hyperlinks:
        yield Text(f"{sheet.location} hyperlink targets", Visibility.METADATA, "\n".join(hyperlinks))


def _under(el: etree._Element, name: str) -> bool:
    return any(local(a.tag) == name for a in el.iterancestors())


def _literal_line(formula: str) -> list[str]:
    """A formula's string constants on one line, so a name stays beside the A-number it is compared with."""
    found = formula_literals(formula)
    return ["\t".join(found)] if found else []


def _list_literal(formula: str, sheet: Sheet, sc: SheetContext) -> list[str]:
    text = formula.strip()
    if text.startswith('"') and text.endswith('"'):
        return [item.strip() for item in text[1:-1].split(",") if item.strip()]
    out = []
    for name in sheet_refs(text):
        target = sc.pkg.sheet_by_name(name)
        if target is not None and target.visibility is not Visibility.VISIBLE:
            out.append(f"(a drop-down list takes its values from hidden sheet '{target.name}')")
    return out
