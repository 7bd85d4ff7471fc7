"""OpenDocument text and presentation reader."""

from __future__ import annotations

import io
import zipfile

import pytest

from support.doc_factory import make_odp, make_odt, read_units, unreadable, where_is

ODT_EXPECTED = {
    "visible": ("content.xml paragraph 2", "visible"),
    "hidden-span": ("content.xml paragraph 3 (hidden text)", "hidden-text"),
    "hidden-text": ("content.xml paragraph 4 (hidden text)", "hidden-text"),
    "hidden-section": ("content.xml hidden section 'Secret'", "hidden-text"),
    "deleted": ("content.xml tracked change 1 (deleted text)", "tracked-change"),
    "annotation": ("content.xml annotation 1", "comment"),
    "note": ("content.xml note 1", "visible"),
    "table": ("content.xml table 1", "visible"),
    "alt-text": ("content.xml paragraph 7 (alt text)", "alt-text"),
    "text-box": ("content.xml paragraph 7 text box", "visible"),
    "header": ("styles.xml header (Standard)", "header-footer"),
    "meta-creator": ("meta.xml", "metadata"),
    "meta-user": ("meta.xml", "metadata"),
    "chart-data": ("Object 1/content.xml table 1", "chart-cache"),
}
ODP_EXPECTED = {
    "slide": ("content.xml slide 1", "visible"),
    "hidden-slide": ("content.xml hidden slide 2", "hidden-slide"),
    "notes": ("content.xml slide 1 (speaker notes)", "speaker-notes"),
    "annotation": ("content.xml annotation 1", "comment"),
    "table": ("content.xml slide 1 table 1", "visible"),
    "alt-text": ("content.xml slide 1 (alt text)", "alt-text"),
    "meta-creator": ("meta.xml", "metadata"),
}


@pytest.fixture(scope="module")
def odt() -> tuple[list, dict[str, str]]:
    blob, secrets = make_odt(seed=61)
    return read_units(blob, "report.odt"), secrets


@pytest.fixture(scope="module")
def odp() -> tuple[list, dict[str, str]]:
    blob, secrets = make_odp(seed=62)
    return read_units(blob, "deck.odp"), secrets


@pytest.mark.parametrize("vector", sorted(ODT_EXPECTED))
def test_odt_hiding_places(odt, vector: str) -> None:
    units, secrets = odt
    location, visibility = ODT_EXPECTED[vector]
    hits = where_is(units, secrets[vector])
    assert any(loc == location and vis == visibility for loc, vis in hits), hits


@pytest.mark.parametrize("vector", sorted(ODP_EXPECTED))
def test_odp_hiding_places(odp, vector: str) -> None:
    units, secrets = odp
    location, visibility = ODP_EXPECTED[vector]
    hits = where_is(units, secrets[vector])
    assert any(loc == location and vis == visibility for loc, vis in hits), hits


@pytest.mark.parametrize("vector,location", [("change-author", "content.xml (tracked-change authors)"),
                                             ("annotation-author", "content.xml annotation 1 (author metadata)")])
def test_odt_authors_are_metadata(odt, vector: str, location: str) -> None:
    units, secrets = odt
    assert (location, "metadata") in where_is(units, secrets[vector].rsplit(" ", 1)[0])


def test_hidden_text_not_in_visible_units(odt) -> None:
    units, secrets = odt
    for vector in ("hidden-span", "hidden-section", "deleted"):
        assert all(vis != "visible" for _, vis in where_is(units, secrets[vector]))


def test_good_files_read_cleanly(odt, odp) -> None:
    assert unreadable(odt[0]) == [] and unreadable(odp[0]) == []


def _replace(blob: bytes, name: str, data: bytes) -> bytes:
    src = zipfile.ZipFile(io.BytesIO(blob))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            out.writestr(info, data if info.filename == name else src.read(info))
    return buf.getvalue()


@pytest.mark.parametrize("data", [b"<office:document-content", b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>"])
def test_malformed_content_is_unreadable(data: bytes) -> None:
    blob, _ = make_odt(seed=63)
    bad = unreadable(read_units(_replace(blob, "content.xml", data), "bad.odt"))
    assert bad and bad[0].reason


def test_huge_repeat_counts_are_capped() -> None:
    blob, _ = make_odt(seed=64)
    content = zipfile.ZipFile(io.BytesIO(blob)).read("content.xml").replace(
        b"<table:table-row><table:table-cell><text:p>Name",
        b'<table:table-row table:number-rows-repeated="1048576"><table:table-cell '
        b'table:number-columns-repeated="16384"><text:p>x</text:p></table:table-cell></table:table-row>'
        b"<table:table-row><table:table-cell><text:p>Name")
    units = read_units(_replace(blob, "content.xml", content), "big.odt")
    assert unreadable(units) == []


def test_end_to_end_the_hidden_people_block() -> None:
    from support.doc_factory import make_odt, verdict

    assert verdict(make_odt(seed=99)[0], "r.odt") == "block"


@pytest.mark.parametrize("index", range(8))
def test_damaged_input_fails_closed_with_a_reason(index: int) -> None:
    from support.doc_factory import assert_fails_closed, make_odt, mutations

    blob = mutations(make_odt(seed=5)[0], seed=index, count=index + 1)[index]
    assert_fails_closed(blob, "x.odt")


def test_odp_annotation_text_is_not_slide_text(odp) -> None:
    units, secrets = odp
    assert all(vis == "comment" for _, vis in where_is(units, secrets["annotation"]))
