"""Apple Numbers spreadsheets (.numbers, the single-file package of Numbers 3 and later), read with numbers-parser.

    sheet 'Roster' table 'Detainees'          Table: every cell of the table, spreadsheet column letters
    ... comment on B3                         Text (comment), with its author as metadata
    ... caption                               Text (visible when shown, metadata when not)

The package is a zip of snappy-compressed protobuf archives; before numbers-parser sees it, every member is
checked against the zip limits (count, sizes, compression ratio) and the whole package against the total-size
limit, since the parser inflates everything into memory. Numbers' hidden rows and columns are not told apart by
numbers-parser: their cells are read as visible ones. A password-protected document is unverifiable.
"""

from __future__ import annotations

import tempfile
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from veil.readers.datasets.frames import CellBudget, frame_from_rows
from veil.readers.limits import LimitExceeded
from veil.readers.registry import ReadContext
from veil.readers.safezip import SafeZip
from veil.readers.units import Table, Text, Unit, Visibility

# Snappy expands at most ~21x, on top of the zip's own compression.
_SNAPPY_RATIO = 24


def read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    _check_package(blob, ctx)
    try:
        document = _open(blob)
    except (LimitExceeded, KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException as exc:  # noqa: BLE001 - numbers-parser raises its own and protobuf/snappy errors
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise LimitExceeded("the Numbers document is password-protected") from exc
        raise LimitExceeded(f"the Numbers document could not be read ({type(exc).__name__})") from exc
    budget = CellBudget(ctx)
    for sheet in document.sheets:
        for table in sheet.tables:
            ctx.budget.check_time()
            yield from _table(sheet.name, table, budget)


def _check_package(blob: bytes, ctx: ReadContext) -> None:
    package = SafeZip(blob, ctx.budget.limits)
    total = sum(info.file_size for info in package.infos.values())
    if total * _SNAPPY_RATIO > ctx.budget.limits.max_total_uncompressed:
        raise LimitExceeded("the Numbers document may expand beyond the total-size limit")
    for name in package.names:
        package.read(name)  # raises on a member that lies about its size or is a bomb


def _open(blob: bytes) -> Any:
    from numbers_parser import Document

    with tempfile.TemporaryDirectory(prefix="veil-numbers-") as folder:
        path = Path(folder) / "document.numbers"
        path.write_bytes(blob)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # UnsupportedWarning for features it skips; the cells are still read
            return Document(path)


def _table(sheet: str, table: Any, budget: CellBudget) -> Iterator[Unit]:
    from numbers_parser import xl_col_to_name

    where = f"sheet '{sheet}' table '{table.name}'"
    comments: list[str] = []
    authors: set[str] = set()

    def values() -> Iterator[list[object]]:
        for row in table.iter_rows():
            out: list[object] = []
            for cell in row:
                out.append(_value(cell))
                for comment in getattr(cell, "comments", None) or ():
                    comments.append(f"comment on {xl_col_to_name(cell.col)}{cell.row + 1}: {comment.text}")
                    if getattr(comment, "author", None):
                        authors.add(str(comment.author))
            yield out

    width = int(table.num_cols)
    frame = frame_from_rows(values(), width, budget, f"the table {where}")
    yield Table(location=where, visibility=Visibility.VISIBLE, frame=frame,
                column_labels=[xl_col_to_name(i) for i in range(width)])
    if comments:
        yield Text(f"{where} comments", Visibility.COMMENT, "\n".join(comments))
    if authors:
        yield Text(f"{where} comment authors", Visibility.METADATA, "\n".join(sorted(authors)))
    caption = str(getattr(table, "caption", "") or "").strip()
    if caption and caption != "Caption":  # "Caption" is the placeholder every new table has
        shown = Visibility.VISIBLE if getattr(table, "caption_enabled", False) else Visibility.METADATA
        yield Text(f"{where} caption", shown, caption)


def _value(cell: Any) -> object:
    value = cell.value
    if value is None or value == "":
        return None
    if hasattr(value, "total_seconds"):  # a duration
        return str(cell.formatted_value or value)
    return value
