from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veil.detectors.identifiers import a_number, a_number_digits, parse_date, valid_ssn
from veil.detectors.text_ids import find_identifiers


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("A123456789", "123456789"),
        ("A12345678", "012345678"),
        ("A-123-456-789", "123456789"),
        ("A 123 456 789", "123456789"),
        ("A#123456789", "123456789"),
        ("A1234567", None),          # too short
        ("A1234567890", None),       # too long
        ("B123456789", None),
        ("123456789", None),         # bare digits need an A-number header
        ("AB123456789", None),
    ],
)
def test_a_number(value: str, expected: str | None) -> None:
    assert a_number(value) == expected


def test_bare_digits_under_header() -> None:
    assert a_number_digits("123-456-789") == "123456789"
    assert a_number_digits("12345") is None


@pytest.mark.parametrize(
    ("value", "ok"),
    [("123-45-6789", True), ("000-12-3456", False), ("666-12-3456", False), ("912-12-3456", False),
     ("123-00-4567", False), ("123-45-0000", False), ("123456789", False)],
)
def test_ssn(value: str, ok: bool) -> None:
    assert valid_ssn(value) is ok


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1987-03-04", date(1987, 3, 4)), ("03/04/1987", date(1987, 3, 4)), ("13/04/1987", date(1987, 4, 13)),
     ("4 Mar 1987", date(1987, 3, 4)), ("March 4, 1987", date(1987, 3, 4)), ("1987-03-04T00:00:00", date(1987, 3, 4)),
     ("2019-10", None), ("2021", None), ("31/02/1990", None), ("FY2019", None), ("", None)],
)
def test_parse_date(value: str, expected: date | None) -> None:
    assert parse_date(value) == expected


def test_find_identifiers_in_prose() -> None:
    text = "Jose (A123-456-789), born 03/04/1987, SSN 123-45-6789, wrote from a.b@example.org"
    kinds = [m.kind for m in find_identifiers(text)]
    assert kinds == ["a-number", "dob", "ssn", "email"]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=300))
def test_find_identifiers_never_crashes(text: str) -> None:
    for m in find_identifiers(text):
        assert 0 <= m.start < m.end <= len(text)
