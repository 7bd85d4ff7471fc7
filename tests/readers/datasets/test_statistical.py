"""SPSS, Stata and SAS files (pyreadstat): rosters block whatever their variable names, because the variable and
value labels are read; genuine aggregate statistics pass; encrypted and damaged files are unverifiable."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from support.dataset_factory import (
    AGGREGATE_LABELS,
    CLAIMS,
    STAT_FORMATS,
    aggregate,
    people,
    roster_stat_file,
    stat_file,
)
from veil.findings import Kind, Verdict
from veil.pipeline import check_bytes
from veil.readers.registry import ReadContext, read_blob
from veil.readers.sniff import sniff
from veil.readers.units import Table, Text, Unreadable, Visibility

SNIFFED = {"sav": "spss", "zsav": "spss", "por": "spss-portable", "dta": "stata", "dta-old": "stata",
           "xpt": "sas-xport", "xpt-v8": "sas-xport", "sas7bdat": "sas7bdat"}
LABELLED = ("sav", "zsav", "dta", "dta-old")  # formats that keep value labels


def _units(blob: bytes) -> list:
    return list(read_blob(blob, ReadContext(name="data")))


@pytest.mark.parametrize("fmt", STAT_FORMATS)
@pytest.mark.parametrize("seed", range(2))
def test_a_roster_blocks_in_every_statistical_format(fmt: str, seed: int) -> None:
    roster = people(n=8 + seed, seed=seed)
    blob = roster_stat_file(fmt, roster)
    assert sniff(blob, "no-extension") == SNIFFED[fmt]
    result = check_bytes(blob, f"roster.{fmt}")
    assert result.verdict is Verdict.BLOCK
    assert result.persons == len(roster.names)
    assert any(f.kind is Kind.RECORD_LEVEL for f in result.findings)


@pytest.mark.parametrize("fmt", STAT_FORMATS)
@pytest.mark.parametrize("seed", range(2))
def test_aggregate_statistics_pass_in_every_statistical_format(fmt: str, seed: int) -> None:
    result = check_bytes(stat_file(fmt, aggregate(seed), labels=AGGREGATE_LABELS), f"stats.{fmt}")
    assert result.verdict is Verdict.PASS, [(f.kind, f.message) for f in result.findings]
    assert result.persons == 0


@pytest.mark.parametrize("fmt", ["sav", "dta", "xpt", "sas7bdat"])
def test_variable_labels_are_the_header_and_are_listed(fmt: str) -> None:
    units = _units(roster_stat_file(fmt, people(n=3, seed=4)))
    table = next(u for u in units if isinstance(u, Table))
    assert table.header == ["Full name", "Date of birth", "Alien number", "Country of citizenship", "Asylum claim"]
    variables = next(u for u in units if isinstance(u, Text) and u.location.startswith("variables"))
    assert "anum: Alien number" in variables.text and variables.visibility is Visibility.METADATA


@pytest.mark.parametrize("fmt", LABELLED)
def test_coded_values_are_shown_as_their_value_labels(fmt: str) -> None:
    roster = people(n=6, seed=7)
    units = _units(roster_stat_file(fmt, roster))
    table = next(u for u in units if isinstance(u, Table))
    claims = table.frame.get_column(f"c{table.header.index('Asylum claim')}").to_list()  # type: ignore[union-attr]
    assert claims == [CLAIMS[k] for k in roster.claims]
    label_sets = [u for u in units if isinstance(u, Text) and u.location.startswith("value labels")]
    assert label_sets and "2 = Credible fear" in label_sets[0].text


@pytest.mark.parametrize("fmt", LABELLED)
def test_a_status_only_in_value_labels_still_ties_the_name(fmt: str) -> None:
    # Variable names say nothing and there is no identifier: only the labels say who and what.
    roster = people(n=6, seed=8)
    frame = pl.DataFrame({"v1": roster.names, "v2": roster.claims})
    blob = stat_file(fmt, frame, labels={"v1": "Respondent", "v2": "Q12"}, value_labels={"v2": dict(CLAIMS)})
    result = check_bytes(blob, "survey")
    assert result.verdict is Verdict.BLOCK and result.persons == 6


@pytest.mark.parametrize("fmt", LABELLED)
def test_names_kept_only_as_value_labels_are_read(fmt: str) -> None:
    roster = people(n=6, seed=9)
    coded = {i + 1: name for i, name in enumerate(roster.names)}
    frame = pl.DataFrame({"person": list(coded), "claim": roster.claims})
    blob = stat_file(fmt, frame, labels={"person": "Person", "claim": "Claim"},
                     value_labels={"person": coded, "claim": dict(CLAIMS)})
    result = check_bytes(blob, "coded")
    assert result.verdict is Verdict.BLOCK and result.persons == 6


def test_dates_are_written_as_dates() -> None:
    frame = pl.DataFrame({"name": ["Garcia, Jose"], "dob": [dt.date(1990, 2, 3)]})
    table = next(u for u in _units(stat_file("dta", frame, labels={"dob": "Date of birth"})) if isinstance(u, Table))
    assert table.frame.row(0) == ("Garcia, Jose", "1990-02-03")


def test_an_encrypted_spss_file_is_unverifiable() -> None:
    blob = b"\x1c\x00\x00\x00\x00\x00\x00\x00ENCRYPTEDSAV" + b"\x15" + bytes(range(256)) * 8
    assert sniff(blob) == "encrypted-spss"
    result = check_bytes(blob, "x.sav")
    assert result.verdict is Verdict.UNVERIFIABLE
    assert "encrypted" in result.findings[0].message


@pytest.mark.parametrize("fmt", STAT_FORMATS)
@pytest.mark.parametrize("cut", [0.25, 0.6])
def test_a_damaged_statistical_file_never_passes(fmt: str, cut: float) -> None:
    blob = roster_stat_file(fmt, people(n=40, seed=1))
    result = check_bytes(blob[: int(len(blob) * cut)], f"x.{fmt}")
    assert result.verdict in (Verdict.UNVERIFIABLE, Verdict.BLOCK)


def test_a_file_over_the_cell_limit_is_unverifiable() -> None:
    from veil.readers.limits import Budget, Limits

    blob = roster_stat_file("sav", people(n=30, seed=2))
    units = list(read_blob(blob, ReadContext(name="x.sav", budget=Budget(Limits(max_cells=50)))))
    assert any(isinstance(u, Unreadable) and "cells" in u.reason for u in units)


@pytest.mark.parametrize("fmt", STAT_FORMATS)
@pytest.mark.parametrize("cut", [0.5, 0.9, 0.99])
def test_truncated_statistics_are_unverifiable_not_a_pass(fmt: str, cut: float) -> None:
    blob = stat_file(fmt, aggregate(0), labels=AGGREGATE_LABELS)
    assert check_bytes(blob[: int(len(blob) * cut)], f"x.{fmt}").verdict is Verdict.UNVERIFIABLE
