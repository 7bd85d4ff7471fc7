"""Protected people from incident response (Veil's database): affected people, held while a hold is active."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from veil.cli import app
from veil.screen import Recipient, RecipientKind, screen_message
from veil.screen.incident_registry import load_incident_registry
from veil.store.engine import Database
from veil.store.models_incident import IrAffected, IrHold, IrIncident, IrRoster, IrRosterPerson

NOW = datetime(2023, 1, 10, tzinfo=UTC)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated database for the module: migrations are the slow part."""
    path = tmp_path_factory.mktemp("veil")
    _database(path).dispose()
    return path


def _database(tmp_path: Path) -> Database:
    db = Database(f"sqlite:///{tmp_path / 'veil.db'}")
    db.upgrade()
    with db.write() as s:
        incident = IrIncident(title="roster posted", discovered=NOW)
        roster = IrRoster(name="roster.xlsx", sha256="0" * 64)
        s.add_all([incident, roster])
        s.flush()
        held = IrRosterPerson(roster_id=roster.id, ref="1", given="José", surname="GARCÍA", dob=date(1980, 2, 1),
                              nationality="Guatemala", anumber="123456789")
        affected = IrRosterPerson(roster_id=roster.id, ref="2", given="Ana", surname="RUIZ", nationality="Honduras")
        lifted = IrRosterPerson(roster_id=roster.id, ref="3", given="Luis", surname="MORA", anumber="987654321")
        s.add_all([held, affected, lifted])
        s.flush()
        rows = [IrAffected(incident_id=incident.id, person_id=p.id, basis="in-file") for p in (held, affected, lifted)]
        s.add_all(rows)
        s.flush()
        s.add(IrHold(affected_id=rows[0].id, person_id=held.id, placed=NOW))
        s.add(IrHold(affected_id=rows[2].id, person_id=lifted.id, placed=NOW, lifted=NOW, lifted_by="x",
                     lift_reason="notice period over"))
    return db


def test_affected_people_and_active_holds(data_dir: Path) -> None:
    db = Database(f"sqlite:///{data_dir / 'veil.db'}")
    with db.read() as s:
        people = {p.name: p for p in load_incident_registry(s)}
    db.dispose()
    assert people["GARCÍA, José"].held and people["GARCÍA, José"].a_number == "123456789"
    assert people["RUIZ, Ana"].reason == "affected"
    assert people["MORA, Luis"].reason == "affected"  # the hold was lifted; still affected


def test_screen_uses_the_database(data_dir: Path, tmp_path: Path) -> None:
    db = Database(f"sqlite:///{data_dir / 'veil.db'}")
    with db.read() as s:
        registry = load_incident_registry(s)
    db.dispose()
    gov = Recipient("Gobierno de Guatemala", RecipientKind.FOREIGN_GOVERNMENT)
    result = screen_message(b"Jose Garcia viaja el lunes.", "m.txt", gov, registry)
    assert result.verdict == "block" and "government of their nationality" in result.findings[0].message

    message = tmp_path / "m.txt"
    message.write_text("Please add Ana Ruiz to Thursday's list.")
    cli = CliRunner().invoke(app, ["screen", str(message), "--incidents", "--data-dir", str(data_dir),
                                   "--recipient-kind", "foreign-government"])
    assert cli.exit_code == 1 and "protected-person" in cli.output
    missing = CliRunner().invoke(app, ["screen", str(message), "--incidents", "--data-dir", str(tmp_path / "none")])
    assert missing.exit_code == 2
