"""SARIF 2.1.0 for CI systems: one rule per finding kind, one result per finding."""

from __future__ import annotations

import json
from typing import Any

from veil import __version__
from veil.baseline import fingerprint, path_key
from veil.findings import FileResult, Kind
from veil.policy import Policy
from veil.report.advice import advice

_LEVEL = {"block": "error", "unverifiable": "error", "review": "warning", "note": "note"}


def render(results: list[FileResult], policy: Policy) -> str:
    rules = [{"id": k.value, "name": k.name.title().replace("_", ""),
              "shortDescription": {"text": k.value.replace("-", " ")},
              "defaultConfiguration": {"level": _LEVEL.get(policy.effect(k), "warning")}} for k in Kind]
    sarif_results: list[dict[str, Any]] = []
    for r in results:
        for f in r.findings:
            todo = advice(f) if policy.effect(f.kind) != "note" else ""
            sarif_results.append({
                "ruleId": f.kind.value,
                "level": _LEVEL.get(policy.effect(f.kind), "warning"),
                "message": {"text": f"{f.message} [{f.location}; {'visible' if f.visible else f.visibility}]"
                                    + (f" To fix: {todo}." if todo else "")},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": path_key(r.path)}},
                               "logicalLocations": [{"name": f.location, "kind": "element"}]}],
                # Code-scanning services match a finding across runs by this (the baseline file uses it too).
                "partialFingerprints": {"veilFinding/v1": fingerprint(r.path, f)},
                "properties": {"visible": f.visible, "visibility": f.visibility, "fileVerdict": r.verdict.value},
            })
    doc = {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {"name": "veil", "version": __version__, "rules": rules,
                                "properties": {"policyVersion": policy.version}}},
            "results": sarif_results,
            "artifacts": [{"location": {"uri": path_key(r.path)}, "hashes": {"sha-256": r.sha256}} for r in results],
        }],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False)
