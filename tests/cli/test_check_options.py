"""`veil check` options that fit it into a repository's habits: --exclude, --fail-on, a baseline of accepted
findings, -v, --version, the default of --jobs, and dot-folders (checked, never skipped)."""

import csv
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from veil.cli import app
from veil.cli.check import auto_jobs
from veil.demo import roster_rows, statistics_rows, write_samples
from veil.file_walk import iter_files

runner = CliRunner()


def _csv(path: Path, rows: list[list[object]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    return path


@pytest.fixture()
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    write_samples(tmp_path / "samples", people=5)
    _csv(tmp_path / "site" / "stats.csv", statistics_rows())
    (tmp_path / "samples" / "segregation-by-facility.csv").rename(tmp_path / "site" / "small.csv")
    _csv(tmp_path / "site" / "data" / "roster.csv", roster_rows(12))
    monkeypatch.chdir(tmp_path)
    return tmp_path / "site"


def _json(args: list[str]) -> tuple[int, dict]:
    result = runner.invoke(app, ["check", *args, "-f", "json", "-j", "1"])
    return result.exit_code, json.loads(result.stdout)


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.startswith("veil ")


def test_dot_folders_are_checked(tmp_path: Path) -> None:
    _csv(tmp_path / ".well-known" / "roster.csv", roster_rows(5))
    _csv(tmp_path / "stats.csv", statistics_rows())
    assert sorted(Path(p).name for p in iter_files([str(tmp_path)])) == ["roster.csv", "stats.csv"]
    code, doc = _json([str(tmp_path)])
    assert code == 1 and doc["verdict"] == "block"


@pytest.mark.parametrize("glob", ["site/data/*", "data", "roster.csv", "*/roster.*"])
def test_exclude_globs(tree: Path, glob: str) -> None:
    code, doc = _json(["site", "--exclude", glob, "--fail-on", "block"])
    assert {Path(f["path"]).name for f in doc["files"]} == {"stats.csv", "small.csv"}
    assert code == 0


def test_fail_on(tree: Path) -> None:
    small = str(tree / "small.csv")
    assert runner.invoke(app, ["check", small]).exit_code == 1
    assert runner.invoke(app, ["check", small, "--fail-on", "review"]).exit_code == 1
    assert runner.invoke(app, ["check", small, "--fail-on", "block"]).exit_code == 0
    assert runner.invoke(app, ["check", str(tree / "data"), "--fail-on", "block"]).exit_code == 1
    assert runner.invoke(app, ["check", small, "--fail-on", "maybe"]).exit_code == 2


def test_baseline_sets_accepted_findings_aside_and_new_ones_count(tree: Path) -> None:
    baseline = tree.parent / ".veil-baseline.json"
    written = runner.invoke(app, ["check", "site", "--write-baseline", str(baseline), "-j", "1"])
    assert written.exit_code == 0, written.output
    text = baseline.read_text()
    for row in roster_rows(12)[1:]:
        assert str(row[0]) not in text and str(row[4]) not in text  # the baseline holds no personal data
    code, doc = _json(["site", "--baseline", str(baseline)])
    assert code == 0 and doc["verdict"] == "pass"
    assert {Path(f["path"]).name: f.get("baselined", 0) for f in doc["files"]} == \
        {"stats.csv": 0, "small.csv": 1, "roster.csv": 1}
    assert all(f["persons"] == 0 for f in doc["files"])
    # ./site and site/ name the same files
    assert _json(["./site/", "--baseline", str(baseline)])[0] == 0
    # other people in the roster: the finding is new
    _csv(tree / "data" / "roster.csv", roster_rows(13))
    code, doc = _json(["site", "--baseline", str(baseline)])
    assert code == 1 and doc["verdict"] == "block"


def test_unreadable_files_are_never_accepted(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 40)
    baseline = tmp_path / "b.json"
    assert runner.invoke(app, ["check", str(broken), "--write-baseline", str(baseline)]).exit_code == 1
    code, doc = _json([str(broken), "--baseline", str(baseline)])
    assert code == 1 and doc["verdict"] == "unverifiable"


@pytest.mark.parametrize("content", ["not json", '{"version": 9, "results": {}}',
                                     '{"version": 1, "results": {"a": 3}}'])
def test_bad_baseline_is_a_usage_error(tree: Path, content: str) -> None:
    bad = tree.parent / "bad.json"
    bad.write_text(content)
    result = runner.invoke(app, ["check", "site", "--baseline", str(bad)])
    assert result.exit_code == 2 and "baseline" in result.output and "Traceback" not in result.output


def test_text_report_says_what_to_do_and_shows_notes_only_when_asked(tmp_path: Path) -> None:
    runner.invoke(app, ["demo-files", str(tmp_path / "s"), "--people", "20"])
    workbook = str(tmp_path / "s" / "detention-statistics-with-hidden-roster.xlsx")
    quiet = runner.invoke(app, ["check", workbook]).output
    assert "→ delete the very hidden sheet 'Sheet2'" in quiet
    assert "1 note; -v shows them" in quiet and "sheet(s) are hidden" not in quiet
    # the part a person looks for comes first, the container's internal part name after it
    assert "sheet 'Sheet2' A1:F21 [HIDDEN (very-hidden-sheet)]  · xl/worksheets/sheet2.xml" in quiet
    loud = runner.invoke(app, ["check", workbook, "-v"]).output
    assert "sheet(s) are hidden" in loud


def test_sarif_carries_fingerprints_and_relative_paths(tree: Path) -> None:
    doc = json.loads(runner.invoke(app, ["check", "site/data/roster.csv", "-f", "sarif"]).stdout)
    result = doc["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "site/data/roster.csv"
    assert len(result["partialFingerprints"]["veilFinding/v1"]) == 24
    assert "To fix:" in result["message"]["text"]


def test_jobs_default_runs_small_batches_in_one_process(tmp_path: Path) -> None:
    small = [str(_csv(tmp_path / f"s{i}.csv", statistics_rows())) for i in range(5)]
    assert auto_jobs(small) == 1
    big = []
    for i in range(3):
        path = tmp_path / f"big{i}.bin"
        path.write_bytes(b"x" * (5 << 20))
        big.append(str(path))
    assert auto_jobs(small + big) >= 1
    assert auto_jobs(big[:1] + small) == 1
