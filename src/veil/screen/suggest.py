"""Reword one blocked sentence so that it says what the recipient needs and not why (data/suggestions.yaml).

    rewrite(sentence, lang, blocks) -> str      the rewording, or "" to take the sentence out

Tried in order, each kept only when `blocks` (the screen itself, for the same recipient) clears it:
1. the words before a clause that gives the reason ("Three passengers will not travel on Thursday | because ..."),
   or the sentence without one inner clause (", who claimed fear,");
2. a sentence that takes people off a flight or list becomes a notice that gives no reason ("The following
   passengers are no longer scheduled for this flight:");
3. otherwise the sentence is taken out.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from veil.detectors.sentence_rules import classify
from veil.yamlio import load_yaml

_MIN_WORDS = 4


@dataclass(frozen=True)
class _Rules:
    breaks: tuple[re.Pattern[str], ...]
    schedule_change: tuple[re.Pattern[str], ...]
    one_person: tuple[re.Pattern[str], ...]
    notice: dict[str, str]
    dangling: frozenset[str]


@lru_cache(maxsize=8)
def _rules(lang: str) -> _Rules:
    data = load_yaml(resources.files("veil.screen").joinpath("data/suggestions.yaml").read_text(encoding="utf-8"))
    own = data.get(lang) or data["en"]

    def compiled(key: str) -> tuple[re.Pattern[str], ...]:
        return tuple(re.compile(str(p), re.IGNORECASE) for p in own.get(key) or ())

    return _Rules(compiled("breaks"), compiled("schedule_change"), compiled("one_person"),
                  {str(k): str(v) for k, v in (own.get("notice") or {}).items()},
                  frozenset(str(w).lower() for w in own.get("dangling") or ()))


def rewrite(sentence: str, lang: str, blocks: Callable[[str], bool]) -> str:
    """The sentence reworded without its disclosure, or "" when nothing of it can stay. What is kept states no
    status at all: taking out only what made a statement about someone else ("your client's cellmate") would keep
    the statement."""
    rules = _rules(lang)
    takes_off = any(p.search(sentence) for p in rules.schedule_change)
    for candidate in _shorter(sentence, rules):
        if takes_off and not any(p.search(candidate) for p in rules.schedule_change):
            continue  # what the recipient needs is who is off the flight: the notice below says it
        if not classify(candidate).statuses and not blocks(candidate):
            return candidate
    notice = _notice(sentence, rules)
    if notice and not blocks(notice):
        return notice
    return ""


def _shorter(sentence: str, rules: _Rules) -> list[str]:
    """Candidates, longest first: the sentence without one inner clause, then the words before each break."""
    text = sentence.strip()
    cuts = sorted({m.start() for p in rules.breaks for m in p.finditer(text) if m.start() > 0})
    out: list[str] = []
    for i, start in enumerate(cuts):  # an inner clause between two commas: ", who claimed fear,"
        end = cuts[i + 1] if i + 1 < len(cuts) else -1
        if end > 0 and text[start:start + 1] == "," and text[end:end + 1] == ",":
            out.append(text[:start] + text[end + 1:])
    out.extend(text[:start] for start in reversed(cuts))
    return [_sentence(c, text) for c in out if len(c.split()) >= _MIN_WORDS and not _dangles(c, rules)]


def _dangles(words: str, rules: _Rules) -> bool:
    last = re.findall(r"[^\W\d_]+", words.lower())[-1:]
    return not last or last[0] in rules.dangling


def _sentence(words: str, original: str) -> str:
    """Close a shortened sentence with the original's end mark (a colon stays: a list follows)."""
    end = original.rstrip()[-1:] if original.rstrip()[-1:] in ".!?:" else "."
    return words.rstrip(" ,;:-–—(.!?") + end


def _notice(sentence: str, rules: _Rules) -> str:
    if not any(p.search(sentence) for p in rules.schedule_change):
        return ""
    if sentence.rstrip().endswith(":") or "\n" in sentence.strip():
        return rules.notice.get("list", "")
    if any(p.search(sentence) for p in rules.one_person):
        return rules.notice.get("one", "")
    return rules.notice.get("some", "")

