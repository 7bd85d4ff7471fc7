"""`veil check PATH...`: check files before release. Exit 0 all pass, 1 any review/block/unverifiable, 2 usage."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, TypeVar

import typer

from veil.errors import UsageError
from veil.findings import FileResult, Verdict
from veil.policy import Policy, load_policy

if TYPE_CHECKING:
    from rich.console import Console

T = TypeVar("T")


class Format(StrEnum):
    text = "text"
    json = "json"
    sarif = "sarif"


def iter_files(paths: list[str]) -> Iterator[str]:
    """Expand directories (recursively, sorted, skipping dot-folders) and keep files and '-' as given."""
    for raw in paths:
        if raw == "-":
            yield raw
            continue
        path = Path(raw)
        if path.is_dir():
            for root, dirs, files in os.walk(path, followlinks=False):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    yield str(Path(root) / name)
        elif path.exists() or path.is_symlink():
            yield raw
        else:
            raise UsageError(f"no such file or directory: {raw}")


def _check_one(args: tuple[str, str | None]) -> FileResult:
    from veil.pipeline import check_bytes, check_path, failed_result

    path, policy_path = args
    policy = load_policy(policy_path)
    try:
        if path == "-":
            return check_bytes(sys.stdin.buffer.read(), "-", policy)
        return check_path(path, policy)
    except Exception as exc:  # noqa: BLE001 - one broken file must not stop the others, and never passes
        return failed_result(path, f"Veil failed on this file (internal {type(exc).__name__})", policy)


def run_checks(files: list[str], policy_path: str | None, jobs: int, progress: bool) -> list[FileResult]:
    tasks = [(f, policy_path) for f in files]
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
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Files checked in parallel (default: all cores).")] = 0,
    output: Annotated[str | None, typer.Option("--output", "-o", help="Write the report to this file.")] = None,
) -> None:
    """Check files before release: pass, review, block or unverifiable (which counts as block)."""
    try:
        effective: Policy = load_policy(policy)
        files = list(iter_files(paths))
    except UsageError as exc:
        typer.echo(f"veil: {exc}", err=True)
        raise typer.Exit(2) from None
    if not files:
        typer.echo("veil: no files to check", err=True)
        raise typer.Exit(2)
    jobs = jobs or os.cpu_count() or 1
    results = run_checks(files, policy, jobs, progress=sys.stderr.isatty())
    text = render(results, format, effective)
    if output:
        Path(output).write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=not text.endswith("\n"))
    raise typer.Exit(exit_code(results))


def exit_code(results: list[FileResult]) -> int:
    return 0 if all(r.verdict is Verdict.PASS for r in results) else 1


def render(results: list[FileResult], fmt: Format, policy: Policy) -> str:
    from veil import __version__

    if fmt is Format.json:
        from veil.report.json_report import render as render_json

        return render_json(results, scanner_version=__version__, policy_version=policy.version)
    if fmt is Format.sarif:
        from veil.report.sarif import render as render_sarif

        return render_sarif(results, policy)
    from veil.report.text import render as render_text

    return render_text(results, policy)


def register(app: typer.Typer) -> None:
    app.command("check")(check_command)
