"""Sheet names as data: a workbook can name its sheets after people ("GARCIA, Jose", "LOPEZ, Maria" under a title
like "Credible fear detention log"), one sheet per detainee.

The names are read as a column of a table, beside each sheet's own heading (the first text in its top rows), so
the detectors see names tied to the status a heading states, as they would in a roster. Hidden sheets are the
table's hidden rows. The workbook's title is not repeated beside them: a column holding one value in every row
reads to a name classifier like a column of one person's name.
"""

from __future__ import annotations

from collections.abc import Iterator

import polars as pl

from veil.readers.units import Table, Unit, Visibility, table_from_rows

_HEADING_ROWS = 5
_HEADING_COLUMNS = 10


def heading_of(frame: pl.DataFrame) -> str | None:
    """The first text with letters in a sheet's top rows: usually its title."""
    top = frame.head(_HEADING_ROWS)
    for row in top.select(top.columns[:_HEADING_COLUMNS]).iter_rows():
        for value in row:
            if isinstance(value, str) and any(ch.isalpha() for ch in value):
                return " ".join(value.split())[:200]
    return None


def sheet_names_table(sheets: list[tuple[str, Visibility, str | None]], location: str) -> Iterator[Unit]:
    """(name, visibility, heading) of every sheet as one Table: sheet name, sheet heading."""
    if not sheets:
        return
    rows: list[list[object]] = [[name, heading] for name, _, heading in sheets]
    hidden = frozenset(i for i, (_, vis, _) in enumerate(sheets) if vis is not Visibility.VISIBLE)
    table: Table = table_from_rows(rows, location=location, visibility=Visibility.VISIBLE,
                                   header=["sheet name", "sheet heading"], hidden_rows=hidden,
                                   notes=["the names of the workbook's sheets, with each sheet's heading"],
                                   derived=True)
    yield table
