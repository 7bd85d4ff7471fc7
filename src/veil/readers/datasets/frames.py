"""What the dataset readers share: rows of Python values to a string frame a chunk at a time, under the cell limit.

A dataset reader (SQLite, SPSS/Stata/SAS, Arrow) knows its fields' names, so its Tables carry `header` and the
frame has no header row. Every table is read whole or refused: past the file's cell budget the reader raises
LimitExceeded (unverifiable), because a sample of a dataset is not a check of it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

from veil.readers.limits import LimitExceeded
from veil.readers.registry import ReadContext
from veil.readers.units import table_from_rows

_CHUNK_ROWS = 20_000


class CellBudget:
    """The cells one file may still yield: the limit holds across all the tables of the file, not per table."""

    def __init__(self, ctx: ReadContext) -> None:
        self.ctx = ctx
        self.left = ctx.budget.limits.max_cells

    def take(self, cells: int, what: str) -> None:
        self.left -= cells
        if self.left < 0:
            raise LimitExceeded(f"{what} holds more than the {self.ctx.budget.limits.max_cells} cells Veil reads")


def frame_from_rows(rows: Iterable[Sequence[object]], width: int, budget: CellBudget, what: str) -> pl.DataFrame:
    """Rows of Python values as a frame of pl.String columns c0, c1, ... (values as `cell_text` spells them)."""
    chunks: list[pl.DataFrame] = []
    part: list[Sequence[object]] = []
    before = budget.left
    try:
        for row in rows:
            part.append(row)
            if len(part) >= _CHUNK_ROWS:
                chunks.append(_chunk(part, width, budget, what))
                part = []
        if part or not chunks:
            chunks.append(_chunk(part, width, budget, what))
    except BaseException:
        budget.left = before  # what was refused is not kept, so its cells are free for the next table
        raise
    return pl.concat(chunks, how="vertical", rechunk=True) if len(chunks) > 1 else chunks[0]


def _chunk(part: list[Sequence[object]], width: int, budget: CellBudget, what: str) -> pl.DataFrame:
    budget.take(len(part) * max(width, 1), what)
    budget.ctx.budget.check_time()
    rows: list[list[object]] = [list(r) + [None] * (width - len(r)) for r in part] or [[None] * width]
    frame = table_from_rows(rows, location="").frame
    return frame if part else frame.clear()
