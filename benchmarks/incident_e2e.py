"""Incident response end to end at the issue's scale: 6,252 exposed people linked to a 200,000-person roster.

    uv run python benchmarks/incident_e2e.py                          # 200,000 roster, 6,252 exposed (100 decoys)
    uv run python benchmarks/incident_e2e.py --roster-size 20000 --exposed 1000   # quicker

Steps (each timed): roster import, incident and exposed file, linkage (accepted / review / none) with holds placed
at once, the review queue resolved from the ground truth (as a clerk would), group exposure (a 103-person flight of
whom 46 were in the file), a removal manifest of 50 held and 50 free people checked, the notification worklist,
100 letters rendered to PDF, every person notice marked delivered, the 30-day clocks checked, and the figures
compared with the ground truth. SQLite in a temp folder. Prints one line per step and a summary; exits 1 if any
check against the ground truth fails.
"""

from __future__ import annotations

import argparse
import csv
import resource
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from support.respond import DISCOVERED, EXPOSURE_START, ROSTER_MAPPING, make_case  # noqa: E402
from veil.incident import affected as aff  # noqa: E402
from veil.incident import holds, incidents, notifications, reports  # noqa: E402
from veil.incident.roster import import_roster  # noqa: E402
from veil.store.engine import Database  # noqa: E402
from veil.store.models_incident import IrExposedFile, IrHold, IrRosterPerson  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--roster-size", type=int, default=200_000)
    ap.add_argument("--exposed", type=int, default=6_252)
    ap.add_argument("--decoys", type=int, default=100)
    args = ap.parse_args()
    failures: list[str] = []
    clock = time.perf_counter()
    timings: list[tuple[str, float]] = []

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings.append((name, now - clock))
        print(f"{name:<38} {now - clock:7.1f} s", flush=True)  # noqa: T201
        clock = now

    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        case = make_case(tmp, args.roster_size, args.exposed, args.decoys)
        step("generate (not counted)")
        db = Database(f"sqlite:///{tmp / 'veil.db'}")
        db.upgrade()
        with db.write() as s:
            roster = import_roster(s, case.roster_path, ROSTER_MAPPING, "bench")
            roster_id = roster.id
        step(f"import roster ({args.roster_size:,})")
        with db.write() as s:
            inc = incidents.open_incident(s, "bench", title="bench", discovered=DISCOVERED)
            exposed = incidents.add_exposed_file(s, inc, "bench", name=case.exposed_path.name, sha256=case.sha256,
                                                 size=1, location="/data/x.csv", exposure_start=EXPOSURE_START,
                                                 exposure_end=DISCOVERED)
            inc_id, exposed_id = inc.id, exposed.id
            incidents.record_centre_report(s, inc, "bench", at=DISCOVERED + timedelta(minutes=40))
        with db.write() as s:
            summary = aff.link_exposed_file(s, incidents.get_incident(s, inc_id), s.get(IrExposedFile, exposed_id),
                                            case.exposed_path, roster_id, "bench")
        step(f"link {args.exposed:,} + hold")
        print(f"  accepted {summary.accepted:,}, review {summary.review:,}, none {summary.none:,}")  # noqa: T201
        with db.read() as s:
            ref_of = {i: r for i, r in s.execute(select(IrRosterPerson.id, IrRosterPerson.ref))}
            wrong = sum(case.truth[a.exposed_row - 1] != ref_of[a.person_id]
                        for a, _ in aff.affected_people(s, inc_id) if a.exposed_row)
            queue = aff.review_queue(s, inc_id)
            missed = sum(case.truth[i.exposed_row - 1] is not None for i in aff.review_queue(s, inc_id, "none"))
        print(f"  wrong accepted {wrong}, exposed people left as non-matches {missed}")  # noqa: T201
        if wrong or missed:
            failures.append(f"linkage: {wrong} wrong accepted, {missed} missed")
        with db.write() as s:
            for item in queue:
                truth = case.truth[item.exposed_row - 1]
                pick = next((c["person_id"] for c in item.candidates if ref_of[c["person_id"]] == truth), None)
                aff.resolve_review(s, item.id, "clerk", pick)  # type: ignore[arg-type]
            aff.add_group_exposure(s, incidents.get_incident(s, inc_id), roster_id, case.flight, "bench")
        step("review queue + group exposure")
        truth_affected = {t for t in case.truth if t is not None} | set(case.flight_members)
        with db.read() as s:
            got = {p.ref for _, p in aff.affected_people(s, inc_id)}
            held = len(list(s.scalars(select(IrHold.id).where(IrHold.lifted.is_(None)))))
        if got != truth_affected or held != len(truth_affected):
            failures.append(f"affected {len(got):,} / held {held:,}, truth {len(truth_affected):,}")
        rows = {r["Person ID"]: r for r in case.roster.iter_rows(named=True)}
        held_refs, free_refs = sorted(truth_affected)[:50], sorted(set(rows) - truth_affected)[:50]
        manifest = tmp / "manifest.csv"
        with manifest.open("w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["Name", "Date of birth", "A-Number", "Nationality"])
            for i, ref in enumerate(held_refs + free_refs):
                r = rows[ref]
                w.writerow([f"{r['Surname']}, {r['Given names']}", r["Date of birth"],
                            r["A-Number"] if i % 2 else "", r["Nationality"]])
        with db.write() as s:
            check = holds.check_manifest(s, manifest)
        step("manifest check (100 rows)")
        if sorted(h.row for h in check.held) != list(range(2, 52)):
            failures.append(f"manifest: {len(check.held)} held rows found, 50 expected")
        with db.write() as s:
            inc = incidents.get_incident(s, inc_id)
            notifications.build_worklist(s, inc, "bench")
            work = notifications.worklist(s, inc_id)
            notifications.generate_letters(s, inc, tmp, "bench", notification_ids=[w.notification_id
                                                                                   for w in work[:100]])
        step("worklist + 100 letters")
        with db.write() as s:
            for k, w in enumerate(work[:100]):
                when = DISCOVERED + timedelta(days=3, minutes=k)
                notifications.mark_delivered(s, w.notification_id, "bench", proof=f"r{k}", at=when)
        with db.read() as s:
            bad_clocks = sum(1 for w in notifications.worklist(s, inc_id, status="delivered")
                             if w.recipient == "person" and w.hold_until != w.delivered + timedelta(days=30))
            fig = reports.figures(s, incidents.get_incident(s, inc_id))
        step("deliveries + figures")
        if bad_clocks:
            failures.append(f"{bad_clocks} wrong 30-day clocks")
        if dict(fig.breakdowns["nationality"]) != dict(Counter(rows[r]["Nationality"] for r in truth_affected)):
            failures.append("figures by nationality differ from the ground truth")
        db.dispose()
    total = sum(t for n, t in timings if not n.startswith("generate"))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"total {total:.1f} s (generation excluded), peak RSS {rss:,.0f} MB, "  # noqa: T201
          f"{len(truth_affected):,} affected, checks {'passed' if not failures else 'FAILED: ' + '; '.join(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
