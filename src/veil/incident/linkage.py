"""Linking the people of an exposed file to the organisation's roster.

    link(exposed, roster, roster_id, ...) -> LinkResult
        linkage_columns   read CSV/XLSX/Parquet, find name / birth date / nationality / A-number columns
        linkage_prepare   fold names to ASCII tokens and romanisation skeletons, parse dates, normalise IDs
        linkage_model     Splink 5 (DuckDB): blocking, comparisons, match probabilities with per-field evidence
        (here)            one decision per exposed person: accepted, review (with candidates) or none

Nothing here logs or raises with a personal value: messages carry row numbers, column names and counts.
"""

from __future__ import annotations

import csv
import logging
import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import polars as pl

from veil.errors import UsageError
from veil.incident.linkage_columns import LinkageInputError, PeopleTable, find_columns, read_people_table
from veil.incident.linkage_model import (
    ACCEPT_MARGIN_BITS,
    ACCEPT_PROBABILITY,
    LONE_ACCEPT_MARGIN_BITS,
    LONE_ACCEPT_PROBABILITY,
    REVIEW_PROBABILITY,
    Scored,
    score,
)
from veil.incident.linkage_prepare import NAME_FIELDS, prepare

log = logging.getLogger(__name__)

__all__ = ["Candidate", "Decision", "LinkageInputError", "LinkResult", "PersonMatch", "link", "link_files",
           "write_matches_csv"]

# A roster whose birth dates are unreadable beyond this share is refused rather than half-used.
MAX_BAD_ROSTER_DATES = 0.02
MAX_CANDIDATES = 5


class Decision(StrEnum):
    ACCEPTED = "accepted"
    REVIEW = "review"
    NONE = "none"


@dataclass(frozen=True)
class Candidate:
    """A roster record scored against one exposed person. `evidence` maps each field to (level, match weight)."""

    roster_id: str
    probability: float
    match_weight: float
    evidence: dict[str, tuple[str, float]]


@dataclass(frozen=True)
class PersonMatch:
    row: int  # 1 = first data row of the exposed table
    decision: Decision
    candidates: tuple[Candidate, ...]  # best first; for review, the side-by-side choices

    @property
    def roster_id(self) -> str | None:
        return self.candidates[0].roster_id if self.decision is not Decision.NONE and self.candidates else None

    @property
    def probability(self) -> float:
        return self.candidates[0].probability if self.candidates else 0.0


@dataclass
class LinkResult:
    matches: list[PersonMatch]
    exposed_columns: dict[str, str]
    roster_columns: dict[str, str]
    notes: list[str] = field(default_factory=list)

    def count(self, decision: Decision) -> int:
        return sum(1 for m in self.matches if m.decision is decision)


def link(exposed: pl.DataFrame, roster: pl.DataFrame, roster_id: str, *,
         exposed_mapping: Mapping[str, str] | None = None, roster_mapping: Mapping[str, str] | None = None,
         workdir: str | None = None) -> LinkResult:
    """Link every person row of `exposed` to `roster` (string columns, header already applied).

    Raises LinkageInputError when a table lacks what linkage needs, UsageError when the roster id or a mapped
    column is not there; nothing is returned half-done.
    """
    if roster_id not in roster.columns:
        raise UsageError(f"the roster has no column {roster_id!r} for --roster-id")
    roster_cols = find_columns(roster, dict(roster_mapping or {}), exclude=(roster_id,))
    exposed_cols = find_columns(exposed, dict(exposed_mapping or {}))
    _require(roster_cols, "roster")
    _require(exposed_cols, "exposed file")
    notes: list[str] = []
    ids = roster[roster_id].cast(pl.String).str.strip_chars()
    if ids.is_null().any() or (ids == "").any():
        first = int((ids.is_null() | (ids == "")).arg_true()[0])
        raise LinkageInputError(f"the roster column {roster_id!r} is empty in data row {first + 1}")
    if ids.n_unique() != ids.len():
        raise LinkageInputError(f"the roster column {roster_id!r} has duplicate values: it must identify people")
    clock = time.perf_counter()
    roster_prep, roster_dates = prepare(roster, roster_cols, pl.Series(range(roster.height), dtype=pl.Int64))
    if roster_dates is not None and roster_dates.unreadable:
        filled = int(roster[roster_cols["dob"]].drop_nulls().str.strip_chars().ne("").sum())
        if roster_dates.unreadable > MAX_BAD_ROSTER_DATES * max(filled, 1):
            raise LinkageInputError(
                f"the roster column {roster_cols['dob']!r} has {roster_dates.unreadable:,} unreadable dates of "
                f"{filled:,} (first in data row {(roster_dates.first_unreadable_row or 0) + 1})")
        notes.append(f"{roster_dates.unreadable:,} roster birth dates could not be read and were left out")
    exposed_prep, exposed_dates = prepare(exposed, exposed_cols, pl.Series(range(exposed.height), dtype=pl.Int64))
    if exposed_dates is not None and exposed_dates.unreadable:
        notes.append(f"{exposed_dates.unreadable:,} exposed birth dates could not be read")
    people = exposed_prep.filter(pl.col("name_key").is_not_null() | pl.col("dob").is_not_null()
                                 | pl.col("anum").is_not_null())
    if people.height == 0:
        return LinkResult([], exposed_cols, roster_cols, notes + ["no person rows in the exposed file"])
    log.info("linkage: %d exposed and %d roster rows prepared in %.1f s", people.height, roster_prep.height,
             time.perf_counter() - clock)
    scored = score(people, roster_prep, workdir)
    matches = decide(scored, people["unique_id"].to_list(), ids.to_list())
    return LinkResult(matches, exposed_cols, roster_cols, notes)


def _require(columns: dict[str, str], what: str) -> None:
    if not any(f in columns for f in NAME_FIELDS):
        raise LinkageInputError(f"no name column found in the {what} (map one with name=COLUMN or given=/surname=)")
    if "dob" not in columns and "anumber" not in columns:
        raise LinkageInputError(f"no birth-date or A-number column found in the {what} (map one with dob=COLUMN)")


def decide(scored: Scored, exposed_rows: list[int], roster_ids: list[str]) -> list[PersonMatch]:
    """One decision per exposed row from its ranked candidates."""
    names = [c.name for c in scored.comparisons]
    ranked = scored.pairs.sort(["unique_id_l", "match_weight"], descending=[False, True])
    by_row: dict[int, list[Candidate]] = {}
    for rec in ranked.iter_rows(named=True):
        bucket = by_row.setdefault(rec["unique_id_l"], [])
        if len(bucket) >= MAX_CANDIDATES:
            continue
        evidence = {n: (str(rec[f"level_{n}"]), round(float(rec[f"mw_{n}"]), 2)) for n in names}
        bucket.append(Candidate(roster_ids[rec["unique_id_r"]], float(rec["match_probability"]),
                                float(rec["match_weight"]), evidence))
    out = []
    for row in exposed_rows:
        cands = tuple(by_row.get(row, ()))
        out.append(PersonMatch(row + 1, _decision(cands), cands))
    return out


_WEAK_NAME = {"one name shared", "different", "missing"}
_STRONG_DOB = {"exact", "day and month swapped"}


def _decision(cands: tuple[Candidate, ...]) -> Decision:
    """Accepted: a probable match that clearly beats the runner-up. A lone candidate whose birth date agrees and
    whose name agrees beyond one shared token is also accepted at a lower probability: every other roster record
    reached by the blocking rules scored far below it (the benchmark measures what this costs in precision)."""
    if not cands or cands[0].probability < REVIEW_PROBABILITY:
        return Decision.NONE
    best = cands[0]
    margin = best.match_weight - (cands[1].match_weight if len(cands) > 1 else float("-inf"))
    if best.probability >= ACCEPT_PROBABILITY and margin >= ACCEPT_MARGIN_BITS:
        return Decision.ACCEPTED
    if (best.probability >= LONE_ACCEPT_PROBABILITY and margin >= LONE_ACCEPT_MARGIN_BITS
            and best.evidence.get("dob", ("",))[0] in _STRONG_DOB
            and best.evidence.get("name", ("missing",))[0] not in _WEAK_NAME):
        return Decision.ACCEPTED
    return Decision.REVIEW


def link_files(exposed_path: str | Path, roster_path: str | Path, roster_id: str, *,
               roster_mapping: Mapping[str, str] | None = None, sheet: str | None = None,
               roster_sheet: str | None = None) -> LinkResult:
    """Read both files and link them. Reading errors name the file, never a value."""
    exposed: PeopleTable = read_people_table(exposed_path, sheet, what="exposed file")
    roster: PeopleTable = read_people_table(roster_path, roster_sheet, what="roster")
    return link(exposed.frame, roster.frame, roster_id, roster_mapping=roster_mapping)


def write_matches_csv(result: LinkResult, out: str | Path) -> None:
    """MATCHES.csv: row, roster_id, probability, decision. Written to a temp file and renamed: all or nothing."""
    target = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=".veil-link-", suffix=".csv", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["row", "roster_id", "probability", "decision"])
            for m in result.matches:
                writer.writerow([m.row, m.roster_id or "", f"{m.probability:.6f}", m.decision.value])
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
