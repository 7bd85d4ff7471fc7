"""Damaged containers: say the file is unverifiable, and still pull out whatever text is in it for the detectors.

A truncated .ppt still holds its slide text in plain UTF-16; a zip without its central directory still holds every
member's compressed data behind a local header. A file whose structure cannot be parsed is `unverifiable` (fail
closed) and, because an unverifiable file may already be public, the text that ordinary tools recover from it is
checked too, so the finding says who is in it.

    read_damaged_zip / read_damaged_ole     readers for the formats sniffing could not open ("corrupt-zip", ...)
    text_runs(blob, where)                  UTF-16LE and 8-bit printable runs of any bytes, as one Text
    zip_text(blob, ctx, where)              every local entry of a damaged zip: XML as text, files back through
                                            the readers
    open_ole / stream / ole_damage          olefile with truncation made visible (olefile pads or cuts silently)
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Callable, Iterator

from veil.readers.limits import LimitExceeded
from veil.readers.registry import ReadContext
from veil.readers.safezip import ZipDamage, salvage
from veil.readers.units import Text, Unit, Unreadable, Visibility

TEXT_CAP = 4_000_000
_RUN_8 = re.compile(rb"[\x20-\x7e\x80-\xff\t]{4,}")
# UTF-16LE: Latin-1 letters (high byte 0) and Latin Extended-A (high byte 1: Polish, Czech, Turkish names)
_RUN_16 = re.compile(rb"(?:[\x20-\x7e\xa0-\xff\t]\x00|[\x00-\x7f]\x01){4,}")
_BREAKS = re.compile(rb"</(?:\w+:)?(?:p|tr|row|si|h|li|r)>|<(?:\w+:)?(?:br|tab|cr)\b[^>]*/?>|</text:(?:p|h)>", re.I)
_TAG = re.compile(rb"<[^>]{0,4096}>?")
_PICTURES = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".wdp", ".jfif")
DAMAGED_ZIP = "the file looks like a zip container but its directory cannot be read (corrupt or truncated)"
DAMAGED_OLE = "the file looks like a legacy Office file but its structure cannot be read (corrupt or truncated)"
UNKNOWN_OLE = "an OLE compound file of a kind Veil does not read"


def loose_strings(data: bytes, limit: int = TEXT_CAP) -> str:
    """Readable runs in binary data (UTF-16LE, Office's own text, and 8-bit), one per line, each once."""
    data = data[:64 * 1024 * 1024]
    found = [m.decode("utf-16-le", "replace") for m in _RUN_16.findall(data)]
    found += [m.decode("cp1252", "replace") for m in _RUN_8.findall(data.replace(b"\x00", b"\n"))]
    seen: dict[str, None] = {}
    for text in found:
        for line in re.split(r"[\r\n\x0b]+", text):
            line = line.strip()
            if len(line) >= 4 and any(ch.isalnum() for ch in line):
                seen.setdefault(line, None)
    return "\n".join(seen)[:limit]


def text_runs(blob: bytes, where: str, visibility: Visibility = Visibility.UNKNOWN_PART) -> Iterator[Unit]:
    """The readable runs of raw bytes as one Text (nothing when there are none)."""
    text = loose_strings(blob)
    if text:
        yield Text(where, visibility, text)


def xml_text(data: bytes) -> str:
    """The text of XML that may be cut off anywhere: tags dropped, paragraph/row/string ends kept as line breaks."""
    marked = _BREAKS.sub(b"\n", data)
    text = _TAG.sub(b" ", marked).decode("utf-8", "replace")
    lines = (" ".join(html.unescape(line).split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def zip_text(blob: bytes, ctx: ReadContext, where: str = "") -> Iterator[Unit]:
    """What a streaming unzipper recovers from a damaged zip: each local entry's text, located by its name."""
    prefix = f"{where} " if where else ""
    for name, data, complete in salvage(blob, ctx.budget.limits):
        ctx.budget.check_time()
        location = f"{prefix}recovered entry '{name}'" + ("" if complete else " (cut off)")
        head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
        if head.startswith(b"<"):
            text = xml_text(data)
            if text:
                yield Text(location, Visibility.UNKNOWN_PART, text[:TEXT_CAP])
        elif complete and data and not name.lower().endswith(_PICTURES):
            yield from ctx.embedded(data, name.rsplit("/", 1)[-1], location, Visibility.UNKNOWN_PART)
        elif data:
            yield from text_runs(data, location)


def read_damaged_zip(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    """A zip whose central directory cannot be read: unverifiable, and its entries' text is checked."""
    yield Unreadable("", DAMAGED_ZIP)
    yield from zip_text(blob, ctx)


def salvaging(read: Callable[[bytes, ReadContext], Iterator[Unit]]) -> Callable[[bytes, ReadContext], Iterator[Unit]]:
    """Wrap a zip-package reader: a package SafeZip refuses as ambiguous (a member named twice, one left out of
    the central directory) is unverifiable, and the text of every local entry is still checked."""
    def wrapped(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
        try:
            yield from read(blob, ctx)
        except ZipDamage as exc:
            yield Unreadable("", str(exc))
            yield from zip_text(blob, ctx)
    wrapped.__doc__ = read.__doc__
    return wrapped


def read_damaged_ole(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    """An OLE file Veil cannot open (or of a kind it does not read): unverifiable, and its raw text is checked."""
    yield Unreadable("", DAMAGED_OLE if ctx.format == "corrupt-ole" else UNKNOWN_OLE)
    yield from text_runs(blob, "strings in the file (raw scan)")


class OleDamage(LimitExceeded):
    """A stream of an OLE file is shorter than its directory says, or the directory itself is broken."""


def open_ole(blob: bytes) -> object:
    import olefile

    try:
        return olefile.OleFileIO(io.BytesIO(blob))
    except Exception as exc:  # noqa: BLE001 - olefile raises many kinds on broken input
        raise OleDamage(f"the OLE container cannot be read ({type(exc).__name__})") from exc


def stream(ole: object, path: str | list[str]) -> bytes:
    """A stream's bytes, refusing a stream cut short: olefile returns what it has when the file is truncated."""
    name = path if isinstance(path, str) else "/".join(path)
    data: bytes = ole.openstream(name).read()  # type: ignore[attr-defined]
    declared = ole.get_size(name)  # type: ignore[attr-defined]
    if len(data) < declared:
        raise OleDamage(f"the stream {name.split('/')[-1]!r} is cut short ({len(data)} of {declared} bytes): the file"
                        " is truncated or damaged")
    return data


def ole_damage(ole: object) -> str | None:
    """What olefile noticed while opening (a directory entry out of range, a broken FAT), if anything."""
    issues = getattr(ole, "parsing_issues", None) or []
    if issues:
        return f"the OLE container's directory is damaged ({issues[0][1]})"
    return None


def damaged_ole_units(blob: bytes, reason: str) -> Iterator[Unit]:
    """The units for a legacy file whose structure broke while reading: why, and the raw text."""
    yield Unreadable("", reason)
    yield from text_runs(blob, "strings in the file (raw scan)")
