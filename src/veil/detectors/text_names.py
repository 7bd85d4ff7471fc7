"""Person names in prose: candidate spans by shape, weighed with the name lexicon and the words around them.

A candidate is one of
    a capitalised run of 2-4 words ("José Luis García", "Maria de la Cruz"), optionally with a middle initial;
    an upper-case surname, a comma and a given name ("GARCIA, Jose"), the roster convention;
    a single capitalised word right after a person cue ("Mr. Garcia", "Sra. López", "detainee Pérez").
Each candidate says how sure we are (`strong`: a cue, the roster convention or the lexicon; `weak`: shape only) and
whether the words around it make it a public official ("Secretary ...", "... said").
"""

from __future__ import annotations

import logging
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from veil.detectors import names
from veil.detectors.text_scan import finditer_in, word_windows
from veil.detectors.vocab import is_country
from veil.yamlio import load_yaml

log = logging.getLogger(__name__)


def _latin_letters(upper: bool) -> str:
    """The upper- or lower-case letters of the Latin blocks (Latin-1, Extended-A and -B, Extended Additional), as a
    character-class body: Stojković, Łukasz, Şensoy, Nguyễn and Ţuţea are spelled with them."""
    ranges = ((0xC0, 0x24F), (0x259, 0x259), (0x1E00, 0x1EFF))  # with ə (Azerbaijani)
    chars = [
        chr(c)
        for lo, hi in ranges
        for c in range(lo, hi + 1)
        if chr(c).isalpha() and (chr(c).isupper() if upper else chr(c).islower())
    ]
    return ("A-Z" if upper else "a-z") + "".join(chars)


_UP = _latin_letters(upper=True)
_LO = _latin_letters(upper=False)
_WORD = rf"[{_UP}][{_LO}]+(?:[-'’][{_UP}]?[{_LO}]+)?"
# The first word's left boundary is checked after its first letter (a look-behind of two characters), so the
# engine can skip quickly to each capital letter instead of testing a look-behind at every position.
_FIRST_WORD = rf"[{_UP}](?<![\w'’-].)[{_LO}]+(?:[-'’][{_UP}]?[{_LO}]+)?"
# Words of one name are on one line: 'RE: Omar Ramón' then 'File: ...' on the next line are a name and a label.
_SP = r"[ \t\u00a0]"
_PARTICLE = (
    "(?:"
    + "|".join(
        f"{p.replace(' ', _SP)}{_SP}"
        for p in ("de", "del", "de la", "de los", "la", "van", "von", "da", "dos", "di", "le", "y", "bin")
    )
    + "|al-)"
)
_TITLE_RUN = re.compile(rf"({_FIRST_WORD}(?:{_SP}[{_UP}]\.)?(?:{_SP}{_PARTICLE}?{_WORD}){{1,3}})(?![\w'’-])")
_ROSTER = re.compile(
    rf"([{_UP}](?<![\w'’-].)[{_UP}'’-]{{1,30}}(?:\s[{_UP}][{_UP}'’-]{{1,30}})?),\s{{1,3}}"
    rf"([{_UP}][{_LO}]+(?:\s[{_UP}][{_LO}]+)?|[{_UP}][{_UP}]{{1,30}}(?:\s[{_UP}][{_UP}]{{1,30}})?)(?![\w'’-])"
)
# "CORONA Aida", "BELTRÁN PÉREZ José Luis": the French administrative order, surname in capitals first, no comma.
_CAPS_FIRST = re.compile(
    rf"([{_UP}](?<![\w'’-].)[{_UP}'’-]{{1,30}}(?:{_SP}[{_UP}][{_UP}'’-]{{1,30}})?){_SP}{{1,2}}"
    rf"([{_UP}][{_LO}]+(?:[-'’][{_UP}]?[{_LO}]+)?(?:{_SP}[{_UP}][{_LO}]+)?)(?![\w'’-])"
)
# "Karim BENALI", "Awa DIOP", "Jean-Baptiste MOREAU": given names, then the surname in capitals.
_CAPS_LAST = re.compile(
    rf"({_FIRST_WORD}(?:{_SP}[{_UP}][{_LO}]+)?){_SP}{{1,2}}"
    rf"([{_UP}][{_UP}'’-]{{1,30}}(?:{_SP}[{_UP}][{_UP}'’-]{{1,30}})?)(?![\w'’-])"
)
_ID_AFTER = re.compile(r"[ \t]{0,3}[,;(–—-][ \t]{0,3}"
                       r"(?i:n[ée]e?\b|n[ée]\(e\)|born|dob|d\.o\.b|geb|nacid|nascid|f[eè]t\b"
                       r"|A[ -]?\d{3}|A-?number|a#|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{2}-\d{2})")
_SINGLE_AFTER_CUE = re.compile(
    rf"(?i:\b(mr|mrs|ms|mx|dr|sr|sra|srta|señor|señora|don|doña|detainee|respondent|applicant|detenid[oa]"
    rf"|solicitante))\.?\s{{1,3}}({_WORD})(?![\w'’-])"
)
_CUE_TRIGGERS = (
    "mr",
    "ms.",
    "ms ",
    "mx.",
    "dr.",
    "sr.",
    "sra",
    "srta",
    "señor",
    "don ",
    "doña",
    "detainee",
    "respondent",
    "applicant",
    "detenid",
    "solicitante",
)
_CUE_WINDOW = 40


@dataclass(frozen=True)
class NameHit:
    """A name found in text. `value` is raw: mask it before it is shown anywhere."""

    start: int
    end: int
    value: str
    strong: bool
    official: str | None  # the title/verb that makes it an official, else None
    cue: str | None  # the person cue in front of it, if any

    def key_form(self) -> str:
        """Order- and case-insensitive form for person keys: 'GARCIA, Jose' and 'Jose Garcia' give the same."""
        return " ".join(sorted(fold(t) for t in names.tokens(self.value)))


@lru_cache(maxsize=1)
def _terms() -> dict[str, Any]:
    base = resources.files("veil.detectors").joinpath("data/terms")
    context = load_yaml(base.joinpath("name_context.yaml").read_text(encoding="utf-8"))
    stop = load_yaml(base.joinpath("not_names.yaml").read_text(encoding="utf-8"))
    return {
        "person": {fold(w) for lang in context["person"].values() for w in lang},
        "official": {fold(w) for lang in context["official"].values() for w in lang},
        "official_after": {fold(w) for lang in context["official_after"].values() for w in lang},
        "addressee": {fold(w) for lang in context["addressee"].values() for w in lang},
        "attribution": {fold(w) for lang in context["attribution"].values() for w in lang},
        "press_release": [p.lower() for p in context["press_release"]],
        "places": {fold(w) for w in context.get("places", [])},
        "stop": {fold(w) for lang in stop.values() for w in lang},
    }


@lru_cache(maxsize=65536)
def fold(word: object) -> str:
    """Lower-case without accents: 'López' -> 'lopez'."""
    decomposed = unicodedata.normalize("NFKD", str(word).casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def lexicon_active() -> bool:
    """False while the name lexicon is a stub (every score 0): then shape and context words decide alone."""
    probes = ("maria", "jose", "john", "garcia", "smith", "rodriguez")
    return any(_given(p) > 0 or _surname(p) > 0 for p in probes)


def attribution_words() -> set[str]:
    return set(_terms()["attribution"])


def is_press_release(text: str) -> bool:
    head = text[:4000].lower()
    return any(p in head for p in _terms()["press_release"])


def find_names(text: str) -> list[NameHit]:
    """Name candidates in `text`, sorted, without overlaps (roster form first, then runs, then cue + word)."""
    hits: list[NameHit] = []
    taken = _Spans()
    for m in _ROSTER.finditer(text):
        hit = _judge(text, m.start(), m.end(), roster=True)
        if hit:
            hits.append(hit)
            taken.add(m.start(), m.end())
    for m in (*_CAPS_FIRST.finditer(text), *_CAPS_LAST.finditer(text)):
        if taken.overlaps(m.start(), m.end()):
            continue
        caps_first = m.re is _CAPS_FIRST
        hit = _judge_caps(text, m, m.group(1 if caps_first else 2), m.group(2 if caps_first else 1))
        if hit:
            hits.append(hit)
            taken.add(m.start(), m.end())
    for m in _TITLE_RUN.finditer(text):
        if taken.overlaps(m.start(), m.end()):
            continue
        hit = _judge(text, m.start(), m.end(), roster=False)
        if hit:
            hits.append(hit)
            taken.add(hit.start, hit.end)
    for m in finditer_in(_SINGLE_AFTER_CUE, text, word_windows(text, _CUE_TRIGGERS, 2, 60)):
        if taken.overlaps(m.start(2), m.end(2)):
            continue
        token = m.group(2)
        if fold(token) in _terms()["stop"] or _common(token):
            continue
        hit = _judge_tokens(text, m.start(2), m.end(2), [token], roster=False, cue_hint=m.group(1))
        if hit:
            hits.append(hit)
    hits.sort(key=lambda h: h.start)
    return hits


class _Spans:
    """Non-overlapping spans, sorted, with an O(log n) overlap test."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect_left(self.starts, end)
        return i > 0 and self.ends[i - 1] > start

    def add(self, start: int, end: int) -> None:
        i = bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


# The name lexicon is another module's data: if it cannot load, names are judged by shape and context alone
# rather than failing the whole check.
def _safe(fn: Callable[[str], Any], default: Any) -> Callable[[str], Any]:
    @lru_cache(maxsize=65536)
    def call(value: str) -> Any:
        global _LEXICON_BROKEN
        if _LEXICON_BROKEN:
            return default
        try:
            return fn(value)
        except Exception:  # noqa: BLE001 - a broken lexicon must not break the check
            _LEXICON_BROKEN = True
            log.warning("name lexicon unavailable; names in prose are judged by shape and context only")
            return default

    return call


_LEXICON_BROKEN = False
_given = _safe(lambda t: names.given_score(t), 0.0)
_surname = _safe(lambda t: names.surname_score(t), 0.0)
_likeness = _safe(lambda v: names.name_likeness(v), 0.0)
_common = _safe(lambda t: names.is_common_word(t), False)
_vetoed = _safe(lambda t: names.is_veto_word(t), True)


def _judge(text: str, start: int, end: int, roster: bool) -> NameHit | None:
    span = text[start:end]
    toks = names.tokens(span)
    if not toks:
        return None
    stop = _terms()["stop"]
    if roster:
        if any(fold(t) in stop for t in toks) or _is_place_or_dateline(text, start, end):
            return None
        return _judge_tokens(text, start, end, toks, roster=True)
    # Leading capitalised words that are titles or sentence openers ("Detainee", "Secretary", "The") are cues, not
    # parts of the name: move the start past them.
    cue_hint = None
    if fold(toks[0]) in _PLACE_PREFIXES:
        return None  # "San Pedro Sula", "Fort Worth": a place, not a person after a cue
    while toks and (
        fold(toks[0]) in stop or fold(toks[0]) in _terms()["person"] or fold(toks[0]) in _terms()["official"]
    ):
        cue_hint = toks[0]
        offset = text.find(toks[0], start, end) + len(toks[0])
        start = offset
        while start < end and not text[start].isalpha():
            start += 1
        toks = toks[1:]
    # A capitalised word at the start of a sentence is capitalised for that reason alone: "Later Jose Garcia".
    if len(toks) > 2 and _common(toks[0]) and _sentence_start(text, start):
        start = text.find(toks[0], start, end) + len(toks[0])
        while start < end and not text[start].isalpha():
            start += 1
        toks = toks[1:]
    # A capitalised run that ends in (or runs on into) an organisation or place word is that organisation's or
    # place's name: "Henry E. Rohlsen International Airport", "Juan F. Luis Hospital".
    if toks and fold(toks[-1]) in stop:
        return None
    following = _NEXT_WORD.match(text, end)
    if following and following.group(1)[:1].isupper() and fold(following.group(1)) in stop:
        return None
    content = [t for t in toks if fold(t) not in _PARTICLES]
    if not content:
        return None
    if any(fold(t) in stop for t in content):
        return None
    common = [t for t in content if _common(t)]
    if common and not _names_around_words(content, common):
        return None
    if len(content) < 2 and cue_hint is None:
        return None
    if len(content) < 2 and fold(cue_hint or "") not in _terms()["person"] | _terms()["official"]:
        return None
    return _judge_tokens(text, start, end, content, roster=False, cue_hint=cue_hint)


def _judge_caps(text: str, m: re.Match[str], caps: str, mixed: str) -> NameHit | None:
    """SURNAME Given or Given SURNAME: capitals are also acronyms and headings ("USCIS Director", "Field Office
    ICE"), so only with the name lexicon, a known given name and a known surname, and no organisation, place or
    title word among them."""
    if not lexicon_active():
        return None
    surnames, given = names.tokens(caps), names.tokens(mixed)
    if not surnames or not given:
        return None
    stop = _terms()["stop"]
    if any(fold(t) in stop or fold(t) in _terms()["official"] for t in (*surnames, *given)):
        return None
    if any(_common(t) for t in given) or fold(surnames[0]) in _PLACE_PREFIXES:
        return None
    surname = max(_surname(t.title()) for t in surnames)
    if surname <= 0:
        return None
    # An unknown given name counts when the line goes on to a birth date or an identifier: "UREÑA Espartaco, né le".
    if max(_given(t) for t in given) <= 0 and not _ID_AFTER.match(text, m.end()):
        return None
    return _judge_tokens(text, m.start(), m.end(), [*given, *(t.title() for t in surnames)], roster=False)


def _sentence_start(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start].rstrip(" \t\u00a0\"'“‘(")
    return not before or before[-1] in ".!?\n:;-–—•"


def _names_around_words(content: list[str], common: list[str]) -> bool:
    """A given name and two surnames may hold a dictionary word ("Rigoberto Chen Pop", "Germán Álvarez Vélez"): the
    run is a name when at least two of its three or four words are not words and make a known name by themselves."""
    if len(content) < 3 or len(content) - len(common) < 2 or any(_vetoed(t) for t in common):
        return False
    rest = tuple(t for t in content if t not in common)
    return _lexicon_strength(rest) >= 0.5


# Lower-case joining words of names ('da Silva', 'van der Berg', 'du Pont', 'della Rocca'): not the name's content,
# and not evidence against it, even where another language's stop list has them.
_PARTICLES = frozenset(
    {
        "de",
        "del",
        "la",
        "los",
        "van",
        "von",
        "da",
        "dos",
        "di",
        "le",
        "y",
        "bin",
        "do",
        "das",
        "du",
        "des",
        "della",
        "dello",
        "degli",
        "dei",
        "der",
        "den",
        "ten",
        "ter",
        "e",
    }
)


# First words of place names: a capitalised run starting with one names a place, not a person.
_PLACE_PREFIXES = frozenset(
    {
        "san",
        "santa",
        "santo",
        "sao",
        "saint",
        "st",
        "fort",
        "lake",
        "port",
        "mount",
        "puerto",
        "ciudad",
        "villa",
        "monte",
        "targu",
        "tirgu",
    }
)


def _is_place_or_dateline(text: str, start: int, end: int) -> bool:
    """'HOUSTON, Texas — ...' (a press-release dateline) is a place; 'GARCIA, Jose' is a person. Only the part
    after the comma tells them apart: a dash after either is common."""
    given = text[start:end].split(",", 1)[1].strip()
    return fold(given) in _terms()["places"] or is_country(given)


def _judge_tokens(
    text: str, start: int, end: int, toks: list[str], roster: bool, cue_hint: str | None = None
) -> NameHit | None:
    before = _words_before(text, start)
    after = _words_after(text, end)
    terms = _terms()
    person_cue = next((w for w in before[-2:] if w in terms["person"]), None)
    if cue_hint and fold(cue_hint) in terms["person"]:
        person_cue = fold(cue_hint)
    official = _official_before(before, terms["official"])
    if cue_hint and fold(cue_hint) in terms["official"]:
        official = fold(cue_hint)
    if official is None and after[:1] and after[0] in terms["official_after"]:
        official = after[0]
    # "Jane Doe, Director of ..." (a title in apposition), not "PHAN, Tien Xuan General Information"
    if official is None and after[:1] and after[0] in terms["official"] and text[end : end + 1] == ",":
        official = after[0]
    if official is None and after[:2] and after[0] in ("the", "el", "la") and after[1] in terms["official"]:
        official = after[1]
    if person_cue and official and person_cue != official:
        official = None  # "detainee Garcia told the officer..." is a person, not an official
    if any(w in terms["addressee"] for w in before[-3:]):
        official = next(w for w in before[-3:] if w in terms["addressee"])  # "Dear Ms. Okafor": the addressee
    lexicon = _lexicon_strength(tuple(toks))
    if lexicon_active() and lexicon == 0.0 and not (person_cue or roster or official):
        return None
    strong = bool(person_cue) or roster or lexicon >= 0.5
    return NameHit(start, end, text[start:end], strong, official, person_cue)


# "Media" and "press" name a public role only with a role word after them ("Media contact:", "press officer"):
# "Media advisory: Héctor Pacay, a key witness" is about a private person.
_ROLE_MODIFIERS = frozenset({"media", "press", "prensa"})
_ROLES_AFTER_MODIFIER = frozenset(
    {
        "contact",
        "contacts",
        "relations",
        "inquiries",
        "enquiries",
        "office",
        "officer",
        "liaison",
        "team",
        "secretary",
        "spokesperson",
        "contacto",
        "oficina",
        "relaciones",
    }
)


def _official_before(before: list[str], official: set[str]) -> str | None:
    for i, w in enumerate(before):
        if w not in official:
            continue
        if w in _ROLE_MODIFIERS:
            following = before[i + 1] if i + 1 < len(before) else None
            if following is None or (following not in official and following not in _ROLES_AFTER_MODIFIER):
                continue
        return w
    return None


@lru_cache(maxsize=65536)
def _lexicon_strength(toks: tuple[str, ...]) -> float:
    if not lexicon_active() or not toks:
        return 0.0
    given = max(_given(t) for t in toks[:-1]) if len(toks) > 1 else _given(toks[0])
    surname = max(_surname(t) for t in toks[1:]) if len(toks) > 1 else _surname(toks[0])
    whole = _likeness(" ".join(toks))
    return max(whole, min(1.0, (given + surname) / 1.2) if given > 0 and surname > 0 else 0.0)


_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)
_NEXT_WORD = re.compile(r"[ \t]{1,3}([^\W\d_]+)")


_SENTENCE_END = re.compile(r"(?:[^\W\d_]{4,}|\d)[.!?]+[\"'”’)]*\s|[!?;\n]")


def _words_before(text: str, start: int) -> list[str]:
    window = text[max(0, start - 2 * _CUE_WINDOW) : start]
    # Only words of the same sentence count ("...the officer. Jose Garcia" is not an official); short words before a
    # period are abbreviations such as "Mr." and do not end it.
    ends = [m.end() for m in _SENTENCE_END.finditer(window)]
    if ends:
        window = window[ends[-1] :]
    words = [fold(w) for w in _WORDS.findall(window)]
    colon = window.rfind(":")
    if colon >= 0:
        # A heading before a colon ("Media advisory:", "Re:", "Attendees:") says nothing about who the name after it
        # is, unless it ends in a role or cue word ("Media contact:", "Spokesperson:", "Subject:", "Prepared by:").
        heading = [fold(w) for w in _WORDS.findall(window[:colon])]
        if heading and not _cue_word(heading[-1]):
            words = words[len(heading) :]
    return words[-5:]


def _cue_word(word: str) -> bool:
    terms = _terms()
    return (
        word in terms["official"]
        or word in terms["person"]
        or word in terms["addressee"]
        or word in _ROLES_AFTER_MODIFIER
        or word in ("by", "por", "par", "von")
    )


def _words_after(text: str, end: int) -> list[str]:
    return [fold(w) for w in _WORDS.findall(text[end : end + _CUE_WINDOW])][:3]
