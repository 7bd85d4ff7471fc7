"""Veil's PDF reader against Free Law Project's x-ray on generated PDFs that each hide 200 fake people.

    uv run --group bench python benchmarks/pdf_vs_xray.py            # every vector + controls + timings
    uv run --group bench python benchmarks/pdf_vs_xray.py --people 50 --no-xray-long

x-ray (PyPI `x-ray`) is a benchmark-only dependency in the `bench` group: it pulls PyMuPDF (AGPL), which must never
become a runtime dependency of Veil. Without it the script still measures Veil and prints "-" for x-ray.

For each vector it prints whether each tool found the hidden values (how many of the people), and for the properly
redacted controls how many false findings each tool made. Times are CPU seconds (time.process_time), best of
--repeat runs for Veil, one run for x-ray.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from support.pdf_factory import CONTROLS, VECTORS, make_pdf, text_pdf  # noqa: E402
from veil.pipeline import check_bytes  # noqa: E402
from veil.readers.registry import ReadContext, read_blob  # noqa: E402
from veil.readers.units import Table, Text, Visibility  # noqa: E402

try:
    import xray  # type: ignore[import-not-found]
except ImportError:  # the bench group is not installed
    xray = None


def veil_units(blob: bytes, name: str) -> list[object]:
    return list(read_blob(blob, ReadContext(name=name)))


def cpu(fn, repeat: int = 1) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.process_time()
        result = fn()
        best = min(best, time.process_time() - start)
    return best, result


def veil_found(units: list[object], values: list[str], visibility: str) -> int:
    texts = []
    for unit in units:
        if isinstance(unit, Text) and unit.visibility.value == visibility:
            texts.append(unit.text)
        elif isinstance(unit, Table) and unit.visibility.value == visibility:
            texts.extend(str(v) for row in unit.frame.rows() for v in row if v is not None)
    joined = "\n".join(texts)
    return sum(v in joined for v in values)


def xray_found(path: Path, values: list[str]) -> tuple[float, int, int]:
    seconds, found = cpu(lambda: asyncio.run(xray.inspect(path)))
    texts = "\n".join(r["text"] for page in found.values() for r in page)  # type: ignore[union-attr]
    boxes = sum(len(page) for page in found.values())  # type: ignore[union-attr]
    return seconds, sum(v in texts for v in values), boxes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--pages", type=int, default=300, help="pages of the long text PDF")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-xray-long", action="store_true", help="skip x-ray on the long text PDF")
    args = parser.parse_args()
    have_xray = xray is not None
    print(f"x-ray: {'installed' if have_xray else 'not installed (uv run --group bench ...)'}; "
          f"{args.people} people per file; CPU seconds\n")
    print(f"{'vector':18} {'hides in':17} {'Veil found':>11} {'x-ray found':>12} {'Veil s':>7} {'x-ray s':>8}"
          f"  verdict")
    with tempfile.TemporaryDirectory() as tmp:
        for vector, (_, visibility, field) in VECTORS.items():
            blob, crowd = make_pdf(vector, args.people, seed=0)
            path = Path(tmp) / f"{vector}.pdf"
            path.write_bytes(blob)
            values = [p.dob if field == "dob" else p.name for p in crowd]
            seconds, units = cpu(lambda b=blob, v=vector: veil_units(b, f"{v}.pdf"), args.repeat)
            found = veil_found(units, values, visibility)  # type: ignore[arg-type]
            verdict = check_bytes(blob, f"{vector}.pdf").verdict.value
            xs, xfound = ("-", "-")
            if have_xray:
                x_seconds, x_hits, _ = xray_found(path, values)
                xs, xfound = f"{x_seconds:.2f}", f"{'yes' if x_hits else 'no'} {x_hits:>3}"
            ok = "yes" if found == len(values) else "no"
            print(f"{vector:18} {visibility:17} {ok:>3} {found:>3}/{len(values):<3}"
                  f" {xfound:>12} {seconds:>7.3f} {xs:>8}  {verdict}")
        print("\nproperly redacted controls (false findings: units under redaction / boxes reported)")
        for control in CONTROLS:
            blob, _ = make_pdf(control, args.people, seed=0)
            path = Path(tmp) / f"{control}.pdf"
            path.write_bytes(blob)
            units = veil_units(blob, f"{control}.pdf")
            false_veil = sum(1 for u in units if isinstance(u, Text) and u.visibility is Visibility.UNDER_REDACTION)
            xf = str(xray_found(path, [])[2]) if have_xray else "-"
            print(f"{control:20} Veil {false_veil}   x-ray {xf}")
        print("\ntimings")
        blob, crowd = make_pdf("box_re", args.people, seed=0)
        path = Path(tmp) / "box_re.pdf"
        path.write_bytes(blob)
        reader_s, _ = cpu(lambda: veil_units(blob, "box_re.pdf"), args.repeat)
        check_s, _ = cpu(lambda: check_bytes(blob, "box_re.pdf"), args.repeat)
        line = f"{args.people}-box file: Veil reader {reader_s:.3f} s, Veil full check {check_s:.3f} s"
        if have_xray:
            x_s, _ = cpu(lambda: asyncio.run(xray.inspect(path)))
            line += f", x-ray {x_s:.2f} s -> {x_s / check_s:.0f}x (full check), {x_s / reader_s:.0f}x (reader)"
        print(line)
        long = text_pdf(args.pages)
        path = Path(tmp) / "long.pdf"
        path.write_bytes(long)
        reader_s, _ = cpu(lambda: veil_units(long, "long.pdf"), 1)
        check_s, _ = cpu(lambda: check_bytes(long, "long.pdf"), 1)
        line = f"{args.pages}-page text PDF: Veil reader {reader_s:.2f} s, Veil full check {check_s:.2f} s"
        if have_xray and not args.no_xray_long:
            x_s, _ = cpu(lambda: asyncio.run(xray.inspect(path)))
            line += f", x-ray {x_s:.2f} s"
        print(line)


if __name__ == "__main__":
    main()
