"""What the xls, xlsb and ods readers share: opening a workbook with calamine, turning a sheet into a Table with
its hidden rows and columns, and saying what was hidden."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import polars as pl

from veil.readers.limits import LimitExceeded
from veil.readers.registry import ReadContext
from veil.readers.units import Notice, Table, Unit, Visibility, cell_text
from veil.readers.xlsx.package import col_letters

_CHUNK_ROWS = 20_000


def open_calamine(blob: bytes, kind: str) -> object:
    """A CalamineWorkbook, or LimitExceeded with a one-line reason (password, corrupt)."""
    import python_calamine as pc

    try:
        return pc.CalamineWorkbook.from_filelike(io.BytesIO(blob))
    except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except pc.PasswordError as exc:
        raise LimitExceeded(f"the {kind} workbook is password-protected") from exc
    except (pc.CalamineError, pc.XmlError, pc.ZipError) as exc:
        if "password" in str(exc).lower() or "encrypt" in str(exc).lower():
            raise LimitExceeded(f"the {kind} workbook is password-protected") from exc
        raise LimitExceeded(f"the {kind} workbook could not be parsed (corrupt or truncated)") from exc
    except BaseException as exc:  # noqa: BLE001 - pyo3's PanicException on malformed input
        raise LimitExceeded(f"the {kind} workbook could not be parsed ({type(exc).__name__})") from exc


def visibility_of(meta: object) -> Visibility:
    """A calamine SheetMetadata's visibility as ours."""
    import python_calamine as pc

    state = getattr(meta, "visible", None)
    if state == pc.SheetVisibleEnum.Hidden:
        return Visibility.HIDDEN_SHEET
    if state == pc.SheetVisibleEnum.VeryHidden:
        return Visibility.VERY_HIDDEN_SHEET
    return Visibility.VISIBLE


@dataclass
class Grid:
    """A sheet's used area: the frame and where its top-left cell sits (0-based)."""

    frame: pl.DataFrame
    row0: int = 0
    col0: int = 0


def calamine_grid(workbook: object, name: str, ctx: ReadContext) -> Grid:
    """The used area of one sheet as a Grid; LimitExceeded for sheets over the cell limit or that calamine cannot
    parse (it panics, raising a BaseException, on some malformed records: that must not escape the reader)."""
    try:
        sheet = workbook.get_sheet_by_name(name)  # type: ignore[attr-defined]
        start = sheet.start
        if start is None:
            return Grid(pl.DataFrame(schema={"c0": pl.String}).clear())
        if sheet.height * sheet.width > ctx.budget.limits.max_cells:
            raise LimitExceeded(f"sheet '{name}' has more than {ctx.budget.limits.max_cells} cells")
        return Grid(frame_from_rows(sheet.to_python(), ctx), start[0], start[1])
    except (LimitExceeded, KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException as exc:  # noqa: BLE001 - see docstring: pyo3's PanicException is a BaseException
        raise LimitExceeded(f"the sheet could not be parsed ({type(exc).__name__})") from exc


def frame_from_rows(rows: Iterable[list[object]], ctx: ReadContext) -> pl.DataFrame:
    """Rows of cell values (any type; '' for empty) as a frame of pl.String columns c0..cN, built in chunks."""
    chunks: list[pl.DataFrame] = []
    part: list[list[object]] = []
    for row in rows:
        part.append(row)
        if len(part) >= _CHUNK_ROWS:
            ctx.budget.check_time()
            chunks.append(_chunk(part))
            part = []
    if part or not chunks:
        chunks.append(_chunk(part))
    frame = pl.concat(chunks, how="diagonal") if len(chunks) > 1 else chunks[0]
    order: list[str] = sorted(frame.columns, key=lambda name: int(name[1:]))
    return frame.select(order)


def _chunk(part: list[list[object]]) -> pl.DataFrame:
    width = max((len(r) for r in part), default=1) or 1
    columns: list[list[str | None]] = [[] for _ in range(width)]
    for row in part:
        n = len(row)
        for i in range(width):
            columns[i].append(cell_text(row[i]) if i < n else None)
    return pl.DataFrame({f"c{i}": col for i, col in enumerate(columns)},
                        schema={f"c{i}": pl.String for i in range(width)})


def cell_ref(row: int, col: int) -> str:
    return f"{col_letters(col)}{row + 1}"


@dataclass
class SheetFacts:
    """What a reader knows about a sheet besides its values; rows and columns are 0-based sheet indices."""

    name: str
    location: str
    visibility: Visibility = Visibility.VISIBLE
    hidden_rows: set[int] = field(default_factory=set)
    filtered_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)


def sheet_units(grid: Grid, facts: SheetFacts) -> Iterator[Unit]:
    """The sheet's Table and a Notice for each kind of hidden content it holds."""
    frame = grid.frame
    if frame.height == 0:
        yield Notice(facts.location, facts.visibility, "the sheet has no cell data")
        return
    rows = {r - grid.row0 for r in facts.hidden_rows | facts.filtered_rows if 0 <= r - grid.row0 < frame.height}
    filtered = {r - grid.row0 for r in facts.filtered_rows if 0 <= r - grid.row0 < frame.height}
    cols = {c - grid.col0 for c in facts.hidden_columns if 0 <= c - grid.col0 < frame.width}
    notes = list(facts.notes)
    if filtered:
        notes.append(f"{len(filtered)} of the hidden rows are filtered out")
    yield Table(location=facts.location, visibility=facts.visibility, frame=frame, hidden_rows=frozenset(rows),
                hidden_columns=frozenset(cols),
                column_labels=[col_letters(grid.col0 + i) for i in range(frame.width)],
                first_row_number=grid.row0 + 1, notes=notes)
    plain = rows - filtered
    if plain:
        held = "hold data" if _any_data(frame, plain) else "are empty"
        yield Notice(facts.location, Visibility.HIDDEN_ROW, f"{len(plain)} hidden row(s) {held}")
    if filtered:
        yield Notice(facts.location, Visibility.FILTERED_ROW, f"{len(filtered)} row(s) are hidden by a filter")
    if cols:
        names = ", ".join(col_letters(grid.col0 + c) for c in sorted(cols)[:20])
        yield Notice(facts.location, Visibility.HIDDEN_COLUMN, f"hidden column(s) {names}")


def _any_data(frame: pl.DataFrame, rows: set[int]) -> bool:
    return any(any(v is not None for v in frame.row(r)) for r in sorted(rows)[:1000])


def hidden_sheets_notice(where: str, sheets: list[SheetFacts]) -> Iterator[Unit]:
    hidden = [s for s in sheets if s.visibility is not Visibility.VISIBLE]
    if hidden:
        very = sum(1 for s in hidden if s.visibility is Visibility.VERY_HIDDEN_SHEET)
        extra = f" ({very} very hidden)" if very else ""
        yield Notice(where, Visibility.HIDDEN_SHEET, f"{len(hidden)} of {len(sheets)} sheet(s) are hidden{extra}")
