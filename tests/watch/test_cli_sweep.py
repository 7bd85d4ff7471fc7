"""`veil sweep`: exit codes, text and JSON output, the approved list, the state file, URL lists."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from typer.testing import CliRunner

from veil.cli import app

LEAK = b"Case notes\nGARCIA, Jose A123456789 granted asylum on 2021-03-04\n"
CLEAN = b"Quarterly statistics: 1,204 applications received.\n"


def _run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["sweep", *args])
    return result.exit_code, result.output


def test_exit_codes_and_text_output(tmp_path: Path) -> None:
    pub = tmp_path / "pub"
    pub.mkdir()
    (pub / "clean.txt").write_bytes(CLEAN)
    state = str(tmp_path / "s.sqlite")
    assert _run(str(pub), "--state", state)[0] == 0
    (pub / "docs").mkdir()
    (pub / "docs" / "notes.txt").write_bytes(LEAK)
    code, out = _run(str(pub), "--state", state)
    assert code == 1
    assert "docs/notes.txt" in out and "GARCIA" not in out and "A123456789" not in out
    assert _run(str(tmp_path / "missing"))[0] == 2
    assert _run(str(pub), "--format", "xml")[0] == 2


def test_json_has_the_shape_of_check(tmp_path: Path) -> None:
    pub = tmp_path / "pub"
    pub.mkdir()
    (pub / "clean.txt").write_bytes(CLEAN)
    (pub / "new.txt").write_bytes(b"A new page nobody approved.\n")
    approved = tmp_path / "approved.txt"
    approved.write_text(f"{hashlib.sha256(CLEAN).hexdigest()}  clean.txt\n")
    code, out = _run(str(pub), "--approved", str(approved), "--format", "json", "--no-state")
    assert code == 1
    doc = json.loads(out)
    assert doc["verdict"] == "block"
    [entry] = doc["files"]
    assert {"path", "sha256", "verdict", "persons", "findings"} <= set(entry)
    assert entry["path"] == "new.txt"
    assert entry["sweep"]["approved"] is False and entry["sweep"]["reason"] == "never-approved"
    assert entry["findings"][0]["kind"] == "never-approved"
    assert {"kind", "location", "visible", "message"} <= set(entry["findings"][0])
    assert doc["sweep"]["files"] == 2 and doc["sweep"]["flagged"] == 1


def test_bad_approved_list_and_url_list_are_usage_errors(tmp_path: Path) -> None:
    bad = tmp_path / "approved.txt"
    bad.write_text("not-a-hash  file.txt\n")
    code, out = _run(str(tmp_path), "--approved", str(bad))
    assert code == 2 and "line 1" in out
    urls = tmp_path / "urls.txt"
    urls.write_text("/etc/passwd\n")
    code, out = _run(str(urls), "--no-state")
    assert code == 2 and "not an http(s) URL" in out


def test_a_single_binary_file_is_a_usage_error_with_a_hint(tmp_path: Path) -> None:
    workbook = tmp_path / "book.xlsx"
    workbook.write_bytes(b"PK\x03\x04\xff\xfe\x00binary")
    code, out = _run(str(workbook), "--no-state")
    assert code == 2 and "veil check" in out


def test_json_output_holds_no_raw_values(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_bytes(LEAK)
    code, out = _run(str(tmp_path), "--format", "json", "--no-state")
    assert code == 1 and "GARCIA" not in out and "A123456789" not in out
    assert json.loads(out)["files"][0]["verdict"] == "block"
