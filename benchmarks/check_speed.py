"""Measure `veil check` on a 6,252-person roster (xlsx and csv) and a 1,000,000-row CSV.

For each file it prints Veil's wall time and peak memory (a fresh `veil check` process, start-up included) beside
the time and peak memory of a bare read of the same file (python-calamine for xlsx, polars for csv), and the ratio.

    uv run python benchmarks/check_speed.py [--out DIR] [--rows 1000000]

Targets (issue 2): roster decided in under 1 s including start-up; 1M-row CSV under 15 s and 2 GB; Veil's time at
most 1.5x the bare read."""

from __future__ import annotations

import argparse
import csv
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def measure(cmd: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB of the child, exit code."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True)
    wall = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the max over all children so far: run the biggest last, or read it per child.
    return wall, max(peak, before) / 1024, proc.returncode


def run_child(cmd: list[str]) -> tuple[float, float, int]:
    """Run cmd under /usr/bin/time-like accounting in a fresh interpreter and return (wall, peak MB, rc)."""
    wrapper = (
        "import resource, subprocess, sys, time, json;"
        "t=time.perf_counter(); p=subprocess.run(sys.argv[1:], capture_output=True);"
        "w=time.perf_counter()-t; m=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024;"
        "print(json.dumps([w, m, p.returncode]))"
    )
    out = subprocess.run([sys.executable, "-c", wrapper, *cmd], capture_output=True, text=True, check=True)
    import json

    wall, peak, rc = json.loads(out.stdout)
    return wall, peak, rc


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--people", type=int, default=6252)
    args = parser.parse_args()
    directory = args.out or Path(tempfile.mkdtemp(prefix="veil-bench-"))
    directory.mkdir(parents=True, exist_ok=True)
    xlsx, small_csv = write_roster(directory, args.people)
    big = write_big_csv(directory, args.rows)
    veil = [sys.executable, "-m", "veil.cli", "check", "--format", "json", "--jobs", "1"]
    print(f"{'file':28} {'rows':>9} {'veil s':>8} {'veil MB':>8} {'bare s':>8} {'bare MB':>8} {'ratio':>6} verdict")
    for path, bare, rows in ((xlsx, BARE_XLSX, args.people), (small_csv, BARE_CSV, args.people),
                             (big, BARE_CSV, args.rows)):
        wall, peak, rc = run_child([*veil, str(path)])
        bare_wall, bare_peak, _ = run_child([sys.executable, "-c", bare.format(p=str(path))])
        verdict = {0: "pass", 1: "not pass", 2: "usage error"}.get(rc, f"rc={rc}")
        print(f"{path.name:28} {rows:>9} {wall:8.2f} {peak:8.0f} {bare_wall:8.2f} {bare_peak:8.0f} "
              f"{wall / bare_wall:6.2f} {verdict}")
    print("(bare = python-calamine for xlsx, polars.read_csv for csv; both in a fresh interpreter, start-up included)")


if __name__ == "__main__":
    main()
