"""File names as Veil shows them: as they are, unless the name is itself personal data, then masked.

A file named `NGUYEN_CITLALI_A523938499_asylum.txt` must not reappear whole in Veil's report, the gate's pages,
its audit chain or its logs. Two places decide:

- `FileNames` runs inside one check: it notes every `file name` unit the readers produce (the file's own name,
  archive members, attachments) and, when the detectors found a person, an identifier or a name in one, replaces
  that raw name in every finding's location, message and evidence with its masked form.
- `shown_name(name)` is for everything around the check (the gate): the name as it may be shown, masked when the
  detectors find personal data in it. The gate keeps the raw name only in the one place that needs it, the file's
  row in the database, which names the path the publisher writes to.

The masked form keeps the extension and the separators, so a reviewer still sees what kind of file it is:
`N*****_C******_A*********_a*****.txt`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from functools import lru_cache

from veil.detectors.text import analyse_text
from veil.findings import Finding, Kind
from veil.masking import mask
from veil.readers.file_names import name_unit, split_extension
from veil.readers.units import Text, Unit

# Findings in a name that make it personal data. Contact details count: an e-mail address in a name is someone's.
PERSONAL = frozenset({Kind.PERSON_IN_TEXT, Kind.IDENTIFIER_IN_TEXT, Kind.NAMED_PERSON, Kind.CONTACT_DETAILS})
_WORD = re.compile(r"[^\W_]+")


def masked_name(name: str) -> str:
    """Every word masked, the extension kept: 'NGUYEN_CITLALI_A523938499.pdf' -> 'N*****_C******_A*********.pdf'."""
    stem, extension = split_extension(name)
    return _WORD.sub(lambda m: mask(m.group(0)), stem) + extension


@lru_cache(maxsize=4096)
def shown_name(name: str) -> str:
    """`name` as it may be shown or logged: masked when it names a person or holds an identifier."""
    unit = name_unit(name)
    if unit is None:
        return name
    personal = any(f.kind in PERSONAL for f in analyse_text(unit))
    return masked_name(name) if personal else name


def shown_path(path: str) -> str:
    """A path with each of its parts as `shown_name` shows it."""
    return "/".join(shown_name(part) if part else part for part in path.split("/"))


class FileNames:
    """The file names one check met, and the masking of those that turned out to be personal data."""

    def __init__(self) -> None:
        self._names: dict[str, str] = {}  # unit location -> raw name

    def watch(self, *streams: Iterable[Unit]) -> Iterator[Unit]:
        for stream in streams:
            for unit in stream:
                if isinstance(unit, Text) and unit.file_name:
                    self._names[unit.location] = unit.file_name
                yield unit

    def masked(self, findings: list[Finding]) -> list[Finding]:
        personal = {raw for location, raw in self._names.items()
                    if any(f.kind in PERSONAL and f.location.startswith(location) for f in findings)}
        if not personal:
            return findings
        # Longest first, so a member path is masked before a shorter name inside it.
        swaps = [(raw, masked_name(raw)) for raw in sorted(personal, key=len, reverse=True)]
        return [_swapped(f, swaps) for f in findings]


def _swapped(finding: Finding, swaps: list[tuple[str, str]]) -> Finding:
    def clean(text: str) -> str:
        for raw, masked in swaps:
            if raw in text:
                text = text.replace(raw, masked)
        return text

    return replace(finding, location=clean(finding.location), message=clean(finding.message),
                   evidence=tuple(clean(e) for e in finding.evidence))
