"""`veil check --engine spark`: a small generated folder (2 leaks, 3 clean files) gives the local engine's verdicts,
JSON (timing aside), SARIF and exit code; the Parquet table is masked; without pyspark the CLI says how to install."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from typer.testing import CliRunner

from support.xlsx_factory import write_workbook
from veil.cli import app

LEAK = b"Case notes\nGARCIA, Jose A123456789 granted asylum on 2021-03-04\n"


def _folder(root: Path) -> set[str]:
    (root / "stats" / ".well-known").mkdir(parents=True)
    (root / "stats" / "region.html").write_text("<html><body><p>1,204 applications in region 4.</p></body></html>")
    (root / "stats" / "totals.csv").write_text("Region,Applications\nNorth,120\nSouth,95\n")
    (root / "stats" / ".well-known" / "security.txt").write_text("Contact: mailto:security@example.gov\n")
    (root / "annex.xlsx").write_bytes(write_workbook(None, vector="hidden_sheet", people=20, seed=9))
    (root / "stats" / "_notes.txt").write_bytes(LEAK)  # a name Spark's binaryFile skips: checked all the same
    return {str(root / "annex.xlsx"), str(root / "stats" / "_notes.txt")}


def _untimed(doc: Any) -> Any:
    if isinstance(doc, dict):
        return {k: _untimed(v) for k, v in doc.items() if k not in {"seconds", "elapsed", "duration", "generated"}}
    if isinstance(doc, list):
        return [_untimed(v) for v in doc]
    return doc


def test_spark_check_reports_as_the_local_engine(spark: Any, tmp_path: Path) -> None:
    root = tmp_path / "release"
    leaks = _folder(root)
    table = str(tmp_path / "results.parquet")
    runner = CliRunner()
    local = runner.invoke(app, ["check", str(root), "--format", "json"])
    on_spark = runner.invoke(app, ["check", str(root), "--engine", "spark", "--format", "json", "--parquet", table])
    assert local.exit_code == on_spark.exit_code == 1, on_spark.output
    doc = json.loads(on_spark.stdout)
    assert {f["path"] for f in doc["files"] if f["verdict"] != "pass"} == leaks
    assert len(doc["files"]) == 5
    assert _untimed(doc) == _untimed(json.loads(local.stdout))
    sarif = [
        runner.invoke(app, ["check", str(root), *e, "--format", "sarif", "--fail-on", "block"])
        for e in ([], ["--engine", "spark"])
    ]
    assert sarif[0].exit_code == sarif[1].exit_code and sarif[0].stdout == sarif[1].stdout
    results = pl.read_parquet(f"{table}/*.parquet")
    assert results.height == 5 and set(results.filter(pl.col("verdict") != "pass")["path"]) == leaks
    assert "GARCIA" not in results.write_csv() and "A123456789" not in results.write_csv()
    excluded = runner.invoke(app, ["check", str(root), "--engine", "spark", "-x", "*.xlsx", "-x", "_*"])
    assert excluded.exit_code == 0, excluded.output


def test_spark_check_usage_errors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["check", str(tmp_path / "nope"), "--engine", "spark"]).exit_code == 2
    assert runner.invoke(app, ["check", "-", "--engine", "spark"]).exit_code == 2
    assert runner.invoke(app, ["check", str(tmp_path), "--engine", "hadoop"]).exit_code == 2
    (tmp_path / "a.txt").write_text("nothing here\n")
    assert runner.invoke(app, ["check", str(tmp_path), "--parquet", str(tmp_path / "t")]).exit_code == 2
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)  # pyspark not installed
    missing = runner.invoke(app, ["check", str(tmp_path), "--engine", "spark"])
    assert missing.exit_code == 2 and "pip install 'veil[spark]'" in missing.output


def test_spark_sweep_reads_the_names_spark_skips(spark: Any, tmp_path: Path) -> None:
    """The shared listing: `.well-known/` and `_notes.txt` are swept on Spark as they are locally."""
    root = tmp_path / "site"
    _folder(root)
    runs = [
        CliRunner().invoke(app, ["sweep", str(root), "--no-state", "--all", "--format", "json", *engine])
        for engine in ([], ["--engine", "spark"])
    ]
    assert runs[0].exit_code == runs[1].exit_code == 1, runs[1].output
    local, on_spark = (json.loads(r.stdout) for r in runs)
    assert on_spark["sweep"]["files"] == local["sweep"]["files"] == 5
    assert {f["path"]: f["verdict"] for f in on_spark["files"]} == {f["path"]: f["verdict"] for f in local["files"]}
