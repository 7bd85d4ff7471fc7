"""Cell grids: calamine's dense rows or Veil's own sparse cell reader, split into blocks of nearby cells.

A roster pasted at column ZZ or row 900,000 beyond a small visible table is a separate block: far from what the
sheet shows (or outside its print area), it gets its own Table so findings can say where it is.

calamine allocates a dense grid from the first to the last used cell, so a sheet with one cell in A1 and one in
XFD1048576 would ask it for 17 billion cells. Such sheets are read sparsely here instead (lxml iterparse).
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl
from lxml import etree

from veil.readers.limits import LimitExceeded
from veil.readers.safexml import iterparse_safe, local
from veil.readers.units import cell_text

# Blank rows/columns that separate a far block from the rest of the sheet.
ROW_GAP = 100
COL_GAP = 20
_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)


@dataclass
class Block:
    """A rectangle of cells (0-based sheet coordinates of its top-left corner) and its frame."""

    row0: int
    col0: int
    frame: pl.DataFrame

    @property
    def row1(self) -> int:
        return self.row0 + self.frame.height - 1

    @property
    def col1(self) -> int:
        return self.col0 + self.frame.width - 1


def _series(name: str, column: Sequence[Any]) -> pl.Series:
    """One column of calamine values as cell_text strings (blanks not yet nulled: see frame_from_rows).

    Text columns go to polars as they are; date columns are formatted by polars; other columns take one
    comprehension (whole floats lose their '.0') or cell_text per cell."""
    kinds = set(map(type, column))
    if kinds <= {str}:
        return pl.Series(name, column, dtype=pl.String)
    if kinds <= {str, dt.date}:
        texts = pl.Series(name, [v if type(v) is str else None for v in column], dtype=pl.String)
        dates = pl.Series(name, [None if type(v) is str else v for v in column], dtype=pl.Date)
        return texts.fill_null(dates.dt.to_string("%Y-%m-%d"))
    if kinds <= {str, float}:
        values = [v if type(v) is str else (str(int(v)) if v.is_integer() and abs(v) < 1e15 else cell_text(v))
                  for v in column]
    else:
        values = [v if type(v) is str else cell_text(v) for v in column]
    return pl.Series(name, values, dtype=pl.String)


def frame_from_rows(rows: list[list[object]]) -> pl.DataFrame:
    """calamine rows (empty cells are '') as a frame of pl.String columns c0..cN; blank cells are null."""
    if not rows:
        return pl.DataFrame()
    # column by column, so only one column of Python values is alive beside the rows (not a transposed copy)
    frame = pl.DataFrame([_series(f"c{i}", [row[i] for row in rows]) for i in range(len(rows[0]))])
    blank = pl.all().str.strip_chars().str.len_bytes() == 0
    return frame.select(pl.when(blank).then(None).otherwise(pl.all()).name.keep())


def split_blocks(frame: pl.DataFrame, row0: int, col0: int) -> list[Block]:
    """Split a dense frame at wide blank bands; trims blank edges. Polars does the null scans."""
    if frame.height == 0 or frame.width == 0:
        return []
    occupied = frame.select(pl.any_horizontal(pl.all().is_not_null()).alias("o"))["o"]
    rows = occupied.arg_true().to_list()
    if not rows:
        return []
    blocks: list[Block] = []
    for r_start, r_end in _runs(rows, ROW_GAP):
        band = frame.slice(r_start, r_end - r_start + 1)
        used = band.select(pl.all().is_not_null().any()).row(0)
        cols = [i for i, u in enumerate(used) if u]
        for c_start, c_end in _runs(cols, COL_GAP):
            part = band.select(band.columns[c_start:c_end + 1])
            part.columns = [f"c{i}" for i in range(part.width)]
            blocks.append(Block(row0 + r_start, col0 + c_start, part))
    return blocks


def _runs(indices: list[int], gap: int) -> Iterator[tuple[int, int]]:
    """Consecutive runs of sorted indices, a new run wherever more than `gap` indices are missing."""
    start = prev = indices[0]
    for i in indices[1:]:
        if i - prev > gap:
            yield start, prev
            start = i
        prev = i
    yield start, prev


def sparse_blocks(cells: dict[tuple[int, int], str], max_cells: int) -> list[Block]:
    """Blocks from a sparse {(row, col): text} map, refusing blocks whose dense size would explode."""
    if not cells:
        return []
    by_row: dict[int, list[int]] = {}
    for r, c in cells:
        by_row.setdefault(r, []).append(c)
    blocks: list[Block] = []
    dense = 0
    budget = max(8 * len(cells), 2_000_000)
    for r_start, r_end in _runs(sorted(by_row), ROW_GAP):
        band_cols = sorted({c for r in by_row if r_start <= r <= r_end for c in by_row[r]})
        for c_start, c_end in _runs(band_cols, COL_GAP):
            height, width = r_end - r_start + 1, c_end - c_start + 1
            dense += height * width
            if dense > min(budget, max_cells):
                raise LimitExceeded("a sheet's cells are spread too thinly to read as a grid (sparse-sheet bomb?)")
            columns: list[list[str | None]] = [[None] * height for _ in range(width)]
            for r in range(r_start, r_end + 1):
                for c in by_row.get(r, ()):
                    if c_start <= c <= c_end:
                        columns[c - c_start][r - r_start] = cells[(r, c)]
            frame = pl.DataFrame({f"c{i}": col for i, col in enumerate(columns)},
                                 schema={f"c{i}": pl.String for i in range(width)})
            # a band's column run may still have blank rows at its top or bottom: trim them
            blocks.extend(split_blocks(frame, r_start, c_start))
    return blocks


_SI = re.compile(rb"<(?:\w+:)?si\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?si>)", re.S)
_PHONETIC = re.compile(rb"<(?:\w+:)?rPh\b.*?</(?:\w+:)?rPh>", re.S)
_T = re.compile(rb"<(?:\w+:)?t\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?t>)", re.S)


def shared_strings(data: bytes | None, part: str = "xl/sharedStrings.xml") -> list[str]:
    """The shared-string table, phonetic runs left out. A flat regex pass over <si><t>... (~10x faster than lxml
    here); a DTD is refused first, and entities other than the predefined five are never expanded."""
    if not data:
        return []
    iterparse_safe(data, part)
    out: list[str] = []
    for m in _SI.finditer(data):
        body = _PHONETIC.sub(b"", m.group(1) or b"")
        text = b"".join(t.group(1) or b"" for t in _T.finditer(body)).decode("utf-8", "replace")
        out.append(html.unescape(text) if "&" in text else text)
    return out


def _rich_text(el: etree._Element) -> str:
    parts = []
    for t in el.iter():
        if local(t.tag) == "t" and t.text and not any(local(a.tag) == "rPh" for a in t.iterancestors()):
            parts.append(t.text)
    return "".join(parts)


def read_cells(data: bytes, part: str, strings: list[str], dates: set[int], date1904: bool,
               max_cells: int, check_time: Callable[[], None] = lambda: None) -> dict[tuple[int, int], str]:
    """Veil's own reader for a worksheet's values: {(row, col): text}, 0-based. Used where calamine cannot go."""
    from veil.readers.xlsx.package import cell_ref

    iterparse_safe(data, part)
    cells: dict[tuple[int, int], str] = {}
    row = -1
    col = -1
    context = etree.iterparse(io.BytesIO(data), events=("start", "end"), tag=("{*}row", "{*}c"),
                              resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    for event, el in context:
        if event == "start":
            if local(el.tag) == "row":
                r = el.get("r")
                row = int(r) - 1 if r and r.isdigit() else row + 1
                col = -1
            continue
        if local(el.tag) == "row":
            el.clear()
            continue
        ref = el.get("r")
        pos = cell_ref(ref) if ref else None
        row, col = pos if pos else (max(row, 0), col + 1)
        if len(el):
            text = _cell_value(el, strings, dates, date1904)
            if text is not None:
                cells[(row, col)] = text
                if len(cells) > max_cells:
                    raise LimitExceeded(f"a sheet has more than {max_cells} cells")
                if not len(cells) & 0xFFFF:
                    check_time()
        el.clear()
    return cells


def _cell_value(el: etree._Element, strings: list[str], dates: set[int], date1904: bool) -> str | None:
    kind = el.get("t", "n")
    v = next((c.text for c in el if local(c.tag) == "v"), None)
    if kind == "inlineStr":
        inline = next((c for c in el if local(c.tag) == "is"), None)
        return cell_text(_rich_text(inline)) if inline is not None else None
    if v is None:
        return None
    if kind == "s":
        index = int(v) if v.strip().isdigit() else -1
        return cell_text(strings[index]) if 0 <= index < len(strings) else None
    if kind == "b":
        return "TRUE" if v.strip() in ("1", "true") else "FALSE"
    if kind in ("str", "e", "d"):
        return cell_text(v)
    try:
        number = float(v)
    except ValueError:
        return cell_text(v)
    style = el.get("s", "0")
    if style.isdigit() and int(style) in dates and 0 <= number < 2958466:
        return cell_text(serial_date(number, date1904))
    return cell_text(number)


def serial_date(serial: float, date1904: bool = False) -> dt.date | dt.datetime:
    """An Excel serial as a date (or datetime when it has a time part); 1900 system's leap-year bug honoured."""
    if date1904:
        value = _EPOCH_1904 + dt.timedelta(days=serial)
    else:
        value = _EPOCH_1900 + dt.timedelta(days=serial + (1 if serial < 60 else 0))
    return value.date() if serial == int(serial) else value
