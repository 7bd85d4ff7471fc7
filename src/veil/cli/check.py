"""`veil check PATH...`: check files before release. Exit 0 all pass, 1 any file at or above `--fail-on` (review by
default: review, block or unverifiable), 2 usage."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from veil.baseline import Baseline, apply_baseline, load_baseline
from veil.cli.formats import Format
from veil.errors import UsageError
from veil.file_walk import iter_files
from veil.findings import FileResult, Verdict
from veil.policy import Policy, load_policy

if TYPE_CHECKING:
    from rich.console import Console

T = TypeVar("T")


class FailOn(StrEnum):
    review = "review"
    block = "block"


class Engine(StrEnum):
    """Where the files are checked, named as `veil sweep --engine` names them."""

    local = "local"
    spark = "spark"


# A file big enough that checking it takes longer than starting a worker process for it.
_PARALLEL_BYTES = 4 << 20


def auto_jobs(files: list[str]) -> int:
    """Parallel only when it pays: each worker process costs about a second to start, more than a small file takes
    to check, so a batch of small files runs in one process."""
    big = 0
    for f in files:
        try:
            big += f != "-" and os.path.getsize(f) >= _PARALLEL_BYTES
        except OSError:
            continue
    return min(os.cpu_count() or 1, big) if big >= 2 else 1


def _check_one(args: tuple[str, Policy]) -> FileResult:
    from veil.pipeline import check_bytes, check_path, failed_result

    path, policy = args  # loaded once per run, by check_command, and handed to each worker
    try:
        if path == "-":
            return check_bytes(sys.stdin.buffer.read(), "-", policy)
        return check_path(path, policy)
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop the others, and never passes
        return failed_result(path, f"Veil failed on this file (internal {type(exc).__name__})", policy)


def run_checks(files: list[str], policy: Policy, jobs: int, progress: bool) -> list[FileResult]:
    tasks = [(f, policy) for f in files]
    if jobs <= 1 or len(files) <= 1 or "-" in files:
        return [_check_one(t) for t in _progress(tasks, progress)]
    # Imported here: a single file, the usual case, should not pay for loading the process machinery.
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: forking a process whose polars thread pool is running deadlocks the children
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(files)), mp_context=context) as pool:
        return list(_progress(pool.map(_check_one, tasks, chunksize=1), progress, total=len(tasks)))


def _progress(items: Iterable[T], enabled: bool, total: int | None = None) -> Iterator[T]:
    if not enabled:
        yield from items
        return
    from rich.progress import track

    yield from track(items, description="checking", total=total, console=_stderr_console(), transient=True)


def _stderr_console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


def check_command(
    paths: Annotated[list[str], typer.Argument(help="Files or directories to check; '-' reads standard input.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.text,
    policy: Annotated[str | None, typer.Option("--policy", help="A policy YAML file laid over the defaults.")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Files checked in parallel (default: one process, "
                                                        "or all cores when several files are over 4 MB); with "
                                                        "--engine spark, the number of Spark partitions.")] = 0,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Write the report to this file.")] = None,
    exclude: Annotated[list[str] | None, typer.Option("--exclude", "-x", help="Leave out paths matching this glob, "
                                                      "e.g. '.git/*' or '*.py'.")] = None,
    fail_on: Annotated[FailOn, typer.Option("--fail-on", help="Exit 1 when a file is at least this bad: review "
                                            "(review, block or unverifiable) or block (block or unverifiable).")]
    = FailOn.review,
    baseline: Annotated[str | None, typer.Option("--baseline", help="A baseline file of accepted findings: they are "
                                                 "set aside, and only new ones count.")] = None,
    write_baseline: Annotated[str | None, typer.Option(
        "--write-baseline", help="Accept every finding found now (read them first) into this baseline file, merged "
                                 "with --baseline if given; parts Veil could not read are never accepted.")] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also show notes (findings that change no "
                                          "verdict) in the text report.")] = False,
    engine: Annotated[Engine, typer.Option("--engine", help="local (the default) or spark: the files (local, or a "
                                           "folder on HDFS or S3) read as binary files and checked on Spark "
                                           "executors (VEIL_SPARK_MASTER, default local[2]), the same report; "
                                           "needs Veil's 'spark' extra and Java 17.")] = Engine.local,
    parquet: Annotated[str | None, typer.Option("--parquet", help="With --engine spark: also write per-file "
                                                "results and masked findings as Parquet here.")] = None,
) -> None:
    """Check files before release: pass, review, block or unverifiable (which counts as block)."""
    try:
        effective: Policy = load_policy(policy)
        accepted = load_baseline(baseline) if baseline else Baseline()
        if engine is Engine.spark:
            results = _spark_checks(paths, effective, exclude, parquet, jobs)
        else:
            if parquet:
                raise UsageError("--parquet needs --engine spark")
            files = list(iter_files(paths, exclude))
            if not files:
                raise UsageError("no files to check")
            results = run_checks(files, effective, jobs or auto_jobs(files), progress=sys.stderr.isatty())
    except UsageError as exc:
        typer.echo(f"veil: {exc}", err=True)
        raise typer.Exit(2) from None
    if write_baseline:
        raise typer.Exit(_write_baseline(results, accepted, effective, write_baseline))
    counted = [apply_baseline(r, accepted, effective) for r in results]
    results = [r for r, _ in counted]
    set_aside = {r.path: n for r, n in counted if n}
    text = render(results, format, effective, verbose=verbose, baselined=set_aside)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=not text.endswith("\n"))
    raise typer.Exit(exit_code(results, fail_on))


def _spark_checks(paths: list[str], policy: Policy, exclude: list[str] | None, parquet: str | None,
                  partitions: int) -> list[FileResult]:
    """The files checked on Spark; pyspark or Java missing is a usage error that says how to install them."""
    from veil.spark import SparkUnavailable

    try:
        from veil.spark.check import check_spark

        return check_spark(paths, policy, exclude=exclude, parquet=parquet, partitions=partitions)
    except SparkUnavailable as exc:
        raise UsageError(str(exc)) from None


def _write_baseline(results: list[FileResult], baseline: Baseline, policy: Policy, path: str) -> int:
    accepted = sum(baseline.add(r, policy) for r in results)
    Path(path).write_text(baseline.to_json(), encoding="utf-8")
    unread = [r for r in results if r.verdict is Verdict.UNVERIFIABLE]
    typer.echo(f"veil: wrote {accepted} accepted finding(s) for {len(results)} file(s) to {path}", err=True)
    if unread:
        typer.echo(f"veil: {len(unread)} file(s) could not be fully read and are not accepted", err=True)
    return 1 if unread else 0


def exit_code(results: list[FileResult], fail_on: FailOn = FailOn.review) -> int:
    floor = Verdict.REVIEW if fail_on is FailOn.review else Verdict.UNVERIFIABLE
    return 1 if any(r.verdict.rank >= floor.rank for r in results) else 0


def render(results: list[FileResult], fmt: Format, policy: Policy, verbose: bool = False,
           baselined: dict[str, int] | None = None) -> str:
    from veil import __version__

    if fmt is Format.json:
        from veil.report.json_report import render as render_json

        return render_json(results, scanner_version=__version__, policy_version=policy.version,
                           baselined=baselined)
    if fmt is Format.sarif:
        from veil.report.sarif import render as render_sarif

        return render_sarif(results, policy)
    from veil.report.text import render as render_text

    return render_text(results, policy, verbose=verbose, baselined=baselined)


def register(app: typer.Typer) -> None:
    app.command("check")(check_command)
