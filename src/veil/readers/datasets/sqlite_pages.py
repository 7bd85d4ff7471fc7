"""Rows a SQLite database no longer shows but still holds: `DROP TABLE` and large `DELETE`s put whole pages on the
freelist without wiping them (unless `secure_delete` was on or the file was vacuumed), so a roster dropped before a
database was published is still in its bytes.

The freelist is walked from the header (trunk pages list leaf pages); every free page that still has the layout of
a table leaf page (type 0x0D) has its cells decoded as records (serial types -> values), and the rows are returned
grouped by their number of fields. Rows deleted inside pages that are still in use are not recovered (their first
bytes are overwritten by the free-block chain). Pure parsing of bytes: nothing here runs SQL.
"""

from __future__ import annotations

import struct
from collections.abc import Iterator

MAX_FREE_PAGES = 100_000
_TABLE_LEAF = 0x0D


def deleted_rows(blob: bytes) -> dict[int, list[list[object]]]:
    """Rows recovered from free pages, keyed by their number of fields."""
    if len(blob) < 100:
        return {}
    page_size = struct.unpack(">H", blob[16:18])[0]
    page_size = 65536 if page_size == 1 else page_size
    reserved = blob[20]
    if page_size < 512:
        return {}
    rows: dict[int, list[list[object]]] = {}
    for page in _free_pages(blob, page_size):
        start = (page - 1) * page_size
        data = blob[start:start + page_size - reserved]
        if len(data) < 8 or data[0] != _TABLE_LEAF:
            continue
        for row in _cells(data, page_size - reserved):
            rows.setdefault(len(row), []).append(row)
    return rows


def _free_pages(blob: bytes, page_size: int) -> Iterator[int]:
    trunk, total = struct.unpack(">II", blob[32:40])
    seen: set[int] = set()
    pages = 0
    while trunk and trunk not in seen and pages < min(total, MAX_FREE_PAGES):
        seen.add(trunk)
        start = (trunk - 1) * page_size
        header = blob[start:start + 8]
        if len(header) < 8:
            return
        following, count = struct.unpack(">II", header)
        leaves = blob[start + 8:start + 8 + 4 * min(count, (page_size - 8) // 4)]
        for (leaf,) in struct.iter_unpack(">I", leaves[: len(leaves) - len(leaves) % 4]):
            pages += 1
            yield leaf
        trunk = following


def _cells(page: bytes, usable: int) -> Iterator[list[object]]:
    count = struct.unpack(">H", page[3:5])[0]
    max_local = usable - 35
    for i in range(min(count, (len(page) - 8) // 2)):
        pointer = struct.unpack(">H", page[8 + 2 * i:10 + 2 * i])[0]
        if not 8 <= pointer < len(page):
            continue
        try:
            payload_size, at = _varint(page, pointer)
            _, at = _varint(page, at)  # rowid
            record = page[at:at + min(payload_size, max_local)]
            row = _record(record)
        except (IndexError, ValueError, struct.error):
            continue
        if row is not None and any(isinstance(v, str) and v.strip() for v in row):
            yield row


def _record(record: bytes) -> list[object] | None:
    header_size, at = _varint(record, 0)
    if not 1 <= header_size <= len(record):
        return None
    types = []
    while at < header_size:
        serial, at = _varint(record, at)
        types.append(serial)
    values: list[object] = []
    at = header_size
    for serial in types:
        size = _serial_size(serial)
        raw = record[at:at + size]
        at += size
        if len(raw) < size:  # the rest is on an overflow page: keep what is here
            values.append(raw.decode("utf-8", "replace") if serial >= 13 and serial % 2 else None)
            continue
        values.append(_value(serial, raw))
    return values


def _serial_size(serial: int) -> int:
    if serial >= 12:
        return (serial - 12) // 2
    return (0, 1, 2, 3, 4, 6, 8, 8, 0, 0, 0, 0)[serial]


def _value(serial: int, raw: bytes) -> object:
    if serial == 0:
        return None
    if 1 <= serial <= 6:
        return int.from_bytes(raw, "big", signed=True)
    if serial == 7:
        return struct.unpack(">d", raw)[0]
    if serial in (8, 9):
        return serial - 8
    if serial >= 13 and serial % 2:
        return raw.decode("utf-8", "replace")
    return f"(binary, {len(raw)} bytes)"


def _varint(data: bytes, at: int) -> tuple[int, int]:
    value = 0
    for i in range(9):
        byte = data[at + i]
        if i == 8:
            return (value << 8) | byte, at + 9
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            return value, at + i + 1
    raise ValueError("varint")
