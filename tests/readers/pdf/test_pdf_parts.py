"""PDF places and damage found after the first round (issue 12, issue 15): boxes drawn under the text, names tied
to what is printed beside them, light shading that is not a redaction, bookmarks, and damaged files."""

from __future__ import annotations

import logging
import re
import zlib

import pytest

from support.pdf_factory import MORE_VECTORS, SHADING, assemble, make_pdf, text_pdf
from veil.findings import Kind, Verdict
from veil.pipeline import check_bytes
from veil.readers.pdf import reader as pdf_reader
from veil.readers.pdf.engines import pdfminer_lines, tokens
from veil.readers.pdf.guard import check_streams
from veil.readers.registry import ReadContext, read_blob
from veil.readers.units import Text, Unit, Unreadable, Visibility

PEOPLE = 24
BOX = re.compile(r"^page \d+, box \(-?\d+,-?\d+,-?\d+,-?\d+\)$")


@pytest.fixture(autouse=True)
def _quiet_pdfminer() -> None:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # damaged files make it warn about every object


def _read(blob: bytes) -> list[Unit]:
    return list(read_blob(blob, ReadContext(name="x.pdf")))


def _texts(units: list[Unit], visibility: Visibility) -> list[Text]:
    return [u for u in units if isinstance(u, Text) and u.visibility is visibility]


@pytest.mark.parametrize("vector", ["box_under_names", "box_under_names_one_object", "box_under_lines"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_box_drawn_under_text_of_its_colour_is_a_failed_redaction(vector: str, seed: int) -> None:
    blob, crowd = make_pdf(vector, PEOPLE, seed)
    units = _read(blob)
    hidden = _texts(units, Visibility.UNDER_REDACTION)
    assert hidden and all(BOX.match(u.location) for u in hidden)
    joined = "\n".join(u.text for u in hidden)
    assert all(p.name in joined for p in crowd)
    visible = "\n".join(u.text for u in _texts(units, Visibility.VISIBLE))
    assert not any(p.name in visible for p in crowd)  # the names are not said to be in plain view
    result = check_bytes(blob, "log.pdf")
    assert result.verdict is Verdict.BLOCK
    assert any(f.kind is Kind.FAILED_REDACTION for f in result.findings)


@pytest.mark.parametrize("vector", ["box_under_names", "box_under_names_one_object"])
def test_a_hidden_name_is_tied_to_the_birth_date_and_status_on_its_line(vector: str) -> None:
    blob, crowd = make_pdf(vector, PEOPLE, 4)
    units = _read(blob)
    lines = [u for u in _texts(units, Visibility.INVISIBLE_TEXT) if u.location.endswith("the rest of its line")]
    for p in crowd:
        assert any(p.name in u.text and p.dob in u.text and "Credible fear" in u.text for u in lines), p.name
    result = check_bytes(blob, "log.pdf")
    tied = [f for f in result.findings if f.kind is Kind.PERSON_IN_TEXT]
    assert len(tied) >= PEOPLE - 2 and result.persons >= PEOPLE - 2


def test_the_box_unit_keeps_exactly_what_is_hidden() -> None:
    blob, crowd = make_pdf("box_under_names", PEOPLE, 5)
    boxes = _texts(_read(blob), Visibility.UNDER_REDACTION)
    assert sorted(u.text for u in boxes) == sorted(p.name for p in crowd)


@pytest.mark.parametrize("control", sorted(SHADING))
def test_light_shading_over_or_under_figures_is_not_a_redaction(control: str) -> None:
    blob, _ = make_pdf(control, PEOPLE, 1)
    units = _read(blob)
    assert not [u for u in units if isinstance(u, Text) and u.visibility is not Visibility.VISIBLE
                and u.visibility is not Visibility.METADATA]
    assert "Asylum-seekers" in "\n".join(u.text for u in _texts(units, Visibility.VISIBLE))
    assert check_bytes(blob, "report.pdf").verdict is Verdict.PASS


def test_a_white_box_over_text_is_still_a_cover() -> None:
    blob, crowd = make_pdf("box_white", PEOPLE, 1)
    assert len(_texts(_read(blob), Visibility.UNDER_REDACTION)) == PEOPLE


def test_bookmark_titles_are_read_as_the_outline() -> None:
    blob, crowd = make_pdf("outline", PEOPLE, 1)
    units = _read(blob)
    outline = [u for u in units if isinstance(u, Text) and u.location == "outline"]
    assert outline and outline[0].visibility is Visibility.VISIBLE
    assert all(f"{p.name} ({p.dob})" in outline[0].text for p in crowd)
    assert check_bytes(blob, "cases.pdf").verdict is Verdict.BLOCK


def test_more_vectors_all_block() -> None:
    for vector in MORE_VECTORS:
        blob, _ = make_pdf(vector, PEOPLE, 7)
        assert check_bytes(blob, f"{vector}.pdf").verdict is Verdict.BLOCK, vector


# --- damage -----------------------------------------------------------------------------------------------------

def _break_stream(blob: bytes, nth: int = 0) -> bytes:
    """Flip bytes in the middle of the nth stream's data (a content stream that no longer decodes)."""
    starts = [m.end() for m in re.finditer(rb"(?<!end)stream\r?\n", blob)]
    at = starts[nth] + 40
    data = bytearray(blob)
    for k in range(at, at + 12):
        data[k] ^= 0x55
    return bytes(data)


def test_a_content_stream_that_does_not_decode_makes_the_file_unverifiable() -> None:
    blob, _ = make_pdf("table", PEOPLE, 1)
    streams = [m.start() for m in re.finditer(rb"(?<!end)stream\r?\n", blob)]
    for nth in range(len(streams)):
        result = check_bytes(_break_stream(blob, nth), "x.pdf")
        assert result.verdict is not Verdict.PASS, nth


def test_damaged_stream_is_named_in_one_line() -> None:
    blob, _ = make_pdf("control_plain", PEOPLE, 1)
    units = _read(_break_stream(blob, 0))
    reasons = [u.reason for u in units if isinstance(u, Unreadable)]
    assert any("cannot be decoded" in r for r in reasons) and all("\n" not in r for r in reasons)


def test_a_stream_keyword_broken_is_damage() -> None:
    blob, _ = make_pdf("table", PEOPLE, 1)
    broken = blob.replace(b">>\nstream\n", b">>\nstreaw\n", 1)
    assert check_bytes(broken, "x.pdf").verdict is Verdict.UNVERIFIABLE


def test_unknown_filter_name_is_damage() -> None:
    blob, _ = make_pdf("table", PEOPLE, 1)
    broken = blob.replace(b"/FlateDecode", b"/FlateDeccde", 1)
    assert check_bytes(broken, "x.pdf").verdict is not Verdict.PASS


def test_the_second_engine_gives_the_lines_pdfium_did_not() -> None:
    blob, crowd = make_pdf("table", PEOPLE, 1)
    everything = list(pdfminer_lines(blob, set(), lambda: None))
    assert all(any(p.name in u.text for u in everything) for p in crowd)
    known = tokens("\n".join(u.text for u in everything if isinstance(u, Text)))
    assert list(pdfminer_lines(blob, known, lambda: None)) == []


def test_a_damaged_file_is_also_read_by_the_second_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Engines repair damage differently: on a damaged file, what pdfminer extracts is checked too."""
    calls: list[int] = []

    def spy(blob: bytes, seen: set[str], tick: object) -> list[Unit]:
        calls.append(len(seen))
        return []

    monkeypatch.setattr(pdf_reader, "pdfminer_lines", spy)
    blob, _ = make_pdf("table", PEOPLE, 1)
    _read(blob)
    assert calls == []  # a sound file is read by pdfium alone
    _read(re.sub(rb"startxref\s+\d+", b"startxref\n99", blob))  # pdfium must rebuild the xref
    assert calls and calls[0] > 0


def test_an_attachment_no_list_names_is_still_read() -> None:
    blob, crowd = make_pdf("attachment", PEOPLE, 1)
    unlisted = blob.replace(b"/EmbeddedFiles", b"/EmbeddedFilez")
    units = _read(unlisted)
    text = "\n".join(u.location for u in units)
    assert "attachment no list names" in text
    assert check_bytes(unlisted, "x.pdf").verdict is Verdict.BLOCK


def test_a_damaged_header_is_still_read_as_a_pdf() -> None:
    blob, _ = make_pdf("table", PEOPLE, 1)
    result = check_bytes(b"%PDX" + blob[4:], "x.pdf")
    assert result.format == "pdf" and result.verdict is Verdict.BLOCK


def test_clean_files_show_no_damage() -> None:
    for blob in (make_pdf("control_plain", PEOPLE, 1)[0], text_pdf(pages=3), make_pdf("attachment", PEOPLE, 1)[0]):
        assert not [u for u in _read(blob) if isinstance(u, Unreadable)]


def _one_page(content: bytes, dictionary: bytes = b"") -> bytes:
    data = zlib.compress(content)
    return assemble([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                      b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
                      b"<< " + dictionary + b"/Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data
                      + b"\nendstream"])


CONTENT = b"BT /F1 12 Tf 72 712 Td (Quarterly statistics) Tj ET"


@pytest.mark.parametrize("damage, expected", [
    ("none", []),
    ("checksum", [1]),  # the data inflates, but to something else than was written
    ("bare word", [1]),
    ("keyword glued", [1]),
    ("object header", [1]),
    ("big dictionary", []),  # a dictionary longer than the look-back window is not taken for damage
])
def test_raw_checks_on_stream_objects(damage: str, expected: list[int]) -> None:
    blob = _one_page(CONTENT, b"/Widths [" + b" 500" * 3000 + b"] " if damage == "big dictionary" else b"")
    if damage == "checksum":
        at = blob.index(b"endstream") - 3
        blob = blob[:at] + bytes([blob[at] ^ 0xFF]) + blob[at + 1:]
    elif damage == "bare word":
        blob = blob.replace(b"<< /Length", b"<< oops /Length")
    elif damage == "keyword glued":
        blob = blob.replace(b">>\nstream", b">>*stream")
    elif damage == "object header":
        blob = blob.replace(b"4 0 obj", b"4 0 oXj")
    assert len(check_streams(blob, 1 << 30).damaged) == len(expected)


def test_cross_reference_entries_that_point_elsewhere_are_counted() -> None:
    blob = _one_page(CONTENT)
    assert check_streams(blob, 1 << 30).misplaced == 0
    xref = blob.index(b"xref")
    entry = blob.index(b" 00000 n", xref) - 10
    moved = blob[:entry] + b"%010d" % (int(blob[entry:entry + 10]) + 7) + blob[entry + 10:]
    assert check_streams(moved, 1 << 30).misplaced == 1
    assert check_bytes(moved, "x.pdf").verdict is Verdict.UNVERIFIABLE
