"""The gate's CLI: db upgrade, admin, audit verify/export (SQLite in a temporary data directory)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from veil.cli import app

runner = CliRunner()


def run(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def data(tmp_path: Path) -> Path:
    code, out = run("admin", "create-user", "root", "--role", "admin", "--password", "correct horse battery",
                    "--data-dir", str(tmp_path))
    assert code == 0 and "created user root" in out
    return tmp_path


def test_db_upgrade_creates_the_data_directory(tmp_path: Path) -> None:
    code, out = run("db", "upgrade", "--data-dir", str(tmp_path / "new"))
    assert code == 0 and "at revision 0" in out
    assert (tmp_path / "new" / "veil.db").exists()


def test_admin_roles_and_tokens(data: Path) -> None:
    code, out = run("admin", "set-role", "root", "--role", "admin", "--role", "auditor", "--data-dir", str(data))
    assert code == 0 and "admin, auditor" in out
    code, out = run("admin", "create-token", "root", "--data-dir", str(data))
    assert code == 0 and out.strip().startswith("veil_")
    code, out = run("admin", "set-role", "root", "--role", "king", "--data-dir", str(data))
    assert code == 2 and "unknown role" in out
    code, out = run("admin", "create-user", "xavier", "--password", "short", "--data-dir", str(data))
    assert code == 2 and "at least" in out


def test_audit_verify_and_export(data: Path) -> None:
    code, out = run("audit", "verify", "--data-dir", str(data))
    assert code == 0 and "intact: 1 entries" in out
    code, out = run("audit", "export", "--format", "json", "--data-dir", str(data))
    assert code == 0 and json.loads(out)[0]["event"] == "user-created"
    with sqlite3.connect(data / "veil.db") as conn:
        conn.execute("UPDATE audit_log SET actor = 'mallory'")
    code, out = run("audit", "verify", "--data-dir", str(data))
    assert code == 1 and "edited" in out


def test_an_unreachable_database_is_a_one_line_error(tmp_path: Path) -> None:
    code, out = run("db", "upgrade", "--database-url", "postgresql://nobody@127.0.0.1:9/none",
                    "--data-dir", str(tmp_path))
    assert code == 2 and "database" in out and "Traceback" not in out
    code, out = run("db", "upgrade", "--database-url", "mysql://x@y/z", "--data-dir", str(tmp_path))
    assert code == 2 and "unsupported database" in out


def test_worker_once_scans_the_queue(data: Path) -> None:
    from veil.workflow import accounts, releases
    from veil.workflow.gate import Gate

    gate = Gate.open(data)
    with gate.db.write() as s:
        user = accounts.create_user(s, "sub", "correct horse battery", ["submitter"], actor="test")
        release = releases.create_release(s, user, "R", "r")
        releases.add_file(s, gate.blobs, release, user, "a.txt", b"Quarterly statistics: 12 offices.\n")
    gate.close()
    code, out = run("worker", "--once", "--data-dir", str(data))
    assert code == 0 and "scanned 1 file(s)" in out


@pytest.mark.parametrize(("verdict", "exit_code"), [("pass", 0), ("block", 1), ("unverifiable", 1)])
def test_submit_exit_codes_follow_veil_check(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, verdict: str,
                                             exit_code: int) -> None:
    import veil.web.client

    doc = {"verdict": verdict, "release": {"id": 7, "url": "http://x/releases/7", "status": "open"},
           "files": [{"path": "a.txt", "sha256": "0" * 64, "verdict": verdict, "persons": 0, "findings": []}]}
    monkeypatch.setattr(veil.web.client, "submit", lambda *a, **k: doc)
    (tmp_path / "a.txt").write_bytes(b"x")
    result = runner.invoke(app, ["submit", str(tmp_path / "a.txt"), "--release", "x", "--server", "http://x",
                                 "--token", "t", "--format", "json"])
    assert result.exit_code == exit_code and json.loads(result.stdout)["verdict"] == verdict
