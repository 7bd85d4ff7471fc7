"""Human-readable report: grouped by file, then by hidden/visible, with masked samples."""

from __future__ import annotations

import io

from rich.console import Console
from rich.markup import escape

from veil.findings import FileResult, Verdict
from veil.policy import Policy

_STYLE = {Verdict.PASS: "green", Verdict.REVIEW: "yellow", Verdict.BLOCK: "bold red",
          Verdict.UNVERIFIABLE: "bold magenta"}
_CELLS_SHOWN = 20


def render(results: list[FileResult], policy: Policy) -> str:
    buf = io.StringIO()
    console = Console(file=buf, width=120, force_terminal=False, no_color=True, highlight=False)
    for r in results:
        console.print(f"[{_STYLE[r.verdict]}]{r.verdict.value.upper():12}[/] {escape(r.path)}"
                      f"  ({r.format}, persons: {r.persons})")
        shown = [f for f in r.findings if policy.effect(f.kind) != "note"] + \
                [f for f in r.findings if policy.effect(f.kind) == "note"]
        for f in shown[:50]:
            effect = policy.effect(f.kind)
            where = "visible" if f.visible else f"HIDDEN ({f.visibility})"
            console.print(f"    {effect:12} {f.kind.value:18} {escape(f.location)} {escape(f'[{where}]')}")
            console.print(f"                 {escape(f.message)}")
            if f.samples:
                console.print(f"                 e.g. {escape('; '.join(f.samples))}")
            if f.cells:
                more = f" … and {len(f.cells) - _CELLS_SHOWN} more" if len(f.cells) > _CELLS_SHOWN else ""
                console.print(f"                 cells: {escape('; '.join(f.cells[:_CELLS_SHOWN]))}{more}")
        if len(shown) > 50:
            console.print(f"    … and {len(shown) - 50} more findings (use --format json for all)")
    counts = {v: sum(1 for r in results if r.verdict is v) for v in Verdict}
    console.print(" · ".join(f"{counts[v]} {v.value}" for v in Verdict))
    return buf.getvalue()
