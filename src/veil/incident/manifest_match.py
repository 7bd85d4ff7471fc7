"""Which rows of a removal manifest are given people: the one matching used by `veil holds check-manifest` (people
under a protective hold) and by `veil screen --manifest` (held, affected and listed people). Pure polars: the
screen uses it in the core install, without the database."""

from __future__ import annotations

import polars as pl

from veil.incident.linkage_columns import LinkageInputError, find_columns
from veil.incident.linkage_prepare import prepare


def _names_agree(a: list[str] | None, b: list[str] | None) -> bool:
    """Romanisation skeletons: at least two shared, or every token of the shorter name when it has one."""
    if not a or not b:
        return False
    shared = len(set(a) & set(b))
    return shared >= 2 or shared >= min(len(set(a)), len(set(b)))


def manifest_name(frame: pl.DataFrame, cols: dict[str, str], i: int) -> str:
    if "name" in cols:
        return str(frame[cols["name"]][i] or "")
    parts = [str(frame[cols[f]][i] or "") for f in ("surname", "given") if f in cols]
    return ", ".join(p for p in parts if p)


def manifest_columns(frame: pl.DataFrame) -> dict[str, str]:
    """The person columns of a manifest. Raises LinkageInputError when it has neither an A-number nor a name and
    date-of-birth column: nobody on it could be cleared (fail closed)."""
    cols = find_columns(frame)
    has_name = any(f in cols for f in ("name", "given", "surname"))
    if "anumber" not in cols and not (has_name and "dob" in cols):
        raise LinkageInputError("the manifest has neither an A-number column nor name and date-of-birth columns")
    return cols


def linked_rows(
    frame: pl.DataFrame, cols: dict[str, str], people: pl.DataFrame, people_cols: dict[str, str]
) -> list[tuple[int, list[int], str]]:
    """(manifest row index, indexes of the matching people, how) for every manifest row that is one of `people`:
    an exact A-number, else name and date of birth (day and month swaps allowed) compared on romanisation skeletons;
    a person known by name alone (no A-number, no birth date) matches on two shared name skeletons (fail closed).
    The one matching of manifests against people: `check_manifest` (held people) and `veil screen --manifest` (held,
    affected and listed people) both use it."""
    if not people.height or not frame.height:
        return []
    mine, _ = prepare(frame, cols, pl.Series(range(frame.height), dtype=pl.Int64))
    theirs, _ = prepare(people, people_cols, pl.Series(range(people.height), dtype=pl.Int64))
    by_anum: dict[str, list[int]] = {}
    by_dob: dict[object, list[int]] = {}
    name_only: list[int] = []
    for i, (anum, dob) in enumerate(zip(theirs["anum"].to_list(), theirs["dob"].to_list(), strict=True)):
        if anum:
            by_anum.setdefault(anum, []).append(i)
        if dob is not None:
            by_dob.setdefault(dob, []).append(i)
        elif not anum:
            name_only.append(i)
    their_ph = theirs["name_ph"].to_list()
    out: list[tuple[int, list[int], str]] = []
    for i, rec in enumerate(mine.iter_rows(named=True)):
        hits = by_anum.get(rec["anum"], []) if rec["anum"] else []
        how = "a-number"
        if not hits:
            how = "name and date of birth"
            pool = by_dob.get(rec["dob"], []) + by_dob.get(rec["dob_swap"], [])
            hits = [j for j in pool if _names_agree(rec["name_ph"], their_ph[j])]
        if not hits and name_only and rec["name_ph"]:
            how = "name"
            hits = [j for j in name_only if len(set(rec["name_ph"]) & set(their_ph[j] or ())) >= 2]
        if hits:
            out.append((i, hits, how))
    return out
