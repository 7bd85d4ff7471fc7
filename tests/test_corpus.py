"""The real public releases in ../shared/corpus/real: aggregate ones must never be blocked and disclose nobody;
the person-level ones under record-level/ must not pass. Each file's verdict is recorded in docs/check.md."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from support.paths import CORPUS
from veil.findings import Kind, Verdict
from veil.pipeline import check_path
from veil.policy import load_policy

FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name not in ("PROVENANCE.md", "provenance.tsv")) \
    if CORPUS.is_dir() else []
AGGREGATE = [p for p in FILES if "record-level" not in p.relative_to(CORPUS).parts]
RECORD_LEVEL = [p for p in FILES if "record-level" in p.relative_to(CORPUS).parts]
# Members of a legislature with their party, state, office phone and birthdays: officials in their public role, whose
# birth dates are not part of it. Reviewed, not blocked, and nobody counted.
OFFICIALS_DIR = ("record-level", "public-lists-of-people", "us-congress-officials")
OFFICIALS = [p for p in FILES if p.relative_to(CORPUS).parts[:3] == OFFICIALS_DIR]

pytestmark = pytest.mark.skipif(not FILES, reason=f"the real corpus is not at {CORPUS}")


def _id(p: Path) -> str:
    return str(p.relative_to(CORPUS))


OCR_MISSING = "has no text layer (image only) and OCR is not installed"


@pytest.mark.parametrize("path", AGGREGATE, ids=_id)
def test_aggregate_release_is_never_blocked(path: Path) -> None:
    result = check_path(path)
    policy = load_policy()
    blocking = [f"{f.kind.value} @ {f.location}: {f.message}" for f in result.findings
                if policy.effect(f.kind) != "note"]
    assert result.verdict is not Verdict.BLOCK, blocking
    assert result.persons == 0, blocking
    if result.verdict is Verdict.UNVERIFIABLE:  # only a scan on a machine without tesseract may be unverifiable
        assert shutil.which("tesseract") is None and all(OCR_MISSING in f.message for f in result.findings
                                                          if f.kind is Kind.UNREADABLE), blocking
    if result.verdict is Verdict.REVIEW:  # the only review an aggregate release may get is for its small cells
        assert {f.kind for f in result.findings if policy.effect(f.kind) == "review"} == {Kind.SMALL_CELLS}, blocking
        assert all(f.cells for f in result.findings if f.kind is Kind.SMALL_CELLS)


@pytest.mark.parametrize("path", RECORD_LEVEL, ids=_id)
def test_person_level_file_does_not_pass(path: Path) -> None:
    assert check_path(path).verdict is not Verdict.PASS


@pytest.mark.parametrize("path", OFFICIALS, ids=_id)
def test_list_of_officials_with_birthdays_is_reviewed_and_counts_nobody(path: Path) -> None:
    result = check_path(path)
    assert result.verdict is Verdict.REVIEW and result.persons == 0
    assert any(f.kind is Kind.OFFICIALS_PERSONAL and "public role" in f.message for f in result.findings)
