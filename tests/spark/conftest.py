"""One local[2] SparkSession for every Spark test (the JVM takes ~10 s to start); skipped without pyspark or Java."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    from veil.spark import SparkUnavailable, java_available, session

    if not java_available():
        pytest.skip("no Java: apt-get install openjdk-17-jre-headless")
    try:
        spark = session("local[2]", partitions=4)
    except SparkUnavailable as exc:
        pytest.skip(str(exc))
    yield spark
    spark.stop()
    # py4j logs at INFO from a destructor at interpreter exit, after pytest has closed the stream it would write to:
    # a "--- Logging error ---" traceback under a green run.
    logging.getLogger("py4j").setLevel(logging.WARNING)
