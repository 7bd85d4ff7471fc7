"""`veil check --engine spark PATHS`: the files checked on Spark executors, reported as `veil check` reports them.

1. list   local paths are listed as the local engine lists them (`iter_files`: same files, same names, same
          --exclude); a folder Spark reads elsewhere (hdfs://, s3a://) by Hadoop's FileSystem, dot-names included
2. check  the files are read as binary files on the executors and go through `check_bytes` with the driver's
          policy, each under the name the local engine gives it
3. rest   what `binaryFile` will not read (names starting with '.' or '_', glob characters) is checked on the
          driver when it is local, and is unverifiable when it is not: never silently left out
4. table  with `parquet`, per-file results and masked findings, the sweep's table
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from veil.errors import UsageError
from veil.file_walk import excluded, iter_files
from veil.findings import FileResult
from veil.policy import Policy
from veil.spark.files import (
    check_files,
    list_files,
    result_row,
    write_results,
)

__all__ = ["check_spark"]


def _remote(path: str) -> bool:
    return "://" in path and not path.startswith("file:")


def _listing(spark: Callable[[], Any], paths: list[str], exclude: list[str] | None) -> list[tuple[str, str, int]]:
    """(name as reported, path Spark reads, size) for every file to check, in the local engine's order."""
    files: list[tuple[str, str, int]] = []
    for raw in paths:
        if raw == "-":
            raise UsageError("--engine spark checks files and folders, not standard input")
        if _remote(raw):
            try:
                found = list_files(spark(), raw)
            except FileNotFoundError as exc:
                raise UsageError(str(exc)) from None
            kept = [(p, n) for p, n, _ in found if not excluded(p, p.rsplit("/", 1)[-1], exclude)]
            files += [(p, p, n) for p, n in kept]
        else:
            files += [(f, "file:" + os.path.abspath(f), _size(f)) for f in iter_files([raw], exclude)]
    return files


def _size(path: str) -> int:
    """-1 for what is not a regular file there (a dangling link): Spark would refuse the whole read for it, the
    driver's `check_path` says why it is unreadable."""
    try:
        return os.path.getsize(path) if os.path.isfile(path) else -1
    except OSError:
        return -1


def check_spark(
    paths: list[str],
    policy: Policy,
    spark: Any = None,
    *,
    exclude: list[str] | None = None,
    parquet: str | None = None,
    partitions: int = 0,
) -> list[FileResult]:
    """Check PATHS (local files and folders, or folders Spark reads) on Spark: one result per file, named and
    ordered as `veil check` names and orders them. Without `spark`, the process's session (`veil.spark.session`)
    is started once the local paths are known to exist. Raises UsageError for '-', a missing path or no file;
    SparkUnavailable without pyspark or Java."""
    from veil.spark import session

    def get() -> Any:
        nonlocal spark
        spark = spark if spark is not None else session()
        return spark

    files = _listing(get, paths, exclude)
    if not files:
        raise UsageError("no files to check")
    spark = get()
    names = {spark_path: name for name, spark_path, _ in files}
    sizes = {spark_path: size for _, spark_path, size in files}
    checked = check_files(spark, list(names), policy, names=names, sizes=sizes, partitions=partitions)
    results = []
    for name, spark_path, _ in files:
        result = checked[spark_path][1]
        assert result is not None  # no known sha256 given: every file is checked
        results.append(replace(result, path=name))  # one file named twice is reported under each name
    if parquet:
        write_results(spark, [result_row(r.path, r, r.size) for r in results], parquet)
    return results
