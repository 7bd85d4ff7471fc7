"""Identifiers in prose: A-numbers, SSNs, passport numbers, dates of birth, office contact details, and whatever
a plugin or the policy declares. The patterns, their trigger windows and validators are the recognizers' (see
recognizers/builtin.yaml); this module runs them over a text.
"""

from __future__ import annotations

from dataclasses import dataclass

from veil.detectors.recognizers import Near, Recognizer, active
from veil.detectors.text_scan import finditer_in, regex_windows, word_windows


@dataclass(frozen=True)
class IdMatch:
    """An identifier found in text. `value` is raw: callers mask it before showing it anywhere."""

    kind: str  # a recognizer's name: a-number | ssn | passport | dob | email | phone | a plugin's or policy's
    start: int
    end: int
    value: str

    @property
    def recognizer(self) -> Recognizer | None:
        return active().get(self.kind)

    @property
    def identifies(self) -> bool:
        """A-numbers, SSNs and passport numbers identify one person by themselves; a birth date does not."""
        rec = self.recognizer
        return rec is not None and rec.identifies

    @property
    def label(self) -> str:
        rec = self.recognizer
        return rec.label if rec is not None else self.kind

    @property
    def finding(self) -> str:
        """The kind of finding this identifier makes alone (identifier-in-text, contact-details, a plugin's)."""
        rec = self.recognizer
        return rec.finding if rec is not None else "identifier-in-text"


def find_identifiers(text: str) -> list[IdMatch]:
    """Every identifier the active recognizers find in `text`, sorted by position, overlapping matches resolved in
    favour of the first recognizer."""
    found: list[IdMatch] = []
    windows: dict[tuple[object, ...], list[tuple[int, int]]] = {}
    for rec in active().for_text:
        for tp in rec.text:
            for m in finditer_in(tp.pattern, text, _windows(text, tp.near, windows)):
                value = rec.value_of(m)
                if rec.valid(value):
                    found.append(IdMatch(rec.name, m.start(), m.end(), value))
    found.sort(key=lambda i: (i.start, -i.end))
    out: list[IdMatch] = []
    for item in found:
        if out and item.start < out[-1].end:
            continue
        out.append(item)
    return out


def _windows(text: str, near: Near, cache: dict[tuple[object, ...], list[tuple[int, int]]]) -> list[tuple[int, int]]:
    """Where a pattern is tried, computed once per trigger for all the recognizers that share it."""
    key = (near.words, near.pattern.pattern if near.pattern else None, near.before, near.after)
    if key not in cache:
        if near.words:
            cache[key] = word_windows(text, near.words, near.before, near.after)
        elif near.pattern is not None:
            cache[key] = regex_windows(text, near.pattern, near.before, near.after)
        else:
            cache[key] = [(0, len(text))]
    return cache[key]
