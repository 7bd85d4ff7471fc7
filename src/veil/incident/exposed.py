"""The people table of an exposed file, whatever its format.

CSV, XLSX and Parquet go through the linkage reader (`read_people_table`). Anything else Veil can read (PDF tables,
DOCX/ODT tables, XLS/ODS/XLSB, JSON, HTML, archives) goes through Veil's own readers: every table found, hidden ones
included, is considered, and the largest one with a name column and a birth-date or A-number column is taken.
Fail closed: if any part of the file cannot be read, or a table was only sampled, the exposed file is refused —
people in the unread part would otherwise be silently missed.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from veil.errors import UsageError
from veil.incident.linkage_columns import LinkageInputError, PeopleTable, find_columns, read_people_table
from veil.readers.limits import Budget, Limits
from veil.readers.registry import ReadContext, read_blob
from veil.readers.units import Table, Unreadable

_NATIVE = (b"PAR1", b"PK\x03\x04")
_HEADER_SCAN = 25


def _looks_native(path: Path) -> bool:
    """Formats the linkage reader handles itself: Parquet, XLSX (a zip), and delimited text."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if head.startswith(_NATIVE[0]):
        return True
    if head.startswith(_NATIVE[1]):
        return path.suffix.lower() in (".xlsx", ".xlsm")
    if b"\x00" in head or head.lstrip().startswith((b"%PDF", b"<", b"{", b"[", b"\xd0\xcf\x11\xe0")):
        return False
    return True


def _header_table(table: Table) -> pl.DataFrame | None:
    """The table with its header applied: the format's own field names, else the first row of mostly short text
    within the first rows."""
    frame = table.frame
    if table.header:
        return frame.rename(dict(zip(frame.columns, table.header, strict=False)))
    for index, row in enumerate(frame.head(_HEADER_SCAN).rows()):
        cells = [(c or "").strip() for c in row]
        filled = [c for c in cells if c]
        if len(filled) >= 2 and sum(not any(ch.isdigit() for ch in c) and len(c) <= 40 for c in filled) \
                >= max(2, (len(filled) + 1) // 2):
            names, seen = [], set()
            for k, c in enumerate(cells):
                name = c or f"column {k + 1}"
                while name in seen:
                    name += "'"
                seen.add(name)
                names.append(name)
            return frame.slice(index + 1).rename(dict(zip(frame.columns, names, strict=True)))
    return None


def _usable(frame: pl.DataFrame) -> bool:
    try:
        cols = find_columns(frame)
    except UsageError:
        return False
    return any(f in cols for f in ("name", "given", "surname")) and ("dob" in cols or "anumber" in cols)


def read_exposed_table(path: str | Path, sheet: str | None = None) -> PeopleTable:
    """The exposed file's people as a string table. Raises LinkageInputError with a one-line reason."""
    p = Path(path)
    try:
        native = _looks_native(p)
    except OSError as exc:
        raise LinkageInputError(f"cannot open the exposed file {p.name}: {exc.strerror or type(exc).__name__}") \
            from None
    if native:
        return read_people_table(p, sheet, what="exposed file")
    blob = p.read_bytes()
    best: tuple[int, pl.DataFrame, str] | None = None
    for unit in read_blob(blob, ReadContext(name=p.name, budget=Budget(Limits()))):
        if isinstance(unit, Unreadable):
            where = f" ({unit.location})" if unit.location else ""
            raise LinkageInputError(f"cannot read the exposed file {p.name}{where}: {unit.reason}")
        if not isinstance(unit, Table):
            continue
        if unit.total_rows is not None and unit.total_rows > unit.frame.height:
            raise LinkageInputError(f"the table at {unit.location} in {p.name} is too large to read whole")
        frame = _header_table(unit)
        if frame is not None and frame.height and _usable(frame) and (best is None or frame.height > best[0]):
            best = (frame.height, frame, unit.location)
    if best is None:
        raise LinkageInputError(f"no table of people (a name and a birth-date or A-number column) found in {p.name}")
    return PeopleTable(best[1], f"{p.name}: {best[2]}", first_row=1)
