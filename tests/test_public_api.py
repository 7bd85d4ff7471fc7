"""The public API: `veil.__all__` is exactly what is exported (httpx's test_exported_members habit), every name
resolves, `import veil` stays cheap, and findings carry their location in parts beside the readable string."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import veil
from veil.findings import Finding, Kind, Location, parse_location
from veil.report.json_report import finding_dict

EXPECTED = {
    "FileResult",
    "Finding",
    "Kind",
    "Limits",
    "Location",
    "Policy",
    "Recognizer",
    "UsageError",
    "Verdict",
    "__version__",
    "check_bytes",
    "check_path",
    "load_policy",
    "register_kind",
}


def test_all_is_the_public_api() -> None:
    assert set(veil.__all__) == EXPECTED
    assert len(veil.__all__) == len(set(veil.__all__))
    for name in veil.__all__:
        assert getattr(veil, name) is not None
    assert set(dir(veil)) >= EXPECTED


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        veil.nope  # type: ignore[attr-defined]  # noqa: B018


def test_import_veil_loads_nothing_heavy() -> None:
    code = "import sys, veil; print(sorted(m for m in ('polars', 'veil.pipeline', 'yaml') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize(
    ("location", "parts"),
    [
        (
            "sheet 'Tab1' (xl/worksheets/sheet1.xml) A7:K4718",
            {"sheet": "Tab1", "part": "xl/worksheets/sheet1.xml", "cell_range": "A7:K4718"},
        ),
        ("sheet 'Information' (content.xml) B26", {"sheet": "Information", "part": "content.xml", "cell_range": "B26"}),
        ("sheet 'O''Brien A1' C3", {"sheet": "O'Brien A1", "cell_range": "C3"}),
        ("page 2 table 1 rows 1-15", {"page": 2, "table": 1, "rows": "1-15"}),
        ("word/document.xml paragraph 20", {"part": "word/document.xml", "paragraph": 20}),
        ("rows 1-127 (pipe-separated, utf-8) row 48 col 13", {"rows": "48"}),
        ("document properties", {}),
    ],
)
def test_locations_in_parts(location: str, parts: dict[str, object]) -> None:
    assert parse_location(location).as_dict() == parts
    assert Location(**parts).as_dict() == parts  # type: ignore[arg-type]


def test_json_adds_where_and_keeps_the_contract() -> None:
    finding = Finding(Kind.RECORD_LEVEL, "sheet 'R' (xl/worksheets/sheet1.xml) A1:C9", True, "m", "tables")
    out = finding_dict(finding)
    assert {"kind", "location", "visible", "message"} <= set(out)
    assert out["where"] == {"part": "xl/worksheets/sheet1.xml", "sheet": "R", "cell_range": "A1:C9"}
    assert "where" not in finding_dict(Finding(Kind.NOTICE, "document properties", True, "m", "reader"))
    json.dumps(out)
