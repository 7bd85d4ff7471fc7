"""Read models: plain, JSON-ready dicts of releases for the web pages, the API and `veil submit`.

The file/finding shape follows the `veil check --format json` contract (path, sha256, verdict, persons,
findings[kind, location, visible, message]) with the gate's own keys added.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from veil.baseline import fingerprint
from veil.findings import Finding, FindingKind, Kind, Verdict, kind_of
from veil.report.advice import advice
from veil.report.text import human_location
from veil.shown_names import shown_name, shown_path
from veil.store.models_accounts import User
from veil.store.models_releases import FindingRecord, Release
from veil.workflow.approvals import FileState, file_states, history, overridden_releases
from veil.workflow.overrides import REQUIRED_OFFICIALS, OverrideRules, default_rules
from veil.workflow.publishing import publications
from veil.workflow.releases import get_release, list_releases


def release_summary(release: Release, submitter: str, overridden: bool = False) -> dict[str, Any]:
    return {"id": release.id, "title": release.title, "target_path": release.target_path,
            "status": release.status, "submitter": submitter, "created": release.created.isoformat(),
            "updated": release.updated.isoformat(), "overridden": overridden}


def release_page(session: Session, page: int, per_page: int, status: str | None = None
                 ) -> tuple[list[dict[str, Any]], int]:
    """One page of release summaries (newest first) and the total count."""
    rows, total = list_releases(session, page, per_page, status)
    flagged = overridden_releases(session, [r.id for r, _ in rows])
    return [release_summary(r, u, r.id in flagged) for r, u in rows], total


def _finding(f: FindingRecord, path: str) -> dict[str, Any]:
    """A stored finding in `veil check --format json`'s shape (evidence, samples, cells, fingerprint), with the
    gate's effect, the place a person looks for and what to do about it (the text report's arrow line)."""
    finding = Finding(_kind(f.kind), f.location, f.visible, f.message, f.detector, tuple(f.evidence or ()),
                      tuple(f.samples or ()), f.visibility, cells=tuple(f.cells or ()))
    place, parts = human_location(f.location)
    return {"kind": f.kind, "location": f.location, "visible": f.visible, "visibility": f.visibility,
            "message": f.message, "detector": f.detector, "where": finding.where.as_dict(), "effect": f.effect,
            "evidence": list(finding.evidence),
            "samples": list(finding.samples), "cells": list(finding.cells),
            "fingerprint": fingerprint(path, finding) if isinstance(finding.kind, Kind) else "",
            "place": place, "parts": parts, "advice": advice(finding) if f.effect != "note" else ""}


def _kind(name: str) -> FindingKind:
    return kind_of(name)  # a kind from a plugin or a newer scanner stays as stored (an OpenKind)


def file_view(state: FileState, rules: OverrideRules | None = None) -> dict[str, Any]:
    scan = state.scan
    rules = rules or default_rules()
    return {
        "id": state.file.id, "path": shown_name(state.file.name), "version": state.file.version,
        "sha256": state.file.sha256,
        "size": state.file.size, "uploaded": state.file.created.isoformat(),
        "scan_status": scan.status if scan else "missing", "verdict": state.verdict,
        "persons": scan.persons if scan and state.scanned else 0,
        "format": scan.format if scan else "",
        "scanner_version": scan.scanner_version if scan else "", "policy_version": scan.policy_version if scan else "",
        "findings": [_finding(f, shown_name(state.file.name)) for f in scan.findings]
        if scan and state.scanned else [],
        "approvers": state.approvers, "approved": state.approved, "needs": state.needs,
        "blocking": state.blocking, "overridden_by": state.overridden_by, "justifications": state.justifications,
        "overrides": [{"by": o.by, "legal_basis": o.legal_basis,
                       "legal_basis_label": rules.label(o.legal_basis) if o.legal_basis else "none recorded",
                       "justification": o.justification, "created": o.created.isoformat()} for o in state.overrides],
        "officials_needed": max(0, REQUIRED_OFFICIALS - len(state.officials)) if state.blocking else 0,
    }


def release_detail(session: Session, release_id: int, rules: OverrideRules | None = None) -> dict[str, Any]:
    release = get_release(session, release_id)
    submitter = session.get(User, release.submitter_id)
    states = file_states(session, release)
    users = {u.id: u.username for u in session.scalars(select(User))} if states else {}
    # who uploaded each version: they cannot approve it (the page offers them no approve box for it)
    files = [{**file_view(s, rules), "uploader": users.get(s.file.uploader_id, "?")} for s in states]
    scanned = [f for f in files if f["verdict"] is not None]
    verdict = Verdict.worst([Verdict(f["verdict"]) for f in scanned]).value if scanned else None
    overridden = {f["sha256"] for f in files if f["overrides"]}
    return {
        **release_summary(release, submitter.username if submitter else "?", any(f["overridden_by"] for f in files)),
        "notes": release.notes,
        "verdict": verdict if files and len(scanned) == len(files) else None,
        "scans_pending": len(files) - len(scanned),
        "files": files,
        "overridden": any(f["overridden_by"] for f in files),
        "decisions": [{"action": d.action, "by": who, "override": d.override, "legal_basis": d.legal_basis,
                       "comment": d.comment,
                       "created": d.created.isoformat(), "sha256s": [i.sha256 for i in d.items]}
                      for d, who in history(session, release.id)],
        "publications": [{"path": shown_path(p.path), "sha256": p.sha256, "site": p.site,
                          "published": p.published.isoformat(),
                          "by": users.get(p.publisher_id, "?"),
                          "withdrawn": p.withdrawn.isoformat() if p.withdrawn else None,
                          "overridden": p.sha256 in overridden}
                         for p in publications(session, release.id)],
    }
