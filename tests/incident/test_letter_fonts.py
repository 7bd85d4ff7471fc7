"""Letters embed fonts cut down to the characters of their language (letter_fonts.reduced): every character of a
letter still has its glyph, a name in another script included, and the reduced font is made once per character set."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from veil.incident import letter_fonts
from veil.incident.letters import render_pdf, render_text

WHEN = datetime(2022, 11, 3, 14, 5, tzinfo=UTC)


def _context(name: str) -> dict[str, object]:
    return {
        "today": WHEN,
        "zone": "UTC",
        "name": name,
        "address_lines": ["North Processing Center"],
        "channel": "hand-delivery",
        "attorney": "",
        "attorney_lines": [],
        "incident_id": 1,
        "notice_id": 7,
        "anumber_tail": "123",
        "start": WHEN,
        "end": WHEN,
        "fields": ["dob", "anumber", "facility"],
        "group_exposure": False,
        "group": None,
        "custody": True,
        "hold": True,
        "removed": False,
        "removed_on": None,
    }


@pytest.mark.parametrize(
    ("language", "name"),
    [("ar", "Amina Haddad"), ("hi", "Ravi Kumar"), ("zh", "Zheng Qiang"), ("es", "José 郑强 García")],
)
def test_every_character_has_its_glyph(language: str, name: str) -> None:
    text = render_text("person", language, _context(name))
    scripts = {"latin", letter_fonts.LANGUAGE_SCRIPT.get(language, "latin"), *letter_fonts.scripts_in(text)}
    if any(letter_fonts.missing(language) or s not in letter_fonts.available() for s in scripts):
        pytest.skip("no font for this script on this machine")
    chars = letter_fonts.letter_chars(text)
    covered: set[int] = set()
    for script in scripts:
        shaped = language in letter_fonts.SHAPED or bool(scripts & {"arabic", "devanagari"})
        font = TTFont(str(letter_fonts.reduced(letter_fonts.available()[script].path, shaped, chars)))
        covered |= set(font.getBestCmap())
        assert letter_fonts.reduced(letter_fonts.available()[script].path, shaped, chars).stat().st_size < 700_000
    assert {ord(c) for c in text if not c.isspace()} <= covered
    pdf = render_pdf(text, "Notice 7", language)
    assert len(PdfReader(io.BytesIO(pdf)).pages) >= 1


def test_batches_in_worker_processes_lay_out_the_same_letters(monkeypatch: pytest.MonkeyPatch) -> None:
    from veil.incident import notifications

    jobs = [
        (render_text("person", lang, _context(f"Person {i}")), f"Notice {i}", lang)
        for i, lang in enumerate(("es", "ru", "ar") * 3)
    ]
    monkeypatch.setattr(notifications, "BATCH", 1)
    serial = list(notifications._layouts(jobs, 1))
    parallel = list(notifications._layouts(jobs, 2))
    assert [why for _, why in parallel] == [why for _, why in serial]
    assert [len(PdfReader(io.BytesIO(pdf)).pages) for pdf, _ in parallel if pdf] == [
        len(PdfReader(io.BytesIO(pdf)).pages) for pdf, _ in serial if pdf
    ]
