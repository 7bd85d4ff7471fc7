"""A recognizer plugin installed beside Veil holds a release in the gate: upload, scan, block."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from support.plugin import id_table, installed
from support.webgate import Site
from veil.detectors.recognizers import active
from veil.workflow.gate import default_scanner


def test_the_plugin_blocks_the_same_table_in_the_gate(site: Site, tmp_path: Path) -> None:
    with installed(tmp_path):
        assert active().get("ruritania-id") is not None
        site.gate.scanner = default_scanner(site.gate.policy)  # the real checker, in this process
        client = TestClient(site.app)  # type: ignore[arg-type]
        rid = client.post(
            "/api/releases", headers=site.api("sub"), json={"title": "Regions", "target_path": "stats/regions"}
        ).json()["id"]
        up = client.post(
            f"/api/releases/{rid}/files",
            headers=site.api("sub"),
            files={"file": ("regions.csv", id_table(), "text/csv")},
        )
        assert up.status_code == 201
        site.drain()
        detail = client.get(f"/api/releases/{rid}", headers=site.api("rev")).json()
    assert detail["files"][0]["verdict"] == "block"
    assert active().get("ruritania-id") is None  # uninstalled again
