"""Detectors: pure functions over units. They know nothing about file formats."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from veil.detectors.tables import TableRun, analyse_table
from veil.detectors.text import analyse_text
from veil.detectors.text_claims import ClaimReader
from veil.detectors.text_lists import ListReader
from veil.detectors.thresholds import Thresholds
from veil.findings import Finding, Kind
from veil.masking import mask_all
from veil.readers.units import Notice, Table, Text, Unit, Unreadable, Visibility

log = logging.getLogger(__name__)


def analyse(units: Iterable[Unit], limits: Thresholds) -> list[Finding]:
    """Run every detector that applies to each unit and return the findings, in file order.

    A detector that fails on a unit fails closed: the unit becomes an `unreadable` finding."""
    findings: list[Finding] = []
    claims = ClaimReader()
    tables = TableRun()
    lists = ListReader()
    for unit in units:
        try:
            found = analyse_table(unit, limits, tables.layout(unit)) if isinstance(unit, Table) else \
                _analyse_unit(unit)
            if isinstance(unit, Text):
                found += claims.read(unit, found) + lists.read(unit, found)
            findings.extend(found)
        except Exception as exc:  # noqa: BLE001 - a detector bug must never let a file pass
            log.warning("detector failed on %s: %s", unit.location, type(exc).__name__)
            findings.append(Finding(Kind.UNREADABLE, unit.location or "(file)", False,
                                    f"Veil could not analyse this part (internal {type(exc).__name__})", "pipeline",
                                    visibility="unreadable"))
    findings += lists.close()
    return findings + _named_list(findings, limits) + _hidden_names(findings, limits)


# Places where content is in the document but a reader cannot see it: a name there was hidden, on purpose or not.
_CONCEALED = frozenset(v.value for v in (
    Visibility.WHITE_TEXT, Visibility.HIDDEN_TEXT, Visibility.INVISIBLE_TEXT, Visibility.OFF_PAGE,
    Visibility.HIDDEN_LAYER, Visibility.OUTSIDE_USED_AREA, Visibility.EARLIER_REVISION, Visibility.TRACKED_CHANGE,
    Visibility.REVISION_LOG, Visibility.HIDDEN_SLIDE, Visibility.MARKUP_HIDDEN, Visibility.HIDDEN_SHEET,
    Visibility.VERY_HIDDEN_SHEET, Visibility.HIDDEN_ROW, Visibility.HIDDEN_COLUMN, Visibility.FILTERED_ROW,
    Visibility.UNDER_REDACTION))


def _hidden_names(findings: list[Finding], limits: Thresholds) -> list[Finding]:
    """Names alone are a note where a reader sees them (a press release names officials). Hidden ones need a look:
    any private name in concealed text, or several in comments, annotations, form fields, notes or metadata (where
    one or two are usually the author's)."""
    named = [f for f in findings if f.kind is Kind.NAMED_PERSON]
    seen = frozenset().union(*(f.person_keys for f in named if f.visible)) if named else frozenset()
    # A name that is also in plain view was not hidden (a styled title cell is read both ways).
    hidden = [f for f in named if not f.visible and f.person_keys - seen]
    concealed = [f for f in hidden if f.visibility in _CONCEALED]
    keys = frozenset().union(*(f.person_keys for f in hidden)) - seen if hidden else frozenset()
    if not concealed and len(keys) < limits.name_list_min_people:
        return []
    chosen = concealed or hidden
    places = sorted({f.visibility for f in chosen})
    return [Finding(Kind.HIDDEN_NAMES, f"{len(chosen)} hidden part(s) of the file", False,
                    f"{len(keys)} private people are named where a reader of the file would not see them "
                    f"({', '.join(places)})", "text", evidence=tuple(f"{f.location}: {f.message}" for f in chosen[:5]),
                    samples=tuple(s for f in chosen[:3] for s in f.samples[:1]), visibility=places[0])]


def _named_list(findings: list[Finding], limits: Thresholds) -> list[Finding]:
    """Names alone do not block, but a file that names many private people is a list of people: a reviewer
    must decide (a list of deaths in detention, an annex of applicants)."""
    named = [f for f in findings if f.kind is Kind.NAMED_PERSON]
    keys = frozenset().union(*(f.person_keys for f in named)) if named else frozenset()
    if len(keys) < limits.named_list_min_people:
        return []
    hidden = [f for f in named if not f.visible]
    return [Finding(Kind.NAMED_LIST, f"{len(named)} part(s) of the file", not hidden or len(hidden) < len(named),
                    f"{len(keys)} distinct private people are named in this file (officials excluded), with no "
                    "identifier or claim next to their names: a list of people",
                    "text", evidence=tuple(f"{f.location}: {f.message}" for f in named[:5]),
                    samples=tuple(s for f in named[:3] for s in f.samples[:1]), visibility="visible")]


def _analyse_unit(unit: Text | Unreadable | Notice) -> list[Finding]:
    if isinstance(unit, Text):
        found = _failed_redaction(unit) if unit.visibility is Visibility.UNDER_REDACTION else []
        return found + analyse_text(unit)
    if isinstance(unit, Unreadable):
        return [Finding(Kind.UNREADABLE, unit.location or "(file)", False, unit.reason, "reader",
                        visibility="unreadable")]
    return [Finding(Kind.NOTICE, unit.location or "(file)", unit.visibility.seen, unit.message, "reader",
                    visibility=unit.visibility.value)]


def _failed_redaction(unit: Text) -> list[Finding]:
    """Anything legible under a redaction mark was meant to be removed: whatever it is, it is a leak."""
    words = [w for w in unit.text.split() if any(c.isalnum() for c in w)]
    if not words:
        return []
    return [Finding(Kind.FAILED_REDACTION, unit.location, False,
                    f"{len(words)} word(s) of text are still in the file under a redaction mark",
                    "redaction", samples=mask_all(words, 3), visibility=unit.visibility.value)]
