"""`veil screen`: exit codes, JSON shape, --protected, --manifest and --redact-manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from veil.cli import app

runner = CliRunner()


def _write(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return str(path)


def test_exit_codes_and_json_shape(tmp_path: Path) -> None:
    clean = _write(tmp_path, "clean.txt", "The flight departs at 10:00 with 103 passengers.")
    leak = _write(tmp_path, "leak.txt", "We have 103 people on the flight. Some of them claimed fear.")
    ok = runner.invoke(app, ["screen", clean, "--recipient-kind", "foreign-government"])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(app, ["screen", clean, leak, "--format", "json", "--recipient", "Embassy",
                              "--recipient-kind", "foreign-government"])
    assert bad.exit_code == 1
    doc = json.loads(bad.output)
    assert doc["verdict"] == "block"
    assert [f["verdict"] for f in doc["files"]] == ["pass", "block"]
    finding = doc["files"][1]["findings"][0]
    assert {"kind", "location", "message"} <= set(finding)
    assert finding["kind"] == "status-disclosure" and finding["sentence"] == "Some of them claimed fear."


def test_text_output_names_sentence_and_reason(tmp_path: Path) -> None:
    leak = _write(tmp_path, "leak.txt", "Algunos de los 103 pasajeros fueron afectados por la filtración.")
    result = runner.invoke(app, ["screen", leak])
    assert result.exit_code == 1
    assert "BLOCK" in result.output and "Algunos de los 103 pasajeros" in result.output
    assert "data incident" in result.output or "incidente" in result.output


@pytest.mark.parametrize("args", [
    [],
    ["/nonexistent/message.txt"],
    ["--manifest", "/nonexistent/m.csv"],
    ["x.txt", "--recipient-kind", "martian"],
    ["--redact-manifest", "out.csv"],
])
def test_usage_errors_exit_2(args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.txt").write_text("hello")
    result = runner.invoke(app, ["screen", *args])
    assert result.exit_code == 2


def test_bad_protected_file_is_a_usage_error(tmp_path: Path) -> None:
    msg = _write(tmp_path, "m.txt", "hello")
    bad = _write(tmp_path, "p.csv", "a_number\n\n")
    result = runner.invoke(app, ["screen", msg, "--protected", bad])
    assert result.exit_code == 2 and "name" in result.output


def test_protected_people_and_manifest_redaction(tmp_path: Path) -> None:
    protected = _write(tmp_path, "protected.csv",
                       "name,a_number,dob,nationality,reason\n\"PÉREZ LÓPEZ, Ana María\",A012345678,1990-05-04,"
                       "Honduras,held\n")
    message = _write(tmp_path, "m.txt", "Ana Maria Perez will be on the flight.")
    result = runner.invoke(app, ["screen", message, "--protected", protected, "--recipient",
                                 "Government of Honduras", "--recipient-kind", "foreign-government"])
    assert result.exit_code == 1 and "protected-person" in result.output
    assert "Perez" not in result.output and "Ana" not in result.output

    manifest = _write(tmp_path, "manifest.csv", "Name,DOB,Nationality,Flight,Case Type\n"
                                                "Luis Gómez,1980-01-02,Honduras,HN1,removal\n"
                                                "Rosa Díaz,1975-03-04,Honduras,HN1,removal\n")
    out = tmp_path / "redacted.csv"
    refused = runner.invoke(app, ["screen", "--manifest", manifest, "--recipient-kind", "foreign-government"])
    assert refused.exit_code == 1 and "manifest-field" in refused.output
    redacted = runner.invoke(app, ["screen", "--manifest", manifest, "--recipient-kind", "foreign-government",
                                   "--protected", protected, "--redact-manifest", str(out), "--format", "json"])
    assert redacted.exit_code == 0, redacted.output
    assert out.read_text().splitlines()[0] == "Name,DOB,Nationality,Flight"
    assert json.loads(redacted.output)["files"][0]["path"] == str(out)

    held = _write(tmp_path, "held.csv", "Name,DOB,Nationality,Flight\nAna María Pérez López,1990-05-04,Honduras,"
                                        "HN1\nRosa Díaz,1975-03-04,Honduras,HN1\n")
    refused = runner.invoke(app, ["screen", "--manifest", held, "--recipient-kind", "foreign-government",
                                  "--protected", protected])
    assert refused.exit_code == 1 and "protective hold" in refused.output
    assert "send instead" in refused.output and "1 row(s) taken out" in refused.output
    # the suggested copy leaves the held person out and gives no reason
    out2 = tmp_path / "redacted2.csv"
    copied = runner.invoke(app, ["screen", "--manifest", held, "--recipient-kind", "foreign-government",
                                 "--protected", protected, "--redact-manifest", str(out2)])
    assert copied.exit_code == 0, copied.output
    assert out2.read_text(encoding="utf-8") == "Name,DOB,Nationality,Flight\nRosa Díaz,1975-03-04,Honduras,HN1\n"


def test_message_on_standard_input_is_prose_and_masked() -> None:
    message = "Dear Consul,\nGARCIA LOPEZ, Jose (A123456789) has a pending asylum claim.\n"
    result = runner.invoke(app, ["screen", "-", "--format", "json"], input=message)
    assert result.exit_code == 1, result.output
    finding = json.loads(result.output)["files"][0]["findings"][0]
    assert finding["location"].startswith("message")  # read as a message, not as a two-row CSV
    assert "GARCIA" not in result.output and "123456789" not in result.output
    clean = runner.invoke(app, ["screen", "-"], input="The flight departs at 10:00 with 103 passengers.\n")
    assert clean.exit_code == 0, clean.output


def test_names_split_over_table_cells_are_masked(tmp_path: Path) -> None:
    rows = _write(tmp_path, "list.csv", "Name,Country,Note\nGARCIA LOPEZ Jose,Guatemala,has a pending asylum claim\n")
    result = runner.invoke(app, ["screen", rows])
    assert result.exit_code == 1, result.output
    assert "GARCIA" not in result.output and "LOPEZ" not in result.output
    assert "G***** L**** J*** | Guatemala" in result.output
