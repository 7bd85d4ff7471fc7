"""Lists of people: prose naming many private people (named-list, a note by default; policy can make it a review)
and tables that are only a column of names (name-list, a review)."""

from __future__ import annotations

from pathlib import Path

from faker import Faker

from veil.findings import Kind, Verdict
from veil.pipeline import check_bytes
from veil.policy import load_policy


def _minutes(people: int) -> bytes:
    fake = Faker("en_US")
    fake.seed_instance(7)
    lines = [f"{fake.first_name()} {fake.last_name()} attended the meeting and spoke about the budget."
             for _ in range(people)]
    return ("\n\n".join(lines) + "\n").encode()


def test_many_names_are_a_note_by_default() -> None:
    result = check_bytes(_minutes(15), "minutes.txt", load_policy())
    assert any(f.kind is Kind.NAMED_LIST for f in result.findings)
    assert result.verdict is Verdict.PASS


def test_policy_can_make_a_list_of_names_a_review(tmp_path: Path) -> None:
    policy_file = tmp_path / "strict.yaml"
    policy_file.write_text("verdicts:\n  named-list: review\nnamed_list:\n  min_people: 10\n")
    result = check_bytes(_minutes(15), "minutes.txt", load_policy(str(policy_file)))
    assert result.verdict is Verdict.REVIEW


def test_few_names_are_not_a_list() -> None:
    result = check_bytes(_minutes(3), "minutes.txt", load_policy())
    assert not any(f.kind is Kind.NAMED_LIST for f in result.findings)


def _names_workbook(people: int, hidden: bool) -> bytes:
    import io

    from openpyxl import Workbook

    fake = Faker("es_MX")
    fake.seed_instance(3)
    wb = Workbook()
    stats = wb.active
    stats.title = "Stats"
    stats.append(["Region", "Count"])
    stats.append(["North", 120])
    sheet = wb.create_sheet("Names")
    sheet.sheet_state = "hidden" if hidden else "visible"
    sheet.append(["Name"])
    for _ in range(people):
        sheet.append([f"{fake.last_name().upper()}, {fake.first_name().upper()}"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_a_hidden_sheet_of_bare_names_is_a_review() -> None:
    result = check_bytes(_names_workbook(300, hidden=True), "stats.xlsx", load_policy())
    lists = [f for f in result.findings if f.kind is Kind.NAME_LIST]
    assert result.verdict is Verdict.REVIEW and len(lists) == 1
    assert not lists[0].visible and lists[0].visibility == "hidden-sheet"
    assert "a list of 300 people" in lists[0].message  # the header row is not counted as a name
    assert all("*" in s for s in lists[0].samples)


def test_two_names_are_not_a_list() -> None:
    result = check_bytes(_names_workbook(2, hidden=False), "stats.xlsx", load_policy())
    assert not any(f.kind is Kind.NAME_LIST for f in result.findings)


def _analyse(*units: object) -> list:  # type: ignore[type-arg]
    from veil.detectors import analyse

    return analyse(list(units), load_policy().thresholds)  # type: ignore[arg-type]


def test_a_private_name_in_white_text_is_a_review() -> None:
    from veil.readers.units import Text, Visibility

    findings = _analyse(Text("page 2", Visibility.INVISIBLE_TEXT, "Maria Fernanda Gonzalez Ruiz attended the hearing."))
    hidden = [f for f in findings if f.kind is Kind.HIDDEN_NAMES]
    assert len(hidden) == 1 and not hidden[0].visible and "invisible-text" in hidden[0].message
    assert load_policy().verdict(findings) is Verdict.REVIEW


def test_a_name_also_in_plain_view_is_not_hidden() -> None:
    from veil.readers.units import Text, Visibility

    line = "Maria Fernanda Gonzalez Ruiz attended the hearing."
    findings = _analyse(Text("page 1", Visibility.VISIBLE, line), Text("page 1 (white)", Visibility.WHITE_TEXT, line))
    assert not any(f.kind is Kind.HIDDEN_NAMES for f in findings)


def test_one_author_name_in_metadata_is_only_a_note() -> None:
    from veil.readers.units import Text, Visibility

    findings = _analyse(Text("docProps/core.xml creator", Visibility.METADATA, "Maria Fernanda Gonzalez Ruiz"))
    assert not any(f.kind is Kind.HIDDEN_NAMES for f in findings)
    assert load_policy().verdict(findings) is Verdict.PASS
