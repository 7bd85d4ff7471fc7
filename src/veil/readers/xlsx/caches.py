"""Copies of data a workbook keeps out of sight: pivot caches, external-link caches, chart caches, revision logs.

A pivot table that shows only counts still carries every source record in pivotCacheRecords; a chart keeps the
values it plots; a link to another workbook keeps the cells it reads; a shared workbook's revision log keeps the
values it overwrote or deleted. Each becomes a Table so the record-level detectors see rows, not fragments.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Iterator
from urllib.parse import unquote

import polars as pl
from lxml import etree

from veil.readers.limits import LimitExceeded
from veil.readers.office.ooxml import chart_labels
from veil.readers.safexml import iterparse_safe, local
from veil.readers.units import Notice, Table, Text, Unit, Visibility, table_from_rows
from veil.readers.xlsx.grid import serial_date, sparse_blocks
from veil.readers.xlsx.package import Package, cell_ref, col_letters, range_text

# Rows of a pivot cache kept for the detectors; the rest are counted.
PIVOT_SAMPLE_ROWS = 100_000
_RECORD_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def _value(el: etree._Element) -> str | None:
    tag = local(el.tag)
    if tag == "m":
        return None
    v = el.get("v")
    return v[:10] if tag == "d" and v and v.endswith("T00:00:00") else v


def pivot_cache(pkg: Package, part: str) -> Iterator[Unit]:
    """A pivot cache definition (field names, shared items) and the records it points to."""
    number = "".join(ch for ch in posixpath.basename(part) if ch.isdigit()) or "?"
    root = pkg.xml(part)
    fields: list[tuple[str, list[str | None]]] = []
    source: str | None = None
    for el in root.iter():
        tag = local(el.tag)
        if tag == "cacheField":
            items = next((c for c in el if local(c.tag) == "sharedItems"), None)
            values = [_value(i) for i in items] if items is not None else []
            fields.append((el.get("name", f"field {len(fields) + 1}"), values))
        elif tag == "worksheetSource":
            source = el.get("sheet") or el.get("name")
            if source and el.get("sheet") and pkg.sheet_by_name(source) is None:
                yield Notice(f"pivot cache {number} ({part})", Visibility.PIVOT_CACHE,
                             "the pivot cache was built from a sheet that is no longer in the workbook: its records"
                             " are the only copy")
            elif source and (target := pkg.sheet_by_name(source)) and target.visibility is not Visibility.VISIBLE:
                yield Notice(f"pivot cache {number} ({part})", Visibility.PIVOT_CACHE,
                             f"the pivot cache was built from hidden sheet '{source}'")
    records = next((r.target for r in pkg.rels(part).values() if r.kind == "pivotCacheRecords"
                    and not r.external and r.target in pkg.zip.infos), None)
    used: list[set[int]] = [set() for _ in fields]
    if records:
        yield from _pivot_records(pkg, records, number, fields, used)
    header = [name for name, _ in fields]
    if not records:
        width = max((len(items) for _, items in fields), default=0)
        if width:
            rows: list[list[object]] = [[items[i] if i < len(items) else None for _, items in fields]
                                        for i in range(width)]
            yield table_from_rows(rows, location=f"pivot cache {number} shared items ({part})",
                                  visibility=Visibility.PIVOT_CACHE, header=header,
                                  notes=["distinct values of each pivot field (the cache saved no records)"])
        return
    stale = [f"{name}: " + "; ".join(str(items[i]) for i in range(len(items)) if i not in seen and items[i])
             for (name, items), seen in zip(fields, used, strict=True)
             if seen and any(i not in seen and items[i] for i in range(len(items)))]
    if stale:
        yield Text(f"pivot cache {number} shared items no record uses ({part})", Visibility.PIVOT_CACHE,
                   "\n".join(stale))


_RECORD = re.compile(rb"<(?:\w+:)?r(?:\s[^>]*)?>(.*?)</(?:\w+:)?r>|<(?:\w+:)?r\s*/>", re.S)
_FIELD = re.compile(rb'<(?:\w+:)?([xsndbem])\b(?:\s+v="([^"]*)")?[^>]*/>')


def _pivot_records(pkg: Package, part: str, number: str, fields: list[tuple[str, list[str | None]]],
                   used: list[set[int]]) -> Iterator[Unit]:
    """Records are flat runs of <x v=/> indexes and <s v=/> values: read them with a regex, which is ~10x faster
    than walking lxml elements; a record with nested content (OLAP member properties) falls back to lxml."""
    data = pkg.zip.read(part)
    iterparse_safe(data, part)
    if len(data) < 1_000_000:
        pkg.xml(part)  # small parts: prove well-formedness with the real parser first
    rows: list[list[str | None]] = []
    total = 0
    n_fields = len(fields)
    for m in _RECORD.finditer(data):
        total += 1
        if not total & 0xFFFF:
            pkg.check_time()
        if total > PIVOT_SAMPLE_ROWS:
            continue
        body = m.group(1) or b""
        if b"</" in body:
            rec = etree.fromstring(b"<r>" + body + b"</r>", parser=_RECORD_PARSER)
            children = [(local(c.tag), c.get("v")) for c in rec]
        else:
            children = [(k.decode(), v.decode("utf-8", "replace") if v is not None else None)
                        for k, v in _FIELD.findall(body)]
        row: list[str | None] = []
        for k, (tag, v) in enumerate(children):
            if v is not None and "&" in v:
                v = html.unescape(v)
            if tag == "x":
                index = int(v) if v and v.isdigit() else -1
                items = fields[k][1] if k < n_fields else []
                row.append(items[index] if 0 <= index < len(items) else None)
                if k < n_fields:
                    used[k].add(index)
            elif tag == "m":
                row.append(None)
            elif tag == "d" and v and v.endswith("T00:00:00"):
                row.append(v[:10])
            else:
                row.append(v)
        rows.append(row)
    if total > pkg.limits.max_cells:
        raise LimitExceeded(f"pivot cache {number} has more than {pkg.limits.max_cells} records")
    width = max(len(fields), max((len(r) for r in rows), default=0))
    header = [fields[i][0] if i < len(fields) else f"field {i + 1}" for i in range(width)]
    yield Table(location=f"pivot cache {number} records ({part})", visibility=Visibility.PIVOT_CACHE,
                frame=_string_frame(rows, width), header=header, total_rows=total if total > len(rows) else None,
                notes=["the records behind a pivot table: they travel in the file whatever it shows"])


def _string_frame(rows: list[list[str | None]], width: int) -> pl.DataFrame:
    """Rows of text (already strings) as a frame; blanks become null. Avoids a per-cell cell_text call."""
    padded = [r + [None] * (width - len(r)) if len(r) < width else r for r in rows]
    columns = list(zip(*padded, strict=True)) if padded else [() for _ in range(width)]
    return pl.DataFrame({f"c{i}": [v if v and not v.isspace() else None for v in col]
                         for i, col in enumerate(columns)}, schema={f"c{i}": pl.String for i in range(width)})


def external_link(pkg: Package, part: str) -> Iterator[Unit]:
    number = "".join(ch for ch in posixpath.basename(part) if ch.isdigit()) or "?"
    root = pkg.xml(part)
    names = [el.get("val", "") for el in root.iter() if local(el.tag) == "sheetName"]
    targets = [r.target for r in pkg.rels(part).values() if r.external]
    where = f"external link {number} ({part})"
    if targets:
        # the linked file's name may name a person: it goes to the detectors as text, not into a notice
        yield Notice(where, Visibility.EXTERNAL_LINK_CACHE, "the workbook links to another workbook")
        yield Text(f"{where} target", Visibility.METADATA, "\n".join(unquote(t) for t in targets))
    for data in (el for el in root.iter() if local(el.tag) == "sheetData"):
        sid = data.get("sheetId", "0")
        name = names[int(sid)] if sid.isdigit() and int(sid) < len(names) else f"sheet {sid}"
        cells: dict[tuple[int, int], str] = {}
        for cell in data.iter():
            if local(cell.tag) == "cell" and (pos := cell_ref(cell.get("r", ""))):
                v = next((c.text for c in cell if local(c.tag) == "v"), None)
                if v is not None and v.strip():
                    cells[pos] = v
        for block in sparse_blocks(cells, pkg.limits.max_cells):
            span = range_text(block.row0, block.col0, block.row1, block.col1)
            yield Table(location=f"{where} cache of '{name}' {span}",
                        visibility=Visibility.EXTERNAL_LINK_CACHE, frame=block.frame,
                        column_labels=[col_letters(block.col0 + i) for i in range(block.frame.width)],
                        first_row_number=block.row0 + 1)


def chart_cache(pkg: Package, part: str) -> Iterator[Unit]:
    """Values a chart keeps (c:strCache, c:numCache, multi-level and chartEx levels) as one table per chart."""
    root = pkg.xml(part)
    columns: list[tuple[str, dict[int, str]]] = []
    seen: set[tuple[tuple[int, str], ...]] = set()
    containers = {pt.getparent() for pt in root.iter() if local(pt.tag) == "pt"}
    for el in root.iter():
        if el in containers:
            points: dict[int, str] = {}
            for pt in el:
                if local(pt.tag) != "pt":
                    continue
                v = next((c.text for c in pt if local(c.tag) == "v"), None) or pt.text
                idx = pt.get("idx", "")
                if v is not None and v.strip() and idx.isdigit():
                    points[int(idx)] = v.strip()
            key = tuple(sorted(points.items()))
            if points and key not in seen:
                seen.add(key)
                columns.append((_formula_near(el) or f"cache {len(columns) + 1}", points))
    if columns:
        height = min(max(max(p) for _, p in columns) + 1, 1_000_000)
        grid: list[list[object]] = [[points.get(i) for _, points in columns] for i in range(height)]
        yield table_from_rows(grid, location=f"chart cache ({part})", visibility=Visibility.CHART_CACHE,
                              header=[name for name, _ in columns],
                              notes=["values the chart keeps a copy of, even if their cells were deleted"])
    yield from chart_labels(root, part)


def _formula_near(el: etree._Element) -> str | None:
    node: etree._Element | None = el
    for _ in range(3):
        node = node.getparent() if node is not None else None
        if node is None:
            return None
        f = next((c for c in node if local(c.tag) == "f"), None)
        if f is not None and f.text:
            return f.text.strip()
    return None


def revision_log(pkg: Package, part: str) -> Iterator[Unit]:
    """Cell values a shared workbook's change log kept: old (overwritten or deleted) and new, per sheet."""
    grids: dict[tuple[str, str], dict[tuple[int, int], str]] = {}
    people: set[str] = set()
    for el in pkg.xml(part).iter():
        tag = local(el.tag)
        if tag in ("oc", "nc") and (pos := cell_ref(el.get("r", ""))):
            change = el.getparent()
            sid = change.get("sId", "?") if change is not None else "?"
            text = _revision_value(el)
            if text is not None:
                grids.setdefault((sid, "old" if tag == "oc" else "new"), {})[pos] = text
        elif tag in ("header", "userInfo") and el.get("userName"):
            people.add(el.get("userName", ""))
    for (sid, kind), cells in grids.items():
        for block in sparse_blocks(cells, pkg.limits.max_cells):
            where = range_text(block.row0, block.col0, block.row1, block.col1)
            yield Table(location=f"revision log {kind} values of sheet id {sid} {where} ({part})",
                        visibility=Visibility.REVISION_LOG, frame=block.frame,
                        column_labels=[col_letters(block.col0 + i) for i in range(block.frame.width)],
                        first_row_number=block.row0 + 1,
                        notes=["values kept by a shared workbook's change history"])
    if people:
        yield Text(f"revision authors ({part})", Visibility.METADATA, "\n".join(sorted(people)))


def _revision_value(el: etree._Element) -> str | None:
    v = next((c.text for c in el if local(c.tag) == "v"), None)
    if v is None:
        texts = [t.text for t in el.iter() if local(t.tag) == "t" and t.text]
        v = "".join(texts) if texts else None
    if v is None or not v.strip():
        return None
    return v[:10] if el.get("t") == "d" and v.endswith("T00:00:00") else v


__all__ = ["pivot_cache", "external_link", "chart_cache", "revision_log", "serial_date"]
