"""Measure `veil check` on a 6,252-person roster (xlsx and csv) and a 1,000,000-row CSV.

For each file it prints Veil's wall time and peak memory (a fresh `veil check` process, start-up included) beside
the time and peak memory of a bare read of the same file (python-calamine for xlsx, polars for csv), and the ratio.

    uv run python benchmarks/check_speed.py [--out DIR] [--rows 1000000]

Targets (issue 2): roster decided in under 1 s including start-up; 1M-row CSV under 15 s and 2 GB; Veil's time at
most 1.5x the bare read."""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import tempfile
from pathlib import Path

# Installed programs run from cached bytecode; a shell that sets PYTHONDONTWRITEBYTECODE would time the compiler.
_CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
BARE_XLSX = "from python_calamine import CalamineWorkbook as W; wb=W.from_path({p!r}); " \
            "[wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names]"
BARE_CSV = "import polars as pl; pl.read_csv({p!r}, infer_schema=False)"


def write_roster(directory: Path, people: int) -> tuple[Path, Path]:
    from openpyxl import Workbook

    from veil.demo import roster_rows

    rows = roster_rows(people)
    csv_path = directory / f"roster-{people}.csv"
    with csv_path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(rows)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Roster")
    for row in rows:
        ws.append(row)
    xlsx_path = directory / f"roster-{people}.xlsx"
    wb.save(xlsx_path)
    return xlsx_path, csv_path


def write_big_csv(directory: Path, rows: int) -> Path:
    """A 1M-row person-level extract: name, DOB, A-number, nationality, facility, dates, status."""
    from faker import Faker

    fake = Faker(["es_MX", "en_US"])
    fake.seed_instance(1)
    rnd = random.Random(1)
    last = [fake.last_name().upper() for _ in range(3000)]
    first = [fake.first_name().upper() for _ in range(3000)]
    countries = ["MEXICO", "GUATEMALA", "HONDURAS", "EL SALVADOR", "HAITI", "VENEZUELA", "INDIA", "CHINA"]
    path = directory / f"extract-{rows}.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["Name", "Date of Birth", "A-Number", "Country of Citizenship", "Facility", "Book In Date",
                    "Case Status", "Gender"])
        for _ in range(rows):
            w.writerow([f"{rnd.choice(last)}, {rnd.choice(first)}",
                        f"{rnd.randint(1950, 2005)}-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
                        f"A{rnd.randint(10**8, 10**9 - 1)}", rnd.choice(countries),
                        f"FACILITY {rnd.randint(1, 200)} PROCESSING CENTER",
                        f"2022-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
                        rnd.choice(["Credible Fear", "Asylum", "Removal Order"]), rnd.choice(["M", "F"])])
    return path


def run_child(cmd: list[str]) -> tuple[float, float, int]:
    """Run cmd under /usr/bin/time-like accounting in a fresh interpreter and return (wall, peak MB, rc)."""
    wrapper = (
        "import resource, subprocess, sys, time, json;"
        "t=time.perf_counter(); p=subprocess.run(sys.argv[1:], capture_output=True);"
        "w=time.perf_counter()-t; m=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024;"
        "print(json.dumps([w, m, p.returncode]))"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, check=True,
                         env=_CHILD_ENV)
    wall, peak, rc = json.loads(out.stdout)
    return wall, peak, rc


def best_of(cmd: list[str], runs: int) -> tuple[float, float, int]:
    """One warm-up run (writes bytecode caches, as any installed program has), then the median of `runs`."""
    run_child(cmd)
    results = sorted(run_child(cmd) for _ in range(runs))
    return results[len(results) // 2]


IN_PROCESS = """
import sys, time
import polars as pl
from python_calamine import CalamineWorkbook
from veil.pipeline import check_path
path = sys.argv[1]
def bare():
    if path.endswith('.xlsx'):
        wb = CalamineWorkbook.from_path(path)
        [wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names]
    else:
        pl.read_csv(path, infer_schema=False)
check_path(path); bare()
t = time.perf_counter(); check_path(path); v = time.perf_counter() - t
t = time.perf_counter(); bare(); b = time.perf_counter() - t
print(v, b)
"""


def in_process(path: Path) -> tuple[float, float]:
    """Veil's check and the bare read of the same file in one warm process: the work without start-up."""
    out = subprocess.run([sys.executable, "-c", IN_PROCESS, str(path)], capture_output=True, text=True, check=True,
                         env=_CHILD_ENV)
    veil, bare = (float(x) for x in out.stdout.split())
    return veil, bare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=6252)
    parser.add_argument("--runs", type=int, default=3, help="timed runs per file (median shown)")
    args = parser.parse_args()
    directory = args.out or Path(tempfile.mkdtemp(prefix="veil-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    xlsx, small_csv = write_roster(directory, args.people)
    big = write_big_csv(directory, args.rows)
    veil = [sys.executable, "-m", "veil.cli", "check", "--format", "json", "--jobs", "1"]
    print(f"{'file':28} {'rows':>9} {'veil s':>8} {'veil MB':>8} {'bare s':>8} {'bare MB':>8} {'ratio':>6} "
          f"{'warm veil s':>11} {'warm bare s':>11} {'ratio':>6} verdict")
    for path, bare, rows in ((xlsx, BARE_XLSX, args.people), (small_csv, BARE_CSV, args.people),
                             (big, BARE_CSV, args.rows)):
        wall, peak, rc = best_of([*veil, str(path)], args.runs)
        bare_wall, bare_peak, _ = best_of([sys.executable, "-c", bare.format(p=str(path))], args.runs)
        warm, warm_bare = in_process(path)
        verdict = {0: "pass", 1: "not pass", 2: "usage error"}.get(rc, f"rc={rc}")
        print(f"{path.name:28} {rows:>9} {wall:8.2f} {peak:8.0f} {bare_wall:8.2f} {bare_peak:8.0f} "
              f"{wall / bare_wall:6.2f} {warm:11.2f} {warm_bare:11.2f} {warm / warm_bare:6.2f} {verdict}")
    print("(bare = python-calamine for xlsx, polars.read_csv for csv; both in a fresh interpreter, start-up included;"
          f" median of {args.runs} runs after a warm-up; warm = both in one process after a first run, no start-up)")


if __name__ == "__main__":
    main()
