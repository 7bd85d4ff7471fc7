"""Fast pre-filtering for prose scans: find cheap trigger spots first, run the full patterns only around them.

Python's regex engine cannot skip ahead quickly for patterns that open with a look-behind, a case-insensitive
alternation or `\\b`; `str.find` and patterns opening with a literal can. Scanning a megabyte of prose with a dozen
full patterns takes seconds; scanning windows around triggers takes milliseconds.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator


def lowered(text: str) -> str | None:
    """`text.lower()` when it keeps every offset (it does unless rare characters such as 'İ' expand)."""
    global _LAST
    if _LAST is not None and _LAST[0] is text:
        return _LAST[1]
    low = text.lower()
    result = low if len(low) == len(text) else None
    _LAST = (text, result)  # the detectors scan the same text several times in a row
    return result


_LAST: tuple[str, str | None] | None = None


def find_all(haystack: str, needle: str) -> Iterator[int]:
    i = haystack.find(needle)
    while i >= 0:
        yield i
        i = haystack.find(needle, i + 1)


def word_windows(text: str, triggers: Iterable[str], before: int, after: int) -> list[tuple[int, int]]:
    """Merged spans around every case-insensitive occurrence of a trigger (the whole text if offsets would shift)."""
    low = lowered(text)
    if low is None:
        return [(0, len(text))]
    spans = []
    for trigger in triggers:
        for i in find_all(low, trigger):
            spans.append((max(0, i - before), min(len(text), i + len(trigger) + after)))
    return merge(spans)


def regex_windows(text: str, trigger: re.Pattern[str], before: int, after: int) -> list[tuple[int, int]]:
    """Merged spans around every match of a cheap trigger pattern (one that opens with a literal or a class)."""
    spans = [(max(0, m.start() - before), min(len(text), m.end() + after)) for m in trigger.finditer(text)]
    return merge(spans)


def merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    spans.sort()
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def finditer_in(rx: re.Pattern[str], text: str, windows: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """Matches of `rx` inside the windows. Look-arounds still see the characters just outside each window."""
    last_end = -1
    for start, end in windows:
        for m in rx.finditer(text, start, end):
            if m.start() >= last_end:
                last_end = m.end()
                yield m
