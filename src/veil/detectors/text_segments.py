"""Split prose into the places a fact can tie a person to something: sentences, lines (list items, table rows) and
paragraphs. Shared by the free-text detector and `veil screen`.

The splitter works on character offsets so that matches found by regexes over the whole text can be assigned to a
segment with a binary search, which keeps a megabyte of prose well under a second.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

# Abbreviations whose trailing period does not end a sentence (lower-cased, without the final period).
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof sr sra srta dra lic ing no nos nr núm num st jr vs etc inc ltd co corp dept gen col capt
    lt sgt rep sen gov hon jud atty esq approx fig vol pp p art sec av avda apt ud uds ee uu e.e.u.u u.s u.s.a
    a.m p.m i.e e.g cf ca al a.k.a aka d.o.b f.n tel ext""".split()
)

# Candidate sentence ends: terminal punctuation (with closing quotes/brackets) followed by whitespace.
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_PARA = re.compile(r"\n[ \t]*\n\s*")
_BULLET = re.compile(r"\s*(?:[-*•·‣▪◦]|\(?\d{1,3}[.)]|\(?[a-z][.)])\s")
_TABLEISH = re.compile(r"\t| {3,}|\s\|\s")


@dataclass(frozen=True)
class Segment:
    """A sentence (or list item / table row / short line) with its paragraph number and span in the text."""

    start: int
    end: int
    paragraph: int
    index: int  # 1-based sentence number within the list it was split into


def split_sentences(text: str) -> list[Segment]:
    """Sentences of `text`, in order, as spans (numbered through the text). Blank sentences are left out."""
    out: list[Segment] = []
    for para, (start, end) in enumerate(paragraph_spans(text)):
        split_paragraph(text, start, end, para, out)
    return out


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """Paragraphs (runs separated by blank lines) as (start, end) spans covering the text."""
    spans = []
    pos = 0
    for match in _PARA.finditer(text):
        spans.append((pos, match.start()))
        pos = match.end()
    spans.append((pos, len(text)))
    return spans


def split_paragraph(text: str, start: int, end: int, para: int, out: list[Segment], restart: bool = False) -> None:
    """Append the sentences of text[start:end] (one paragraph) to `out`; numbering continues from `out` unless
    `restart` numbers them from 1 within the paragraph."""
    base = len(out) if restart else 0
    for line_start, line_end in _line_groups(text, start, end):
        cut = line_start
        for m in _END.finditer(text, line_start, line_end):
            if _is_abbreviation(text, line_start, m.start(), m.group(0)):
                continue
            nxt = _next_visible(text, m.end(), line_end)
            # A lower-case word after the period usually continues the sentence ("approx. five", "No. 4").
            if nxt is not None and text[nxt].islower() and m.group(0)[0] == ".":
                continue
            _emit(text, cut, m.end(), para, out, base)
            cut = m.end()
        _emit(text, cut, line_end, para, out, base)


def _line_groups(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Lines joined into runs: a wrapped sentence continues over a newline, a list item or table row does not."""
    group_start = start
    pos = start
    while pos < end:
        nl = text.find("\n", pos, end)
        if nl < 0:
            break
        line = text[pos:nl]
        following = text[nl + 1: min(end, nl + 200)]
        if _line_breaks_here(line, following):
            yield group_start, nl
            group_start = nl + 1
        pos = nl + 1
    yield group_start, end


def _line_breaks_here(line: str, following: str) -> bool:
    stripped = line.rstrip()
    if not stripped:
        return True
    if stripped[-1] in ".!?:;…" or _TABLEISH.search(line) or _BULLET.match(following) or _BULLET.match(line):
        return True
    if _TABLEISH.search(following.split("\n", 1)[0]):
        return True
    # Short lines are headings, form fields ("Name: ...") or signature blocks, not wrapped prose.
    return len(stripped) < 40


def _is_abbreviation(text: str, line_start: int, dot: int, punct: str) -> bool:
    if punct[0] != ".":
        return False
    word_start = dot
    while word_start > line_start and (text[word_start - 1].isalnum() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].lower().rstrip(".")
    if not word:
        return False
    if word in _ABBREVIATIONS:
        return True
    # Initials ("J. Smith") and dotted acronyms ("U.S.") do not end sentences; a lower-case letter does (Creole's
    # article ends many sentences: "randevou a. Entèvyou ou a ...").
    if len(word) == 1 and word.isalpha():
        return text[word_start].isupper()
    return "." in word and all(len(part) <= 2 for part in word.split("."))


def _next_visible(text: str, pos: int, end: int) -> int | None:
    while pos < end and text[pos].isspace():
        pos += 1
    return pos if pos < end else None


def _emit(text: str, start: int, end: int, para: int, out: list[Segment], base: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        out.append(Segment(start, end, para, len(out) - base + 1))


class SegmentIndex:
    """Find the segment that holds a character offset (binary search over segment starts)."""

    def __init__(self, segments: list[Segment]) -> None:
        self.segments = segments
        self._starts = [s.start for s in segments]

    def at(self, offset: int) -> Segment | None:
        i = bisect_right(self._starts, offset) - 1
        if i < 0:
            return None
        seg = self.segments[i]
        return seg if offset < seg.end else None


def chunks(text: str, size: int = 200_000) -> Iterator[tuple[int, str]]:
    """Cut a long text into pieces of about `size` characters at paragraph or line breaks (offset, piece)."""
    pos = 0
    n = len(text)
    while pos < n:
        if n - pos <= size:
            yield pos, text[pos:]
            return
        cut = text.rfind("\n\n", pos + size // 2, pos + size)
        if cut < 0:
            cut = text.rfind("\n", pos + size // 2, pos + size)
        if cut < 0:
            cut = text.rfind(" ", pos + size // 2, pos + size)
        cut = pos + size if cut < 0 else cut + 1
        yield pos, text[pos:cut]
        pos = cut
