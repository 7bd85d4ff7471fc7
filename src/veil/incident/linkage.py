"""Linking the people of an exposed file to the organisation's roster.

    link(exposed, roster, roster_id, ...) -> LinkResult
        linkage_columns   the tables of people in any file Veil reads; name / birth date / nationality / A-number
        linkage_roster    the roster read whole (the agency's own data: Parquet through DuckDB, no row bound)
        linkage_prepare   fold names to ASCII tokens, parse dates, normalise IDs and nationalities
        linkage_names     canonical spellings and skeletons across romanisations (data/romanisation.yaml)
        linkage_model     Splink (DuckDB): blocking, comparisons, match probabilities with per-field evidence
        (here)            one decision per exposed row: accepted, review (every candidate above the review
                          threshold) or none (its best candidates kept, for a clerk); distinct people in the file

Nothing here logs or raises with a personal value: messages carry row numbers, column names and counts.
"""

from __future__ import annotations

import csv
import logging
import math
import os
import tempfile
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

import polars as pl

from veil.errors import UsageError
from veil.incident.exposed import read_exposed_table
from veil.incident.linkage_columns import LinkageInputError, PeopleTable, TablePart, find_columns
from veil.incident.linkage_model import (
    ACCEPT_MARGIN_BITS,
    ACCEPT_PROBABILITY,
    ENGINES,
    LONE_ACCEPT_MARGIN_BITS,
    LONE_ACCEPT_PROBABILITY,
    MAX_PAIRS_PER_ROW,
    NONE_MASS,
    POSTERIOR_ACCEPT,
    REFERENCE_ROSTER,
    REVIEW_PROBABILITY,
    Scored,
    score,
)
from veil.incident.linkage_prepare import NAME_FIELDS, OPTIONAL_FIELDS, prepare
from veil.incident.linkage_roster import read_roster_table

log = logging.getLogger(__name__)

__all__ = ["Candidate", "Decision", "LinkageInputError", "LinkResult", "PersonMatch", "link", "link_files",
           "link_table", "write_matches_csv"]

# A roster whose birth dates are unreadable beyond this share is refused rather than half-used.
MAX_BAD_ROSTER_DATES = 0.02
# Candidates kept per decision: every one above the review threshold for review (up to a bound that only a name
# shared by a crowd of namesakes reaches), the runners-up beside an accepted match, the best few for a `none` row.
MAX_REVIEW_CANDIDATES = MAX_PAIRS_PER_ROW
ACCEPTED_CANDIDATES = 3
NONE_CANDIDATES = 3
MAX_CANDIDATES = MAX_REVIEW_CANDIDATES
# The match weight shown for a candidate found by the looser name search (the model gave it no weight).
NEAREST_WEIGHT = -50.0


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
    row: int  # 1 = first data row of the exposed table (of all its people tables, one after another)
    decision: Decision
    # Best first. Review: every candidate above the review threshold (namesakes side by side). None: the best few
    # below it, so a clerk can still link the row. Accepted: the match, then its runners-up.
    candidates: tuple[Candidate, ...]
    person: int = 0  # which distinct person of the file the row is (1-based; rows of one person share it)
    where: str = ""  # the table the row is in (masked location) ...
    source_row: int = 0  # ... and its row number there (header rows counted)

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
    # Distinct people in the exposed file, each counted once whether or not their rows carry an A-number: rows are
    # one person when they share an A-number, or a name (in any spelling) and a birth date.
    people_in_file: int = 0

    def count(self, decision: Decision) -> int:
        return sum(1 for m in self.matches if m.decision is decision)

    @property
    def rows(self) -> int:
        """Person rows of the exposed file (blank rows left out)."""
        return len(self.matches)


def link(exposed: pl.DataFrame, roster: pl.DataFrame, roster_id: str, *,
         exposed_mapping: Mapping[str, str] | None = None, roster_mapping: Mapping[str, str] | None = None,
         workdir: str | None = None, parts: tuple[TablePart, ...] = (), engine: str = "duckdb") -> LinkResult:
    """Link every person row of `exposed` to `roster` (string columns, header already applied). `parts` (from
    a PeopleTable) says where each row is in the file; `engine` names the scoring backend (linkage_model.ENGINES).

    Raises LinkageInputError when a table lacks what linkage needs, UsageError when the roster id or a mapped
    column is not there or the engine is unknown; nothing is returned half-done.
    """
    if engine not in ENGINES:
        raise UsageError(f"unknown linkage engine {engine!r} (available: {', '.join(ENGINES)})")
    if engine == "spark":  # the Spark engine sits above this package (it reuses it): its faces call it
        raise UsageError("the Spark engine is veil.spark.linkage.link_frame_spark / link_files_spark")
    if roster_id not in roster.columns:
        raise UsageError(f"the roster has no column {roster_id!r} for --roster-id")
    roster_cols = find_columns(roster, dict(roster_mapping or {}), exclude=(roster_id,))
    _require(roster_cols, "roster")
    exposed_cols, people, notes = prepare_exposed(exposed, exposed_mapping, roster_cols)
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
        notes.insert(0, bad_dates_note(roster_cols["dob"], roster_dates.unreadable, filled,
                                       roster_dates.first_unreadable_row or 0))
    if people.height == 0:
        return LinkResult([], exposed_cols, roster_cols, notes + ["no person rows in the exposed file"])
    log.info("linkage: %d exposed and %d roster rows prepared in %.1f s", people.height, roster_prep.height,
             time.perf_counter() - clock)
    scored = score(people, roster_prep, workdir, engine=engine)
    decided = decide(scored, people["unique_id"].to_list(), ids.to_list())
    lonely = [m.row - 1 for m in decided if not m.candidates]
    found = nearest(people.filter(pl.col("unique_id").is_in(lonely)), roster_prep, ids) if lonely else {}
    return assemble(decided, found, people, exposed, parts, exposed_cols, roster_cols, notes)


def prepare_exposed(exposed: pl.DataFrame, mapping: Mapping[str, str] | None, roster_cols: dict[str, str]
                    ) -> tuple[dict[str, str], pl.DataFrame, list[str]]:
    """The exposed table's columns, its person rows prepared for the model, and notes on it. An optional field
    (the facility) that only one side has is dropped from both `roster_cols` and the exposed columns: it is
    compared where both have it, and otherwise linkage is exactly what it is without it."""
    exposed_cols = find_columns(exposed, dict(mapping or {}))
    _require(exposed_cols, "exposed file")
    for optional in OPTIONAL_FIELDS:
        if optional not in exposed_cols or optional not in roster_cols:
            exposed_cols.pop(optional, None)
            roster_cols.pop(optional, None)
    notes: list[str] = []
    exposed_prep, exposed_dates = prepare(exposed, exposed_cols, pl.Series(range(exposed.height), dtype=pl.Int64))
    if exposed_dates is not None and exposed_dates.unreadable:
        notes.append(f"{exposed_dates.unreadable:,} exposed birth dates could not be read")
    people = exposed_prep.filter(pl.col("name_key").is_not_null() | pl.col("dob").is_not_null()
                                 | pl.col("anum").is_not_null())
    return exposed_cols, people, notes


def bad_dates_note(column: str, unreadable: int, filled: int, first_row: int) -> str:
    """The note for a roster with some unreadable birth dates; past MAX_BAD_ROSTER_DATES, the refusal."""
    if unreadable > MAX_BAD_ROSTER_DATES * max(filled, 1):
        raise LinkageInputError(f"the roster column {column!r} has {unreadable:,} unreadable dates of {filled:,} "
                                f"(first in data row {first_row + 1})")
    return f"{unreadable:,} roster birth dates could not be read and were left out"


def assemble(decided: list[PersonMatch], found: Mapping[int, tuple[Candidate, ...]], people: pl.DataFrame,
             exposed: pl.DataFrame, parts: tuple[TablePart, ...], exposed_cols: dict[str, str],
             roster_cols: dict[str, str], notes: list[str]) -> LinkResult:
    """The result: each decision with the clerk's nearest candidates, its person number and its place."""
    persons = distinct_people(people)
    locate = PeopleTable(exposed, "", 1, parts).where if parts else None
    matches = []
    for m in decided:
        if m.row - 1 in found:
            m = replace(m, candidates=found[m.row - 1])
        where, source_row = locate(m.row - 1) if locate else ("", 0)
        matches.append(replace(m, person=persons[m.row - 1], where=where, source_row=source_row))
    return LinkResult(matches, exposed_cols, roster_cols, notes, people_in_file=len(set(persons.values())))


def link_table(exposed: PeopleTable, roster: pl.DataFrame, roster_id: str, *,
               exposed_mapping: Mapping[str, str] | None = None, roster_mapping: Mapping[str, str] | None = None,
               workdir: str | None = None, engine: str = "duckdb") -> LinkResult:
    """`link` for a table read with `read_exposed_table`: its own column mapping and the places of its rows."""
    mapping = {**(exposed.mapping or {}), **(exposed_mapping or {})}
    result = link(exposed.frame, roster, roster_id, exposed_mapping=mapping or None, roster_mapping=roster_mapping,
                  workdir=workdir, parts=exposed.parts, engine=engine)
    result.notes[:0] = exposed.notes
    return result


def nearest(rows: pl.DataFrame, roster: pl.DataFrame, ids: pl.Series | Mapping[int, str]
            ) -> dict[int, tuple[Candidate, ...]]:
    """For rows the model found no candidate for at all: the roster records sharing the most name skeletons, born
    within two years (any year when a birth date is missing), so a clerk still has somewhere to start. Their
    probability is 0: the model does not vouch for them; the evidence says how they were found."""
    keys = rows.select("unique_id", "name_ph", "birth_year").explode("name_ph").drop_nulls("name_ph").unique()
    if keys.height == 0:
        return {}
    wanted = keys["name_ph"].unique()
    pool = (roster.select("unique_id", "name_ph", "birth_year").filter(pl.col("name_ph").list.eval(
        pl.element().is_in(wanted)).list.any()).explode("name_ph").filter(pl.col("name_ph").is_in(wanted)).unique())
    pairs = (keys.join(pool, on="name_ph", suffix="_r")
             .filter(pl.col("birth_year").is_null() | pl.col("birth_year_r").is_null()
                     | ((pl.col("birth_year") - pl.col("birth_year_r")).abs() <= 2))
             .group_by("unique_id", "unique_id_r").agg(shared=pl.len(), gap=(pl.col("birth_year")
                                                                             - pl.col("birth_year_r")).abs().first())
             .filter(pl.col("shared") >= 2)
             .sort(["unique_id", "shared", "gap", "unique_id_r"], descending=[False, True, False, False],
                   nulls_last=True))
    out: dict[int, tuple[Candidate, ...]] = {}
    names = ids.to_list() if isinstance(ids, pl.Series) else ids
    for (row,), group in pairs.group_by(["unique_id"], maintain_order=True):
        out[int(row)] = tuple(Candidate(names[r], 0.0, NEAREST_WEIGHT, {
            "name": (f"{shared} name(s) alike", 0.0), "dob": ("born within 2 years" if gap is not None else "missing",
                                                             0.0)})
            for r, shared, gap in group.head(NONE_CANDIDATES).select("unique_id_r", "shared", "gap").iter_rows())
    return out


def distinct_people(prepared: pl.DataFrame) -> dict[int, int]:
    """Exposed row (0-based unique_id) -> person number (1-based): rows sharing an A-number, or a canonical name and
    a birth date, are one person (transitively); any other row is a person of its own."""
    parent = {row: row for row in prepared["unique_id"].to_list()}

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    keyed = prepared.select("unique_id", "anum", key=pl.when(pl.col("dob").is_not_null()).then(
        pl.concat_str([pl.col("name_ckey"), pl.col("dob").cast(pl.String)], separator="|")))
    for column in ("anum", "key"):
        groups = keyed.drop_nulls(column).group_by(column).agg("unique_id")
        for rows in groups["unique_id"].to_list():
            for other in rows[1:]:
                parent[root(other)] = root(rows[0])
    numbers: dict[int, int] = {}
    return {row: numbers.setdefault(root(row), len(numbers) + 1) for row in sorted(parent)}


def _require(columns: dict[str, str], what: str) -> None:
    if not any(f in columns for f in NAME_FIELDS):
        raise LinkageInputError(f"no name column found in the {what} (map one with name=COLUMN or given=/surname=)")
    if "dob" not in columns and "anumber" not in columns:
        raise LinkageInputError(f"no birth-date or A-number column found in the {what} (map one with dob=COLUMN)")


def decide(scored: Scored, exposed_rows: list[int], roster_ids: list[str] | Mapping[int, str]) -> list[PersonMatch]:
    """One decision per exposed row from its ranked candidates, each keeping the candidates its decision needs."""
    names = [c.name for c in scored.comparisons]
    ranked = scored.pairs.sort(["unique_id_l", "match_weight", "unique_id_r"], descending=[False, True, False])
    by_row: dict[int, list[Candidate]] = {}
    for rec in ranked.iter_rows(named=True):
        bucket = by_row.setdefault(rec["unique_id_l"], [])
        if len(bucket) >= MAX_REVIEW_CANDIDATES:
            continue
        evidence = {n: (str(rec[f"level_{n}"]), round(float(rec[f"mw_{n}"]), 2)) for n in names}
        bucket.append(Candidate(roster_ids[rec["unique_id_r"]], float(rec["match_probability"]),
                                float(rec["match_weight"]), evidence))
    offered = review_floor(scored.roster_size)
    out = []
    for row in exposed_rows:
        cands = tuple(by_row.get(row, ()))
        decision = _decision(cands)
        out.append(PersonMatch(row + 1, decision, _kept(decision, cands, offered)))
    return out


def review_floor(roster_size: int) -> float:
    """The match weight down to which a review row offers candidates: REVIEW_PROBABILITY's weight, lowered by as
    many bits as the roster is larger than REFERENCE_ROSTER (whose prior the threshold was set with), so a
    candidate offered against a million people is still offered against ten million."""
    shift = math.log2(roster_size / REFERENCE_ROSTER) if roster_size > REFERENCE_ROSTER else 0.0
    return math.log2(REVIEW_PROBABILITY / (1.0 - REVIEW_PROBABILITY)) - shift


def _kept(decision: Decision, cands: tuple[Candidate, ...], floor: float) -> tuple[Candidate, ...]:
    if decision is Decision.REVIEW:
        return tuple(c for c in cands if c.probability >= REVIEW_PROBABILITY or c.match_weight >= floor)
    return cands[:ACCEPTED_CANDIDATES if decision is Decision.ACCEPTED else NONE_CANDIDATES]


_WEAK_NAME = {"one name shared", "different", "missing"}
_STRONG_DOB = {"exact", "day and month swapped"}


def _decision(cands: tuple[Candidate, ...]) -> Decision:
    """Accepted: a probable match that clearly beats the runner-up. A candidate whose birth date agrees and whose
    name agrees beyond one shared token is also accepted at a lower probability when every other roster record
    reached by the blocking rules scored far below it, or when it is the person at POSTERIOR_ACCEPT given all of
    them (`posterior`). The pairwise probability weighs a candidate against a roster of strangers who might each be
    the person, so it falls as the roster grows even when the blocking found no rival; the posterior weighs it
    against the rivals actually found. The benchmarks measure what each costs in precision."""
    if not cands or cands[0].probability < REVIEW_PROBABILITY:
        return Decision.NONE
    best = cands[0]
    margin = best.match_weight - (cands[1].match_weight if len(cands) > 1 else float("-inf"))
    if best.probability >= ACCEPT_PROBABILITY and margin >= ACCEPT_MARGIN_BITS:
        return Decision.ACCEPTED
    if (best.evidence.get("dob", ("",))[0] in _STRONG_DOB and best.evidence.get("name", ("missing",))[0]
            not in _WEAK_NAME and (best.probability >= LONE_ACCEPT_PROBABILITY and margin >= LONE_ACCEPT_MARGIN_BITS
                                   or posterior(cands) >= POSTERIOR_ACCEPT)):
        return Decision.ACCEPTED
    return Decision.REVIEW


def posterior(cands: tuple[Candidate, ...]) -> float:
    """P(the best candidate is the person | the exposed row and every candidate scored for it).

    The person is one of the candidates, or no one the blocking rules reached (NONE_MASS); each candidate weighs
    2^match_weight (its prior, IN_ROSTER / roster size, times its Bayes factor). Records below PREDICT_FLOOR or past
    the kept candidates add under 1e-6 each."""
    if not cands:
        return 0.0
    top = cands[0].match_weight
    # Relative to the best (2^(w - top)) so that no weight overflows.
    rest = sum(2.0 ** (c.match_weight - top) for c in cands)
    return 1.0 / (NONE_MASS * 2.0 ** -top + rest) if top > -1000 else 0.0


def link_files(exposed_path: str | Path, roster_path: str | Path, roster_id: str, *,
               roster_mapping: Mapping[str, str] | None = None, sheet: str | None = None,
               roster_sheet: str | None = None, engine: str = "duckdb") -> LinkResult:
    """Read both files (every table of people in the exposed file; `sheet` keeps one; the roster whole, however
    large: linkage_roster) and link them. Reading errors name the file, never a value."""
    exposed = read_exposed_table(exposed_path, sheet)
    if engine == "spark":
        raise UsageError("the Spark engine is veil.spark.linkage.link_files_spark")
    roster = read_roster_table(roster_path, roster_sheet)
    result = link_table(exposed, roster.frame, roster_id, roster_mapping=roster_mapping, engine=engine)
    result.notes[:0] = roster.notes
    return result


def write_matches_csv(result: LinkResult, out: str | Path) -> None:
    """MATCHES.csv: row, roster_id, probability, decision (the contract), then person (rows of one person share
    it), table and source_row (where the row is in the file; the table masked), and candidates (`ID:probability`
    separated by spaces: every review candidate, the best few of a `none` row, so a clerk can settle it).
    Written to a temp file and renamed: all or nothing."""
    target = Path(out)
    fd, tmp = tempfile.mkstemp(prefix=".veil-link-", suffix=".csv", dir=target.parent or ".")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["row", "roster_id", "probability", "decision", "person", "table", "source_row",
                             "candidates"])
            for m in result.matches:
                writer.writerow([m.row, m.roster_id or "", f"{m.probability:.6f}", m.decision.value, m.person,
                                 m.where, m.source_row or "",
                                 " ".join(f"{c.roster_id}:{c.probability:.6f}" for c in m.candidates)])
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
