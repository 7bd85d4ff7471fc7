"""Masked values keep the shape a reviewer needs and none of the characters that identify a person."""

from __future__ import annotations

import pytest

from veil.masking import mask, mask_all, person_key


@pytest.mark.parametrize(("raw", "shown"), [
    ("GARCIA, JOSE", "G*****, J***"),
    ("García López, María", "G***** L****, M****"),
    ("A123-456-789", "A***-***-***"),
    ("A 123 456 789", "A *** *** ***"),
    ("1990-05-12", "****-**-**"),
    ("555-12-3456", "***-**-****"),
    (None, ""),
])
def test_mask_keeps_shape_not_identity(raw: object, shown: str) -> None:
    assert mask(raw) == shown


def test_no_digit_survives_masking() -> None:
    assert not any(ch.isdigit() for ch in mask("A-12345678 born 03/04/1988 tel +1 202 555 0143"))


def test_long_values_are_cut() -> None:
    assert mask("x" * 100).endswith("…") and len(mask("x" * 100)) == 41


def test_mask_all_is_distinct_and_limited() -> None:
    assert mask_all(["ANA", "AMY", "BOB", "CY", "DI"], limit=3) == ("A**", "B**", "C*")


def test_person_key_ignores_case_and_punctuation() -> None:
    assert person_key("GARCIA, JOSE") == person_key("garcia jose")
    assert person_key("GARCIA, JOSE") != person_key("GARCIA, JOSEFA")
