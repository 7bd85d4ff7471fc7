"""Reading the roster for linkage: the organisation's own system of records, read whole.

An exposed file is untrusted and read within Veil's bounds (veil.readers.limits; Parquet: at most MAX_ROWS rows). The
roster is the agency's own extract, and an agency's can hold tens of millions of people:

    Parquet        read by DuckDB straight from the file (read_parquet): every row, each column as the text Veil's
                   Parquet reader gives it
    CSV/TSV        Veil's reader (a header below title rows, any encoding) without the bounds kept for untrusted files
    anything else  Veil's readers, as for any file (a workbook is bounded by its format anyway)

Fail closed: a file that cannot be read whole is refused, naming the file, never a value. Memory: the DuckDB engine
holds the prepared roster in memory (about ROSTER_BYTES_PER_PERSON a person); a roster that would not fit in what
this machine has available is refused before it is read, with the engine that goes past one machine's memory:
`--engine spark`.
"""

from __future__ import annotations

import math
from pathlib import Path

import polars as pl

from veil.incident.linkage_columns import LinkageInputError, PeopleTable, TablePart, read_people_table
from veil.readers.datasets.parquet import as_strings
from veil.readers.limits import Limits
from veil.shown_names import shown_name

__all__ = ["ROSTER_BYTES_PER_PERSON", "available_memory", "read_roster_table"]

# Peak resident memory of a DuckDB-engine link per roster person (benchmarks/spark_scale.py, 10,000,000 people:
# 11,369 MB, and 12,191 MB with a facility column on both sides; 1,000,000: 1.7 GB).
ROSTER_BYTES_PER_PERSON = 1_200
# The agency's own file: no bound on its size, cells or reading time (memory is checked before reading instead).
TRUSTED = Limits(max_file_bytes=2**62, max_total_uncompressed=2**62, max_cells=2**62, max_xml_bytes=2**62,
                 seconds=math.inf, max_memory_bytes=0)
_PARQUET_MAGIC = b"PAR1"
_DELIMITED = {".csv", ".tsv", ".tab", ".txt"}
_SAMPLE_BYTES = 1 << 20


def read_roster_table(path: str | Path, sheet: str | None = None) -> PeopleTable:
    """The roster as one table of string columns (header applied), every row of it. Raises LinkageInputError when
    the file cannot be read whole or would not fit in memory (the message names the file and counts, no value)."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            head = fh.read(_SAMPLE_BYTES)
        size = p.stat().st_size
    except OSError as exc:
        raise LinkageInputError(f"cannot open the roster {shown_name(p.name)}: {exc.strerror or type(exc).__name__}"
                                ) from None
    if head.startswith(_PARQUET_MAGIC):
        if sheet is not None:
            raise LinkageInputError(f"the roster {shown_name(p.name)} has no sheet named {sheet!r}")
        return _parquet(p)
    if p.suffix.lower() in _DELIMITED:
        _check_memory(p, _estimated_rows(head, size))
        return read_people_table(p, sheet, what="roster", limits=TRUSTED, only_table=True)
    return read_people_table(p, sheet, what="roster", only_table=True)


def _parquet(path: Path) -> PeopleTable:
    import duckdb
    import pyarrow.parquet as pq

    name = shown_name(path.name)
    try:
        rows = pq.ParquetFile(path).metadata.num_rows
    except Exception as exc:  # noqa: BLE001 - pyarrow raises many kinds for a damaged footer
        raise LinkageInputError(f"cannot read the roster {name}: the Parquet file could not be parsed "
                                f"({type(exc).__name__})") from None
    _check_memory(path, rows)
    con = duckdb.connect(":memory:")
    try:
        # DuckDB checks that text is valid UTF-8 as it reads: a damaged page fails here, not later in linkage.
        table = con.read_parquet(str(path)).to_arrow_table()
    except duckdb.Error as exc:
        raise LinkageInputError(f"cannot read the roster {name}: the Parquet file could not be parsed "
                                f"({type(exc).__name__})") from None
    finally:
        con.close()
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    del table
    frame, _ = as_strings(frame)
    frame = frame.select([c for c in frame.columns if frame[c].is_not_null().any()])
    if frame.height == 0 or frame.width == 0:
        raise LinkageInputError(f"the roster {name} holds no rows")
    source = f"{path.name} (parquet)"
    return PeopleTable(frame, source, 2, (TablePart(source, 0, frame.height, 2),))


def _estimated_rows(head: bytes, size: int) -> int:
    """Rows of a delimited file from its size and the mean length of the lines in its first megabyte."""
    lines = head.count(b"\n")
    return max(1, round(size * lines / len(head))) if lines and head else 1


def _check_memory(path: Path, rows: int) -> None:
    need, have = rows * ROSTER_BYTES_PER_PERSON, available_memory()
    if have is not None and need > have:
        raise LinkageInputError(
            f"the roster {shown_name(path.name)} has about {rows:,} rows: linking it here needs about "
            f"{need / 2**30:.1f} GB of memory and {have / 2**30:.1f} GB is available. Link it with --engine spark "
            "(the engine for rosters past one machine's memory), or on a machine with more memory")


def available_memory() -> int | None:
    """Bytes this machine can still give without swapping (Linux MemAvailable); None where it cannot be told."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None
