"""Ordinary government workbooks (../shared/corpus/real) are read completely: nothing Unreadable, no block."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from support.paths import CORPUS
from veil.findings import Verdict
from veil.pipeline import check_bytes
from veil.readers.registry import ReadContext, read_blob
from veil.readers.units import Table, Unreadable

FILES = sorted(p for p in CORPUS.glob("**/*.xlsx") if "record-level" not in p.parts) if CORPUS.is_dir() else []

pytestmark = pytest.mark.skipif(not FILES, reason="the shared real-file corpus is not present")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name[:40])
def test_real_workbook_is_fully_read(path: Path) -> None:
    units = list(read_blob(path.read_bytes(), ReadContext(name=path.name)))
    assert not [f"{u.location}: {u.reason}" for u in units if isinstance(u, Unreadable)]
    assert any(isinstance(u, Table) for u in units)


SMALL = [p for p in FILES if p.stat().st_size < 200_000]


@pytest.mark.parametrize("path", SMALL, ids=lambda p: p.name[:40])
def test_real_workbook_is_not_blocked(path: Path) -> None:
    """What the reader adds (metadata, header/footer, invisible cells...) must not make statistics look personal.
    (The big workbooks are left to the suite-wide corpus test: here they would cost a minute.)"""
    result = check_bytes(path.read_bytes(), path.name)
    assert result.verdict not in (Verdict.BLOCK, Verdict.UNVERIFIABLE) and result.persons == 0


def test_corpus_parts_are_all_known() -> None:
    """The kinds of parts these workbooks carry; each one has a reader or is known to hold no content."""
    from veil.readers.xlsx.reader import _BENIGN, _handlers

    patterns = [p for p, _ in _handlers({})]
    seen: set[str] = set()
    for path in FILES:
        for name in zipfile.ZipFile(path).namelist():
            seen.add(re.sub(r"\d+", "N", name))
    unknown = {n for n in seen if not _BENIGN.match(n.replace("N", "1")) and not any(p.match(n.replace("N", "1"))
                                                                                     for p in patterns)}
    # sheets, the workbook and pivot records (with their definition) are read directly; [trash] members are
    # zero-filled leftovers of a packaging tool, reported as unrecognised binaries
    assert unknown <= {"xl/workbook.xml", "xl/worksheets/sheetN.xml", "xl/pivotCache/pivotCacheRecordsN.xml",
                       "[trash]/N.dat"}, unknown
