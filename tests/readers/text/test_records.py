"""A record is the card, the event, the JSON object or the XML element, not the line: the fields of one record are
tied. Leaks in each format block; their benign twins (a press office's cards, a calendar of public hearings,
SDMX statistics, a map of facilities) pass."""

from __future__ import annotations

import pytest

from support.record_factory import (
    applicant_object,
    cases_xml,
    detainee_cards,
    facilities_kml,
    hearings_calendar,
    interview_calendar,
    press_cards,
    sdmx_xml,
)
from veil.findings import Kind, Verdict
from veil.pipeline import check_bytes
from veil.readers.registry import ReadContext, read_blob
from veil.readers.sniff import sniff
from veil.readers.text.records import readable_key, record_text
from veil.readers.units import Table, Text, Visibility


def _units(blob: bytes) -> list:
    return list(read_blob(blob, ReadContext(name="x")))


@pytest.mark.parametrize("version,folded", [("3.0", False), ("3.0", True), ("4.0", False), ("2.1", False)])
@pytest.mark.parametrize("seed", range(3))
def test_a_card_ties_the_name_to_the_note_on_other_lines(version: str, folded: bool, seed: int) -> None:
    blob = detainee_cards(5, seed, version, folded)
    assert sniff(blob) == "vcard"
    result = check_bytes(blob, "contacts.vcf")
    assert result.verdict is Verdict.BLOCK and result.persons == 5
    assert {f.location for f in result.findings if f.kind is Kind.PERSON_IN_TEXT} == {f"card {i}" for i in range(1, 6)}


def test_a_single_card_with_a_note_blocks() -> None:
    blob = detainee_cards(1, 7)
    card = next(u for u in _units(blob) if isinstance(u, Text))
    assert card.location == "card 1" and "date of birth:" in card.text and "Citizenship:" in card.text
    assert check_bytes(blob, "one.vcf").verdict is Verdict.BLOCK


@pytest.mark.parametrize("seed", range(3))
def test_a_press_office_card_file_passes(seed: int) -> None:
    result = check_bytes(press_cards(seed), "press-contacts.vcf")
    assert result.verdict is Verdict.PASS, [(f.kind, f.message) for f in result.findings]
    assert result.persons == 0


@pytest.mark.parametrize("seed", range(2))
def test_an_interview_calendar_blocks_and_a_hearings_calendar_passes(seed: int) -> None:
    blob = interview_calendar(4, seed)
    assert sniff(blob) == "ical"
    assert check_bytes(blob, "interviews.ics").verdict is Verdict.BLOCK
    hearings = check_bytes(hearings_calendar(seed), "hearings.ics")
    assert hearings.verdict is Verdict.PASS, [(f.kind, f.message) for f in hearings.findings]


@pytest.mark.parametrize("nested", [True, False])
@pytest.mark.parametrize("seed", range(3))
def test_a_single_json_object_ties_name_and_status(nested: bool, seed: int) -> None:
    result = check_bytes(applicant_object(seed, nested), "applicant.json")
    assert result.verdict is Verdict.BLOCK and result.persons == 1
    assert any(f.kind is Kind.PERSON_IN_TEXT and f.location == "$" for f in result.findings)


@pytest.mark.parametrize("attributes", [False, True])
@pytest.mark.parametrize("seed", range(2))
def test_repeated_xml_elements_are_a_table(attributes: bool, seed: int) -> None:
    blob = cases_xml(6, seed, attributes)
    assert sniff(blob) == "xml"
    units = _units(blob)
    table = next(u for u in units if isinstance(u, Table))
    assert table.location == "/Export.Cases.Case (6 records)"
    assert table.header is not None and ("Name" in table.header or "@name" in table.header)
    assert any(isinstance(u, Text) and u.visibility is Visibility.MARKUP_COMMENT for u in units)
    result = check_bytes(blob, "export.xml")
    assert result.verdict is Verdict.BLOCK and result.persons == 6


@pytest.mark.parametrize("seed", range(3))
def test_sdmx_statistics_and_a_facilities_map_pass(seed: int) -> None:
    for blob, name in ((sdmx_xml(seed), "asylum.xml"), (facilities_kml(seed), "facilities.kml")):
        result = check_bytes(blob, name)
        assert result.verdict is Verdict.PASS, [(f.kind, f.message) for f in result.findings]
        assert result.persons == 0


def test_an_xml_spreadsheet_is_read_as_a_workbook() -> None:
    blob = b"""<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
<Worksheet ss:Name="Summary"><Table><Column ss:Index="3" ss:Hidden="1"/>
<Row><Cell><Data ss:Type="String">Country</Data></Cell><Cell><Data ss:Type="String">Book-ins</Data></Cell></Row>
<Row><Cell><Data ss:Type="String">Mexico</Data></Cell><Cell><Data ss:Type="Number">1200</Data></Cell>
<Cell><Data ss:Type="String">Garcia, Jose A123456789</Data></Cell></Row>
<Row ss:Index="5" ss:Hidden="1"><Cell ss:Index="2"><Data ss:Type="String">x</Data></Cell></Row></Table></Worksheet>
</Workbook>"""
    table = next(u for u in _units(blob) if isinstance(u, Table))
    assert table.location == "sheet 'Summary' (XML spreadsheet)"
    assert table.hidden_columns == frozenset({2}) and table.hidden_rows == frozenset({4})
    assert table.frame.row(4) == (None, "x", None)
    assert check_bytes(blob, "book.xml").verdict is Verdict.BLOCK


def test_hostile_xml_is_refused() -> None:
    bomb = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><r>&b;</r>'
    assert check_bytes(bomb, "x.xml").verdict is Verdict.UNVERIFIABLE
    assert check_bytes(b"<?xml version='1.0'?><r><a>unclosed</r>", "x.xml").verdict is Verdict.UNVERIFIABLE


@pytest.mark.parametrize(("key", "words"), [("date_of_birth", "date of birth"), ("applicant.@name", "applicant name"),
                                            ("caseStatus", "case status"), ("X-CITIZENSHIP", "x citizenship")])
def test_keys_are_written_as_words(key: str, words: str) -> None:
    assert readable_key(key) == words


def test_a_record_is_one_sentence_and_a_split_name_is_joined() -> None:
    text = record_text([("given", "Jose"), ("family", "Garcia"), ("note", "Citizenship: Honduras.\nAsylum: yes")])
    assert text == "name: Jose Garcia; given: Jose; family: Garcia; note: Citizenship: Honduras, Asylum: yes"
    many = record_text([(f"k{i}", "v") for i in range(200)])
    assert "\n" in many  # too many fields to be one record: one per line
