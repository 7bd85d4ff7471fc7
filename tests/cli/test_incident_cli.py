"""`veil incident`: the contract's exit codes and one-line errors on bad input (the whole response is
tests/incident/test_replay_2022.py)."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from veil.cli import app


def _run(tmp: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, ["incident", *args, "--data-dir", str(tmp / "veil")])
    return result.exit_code, result.stdout, result.stderr


def test_usage_errors_are_one_line_and_exit_2(tmp_path: Path) -> None:
    exposed = tmp_path / "list.csv"
    exposed.write_text("Name,DOB,A-Number\nGARCIA Jose,1990-04-03,A123456789\n")
    code, _, err = _run(tmp_path, "open", "--title", "t", "--file", str(tmp_path / "missing.csv"))
    assert code == 2 and err.startswith("veil: no such file")
    code, _, err = _run(tmp_path, "open", "--title", "t", "--file", str(exposed), "--exposed-from", "yesterday")
    assert code == 2 and "ISO" in err
    code, _, err = _run(tmp_path, "show", "7")
    assert code == 2 and err.strip() == "veil: no incident 7"
    code, _, err = _run(tmp_path, "report", "7", "--kind", "oversight", "--format", "pdf")
    assert code == 2 and "--out" in err
    code, _, err = _run(tmp_path, "report", "7", "--kind", "gossip")
    assert code == 2 and "--kind" in err


def test_open_is_json_and_the_same_bytes_join(tmp_path: Path) -> None:
    exposed = tmp_path / "list.csv"
    exposed.write_text("Name,DOB,A-Number,Case\nGARCIA Jose,1990-04-03,A123456789,asylum\n")
    code, out, _ = _run(tmp_path, "open", "--title", "List on the site", "--file", str(exposed), "--format", "json",
                        "--exposed-from", "2026-03-01T08:00:00Z")
    first = json.loads(out)
    assert code == 0 and first["id"] == 1 and first["joined"] is False
    assert first["files"][0]["exposure_start_source"] == "manual"
    code, out, _ = _run(tmp_path, "open", "--title", "again", "--file", str(exposed), "--format", "json")
    assert code == 0 and json.loads(out)["joined"] is True
    code, out, _ = _run(tmp_path, "list", "--format", "json")
    assert [i["id"] for i in json.loads(out)["incidents"]] == [1]
    assert "GARCIA" not in out and "123456789" not in out
    code, out, _ = _run(tmp_path, "oversight", "1", "--not-required", "--reason", "test data only")
    assert code == 0
    code, out, _ = _run(tmp_path, "report", "1", "--kind", "oversight")
    report = json.loads(out)
    assert code == 0 and report["exposed_rows"] == 0 and report["deadlines"][0]["name"] == "centre"
    assert [d["name"] for d in report["deadlines"]] == ["centre"]  # the responder's determination stands
