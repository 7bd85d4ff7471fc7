"""`veil sweep TARGET`: check what is live. Exit 0 no finding, 1 any finding, 2 usage error.

TARGET is a directory (the public tree), a file listing URLs (one a line), or an http(s) site root to crawl.
With `--warc` TARGET is a web archive (a WARC file or a folder of them): every captured response is checked, and
each flagged URL gets its exposure window in the archive (first and last capture).
With `--gate` a directory is compared with the gate's publication records (`--data-dir`/`--database-url` as
`veil serve`); `--takedown` also takes flagged files down, into the same quarantine and the same incidents as the
sweeper inside `veil serve` (it is the same `WatchService`).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from veil.cli.formats import Format, text_or_json
from veil.errors import UsageError

if TYPE_CHECKING:
    from veil.watch.sweep import SweepReport


def _urls_from(path: Path) -> list[str]:
    hint = "TARGET must be a directory, an http(s) URL or a text file listing URLs (use `veil check` for one file)"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not a list of URLs: {hint}") from None
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror}") from None
    urls = [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    bad = [n for n, u in enumerate(urls, 1) if not u.startswith(("http://", "https://"))]
    if bad:
        raise UsageError(f"{path}: entry {bad[0]} is not an http(s) URL; {hint}")
    if not urls:
        raise UsageError(f"{path}: no URL in the list")
    return urls


def sweep_command(
    target: Annotated[str, typer.Argument(help="A public directory, a file listing URLs, or an http(s) site root.")],
    approved: Annotated[Path | None, typer.Option("--approved", help="A file of approved sha256s, one a line "
                                                  "(`sha256sum` lines also tie each to its path).")] = None,
    state: Annotated[Path | None, typer.Option("--state", help="The inventory file that makes sweeps incremental "
                                               "(default: DATA_DIR/sweep-state.sqlite).")] = None,
    data_dir: Annotated[Path, typer.Option("--data-dir", envvar="VEIL_DATA_DIR",
                                           help="Data directory: the default state file; with --gate or --takedown "
                                                "the gate's database, key and quarantine, as `veil serve`.")]
    = Path(".veil"),
    database_url: Annotated[str | None, typer.Option("--database-url", envvar="VEIL_DATABASE_URL",
                                                     help="With --gate or --takedown: the gate's PostgreSQL "
                                                          "database instead of DATA_DIR/veil.db.")] = None,
    gate: Annotated[bool, typer.Option("--gate", help="Compare a directory with the gate's publication records "
                                                      "(and list the files live under an override).")] = False,
    takedown: Annotated[bool, typer.Option("--takedown", help="As --gate, and take flagged files down into the "
                                                              "quarantine and open incidents, as `veil serve` does.")]
    = False,
    no_state: Annotated[bool, typer.Option("--no-state", help="Keep no inventory: read every file.")] = False,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    policy: Annotated[str | None, typer.Option("--policy", help="A policy YAML file laid over the defaults.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Files checked in parallel (default: all cores).")] = 0,
    rehash: Annotated[bool, typer.Option("--rehash", help="Re-read files whose size and times are unchanged.")]
    = False,
    all_files: Annotated[bool, typer.Option("--all", help="List every file in JSON, not only flagged ones.")]
    = False,
    max_depth: Annotated[int, typer.Option(help="Crawl: links followed from the root.")] = 5,
    max_files: Annotated[int, typer.Option(help="Crawl: files fetched at most.")] = 10_000,
    max_mb: Annotated[int, typer.Option(help="Crawl: largest download, in MB.")] = 100,
    delay: Annotated[float, typer.Option(help="Crawl: seconds between requests (robots.txt may ask more).")] = 0.2,
    timeout: Annotated[float, typer.Option(help="Crawl: the whole crawl's time limit, in seconds.")] = 3600.0,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to this file.")] = None,
    warc: Annotated[bool, typer.Option("--warc", help="TARGET is a web archive: a WARC file (.warc, .warc.gz) or "
                                                      "a folder of them; every captured response is checked and "
                                                      "each flagged URL gets its first and last capture.")]
    = False,
    engine: Annotated[str, typer.Option("--engine", help="local (the default) or spark: TARGET (a folder: local, "
                                                         "HDFS or S3) read as binary files and checked on Spark "
                                                         "executors (VEIL_SPARK_MASTER, default local[2]); needs "
                                                         "Veil's 'spark' extra and Java 17.")] = "local",
    parquet: Annotated[str | None, typer.Option("--parquet", help="With --engine spark: also write per-file "
                                                                  "results and masked findings as Parquet here.")]
    = None,
) -> None:
    """Sweep what is live: flag files never approved, changed since approval, or flagged by today's checks."""
    text_or_json(format, "sweep")
    from veil.policy import load_policy
    from veil.watch.approvals import ApprovedList, NoApprovals
    from veil.watch.crawl import CrawlLimits, origin, sweep_site
    from veil.watch.state import StateError, SweepState
    from veil.watch.sweep import sweep_directory

    if warc:
        _warc_sweep(target, gate or takedown, policy, all_files, format, output, engine)
        return
    if engine != "local":
        _spark_sweep(target, engine, gate or takedown, policy, state, data_dir, no_state, approved, all_files,
                     format, output, parquet)
        return
    if gate or takedown:
        _gate_sweep(target, takedown, data_dir, database_url, policy, state, no_state, approved, jobs, format,
                    output)
        return
    inventory = None
    try:
        effective = load_policy(policy)
        approvals = ApprovedList.read(approved) if approved else NoApprovals()
        path = Path(target)
        is_url = target.startswith(("http://", "https://"))
        if not is_url and not path.exists():
            raise UsageError(f"no such file or directory: {target}")
        urls = None if is_url or path.is_dir() else _urls_from(path)
        if not no_state:
            inventory = SweepState(state or data_dir / "sweep-state.sqlite")
        if is_url or urls is not None:
            limits = CrawlLimits(max_depth=max_depth, max_files=max_files, max_bytes=max_mb * 1024 * 1024,
                                 delay=delay, seconds=timeout)
            start = target if is_url else origin(urls[0]) + "/"  # type: ignore[index]
            report = sweep_site(start, effective, follow=is_url, urls=urls, state=inventory, approvals=approvals,
                                limits=limits, key=target if is_url else f"urls:{path.resolve()}")
        else:
            report = sweep_directory(path, effective, state=inventory, approvals=approvals,
                                     jobs=jobs or os.cpu_count() or 1, rehash=rehash, keep_all=all_files)
    except (UsageError, StateError) as exc:
        typer.echo(f"veil: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        if inventory is not None:
            inventory.close()
    _report(report, format, effective.version, output)


def _report(report: SweepReport, format: Format, policy_version: str, output: Path | None, **meta: object) -> None:
    """Write a directory or site sweep's report and exit: 1 when a file is flagged."""
    from veil.watch.report import render_json, render_text
    from veil.watch.sweep import scanner_version

    if format is Format.json:
        text = render_json(report, scanner_version=scanner_version(), policy_version=policy_version, **meta)
    else:
        text = render_text(report)
    _emit(text, output)
    raise typer.Exit(1 if report.flagged else 0)


def _emit(text: str, output: Path | None) -> None:
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=not text.endswith("\n"))


def _gate_sweep(target: str, takedown: bool, data_dir: Path, database_url: str | None, policy: str | None,
                state: Path | None, no_state: bool, approved: Path | None, jobs: int, format: Format,
                output: Path | None) -> None:
    """The sweep against the gate's records, with the served sweeper's own service (takedown, incident, audit,
    alerts) when `takedown`."""
    import dataclasses
    from contextlib import closing

    from veil.cli.serve import _gate  # the same opening and set-up errors as `veil serve`
    from veil.watch.report import render_json, render_text
    from veil.watch.service import DbApprovals, WatchConfig, WatchService
    from veil.watch.state import StateError, SweepState
    from veil.watch.sweep import scanner_version, sweep_directory

    def fail(message: str) -> typer.Exit:
        typer.echo(f"veil: {message}", err=True)
        return typer.Exit(2)

    if target.startswith(("http://", "https://")) or not Path(target).is_dir():
        raise fail("--gate and --takedown sweep the gate's public directory: TARGET must be that directory")
    if approved is not None:
        raise fail("--approved and --gate/--takedown exclude each other: the gate's records say what is approved")
    if no_state:
        raise fail("--gate and --takedown keep the sweeper's inventory (the exposure window starts at a file's "
                   "first sighting); leave out --no-state")
    actions: list[dict[str, object]] = []
    meta: dict[str, object] = {}
    with _gate(data_dir, database_url, Path(target), policy) as the_gate:
        config = WatchConfig.from_env()
        config = dataclasses.replace(config, jobs=jobs or os.cpu_count() or 1,
                                     state_path=state or config.state_path)
        try:
            if takedown:
                with closing(WatchService(the_gate, config)) as service:
                    outcome = service.sweep(trigger="cli")
                report = outcome.report
                actions = [a.alert_dict() for a in outcome.actions]
                meta = {"run": outcome.run_id, "takedowns": actions, "alert_failures": outcome.alert_failures}
            else:
                with the_gate.db.read() as s:
                    records = DbApprovals(s, the_gate.site.name)
                with closing(SweepState(config.state_path or the_gate.data_dir / "sweep-state.sqlite")) as inventory:
                    report = sweep_directory(Path(target), the_gate.policy, state=inventory, approvals=records,
                                             jobs=config.jobs)
        except StateError as exc:
            raise fail(str(exc)) from None
        version = the_gate.policy.version
    if format is Format.json:
        text = render_json(report, scanner_version=scanner_version(), policy_version=version, **meta)
    else:
        text = render_text(report) + "".join(_takedown_line(a) for a in actions)
    _emit(text, output)
    raise typer.Exit(1 if report.flagged else 0)


def _spark_sweep(target: str, engine: str, gate: bool, policy: str | None, state: Path | None, data_dir: Path,
                 no_state: bool, approved: Path | None, all_files: bool, format: Format, output: Path | None,
                 parquet: str | None) -> None:
    from veil.policy import load_policy
    from veil.spark import SparkUnavailable, session
    from veil.watch.approvals import ApprovedList, NoApprovals
    from veil.watch.state import StateError, SweepState

    inventory = None
    try:
        if engine != "spark":
            raise UsageError(f"--engine must be local or spark, not {engine!r}")
        if gate:
            raise UsageError("--engine spark sweeps a folder on its own: --gate and --takedown run locally")
        if target.startswith(("http://", "https://")):
            raise UsageError("--engine spark sweeps a folder (local, HDFS or S3), not a web site")
        if "://" not in target and not Path(target).is_dir():
            raise UsageError(f"no such directory: {target}")
        from veil.spark.sweep import sweep_spark

        effective = load_policy(policy)
        approvals = ApprovedList.read(approved) if approved else NoApprovals()
        if not no_state:
            inventory = SweepState(state or data_dir / "sweep-state.sqlite")
        report = sweep_spark(target, effective, session(), policy_path=policy, state=inventory,
                             approvals=approvals, keep_all=all_files, parquet=parquet)
    except (UsageError, StateError, SparkUnavailable, FileNotFoundError) as exc:
        typer.echo(f"veil: {exc}", err=True)
        raise typer.Exit(2) from None
    finally:
        if inventory is not None:
            inventory.close()
    _report(report, format, effective.version, output, engine="spark")


def _warc_sweep(target: str, gate: bool, policy: str | None, all_files: bool, format: Format,
                output: Path | None, engine: str = "local") -> None:
    from veil.policy import load_policy
    from veil.spark import SparkUnavailable
    from veil.watch import warc
    from veil.watch.sweep import scanner_version

    try:
        if gate:
            raise UsageError("--warc sweeps an archive of what was published: --gate and --takedown do not apply")
        effective = load_policy(policy)
        if engine == "spark":
            from veil.spark import session
            from veil.spark.sweep import sweep_warc_spark

            if "://" not in target and not Path(target).exists():
                raise FileNotFoundError(f"no such file or directory: {target}")
            report = sweep_warc_spark(target, effective, session(), policy_path=policy, keep_all=all_files)
        elif engine == "local":
            report = warc.sweep_warc(target, effective, keep_all=all_files)
        else:
            raise UsageError(f"--engine must be local or spark, not {engine!r}")
    except (UsageError, FileNotFoundError, ValueError, SparkUnavailable) as exc:
        typer.echo(f"veil: {exc}", err=True)
        raise typer.Exit(2) from None
    if format is Format.json:
        text = warc.render_json(report, scanner_version=scanner_version(), policy_version=effective.version)
    else:
        text = warc.render_text(report)
    _emit(text, output)
    raise typer.Exit(1 if report.flagged or report.problems else 0)


def _takedown_line(action: dict[str, object]) -> str:
    if action["taken_down"]:
        return f"TAKEN DOWN {action['path']}  (incident #{action['incident_id']})\n"
    if action["takedown_error"]:
        return f"TAKEDOWN FAILED {action['path']}: {action['takedown_error']}\n"
    return ""


def register(app: typer.Typer) -> None:
    app.command("sweep")(sweep_command)
