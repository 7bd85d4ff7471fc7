"""`veil incident ...`: run the response from the command line (the incident pages do the same in the browser).

    open --title T --file EXPOSED [--url URL] [--exposed-from ISO] [--exposed-to ISO]
    list | show ID
    link ID ROSTER --roster-id COL [--sheet S]
    review ID [--accept ROW=ROSTER_ID ...] [--add ROW=ROSTER_ID ...] [--reject ROW ...]
    access-log ID LOG...
    status ID STATUS.csv
    notify ID [--out DIR]
    report ID --kind oversight|centre|public --format json|pdf|xlsx [--out FILE]
    oversight ID --required|--not-required --reason TEXT

Exit 0 done, 1 refused or something needs attention (rows waiting for review, letters waiting, a status ALERT),
2 usage error. `--format json` prints one JSON object on stdout; errors are one line on stderr, never a value.
"""

from __future__ import annotations

import getpass
import json
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from veil.errors import UsageError, VeilError

incident_app = typer.Typer(
    help="Incident response: open, link, review, access logs, statuses, notices, reports.", no_args_is_help=True
)
DataDir = Annotated[
    Path, typer.Option("--data-dir", envvar="VEIL_DATA_DIR", help="Data directory holding the SQLite database.")
]
DatabaseUrl = Annotated[
    str | None,
    typer.Option("--database-url", envvar="VEIL_DATABASE_URL", help="postgresql://user@host/db instead of SQLite."),
]
Format = Annotated[str, typer.Option("--format", "-f", help="text or json.")]
Actor = Annotated[
    str | None,
    typer.Option("--actor", envvar="VEIL_ACTOR", help="Who acts, for the audit log (default: the login name)."),
]
IncidentId = Annotated[int, typer.Argument(help="The incident number.", min=1)]
DEFAULT_DATA = Path(".veil")


class _Done:
    """What a step did: its JSON document, its text, and whether something needs attention (exit 1)."""

    def __init__(self, doc: dict[str, Any] | list[Any], text: str, attention: bool = False) -> None:
        self.doc, self.text, self.attention = doc, text, attention


def _actor(actor: str | None) -> str:
    if actor:
        return actor[:64]
    try:
        return f"cli:{getpass.getuser()}"[:64]
    except (KeyError, OSError):
        return "cli"


def _when(text: str | None, option: str) -> datetime | None:
    if text is None:
        return None
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise typer.BadParameter(f"{option} must be an ISO date and time, e.g. 2022-11-03T14:05:00Z") from None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"veil: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def _database(data_dir: Path, database_url: str | None) -> Iterator[Any]:
    from sqlalchemy.exc import SQLAlchemyError

    from veil.store.engine import open_database

    try:
        db = open_database(database_url, data_dir)
    except (VeilError, SQLAlchemyError, OSError) as exc:
        reason = str(exc) if isinstance(exc, VeilError) else type(exc).__name__
        raise _fail(f"cannot open the database ({reason})", 2) from None
    try:
        yield db
    finally:
        db.dispose()


def _run(data_dir: Path, database_url: str | None, fmt: str, step: Callable[[Any], _Done]) -> None:
    """Run one step in one write transaction; print its result; map errors to exit codes."""
    from sqlalchemy.exc import SQLAlchemyError

    from veil.incident.linkage_columns import LinkageInputError
    from veil.workflow.errors import Invalid, NotFound, WorkflowError

    if fmt not in ("text", "json"):
        raise _fail("--format must be text or json", 2)
    with _database(data_dir, database_url) as db:
        try:
            with db.write() as session:
                done = step(session)
        except (NotFound, Invalid, UsageError) as exc:
            raise _fail(str(exc), 2) from None
        except (WorkflowError, LinkageInputError, VeilError, LookupError) as exc:
            raise _fail(str(exc), 1) from None
        except SQLAlchemyError as exc:
            raise _fail(f"the database failed ({type(exc).__name__})", 2) from None
    if fmt == "json":
        typer.echo(json.dumps(done.doc, indent=2, ensure_ascii=False, default=str))
    else:
        typer.echo(done.text)
    if done.attention:
        raise typer.Exit(1)


def _get(session: Any, incident_id: int) -> Any:
    from veil.incident.incidents import get_incident

    return get_incident(session, incident_id)


@incident_app.command("open")
def open_command(
    title: Annotated[str, typer.Option("--title", help="What happened, in a few words (no personal data).")],
    file: Annotated[Path, typer.Option("--file", help="A copy of the exposed file.")],
    url: Annotated[str | None, typer.Option("--url", help="Where it was exposed.")] = None,
    exposed_from: Annotated[str | None, typer.Option("--exposed-from", help="When it became public (ISO).")] = None,
    exposed_to: Annotated[str | None, typer.Option("--exposed-to", help="When it was taken down (ISO).")] = None,
    data_dir: DataDir = DEFAULT_DATA,
    database_url: DatabaseUrl = None,
    format: Format = "text",
    actor: Actor = None,
) -> None:
    """Open the incident for an exposed file (or join the open one for the same bytes)."""
    from veil.incident.response import open_from_file, summary

    if not file.is_file():
        raise _fail(f"no such file: {file}", 2)
    start, end = _when(exposed_from, "--exposed-from"), _when(exposed_to, "--exposed-to")

    def step(session: Any) -> _Done:
        incident, joined = open_from_file(
            session, file, actor=_actor(actor), title=title, url=url, exposed_from=start, exposed_to=end
        )
        doc = {**summary(session, incident), "joined": joined}
        return _Done(doc, f"incident {incident.id} {'joined' if joined else 'opened'}: {incident.title}")

    _run(data_dir, database_url, format, step)


@incident_app.command("list")
def list_command(
    data_dir: DataDir = DEFAULT_DATA, database_url: DatabaseUrl = None, format: Format = "text", actor: Actor = None
) -> None:
    """Every incident, newest first."""
    from sqlalchemy import select

    from veil.incident import clocks
    from veil.store.models_incident import IrIncident

    def step(session: Any) -> _Done:
        rows = []
        for inc in session.scalars(select(IrIncident).order_by(IrIncident.id.desc())):
            rows.append(
                {
                    "id": inc.id,
                    "title": inc.title,
                    "status": inc.status,
                    "opened_by": inc.opened_by,
                    "discovered": inc.discovered.isoformat(),
                    "deadlines": [c.as_dict() for c in clocks.record_deadlines(session, inc, _actor(actor))],
                }
            )
        text = "\n".join(f"{r['id']:>5}  {r['status']:<9} {r['title']}" for r in rows) or "no incidents"
        return _Done({"incidents": rows}, text)

    _run(data_dir, database_url, format, step)


@incident_app.command("show")
def show_command(
    incident_id: IncidentId,
    data_dir: DataDir = DEFAULT_DATA,
    database_url: DatabaseUrl = None,
    format: Format = "text",
    actor: Actor = None,
) -> None:
    """The incident: its files and exposure window, clocks and figures."""
    from datetime import datetime

    from veil.incident.incidents import duration
    from veil.incident.response import summary
    from veil.store.base import utcnow

    def step(session: Any) -> _Done:
        doc = summary(session, _get(session, incident_id), _actor(actor))
        lines = [f"incident {doc['id']}: {doc['title']} ({doc['status']})"]
        for f in doc["files"]:
            start, end = (datetime.fromisoformat(f[k]) if f[k] else None for k in ("exposure_start", "exposure_end"))
            lasted = duration(start, end or utcnow()) if start else "?"
            lines.append(
                f"  file {f['id']} {f['sha256'][:12]}… exposed {f['exposure_start']} "
                f"({f['exposure_start_source']}) to {f['exposure_end'] or 'now'}: {lasted}"
            )
        for c in doc["deadlines"]:
            lines.append(f"  clock {c['name']}: {c['state']}, due {c['due']}")
        lines += [f"  {k.replace('_', ' ')}: {v}" for k, v in doc["figures"].items()]
        return _Done(doc, "\n".join(lines))

    _run(data_dir, database_url, format, step)


@incident_app.command("link")
def link_command(
    incident_id: IncidentId,
    roster: Annotated[Path, typer.Argument(help="The roster: CSV, XLSX or Parquet.")],
    roster_id: Annotated[str, typer.Option("--roster-id", help="The roster column that identifies a person.")],
    sheet: Annotated[
        str | None,
        typer.Option("--sheet", help="The exposed workbook's sheet of people (found by itself when not given)."),
    ] = None,
    roster_sheet: Annotated[str | None, typer.Option("--roster-sheet", help="Sheet of an XLSX roster.")] = None,
    data_dir: DataDir = DEFAULT_DATA,
    database_url: DatabaseUrl = None,
    format: Format = "text",
    actor: Actor = None,
) -> None:
    """Link the exposed file's people to the roster: matches are affected and held at once; the rest wait for a
    clerk (`review`)."""
    from veil.incident.response import link_roster

    if not roster.is_file():
        raise _fail(f"no such file: {roster}", 2)

    def step(session: Any) -> _Done:
        done = link_roster(
            session,
            _get(session, incident_id),
            roster,
            roster_id,
            _actor(actor),
            sheet=sheet,
            roster_sheet=roster_sheet,
        )
        doc = {
            "accepted": sum(d.accepted for d in done),
            "review": sum(d.review for d in done),
            "none": sum(d.none for d in done),
            "already_affected": sum(d.already_affected for d in done),
            "notes": [n for d in done for n in d.notes],
        }
        return _Done(
            doc,
            f"{doc['accepted']:,} matched and held, {doc['review']:,} for review, {doc['none']:,} with no candidate",
            attention=bool(doc["review"] or doc["none"]),
        )

    _run(data_dir, database_url, format, step)


@incident_app.command("review")
def review_command(
    incident_id: IncidentId,
    accept: Annotated[
        list[str] | None, typer.Option("--accept", help="ROW=ROSTER_ID: one of the row's candidates (repeatable).")
    ] = None,
    add: Annotated[
        list[str] | None,
        typer.Option(
            "--add",
            help="ROW=ROSTER_ID: a person the linkage did not offer, e.g. for a row with no candidate (repeatable).",
        ),
    ] = None,
    reject: Annotated[list[str] | None, typer.Option("--reject", help="ROW: none of the candidates.")] = None,
    data_dir: DataDir = DEFAULT_DATA,
    database_url: DatabaseUrl = None,
    format: Format = "text",
    actor: Actor = None,
) -> None:
    """Settle the rows the linkage left: list them (masked) and record a clerk's decisions."""
    from veil.incident import affected as aff
    from veil.incident.response import parse_choice, settle_review
    from veil.masking import mask
    from veil.store.models_incident import IrRosterPerson

    def step(session: Any) -> _Done:
        incident = _get(session, incident_id)
        counts = settle_review(
            session,
            incident,
            _actor(actor),
            accept=[parse_choice(a) for a in accept or []],
            add=[parse_choice(a) for a in add or []],
            reject=[parse_choice(r, with_person=False) for r in reject or []],
        )
        rows: list[dict[str, Any]] = []
        for state in ("pending", "none"):
            for item in aff.review_queue(session, incident_id, state):
                cands: list[dict[str, Any]] = []
                for c in item.candidates:
                    person = session.get(IrRosterPerson, int(str(c["person_id"])))
                    if person is not None:
                        cands.append(
                            {
                                "roster_id": person.ref,
                                "name": mask(f"{person.surname}, {person.given}"),
                                "probability": c.get("probability"),
                            }
                        )
                rows.append(
                    {"file": item.exposed_file_id, "row": item.exposed_row, "state": state, "candidates": cands}
                )
        lines = [
            f"{counts['accepted']} accepted, {counts['added']} added, {counts['rejected']} rejected; "
            f"{len(rows)} row(s) still open"
        ]
        for r in rows[:200]:
            offered = "; ".join(f"{c['roster_id']} {c['name']} ({c['probability']:.2f})" for c in r["candidates"])
            lines.append(f"  row {r['row']} ({r['state']}): {offered or 'no candidate'}")
        return _Done({**counts, "open": rows}, "\n".join(lines), attention=bool(rows))

    _run(data_dir, database_url, format, step)


@incident_app.command("access-log")
def access_log_command(
    incident_id: IncidentId,
    logs: Annotated[
        list[Path], typer.Argument(help="Access logs (combined/common, JSON lines, S3, CloudFront; gzip too).")
    ],
    data_dir: DataDir = DEFAULT_DATA,
    database_url: DatabaseUrl = None,
    format: Format = "text",
    actor: Actor = None,
) -> None:
    """Who downloaded the file: requests for it inside the exposure window (the first delivery can move the
    window's start earlier)."""
    from veil.incident import access_logs
    from veil.incident.response import import_logs

    missing = [str(p) for p in logs if not p.is_file()]
    if missing:
        raise _fail(f"no such file: {missing[0]}", 2)

    def step(session: Any) -> _Done:
        incident = _get(session, incident_id)
        done = import_logs(session, incident, logs, _actor(actor))
        downloaders = len({r.ip for r in access_logs.requesters(session, incident_id) if r.got_copy})
        text = "\n".join(
            f"{d['log']}: {d['selected']:,} request(s) for the file of {d['lines']:,} lines"
            + (f", {d['malformed']:,} malformed" if d["malformed"] else "")
            + (" (exposure window moved earlier)" if d["window_moved"] else "")
            for d in done
        )
        return _Done({"logs": done, "downloaders": downloaders}, f"{text}\n{downloaders} downloader(s)")

    _run(data_dir, database_url, format, step)


@incident_app.command("status")
def status_command(
    incident_id: IncidentId,
    status_file: Annotated[
        Path, typer.Argument(help="CSV: roster_id,status,at (in-custody, released, custody-review, removed).")
    ],
    data_dir: DataDir = DEFAULT_DATA,
    database_url: DatabaseUrl = None,
    format: Format = "text",
    actor: Actor = None,
) -> None:
    """Record people's statuses (history kept); a removal after the exposure and before notice is an ALERT."""
    from veil.incident.response import import_status_file

    if not status_file.is_file():
        raise _fail(f"no such file: {status_file}", 2)

    def step(session: Any) -> _Done:
        result = import_status_file(session, _get(session, incident_id), status_file, _actor(actor))
        doc = result.as_dict()
        text = (
            f"{result.recorded:,} of {result.rows:,} status(es) recorded"
            + (f"; ALERT: {result.alerts:,} removed after the exposure and before notice" if result.alerts else "")
            + (f"; {result.not_affected:,} not affected in this incident" if result.not_affected else "")
        )
        return _Done(doc, text, attention=bool(result.alerts))

    _run(data_dir, database_url, format, step)


@incident_app.command("notify")
def notify_command(
    incident_id: IncidentId,
    out: Annotated[
        Path | None, typer.Option("--out", help="Folder for the letters (default: DATA_DIR/letters/incident-ID).")
    ] = None,
    zone: Annotated[
        str,
        typer.Option(
            "--zone", envvar="VEIL_LETTER_ZONE", help="Time zone of the exposure window in letters (IANA name)."
        ),
    ] = "UTC",
    workers: Annotated[
        int | None,
        typer.Option(
            "--workers",
            min=1,
            max=64,
            help="Processes laying out the letters (default: the machine's cores, at most 4).",
        ),
    ] = None,
    data_dir: DataDir = DEFAULT_DATA,
    database_url: DatabaseUrl = None,
    format: Format = "text",
    actor: Actor = None,
) -> None:
    """A letter (PDF) for every affected person and attorney that can be written now; the rest wait, listed."""
    from veil.incident.letters import LetterSettings
    from veil.incident.response import notify

    folder = out or data_dir / "letters" / f"incident-{incident_id}"
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)  # letters carry names and addresses

    def step(session: Any) -> _Done:
        doc = notify(
            session,
            _get(session, incident_id),
            folder,
            _actor(actor),
            LetterSettings(zone=zone),
            workers=workers or min(4, os.cpu_count() or 1),
        )
        waiting = "; ".join(f"{n} {reason}" for reason, n in doc["waiting"].items())
        return _Done(
            doc,
            f"{doc['letters']:,} letter(s) in {folder}: {doc['persons']:,} to people, "
            f"{doc['attorneys']:,} to attorneys" + (f"; waiting: {waiting}" if waiting else ""),
            attention=bool(doc["waiting"]),
        )

    _run(data_dir, database_url, format, step)


@incident_app.command("report")
def report_command(
    incident_id: IncidentId,
    kind: Annotated[str, typer.Option("--kind", help="oversight, centre or public.")],
    format: Annotated[str, typer.Option("--format", "-f", help="json, pdf or xlsx.")] = "json",
    out: Annotated[Path | None, typer.Option("--out", help="Where to write it (json: stdout when not given).")] = None,
    data_dir: DataDir = DEFAULT_DATA,
    database_url: DatabaseUrl = None,
    actor: Actor = None,
) -> None:
    """An incident report: exact for oversight and the centre; small counts banded in the public statement."""
    from veil.incident.incidents import changed
    from veil.incident.reports import FORMATS, KINDS, export

    if kind not in KINDS:
        raise _fail(f"--kind must be one of {', '.join(KINDS)}", 2)
    if format not in FORMATS:
        raise _fail(f"--format must be one of {', '.join(FORMATS)}", 2)
    if out is None and format != "json":
        raise _fail(f"--out is needed for a {format} report", 2)
    if out is not None and not out.parent.is_dir():
        raise _fail(f"the folder for --out does not exist: {out.parent}", 2)

    def step(session: Any) -> _Done:
        incident = _get(session, incident_id)
        blob = export(session, incident, kind, format)
        changed(session, incident, _actor(actor), "report", f"{kind} {format}")
        if out is None:
            return _Done(json.loads(blob), blob.decode("utf-8"))
        from veil.atomic_files import write_atomically

        write_atomically(out, blob)
        return _Done(
            {"kind": kind, "format": format, "out": str(out), "bytes": len(blob)}, f"{kind} report ({format}) -> {out}"
        )

    _run(data_dir, database_url, "json", step)  # --format names the report's format: stdout is always JSON


@incident_app.command("oversight")
def oversight_command(
    incident_id: IncidentId,
    required: Annotated[bool, typer.Option("--required/--not-required", help="Whether oversight must be told.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept on the timeline and in the audit log).")],
    data_dir: DataDir = DEFAULT_DATA,
    database_url: DatabaseUrl = None,
    format: Format = "text",
    actor: Actor = None,
) -> None:
    """Record a responder's determination about the oversight clock (it overrides Veil's own)."""
    from veil.incident.incidents import determine_oversight

    def step(session: Any) -> _Done:
        incident = _get(session, incident_id)
        determine_oversight(session, incident, _actor(actor), required=required, reason=reason)
        return _Done(
            {"id": incident.id, "oversight_required": required, "basis": incident.oversight_basis},
            f"incident {incident.id}: oversight {'must' if required else 'need not'} be told",
        )

    _run(data_dir, database_url, format, step)


def register(app: typer.Typer) -> None:
    app.add_typer(incident_app, name="incident")
