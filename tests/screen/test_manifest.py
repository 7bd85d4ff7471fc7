"""Manifests: sensitive fields and values, held/protected people (the linkage of check-manifest), the suggested
copy, bad input."""

from __future__ import annotations

import csv
import io

import pytest
from faker import Faker
from openpyxl import Workbook

from veil.screen import MemoryRegistry, ProtectedPerson, Recipient, RecipientKind, ScreenKind
from veil.screen.manifest import fold_header, screen_manifest, sensitive_term
from veil.screen.registry import parse_any_date

GOV = Recipient("Gobierno de Honduras", RecipientKind.FOREIGN_GOVERNMENT)


def _people(n: int = 25, seed: int = 11) -> list[dict[str, str]]:
    fake = Faker("es_MX")
    fake.seed_instance(seed)
    return [{"Last Name": fake.last_name().upper(), "First Name": fake.first_name(),
             "A-Number": f"A{fake.random_number(9, fix_len=True)}",
             "DOB": fake.date_of_birth(minimum_age=18, maximum_age=70).isoformat(),
             "Nationality": "Honduras", "Travel Document": f"P{fake.random_number(7, fix_len=True)}",
             "Flight": "HN-4521", "Case Type": fake.random_element(["removal", "expedited removal", "asylum"]),
             "CFI": fake.random_element(["", "positive", "negative"]), "Notes": ""} for _ in range(n)]


def _csv(rows: list[dict[str, str]], columns: list[str] | None = None) -> bytes:
    columns = columns or list(rows[0])
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue().encode()


def _xlsx(rows: list[dict[str, str]], columns: list[str] | None = None, hidden_sheet: bool = False) -> bytes:
    columns = columns or list(rows[0])
    book = Workbook()
    sheet = book.active
    sheet.title = "Manifest"
    sheet.append(columns)
    for row in rows:
        sheet.append([row[c] for c in columns])
    if hidden_sheet:
        extra = book.create_sheet("Protected")
        extra.append(["Name", "Case Type"])
        extra.sheet_state = "hidden"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


SAFE_COLUMNS = ["Last Name", "First Name", "DOB", "Nationality", "Travel Document", "Flight"]


@pytest.mark.parametrize(("header", "term"), [
    ("Case Type", "case_type"), ("Fear Claim?", "fear_claim"), ("CFI Result", "cfi"), ("I-589 filed", "i_589"),
    ("Affected (Nov 2022 incident)", "incident"), ("Protective Hold", "hold"), ("Tipo de caso", "tipo_de_caso"),
    ("Solicitud de asilo", "asilo"), ("T visa", "t_visa"), ("CAT", "cat"),
])
def test_sensitive_headers(header: str, term: str) -> None:
    assert sensitive_term(header) is not None, header
    assert term in fold_header(header) or sensitive_term(header)


@pytest.mark.parametrize("header", ["Category", "Last Name", "A-Number", "Flight", "Location", "Seat", "Catalog"])
def test_ordinary_headers_are_not_sensitive(header: str) -> None:
    assert sensitive_term(header) is None


def test_manifest_with_status_columns_is_refused() -> None:
    result = screen_manifest(_csv(_people()), "manifest.csv", GOV)
    assert result.verdict == "block"
    fields = {f.location for f in result.findings if f.kind is ScreenKind.MANIFEST_FIELD}
    assert any("Case Type" in f for f in fields) and any("CFI" in f for f in fields)


def test_status_in_a_free_text_column_is_refused_and_left_out_of_the_copy() -> None:
    rows = _people()
    rows[3]["Notes"] = "asylum application pending"
    result = screen_manifest(_csv(rows, [*SAFE_COLUMNS, "Notes"]), "m.csv", GOV)
    [finding] = [f for f in result.findings if f.blocks]
    assert finding.kind is ScreenKind.MANIFEST_VALUE and "data row 4" in finding.message
    assert "pending" not in finding.message
    assert result.suggestion is not None and b"asylum" not in result.suggestion.data


def _grid(data: bytes, suffix: str) -> tuple[list[str], list[list[str]]]:
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        rows = [["" if v is None else str(v) for v in r]
                for r in load_workbook(io.BytesIO(data), read_only=True).active.iter_rows(values_only=True)]
    else:
        rows = list(csv.reader(io.StringIO(data.decode())))
    return rows[0], rows[1:]


def test_manifest_with_a_held_person_is_refused_and_the_copy_leaves_them_out() -> None:
    rows = _people()
    held = rows[7]
    registry = MemoryRegistry([ProtectedPerson(f"{held['First Name']} {held['Last Name'].title()}", "",
                                               parse_any_date(held["DOB"]), "Honduras", "held")])
    blob = _csv(rows, SAFE_COLUMNS)
    result = screen_manifest(blob, "m.csv", GOV, registry)
    [finding] = [f for f in result.findings if f.blocks]
    assert finding.kind is ScreenKind.MANIFEST_PERSON and finding.location == "data row 8"
    assert "protective hold" in finding.message and held["Last Name"] not in finding.message
    # a court may receive protected identities, but a hold is a refusal for everyone
    assert screen_manifest(blob, "m.csv", Recipient("court", RecipientKind.COURT), registry).verdict == "block"
    suggestion = result.suggestion
    assert suggestion is not None and suggestion.verdict == "pass"
    header, body = _grid(suggestion.data, ".csv")
    assert len(body) == len(rows) - 1 and held["Last Name"] not in suggestion.data.decode()
    assert "hold" not in suggestion.data.decode().lower()  # the copy gives no reason
    assert screen_manifest(suggestion.data, "copy.csv", GOV, registry).verdict == "pass"


def test_same_name_different_birth_date_is_another_person() -> None:
    rows = _people()
    registry = MemoryRegistry([ProtectedPerson(f"{rows[2]['First Name']} {rows[2]['Last Name']}", "",
                                               parse_any_date("1901-01-01"), "Honduras", "held")])
    assert screen_manifest(_csv(rows, SAFE_COLUMNS), "m.csv", GOV, registry).verdict == "pass"


def test_protected_person_matched_by_a_number_blocks_unless_the_recipient_may_know() -> None:
    rows = _people()
    registry = MemoryRegistry([ProtectedPerson("someone", rows[0]["A-Number"][1:], None, "Honduras", "affected")])
    blob = _csv(rows, [*SAFE_COLUMNS, "A-Number"])
    assert screen_manifest(blob, "m.csv", GOV, registry).verdict == "block"
    for kind in (RecipientKind.COURT, RecipientKind.AGENCY, RecipientKind.ATTORNEY, RecipientKind.SEALED):
        assert screen_manifest(blob, "m.csv", Recipient("", kind), registry).verdict == "pass", kind
    for kind in (RecipientKind.PUBLIC, RecipientKind.THIRD_PARTY, RecipientKind.FOREIGN_GOVERNMENT):
        assert screen_manifest(blob, "m.csv", Recipient("", kind), registry).verdict == "block", kind


def test_a_person_known_by_name_alone_is_matched_by_name() -> None:
    rows = _people()
    registry = MemoryRegistry([ProtectedPerson(f"{rows[4]['Last Name']}, {rows[4]['First Name']}", "", None, "",
                                               "affected")])
    result = screen_manifest(_csv(rows, SAFE_COLUMNS), "m.csv", GOV, registry)
    assert [f.location for f in result.findings if f.blocks] == ["data row 5"]


def test_people_cannot_be_checked_without_identity_columns() -> None:
    rows = _people()
    registry = MemoryRegistry([ProtectedPerson("Nadie Nunca", "999999999", None, "", "held")])
    result = screen_manifest(_csv(rows, ["Last Name", "Nationality", "Flight"]), "m.csv", GOV, registry)
    assert result.verdict == "block" and "A-number" in result.findings[-1].message  # nobody can be cleared
    unchecked = screen_manifest(_csv(rows, SAFE_COLUMNS), "m.csv", GOV)  # nobody to check against: a notice
    assert unchecked.verdict == "pass" and any("not checked" in f.message for f in unchecked.findings)


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_suggested_copy_passes(suffix: str) -> None:
    rows = _people()
    blob = _xlsx(rows) if suffix == ".xlsx" else _csv(rows)
    result = screen_manifest(blob, f"m{suffix}", GOV)
    assert result.verdict == "block" and result.suggestion is not None
    header, body = _grid(result.suggestion.data, suffix)
    assert header == SAFE_COLUMNS and len(body) == len(rows)
    assert screen_manifest(result.suggestion.data, f"out{suffix}", GOV).verdict == "pass"
    assert any("Case Type" in change for change in result.suggestion.changes)


def test_the_copy_depends_on_recipient_kind() -> None:
    blob = _csv(_people())
    public = screen_manifest(blob, "m.csv", Recipient("", RecipientKind.PUBLIC))
    assert public.verdict == "block" and public.suggestion is None
    assert any("no copy to suggest" in f.message for f in public.findings)
    carrier = screen_manifest(blob, "m.csv", Recipient("Airline", RecipientKind.THIRD_PARTY))
    assert carrier.suggestion is not None and "A-Number" not in _grid(carrier.suggestion.data, ".csv")[0]
    # a court may know the case type: the columns pass, nothing to suggest
    assert screen_manifest(blob, "m.csv", Recipient("", RecipientKind.COURT)).verdict == "pass"


def test_xlsx_with_hidden_sheet_is_refused() -> None:
    result = screen_manifest(_xlsx(_people(), SAFE_COLUMNS, hidden_sheet=True), "m.xlsx", GOV)
    assert result.verdict == "block" and "hidden sheet" in result.findings[0].message


@pytest.mark.parametrize("blob", [b"", b"\x00\x01\x02" * 50, b"PK\x03\x04broken", b"just one line without columns"])
def test_bad_manifests_are_refused_with_a_reason(blob: bytes) -> None:
    result = screen_manifest(blob, "m.csv", GOV)
    assert result.verdict == "block"
    [finding] = [f for f in result.findings if f.blocks]
    assert finding.kind is ScreenKind.UNREADABLE and finding.message  # the reason, as the linkage's reader gives it
