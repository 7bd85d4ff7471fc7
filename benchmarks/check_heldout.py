"""Score `veil check` on the held-out check set (benchmarks/check_set/README.md).

    uv run python benchmarks/check_heldout.py [--seed N] [--keep DIR] [--errors] [--batch N]

Builds the labelled files (seeded) into a temporary directory (or DIR with --keep), runs the `veil check` CLI on
them in batches (`--format json`), and prints: leaks caught (verdict != pass), benign passed / held (review) /
blocked (block or unverifiable), and persons exactly right on caught leaks, overall and per class tag. --errors lists
every wrong file (synthetic file names, tags, verdicts and counts; never file content). Always exits 0."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCH_MODULES = ("pyreadstat", "numbers_parser", "docx", "pptx")


def _ensure_bench_group() -> None:
    """The generators need the `bench` dependency group; re-run under it when it is missing."""
    try:
        for m in BENCH_MODULES:
            __import__(m)
    except ImportError:
        if os.environ.get("CHECK_HELDOUT_REEXEC"):
            raise
        env = {**os.environ, "CHECK_HELDOUT_REEXEC": "1"}
        os.execvpe("uv", ["uv", "run", "--group", "bench", "python", str(Path(__file__).resolve()), *sys.argv[1:]],
                   env)


def _run_veil(paths: list[Path]) -> dict[str, dict]:
    """{file name: {"verdict", "persons"}} for one `veil check` call; {} when the call itself failed."""
    proc = subprocess.run(["veil", "check", "--format", "json", *map(str, paths)], capture_output=True, text=True,
                          cwd=HERE.parent, env={k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"})
    if proc.returncode not in (0, 1):
        return {}
    try:
        doc = json.loads(proc.stdout)
    except json.JSONDecodeError:
        return {}
    return {Path(f["path"]).name: {"verdict": f["verdict"], "persons": f.get("persons")} for f in doc["files"]}


def check_all(paths: list[Path], batch: int) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for i in range(0, len(paths), batch):
        chunk = paths[i:i + batch]
        got = _run_veil(chunk)
        if len(got) < len(chunk):  # a failed call: retry the missing files one by one
            for p in chunk:
                if p.name not in got:
                    got.update(_run_veil([p]) or {p.name: {"verdict": "error", "persons": None}})
        out.update(got)
    return out


def _pct(a: int, b: int) -> str:
    return f"{a}/{b} ({100 * a / b:.0f}%)" if b else "-"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", type=Path, help="build into this directory and keep the files")
    ap.add_argument("--errors", action="store_true", help="list every wrong file")
    ap.add_argument("--batch", type=int, default=30, help="files per `veil check` call")
    args = ap.parse_args()
    _ensure_bench_group()
    sys.path.insert(0, str(HERE))
    from check_set.build import build

    tmp = None
    if args.keep:
        out = args.keep
    else:
        tmp = tempfile.TemporaryDirectory(prefix="check_set-")
        out = Path(tmp.name)
    t0 = time.perf_counter()
    cases = build(out, args.seed)
    t_build = time.perf_counter() - t0
    t0 = time.perf_counter()
    results = check_all([out / c.name for c in cases], args.batch)
    t_check = time.perf_counter() - t0

    per_tag: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    wrong: list[str] = []
    persons_off: list[str] = []
    for c in cases:
        r = results.get(c.name, {"verdict": "error", "persons": None})
        v, got = r["verdict"], r["persons"]
        s = per_tag[c.tag]
        s[c.label] += 1
        if c.label == "leak":
            if v != "pass":
                s["caught"] += 1
                if got == c.persons:
                    s["persons_ok"] += 1
                else:
                    persons_off.append(f"  {c.tag:28} {c.name:44} {v:12} persons {got} (expected {c.persons})")
            else:
                wrong.append(f"  MISSED  {c.tag:28} {c.name:44} {v:12} ({c.description})")
        else:
            if v == "pass":
                s["passed"] += 1
            elif v == "review":
                s["held"] += 1
                wrong.append(f"  HELD    {c.tag:28} {c.name:44} {v:12} ({c.description})")
            else:
                s["blocked"] += 1
                wrong.append(f"  BLOCKED {c.tag:28} {c.name:44} {v:12} ({c.description})")

    tot = defaultdict(int)
    for s in per_tag.values():
        for k, v in s.items():
            tot[k] += v
    print(f"check_set seed {args.seed}: {len(cases)} files ({tot['leak']} leak, {tot['benign']} benign); "
          f"build {t_build:.1f} s, veil check {t_check:.1f} s")
    print(f"leaks caught (verdict != pass):   {_pct(tot['caught'], tot['leak'])}")
    print(f"benign passed:                    {_pct(tot['passed'], tot['benign'])}")
    print(f"benign blocked (block/unverif.):  {tot['blocked']}")
    print(f"benign held (review):             {tot['held']}")
    print(f"persons exact on caught leaks:    {_pct(tot['persons_ok'], tot['caught'])}")
    print()
    print(f"{'class tag':30} {'leaks caught':>13} {'persons ok':>11} {'benign pass':>12} {'held':>5} {'blocked':>8}")
    for tag in sorted(per_tag):
        s = per_tag[tag]
        caught = f"{s['caught']}/{s['leak']}" if s["leak"] else "-"
        pok = f"{s['persons_ok']}/{s['caught']}" if s["caught"] else "-"
        bp = f"{s['passed']}/{s['benign']}" if s["benign"] else "-"
        held = str(s["held"]) if s["benign"] else "-"
        blocked = str(s["blocked"]) if s["benign"] else "-"
        print(f"{tag:30} {caught:>13} {pok:>11} {bp:>12} {held:>5} {blocked:>8}")
    if args.errors:
        print("\nwrong verdicts:")
        print("\n".join(wrong) if wrong else "  none")
        print("\ncaught leaks with the wrong person count:")
        print("\n".join(persons_off) if persons_off else "  none")
    if tmp is not None:
        tmp.cleanup()
    sys.exit(0)


if __name__ == "__main__":
    main()
