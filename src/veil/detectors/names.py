"""Person names offline: a compact lexicon of given names and surnames shipped inside the package.

The lexicon (``data/names/``, built by ``scripts/build_name_lexicon.py``; sources and licences in its
PROVENANCE.md) holds frequency-weighted scores for about half a million given names and surnames, plus the common
English/Spanish words, statistics and facility words and places that must never count as name evidence.

A single word proves little ("Grant", "May", "Jordan" are names and words), so the real decision is per column:
:func:`name_column_score` combines the shape of each value (``LAST, FIRST``, ``First Last``, initials, particles) with
the share of its tokens that are known names, and lets a column of places or table labels score low while a column of
unknown names in name shape still scores moderately.
"""

from __future__ import annotations

import bisect
import gzip
import json
import re
import unicodedata
import zlib
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from sys import byteorder
from typing import Any

# A letter, or a combining mark of a script that writes vowels and points with them (Devanagari, Thai, Arabic
# harakat, Hebrew points, accents typed as separate marks): re's \w does not count those marks as word characters.
_MARKS = (
    "\u0300-\u036f\u0483-\u0489\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"
    "\u0900-\u0dff\u0e31-\u0e4e\u0eb1-\u0ecd\u102b-\u103e\u17b4-\u17d3"
)
_LETTER = rf"(?:[^\W\d_]|[{_MARKS}])"
_TOKEN = re.compile(rf"{_LETTER}+(?:['’-]{_LETTER}+)*", re.UNICODE)
# Letters and the punctuation names use; anything else (digits, /, &, %, parentheses) means "not a name".
_NAME_CHARS = re.compile(rf"{_LETTER}(?:{_LETTER}|[ ,.'’\-])*")
_PARENS = re.compile(r"\([^()]*\)")
_FOLD = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "Ø": "O",
        "ø": "o",
        "Đ": "D",
        "đ": "d",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "ß": "ss",
        "ı": "i",
        "Ð": "D",
        "ð": "d",
        "Þ": "TH",
        "þ": "th",
    }
)
_DROP = str.maketrans("", "", "'’`ʼ.")
_DATA = "veil.detectors.data.names"

# Value shapes and the floor they give a value before any lexicon evidence.
_SHAPE_FLOOR = {"comma": 0.54, "multi": 0.42, "single": 0.3}
_SHAPE_WORDS = {"comma": "LAST, FIRST names", "multi": "multi-word names", "single": "single-word names"}
_KNOWN = 0.3  # a token scoring at least this counts as a known given name or surname
_SAMPLE = 400  # distinct values analysed per column: enough for a stable rate, bounded time
_CACHE_MAX = 200_000
_MAX_VALUES = 20_000  # values counted per column before sampling distinct ones

_PATRONYMIC = ("OVICH", "EVICH", "OVNA", "EVNA", "ICHNA", "OGLU", "OGLY", "KYZY")
_SURNAME_ENDINGS = (
    "OV",
    "OVA",
    "EV",
    "EVA",
    "SKY",
    "SKI",
    "SKIY",
    "SKAYA",
    "ENKO",
    "CHUK",
    "YUK",
    "ZADEH",
    "ZADE",
    "POUR",
    "NEJAD",
    "NEZHAD",
    "YAN",
    "IAN",
    "ULLAH",
    "UDDIN",
    "ALLAH",
    "WICZ",
)
_PINYIN_INITIALS = (
    "zh",
    "ch",
    "sh",
    "b",
    "p",
    "m",
    "f",
    "d",
    "t",
    "n",
    "l",
    "g",
    "k",
    "h",
    "j",
    "q",
    "x",
    "r",
    "z",
    "c",
    "s",
    "y",
    "w",
    "",
)
_PINYIN_FINALS = (
    "iang",
    "iong",
    "uang",
    "ang",
    "eng",
    "ing",
    "ong",
    "uai",
    "uan",
    "iao",
    "ian",
    "ai",
    "ei",
    "ao",
    "ou",
    "an",
    "en",
    "er",
    "in",
    "un",
    "ia",
    "ie",
    "iu",
    "ua",
    "uo",
    "ui",
    "ue",
    "a",
    "o",
    "e",
    "i",
    "u",
    "v",
)
_PINYIN = frozenset(i + f for i in _PINYIN_INITIALS for f in _PINYIN_FINALS)


def _load_info() -> dict[str, Any]:
    try:
        return json.loads(resources.files(_DATA).joinpath("info.json").read_text(encoding="utf-8"))
    except (FileNotFoundError, ModuleNotFoundError, ValueError):
        return {}


LEXICON_INFO: dict[str, Any] = _load_info()


def tokens(value: str) -> list[str]:
    """Alphabetic tokens of a value, in order (hyphenated and apostrophe names kept whole)."""
    return _TOKEN.findall(value)


# Surnames and given names repeat down a column and across the columns of a roster.
@lru_cache(maxsize=1 << 16)
def normalise_key(token: str) -> str:
    """The lexicon key of a token: upper case, accents, dots and apostrophes removed (shared with the builder)."""
    if not token.isascii():
        token = token.translate(_FOLD)
        stripped = "".join(c for c in unicodedata.normalize("NFD", token) if not unicodedata.combining(c))
        token = unicodedata.normalize("NFC", stripped)
    return token.translate(_DROP).upper()


class _Lexicon:
    """The shipped data, loaded once on first use."""

    def __init__(self) -> None:
        root = resources.files(_DATA)
        self.hashes = array("I")
        self.hashes.frombytes(root.joinpath("lexicon.hashes").read_bytes())
        if byteorder == "big":
            self.hashes.byteswap()
        self.n = n = len(self.hashes)
        scores = gzip.decompress(root.joinpath("lexicon.scores.gz").read_bytes())
        self.given = scores[:n]
        self.surname = scores[n : 2 * n]
        sections: dict[str, list[str]] = {}
        current: list[str] = []
        for line in gzip.decompress(root.joinpath("words.txt.gz").read_bytes()).decode("utf-8").split("\n"):
            if line.startswith("#"):
                current = sections.setdefault(line[1:], [])
            elif line:
                current.append(line)
        self.common = frozenset(sections.get("common", ()))
        self.veto = frozenset(sections.get("veto", ()))
        self.particles = frozenset(sections.get("particles", ()))
        self.places = frozenset(sections.get("places", ()))
        self.ambiguous_places = frozenset(sections.get("ambiguous_places", ()))
        self.cjk_surnames = frozenset(sections.get("cjk_surnames", ()))
        self.pinyin_surnames = frozenset(sections.get("pinyin_surnames", ()))
        self.scores: dict[str, tuple[float, float]] = {}
        self.tokens: dict[str, tuple[int, str, float]] = {}

    def lookup(self, key: str) -> tuple[float, float]:
        """(given, surname) scores of a normalised key straight from the table; (0, 0) when absent."""
        h = zlib.crc32(key.encode("utf-8"))
        i = bisect.bisect_left(self.hashes, h)
        if i < self.n and self.hashes[i] == h:
            return self.given[i] / 255.0, self.surname[i] / 255.0
        return 0.0, 0.0

    def common_key(self, key: str) -> bool:
        if key in self.common or key in self.veto:
            return True
        if "-" in key:
            parts = [p for p in key.split("-") if p]
            return bool(parts) and all(p in self.common or p in self.veto or p in self.particles for p in parts)
        return False

    def pair(self, key: str) -> tuple[float, float]:
        """(given, surname) for a normalised key, with word filtering, hyphenated names and script rules; cached."""
        hit = self.scores.get(key)
        if hit is not None:
            return hit
        if len(self.scores) > _CACHE_MAX:
            self.scores.clear()
        result = self._pair(key)
        self.scores[key] = result
        return result

    def _pair(self, key: str) -> tuple[float, float]:
        if len(key) > 64 or self.common_key(key):  # no name is that long; also bounds the hyphen recursion
            return 0.0, 0.0
        if "-" in key:
            parts = [p for p in key.split("-") if p]
            if len(parts) > 1 and parts[0] in self.particles:  # AL-SAYED, EL-HADDAD, ABU-BAKR
                return self.pair("-".join(parts[1:]))
            whole = self.lookup("".join(parts))
            if max(whole) > 0:
                return whole
            scored = [self.pair(p) for p in parts if p not in self.particles]
            if not scored or any(p in self.common for p in parts):
                return 0.0, 0.0
            return (sum(g for g, _ in scored) / len(scored), sum(s for _, s in scored) / len(scored))
        g, s = self.lookup(key)
        if g or s:
            return g, s
        if key.endswith(("OVA", "EVA", "INA", "YNA")) and len(key) >= 5:
            g, s = self.lookup(key[:-1])  # Ivanova, Sorokina: the feminine of a listed surname
            if s:
                return 0.0, s
        elif key.endswith("SKAYA"):
            g, s = self.lookup(key[:-4] + "Y")
            if s:
                return 0.0, s
        if key.isascii() and len(key) >= 4:
            for variant in _spellings(key):  # Dmitriy/Dmitry, Sergey/Sergei, Natalya/Natalia, Yelena/Elena
                g, s = self.lookup(variant)
                if g or s:
                    return g * 0.9, s * 0.9
        if _is_cjk(key) and 2 <= len(key) <= 4 and (key[:1] in self.cjk_surnames or key[:2] in self.cjk_surnames):
            return 0.0, 0.8  # a Han/Hangul full name written without a space: known surname + given name
        return 0.0, 0.0

    def name_score(self, key: str) -> float:
        g, s = self.pair(key)
        return g if g > s else s


_LEX: _Lexicon | None = None


def _lexicon() -> _Lexicon:
    global _LEX
    if _LEX is None:
        _LEX = _Lexicon()
    return _LEX


# Transliteration variants (Russian, Ukrainian, Arabic in Latin letters): (ending or infix, replacement).
_ENDINGS = (
    ("IY", "Y"),
    ("IY", "I"),
    ("IJ", "Y"),
    ("EY", "EI"),
    ("EJ", "EI"),
    ("IYA", "IA"),
    ("YA", "IA"),
    ("EV", "IEV"),
    ("EVA", "IEVA"),
    ("YEV", "EV"),
    ("YEVA", "EVA"),
    ("OU", "U"),
    ("EH", "E"),
)
_INFIXES = (("KS", "X"), ("KH", "H"), ("YE", "E"), ("YU", "IU"), ("OU", "U"), ("EE", "I"), ("OO", "U"), ("DZH", "J"))


def _spellings(key: str) -> list[str]:
    out = [key[: -len(end)] + rep for end, rep in _ENDINGS if key.endswith(end)]
    out += [key.replace(inf, rep) for inf, rep in _INFIXES if inf in key]
    if key.startswith("YE"):
        out.append("E" + key[2:])
    return out


def _is_cjk(key: str) -> bool:
    return all("\u3400" <= c <= "\u9fff" or "\uac00" <= c <= "\ud7a3" or "\uf900" <= c <= "\ufaff" for c in key)


def _is_pinyin(word: str, max_syllables: int = 3) -> bool:
    """True when a word splits into one to three pinyin syllables (Xiaoming = xiao + ming)."""
    w = word.lower()
    if not w.isascii() or not w.isalpha():
        return False

    def split(rest: str, left: int) -> bool:
        if not rest:
            return True
        if left == 0:
            return False
        return any(rest[:n] in _PINYIN and split(rest[n:], left - 1) for n in range(min(6, len(rest)), 0, -1))

    return split(w, max_syllables)


def _form_score(key: str) -> float:
    """Weak evidence from name morphology for tokens the lexicon does not know (Slavic, Persian, Arabic endings)."""
    if len(key) < 5 or not key.isascii():
        return 0.0
    if key.endswith(_PATRONYMIC):
        return 0.55
    if key.endswith(_SURNAME_ENDINGS):
        return 0.45
    return 0.0


def given_score(token: str) -> float:
    """0..1: how strongly this token is a given name (frequency-weighted; 0 for common non-name words)."""
    return _lexicon().pair(normalise_key(token))[0]


def surname_score(token: str) -> float:
    """0..1: how strongly this token is a surname (frequency-weighted; 0 for common non-name words)."""
    return _lexicon().pair(normalise_key(token))[1]


def is_common_word(token: str) -> bool:
    """True for English/Spanish dictionary, place and statistics words that must never count as name evidence."""
    return _lexicon().common_key(normalise_key(token))


def is_veto_word(token: str) -> bool:
    """True for statistics, facility and organisation words ('NATIONAL', 'CENTER', 'BUDGET'): never in a name."""
    return normalise_key(token) in _lexicon().veto


def _place_key(value: str) -> str:
    return " ".join(normalise_key(t) for t in tokens(value))


def is_place_or_country(value: str) -> bool:
    """True when the whole value names a country, nationality, US state or county, or a city.

    A place that is also a common person name (Houston, Jackson, Garcia) gives False here:
    :func:`name_column_score` decides those per column.
    """
    key = _place_key(value)
    return bool(key) and key in _lexicon().places


# Kinds of value found by _analyse, and of token found by _Lexicon.token.
_NOT, _PLACE, _VETO, _COMMON, _NAME = range(5)
_CONTENT, _INITIAL, _PARTICLE, _BADCASE, _TVETO, _TCOMMON = range(6)

# (kind, form, likeness, content tokens, known tokens, whole value is also a place)
_Value = tuple[int, str, float, int, int, bool]
_NOT_A_NAME: _Value = (_NOT, "", 0.0, 0, 0, False)


def _token(lex: _Lexicon, tok: str) -> tuple[int, str, float]:
    """(token kind, key, name score) of one token, cached: a column repeats its tokens."""
    hit = lex.tokens.get(tok)
    if hit is not None:
        return hit
    if len(lex.tokens) > _CACHE_MAX:
        lex.tokens.clear()
    key = normalise_key(tok)
    score = 0.0
    if len(tok) == 1 and tok.upper() != tok.lower():
        kind = _INITIAL
    elif key in lex.particles:
        kind = _PARTICLE
    elif tok[0].islower() and not tok.islower():
        kind = _BADCASE  # iPhone, eBay: not how names are written
    elif key in lex.veto or ("-" in key and any(p in lex.veto for p in key.split("-"))):
        kind = _TVETO
    elif lex.common_key(key):
        kind = _TCOMMON
    else:
        kind = _CONTENT
        score = lex.name_score(key)
    result = (kind, key, score)
    lex.tokens[tok] = result
    return result


def _analyse(value: str, lex: _Lexicon, places_are_names: bool = False) -> _Value:
    v = value.strip()
    if "(" in v and len(v) <= 200:
        v = _PARENS.sub(" ", v).strip()  # "GARCIA, MARIA (alias)": the remark is not part of the name
    if not v or len(v) > 80 or not _NAME_CHARS.fullmatch(v) or v.count(",") > 1:
        return _NOT_A_NAME
    toks = _TOKEN.findall(v)
    if not toks or len(toks) > 7:
        return _NOT_A_NAME
    infos = [_token(lex, t) for t in toks]
    whole = " ".join([i[1] for i in infos])
    if whole in lex.places and not places_are_names:
        return (_PLACE, "", 0.0, len(toks), 0, False)
    content = common = initials = known = 0
    total = 0.0
    for kind, _key, score in infos:
        if kind == _CONTENT:
            content += 1
            total += score
            if score >= _KNOWN:
                known += 1
        elif kind == _TCOMMON:
            content += 1
            common += 1
        elif kind == _INITIAL:
            initials += 1
        elif kind == _TVETO:
            return (_VETO, "", 0.0, len(toks), 0, False)
        elif kind == _BADCASE:
            return _NOT_A_NAME
    if not content:
        return _NOT_A_NAME
    if common * 2 > content or (common * 2 == content and not any(i[2] >= 0.5 for i in infos if i[0] == _CONTENT)):
        return (_COMMON, "", 0.0, content, 0, False)  # half words is a name only beside a real name (Li Na)
    if len(toks) == 1 and len(v) <= 4 and v.isupper() and total < 0.8:
        return _NOT_A_NAME  # ODO, NOL, ATL: codes; LEE, KIM, CRUZ stay names
    if known + common < content:
        total = _fallback_total(infos, lex)
    if "," in v:
        left, right = v.split(",")
        form = "comma" if _TOKEN.search(left) and _TOKEN.search(right) else "single"
    else:
        form = "multi" if content + initials >= 2 else "single"
    floor = _SHAPE_FLOOR[form]
    likeness = floor + (1.0 - floor) * (total / content)
    if form == "single":
        likeness = min(likeness, 0.75)
    elif content > 4:
        likeness *= 0.8
    return (_NAME, form, likeness, content, known, whole in lex.ambiguous_places)


def _fallback_total(infos: list[tuple[int, str, float]], lex: _Lexicon) -> float:
    """Sum of token scores; unknown tokens scored by form (Slavic/Persian/Arabic endings, pinyin by a surname)."""
    chinese = any(kind == _CONTENT and key in lex.pinyin_surnames for kind, key, _ in infos)
    total = 0.0
    for kind, key, score in infos:
        if kind != _CONTENT:
            continue
        if score < _KNOWN:
            score = max(score, _form_score(key))
            if chinese and _is_pinyin(key):
                score = max(score, 0.5)
        total += score
    return total


def name_likeness(value: str) -> float:
    """0..1: how much a single cell value looks like a person's name (shape + lexicon)."""
    if not isinstance(value, str):
        return 0.0
    info = _analyse(value, _lexicon())
    return min(1.0, max(0.0, info[2])) if info[0] == _NAME else 0.0


def cannot_be_a_name(value: str) -> bool:
    """True when a value cannot be anyone's name: digits or symbols, too many words ('(Bureau of Prisons) :'), or a
    single word that is a common, statistics or facility word or a place ('TYPE', 'FACILITY'). Several words may
    still be a name even when one of them is such a word ('GRANT, DONNA')."""
    info = _analyse(value, _lexicon())
    return info[0] == _NOT or (info[0] in (_VETO, _PLACE, _COMMON) and info[3] <= 1)


@dataclass(frozen=True, slots=True)
class NameColumnScore:
    """How much a column looks like a column of person names, with the evidence in plain words."""

    score: float
    lexicon_hit_rate: float
    shape_rate: float
    explanation: str


def _sample(counts: Counter[str]) -> list[tuple[str, int]]:
    items = list(counts.items())
    if len(items) <= _SAMPLE:
        return items
    step = len(items) / _SAMPLE
    return [items[int(i * step)] for i in range(_SAMPLE)]


def name_column_score(values: Sequence[str], places_are_names: bool = False) -> NameColumnScore:
    """Decide, for a whole column, how much it holds person names (0..1), explained without quoting any value.

    Statistics labels, places, facility names and codes score near 0; names in any case and form score high;
    unknown names in name shape score moderately (header evidence is the column classifier's to add).
    `places_are_names`: the header says the column holds surnames or given names, so Preston, Burke and Holland
    are people here, not towns.
    """
    if len(values) > _MAX_VALUES:  # bounded time on huge columns: an even stride keeps the rates
        values = values[:: len(values) // _MAX_VALUES + 1]
    counts = Counter(v for v in values if isinstance(v, str) and v.strip())
    if not counts:
        return NameColumnScore(0.0, 0.0, 0.0, "no values")
    lex = _lexicon()
    analysed = [(_analyse(v, lex, places_are_names), n) for v, n in _sample(counts)]
    total = sum(n for _, n in analysed)
    by_kind = Counter[int]()
    for info, n in analysed:
        by_kind[info[0]] += n
    ambiguous = sum(n for info, n in analysed if info[0] == _NAME and info[5])
    # Jackson, Houston, Jordan: places when the column is mostly places, names otherwise.
    places_win = by_kind[_PLACE] >= 0.1 * total and by_kind[_PLACE] + ambiguous >= 0.3 * total
    likeness = shaped = 0.0
    content = known = 0
    forms = Counter[str]()
    for (kind, form, value_likeness, value_content, value_known, place), n in analysed:
        content += value_content * n
        if kind != _NAME or (places_win and place):
            continue
        known += value_known * n
        likeness += value_likeness * n
        shaped += n
        forms[form] += n
    score = likeness / total
    top = max(n for _, n in analysed)
    # Not scaled down: one person's name on every row of their own record is still a name column (fail closed).
    category = total >= 20 and top > 0.5 * total
    hit_rate = known / content if content else 0.0
    shape_rate = shaped / total
    why = _explain(total, shape_rate, hit_rate, forms, by_kind, ambiguous if places_win else 0)
    if category:
        why += f"; one value fills {top / total:.0%} of the rows"
    return NameColumnScore(round(score, 4), round(hit_rate, 4), round(shape_rate, 4), why)


def _explain(
    total: int, shape_rate: float, hit_rate: float, forms: Counter[str], by_kind: Counter[int], ambiguous_places: int
) -> str:
    parts = []
    if forms:
        form, n = forms.most_common(1)[0]
        parts.append(f"{n / total:.0%} of values are {_SHAPE_WORDS[form]}")
    else:
        parts.append("no value has the shape of a person's name")
    parts.append(f"{hit_rate:.0%} of tokens are known given names or surnames")
    places = by_kind[_PLACE] + ambiguous_places
    if places:
        parts.append(f"{places / total:.0%} are places or nationalities")
    labels = by_kind[_VETO] + by_kind[_COMMON]
    if labels:
        parts.append(f"{labels / total:.0%} are statistics, facility or common words")
    if by_kind[_NOT]:
        parts.append(f"{by_kind[_NOT] / total:.0%} contain digits, symbols or too many words")
    return "; ".join(parts)
