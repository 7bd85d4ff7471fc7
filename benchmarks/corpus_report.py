"""Check every file of the real public corpus (../shared/corpus/real) and print a Markdown table: verdict, persons,
seconds and why, one row per file. The README's corpus table is this script's output.

    uv run python benchmarks/corpus_report.py [CORPUS_DIR]"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from veil.pipeline import check_path
from veil.policy import load_policy


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared/corpus/real"
    policy = load_policy()
    files = sorted(p for p in root.rglob("*") if p.is_file() and p.name not in ("PROVENANCE.md", "provenance.tsv"))
    print("| file | class | verdict | persons | s | why (findings that set the verdict) |")
    print("|---|---|---|---|---|---|")
    tally: Counter[tuple[str, str]] = Counter()
    for path in files:
        rel = path.relative_to(root)
        cls = "person-level" if "record-level" in rel.parts else "aggregate"
        r = check_path(path, policy)
        tally[(cls, r.verdict.value)] += 1
        deciding = Counter(f.kind.value for f in r.findings if policy.effect(f.kind) != "note")
        why = ", ".join(f"{k} ×{n}" for k, n in deciding.items()) or "—"
        if r.verdict.value in ("review", "unverifiable"):
            detail = next(f for f in r.findings if policy.effect(f.kind) != "note")
            why += f": {detail.location[:60]} — {detail.message[:90]}"
        print(f"| `{rel}` | {cls} | {r.verdict.value} | {r.persons} | {r.seconds:.2f} | {why} |")
    print()
    for (cls, verdict), n in sorted(tally.items()):
        print(f"- {cls}: {n} {verdict}")


if __name__ == "__main__":
    main()
