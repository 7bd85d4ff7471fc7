"""Damaged copies of leaking files never pass (issue 15): for every format the office, workbook and PDF readers own,
seeded mutants (truncated, bits flipped, a zip member named twice with a benign last copy, a member left out of the
central directory) come out block or unverifiable. A reader that skipped anything returns an Unreadable unit.

    VEIL_MUTANTS=200 uv run pytest tests/readers/test_damage_mutants.py    # more mutants per file (default 16)
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from functools import cache

import pytest

from support.damage import mutants
from support.doc_factory import make_doc, make_ppt, office_roster
from support.pdf_factory import make_pdf
from support.workbook_factory import make_ods, make_xls, make_xlsb
from support.xlsx_factory import write_workbook
from veil.findings import Verdict
from veil.pipeline import check_bytes

COUNT = int(os.environ.get("VEIL_MUTANTS", "16"))

LEAKING: dict[str, Callable[[], bytes]] = {
    "xlsx": lambda: write_workbook(None, vector="hidden_sheet", people=20, seed=3),
    "xlsm": lambda: write_workbook(None, vector="vba_roster", people=20, seed=3),
    "xlsb": make_xlsb,
    "xls": make_xls,
    "ods": make_ods,
    "docx": lambda: office_roster("docx-comment")[0],
    "pptx": lambda: office_roster("pptx-notes")[0],
    "odt": lambda: office_roster("odt-annotation")[0],
    "odp": lambda: office_roster("odp-notes")[0],
    "doc": lambda: make_doc(seed=12)[0],
    "ppt": lambda: make_ppt(seed=13)[0],
    "pdf": lambda: make_pdf("table", 30, 3)[0],
}


@pytest.fixture(autouse=True)
def _quiet_pdfminer() -> None:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)


@cache
def _original(kind: str) -> bytes:
    return LEAKING[kind]()


@pytest.mark.parametrize("kind", sorted(LEAKING))
def test_the_original_leaks(kind: str) -> None:
    assert check_bytes(_original(kind), f"file.{kind}").verdict is Verdict.BLOCK


@pytest.mark.parametrize("kind", sorted(LEAKING))
@pytest.mark.parametrize("seed", [1, 2])
def test_no_damaged_copy_of_a_leaking_file_passes(kind: str, seed: int) -> None:
    passed = []
    for how, blob in mutants(_original(kind), seed=seed, count=COUNT):
        result = check_bytes(blob, f"file.{kind}")
        if result.verdict in (Verdict.PASS, Verdict.REVIEW):
            passed.append((how, result.verdict.value, [f.message[:80] for f in result.findings][:3]))
    assert not passed, passed
