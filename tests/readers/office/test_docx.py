"""Word reader: each hiding place in a generated docx comes out with the right visibility and location."""

from __future__ import annotations

import io
import time
import zipfile
from pathlib import Path

import pytest

from support.doc_factory import custom_props, make_docx, read_units, unreadable, where_is, zip_bytes
from support.paths import CORPUS as REAL
from veil.readers.units import Table

EXPECTED = {
    "visible": ("word/document.xml paragraph 1", "visible"),
    "tracked-deletion": ("word/document.xml paragraph 2 (deleted text)", "tracked-change"),
    "tracked-insertion": ("word/document.xml paragraph 2", "visible"),
    "vanish": ("word/document.xml paragraph 3 (hidden text)", "hidden-text"),
    "vanish-style": ("word/document.xml paragraph 4 (hidden text)", "hidden-text"),
    "alt-text": ("word/document.xml paragraph 5 (alt text)", "alt-text"),
    "text-box": ("word/document.xml paragraph 5 text box", "visible"),
    "field-code": ("word/document.xml paragraph 6 (field code)", "metadata"),
    "white-text": ("word/document.xml paragraph 7 (white text)", "white-text"),
    "table": ("word/document.xml table 1", "visible"),
    "header": ("word/header1.xml paragraph 1", "header-footer"),
    "footnote": ("word/footnotes.xml note 1", "visible"),
    "comment": ("word/comments.xml comment 0", "comment"),
    "comment-author": ("word/comments.xml comment 0 (author metadata)", "metadata"),
    "doc-variable": ("word/settings.xml (document variables)", "metadata"),
    "custom-xml": ("customXml/item1.xml", "unknown-part"),
    "core-creator": ("docProps/core.xml", "metadata"),
    "custom-property": ("docProps/custom.xml", "metadata"),
    "chart-cache": ("word/charts/chart1.xml (chart cache)", "chart-cache"),
    "embedded-csv": ("embedded file (word/embeddings/roster.csv) › ", "embedded"),
    "embedded-ole": ("embedded object (word/embeddings/oleObject1.bin) › ", "embedded"),
}


@pytest.fixture(scope="module")
def docx() -> tuple[list, dict[str, str]]:
    blob, secrets = make_docx(seed=11)
    return read_units(blob, "report.docx"), secrets


@pytest.mark.parametrize("vector", sorted(EXPECTED))
def test_every_hiding_place_is_found(docx, vector: str) -> None:
    units, secrets = docx
    location, visibility = EXPECTED[vector]
    hits = where_is(units, secrets[vector])
    assert any(loc.startswith(location) and vis == visibility for loc, vis in hits), hits


def test_text_box_fallback_is_not_read_twice(docx) -> None:
    units, secrets = docx
    assert len(where_is(units, secrets["text-box"])) == 1


def test_revision_author_is_metadata(docx) -> None:
    units, secrets = docx
    name = secrets["revision-author"].rsplit(" ", 1)[0]
    hits = where_is(units, name)
    assert ("word/document.xml (tracked-change authors)", "metadata") in hits


def test_table_is_a_table_unit_with_header_row(docx) -> None:
    units, secrets = docx
    table = next(u for u in units if isinstance(u, Table) and u.location == "word/document.xml table 1")
    assert table.frame.row(0) == ("Name", "A-Number", "Country")
    assert table.n_rows == 4


def test_nothing_unreadable_in_a_good_file(docx) -> None:
    units, _ = docx
    assert unreadable(units) == []


def test_deleted_table_row_is_hidden_row() -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    row = ('<w:tr><w:trPr><w:del w:id="9" w:author="x"/></w:trPr><w:tc><w:p><w:del w:id="8" w:author="x"><w:r>'
           '<w:delText>Ana Ruiz</w:delText></w:r></w:del></w:p></w:tc></w:tr>')
    doc = (f'<w:document xmlns:w="{w}"><w:body><w:tbl><w:tr><w:tc><w:p><w:r><w:t>Name</w:t></w:r></w:p></w:tc>'
           f"</w:tr>{row}</w:tbl></w:body></w:document>")
    units = read_units(zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": doc}), "t.docx")
    table = next(u for u in units if isinstance(u, Table))
    assert table.frame.row(1) == ("Ana Ruiz",) and table.hidden_rows == frozenset({1})


def _docx_with(document: bytes | str, extra: dict | None = None) -> bytes:
    return zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": document, **(extra or {})})


@pytest.mark.parametrize("document", [
    b"<w:document><w:body><w:p>",  # truncated XML
    b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><d>&b;</d>',  # entity bomb
    b"\x00\x01\x02 not xml",
])
def test_malformed_main_part_is_unreadable_with_reason(document: bytes) -> None:
    units = read_units(_docx_with(document), "bad.docx")
    bad = unreadable(units)
    assert bad and all(u.reason for u in bad)


def test_malformed_secondary_part_does_not_hide_the_rest() -> None:
    blob, secrets = make_docx(seed=3)
    z = zipfile.ZipFile(io.BytesIO(blob))
    members = {n: z.read(n) for n in z.namelist()}
    members["word/comments.xml"] = b"<w:comments><broken"
    units = read_units(zip_bytes(members), "x.docx")
    assert [u.location for u in unreadable(units)] == ["word/comments.xml"]
    assert where_is(units, secrets["vanish"])


def test_no_main_part_is_unreadable() -> None:
    units = read_units(zip_bytes({"[Content_Types].xml": "<Types/>", "word/other.xml": "<x/>"}), "x.docx")
    assert unreadable(units)


def test_truncated_package_is_unreadable() -> None:
    blob, _ = make_docx(seed=4)
    units = read_units(blob[: len(blob) // 2], "cut.docx")
    assert unreadable(units)


def test_zip_bomb_member_is_unreadable_quickly() -> None:
    bomb = b"<w:document>" + b" " * (20 * 1024 * 1024) + b"</w:document>"
    blob = _docx_with(bomb)
    started = time.perf_counter()
    units = read_units(blob, "bomb.docx")
    assert unreadable(units) and "zip bomb" in unreadable(units)[0].reason
    assert time.perf_counter() - started < 5


def test_unknown_binary_part_gets_a_notice() -> None:
    from veil.readers.units import Notice

    blob = _docx_with('<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>',
                      {"word/mystery.dat": b"\x00\x01" * 100})
    units = read_units(blob, "x.docx")
    assert any(isinstance(u, Notice) and u.location == "word/mystery.dat" for u in units)


@pytest.mark.parametrize("path", sorted(REAL.glob("*/*.docx")) if REAL.exists() else [], ids=lambda p: p.name)
def test_real_documents_read_and_do_not_block(path: Path) -> None:
    from veil.pipeline import check_path

    units = read_units(path.read_bytes(), path.name)
    assert unreadable(units) == []
    assert check_path(path).verdict.value != "block"


def test_real_corpus_present_or_skipped() -> None:
    if not REAL.exists():
        pytest.skip("shared corpus not present")
    assert list(REAL.glob("*/*.docx"))


def test_end_to_end_hidden_people_block_and_statistics_pass() -> None:
    from support.doc_factory import make_clean_docx, verdict

    assert verdict(make_docx(seed=9)[0], "leak.docx") == "block"
    assert verdict(make_clean_docx(), "stats.docx") == "pass"


def test_end_to_end_only_a_tracked_deletion_blocks() -> None:
    from support.doc_factory import verdict

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    doc = (f'<w:document xmlns:w="{w}"><w:body><w:p><w:r><w:t>Statistics note. </w:t></w:r>'
           '<w:del w:id="1" w:author="Records"><w:r><w:delText>Applicant Ana Ruiz, A-Number A123456789, '
           "born 1990-02-03, claimed asylum.</w:delText></w:r></w:del></w:p></w:body></w:document>")
    assert verdict(_docx_with(doc), "note.docx") == "block"


@pytest.mark.parametrize("index", range(8))
def test_damaged_input_fails_closed_with_a_reason(index: int) -> None:
    from support.doc_factory import assert_fails_closed, make_docx, mutations

    blob = mutations(make_docx(seed=5)[0], seed=index, count=index + 1)[index]
    assert_fails_closed(blob, "x.docx")


def test_chart_workbook_with_a_hidden_sheet_keeps_its_visibility() -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Chart data"
    wb.active.append(["Year", "Cases"])
    wb.active.append([2023, 12])
    roster = wb.create_sheet("Roster")
    roster.sheet_state = "hidden"
    roster.append(["Name", "A-Number", "Date of birth"])
    roster.append(["Ana Ruiz", "A123456789", "1990-02-03"])
    buf = io.BytesIO()
    wb.save(buf)
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    blob = _docx_with(f'<w:document xmlns:w="{w}"><w:body><w:p><w:r><w:t>Chart</w:t></w:r></w:p></w:body>'
                      "</w:document>", {"word/embeddings/Microsoft_Excel_Worksheet1.xlsx": buf.getvalue()})
    units = read_units(blob, "chart.docx")
    hits = [(loc, vis) for loc, vis in where_is(units, "Ana Ruiz A123456789")]
    assert any(loc.startswith("embedded file (word/embeddings/Microsoft_Excel_Worksheet1.xlsx) › ")
               and vis == "hidden-sheet" for loc, vis in hits), hits


def test_paragraph_style_vanish_hides_the_paragraph() -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    styles = (f'<w:styles xmlns:w="{w}"><w:style w:type="paragraph" w:styleId="Secret"><w:rPr><w:vanish/>'
              "</w:rPr></w:style></w:styles>")
    doc = (f'<w:document xmlns:w="{w}"><w:body><w:p><w:pPr><w:pStyle w:val="Secret"/></w:pPr><w:r>'
           "<w:t>Ana Ruiz A123456789</w:t></w:r><w:r><w:rPr><w:vanish w:val=\"0\"/></w:rPr><w:t>shown</w:t></w:r>"
           "</w:p></w:body></w:document>")
    units = read_units(_docx_with(doc, {"word/styles.xml": styles}), "s.docx")
    assert where_is(units, "Ana Ruiz A123456789") == [("word/document.xml paragraph 1 (hidden text)", "hidden-text")]
    assert where_is(units, "shown") == [("word/document.xml paragraph 1", "visible")]


def test_imported_html_chunk_is_read_with_its_hidden_parts() -> None:
    from support.doc_factory import _rels

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    doc = (f'<w:document xmlns:w="{w}" xmlns:r="{r}"><w:body><w:p><w:r><w:t>Intro</w:t></w:r></w:p>'
           '<w:altChunk r:id="rIdA"/></w:body></w:document>')
    chunk = b"<html><body><p>Imported</p><div style='display:none'>Ana Ruiz A123456789</div></body></html>"
    blob = _docx_with(doc, {"word/_rels/document.xml.rels": _rels([("rIdA", "aFChunk", "afchunk.htm")]),
                            "word/afchunk.htm": chunk})
    hits = where_is(read_units(blob, "c.docx"), "Ana Ruiz A123456789")
    assert hits == [("imported chunk (word/afchunk.htm) › html element div (hidden: display:none)", "markup-hidden")]


def test_glossary_building_blocks_are_read() -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    glossary = (f'<w:glossaryDocument xmlns:w="{w}"><w:docParts><w:docPart><w:docPartBody><w:p><w:r>'
                "<w:t>Template for Ana Ruiz A123456789</w:t></w:r></w:p></w:docPartBody></w:docPart></w:docParts>"
                "</w:glossaryDocument>")
    blob = _docx_with(f'<w:document xmlns:w="{w}"><w:body/></w:document>', {"word/glossary/document.xml": glossary})
    hits = where_is(read_units(blob, "g.docx"), "Ana Ruiz A123456789")
    assert hits == [("word/glossary/document.xml paragraph 1", "unknown-part")]


def test_hyperlink_targets_are_metadata() -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    r = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    rels = ('<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rL" Type="{r}/hyperlink" Target="mailto:ana.ruiz@example.org" '
            'TargetMode="External"/></Relationships>')
    doc = (f'<w:document xmlns:w="{w}" xmlns:r="{r}"><w:body><w:p><w:hyperlink r:id="rL"><w:r><w:t>Contact</w:t>'
           "</w:r></w:hyperlink></w:p></w:body></w:document>")
    units = read_units(_docx_with(doc, {"word/_rels/document.xml.rels": rels}), "l.docx")
    assert where_is(units, "mailto:ana.ruiz@example.org") == [("word/document.xml (hyperlink targets)", "metadata")]


def test_custom_xml_attributes_are_read_but_guids_are_not() -> None:
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    item = ('<case xmlns="urn:example:case" id="{0A1B2C3D-1111-2222-3333-444455556666}" rev="00A1B2C3">'
            '<client number="A123456789" name="Ana Ruiz"/></case>')
    blob = _docx_with(f'<w:document xmlns:w="{w}"><w:body/></w:document>', {"customXml/item2.xml": item})
    unit = next(u for u in read_units(blob, "c.docx") if getattr(u, "location", "") == "customXml/item2.xml")
    assert "A123456789" in unit.text and "Ana Ruiz" in unit.text
    assert "0A1B2C3D" not in unit.text and "00A1B2C3" not in unit.text


def test_document_management_ids_are_not_checked_but_other_custom_properties_are() -> None:
    from veil.pipeline import check_bytes

    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    doc = f'<w:document xmlns:w="{w}"><w:body><w:p><w:r><w:t>Quarterly figures.</w:t></w:r></w:p></w:body></w:document>'
    stamped = _docx_with(doc, {"docProps/custom.xml": custom_props("Objective-Id", "A50934943")})
    assert check_bytes(stamped, "report.docx").verdict.value == "pass"  # Objective's record number, not an A-number
    leaking = _docx_with(doc, {"docProps/custom.xml": custom_props("Client A-number", "A123456789")})
    assert check_bytes(leaking, "report.docx").verdict.value == "block"
