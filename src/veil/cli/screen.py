"""`veil screen FILE... [--manifest M] [--recipient NAME --recipient-kind KIND] [--protected FILE]`: check outbound
messages and manifests before they are sent. Exit 0 when everything may be sent, 1 when anything is blocked,
2 on a usage error."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from veil.errors import UsageError

if TYPE_CHECKING:
    from veil.screen.registry import MemoryRegistry, ProtectedRegistry
    from veil.screen.result import ScreenResult


class Format(StrEnum):
    text = "text"
    json = "json"


class KindOption(StrEnum):
    foreign_government = "foreign-government"
    court = "court"
    attorney = "attorney"
    public = "public"
    agency = "agency"


def screen_command(
    files: Annotated[list[str] | None, typer.Argument(
        help="Messages: .eml, .msg, .docx, .pdf, .txt; - reads standard input.")] = None,
    manifest: Annotated[list[str] | None, typer.Option("--manifest", "-m",
                                                       help="A removal/transfer manifest (CSV or XLSX).")] = None,
    recipient: Annotated[str, typer.Option("--recipient", help="Who the message goes to.")] = "",
    recipient_kind: Annotated[KindOption | None, typer.Option("--recipient-kind",
                                                              help="What kind of recipient it is.")] = None,
    protected: Annotated[str | None, typer.Option(
        "--protected", help="CSV/JSON of protected people: name, a_number, dob, nationality, reason.")] = None,
    redact_manifest: Annotated[str | None, typer.Option(
        "--redact-manifest", help="Write the manifest with only the fields the recipient needs to this file.")] = None,
    incidents: Annotated[bool, typer.Option(
        "--incidents", help="Also protect everyone in an incident's affected set in Veil's database (held while a "
                            "protective hold is active).")] = False,
    data_dir: Annotated[Path, typer.Option("--data-dir", envvar="VEIL_DATA_DIR",
                                           help="Data directory holding the SQLite database (--incidents).")]
    = Path(".veil"),
    database_url: Annotated[str | None, typer.Option("--database-url", envvar="VEIL_DATABASE_URL",
                                                     help="postgresql://... instead of SQLite (--incidents).")]
    = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
) -> None:
    """Check outbound messages and manifests: pass (may be sent) or block, with the sentence and the reason."""
    from veil.screen import Recipient, RecipientKind, report, screen_manifest, screen_message
    from veil.screen import redact_manifest as redact

    files, manifests = files or [], manifest or []
    try:
        if not files and not manifests:
            raise UsageError("give at least one message FILE or --manifest")
        if redact_manifest and len(manifests) != 1:
            raise UsageError("--redact-manifest needs exactly one --manifest")
        if redact_manifest and recipient_kind is None:
            raise UsageError("--redact-manifest needs --recipient-kind (the fields kept depend on it)")
        registry = _registry(protected, incidents, data_dir, database_url)
        blobs = [(path, _read(path)) for path in files]
        manifest_blobs = [(path, _read(path)) for path in manifests]
    except UsageError as exc:
        typer.echo(f"veil: {exc}", err=True)
        raise typer.Exit(2) from None
    who = Recipient(recipient, RecipientKind(recipient_kind.value) if recipient_kind else None)
    results = [screen_message(blob, path, who, registry) for path, blob in blobs]
    results += [screen_manifest(blob, path, who, registry) for path, blob in manifest_blobs]
    if redact_manifest:
        path, blob = manifest_blobs[0]
        outcome, data = redact(blob, path, who, registry, redact_manifest)
        if data is not None:
            Path(redact_manifest).write_bytes(data)
            # The copy is what will be sent: screen it too, so the exit code speaks for it.
            results = [r for r in results if r.path != path]
            results.append(screen_manifest(data, redact_manifest, who, registry))
        else:
            results.append(outcome)
    if format is Format.json:
        typer.echo(json.dumps(report(results), indent=2, ensure_ascii=False))
    else:
        typer.echo(_text(results), nl=False)
    raise typer.Exit(1 if any(r.verdict == "block" for r in results) else 0)


def _registry(protected: str | None, incidents: bool, data_dir: Path, database_url: str | None
              ) -> ProtectedRegistry | None:
    from veil.screen import FileRegistry, MemoryRegistry

    people = list(FileRegistry(protected)) if protected else []
    if incidents:
        people += list(_incident_people(data_dir, database_url))
    return MemoryRegistry(people) if protected or incidents else None


def _incident_people(data_dir: Path, database_url: str | None) -> MemoryRegistry:
    from sqlalchemy.exc import SQLAlchemyError

    from veil.errors import VeilError
    from veil.screen.incident_registry import load_incident_registry
    from veil.store.engine import open_database

    if database_url is None and not (data_dir / "veil.db").is_file():
        raise UsageError(f"no database in {data_dir} (give --data-dir or --database-url)")
    try:
        db = open_database(database_url, data_dir, upgrade=False)
        try:
            with db.read() as session:
                return load_incident_registry(session)
        finally:
            db.dispose()
    except (VeilError, SQLAlchemyError, OSError) as exc:
        reason = str(exc) if isinstance(exc, VeilError) else type(exc).__name__
        raise UsageError(f"cannot read incidents from the database ({reason})") from None


# Bounded, and above the screener's own 50 MB limit, so an over-long message is reported as too large, not cut.
MAX_STDIN_BYTES = 64 * 1024 * 1024


def _read(path: str) -> bytes:
    if path == "-":  # a message piped in, as `veil check -` takes a file
        return sys.stdin.buffer.read(MAX_STDIN_BYTES)
    p = Path(path)
    if p.is_dir():
        raise UsageError(f"{path} is a directory: give the message or manifest files")
    if not p.is_file():
        raise UsageError(f"no such file: {path}")
    try:
        return p.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from exc


def _text(results: list[ScreenResult]) -> str:
    lines = []
    for r in results:
        lines.append(f"{r.verdict.upper():6} {r.path}")
        for f in r.findings:
            lines.append(f"    {'block' if f.blocks else 'note':5} {f.kind.value:17} {f.location}")
            lines.append(f"          {f.message}")
            if f.sentence:
                lines.append(f"          sentence: \"{f.sentence}\"")
    blocked = sum(1 for r in results if r.verdict == "block")
    lines.append(f"{len(results) - blocked} may be sent · {blocked} blocked")
    return "\n".join(lines) + "\n"


def register(app: typer.Typer) -> None:
    app.command("screen")(screen_command)
