"""`veil sweep`: exit codes, text and JSON output, the approved list, the state file, URL lists."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from support.watch import publish_files
from veil.cli import app
from veil.store.models_incident import IrExposedFile, IrIncident
from veil.store.models_watch import SweepRun
from veil.workflow import accounts
from veil.workflow.gate import Gate

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


def _gate_with_a_publication(data: Path) -> Path:
    """A gate in `data` that published one clean file; returns its public directory."""
    gate = Gate.open(data)
    try:
        with gate.db.write() as s:
            for name, roles in {"alice": ["submitter"], "bob": ["reviewer"], "carol": ["reviewer"],
                                "paul": ["publisher"]}.items():
                accounts.create_user(s, name, "correct horse battery", roles, actor="setup")
        publish_files(gate, {"stats.txt": CLEAN})
        return Path(gate.site.root)  # type: ignore[attr-defined]
    finally:
        gate.close()


def test_takedown_from_the_cli_uses_the_served_sweepers_quarantine_and_incidents(tmp_path: Path) -> None:
    data = tmp_path / "data"
    public = _gate_with_a_publication(data)
    (public / "stats/2024/roster.txt").write_bytes(LEAK)
    code, out = _run(str(public), "--takedown", "--data-dir", str(data), "--format", "json")
    assert code == 1, out
    doc = json.loads(out)
    [action] = doc["takedowns"]
    assert action["path"] == "stats/2024/roster.txt" and action["taken_down"] and action["incident_id"]
    assert not (public / "stats/2024/roster.txt").exists() and (public / "stats/2024/stats.txt").exists()
    sha = hashlib.sha256(LEAK).hexdigest()
    sealed = data / "quarantine" / f"{sha}.sealed"
    assert sealed.exists() and b"GARCIA" not in sealed.read_bytes()
    gate = Gate.open(data)
    try:
        with gate.db.read() as s:
            incident = s.scalars(select(IrIncident)).one()
            exposed = s.scalars(select(IrExposedFile)).one()
            assert incident.id == action["incident_id"] == exposed.incident_id and exposed.sha256 == sha
            assert s.scalars(select(SweepRun)).one().trigger == "cli"
    finally:
        gate.close()
    code, out = _run(str(public), "--takedown", "--data-dir", str(data))
    assert code == 0 and "0 flagged" in out  # nothing left to take down


def test_gate_mode_compares_with_the_publication_records_without_acting(tmp_path: Path) -> None:
    data = tmp_path / "data"
    public = _gate_with_a_publication(data)
    (public / "stats/2024/new.txt").write_bytes(b"A page nobody approved.\n")
    code, out = _run(str(public), "--gate", "--data-dir", str(data))
    assert code == 1 and "stats/2024/new.txt" in out and "never-approved" in out
    assert "stats/2024/stats.txt" not in out and (public / "stats/2024/new.txt").exists()


def test_gate_and_takedown_usage_errors(tmp_path: Path) -> None:
    listing = tmp_path / "approved.txt"
    listing.write_text(f"{hashlib.sha256(CLEAN).hexdigest()}\n")
    for args, message in ((["https://example.org/", "--takedown"], "TARGET must be"),
                          ([str(tmp_path), "--gate", "--approved", str(listing)], "exclude each other"),
                          ([str(tmp_path), "--takedown", "--no-state"], "--no-state")):
        result = CliRunner().invoke(app, ["sweep", *args, "--data-dir", str(tmp_path / "d")])
        assert result.exit_code == 2 and message in result.output, result.output
