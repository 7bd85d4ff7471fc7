"""What a clerk gets from linkage: every plausible candidate (namesakes side by side), the best candidates of a row
that found no match, the distinct people of the file counted once, and a workbook of statistics sheets with a
people sheet linked without naming the sheet."""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

import polars as pl
import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from support.linkage_synthetic import Synthetic, generate
from veil.cli import app
from veil.incident.linkage import (
    Candidate,
    Decision,
    LinkResult,
    _decision,
    _kept,
    link,
    link_files,
    posterior,
    review_floor,
)
from veil.incident.linkage_model import NONE_MASS, REFERENCE_ROSTER

ROSTER_ID = "Person ID"


@pytest.fixture(scope="module")
def synthetic() -> Synthetic:
    return generate(3000, 400, decoys=20, seed=17, namesakes=6)


@pytest.fixture(scope="module")
def result(synthetic: Synthetic) -> LinkResult:
    return link(synthetic.exposed, synthetic.roster, ROSTER_ID)


def test_namesakes_with_one_birth_date_are_both_offered(synthetic: Synthetic, result: LinkResult) -> None:
    assert len(synthetic.namesakes) == 6
    for in_file, namesake in synthetic.namesakes.items():
        match = result.matches[synthetic.truth.index(in_file)]
        offered = [c.roster_id for c in match.candidates]
        assert match.decision is Decision.REVIEW, match
        assert {in_file, namesake} <= set(offered)


def _roster_with(synthetic: Synthetic, people: list[tuple[str, str, str]]) -> pl.DataFrame:
    """The generated roster (a realistic crowd) plus hand-made people: (id, given names, surname) born 1990-01-02."""
    extra = pl.DataFrame({ROSTER_ID: [p[0] for p in people], "Given names": [p[1] for p in people],
                          "Surname": [p[2] for p in people], "Date of birth": ["1990-01-02"] * len(people)})
    return pl.concat([synthetic.roster, extra], how="diagonal")


def test_review_lists_every_candidate_above_the_threshold(synthetic: Synthetic) -> None:
    roster = _roster_with(synthetic, [("R1", "Jose", "Garcia Lopez"), ("R2", "Jose", "Garcia Lopez"),
                                      ("R3", "Jose", "Garcia Lopez"), ("R4", "Ana", "Perez")])
    exposed = pl.DataFrame({"Name": ["GARCIA LOPEZ, JOSE"], "DOB": ["01/02/1990"]})
    out = link(exposed, roster, ROSTER_ID)
    assert out.matches[0].decision is Decision.REVIEW
    assert sorted(c.roster_id for c in out.matches[0].candidates) == ["R1", "R2", "R3"]


def test_a_row_without_a_match_keeps_its_best_candidates(synthetic: Synthetic) -> None:
    roster = _roster_with(synthetic, [("R1", "Jose", "Garcia Lopez")])
    # Born the same month, another day, a different given name: not the person, but the one a clerk would check.
    exposed = pl.DataFrame({"Name": ["Luis Garcia Lopez"], "DOB": ["01/20/1990"]})
    out = link(exposed, roster, ROSTER_ID)
    match = out.matches[0]
    assert match.decision is Decision.NONE and match.roster_id is None
    assert [c.roster_id for c in match.candidates][:1] == ["R1"]


@pytest.mark.parametrize(("rows", "people"), [
    # (name, birth date, A-number) rows -> distinct people: with or without an A-number, each counted once
    ([("Jose Garcia", "1990-01-02", "A012345678"), ("Ana Perez", "1985-03-04", "")], 2),
    ([("Jose Garcia", "1990-01-02", ""), ("Ana Perez", "1985-03-04", ""), ("Wei Zhang", "1970-05-06", "")], 3),
    ([("Jose Garcia", "1990-01-02", "A012345678"), ("GARCIA, JOSE", "01/02/1990", "")], 1),  # one person twice
    ([("Jose Garcia", "1990-01-02", "A012345678"), ("J. Garcia", "1991-01-02", "012345678")], 1),  # one A-number
    ([("Mohamed El-Sayed", "1980-02-03", ""), ("Muhammad Alsayed", "1980-02-03", "")], 1),  # another spelling
    ([("Jose Garcia", "1990-01-02", ""), ("Jose Garcia", "1991-01-02", "")], 2),  # namesakes
])
def test_people_in_the_file_are_counted_once(rows: list[tuple[str, str, str]], people: int) -> None:
    exposed = pl.DataFrame({"Name": [r[0] for r in rows], "DOB": [r[1] for r in rows],
                            "A-Number": [r[2] for r in rows]})
    roster = pl.DataFrame({"ID": ["R1"], "Name": ["Someone Else"], "DOB": ["1950-01-01"], "A-Number": ["999999999"]})
    out = link(exposed, roster, "ID")
    assert (out.rows, out.people_in_file) == (len(rows), people)


def test_replay_counts_every_row_as_a_person(synthetic: Synthetic, result: LinkResult) -> None:
    # 45% of the rows have no A-number: they are people all the same.
    missing = synthetic.exposed["A#"].eq("").sum()
    assert missing > 100
    assert result.rows == result.people_in_file == synthetic.exposed.height
    assert sorted({m.person for m in result.matches}) == list(range(1, synthetic.exposed.height + 1))


def _statistics_workbook(path: Path, people: list[pl.DataFrame], hide_second: bool = False) -> None:
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Summary"
    summary.append(["Detention statistics, fiscal year 2026"])
    summary.append(["Facility", "Book-ins", "Average daily population"])
    for row in (["North Processing Center", 1250, 310.5], ["South Detention Facility", 980, 244.1]):
        summary.append(row)
    by_country = book.create_sheet("By citizenship")
    by_country.append(["Citizenship", "Book-ins", "Credible fear claims"])
    for row in (["Mexico", 1200, 50], ["Honduras", 400, 120], ["China", 90, 33]):
        by_country.append(row)
    for n, frame in enumerate(people, start=1):
        sheet = book.create_sheet(f"Detainees {n}")
        sheet.append(["Prepared by the Office of Detention Statistics"])
        sheet.append([])
        sheet.append(frame.columns)
        for row in frame.iter_rows():
            sheet.append(list(row))
        if hide_second and n == 2:
            sheet.sheet_state = "hidden"
    book.save(path)


def test_workbook_of_statistics_and_a_people_sheet_links_without_sheet(tmp_path: Path, synthetic: Synthetic) -> None:
    exposed, roster, out = tmp_path / "detention-stats.xlsx", tmp_path / "roster.csv", tmp_path / "matches.csv"
    _statistics_workbook(exposed, [synthetic.exposed.head(60)])
    synthetic.roster.write_csv(roster)
    run = CliRunner().invoke(app, ["link", str(exposed), str(roster), "--roster-id", ROSTER_ID, "--out", str(out)])
    assert run.exit_code == 0, run.output
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 60
    assert {r["table"] for r in rows} == {"detention-stats.xlsx sheet 3 'D******** *' (xl/worksheets/sheet3.xml)"}
    assert [int(r["source_row"]) for r in rows] == list(range(4, 64))
    for r, truth in zip(rows, synthetic.truth[:60], strict=True):
        if r["decision"] == "accepted":
            assert r["roster_id"] == truth
        if r["decision"] == "review":
            assert truth in {c.split(":")[0] for c in r["candidates"].split()}


def test_every_people_sheet_is_linked_hidden_ones_too(tmp_path: Path, synthetic: Synthetic) -> None:
    exposed = tmp_path / "detention-stats.xlsx"
    second = synthetic.exposed.slice(60, 30).rename({"Name": "Full name", "DOB": "Date of birth"})
    _statistics_workbook(exposed, [synthetic.exposed.head(60), second], hide_second=True)
    roster = tmp_path / "roster.parquet"
    synthetic.roster.write_parquet(roster)
    result = link_files(exposed, roster, ROSTER_ID)
    assert result.rows == 90 and result.people_in_file == 90
    assert result.matches[60].where.startswith("detention-stats.xlsx sheet 4 'D******** *'")
    assert result.matches[60].source_row == 4
    assert any("2 tables of people were read as one" in n for n in result.notes)
    truth = synthetic.truth[:90]
    reached = [m.decision is Decision.ACCEPTED and m.roster_id == t or
               m.decision is Decision.REVIEW and t in {c.roster_id for c in m.candidates}
               for m, t in zip(result.matches, truth, strict=True) if t is not None]
    assert all(reached)


def test_a_roster_with_two_people_sheets_is_read_as_one(tmp_path: Path) -> None:
    book = Workbook()
    first = book.active
    assert first is not None
    first.append(["ID", "Name", "DOB"])
    first.append(["R1", "Jose Garcia", dt.datetime(1990, 1, 2)])
    second = book.create_sheet("More")
    second.append(["ID", "Name", "DOB"])
    second.append(["R2", "Ana Perez", dt.datetime(1985, 3, 4)])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    exposed = tmp_path / "exposed.csv"
    exposed.write_text("Name,DOB\nAna Perez,03/04/1985\n", encoding="utf-8")
    # Gathered tables name their columns after the fields; the roster id keeps its own name.
    result = link_files(exposed, path, "ID")
    assert result.matches[0].roster_id == "R2"


def _candidate(roster_id: str, weight: float, name: str = "similar", dob: str = "exact") -> Candidate:
    return Candidate(roster_id, 1.0 / (1.0 + 2.0 ** -weight), weight, {"name": (name, 0.0), "dob": (dob, 0.0)})


@pytest.mark.parametrize(("cands", "expected"), [
    # 16:1 on the pair alone (p 0.94, under the accept threshold), the one rival 2^9 weaker: 99.3% given both.
    ((_candidate("A", 4.0), _candidate("B", -5.0)), Decision.ACCEPTED),
    # The same with a rival 2^7 weaker: 98.7%, a clerk decides.
    ((_candidate("A", 4.0), _candidate("B", -3.0)), Decision.REVIEW),
    # One shared name token is never enough, however lonely the candidate.
    ((_candidate("A", 4.0, name="one name shared"), _candidate("B", -5.0)), Decision.REVIEW),
    # Nor a birth date that only shares its year and month.
    ((_candidate("A", 4.0, dob="same year and month"), _candidate("B", -5.0)), Decision.REVIEW),
])
def test_a_candidate_far_ahead_of_every_rival_found_is_accepted(cands: tuple[Candidate, ...],
                                                                expected: Decision) -> None:
    assert _decision(cands) is expected


def test_the_posterior_weighs_the_rivals_found_and_someone_else() -> None:
    lone = (_candidate("A", 4.0),)
    assert posterior(lone) == pytest.approx(16 / (16 + NONE_MASS))
    assert posterior((*lone, _candidate("B", 4.0))) == pytest.approx(16 / (32 + NONE_MASS))
    assert posterior(()) == 0.0


def test_a_review_row_offers_what_it_would_offer_against_a_million_people() -> None:
    # A candidate 2^-9 (p 0.002: under the review threshold's 0.003) beside a rival at 2^-4.7.
    cands = (_candidate("A", -4.7, name="one name shared"), _candidate("B", -9.0, name="one name shared"))
    assert _decision(cands) is Decision.REVIEW
    small, large = review_floor(200_000), review_floor(10 * REFERENCE_ROSTER)
    assert small == review_floor(REFERENCE_ROSTER) and large == pytest.approx(small - math.log2(10))
    assert [c.roster_id for c in _kept(Decision.REVIEW, cands, small)] == ["A"]
    # Against ten million people the same evidence has a tenth of the probability: it is still offered.
    assert [c.roster_id for c in _kept(Decision.REVIEW, cands, large)] == ["A", "B"]
