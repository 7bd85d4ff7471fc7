"""Free-text detection on real public documents (read from ../shared/corpus/real/, skipped when absent), and end to
end through `veil check`."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.paths import CORPUS
from veil.detectors.text import analyse_text
from veil.findings import Kind
from veil.pipeline import check_bytes
from veil.readers.registry import ReadContext, read_blob
from veil.readers.units import Text

BLOCKING = {Kind.PERSON_IN_TEXT, Kind.IDENTIFIER_IN_TEXT}


def _text_kinds(path: Path) -> set[Kind]:
    units = [u for u in read_blob(path.read_bytes(), ReadContext(name=path.name)) if isinstance(u, Text)]
    return {f.kind for u in units for f in analyse_text(u)}


@pytest.mark.parametrize("name", [
    "uk-justice-stats/why-scotland-reconviction-rate-falling.docx",  # authors named
    "ice/03.05_DFD_RFI_12042018.pdf",  # contracting officials with e-mails
    "uscis/I821_RADP_FY22_Q4.pdf",
    "uk-dhsc-test-and-trace/dashboard-2-1.docx",
])
def test_press_style_documents_name_people_without_blocking(name: str) -> None:
    path = CORPUS / name
    if not path.exists():
        pytest.skip("real corpus not available")
    kinds = _text_kinds(path)
    assert not kinds & BLOCKING, kinds


@pytest.mark.parametrize("name", ["ddrPhanTienXuan.pdf", "ddrMarieAngeBlaise.pdf"])
def test_detainee_death_reports_tie_a_name_to_a_birth_date(name: str) -> None:
    path = CORPUS / "record-level" / "public-lists-of-people" / "ice-detainee-deaths" / name
    if not path.exists():
        pytest.skip("real corpus not available")
    assert Kind.PERSON_IN_TEXT in _text_kinds(path)


def test_check_blocks_a_letter_naming_an_asylum_applicant() -> None:
    letter = ("Dear Sir,\n\nRe: FOIA request 2023-123\n\nMaria Lopez Hernandez (A123-456-789) applied for asylum "
              "in 2021 and her credible fear interview was positive.\n\nSincerely,\nJane Doe, FOIA Officer\n")
    result = check_bytes(letter.encode(), "letter.txt")
    assert result.verdict.value == "block"
    assert result.persons == 1
    assert {f.kind for f in result.findings} >= {Kind.PERSON_IN_TEXT, Kind.NAMED_PERSON}


def test_check_passes_a_press_release_naming_officials() -> None:
    release = ("FOR IMMEDIATE RELEASE\n\nWASHINGTON - Secretary Alejandro Mayorkas announced today that asylum "
               "processing times fell by 20 percent in fiscal year 2023.\n\n\"We are proud of this work,\" said "
               "Director Ur Jaddou.\n\nMedia contact: press@example.gov\n")
    result = check_bytes(release.encode(), "release.txt")
    assert result.verdict.value == "pass", [f.message for f in result.findings]
    assert result.persons == 0
