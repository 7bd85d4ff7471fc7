"""Apache Spark for what outgrows one machine: linkage against a very large roster, sweeps of a whole estate.

    session(master)  one SparkSession per process: Splink's similarity jar on the class path, quiet logs
    linkage          `veil link --engine spark`: the same Splink model on Splink's Spark backend
    similarity       DuckDB's Jaro-Winkler, bit for bit, and the model's Monge-Elkan as Spark UDFs
    files            what sweep and check share: Hadoop's full listing, `binaryFile` reads, `check_bytes` on
                     executors, the driver for what `binaryFile` will not read, the per-file Parquet table
    sweep            `veil sweep --engine spark`: files distributed as binary files, `check_bytes` on executors
    check            `veil check --engine spark`: the same, reported as `veil check` reports

Optional: `pip install 'veil[spark]'` brings pyspark (3.5 line); Java 17 comes from the OS. Nothing here is
imported by `import veil`.
"""

from __future__ import annotations

import os
import shutil
from typing import Any

__all__ = ["SparkUnavailable", "session"]

DEFAULT_MASTER = "local[2]"


class SparkUnavailable(RuntimeError):
    """pyspark or Java is missing: the message says how to install them."""


def java_available() -> bool:
    return bool(os.environ.get("JAVA_HOME") or shutil.which("java"))


def session(master: str | None = None, *, partitions: int | None = None) -> Any:
    """The process's SparkSession: an existing one (spark-submit, Databricks) is used as it is; otherwise a new
    one on `master` (default VEIL_SPARK_MASTER or local[2]) with Splink's similarity jar registered."""
    try:
        from pyspark.sql import SparkSession
    except ModuleNotFoundError as exc:
        raise SparkUnavailable("the Spark engine needs Veil's 'spark' extra: pip install 'veil[spark]'") from exc
    active = SparkSession.getActiveSession()
    if active is not None:  # spark-submit, a notebook: its settings are the operator's; only the UDFs are added
        _register_udfs(active)
        return active
    if not java_available():
        raise SparkUnavailable("the Spark engine needs Java 17 (Debian: apt-get install openjdk-17-jre-headless)")
    from splink.internals.spark.jar_location import similarity_jar_location

    builder = (
        SparkSession.builder.master(master or os.environ.get("VEIL_SPARK_MASTER") or DEFAULT_MASTER)
        .appName("veil")
        .config("spark.jars", similarity_jar_location())
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", str(partitions or 8))
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")  # toPandas/createDataFrame through Arrow
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", os.environ.get("VEIL_SPARK_DRIVER_MEMORY", "2g"))
    )
    try:
        spark = builder.getOrCreate()
    except Exception as exc:  # the JVM did not start: no Java, wrong Java, no memory
        raise SparkUnavailable(
            f"Spark could not start: {type(exc).__name__}: {str(exc).splitlines()[0][:200]}"
        ) from None
    spark.sparkContext.setLogLevel("ERROR")
    _register_udfs(spark)
    return spark


def _register_udfs(spark: Any) -> None:
    """Splink's similarity functions (jaro_winkler, ...) from its jar, as Splink's SparkAPI registers them."""
    from splink.internals.spark.jar_location import get_scala_udfs

    try:
        for name, java_class, return_type in get_scala_udfs():
            spark.udf.registerJavaFunction(name, java_class, return_type)
    except Exception as exc:  # the jar is not on the class path (a cluster session started without it)
        raise SparkUnavailable(
            "Splink's similarity jar is not on Spark's class path: pass it with --jars "
            "(splink.internals.spark.jar_location.similarity_jar_location())"
        ) from exc
