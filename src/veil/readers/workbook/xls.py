"""Legacy Excel (.xls, BIFF5/BIFF8): every sheet (hidden ones too), hidden rows and columns, cell notes,
headers and footers, document properties, pivot caches, embedded objects and macros.

Values come from python-calamine; hidden rows/columns and notes from xlrd (formatting_info=True); headers,
footers and the password check from Veil's own walk over the BIFF records. Other OLE streams are accounted for:
read, known to be harmless, or reported.
"""

from __future__ import annotations

import io
import logging
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import olefile

from veil.readers.limits import LimitExceeded
from veil.readers.office.salvage import OleDamage, damaged_ole_units, loose_strings, ole_damage
from veil.readers.office.salvage import stream as stream_bytes
from veil.readers.office.vba import is_vba_storage, read_project
from veil.readers.registry import ReadContext
from veil.readers.units import Notice, Text, Unit, Unreadable, Visibility
from veil.readers.workbook.grid import (
    Grid,
    SheetFacts,
    calamine_grid,
    cell_ref,
    frame_from_rows,
    hidden_sheets_notice,
    open_calamine,
    sheet_units,
    visibility_of,
)
from veil.readers.workbook.sheet_names import heading_of, sheet_names_table

log = logging.getLogger(__name__)

_BOF, _EOF, _FILEPASS, _BOUNDSHEET, _NOTE, _HEADER, _FOOTER = 0x0809, 0x000A, 0x002F, 0x0085, 0x001C, 0x14, 0x15
_BENIGN_STREAMS = {"workbook", "book", "\x01compobj", "\x01ole", "\x05documentsummaryinformation",
                   "\x05summaryinformation", "\x01ole10native", "compobj"}
_METADATA_FIELDS = ("title", "subject", "author", "keywords", "comments", "last_saved_by", "company", "manager",
                    "category")


def read_xls(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    """A damaged container (a stream cut short, a broken directory) is unverifiable, and its raw text is checked."""
    try:
        ole = olefile.OleFileIO(io.BytesIO(blob))
    except Exception:  # noqa: BLE001 - olefile raises many kinds on broken input
        yield from damaged_ole_units(blob, "the xls file's OLE structure cannot be read (corrupt or truncated)")
        return
    try:
        problem = ole_damage(ole)
        streams = ["/".join(s) for s in ole.listdir(streams=True, storages=False)]
        book_stream = next((s for s in streams if s.lower() in ("workbook", "book")), None)
        if book_stream is None:
            raise OleDamage(problem or "the xls file has no Workbook stream")
        biff = _walk(stream_bytes(ole, book_stream))
        if biff.encrypted:
            raise LimitExceeded("the xls workbook is password-protected (encrypted)")
        if problem:
            raise OleDamage(problem)
        yield from _sheets(blob, biff, ctx)
        yield from _metadata(ole)
        yield from _other_streams(ole, streams, ctx)
    except OleDamage as exc:
        yield from damaged_ole_units(blob, str(exc))
    finally:
        ole.close()


# --- BIFF records ---------------------------------------------------------------------------------------------


class _Biff:
    """What Veil reads from the raw records itself: the password flag, per sheet its header/footer texts, whether
    there are notes, and cached strings calamine and xlrd ignore (chart data caches, external-link caches)."""

    def __init__(self) -> None:
        self.encrypted = False
        self.headers: dict[int, list[str]] = {}  # sheet order -> header/footer texts
        self.has_notes = False
        self.chart_strings: list[str] = []
        self.link_strings: list[str] = []
        self.bad_dimensions: set[int] = set()  # sheets (in order) whose declared size is beyond BIFF8's grid


_CHART, _LABEL, _SERIESTEXT, _CRN = 0x0020, 0x0204, 0x100D, 0x005A
_DIMENSIONS, _SST = 0x0200, 0x00FC
# BIFF8's own grid: 65,536 rows x 256 columns. calamine sizes its buffers from DIMENSIONS and SST counts, and a
# Rust allocation failure aborts the whole process, so declarations beyond what a real file can hold are refused
# here, before calamine sees them.
_MAX_ROWS, _MAX_COLS = 65_536, 256


def _walk(stream: bytes) -> _Biff:
    biff = _Biff()
    sheet = -1  # -1 is the workbook globals substream
    kinds: list[int] = []  # substream types of the open BOFs (globals, worksheet, chart, ...)
    pos = 0
    while pos + 4 <= len(stream):
        kind, size = struct.unpack_from("<HH", stream, pos)
        data = stream[pos + 4:pos + 4 + size]
        pos += 4 + size
        if kind == _BOF:
            if not kinds and pos > 4 + size:  # every top-level BOF after the first opens a sheet
                sheet += 1
            kinds.append(struct.unpack_from("<H", data, 2)[0] if len(data) >= 4 else 0)
        elif kind == _EOF:
            if kinds:
                kinds.pop()
        elif kind == _FILEPASS and sheet == -1:
            biff.encrypted = True
            return biff
        elif kind == _NOTE:
            biff.has_notes = True
        elif kind in (_HEADER, _FOOTER) and sheet >= 0 and size:
            text = _xl_string(data)
            if text.strip():
                biff.headers.setdefault(sheet, []).append(text)
        elif _CHART in kinds and kind in (_LABEL, _SERIESTEXT):
            text = _unicode(data, 6, 2)[0] if kind == _LABEL else _unicode(data, 2, 1)[0]
            if text.strip():
                biff.chart_strings.append(text)
        elif kind == _CRN:
            biff.link_strings.extend(_crn_strings(data))
        elif kind == _DIMENSIONS and sheet >= 0 and not _plausible_dimensions(data):
            biff.bad_dimensions.add(sheet)
        elif kind in _CELLS and sheet >= 0 and _CHART not in kinds and not _plausible_cell(kind, data):
            biff.bad_dimensions.add(sheet)
        elif kind == _SST and len(data) >= 8:
            total, unique = struct.unpack_from("<II", data, 0)
            if unique > len(stream) or total > 2**31:
                raise LimitExceeded("the xls string table declares more strings than the file can hold (corrupt)")
    return biff


# cell records: row (2 bytes), first column (2 bytes); MULRK/MULBLANK end with their last column
_CELLS = frozenset({0x0006, 0x00BD, 0x00BE, 0x00D6, 0x00FD, 0x0201, 0x0203, 0x0204, 0x0205, 0x027E})
_MULTI = frozenset({0x00BD, 0x00BE})


def _plausible_cell(kind: int, data: bytes) -> bool:
    """A cell within BIFF8's 256 columns: calamine allocates a dense grid over the cells' actual extent."""
    if len(data) < 4:
        return False
    col = struct.unpack_from("<H", data, 2)[0]
    if kind in _MULTI and len(data) >= 6:
        col = max(col, struct.unpack_from("<H", data, len(data) - 2)[0])
    return col < _MAX_COLS


def _plausible_dimensions(data: bytes) -> bool:
    """DIMENSIONS (first row, row after the last, first column, column after the last) within BIFF8's grid and in
    order; BIFF8 stores rows in 4 bytes, BIFF5 in 2."""
    if len(data) >= 14:
        first_row, end_row, first_col, end_col = struct.unpack_from("<IIHH", data, 0)
    elif len(data) >= 8:
        first_row, end_row, first_col, end_col = struct.unpack_from("<HHHH", data, 0)
    else:
        return False
    return first_row <= end_row <= _MAX_ROWS and first_col <= end_col <= _MAX_COLS


def _xl_string(data: bytes) -> str:
    """A BIFF8 XLUnicodeString (2-byte count, flags, chars); BIFF5 strings are one count byte and 8-bit chars."""
    if len(data) >= 3 and data[2] & 0xF2 == 0:
        return _unicode(data, 0, 2)[0]
    return data[1:1 + data[0]].decode("cp1252", errors="replace") if data else ""


def _unicode(data: bytes, pos: int, count_bytes: int) -> tuple[str, int]:
    """An XLUnicodeString at pos (count of 1 or 2 bytes, flags, optional rich-text/phonetic sizes, chars)."""
    try:
        count = data[pos] if count_bytes == 1 else struct.unpack_from("<H", data, pos)[0]
        pos += count_bytes
        flags = data[pos]
        pos += 1
        if flags & 0x08:
            pos += 2
        if flags & 0x04:
            pos += 4
    except (IndexError, struct.error):
        return "", len(data)
    if flags & 0x01:
        return data[pos:pos + 2 * count].decode("utf-16-le", errors="replace"), pos + 2 * count
    return data[pos:pos + count].decode("latin-1"), pos + count


def _crn_strings(data: bytes) -> list[str]:
    """Cached values of cells in another workbook: CRN is colLast, colFirst, row, then one SerAr per cell."""
    if len(data) < 4:
        return []
    found = []
    pos = 4
    for _ in range(data[0] - data[1] + 1):
        if pos >= len(data):
            break
        kind = data[pos]
        pos += 1
        if kind == 0x02:
            text, pos = _unicode(data, pos, 2)
            if text.strip():
                found.append(text)
        else:
            pos += 8
    return found


# --- sheets ---------------------------------------------------------------------------------------------------


def _sheets(blob: bytes, biff: _Biff, ctx: ReadContext) -> Iterator[Unit]:
    formatting = _formatting(blob)
    try:
        if biff.bad_dimensions:
            raise LimitExceeded("a sheet declares a size beyond the xls grid (corrupt)")
        workbook: object | None = open_calamine(blob, "xls")
        listing = _calamine_listing(workbook)
    except LimitExceeded as exc:
        # calamine reads BIFF8 well but not every older or odd file: xlrd then reads the values too
        if "password" in str(exc) or isinstance(formatting, str):
            raise
        workbook, listing = None, formatting.listing
        yield Notice("workbook", Visibility.VISIBLE, "cell values were read with xlrd (calamine could not open it)")
    facts = [SheetFacts(name, f"sheet '{name}'", visibility) for name, visibility, _ in listing]
    headings: dict[str, str | None] = {}
    yield from hidden_sheets_notice("workbook", facts)
    yield from _workbook_texts(biff, formatting)
    for index, ((name, _, kind), fact) in enumerate(zip(listing, facts, strict=True)):
        ctx.budget.check_time()
        if kind != "WorkSheet":
            yield Notice(fact.location, fact.visibility, f"a {kind} is not read")
            continue
        sheet = None if isinstance(formatting, str) else formatting.sheets.get(name)
        if sheet is not None and not isinstance(formatting, str):
            hidden = {r for r, info in sheet.rowinfo_map.items() if info.hidden}
            first, end = formatting.filters.get(name, (0, 0))
            fact.filtered_rows = {r for r in hidden if first <= r < end}
            fact.hidden_rows = hidden - fact.filtered_rows
            fact.hidden_columns = {c for c, info in sheet.colinfo_map.items() if info.hidden}
        try:
            if workbook is None:
                raise LimitExceeded("calamine could not open the workbook")
            grid = calamine_grid(workbook, name, ctx)
        except LimitExceeded as exc:
            if sheet is None or isinstance(formatting, str) or "more than" in str(exc):
                yield Unreadable(fact.location, str(exc))  # one bad sheet: that sheet, not the rest of the file
                continue
            grid = _xlrd_grid(sheet, formatting.datemode, ctx)
        headings[name] = heading_of(grid.frame)
        yield from sheet_units(grid, fact)
        if sheet is not None:
            yield from _notes(sheet, fact)
        texts = [t for t in (_header_text(raw) for raw in biff.headers.get(index, [])) if t]
        if texts:
            yield Text(f"{fact.location} header/footer", Visibility.HEADER_FOOTER, "\n".join(texts))
    yield from sheet_names_table([(f.name, f.visibility, headings.get(f.name)) for f in facts],
                                 "sheet names (workbook)")


def _calamine_listing(workbook: object) -> list[tuple[str, Visibility, str]]:
    metas = list(workbook.sheets_metadata)  # type: ignore[attr-defined]
    return [(m.name, visibility_of(m), str(m.typ).rsplit(".", 1)[-1]) for m in metas]


def _workbook_texts(biff: _Biff, formatting: _Formatting | str) -> Iterator[Unit]:
    if biff.chart_strings:
        yield Text("chart data caches", Visibility.CHART_CACHE, "\n".join(dict.fromkeys(biff.chart_strings)))
    if biff.link_strings:
        yield Notice("external links", Visibility.EXTERNAL_LINK_CACHE,
                     "the workbook keeps cached values from another workbook")
        yield Text("external link caches", Visibility.EXTERNAL_LINK_CACHE,
                   "\n".join(dict.fromkeys(biff.link_strings)))
    if isinstance(formatting, str):
        if biff.has_notes:
            yield Unreadable("workbook", f"cell notes could not be read ({formatting})")
        else:
            yield Notice("workbook", Visibility.VISIBLE,
                         f"hidden rows and columns could not be read ({formatting}); every row was checked")
    elif formatting.names:
        yield Text("defined names", Visibility.DEFINED_NAME, "\n".join(formatting.names))


def _xlrd_grid(sheet: Any, datemode: int, ctx: ReadContext) -> Grid:
    import xlrd

    width = max((sheet.row_len(r) for r in range(sheet.nrows)), default=0)
    if sheet.nrows * width > ctx.budget.limits.max_cells:
        raise LimitExceeded(f"sheet '{sheet.name}' has more than {ctx.budget.limits.max_cells} cells")
    rows: list[list[object]] = []
    for r in range(sheet.nrows):
        row: list[object] = []
        for cell in sheet.row(r):
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    row.append(xlrd.xldate.xldate_as_datetime(cell.value, datemode))
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    row.append(cell.value)
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                row.append(bool(cell.value))
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                row.append(xlrd.error_text_from_code.get(cell.value, "#ERR"))
            else:
                row.append(cell.value)
        rows.append(row)
    return Grid(frame_from_rows(rows, ctx))


@dataclass
class _Formatting:
    """What xlrd adds: its sheets by name (hidden rows/columns, notes), autofilter row spans, literal names."""

    sheets: dict[str, Any] = field(default_factory=dict)
    listing: list[tuple[str, Visibility, str]] = field(default_factory=list)  # (name, visibility, kind) in order
    datemode: int = 0
    filters: dict[str, tuple[int, int]] = field(default_factory=dict)  # rows under the header, end exclusive
    names: list[str] = field(default_factory=list)


def _formatting(blob: bytes) -> _Formatting | str:
    """xlrd's view of the workbook, or the kind of error that stopped it."""
    import xlrd

    try:
        book = xlrd.open_workbook(file_contents=blob, formatting_info=True, on_demand=False,
                                  logfile=io.StringIO(), ragged_rows=True)
    except Exception as exc:  # noqa: BLE001 - xlrd raises many kinds; report which
        return f"xlrd: {type(exc).__name__}"
    states = {0: Visibility.VISIBLE, 1: Visibility.HIDDEN_SHEET, 2: Visibility.VERY_HIDDEN_SHEET}
    found = _Formatting({sheet.name: sheet for sheet in book.sheets()},
                        [(sheet.name, states.get(sheet.visibility, Visibility.HIDDEN_SHEET), "WorkSheet")
                         for sheet in book.sheets()], book.datemode)
    sheet_names = book.sheet_names()
    for name in book.name_obj_list:
        result = getattr(name, "result", None)
        if result is None:
            continue
        if name.name == "_FilterDatabase" and isinstance(result.value, list):
            for ref in result.value:
                coords = getattr(ref, "coords", None)
                if coords and 0 <= coords[0] < len(sheet_names):
                    found.filters[sheet_names[coords[0]]] = (coords[2] + 1, coords[3])
        elif not name.builtin and result.kind == xlrd.oSTRG and isinstance(result.value, str) and result.value:
            found.names.append(f"{name.name}: {result.value}")
    return found


def _notes(sheet: object, fact: SheetFacts) -> Iterator[Unit]:
    for (row, col), note in sorted(sheet.cell_note_map.items()):  # type: ignore[attr-defined]
        text = (note.text or "").strip()
        author = (note.author or "").strip()
        if text or author:
            body = f"{author}: {text}" if author else text
            yield Text(f"{fact.location} cell {cell_ref(row, col)} note", Visibility.COMMENT, body)


_HF_CODES = re.compile(r"&(\"[^\"]*\"|\d+|[LCRPNDTFAZGUESXYBIKO&])")


def _header_text(raw: str) -> str:
    # &L/&C/&R sections and &P (page) style codes are layout, not content
    text = _HF_CODES.sub(lambda m: "&" if m.group(1) == "&" else " ", raw)
    return re.sub(r"[ \t]+", " ", text).strip()


# --- properties and other streams -----------------------------------------------------------------------------


def _metadata(ole: olefile.OleFileIO) -> Iterator[Unit]:
    try:
        meta = ole.get_metadata()
    except Exception:  # noqa: BLE001 - broken property sets are common and not worth failing the file
        yield Notice("document properties", Visibility.METADATA, "the document properties could not be read")
        return
    lines = []
    for name in _METADATA_FIELDS:
        value = getattr(meta, name, None)
        if isinstance(value, bytes):
            value = _decode_property(value)
        if value and str(value).strip():
            lines.append(f"{name.replace('_', ' ')}: {str(value).strip()}")
    if lines:
        yield Text("document properties", Visibility.METADATA, "\n".join(lines))


def _decode_property(value: bytes) -> str:
    value = value.rstrip(b"\x00")
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("cp1252", errors="replace")


def _other_streams(ole: olefile.OleFileIO, streams: list[str], ctx: ReadContext) -> Iterator[Unit]:
    macros = [s for s in streams if s.lower().startswith(("_vba_project_cur/", "_vba_project/"))]
    for root in sorted({m.split("/", 1)[0] for m in macros}):
        if is_vba_storage(ole, [root]):
            yield from read_project(ole, [root], root)
        else:
            yield Unreadable(root, "the macros (VBA project) have no module directory")
    embedded: set[str] = set()
    for stream in streams:
        lower = stream.lower()
        if lower in _BENIGN_STREAMS or stream in macros:
            continue
        top = stream.split("/", 1)[0]
        if lower.startswith("_sx_db_cur/") or lower.startswith("_sx_db/"):
            yield from _pivot_cache(ole, stream)
        elif top.upper().startswith("MBD") and "/" in stream:
            if top not in embedded:
                embedded.add(top)
                yield from _embedded(ole, top, [s for s in streams if s.startswith(top + "/")], ctx)
        else:
            text = loose_strings(stream_bytes(ole, stream))
            yield Notice(stream, Visibility.UNKNOWN_PART, "an OLE stream Veil does not recognise")
            if text:
                yield Text(stream, Visibility.UNKNOWN_PART, text)


def _pivot_cache(ole: olefile.OleFileIO, stream: str) -> Iterator[Unit]:
    where = f"pivot cache ({stream})"
    yield Notice(where, Visibility.PIVOT_CACHE, "the workbook keeps a pivot cache (a copy of the source data)")
    text = loose_strings(stream_bytes(ole, stream))
    if text:
        yield Text(where, Visibility.PIVOT_CACHE, text)


def _embedded(ole: olefile.OleFileIO, storage: str, members: list[str], ctx: ReadContext) -> Iterator[Unit]:
    where = f"embedded object ({storage})"
    by_name = {m.split("/", 1)[1].lower(): m for m in members}
    for inner in ("package", "contents", "\x01ole10native", "workbook", "worddocument", "equationnative"):
        if inner in by_name:
            data = stream_bytes(ole, by_name[inner])
            if inner == "\x01ole10native":
                data = _ole10_native(data)
            yield from ctx.embedded(data, by_name[inner], where, Visibility.EMBEDDED)
            return
    yield Unreadable(where, "an embedded object of a kind Veil does not read")


def _ole10_native(data: bytes) -> bytes:
    # size(4) flags(2) label\0 path\0 reserved(4) tmp-path-len(4) tmp-path\0 size(4) payload
    try:
        pos = 6
        for _ in range(2):
            pos = data.index(b"\x00", pos) + 1
        pos += 4
        tmp_len = struct.unpack_from("<I", data, pos)[0]
        pos += 4 + tmp_len
        size = struct.unpack_from("<I", data, pos)[0]
        return data[pos + 4:pos + 4 + size]
    except (ValueError, struct.error):
        return data[4:]
