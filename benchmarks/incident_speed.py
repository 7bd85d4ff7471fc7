"""Incident response's two bulk steps beside their baselines, measured in the same run: importing a roster (rows
checked column by column and inserted with the driver's executemany, against the same rows through the ORM's bulk
insert) and laying out letters (fonts cut down to the letter's characters and worker processes, against whole
fonts in one process).

    uv run python benchmarks/incident_speed.py                      # 200,000 roster people, 300 letters
    uv run python benchmarks/incident_speed.py --roster-size 1000000 --letters 600

Times are CPU seconds of this process and its workers (the machine is shared; wall time is printed too).
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

LANGUAGES = ("es", "es", "es", "ht", "fr", "pt", "ru", "uk", "zh", "hi", "ar", "en")


def _cpu() -> float:
    return time.process_time() + resource.getrusage(resource.RUSAGE_CHILDREN).ru_utime


def _roster(folder: Path, size: int) -> Path:
    from support.scenario_2022 import make_scenario

    return make_scenario(folder, roster_size=size, exposed_rows=200, decoys=10, noise_lines=100).roster


def _import(roster: Path, baseline: bool) -> tuple[float, float]:
    from sqlalchemy import insert

    from veil.incident import roster as ro
    from veil.store.engine import open_database
    from veil.store.models_incident import IrRosterPerson

    def orm_insert(session: Any, roster_id: int, rows: Any, chunk: int = 5000) -> None:
        import json

        groups = ro._groups_json(rows["groups"]).to_list()
        dicts = [{**r, "roster_id": roster_id, "groups": json.loads(groups[i])} for i, r in enumerate(rows.to_dicts())]
        for start in range(0, len(dicts), chunk):
            session.execute(insert(IrRosterPerson), dicts[start : start + chunk])

    fast = ro._bulk_insert
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(None, Path(tmp))
        ro._bulk_insert = orm_insert if baseline else fast  # type: ignore[assignment]
        try:
            wall, cpu = time.perf_counter(), _cpu()
            with db.write() as s:
                ro.import_roster(s, roster, {"id": "Person ID"}, "bench")
            return time.perf_counter() - wall, _cpu() - cpu
        finally:
            ro._bulk_insert = fast
            db.dispose()


def _texts(n: int) -> list[tuple[str, str, str]]:
    from veil.incident.letters import render_text

    when = datetime(2022, 11, 3, 14, 5, tzinfo=UTC)
    jobs = []
    for i in range(n):
        lang = LANGUAGES[i % len(LANGUAGES)]
        context = {
            "today": when,
            "zone": "UTC",
            "name": f"Maria Person{i}",
            "address_lines": ["North Center"],
            "channel": "hand-delivery",
            "attorney": "",
            "attorney_lines": [],
            "incident_id": 1,
            "notice_id": i,
            "anumber_tail": "123",
            "start": when,
            "end": when,
            "fields": ["dob", "anumber", "facility"],
            "group_exposure": False,
            "group": None,
            "custody": True,
            "hold": True,
            "removed": False,
            "removed_on": None,
        }
        jobs.append((render_text("person", lang, context), f"Notice {i}", lang))
    return jobs


def _letters(jobs: list[tuple[str, str, str]], baseline: bool, workers: int) -> tuple[float, float]:
    from veil.incident import letter_fonts, notifications

    reduced = letter_fonts.reduced
    if baseline:  # whole fonts, as before
        letter_fonts.reduced = lambda path, shaped, chars: letter_fonts.static(path, shaped)  # type: ignore[assignment]
    try:
        list(notifications._layouts(jobs[: len(LANGUAGES)], 1))  # fonts made and registered once, not timed
        wall, cpu = time.perf_counter(), _cpu()
        done = list(notifications._layouts(jobs, workers))
        assert all(pdf for pdf, _ in done), [why for _, why in done if why][:1]
        return time.perf_counter() - wall, _cpu() - cpu
    finally:
        letter_fonts.reduced = reduced


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--roster-size", type=int, default=200_000)
    ap.add_argument("--letters", type=int, default=300)
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        roster = _roster(Path(tmp), args.roster_size)
        print(f"{'step':<52} {'wall s':>8} {'CPU s':>8}")  # noqa: T201
        for label, baseline in (
            ("roster import, baseline (ORM bulk insert)", True),
            ("roster import (columns + executemany)", False),
        ):
            wall, cpu = _import(roster, baseline)
            print(f"{label + f' {args.roster_size:,}':<52} {wall:8.1f} {cpu:8.1f}", flush=True)  # noqa: T201
    jobs = _texts(args.letters)
    for label, baseline, workers in (
        ("letters, baseline (whole fonts, 1 process)", True, 1),
        ("letters (reduced fonts, 1 process)", False, 1),
        (f"letters (reduced fonts, {args.workers} workers)", False, args.workers),
    ):
        wall, cpu = _letters(jobs, baseline, workers)
        print(
            f"{label + f' {len(jobs)}':<52} {wall:8.1f} {cpu:8.1f}   {len(jobs) / cpu:5.1f} letters per CPU s",  # noqa: T201
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
