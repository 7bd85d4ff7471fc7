"""`veil screen FILE... [--manifest M] [--recipient NAME --recipient-kind KIND] [--protected FILE]`: check outbound
messages and manifests before they are sent. Exit 0 when everything may be sent, 1 when anything is blocked,
2 on a usage error (and when a decision could not be written to the audit log).

With a database (`--database-url`, `--data-dir`, or an existing `.veil/veil.db`), the people of incidents are
protected (`--incidents`, on by default then) and every decision goes into the audit log."""

from __future__ import annotations

import getpass
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from veil.cli.formats import Format, text_or_json
from veil.errors import UsageError
from veil.screen.result import RecipientKind

if TYPE_CHECKING:
    from veil.screen.policy import ScreenPolicy
    from veil.screen.registry import ProtectedRegistry
    from veil.screen.result import Recipient, ScreenResult
    from veil.store.engine import Database

DEFAULT_DATA_DIR = Path(".veil")


@dataclass
class _Store:
    """Where decisions are audited and incidents read: a database named on the command line, or the default
    data directory's when it exists."""

    url: str | None
    data_dir: Path

    @classmethod
    def find(cls, data_dir: Path | None, database_url: str | None) -> _Store | None:
        if database_url:
            return cls(database_url, data_dir or DEFAULT_DATA_DIR)
        if data_dir is not None:
            if not (data_dir / "veil.db").is_file():
                raise UsageError(f"no database in {data_dir} (give --data-dir or --database-url)")
            return cls(None, data_dir)
        return cls(None, DEFAULT_DATA_DIR) if (DEFAULT_DATA_DIR / "veil.db").is_file() else None

    def open(self) -> Database:
        from sqlalchemy.exc import SQLAlchemyError

        from veil.errors import VeilError
        from veil.store.engine import open_database

        try:
            return open_database(self.url, self.data_dir)
        except (VeilError, SQLAlchemyError, OSError) as exc:
            reason = str(exc) if isinstance(exc, VeilError) else type(exc).__name__
            raise UsageError(f"cannot open the database ({reason})") from None


def screen_command(
    files: Annotated[list[str] | None, typer.Argument(
        help="Messages: .eml, .msg, .docx, .pdf, .txt; - reads standard input.")] = None,
    manifest: Annotated[list[str] | None, typer.Option("--manifest", "-m",
                                                       help="A removal/transfer manifest (CSV or XLSX).")] = None,
    recipient: Annotated[str, typer.Option("--recipient", help="Who the message goes to.")] = "",
    recipient_kind: Annotated[RecipientKind | None, typer.Option(
        "--recipient-kind", help="What kind of recipient it is; the policy's recipient table says which may know "
                                 "who sought protection. None given: the strictest.")] = None,
    protected: Annotated[str | None, typer.Option(
        "--protected", help="CSV/JSON of protected people: name, a_number, dob, nationality, reason.")] = None,
    policy: Annotated[str | None, typer.Option(
        "--policy", help="A screen policy YAML laid over the shipped one (recipient table, limits).")] = None,
    redact_manifest: Annotated[str | None, typer.Option(
        "--redact-manifest", help="Write the suggested manifest (refused rows taken out, only the fields the "
                                  "recipient needs) to this file; it is screened and reported instead.")] = None,
    incidents: Annotated[bool | None, typer.Option(
        "--incidents/--no-incidents", help="Also protect everyone in an incident's affected set (held while a "
                                           "protective hold is active). On by default when there is a database.",
        show_default=False)] = None,
    data_dir: Annotated[Path | None, typer.Option(
        "--data-dir", envvar="VEIL_DATA_DIR", help="Data directory holding the SQLite database (default .veil, "
                                                   "used when it exists).", show_default=False)] = None,
    database_url: Annotated[str | None, typer.Option("--database-url", envvar="VEIL_DATABASE_URL",
                                                     help="postgresql://... instead of SQLite.")] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Who screens, for the audit log (default: the "
                                                               "login name).", show_default=False)] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
) -> None:
    """Check outbound messages and manifests: pass (may be sent) or block, with the sentence, the reason and what to
    send instead."""
    text_or_json(format, "screen")
    from veil.screen import Recipient, load_screen_policy, report, screen_manifest, screen_message
    from veil.screen.incident_registry import screen_registry

    files, manifests = files or [], manifest or []
    try:
        if not files and not manifests:
            raise UsageError("give at least one message FILE or --manifest")
        if redact_manifest and len(manifests) != 1:
            raise UsageError("--redact-manifest needs exactly one --manifest")
        if redact_manifest and recipient_kind is None:
            raise UsageError("--redact-manifest needs --recipient-kind (the fields kept depend on it)")
        rules = load_screen_policy(policy)
        store = _Store.find(data_dir, database_url)
        if incidents and store is None:
            raise UsageError(f"no database in {DEFAULT_DATA_DIR} (give --data-dir or --database-url)")
        database = store.open() if store else None
        try:
            registry = screen_registry(protected, database if incidents is not False else None)
            blobs = [(path, _read(path)) for path in files]
            manifest_blobs = [(path, _read(path)) for path in manifests]
            who = Recipient(recipient, recipient_kind)
            results = [screen_message(blob, path, who, registry, rules) for path, blob in blobs]
            results += [screen_manifest(Path(path), path, who, registry, rules) for path, _ in manifest_blobs]
            if redact_manifest:
                results = _redacted(results, Path(redact_manifest), who, registry, rules)
            if database is not None:
                _audit(database, results, actor or _login())
        finally:
            if database is not None:
                database.dispose()
    except UsageError as exc:
        typer.echo(f"veil: {exc}", err=True)
        raise typer.Exit(2) from None
    if format is Format.json:
        typer.echo(json.dumps(report(results), indent=2, ensure_ascii=False))
    else:
        typer.echo(_text(results), nl=False)
    raise typer.Exit(1 if any(r.verdict == "block" for r in results) else 0)


def _redacted(results: list[ScreenResult], out: Path, who: Recipient, registry: ProtectedRegistry | None,
              rules: ScreenPolicy) -> list[ScreenResult]:
    """With --redact-manifest: the suggested copy is written and reported in the manifest's place (the exit code
    speaks for what will be sent); a manifest with no copy to suggest stays reported as refused."""
    original = results[-1]
    if original.verdict == "pass":
        suggestion_data = Path(original.path).read_bytes()
        changes = ["nothing to take out"]
    elif original.suggestion is not None and original.suggestion.data:
        suggestion_data, changes = original.suggestion.data, original.suggestion.changes
    else:
        return results
    try:
        out.write_bytes(suggestion_data)
    except OSError as exc:
        raise UsageError(f"cannot write {out}: {exc.strerror}") from exc
    from veil.screen import screen_manifest
    from veil.screen.result import ScreenFinding, ScreenKind

    copy = screen_manifest(out, str(out), who, registry, rules)
    copy.findings.extend(ScreenFinding(ScreenKind.NOTICE, "(file)", f"copy of {Path(original.path).name}: {c}")
                         for c in changes)
    return [*results[:-1], copy]


def _audit(database: Database, results: list[ScreenResult], actor: str) -> None:
    from sqlalchemy.exc import SQLAlchemyError

    from veil.screen.audit import record

    try:
        with database.write() as session:
            record(session, results, actor)
    except SQLAlchemyError as exc:
        raise UsageError(f"the decision could not be written to the audit log ({type(exc).__name__}): nothing "
                         "may be sent on it") from None


def _login() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (OSError, KeyError):
        return "cli"


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
        kind = r.recipient.kind.value if r.recipient.kind else "unspecified"
        lines.append(f"{r.verdict.upper():6} {r.path}  (recipient: {kind})")
        for f in r.findings:
            lines.append(f"    {'block' if f.blocks else 'note':5} {f.kind.value:17} {f.location}")
            lines.append(f"          {f.message}")
            if f.sentence:
                lines.append(f"          sentence: \"{f.sentence}\"")
        if r.suggestion is not None:
            lines.extend(_suggestion_lines(r))
    blocked = sum(1 for r in results if r.verdict == "block")
    lines.append(f"{len(results) - blocked} may be sent · {blocked} blocked")
    return "\n".join(lines) + "\n"


def _suggestion_lines(result: ScreenResult) -> list[str]:
    suggestion = result.suggestion
    assert suggestion is not None
    lines = [f"    send instead (screened: {suggestion.verdict}):"]
    lines.extend(f"      - {change}" for change in suggestion.changes)
    if suggestion.kind == "message":
        lines.append("      ┌" + "─" * 60)
        lines.extend(f"      │ {line}" for line in (suggestion.text or "(nothing)").splitlines())
        lines.append("      └" + "─" * 60)
    elif not suggestion.path:
        lines.append("      (write the copy with --redact-manifest OUT)")
    return lines


def register(app: typer.Typer) -> None:
    app.command("screen")(screen_command)
