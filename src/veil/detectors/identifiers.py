"""Values of a cell: the built-in A-number and SSN recognizers' shapes (recognizers/builtin.yaml) and dates.

Each pattern is linear-time (no nested quantifiers) so hostile input cannot make it backtrack for long."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from veil.detectors.recognizers import Recognizer, builtin
from veil.detectors.recognizers.validators import digits


def _builtin(name: str) -> Recognizer:
    return next(r for r in builtin() if r.name == name)


def a_number(value: str) -> str | None:
    """The 9-digit normal form of an A-number value, or None. Accepts 'A123456789', 'A-123-456-789'; '123456789'
    is NOT accepted here (bare digits are only an A-number under an A-number header: see a_number_digits)."""
    text = value.strip()
    return digits(text).zfill(9) if _A_NUMBER.is_cell(text) else None


def a_number_digits(value: str) -> str | None:
    """Bare 8- or 9-digit values (with optional dashes) as found in a column headed 'A-Number'."""
    text = value.strip()
    return digits(text).zfill(9) if _A_NUMBER.is_cell(text, under_header=True) else None


def valid_ssn(value: str) -> bool:
    return _SSN.is_cell(value.strip())


_A_NUMBER = _builtin("a-number")
_SSN = _builtin("ssn")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?$")
_MONTHS = {
    m: i + 1 for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])
}
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
    return date(1899, 12, 30) + timedelta(days=int(n))
