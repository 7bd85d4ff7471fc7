"""The Spark engine is an extra: without pyspark the CLI says how to install it."""

from __future__ import annotations

import sys

import pytest


def test_missing_pyspark_names_the_extra(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from veil.spark import SparkUnavailable, session

    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(SparkUnavailable, match=r"pip install 'veil\[spark\]'"):
        session()


def test_cli_hint_for_the_spark_extra() -> None:
    from veil.cli import EXTRAS

    assert EXTRAS["pyspark"] == "spark"


def test_session_is_local_with_the_similarity_jar(spark: object) -> None:
    row = spark.sql("SELECT jaro_winkler('martha', 'marhta') AS j").collect()[0]  # type: ignore[attr-defined]
    assert row.j == pytest.approx(0.961, abs=1e-3)
