"""Plain text, Markdown and RTF readers."""

from __future__ import annotations

import time

import pytest

from support.doc_factory import make_rtf, read_units, unreadable, where_is

RTF_EXPECTED = {
    "visible": ("paragraph 1", "visible"),
    "hidden": ("paragraph 2 (hidden text)", "hidden-text"),
    "deleted": ("paragraph 3 (deleted text)", "tracked-change"),
    "annotation": ("annotation 1", "comment"),
    "annotation-author": ("annotation author 1", "metadata"),
    "header": ("header 1", "header-footer"),
    "info-author": ("info (author)", "metadata"),
    "field-code": ("field code 1", "metadata"),
    "unicode": ("paragraph", "visible"),
    "embedded-csv": ("embedded object 1 › ", "embedded"),
}


@pytest.fixture(scope="module")
def rtf() -> tuple[list, dict[str, str]]:
    blob, secrets = make_rtf(seed=51)
    return read_units(blob, "letter.rtf"), secrets


@pytest.mark.parametrize("vector", sorted(RTF_EXPECTED))
def test_rtf_hiding_places(rtf, vector: str) -> None:
    units, secrets = rtf
    location, visibility = RTF_EXPECTED[vector]
    hits = where_is(units, secrets[vector])
    assert any(loc.startswith(location) and vis == visibility for loc, vis in hits), hits


def test_rtf_hidden_text_is_not_in_visible_paragraph(rtf) -> None:
    units, secrets = rtf
    assert all(vis != "visible" for _, vis in where_is(units, secrets["hidden"]))


def test_rtf_skips_fonts_and_pictures(rtf) -> None:
    units, _ = rtf
    text = " ".join(getattr(u, "text", "") for u in units)
    assert "Arial" not in text and "89504e47" not in text and unreadable(units) == []


@pytest.mark.parametrize("blob", [b"{\\rtf1 " + b"{" * 20000 + b"x", b"{\\rtf1 \\bin999999999 abc}",
                                  b"{\\rtf1 {\\object{\\*\\objdata 0102zz}}}", b"{\\rtf1\\ansicpg99999 \\'e9}"])
def test_rtf_bad_input_is_bounded(blob: bytes) -> None:
    started = time.perf_counter()
    units = read_units(blob, "bad.rtf")
    assert time.perf_counter() - started < 5
    assert all(u.reason for u in unreadable(units))


def test_paragraph_blocks_with_line_locations() -> None:
    text = "Report\n\nAna Ruiz\nA123456789\n\n\nEnd\n"
    units = read_units(text.encode(), "notes.txt")
    assert [(u.location, u.text) for u in units] == [("line 1", "Report"), ("lines 3-4", "Ana Ruiz\nA123456789"),
                                                     ("line 7", "End")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1252"])
def test_encodings(encoding: str) -> None:
    text = "Informe sobre José Núñez con número A123456789 del año 2024.\n"
    units = read_units(text.encode(encoding), "n.txt")
    assert where_is(units, "José Núñez") == [("line 1", "visible")]


def test_markdown_comment_is_hidden() -> None:
    text = "# Report\n\nTotals only.\n\n<!-- source: Ana Ruiz A123456789 -->\n"
    units = read_units(text.encode(), "README.md")
    assert where_is(units, "Ana Ruiz A123456789") == [("line 5 (comment)", "markup-comment")]


def test_long_single_line_is_kept() -> None:
    blob = ("word " * 50_000 + "Ana Ruiz A123456789").encode()
    units = read_units(blob, "long.txt")
    assert where_is(units, "Ana Ruiz A123456789")


def test_end_to_end_the_hidden_people_block() -> None:
    from support.doc_factory import make_rtf, verdict

    assert verdict(make_rtf(seed=99)[0], "l.rtf") == "block"


@pytest.mark.parametrize("index", range(8))
def test_damaged_input_fails_closed_with_a_reason(index: int) -> None:
    from support.doc_factory import assert_fails_closed, make_rtf, mutations

    blob = mutations(make_rtf(seed=5)[0], seed=index, count=index + 1)[index]
    assert_fails_closed(blob, "x.rtf")


def test_rtf_custom_properties_and_hidden_accented_text() -> None:
    blob = (rb"{\rtf1\ansi{\*\userprops{\propname Client}\proptype30{\staticval Ana Ruiz A123456789}}"
            rb"Visible {\v Jos\'e9 N\'fa\'f1ez A987654321}\par}")
    units = read_units(blob, "p.rtf")
    assert where_is(units, "Ana Ruiz A123456789") == [("custom properties 1", "metadata")]
    assert where_is(units, "José Núñez A987654321") == [("paragraph 1 (hidden text)", "hidden-text")]
