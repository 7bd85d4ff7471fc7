"""Identifiers in prose: A-numbers, SSNs, passport numbers, dates of birth, and office contact details.

Patterns are linear-time on hostile input: every repetition is bounded or over a single character class, with no
nested quantifiers. Validation (SSN area rules, a plausible birth year) is code, as in presidio's recognisers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from veil.detectors.text_scan import finditer_in, regex_windows, word_windows

_UP = "A-ZÁÉÍÓÚÑÜ"

# "A" + 8 or 9 digits, optional dash/space/# after the A and between digit groups: A123456789, A-123-456-789,
# A 123 456 789, A#123456789. A lower-case "a" is an article, not an A-number.
# (The look-behind sits after the literal "A" so the engine can skip ahead to each "A" quickly.)
# Digit groups are 2-3, 3, 3 ("A 700 0 220 0" in a table of counts is not an A-number).
_A_NUMBER = re.compile(r"A(?<![\w#/-]A)(?:[-#] ?| )?(\d{2,3}[ -]?\d{3}[ -]?\d{3})(?![\w-]|[ ]\d)")
# Labelled forms whose digits are not prefixed by "A": "A-Number: 123 456 789", "Alien No. 123456789".
_A_LABELLED = re.compile(
    r"(?i:\b(?:a[- ]?(?:number|num|no|#)|alien\s(?:registration\s)?(?:number|no)|n[úu]mero\s(?:de\s)?(?:a|extranjero)"
    r"|n[úu]mero\sde\sregistro\sde\sextranjero))\.?\s{0,3}[:#]?\s{0,3}A?[-# ]?"
    r"(\d{2,3}[ -]?\d{3}[ -]?\d{3})(?![\w-]|[ ]\d)"
)
_SSN = re.compile(r"(\d{3})(?<![\w-]\d{3})-(\d{2})-(\d{4})(?![\w-])")
_SSN_LABELLED = re.compile(r"(?i:\b(?:ssn|social\ssecurity\s(?:number|no)|seguro\ssocial))\.?\s{0,3}[:#]?\s{0,3}"
                           r"(\d{3})[- ]?(\d{2})[- ]?(\d{4})(?![\w-])")
_PASSPORT = re.compile(
    r"(?i:\b(?:passport|pasaporte)(?:\s(?:no|number|num|n[úu]mero|nr|#)\.?)?)\s{0,3}[:#]?\s{0,3}"
    r"(?-i:([A-Z0-9]{6,9}))(?![\w-])"
)

_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?"
    "|nov(?:ember)?|dec(?:ember)?|enero|febrero|marzo|abril|mayo|junio|julio|agosto|se?ptiembre|octubre"
    "|noviembre|diciembre"
)
_DATE = (
    rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}-\d{{1,2}}-\d{{1,2}}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s(?:de\s)?(?i:{_MONTHS})\.?,?\s(?:de\s|del\s)?\d{{4}}"
    rf"|(?i:{_MONTHS})\.?\s\d{{1,2}}(?:st|nd|rd|th)?,?\s\d{{4}})"
)
_DOB = re.compile(
    r"(?i:\b(?:d\.?o\.?b\.?|date\sof\sbirth|birth\s?date|born(?:\son)?|fecha\sde\snacimiento|f\.?\s?de\s?nac\.?"
    r"|fdn|nacid[oa](?:\sel)?|naci[óo](?:\sel)?))\s{0,3}[:\-]?\s{0,3}(?:(?i:is|was|el|on|:)\s{1,3})?"
    rf"({_DATE})"
)
_YEAR = re.compile(r"\d{4}")
_AT = re.compile("@")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,6}")
_PHONE = re.compile(r"(?<![\w+])(?:\+?1[ .-]?)?(?:\(\d{3}\)\s?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![\w-])")
# Cheap triggers: the full patterns above only run in windows around these.
_DIGIT_RUN = re.compile(r"[0-9][0-9 .()-]{6,14}[0-9]")
_DOB_TRIGGERS = ("dob", "d.o.b", "birth", "born", "nacimiento", "nac", "fdn", "naci")
_PASSPORT_TRIGGERS = ("passport", "pasaporte")


@dataclass(frozen=True)
class IdMatch:
    """An identifier found in text. `value` is raw: callers mask it before showing it anywhere."""

    kind: str  # a-number | ssn | passport | dob | email | phone
    start: int
    end: int
    value: str

    @property
    def identifies(self) -> bool:
        """A-numbers, SSNs and passport numbers identify one person by themselves; a birth date does not."""
        return self.kind in ("a-number", "ssn", "passport")

    @property
    def label(self) -> str:
        return _LABELS[self.kind]


_LABELS = {"a-number": "an A-number", "ssn": "an SSN", "passport": "a passport number", "dob": "a date of birth",
           "email": "an e-mail address", "phone": "a phone number"}


def find_identifiers(text: str) -> list[IdMatch]:
    """Every identifier in `text`, sorted by position, overlapping matches resolved in favour of the first kind."""
    found: list[IdMatch] = []
    digit_windows = regex_windows(text, _DIGIT_RUN, 60, 4)
    for rx, windows in ((_A_NUMBER, [(0, len(text))]), (_A_LABELLED, digit_windows)):
        for m in finditer_in(rx, text, windows):
            digits = re.sub(r"\D", "", m.group(1))
            if len(digits) in (8, 9):
                found.append(IdMatch("a-number", m.start(), m.end(), "A" + digits.zfill(9)))
    for rx in (_SSN, _SSN_LABELLED):
        for m in finditer_in(rx, text, digit_windows):
            if _valid_ssn(m.group(1), m.group(2), m.group(3)):
                found.append(IdMatch("ssn", m.start(), m.end(), "".join(m.groups())))
    for m in finditer_in(_PASSPORT, text, word_windows(text, _PASSPORT_TRIGGERS, 2, 40)):
        if any(c.isdigit() for c in m.group(1)):
            found.append(IdMatch("passport", m.start(), m.end(), m.group(1)))
    for m in finditer_in(_DOB, text, word_windows(text, _DOB_TRIGGERS, 24, 60)):
        if _plausible_birth_year(m.group(1)):
            found.append(IdMatch("dob", m.start(), m.end(), m.group(1)))
    for m in finditer_in(_EMAIL, text, regex_windows(text, _AT, 70, 400)):
        found.append(IdMatch("email", m.start(), m.end(), m.group(0)))
    for m in finditer_in(_PHONE, text, digit_windows):
        found.append(IdMatch("phone", m.start(), m.end(), m.group(0)))
    found.sort(key=lambda i: (i.start, -i.end))
    out: list[IdMatch] = []
    for item in found:
        if out and item.start < out[-1].end:
            continue
        out.append(item)
    return out


def _valid_ssn(area: str, group: str, serial: str) -> bool:
    return area not in ("000", "666") and not area.startswith("9") and group != "00" and serial != "0000"


def _plausible_birth_year(value: str) -> bool:
    years = _YEAR.findall(value)
    if years:
        year = int(years[-1])
    else:
        tail = re.findall(r"\d{2}", value)
        if not tail:
            return False
        year = 1900 + int(tail[-1])  # two-digit years: any is plausible
    return 1900 <= year <= date.today().year
