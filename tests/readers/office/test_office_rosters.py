"""A roster, not one name, in each part of a Word, PowerPoint or OpenDocument file (headers, footers, comments,
deleted table rows, footnotes, chart series, speaker notes, modern comments, annotations, tracked deletions):
every person is read with the right visibility, and the file blocks with each person counted."""

from __future__ import annotations

import pytest

from support.doc_factory import OFFICE_ROSTER_PLACES, office_roster, read_units
from veil.findings import Verdict
from veil.pipeline import check_bytes
from veil.readers.units import Table, Text, Unreadable, Visibility

V = Visibility
WHERE = {
    "docx-header-table": (Table, V.HEADER_FOOTER), "docx-footer-lines": (Text, V.HEADER_FOOTER),
    "docx-comment": (Text, V.COMMENT), "docx-deleted-rows": (Table, V.VISIBLE),
    "docx-footnote": (Text, V.VISIBLE), "docx-chart-series": (Table, V.VISIBLE),
    "pptx-notes": (Text, V.SPEAKER_NOTES), "pptx-modern-comment": (Text, V.COMMENT),
    "pptx-chart-series": (Table, V.VISIBLE), "odt-annotation": (Text, V.COMMENT),
    "odt-deleted": (Text, V.TRACKED_CHANGE), "odp-notes": (Text, V.SPEAKER_NOTES),
}


def _holds(unit: object, value: str) -> bool:
    if isinstance(unit, Text):
        return value in unit.text
    if isinstance(unit, Table):
        return any(value in (c or "") for row in unit.frame.rows() for c in row)
    return False


def test_every_place_is_covered() -> None:
    assert set(WHERE) == set(OFFICE_ROSTER_PLACES)


@pytest.mark.parametrize("place", OFFICE_ROSTER_PLACES)
@pytest.mark.parametrize("seed", [30, 31])
def test_a_roster_in_each_part_is_read_and_blocks(place: str, seed: int) -> None:
    blob, people = office_roster(place, count=12, seed=seed)
    name = f"file.{place.split('-')[0]}"
    units = read_units(blob, name)
    assert not [u for u in units if isinstance(u, Unreadable)]
    kind, visibility = WHERE[place]
    found = [u for u in units if isinstance(u, kind) and u.visibility is visibility]
    for person in people:
        assert any(_holds(u, person[1]) for u in found), (place, person[0])
    result = check_bytes(blob, name)
    assert result.verdict is Verdict.BLOCK
    assert result.persons == len(people)


def test_deleted_table_rows_are_hidden_rows() -> None:
    blob, people = office_roster("docx-deleted-rows")
    table = next(u for u in read_units(blob, "x.docx") if isinstance(u, Table))
    assert table.hidden_rows == frozenset(range(1, len(people) + 1))
