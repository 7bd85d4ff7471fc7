"""The format probe (tests/support/format_probe.py): rosters and aggregates in other languages, layouts and text
formats. Leaks do not pass and count their people; benign files pass and count nobody."""

import pytest

from support.format_probe import Case, cases
from veil.findings import Verdict
from veil.pipeline import check_bytes

CASES = [c for seed in (7, 8) for c in cases(seed)]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_probe(case: Case) -> None:
    result = check_bytes(case.blob, case.name)
    if case.leak:
        assert result.verdict != Verdict.PASS
        assert result.persons == case.people
    else:
        assert result.verdict == Verdict.PASS
        assert result.persons == 0
