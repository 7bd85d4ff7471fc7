"""Protected people from incident response (Veil's database): affected people, held while a hold is active."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from veil.cli import app
from veil.screen import Recipient, RecipientKind, screen_message
from veil.screen.incident_registry import load_incident_registry
from veil.store.engine import Database


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


def test_incident_people_are_read_again_after_every_change(tmp_path: Path) -> None:
    from datetime import date

    from sqlalchemy import select

    from support.incident_people import NOW, incident_database
    from veil.screen.incident_registry import incident_people
    from veil.store.models_incident import IrHold

    incident_database(tmp_path, [{"given": "Rosa", "surname": "TZUL", "dob": date(1990, 1, 2)},
                                 {"given": "Omar", "surname": "DIALLO"}], held=[0])
    db = Database(f"sqlite:///{tmp_path / 'veil.db'}")
    try:
        first = incident_people(db)
        assert incident_people(db) is first  # unchanged tables: the people are not read again
        assert {p.name: p.reason for p in list(first)} == {"TZUL, Rosa": "held", "DIALLO, Omar": "affected"}
        with db.write() as s:  # the hold is lifted: the same counts of rows, one active hold fewer
            s.scalars(select(IrHold)).one().lifted = NOW
        assert {p.name: p.reason for p in incident_people(db)}["TZUL, Rosa"] == "affected"
        from support.incident_people import add_incident_people

        add_incident_people(db, [{"given": "Léa", "surname": "PIERRE"}], held=[0])
        assert {p.name: p.reason for p in incident_people(db)}["PIERRE, Léa"] == "held"
    finally:
        db.dispose()
