"""Validators: the only part of a recognizer that is code. Each takes the matched value and says whether it is one.

Recognizers name their validator (`validator: luhn`); a plugin may pass a function instead."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

Validator = Callable[[str], bool]
_NOT_DIGIT = re.compile(r"\D")
_YEAR = re.compile(r"\d{4}")
_NUMBER = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")


def digits(value: str) -> str:
    return _NOT_DIGIT.sub("", value)


def ssn(value: str) -> bool:
    """Nine digits that the SSA could have issued: no area 000, 666 or 9xx, no group 00, no serial 0000."""
    d = digits(value)
    if len(d) != 9:
        return False
    area, group, serial = d[:3], d[3:5], d[5:]
    return area not in ("000", "666") and not area.startswith("9") and group != "00" and serial != "0000"


def a_number(value: str) -> bool:
    """Eight or nine digits (an A-number is written with or without its leading zero)."""
    return len(digits(value)) in (8, 9)


def has_digit(value: str) -> bool:
    return any(c.isdigit() for c in value)


def birth_year(value: str) -> bool:
    """A date whose year (four digits, else the last two) someone alive could be born in."""
    years = _YEAR.findall(value)
    if years:
        year = int(years[-1])
    else:
        tail = re.findall(r"\d{2}", value)
        if not tail:
            return False
        year = 1900 + int(tail[-1])  # two-digit years: any is plausible
    return 1900 <= year <= date.today().year


def not_a_plain_number(value: str) -> bool:
    """Not a plain number such as 1,234 or 5551234 (a phone number is written with its separators)."""
    return not _NUMBER.match(value)


def luhn(value: str) -> bool:
    """The Luhn (mod 10) check digit, as on payment cards and several national IDs."""
    d = digits(value)
    if len(d) < 2:
        return False
    total = 0
    for i, ch in enumerate(reversed(d)):
        n = int(ch) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def mod97(value: str) -> bool:
    """ISO 7064 MOD 97-10 over letters (A=10 ... Z=35) and digits: the whole value is 1 mod 97 (an IBAN once its
    first four characters are moved to the end)."""
    text = re.sub(r"[^0-9A-Za-z]", "", value).upper()
    if len(text) < 3:
        return False
    return int("".join(str(int(c, 36)) for c in text)) % 97 == 1


def mod11(value: str) -> bool:
    """Weights 2, 3, 4... from the right over all digits but the last; the last is (11 - sum mod 11) mod 11
    (10 is never a valid check digit)."""
    d = digits(value)
    if len(d) < 2:
        return False
    total = sum(int(c) * (i + 2) for i, c in enumerate(reversed(d[:-1])))
    check = (11 - total % 11) % 11
    return check < 10 and check == int(d[-1])


VALIDATORS: dict[str, Validator] = {
    "ssn": ssn,
    "a-number": a_number,
    "has-digit": has_digit,
    "birth-year": birth_year,
    "not-a-plain-number": not_a_plain_number,
    "luhn": luhn,
    "mod97": mod97,
    "mod11": mod11,
}
