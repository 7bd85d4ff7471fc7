"""Prose names of many naming traditions (issue: South Slavic, Maya surnames, 'Media advisory:' headings)."""

from __future__ import annotations

import pytest

from support.name_probe import build, measure
from veil.detectors.text_names import find_names


def _private(text: str) -> list[str]:
    return [h.value for h in find_names(text) if not h.official]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Dragan Stojković arrived at the shelter last week.", "Dragan Stojković"),
        ("According to the file, Rigoberto Chen Pop was detained in March.", "Rigoberto Chen Pop"),
        ("Media advisory: Héctor Pacay, a key witness in the case, will not attend.", "Héctor Pacay"),
        ("Re: Łukasz Wójcik\nPlease find the documents attached.", "Łukasz Wójcik"),
        ("Attendees: Şerife Yıldırım, a farmer from the north.", "Şerife Yıldırım"),
        ("The family of Germán Álvarez Vélez asked for the file.", "Germán Álvarez Vélez"),
    ],
)
def test_private_names_of_many_traditions(text: str, name: str) -> None:
    assert name in _private(text)


@pytest.mark.parametrize(
    "text",
    [
        "Media contact: Ana Ruiz, 555-0100",
        "Press officer Ana Ruiz said the office will reopen.",
        "Spokesperson: Ana Ruiz",
    ],
)
def test_role_words_still_make_a_name_official(text: str) -> None:
    assert not _private(text)


@pytest.mark.parametrize(
    "text",
    [
        "The International Rescue Committee opened an office in San Pedro Sula.",
        "Nagy Németh Kft. signed the contract.",
        "Zengin Yorulmaz Şti. signed the contract.",
        "The Maria Theresa Square is big.",
        "Media advisory: Press Conference on Migration Policy",
    ],
)
def test_places_and_companies_are_not_people(text: str) -> None:
    assert not _private(text)


def test_probe_recall_and_precision() -> None:
    total, _, misses = measure(build(per_locale=11))
    assert total.recall >= 0.9, misses[:20]
    assert total.negative_precision >= 0.95, [m for m in misses if m.startswith("FP")]
