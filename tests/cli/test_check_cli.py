import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from veil.cli import app
from veil.demo import roster_rows, statistics_rows

runner = CliRunner()


def _csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.fixture()
def files(tmp_path: Path) -> dict[str, Path]:
    return {
        "stats": _csv(tmp_path / "stats.csv", statistics_rows()),
        "roster": _csv(tmp_path / "roster.csv", roster_rows(25)),
        "broken": _write(tmp_path / "broken.xlsx", b"PK\x03\x04" + b"\x00" * 40),
    }


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_pass_exits_0(files) -> None:
    result = runner.invoke(app, ["check", str(files["stats"])])
    assert result.exit_code == 0, result.output
    assert "PASS" in result.output


def test_block_exits_1_and_masks(files) -> None:
    result = runner.invoke(app, ["check", str(files["roster"]), "--format", "json", "--jobs", "1"])
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["verdict"] == "block"
    f = doc["files"][0]
    assert set(f) >= {"path", "sha256", "verdict", "persons", "findings"}
    assert f["persons"] == 25
    assert f["findings"][0].keys() >= {"kind", "location", "visible", "message"}
    for row in roster_rows(25)[1:]:
        assert str(row[0]) not in result.output
        assert str(row[4]) not in result.output


def test_unverifiable_exits_1(files) -> None:
    result = runner.invoke(app, ["check", str(files["broken"]), "-f", "json"])
    assert result.exit_code == 1
    assert json.loads(result.output)["files"][0]["verdict"] == "unverifiable"


def test_directory_recursion_and_overall_verdict(files, tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(tmp_path), "-f", "json", "-j", "2"])
    doc = json.loads(result.output)
    assert len(doc["files"]) == 3
    assert doc["verdict"] == "block"


def test_stdin(files) -> None:
    result = runner.invoke(app, ["check", "-", "-f", "json"], input=files["roster"].read_bytes())
    assert result.exit_code == 1
    assert json.loads(result.output)["files"][0]["path"] == "-"


def test_sarif(files) -> None:
    result = runner.invoke(app, ["check", str(files["roster"]), "-f", "sarif"])
    doc = json.loads(result.output)
    assert doc["version"] == "2.1.0"
    assert doc["runs"][0]["results"][0]["ruleId"] == "record-level"


def test_policy_override_changes_verdict(files, tmp_path: Path) -> None:
    policy = tmp_path / "policy.yaml"
    policy.write_text("verdicts:\n  record-level: review\n")
    result = runner.invoke(app, ["check", str(files["roster"]), "--policy", str(policy), "-f", "json"])
    assert json.loads(result.output)["verdict"] == "review"


@pytest.mark.parametrize(
    "args",
    [["check"], ["check", "/no/such/file"], ["check", "x", "--format", "yaml"], ["check", "x", "--policy", "/nope"]],
)
def test_usage_errors_exit_2(args: list[str], files) -> None:
    args = [str(files["stats"]) if a == "x" else a for a in args]
    assert runner.invoke(app, args).exit_code == 2


def test_bad_policy_is_usage_error(files, tmp_path: Path) -> None:
    policy = tmp_path / "p.yaml"
    policy.write_text("verdicts:\n  record-level: maybe\n")
    result = runner.invoke(app, ["check", str(files["stats"]), "--policy", str(policy)])
    assert result.exit_code == 2
    assert "unknown effect" in result.output


def test_demo_files_then_check(tmp_path: Path) -> None:
    result = runner.invoke(app, ["demo-files", str(tmp_path / "s"), "--people", "20"])
    assert result.exit_code == 0
    result = runner.invoke(app, ["check", str(tmp_path / "s"), "-f", "json", "-j", "1"])
    verdicts = {Path(f["path"]).name: f["verdict"] for f in json.loads(result.output)["files"]}
    assert verdicts["detention-statistics.csv"] == "pass"
    assert verdicts["roster.csv"] == "block"
    assert verdicts["detention-statistics-with-hidden-roster.xlsx"] == "block"
    assert verdicts["segregation-by-facility.csv"] == "review"
    assert verdicts["press-release.txt"] == "pass"


def test_text_report_lists_small_cells_and_says_where(tmp_path: Path) -> None:
    runner.invoke(app, ["demo-files", str(tmp_path / "s"), "--people", "20"])
    result = runner.invoke(app, ["check", str(tmp_path / "s"), "-j", "1"])
    lines = result.output.splitlines()
    small = [line for line in lines if "small-cells" in line]
    assert small and small[0].rstrip().endswith("[visible]")
    assert any(line.strip().startswith("cells: row ") for line in lines)
    assert "[HIDDEN (very-hidden-sheet)]" in result.output
    assert "rows 1-21 (comma-separated, utf-8) rows" not in result.output
