"""Build the held-out check set: `build(out_dir, seed) -> list[Case]` writes every file into out_dir."""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    __package__ = "check_set"

from . import (  # noqa: F401,E402  (each module registers its generators)
    gen_benign,
    gen_damaged,
    gen_db,
    gen_layout,
    gen_legal,
    gen_other,
    gen_pdf,
    gen_records,
    gen_workbook,
)
from .common import GENERATORS, Case, Ctx  # noqa: E402

__all__ = ["Case", "build"]


def build(out_dir: str | Path, seed: int = 0) -> list[Case]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    ctx = Ctx(out, seed)
    cases: list[Case] = []
    for gen in GENERATORS:
        cases.extend(gen(ctx))
    names = [c.name for c in cases]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise RuntimeError(f"duplicate file names: {dupes}")
    missing = [n for n in names if not (out / n).exists()]
    if missing:
        raise RuntimeError(f"generators did not write: {missing}")
    return cases
