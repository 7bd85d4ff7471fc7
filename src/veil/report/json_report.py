"""The JSON contract of DESIGN.md: {"verdict", "files": [{"path", "sha256", "verdict", "persons", "findings"}]}."""

from __future__ import annotations

import json
from typing import Any

from veil.baseline import fingerprint
from veil.findings import FileResult, Finding, Verdict


def finding_dict(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": f.kind.value if hasattr(f.kind, "value") else str(f.kind),
        "location": f.location,
        "visible": f.visible,
        "message": f.message,
        "visibility": f.visibility,
        "detector": f.detector,
    }
    where = f.where.as_dict()
    if where:
        out["where"] = where
    if f.evidence:
        out["evidence"] = list(f.evidence)
    if f.samples:
        out["samples"] = list(f.samples)
    if f.cells:
        out["cells"] = list(f.cells)
    return out


def file_dict(r: FileResult, baselined: int = 0) -> dict[str, Any]:
    """One file's entry; each finding carries the fingerprint a baseline file accepts it by."""
    out = {
        "path": r.path,
        "sha256": r.sha256,
        "verdict": r.verdict.value,
        "persons": r.persons,
        "format": r.format,
        "size": r.size,
        "findings": [{**finding_dict(f), "fingerprint": fingerprint(r.path, f)} for f in r.findings],
    }
    if baselined:
        out["baselined"] = baselined
    return out


def overall(results: list[FileResult]) -> Verdict:
    return Verdict.worst([r.verdict for r in results])


def render(results: list[FileResult], baselined: dict[str, int] | None = None, **meta: Any) -> str:
    """The report; `baselined` counts, per path, the findings a baseline file set aside."""
    counts = baselined or {}
    doc: dict[str, Any] = {"verdict": overall(results).value,
                           "files": [file_dict(r, counts.get(r.path, 0)) for r in results]}
    doc.update(meta)
    return json.dumps(doc, indent=2, ensure_ascii=False)
