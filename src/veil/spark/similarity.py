"""DuckDB's Jaro-Winkler in Python, and the model's Monge-Elkan name similarity as Spark UDFs built on it.

Splink's jar brings a `jaro_winkler` for Spark, but it is not DuckDB's: it halves the transpositions as a real
number where DuckDB (rapidfuzz's algorithm) halves them as an integer, so ELNAGGAR / ALNAJJAR scores 0.65 on Spark
and 0.683 on DuckDB, and a name level at a 0.72 or 0.86 threshold, then a decision, can differ. The Spark engine
therefore scores names with these functions, which give DuckDB's numbers (tests compare them with DuckDB's own).
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from functools import lru_cache
from typing import Any

__all__ = ["jaro_winkler", "monge_elkan", "register"]

UDF_MIN = "veil_monge_elkan_min"
UDF_AVG = "veil_monge_elkan_avg"


@lru_cache(maxsize=500_000)
def jaro_winkler(first: str, second: str) -> float:
    """DuckDB's `jaro_winkler_similarity(first, second)`, to the last bit: on UTF-8 bytes, transpositions halved
    as an integer, the prefix boost (0.1 a character, at most 4) only above 0.7 and rounded once, as DuckDB's
    build computes it (a fused multiply-add)."""
    one, two = first.encode(), second.encode()
    if not one or not two:
        return 0.0
    short, long = (one, two) if len(one) <= len(two) else (two, one)
    bound = max(len(long) // 2 - 1, 0)
    taken = [False] * len(long)
    matched_short: list[int] = []
    for i, char in enumerate(short):
        for j in range(max(0, i - bound), min(len(long), i + bound + 1)):
            if not taken[j] and long[j] == char:
                taken[j] = True
                matched_short.append(char)
                break
    common = len(matched_short)
    if not common:
        return 0.0
    matched_long = [c for c, t in zip(long, taken, strict=True) if t]
    transpositions = sum(a != b for a, b in zip(matched_short, matched_long, strict=True)) // 2
    sim = (common / len(short) + common / len(long) + (common - transpositions) / common) / 3.0
    if sim > 0.7:
        prefix = 0
        for a, b in zip(one[:4], two[:4], strict=False):
            if a != b:
                break
            prefix += 1
        if prefix:
            sim = float(Fraction(prefix * 0.1) * Fraction(1.0 - sim) + Fraction(sim))  # fma: one rounding
    return sim


def monge_elkan(left: Sequence[str] | None, right: Sequence[str] | None, agg: str) -> float | None:
    """`DuckDBSql.monge_elkan`: each token of the shorter list against its best partner in the other, then the
    minimum (`list_min`) or the mean (`list_avg`); None where DuckDB gives NULL (a missing or empty list)."""
    if left is None or right is None:
        return None
    short, long = (left, right) if len(left) <= len(right) else (right, left)
    best = [max((jaro_winkler(x, y) for y in long if y is not None), default=None) for x in short]
    values = [b for b in best if b is not None]
    if not values:
        return None
    if agg == "list_min":
        return min(values)
    total = 0.0
    for v in values:
        total += v
    return total / len(values)


def _udf(agg: str) -> Any:
    import pandas as pd
    from pyspark.sql.functions import pandas_udf

    def run(left: pd.Series, right: pd.Series) -> pd.Series:
        def as_list(v: Any) -> list[str] | None:
            return None if v is None else list(v)

        values = [monge_elkan(as_list(a), as_list(b), agg) for a, b in zip(left, right, strict=True)]
        return pd.Series(values, dtype="Float64")  # None as NULL: a NaN compares above every threshold in Spark

    # pyspark reads the kind of UDF from the hints, and this module's are strings (postponed evaluation)
    run.__annotations__ = {"left": pd.Series, "right": pd.Series, "return": pd.Series}
    return pandas_udf(run, "double")  # type: ignore[call-overload]


def register(spark: Any) -> None:
    """`veil_monge_elkan_min(l, r)` and `veil_monge_elkan_avg(l, r)` in the session's SQL."""
    spark.udf.register(UDF_MIN, _udf("list_min"))
    spark.udf.register(UDF_AVG, _udf("list_avg"))
