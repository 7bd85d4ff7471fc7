"""Feather/Arrow IPC (pyarrow) and Apple Numbers (numbers-parser): rosters block, statistics pass, damage is
unverifiable."""

from __future__ import annotations

import pytest

from support.dataset_factory import aggregate, aggregate_rows, arrow_file, numbers_doc, people, roster_rows
from veil.findings import Kind, Verdict
from veil.pipeline import check_bytes
from veil.readers.registry import ReadContext, read_blob
from veil.readers.sniff import sniff
from veil.readers.units import Table, Text, Visibility

ARROW_KINDS = ("file", "zstd", "stream")


@pytest.mark.parametrize("kind", ARROW_KINDS)
@pytest.mark.parametrize("seed", range(2))
def test_an_arrow_roster_blocks_and_statistics_pass(kind: str, seed: int) -> None:
    roster = people(n=7 + seed, seed=seed)
    frame = roster.frame().rename({"fullname": "full_name", "dob": "date_of_birth", "anum": "a_number"})
    blob = arrow_file(frame, kind)
    assert sniff(blob, "x.bin") == "arrow"
    result = check_bytes(blob, "roster.feather")
    assert result.verdict is Verdict.BLOCK and result.persons == len(roster.names)
    stats = check_bytes(arrow_file(aggregate(seed), kind), "stats.arrow")
    assert stats.verdict is Verdict.PASS and stats.persons == 0


def test_arrow_fields_are_the_header() -> None:
    units = list(read_blob(arrow_file(aggregate(0)), ReadContext(name="x.feather")))
    table = next(u for u in units if isinstance(u, Table))
    assert table.header == ["country", "fy", "bookins"] and table.n_rows == 24


@pytest.mark.parametrize("kind", ARROW_KINDS)
def test_a_truncated_arrow_file_never_passes(kind: str) -> None:
    blob = arrow_file(aggregate(0), kind)
    for cut in (0.3, 0.7, 0.95):
        assert check_bytes(blob[: int(len(blob) * cut)], "x.arrow").verdict is Verdict.UNVERIFIABLE


@pytest.mark.parametrize("seed", range(2))
def test_a_numbers_roster_on_a_second_sheet_blocks(seed: int) -> None:
    roster = people(n=6 + seed, seed=seed)
    blob = numbers_doc({"Summary": aggregate_rows(aggregate(seed)), "Roster": roster_rows(roster)})
    assert sniff(blob, "x") == "numbers"
    result = check_bytes(blob, "report.numbers")
    assert result.verdict is Verdict.BLOCK and result.persons == len(roster.names)
    record = next(f for f in result.findings if f.kind is Kind.RECORD_LEVEL)
    assert record.location.startswith("sheet 'Roster' table 'Roster'")


@pytest.mark.parametrize("seed", range(2))
def test_numbers_statistics_pass(seed: int) -> None:
    result = check_bytes(numbers_doc({"Book-ins": aggregate_rows(aggregate(seed))}), "stats.numbers")
    assert result.verdict is Verdict.PASS, [(f.kind, f.message) for f in result.findings]


def test_numbers_comments_are_read() -> None:
    blob = numbers_doc({"Summary": aggregate_rows(aggregate(0))}, comment=(1, 0, "Maria Lopez A123456789 asylum"))
    units = list(read_blob(blob, ReadContext(name="x.numbers")))
    comment = next(u for u in units if isinstance(u, Text) and u.visibility is Visibility.COMMENT)
    assert "Maria Lopez" in comment.text
    assert check_bytes(blob, "x.numbers").verdict is Verdict.BLOCK


def test_a_damaged_numbers_document_is_unverifiable() -> None:
    blob = numbers_doc({"Book-ins": aggregate_rows(aggregate(0))})
    assert check_bytes(blob[: len(blob) // 2], "x.numbers").verdict is Verdict.UNVERIFIABLE


def test_pages_and_keynote_documents_are_unverifiable() -> None:
    import io
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as package:
        package.writestr("Index/Document.iwa", b"\x00" * 10)
        package.writestr("Index/Slide.iwa", b"\x00" * 10)
    assert check_bytes(out.getvalue(), "talk.key").verdict is Verdict.UNVERIFIABLE
