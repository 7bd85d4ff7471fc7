"""The JSON API and `veil submit`: the gate driven by machines."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from support.webgate import Site
from veil.web.app import create_app
from veil.web.client import submit

BENIGN = b"Quarterly statistics: 1,204 applications received.\n"
LEAKING = b"Case notes\nLEAK GARCIA, Jose A123456789 asylum\n"


def test_release_flow_over_the_api(site: Site) -> None:
    client = TestClient(site.app)  # type: ignore[arg-type]
    rid = client.post("/api/releases", headers=site.api("sub"),
                      json={"title": "Q3", "target_path": "stats/q3"}).json()["id"]
    up = client.post(f"/api/releases/{rid}/files", headers=site.api("sub"),
                     files={"file": ("stats.txt", BENIGN, "text/plain")})
    assert up.status_code == 201 and up.json()["scan_status"] == "queued" and up.json()["verdict"] is None
    site.drain()
    detail = client.get(f"/api/releases/{rid}", headers=site.api("rev")).json()
    sha = hashlib.sha256(BENIGN).hexdigest()
    assert detail["files"][0]["verdict"] == "pass" and detail["files"][0]["sha256"] == sha
    assert detail["files"][0]["policy_version"] and detail["files"][0]["scanner_version"]
    for who in ("rev", "rev2"):
        assert client.post(f"/api/releases/{rid}/approvals", headers=site.api(who),
                           json={"sha256s": [sha]}).status_code == 200
    again = client.post(f"/api/releases/{rid}/approvals", headers=site.api("rev"), json={"sha256s": [sha]})
    assert again.status_code == 409 and "already approved" in again.json()["detail"]
    published = client.post(f"/api/releases/{rid}/publications", headers=site.api("pub"), json={})
    assert published.status_code == 200 and published.json()["status"] == "published"
    assert (site.gate.site.root / "stats/q3/stats.txt").read_bytes() == BENIGN  # type: ignore[attr-defined]
    verify = client.get("/api/audit/verify", headers=site.api("aud")).json()
    assert verify["ok"] and verify["entries"] > 5


def test_validation_errors_do_not_echo_values(site: Site) -> None:
    client = TestClient(site.app)  # type: ignore[arg-type]
    response = client.post("/api/releases", headers=site.api("sub"),
                           json={"title": "GARCIA, Jose " * 50, "target_path": "p"})
    assert response.status_code == 422 and "GARCIA" not in response.text and "title" in response.text


def test_openapi_document_and_docs_page(site: Site) -> None:
    client = TestClient(site.app)  # type: ignore[arg-type]
    spec = client.get("/api/openapi.json").json()
    assert "/api/releases/{release_id}/approvals" in spec["paths"]
    assert "HTTPBearer" in json.dumps(spec["components"]["securitySchemes"])
    assert "/api/releases" in client.get("/api/docs").text


def test_submit_waits_for_the_verdicts(site: Site, tmp_path: Path) -> None:
    (tmp_path / "stats.txt").write_bytes(BENIGN)
    (tmp_path / "notes.txt").write_bytes(LEAKING)
    app = create_app(site.gate, start_worker=True)
    site.gate.worker = None
    with TestClient(app) as client:  # the lifespan starts the in-process worker
        site.gate.worker.poll = 0.05  # type: ignore[union-attr]
        doc = submit("http://testserver", site.tokens["sub"], "Nightly export",
                     [tmp_path / "stats.txt"], client=client, poll=0.05, timeout=30)
        assert doc["verdict"] == "pass" and doc["files"][0]["sha256"] == hashlib.sha256(BENIGN).hexdigest()
        doc = submit("http://testserver", site.tokens["sub"], "Nightly export 2",
                     [tmp_path / "stats.txt", tmp_path / "notes.txt"], client=client, poll=0.05, timeout=30)
        assert doc["verdict"] == "block"
        assert {f["verdict"] for f in doc["files"]} == {"pass", "block"}
        assert set(doc["files"][0]) >= {"path", "sha256", "verdict", "persons", "findings"}


def test_submit_cli_usage_errors_exit_2(tmp_path: Path) -> None:
    from veil.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["submit", str(tmp_path / "missing.txt"), "--release", "x",
                                 "--server", "http://127.0.0.1:9", "--token", "t"])
    assert result.exit_code == 2 and "no such file" in result.output
    (tmp_path / "a.txt").write_bytes(b"x")
    result = runner.invoke(app, ["submit", str(tmp_path / "a.txt"), "--release", "x",
                                 "--server", "http://127.0.0.1:9", "--token", "t"])
    assert result.exit_code == 2 and "cannot reach" in result.output
