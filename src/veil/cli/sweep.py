"""`veil sweep TARGET`: check what is live. Exit 0 no finding, 1 any finding, 2 usage error.

TARGET is a directory (the public tree), a file listing URLs (one a line), or an http(s) site root to crawl.
"""

from __future__ import annotations

import os
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from veil.errors import UsageError


class Format(StrEnum):
    text = "text"
    json = "json"


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
                                           help="Data directory for the default state file.")] = Path(".veil"),
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
) -> None:
    """Sweep what is live: flag files never approved, changed since approval, or flagged by today's checks."""
    from veil.policy import load_policy
    from veil.watch.approvals import ApprovedList, NoApprovals
    from veil.watch.crawl import CrawlLimits, origin, sweep_site
    from veil.watch.report import render_json, render_text
    from veil.watch.state import StateError, SweepState
    from veil.watch.sweep import scanner_version, sweep_directory

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
    if format is Format.json:
        text = render_json(report, scanner_version=scanner_version(), policy_version=effective.version)
    else:
        text = render_text(report)
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        typer.echo(text, nl=not text.endswith("\n"))
    raise typer.Exit(1 if report.flagged else 0)


def register(app: typer.Typer) -> None:
    app.command("sweep")(sweep_command)
