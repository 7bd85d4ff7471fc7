"""Linkage on generated people: a 2,000-person roster, 300 exposed rows with every corruption type and decoys."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from support.linkage_synthetic import Synthetic, generate
from veil.cli import app
from veil.incident.linkage import Decision, LinkResult, link

ROSTER_ID = "Person ID"


@pytest.fixture(scope="module")
def synthetic() -> Synthetic:
    return generate(2000, 300, decoys=30, seed=11)


@pytest.fixture(scope="module")
def result(synthetic: Synthetic) -> LinkResult:
    return link(synthetic.exposed, synthetic.roster, ROSTER_ID)


def test_nobody_is_missed(synthetic: Synthetic, result: LinkResult) -> None:
    missed = []
    for match, truth in zip(result.matches, synthetic.truth, strict=True):
        if truth is None:
            continue
        ids = [c.roster_id for c in match.candidates]
        found = (match.decision is Decision.ACCEPTED and match.roster_id == truth
                 or match.decision is Decision.REVIEW and truth in ids)
        if not found:
            missed.append(match.row)
    assert missed == []


def test_no_wrong_auto_accept(synthetic: Synthetic, result: LinkResult) -> None:
    wrong = [m.row for m, truth in zip(result.matches, synthetic.truth, strict=True)
             if m.decision is Decision.ACCEPTED and m.roster_id != truth]
    assert wrong == []


def test_decoys_are_not_accepted_and_review_is_small(synthetic: Synthetic, result: LinkResult) -> None:
    decoys = [m for m, truth in zip(result.matches, synthetic.truth, strict=True) if truth is None]
    assert len(decoys) == 30
    assert all(m.decision is not Decision.ACCEPTED for m in decoys)
    assert sum(m.decision is Decision.NONE for m in decoys) >= 25
    assert result.count(Decision.REVIEW) <= 0.05 * len(result.matches)


def test_columns_found_and_evidence_kept(result: LinkResult) -> None:
    assert result.exposed_columns == {"name": "Name", "dob": "DOB", "nationality": "Citizenship", "anumber": "A#"}
    assert result.roster_columns["given"] == "Given names" and result.roster_columns["surname2"] == "Second surname"
    accepted = next(m for m in result.matches if m.decision is Decision.ACCEPTED)
    best = accepted.candidates[0]
    assert set(best.evidence) == {"name", "dob", "anumber", "nationality"}
    assert all(isinstance(level, str) and isinstance(weight, float) for level, weight in best.evidence.values())
    assert 0.0 <= best.probability <= 1.0


def _swap_cases(synthetic: Synthetic) -> pl.DataFrame:
    """Hand-made corruptions of three roster people, one per kind, with no A-number to lean on."""
    r = synthetic.roster.filter(pl.col("Second surname") != "").head(1).row(0, named=True)
    dob = dt.date.fromisoformat(r["Date of birth"])
    swapped = f"{dob.day:02d}/{dob.month:02d}/{dob.year}" if dob.day <= 12 else f"{dob.month:02d}/{dob.day:02d}/" \
                                                                                  f"{dob.year}"
    return pl.DataFrame({
        "Nombre completo": [f"{r['Surname']} {r['Given names']}",  # swapped order, second surname dropped
                            f"{r['Given names']} {r['Surname']} {r['Second surname']}".upper()],
        "Fecha de nacimiento": [swapped, f"{dob.month}/{dob.day}/{dob.year}"],
        "Nacionalidad": [r["Nationality"], ""],
    })


def test_spanish_headers_swapped_order_and_dates(synthetic: Synthetic) -> None:
    exposed = _swap_cases(synthetic)
    out = link(exposed, synthetic.roster, ROSTER_ID)
    assert out.exposed_columns == {"name": "Nombre completo", "dob": "Fecha de nacimiento",
                                   "nationality": "Nacionalidad"}
    target = synthetic.roster.filter(pl.col("Second surname") != "").head(1)[ROSTER_ID][0]
    assert [m.roster_id for m in out.matches] == [target, target]
    assert out.matches[1].decision is Decision.ACCEPTED
    swapped_level = out.matches[0].candidates[0].evidence["dob"][0]
    assert swapped_level in ("day and month swapped", "exact")  # exact when the day is above 12
    assert out.matches[0].candidates[0].evidence["name"][0] == "one name dropped"
    assert out.matches[1].candidates[0].evidence["name"][0] == "exact (order ignored)"


def test_cli_writes_matches_csv(tmp_path: Path, synthetic: Synthetic) -> None:
    exposed, roster, out = tmp_path / "exposed.xlsx", tmp_path / "roster.parquet", tmp_path / "matches.csv"
    synthetic.exposed.head(40).write_excel(exposed)
    synthetic.roster.write_parquet(roster)
    run = CliRunner().invoke(app, ["link", str(exposed), str(roster), "--roster-id", ROSTER_ID, "--out", str(out),
                                   "--map", "dob=Date of birth"])
    assert run.exit_code == 0, run.output
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    # The contract's four columns first; then where each row is and its candidates.
    assert list(rows[0]) == ["row", "roster_id", "probability", "decision", "person", "table", "source_row",
                             "candidates"]
    assert {r["table"] for r in rows} == {"exposed.xlsx sheet 1 'S*****' (xl/worksheets/sheet1.xml)"}
    assert [int(r["source_row"]) for r in rows] == list(range(2, 42))
    assert all(r["candidates"] for r in rows if r["decision"] == "review")
    assert [int(r["row"]) for r in rows] == list(range(1, 41))
    assert {r["decision"] for r in rows} <= {"accepted", "review", "none"}
    assert all(r["roster_id"] == "" for r in rows if r["decision"] == "none")
    truth = synthetic.truth[:40]
    for r, t in zip(rows, truth, strict=True):
        if r["decision"] == "accepted":
            assert r["roster_id"] == t
    # Nothing personal on the console: no name, birth date or A-number of the files.
    sample = synthetic.exposed.head(40)
    for value in [*sample["Name"].to_list(), *sample["DOB"].to_list()]:
        assert value not in run.output
