"""Which wide encoding a text file is in: a byte-order mark, else the pattern of its NUL bytes.

UTF-16 and UTF-32 text written without a byte-order mark is full of NUL bytes, which a naive sniffer takes for a
binary file (and a binary file is never read). The NULs sit in a pattern a binary file does not have:

    UTF-16 LE  'A\\0B\\0'        NULs at odd offsets, none at even ones (ASCII letters, spaces, newlines)
    UTF-16 BE  '\\0A\\0B'        NULs at even offsets
    UTF-32 LE  'A\\0\\0\\0'      the high two bytes of every 4-byte unit are NUL
    UTF-32 BE  '\\0\\0\\0A'      the low two

Non-Latin UTF-16 ('Иван' is 18 04 32 04 ...) has fewer NULs, but its spaces, digits and line ends still put them on
one side only. A pattern is only taken when the sample then decodes to printable text, so a binary file whose NULs
happen to fall on one side is still binary.
"""

from __future__ import annotations

import codecs

# UTF-32 LE's mark begins with UTF-16 LE's: the longer marks are tried first.
BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_SAMPLE = 4096
_PRINTABLE_SHARE = 0.95


def byte_order_mark(blob: bytes) -> tuple[str, int] | None:
    """(codec, length of the mark) when the file starts with a byte-order mark."""
    for mark, codec in BOMS:
        if blob.startswith(mark):
            return codec, len(mark)
    return None


def wide_encoding(blob: bytes) -> tuple[str, int] | None:
    """(codec, bytes to skip) for UTF-16/UTF-32 text, with or without a mark; None for anything else."""
    marked = byte_order_mark(blob)
    if marked is not None:
        return marked if marked[0] != "utf-8" else None
    codec = wide_without_bom(blob[:_SAMPLE])
    return (codec, 0) if codec else None


def wide_without_bom(head: bytes) -> str | None:
    """The UTF-16/UTF-32 codec whose NUL pattern the sample shows and as which it reads as text, else None."""
    if len(head) < 8 or b"\x00" not in head:
        return None
    for codec in _candidates(head):
        if _reads_as_text(head, codec):
            return codec
    return None


def _candidates(head: bytes) -> list[str]:
    quads = head[: len(head) - len(head) % 4]
    lanes = [quads[i::4] for i in range(4)]
    zero = [lane.count(0) / max(len(lane), 1) for lane in lanes]
    found = []
    # No character sets the top byte of a UTF-32 unit, and none needs more than 0x10 in the next.
    if zero[3] == 1.0 and max(lanes[2], default=0) <= 0x10 and zero[0] < 0.5:
        found.append("utf-32-le")
    if zero[0] == 1.0 and max(lanes[1], default=0) <= 0x10 and zero[3] < 0.5:
        found.append("utf-32-be")
    pairs = head[: len(head) - len(head) % 2]
    even = pairs[0::2].count(0) / (len(pairs) / 2)
    odd = pairs[1::2].count(0) / (len(pairs) / 2)
    # Spaces and line ends alone are enough: Chinese text has few, but every line ends in one. The other side has
    # NULs too in text of characters such as U+0100 or U+10000, so both sides are tried, the likelier first, and
    # the decoding decides.
    sides = sorted(((odd, "utf-16-le"), (even, "utf-16-be")), reverse=True)
    found += [codec for share, codec in sides if share >= 0.02]
    return found


def _reads_as_text(head: bytes, codec: str) -> bool:
    unit = 4 if codec.startswith("utf-32") else 2
    sample = head[: len(head) - len(head) % unit]
    text = sample.decode(codec, errors="replace")
    if not text:
        return False
    good = sum(1 for ch in text if ch.isprintable() or ch in "\t\n\r\f\v")
    # The sample may end inside a surrogate pair: one replacement character is allowed for it.
    return good >= _PRINTABLE_SHARE * len(text) and text.count("\ufffd") <= 1
