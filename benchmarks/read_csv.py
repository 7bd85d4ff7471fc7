"""Read time of the delimited reader against a bare polars.read_csv, and of the real corpus files.

    uv run python benchmarks/read_csv.py                 # 1,000,000 rows x 8 columns
    uv run python benchmarks/read_csv.py --rows 200000   # smaller
    uv run python benchmarks/read_csv.py --corpus        # also time every real corpus csv/tsv/xls/ods

Prints wall time and peak resident memory of each step; the generated CSV is written to a temporary folder.
"""

from __future__ import annotations

import argparse
import random
import resource
import tempfile
import time
from pathlib import Path

import polars as pl

from veil.readers.registry import ReadContext, read_blob
from veil.readers.units import Table

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"
FIRST = ["Amina", "José", "Olena", "Mohammed", "Li", "Fatima", "John", "Ana", "Yusuf", "Marie"]
LAST = ["Haddad", "García", "Kovalenko", "Nguyen", "Okafor", "Smith", "Müller", "Rahimi", "Silva", "Diallo"]


def generate(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write("case_id,last_name,first_name,date_of_birth,nationality,a_number,facility,status\n")
        for i in range(rows):
            out.write(
                f"{i},{rng.choice(LAST)},{rng.choice(FIRST)},19{rng.randint(40, 99)}-{rng.randint(1, 12):02d}-"
                f"{rng.randint(1, 28):02d},{rng.choice(['Syria', 'Ukraine', 'Eritrea', 'Honduras'])},"
                f"A{rng.randint(10**8, 10**9 - 1)},\"Facility {rng.randint(1, 40)}, Unit B\","
                f"{rng.choice(['pending', 'granted', 'denied'])}\n"
            )


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def time_veil(blob: bytes, name: str) -> tuple[float, list]:
    start = time.perf_counter()
    units = list(read_blob(blob, ReadContext(name=name)))
    return time.perf_counter() - start, units


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--corpus", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "people.csv"
        start = time.perf_counter()
        generate(path, args.rows)
        size = path.stat().st_size
        print(f"generated {args.rows:,} rows x 8 columns ({size / 1e6:.0f} MB) in {time.perf_counter() - start:.1f} s")
        blob = path.read_bytes()
        start = time.perf_counter()
        bare = pl.read_csv(blob, has_header=False, infer_schema=False)
        t_polars = time.perf_counter() - start
        print(f"bare polars.read_csv: {t_polars:.2f} s, {bare.height:,} rows; peak RSS {peak_mb():.0f} MB")
        del bare
        t_veil, units = time_veil(blob, "people.csv")
        table = next(u for u in units if isinstance(u, Table))
        print(f"veil delimited reader: {t_veil:.2f} s, {table.n_rows:,} rows ({table.location}); "
              f"peak RSS {peak_mb():.0f} MB; overhead {t_veil / t_polars:.2f}x")
        ragged = blob + b"late,row,with,more,fields,than,the,header,has,10\n"
        t_ragged, units = time_veil(ragged, "people.csv")
        table = next(u for u in units if isinstance(u, Table))
        print(f"same file plus one over-long last row (width found, read again): {t_ragged:.2f} s, "
              f"{table.n_cols} columns; peak RSS {peak_mb():.0f} MB")
    if args.corpus and CORPUS.is_dir():
        for file in sorted(p for ext in ("*.csv", "*.tsv", "*.xls", "*.ods", "*.json", "*.parquet")
                           for p in CORPUS.rglob(ext)):
            elapsed, units = time_veil(file.read_bytes(), file.name)
            kinds = {}
            for unit in units:
                kinds[type(unit).__name__] = kinds.get(type(unit).__name__, 0) + 1
            print(f"{elapsed:7.3f} s  {file.relative_to(CORPUS)}  {kinds}")


if __name__ == "__main__":
    main()
