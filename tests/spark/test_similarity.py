"""The Spark engine's name similarity gives DuckDB's numbers, to the last bit (no Spark needed)."""

from __future__ import annotations

import random

import duckdb
import polars as pl
import pytest

from veil.spark.similarity import jaro_winkler, monge_elkan


def _duckdb(pairs: list[tuple[str, str]]) -> list[float]:
    frame = pl.DataFrame({"a": [a for a, _ in pairs], "b": [b for _, b in pairs]})
    con = duckdb.connect()
    con.register("pairs", frame.to_arrow())
    return [row[0] for row in con.sql("SELECT jaro_winkler_similarity(a, b) FROM pairs").fetchall()]


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("elnaggar", "alnajjar", 0.6833333333333332),  # 3 transpositions: halved as an integer (the jar: 0.65)
        ("villarreal", "claire", 0.7111111111111112),
        ("ek", "ehrktsrhstk", 0.7545454545454545),  # the prefix boost rounded once
        ("martha", "martha", 1.0),
        ("", "", 0.0),
        ("a", "", 0.0),
    ],
)
def test_jaro_winkler_table(first: str, second: str, expected: float) -> None:
    assert jaro_winkler(first, second) == expected
    assert _duckdb([(first, second)]) == [expected]


def test_jaro_winkler_equals_duckdb_on_seeded_strings() -> None:
    rng = random.Random(5)
    alphabet = "abcdeghjklmnrstéñü"  # non-ASCII too: DuckDB compares UTF-8 bytes
    pairs = [
        tuple("".join(rng.choice(alphabet) for _ in range(rng.randint(0, 12))) for _ in range(2)) for _ in range(20_000)
    ]
    expected = _duckdb(pairs)  # type: ignore[arg-type]
    differ = [(p, e, jaro_winkler(*p)) for p, e in zip(pairs, expected, strict=True) if jaro_winkler(*p) != e]
    assert not differ, differ[:3]


def test_monge_elkan_as_duckdb_lists() -> None:
    left, right = ["ali", "tarik", "elnaggar"], ["ali", "tariq", "alnajjar"]
    con = duckdb.connect()
    row = con.execute(
        "SELECT list_min(list_transform($l, lambda x: list_max(list_transform($r, lambda y: "
        "jaro_winkler_similarity(x, y))))), list_avg(list_transform($l, lambda x: list_max(list_transform($r, "
        "lambda y: jaro_winkler_similarity(x, y)))))",
        {"l": left, "r": right},
    ).fetchall()[0]
    assert (monge_elkan(left, right, "list_min"), monge_elkan(left, right, "list_avg")) == row
    assert monge_elkan(None, right, "list_min") is None
    assert monge_elkan([], right, "list_avg") is None
