"""Archives (zip, tar, tar.gz/bz2/xz, single gzip/bz2/xz files, 7z): every member goes back through the readers.

Nothing is extracted to disk. Bombs are stopped by bounds that hold across the whole tree of nested archives of one
top-level file (member count and total bytes, shared through the file's Budget), by a compression-ratio bound on
each stream, and by the readers' nesting depth (which also ends zip quines). A password-protected member cannot be
read, so it is Unreadable (the file is unverifiable), naming the member.

Member names can themselves be personal data ("GARCIA_JOSE_A123456789.pdf"), so every member's name, read or not, is
a `file name` Text unit (readers/file_names.py).
"""

from __future__ import annotations

import bz2
import io
import lzma
import posixpath
import tarfile
import weakref
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Protocol

from veil.readers.file_names import name_unit
from veil.readers.limits import Budget, LimitExceeded, Limits
from veil.readers.registry import ReadContext
from veil.readers.safezip import SafeZip
from veil.readers.units import Notice, Unit, Unreadable, Visibility

# Files operating systems drop into archives: not content anyone published on purpose, and not readable formats.
_SYSTEM_FILES = ("__MACOSX/", ".DS_Store", "Thumbs.db", "desktop.ini")


@dataclass
class _Tally:
    members: int = 0
    bytes: int = 0

    def add(self, size: int, limits: Limits) -> None:
        self.members += 1
        self.bytes += size
        if self.members > limits.max_members:
            raise LimitExceeded(f"the archive tree holds more than {limits.max_members} members")
        if self.bytes > limits.max_total_uncompressed:
            raise LimitExceeded("the archive tree expands beyond the total-size limit (zip bomb)")


_TALLIES: dict[int, _Tally] = {}


def _tally(budget: Budget) -> _Tally:
    """One running count per top-level file, so nested archives cannot multiply the limits."""
    key = id(budget)
    tally = _TALLIES.get(key)
    if tally is None:
        tally = _TALLIES[key] = _Tally()
        weakref.finalize(budget, _TALLIES.pop, key, None)
    return tally


def read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    if ctx.format == "zip" or blob.startswith(b"PK"):
        yield from _zip(blob, ctx)
    elif ctx.format == "7z" or blob.startswith(b"7z\xbc\xaf\x27\x1c"):
        yield from _seven_zip(blob, ctx)
    else:
        yield from _compressed_or_tar(blob, ctx)


def _listing(names: list[str]) -> Iterator[Unit]:
    """Every member's name, read or not (a password-protected `GARCIA_JOSE_A123456789.pdf` still names him)."""
    for name in names:
        if not _system_file(name):
            unit = name_unit(name, f"member '{name}'", Visibility.ARCHIVE_MEMBER)
            if unit is not None:
                yield unit


def _system_file(name: str) -> bool:
    return name.startswith(_SYSTEM_FILES[0]) or posixpath.basename(name) in _SYSTEM_FILES[1:]


def _member(data: bytes, name: str, ctx: ReadContext) -> Iterator[Unit]:
    yield from ctx.embedded(data, name, f"member '{name}'", Visibility.ARCHIVE_MEMBER, named=False)


def _zip(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    limits = ctx.budget.limits
    z = SafeZip(blob, limits)
    tally = _tally(ctx.budget)
    yield from _listing(z.names)
    skipped = 0
    for name in z.names:
        info = z.infos[name]
        tally.add(info.file_size, limits)
        if _system_file(name):
            skipped += 1
            continue
        where = f"member '{name}'"
        if z.encrypted(name):
            yield Unreadable(where, "the member is password-protected")
            continue
        try:
            data = z.read(name)
        except LimitExceeded as exc:
            if "total-size limit" in str(exc):
                raise
            yield Unreadable(where, str(exc))
            continue
        except NotImplementedError:
            yield Unreadable(where, "the member uses a compression method Veil cannot read")
            continue
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError) as exc:
            yield Unreadable(where, f"the member is corrupt ({type(exc).__name__})")
            continue
        yield from _member(data, name, ctx)
    if skipped:
        yield Notice("archive listing", Visibility.ARCHIVE_MEMBER, f"{skipped} operating-system file(s) not read")


def _cap(blob: bytes, limits: Limits) -> int:
    """How far one compressed stream may expand: the ratio bound (past a 1 MiB floor), never past the total limit."""
    by_ratio = max(1 << 20, int(limits.max_compression_ratio * len(blob)))
    return min(by_ratio, limits.max_total_uncompressed, limits.max_member_bytes)


def _compressed_or_tar(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    kind, raw = _decompress(blob, ctx.budget.limits)
    if len(raw) > 262 and raw[257:262] == b"ustar" or _plain_tar(raw):
        yield from _tar(raw, ctx)
        return
    if kind == "tar":
        raise LimitExceeded("the tar archive cannot be read")
    inner = _inner_name(ctx.name, kind)
    _tally(ctx.budget).add(len(raw), ctx.budget.limits)
    # The inner name is the outer one less its suffix: it was checked as the outer file's name.
    yield from ctx.embedded(raw, inner, f"{kind} member '{inner}'", Visibility.ARCHIVE_MEMBER, named=False)


def _inner_name(name: str, kind: str) -> str:
    base = posixpath.basename(name.replace("\\", "/")) or "file"
    for ext in (".gz", ".gzip", ".bz2", ".xz"):
        if base.lower().endswith(ext):
            return base[: -len(ext)] or "file"
    return base


def _plain_tar(raw: bytes) -> bool:
    """Old (v7) tars have no 'ustar' magic: accept when the first header's checksum is right."""
    if len(raw) < 512:
        return False
    header = raw[:512]
    try:
        stored = int(header[148:156].replace(b"\x00", b" ").strip() or b"-1", 8)
    except ValueError:
        return False
    computed = sum(header[:148]) + 8 * 32 + sum(header[156:])
    return stored == computed


def _decompress(blob: bytes, limits: Limits) -> tuple[str, bytes]:
    cap = _cap(blob, limits)
    ratio = limits.max_compression_ratio
    if blob.startswith(b"\x1f\x8b"):
        return "gzip", bounded_decompress(blob, lambda: _Zlib(31), cap, ratio, "gzip")
    if blob.startswith(b"BZh"):
        return "bzip2", bounded_decompress(blob, bz2.BZ2Decompressor, cap, ratio, "bzip2")
    if blob.startswith(b"\xfd7zXZ\x00"):
        return "xz", bounded_decompress(blob, lzma.LZMADecompressor, cap, ratio, "xz")
    return "tar", blob


def _too_big(cap: int, kind: str) -> LimitExceeded:
    return LimitExceeded(f"the {kind} stream expands beyond {cap} bytes (decompression bomb or over the size limit)")


_IN_CHUNK = 1 << 16  # compressed bytes fed at a time
_OUT_STEP = 1 << 22  # decompressed bytes asked for at a time
_RATIO_FLOOR = 1 << 24  # below this much output the ratio is not judged (small files compress well)


class _Zlib:
    """zlib's decompressor with bz2's and lzma's interface (`needs_input`, input kept inside)."""

    def __init__(self, wbits: int) -> None:
        self._d = zlib.decompressobj(wbits)

    def decompress(self, data: bytes, max_length: int) -> bytes:
        out = self._d.decompress(self._d.unconsumed_tail + data if self._d.unconsumed_tail else data, max_length)
        self._full = len(out) >= max_length
        return out

    @property
    def needs_input(self) -> bool:
        return not self._d.unconsumed_tail and not self._full

    @property
    def eof(self) -> bool:
        return self._d.eof

    @property
    def unused_data(self) -> bytes:
        return self._d.unused_data

    _full = False


class _Decompressor(Protocol):
    @property
    def eof(self) -> bool: ...
    @property
    def needs_input(self) -> bool: ...
    @property
    def unused_data(self) -> bytes: ...

    def decompress(self, data: bytes, max_length: int) -> bytes: ...


def bounded_decompress(blob: bytes, make: Callable[[], _Decompressor], cap: int, ratio: float, kind: str) -> bytes:
    """Decompress one stream (concatenated members included) under two bounds checked as it goes: `cap` bytes in
    all, and `ratio` times the compressed bytes read so far (past a 16 MiB floor). A 5 GB gzip bomb is stopped
    after a few MB of output, not at the cap: memory stays small and the verdict comes quickly."""
    out = bytearray()
    d = make()
    pos = 0
    try:
        while True:
            if d.eof:
                rest = pos - len(d.unused_data)
                if not blob[rest:].strip(b"\x00"):
                    return bytes(out)
                d, pos = make(), rest  # concatenated members
            if d.needs_input:
                if pos >= len(blob):
                    raise LimitExceeded(f"the {kind} stream is truncated")
                data = blob[pos : pos + _IN_CHUNK]
                pos += len(data)
            else:
                data = b""
            out += d.decompress(data, min(_OUT_STEP, cap + 1 - len(out)))
            if len(out) > cap:
                raise _too_big(cap, kind)
            if len(out) > _RATIO_FLOOR and len(out) > ratio * pos:
                raise LimitExceeded(f"the {kind} stream expands more than {ratio:g} times (decompression bomb)")
    except (OSError, zlib.error, lzma.LZMAError, EOFError, ValueError) as exc:
        raise LimitExceeded(f"the {kind} stream is corrupt") from exc


def _tar(raw: bytes, ctx: ReadContext) -> Iterator[Unit]:
    limits = ctx.budget.limits
    tally = _tally(ctx.budget)
    try:
        tf = tarfile.open(fileobj=io.BytesIO(raw), mode="r:")
        members = []
        for member in tf:
            tally.add(0, limits)
            members.append(member)
    except tarfile.TarError as exc:
        raise LimitExceeded(f"the tar archive cannot be read ({type(exc).__name__})") from exc
    yield from _listing([m.name for m in members if not m.isdir()])
    special = 0
    for member in members:
        if member.isdir():
            continue
        if not member.isreg():
            special += 1
            continue
        if _system_file(member.name):
            continue
        if member.size > limits.max_member_bytes:
            yield Unreadable(f"member '{member.name}'", "the member is larger than the size limit")
            continue
        tally.add(member.size, limits)
        try:
            fh = tf.extractfile(member)
            data = fh.read() if fh is not None else b""
        except (tarfile.TarError, OSError, EOFError) as exc:
            yield Unreadable(f"member '{member.name}'", f"the member cannot be read ({type(exc).__name__})")
            continue
        yield from _member(data, member.name, ctx)
    if special:
        yield Notice("archive listing", Visibility.ARCHIVE_MEMBER, f"{special} link(s) or device file(s) not followed")


def _seven_zip(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    import py7zr
    from py7zr.io import BytesIOFactory

    limits = ctx.budget.limits
    tally = _tally(ctx.budget)
    try:
        archive = py7zr.SevenZipFile(io.BytesIO(blob), mode="r")
    except py7zr.exceptions.PasswordRequired as exc:
        raise LimitExceeded("the 7z archive is password-protected (its names are encrypted too)") from exc
    except (
        py7zr.exceptions.Bad7zFile,
        py7zr.exceptions.ArchiveError,
        EOFError,
        OSError,
        ValueError,
        KeyError,
        IndexError,
        TypeError,
        lzma.LZMAError,
    ) as exc:
        raise LimitExceeded(f"the 7z archive cannot be read ({type(exc).__name__})") from exc
    with archive:
        infos = [i for i in archive.list() if not i.is_directory]
        yield from _listing([i.filename for i in infos])
        if archive.needs_password():
            for info in infos:
                yield Unreadable(f"member '{info.filename}'", "the member is password-protected")
            return
        total = sum(i.uncompressed or 0 for i in infos)
        for info in infos:
            tally.add(info.uncompressed or 0, limits)
        if total > _cap(blob, limits):
            raise _too_big(_cap(blob, limits), "7z")
        factory = BytesIOFactory(limit=limits.max_member_bytes)
        try:
            archive.extractall(factory=factory)
        except (py7zr.exceptions.ArchiveError, lzma.LZMAError, EOFError, OSError, ValueError, KeyError) as exc:
            raise LimitExceeded(f"the 7z archive cannot be read ({type(exc).__name__})") from exc
        for info in infos:
            if info.is_symlink or info.filename not in factory.products:
                continue
            product = factory.products[info.filename]
            product.seek(0)
            data = product.read()
            if _system_file(info.filename):
                continue
            yield from _member(data, info.filename, ctx)
