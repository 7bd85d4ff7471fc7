"""`veil demo-files DIR`: write synthetic sample files (a leaking roster, clean statistics, small cells)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def demo_files_command(
    directory: Annotated[Path, typer.Argument(help="Where to write the samples (created if missing).")],
    people: Annotated[int, typer.Option("--people", min=1, max=1_000_000, help="People in each roster.")] = 200,
) -> None:
    """Write synthetic sample files to try `veil check` on. Every person in them is made up."""
    from veil.demo import write_samples

    for path in write_samples(directory, people):
        typer.echo(str(path))


def register(app: typer.Typer) -> None:
    app.command("demo-files")(demo_files_command)
