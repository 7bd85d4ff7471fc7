"""Term lists in prose: protected statuses (asylum, credible fear, withholding, CAT, T/U visa, VAWA...) and a
person's matters (a charge, a conviction, a removal, an immigration case), in several languages.

The term lists are data (data/terms/status.yaml, data/terms/matters.yaml); this module compiles each into one
alternation per trigger so a megabyte of prose is scanned once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from veil.detectors.text_scan import finditer_in, word_windows
from veil.yamlio import load_yaml

# Every pattern's match lies within this many characters of one of its triggers.
_REACH = 40


@dataclass(frozen=True)
class StatusHit:
    start: int
    end: int
    label: str  # the term-list label shown in findings, e.g. "credible fear"
    lang: str


@lru_cache(maxsize=4)
def _compiled(name: str) -> dict[str, tuple[re.Pattern[str], list[tuple[str, str]]]]:
    """trigger -> (alternation of the patterns that contain the trigger, label of each alternative)."""
    raw = resources.files("veil.detectors").joinpath(f"data/terms/{name}.yaml").read_text(encoding="utf-8")
    data = load_yaml(raw)
    triggers = [str(t).lower() for t in data["triggers"]]
    grouped: dict[str, list[tuple[str, str, str]]] = {t: [] for t in triggers}
    for lang, entries in data["terms"].items():
        for label, patterns in entries.items():
            for pattern in patterns:
                mine = [t for t in triggers if t in str(pattern).lower()]
                if not mine:
                    raise ValueError(f"status pattern for {label!r} contains none of the triggers")
                for t in mine:
                    grouped[t].append((str(pattern), str(label), str(lang)))
    out = {}
    for trigger, items in grouped.items():
        if items:
            alternation = "|".join(f"(?P<g{i}>{p})" for i, (p, _, _) in enumerate(items))
            out[trigger] = (re.compile(alternation, re.IGNORECASE), [(label, lang) for _, label, lang in items])
    return out


def find_statuses(text: str) -> list[StatusHit]:
    """Every protected-status term in `text`, in order."""
    return _find(text, "status")


def find_matters(text: str) -> list[StatusHit]:
    """Every statement of a person's matter in `text` (charged with, convicted of, deported to...), in order."""
    return _find(text, "matters")


def _find(text: str, name: str) -> list[StatusHit]:
    found: dict[tuple[int, int], StatusHit] = {}
    for trigger, (rx, labels) in _compiled(name).items():
        for m in finditer_in(rx, text, word_windows(text, (trigger,), _REACH, _REACH)):
            group = m.lastgroup
            if group is None or (m.start(), m.end()) in found:
                continue
            label, lang = labels[int(group[1:])]
            found[(m.start(), m.end())] = StatusHit(m.start(), m.end(), label, lang)
    return sorted(found.values(), key=lambda h: (h.start, h.end))


@lru_cache(maxsize=1)
def _cell_patterns() -> re.Pattern[str]:
    raw = resources.files("veil.detectors").joinpath("data/terms/matters.yaml").read_text(encoding="utf-8")
    return re.compile("|".join(f"(?:{p})" for p in load_yaml(raw)["cells"]), re.IGNORECASE)


@lru_cache(maxsize=8192)
def is_matter_value(value: str) -> bool:
    """A table cell that names a person's matter: a charge ('Possession with intent to distribute'), a statute
    ('8 USC 1326') or an appeal reference ('PA/01234/2019')."""
    return len(value) <= 200 and _cell_patterns().search(value) is not None
