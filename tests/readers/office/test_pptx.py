"""PowerPoint reader: slides, hidden slides and shapes, notes, comments, charts and embeddings."""

from __future__ import annotations

import pytest

from support.doc_factory import make_pptx, read_units, unreadable, where_is, zip_bytes
from veil.readers.units import Notice, Table

EXPECTED = {
    "slide": ("ppt/slides/slide1.xml (slide 1)", "visible"),
    "hidden-slide": ("ppt/slides/slide2.xml (hidden slide 2)", "hidden-slide"),
    "hidden-shape": ("ppt/slides/slide3.xml (slide 3) (hidden shape)", "hidden-text"),
    "off-slide": ("ppt/slides/slide3.xml (slide 3) (shape off the slide)", "off-page"),
    "alt-text": ("ppt/slides/slide3.xml (slide 3) (alt text)", "alt-text"),
    "table": ("ppt/slides/slide1.xml (slide 1) table 1", "visible"),
    "notes": ("ppt/notesSlides/notesSlide1.xml", "speaker-notes"),
    "comment": ("ppt/comments/comment1.xml comment 1", "comment"),
    "chart-cache": ("ppt/charts/chart1.xml (chart cache)", "chart-cache"),
    "embedded-csv": ("embedded file (ppt/embeddings/Microsoft_Excel_Worksheet1.csv) › ", "embedded"),
    "core-creator": ("docProps/core.xml", "metadata"),
}


@pytest.fixture(scope="module")
def pptx() -> tuple[list, dict[str, str]]:
    blob, secrets = make_pptx(seed=12)
    return read_units(blob, "deck.pptx"), secrets


@pytest.mark.parametrize("vector", sorted(EXPECTED))
def test_every_hiding_place_is_found(pptx, vector: str) -> None:
    units, secrets = pptx
    location, visibility = EXPECTED[vector]
    hits = where_is(units, secrets[vector])
    assert any(loc.startswith(location) and vis == visibility for loc, vis in hits), hits


def test_comment_author_is_metadata(pptx) -> None:
    units, secrets = pptx
    name = secrets["comment-author"].rsplit(" ", 1)[0]
    assert ("ppt/comments/comment1.xml comment 1 (author metadata)", "metadata") in where_is(units, name)


def test_hidden_slides_are_counted(pptx) -> None:
    units, _ = pptx
    assert any(isinstance(u, Notice) and u.message == "1 hidden slide(s)" for u in units)


def test_slide_table_is_table_unit(pptx) -> None:
    units, _ = pptx
    table = next(u for u in units if isinstance(u, Table) and "table 1" in u.location)
    assert table.frame.row(0) == ("Name", "A-Number") and table.n_rows == 4


def test_notes_chrome_is_left_out(pptx) -> None:
    units, _ = pptx
    notes = [u for u in units if getattr(u, "location", "") == "ppt/notesSlides/notesSlide1.xml"]
    assert notes and notes[0].text.startswith("Remember") and "\n1" not in notes[0].text


def test_good_file_has_nothing_unreadable(pptx) -> None:
    assert unreadable(pptx[0]) == []


@pytest.mark.parametrize("presentation", [b"<p:presentation", b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>"])
def test_malformed_presentation_is_unreadable(presentation: bytes) -> None:
    blob = zip_bytes({"[Content_Types].xml": "<Types/>", "ppt/presentation.xml": presentation})
    bad = unreadable(read_units(blob, "bad.pptx"))
    assert bad and bad[0].reason


def test_broken_slide_is_unreadable_and_others_still_read() -> None:
    import io
    import zipfile

    blob, secrets = make_pptx(seed=5)
    z = zipfile.ZipFile(io.BytesIO(blob))
    members = {n: z.read(n) for n in z.namelist()}
    members["ppt/slides/slide3.xml"] = b"<p:sld><oops"
    units = read_units(zip_bytes(members), "x.pptx")
    assert [u.location for u in unreadable(units)] == ["ppt/slides/slide3.xml"]
    assert where_is(units, secrets["hidden-slide"])


def test_end_to_end_the_hidden_people_block() -> None:
    from support.doc_factory import make_pptx, verdict

    assert verdict(make_pptx(seed=99)[0], "deck.pptx") == "block"


@pytest.mark.parametrize("index", range(8))
def test_damaged_input_fails_closed_with_a_reason(index: int) -> None:
    from support.doc_factory import assert_fails_closed, make_pptx, mutations

    blob = mutations(make_pptx(seed=5)[0], seed=index, count=index + 1)[index]
    assert_fails_closed(blob, "x.pptx")


def test_modern_comments_and_authors() -> None:
    import io
    import zipfile

    blob, _ = make_pptx(seed=6)
    z = zipfile.ZipFile(io.BytesIO(blob))
    members = {n: z.read(n) for n in z.namelist() if not n.startswith(("ppt/comments/", "ppt/commentAuthors"))}
    p188 = "http://schemas.microsoft.com/office/powerpoint/2018/8/main"
    a = "http://schemas.openxmlformats.org/drawingml/2006/main"
    members["ppt/comments/modernComment_100_1.xml"] = (
        f'<p188:cmLst xmlns:p188="{p188}" xmlns:a="{a}"><p188:cm id="{{1}}" authorId="{{A}}"><p188:txBody>'
        "<a:p><a:r><a:t>Remove Ana Ruiz A123456789</a:t></a:r></a:p></p188:txBody><p188:replyLst>"
        '<p188:reply id="{2}" authorId="{B}"><p188:txBody><a:p><a:r><a:t>done</a:t></a:r></a:p></p188:txBody>'
        "</p188:reply></p188:replyLst></p188:cm></p188:cmLst>")
    members["ppt/authors.xml"] = (f'<p188:authorLst xmlns:p188="{p188}"><p188:author id="{{A}}" name="Bea Soto" '
                                  'initials="BS"/><p188:author id="{B}" name="Carl Diaz" initials="CD"/>'
                                  "</p188:authorLst>")
    units = read_units(zip_bytes(members), "m.pptx")
    assert ("ppt/comments/modernComment_100_1.xml comment 1", "comment") in where_is(units, "Ana Ruiz A123456789")
    meta = where_is(units, "Carl Diaz")
    assert ("ppt/comments/modernComment_100_1.xml comment 1 (author metadata)", "metadata") in meta
