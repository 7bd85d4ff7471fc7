"""Fixed-width text reports (columns aligned by spaces) are read as tables: a roster is record-level with each person
counted once, an aggregate passes, and prose or a list parted by single spaces stays text. Fixtures are seeded."""

import random

import pytest
from faker import Faker

from veil.findings import Kind, Verdict
from veil.pipeline import check_bytes
from veil.readers.text.fixed_width import split_fixed_width

COUNTRIES = ("Honduras", "Guatemala", "El Salvador", "Haiti", "Venezuela")
CLAIMS = ("Credible fear", "Asylum pending", "Removal ordered")


def _roster(seed: int, n: int, widths: tuple[int, int, int], rule: str | None, upper: bool) -> str:
    fake = Faker(["es_MX", "en_US"])
    fake.seed_instance(seed)
    rng = random.Random(seed)
    w1, w2, w3 = widths
    header = f"{'Detainee':<{w1}}{'Birth date':<{w2}}{'Citizenship':<{w3}}Claim"
    lines = [header.upper() if upper else header]
    if rule:
        lines.append(rule * (w1 - 2) + "  " + rule * (w2 - 2) + "  " + rule * (w3 - 2) + "  " + rule * 14)
    for _ in range(n):
        name = f"{fake.last_name().upper()}, {fake.first_name()}"
        dob = fake.date_of_birth(minimum_age=18, maximum_age=70).strftime("%m/%d/%Y")
        lines.append(f"{name:<{w1}}{dob:<{w2}}{rng.choice(COUNTRIES):<{w3}}{rng.choice(CLAIMS)}")
    return "Transfers to Port Isabel, week 14\n\n" + "\n".join(lines) + "\n\nPrepared by the field office.\n"


@pytest.mark.parametrize(("seed", "widths", "rule", "upper"),
                         [(1, (34, 13, 15), "-", False), (2, (40, 16, 18), "=", True), (3, (32, 12, 14), None, True)])
def test_a_fixed_width_roster_is_record_level(seed: int, widths: tuple[int, int, int], rule: str | None,
                                              upper: bool) -> None:
    result = check_bytes(_roster(seed, 9, widths, rule, upper).encode(), "transfers.txt")
    assert result.verdict == Verdict.BLOCK
    assert Kind.RECORD_LEVEL in {f.kind for f in result.findings}
    assert result.persons == 9


def test_a_fixed_width_aggregate_passes() -> None:
    rng = random.Random(4)
    lines = [f"{'Citizenship':<18}{'Book-ins':>10}{'Releases':>10}{'Removals':>10}"]
    lines += [f"{c:<18}{rng.randrange(900, 9000):>10}{rng.randrange(300, 900):>10}{rng.randrange(100, 800):>10}"
              for c in COUNTRIES]
    result = check_bytes(("FY2023 book-ins by citizenship\n\n" + "\n".join(lines) + "\n").encode(), "fy23.txt")
    assert result.verdict == Verdict.PASS
    assert result.persons == 0


@pytest.mark.parametrize("text", [
    # Hard-wrapped prose with two spaces after full stops.
    "The board met on Tuesday.  It reviewed the budget and\nthe schedule for the year.  Members agreed to\n"
    "publish the minutes.  A vote was taken on the\nsecond item.  It passed without objection, and\n"
    "the meeting closed.\n",
    # A list whose fields are parted by single spaces.
    "\n".join(f"Item {i} ready for review at desk {i + 2}" for i in range(8)) + "\n",
    # Too few lines to be a table.
    "Name      Role\nA Person  Chair\nB Person  Clerk\n",
])
def test_prose_and_lists_stay_text(text: str) -> None:
    rest, tables = split_fixed_width(text)
    assert tables == []
    assert rest == text


def test_a_table_keeps_line_numbers_and_leaves_the_rest() -> None:
    text = _roster(5, 6, (30, 12, 14), "-", False)
    rest, tables = split_fixed_width(text)
    assert len(tables) == 1
    assert tables[0].location == "lines 3-10 (fixed-width table)"
    assert rest.split("\n")[0] == "Transfers to Port Isabel, week 14"
    assert "Prepared by the field office." in rest
    assert len(rest.split("\n")) == len(text.split("\n"))
