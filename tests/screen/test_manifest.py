"""Manifests: sensitive fields and values, held/protected people, redaction, bad input."""

from __future__ import annotations

import csv
import io

import pytest
from faker import Faker
from openpyxl import Workbook

from veil.screen import MemoryRegistry, ProtectedPerson, Recipient, RecipientKind, ScreenKind
from veil.screen.manifest import fold_header, read_grid, redact_manifest, screen_manifest, sensitive_term
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


def test_status_in_a_free_text_column_is_refused() -> None:
    rows = _people()
    rows[3]["Notes"] = "asylum application pending"
    result = screen_manifest(_csv(rows, [*SAFE_COLUMNS, "Notes"]), "m.csv", GOV)
    [finding] = [f for f in result.findings if f.blocks]
    assert finding.kind is ScreenKind.MANIFEST_VALUE and "data row 4" in finding.message
    assert "pending" not in finding.message


def test_manifest_with_a_held_person_is_refused_even_when_redacted() -> None:
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
    outcome, data = redact_manifest(blob, "m.csv", GOV, registry, "out.csv")
    assert data is None and outcome.verdict == "block"


def test_same_name_different_birth_date_is_another_person() -> None:
    rows = _people()
    registry = MemoryRegistry([ProtectedPerson(f"{rows[2]['First Name']} {rows[2]['Last Name']}", "",
                                               parse_any_date("1901-01-01"), "Honduras", "held")])
    assert screen_manifest(_csv(rows, SAFE_COLUMNS), "m.csv", GOV, registry).verdict == "pass"


def test_protected_person_matched_by_a_number_blocks_unless_entitled() -> None:
    rows = _people()
    registry = MemoryRegistry([ProtectedPerson("someone", rows[0]["A-Number"][1:], None, "Honduras", "affected")])
    blob = _csv(rows, [*SAFE_COLUMNS, "A-Number"])
    assert screen_manifest(blob, "m.csv", GOV, registry).verdict == "block"
    assert screen_manifest(blob, "m.csv", Recipient("", RecipientKind.COURT), registry).verdict == "pass"


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_redacted_manifest_passes(suffix: str) -> None:
    rows = _people()
    blob = _xlsx(rows) if suffix == ".xlsx" else _csv(rows)
    assert screen_manifest(blob, f"m{suffix}", GOV).verdict == "block"
    outcome, data = redact_manifest(blob, f"m{suffix}", GOV, None, f"out{suffix}")
    assert data is not None and outcome.verdict == "pass"
    grid = read_grid(data, f"out{suffix}")
    assert grid.header == SAFE_COLUMNS
    assert len(grid.rows) == len(rows)
    assert screen_manifest(data, f"out{suffix}", GOV).verdict == "pass"


def test_redaction_depends_on_recipient_kind() -> None:
    blob = _csv(_people())
    _, for_court = redact_manifest(blob, "m.csv", Recipient("", RecipientKind.COURT), None, "c.csv")
    assert for_court is not None and "A-Number" in read_grid(for_court, "c.csv").header
    outcome, for_public = redact_manifest(blob, "m.csv", Recipient("", RecipientKind.PUBLIC), None, "p.csv")
    assert for_public is None and outcome.verdict == "block"


def test_xlsx_with_hidden_sheet_is_refused() -> None:
    result = screen_manifest(_xlsx(_people(), SAFE_COLUMNS, hidden_sheet=True), "m.xlsx", GOV)
    assert result.verdict == "block" and "hidden sheet" in result.findings[0].message


@pytest.mark.parametrize(("blob", "reason"), [
    (b"", "empty"),
    (b"\x00\x01\x02" * 50, "neither CSV"),
    (b"PK\x03\x04broken", "cannot be read"),
    (b"just one line without columns", "header"),
])
def test_bad_manifests_are_refused_with_a_reason(blob: bytes, reason: str) -> None:
    result = screen_manifest(blob, "m.csv", GOV)
    assert result.verdict == "block" and reason in result.findings[0].message
