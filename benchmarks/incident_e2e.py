"""The 2022 response replayed at scale, step by step as `veil incident` runs it: 6,252 exposed rows in a statistics
workbook (third sheet), a roster of 200,000 or 1,000,000 people, a 240,000-line access log with 50 downloaders,
a status file, letters for everyone, and the reports. Prints each step's time, the linkage's peak memory, and the
oversight report's figures next to the generator's truth.

    uv run python benchmarks/incident_e2e.py                       # 200,000 roster people
    uv run python benchmarks/incident_e2e.py --roster-size 1000000
    uv run python benchmarks/incident_e2e.py --roster-size 20000 --exposed 1000   # quicker
    uv run python benchmarks/incident_e2e.py --roster-size 3000 --exposed 600 --write-data replay/
                                          # only write the replay's files (and truth.json) for the CLI walkthrough

The data are generated in a child process (not timed, not in the memory figure). SQLite in a temp folder. The
clerk's review is settled from the truth, as in tests/incident/test_replay_2022.py. Exit 1 when a figure differs
from the truth or linkage takes over 90 s or 4 GB at 1,000,000 people.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

LINK_SECONDS, LINK_GB = 90.0, 4.0
REQUIRED = (
    "exposed_rows",
    "identified",
    "unidentified",
    "held",
    "notified_persons",
    "notified_attorneys",
    "downloaders",
    "removed_before_exposure",
    "removed_after_exposure_before_notice",
    "released",
    "custody_review",
)


def _generate(folder: str, roster_size: int, exposed: int, decoys: int) -> None:
    from support.scenario_2022 import make_scenario

    sc = make_scenario(Path(folder), roster_size, exposed, decoys, noise_lines=240_000)
    Path(folder, "truth.json").write_text(json.dumps({"truth": sc.truth, "rows": sc.truth_rows}))


def _rss_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--roster-size", type=int, default=200_000)
    ap.add_argument("--exposed", type=int, default=6_252)
    ap.add_argument("--decoys", type=int, default=100)
    ap.add_argument("--link-only", action="store_true", help="stop after the linkage (its time and memory)")
    ap.add_argument(
        "--write-data",
        type=Path,
        metavar="DIR",
        help="write the replay's files (workbook, roster, access log, statuses, truth.json) to DIR "
        "and stop: the data of the CLI walkthrough in docs/incident.md",
    )
    args = ap.parse_args()
    if args.write_data:
        args.write_data.mkdir(parents=True, exist_ok=True)
        _generate(str(args.write_data), args.roster_size, args.exposed, args.decoys)
        for path in sorted(args.write_data.iterdir()):
            print(path)  # noqa: T201
        return 0
    from sqlalchemy import select

    from support.scenario_2022 import PUBLISHED, STATED_START, URL
    from veil.incident import affected as aff
    from veil.incident import reports, response
    from veil.incident.incidents import exposed_files, get_incident
    from veil.incident.roster import import_roster
    from veil.store.engine import open_database
    from veil.store.models_incident import IrRosterPerson

    failures: list[str] = []
    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        clock = time.perf_counter()
        child = multiprocessing.get_context("spawn").Process(
            target=_generate, args=(tmpdir, args.roster_size, args.exposed, args.decoys)
        )
        child.start()
        child.join()
        if child.exitcode != 0:
            print("generation failed")  # noqa: T201
            return 1
        data = json.loads((tmp / "truth.json").read_text())
        truth, truth_rows = data["truth"], data["rows"]
        print(f"{'generate (not counted)':<34} {time.perf_counter() - clock:8.1f} s", flush=True)  # noqa: T201
        times: dict[str, float] = {}
        db = open_database(None, tmp / "veil")

        def step(name: str, work: Any) -> Any:
            start = time.perf_counter()
            with db.write() as s:
                result = work(s)
            times[name] = time.perf_counter() - start
            print(f"{name:<34} {times[name]:8.1f} s", flush=True)  # noqa: T201
            return result

        inc_id = step(
            "open (check the workbook)",
            lambda s: (
                response.open_from_file(
                    s,
                    tmp / "detention-stats-fy23.xlsx",
                    actor="bench",
                    title="bench",
                    url=URL,
                    exposed_from=STATED_START,
                    exposed_to=PUBLISHED + timedelta(hours=4, minutes=19),
                )[0].id
            ),
        )
        roster_id = step(
            f"import roster ({args.roster_size:,})",
            lambda s: import_roster(s, tmp / "roster.csv", {"id": "Person ID"}, "bench").id,
        )
        rss_before = _rss_gb()
        summary = step(
            "link",
            lambda s: aff.link_exposed_file(
                s,
                get_incident(s, inc_id),
                exposed_files(s, inc_id)[0],
                tmp / "detention-stats-fy23.xlsx",
                roster_id,
                "bench",
                sheet="Detainees",
            ),
        )
        link_gb = _rss_gb()
        print(
            f"  accepted {summary.accepted:,}, review {summary.review:,}, none {summary.none:,}; peak RSS "  # noqa: T201
            f"{link_gb:.2f} GB (before linkage {rss_before:.2f} GB)"
        )
        if args.link_only:
            db.dispose()
            slow = args.roster_size >= 1_000_000 and (times["link"] > LINK_SECONDS or link_gb > LINK_GB)
            return 1 if slow else 0

        def settle(s: Any) -> None:
            ref = {pid: r for pid, r in s.execute(select(IrRosterPerson.id, IrRosterPerson.ref))}
            for state in ("pending", "none"):
                for item in aff.review_queue(s, inc_id, state):
                    want = truth_rows[item.exposed_row - 1]
                    offered = {ref[c["person_id"]]: c["person_id"] for c in item.candidates}
                    if want in offered:
                        aff.settle_row(s, item, "clerk", offered[want])
                    elif want is not None:
                        aff.settle_row(s, item, "clerk", aff.roster_person(s, want).id, add=True)
                    elif state == "pending":
                        aff.reject_row(s, item, "clerk")

        step("review (from the truth)", settle)
        step(
            "access log (240,000 lines)",
            lambda s: response.import_logs(s, get_incident(s, inc_id), [tmp / "access.log"], "bench"),
        )
        step(
            "statuses", lambda s: response.import_status_file(s, get_incident(s, inc_id), tmp / "statuses.csv", "bench")
        )
        (tmp / "letters").mkdir()
        workers = min(4, os.cpu_count() or 1)  # as veil incident notify
        notified = step(
            f"notices (letters as PDF, {workers} workers)",
            lambda s: response.notify(s, get_incident(s, inc_id), tmp / "letters", "bench", workers=workers),
        )
        print(f"  {notified['letters']:,} letters; waiting {notified['waiting']}")  # noqa: T201

        def all_reports(s: Any) -> dict[str, Any]:
            incident = get_incident(s, inc_id)
            for kind, fmt in (("oversight", "pdf"), ("oversight", "xlsx"), ("centre", "pdf"), ("public", "pdf")):
                reports.export(s, incident, kind, fmt)
            return json.loads(reports.export(s, incident, "oversight", "json"))

        figures = step("reports (5)", all_reports)
        db.dispose()
    print(f"{'figure':<40} {'report':>10} {'truth':>10}")  # noqa: T201
    for key in REQUIRED:
        mark = "" if figures[key] == truth[key] else "  <-- differs"
        print(f"{key:<40} {figures[key]:>10,} {truth[key]:>10,}{mark}")  # noqa: T201
        if mark:
            failures.append(key)
    for key in ("by_nationality", "by_language"):
        if figures[key] != truth[key]:
            failures.append(key)
            print(f"{key}: differs from the truth")  # noqa: T201
    if args.roster_size >= 1_000_000 and (times["link"] > LINK_SECONDS or link_gb > LINK_GB):
        failures.append(f"linkage at {args.roster_size:,}: {times['link']:.0f} s, {link_gb:.2f} GB")
    total = sum(times.values())
    print(f"total {total:.1f} s; {'all figures match the truth' if not failures else 'FAILED: ' + ', '.join(failures)}")  # noqa: T201
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
