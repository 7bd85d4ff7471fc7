"""A named private person tied to a charge, a conviction, a removal or an immigration case is personal data of the
same kind as a protection claim: in a row of a table, in a sentence, or in a list under a sentence that says what
happened to the people in it. Officials in such files are not the people disclosed; statistics tie nobody."""

from __future__ import annotations

import random

import pytest
from faker import Faker

from veil.detectors import analyse
from veil.findings import Kind
from veil.pipeline import check_bytes
from veil.policy import load_policy
from veil.readers.units import Text, Visibility, table_from_rows

POLICY = load_policy()


def _names(seed: int, n: int) -> list[str]:
    fake = Faker("en_US")
    fake.seed_instance(seed)
    return [f"{fake.first_name()} {fake.last_name()}" for _ in range(n)]


@pytest.mark.parametrize("sentence", [
    "{n}, 41, of El Paso, pleaded guilty on Monday to smuggling migrants.",
    "A jury found {n} guilty of aggravated identity theft.",
    "{n} was deported to Honduras in January after his appeal was dismissed.",
    "{n} was sentenced to 30 months for illegal reentry.",
    "El señor {n} fue deportado a Guatemala el martes.",
    "{n} a été condamné à deux ans de prison.",
])
def test_a_named_person_tied_to_a_matter_in_a_sentence_blocks(sentence: str) -> None:
    name = _names(3, 1)[0]
    findings = analyse([Text("page 1", Visibility.VISIBLE, sentence.format(n=name))], POLICY.thresholds)
    assert [f.kind for f in findings if POLICY.effect(f.kind) == "block"] == [Kind.PERSON_IN_TEXT]


@pytest.mark.parametrize("text", [
    "Removals rose by 9% in FY2023; most people removed were nationals of Mexico and Guatemala.",
    "Reconviction rates fell, as Smith and Jones (2019) found in their study of convictions.",
    "Judge Maria Lopez sentenced the defendant to time served.",
])
def test_statistics_and_officials_tie_nobody(text: str) -> None:
    findings = analyse([Text("page 1", Visibility.VISIBLE, text)], POLICY.thresholds)
    assert not [f for f in findings if POLICY.effect(f.kind) == "block"]


@pytest.mark.parametrize("lead", [
    "The following people were removed on the flight of 3 May:",
    "Persons deported to Guatemala on 12 June (list below)",
    "Las siguientes personas fueron deportadas a Honduras:",
])
def test_a_list_under_a_sentence_about_removal_ties_each_person(lead: str) -> None:
    people = _names(4, 15)
    units = [Text("html paragraph 1", Visibility.VISIBLE, lead)]
    units += [Text(f"html paragraph {i + 2}", Visibility.VISIBLE, f"{n} ({random.Random(i).choice(['Peru', 'Chad'])})")
              for i, n in enumerate(people)]
    findings = analyse(units, POLICY.thresholds)
    listed = [f for f in findings if f.kind is Kind.PERSON_IN_TEXT]
    assert len(listed) == 1 and len(listed[0].person_keys) >= 13
    assert not any(n in s for f in findings for s in (f.message, *f.samples) for n in people)


def test_a_criminal_docket_counts_defendants_and_not_the_judge() -> None:
    rnd = random.Random(5)
    defendants = _names(5, 20)
    rows = [["Case", "Defendant", "Offense", "Interpreter", "Judge"]]
    rows += [[f"2:24-cr-{rnd.randint(100, 999)}", d.upper(), rnd.choice(["Bank fraud", "8 U.S.C. 1326"]),
              rnd.choice(["Spanish", "Mam", "None"]), "Hon. Ruth Becker"] for d in defendants]
    result = check_bytes("\n".join(",".join(r) for r in rows).encode(), "docket.csv", POLICY)
    assert result.verdict.value == "block" and result.persons == 20


def test_a_clemency_list_in_lines_with_age_city_and_conviction_blocks() -> None:
    fake = Faker("en_US")
    fake.seed_instance(6)
    rows = [["Name", "Age", "City", "Offense of conviction"]]
    rows += [[n, str(30 + i), fake.city(), "Conspiracy to distribute cocaine"] for i, n in enumerate(_names(6, 12))]
    findings = analyse([table_from_rows(rows, location="page 1 table 1")], POLICY.thresholds)
    record = [f for f in findings if f.kind is Kind.RECORD_LEVEL]
    assert len(record) == 1 and len(record[0].person_keys) == 12


def test_an_index_of_appeals_by_surname_is_record_level() -> None:
    rnd = random.Random(7)
    fake = Faker("en_GB")
    fake.seed_instance(7)
    rows = [["Surname", "Appeal number", "Nationality", "Decision"]]
    rows += [[fake.last_name().upper(), f"PA/{rnd.randint(10000, 99999)}/2022", "Eritrea", "Dismissed"]
             for _ in range(10)]
    findings = analyse([table_from_rows(rows, location="x")], POLICY.thresholds)
    assert [f.kind for f in findings if POLICY.effect(f.kind) == "block"] == [Kind.RECORD_LEVEL]
