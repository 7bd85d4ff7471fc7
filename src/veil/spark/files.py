"""Files on Spark, shared by `veil sweep --engine spark` and `veil check --engine spark`.

binary_files(spark)   Spark's `binaryFile` reader (path, length, modificationTime, content), recursive
list_files(spark, p)  every file under p by Hadoop's FileSystem (local, HDFS, S3), dot- and _-names included:
                      Spark's own listing leaves those out, and a checker must not
check_on_executors    the rows' bytes through `check_bytes` on the executors, with the driver's policy;
                      a file whose sha256 is the known one is not checked again
result_row / write_results   the per-file Parquet table: verdicts and masked findings, never a value
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from veil.findings import FileResult
from veil.policy import Policy

__all__ = [
    "binary_files",
    "check_on_executors",
    "list_files",
    "local_path",
    "result_row",
    "spark_readable",
    "to_ms",
    "write_results",
]

# Characters Spark takes as a glob in a path it is given, or that Hadoop's Path cannot parse.
_NOT_A_PLAIN_PATH = set("{}[]*?\\:")

RESULTS_SCHEMA = (
    "path string, sha256 string, size long, verdict string, persons long, format string, "
    "reasons string, findings string, first_seen string"
)


def local_path(path: str) -> str:
    """Spark's `file:/a/b` as `/a/b` (other schemes kept whole). Spark gives local paths as they are on disk, not
    %-quoted, and a name may hold '#', '?' or '%': no URL parsing."""
    if path.startswith("file://"):
        return path[len("file://") :]
    return path.removeprefix("file:")


def to_ms(when: Any) -> int:
    return int(when.timestamp() * 1000)


def binary_files(spark: Any) -> Any:
    """Spark's `binaryFile` reader, recursive: `.load(folder)` or `.load([path, ...])`."""
    # A file gone between the listing and the read is skipped, not the job's end: `check_files` then reports it.
    return spark.read.format("binaryFile").option("recursiveFileLookup", "true").option("ignoreMissingFiles", "true")


def spark_readable(path: str) -> bool:
    """Whether `binaryFile` reads this path when it is named: not a name starting with '.' or '_' (Spark skips
    those as hidden), no glob character, no ':' past the scheme."""
    if "://" in path:  # scheme://authority/path: the authority may hold a port
        rest = "/" + path.split("://", 1)[1].partition("/")[2]
    else:
        rest = path.removeprefix("file:")
    name = rest.rstrip("/").rsplit("/", 1)[-1]
    return not name.startswith((".", "_")) and not (_NOT_A_PLAIN_PATH & set(rest))


def list_files(spark: Any, source: str) -> list[tuple[str, int, int]]:
    """(path, size, modification ms) of every file under `source` (a folder or one file), sorted by path.

    A local source is listed here (`os.scandir`, paths as Spark names them: `file:/a/b`): through Hadoop's
    FileSystem each file costs a few py4j round trips, 11 ms a file, 18 minutes for 100,000 files. A symlinked
    folder is not followed (as the local sweep); a symlink to a file is listed with its target's size."""
    if "://" not in source or source.startswith("file:"):
        return _list_local(local_path(source))
    jvm = spark.sparkContext._jvm
    root = jvm.org.apache.hadoop.fs.Path(source)
    fs = root.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    if not fs.exists(root):
        raise FileNotFoundError(f"no such file or directory: {source}")
    found = []
    listing = fs.listFiles(root, True)
    while listing.hasNext():
        status = listing.next()
        found.append((str(status.getPath().toString()), int(status.getLen()), int(status.getModificationTime())))
    return sorted(found)


def _list_local(source: str) -> list[tuple[str, int, int]]:
    root = os.path.abspath(source)
    if os.path.isfile(root):
        found = [(root, os.stat(root))]
    elif os.path.isdir(root):
        found = []
        todo = [root]
        while todo:
            with os.scandir(todo.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        todo.append(entry.path)
                    elif entry.is_file():  # follows a symlink to a file; a dangling one is not a file
                        found.append((entry.path, entry.stat()))
    else:
        raise FileNotFoundError(f"no such file or directory: {source}")
    return sorted(("file:" + path, st.st_size, st.st_mtime_ns // 1_000_000) for path, st in found)


def check_on_executors(
    files: Any, policy: Policy, names: dict[str, str] | None = None, known_sha: dict[str, str] | None = None
) -> list[tuple[str, int, int, str, FileResult | None]]:
    """Check a `binaryFile` DataFrame on the executors: (path, size, modification ms, sha256, result) per file,
    result None when the bytes are the known ones. Each file is checked as `names[path]` (default its base name)
    under `policy` (the driver's, shipped with the task); a file Veil fails on is unverifiable, never a lost task."""
    # Broadcast, not captured: an estate's names would otherwise travel with every task.
    shared = files.sparkSession.sparkContext.broadcast((policy, names or {}, known_sha or {}))

    def run(rows: Iterator[Any]) -> Iterator[tuple[str, int, int, str, FileResult | None]]:
        import hashlib

        from veil.pipeline import check_bytes, failed_result

        policy, names, known_sha = shared.value
        for row in rows:
            blob = bytes(row.content)
            sha = hashlib.sha256(blob).hexdigest()
            if known_sha.get(row.path) == sha:
                yield row.path, row.length, to_ms(row.modificationTime), sha, None  # same bytes: not checked again
                continue
            name = names.get(row.path) or Path(local_path(row.path)).name
            try:
                result = check_bytes(blob, name, policy)
            except Exception as exc:  # noqa: BLE001 - one broken file must not stop the others, and never passes
                result = failed_result(name, f"Veil failed on this file (internal {type(exc).__name__})", policy)
            yield row.path, row.length, to_ms(row.modificationTime), sha, result

    try:
        rows = files.select("path", "length", "modificationTime", "content").rdd.mapPartitions(run).collect()
    finally:
        shared.unpersist()
    return sorted(rows, key=lambda r: r[0])


def result_row(
    path: str, result: FileResult, size: int, reasons: str = "", first_seen: str | None = None
) -> tuple[Any, ...]:
    """One row of the results table: the file, its verdict and its findings (masked: kinds, locations, masked
    samples)."""
    findings = [
        {
            "kind": str(f.kind),
            "location": f.location,
            "visibility": f.visibility,
            "message": f.message,
            "detector": f.detector,
            "samples": list(f.samples),
        }
        for f in result.findings
    ]
    return (
        path,
        result.sha256,
        int(size),
        result.verdict.value,
        int(result.persons),
        result.format,
        reasons,
        json.dumps(findings, ensure_ascii=False),
        first_seen,
    )


def write_results(spark: Any, rows: list[tuple[Any, ...]], path: str) -> None:
    """Per-file results and their (masked) findings as Parquet, where Spark writes (local, HDFS, S3)."""
    spark.createDataFrame(rows, RESULTS_SCHEMA).coalesce(1).write.mode("overwrite").parquet(path)


def check_files(
    spark: Any,
    paths: list[str],
    policy: Policy,
    *,
    names: dict[str, str] | None = None,
    known_sha: dict[str, str] | None = None,
    source: str | None = None,
    sizes: dict[str, int] | None = None,
    partitions: int = 0,
) -> dict[str, tuple[str, FileResult | None]]:
    """Every path (as Spark names it) -> (sha256, result), result None when the bytes are the known ones. Read with
    `binaryFile` on the executors: the paths named, or with `source` the whole folder narrowed to them (cheaper when
    most of it is wanted). A path `binaryFile` did not give back (a hidden name, a glob character) is checked on
    the driver when it is local and is unverifiable when it is not (sha256 ""): none is left out. So is a file
    whose size (in `sizes`) is over the limit, or -1 (not there): `check_path` gives it its unverifiable result
    without reading it, and no executor holds it in memory."""
    from pyspark.sql import functions as F

    from veil.pipeline import check_path, failed_result
    from veil.readers.limits import Limits

    limit = Limits().max_file_bytes
    sizes = sizes or {}

    done: dict[str, tuple[str, FileResult | None]] = {}

    def read(frame: Any) -> None:
        frame = frame.repartition(partitions) if partitions else frame
        for path, _size, _mtime, sha, result in check_on_executors(frame, policy, names, known_sha):
            done[path] = (sha, result)

    readable = [p for p in paths if spark_readable(p) and 0 <= sizes.get(p, 0) <= limit]
    if readable and source is not None:
        import pandas as pd

        wanted = spark.createDataFrame(pd.DataFrame({"path": readable}))  # through Arrow: 100,000 rows in a second
        read(binary_files(spark).load(source).join(F.broadcast(wanted), "path", "left_semi"))
    rest = [p for p in readable if p not in done]  # all of them, or those in folders a folder's read skips
    if rest:
        read(binary_files(spark).load(rest))
    names = names or {}
    for path in paths:
        if path in done:
            continue
        name = names.get(path) or local_path(path)
        if "://" in path and not path.startswith("file:"):
            reason = (
                f"file is larger than the {limit} byte limit"
                if sizes.get(path, 0) > limit
                else "Spark's binaryFile source does not read this name (hidden or a glob): use --engine local"
            )
            done[path] = ("", failed_result(name, reason, policy))
        else:
            result = check_path(name, policy)
            done[path] = (result.sha256, result)
    return {p: done[p] for p in paths}
