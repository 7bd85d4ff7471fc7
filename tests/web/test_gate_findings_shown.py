"""The gate shows what `veil check` shows: each finding's location, evidence, masked samples and, for small cells,
which cells; `veil submit --format json` gives `veil check --format json`'s shape. The real checker scans here."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from support.webgate import Site
from veil.pipeline import check_bytes
from veil.report.json_report import file_dict
from veil.web.client import submit
from veil.workflow.gate import default_scanner

# Counts of people by nationality and sex: two are under the threshold of 10.
CROSSTAB = (
    b"Nationality,Male,Female,Total\nHonduras,3,140,143\nMexico,250,2,252\n"
    b"Guatemala,180,175,355\nEl Salvador,95,88,183\n"
)


def _release_with(site: Site, name: str, data: bytes) -> int:
    site.gate.scanner = default_scanner(site.gate.policy)
    client = TestClient(site.app)  # type: ignore[arg-type]
    rid = int(
        client.post("/api/releases", headers=site.api("sub"), json={"title": "Q3", "target_path": "stats/q3"}).json()[
            "id"
        ]
    )
    response = client.post(f"/api/releases/{rid}/files", headers=site.api("sub"), files={"file": (name, data)})
    assert response.status_code == 201, response.text
    site.drain()
    return rid


def test_the_release_page_lists_the_small_cells_flagged(site: Site) -> None:
    rid = _release_with(site, "by-nationality.csv", CROSSTAB)
    page = site.browser("rev").get(f"/releases/{rid}").text
    row = page[page.index('class="finding effect-review"') :]
    row = row[: row.index("</tr>")]
    assert "small-cells" in row and "rows 1-5" in row  # the location, as the CLI prints it
    assert "Cells flagged (2)" in row
    assert "<code>row 2 col 2=3</code>" in row and "<code>row 3 col 3=2</code>" in row
    assert "threshold 10 (policy)" in row  # the evidence
    assert "suppress, round or combine the small counts listed" in row  # what to do


def test_the_api_gives_cells_evidence_and_fingerprint(site: Site) -> None:
    rid = _release_with(site, "by-nationality.csv", CROSSTAB)
    detail = TestClient(site.app).get(f"/api/releases/{rid}", headers=site.api("rev")).json()  # type: ignore[arg-type]
    finding = detail["files"][0]["findings"][0]
    expected = file_dict(check_bytes(CROSSTAB, "by-nationality.csv", site.gate.policy))["findings"][0]
    for key in ("kind", "location", "message", "evidence", "cells", "fingerprint", "detector", "visibility"):
        assert finding[key] == expected[key], key


def test_masked_samples_are_shown_and_raw_values_never(site: Site) -> None:
    from support.browser import roster_csv

    roster = roster_csv(12)
    rid = _release_with(site, "roster.csv", roster)
    page = site.browser("rev").get(f"/releases/{rid}").text
    first_name = roster.decode().splitlines()[1].split(",")[0]
    assert first_name not in page
    samples = re.findall(r'<td class="samples"[^>]*>(.*?)</td>', page, re.S)
    assert any("<code>" in s and "*" in s for s in samples)  # masked samples, as the CLI's "e.g."


def test_submit_json_is_the_check_json_shape(site: Site, tmp_path: Path) -> None:
    site.gate.scanner = default_scanner(site.gate.policy)
    path = tmp_path / "by-nationality.csv"
    path.write_bytes(CROSSTAB)
    from veil.web.app import create_app

    app = create_app(site.gate, start_worker=True)
    with TestClient(app) as client:
        site.gate.worker.poll = 0.05  # type: ignore[union-attr]
        doc = submit("http://testserver", site.tokens["sub"], "Q3 counts", [path], client=client, poll=0.05, timeout=60)
    expected = json.loads(json.dumps(file_dict(check_bytes(CROSSTAB, path.name, site.gate.policy))))
    got = doc["files"][0]
    assert list(got) == list(expected)  # the same keys in the same order
    assert {k: v for k, v in got.items() if k != "findings"} == {k: v for k, v in expected.items() if k != "findings"}
    assert [{k: v for k, v in f.items() if k != "effect"} for f in got["findings"]] == expected["findings"]
    assert got["findings"][0]["effect"] == "review"
    assert doc["verdict"] == "review" and doc["release"]["status"] == "open"


def test_submit_text_lists_the_cells(site: Site, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from veil.cli import app as cli
    from veil.web import client as client_module

    doc = {
        "verdict": "review",
        "release": {"id": 1, "url": "http://x/releases/1", "status": "open"},
        "files": [
            {
                "path": "a.csv",
                "sha256": "0" * 64,
                "verdict": "review",
                "persons": 0,
                "format": "delimited",
                "size": 1,
                "findings": [
                    {
                        "kind": "small-cells",
                        "location": "rows 1-5",
                        "visible": True,
                        "message": "2 count(s) under 10",
                        "visibility": "visible",
                        "detector": "small-cells",
                        "cells": ["row 2 col 2=3"],
                        "samples": ["G*****"],
                        "fingerprint": "f",
                        "effect": "review",
                    }
                ],
            }
        ],
    }
    monkeypatch.setattr(client_module, "submit", lambda *a, **k: doc)
    (tmp_path / "a.csv").write_bytes(b"x")
    result = CliRunner().invoke(
        cli, ["submit", str(tmp_path / "a.csv"), "--release", "x", "--server", "http://x", "--token", "t"]
    )
    assert result.exit_code == 1
    assert "cells: row 2 col 2=3" in result.output and "e.g. G*****" in result.output


def test_a_finding_of_an_unknown_kind_still_renders(site: Site) -> None:
    from veil.store.models_releases import FindingRecord

    rid = _release_with(site, "by-nationality.csv", CROSSTAB)
    with site.gate.db.write() as s:
        record = s.query(FindingRecord).first()
        assert record is not None
        record.kind = "from-a-newer-scanner"
    page = site.browser("rev").get(f"/releases/{rid}")
    assert page.status_code == 200 and "from-a-newer-scanner" in page.text
