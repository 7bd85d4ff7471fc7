"""Where a table's header is and which rows are data: spreadsheets carry titles, notes and blank rows around
the grid, and several tables may share a sheet. Pure functions over a Table's frame."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import polars as pl

from veil.detectors.grid import flat_cells
from veil.detectors.identifiers import a_number, parse_date, valid_ssn
from veil.readers.units import Table

_NUMERIC = re.compile(r"^[-+]?[\d,]*\.?\d+%?$")
_SCAN_ROWS = 60
_MAX_PARTS = 200
_ROWS_RANGE = re.compile(r"^rows \d+-\d+")


@dataclass(frozen=True)
class Layout:
    header_row: int | None      # frame row index of the header, None when the table has no header row
    headers: list[str | None]   # one per frame column
    data_start: int             # first frame row of data


def find_layout(table: Table) -> Layout:
    """Find the header row: the first row near the top whose cells are mostly short text labels and which
    covers most of the columns the rows below it fill."""
    frame = table.frame
    if table.header is not None:
        return Layout(None, list(table.header) + [None] * (frame.width - len(table.header)), 0)
    if frame.height == 0:
        return Layout(None, [None] * frame.width, 0)
    top = frame.head(_SCAN_ROWS).rows()
    fill_below = _column_fill(frame.slice(0, 400))
    wide = max(1, sum(1 for f in fill_below if f >= 0.3))
    best: int | None = None
    for r, row in enumerate(top):
        if _is_header_like(row, wide) and r + 1 < frame.height:
            best = r
            # Multi-level headers (a group row over the real header): take the last label row of the run. A group
            # row spans several columns, so it fills fewer cells than the header under it; a full row followed by
            # a row of text only is a header and a first record without numbers.
            while best + 2 < len(top) and _is_header_like(top[best + 1], wide) \
                    and not _has_numbers(top[best + 1]) and _has_numbers(top[best + 2]) \
                    and _filled(top[best]) < _filled(top[best + 1]):
                best += 1
            break
    if best is None:
        return Layout(None, [None] * frame.width, 0)
    headers = [c.strip() if c is not None and c.strip() else None for c in top[best]]
    # A header row that is really data (a roster without a header): its cells look like the values below.
    if _looks_like_data(frame, best):
        return Layout(None, [None] * frame.width, 0)
    return Layout(best, headers, best + 1)


def _is_header_like(row: tuple[str | None, ...], wide: int) -> bool:
    cells = [c for c in row if c is not None and c.strip()]
    labels = [c for c in cells if not _NUMERIC.match(c.strip()) and len(c) <= 80]
    return len(labels) >= 2 and len(labels) >= 0.6 * len(cells) and len(cells) >= max(2, 0.6 * wide)


def _filled(row: tuple[str | None, ...]) -> int:
    return sum(1 for c in row if c is not None and c.strip())


def _has_numbers(row: tuple[str | None, ...]) -> bool:
    return any(c is not None and _NUMERIC.match(c.strip()) for c in row)


def _column_fill(frame: pl.DataFrame) -> list[float]:
    if frame.height == 0:
        return [0.0] * frame.width
    filled = pl.DataFrame({"filled": flat_cells(frame).is_not_null()}).with_row_index("at")
    counts = (filled.group_by(pl.col("at") // frame.height, maintain_order=True).agg(pl.col("filled").sum())
              ["filled"].to_list())
    return [c / frame.height for c in counts]


def _looks_like_data(frame: pl.DataFrame, row: int) -> bool:
    """A row of values, not of labels: an A-number or an SSN alone says so (no header is one), or two cells that
    are dates or 'LAST, FIRST' names."""
    header = frame.row(row)
    hits = 0
    for cell in header:
        if cell is None:
            continue
        text = cell.strip()
        if a_number(text) or valid_ssn(text):
            return True
        if parse_date(text) or ("," in text and len(text.split(",")) == 2 and text.isupper()):
            hits += 1
    return hits >= 2


def stacked_parts(table: Table) -> list[Table]:
    """The tables stacked in one grid, one under another: a header-like row (at once, or under a title) starts a
    new table where it follows a blank row, or a title or note of one cell. Returns nothing when the grid holds one
    table.

    Gaps inside one table (a blank row in a roster) may be cut too: the parts are only ever checked in addition
    to the whole, never instead of it."""
    frame = table.frame
    if table.header is not None or frame.height < 3:
        return []
    filled = frame.select(pl.sum_horizontal(pl.all().is_not_null()).alias("filled")).to_series()
    before = filled.shift(1, fill_value=0)
    after_gap = ((filled > 0) & (before == 0)) | ((filled >= 2) & (before <= 1))
    starts = [r for r in after_gap.arg_true().to_list() if r > 0]
    cuts = [start for start in starts[:_MAX_PARTS] if _starts_a_table(frame, start)]
    if not cuts:
        return []
    bounds = list(zip([0, *cuts], [*cuts, frame.height], strict=True))
    return [_part(table, start, end) for start, end in bounds]


def _starts_a_table(frame: pl.DataFrame, start: int) -> bool:
    below = frame.slice(start, 400)
    wide = max(1, sum(1 for f in _column_fill(below) if f >= 0.3))
    return any(_is_header_like(row, wide) for row in below.head(3).rows())


def _part(table: Table, start: int, end: int) -> Table:
    location = table.location
    if _ROWS_RANGE.match(location):  # delimited text names its rows in the location: name the part's own
        first = table.first_row_number + start
        location = _ROWS_RANGE.sub(f"rows {first}-{table.first_row_number + end - 1}", location, count=1)
    return replace(table, location=location, frame=table.frame.slice(start, end - start),
                   hidden_rows=frozenset(r - start for r in table.hidden_rows if start <= r < end),
                   first_row_number=table.first_row_number + start, total_rows=None)
