"""Screening of outbound messages and removal/transfer manifests (`veil screen`, and the `veil serve` page/API).

    screen_message(blob, name, recipient, registry, policy) -> ScreenResult     a message: .eml, .msg, .docx, .pdf, .txt
    screen_manifest(blob, name, recipient, registry, policy) -> ScreenResult    a manifest: CSV or XLSX
    load_screen_policy(path) -> ScreenPolicy                                   who may receive what (recipient table)
    report(results) -> dict                                                    the --format json document

A blocked result carries a `suggestion`: what to send instead, screened again for the same recipient.

    (the sentence rules are veil.detectors.sentence_rules: veil check reads prose with them too)
    matching.py   protected people named in text; masking of the sentences shown
    registry.py   ProtectedRegistry (the seam for the incident module) and FileRegistry (--protected FILE)
    core.py       message reading (attachments through `veil check`), recipient entitlement, suggestions
    suggest.py    rewording one blocked sentence (data/suggestions.yaml)
    policy.py     the recipient table and limits (data/screen_policy.yaml, an agency's file laid over it)
    manifest.py   manifest fields, values and people (the linkage of `veil holds check-manifest`); the copy to send
    audit.py      the audit event of every decision
"""

from veil.screen.core import entitled, screen_message
from veil.screen.manifest import screen_manifest
from veil.screen.policy import ScreenPolicy, load_screen_policy
from veil.screen.registry import FileRegistry, MemoryRegistry, ProtectedPerson, ProtectedRegistry
from veil.screen.result import Recipient, RecipientKind, ScreenFinding, ScreenKind, ScreenResult, Suggestion, report

__all__ = [
    "FileRegistry",
    "MemoryRegistry",
    "ProtectedPerson",
    "ProtectedRegistry",
    "Recipient",
    "RecipientKind",
    "ScreenFinding",
    "ScreenKind",
    "ScreenPolicy",
    "ScreenResult",
    "Suggestion",
    "entitled",
    "load_screen_policy",
    "report",
    "screen_manifest",
    "screen_message",
]
