"""Human-readable report: grouped by file, worst findings first, each with what to do about it; masked samples."""

from __future__ import annotations

import io
import re

from rich.console import Console
from rich.markup import escape

from veil.findings import FileResult, Finding, Verdict
from veil.policy import Policy
from veil.report.advice import advice

_STYLE = {Verdict.PASS: "green", Verdict.REVIEW: "yellow", Verdict.BLOCK: "bold red",
          Verdict.UNVERIFIABLE: "bold magenta"}
_CELLS_SHOWN = 20
_FINDINGS_SHOWN = 50
_EFFECT_ORDER = {"block": 0, "unverifiable": 1, "review": 2, "note": 3}
# A container's internal part name, e.g. "(xl/worksheets/sheet2.xml)": a person looks for the sheet, not the part.
_PART = re.compile(r" \(([\w.\-\[\]]+/[\w./\-\[\]]+)\)")


def human_location(location: str) -> tuple[str, str]:
    """The location a person looks for ("sheet 'Sheet2' A1:F201") and the container's internal part names."""
    return _PART.sub("", location), ", ".join(_PART.findall(location))


def render(results: list[FileResult], policy: Policy, verbose: bool = False, baselined: dict[str, int] | None = None) \
        -> str:
    """The report. Notes (findings that do not change a verdict) only with `verbose`."""
    buf = io.StringIO()
    console = Console(file=buf, width=120, force_terminal=False, no_color=True, highlight=False)
    for r in results:
        accepted = (baselined or {}).get(r.path, 0)
        extra = f", {accepted} accepted in the baseline" if accepted else ""
        console.print(f"[{_STYLE[r.verdict]}]{r.verdict.value.upper():12}[/] {escape(r.path)}"
                      f"  ({r.format}, persons: {r.persons}{extra})")
        ordered = sorted(r.findings, key=lambda f: _EFFECT_ORDER.get(policy.effect(f.kind), 2))
        shown = [f for f in ordered if verbose or policy.effect(f.kind) != "note"]
        for f in shown[:_FINDINGS_SHOWN]:
            _finding(console, f, policy.effect(f.kind))
        if len(shown) > _FINDINGS_SHOWN:
            console.print(f"    … and {len(shown) - _FINDINGS_SHOWN} more findings (use --format json for all)")
        notes = len(ordered) - len(shown)
        if notes:
            console.print(f"    ({notes} note{'s' if notes != 1 else ''}; -v shows them)")
    counts = {v: sum(1 for r in results if r.verdict is v) for v in Verdict}
    console.print(" · ".join(f"{counts[v]} {v.value}" for v in Verdict))
    return buf.getvalue()


def _finding(console: Console, f: Finding, effect: str) -> None:
    where = "visible" if f.visible else f"HIDDEN ({f.visibility})"
    place, parts = human_location(f.location)
    inside = f"  · {parts}" if parts else ""
    console.print(f"    {effect:12} {f.kind.value:18} {escape(place)} {escape(f'[{where}]')}{escape(inside)}")
    console.print(f"                 {escape(f.message)}")
    if f.samples:
        console.print(f"                 e.g. {escape('; '.join(f.samples))}")
    if f.cells:
        more = f" … and {len(f.cells) - _CELLS_SHOWN} more" if len(f.cells) > _CELLS_SHOWN else ""
        console.print(f"                 cells: {escape('; '.join(f.cells[:_CELLS_SHOWN]))}{more}")
    todo = advice(f) if effect != "note" else ""
    if todo:
        console.print(f"                 → {escape(todo)}")
