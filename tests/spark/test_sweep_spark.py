"""`veil sweep --engine spark`: a generated tree with leaks hidden in it, checked on Spark executors; the JSON
report, the Parquet table (masked) and the incremental second sweep."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import polars as pl
from typer.testing import CliRunner

from support.xlsx_factory import roster, write_workbook
from veil.cli import app

LEAK = b"Case notes\nGARCIA, Jose A123456789 granted asylum on 2021-03-04\n"


def _tree(root: Path, files: int = 60, seed: int = 2) -> set[str]:
    rng = random.Random(seed)
    leaks = set()
    for i in range(files):
        folder = root / f"dept{i % 5}" / f"{2015 + i % 7}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"page{i}.html").write_text(
            f"<html><body><p>{rng.randint(100, 9999):,} applications in region {i}.</p></body></html>"
        )
    hidden = {
        "dept1/2016/annex.xlsx": write_workbook(None, vector="hidden_sheet", people=20, seed=9),
        "dept3/2020/notes.txt": LEAK,
        "dept4/2018/deep/minutes.csv": b"Name,DOB,A-Number\n"
        + b"".join(f"{r[0]} {r[1]},{r[2]},A{100000000 + n}\n".encode() for n, r in enumerate(roster(15, 4)[1:])),
    }
    for rel, blob in hidden.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(blob)
        leaks.add(rel)
    return leaks


def test_spark_sweep_finds_hidden_leaks_incrementally(spark: Any, tmp_path: Path) -> None:
    root = tmp_path / "site"
    leaks = _tree(root)
    state = str(tmp_path / "state.sqlite")
    table = str(tmp_path / "results.parquet")
    run = CliRunner().invoke(
        app,
        ["sweep", str(root), "--engine", "spark", "--format", "json", "--state", state, "--parquet", table, "--all"],
    )
    assert run.exit_code == 1, run.output
    doc = json.loads(run.stdout)
    flagged = {f["path"] for f in doc["files"] if f["sweep"]["reasons"]}
    assert flagged == leaks
    assert doc["sweep"]["files"] == 63 and doc["sweep"]["scanned"] == 63 and doc["engine"] == "spark"
    results = pl.read_parquet(f"{table}/*.parquet")  # a Spark dataset: a folder of parts
    assert results.height == 63
    assert set(results.filter(pl.col("verdict") != "pass")["path"]) == leaks
    text = results.write_csv()
    assert "GARCIA" not in text and "A123456789" not in text and "GARCIA" not in run.stdout
    # Second sweep: nothing changed, nothing opened; one page edited: only it is checked.
    again = CliRunner().invoke(app, ["sweep", str(root), "--engine", "spark", "--format", "json", "--state", state])
    assert json.loads(again.stdout)["sweep"]["scanned"] == 0
    page = root / "dept0/2015/page0.html"
    page.write_text(page.read_text() + "<p>updated</p>")
    third = CliRunner().invoke(app, ["sweep", str(root), "--engine", "spark", "--format", "json", "--state", state])
    summary = json.loads(third.stdout)["sweep"]
    assert summary["scanned"] == 1 and summary["unchanged"] == 62 and summary["flagged"] == 3


def test_spark_sweep_usage_errors(tmp_path: Path) -> None:
    assert CliRunner().invoke(app, ["sweep", str(tmp_path / "nope"), "--engine", "spark"]).exit_code == 2
    assert CliRunner().invoke(app, ["sweep", str(tmp_path), "--engine", "hadoop"]).exit_code == 2
    assert CliRunner().invoke(app, ["sweep", "https://example.org/", "--engine", "spark"]).exit_code == 2


def test_warc_on_spark_gives_the_local_report(spark: Any, tmp_path: Path) -> None:
    from support.warc_factory import XLSX, pages, write_warc

    leak = "https://www.example.gov/files/annex.xlsx"
    book = write_workbook(None, vector="very_hidden_sheet", people=12, seed=8)
    html = [(u, "2019-01-01T00:00:00Z", b, "text/html") for u, b in pages(5)]
    write_warc(tmp_path / "a.warc.gz", html + [(leak, "2019-01-01T00:10:00Z", book, XLSX)])
    write_warc(tmp_path / "b.warc.gz", [(leak, "2021-06-01T00:00:00Z", book, XLSX)])
    local = CliRunner().invoke(app, ["sweep", "--warc", str(tmp_path), "--format", "json"])
    on_spark = CliRunner().invoke(app, ["sweep", "--warc", str(tmp_path), "--engine", "spark", "--format", "json"])
    assert local.exit_code == on_spark.exit_code == 1, on_spark.output
    windows = json.loads(on_spark.stdout)["windows"]
    assert windows == json.loads(local.stdout)["windows"]
    assert (windows[0]["url"], windows[0]["first_capture"], windows[0]["last_capture"]) == (
        leak,
        "2019-01-01T00:10:00Z",
        "2021-06-01T00:00:00Z",
    )
