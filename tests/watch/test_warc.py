"""`veil sweep --warc`: every captured response checked, findings with URL and capture time, exposure windows;
a clean archive passes; a damaged one is unverifiable, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from support.warc_factory import XLSX, pages, write_warc
from support.xlsx_factory import roster, write_workbook
from veil.cli import app
from veil.policy import load_policy
from veil.watch.warc import sweep_warc

LEAK_URL = "https://www.example.gov/files/detention-2019.xlsx"
HTML = "text/html; charset=utf-8"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["sweep", "--warc", *args])
    return result.exit_code, result.output


def _html(n: int, when: str) -> list[tuple[str, str, bytes, str]]:
    return [(url, when, body, HTML) for url, body in pages(n)]


@pytest.fixture(scope="module")
def leaking_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Three crawls: the workbook appears in the second, is still there in the third; a 2018 crawl is clean."""
    folder = tmp_path_factory.mktemp("warc")
    workbook = write_workbook(None, vector="hidden_sheet", people=30, seed=4)
    write_warc(folder / "crawl-2018.warc.gz", _html(6, "2018-05-01T09:00:00Z"))
    write_warc(
        folder / "crawl-2019.warc.gz",
        _html(6, "2019-03-04T10:00:00Z") + [(LEAK_URL, "2019-03-04T10:05:00Z", workbook, XLSX)],
    )
    write_warc(
        folder / "crawl-2020.warc",
        _html(6, "2020-02-01T08:00:00Z") + [(LEAK_URL, "2020-02-01T08:30:00Z", workbook, XLSX)],
        gzip=False,
    )
    return folder


def test_leaking_workbook_is_flagged_with_url_and_window(leaking_archive: Path) -> None:
    report = sweep_warc(leaking_archive, load_policy())
    assert report.archives == 3 and report.responses == 6 * 3 + 2 and not report.problems
    assert report.checked == 6 + 1  # identical pages and the same workbook are checked once
    assert {c.url for c in report.flagged} == {LEAK_URL}
    assert [c.captured for c in report.flagged] == ["2019-03-04T10:05:00Z", "2020-02-01T08:30:00Z"]
    (window,) = report.windows
    assert (window.url, window.first, window.last) == (LEAK_URL, "2019-03-04T10:05:00Z", "2020-02-01T08:30:00Z")
    assert window.flagged_captures == 2 and window.last_capture_flagged


def test_cli_json_and_text_name_url_time_never_a_value(leaking_archive: Path) -> None:
    code, out = _run(str(leaking_archive), "--format", "json")
    assert code == 1
    doc = json.loads(out)
    assert doc["verdict"] == "block"
    assert {f["warc"]["url"] for f in doc["files"]} == {LEAK_URL}
    assert {f["warc"]["captured"] for f in doc["files"]} == {"2019-03-04T10:05:00Z", "2020-02-01T08:30:00Z"}
    assert doc["windows"][0]["first_capture"] == "2019-03-04T10:05:00Z"
    code, text = _run(str(leaking_archive))
    assert code == 1 and f"EXPOSED {LEAK_URL} from 2019-03-04T10:05:00Z to 2020-02-01T08:30:00Z" in text
    people = roster(30, seed=4)[1:]
    for row in people[:10]:
        assert str(row[0]) not in out + text


def test_clean_archive_passes(tmp_path: Path) -> None:
    write_warc(tmp_path / "clean.warc.gz", _html(8, "2021-01-01T00:00:00Z"))
    code, out = _run(str(tmp_path / "clean.warc.gz"))
    assert code == 0, out
    assert "8 capture(s)" in out and "0 capture(s) flagged" in out


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty_folder"])
def test_damaged_archive_is_unverifiable_without_traceback(tmp_path: Path, damage: str) -> None:
    blob = write_warc(tmp_path / "site.warc.gz", _html(5, "2021-01-01T00:00:00Z"))
    if damage == "truncated":
        (tmp_path / "site.warc.gz").write_bytes(blob[: len(blob) * 2 // 3])
    elif damage == "garbage":
        (tmp_path / "site.warc.gz").write_bytes(b"WARC/1.0\r\nthis is not a record\r\n" + bytes(range(256)) * 20)
    else:
        (tmp_path / "site.warc.gz").unlink()
    result = CliRunner().invoke(app, ["sweep", "--warc", str(tmp_path), "--format", "json"])
    assert "Traceback" not in result.output and result.exception is None or isinstance(result.exception, SystemExit)
    if damage == "empty_folder":
        assert result.exit_code == 2 and "no WARC file" in result.output
        return
    assert result.exit_code == 1
    doc = json.loads(result.stdout)
    assert doc["verdict"] == "unverifiable"
    assert doc["warc"]["problems"] == 1
    assert any("could not be read" in f["findings"][0]["message"] for f in doc["files"])


def test_gate_does_not_apply_to_archives(leaking_archive: Path) -> None:
    assert _run(str(leaking_archive), "--gate")[0] == 2
