"""Find protected people (from a ProtectedRegistry) in free text: names in any order, A-numbers, birth dates.

Also masks a sentence for display: names, identifiers and registry matches become `veil.masking.mask()` forms.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from veil.detectors.names import name_likeness
from veil.detectors.text_ids import find_identifiers
from veil.detectors.text_names import find_names, fold
from veil.masking import mask
from veil.screen.registry import ProtectedPerson, ProtectedRegistry, parse_any_date

_WORD = re.compile(r"[^\W\d_]+")
_LONG_DIGITS = re.compile(r"\d[\d -]{5,}\d")
_MAX_NAME_WORDS = 6
_CELL = re.compile(r"[^|\s](?:[^|\n]*[^|\s])?")


@dataclass(frozen=True)
class PersonMatch:
    start: int
    end: int
    kind: str  # "name" | "a-number" | "dob"
    person: ProtectedPerson


def find_protected(text: str, registry: ProtectedRegistry | None) -> list[PersonMatch]:
    """Every mention of a registry person in `text`, in order; overlapping name windows keep the longest."""
    if registry is None or len(registry) == 0:
        return []
    out: list[PersonMatch] = []
    # Particles ("de", "la") are skipped, so "María de la Cruz" and "Cruz, María" give the same key.
    words = [(m.start(), m.end(), fold(m.group(0))) for m in _WORD.finditer(text)]
    words = [w for w in words if w[2] not in _PARTICLES]
    lengths = sorted((n for n in registry.name_lengths() if 1 <= n <= _MAX_NAME_WORDS), reverse=True)
    taken_until = -1
    for i in range(len(words)):
        if words[i][0] < taken_until:
            continue
        for n in lengths:
            window = words[i:i + n]
            key = frozenset(w[2] for w in window)
            if len(window) < n or len(key) < n:
                continue
            people = registry.by_name_tokens(key)
            if people:
                out.extend(PersonMatch(window[0][0], window[-1][1], "name", p) for p in people)
                taken_until = window[-1][1]
                break
    for ident in find_identifiers(text):
        if ident.kind == "a-number":
            out.extend(PersonMatch(ident.start, ident.end, "a-number", p)
                       for p in registry.by_a_number(ident.value[1:]))
        elif ident.kind == "dob":
            day = parse_any_date(ident.value)
            if day:
                out.extend(PersonMatch(ident.start, ident.end, "dob", p) for p in registry.by_dob(day))
    out.sort(key=lambda m: (m.start, -m.end))
    return out


_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "da", "dos", "van", "von", "di", "le"})


def _name_cells(sentence: str) -> list[tuple[int, int]]:
    """Rows of a table arrive as 'GARCIA LOPEZ | Jose | Guatemala': prose name finding does not see a name split
    over cells, so each cell that reads as a name is masked on its own."""
    if " | " not in sentence:
        return []
    return [(m.start(), m.end()) for m in _CELL.finditer(sentence) if name_likeness(m.group()) >= 0.5]


def masked_sentence(sentence: str, extra_spans: Sequence[tuple[int, int]] = (), limit: int = 300) -> str:
    """The sentence with names, identifiers and long digit runs masked, cut to `limit` characters."""
    # Identifiers are replaced by their kind (masking keeps first characters, which for digits is too much).
    spans: list[tuple[int, int, str | None]] = [(i.start, i.end, f"[{i.kind}]") for i in find_identifiers(sentence)]
    spans += [(m.start(), m.end(), "[number]") for m in _LONG_DIGITS.finditer(sentence)]
    spans += [(h.start, h.end, None) for h in find_names(sentence)]
    spans += [(s, e, None) for s, e in _name_cells(sentence)]
    spans += [(s, e, None) for s, e in extra_spans]
    spans.sort(key=lambda x: (x[0], -x[1]))
    merged: list[tuple[int, int, str | None]] = []
    for s, e, label in spans:
        if merged and s < merged[-1][1]:
            ps, pe, plabel = merged[-1]
            merged[-1] = (ps, max(e, pe), plabel or label)
        else:
            merged.append((s, e, label))
    out = []
    pos = 0
    for s, e, label in merged:
        out.append(sentence[pos:s])
        out.append(label or mask(sentence[s:e]))
        pos = e
    out.append(sentence[pos:])
    text = " ".join("".join(out).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
