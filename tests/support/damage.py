"""Seeded ways to damage a file the way a careless tool, a bad disk or an attacker does: truncation, flipped bytes,
a zip member named twice (the last copy benign), a zip member left out of the central directory.

    from support.damage import mutants, drop_from_directory, duplicate_member
    for how, blob in mutants(original, seed=3, count=20): ...
"""

from __future__ import annotations

import io
import random
import struct
import warnings
import zipfile
from collections.abc import Iterator

_CD = b"PK\x01\x02"
_EOCD = b"PK\x05\x06"


def truncate(blob: bytes, rng: random.Random) -> bytes:
    return blob[: rng.randrange(len(blob) // 8, len(blob))]


def flip(blob: bytes, rng: random.Random, times: int = 0) -> bytes:
    data = bytearray(blob)
    for _ in range(times or rng.randint(1, 12)):
        data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
    return bytes(data)


def directory_records(blob: bytes) -> tuple[int, list[tuple[str, bytes]], int]:
    """(central directory offset, [(name, raw record)], end-of-directory offset) of a plain zip."""
    end = blob.rfind(_EOCD)
    (_, _, _, _, _, size, offset, _) = struct.unpack_from("<4sHHHHIIH", blob, end)
    records = []
    pos = offset
    while blob[pos:pos + 4] == _CD:
        nlen, xlen, clen = struct.unpack_from("<HHH", blob, pos + 28)
        length = 46 + nlen + xlen + clen
        records.append((blob[pos + 46:pos + 46 + nlen].decode("utf-8", "replace"), blob[pos:pos + length]))
        pos += length
    return offset, records, end


def drop_from_directory(blob: bytes, name: str) -> bytes:
    """The same zip with `name` left out of the central directory: its local entry and data stay in the file."""
    offset, records, end = directory_records(blob)
    kept = [raw for member, raw in records if member != name]
    if len(kept) == len(records):
        raise KeyError(name)
    directory = b"".join(kept)
    comment = blob[end + 22:]
    eocd = struct.pack("<4sHHHHIIH", _EOCD, 0, 0, len(kept), len(kept), len(directory), offset, len(comment))
    return blob[:offset] + directory + eocd + comment


def duplicate_member(blob: bytes, name: str, replacement: bytes) -> bytes:
    """The same zip with a second member named `name` appended after all others (its content `replacement`): a
    reader that takes the last copy sees the replacement, one that takes the first sees the original."""
    src = zipfile.ZipFile(io.BytesIO(blob))
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate: that is the point
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                dst.writestr(info, src.read(info.filename))
            dst.writestr(name, replacement)
    return out.getvalue()


def hide_member(blob: bytes, name: str, data: bytes) -> bytes:
    """Add a member `name` holding `data` that the central directory does not list."""
    return drop_from_directory(duplicate_member(blob, name, data) if name not in zipfile.ZipFile(io.BytesIO(blob))
                               .namelist() else blob, name)


def mutants(blob: bytes, seed: int, count: int = 20) -> Iterator[tuple[str, bytes]]:
    """`count` seeded damaged copies: truncations, flipped bits and, for zips, ambiguous directories."""
    rng = random.Random(seed)
    names = []
    if blob[:4] == b"PK\x03\x04":
        names = [i.filename for i in zipfile.ZipFile(io.BytesIO(blob)).infolist() if not i.is_dir()]
    for k in range(count):
        kind = ("truncate", "flip", "duplicate", "drop")[k % (4 if names else 2)]
        if kind == "truncate":
            yield kind, truncate(blob, rng)
        elif kind == "flip":
            yield kind, flip(blob, rng)
        elif kind == "duplicate":
            yield kind, duplicate_member(blob, rng.choice(names), b"<x/>")
        else:
            yield kind, drop_from_directory(blob, rng.choice(names))
