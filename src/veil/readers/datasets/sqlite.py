"""SQLite databases: every table and every view as a Table whose `header` is its column names.

The bytes are written to a private temporary copy and opened read-only and immutable (`mode=ro&immutable=1`), so
the original is never touched and SQLite never writes a journal. A database is hostile input: views are SQL that
runs when read, so the connection is locked down before anything is read: no attached databases, no extension
loading, `trusted_schema` off, an authorizer that allows reads and built-in functions only, a cap on the length of
any value, and a progress handler that stops a query past the file's time budget.

    table 'people' (sqlite, 5 columns)        Table, header = column names, every value as text
    view 'v_asylum' (sqlite, 3 columns)       Table (a view that cannot run is Unreadable, naming it)
    trigger/view SQL                          Text (metadata): string literals in a schema are data too
    deleted rows (free pages)                 Table (earlier-revision): rows of dropped tables and large deletes
                                              that were never wiped (sqlite_pages.py)
    BLOB cells                                text when they are UTF-8; a file of a format Veil reads goes back
                                              through the readers (`table 'docs' row 3 column 'pdf'`); other
                                              bytes are a Notice

Every table is read whole or the file is unverifiable (the cell limit holds across the file). A database whose
pages cannot be read ("database disk image is malformed") is Unreadable for the part that failed.
"""

from __future__ import annotations

import sqlite3
import struct
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

from veil.readers.datasets.frames import CellBudget, frame_from_rows
from veil.readers.datasets.sqlite_pages import deleted_rows
from veil.readers.limits import LimitExceeded
from veil.readers.registry import ReadContext
from veil.readers.sniff import sniff
from veil.readers.units import Notice, Table, Text, Unit, Unreadable, Visibility

MAGIC = b"SQLite format 3\x00"
MAX_VALUE_BYTES = 64 * 1024 * 1024
MAX_EMBEDDED = 200
QUERY_SECONDS = 60.0
_FETCH = 5_000
_READABLE_BLOBS = frozenset({"sqlite", "parquet", "pdf", "docx", "xlsx", "xls", "xlsb", "ods", "odt", "pptx", "doc",
                             "zip", "gzip", "7z", "tar", "eml", "msg", "rtf", "html", "json", "ndjson", "delimited"})


def read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    missing = _missing_pages(blob)
    if missing:
        yield Unreadable("", f"the database is truncated: {missing} of its pages are missing")
    budget = CellBudget(ctx)
    with tempfile.TemporaryDirectory(prefix="veil-sqlite-") as folder:
        path = Path(folder) / "copy.sqlite"
        path.write_bytes(blob)
        connection = _connect(path, ctx)
        try:
            yield from _read(connection, budget, ctx)
        finally:
            connection.close()
    yield from _deleted(blob, budget)


def _missing_pages(blob: bytes) -> int:
    """Pages the header says the database has beyond the end of the bytes. SQLite reads a truncated file without
    complaint until a query reaches a missing page, and a table cut short would look complete."""
    if len(blob) < 100:
        return 1
    page_size, = struct.unpack(">H", blob[16:18])
    page_size = 65536 if page_size == 1 else page_size
    change_counter, pages = struct.unpack(">II", blob[24:32])
    valid_for, = struct.unpack(">I", blob[92:96])
    if valid_for != change_counter or not pages or page_size < 512:
        return 0  # written by an old SQLite: the size in the header is not kept up to date
    return max(0, pages - len(blob) // page_size)


def _connect(path: Path, ctx: ReadContext) -> sqlite3.Connection:
    uri = f"file:{quote(str(path))}?mode=ro&immutable=1"
    try:
        connection = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    except sqlite3.Error as exc:
        raise LimitExceeded(f"the SQLite database cannot be opened ({type(exc).__name__})") from exc
    connection.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
    connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    connection.execute("PRAGMA trusted_schema = OFF")
    connection.set_authorizer(_authorize)
    connection.text_factory = _text
    return connection


def _limit_time(connection: sqlite3.Connection, ctx: ReadContext) -> None:
    """One query may take QUERY_SECONDS and never more than the file has left: a view that never ends (a recursive
    CTE) costs that view, not the rest of the database. The query stops itself a little before the file's budget
    runs out: the budget's watchdog would otherwise have to raise inside SQLite's callbacks, where an exception can
    be swallowed (by a garbage-collector callback, say) instead of ending the check."""
    budget = ctx.budget
    deadline = min(budget.started + budget.limits.seconds * 0.9, time.monotonic() + QUERY_SECONDS)
    connection.set_progress_handler(lambda: int(bool(budget.exceeded) or time.monotonic() > deadline), 10_000)


_ALLOWED = frozenset({sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_FUNCTION, sqlite3.SQLITE_RECURSIVE})


def _authorize(action: int, arg1: str | None, arg2: str | None, db: str | None, source: str | None) -> int:
    if action in _ALLOWED:
        return sqlite3.SQLITE_OK
    if action == sqlite3.SQLITE_PRAGMA and arg1 in ("table_info", "table_xinfo"):
        return sqlite3.SQLITE_OK
    return sqlite3.SQLITE_DENY


def _text(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _read(connection: sqlite3.Connection, budget: CellBudget, ctx: ReadContext) -> Iterator[Unit]:
    _limit_time(connection, ctx)
    try:
        schema = connection.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE type IN ('table', 'view', 'trigger') ORDER BY rowid"
        ).fetchall()
    except sqlite3.Error as exc:
        raise LimitExceeded(_failure("the database schema", exc)) from exc
    for kind, name, _ in schema:
        # Internal tables (sqlite_sequence, sqlite_stat1) hold counters and table names, not data.
        if kind in ("table", "view") and not str(name).lower().startswith("sqlite_"):
            yield from _relation(connection, kind, str(name), budget, ctx)
    sql = [str(text) for kind, _, text in schema if kind in ("view", "trigger") and text]
    if sql:
        yield Text("schema (views and triggers)", Visibility.METADATA, "\n\n".join(sql))


def _deleted(blob: bytes, budget: CellBudget) -> Iterator[Unit]:
    for width, rows in sorted(deleted_rows(blob).items()):
        where = f"deleted rows of {width} fields (free pages)"
        frame = frame_from_rows(rows, width, budget, "the deleted rows")
        yield Table(location=where, visibility=Visibility.EARLIER_REVISION, frame=frame)
        yield Notice(where, Visibility.EARLIER_REVISION, f"{len(rows)} deleted row(s) are still in the file's free "
                                                          "pages (dropped or deleted, never wiped)")


def _relation(connection: sqlite3.Connection, kind: str, name: str, budget: CellBudget,
              ctx: ReadContext) -> Iterator[Unit]:
    quoted = '"' + name.replace('"', '""') + '"'
    where = f"{kind} '{name}'"
    _limit_time(connection, ctx)
    try:
        cursor = connection.execute(f"SELECT * FROM {quoted}")  # noqa: S608 - a quoted identifier from the schema
    except sqlite3.Error as exc:
        yield Unreadable(where, _failure(f"the {kind}", exc))
        return
    header = [str(d[0]) for d in cursor.description or ()]
    blobs = _Blobs()
    try:
        frame = frame_from_rows(_rows(cursor, blobs, ctx), len(header), budget, f"the {kind} '{name}'")
    except sqlite3.Error as exc:
        yield Unreadable(where, _failure(f"the {kind}", exc))
        return
    except LimitExceeded as exc:  # this relation is too large; the others are still read
        yield Unreadable(where, str(exc))
        return
    where = f"{where} (sqlite, {len(header)} columns)"
    yield Table(location=where, visibility=Visibility.VISIBLE, frame=frame, header=header)
    yield from blobs.units(header, where, ctx)


@dataclass
class _Blobs:
    """Binary cells: files of a format Veil reads (kept to go back through the readers) and the rest (counted)."""

    files: list[tuple[int, int, bytes]] = field(default_factory=list)
    overflow: bool = False
    opaque: int = 0

    def cell(self, value: bytes, row: int, col: int) -> str:
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            pass
        if sniff(value) not in _READABLE_BLOBS:
            self.opaque += 1
        elif len(self.files) < MAX_EMBEDDED:
            self.files.append((row, col, value))
        else:
            self.overflow = True
        return f"(binary, {len(value)} bytes)"

    def units(self, header: list[str], where: str, ctx: ReadContext) -> Iterator[Unit]:
        for row, col, data in self.files:
            place = f"{where} row {row} column '{header[col]}'"
            yield from ctx.embedded(data, f"{header[col]}-{row}", place, Visibility.EMBEDDED)
        if self.overflow:
            yield Unreadable(where, f"more than {MAX_EMBEDDED} binary values hold files; the rest were not read")
        if self.opaque:
            yield Notice(where, Visibility.VISIBLE, f"{self.opaque} binary value(s) of no format Veil reads (images, "
                                                   "keys, compressed data) were not read")


def _rows(cursor: sqlite3.Cursor, blobs: _Blobs, ctx: ReadContext) -> Iterator[list[object]]:
    number = 0
    while True:
        batch = cursor.fetchmany(_FETCH)
        if not batch:
            return
        ctx.budget.check_time()
        for row in batch:
            number += 1
            yield [blobs.cell(value, number, col) if isinstance(value, bytes) else value
                   for col, value in enumerate(row)]


def _failure(what: str, exc: sqlite3.Error) -> str:
    message = str(exc).lower()
    if "interrupted" in message:
        return f"reading {what} took longer than the time budget"
    if "malformed" in message or "not a database" in message or "corrupt" in message:
        return f"{what} cannot be read: the database is corrupt or truncated"
    if "not authorized" in message or "prohibited" in message:
        return f"{what} runs SQL that Veil does not allow in a file (it was not run)"
    return f"{what} cannot be read ({type(exc).__name__})"
