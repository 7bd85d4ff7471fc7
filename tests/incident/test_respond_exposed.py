"""The exposed file's people table from formats the linkage reader does not take (HTML, PDF tables) through Veil's
readers; unreadable parts refuse the file (fail closed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from reportlab.lib.pagesizes import LETTER
from reportlab.platypus import SimpleDocTemplate, Table

from veil.incident.exposed import read_exposed_table
from veil.incident.linkage_columns import LinkageInputError

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
