"""Excel binary workbooks (.xlsb): every sheet (hidden ones too), hidden rows and columns, and every other part.

Values and sheet visibility come from python-calamine. Hidden rows (BrtRowHdr fDyZero) and columns (BrtColInfo
fHidden) come from Veil's own walk over each sheet's BIFF12 records, which also bounds the sheet's declared size
(BrtWsDim) before calamine allocates a dense grid. Parts whose binary records Veil does not parse (comments, pivot
caches, external links) are read as loose text with their visibility, so their content is still checked.
"""

from __future__ import annotations

import posixpath
import re
import struct
from collections.abc import Iterator

from veil.readers.limits import LimitExceeded
from veil.readers.office.vba import read_vba_bin
from veil.readers.registry import ReadContext
from veil.readers.safexml import local, parse
from veil.readers.safezip import SafeZip
from veil.readers.units import Notice, Text, Unit, Unreadable, Visibility
from veil.readers.workbook.grid import (
    SheetFacts,
    calamine_grid,
    cell_ref,
    hidden_sheets_notice,
    open_calamine,
    sheet_units,
    visibility_of,
)
from veil.readers.workbook.sheet_names import heading_of, sheet_names_table
from veil.readers.workbook.xls import loose_strings

_ROW_HDR, _COL_INFO, _WS_DIM, _BUNDLE_SH = 0, 60, 148, 156
_CELL_RECORDS = frozenset(range(1, 12)) | {62}  # BrtCellBlank..BrtFmlaError, BrtCellRString: column first
_SHORT_CELLS = frozenset(range(12, 19))  # BrtShortBlank..BrtShortIsst: the column after the previous cell
_BENIGN = re.compile(
    r"^(\[Content_Types\]\.xml|(.*/)?_rels/.*\.rels|xl/styles\.bin|xl/theme/.*|xl/calcChain\.bin"
    r"|xl/printerSettings/.*|xl/tables/table\d*\.bin|xl/pivotTables/pivotTable\d*\.bin|xl/workbook\.bin"
    r"|xl/sharedStrings\.bin|xl/media/.*|xl/charts/(style|colors)\d*\.xml|customXml/itemProps\d*\.xml"
    r"|xl/drawings/.*\.xml|xl/metadata\.bin)$", re.I)
# part name pattern -> visibility of the loose text read from it
_LOOSE_PARTS = [
    (re.compile(r"^xl/comments\d*\.bin$", re.I), Visibility.COMMENT),
    (re.compile(r"^xl/threadedComments/.*\.xml$", re.I), Visibility.COMMENT),
    (re.compile(r"^xl/persons/.*\.xml$", re.I), Visibility.COMMENT),
    (re.compile(r"^xl/pivotCache/.*$", re.I), Visibility.PIVOT_CACHE),
    (re.compile(r"^xl/externalLinks/.*$", re.I), Visibility.EXTERNAL_LINK_CACHE),
    (re.compile(r"^xl/charts/.*$", re.I), Visibility.CHART_CACHE),
    (re.compile(r"^xl/(connections|queryTables/.*)\.bin$", re.I), Visibility.QUERY),
    (re.compile(r"^xl/model/.*$", re.I), Visibility.DATA_MODEL),
    (re.compile(r"^xl/revisions/.*$", re.I), Visibility.REVISION_LOG),
    (re.compile(r"^docProps/.*\.xml$", re.I), Visibility.METADATA),
    (re.compile(r"^customXml/.*$", re.I), Visibility.UNKNOWN_PART),
]


def read_xlsb(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    z = SafeZip(blob, ctx.budget.limits, fold_case=True)
    names = set(z.names)
    if "xl/workbook.bin" not in names:
        raise LimitExceeded("the xlsb file has no xl/workbook.bin")
    paths = _sheet_paths(z, names)
    workbook = open_calamine(blob, "xlsb")
    metas = list(workbook.sheets_metadata)  # type: ignore[attr-defined]
    facts = [SheetFacts(m.name, _location(m.name, paths.get(m.name)), visibility_of(m)) for m in metas]
    headings: dict[str, str | None] = {}
    yield from hidden_sheets_notice("xl/workbook.bin", facts)
    done = {p for p in paths.values() if p}
    for fact in facts:
        ctx.budget.check_time()
        path = paths.get(fact.name)
        if path is None or path not in names:
            yield Unreadable(fact.location, "the workbook names a sheet whose part is missing")
            continue
        try:
            _walk_sheet(z.read(path), fact, ctx)
            grid = calamine_grid(workbook, fact.name, ctx)
        except LimitExceeded as exc:  # one bad sheet makes that sheet unreadable, not the rest of the file
            yield Unreadable(fact.location, str(exc))
            continue
        headings[fact.name] = heading_of(grid.frame)
        yield from sheet_units(grid, fact)
        for part in _related(z, names, path, "/comments"):
            if part not in done:
                done.add(part)
                yield from _comments(z, part, fact)
    yield from sheet_names_table([(f.name, f.visibility, headings.get(f.name)) for f in facts],
                                 "sheet names (xl/workbook.bin)")
    yield from _other_parts(z, sorted(names - done), ctx)


def _location(name: str, path: str | None) -> str:
    return f"sheet '{name}' ({path})" if path else f"sheet '{name}'"


# --- BIFF12 records -------------------------------------------------------------------------------------------


def records(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(record type, payload) pairs; both type and size are 7-bit variable-length integers."""
    pos, end = 0, len(data)
    while pos < end:
        rtype = data[pos]
        pos += 1
        if rtype & 0x80:
            if pos >= end:
                return
            rtype = (rtype & 0x7F) | ((data[pos] & 0x7F) << 7)
            pos += 1
        size = shift = 0
        for _ in range(4):
            if pos >= end:
                return
            byte = data[pos]
            pos += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        yield rtype, data[pos:pos + size]
        pos += size


def _wide_string(data: bytes, pos: int) -> tuple[str | None, int]:
    count = struct.unpack_from("<I", data, pos)[0]
    pos += 4
    if count == 0xFFFFFFFF:
        return None, pos
    return data[pos:pos + 2 * count].decode("utf-16-le", errors="replace"), pos + 2 * count


def _relationships(z: SafeZip, names: set[str], part: str) -> list[tuple[str, str, str]]:
    """(id, type, target part) of a part's relationships."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{base}.rels")
    if rels not in names:
        return []
    found = []
    for el in parse(z.read(rels), rels).iter():
        if local(el.tag) == "Relationship" and el.get("Id") and el.get("Target"):
            target = el.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found.append((el.get("Id", ""), el.get("Type", ""), path))
    return found


def _related(z: SafeZip, names: set[str], part: str, kind: str) -> list[str]:
    return [target for _, rtype, target in _relationships(z, names, part) if rtype.endswith(kind) and target in names]


def _sheet_paths(z: SafeZip, names: set[str]) -> dict[str, str | None]:
    """Sheet name -> its part, from BrtBundleSh records and workbook.bin's relationships."""
    targets = {rid: target for rid, _, target in _relationships(z, names, "xl/workbook.bin")}
    paths: dict[str, str | None] = {}
    for rtype, payload in records(z.read("xl/workbook.bin")):
        if rtype != _BUNDLE_SH or len(payload) < 12:
            continue
        try:
            rel_id, pos = _wide_string(payload, 8)
            name, _ = _wide_string(payload, pos)
        except struct.error:
            continue
        if name:
            paths[name] = targets.get(rel_id or "")
    return paths


def _walk_sheet(data: bytes, fact: SheetFacts, ctx: ReadContext) -> None:
    """Hidden rows and columns; and the sheet's extent, declared (BrtWsDim) and actual (rows and cell columns),
    refused over the cell limit: calamine allocates a dense grid over it, and a failed Rust allocation aborts the
    whole process instead of raising."""
    max_cells = ctx.budget.limits.max_cells
    row = col = 0
    rows = [2**32, -1]
    cols = [2**32, -1]
    for rtype, payload in records(data):
        if rtype == _ROW_HDR and len(payload) >= 12:
            row = struct.unpack_from("<I", payload, 0)[0]
            if payload[11] & 0x10:  # fDyZero: the row is hidden
                fact.hidden_rows.add(row)
        elif rtype in _CELL_RECORDS or rtype in _SHORT_CELLS:
            if rtype in _SHORT_CELLS:
                col += 1
            elif len(payload) >= 4:
                col = struct.unpack_from("<I", payload, 0)[0]
            rows[0], rows[1] = min(rows[0], row), max(rows[1], row)
            cols[0], cols[1] = min(cols[0], col), max(cols[1], col)
        elif rtype == _COL_INFO and len(payload) >= 17:
            first, last = struct.unpack_from("<II", payload, 0)
            if payload[16] & 0x01 and last >= first and last - first < 16_384:  # fHidden
                fact.hidden_columns.update(range(first, last + 1))
        elif rtype == _WS_DIM and len(payload) >= 16:
            row0, row1, col0, col1 = struct.unpack_from("<IIII", payload, 0)
            if row1 >= row0 and col1 >= col0 and (row1 - row0 + 1) * (col1 - col0 + 1) > max_cells:
                raise LimitExceeded(f"{fact.location} spans more than {max_cells} cells")
    if rows[1] >= 0 and (rows[1] - rows[0] + 1) * (cols[1] - cols[0] + 1) > max_cells:
        raise LimitExceeded(f"{fact.location} spans more than {max_cells} cells (far-apart cells)")


_AUTHOR, _BEGIN_COMMENT, _COMMENT_TEXT = 632, 635, 637


def _comments(z: SafeZip, part: str, fact: SheetFacts) -> Iterator[Unit]:
    """A sheet's comments (BrtCommentAuthor, BrtBeginComment with its cell, BrtCommentText), each with its cell
    and author; if the records do not parse, the part's text is still read as a whole."""
    data = z.read(part)
    authors: list[str] = []
    found: list[Unit] = []
    cell = ""
    author = ""
    try:
        for rtype, payload in records(data):
            if rtype == _AUTHOR:
                authors.append(_wide_string(payload, 0)[0] or "")
            elif rtype == _BEGIN_COMMENT and len(payload) >= 20:
                index, row, _, col = struct.unpack_from("<IIII", payload, 0)
                author = authors[index] if index < len(authors) else ""
                cell = cell_ref(row, col)
            elif rtype == _COMMENT_TEXT and len(payload) >= 5:
                text = (_wide_string(payload, 1)[0] or "").strip()
                if text or author:
                    found.append(Text(f"{fact.location} cell {cell} comment ({part})", Visibility.COMMENT,
                                      f"{author}: {text}" if author else text))
    except struct.error:
        found = []
    if not found:
        text = loose_strings(data)
        if text:
            found.append(Text(f"comments ({part})", Visibility.COMMENT, text))
    yield from found


# --- other parts ----------------------------------------------------------------------------------------------


def _other_parts(z: SafeZip, names: list[str], ctx: ReadContext) -> Iterator[Unit]:
    for name in names:
        if _BENIGN.match(name):
            continue
        try:
            yield from _other_part(z, name, ctx)
        except LimitExceeded as exc:
            yield Unreadable(name, str(exc))


def _other_part(z: SafeZip, name: str, ctx: ReadContext) -> Iterator[Unit]:
    lower = name.lower()
    if lower == "xl/vbaproject.bin":
        yield from read_vba_bin(z.read(name), name)
        return
    if lower.startswith("docprops/thumbnail"):
        yield Notice(name, Visibility.THUMBNAIL, "the file carries a thumbnail image, which may show data")
        return
    if lower.startswith("xl/embeddings/"):
        yield from ctx.embedded(z.read(name), name, f"embedded object ({name})", Visibility.EMBEDDED)
        return
    visibility = next((v for pattern, v in _LOOSE_PARTS if pattern.match(name)), None)
    data = z.read(name)
    text = _xml_text(data, name) if lower.endswith(".xml") else loose_strings(data)
    if visibility is None:
        yield Notice(name, Visibility.UNKNOWN_PART, "a part Veil does not recognise; its text is checked as is")
        visibility = Visibility.UNKNOWN_PART
    if text:
        yield Text(name, visibility, text)


def _xml_text(data: bytes, name: str) -> str:
    root = parse(data, name)
    values = [t.strip() for t in root.itertext() if t.strip()]
    values += [v for el in root.iter() for k, v in el.attrib.items() if local(k) in ("displayName", "userId")]
    return "\n".join(dict.fromkeys(values))
