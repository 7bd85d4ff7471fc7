"""A finding's message states facts, never an effect: the policy decides what a finding does to the verdict
(`named-list` is a note by default and review where a policy says so), so no message may say "needs review" or
"does not block" while the file passes, or the other way round."""

from __future__ import annotations

import re

import pytest

from veil.detectors import analyse
from veil.findings import Kind
from veil.policy import load_policy
from veil.readers.units import Text, Visibility, table_from_rows

_EFFECT = re.compile(r"needs? (?:a )?review|does not block|\bblocks\b|\bnoted\b|must be reviewed|\bpasses\b|"
                     r"\bis (?:a )?(?:note|review|block)\b", re.IGNORECASE)


def _units() -> list:
    names = ", ".join(f"{first} {last}" for first, last in zip(
        ["Ana", "Luis", "Marta", "Jorge", "Elena", "Pablo", "Rosa", "Diego", "Carmen", "Tomas", "Lucia", "Hugo"],
        ["Vega", "Mora", "Rios", "Soto", "Paz", "Cruz", "Leon", "Ortiz", "Nunez", "Gil", "Rey", "Ramos"],
        strict=True))
    return [
        Text("page 1", Visibility.VISIBLE, f"The committee thanks {names} for their comments. Contact: "
                                           "press@agency.gov, 202-555-0143. Secretary Jane Miller said so."),
        Text("page 2", Visibility.WHITE_TEXT, "Maria Lopez Garcia and Jose Ramirez Soto were here."),
        table_from_rows([["Name"], *([n] for n in names.split(", "))], location="sheet 'Names'"),
        table_from_rows([["Country", "Detained"], ["Chad", "3"], ["Peru", "120"]], location="sheet 'Stats'"),
    ]


@pytest.mark.parametrize("effect", ["note", "review", "block"])
def test_no_message_states_an_effect_whatever_the_policy(effect: str, tmp_path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text("verdicts:\n" + "".join(f"  {k.value}: {effect}\n" for k in Kind if k is not Kind.UNREADABLE))
    findings = analyse(_units(), load_policy(path).thresholds)
    assert {f.kind for f in findings} >= {Kind.NAMED_LIST, Kind.NAMED_PERSON, Kind.NAME_LIST, Kind.SMALL_CELLS,
                                          Kind.CONTACT_DETAILS, Kind.HIDDEN_NAMES}
    stated = [f"{f.kind.value}: {f.message}" for f in findings if _EFFECT.search(f.message)]
    assert not stated
