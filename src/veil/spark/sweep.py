"""`veil sweep --engine spark SOURCE`: the public estate checked on Spark executors.

1. list   Hadoop's FileSystem lists SOURCE (local, HDFS, S3) without opening a file: path, size, time (names
          starting with '.' or '_' too: Spark's own listing skips them)
2. plan   the driver compares each with the sweep state: same size and time -> unchanged, not opened again
3. check  the rest are read as binary files on the executors; a file whose sha256 is the known one is not
          checked again; every other goes through `check_bytes`, as `veil check` does (`files.check_files`:
          a name `binaryFile` will not read is checked on the driver, or unverifiable when remote)
4. report the usual sweep report (the same Ledger as the local sweep), and with `parquet` a table of per-file
          results and findings (masked as always: kinds, locations, masked samples, never a value)
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from veil.policy import Policy
from veil.spark.files import binary_files, check_files, list_files, local_path, result_row, write_results
from veil.watch.approvals import ApprovalSource, NoApprovals
from veil.watch.state import SweepState
from veil.watch.sweep import Ledger, SweepReport

__all__ = ["sweep_spark"]

# Past this share of changed files the whole source is read (one listing) rather than a list of paths.
READ_ALL_SHARE = 0.5


def _rel(path: str, root: str) -> str:
    local = local_path(path)
    return local[len(root) :].lstrip("/") if local.startswith(root) else local


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

    root = (
        local_path(source).rstrip("/") if "://" in source or source.startswith("file:") else str(Path(source).resolve())
    )
    ledger = Ledger(root, state, approvals or NoApprovals(), policy, keep_all)
    listing = list_files(spark, source)  # Hadoop's listing: dot- and _-names too, which Spark's would skip
    todo: dict[str, tuple[int, int]] = {}
    known_sha: dict[str, str] = {}
    for path, size, mtime_ms in listing:
        rel = _rel(path, root)
        fingerprint = (size, mtime_ms * 1_000_000, 0, 0)
        known = ledger.known.get(rel)
        if known is not None and ledger.current(known) and known.fingerprint() == fingerprint:
            ledger.unchanged(known, local_path(path))
            continue
        todo[path] = fingerprint[:2]
        if known is not None and ledger.current(known):
            known_sha[path] = known.sha256
    whole = source if len(todo) > READ_ALL_SHARE * max(len(listing), 1) else None
    sizes = {p: size for p, (size, _) in todo.items()}
    checked = check_files(
        spark, list(todo), policy, known_sha=known_sha, source=whole, sizes=sizes, partitions=partitions
    )
    for path, (sha, result) in checked.items():
        size, mtime_ns = todo[path]
        ledger.checked(_rel(path, root), local_path(path), sha, size, result, (size, mtime_ns, 0, 0))
    report = ledger.finish()
    if parquet:
        rows = [
            result_row(i.path, i.result, i.size, ",".join(i.reasons), i.first_seen)
            for i in (report.items if keep_all else report.flagged)
        ]
        write_results(spark, rows, parquet)
    return report


def sweep_warc_spark(
    source: str, policy: Policy, spark: Any, *, policy_path: str | None = None, keep_all: bool = False
) -> Any:
    """`veil sweep --warc --engine spark`: one archive per task (`warc.scan_archive` on the executors), one report
    (`warc.collect`) on the driver. Raises ValueError when SOURCE holds no WARC file."""
    from pyspark.sql import functions as F

    from veil.watch import warc

    pattern = r"\.(warc|arc)(\.gz)?$"
    files = binary_files(spark).load(source).where(F.lower(F.col("path")).rlike(pattern))

    def run(rows: Iterator[Any]) -> Iterator[Any]:
        import io

        from veil.policy import load_policy

        executor_policy = load_policy(policy_path)
        seen: dict[str, Any] = {}
        for row in rows:
            yield warc.scan_archive(io.BytesIO(bytes(row.content)), local_path(row.path), executor_policy, seen=seen)

    scans = sorted(files.select("path", "content").rdd.mapPartitions(run).collect(), key=lambda s: s.archive)
    if not scans:
        raise ValueError(f"no WARC file (*.warc, *.warc.gz) under {source}")
    return warc.collect(source, iter(scans), policy, keep_all)
