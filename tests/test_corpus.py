"""The real public releases in ../shared/corpus/real: aggregate ones must never be blocked and disclose nobody;
the person-level ones under record-level/ must not pass. Each file's verdict is recorded in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from veil.findings import Verdict
from veil.pipeline import check_path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real"
FILES = sorted(p for p in CORPUS.rglob("*") if p.is_file() and p.name not in ("PROVENANCE.md", "provenance.tsv")) \
    if CORPUS.is_dir() else []
AGGREGATE = [p for p in FILES if "record-level" not in p.relative_to(CORPUS).parts]
RECORD_LEVEL = [p for p in FILES if "record-level" in p.relative_to(CORPUS).parts]

pytestmark = pytest.mark.skipif(not FILES, reason=f"the real corpus is not at {CORPUS}")


def _id(p: Path) -> str:
    return str(p.relative_to(CORPUS))


@pytest.mark.parametrize("path", AGGREGATE, ids=_id)
def test_aggregate_release_is_never_blocked(path: Path) -> None:
    result = check_path(path)
    blocking = [f"{f.kind.value} @ {f.location}: {f.message}" for f in result.findings
                if f.kind.value in ("record-level", "person-in-text", "identifier-in-text", "failed-redaction")]
    assert result.verdict is not Verdict.BLOCK, blocking
    assert result.persons == 0, blocking


@pytest.mark.parametrize("path", RECORD_LEVEL, ids=_id)
def test_person_level_file_does_not_pass(path: Path) -> None:
    assert check_path(path).verdict is not Verdict.PASS
