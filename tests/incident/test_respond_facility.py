# ruff: noqa: F811  (pytest fixtures imported from support.respond are redefined as arguments)
"""The stored roster's facility in the incident response: `veil incident link` (the roster imported into Veil's
database, then linked) decides exactly as `veil link` does on the same files, the facility compared when both the
exposed file and the roster have one, and not at all otherwise."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from support.linkage_synthetic import Synthetic, generate
from support.respond import cheap_password_hashing, db  # noqa: F401  (fixtures)
from veil.cli import app
from veil.incident.linkage import Decision, LinkResult, link_files
from veil.incident.roster import import_roster_frame, roster_frame, roster_link_mapping
from veil.store.engine import Database, open_database
from veil.store.models_incident import IrAffected, IrReviewItem, IrRosterPerson

ROSTER_ID = "Person ID"
# Per exposed row: the decision, then (roster id, probability, evidence) of every candidate kept.
Outcome = dict[int, tuple[str, list[tuple[str, float, dict[str, list[Any]]]]]]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A roster with each person's facility and a file with where each was held when it leaked (a few moved
    since), plus two roster namesakes (one name, birth date and nationality) in two small facilities, each in the
    file without an A-number: only the facility tells them apart. Each also without its facility column."""
    syn: Synthetic = generate(1500, 150, decoys=10, seed=29, namesakes=3, facility=True)
    sizes = syn.roster["Facility"].value_counts(sort=True)
    small = sizes.filter(pl.col("count") <= 12)["Facility"].to_list()[:2]
    assert len(small) == 2
    twins = pl.DataFrame({
        ROSTER_ID: ["T1", "T2"], "Given names": ["Wendolyne Itzel"] * 2, "Surname": ["Quiroga"] * 2,
        "Second surname": ["Betancourt"] * 2, "Date of birth": ["1987-03-21"] * 2, "Nationality": ["Honduras"] * 2,
        "A-Number": ["204518337", "209771402"], "Facility": small})
    roster = pl.concat([syn.roster, twins], how="diagonal")
    exposed = pl.concat([syn.exposed, pl.DataFrame({
        "Name": ["QUIROGA BETANCOURT, WENDOLYNE ITZEL"] * 2, "DOB": ["03/21/1987"] * 2,
        "Citizenship": ["Honduras"] * 2, "A#": ["", ""], "Facility": [small[0].upper(), small[1]]})])
    folder = tmp_path_factory.mktemp("facility")
    out = {"roster": folder / "roster.csv", "exposed": folder / "detainees.csv",
           "roster_bare": folder / "roster-bare.csv", "exposed_bare": folder / "detainees-bare.csv"}
    roster.write_csv(out["roster"])
    exposed.write_csv(out["exposed"])
    roster.drop("Facility").write_csv(out["roster_bare"])
    exposed.drop("Facility").write_csv(out["exposed_bare"])
    return out


def _veil(data: Path, *args: str, code: int | None = None) -> dict[str, Any]:
    result = CliRunner().invoke(app, ["incident", *args, "--data-dir", str(data), "--format", "json",
                                      "--actor", "responder"])
    if code is not None:
        assert result.exit_code == code, result.output
    return json.loads(result.stdout) if result.stdout.strip() else {}


def _respond(tmp: Path, exposed: Path, roster: Path) -> Outcome:
    """`veil incident open` and `veil incident link`, then each row's outcome as the database holds it."""
    data = tmp / f"veil-{exposed.stem}-{roster.stem}"
    incident = str(_veil(data, "open", "--title", "Detainee list", "--file", str(exposed), code=0)["id"])
    _veil(data, "link", incident, str(roster), "--roster-id", ROSTER_ID, code=1)  # rows wait for a clerk
    db = open_database(None, data)
    try:
        with db.read() as s:
            ref = dict(s.execute(select(IrRosterPerson.id, IrRosterPerson.ref)).tuples().all())
            out: Outcome = {}
            for a in s.scalars(select(IrAffected)):
                out[a.exposed_row] = ("accepted", [(ref[a.person_id], a.probability, a.evidence)])
            for item in s.scalars(select(IrReviewItem)):
                state = {"pending": "review", "none": "none"}[item.state]
                out[item.exposed_row] = (state, [(ref[c["person_id"]], c["probability"], c["evidence"])
                                                 for c in item.candidates])
    finally:
        db.dispose()
    return out


def _expected(result: LinkResult) -> Outcome:
    """What the response records of a `veil link` result: an accepted row's match (a person's later rows are
    not affected again: their first row stands), every candidate of the other rows."""
    out: Outcome = {}
    seen: set[str] = set()
    for m in result.matches:
        kept = [(c.roster_id, round(c.probability, 6), {k: list(v) for k, v in c.evidence.items()})
                for c in m.candidates]
        if m.decision is Decision.ACCEPTED:
            if kept[0][0] not in seen:
                out[m.row] = (m.decision.value, kept[:1])
            seen.add(kept[0][0])
        else:
            out[m.row] = (m.decision.value, kept)
    return out


def _rows(outcome: Outcome, prefix: str) -> list[int]:
    return [row for row, (_, cands) in outcome.items() if cands and cands[0][0].startswith(prefix)]


def test_respond_decides_as_veil_link_with_the_facility(tmp_path: Path, files: dict[str, Path]) -> None:
    linked = link_files(files["exposed"], files["roster"], ROSTER_ID)
    assert linked.exposed_columns["facility"] == "Facility" and linked.roster_columns["facility"] == "Facility"
    expected = _expected(linked)
    responded = _respond(tmp_path, files["exposed"], files["roster"])
    assert responded.keys() == expected.keys()
    for row, (decision, cands) in expected.items():
        got_decision, got = responded[row]
        assert got_decision == decision, row
        assert [(r, e) for r, _, e in got] == [(r, e) for r, _, e in cands], row
        assert [p for _, p, _ in got] == pytest.approx([p for _, p, _ in cands], abs=1e-6), row
    accepted = [c[0] for d, c in responded.values() if d == "accepted"]
    assert {e["facility"][0] for _, _, e in accepted} >= {"exact", "different (or moved)"}
    # The roster namesakes: told apart by the facility alone, in the response as in `veil link`.
    twins = sorted((responded[row][1][0][0], responded[row][0]) for row in _rows(responded, "T"))
    assert twins == [("T1", "accepted"), ("T2", "accepted")]


@pytest.mark.parametrize(("exposed", "roster"), [("exposed_bare", "roster"), ("exposed", "roster_bare"),
                                                 ("exposed_bare", "roster_bare")])
def test_without_a_facility_on_both_sides_the_response_is_unchanged(tmp_path: Path, files: dict[str, Path],
                                                                     exposed: str, roster: str) -> None:
    """A facility on one side only (or on neither) is not compared: the response records what `veil link` gives
    for the files without any facility, and no evidence names one."""
    bare = _expected(link_files(files["exposed_bare"], files["roster_bare"], ROSTER_ID))
    responded = _respond(tmp_path, files[exposed], files[roster])
    assert {row: (d, [(r, e) for r, _, e in c]) for row, (d, c) in responded.items()} == \
        {row: (d, [(r, e) for r, _, e in c]) for row, (d, c) in bare.items()}
    assert all("facility" not in e for _, cands in responded.values() for _, _, e in cands)
    twins = [responded[row][0] for row in _rows(responded, "T")]
    assert twins and set(twins) == {"review"}  # only a clerk can tell the namesakes apart without it


def test_the_stored_roster_frame_has_the_facility_only_when_it_has_one(db: Database) -> None:
    people = pl.DataFrame({"ID": ["1", "2"], "Given": ["Ana", "Luis"], "Surname": ["Lopez", "Diaz"],
                           "DOB": ["1990-01-02", "1985-05-06"]})
    mapping = {"id": "ID", "given": "Given", "surname": "Surname", "dob": "DOB", "facility": "Facility"}
    with db.write() as s:
        held = import_roster_frame(s, people.with_columns(Facility=pl.Series(["Pine Hollow SPC", ""])), "a",
                                   mapping, "resp").id
        blank = import_roster_frame(s, people.with_columns(Facility=pl.lit("  ")), "b", mapping, "resp").id
        none = import_roster_frame(s, people, "c", {k: v for k, v in mapping.items() if k != "facility"}, "resp").id
    with db.read() as s:
        frame = roster_frame(s, held)
        assert frame["facility"].to_list() == ["Pine Hollow SPC", ""]
        assert roster_link_mapping(frame)["facility"] == "facility"
        for roster in (blank, none):
            assert "facility" not in roster_frame(s, roster).columns
            assert "facility" not in roster_link_mapping(roster_frame(s, roster))
