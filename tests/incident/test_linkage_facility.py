"""The detention facility as an optional linkage field: found by header (English, Spanish), normalised, compared
only when both sides have it; a transfer never takes a person out of reach, and roster namesakes in different
facilities are told apart by it."""

from __future__ import annotations

import polars as pl
import pytest

from support.linkage_synthetic import Synthetic, generate
from veil.incident.linkage import Decision, LinkResult, link
from veil.incident.linkage_columns import find_columns
from veil.incident.linkage_prepare import facility

ROSTER_ID = "Person ID"


def _frame(*headers: str) -> pl.DataFrame:
    row = {"Name": "Ana Lopez", "DOB": "1990-01-02"} | {h: "Krome North SPC" for h in headers}
    return pl.DataFrame({k: [v] * 3 for k, v in row.items()})


@pytest.mark.parametrize(("headers", "expected"), [
    (("Facility",), "Facility"),
    (("Detention Facility",), "Detention Facility"),
    (("Centro de detención",), "Centro de detención"),
    (("Instalación",), "Instalación"),
    (("Detainee detention facility",), "Detainee detention facility"),
    (("Location",), "Location"),
    (("Location", "Current facility"), "Current facility"),  # "location" only when nothing says facility better
    (("Ubicación", "Centro"), "Centro"),
    ((), None),
])
def test_facility_found_by_header(headers: tuple[str, ...], expected: str | None) -> None:
    assert find_columns(_frame(*headers)).get("facility") == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("Krome North Service Processing Center", "krome north"),
    ("KROME NORTH SPC", "krome north"),
    ("krome north", "krome north"),
    ("ICE Otay Mesa Detention Center", "otay mesa"),
    ("Centro de Detención de Otay Mesa", "otay mesa"),
    ("Otay-Mesa Proc. Ctr.", "otay mesa"),
    ("Elk Valley Co. Jail", "elk valley county jail"),
    ("Elk Valley County Jail", "elk valley county jail"),
    ("Elk Valley Processing Center", "elk valley"),  # another facility in the same town stays another
    ("KNSPC", "knspc"),  # initials: not guessed (the comparison's m allows for it)
    ("Detention Facility", None),
    ("Unknown", None),
    ("  ", None),
    (None, None),
])
def test_facility_normalised(raw: str | None, expected: str | None) -> None:
    assert pl.select(facility(pl.lit(pl.Series([raw], dtype=pl.String)))).item() == expected


@pytest.fixture(scope="module")
def synthetic() -> Synthetic:
    return generate(3000, 400, decoys=20, seed=17, namesakes=6, facility=True)


@pytest.fixture(scope="module")
def result(synthetic: Synthetic) -> LinkResult:
    return link(synthetic.exposed, synthetic.roster, ROSTER_ID)


def _folded(values: pl.Series) -> list[str | None]:
    return pl.select(facility(pl.lit(values))).to_series().to_list()


def test_facility_compared_when_both_have_it(result: LinkResult) -> None:
    assert result.exposed_columns["facility"] == "Facility"
    assert result.roster_columns["facility"] == "Facility"
    accepted = [m for m in result.matches if m.decision is Decision.ACCEPTED]
    assert {m.candidates[0].evidence["facility"][0] for m in accepted} >= {"exact", "different (or moved)"}


def test_transferred_people_are_still_matched(synthetic: Synthetic, result: LinkResult) -> None:
    """People whose facility in the file is not the roster's (moved since the leak) are still found, and nearly all
    of them still accepted: a disagreeing facility costs about 2.3 bits, never the match."""
    roster_fac = dict(zip(synthetic.roster[ROSTER_ID], _folded(synthetic.roster["Facility"]), strict=True))
    exposed_fac = _folded(synthetic.exposed["Facility"])
    moved = [i for i, t in enumerate(synthetic.truth) if t and exposed_fac[i] and exposed_fac[i] != roster_fac[t]]
    assert len(moved) >= 30
    for i in moved:
        match, true_id = result.matches[i], synthetic.truth[i]
        offered = [c.roster_id for c in match.candidates]
        assert match.decision is not Decision.NONE and true_id in offered, i
        if match.decision is Decision.ACCEPTED:
            assert offered[0] == true_id
            assert match.candidates[0].evidence["facility"][0] == "different (or moved)"
    accepted = sum(result.matches[i].decision is Decision.ACCEPTED for i in moved)
    assert accepted >= 0.9 * len(moved)


def test_roster_namesakes_told_apart_by_facility(synthetic: Synthetic) -> None:
    """Two roster people with one name, birth date and nationality, in different facilities: the exposed row (no
    A-number) names one of them, and that one is accepted, ahead of the other by the facility alone."""
    sizes = synthetic.roster["Facility"].value_counts(sort=True)
    small = sizes.filter(pl.col("count") <= 20)["Facility"].to_list()[:2]  # agreeing on one says a lot
    assert len(small) == 2
    twins = pl.DataFrame({
        ROSTER_ID: ["T1", "T2"], "Given names": ["Wendolyne Itzel"] * 2, "Surname": ["Quiroga"] * 2,
        "Second surname": ["Betancourt"] * 2, "Date of birth": ["1987-03-21"] * 2, "Nationality": ["Honduras"] * 2,
        "A-Number": ["204518337", "209771402"], "Facility": small})
    roster = pl.concat([synthetic.roster, twins], how="diagonal")
    exposed = pl.DataFrame({"Name": ["QUIROGA BETANCOURT, WENDOLYNE ITZEL"] * 2, "DOB": ["03/21/1987"] * 2,
                            "Citizenship": ["Honduras"] * 2, "A#": ["", ""], "Facility": [small[0].upper(), small[1]]})
    result = link(exposed, roster, ROSTER_ID)
    assert [(m.decision, m.roster_id) for m in result.matches] == [(Decision.ACCEPTED, "T1"),
                                                                 (Decision.ACCEPTED, "T2")]
    without = link(exposed.drop("Facility"), roster, ROSTER_ID)
    for m in without.matches:  # the same rows without a facility: only a clerk can tell them apart
        assert m.decision is Decision.REVIEW and {c.roster_id for c in m.candidates} >= {"T1", "T2"}


def _decisions(result: LinkResult) -> list[tuple[str, list[tuple[str, float, float, dict]]]]:
    return [(m.decision.value, [(c.roster_id, c.probability, c.match_weight, c.evidence) for c in m.candidates])
            for m in result.matches]


def test_without_a_facility_on_both_sides_nothing_changes(synthetic: Synthetic) -> None:
    """A facility column on one side only is not used: the decisions, candidates, weights and evidence are those
    of the same files without it, and neither side reports a facility column."""
    bare = link(synthetic.exposed.drop("Facility"), synthetic.roster.drop("Facility"), ROSTER_ID)
    only_exposed = link(synthetic.exposed, synthetic.roster.drop("Facility"), ROSTER_ID)
    only_roster = link(synthetic.exposed.drop("Facility"), synthetic.roster, ROSTER_ID)
    for one_sided in (only_exposed, only_roster):
        assert _decisions(one_sided) == _decisions(bare)
        assert "facility" not in one_sided.exposed_columns and "facility" not in one_sided.roster_columns
    assert all("facility" not in c.evidence for m in bare.matches for c in m.candidates)


def test_blank_facilities_are_not_compared(synthetic: Synthetic) -> None:
    """A facility column that is blank on one side everywhere is as good as none."""
    blank = synthetic.roster.with_columns(pl.lit("").alias("Facility"))
    bare = link(synthetic.exposed, synthetic.roster.drop("Facility"), ROSTER_ID)
    assert _decisions(link(synthetic.exposed, blank, ROSTER_ID)) == _decisions(bare)
