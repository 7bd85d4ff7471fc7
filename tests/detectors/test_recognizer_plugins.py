"""A recognizer plugin (the `veil.recognizers` entry-point group) seen at work in `veil check` (the gate: see
tests/web/test_gate_recognizer_plugin.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from support.plugin import id_table, install, installed
from veil.policy import load_policy


def _check(path: Path, plugin_dir: Path | None) -> dict:  # type: ignore[type-arg]
    env = dict(os.environ)
    if plugin_dir is not None:
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(plugin_dir), env.get("PYTHONPATH")) if p)
    done = subprocess.run(
        [sys.executable, "-m", "veil", "check", "--format", "json", str(path)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)  # type: ignore[no-any-return]


def test_the_plugin_blocks_a_table_of_its_ids_in_veil_check(tmp_path: Path) -> None:
    (tmp_path / "site").mkdir()
    plugin = install(tmp_path / "site")
    table = tmp_path / "ids.csv"
    table.write_bytes(id_table())
    assert _check(table, None)["verdict"] == "pass"  # without the plugin, nothing there is known
    report = _check(table, plugin)
    assert report["verdict"] == "block"
    finding = report["files"][0]["findings"][0]
    assert finding["kind"] == "record-level" and "Ruritanian personal number" in finding["message"]
    assert report["files"][0]["persons"] == 8
    assert "RZ-" not in json.dumps(report)  # masked, like any identifier


def test_wrong_check_digits_are_not_ids(tmp_path: Path) -> None:
    plugin = install(tmp_path)
    table = tmp_path / "ids.csv"
    table.write_bytes(id_table(valid=False))
    assert _check(table, plugin)["verdict"] == "pass"


def test_the_plugin_s_own_kind_blocks_an_id_in_prose(tmp_path: Path) -> None:
    from veil.pipeline import check_bytes

    with installed(tmp_path):
        result = check_bytes(b"The file of RZ-1234567-8 was sent back.\n", "note.txt", load_policy())
        assert [str(f.kind) for f in result.findings] == ["national-id-in-text"]
        assert result.verdict == "block" and "RZ-1234567-8" not in repr(result)
        wrong = check_bytes(b"The file of RZ-1234567-1 was sent back.\n", "note.txt", load_policy())
        assert wrong.verdict == "pass"


@pytest.mark.parametrize("bad", ["ruritania_veil:missing", "no_such_module:recognizers"])
def test_a_broken_plugin_stops_the_check_with_its_name(tmp_path: Path, bad: str) -> None:
    install(tmp_path)
    (tmp_path / "ruritania_veil-0.1.dist-info" / "entry_points.txt").write_text(
        f"[veil.recognizers]\nruritania = {bad}\n", encoding="utf-8"
    )
    (tmp_path / "t.csv").write_bytes(id_table())
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "veil", "check", str(tmp_path / "t.csv")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode != 0 and "recognizer plugin ruritania" in done.stderr
    assert "Traceback" not in done.stderr
