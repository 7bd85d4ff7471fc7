"""Checks on a PDF's raw bytes before any parser inflates them, and the byte ranges of earlier revisions.

pdfium inflates whole streams in memory, so a small file whose content stream expands to gigabytes would exhaust
memory before any budget check runs. `check_streams` inflates every Flate stream once, incrementally and without
keeping the output, and refuses the file when one stream or all of them together grow past a bound.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

from veil.readers.limits import LimitExceeded

MAX_STREAM_BYTES = 256 * 1024 * 1024
_STREAM = re.compile(rb"stream\r?\n")
_EOF = re.compile(rb"%%EOF[ \t]*(\r\n|\r|\n)?")
_CHUNK = 1 << 16
_OUT_CHUNK = 1 << 22


def check_streams(blob: bytes, max_total: int, tick: Callable[[], None] | None = None) -> None:
    """Raise LimitExceeded when a Flate stream inflates past MAX_STREAM_BYTES or all of them past `max_total`."""
    total = 0
    for n, match in enumerate(_STREAM.finditer(blob)):
        if tick is not None and n % 256 == 255:
            tick()
        total += _inflated_size(blob, match.end(), min(MAX_STREAM_BYTES, max_total - total))
        if total > max_total:
            raise LimitExceeded(f"the PDF's streams inflate to more than {max_total} bytes (a decompression bomb)")


def _inflated_size(blob: bytes, start: int, limit: int) -> int:
    inflater = zlib.decompressobj()
    size, pos = 0, start
    try:
        while not inflater.eof and pos < len(blob):
            data = blob[pos:pos + _CHUNK]
            pos += len(data)
            out = inflater.decompress(data, _OUT_CHUNK)
            size += len(out)
            while inflater.unconsumed_tail and size <= limit:
                size += len(inflater.decompress(inflater.unconsumed_tail, _OUT_CHUNK))
            if size > limit:
                raise LimitExceeded(
                    f"a stream at byte {start} inflates to more than {limit} bytes (a decompression bomb)")
    except zlib.error:
        pass  # not Flate data (an image, another filter) or a damaged stream: pdfium decides what to do with it
    return size


def revision_ends(blob: bytes) -> list[int]:
    """Byte offsets where each revision of an incrementally saved file ends (after its %%EOF), oldest first.

    The last one is the current document; a single entry means the file was saved once."""
    ends = [e for e in (m.end() for m in _EOF.finditer(blob)) if b"startxref" in blob[max(0, e - 1024):e]]
    if ends and b"/Linearized" in blob[:2048]:
        # a linearized file ends its first-page section with a %%EOF of its own: not a revision
        ends = ends[1:]
    # trailing garbage after the last %%EOF still belongs to the current revision
    return ends or [len(blob)]
