"""Several people in one row (an applicant and a co-applicant, a couple, 'Name 1' ... 'Name 2'): each is a person,
and headers numbered for a repeated group of columns name what the plain header names. A name beside an alias, or one
name with two birth dates, is still one person. Fixtures are built here, seeded."""

import random

import pytest
from faker import Faker

from veil.detectors.columns import header_class
from veil.detectors.tables import analyse_table
from veil.findings import Kind
from veil.policy import load_policy
from veil.readers.units import table_from_rows

POLICY = load_policy()


def _fake(seed: int) -> Faker:
    fake = Faker(["es_MX", "en_US"])
    fake.seed_instance(seed)
    return fake


def _counted(rows: list[list[object]]) -> tuple[set[str], int]:
    findings = analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds)
    people = {k for f in findings if POLICY.effect(f.kind) == "block" for k in f.person_keys}
    return {f.kind.value for f in findings}, len(people)


def _dob(fake: Faker) -> str:
    return fake.date_of_birth(minimum_age=18, maximum_age=70).strftime("%m/%d/%Y")


def _a(rng: random.Random) -> str:
    return f"A{rng.randrange(10**8, 10**9)}"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_applicant_and_co_applicant_are_two_people(seed: int) -> None:
    fake, rng = _fake(seed), random.Random(seed)
    rows: list[list[object]] = [["Applicant name", "Applicant A-Number", "Spouse name", "Spouse A-Number", "Country"]]
    rows += [[fake.name(), _a(rng), fake.name(), _a(rng), "Honduras"] for _ in range(9)]
    kinds, people = _counted(rows)
    assert Kind.RECORD_LEVEL.value in kinds
    assert people == 18


@pytest.mark.parametrize(
    "header",
    [
        ("Last name 1", "First name 1", "Birth date 1", "Last name 2", "First name 2", "Birth date 2"),
        ("Surname_1", "Given_1", "DOB_1", "Surname_2", "Given_2", "DOB_2"),
    ],
)
def test_split_names_in_numbered_groups(header: tuple[str, ...]) -> None:
    fake = _fake(7)
    rows: list[list[object]] = [list(header)]
    rows += [
        [fake.last_name(), fake.first_name(), _dob(fake), fake.last_name(), fake.first_name(), _dob(fake)]
        for _ in range(7)
    ]
    kinds, people = _counted(rows)
    assert Kind.RECORD_LEVEL.value in kinds
    assert people == 14


def test_the_same_person_in_two_rows_of_pairs_is_counted_once() -> None:
    fake = _fake(4)
    rows: list[list[object]] = [["Name #1", "DOB #1", "Name #2", "DOB #2"]]
    pairs = [(fake.name(), _dob(fake)) for _ in range(8)]
    rows += [[*pairs[i], *pairs[i + 1]] for i in range(0, 8, 2)]
    rows.append([*pairs[0], *pairs[3]])  # people already listed
    kinds, people = _counted(rows)
    assert people == 8


@pytest.mark.parametrize(
    "header",
    [
        ["Name", "Alias", "DOB", "Status"],
        ["Name", "DOB", "Alias", "Status"],
        ["Name", "DOB", "Date of birth (verified)", "Status"],
    ],
)
def test_an_alias_or_a_second_birth_date_is_the_same_person(header: list[str]) -> None:
    fake = _fake(5)
    rows: list[list[object]] = [header]
    for _ in range(6):
        name, dob = fake.name(), _dob(fake)
        cells = {
            "Name": name,
            "Alias": fake.name(),
            "DOB": dob,
            "Date of birth (verified)": dob,
            "Status": "Asylum pending",
        }
        rows.append([cells[h] for h in header])
    kinds, people = _counted(rows)
    assert Kind.RECORD_LEVEL.value in kinds
    assert people == 6


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("Name 2", "person-name"),
        ("Detainee2 Name", "person-name"),
        ("2nd applicant name", "person-name"),
        ("Nombre (1)", "person-name"),
        ("DOB_2", "date-of-birth"),
        ("Nationality #1", "nationality"),
        ("Line 1", None),
        ("Total 2020", None),
        ("ISO 3166", None),
    ],
)
def test_numbered_headers(header: str, kind: str | None) -> None:
    assert header_class(header) == kind
