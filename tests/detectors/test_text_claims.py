"""A protected status stated about people named just before ("All three have pending credible fear interviews")."""

from __future__ import annotations

from veil.detectors import analyse
from veil.findings import Kind
from veil.policy import load_policy
from veil.readers.units import Text, Visibility

POLICY = load_policy()
NAMES = "GARCIA LOPEZ, JOSE - Mexico\nMOREAU, JEAN - Haiti\nPETROV, IVAN - Russia"


def ties(*texts: str) -> list[str]:
    units = [Text(f"block {i + 1}", Visibility.VISIBLE, t) for i, t in enumerate(texts)]
    return [f.message for f in analyse(units, POLICY.thresholds) if f.kind is Kind.PERSON_IN_TEXT]


def test_a_claim_about_the_people_listed_in_the_block_before_is_tied_to_them() -> None:
    found = ties("The following people remain detained.", NAMES,
                 "All three have pending credible fear interviews.")
    assert len(found) == 1 and found[0].startswith("3 private people named just before sentence 1")
    assert "GARCIA" not in found[0]


def test_the_same_in_one_paragraph() -> None:
    found = ties("Jose Garcia Lopez, Jean Moreau and Ivan Petrov were moved to Otero on Monday. "
                 "Two of them have asylum claims pending.")
    assert len(found) == 1


def test_statistics_after_a_byline_tie_nobody() -> None:
    assert ties("Report prepared by Jean Moreau.", "In 2023, 12,000 people applied for asylum.") == []


def test_officials_are_not_the_people_referred_to() -> None:
    assert ties("Director Jean Moreau visited the facility.", "All three detainees have asylum claims pending.") == []


def test_names_far_before_are_out_of_reach() -> None:
    filler = "The facility was inspected in March and the report was filed on time. " * 12
    assert ties(NAMES, filler, "All three have pending credible fear interviews.") == []


def test_the_author_of_a_report_is_not_the_people_it_speaks_of() -> None:
    assert ties("Report prepared by Jean Moreau.", "They applied for asylum in 2019.") == []
    assert ties("Informe elaborado por Jean Moreau.", "Solicitaron asilo en 2019.") == []
