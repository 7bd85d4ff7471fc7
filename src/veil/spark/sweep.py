"""`veil sweep --engine spark SOURCE`: the public estate checked on Spark executors.

1. list   Spark's `binaryFile` source lists SOURCE (local, HDFS, S3) without opening a file: path, size, time
2. plan   the driver compares each with the sweep state: same size and time -> unchanged, not opened again
3. check  the rest are read as binary files on the executors; a file whose sha256 is the known one is not
          checked again; every other goes through `check_bytes`, as `veil check` does
4. report the usual sweep report (the same Ledger as the local sweep), and with `parquet` a table of per-file
          results and findings (masked as always: kinds, locations, masked samples, never a value)
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from veil.policy import Policy
from veil.watch.approvals import ApprovalSource, NoApprovals
from veil.watch.state import Known, SweepState, result_from_json, result_json
from veil.watch.sweep import Ledger, SweepReport

__all__ = ["sweep_spark"]

# Past this share of changed files the whole source is read (one listing) rather than a list of paths.
READ_ALL_SHARE = 0.5


def _local(path: str) -> str:
    """Spark's `file:/a/b` as `/a/b` (other schemes kept whole)."""
    parts = urlsplit(path)
    return unquote(parts.path) if parts.scheme == "file" else path


def _rel(path: str, root: str) -> str:
    local = _local(path)
    return local[len(root) :].lstrip("/") if local.startswith(root) else local


def _checker(policy_path: str | None, known_sha: dict[str, str]) -> Any:
    """The executor side: (path, length, modificationTime, content) rows -> one result row per file."""

    def run(rows: Iterator[Any]) -> Iterator[tuple[str, int, int, str, str | None]]:
        import hashlib

        from veil.pipeline import check_bytes
        from veil.policy import load_policy

        policy = load_policy(policy_path)
        for row in rows:
            blob = bytes(row.content)
            sha = hashlib.sha256(blob).hexdigest()
            if known_sha.get(row.path) == sha:
                yield row.path, row.length, _ms(row.modificationTime), sha, None  # same bytes: not checked again
                continue
            result = check_bytes(blob, Path(_local(row.path)).name, policy)
            yield row.path, row.length, _ms(row.modificationTime), sha, f"{result.verdict.value}\n{result_json(result)}"

    return run


def _ms(when: Any) -> int:
    return int(when.timestamp() * 1000)


def sweep_spark(
    source: str,
    policy: Policy,
    spark: Any,
    *,
    policy_path: str | None = None,
    state: SweepState | None = None,
    approvals: ApprovalSource | None = None,
    keep_all: bool = False,
    parquet: str | None = None,
    partitions: int = 0,
) -> SweepReport:
    """Sweep SOURCE (a folder Spark reads) on Spark; the same report as `sweep_directory`."""
    from pyspark.sql import functions as F

    root = _local(source).rstrip("/") if "://" in source or source.startswith("file:") else str(Path(source).resolve())
    ledger = Ledger(root, state, approvals or NoApprovals(), policy, keep_all)
    reader = spark.read.format("binaryFile").option("recursiveFileLookup", "true")
    listing = reader.load(source).select("path", "length", "modificationTime").collect()
    todo: dict[str, tuple[int, int]] = {}
    known_sha: dict[str, str] = {}
    for row in sorted(listing, key=lambda r: r.path):
        rel = _rel(row.path, root)
        fingerprint = (int(row.length), _ms(row.modificationTime) * 1_000_000, 0, 0)
        known = ledger.known.get(rel)
        if known is not None and ledger.current(known) and known.fingerprint() == fingerprint:
            ledger.unchanged(known, _local(row.path))
            continue
        todo[row.path] = fingerprint[:2]
        if known is not None and ledger.current(known):
            known_sha[row.path] = known.sha256
    results: list[tuple[str, int, int, str, str | None]] = []
    if todo:
        if len(todo) > READ_ALL_SHARE * max(len(listing), 1):
            wanted = spark.createDataFrame([(p,) for p in todo], "path string")
            files = reader.load(source).join(F.broadcast(wanted), "path", "left_semi")
        else:
            files = reader.load(list(todo))
        if partitions:
            files = files.repartition(partitions)
        checker = _checker(policy_path, known_sha)
        results = files.select("path", "length", "modificationTime", "content").rdd.mapPartitions(checker).collect()
    for path, size, _mtime, sha, outcome in sorted(results):
        rel = _rel(path, root)
        mtime_ns = todo[path][1]
        result = None
        if outcome is not None:
            verdict, data = outcome.split("\n", 1)
            result = result_from_json(Known(rel, size, mtime_ns, 0, 0, "", "", sha, "", verdict, "", "", data), rel)
        ledger.checked(rel, _local(path), sha, size, result, (size, mtime_ns, 0, 0))
    report = ledger.finish()
    if parquet:
        _write_table(spark, [_row(i) for i in (report.items if keep_all else report.flagged)], parquet)
    return report


def _row(item: Any) -> tuple[Any, ...]:
    findings = [
        {
            "kind": str(f.kind),
            "location": f.location,
            "visibility": f.visibility,
            "message": f.message,
            "detector": f.detector,
            "samples": list(f.samples),
        }
        for f in item.result.findings
    ]
    return (
        item.path,
        item.sha256,
        int(item.size),
        item.verdict.value,
        int(item.result.persons),
        item.result.format,
        ",".join(item.reasons),
        json.dumps(findings, ensure_ascii=False),
        item.first_seen,
    )


def _write_table(spark: Any, rows: list[tuple[Any, ...]], path: str) -> None:
    """Per-file results and their (masked) findings as Parquet, where Spark writes (local, HDFS, S3)."""
    schema = (
        "path string, sha256 string, size long, verdict string, persons long, format string, "
        "reasons string, findings string, first_seen string"
    )
    spark.createDataFrame(rows, schema).coalesce(1).write.mode("overwrite").parquet(path)


def sweep_warc_spark(
    source: str, policy: Policy, spark: Any, *, policy_path: str | None = None, keep_all: bool = False
) -> Any:
    """`veil sweep --warc --engine spark`: one archive per task (`warc.scan_archive` on the executors), one report
    (`warc.collect`) on the driver. Raises ValueError when SOURCE holds no WARC file."""
    from pyspark.sql import functions as F

    from veil.watch import warc

    pattern = r"\.(warc|arc)(\.gz)?$"
    files = (
        spark.read.format("binaryFile")
        .option("recursiveFileLookup", "true")
        .load(source)
        .where(F.lower(F.col("path")).rlike(pattern))
    )

    def run(rows: Iterator[Any]) -> Iterator[Any]:
        import io

        from veil.policy import load_policy

        executor_policy = load_policy(policy_path)
        seen: dict[str, Any] = {}
        for row in rows:
            yield warc.scan_archive(io.BytesIO(bytes(row.content)), _local(row.path), executor_policy, seen=seen)

    scans = sorted(files.select("path", "content").rdd.mapPartitions(run).collect(), key=lambda s: s.archive)
    if not scans:
        raise ValueError(f"no WARC file (*.warc, *.warc.gz) under {source}")
    return warc.collect(source, iter(scans), policy, keep_all)
