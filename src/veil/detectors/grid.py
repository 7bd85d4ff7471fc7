"""A table's cells as one long column, column after column (column-major), for work that looks at every cell.

Polars does an operation on one column at a cost that does not depend on the table's width, but an operation on a
frame costs time in its width: run once per column, on a table of thousands of columns (a one-line CSV), that is
the square of the width. Cell-wise tests therefore run once on the long column, whatever the table's shape."""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

# Columns past which the table is unpivoted in one go rather than joined column by column.
_WIDE = 64


def flat_cells(frame: pl.DataFrame) -> pl.Series:
    """Every cell of the frame (all String columns), column after column: cell (r, c) is at c * height + r."""
    if frame.width > _WIDE:
        return frame.unpivot()["value"]
    if frame.width == 0:
        return pl.Series("value", [], dtype=pl.String)
    return pl.concat([frame.to_series(c).rename("value") for c in range(frame.width)])


def columns_where(frame: pl.DataFrame, test: Callable[[pl.Series], pl.Series]) -> list[int]:
    """The columns with a cell for which `test` (a boolean Series of the cells it is given) holds."""
    if frame.height == 0 or frame.width == 0:
        return []
    if frame.width <= _WIDE:
        return [c for c in range(frame.width) if test(frame.to_series(c)).any()]
    spots = test(flat_cells(frame)).arg_true()
    return sorted(set((spots // frame.height).to_list()))
