"""The docs against the code (datasette's habit): the command reference is written from the CLI, every command line
in the docs names real commands and options, every finding kind and policy setting is documented, every page is in
the site's navigation, and the site builds with `mkdocs build --strict`."""

from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml

from support.paths import ROOT
from veil.cli import app
from veil.findings import Kind
from veil.policy import default_policy_text

DOCS = ROOT / "docs"


def _reference() -> Any:
    spec = importlib.util.spec_from_file_location("cli_reference", ROOT / "scripts" / "cli_reference.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_command_reference_is_current() -> None:
    expected = _reference().render()
    assert (DOCS / "cli.md").read_text(encoding="utf-8") == expected, \
        "docs/cli.md is out of date: run `uv run python scripts/cli_reference.py`"


def _nav_pages(nav: list[Any]) -> list[str]:
    pages: list[str] = []
    for item in nav:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        pages.extend(_nav_pages(value) if isinstance(value, list) else [value])
    return pages


def test_every_page_is_in_the_navigation_and_exists() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    nav = _nav_pages(config["nav"])
    on_disk = sorted(p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md"))
    assert sorted(nav) == on_disk


def _command_lines() -> list[tuple[str, str]]:
    """(page, command line) for every `veil ...` line in a fenced shell block of the docs and the README."""
    found = []
    for page in [*sorted(DOCS.rglob("*.md")), ROOT / "README.md"]:
        text = page.read_text(encoding="utf-8")
        for block in re.findall(r"```(?:sh|bash|console|shell)\n(.*?)```", text, flags=re.S):
            for line in block.splitlines():
                line = line.strip().removeprefix("$ ")
                match = re.match(r"(?:uv run |uvx --from veil )?veil (.*)", line)
                if match:
                    found.append((page.name, match.group(1)))
    return found


def _resolve(words: list[str]) -> tuple[Any, list[str]]:
    command: Any = typer.main.get_command(app)
    while words and hasattr(command, "list_commands") and not words[0].startswith("-"):
        sub = command.get_command(None, words[0])
        assert sub is not None, f"no command {words[0]!r}"
        command, words = sub, words[1:]
    return command, words


@pytest.mark.parametrize(("page", "line"), _command_lines())
def test_command_lines_in_the_docs_name_real_commands_and_options(page: str, line: str) -> None:
    line = re.split(r"\s(?:#|\||>|&&|<)\s?", " " + line)[0]
    try:
        words = shlex.split(line)
    except ValueError:
        words = line.split()
    command, rest = _resolve(words)
    options = {o for p in command.params for o in [*getattr(p, "opts", []), *getattr(p, "secondary_opts", [])]}
    options |= {"--help"}
    for word in rest:
        if word.startswith("--"):
            assert word.split("=")[0] in options, f"{page}: `veil {line}` uses {word}, which the command lacks"


def test_every_finding_kind_is_documented() -> None:
    text = (DOCS / "check.md").read_text(encoding="utf-8")
    missing = [k.value for k in Kind if f"`{k.value}`" not in text]
    assert not missing, f"docs/check.md does not explain: {missing}"


def _keys(mapping: dict[str, Any], prefix: str = "") -> list[str]:
    keys = []
    for key, value in mapping.items():
        if prefix == "verdicts.":
            continue  # the finding kinds, checked above
        keys.append(prefix + str(key))
        if isinstance(value, dict):
            keys.extend(_keys(value, f"{prefix}{key}."))
    return keys


def test_every_policy_setting_is_documented() -> None:
    text = (DOCS / "check.md").read_text(encoding="utf-8")
    policy = yaml.safe_load(default_policy_text())
    missing = [k for k in _keys(policy) if f"`{k.split('.')[-1]}`" not in text and f"`{k}`" not in text]
    assert not missing, f"docs/check.md does not explain the policy settings: {missing}"


@pytest.mark.skipif(shutil.which("mkdocs", path=str(Path(sys.executable).parent)) is None,
                    reason="mkdocs is not installed (uv sync installs it with the dev group)")
def test_the_site_builds_strictly(tmp_path: Path) -> None:
    mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent))
    assert mkdocs
    run = subprocess.run([mkdocs, "build", "--strict", "--quiet", "--site-dir", str(tmp_path / "site")], cwd=ROOT,
                         capture_output=True, text=True, timeout=300, env={"NO_MKDOCS_2_WARNING": "1",
                                                                          "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stdout + run.stderr


def _python_blocks(page: str) -> list[str]:
    text = (DOCS / page).read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.MULTILINE | re.DOTALL)


@pytest.mark.parametrize("page", ["api.md", "extending.md"])
def test_the_python_examples_run(page: str, capsys: pytest.CaptureFixture[str]) -> None:
    blocks = _python_blocks(page)
    assert blocks, f"docs/{page} has no Python example"
    for block in blocks:
        if "def recognizers" in block:  # a plugin module: it must compile and declare a working recognizer
            namespace: dict[str, Any] = {}
            exec(compile(block, f"docs/{page}", "exec"), namespace)  # noqa: S102 - our own documentation
            from veil.detectors.recognizers.registry import declared

            [recognizer] = declared(namespace["recognizers"], "docs")
            assert recognizer.is_cell("RZ-1234567-8") and not recognizer.is_cell("RZ-1234567-1")
            continue
        exec(compile(block, f"docs/{page}", "exec"), {})  # noqa: S102 - our own documentation


def test_the_public_api_is_the_documented_one() -> None:
    import veil

    documented = set(re.findall(r"^\| `(\w+)", (DOCS / "api.md").read_text(encoding="utf-8"), flags=re.MULTILINE))
    documented |= {n for row in re.findall(r"^\| `([^|]+)` \|", (DOCS / "api.md").read_text(encoding="utf-8"),
                                           flags=re.MULTILINE) for n in re.findall(r"\b[A-Za-z_]\w*\b", row)}
    assert set(veil.__all__) - {"__version__"} <= documented


def test_the_package_tree_in_the_design_page_is_the_code_s() -> None:
    spec = importlib.util.spec_from_file_location("package_tree", ROOT / "scripts" / "package_tree.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    text = (DOCS / "design.md").read_text(encoding="utf-8")
    assert module.rewrite(text) == text, \
        "docs/design.md's tree is out of date: run `uv run python scripts/package_tree.py`"
