"""Polyglots and appended data: bytes after the end of a file's format are read as whatever they are.

A clean PDF with a roster zip after its last `%%EOF`, a zip followed by a roster CSV, a spreadsheet with a zip
glued on: every viewer shows the first format, and `unzip` or `tail` gets the rest. So the bytes past the end of the
format go back through the readers (location "appended data", visibility unknown-part): a zip there is read as a
zip, text as text, and bytes of no format Veil reads are Unreadable, so the file is never `pass` with appended
bytes that were not verified. Where each format ends:

- PDF: its last `%%EOF` (incremental updates append whole revisions, each ending in `%%EOF`);
- zip containers (zip, docx, xlsx, pptx, odt, ods, odp, epub, ...): the end-of-central-directory record and its
  comment;
- OLE compound files (xls, doc, ppt, msg): the last sector its allocation table uses (files of up to 109
  allocation-table sectors, about 7 MB with 512-byte sectors; larger ones are not measured);
- SQLite: its page count times its page size;
- any other format: a zip whose end record closes the file (its central directory says where it starts).

Whitespace and NUL padding after the end is not data.
"""

from __future__ import annotations

import struct

_EOCD = b"PK\x05\x06"
_LOCAL = b"PK\x03\x04"
_EOCD_SEARCH = 22 + 65535  # the record and the longest comment
_PADDING = b" \t\r\n\x00\x0c"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SQLITE = b"SQLite format 3\x00"
_FREE_SECTOR = 0xFFFFFFFF
_HEADER_DIFAT = 109


def appended_data(blob: bytes, fmt: str) -> tuple[int, bytes] | None:
    """(offset, bytes) of data past the end of `fmt` in `blob`, or None."""
    start: int | None
    if fmt == "pdf":
        end = blob.rfind(b"%%EOF")
        start = end + 5 if end >= 0 else len(blob)
    elif blob.startswith(_LOCAL) or blob.startswith(_EOCD):
        start = zip_end(blob)
    else:
        start = trailing_zip_start(blob)
        if start is None and blob.startswith(_OLE):
            start = ole_end(blob)
        elif start is None and blob.startswith(_SQLITE):
            start = sqlite_end(blob)
    if start is None or start >= len(blob) or not blob[start:].strip(_PADDING):
        return None
    while blob[start] in _PADDING:
        start += 1
    return start, blob[start:]


def _eocd(blob: bytes) -> int:
    return blob.rfind(_EOCD, max(0, len(blob) - _EOCD_SEARCH))


def zip_end(blob: bytes) -> int | None:
    """Where a zip's end-of-central-directory record (with its comment) ends, or None without one."""
    at = _eocd(blob)
    if at < 0 or at + 22 > len(blob):
        return None
    (comment,) = struct.unpack_from("<H", blob, at + 20)
    return at + 22 + comment


def trailing_zip_start(blob: bytes) -> int | None:
    """Where a zip appended to another format starts: its central directory's size and offset, counted back from
    its end record, land on a local header (or, if the offsets count from the file's start, its first one)."""
    at = _eocd(blob)
    if at < 0 or at + 22 > len(blob):
        return None
    size, offset = struct.unpack_from("<II", blob, at + 12)
    start = at - size - offset
    if start > 0 and blob[start : start + 4] == _LOCAL:
        return start
    first = blob.find(_LOCAL)
    return first if 0 < first < at else None


def ole_end(blob: bytes) -> int | None:
    """Where an OLE compound file's last allocated sector ends (None when the header cannot tell)."""
    if len(blob) < 512:
        return None
    (shift,) = struct.unpack_from("<H", blob, 0x1E)
    if shift not in (9, 12):
        return None
    size = 1 << shift
    (fat_sectors,) = struct.unpack_from("<I", blob, 0x2C)
    if not 0 < fat_sectors <= _HEADER_DIFAT:
        return None
    difat = struct.unpack_from(f"<{_HEADER_DIFAT}I", blob, 0x4C)[:fat_sectors]
    last = -1
    per_sector = size // 4
    for n, sector in enumerate(difat):
        offset = (sector + 1) * size
        if sector >= 0xFFFFFFFA or offset + size > len(blob):
            return None  # a damaged or truncated file: the readers say so
        entries = struct.unpack_from(f"<{per_sector}I", blob, offset)
        for i in range(per_sector - 1, -1, -1):
            if entries[i] != _FREE_SECTOR:
                last = max(last, n * per_sector + i)
                break
    return (last + 2) * size if last >= 0 else None


def sqlite_end(blob: bytes) -> int | None:
    """Where a SQLite database's last page ends, when its header's page count is current."""
    if len(blob) < 100:
        return None
    (page_size,) = struct.unpack_from(">H", blob, 16)
    page_size = 65536 if page_size == 1 else page_size
    change, pages = struct.unpack_from(">II", blob, 24)
    (valid_for,) = struct.unpack_from(">I", blob, 92)
    if page_size < 512 or pages == 0 or valid_for != change:
        return None
    return pages * page_size


__all__ = ["appended_data", "ole_end", "sqlite_end", "trailing_zip_start", "zip_end"]
