"""An A-number written without its "A" after a label ('Alien No. 123-456-789', 'A-Number: 123 456 789', 'Número A
123456789') inside a short table cell is an identifier, as it is in prose; so is one in the row taken for the header
(a headerless list whose first line is a record). Fixtures are built here, seeded."""

import random

import pytest

from veil.findings import Kind, Verdict
from veil.pipeline import check_bytes

LABELS = ("Alien No. {}", "A-Number: {}", "A# {}", "Número A {}", "alien registration number {}")


def _digits(rng: random.Random, spaced: bool) -> str:
    d = str(rng.randrange(10**8, 10**9))
    sep = " " if spaced else "-"
    return f"{d[:3]}{sep}{d[3:6]}{sep}{d[6:]}"


@pytest.mark.parametrize("label", LABELS)
@pytest.mark.parametrize("spaced", [False, True])
def test_a_labelled_a_number_in_a_notes_column(label: str, spaced: bool) -> None:
    rng = random.Random(hash((label, spaced)) & 0xFFFF)
    rows = ["Ref,Office,Notes"] + [f"{i},Harlingen,{label.format(_digits(rng, spaced))} moved" for i in range(7)]
    result = check_bytes(("\n".join(rows) + "\n").encode(), "notes.csv")
    assert result.verdict == Verdict.BLOCK
    assert Kind.IDENTIFIER_IN_TEXT in {f.kind for f in result.findings}
    assert result.persons == 7


def test_a_headerless_list_counts_its_first_line() -> None:
    rng = random.Random(3)
    lines = [f"{_digits(rng, False)}, transferred, Harlingen" for _ in range(6)]
    lines = [f"Alien No. {line}" for line in lines]
    result = check_bytes(("\n".join(lines) + "\n").encode(), "list.txt")
    assert result.verdict == Verdict.BLOCK
    assert result.persons == 6


@pytest.mark.parametrize("cell", ["123 456 789", "No. 123-456-789", "Case no 123-456-789", "Annual 123 456 789"])
def test_numbers_without_an_a_number_label_are_not_identifiers(cell: str) -> None:
    rows = ["Year,Figure"] + [f"{2015 + i},{cell}" for i in range(4)]
    result = check_bytes(("\n".join(rows) + "\n").encode(), "figures.csv")
    assert Kind.IDENTIFIER_IN_TEXT not in {f.kind for f in result.findings}
