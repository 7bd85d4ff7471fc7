"""Word lists shared by the column classifiers and the small-cell check (English and Spanish)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Any

from veil.detectors.recognizers import RecognizerSet, active
from veil.yamlio import load_yaml

STATUS_TERMS = re.compile(
    r"\b(asylum|asilo|credible fear|reasonable fear|miedo creible|miedo razonable|withholding|cat\b|"
    r"convention against torture|torture|tortura|persecution|persecucion|refugee|refugiado|t[- ]?visa|u[- ]?visa|"
    r"vawa|i[- ]?589|i[- ]?914|i[- ]?918|cfi|rfi|fear claim|positive fear|negative fear|protection claim)",
    re.IGNORECASE,
)

SEX_VALUES = frozenset({"m", "f", "x", "u", "male", "female", "man", "woman", "men", "women", "boy", "girl",
                        "masculino", "femenino", "hombre", "mujer", "unknown", "other", "h", "v", "varon",
                        "non-binary"})

# Sex as a table dimension (row or column label); single letters and "other" are too common to count.
SEX_LABELS = frozenset({"male", "female", "males", "females", "men", "women", "boys", "girls", "masculino", "femenino",
                        "hombre", "hombres", "mujer", "mujeres", "varones"})



@lru_cache(maxsize=1)
def _count_terms() -> dict[str, Any]:
    return load_yaml(resources.files("veil.detectors.data").joinpath("terms/counts.yaml").read_text(encoding="utf-8"))


def _alternation(key: str) -> re.Pattern[str]:
    return re.compile("(" + "|".join(str(p) for p in _count_terms()[key]) + ")", re.IGNORECASE)


# Words that make a numeric column or a row a measure rather than a count of people (data/terms/counts.yaml).
NOT_COUNT_WORDS = _alternation("measures")
# Words of a header that make the digits under it codes or identifiers (ISO Numeric, FIPS, Area code, Country ID).
CODE_WORDS = _alternation("codes")
COUNT_WORDS = _alternation("counts")
TOTAL_WORDS = _alternation("totals")


def is_code_header(header: str) -> bool:
    """A header over codes or identifiers, not counts: 'ISO Numeric', 'FIPS', 'Region', 'Dialling code'."""
    folded = fold_words(header)
    if CODE_WORDS.search(header) or CODE_WORDS.search(folded):
        return True
    return header.strip().lower() in _count_terms()["code_headers"] or folded in _count_terms()["code_headers"]


MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
          "dec", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
          "octubre", "noviembre", "diciembre")

FACILITY_WORDS = re.compile(
    r"\b(facility|facilities|center|centre|jail|county|detention|processing|correctional|prison|penitentiary|"
    r"institution|contract|service processing|spc|cdf|igsa|dígsa|digsa|usms|hold room|staging|field office|aor|"
    r"centro|carcel|prision)\b",
    re.IGNORECASE,
)
AGE_BAND = re.compile(r"^\s*(under|over|<|>|aged?)?\s*\d{1,3}\s*(\+|-|–|to|and over|and older|y mas|años|years?)"
                      r"\s*(\d{1,3})?\s*(years?|yrs|años)?\s*$", re.IGNORECASE)


_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


def fold_words(text: str) -> str:
    """Lower case, accents folded, punctuation to single spaces ('#' kept)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = re.sub(r"[^a-z0-9#]+", " ", folded)
    return " ".join(folded.split())


@lru_cache(maxsize=8192)
def normalise_header(text: str) -> str:
    """A header as the header words are listed: camelCase split ('dateOfBirth'), then folded as fold_words."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return fold_words(_CAMEL.sub(" ", ascii_text))


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    text = resources.files("veil.detectors.data").joinpath("countries.txt").read_text(encoding="utf-8")
    out = set()
    for line in text.splitlines():
        if line.strip():
            out.add(line.strip())
            out.add(fold_words(line))
    return frozenset(out)


def is_country(value: str) -> bool:
    v = value.strip().lower()
    return v in countries() or fold_words(v) in countries()


def is_month(value: str) -> bool:
    v = value.strip().lower().rstrip(".")
    first = v.split()[0] if v.split() else v
    return first in MONTHS


@lru_cache(maxsize=1)
def _header_terms() -> dict[str, Any]:
    text = resources.files("veil.detectors.data").joinpath("terms/headers.yaml").read_text(encoding="utf-8")
    return load_yaml(text)


def header_phrases() -> dict[str, tuple[str, ...]]:
    """Header phrases per column class, every language together, normalised (data/terms/headers.yaml, then the
    recognizers' header words)."""
    return _header_phrases(active())


@lru_cache(maxsize=8)
def _header_phrases(rset: RecognizerSet) -> dict[str, tuple[str, ...]]:
    out = {kind: tuple(dict.fromkeys(normalise_header(p) for words in langs.values() for p in words))
           for kind, langs in _header_terms()["exact"].items()}
    for kind, phrases in rset.header_words():
        out[kind] = tuple(dict.fromkeys(normalise_header(p) for p in phrases))
    return out


# A phrase written as one word ('firstname') is only matched when it is this long: 'ano' (Spanish 'año') is not
# 'a no' (an A-number), 'dob' is listed as itself.
_COMPACT_MIN = 6


@lru_cache(maxsize=8)
def _header_index(rset: RecognizerSet) -> tuple[dict[str, str], dict[str, str], list[tuple[str, re.Pattern[str], str]]]:
    """Normalised phrase -> class; the phrases' one-word and no-linking-word forms -> class; and the ordered
    (class, phrase, one-word form) of the phrases that may stand inside a longer header."""
    linking = _linking()
    exact: dict[str, str] = {}
    derived: dict[str, str] = {}
    for kind, phrases in _header_phrases(rset).items():
        for phrase in phrases:
            exact.setdefault(phrase, kind)
            for form in _one_word_forms(phrase, linking):
                if len(form) >= _COMPACT_MIN:
                    derived.setdefault(form, kind)
    within = []
    for kind, phrase in [*_header_terms()["within"], *rset.header_within()]:
        norm = normalise_header(str(phrase))
        within.append((str(kind), re.compile(rf"(^| ){re.escape(norm)}( |$)"), norm.replace(" ", "")))
    return exact, derived, within


@lru_cache(maxsize=1)
def _linking() -> frozenset[str]:
    return frozenset(_header_terms()["linking"])


def _one_word_forms(phrase: str, linking: frozenset[str]) -> tuple[str, ...]:
    words = phrase.split()
    return "".join(words), " ".join(w for w in words if w not in linking), \
        "".join(w for w in words if w not in linking)


def header_kind(header: str) -> str | None:
    """The column class a header names, whatever its spacing, case, punctuation or language, or None."""
    return _header_kind(header, active())


@lru_cache(maxsize=8192)
def _header_kind(header: str, rset: RecognizerSet) -> str | None:
    norm = normalise_header(header)
    if not norm:
        return None
    exact, derived, within = _header_index(rset)
    if norm in exact:
        return exact[norm]
    for form in _one_word_forms(norm, _linking()):
        if len(form) >= _COMPACT_MIN and form in derived:
            return derived[form]
    words = norm.split()
    for kind, phrase, compact in within:
        if phrase.search(norm):
            return kind
        if len(compact) >= _COMPACT_MIN and _joins_to(words, compact):
            return kind
    # A repeated group of columns numbers its headers ('Name (1)', 'Name_2', '2nd applicant name', 'Detainee1 Name'):
    # the header without its ordinal.
    plain = " ".join(w for w in (_ORDINAL_TAIL.sub(r"\1", w) for w in words) if not _ORDINAL.fullmatch(w))
    if plain and plain != norm:
        return _header_kind(plain, rset)
    return None


_ORDINAL = re.compile(r"(?:#|no)?\d{1,2}(?:st|nd|rd|th)?")
_ORDINAL_TAIL = re.compile(r"^([a-z]{3,})\d{1,2}$")


def _joins_to(words: list[str], compact: str) -> bool:
    """Whether some run of consecutive words, written together, is `compact` ('detainee dateofbirth')."""
    for i in range(len(words)):
        joined = ""
        for word in words[i:i + 4]:
            joined += word
            if joined == compact:
                return True
            if len(joined) >= len(compact):
                break
    return False
