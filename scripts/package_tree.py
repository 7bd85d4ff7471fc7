"""Draw the package tree of src/veil in docs/design.md from the code: every package and top-level module with the
first sentence of its docstring, grouped by layer (faces, services, core, store), as DESIGN.md draws them.

    uv run python scripts/package_tree.py          # rewrite the tree in docs/design.md
    uv run python scripts/package_tree.py --check  # exit 1 when docs/design.md is out of date (tests/test_docs.py)
"""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "veil"
TARGET = ROOT / "docs" / "design.md"
BEGIN, END = "<!-- package tree: scripts/package_tree.py -->", "<!-- /package tree -->"
LAYERS = (
    ("faces", ("cli", "web", "__main__")),
    ("services", ("workflow", "watch", "incident", "screen")),
    ("engines", ("spark",)),
    (
        "core",
        (
            "pipeline",
            "readers",
            "detectors",
            "policy",
            "findings",
            "report",
            "masking",
            "shown_names",
            "baseline",
            "errors",
            "yamlio",
            "atomic_files",
            "file_walk",
            "data",
            "demo",
        ),
    ),
    ("store", ("store",)),
)
_WIDTH = 120
_NAME = 24
# Modules with no docstring of their own.
_FALLBACK = {"__main__.py": "`python -m veil`", "data/__init__.py": "the default policy (default_policy.yaml)"}


def summary(path: Path) -> str:
    """The first sentence of a module's docstring, on one line."""
    doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or _FALLBACK.get(
        path.relative_to(SRC).as_posix(), ""
    )
    text = " ".join(doc.split())
    first = re.split(r"(?<=[a-z)`'])\. ", text, maxsplit=1)[0].rstrip(".")
    room = _WIDTH - _NAME - 4
    return first if len(first) <= room else first[: room - 3].rstrip() + "..."


def entries() -> dict[str, Path]:
    """name -> the file whose docstring describes it (a package's __init__.py)."""
    out: dict[str, Path] = {}
    for path in sorted(SRC.iterdir()):
        if path.is_dir() and (path / "__init__.py").exists():
            out[path.name] = path / "__init__.py"
        elif path.suffix == ".py" and path.name != "__init__.py":
            out[path.stem] = path
    return out


def subpackages(name: str) -> list[tuple[str, Path]]:
    base = SRC / name
    if not base.is_dir():
        return []
    return [
        (p.name, p / "__init__.py")
        for p in sorted(base.iterdir())
        if p.is_dir() and (p / "__init__.py").exists() and p.name not in ("data", "migrations", "templates")
    ]


def render() -> str:
    found = entries()
    placed = {n for _, names in LAYERS for n in names}
    missing = sorted(set(found) - placed)
    if missing:
        raise SystemExit(f"scripts/package_tree.py: put {missing} in a layer")
    lines = ["src/veil/", f"  {'__init__.py':{_NAME}}{summary(found.pop('__init__', SRC / '__init__.py'))}"]
    for layer, names in LAYERS:
        lines.append(f"  # {layer}")
        for name in names:
            if name not in found:
                continue
            label = f"{name}/" if found[name].name == "__init__.py" else f"{name}.py"
            lines.append(f"  {label:{_NAME}}{summary(found[name])}")
            for sub, init in subpackages(name):
                lines.append(f"    {sub + '/':{_NAME - 2}}{summary(init)}")
    return "\n".join([BEGIN, "```", *lines, "```", END])


def rewrite(text: str) -> str:
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + render() + text[end:]


def main() -> int:
    text = TARGET.read_text(encoding="utf-8")
    new = rewrite(text)
    if "--check" in sys.argv:
        return 0 if new == text else 1
    TARGET.write_text(new, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
