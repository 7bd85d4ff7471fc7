"""Seeded fuzzing of leaking files of every format: flipped bytes, truncation, duplicate and hidden zip entries,
polyglots, damaged base64 in e-mail, gzip layers. No mutant of a leaking file may `pass`, and none may raise.

A pair that fails for a known reason goes into FAILING_TODAY (marked xfail) until its reader is fixed. The longer run
is `uv run python benchmarks/fuzz.py`.
"""

from __future__ import annotations

import pytest

from support.mutations import FORMATS, MUTATIONS, applies, mutants
from veil.findings import Verdict
from veil.pipeline import check_bytes
from veil.readers.limits import Limits

SEEDS = 4  # different leaking files per format
PER_SEED = 10  # mutants of each

FAILING_TODAY: dict[tuple[str, str], str] = {}  # (format, mutation) -> why it still passes; none today


def _cases() -> list[object]:
    cases: list[object] = []
    for fmt in FORMATS:
        for mutation in MUTATIONS:
            if not applies(mutation, fmt):
                continue
            reason = FAILING_TODAY.get((fmt, mutation))
            marks = [pytest.mark.xfail(strict=False, reason=reason)] if reason else []
            cases.append(pytest.param(fmt, mutation, marks=marks, id=f"{fmt}-{mutation}"))
    return cases


@pytest.mark.parametrize(("fmt", "mutation"), _cases())
def test_no_mutant_of_a_leaking_file_passes(fmt: str, mutation: str) -> None:
    passed = []
    for seed in range(SEEDS):
        for n, (blob, name) in enumerate(mutants(fmt, mutation, seed, PER_SEED)):
            result = check_bytes(blob, name, limits=Limits(seconds=30))  # raising here fails the test too
            assert result.verdict in (Verdict.PASS, Verdict.REVIEW, Verdict.BLOCK, Verdict.UNVERIFIABLE)
            if result.verdict is Verdict.PASS:
                passed.append(f"seed {seed} mutant {n}")
    assert not passed, f"{len(passed)} {mutation} mutant(s) of a leaking {fmt} passed: {', '.join(passed[:5])}"


def test_every_format_and_mutation_is_exercised() -> None:
    assert {c.values[0] for c in _cases()} == set(FORMATS)  # type: ignore[attr-defined]
    assert {c.values[1] for c in _cases()} == set(MUTATIONS)  # type: ignore[attr-defined]
    assert set(FAILING_TODAY) <= {tuple(c.values) for c in _cases()}  # type: ignore[attr-defined]
