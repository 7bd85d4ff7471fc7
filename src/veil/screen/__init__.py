"""Screening of outbound messages and removal/transfer manifests (`veil screen`, and the `veil serve` page/API).

    screen_message(blob, name, recipient, registry) -> ScreenResult     a message: .eml, .msg, .docx, .pdf, .txt
    screen_manifest(blob, name, recipient, registry) -> ScreenResult    a manifest: CSV or XLSX
    redact_manifest(blob, name, recipient, registry, out_name)          a copy with only the fields needed
    report(results) -> dict                                            the --format json document

    (the sentence rules are veil.detectors.sentence_rules: veil check reads prose with them too)
    matching.py   protected people named in text; masking of the sentences shown
    registry.py   ProtectedRegistry (the seam for the incident module) and FileRegistry (--protected FILE)
    core.py       message reading (attachments through `veil check`), recipient entitlement
    manifest.py   manifest fields, values and people; redaction
"""

from veil.screen.core import entitled, screen_message
from veil.screen.manifest import redact_manifest, screen_manifest
from veil.screen.registry import FileRegistry, MemoryRegistry, ProtectedPerson, ProtectedRegistry
from veil.screen.result import Recipient, RecipientKind, ScreenFinding, ScreenKind, ScreenResult, report

__all__ = [
    "FileRegistry",
    "MemoryRegistry",
    "ProtectedPerson",
    "ProtectedRegistry",
    "Recipient",
    "RecipientKind",
    "ScreenFinding",
    "ScreenKind",
    "ScreenResult",
    "entitled",
    "redact_manifest",
    "report",
    "screen_manifest",
    "screen_message",
]
