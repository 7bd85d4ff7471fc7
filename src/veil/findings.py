"""Findings and verdicts: what the detectors report about a file and what the policy makes of it."""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Any


class Verdict(StrEnum):
    PASS = "pass"
    REVIEW = "review"
    BLOCK = "block"
    UNVERIFIABLE = "unverifiable"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @staticmethod
    def worst(verdicts: list[Verdict] | tuple[Verdict, ...]) -> Verdict:
        return max(verdicts, key=lambda v: v.rank, default=Verdict.PASS)


# unverifiable counts as block for release, but a file that is both says block: that is the sharper message.
_RANK = {Verdict.PASS: 0, Verdict.REVIEW: 1, Verdict.UNVERIFIABLE: 2, Verdict.BLOCK: 3}


class Kind(StrEnum):
    """Finding kinds. Persisted names (JSON reports, database, policy files): never rename one."""

    RECORD_LEVEL = "record-level"            # a table whose rows are identified people
    MICRODATA = "microdata"                  # rows are people, no direct identifiers (k-anonymity review)
    SMALL_CELLS = "small-cells"              # counts under the threshold in a cross-tabulation of people
    PERSON_IN_TEXT = "person-in-text"        # a named person tied to an identifier or protected status
    IDENTIFIER_IN_TEXT = "identifier-in-text"  # an A-number, SSN, passport number... in prose or a lone cell
    FAILED_REDACTION = "failed-redaction"    # text still recoverable under a redaction box or mark
    NAME_LIST = "name-list"                  # a table column of people's names with no other attribute
    HIDDEN_NAMES = "hidden-names"            # private people named where a reader would not see them
    NAMED_LIST = "named-list"                # many private people named in one file's prose, nothing else attached
    NAMED_PERSON = "named-person"            # a name with nothing sensitive attached (officials, authors)
    OFFICIALS_PERSONAL = "officials-personal-data"  # officials in their role, with personal data beyond it
    CONTACT_DETAILS = "contact-details"      # e-mail / phone of an office or official
    HIDDEN_CONTENT = "hidden-content"        # content a reader would not see (reported even when harmless)
    UNREADABLE = "unreadable"                # something could not be fully read: fail closed
    NOTICE = "notice"                        # other facts worth telling a reviewer


class OpenKind(str):
    """A finding kind registered by a plugin or a policy recognizer: a string with `.value`, like a Kind member."""

    __slots__ = ()

    @property
    def value(self) -> str:
        return str.__str__(self)


FindingKind = Kind | OpenKind


def kind_of(name: str) -> FindingKind:
    """The kind called `name`: a member of Kind for the built-in ones, else an OpenKind."""
    member = Kind._value2member_map_.get(name)
    return member if isinstance(member, Kind) else OpenKind(name)


# Kinds are open: a recognizer (from a plugin or a policy) may report a kind of its own, registered here with its
# default effect. The members of Kind above are the built-in ones; a registered kind is an OpenKind.
_REGISTERED: dict[str, str] = {}
_EFFECTS = frozenset({"block", "review", "unverifiable", "note"})


def register_kind(name: str, default_effect: str = "review") -> str:
    """Make `name` a finding kind (idempotent; a built-in kind keeps its own default). Returns the name."""
    if default_effect not in _EFFECTS:
        raise ValueError(f"unknown effect {default_effect!r} for kind {name!r}; use one of {sorted(_EFFECTS)}")
    if name not in Kind._value2member_map_:
        _REGISTERED.setdefault(name, default_effect)
    return name


def known_kinds() -> frozenset[str]:
    """Every finding kind: the built-in ones and those registered."""
    return frozenset(k.value for k in Kind) | frozenset(_REGISTERED)


def registered_effect(kind: str) -> str | None:
    """The default effect a registered (non-built-in) kind was given, if any."""
    return _REGISTERED.get(str(kind))


@dataclass(frozen=True)
class Location:
    """Where a finding is, in parts: the readable `Finding.location` read back ("sheet 'Roster'
    (xl/worksheets/sheet1.xml) A1:D20", "page 3 table 1 rows 2-40", "word/document.xml paragraph 12"). Each field
    is None where the location does not say. Names in it are masked as the location string is."""

    part: str | None = None        # the container's internal part: xl/worksheets/sheet1.xml, content.xml
    sheet: str | None = None       # a workbook's sheet
    cell_range: str | None = None  # A1:D20 or C29
    page: int | None = None        # a page of a PDF or an image
    table: int | None = None       # the n-th table on a page
    rows: str | None = None        # rows 1-538 of a delimited file or a PDF table
    paragraph: int | None = None   # a paragraph of a word-processing document

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


_SHEET = re.compile(r"\bsheet '((?:[^']|'')*)'")
_PART_IN_BRACKETS = re.compile(r"\(([\w.\-\[\]]+(?:/[\w.\-\[\]]+)*\.(?:xml|bin|rels))\)")
_PART_FIRST = re.compile(r"^([\w.\-\[\]]+/[\w./\-\[\]]+\.(?:xml|bin|rels))\b")
_CELLS = re.compile(r"(?<![\w'])\$?([A-Z]{1,3}\$?\d{1,7}(?::\$?[A-Z]{1,3}\$?\d{1,7})?)(?![\w'])")
_PAGE = re.compile(r"\bpage (\d{1,7})\b")
_TABLE = re.compile(r"\btable (\d{1,5})\b")
_ROWS = re.compile(r"\brows? (\d{1,9}(?:-\d{1,9})?)\b")
_PARAGRAPH = re.compile(r"\bparagraph (\d{1,9})\b")


@lru_cache(maxsize=4096)
def parse_location(text: str) -> Location:
    """The parts of a location string (see Location)."""
    sheet = _SHEET.search(text)
    part = _PART_IN_BRACKETS.search(text) or _PART_FIRST.search(text)
    after_sheet = text[sheet.end():] if sheet else ""
    cells = _CELLS.findall(after_sheet.replace(part.group(0), "") if part and after_sheet else after_sheet)
    return Location(
        part=part.group(1) if part else None,
        sheet=sheet.group(1).replace("''", "'") if sheet else None,
        cell_range=cells[-1].replace("$", "") if cells else None,
        page=_int(_PAGE.search(text)),
        table=_int(_TABLE.search(text)),
        rows=rows[-1] if (rows := _ROWS.findall(text)) else None,
        paragraph=_int(_PARAGRAPH.search(text)),
    )


def _int(match: re.Match[str] | None) -> int | None:
    return int(match.group(1)) if match else None


@dataclass(frozen=True)
class Finding:
    """One thing found. `message`, `evidence` and `samples` are already masked: they never hold raw values."""

    kind: FindingKind
    location: str
    visible: bool
    message: str
    detector: str
    evidence: tuple[str, ...] = ()
    samples: tuple[str, ...] = ()
    visibility: str = "visible"
    # Keys of the identities of the people this finding discloses (keyed HMACs from text, 64-bit hashes from
    # tables), to count distinct people per file.
    person_keys: Set[object] = field(default=frozenset(), compare=False, repr=False)
    # Small-cell findings list their cells here (location strings).
    cells: tuple[str, ...] = ()

    @property
    def where(self) -> Location:
        """The location in parts (part, sheet, cell range, page...) beside the readable `location`."""
        return parse_location(self.location)


@dataclass
class FileResult:
    path: str
    sha256: str
    size: int
    format: str
    verdict: Verdict
    persons: int
    findings: list[Finding]
    seconds: float = 0.0
