"""Small cells found column by column in polars: the same blocks and cells as reading the table row by row."""

from __future__ import annotations

from veil.detectors.small_cells import PY_WHITESPACE, find_small_cells
from veil.policy import load_policy
from veil.readers.units import table_from_rows

POLICY = load_policy()


def cells(rows: list[list[str | None]]) -> tuple[str, ...]:
    findings = find_small_cells(table_from_rows(rows, location="x", column_labels=["A", "B", "C"][: len(rows[0])]),
                                POLICY)
    return findings[0].cells if findings else ()


def test_cells_are_stripped_as_python_strips_them() -> None:
    assert set(PY_WHITESPACE) == {chr(i) for i in range(0x110000) if chr(i).isspace()}
    assert cells([["Country", "Removals"], ["Mexico", "\x1f3\u3000"], ["Fiji", "120"]]) == ("B2=3",)


def test_every_row_is_checked_however_long_the_table() -> None:
    rows: list[list[str | None]] = [["Country", "Removals"]]
    rows += [["Mexico", "120"]] * 300_010
    rows.append(["Haiti", "3"])
    assert cells(rows) == (f"B{len(rows)}=3",)


def test_a_new_header_after_a_gap_starts_a_table_of_its_own() -> None:
    rows: list[list[str | None]] = [
        ["Country", "Removals"], ["Mexico", "3"], ["Haiti", "120"], [None, None],
        ["Country", "Average days in detention"], ["Mexico", "4"],  # a measure, not a count
        [None, None], ["Country", "Book-ins"], ["Honduras", "7"]]
    assert cells(rows) == ("B2=3", "B9=7")


def test_digits_of_other_scripts_are_counts_too() -> None:
    assert cells([["Country", "Removals"], ["Mexico", "٣"], ["Fiji", "120"]]) == ("B2=3",)


def test_a_count_in_the_first_column_has_no_label_and_is_not_listed() -> None:
    assert cells([["Removals", "Country"], ["3", "Mexico"], ["120", "Fiji"]]) == ()
