"""Write docs/cli.md, the reference of every `veil` command and option, from the CLI itself.

    uv run python scripts/cli_reference.py          # rewrite docs/cli.md
    uv run python scripts/cli_reference.py --check  # exit 1 when docs/cli.md is out of date (tests/test_docs.py)
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import typer

from veil.cli import app

TARGET = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
HEAD = """# Command reference

Every `veil` command and option, written from the CLI itself by `scripts/cli_reference.py` (a test fails when this
page and the CLI disagree). Exit codes everywhere: **0** done (every file passes), **1** something needs attention
(a finding, a refusal, a broken chain), **2** a usage error. `--format json` writes one JSON document to standard
output; messages go to standard error as `veil: ...`.
"""


def is_group(command: Any) -> bool:
    return hasattr(command, "list_commands")


def commands(group: Any, prefix: str = "veil") -> list[tuple[str, Any]]:
    """Every (command path, command) under `group`, groups included, in help order."""
    out: list[tuple[str, Any]] = []
    for name in group.list_commands(None):
        command = group.get_command(None, name)
        if command is None or command.hidden:
            continue
        path = f"{prefix} {name}"
        out.append((path, command))
        if is_group(command):
            out.extend(commands(command, path))
    return out


def _param_line(param: Any) -> str:
    if not getattr(param, "opts", None) or not param.opts[0].startswith("-"):
        name = (param.name or "").upper()
        text = (getattr(param, "help", None) or "").strip()
        return f"- `{name}`{'' if param.required else ' (optional)'}" + (f": {text}" if text else "")
    names = ", ".join(f"`{n}`" for n in [*param.opts, *param.secondary_opts])
    text = (param.help or "").strip()
    extras = []
    choices = getattr(param.type, "choices", None)
    if choices:
        extras.append("one of " + ", ".join(f"`{getattr(c, 'value', c)}`" for c in choices))
    if param.envvar:
        extras.append(f"env `{param.envvar}`")
    if param.default not in (None, False, (), []) and not param.is_flag and param.show_default is not False:
        default = param.default.value if hasattr(param.default, "value") else param.default
        extras.append(f"default `{default}`")
    if param.multiple:
        extras.append("repeatable")
    tail = f" ({'; '.join(extras)})" if extras else ""
    return f"- {names}: {text}{tail}"


def render() -> str:
    parts = [HEAD]
    for path, command in commands(typer.main.get_command(app)):
        parts.append(f"\n## `{path}`\n")
        if command.help:
            parts.append(command.help.strip().split("\n\n")[0].replace("\n", " ") + "\n")
        if is_group(command):
            continue
        params = [p for p in command.params if p.name != "help"]
        if params:
            parts.append("")
            parts.extend(_param_line(p) for p in params)
            parts.append("")
    return re.sub(r"\n{3,}", "\n\n", "\n".join(parts)).rstrip() + "\n"


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        return 0 if TARGET.exists() and TARGET.read_text(encoding="utf-8") == text else 1
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
