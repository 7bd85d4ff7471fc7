"""The exposed file's people table from any format through Veil's readers (HTML, PDF tables); unreadable parts
refuse the file (fail closed); the file's own count of people, with or without an A-number."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import LETTER
from reportlab.platypus import SimpleDocTemplate, Table

from veil.incident.exposed import read_exposed_table
from veil.incident.linkage_columns import LinkageInputError
from veil.pipeline import check_bytes

ROWS = [["Name", "Date of birth", "A-Number", "Country"],
        ["GARCIA, JOSE", "04/03/1990", "A123456789", "Mexico"],
        ["LOPEZ, ANA", "12/30/1985", "", "Guatemala"],
        ["ZHANG, WEI", "01/15/1979", "234567890", "China"]]


def test_html_and_pdf_tables(tmp_path: Path) -> None:
    html = tmp_path / "list.html"
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in ROWS)
    html.write_text(f"<html><body><p>Detained people</p><table>{cells}</table></body></html>")
    table = read_exposed_table(html)
    assert table.frame.height == 3 and "Date of birth" in table.frame.columns
    assert table.frame["A-Number"].to_list()[0] == "A123456789"

    pdf = tmp_path / "list.pdf"
    SimpleDocTemplate(str(pdf), pagesize=LETTER).build([Table(ROWS)])
    table = read_exposed_table(pdf)
    assert table.frame.height == 3 and table.frame["Name"].to_list()[2] == "ZHANG, WEI"


def test_unreadable_or_peopleless_files_are_refused(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n" + b"\x00garbage" * 50)
    with pytest.raises(LinkageInputError, match="cannot read the exposed file broken.pdf"):
        read_exposed_table(bad)
    plain = tmp_path / "notes.html"
    plain.write_text("<html><body><p>No table here.</p></body></html>")
    with pytest.raises(LinkageInputError, match="no table of people"):
        read_exposed_table(plain)
    with pytest.raises(LinkageInputError, match="cannot open"):
        read_exposed_table(tmp_path / "missing.pdf")


@pytest.mark.parametrize(("rows", "persons"), [
    # Rows without an A-number are people too; one person twice (once with the A-number) is one.
    ([("GARCIA, JOSE", "04/03/1990", "A123456789"), ("LOPEZ, ANA", "12/30/1985", ""),
      ("ZHANG, WEI", "01/15/1979", "")], 3),
    ([("GARCIA, JOSE", "04/03/1990", "A123456789"), ("GARCIA, JOSE", "04/03/1990", ""),
      ("LOPEZ, ANA", "12/30/1985", "")], 2),
    ([("GARCIA, JOSE", "04/03/1990", "A123456789"), ("GARCIA, JOSE", "04/03/1990", "A223456789")], 2),
    ([("LOPEZ, ANA", "12/30/1985", ""), ("LOPEZ, ANA", "12/30/1985", "")], 1),
])
def test_the_file_counts_people_with_or_without_an_a_number(rows: list[tuple[str, str, str]], persons: int) -> None:
    text = "Name,Date of birth,A-Number,Country\n" + "".join(f'"{n}",{d},{a},Mexico\n' for n, d, a in rows)
    report = check_bytes(text.encode(), "list.csv")
    assert report.persons == persons
