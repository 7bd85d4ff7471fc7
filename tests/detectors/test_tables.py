import random
from dataclasses import replace

from faker import Faker

from veil.detectors.tables import analyse_table
from veil.findings import Kind
from veil.policy import load_policy
from veil.readers.units import Visibility, table_from_rows

POLICY = load_policy()


def roster(n: int = 50, seed: int = 3, header: bool = True) -> list[list[object]]:
    fake = Faker("es_MX")
    fake.seed_instance(seed)
    rnd = random.Random(seed)
    rows: list[list[object]] = [["Name", "DOB", "A-Number", "Nationality", "Facility"]] if header else []
    for _ in range(n):
        rows.append([f"{fake.last_name().upper()}, {fake.first_name().upper()}",
                     fake.date_of_birth(minimum_age=18, maximum_age=70).isoformat(),
                     f"A{rnd.randint(10**8, 10**9 - 1)}", rnd.choice(["Mexico", "Guatemala", "Honduras"]),
                     "Adelanto ICE Processing Center"])
    return rows


def kinds(findings) -> list[str]:
    return [f.kind.value for f in findings]


def test_roster_is_record_level_with_persons_and_masked_samples() -> None:
    rows = roster(50)
    findings = analyse_table(table_from_rows(rows, location="sheet 'Roster'"), POLICY.thresholds)
    assert kinds(findings) == ["record-level"]
    f = findings[0]
    assert len(f.person_keys) == 50
    assert f.visible
    raw_names = {r[0] for r in rows[1:]}
    assert f.samples and not (set(f.samples) & raw_names)
    assert all("*" in s for s in f.samples)
    assert all(name not in f.message for name in raw_names)
    assert any("A-number" in e for e in f.evidence)


def test_single_person_row_is_record_level() -> None:
    findings = analyse_table(table_from_rows(roster(1), location="x"), POLICY.thresholds)
    assert kinds(findings) == ["record-level"]
    assert len(findings[0].person_keys) == 1


def test_title_rows_above_the_header_are_skipped() -> None:
    rows = [["Detainee roster, November 2022"], [], ["Prepared by the field office"], *roster(30)]
    findings = analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds)
    assert kinds(findings) == ["record-level"]
    assert len(findings[0].person_keys) == 30


def test_duplicate_people_are_counted_once_by_a_number() -> None:
    rows = roster(20)
    rows += [list(r) for r in rows[1:11]]
    findings = analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds)
    assert len(findings[0].person_keys) == 20


def test_hidden_sheet_finding_is_not_visible() -> None:
    table = table_from_rows(roster(10), location="sheet 'x'", visibility=Visibility.VERY_HIDDEN_SHEET)
    f = analyse_table(table, POLICY.thresholds)[0]
    assert not f.visible and f.visibility == "very-hidden-sheet"


def test_hidden_rows_are_reported_apart_from_visible_rows() -> None:
    table = table_from_rows(roster(10), location="x", hidden_rows=frozenset(range(6, 11)))
    findings = analyse_table(table, POLICY.thresholds)
    assert [(f.visible, f.visibility) for f in findings] == [(True, "visible"), (False, "hidden-row")]
    assert [len(f.person_keys) for f in findings] == [5, 5]


def test_hidden_identifying_columns_make_the_finding_hidden() -> None:
    table = table_from_rows(roster(10), location="x", hidden_columns=frozenset({0, 1, 2}))
    f = analyse_table(table, POLICY.thresholds)[0]
    assert not f.visible and f.visibility == "hidden-column"


def test_microdata_without_identifiers_asks_for_review() -> None:
    rnd = random.Random(5)
    rows = [["Apprehension Date", "Age", "Gender", "Citizenship", "Complexion"]]
    for _ in range(200):
        rows.append([f"2019-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}", str(rnd.randint(16, 70)),
                     rnd.choice(["Male", "Female"]), rnd.choice(["Mexico", "Canada", "India"]),
                     rnd.choice(["Fair", "Medium", "Dark"])])
    findings = analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds)
    assert kinds(findings) == ["microdata"]
    assert "unique" in findings[0].message



def test_microdata_min_rows_is_the_policy_s() -> None:
    rows = [["Age", "Gender", "Citizenship"], ["34", "Male", "Mexico"], ["51", "Female", "India"],
            ["27", "Male", "Canada"], ["40", "Female", "Mexico"]]
    assert kinds(analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds)) == ["microdata"]
    fewer = replace(POLICY.thresholds, microdata_min_rows=10)
    assert kinds(analyse_table(table_from_rows(rows, location="x"), fewer)) == []


def test_aggregate_table_without_small_cells_has_no_finding() -> None:
    rows = [["Country of Citizenship", "FY2017", "FY2018"], ["Mexico", "128765", "141045"],
            ["Guatemala", "33570", "50390"], ["Honduras", "22381", "28894"], ["Total", "184716", "220329"]]
    assert analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds) == []


def test_small_cells_are_listed_by_cell() -> None:
    rows = [["Facility", "Placement Count"], ["ADELANTO ICE PROCESSING CENTER", "76"],
            ["OTERO COUNTY PROCESSING CENTER", "3"], ["STEWART DETENTION CENTER", "12"], ["Total", "4"]]
    table = table_from_rows(rows, location="sheet 'Seg'", column_labels=["A", "B"])
    findings = analyse_table(table, POLICY.thresholds)
    assert kinds(findings) == ["small-cells"]
    assert findings[0].cells == ("B3=3",)


def test_averages_rates_and_percentages_are_not_small_cells() -> None:
    rows = [["Facility", "ALOS", "Percent", "ADP"], ["STEWART DETENTION CENTER", "3", "5", "2.5"],
            ["OTERO COUNTY PROCESSING CENTER", "4", "7", "3.25"]]
    assert analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds) == []


def test_zero_counts_flagged_only_when_policy_says_so(tmp_path) -> None:
    rows = [["Country", "Removals"], ["Mexico", "0"], ["Fiji", "120"]]
    assert analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds) == []
    strict = tmp_path / "p.yaml"
    strict.write_text("small_cells:\n  zero_is_disclosive: true\n")
    assert kinds(analyse_table(table_from_rows(rows, location="x"), load_policy(strict).thresholds)) == ["small-cells"]


def test_stray_a_number_in_a_statistics_sheet() -> None:
    rows = [["Country", "Removals"], ["Mexico", "120"], ["Note: case A123-456-789 excluded", None]]
    findings = analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds)
    assert Kind.IDENTIFIER_IN_TEXT in [f.kind for f in findings]


def test_monthly_national_counts_are_not_small_cells() -> None:
    # A month alone does not narrow a national count down to a person (ICE FY21 'Paroled by month').
    rows = [["Release Reason", "Criminality", "Oct", "Nov", "Dec"], ["Paroled", "Convicted Criminal", "10", "8", "6"],
            ["", "Pending Criminal Charges", "13", "8", "19"]]
    assert analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds) == []


def test_text_value_inside_a_number_column_keeps_its_header() -> None:
    # 'AS NEEDED' in a Capacity column is a value, not the header of a new table of counts.
    rows = [["Name", "Capacity"], ["ADELANTO DETENTION FACILITY", "1940"], ["ALHAMBRA CITY JAIL", "AS NEEDED"],
            ["ALLEGANY COUNTY JAIL", "5"]]
    assert analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds) == []


def test_tidy_aggregate_with_an_unnamed_count_column_is_not_microdata() -> None:
    rnd = random.Random(2)
    rows = [["Year", "Nationality", "Sex", "Age Group", "Decisions"]]
    for _ in range(300):
        rows.append(["2022", rnd.choice(["Albania", "Iran", "Iraq"]), rnd.choice(["Male", "Female"]),
                     rnd.choice(["18 to 24", "25 to 39"]), str(rnd.randint(10, 500))])
    assert [f.kind.value for f in analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds)] == []


NOTE = "Detainee {} transferred after a credible fear interview; asylum claim pending"


def test_notes_of_a_long_table_are_read_each_distinct_text_once() -> None:
    # Before, a table over 50,000 rows skipped its notes altogether and passed.
    notes = [NOTE.format(n) for n in ("GARCIA LOPEZ, Jose", "HERNANDEZ, Maria", "PETROV, Ivan")]
    rows = [["Case", "Office", "Notes"]] + [[str(i), "Houston Field Office", notes[i % 3]] for i in range(60_000)]
    findings = analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds)
    assert {f.kind for f in findings} == {Kind.PERSON_IN_TEXT}
    assert len(findings) == 3  # one per distinct note, at its first cell


def test_notes_beyond_the_budget_make_the_table_unverifiable(monkeypatch) -> None:
    import veil.detectors.tables as tables

    monkeypatch.setattr(tables, "_PROSE_CELLS", 20)
    fake = Faker("es_MX")
    fake.seed_instance(5)
    rows = [["Case", "Notes"]] + [[str(i), NOTE.format(f"{fake.last_name().upper()}, {fake.first_name()}")]
                                  for i in range(30)]
    findings = analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds)
    assert [f.kind for f in findings].count(Kind.UNREADABLE) == 1
    assert POLICY.effect(Kind.UNREADABLE) == "unverifiable"  # never a pass, whatever else the notes hold
    assert sum(f.kind is Kind.PERSON_IN_TEXT for f in findings) <= 20


def test_a_stray_a_number_after_many_look_alikes_is_still_found() -> None:
    # 300 invalid SSN look-alikes (area 000) used to use up the 200 cells looked at per column.
    rows = [["Country", "Removals", "Reference"]] + [["Mexico", "120", f"000-12-{i:04d}"] for i in range(300)]
    rows.append(["Haiti", "130", "see A123-456-789"])
    findings = analyse_table(table_from_rows(rows, location="x", column_labels=["A", "B", "C"]), POLICY.thresholds)
    stray = [f for f in findings if f.kind is Kind.IDENTIFIER_IN_TEXT]
    assert len(stray) == 1 and stray[0].cells == ("C302",)


def _stats(n: int) -> list[list[object]]:
    rnd = random.Random(n)
    return [["Facility", "Month", "Book-ins"]] + [[f"Facility {i % 40} Processing Center", "January",
                                                   str(rnd.randint(50, 900))] for i in range(n)]


def test_a_roster_pasted_under_the_statistics_is_record_level() -> None:
    # Before, the sheet's first header decided for the whole grid, and the roster under it passed.
    rows = _stats(100) + [[None, None, None], ["Detainee roster", None, None]]
    rows += [[name, dob, nationality] for name, dob, _, nationality, _ in roster(40)]
    table = table_from_rows(rows, location="sheet 'Stats'", column_labels=["A", "B", "C"])
    findings = analyse_table(table, POLICY.thresholds)
    assert kinds(findings) == ["record-level"]
    assert findings[0].location == "sheet 'Stats' A104:C144" and len(findings[0].person_keys) == 40


def test_a_stacked_roster_in_a_csv_names_its_own_rows() -> None:
    rows = _stats(5000) + [[None, None, None]] + [["Name", "DOB", "Nationality"]]
    rows += [[name, dob, nationality] for name, dob, _, nationality, _ in roster(30, header=False)]
    findings = analyse_table(table_from_rows(rows, location="rows 1-5033 (comma-separated, utf-8)"), POLICY.thresholds)
    assert kinds(findings) == ["record-level"]
    assert findings[0].location == "rows 5003-5033 (comma-separated, utf-8)"


def test_a_blank_row_inside_a_roster_leaves_one_finding() -> None:
    rows = roster(30)
    rows.insert(16, [None] * 5)
    findings = analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds)
    assert kinds(findings) == ["record-level"] and len(findings[0].person_keys) == 30


def test_stacked_statistics_tables_stay_aggregate() -> None:
    rows = _stats(50) + [[None, None, None], ["Country of Citizenship", "FY2023", "FY2024"]]
    rows += [[country, "1204", "1310"] for country in ("Mexico", "Guatemala", "Honduras", "Haiti")]
    assert analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds) == []


def test_three_claimants_without_a_header_are_record_level() -> None:
    # An e-mailed list of three people and their protection claims used to pass: a few headerless cells were
    # too little evidence for a name column, and the first person was taken for the header.
    rows = [["GARCIA LOPEZ, JOSE", "Mexico", "Credible Fear"], ["MOREAU, JEAN", "Haiti", "Asylum"],
            ["PETROV, IVAN", "Russia", "Withholding"]]
    findings = analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds)
    assert kinds(findings) == ["record-level"] and len(findings[0].person_keys) == 3
    assert "GARCIA" not in findings[0].message and "Jose" not in findings[0].message


def test_names_split_by_unquoted_commas_beside_claims_are_record_level() -> None:
    rows = [["GARCIA LOPEZ", " JOSE", "Mexico", "Credible Fear"], ["MOREAU", " JEAN", "Haiti", "Asylum"],
            ["PETROV", " IVAN", "Russia", "Withholding"]]
    assert kinds(analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds)) == ["record-level"]


def test_a_headerless_roster_counts_its_first_person() -> None:
    rows = [[name.title(), nationality, "Asylum"] for name, _, _, nationality, _ in roster(6, header=False)]
    findings = analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds)
    assert kinds(findings) == ["record-level"] and len(findings[0].person_keys) == 6


def test_claims_beside_places_and_offices_stay_aggregate() -> None:
    rows = [["Houston", "Credible Fear", "1204"], ["San Antonio", "Asylum", "1310"], ["Miami", "Withholding", "977"]]
    assert kinds(analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds)) == []


def test_a_roster_under_a_long_preamble_of_notes_is_record_level() -> None:
    # Seventy one-cell notes, then the roster's header with no blank row between: the header lay beyond the rows
    # searched for one, and the roster passed.
    rows: list[list[object]] = [[f"Note {i}: this release covers book-ins by facility.", None, None, None]
                                for i in range(70)]
    rows += [["Detainee", "Birth", "Citizenship", "Facility"]]
    rows += [[name.title(), dob, nationality, facility]
             for name, dob, _, nationality, facility in roster(30, header=False)]
    findings = analyse_table(table_from_rows(rows, location="x", column_labels=["A", "B", "C", "D"]), POLICY.thresholds)
    assert kinds(findings) == ["record-level"] and findings[0].location == "x A71:D101"


def test_two_names_on_a_hidden_sheet_need_a_look() -> None:
    rows = [["Name"], ["GARCIA LOPEZ, JOSE"], ["MOREAU, JEAN"]]
    table = table_from_rows(rows, location="sheet 'x'", visibility=Visibility.HIDDEN_SHEET)
    hidden = analyse_table(table, POLICY.thresholds)
    assert kinds(hidden) == ["name-list"] and not hidden[0].visible
    assert analyse_table(table_from_rows(rows, location="sheet 'x'"), POLICY.thresholds) == []  # in plain view: below 3
