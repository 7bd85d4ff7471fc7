"""Does a sentence tell the recipient that identified people have a protected status? Rules are data
(data/sentence_rules_en.yaml, data/sentence_rules_es.yaml); this module only combines them:

    status     a protected-status or data-incident statement (asylum, fear, persecution/torture, T/U visa, VAWA,
               "affected by the leak"), minus the `neutral` phrases ("asylum statistics", "Border Protection")
    refs       a reference to identified people: part of a group ("some of the 103"), identified people ("these
               individuals", "those on the flight"), a pronoun, or a person's name
    finite     a past claim or event that carries its own subject ("applied for asylum", "were affected by")
    generic /  framing that makes a sentence about the law, the process or a population
    statistics
    context    a quantity ("12", "some") right after a sentence that mentioned people ("103 people on the flight")

    weak_refs  "some passengers", a definite plural ("the passengers"), and, failing closed, any word for people
               or any quantity word: they count unless the sentence is framed as general, legal or statistical

    block  = status and (refs
                         or weak refs / finite, without generic or statistical framing
                         or a quantity right after a sentence about people, without framing)

Negations and hedges ("none of them", "may have been") do not matter: a statement about the group either way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from veil.detectors.text_names import find_names
from veil.yamlio import load_yaml

LANGS = ("en", "es")
_MAX_SENTENCE = 2000  # longer "sentences" are split text without punctuation: screen them in pieces

_ES_WORDS = frozenset("el la los las de del que y en por para con una un fue fueron se al su sus algunos algunas "
                      "ellos ellas este esta estos estas han habían sido vuelo personas también pero como".split())
_EN_WORDS = frozenset("the of and to in on for with was were some they them have had is are been this these those "
                      "flight people also but as an a at by".split())


@dataclass(frozen=True)
class RuleMatch:
    category: str  # e.g. "asylum", "part of a group", "finite"
    text: str  # the matched words (not personal data, except names, which are masked by the caller)
    is_name: bool = False
    span: tuple[int, int] = (0, 0)


@dataclass
class SentenceResult:
    disclosing: bool
    lang: str
    statuses: list[RuleMatch] = field(default_factory=list)
    refs: list[RuleMatch] = field(default_factory=list)
    finite: list[RuleMatch] = field(default_factory=list)
    reason: str = ""


@dataclass(frozen=True)
class _Rules:
    refs: dict[str, list[re.Pattern[str]]]
    weak_refs: dict[str, list[re.Pattern[str]]]
    status: dict[str, list[re.Pattern[str]]]
    status_triggers: tuple[str, ...]  # a sentence holding none of these cannot match a status pattern
    finite: list[re.Pattern[str]]
    neutral: list[re.Pattern[str]]
    generic: list[re.Pattern[str]]
    statistics: list[re.Pattern[str]]
    quantifier: list[re.Pattern[str]]
    people_mention: list[re.Pattern[str]]


def _compile(patterns: list[Any]) -> list[re.Pattern[str]]:
    return [re.compile(str(p), re.IGNORECASE) for p in patterns or []]


@lru_cache(maxsize=len(LANGS))
def rules(lang: str) -> _Rules:
    raw = resources.files("veil.detectors").joinpath(f"data/sentence_rules_{lang}.yaml").read_text(encoding="utf-8")
    data = load_yaml(raw)
    return _Rules(
        refs={str(k): _compile(v) for k, v in (data.get("refs") or {}).items()},
        weak_refs={str(k): _compile(v) for k, v in (data.get("weak_refs") or {}).items()},
        status={str(k): _compile(v) for k, v in (data.get("status") or {}).items()},
        status_triggers=tuple(str(t).lower() for t in data.get("status_triggers") or ()),
        finite=_compile(data.get("finite")),
        neutral=_compile(data.get("neutral")),
        generic=_compile(data.get("generic")),
        statistics=_compile(data.get("statistics")),
        quantifier=_compile(data.get("quantifier")),
        people_mention=_compile(data.get("people_mention")),
    )


def guess_language(sentence: str) -> str:
    words = re.findall(r"[^\W\d_]+", sentence.lower())
    es = sum(1 for w in words if w in _ES_WORDS) + 2 * sum(1 for c in sentence if c in "ñáéíóú¿¡")
    en = sum(1 for w in words if w in _EN_WORDS)
    return "es" if es > en else "en"


def mentions_status(text: str) -> bool:
    """Could any sentence of the text state a protected status? (The cheap look: a status trigger word.)"""
    low = text.lower()
    return any(t in low for r in LANGS for t in rules(r).status_triggers)


def mentions_people(sentence: str) -> bool:
    """Does the sentence speak of people or a group ("103 people on the flight", "the passengers")?"""
    own = rules(guess_language(sentence))
    return _any(own.people_mention, sentence) or bool(_refs(own, sentence, names=False))


def classify(sentence: str, previous: str | bool | None = None, prefilter: bool = True) -> SentenceResult:
    """Classify one sentence. `previous`: the sentence before it (or whether it spoke of people or a group).

    The result is shared between identical sentences (boilerplate repeats in long threads): do not modify it."""
    base, context_candidate = _classify(sentence[:_MAX_SENTENCE], prefilter)
    if base.disclosing or not context_candidate:
        return base
    if previous if isinstance(previous, bool) else previous is not None and mentions_people(previous):
        return replace(base, disclosing=True, reason="a quantity of the people named in the previous sentence")
    return base


@lru_cache(maxsize=8192)
def _classify(sentence: str, prefilter: bool) -> tuple[SentenceResult, bool]:
    """The sentence's own verdict, and whether the previous sentence could still make it disclosing."""
    if prefilter and not mentions_status(sentence):
        return SentenceResult(False, ""), False
    lang = guess_language(sentence)
    own = rules(lang)
    result = SentenceResult(False, lang)
    for r in LANGS:
        for category, patterns in rules(r).status.items():
            for p in patterns:
                result.statuses.extend(RuleMatch(category, m.group(0), span=m.span()) for m in p.finditer(sentence))
    if result.statuses:
        neutral_spans = [m.span() for r in LANGS for p in rules(r).neutral for m in p.finditer(sentence)]
        result.statuses = [m for m in result.statuses
                           if not any(s <= m.span[0] and m.span[1] <= e for s, e in neutral_spans)]
    if not result.statuses:
        return result, False
    result.refs = _refs(own, sentence, names=True)
    if result.refs:  # identified people: nothing else can change the verdict
        result.disclosing = True
        result.reason = "reference to identified people"
        return result, False
    result.finite = [RuleMatch("finite", m.group(0)) for r in LANGS for p in rules(r).finite
                     for m in p.finditer(sentence)]
    framed = _any(own.generic, sentence) or _any(own.statistics, sentence)
    weak = [RuleMatch(category, m.group(0)) for category, patterns in own.weak_refs.items() for p in patterns
            for m in p.finditer(sentence)]
    if weak and not framed:
        result.refs = weak
        result.disclosing = True
        result.reason = "reference to some of the people concerned"
    elif result.finite and not framed:
        result.disclosing = True
        result.reason = "a claim or event stated about someone"
    context_candidate = (_any(own.quantifier, sentence) or bool(result.finite)) and not framed
    return result, context_candidate


def _refs(own: _Rules, sentence: str, names: bool) -> list[RuleMatch]:
    out = [RuleMatch(category, m.group(0)) for category, patterns in own.refs.items() for p in patterns
           for m in p.finditer(sentence)]
    if names and not out:  # a name only matters when nothing else already identifies the people
        out.extend(RuleMatch("person's name", h.value, is_name=True) for h in find_names(sentence)
                   if not h.official)
    return out


def _any(patterns: list[re.Pattern[str]], sentence: str) -> bool:
    return any(p.search(sentence) for p in patterns)


def classify_text(text: str) -> Iterator[tuple[int, int, SentenceResult]]:
    """Classify every sentence of a message body, lazily: (start, end, result), the previous sentence as context."""
    from veil.detectors.text_segments import split_sentences

    previous: str | None = None
    for seg in split_sentences(text):
        for start in range(seg.start, seg.end, _MAX_SENTENCE):
            end = min(seg.end, start + _MAX_SENTENCE)
            yield start, end, classify(text[start:end], previous)
            previous = text[start:end]
