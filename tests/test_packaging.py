"""The built wheel on a fresh machine: core dependencies only give a `veil` that answers --version and checks a
file; a command that needs an extra says which one instead of a traceback."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

from support.paths import ROOT
from veil.demo import roster_rows

pytestmark = pytest.mark.skipif(shutil.which("uv") is None, reason="needs uv to build and install the wheel")


def _run(args: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=600, **kw)  # type: ignore[call-overload]


@pytest.fixture(scope="module")
def fresh_veil(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("wheel")
    built = _run(["uv", "build", "--wheel", "--out-dir", str(where / "dist"), str(ROOT)])
    assert built.returncode == 0, built.stderr[-2000:]
    wheel = next((where / "dist").glob("veil-*.whl"))
    venv = where / "venv"
    assert _run(["uv", "venv", "--python", "3.11", str(venv)]).returncode == 0
    installed = _run(["uv", "pip", "install", "--python", str(venv / "bin" / "python"), str(wheel)])
    assert installed.returncode == 0, installed.stderr[-2000:]
    return venv / "bin" / "veil"


def test_the_core_install_checks_a_file(fresh_veil: Path, tmp_path: Path) -> None:
    version = _run([str(fresh_veil), "--version"])
    assert version.returncode == 0 and version.stdout.startswith("veil ")
    roster = tmp_path / "roster.csv"
    with roster.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(roster_rows(10))
    checked = _run([str(fresh_veil), "check", str(roster), "--format", "json"])
    assert checked.returncode == 1 and '"verdict": "block"' in checked.stdout, checked.stderr[-2000:]
    swept = _run([str(fresh_veil), "sweep", str(tmp_path), "--no-state", "--format", "json"])
    assert swept.returncode == 1 and '"verdict": "block"' in swept.stdout, swept.stderr[-2000:]


def test_the_core_install_leaves_the_server_out_and_says_how_to_add_it(fresh_veil: Path, tmp_path: Path) -> None:
    python = fresh_veil.parent / "python"
    assert _run([str(python), "-c", "import fastapi"]).returncode != 0
    served = _run([str(fresh_veil), "serve", "--data-dir", str(tmp_path / "d")])
    assert served.returncode == 2
    assert "pip install 'veil[server]'" in served.stderr and "Traceback" not in served.stderr
