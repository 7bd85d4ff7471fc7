"""Column classifiers: what kind of value a column holds, with the evidence in plain words.

Each classifier weighs header words (English and Spanish), value shapes, lexicon hit rates and uniqueness over a
sample of the column's values. The result names the class and why, so a reviewer can check the decision."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from veil.detectors import identifiers as ids
from veil.detectors import names, officials
from veil.detectors.recognizers import Recognizer, active
from veil.detectors.text_status import is_matter_value
from veil.detectors.vocab import (
    AGE_BAND,
    FACILITY_WORDS,
    SEX_VALUES,
    STATUS_TERMS,
    header_kind,
    is_country,
)

# Classes whose presence makes a row identify a person, besides the recognizers' identifiers (A-number, SSN,
# passport number, a plugin's national ID: see direct_identifiers()).
NAME_AND_BIRTH = frozenset({"person-name", "surname", "given-name", "date-of-birth"})
# Attributes of a person that, combined, can single someone out (quasi-identifiers).
QUASI_IDENTIFIERS = frozenset({"date-of-birth", "age", "sex", "nationality", "race", "record-id", "date",
                               "address", "case-status"})
# Facility lists have addresses and dates too; these are attributes only a person has.
PERSON_SPECIFIC = frozenset({"age", "sex", "race", "record-id", "date-of-birth"})

_NUMBER = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
_REDACTED = re.compile(r"^\(?b\)?\s*\(\d\)|redacted|\*{3,}|x{4,}|^\[.*\]$", re.IGNORECASE)


_ROLE_SAMPLE = 200  # distinct values looked at for job titles, parties and charges

KIND_WORDS = {"date-of-birth": "date of birth", "record-id": "record ID", "person-name": "person name",
              "given-name": "given name"}


def direct_identifiers() -> frozenset[str]:
    """Column classes whose presence makes a row identify a person: names, birth dates, the recognizers' IDs."""
    return NAME_AND_BIRTH | active().identifying


def kind_words(kind: str) -> str:
    """A column class in words, for findings: 'A-number', 'date of birth', a plugin's own words."""
    rec = active().get(kind)
    return rec.words if rec is not None else KIND_WORDS.get(kind, kind.replace("-", " "))


@dataclass(frozen=True)
class ColumnClass:
    index: int
    header: str | None
    kind: str
    confidence: float
    evidence: tuple[str, ...]

    @property
    def identifying(self) -> bool:
        return self.kind in NAME_AND_BIRTH or self.kind in active().identifying


# The last step of a JSON path names the field ('subject.name.family'); FHIR and similar APIs split names so.
_PATH_FIELDS = {"given": "given-name", "family": "surname"}


def header_class(header: str | None) -> str | None:
    """The class a header names, if any. Exact phrase matches only: 'Facility Name' is not a person's name."""
    if not header:
        return None
    if "." in header.strip(".") and " " not in header:
        field = header.rstrip(".").rsplit(".", 1)[1]
        return _PATH_FIELDS.get(field.lower()) or header_class(field) or _header_class(header)
    return _header_class(header)


def _header_class(header: str) -> str | None:
    return header_kind(header)


def classify(index: int, header: str | None, values: Sequence[str], header_known: bool = False,
             few_enough: bool = False) -> ColumnClass:
    """Classify one column from its header (may be None) and a sample of its non-empty values. `few_enough`: a few
    headerless name-like values are evidence enough, because of where they stand (beside a column of protection
    claims, or somewhere a reader of the file does not see)."""
    hint = header_class(header)
    vals = [v.strip() for v in values if v is not None and v.strip()]
    n = len(vals)
    if n == 0:
        return ColumnClass(index, header, "empty", 1.0, ("no values",))
    ev: list[str] = []
    if hint:
        ev.append(f"its header names: {kind_words(hint)}")

    # Each test runs once per distinct value: statistics columns repeat a handful of labels thousands of times.
    counts = Counter(vals)

    def rate(pred: Callable[[str], bool]) -> float:
        return sum(c for v, c in counts.items() if pred(v)) / n

    # Tests that only decide on a clear majority look at the most frequent distinct values: enough for a share.
    common = counts.most_common(_ROLE_SAMPLE) if len(counts) > _ROLE_SAMPLE else list(counts.items())
    common_n = sum(c for _, c in common)

    def common_rate(pred: Callable[[str], bool]) -> float:
        return sum(c for v, c in common if pred(v)) / common_n

    redacted = rate(lambda v: bool(_REDACTED.search(v)))
    if redacted >= 0.8:
        return ColumnClass(index, header, "redacted", redacted, (*ev, f"{redacted:.0%} of values are redaction marks"))

    for rec in active().for_cells:
        found = _recognized(rec, hint, rate)
        if found is not None:
            return ColumnClass(index, header, rec.name, found, (*ev, f"{found:.0%} of values are {rec.plural}"))

    numeric = rate(lambda v: bool(_NUMBER.match(v)))

    dob = _date_of_birth(vals, hint)
    if dob is not None:
        return ColumnClass(index, header, "date-of-birth", dob[0], (*ev, dob[1]))

    if numeric >= 0.9:
        if hint == "age" and rate(lambda v: v.replace(".0", "").isdigit() and int(float(v)) <= 120) >= 0.9:
            return ColumnClass(index, header, "age", 0.9, (*ev, "whole numbers 0-120 under an age header"))
        if hint == "record-id":
            uniq = len(set(vals)) / n
            if uniq >= 0.9 and n >= 5:
                return ColumnClass(index, header, "record-id", uniq, (*ev, f"{uniq:.0%} of values are distinct"))
        return ColumnClass(index, header, "number", numeric, (f"{numeric:.0%} of values are numbers",))

    dates = rate(lambda v: ids.parse_date(v) is not None)
    if dates >= 0.8:
        return ColumnClass(index, header, "date", dates, (*ev, f"{dates:.0%} of values are dates"))

    sex = rate(lambda v: v.lower() in SEX_VALUES)
    if sex >= 0.9 and (hint == "sex" or len({v.lower() for v in vals}) <= 6 and n >= 3):
        return ColumnClass(index, header, "sex", sex, (*ev, f"{sex:.0%} of values are sex/gender codes"))

    if hint == "age":
        band = rate(lambda v: bool(AGE_BAND.match(v)) or v.isdigit())
        if band >= 0.8:
            return ColumnClass(index, header, "age", band, (*ev, f"{band:.0%} of values are ages or age bands"))

    matter = _matter(vals, hint, common_rate)
    if matter is not None:
        return ColumnClass(index, header, "matter", matter[0], (*ev, matter[1]))

    # Under a title or office header, 'Supervisory Asylum Officer' or 'Asylum Division' is the role, not a claim.
    role_hint = hint if hint in ("job-title", "organisation") else ""
    status = rate(lambda v: bool(STATUS_TERMS.search(v)) and not officials.names_the_role(role_hint, v))
    if status >= 0.3 or (hint == "case-status" and status >= 0.1):
        return ColumnClass(index, header, "case-status", status,
                           (*ev, f"{status:.0%} of values name a protection claim or status"))

    country = rate(is_country)
    if country >= 0.6:
        return ColumnClass(index, header, "nationality", country, (*ev, f"{country:.0%} of values are countries"))

    role = _role(vals, hint, common_rate)
    if role is not None:
        return ColumnClass(index, header, role[0], role[1], (*ev, role[2]))

    if hint == "official-name":
        official = _name(vals, "person-name", header_known, few_enough)
        if official is not None:
            return ColumnClass(index, header, "official-name", official[1], (*ev, official[2]))

    name = _name(vals, hint, header_known, few_enough)
    if name is not None:
        return ColumnClass(index, header, name[0], name[1], (*ev, name[2]))

    if hint in ("race", "address", "case-status", "nationality", "record-id"):
        uniq = len(set(vals)) / n
        if hint != "record-id" or (uniq >= 0.9 and n >= 5):
            return ColumnClass(index, header, hint, 0.6, (*ev,))

    facility = rate(lambda v: bool(FACILITY_WORDS.search(v)))
    if facility >= 0.5:
        return ColumnClass(index, header, "facility", facility, (f"{facility:.0%} of values are facility names",))
    return ColumnClass(index, header, "text", 0.5, ("free text or labels",))


def _recognized(rec: Recognizer, hint: str | None, rate: Callable[[Callable[[str], bool]], float]) -> float | None:
    """The share of values a recognizer knows, when it is enough to make the column of its class."""
    named = hint == rec.name
    if rec.header_only and not named:
        return None
    share = rate(rec.is_cell)
    if named and rec.cell_under_header is not None:
        share = max(share, rate(lambda v: rec.is_cell(v, under_header=True)))
    if (share >= rec.share and not rec.header_only) or (named and share >= rec.header_share):
        return share
    return None


def _matter(vals: list[str], hint: str | None, rate: Callable[[Callable[[str], bool]], float]) \
        -> tuple[float, str] | None:
    """A column of charges, statutes or appeal references: a person's matter, like a protection claim."""
    share = rate(is_matter_value)
    if share >= 0.5 or (hint == "matter" and share >= 0.2):
        return share, f"{share:.0%} of values are charges, offences, statutes or appeal references"
    if hint == "matter" and rate(lambda v: bool(_NUMBER.match(v))) < 0.5:
        return 0.6, "a column of people's charges, convictions, removals or appeals"
    return None


def _role(vals: list[str], hint: str | None, rate: Callable[[Callable[[str], bool]], float]) \
        -> tuple[str, float, str] | None:
    """What office someone holds: a job title, a party, an office. A 'Title' of Mr and Ms is only a form of
    address."""
    if hint == "job-title":
        honorific = rate(officials.is_honorific)
        if honorific >= 0.6:
            return "honorific", honorific, f"{honorific:.0%} of values are forms of address (Mr, Ms), not offices"
        return "job-title", 0.7, f"{rate(officials.is_job_title):.0%} of values are job titles"
    jobs = rate(officials.is_job_title)
    if jobs >= 0.6 and len(vals) >= 3:
        return "job-title", jobs, f"{jobs:.0%} of values are job titles"
    parties = rate(officials.is_party_code if hint == "party" else officials.is_party)
    if parties >= 0.8 and (hint == "party" or len(vals) >= 3):
        return "party", parties, f"{parties:.0%} of values are political parties"
    if hint == "organisation":
        return "organisation", 0.6, "a column of offices or bodies"
    return None


def _date_of_birth(vals: list[str], hint: str | None) -> tuple[float, str] | None:
    if hint != "date-of-birth":
        # Without a header, dates alone are not taken for birth dates: contract, inspection and event dates look
        # the same. A roster's names identify its rows anyway.
        return None
    parsed: list[date] = []
    for v in vals:
        d = ids.parse_date(v) or ids.excel_serial_date(v)
        if d is not None:
            parsed.append(d)
    n = len(vals)
    rate = len(parsed) / n
    today = date.today()
    plausible = [d for d in parsed if 1900 <= d.year <= today.year and d <= today]
    if rate >= 0.5 and len(plausible) >= 0.8 * len(parsed):
        return rate, f"{rate:.0%} of values are dates with plausible birth years"
    return None


def _name(vals: list[str], hint: str | None, header_known: bool,
          few_enough: bool = False) -> tuple[str, float, str] | None:
    if hint is None and not few_enough and len(vals) < 5:
        return None  # a few headerless cells (a PDF table fragment) are too little evidence on their own
    counts = Counter(vals)
    if len(vals) >= 50 and len(counts) / len(vals) < 0.2 and len(counts) > 5:
        return None  # category labels repeat; one person's own record repeats only a handful of names

    def share(test: Callable[[str], bool]) -> float:
        return sum(n for v, n in counts.items() if test(v)) / len(vals)

    if hint is None and not few_enough and share(lambda v: len(names.tokens(v)) >= 2) < 0.5:
        return None  # without a name header, single words (cities, codes, labels) are too weak to call names
    # A surname or given-name header settles it: Preston and Holland are people there. Whole names beside towns
    # ('Tulsa, OK' has the shape of 'LAST, FIRST'; 'San Diego' holds a given name) are still places.
    one_word_names = hint in ("surname", "given-name")
    if not one_word_names and (share(_city_state) >= 0.5 or share(names.is_place_or_country) >= 0.5):
        return None
    result = names.name_column_score(vals, places_are_names=one_word_names)
    score, why = float(result.score), str(result.explanation)
    kind = hint if hint in ("surname", "given-name") else "person-name"
    if hint in ("person-name", "surname", "given-name"):
        threshold = 0.35 if hint == "person-name" else 0.25  # 'Name' heads facility lists too
        if score >= threshold:
            return kind, score, why
        return None
    if score >= 0.6:
        return "person-name", score, why
    return None


_US_STATES = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR "
    "PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI".split())
_CITY_STATE = re.compile(r"^[^,]{2,40},\s?([A-Z]{2})\b")


def _city_state(value: str) -> bool:
    """A value shaped 'City, ST' with a US state or territory code."""
    m = _CITY_STATE.match(value)
    return m is not None and m.group(1) in _US_STATES
