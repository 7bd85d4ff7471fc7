"""The --format option every command shares (veil.report.Format), and the check for commands without SARIF."""

from __future__ import annotations

import typer

from veil.report import Format

__all__ = ["Format", "text_or_json"]


def text_or_json(fmt: Format, command: str) -> None:
    """Exit 2 with a one-line reason when `fmt` is one this command does not write."""
    if fmt not in (Format.text, Format.json):
        typer.echo(f"veil {command}: --format {fmt.value} is written by `veil check` only; use text or json", err=True)
        raise typer.Exit(2)
