"""Fuzz `veil check` with thousands of damaged and disguised leaking files, and print the verdicts per format and
mutation. The CI test (tests/test_fuzz_formats.py) runs a small seeded slice of the same mutations.

    uv run python benchmarks/fuzz.py [--seeds 20] [--per-seed 25] [--jobs 2] [--format pdf --format eml]
                                     [--mutation polyglot] [--save-passing DIR]

A mutant of a leaking file must come out review, block or unverifiable, never pass, and never crash. Exit 0 when
none passed or crashed, 1 otherwise. Every mutant is reproducible from (format, mutation, seed, index).
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support.mutations import FORMATS, MUTATIONS, applies, mutants  # noqa: E402

OUTCOMES = ("pass", "review", "block", "unverifiable", "crash")


def run_batch(args: tuple[str, str, int, int, str | None]) -> tuple[str, str, Counter[str], float, list[str]]:
    """All mutants of one (format, mutation, seed): the verdict counts, the seconds spent, and what passed."""
    from veil.pipeline import check_bytes
    from veil.readers.limits import Limits

    fmt, mutation, seed, count, save = args
    counts: Counter[str] = Counter()
    passing = []
    started = time.perf_counter()
    for n, (blob, name) in enumerate(mutants(fmt, mutation, seed, count)):
        try:
            verdict = check_bytes(blob, name, limits=Limits(seconds=60)).verdict.value
        except BaseException:  # noqa: BLE001 - a crash is a result to count, not a reason to stop
            verdict = "crash"
        counts[verdict] += 1
        if verdict in ("pass", "crash"):
            passing.append(f"{fmt} {mutation} seed={seed} n={n}: {verdict}")
            if save:
                out = Path(save) / f"{fmt}-{mutation}-{seed}-{n}-{name}"
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(blob)
    return fmt, mutation, counts, time.perf_counter() - started, passing


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20, help="leaking source files per format")
    parser.add_argument("--per-seed", type=int, default=25, help="mutants of each source file")
    parser.add_argument("--jobs", type=int, default=2, help="processes")
    parser.add_argument("--format", action="append", choices=FORMATS, help="only these formats (repeat)")
    parser.add_argument("--mutation", action="append", choices=sorted(MUTATIONS), help="only these (repeat)")
    parser.add_argument("--save-passing", metavar="DIR", help="write every mutant that passed or crashed here")
    args = parser.parse_args()
    formats = args.format or list(FORMATS)
    chosen = args.mutation or list(MUTATIONS)
    batches = [(f, m, s, args.per_seed, args.save_passing) for f in formats for m in chosen if applies(m, f)
               for s in range(args.seeds)]
    table: dict[tuple[str, str], Counter[str]] = {}
    seconds: Counter[str] = Counter()
    failures: list[str] = []
    started = time.perf_counter()
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=max(1, args.jobs), mp_context=context) as pool:
        for fmt, mutation, counts, spent, passing in pool.map(run_batch, batches):
            table.setdefault((fmt, mutation), Counter()).update(counts)
            seconds[fmt] += spent
            failures += passing
    _print(table, seconds, formats, chosen)
    total = sum((c for c in table.values()), Counter())
    print(f"\n{sum(total.values()):,} mutants in {time.perf_counter() - started:.0f} s: "
          + ", ".join(f"{total[o]:,} {o}" for o in OUTCOMES))
    for line in failures[:20]:
        print("  " + line)
    return 1 if total["pass"] or total["crash"] else 0


def _print(table: dict[tuple[str, str], Counter[str]], seconds: Counter[str], formats: list[str],
           mutations: list[str]) -> None:
    print(f"{'format':<9}{'mutation':<20}" + "".join(f"{o:>14}" for o in OUTCOMES))
    for fmt in formats:
        for mutation in mutations:
            counts = table.get((fmt, mutation))
            if counts:
                flag = "  <-- passes" if counts["pass"] or counts["crash"] else ""
                print(f"{fmt:<9}{mutation:<20}" + "".join(f"{counts[o]:>14,}" for o in OUTCOMES) + flag)
        print(f"{'':<9}{'(seconds)':<20}{seconds[fmt]:>14.1f}")


if __name__ == "__main__":
    raise SystemExit(main())
