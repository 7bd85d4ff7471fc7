"""Layouts that hide a roster from a reader of columns: people as columns (fields down the first column), and a
hidden column of names beside aggregate rows, however the names are placed."""

from __future__ import annotations

import io
import random

import pytest
from faker import Faker
from openpyxl import Workbook

from veil.findings import Kind
from veil.pipeline import check_bytes
from veil.policy import load_policy

POLICY = load_policy()


def _xlsx(rows: list[list[object]], hidden: str | None = None) -> bytes:
    wb = Workbook()
    ws = wb.active
    for row in rows:
        ws.append(row)
    if hidden:
        ws.column_dimensions[hidden].hidden = True
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("with_a_number", [True, False])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_roster_laid_out_across_is_record_level(with_a_number: bool, fmt: str) -> None:
    fake = Faker("es_MX")
    fake.seed_instance(11)
    rnd = random.Random(11)
    people = [[f"{fake.first_name()} {fake.last_name()}", fake.date_of_birth(minimum_age=18).isoformat(),
               f"A{rnd.randint(10**8, 10**9 - 1)}", "Guatemala"] for _ in range(5)]
    fields = ["Nombre completo", "Fecha de nacimiento", "A-Number", "Nacionalidad"]
    keep = [0, 1, 2, 3] if with_a_number else [0, 1, 3]
    rows: list[list[object]] = [[fields[i], *(p[i] for p in people)] for i in keep]
    blob = _xlsx(rows) if fmt == "xlsx" else "\n".join(",".join(map(str, r)) for r in rows).encode()
    result = check_bytes(blob, f"people.{fmt}", POLICY)
    assert result.verdict.value == "block" and result.persons == 5
    shown = " ".join(s for f in result.findings for s in (f.message, f.location, *f.evidence))
    assert not any(p[0] in shown for p in people)


@pytest.mark.parametrize("placement", ["beside", "below", "no-header"])
def test_a_hidden_column_of_names_beside_aggregate_rows_is_found_and_hidden(placement: str) -> None:
    fake = Faker("en_US")
    fake.seed_instance(12)
    rnd = random.Random(12)
    rows: list[list[object]] = [["Facility", "Country of citizenship", "Book-ins"]]
    rows += [["Krome Service Processing Center", rnd.choice(["Cuba", "Haiti"]), rnd.randint(25, 900)]
             for _ in range(25)]
    names = [f"{fake.last_name().upper()}, {fake.first_name().upper()}" for _ in range(12)]
    if placement == "beside":
        rows[0].append("Detainees")
        for i, name in enumerate(names):
            rows[i + 1].append(name)
    elif placement == "below":
        rows += [[None, None, None]] * 3 + [[None, None, None, name] for name in names]
    else:
        for i, name in enumerate(names):
            rows[i + 5].append(name)
    result = check_bytes(_xlsx(rows, hidden="D"), "stats.xlsx", POLICY)
    people = [f for f in result.findings if f.kind in (Kind.RECORD_LEVEL, Kind.NAME_LIST)]
    assert result.verdict.value != "pass" and people
    assert all(not f.visible and f.visibility == "hidden-column" for f in people)
    assert result.persons in (0, 12)  # a name-list counts nobody as disclosed; record-level counts the twelve
