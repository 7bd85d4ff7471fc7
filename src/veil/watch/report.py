"""Sweep reports: text (one line per flagged file, named by its path) and JSON in the shape of `veil check`'s.

JSON: `{"verdict", "files": [{"path", "sha256", "verdict", "persons", "findings": [...], "sweep": {...}}],
"sweep": {...summary}}`. The approval reasons, which `veil.findings.Kind` does not name, appear as findings of kind
`never-approved` / `bytes-differ` and in each file's `sweep` key; `files` lists the flagged files only (all files
with `keep_all`), since a site holds far more files than anyone reads in a report. Files live only because authorising
officials overrode the checks are not findings, but every report lists them: `sweep.under_override` in JSON, a
`LIVE UNDER OVERRIDE` line in text.
"""

from __future__ import annotations

import json
from typing import Any

from veil.findings import Verdict
from veil.report.json_report import file_dict
from veil.watch.approvals import Approval
from veil.watch.sweep import SweepItem, SweepReport

_APPROVAL_MESSAGES = {
    Approval.NEVER_APPROVED: "these bytes were never approved for publication",
    Approval.BYTES_DIFFER: "the bytes differ from the ones approved for this path",
}


def item_dict(item: SweepItem) -> dict[str, Any]:
    out = file_dict(item.result)
    out["path"] = item.path
    out["sha256"] = item.sha256
    out["size"] = item.size
    out["verdict"] = item.verdict.value
    message = _APPROVAL_MESSAGES.get(item.approval.status)
    if message:
        out["findings"].insert(0, {"kind": item.approval.status.value, "location": "(file)", "visible": True,
                                   "message": message, "visibility": "visible", "detector": "sweep"})
    out["sweep"] = {
        "approved": {Approval.APPROVED: True, Approval.OVERRIDE: True, Approval.NOT_CHECKED: None}
        .get(item.approval.status, False),
        "approval": item.approval.status.value,
        "reason": item.reasons[0] if item.reasons else None,
        "reasons": list(item.reasons),
        "first_seen": item.first_seen,
        "scanned": item.scanned,
        "location": item.location,
    }
    if item.approval.approved_sha256 and item.approval.status is Approval.BYTES_DIFFER:
        out["sweep"]["approved_sha256"] = item.approval.approved_sha256
    return out


def override_dict(item: SweepItem) -> dict[str, Any]:
    """A file live under an override: what the checks say and which release published it (no finding text)."""
    return {"path": item.path, "sha256": item.sha256, "verdict": item.result.verdict.value,
            "finding_kinds": sorted({str(f.kind) for f in item.result.findings if str(f.kind) != "notice"}),
            "release_id": item.approval.release_id,
            "published": item.approval.published.isoformat(timespec="seconds") if item.approval.published else None}


def override_lines(report: SweepReport) -> list[str]:
    """One line per file live under an override, for the sweep run's summary (paths and ids only):
    `live-under-override PATH (release #N)`; the release page has the button that opens an incident for it."""
    return [f"live-under-override {i.path} (release #{i.approval.release_id or '?'})" for i in report.overrides]


def overall(report: SweepReport) -> Verdict:
    return Verdict.worst([i.verdict for i in report.flagged])


def summary(report: SweepReport) -> dict[str, Any]:
    return {"target": report.target, "started": report.started, "seconds": report.seconds,
            "files": report.files, "unchanged": report.unchanged, "scanned": report.scanned,
            "problems": report.problems, "vanished": report.vanished, "flagged": len(report.flagged),
            "under_override": [override_dict(i) for i in report.overrides]}


def render_json(report: SweepReport, **meta: Any) -> str:
    items = report.items if report.items else report.flagged
    doc: dict[str, Any] = {"verdict": overall(report).value, "files": [item_dict(i) for i in items],
                           "sweep": summary(report)}
    doc.update(meta)
    return json.dumps(doc, indent=2, ensure_ascii=False)


def render_text(report: SweepReport) -> str:
    lines = []
    for item in report.flagged:
        kinds = sorted({str(f.kind) for f in item.result.findings if str(f.kind) != "notice"})
        detail = f"; findings: {', '.join(kinds)}" if kinds else ""
        lines.append(f"FLAGGED {item.verdict.value.upper():12} {item.path}  ({', '.join(item.reasons)}{detail})")
        for f in item.result.findings[:5]:
            lines.append(f"    {f.kind}: {f.location}: {f.message}")
    for item in report.overrides:
        o = override_dict(item)
        release = f"release #{o['release_id']}" if o["release_id"] else "release unknown"
        since = f", published {o['published']}" if o["published"] else ""
        lines.append(f"LIVE UNDER OVERRIDE {o['verdict'].upper():12} {item.path}  ({release}{since}; "
                     f"findings: {', '.join(o['finding_kinds']) or 'none'})")
    s = summary(report)
    lines.append(f"swept {s['files']} file(s) in {s['seconds']:.2f} s: {s['unchanged']} unchanged, "
                 f"{s['scanned']} checked, {s['problems']} problem(s), {s['flagged']} flagged, "
                 f"{len(report.overrides)} live under an override")
    return "\n".join(lines) + "\n"
