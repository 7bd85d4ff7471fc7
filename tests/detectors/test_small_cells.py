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


def _table(header: list[str], rows: list[list[str]]) -> tuple[str, ...]:
    labels = [chr(ord("A") + i) for i in range(len(header))]
    findings = find_small_cells(table_from_rows([header, *rows], location="x", column_labels=labels), POLICY.thresholds)
    return findings[0].cells if findings else ()


_COUNTRIES = ["Afghanistan", "Angola", "Benin", "Chad", "Eritrea", "Fiji", "Gabon", "Haiti", "Iran", "Jamaica"]


def test_zero_padded_codes_are_codes_whatever_the_header() -> None:
    rows = [[c, f"{i * 4:03d}", f"{i:02d}"] for i, c in enumerate(_COUNTRIES, start=1)]
    assert _table(["Country", "M49", "Zone"], rows) == ()
    assert _table(["Country", "Key", "Group"], rows) == ()


def test_numbers_under_a_code_or_identifier_header_are_codes() -> None:
    for header in ("ISO numeric", "FIPS", "Dialling code", "Country ID", "Region", "Area code", "UN code", "Ref",
                   "Código", "Sub-region"):
        rows = [[c, str(i % 7 + 1)] for i, c in enumerate(_COUNTRIES)]
        assert _table(["Country", header], rows) == (), header


def test_a_numbering_one_after_another_is_not_counts() -> None:
    rows = [[c, str(i), str(1000 + i * 37)] for i, c in enumerate(_COUNTRIES, start=1)]
    assert _table(["Country", "Rank by removals", "Removals"], rows) == ()
    assert _table(["Country", "No", "Removals"], rows) == ()
    assert _table(["Country", "Order", "Removals"], rows) == ()


def test_real_small_counts_beside_codes_are_still_found() -> None:
    rows = [[c, f"{i * 4:03d}", str(3 if i == 2 else 40 + i)] for i, c in enumerate(_COUNTRIES, start=1)]
    assert _table(["Country", "ISO numeric", "Detained"], rows) == ("C3=3",)
    # Counts that happen to be zero-padded once in a long column are still counts.
    rows = [[c, "07" if i == 1 else str(i * 3)] for i, c in enumerate(_COUNTRIES * 2, start=1)]
    assert _table(["Country", "Detained"], rows) == ("B2=7", "B3=6", "B4=9")


def test_counts_under_category_headers_with_a_label_stay_counts() -> None:
    # 'Level A' heads counts of detainees by threat level: only a bare 'Level' header names codes.
    rows = [["Stewart Detention Center", "4", "120"], ["Otay Mesa Detention Center", "55", "2"]]
    assert _table(["Facility", "Level A", "Level B"], rows) == ("B2=4", "C3=2")
