"""`veil holds check-manifest MANIFEST [--incident ID]`: refuse a removal manifest that lists anyone under a
protective hold: of any incident (closed ones too), or of one incident with --incident, whose people with no active
hold (lifted) are listed without refusing. `veil screen --manifest` links manifests to people with the same
function (`veil.incident.holds.linked_rows`), so a manifest refused here never passes the screen.

Exit 0: nobody on the manifest is held. Exit 1: the manifest is refused — held people are listed (masked), or the
manifest cannot be read, so nobody can be cleared (fail closed). Exit 2: usage error (no such file, bad database).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from veil.cli.formats import Format, text_or_json
from veil.errors import VeilError

holds_app = typer.Typer(help="Protective holds of incident response.", no_args_is_help=True)


@holds_app.command("check-manifest")
def check_manifest_command(
    manifest: Annotated[
        Path, typer.Argument(help="The removal manifest: CSV or XLSX with name, date of birth, A-number, nationality.")
    ],
    data_dir: Annotated[
        Path, typer.Option("--data-dir", envvar="VEIL_DATA_DIR", help="Data directory holding the SQLite database.")
    ] = Path(".veil"),
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", envvar="VEIL_DATABASE_URL", help="postgresql://user@host/db instead of SQLite."),
    ] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Sheet of an XLSX manifest.")] = None,
    incident: Annotated[
        int | None,
        typer.Option(
            "--incident",
            help="Check against this incident's affected people only (default: everyone under an "
            "active hold, in any incident).",
        ),
    ] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
) -> None:
    """Link a removal manifest to the people under protective hold; refuse it if anyone is held. The same linkage
    screens manifests in `veil screen --manifest`, which also refuses this manifest."""
    text_or_json(format, "holds check-manifest")
    from sqlalchemy.exc import SQLAlchemyError

    from veil.incident.holds import HeldRow, check_manifest
    from veil.incident.linkage_columns import LinkageInputError
    from veil.store.engine import open_database
    from veil.workflow.errors import NotFound

    if not manifest.is_file():
        typer.echo(f"veil holds: no such file: {manifest}", err=True)
        raise typer.Exit(2)
    if database_url is None and not (data_dir / "veil.db").is_file():
        typer.echo(f"veil holds: no database in {data_dir} (give --data-dir or --database-url)", err=True)
        raise typer.Exit(2)
    try:
        db = open_database(database_url, data_dir)
    except (VeilError, SQLAlchemyError, OSError) as exc:
        reason = str(exc) if isinstance(exc, VeilError) else type(exc).__name__
        typer.echo(f"veil holds: cannot open the database ({reason})", err=True)
        raise typer.Exit(2) from None
    try:
        with db.write() as s:
            result = check_manifest(s, manifest, actor="cli", sheet=sheet, incident_id=incident)
    except NotFound as exc:
        typer.echo(f"veil holds: {exc}", err=True)
        raise typer.Exit(2) from None
    except (LinkageInputError, VeilError) as exc:
        if format is Format.json:
            typer.echo(json.dumps({"verdict": "block", "rows": None, "refused": None, "error": str(exc)}))
        typer.echo(f"veil holds: manifest refused: cannot check it: {exc}", err=True)
        raise typer.Exit(1) from None
    except SQLAlchemyError as exc:
        typer.echo(f"veil holds: the database failed ({type(exc).__name__})", err=True)
        raise typer.Exit(2) from None
    finally:
        db.dispose()

    def row(h: HeldRow) -> dict[str, object]:
        return {
            "row": h.row,
            "name": h.name,
            "anumber": h.anumber,
            "how": h.how,
            "holds": list(h.hold_ids),
            "incidents": list(h.incident_ids),
        }

    if format is Format.json:
        typer.echo(
            json.dumps(
                {
                    "verdict": "block" if result.refused else "pass",
                    "rows": result.rows,
                    "refused": len(result.held),
                    "sha256": result.sha256,
                    "incident": result.incident_id,
                    "held": [row(h) for h in result.held],
                    "affected_not_held": [row(h) for h in result.affected],
                },
                indent=2,
                ensure_ascii=False,
            )
        )
        raise typer.Exit(1 if result.refused else 0)
    scope = f"people of incident {result.incident_id} " if result.incident_id is not None else ""
    for h in result.affected:
        anum = f", A-number {h.anumber}" if h.anumber else ""
        typer.echo(
            f"  row {h.row}: {h.name}{anum} is affected by incident {result.incident_id} (matched by "
            f"{h.how}), not under an active hold"
        )
    if not result.refused:
        typer.echo(
            f"{result.rows:,} manifest rows: nobody is under a protective hold"
            + (f" of incident {result.incident_id}" if result.incident_id is not None else "")
        )
        return
    typer.echo(f"REFUSED: {len(result.held):,} of {result.rows:,} manifest rows are {scope}under a protective hold")
    for h in result.held:
        anum = f", A-number {h.anumber}" if h.anumber else ""
        incidents = f"; incident {', '.join(map(str, h.incident_ids))}" if h.incident_ids else ""
        typer.echo(
            f"  row {h.row}: {h.name}{anum} (matched by {h.how}; hold {', '.join(map(str, h.hold_ids))}{incidents})"
        )
    raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.add_typer(holds_app, name="holds")
