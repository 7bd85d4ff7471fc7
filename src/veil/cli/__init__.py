"""The `veil` command. Each sub-command lives in its own module with a `register(app)` function."""

from __future__ import annotations

import importlib
import sys

import typer

app = typer.Typer(
    name="veil",
    help="Keep the identities of protected people out of what you publish or send.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)



def _version(value: bool) -> None:
    if value:
        from veil import __version__

        typer.echo(f"veil {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print Veil's version and exit."),
) -> None:
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


# The extra that brings each optional top-level package (pyproject.toml's optional-dependencies).
EXTRAS = {name: extra for extra, names in {
    "server": ("fastapi", "uvicorn", "jinja2", "multipart", "python_multipart", "sqlalchemy", "alembic", "psycopg",
               "argon2", "itsdangerous", "reportlab", "xlsxwriter", "starlette", "cryptography",
               "watchfiles", "geoip2fast", "maxminddb"),
    "link": ("splink", "duckdb", "pypinyin", "anyascii"),
    "numbers": ("numbers_parser",),
    "spark": ("pyspark",),
}.items() for name in names}


def main() -> None:
    try:
        app()
    except ModuleNotFoundError as exc:
        extra = EXTRAS.get((exc.name or "").split(".")[0])
        if extra is None:
            raise
        typer.echo(f"veil: this command needs Veil's '{extra}' extra: pip install 'veil[{extra}]'", err=True)
        sys.exit(2)
