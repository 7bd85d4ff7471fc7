"""Reports: oversight gets exact figures; the public statement bands small counts with the one small-cell rule
(`veil.detectors.small_cells`) instead of being refused, and must pass `veil check`."""

from __future__ import annotations

import io
import json

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from veil.incident.reports import _json, _pdf, _xlsx, banded
from veil.policy import load_policy

FIGS = {"incident_id": 4, "exposed_rows": 6252, "identified": 6200, "unidentified": 52, "held": 6185,
        "removed_after_exposure_before_notice": 8, "removed_before_exposure": 0, "downloaders": 50,
        "by_nationality": {"Mexico": 3000, "Guatemala": 3100, "Eritrea": 4, "Nepal": 48},
        "by_language": {"es": 6100, "ti": 3, "ar": 9, "hi": 40}}


def test_public_bands_small_counts_and_their_complement() -> None:
    public = banded(FIGS, load_policy())
    assert public["removed_after_exposure_before_notice"] == "fewer than 10"
    assert public["removed_before_exposure"] == 0 and public["exposed_rows"] == 6252
    # one small cell: the next smallest is banded too, so the total cannot give it away
    assert public["by_nationality"] == {"Mexico": 3000, "Guatemala": 3100, "Eritrea": "fewer than 10",
                                        "Nepal": "40 to 49"}
    assert public["by_language"] == {"es": 6100, "ti": "fewer than 10", "ar": "fewer than 10", "hi": 40}


def test_zero_is_banded_when_the_policy_says_it_discloses(tmp_path: pytest.TempPathFactory) -> None:
    policy_file = tmp_path / "p.yaml"  # type: ignore[operator]
    policy_file.write_text("small_cells:\n  threshold: 5\n  zero_is_disclosive: true\n")
    public = banded(FIGS, load_policy(policy_file))
    assert public["removed_before_exposure"] == "fewer than 5" and public["removed_after_exposure_before_notice"] == 8


@pytest.mark.parametrize("fmt", ["json", "xlsx", "pdf"])
def test_formats(fmt: str) -> None:
    content = {"kind": "oversight", "note": "For oversight", **FIGS}
    blob = {"json": _json, "xlsx": _xlsx, "pdf": _pdf}[fmt](content)
    if fmt == "json":
        assert json.loads(blob)["unidentified"] == 52
    elif fmt == "xlsx":
        book = load_workbook(io.BytesIO(blob))
        assert [c.value for c in book["By nationality"]["A"]][:2] == ["nationality", "Mexico"]
    else:
        text = PdfReader(io.BytesIO(blob)).pages[0].extract_text()
        assert "Report to oversight" in text and "6252" in text
