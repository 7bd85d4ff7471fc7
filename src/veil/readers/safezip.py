"""Zip containers (OOXML, ODF, plain zip) read under limits: member count, sizes, compression ratio, and a package
that every zip reader would read the same way.

A zip has two indexes of its members: a local header in front of each member's data, and the central directory at
the end. Readers differ in which they trust (zipfile and Office use the directory; streaming unzippers and some
recovery tools walk the local headers), and the last of two members with one name wins in some and the first in
others. So a container whose two indexes disagree, or that names one member twice, could show one reader a clean
file and another a roster. SafeZip refuses both (`ZipDamage`, a LimitExceeded): the file is then unverifiable, and
`salvage` can still pull the text out of every local entry for the detectors.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from veil.readers.limits import LimitExceeded, Limits

_LOCAL = b"PK\x03\x04"
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_DESCRIPTOR = b"PK\x07\x08"
# zip's optional data descriptor after data written in streaming mode: signature, crc, two sizes (4 or 8 bytes)
_DESCRIPTOR_SIZES = (16, 24, 12, 20)


class ZipDamage(LimitExceeded):
    """The container's structure is ambiguous or damaged: readers could see different members (fail closed)."""


class SafeZip:
    """A zip whose members are read with bounds checked before and during decompression (zip bombs).

    Opening it refuses a package that names a member twice (with `fold_case`, also names that differ only in case
    or a leading slash, as OPC packages compare them) and one holding a member its central directory leaves out."""

    def __init__(self, blob: bytes, limits: Limits, *, fold_case: bool = False) -> None:
        self.limits = limits
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(blob))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise ZipDamage(f"the zip container cannot be read ({type(exc).__name__})") from exc
        if len(infos) > limits.max_members:
            raise LimitExceeded(f"the container has {len(infos)} members, more than the {limits.max_members} limit")
        _refuse_duplicates(infos, fold_case)
        _refuse_unlisted(blob, infos, getattr(self._zip, "start_dir", len(blob)))
        self.infos = {i.filename: i for i in infos if not i.is_dir()}
        self._read_total = 0

    @property
    def names(self) -> list[str]:
        return list(self.infos)

    def encrypted(self, name: str) -> bool:
        return bool(self.infos[name].flag_bits & 0x1)

    def read(self, name: str) -> bytes:
        info = self.infos.get(name)
        if info is None:
            raise KeyError(name)
        if info.flag_bits & 0x1:
            raise LimitExceeded(f"{name} is password-protected")
        if info.file_size > self.limits.max_member_bytes:
            raise LimitExceeded(f"{name} expands to {info.file_size} bytes, over the limit")
        if (
            info.compress_size
            and info.file_size / max(info.compress_size, 1) > self.limits.max_compression_ratio
            and info.file_size > 1024 * 1024
        ):
            ratio = self.limits.max_compression_ratio
            raise LimitExceeded(f"{name} has a compression ratio over {ratio:.0f} (zip bomb)")
        # Declared sizes can lie: stop decompressing once we pass them.
        cap = min(info.file_size, self.limits.max_member_bytes) + 1
        try:
            return self._read_bounded(name, info, cap)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError, ValueError) as exc:
            raise LimitExceeded(f"{name} cannot be decompressed ({type(exc).__name__}: corrupt or truncated)") from exc

    def _read_bounded(self, name: str, info: zipfile.ZipInfo, cap: int) -> bytes:
        chunks = []
        got = 0
        with self._zip.open(info) as fh:
            while True:
                chunk = fh.read(min(1 << 20, cap - got))
                if not chunk:
                    break
                got += len(chunk)
                if got >= cap and got > info.file_size:
                    raise LimitExceeded(f"{name} expands beyond its declared size (zip bomb)")
                chunks.append(chunk)
                self._read_total += len(chunk)
                if self._read_total > self.limits.max_total_uncompressed:
                    raise LimitExceeded("the container expands beyond the total-size limit (zip bomb)")
        return b"".join(chunks)

    def read_or_none(self, name: str) -> bytes | None:
        return self.read(name) if name in self.infos else None


def _name_key(name: str, fold_case: bool) -> str:
    return name.replace("\\", "/").lstrip("/").lower() if fold_case else name


def _refuse_duplicates(infos: list[zipfile.ZipInfo], fold_case: bool) -> None:
    """Two members with one name: which one an application reads is up to the application."""
    seen: set[str] = set()
    for info in infos:
        key = _name_key(info.filename, fold_case)
        if key in seen:
            raise ZipDamage(
                f"the package has two parts named {info.filename}: which one an application reads is ambiguous"
            )
        seen.add(key)


@dataclass(frozen=True)
class LocalEntry:
    """A member as its local header describes it (what a streaming unzipper sees)."""

    offset: int
    name: str
    method: int
    flags: int
    data_start: int
    compressed_size: int  # from the local header; 0 when a data descriptor follows the data


def local_entry(blob: bytes, offset: int) -> LocalEntry | None:
    """The local file header at `offset`, or None when there is no plausible one."""
    if offset < 0 or offset + _LOCAL_HEADER.size > len(blob) or blob[offset : offset + 4] != _LOCAL:
        return None
    (_, _, flags, method, _, _, _, csize, _, nlen, xlen) = _LOCAL_HEADER.unpack_from(blob, offset)
    start = offset + _LOCAL_HEADER.size
    if nlen == 0 or start + nlen + xlen > len(blob):
        return None
    raw = blob[start : start + nlen]
    name = raw.decode("utf-8" if flags & 0x800 else "cp437", "replace")
    return LocalEntry(offset, name, method, flags, start + nlen + xlen, csize)


def _refuse_unlisted(blob: bytes, infos: list[zipfile.ZipInfo], directory_start: int) -> None:
    """Compare the local headers with the central directory: a local entry outside every listed member's bytes is
    a member the directory leaves out (Office never shows it; a streaming unzipper does)."""
    spans: list[tuple[int, int]] = []
    for info in infos:
        entry = local_entry(blob, info.header_offset)
        if entry is None:
            raise ZipDamage(
                f"the central directory points {info.filename} at bytes that are not a local header "
                "(corrupt or tampered container)"
            )
        end = entry.data_start + info.compress_size
        if info.flag_bits & 0x8:
            end += _descriptor_length(blob, end)
        spans.append((info.header_offset, end))
    spans.sort()
    cursor = 0
    gaps: list[tuple[int, int]] = []
    for start, end in spans:
        if start > cursor:
            gaps.append((cursor, start))
        cursor = max(cursor, end)
    if directory_start > cursor:
        gaps.append((cursor, directory_start))
    for lo, hi in gaps:
        at = blob.find(_LOCAL, lo, hi)
        while at >= 0:
            entry = local_entry(blob, at)
            if entry is not None:
                raise ZipDamage(
                    f"the container holds a member ({entry.name}) that its central directory does not "
                    "list: readers would disagree on what is in it"
                )
            at = blob.find(_LOCAL, at + 1, hi)
        if _stray_bytes(blob[lo:hi]):
            raise ZipDamage(
                f"the container holds {hi - lo} bytes between its members that no member owns (hidden or damaged data)"
            )


def _stray_bytes(gap: bytes) -> bool:
    """Data between members: not NUL padding, and not a data descriptor a reader may have sized differently."""
    if len(gap) <= 4 or not gap.strip(b"\x00"):
        return False
    return not (gap.startswith(_DESCRIPTOR) and len(gap) <= 24)


def _descriptor_length(blob: bytes, at: int) -> int:
    if blob[at : at + 4] == _DESCRIPTOR:
        return 16 if len(blob) - at < 24 or blob[at + 16 : at + 18] == b"PK" else 24
    return 12


def salvage(blob: bytes, limits: Limits) -> Iterator[tuple[str, bytes, bool]]:
    """Every member a local header announces, inflated as far as its bytes allow: (name, data, complete?).

    For damaged containers only: nothing here is trusted, everything is bounded (member size, total, count)."""
    total = 0
    at = blob.find(_LOCAL)
    members = 0
    while at >= 0 and members < limits.max_members:
        entry = local_entry(blob, at)
        if entry is None:
            at = blob.find(_LOCAL, at + 1)
            continue
        members += 1
        end = entry.data_start + entry.compressed_size if entry.compressed_size else len(blob)
        raw = blob[entry.data_start : min(end, len(blob))]
        room = min(limits.max_member_bytes, limits.max_total_uncompressed - total)
        data, complete = _inflate(raw, entry.method, room)
        total += len(data)
        if not entry.name.endswith("/"):
            yield entry.name, data, complete
        if total >= limits.max_total_uncompressed:
            return
        at = blob.find(_LOCAL, max(at + 1, entry.data_start + (len(raw) if entry.compressed_size else 0)))


def _inflate(raw: bytes, method: int, cap: int) -> tuple[bytes, bool]:
    if method == 0:
        return raw[:cap], len(raw) <= cap
    if method != 8:
        return b"", False
    inflater = zlib.decompressobj(-15)
    try:
        data = inflater.decompress(raw, cap)
    except zlib.error:
        return b"", False
    return data, inflater.eof


__all__ = ["SafeZip", "ZipDamage", "LocalEntry", "local_entry", "salvage"]
