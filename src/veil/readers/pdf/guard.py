"""Checks on a PDF's raw bytes before any parser inflates them, and the byte ranges of earlier revisions.

pdfium inflates whole streams in memory, so a small file whose content stream expands to gigabytes would exhaust
memory before any budget check runs. `check_streams` inflates every Flate stream once, incrementally and without
keeping the output, and refuses the file when one stream or all of them together grow past a bound.
"""

from __future__ import annotations

import binascii
import re
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

from veil.readers.limits import LimitExceeded

MAX_STREAM_BYTES = 256 * 1024 * 1024
# the `stream` keyword that opens stream data (not the one in `endstream`)
_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r)")
_EOF = re.compile(rb"%%EOF[ \t]*(\r\n|\r|\n)?")
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]{0,400}\]|/[A-Za-z0-9]+)")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_LENGTH = re.compile(rb"/Length\s+(\d{1,12})(?!\s+\d+\s+R)")
_EMBEDDED = re.compile(rb"/Type\s*/EmbeddedFile\b")
_CHUNK = 1 << 16
_OUT_CHUNK = 1 << 22


@dataclass
class RawFacts:
    """What the raw bytes say, before any parser repairs them."""

    damaged: list[int] = field(default_factory=list)  # offsets of streams whose data does not decode
    misplaced: int = 0  # cross-reference entries pointing at bytes that are not the object they name
    embedded_files: list[int] = field(default_factory=list)  # offsets of /EmbeddedFile stream data
    page_objects: int = 0  # distinct objects typed /Page (objects inside object streams are not seen)


def check_streams(blob: bytes, max_total: int, tick: Callable[[], None] | None = None) -> RawFacts:
    """Decode every Flate stream once without keeping the output (through an ASCII85 or ASCIIHex layer in front
    of it, as reportlab and others write them). Raise LimitExceeded when one stream inflates past
    MAX_STREAM_BYTES or all of them past `max_total` (a decompression bomb). Report the streams whose data is
    damaged: a filter no PDF reader knows, data that does not inflate or ends before its last block (whether the
    declared /Length or the `endstream` keyword bounds it), data running past the end of the file. An encrypted
    file's streams are ciphertext: only the bomb bounds apply to them."""
    facts = RawFacts(page_objects=_page_objects(blob), misplaced=_misplaced_objects(blob))
    total = 0
    encrypted = b"/Encrypt" in blob
    opened = 0
    for n, match in enumerate(_STREAM.finditer(blob)):
        opened += 1
        if tick is not None and n % 256 == 255:
            tick()
        start = match.end()
        dictionary = _dictionary(blob, match.start())
        filters = _filters(dictionary)
        if _EMBEDDED.search(dictionary):
            facts.embedded_files.append(start)
        extents = _extents(blob, dictionary, start)
        limit = min(MAX_STREAM_BYTES, max_total - total)
        layers: dict[int, bytes | None] = {}  # an ASCII85/ASCIIHex layer decoded once per extent (slow in Python)
        if filters[:1] and filters[0] in _TEXT_LAYERS:
            end = extents[0] if extents else len(blob)
            raw = layers[end] = _text_layer(blob[start:end], filters[0])
            total += _inflated_size(raw or b"", 0, limit) if filters[1:2] == ["Fl"] else 0
        else:
            total += _inflated_size(blob, start, limit)
        if total > max_total:
            raise LimitExceeded(f"the PDF's streams inflate to more than {max_total} bytes (a decompression bomb)")
        window = blob[max(0, match.start() - 4096):match.start()]
        if b"obj" in window and (not _object_header(window) or _garbled(dictionary)):
            facts.damaged.append(start)  # a broken object header or dictionary: no reader can decode the data
        elif not encrypted and not _decodes(blob, start, extents, filters, layers):
            facts.damaged.append(start)
    closed = blob.count(b"endstream")
    if closed > opened:  # a stream whose opening keyword was damaged: its object is no longer a stream
        at = blob.find(b"endstream")
        facts.damaged.append(at if at >= 0 else 0)
    return facts


_TEXT_LAYERS = ("A85", "AHx")
_ALIASES = {"ASCII85Decode": "A85", "ASCIIHexDecode": "AHx", "FlateDecode": "Fl", "LZWDecode": "LZW",
            "RunLengthDecode": "RL", "CCITTFaxDecode": "CCF", "DCTDecode": "DCT"}
_KNOWN = frozenset({"A85", "AHx", "Fl", "LZW", "RL", "CCF", "DCT", "JBIG2Decode", "JPXDecode", "Crypt"})


def _dictionary(blob: bytes, keyword: int) -> bytes:
    head = blob[max(0, keyword - 4096):keyword]
    opened = head.rfind(b"obj")
    return head[opened + 3:] if opened >= 0 else b""


_STRINGS = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>(?!>)")
_BARE_WORD = re.compile(rb"(?<![/\w.#-])[A-Za-z][\w.-]*")
_KEYWORDS = frozenset({b"R", b"true", b"false", b"null", b"obj"})


def _garbled(dictionary: bytes) -> bool:
    """A stream's dictionary that is no longer a dictionary: it does not end with `>>` right before the
    `stream` keyword, or holds a bare word where only /Names, numbers, strings and references belong."""
    if not dictionary.rstrip().endswith(b">>"):
        return True
    body = dictionary[dictionary.find(b"<<"):]
    return any(word not in _KEYWORDS for word in _BARE_WORD.findall(_STRINGS.sub(b" ", body)))


def _filters(dictionary: bytes) -> list[str]:
    """The stream's filter names; a filter array holding anything but names (a damaged "/FlateDecode" read as
    "4FlateDecode") gives an unknown name, so the stream counts as damaged."""
    found = _FILTER.search(dictionary)
    if not found:
        return []
    names = [_ALIASES.get(f.decode("latin-1"), f.decode("latin-1")) for f in _NAME.findall(found.group(1))]
    if _NAME.sub(b"", found.group(1)).strip(b"[] \t\r\n"):
        names.append("(damaged)")
    return names


def _extents(blob: bytes, dictionary: bytes, start: int) -> list[int]:
    """Where the data may end: at its declared /Length, and before the next `endstream` (readers repair a wrong
    length by looking for the keyword). Empty when neither is inside the file (truncated)."""
    out = []
    length = _LENGTH.search(dictionary)
    if length is not None and start + int(length.group(1)) <= len(blob):
        out.append(start + int(length.group(1)))
    end = blob.find(b"endstream", start)
    if end >= 0 and end not in out:
        out.append(end)
    return out


def _decodes(blob: bytes, start: int, extents: list[int], filters: list[str], layers: dict[int, bytes | None]) -> bool:
    """Whether a stream's data decodes to its end with one of its possible extents."""
    if any(f not in _KNOWN for f in filters):
        return False  # a filter name no reader knows (damaged): nobody can decode the data
    if filters[:1] and filters[0] in _TEXT_LAYERS:
        # ASCII85/ASCIIHex layers must each decode, and Flate behind them inflate: pdfium shows a page whose content
        # does not as blank, which would read as a page with nothing on it
        return any(_layers_decode(blob[start:end], filters, layers.get(end)) for end in extents)
    if filters[:1] != ["Fl"]:
        return bool(extents)  # other filters are left to pdfium; the data must at least be in the file
    return any(_deflate_complete(blob[start:end]) for end in extents)


def _layers_decode(raw: bytes, filters: list[str], first: bytes | None) -> bool:
    """Whether a stream's leading text layers decode one after another, and Flate data behind them inflates.
    `first`: the first layer's output when already decoded (it is slow in Python)."""
    data = first if first is not None else _text_layer(raw, filters[0])
    at = 1
    while data is not None and at < len(filters) and filters[at] in _TEXT_LAYERS:
        data = _text_layer(data, filters[at])
        at += 1
    if data is None:
        return False
    return _deflate_complete(data) if filters[at:at + 1] == ["Fl"] else True


def _text_layer(data: bytes, name: str) -> bytes | None:
    try:
        body = re.sub(rb"\s+", b"", data)
        if name == "A85":
            body = body[:body.find(b"~>")] if b"~>" in body else body
            return _a85(body.removeprefix(b"<~"))
        body = body.split(b">", 1)[0]
        return binascii.unhexlify(body + b"0" * (len(body) % 2))
    except (ValueError, binascii.Error):
        return None


_A85_DIGITS = bytes(range(33, 118))
_A85_VALUE = bytes((c - 33) % 256 for c in range(256))


def _a85(body: bytes) -> bytes:
    """ASCII85 without its markers, twice as fast as base64.a85decode (a list comprehension over groups)."""
    if body.translate(None, _A85_DIGITS + b"z"):
        raise ValueError("not ASCII85")
    body = body.replace(b"z", b"!!!!!")
    pad = -len(body) % 5
    digits = (body + b"u" * pad).translate(_A85_VALUE)
    words = [(((digits[i] * 85 + digits[i + 1]) * 85 + digits[i + 2]) * 85 + digits[i + 3]) * 85 + digits[i + 4]
             for i in range(0, len(digits), 5)]
    if words and max(words) > 0xFFFFFFFF:
        raise ValueError("an ASCII85 group out of range")
    out = struct.pack(f">{len(words)}I", *words)
    return out[:len(out) - pad] if pad else out


def _deflate_complete(data: bytes) -> bool:
    """A zlib header, deflate blocks up to the final one without an error, and the Adler-32 checksum after them
    when it is there (some writers leave it out and every reader copes; a wrong one means altered data)."""
    if len(data) < 2 or data[0] & 0x0F != 8 or (data[0] << 8 | data[1]) % 31:
        return False
    inflater = zlib.decompressobj(-15)
    adler = 1
    try:
        for pos in range(2, len(data), _CHUNK):
            adler = zlib.adler32(inflater.decompress(data[pos:pos + _CHUNK], _OUT_CHUNK), adler)
            while inflater.unconsumed_tail and not inflater.eof:
                adler = zlib.adler32(inflater.decompress(inflater.unconsumed_tail, _OUT_CHUNK), adler)
            if inflater.eof:
                trailer = inflater.unused_data[:4]
                return len(trailer) < 4 or int.from_bytes(trailer, "big") == adler
    except zlib.error:
        return False
    return inflater.eof


def _inflated_size(blob: bytes, start: int, limit: int) -> int:
    """Bytes a Flate stream inflates to (0 when it is not Flate data); LimitExceeded past `limit`."""
    inflater = zlib.decompressobj()
    size, pos = 0, start
    try:
        while not inflater.eof and pos < len(blob):
            data = blob[pos:pos + _CHUNK]
            pos += len(data)
            size += len(inflater.decompress(data, _OUT_CHUNK))
            while inflater.unconsumed_tail and size <= limit:
                size += len(inflater.decompress(inflater.unconsumed_tail, _OUT_CHUNK))
            if size > limit:
                raise LimitExceeded(
                    f"a stream at byte {start} inflates to more than {limit} bytes (a decompression bomb)")
    except zlib.error:
        pass  # not Flate data, or damaged (judged by _decodes)
    return size


_HEADER_END = re.compile(rb"(?:^|[\s>])\d+\s+\d+\s+$")


def _object_header(window: bytes) -> bool:
    """Whether the bytes before a `stream` keyword end in an object's header ("12 0 obj") and its dictionary: the
    last `obj` in them is not an `endobj` and has its number and generation before it."""
    last = window.rfind(b"obj")
    return window[last - 3:last] != b"end" and _HEADER_END.search(window[max(0, last - 32):last]) is not None
_XREF = re.compile(rb"(?:^|[\r\n])xref[ \t]*\r?\n")
_XREF_SUB = re.compile(rb"(\d+)[ \t]+(\d+)[ \t]*\r?\n")
_XREF_ENTRY = re.compile(rb"(\d{10})[ \t](\d{5})[ \t]([nf])")
MAX_XREF_ENTRIES = 2_000_000


def _misplaced_objects(blob: bytes) -> int:
    """In-use entries of classic cross-reference tables whose offset does not hold "N G obj" (cross-reference
    streams are left to pdfium)."""
    bad = checked = 0
    for m in _XREF.finditer(blob):
        pos = m.end()
        while (sub := _XREF_SUB.match(blob, pos)) is not None:
            number, count = int(sub.group(1)), int(sub.group(2))
            pos = sub.end()
            for k in range(count):
                entry = _XREF_ENTRY.match(blob, pos)
                if entry is None or checked > MAX_XREF_ENTRIES:
                    break
                pos = entry.end() + 2
                checked += 1
                if entry.group(3) == b"n":
                    at = int(entry.group(1))
                    header = re.match(rb"\s*(\d+)\s+(\d+)\s+obj", blob[at:at + 40])
                    if header is None or int(header.group(1)) != number + k:
                        bad += 1
    return bad


_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z0-9])")
_OBJ = re.compile(rb"(\d+)\s+\d+\s+obj\b")


def _page_objects(blob: bytes) -> int:
    numbers = set()
    for m in _PAGE.finditer(blob):
        head = blob[max(0, m.start() - 2048):m.start()]
        headers = _OBJ.findall(head)
        if headers:
            numbers.add(int(headers[-1]))
    return len(numbers)


def decode_stream(blob: bytes, start: int, cap: int) -> bytes | None:
    """The decoded data of the stream starting at `start` (Flate, optionally behind ASCII85/ASCIIHex, or none),
    at most `cap` bytes; None when it does not decode."""
    keyword = blob.rfind(b"stream", 0, start)
    dictionary = _dictionary(blob, keyword)
    filters, extents = _filters(dictionary), _extents(blob, dictionary, start)
    if not extents:
        return None
    data: bytes | None = blob[start:extents[0]]
    for name in filters:
        if data is None:
            return None
        if name in _TEXT_LAYERS:
            data = _text_layer(data, name)
        elif name == "Fl":
            inflater = zlib.decompressobj()
            try:
                data = inflater.decompress(data, cap + 1)
            except zlib.error:
                return None
        else:
            return None
    return data if data is not None and len(data) <= cap else None


def revision_ends(blob: bytes) -> list[int]:
    """Byte offsets where each revision of an incrementally saved file ends (after its %%EOF), oldest first.

    The last one is the current document; a single entry means the file was saved once."""
    ends = [e for e in (m.end() for m in _EOF.finditer(blob)) if b"startxref" in blob[max(0, e - 1024):e]]
    if ends and b"/Linearized" in blob[:2048]:
        # a linearized file ends its first-page section with a %%EOF of its own: not a revision
        ends = ends[1:]
    # trailing garbage after the last %%EOF still belongs to the current revision
    return ends or [len(blob)]
