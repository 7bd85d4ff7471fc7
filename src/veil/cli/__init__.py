"""The `veil` command. Each sub-command lives in its own module with a `register(app)` function."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="veil",
    help="Keep the identities of protected people out of what you publish or send.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



@app.callback()
def _root() -> None:
    """Keep the identities of protected people out of what you publish or send."""


# Built-in command modules, in help order. A module that is not there yet is skipped.
COMMAND_MODULES = (
    "veil.cli.check",
    "veil.cli.demo",
    "veil.cli.sweep",
    "veil.cli.link",
    "veil.cli.screen",
    "veil.cli.holds",
    "veil.cli.incident",
    "veil.cli.serve",
)

for _name in COMMAND_MODULES:
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as _exc:
        if _exc.name != _name:
            raise
        continue
    _module.register(app)


def main() -> None:
    app()
