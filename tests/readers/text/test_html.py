"""HTML reader: visible text and tables, and everything the browser hides."""

from __future__ import annotations

import time

import pytest

from support.doc_factory import make_html, read_units, unreadable, where_is
from veil.readers.units import Table

EXPECTED = {
    "visible": ("html paragraph", "visible"),
    "table": ("html table 1", "visible"),
    "hidden-row": ("html table 1", "visible"),
    "display-none-inline": ("html element span (hidden: display:none)", "markup-hidden"),
    "visibility-rule": ("html element div#later (hidden: visibility:hidden by rule '#later')", "markup-hidden"),
    "class-rule": ("html element div.box.sr (hidden: display:none by rule '.sr')", "markup-hidden"),
    "hidden-attr": ("html element section (hidden: hidden attribute)", "markup-hidden"),
    "comment": ("html comment 1", "markup-comment"),
    "json-script": ("html script 1 records $", "script-data"),
    "ld-json": ("html script 2", "script-data"),
    "js-literal": ("html script 3 (data literal) records $", "script-data"),
    "js-string": ("html script 3 (string literals)", "script-data"),
    "data-attr": ("html data-* attributes", "markup-hidden"),
    "hidden-input": ("html data-* attributes", "markup-hidden"),
    "meta": ("html <meta>", "metadata"),
    "alt": ("html alt and title text", "alt-text"),
    "template": ("html element template (hidden: template)", "markup-hidden"),
}


@pytest.fixture(scope="module")
def page() -> tuple[list, dict[str, str]]:
    blob, secrets = make_html(seed=41)
    return read_units(blob, "stats.html"), secrets


@pytest.mark.parametrize("vector", sorted(EXPECTED))
def test_every_hiding_place_is_found(page, vector: str) -> None:
    units, secrets = page
    location, visibility = EXPECTED[vector]
    hits = where_is(units, secrets[vector])
    assert any(loc.startswith(location) and vis == visibility for loc, vis in hits), hits


def test_hidden_text_is_not_in_visible_paragraphs(page) -> None:
    units, secrets = page
    visible = [loc for loc, vis in where_is(units, secrets["display-none-inline"]) if vis == "visible"]
    assert visible == []


def test_table_marks_hidden_row(page) -> None:
    units, secrets = page
    table = next(u for u in units if isinstance(u, Table) and u.location == "html table 1")
    assert table.frame.row(0) == ("Name", "A-Number")
    hidden_name = secrets["hidden-row"].rsplit(" ", 1)[0]
    row = next(i for i, r in enumerate(table.frame.rows()) if r[0] == hidden_name)
    assert row in table.hidden_rows


def test_json_records_are_tables_with_keys(page) -> None:
    units, _ = page
    table = next(u for u in units if isinstance(u, Table) and u.location == "html script 1 records $")
    assert table.header == ["name", "a_number"] and table.n_rows == 2


def test_aria_hidden_stays_visible() -> None:
    units = read_units(b"<html><body><p aria-hidden='true'>Ana Ruiz A123456789</p></body></html>", "a.html")
    assert where_is(units, "Ana Ruiz A123456789") == [("html paragraph 1", "visible")]


def test_latin1_page_with_meta_charset() -> None:
    blob = "<html><head><meta charset='iso-8859-1'></head><body><p>Nuñez</p></body></html>".encode("latin-1")
    units = read_units(blob, "l.html")
    assert where_is(units, "Nuñez")


def test_entities_and_doctype_do_not_expand() -> None:
    blob = (
        b'<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "AAAAAAAAAA"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]>'
        b"<html><body><p>&b;&b;&b;</p></body></html>"
    )
    units = read_units(blob, "x.html")
    assert all("AAAAAAAAAA" not in getattr(u, "text", "") for u in units)


def test_deep_nesting_and_huge_script_are_bounded() -> None:
    blob = b"<html><body>" + b"<div>" * 5000 + b"x" + b"</div>" * 5000 + b"</body></html>"
    started = time.perf_counter()
    units = read_units(blob, "deep.html")
    assert time.perf_counter() - started < 10
    assert any("could not be read to its end" in u.reason for u in unreadable(units))


def test_huge_script_literal_is_bounded() -> None:
    blob = b"<html><body><script>var a = " + b"[" * 10000 + b"]" * 10000 + b"; var s = '" + b"y" * 100000
    blob += b"';</script><p>ok</p></body></html>"
    started = time.perf_counter()
    units = read_units(blob, "big.html")
    assert time.perf_counter() - started < 10
    assert unreadable(units) == [] and where_is(units, "ok")


def test_garbage_is_not_a_traceback() -> None:
    units = read_units(b"<html>\x00\x01\x02<<<>>>", "g.html")
    assert isinstance(units, list)
    assert all(u.reason for u in unreadable(units))


def test_end_to_end_the_hidden_people_block() -> None:
    from support.doc_factory import make_html, verdict

    assert verdict(make_html(seed=99)[0], "p.html") == "block"


@pytest.mark.parametrize("index", range(8))
def test_damaged_input_fails_closed_with_a_reason(index: int) -> None:
    from support.doc_factory import assert_fails_closed, make_html, mutations

    blob = mutations(make_html(seed=5)[0], seed=index, count=index + 1)[index]
    assert_fails_closed(blob, "x.html")


def test_data_uri_download_goes_through_the_readers() -> None:
    import base64

    csv = b"name,a_number\nAna Ruiz,A123456789\nBo Li,A987654321\n"
    blob = (
        b'<html><body><a download="roster.csv" href="data:text/csv;base64,'
        + base64.b64encode(csv)
        + b'">Download</a><img src="data:image/png;base64,AAAA"></body></html>'
    )
    units = read_units(blob, "d.html")
    hits = where_is(units, "Ana Ruiz A123456789")
    assert hits and all(loc.startswith("html data: URI 1 (a) › ") and vis == "embedded" for loc, vis in hits)
    assert unreadable(units) == []


def test_iframe_srcdoc_is_read_as_a_page() -> None:
    blob = (
        b'<html><body><iframe srcdoc="&lt;p&gt;Hola&lt;/p&gt;&lt;div hidden&gt;Ana Ruiz A123456789&lt;/div&gt;">'
        b"</iframe></body></html>"
    )
    hits = where_is(read_units(blob, "i.html"), "Ana Ruiz A123456789")
    assert hits == [("html iframe srcdoc 1 › html element div (hidden: hidden attribute)", "markup-hidden")]


def test_an_html_only_email_is_read_as_an_email() -> None:
    blob = (
        b"From: Ana Ruiz <a@example.org>\r\nTo: b@example.org\r\nSubject: hi\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Case A123456789</p></body></html>\r\n"
    )
    units = read_units(blob, "m.eml")
    assert ("email headers", "email-header") in where_is(units, "Ana Ruiz")
    assert where_is(units, "Case A123456789") == [("body 1 (text/html) › html paragraph 1", "visible")]


def test_rows_outside_any_table_are_a_table() -> None:
    """A damaged <table> tag (one flipped byte, from the fuzz test): browsers still show the cells' text, so the
    rows are read as a table and the roster blocks."""
    from support.mutations import _html, roster
    from veil.pipeline import check_bytes
    from veil.readers.registry import ReadContext, read_blob
    from veil.readers.units import Table

    page = _html(roster(51)).replace(b"<table>", b"<ta\xa9le>", 1)
    tables = [u for u in read_blob(page, ReadContext(name="p.html")) if isinstance(u, Table)]
    assert len(tables) == 1 and tables[0].frame.height == 26
    assert check_bytes(page, "p.html").verdict.value == "block"
    whole = _html(roster(51))
    assert len([u for u in read_blob(whole, ReadContext(name="p.html")) if isinstance(u, Table)]) == 1
