"""A learned second opinion for the screen: a linear model over word and character n-grams that scores how much a
message reads like one that discloses someone's protection claim, fear, status or incident involvement.

    score(text) -> float            0..1, the model's probability that the text discloses
    DisclosureModel.load()          the model shipped in veil/screen/data/disclosure_model.json.gz

Why a model beside the rules: the sentence rules name what they match and explain it, but they fit the sentences
they were written from; a new author's hedged or indirect wording slips between them. The model catches wording
that resembles the disclosures in Veil's own labelled sets (never the held-out set) without naming a rule. It only
ever adds a blocking finding for a recipient who may not know; it never clears what a rule blocked.

The model is trained by `scripts/train_screen_model.py` (scikit-learn's TfidfVectorizer and LogisticRegression);
this module recomputes the same features in plain Python so the core install needs no scikit-learn. The training
script checks that both give the same scores on every training message.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

_WORD = re.compile(r"(?u)\b\w\w+\b")  # scikit-learn's default token pattern
_SPACES = re.compile(r"\s\s+")
_WINDOW = 300  # characters (99% of training messages are shorter): a longer text is scored in windows of sentences
_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+|\n+")


@dataclass(frozen=True)
class _Vectorizer:
    """One scikit-learn TfidfVectorizer (sublinear tf, smooth idf, l2 norm) folded with its slice of the weights."""

    analyzer: str  # "word" | "char_wb"
    ngram: tuple[int, int]
    index: dict[str, int]
    idf: list[float]
    coef: list[float]

    def terms(self, text: str) -> Counter[str]:
        low, high = self.ngram
        text = text.lower()
        grams: Counter[str] = Counter()
        if self.analyzer == "word":
            tokens = _WORD.findall(text)
            for n in range(low, high + 1):
                for i in range(len(tokens) - n + 1):
                    grams[" ".join(tokens[i:i + n])] += 1
            return grams
        for word in _SPACES.sub(" ", text).split():
            padded = f" {word} "
            for n in range(low, high + 1):
                if len(padded) <= n:  # a short word counts once, whatever the longer n
                    grams[padded] += 1
                    break
                for i in range(len(padded) - n + 1):
                    grams[padded[i:i + n]] += 1
        return grams

    def dot(self, text: str) -> float:
        """The l2-normalised tf-idf vector of `text`, dotted with this vectorizer's weights."""
        total, norm = 0.0, 0.0
        for term, count in self.terms(text).items():
            at = self.index.get(term)
            if at is None:
                continue
            value = (1.0 + math.log(count)) * self.idf[at]
            norm += value * value
            total += value * self.coef[at]
        return total / math.sqrt(norm) if norm else 0.0


@dataclass(frozen=True)
class DisclosureModel:
    vectorizers: tuple[_Vectorizer, ...]
    intercept: float
    threshold: float  # the score from which the screen blocks, unless the policy sets its own
    provenance: dict[str, Any]

    def score(self, text: str) -> float:
        """The probability that `text` discloses; long texts take their highest-scoring window."""
        return max(self._score(window) for window in _windows(text))

    def _score(self, text: str) -> float:
        z = self.intercept + sum(v.dot(text) for v in self.vectorizers)
        return 1.0 / (1.0 + math.exp(-z)) if z > -500 else 0.0

    @staticmethod
    def from_dict(raw: dict[str, Any]) -> DisclosureModel:
        vectorizers = tuple(
            _Vectorizer(v["analyzer"], (int(v["ngram"][0]), int(v["ngram"][1])),
                        {term: i for i, term in enumerate(v["vocabulary"])}, v["idf"], v["coef"])
            for v in raw["vectorizers"])
        return DisclosureModel(vectorizers, float(raw["intercept"]), float(raw["threshold"]), raw["provenance"])

    @staticmethod
    @cache
    def load() -> DisclosureModel:
        blob = resources.files("veil.screen").joinpath("data/disclosure_model.json.gz").read_bytes()
        return DisclosureModel.from_dict(json.loads(gzip.decompress(blob)))


def _windows(text: str) -> list[str]:
    """The text, or for a long one overlapping windows of whole sentences of about _WINDOW characters: the model
    learned from short messages, and a disclosure in the middle of a long e-mail must not be averaged away."""
    if len(text) <= _WINDOW:
        return [text]
    sentences = [s for s in _SENTENCE_END.split(text) if s.strip()]
    windows: list[str] = []
    current: list[str] = []
    size = 0
    for sentence in sentences:
        if current and size + len(sentence) > _WINDOW:
            windows.append(" ".join(current))
            current, size = current[-1:], len(current[-1])  # one sentence overlaps: a pair is never cut apart
        current.append(sentence)
        size += len(sentence) + 1
    if current:
        windows.append(" ".join(current))
    return windows


def score(text: str) -> float:
    """The shipped model's score for `text` (0..1)."""
    return DisclosureModel.load().score(text)
