"""Personal identifiers: patterns are data, validation is code (presidio's PatternRecognizer habit).

Each pattern is linear-time (no nested quantifiers) so hostile input cannot make it backtrack for long."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

# kind -> pattern. Kinds are persisted names used in evidence and by the text detector.
PATTERNS: dict[str, re.Pattern[str]] = {
    # A-number: "A" + 8 or 9 digits, dashes/spaces allowed between groups: A123456789, A-123-456-789, A# 12345678
    "a-number": re.compile(r"(?<![A-Za-z0-9])A\s?[#-]?\s?(\d{3}[\s-]?\d{3}[\s-]?\d{2,3})(?![\d-])"),
    "ssn": re.compile(r"(?<![\d-])(\d{3})-(\d{2})-(\d{4})(?![\d-])"),
    "email": re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,5}"),
    "phone": re.compile(r"(?<!\d)(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]\d{4}(?!\d)"),
    "date": re.compile(
        r"(?<!\d)(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2}))(?!\d)"
    ),
}

# Passport numbers have no universal shape; only taken with a passport header or context word.
PASSPORT_VALUE = re.compile(r"^[A-Z0-9]{6,9}$")


@dataclass(frozen=True)
class IdMatch:
    kind: str
    start: int
    end: int
    value: str


ALL_KINDS = ("a-number", "ssn", "email", "phone", "date")


def find_identifiers(text: str, kinds: tuple[str, ...] = ALL_KINDS) -> list[IdMatch]:
    """All identifier-shaped spans in a text, validated (an SSN with area 000 is not an SSN)."""
    out: list[IdMatch] = []
    for kind in kinds:
        for m in PATTERNS[kind].finditer(text):
            value = m.group(0)
            if kind == "ssn" and not valid_ssn(value):
                continue
            if kind == "date" and parse_date(value) is None:
                continue
            out.append(IdMatch(kind, m.start(), m.end(), value))
    out.sort(key=lambda x: x.start)
    return out


def a_number(value: str) -> str | None:
    """The 9-digit normal form of an A-number value, or None. Accepts 'A123456789', 'A-123-456-789', '123456789'
    is NOT accepted here (bare digits are only an A-number under an A-number header: see a_number_digits)."""
    m = PATTERNS["a-number"].fullmatch(value.strip())
    if not m:
        return None
    return re.sub(r"\D", "", m.group(1)).zfill(9)


def a_number_digits(value: str) -> str | None:
    """Bare 8- or 9-digit values (with optional dashes) as found in a column headed 'A-Number'."""
    digits = re.sub(r"[\s-]", "", value.strip())
    if digits[:1] in ("A", "a"):
        digits = digits[1:].lstrip("#")
    return digits.zfill(9) if digits.isdigit() and len(digits) in (8, 9) else None


def valid_ssn(value: str) -> bool:
    m = PATTERNS["ssn"].fullmatch(value.strip())
    if not m:
        return False
    area, group, serial = m.groups()
    return area not in ("000", "666") and not area.startswith("9") and group != "00" and serial != "0000"


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?$")
_MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_TEXT_DATE = re.compile(
    r"^(\d{1,2})[\s-]([A-Za-z]{3})[A-Za-z]*[\s,-]+(\d{4})$|^([A-Za-z]{3})[A-Za-z]*\.?\s(\d{1,2}),?\s(\d{4})$"
)


# Columns are tested value by value, and event and birth dates repeat within and across columns.
@lru_cache(maxsize=1 << 16)
def parse_date(value: str) -> date | None:
    """Parse the common written forms of a calendar date (ISO, US m/d/y, d/m/y when unambiguous, '4 Mar 1987',
    'March 4, 1987', ISO datetime). Returns None for anything else, including impossible dates."""
    text = value.strip()
    if not text or len(text) > 32:
        return None
    m = _ISO.match(text)
    if m:
        return _mk(m.group(1), m.group(2), m.group(3))
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})", text)
    if m:
        a, b, y = m.groups()
        year = _year(y)
        # m/d/y is the US default; take d/m/y only when the first number cannot be a month
        return _mk(year, a, b) or _mk(year, b, a)
    m = _TEXT_DATE.fullmatch(text)
    if m:
        if m.group(1):
            day, mon, year_s = m.group(1), m.group(2), m.group(3)
        else:
            mon, day, year_s = m.group(4), m.group(5), m.group(6)
        month = _MONTHS.get(mon.lower()[:3])
        return _mk(year_s, str(month), day) if month else None
    return None


def _year(text: str) -> str:
    if len(text) == 2:
        n = int(text)
        return str(1900 + n if n > 30 else 2000 + n)
    return text


def _mk(y: str | int, m: str | int, d: str | int) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except (ValueError, TypeError):
        return None


def excel_serial_date(value: str) -> date | None:
    """An Excel serial day number (1900 system) as a date, for serials between 1900 and 2100."""
    try:
        n = float(value)
    except ValueError:
        return None
    if not n.is_integer() or not 1 <= n <= 73050:
        return None
    from datetime import timedelta

    return date(1899, 12, 30) + timedelta(days=int(n))
