"""`veil holds check-manifest --incident ID`: a manifest checked against one incident's people. Its held people
refuse the manifest, its people with no active hold are listed without refusing, another incident's held people
are not looked at; without --incident every active hold of every incident counts. `veil screen --manifest` uses
the same linkage and refuses what check-manifest refuses."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from support.incident_people import NOW, incident_database
from veil.cli import app
from veil.store.engine import Database
from veil.store.models_incident import IrAffected, IrHold, IrIncident, IrRoster, IrRosterPerson

runner = CliRunner()
MANIFEST = (
    "Name,DOB,A-Number,Flight\n"
    "Jose Garcia,1980-02-01,,HN1\n"  # incident 1, held
    "Luis Mora,,A987654321,HN1\n"  # incident 1, hold lifted
    "Pedro Solis,1970-05-06,,HN1\n"  # incident 2, held
    "Rosa Diaz,1979-09-12,,HN1\n"
)  # nobody's


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("veil")
    incident_database(
        path,
        [
            {"given": "José", "surname": "GARCÍA", "dob": date(1980, 2, 1), "nationality": "Guatemala"},
            {"given": "Luis", "surname": "MORA", "anumber": "987654321"},
        ],
        held=[0],
        lifted=[1],
    )
    db = Database(f"sqlite:///{path / 'veil.db'}")
    try:
        with db.write() as s:
            second = IrIncident(title="second leak", discovered=NOW)
            roster = IrRoster(name="other.xlsx", sha256="1" * 64)
            s.add_all([second, roster])
            s.flush()
            person = IrRosterPerson(roster_id=roster.id, ref="x1", given="Pedro", surname="SOLIS", dob=date(1970, 5, 6))
            s.add(person)
            s.flush()
            affected = IrAffected(incident_id=second.id, person_id=person.id, basis="in-file")
            s.add(affected)
            s.flush()
            s.add(IrHold(affected_id=affected.id, person_id=person.id, placed=NOW))
    finally:
        db.dispose()
    return path


def _check(data_dir: Path, tmp_path: Path, *extra: str) -> tuple[int, dict[str, object]]:
    path = tmp_path / "manifest.csv"
    path.write_text(MANIFEST, encoding="utf-8")
    result = runner.invoke(
        app, ["holds", "check-manifest", str(path), "--data-dir", str(data_dir), "--format", "json", *extra]
    )
    return result.exit_code, json.loads(result.stdout) if result.stdout.strip() else {}


def test_every_active_hold_by_default(data_dir: Path, tmp_path: Path) -> None:
    code, doc = _check(data_dir, tmp_path)
    assert code == 1 and doc["refused"] == 2 and doc["incident"] is None
    assert [(h["row"], h["incidents"]) for h in doc["held"]] == [(2, [1]), (4, [2])]
    assert doc["affected_not_held"] == []


def test_one_incident(data_dir: Path, tmp_path: Path) -> None:
    code, doc = _check(data_dir, tmp_path, "--incident", "1")
    assert code == 1 and doc["incident"] == 1 and doc["rows"] == 4
    assert [h["row"] for h in doc["held"]] == [2]
    assert [(h["row"], h["how"], h["holds"]) for h in doc["affected_not_held"]] == [(3, "a-number", [])]
    assert "Garcia" not in json.dumps(doc) and "987654321" not in json.dumps(doc)


def test_an_incident_without_held_people_on_the_manifest_passes(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "clean.csv"
    path.write_text("Name,DOB\nPedro Solis,1970-05-06\n", encoding="utf-8")
    result = runner.invoke(app, ["holds", "check-manifest", str(path), "--data-dir", str(data_dir), "--incident", "1"])
    assert result.exit_code == 0, result.output
    assert "nobody is under a protective hold of incident 1" in result.output


def test_unknown_incident_is_a_usage_error(data_dir: Path, tmp_path: Path) -> None:
    code, _ = _check(data_dir, tmp_path, "--incident", "99")
    assert code == 2


def test_the_screen_refuses_what_check_manifest_refuses(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "manifest.csv"
    path.write_text(MANIFEST, encoding="utf-8")
    screened = runner.invoke(
        app,
        [
            "screen",
            "--manifest",
            str(path),
            "--data-dir",
            str(data_dir),
            "--recipient-kind",
            "agency",
            "--format",
            "json",
        ],
    )
    assert screened.exit_code == 1 and json.loads(screened.stdout)["verdict"] == "block"
