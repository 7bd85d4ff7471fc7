"""`veil serve`, `veil worker`, `veil submit`, and the `veil db`, `veil admin` and `veil audit` groups: the
release gate's command-line face. Everything here calls veil.workflow; nothing here decides a rule.

Exit codes: 0 success (submit: every file passes), 1 failure found (submit: any file review/block/unverifiable;
audit verify: the chain is broken), 2 usage or set-up error (bad option, database unreachable, server refused).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from veil.errors import VeilError

DataDir = Annotated[Path, typer.Option("--data-dir", envvar="VEIL_DATA_DIR",
                                       help="Data directory: SQLite database, uploaded files, public site.")]
DatabaseUrl = Annotated[str | None, typer.Option("--database-url", envvar="VEIL_DATABASE_URL",
                                                 help="postgresql://user@host/db instead of the SQLite file.")]
PublicDir = Annotated[Path | None, typer.Option("--public-dir", envvar="VEIL_PUBLIC_DIR",
                                                help="Directory of the public site (default: DATA_DIR/public).")]
Policy = Annotated[str | None, typer.Option("--policy", help="A policy YAML file laid over the defaults.")]
ScanSeconds = Annotated[float, typer.Option("--scan-seconds", min=1, help="Time one scan may take; after it the file "
                                            "is unverifiable and its scanning process is killed.")]
ScanMemory = Annotated[int, typer.Option("--scan-memory-mb", min=256, help="Memory (address space) one scanning "
                                         "process may use; more makes the file unverifiable.")]
AuditKey = Annotated[Path | None, typer.Option("--audit-key", envvar="VEIL_AUDIT_KEY",
                                               help="Ed25519 key file that signs audit checkpoints (default: "
                                                    "DATA_DIR/audit-anchor.key, created with mode 0600).")]
AuditCheckpoints = Annotated[list[str] | None, typer.Option(
    "--audit-checkpoints", envvar="VEIL_AUDIT_CHECKPOINTS",
    help="Where signed audit checkpoints go: file:PATH, syslog or tsq:DIRECTORY (repeat for several; default "
         "file:DATA_DIR/audit-checkpoints.jsonl).")]
DEFAULT_DATA = Path(".veil")

db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True)
admin_app = typer.Typer(help="Accounts: users, roles, API tokens.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit log's hash chain.", no_args_is_help=True)


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"veil: {message}", err=True)
    return typer.Exit(code)


@contextmanager
def _gate(data_dir: Path, database_url: str | None, public_dir: Path | None = None, policy: str | None = None,
          upgrade: bool = True, **options: Any) -> Iterator[Any]:
    """The gate, opened for one command; `options` go to Gate.open (scan limits, audit anchoring)."""
    from sqlalchemy.exc import SQLAlchemyError

    from veil.workflow.gate import Gate

    gate = None
    try:
        gate = Gate.open(data_dir, database_url, public_dir, policy_path=policy, upgrade=upgrade, **options)
        yield gate
    except VeilError as exc:
        raise _fail(str(exc)) from None
    except SQLAlchemyError as exc:  # the message can hold the URL or SQL parameters: name the type only
        raise _fail(f"the database failed ({type(exc).__name__}); check --database-url and that it is reachable") \
            from None
    except OSError as exc:
        raise _fail(f"cannot use the data directory: {exc.strerror}") from None
    finally:
        if gate is not None:
            gate.close()


def serve_command(
    data_dir: DataDir = DEFAULT_DATA, database_url: DatabaseUrl = None, public_dir: PublicDir = None,
    policy: Policy = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    worker: Annotated[bool, typer.Option("--worker/--no-worker",
                                         help="Run a scan worker in this process (turn off when `veil worker` "
                                              "processes serve the queue).")] = True,
    secure_cookies: Annotated[bool, typer.Option(help="Mark cookies Secure and send HSTS (set when TLS ends at a "
                                                      "proxy).")] = False,
    max_upload_mb: Annotated[int, typer.Option(help="Largest accepted upload, in MB.")] = 100,
    trusted_proxy: Annotated[list[str] | None, typer.Option(
        "--trusted-proxy", envvar="VEIL_TRUSTED_PROXIES",
        help="Address or CIDR of a reverse proxy whose X-Forwarded-For/-Proto is believed (repeat for several). "
             "Without it the client address is the socket's.")] = None,
    scan_seconds: ScanSeconds = 300.0,
    scan_memory_mb: ScanMemory = 4096,
    audit_key: AuditKey = None,
    audit_checkpoints: AuditCheckpoints = None,
    checkpoint_every: Annotated[int, typer.Option(min=1, help="Sign an audit checkpoint after this many new "
                                                         "entries.")] = 100,
    checkpoint_minutes: Annotated[float, typer.Option(min=0.1, help="... or after this many minutes with any new "
                                                             "entry.")] = 10.0,
) -> None:
    """Start the release gate web service (creates the data directory and migrates the database first)."""
    import uvicorn

    from veil.web.app import create_app
    from veil.web.logs import service_logging
    from veil.workflow.audit_anchor import AnchorSettings

    proxies = _networks(trusted_proxy or [])
    with _gate(data_dir, database_url, public_dir, policy, scan_limits=_scan_limits(scan_seconds, scan_memory_mb),
               anchor=AnchorSettings.for_data_dir(data_dir, audit_key, audit_checkpoints or (), checkpoint_every,
                                                  checkpoint_minutes * 60)) as gate:
        _recover(gate)
        app = create_app(gate, start_worker=worker, secure_cookies=secure_cookies,
                         max_upload_bytes=max_upload_mb * 1024 * 1024, schedule_sweeps=True)
        typer.echo(f"veil: serving on http://{host}:{port} (data in {gate.data_dir}, "
                   f"{'PostgreSQL' if gate.db.is_postgres else 'SQLite'})", err=True)
        uvicorn.run(app, host=host, port=port, proxy_headers=bool(proxies),
                    forwarded_allow_ips=",".join(proxies) if proxies else None, log_config=service_logging(),
                    access_log=False)


def _networks(values: list[str]) -> list[str]:
    import ipaddress

    try:
        return [str(ipaddress.ip_network(v.strip(), strict=False)) for raw in values for v in raw.split(",")
                if v.strip()]
    except ValueError:
        raise _fail("--trusted-proxy takes IP addresses or CIDR networks, e.g. 10.0.0.5 or 10.0.0.0/24") from None


def _scan_limits(seconds: float, memory_mb: int) -> Any:
    from veil.workflow.sandbox import ScanLimits

    return ScanLimits(seconds=seconds, memory_bytes=memory_mb << 20)


def _recover(gate: Any) -> None:
    """Before serving: finish or roll back publications a crash left half done (each audited)."""
    from veil.workflow import publication_journal

    for outcome in publication_journal.recover(gate):
        typer.echo(f"veil: {outcome}", err=True)


def worker_command(
    data_dir: DataDir = DEFAULT_DATA, database_url: DatabaseUrl = None, policy: Policy = None,
    once: Annotated[bool, typer.Option("--once", help="Scan what is queued, then exit.")] = False,
    poll: Annotated[float, typer.Option(help="Seconds between looks at an empty queue.")] = 1.0,
    name: Annotated[str, typer.Option(help="Worker name, recorded in its leases after host and pid.")] = "worker",
    scan_seconds: ScanSeconds = 300.0,
    scan_memory_mb: ScanMemory = 4096,
) -> None:
    """Run a scan worker on the shared queue (several may run at once on PostgreSQL)."""
    import logging.config

    from veil.web.logs import service_logging
    from veil.workflow.scanning import ScanWorker, drain, reclaim_dead, worker_identity

    logging.config.dictConfig(service_logging())
    with _gate(data_dir, database_url, policy=policy, scan_limits=_scan_limits(scan_seconds, scan_memory_mb)) as gate:
        if once:
            reclaim_dead(gate.db)
            done = drain(gate.db, gate.blobs, gate.scanner, gate.policy, worker=worker_identity(name))
            typer.echo(f"veil: scanned {done} file(s)", err=True)
            return
        worker = ScanWorker(gate.db, gate.blobs, gate.scanner, gate.policy, name=name, poll=poll)
        typer.echo(f"veil: worker {worker.name} waiting for scans", err=True)
        try:
            worker.run()
        except KeyboardInterrupt:
            pass


@db_app.command("upgrade")
def db_upgrade(data_dir: DataDir = DEFAULT_DATA, database_url: DatabaseUrl = None) -> None:
    """Apply the database migrations (also done at each start of `veil serve`)."""
    with _gate(data_dir, database_url) as gate:
        typer.echo(f"veil: database at revision {gate.db.current_revision()}")


@admin_app.command("create-user")
def admin_create_user(
    username: Annotated[str, typer.Argument()],
    role: Annotated[list[str] | None, typer.Option("--role", help="A role (repeat for several).")] = None,
    password: Annotated[str | None, typer.Option(envvar="VEIL_PASSWORD", help="Prompted for when not given.")]
    = None,
    data_dir: DataDir = DEFAULT_DATA, database_url: DatabaseUrl = None,
) -> None:
    """Create a user (the first admin: `veil admin create-user NAME --role admin`)."""
    from veil.workflow import accounts

    if password is None:
        password = typer.prompt("password", hide_input=True, confirmation_prompt=True)
    with _gate(data_dir, database_url) as gate, gate.db.write() as s:
        user = accounts.create_user(s, username, password, role or [], actor="cli")
        typer.echo(f"veil: created user {user.username} ({', '.join(sorted(user.role_names)) or 'no role'})")


@admin_app.command("set-role")
def admin_set_role(
    username: Annotated[str, typer.Argument()],
    role: Annotated[list[str] | None, typer.Option("--role", help="The user's roles from now on (repeat).")] = None,
    data_dir: DataDir = DEFAULT_DATA, database_url: DatabaseUrl = None,
) -> None:
    """Replace a user's roles (no --role removes them all)."""
    from veil.workflow import accounts

    with _gate(data_dir, database_url) as gate, gate.db.write() as s:
        user = accounts.set_roles(s, username, role or [], actor="cli")
        typer.echo(f"veil: {user.username} now has: {', '.join(sorted(user.role_names)) or 'no role'}")


@admin_app.command("create-token")
def admin_create_token(
    username: Annotated[str, typer.Argument()],
    name: Annotated[str, typer.Option(help="What the token is for.")] = "token",
    data_dir: DataDir = DEFAULT_DATA, database_url: DatabaseUrl = None,
) -> None:
    """Create an API token for a user; it is printed once and stored only as a hash."""
    from veil.workflow import accounts

    with _gate(data_dir, database_url) as gate, gate.db.write() as s:
        typer.echo(accounts.create_token(s, username, name, actor="cli"))


@admin_app.command("list-tokens")
def admin_list_tokens(
    username: Annotated[str | None, typer.Argument(help="Only this user's tokens.")] = None,
    data_dir: DataDir = DEFAULT_DATA, database_url: DatabaseUrl = None,
) -> None:
    """List API tokens: id, user, name, created, and whether revoked (the secrets are not kept)."""
    from veil.workflow import accounts

    with _gate(data_dir, database_url) as gate, gate.db.read() as s:
        tokens = accounts.list_tokens(s, username)
    for t in tokens:
        typer.echo(f"{t.id:>5}  {t.username:<20} {t.name:<30} {t.created:%Y-%m-%d %H:%M}  "
                   f"{'revoked' if t.revoked else 'active'}")


@admin_app.command("revoke-token")
def admin_revoke_token(
    token_id: Annotated[int, typer.Argument(help="The token's id (see `veil admin list-tokens`).")],
    data_dir: DataDir = DEFAULT_DATA, database_url: DatabaseUrl = None,
) -> None:
    """Revoke an API token for good; it stops working at its next request."""
    from veil.workflow import accounts

    with _gate(data_dir, database_url) as gate, gate.db.write() as s:
        token = accounts.revoke_token(s, token_id, actor="cli")
    typer.echo(f"veil: token {token.id} ({token.name}) of {token.username} is revoked")


@audit_app.command("verify")
def audit_verify(
    data_dir: DataDir = DEFAULT_DATA, database_url: DatabaseUrl = None, audit_key: AuditKey = None,
    checkpoints: Annotated[Path | None, typer.Option(
        "--checkpoints", help="The signed checkpoints to verify against (default: the file the gate writes; a "
                              "copy kept elsewhere, or syslog lines, work too).")] = None,
    audit_checkpoints: AuditCheckpoints = None,
) -> None:
    """Recompute the audit chain and check it against the signed checkpoints: exit 0 when intact, 1 when an entry
    was edited, deleted, reordered, or the log was truncated or rewritten since a checkpoint."""
    from veil.workflow import audit_anchor

    settings = audit_anchor.AnchorSettings.for_data_dir(data_dir, audit_key, audit_checkpoints or ())
    with _gate(data_dir, database_url, upgrade=False) as gate, gate.db.read() as s:
        result = audit_anchor.verify(s, settings, checkpoints)
    chain = result.chain
    for note in result.notes:
        typer.echo(f"veil: note: {note}", err=True)
    if result.ok:
        anchored = f", matches {result.checkpoints} signed checkpoint(s) up to entry {result.last.seq}" \
            if result.last else ""
        typer.echo(f"veil: audit chain intact: {chain.entries} entries, head {chain.head[:16]}…{anchored}")
        return
    problems = chain.problems + result.problems
    for problem in problems:
        typer.echo(f"veil: {problem}", err=True)
    raise _fail(f"audit chain broken ({len(problems)} problem(s) in {chain.entries} entries)", 1)


@audit_app.command("checkpoint")
def audit_checkpoint(
    data_dir: DataDir = DEFAULT_DATA, database_url: DatabaseUrl = None, audit_key: AuditKey = None,
    audit_checkpoints: AuditCheckpoints = None,
) -> None:
    """Sign a checkpoint of the audit chain as it is now and append it to the checkpoint destinations (`veil serve`
    does this every --checkpoint-every entries; run it from cron when only workers run)."""
    from veil.workflow import audit_anchor

    settings = audit_anchor.AnchorSettings.for_data_dir(data_dir, audit_key, audit_checkpoints or ())
    with _gate(data_dir, database_url, upgrade=False) as gate:
        cp = audit_anchor.checkpoint(gate.db, settings)
    typer.echo(f"veil: checkpoint signed: entry {cp.seq}, head {cp.head[:16]}…, key {cp.key_id}")


@audit_app.command("export")
def audit_export(
    format: Annotated[str, typer.Option("--format", "-f", help="json or csv.")] = "json",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="File to write (default: stdout).")] = None,
    data_dir: DataDir = DEFAULT_DATA, database_url: DatabaseUrl = None,
) -> None:
    """Export the whole audit log (with hashes, so the export can be verified elsewhere)."""
    import csv

    from veil.workflow import audit

    if format not in ("json", "csv"):
        raise _fail("--format must be json or csv")
    out = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        with _gate(data_dir, database_url, upgrade=False) as gate:
            offset, first = 0, True
            writer = csv.writer(out) if format == "csv" else None
            if writer:
                writer.writerow(["seq", "created", "actor", "event", "payload", "prev_hash", "hash"])
            else:
                out.write("[")
            while True:
                with gate.db.read() as s:
                    batch = [audit.entry_dict(e) for e in reversed(audit.page(s, offset, 1000))]
                if not batch:
                    break
                for e in batch:
                    if writer:
                        writer.writerow([e["seq"], e["created"], e["actor"], e["event"],
                                         json.dumps(e["payload"], sort_keys=True), e["prev_hash"], e["hash"]])
                    else:
                        out.write(("" if first else ",") + "\n" + json.dumps(e, ensure_ascii=False))
                        first = False
                offset += len(batch)
            if not writer:
                out.write("\n]\n")
    finally:
        if output:
            out.close()


def submit_command(
    files: Annotated[list[Path], typer.Argument(help="Files to submit.")],
    release: Annotated[str, typer.Option("--release", help="Title of the new release.")],
    server: Annotated[str, typer.Option("--server", envvar="VEIL_SERVER", help="Base URL of `veil serve`.")],
    token: Annotated[str | None, typer.Option("--token", envvar="VEIL_TOKEN", help="API token (submitter).")]
    = None,
    target_path: Annotated[str | None, typer.Option("--target-path", help="Path on the public site "
                                                    "(default: from the title).")] = None,
    notes: Annotated[str, typer.Option(help="Notes for the reviewers.")] = "",
    format: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the verdicts.")] = 600.0,
) -> None:
    """Upload files as a new release and wait for the verdicts: exit 0 all pass, 1 otherwise, 2 usage."""
    from veil.web.client import SubmitError, submit

    if format not in ("text", "json"):
        raise _fail("--format must be text or json")
    if not token:
        raise _fail("an API token is needed: --token or VEIL_TOKEN")
    missing = [str(f) for f in files if not f.is_file()]
    if missing:
        raise _fail(f"no such file: {missing[0]}")
    try:
        doc = submit(server, token, release, files, target_path, notes, timeout)
    except SubmitError as exc:
        raise _fail(str(exc)) from None
    if format == "json":
        typer.echo(json.dumps(doc, indent=2, ensure_ascii=False))
    else:
        for f in doc["files"]:
            typer.echo(f"{f['verdict']:<13} {f['path']}  ({len(f['findings'])} finding(s))")
            for x in f["findings"]:
                typer.echo(f"    {x['kind']}: {x['location']}: {x['message']}")
                if x.get("samples"):
                    typer.echo(f"        e.g. {'; '.join(x['samples'])}")
                if x.get("cells"):
                    typer.echo(f"        cells: {'; '.join(x['cells'])}")
        typer.echo(f"release #{doc['release']['id']}: {doc['verdict']}  {doc['release']['url']}")
    raise typer.Exit(0 if doc["verdict"] == "pass" else 1)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
    app.command("worker")(worker_command)
    app.command("submit")(submit_command)
    app.add_typer(db_app, name="db")
    app.add_typer(admin_app, name="admin")
    app.add_typer(audit_app, name="audit")


