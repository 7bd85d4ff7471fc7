"""Past one machine: linkage and sweeps with DuckDB/local beside Spark local mode, side by side in one run.

    uv run python benchmarks/spark_scale.py                                # 1M roster, 100,000 files
    uv run python benchmarks/spark_scale.py --rosters 1000000 10000000     # and 10M, if the time allows
    uv run python benchmarks/spark_scale.py --rosters 200000 --files 20000 # quicker
    uv run python benchmarks/spark_scale.py --rosters 10000000 --files 0 --memory-cap 4096  # where each stops fitting
    uv run python benchmarks/spark_scale.py --rosters 10000000 --files 0 --engines duckdb --facility both
                                                                           # with and without the facility column

Linkage: the seeded synthetic roster (support.linkage_synthetic) as Parquet and an exposed file of --exposed rows;
each engine runs `veil link` in a child process (wall time, peak RSS summed over its process tree: for Spark the
driver, the JVM that holds driver and executors in local mode, and the Python workers), and the decisions are
scored against the known answers (missed people, accepted precision, review share). Both files carry each person's
detention facility unless --no-facility (--facility both: each engine once with the roster's facility column and once
without it, on the same people). A run that passes --budget
seconds is stopped and reported as not finished, with its elapsed time. With --memory-cap MB a linkage run whose
process tree passes MB resident is stopped and reported as not fitting (Spark's heap is set to a third of the cap, so it
spills to disk instead; DuckDB keeps its 3 GB limit, but the DuckDB engine holds the roster in memory). Sweep: a
generated tree of small files (HTML pages, CSVs and a few leaks) swept with the local engine (`--jobs` = all
cores) and with Spark local[N], in files per second.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))


def _child(engine: str, exposed: str, roster: str, out: str) -> None:
    from veil.incident.linkage import link_files

    start = time.perf_counter()
    if engine == "spark":
        from veil.spark.linkage import link_files_spark

        result = link_files_spark(exposed, roster, "Person ID")
    else:
        result = link_files(exposed, roster, "Person ID", engine=engine)
    seconds = time.perf_counter() - start
    rows = [
        {"row": m.row, "decision": m.decision.value, "ids": [c.roster_id for c in m.candidates]} for m in result.matches
    ]
    Path(out).write_text(json.dumps({"seconds": seconds, "rows": rows}), encoding="utf-8")


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants (Spark: driver Python, the JVM, Python workers)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            parents[int(entry)] = int(fields[1])
            rss[int(entry)] = int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
        except (OSError, ValueError, IndexError):
            continue
    tree, todo = set(), [pid]
    while todo:
        p = todo.pop()
        tree.add(p)
        todo += [c for c, parent in parents.items() if parent == p and c not in tree]
    return sum(rss.get(p, 0) for p in tree) / 2**20


def _measured(
    cmd: list[str], budget: float, ok: tuple[int, ...] = (0,), cap_mb: float = 0, env: dict[str, str] | None = None
) -> tuple[float, float, str]:
    """Run `cmd`: (wall seconds, peak RSS MB of its process tree sampled every 0.5 s, why it stopped). With
    `cap_mb` the whole tree is stopped the moment its resident memory passes the cap: it did not fit."""
    wall = time.perf_counter()
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, **(env or {})},
    )
    peak, why = 0.0, ""
    while proc.poll() is None:
        peak = max(peak, _tree_rss_mb(proc.pid))
        over_time = time.perf_counter() - wall > budget
        if over_time or (cap_mb and peak > cap_mb):
            os.killpg(proc.pid, 9)
            proc.wait()
            elapsed = time.perf_counter() - wall
            why = (
                f"not finished: stopped after {elapsed:.0f} s"
                if over_time
                else (f"did not fit: passed the {cap_mb:,.0f} MB cap after {elapsed:.0f} s")
            )
            break
        time.sleep(0.5)
    if not why and proc.returncode not in ok:
        last = (proc.stderr.read() if proc.stderr else b"").decode(errors="replace").strip().splitlines()[-1:]
        why = f"failed: {(last or ['?'])[0][:120]}"
    if proc.stderr:
        proc.stderr.close()
    return time.perf_counter() - wall, peak, why


def _run_child(args: list[str], budget: float, cap_mb: float = 0) -> tuple[dict | None, float, float, str]:
    """(result, wall seconds, peak RSS MB of the child's process tree, why it stopped). Under a memory cap Spark's
    JVM gets a third of it as heap (the rest: its off-heap, the Python workers); DuckDB keeps its own 3 GB limit."""
    env = {"VEIL_SPARK_DRIVER_MEMORY": f"{int(cap_mb / 3)}m"} if cap_mb else None
    seconds, peak, why = _measured([sys.executable, __file__, *args], budget, cap_mb=cap_mb, env=env)
    out = Path(args[-1])
    return (json.loads(out.read_text()) if not why and out.exists() else None), seconds, peak, why


def linkage(
    sizes: list[int],
    exposed_rows: int,
    budget: float,
    workdir: Path,
    cap_mb: float = 0,
    engines: tuple[str, ...] = ("duckdb", "spark"),
    facility: str = "on",
) -> list[tuple[str, ...]]:
    from linkage_bench import evaluate

    from support.linkage_synthetic import generate

    table = []
    for size in sizes:
        start = time.perf_counter()
        # Facilities come from their own random stream: the people are the same with and without them.
        data = generate(size, exposed_rows, 100, seed=6, namesakes=20, facility=facility != "off")
        exposed = workdir / f"exposed-{size}.csv"
        rosters = {}
        if facility != "off":
            rosters["yes"] = workdir / f"roster-{size}.parquet"
            data.roster.write_parquet(rosters["yes"])
        if facility != "on":
            rosters["no"] = workdir / f"roster-{size}-no-facility.parquet"
            data.roster.drop("Facility", strict=False).write_parquet(rosters["no"])
        data.exposed.write_csv(exposed)
        print(f"roster {size:,}: generated in {time.perf_counter() - start:.0f} s (not counted)", flush=True)
        for engine, (fac, roster) in [(e, r) for e in engines for r in rosters.items()]:
            out = workdir / f"{engine}-{size}-{fac}.json"
            result, wall, peak, why = _run_child(
                ["--child", engine, str(exposed), str(roster), str(out)], budget, cap_mb
            )
            if result is None:
                table.append((f"{size:,}", engine, fac, f"{wall:.0f}", f"{peak:,.0f}", "-", "-", "-", why))
            else:
                f = evaluate(result["rows"], data.truth, data.namesakes)
                table.append(
                    (
                        f"{size:,}",
                        engine,
                        fac,
                        f"{wall:.0f}",
                        f"{peak:,.0f}",
                        str(f["missed"]),
                        f"{f['precision']:.4f}",
                        f"{f['review_share']:.2%}",
                        "",
                    )
                )
            print("  " + "  ".join(table[-1]), flush=True)
        del data
    return table


def make_tree(root: Path, files: int, seed: int = 1) -> int:
    rng = random.Random(seed)
    leaks = 0
    for i in range(files):
        folder = root / f"d{i % 50}" / f"{i % 997}"
        folder.mkdir(parents=True, exist_ok=True)
        if i % 1000 == 7:
            (folder / f"notes{i}.txt").write_bytes(
                f"Case notes\nGARCIA, Jose A{100000000 + i} granted asylum on 2021-03-04\n".encode()
            )
            leaks += 1
        elif i % 3 == 0:
            (folder / f"table{i}.csv").write_text(
                "region,applications\n" + "".join(f"r{k},{rng.randint(10, 999)}\n" for k in range(20))
            )
        else:
            (folder / f"page{i}.html").write_text(
                f"<html><body><h1>Notice {i}</h1><p>{rng.randint(1, 9999):,} "
                "applications were received this quarter.</p></body></html>"
            )
    return leaks


def sweep(files: int, budget: float, workdir: Path) -> list[tuple[str, ...]]:
    root = workdir / "tree"
    start = time.perf_counter()
    leaks = make_tree(root, files)
    print(f"tree of {files:,} files ({leaks} leaks) written in {time.perf_counter() - start:.0f} s", flush=True)
    table = []
    for engine in ("local", "spark"):
        out = workdir / f"sweep-{engine}.json"
        cmd = [
            sys.executable,
            "-m",
            "veil",
            "sweep",
            str(root),
            "--engine",
            engine,
            "--no-state",
            "--format",
            "json",
            "--output",
            str(out),
        ]
        seconds, peak, why = _measured(cmd, budget, ok=(0, 1))  # 1: leaks found
        found = len(json.loads(out.read_text())["files"]) if out.exists() and not why else "-"
        table.append(
            (
                f"{files:,}",
                engine,
                f"{seconds:.0f}",
                f"{files / seconds:.0f}" if not why else "-",
                f"{peak:,.0f}",
                str(found),
                why,
            )
        )
        print("  " + "  ".join(table[-1]), flush=True)
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rosters", type=int, nargs="*", default=[1_000_000])
    parser.add_argument("--exposed", type=int, default=6252)
    parser.add_argument("--files", type=int, default=100_000)
    parser.add_argument("--budget", type=float, default=900, help="seconds allowed per engine run")
    parser.add_argument(
        "--memory-cap",
        type=float,
        default=0,
        metavar="MB",
        help="stop a linkage run whose process tree passes this resident memory (where an engine stops fitting)",
    )
    parser.add_argument("--engines", nargs="+", choices=("duckdb", "spark"), default=["duckdb", "spark"])
    parser.add_argument(
        "--facility",
        choices=("on", "off", "both"),
        default="on",
        help="the detention facility in both files (on), in neither (off), or each engine both ways",
    )
    parser.add_argument("--no-facility", dest="facility", action="store_const", const="off")
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    with tempfile.TemporaryDirectory(prefix="veil-spark-scale-") as tmp:
        workdir = Path(tmp)
        engines = tuple(args.engines)
        links = (
            linkage(args.rosters, args.exposed, args.budget, workdir, args.memory_cap, engines, args.facility)
            if args.rosters
            else []
        )
        sweeps = sweep(args.files, args.budget, workdir) if args.files else []
    print(
        f"\nload average {', '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores; "
        "Spark local[2] (VEIL_SPARK_MASTER), DuckDB 3 GB / 2 threads"
        + (f"; linkage memory cap {args.memory_cap:,.0f} MB (Spark heap a third of it)" if args.memory_cap else "")
    )
    if links:
        print(
            f"\n{'roster':>12} {'engine':>7} {'facility':>8} {'wall s':>7} {'peak MB':>8} {'missed':>7} "
            f"{'precision':>10} {'review':>7}  note"
        )
        for r in links:
            print(f"{r[0]:>12} {r[1]:>7} {r[2]:>8} {r[3]:>7} {r[4]:>8} {r[5]:>7} {r[6]:>10} {r[7]:>7}  {r[8]}")
    if sweeps:
        print(f"\n{'files':>9} {'engine':>7} {'wall s':>7} {'files/s':>8} {'peak MB':>8} {'flagged':>8}  note")
        for r in sweeps:
            print(f"{r[0]:>9} {r[1]:>7} {r[2]:>7} {r[3]:>8} {r[4]:>8} {r[5]:>8}  {r[6]}")


if __name__ == "__main__":
    main()
