"""Report exports: outside use only when the small-cell rule and `veil check` pass; internal exports marked."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from veil.findings import FileResult, Verdict
from veil.incident import reports
from veil.incident.reports import Figures, export
from veil.workflow.errors import Invalid, Refused


def _figures(small: bool = False) -> Figures:
    nat = [("MEX", 150), ("GTM", 146)] + ([("ERI", 4)] if small else [("HND", 4 + 10)])
    return Figures(1, "t", 300, 298, 120,
                   {"nationality": nat, "facility": [("North", 300)],
                    "status": [("in-custody", 280), ("released", 20), ("removed-after-exposure-before-notice", 0)],
                    "basis": [("in-file", 254), ("group-exposure", 46)]},
                   [(date(2026, 3, 4), 60), (date(2026, 3, 5), 120)])


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_outside_export_passes_check(fmt: str) -> None:
    blob = export(_figures(), fmt, outside=True)
    if fmt == "xlsx":
        book = load_workbook(io.BytesIO(blob))
        assert [c.value for c in book["By nationality"]["A"]][:2] == ["nationality", "MEX"]
    elif fmt == "pdf":
        assert "aggregate figures" in PdfReader(io.BytesIO(blob)).pages[0].extract_text()
    else:
        assert b"INTERNAL" not in blob and b"nationality,MEX,150" in blob


def test_small_cells_refuse_outside_but_allow_internal() -> None:
    with pytest.raises(Refused, match=r"1 count\(s\) under 10 \(nationality: ERI\)"):
        export(_figures(small=True), "csv", outside=True)
    blob = export(_figures(small=True), "pdf", outside=False)
    assert "INTERNAL" in PdfReader(io.BytesIO(blob)).pages[0].extract_text()
    with pytest.raises(Invalid):
        export(_figures(), "docx", outside=False)


def test_check_verdict_other_than_pass_refuses(monkeypatch: pytest.MonkeyPatch) -> None:
    def review(blob: bytes, name: str, policy: object = None) -> FileResult:
        return FileResult(path=name, sha256="0" * 64, size=len(blob), format="csv", verdict=Verdict.REVIEW,
                          persons=0, findings=[])

    monkeypatch.setattr("veil.pipeline.check_bytes", review)
    with pytest.raises(Refused, match="veil check says review"):
        reports.export(_figures(), "csv", outside=True)
