"""The PDF reader on every hiding place the factory makes, and on the properly redacted controls."""

from __future__ import annotations

import re
from functools import cache

import pytest

from support.pdf_factory import CONTROLS, PER_PAGE, VECTORS, Person, make_pdf
from veil.pipeline import check_bytes
from veil.readers.pdf import ocr as pdf_ocr
from veil.readers.registry import ReadContext, read_blob
from veil.readers.units import Table, Text, Unit, Unreadable, Visibility

PEOPLE = 30  # one page of each layout keeps the tests fast; the benchmark uses 200
BOX = re.compile(r"^page \d+, box \(-?\d+,-?\d+,-?\d+,-?\d+\)$")


@cache
def _read(vector: str, people: int = PEOPLE, seed: int = 1) -> tuple[list[Unit], list[Person]]:
    blob, crowd = make_pdf(vector, people, seed)
    return list(read_blob(blob, ReadContext(name=f"{vector}.pdf"))), crowd


def _hidden_value(vector: str, person: Person) -> str:
    return person.dob if VECTORS[vector][2] == "dob" else person.name


def _texts(units: list[Unit], visibility: Visibility) -> list[Text]:
    return [u for u in units if isinstance(u, Text) and u.visibility is visibility]


LOCATIONS = {
    "under-redaction": BOX,
    # hidden text that shares lines with visible text also comes as those whole lines (tied to what is beside it)
    "invisible-text": re.compile(r"^page \d+, (invisible text|box \(-?\d+,-?\d+,-?\d+,-?\d+\))"
                                 r"( and the rest of its lines?)?$"),
    "off-page": re.compile(r"^page \d+, outside the visible page area$"),
    "hidden-layer": re.compile(r"^page \d+, hidden layer 'Names \(internal\)'$"),
    "annotation": re.compile(r"^page \d+, annotation \d+ \(Text\)$"),
    "metadata": re.compile(r"^(document information|XMP metadata)$"),
    "attachment": re.compile(r"^attachment 'applicants\.csv' › "),
    "earlier-revision": re.compile(r"^revision 1 of 2 \(first \d+ bytes\), page \d+$"),
    "form-field": re.compile(r"^form field values$"),
    "visible": re.compile(r"^page \d+( table \d+)?$"),
}


@pytest.mark.parametrize("vector", [v for v in VECTORS if v not in ("attachment", "table")])
def test_hidden_text_is_found_where_it_hides(vector: str) -> None:
    units, crowd = _read(vector)
    visibility = Visibility(VECTORS[vector][1])
    hidden = _texts(units, visibility)
    assert hidden, f"no {visibility} unit"
    assert not [u for u in units if isinstance(u, Unreadable)]
    joined = "\n".join(u.text for u in hidden)
    for person in crowd:
        assert _hidden_value(vector, person) in joined
    for unit in hidden:
        assert LOCATIONS[visibility.value].match(unit.location), unit.location
    if visibility is not Visibility.EARLIER_REVISION:
        # what is hidden never leaks into the visible page text (the finding would say "visible")
        visible = "\n".join(u.text for u in _texts(units, Visibility.VISIBLE))
        assert not any(_hidden_value(vector, p) in visible for p in crowd)


@pytest.mark.parametrize("vector", ["box_re", "box_path", "box_white", "marker_stroke", "image_box", "annot_square",
                                    "annot_highlight", "annot_redact", "dob_box"])
def test_one_unit_per_box_holds_exactly_what_is_under_it(vector: str) -> None:
    units, crowd = _read(vector)
    boxes = _texts(units, Visibility.UNDER_REDACTION)
    assert len(boxes) == len(crowd)
    assert sorted(u.text for u in boxes) == sorted(_hidden_value(vector, p) for p in crowd)


def test_box_locations_are_in_pdf_points() -> None:
    units, crowd = _read("box_re")
    first = next(u for u in _texts(units, Visibility.UNDER_REDACTION) if u.text == crowd[0].name)
    x0, y0, x1, y1 = map(int, re.findall(r"-?\d+", first.location)[1:])
    assert first.location.startswith("page 1, ")
    assert x0 < x1 and y0 < y1 and 700 < y0 < 760  # the first line sits near the top of a letter page


def test_attachment_goes_back_through_the_readers() -> None:
    units, crowd = _read("attachment")
    inner = [u for u in units if u.location.startswith("attachment 'applicants.csv'")]
    assert inner and all(u.visibility is Visibility.ATTACHMENT for u in inner if not isinstance(u, Unreadable))
    tables = [u for u in inner if isinstance(u, Table)]
    assert tables and crowd[0].name in tables[0].frame.to_series(0).to_list()


def test_roster_laid_out_as_a_table_becomes_a_table() -> None:
    units, crowd = _read("table")
    tables = [u for u in units if isinstance(u, Table)]
    assert [t.location for t in tables] == ["page 1 table 1"]
    rows = tables[0].frame.rows()
    assert rows[0] == ("Name", "Date of birth", "A-number", "Country of citizenship")
    assert rows[1][:3] == (crowd[0].name, crowd[0].dob, crowd[0].a_number)
    assert tables[0].n_rows == len(crowd) + 1


@pytest.mark.parametrize("control", sorted(CONTROLS))
def test_controls_yield_no_text_under_redaction(control: str) -> None:
    units, crowd = _read(control)
    assert not _texts(units, Visibility.UNDER_REDACTION)
    hidden = [u for u in units if isinstance(u, Text) and u.visibility not in (Visibility.VISIBLE,
                                                                               Visibility.METADATA)]
    assert not hidden, [(u.location, u.visibility) for u in hidden]
    assert not [u for u in units if isinstance(u, Unreadable)]


def test_controls_keep_their_visible_text() -> None:
    units, crowd = _read("control_header_bar")
    assert "Row 001: summary of pending reviews" in _texts(units, Visibility.VISIBLE)[0].text
    for control in ("control_plain", "control_signature"):
        units, crowd = _read(control)
        assert crowd[0].name in _texts(units, Visibility.VISIBLE)[0].text


def test_pages_and_lines_keep_their_order() -> None:
    units, crowd = _read("box_re", people=PER_PAGE + 5)
    pages = [u.location for u in _texts(units, Visibility.VISIBLE)]
    assert pages == ["page 1", "page 2"]
    first = _texts(units, Visibility.VISIBLE)[0].text.splitlines()
    assert first[1].startswith("001  Applicant:") or first[1].startswith("001 Applicant:")


def test_failed_redaction_blocks_and_controls_do_not() -> None:
    blob, _ = make_pdf("box_re", 10, 3)
    result = check_bytes(blob, "box_re.pdf")
    assert result.verdict.value == "block"
    assert any(f.kind.value == "failed-redaction" for f in result.findings)
    blob, _ = make_pdf("control_removed", 10, 3)
    assert check_bytes(blob, "control.pdf").verdict.value != "block"


@pytest.mark.parametrize("vector", ["image_only", "scan_with_stamp"])
def test_image_only_page_without_ocr_is_unverifiable(vector: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_ocr, "available", lambda: False)
    blob, _ = make_pdf(vector, 5)
    units = list(read_blob(blob, ReadContext(name="scan.pdf")))
    unreadable = [u for u in units if isinstance(u, Unreadable)]
    assert [(u.location, u.reason) for u in unreadable] == [
        ("page 1", "page 1 has no text layer (image only) and OCR is not installed")]
    assert check_bytes(blob, "scan.pdf").verdict.value == "unverifiable"


@pytest.mark.skipif(not pdf_ocr.available(), reason="tesseract is not installed")
def test_image_only_page_is_read_by_ocr_when_tesseract_is_installed() -> None:
    blob, crowd = make_pdf("image_only", 5)
    units = list(read_blob(blob, ReadContext(name="scan.pdf")))
    ocr = [u for u in units if isinstance(u, Text) and u.location == "page 1 (OCR)"]
    assert ocr and ocr[0].visibility is Visibility.VISIBLE
    words = set(ocr[0].text.replace(",", " ").split())
    # PIL's bitmap font is small: ask for most surnames, not every letter
    found = sum(p.name.split()[-1] in words for p in crowd)
    assert found >= 3


def test_tables_leave_out_what_is_hidden_on_the_page() -> None:
    units, crowd = _read("box_re")
    tables = [u for u in units if isinstance(u, Table)]
    assert tables  # the "Applicant:" / "status" columns are still a layout of rows
    cells = {v for t in tables for row in t.frame.rows() for v in row if v}
    assert not any(p.name in c for p in crowd for c in cells)


def test_ruled_landscape_roster_keeps_wrapped_names_in_their_cells() -> None:
    units, crowd = _read("ruled_landscape_table", people=20)
    tables = [u for u in units if isinstance(u, Table)]
    assert len(tables) == 1
    rows = tables[0].frame.rows()
    assert rows[0] == ("No.", "Name", "Date of birth", "A-number", "Country")
    assert rows[1] == ("1", crowd[0].name, crowd[0].dob, crowd[0].a_number, crowd[0].country[:18])
    assert tables[0].n_rows == 21


def test_concurrent_reads_give_the_same_units() -> None:
    import threading

    blobs = [make_pdf(v, 10, 4)[0] for v in ("box_re", "attachment", "hidden_layer", "incremental")]
    expected = [list(read_blob(b, ReadContext(name="x.pdf"))) for b in blobs]
    results: dict[int, list[Unit]] = {}

    def work(k: int) -> None:
        results[k] = list(read_blob(blobs[k % 4], ReadContext(name="x.pdf")))

    threads = [threading.Thread(target=work, args=(k,)) for k in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(8):
        assert [(u.location, getattr(u, "text", None)) for u in results[k]] == \
            [(u.location, getattr(u, "text", None)) for u in expected[k % 4]]
