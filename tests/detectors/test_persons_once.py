"""People are counted once per file, across tables, prose, pages and hidden rows, and the finding says how."""

from __future__ import annotations

import csv
import io
import random

from faker import Faker
from openpyxl import Workbook

from veil.detectors.tables import analyse_table
from veil.findings import Kind
from veil.pipeline import check_bytes
from veil.policy import load_policy
from veil.readers.units import table_from_rows

POLICY = load_policy()


def _fake(seed: int) -> tuple[Faker, random.Random]:
    fake = Faker(["es_MX", "en_US"])
    fake.seed_instance(seed)
    return fake, random.Random(seed)


def _csv(rows: list[list[object]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    return buf.getvalue().encode()


def test_rows_without_an_a_number_are_people_too_and_the_finding_says_how_they_were_counted() -> None:
    fake, rnd = _fake(21)
    rows: list[list[object]] = [["Detainee", "A#", "Birth date", "Citizenship"]]
    for i in range(500):
        rows.append([f"{fake.last_name().upper()}, {fake.first_name().upper()}",
                     "" if i % 7 == 0 else f"A{rnd.randint(10**8, 10**9 - 1)}",
                     fake.date_of_birth(minimum_age=18).isoformat(), "Honduras"])
    result = check_bytes(_csv(rows), "roster.csv", POLICY)
    assert result.persons == 500
    record = next(f for f in result.findings if f.kind is Kind.RECORD_LEVEL)
    assert "500 people in 500 rows" in record.message
    assert "counted by identifier (428) and by name + birth date (72)" in record.evidence


def test_one_person_in_a_letter_is_one_person_however_they_are_named() -> None:
    fake, rnd = _fake(22)
    first, last = fake.first_name(), fake.last_name()
    a_number = f"A{rnd.randint(10**8, 10**9 - 1)}"
    letter = (f"RE: {first} {last}\nFile: {a_number}\n\nDear Ms. Okafor,\n\nWe write about your client, "
              f"{last.upper()}, {first.upper()} (A-Number {a_number}, DOB 07/11/1991). {first} {last} filed an "
              f"I-589 application for asylum in March. Mr. {last} will attend a credible fear interview on 4 June; "
              f"{last} asked for an interpreter.\n\nYours sincerely,\nAsylum Office")
    result = check_bytes(letter.encode(), "letter.txt", POLICY)
    assert result.verdict.value == "block" and result.persons == 1


def test_the_same_people_in_a_table_and_in_prose_are_counted_once() -> None:
    fake, _ = _fake(23)
    people = [(fake.first_name(), fake.last_name()) for _ in range(8)]
    table = "".join(f"<tr><td>{s.upper()}, {f.upper()}</td><td>198{i}-02-1{i}</td><td>Cuba</td></tr>"
                    for i, (f, s) in enumerate(people))
    prose = "".join(f"<p>{f} {s} applied for asylum at the port of entry.</p>" for f, s in people[:4])
    html = (f"<html><body><table><tr><th>Name</th><th>DOB</th><th>Country</th></tr>{table}</table>{prose}"
            "</body></html>")
    result = check_bytes(html.encode(), "cases.html", POLICY)
    assert result.verdict.value == "block" and result.persons == 8


def test_people_in_visible_and_hidden_rows_are_each_counted_once() -> None:
    fake, _ = _fake(24)
    wb = Workbook()
    ws = wb.active
    ws.append(["Name", "Date of Birth", "Nationality"])
    people = [(f"{fake.last_name()}, {fake.first_name()}", fake.date_of_birth(minimum_age=18).isoformat())
              for _ in range(12)]
    for i, (name, birth) in enumerate(people + people):  # the same twelve again, in hidden rows
        ws.append([name, birth, "Venezuela"])
        ws.row_dimensions[i + 2].hidden = i >= 12
    buf = io.BytesIO()
    wb.save(buf)
    result = check_bytes(buf.getvalue(), "stats.xlsx", POLICY)
    record = [f for f in result.findings if f.kind is Kind.RECORD_LEVEL]
    assert [f.visible for f in record] == [True, False]
    assert result.persons == 12


def test_a_table_continued_over_pages_without_its_header_keeps_it() -> None:
    fake, rnd = _fake(25)

    def person() -> list[object]:
        return [str(rnd.randint(1, 500)), f"{fake.last_name().upper()}, {fake.first_name()}",
                fake.date_of_birth(minimum_age=18).strftime("%m/%d/%Y"), "MEXICO"]

    page1 = table_from_rows([["No.", "ALIEN NAME", "DATE OF BIRTH", "COUNTRY"], *(person() for _ in range(6))],
                            location="page 1 table 1")
    page2 = table_from_rows([person() for _ in range(6)], location="page 2 table 1")
    from veil.detectors import analyse

    findings = analyse([page1, page2], POLICY.thresholds)
    record = [f for f in findings if f.kind is Kind.RECORD_LEVEL]
    assert [f.location.split(" rows")[0] for f in record] == ["page 1 table 1", "page 2 table 1"]
    assert sum(len(f.person_keys) for f in record) == 12


def test_names_wrapped_onto_a_second_line_are_one_person() -> None:
    fake, _ = _fake(26)
    rows: list[list[object]] = [["#", "Name", "Date of birth", "Country"]]
    for i in range(1, 11):
        last, first, middle = fake.last_name().upper(), fake.first_name().upper(), fake.first_name().upper()
        rows.append([str(i), f"{last}, {first}", f"0{i % 9 + 1}/1{i % 9}/1970", "GUATEMALA"])
        rows.append([None, middle, None, None])  # the rest of the name, wrapped in the PDF's cell
    rows.append(["IGSA", "(Intergovernmental Service Agreement):", "a facility", None])  # the key at the foot
    findings = analyse_table(table_from_rows(rows, location="page 3 table 1"), POLICY.thresholds)
    record = [f for f in findings if f.kind is Kind.RECORD_LEVEL]
    assert len(record) == 1 and len(record[0].person_keys) == 10
