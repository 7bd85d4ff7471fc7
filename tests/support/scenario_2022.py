"""The 2022 leak as generated, seeded data with its truth: a statistics workbook whose people sheet (after two
statistics sheets) lists the exposed people, the agency's roster, a web access log with downloaders among noise
(HEAD and 304 requests, other pages, 404s before the file went up), and a status file (people removed before the
exposure, after it and before notice, released, in custody review). The file, like the 2022 one, carries each
person's facility at the time: the roster's, but for the few moved since (linkage_synthetic.Facilities). `truth`
holds every figure the oversight report must show. Synthetic people only (support.linkage_synthetic).
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import xlsxwriter

from support.linkage_synthetic import generate
from veil.incident.letters import language_code

PUBLISHED = datetime(2022, 11, 3, 14, 5, tzinfo=UTC)
DISCOVERED = PUBLISHED + timedelta(hours=4, minutes=19)
# The responder's first estimate of when the file went up: an hour late (the access log corrects it).
STATED_START = PUBLISHED + timedelta(hours=1)
FILE_PATH = "/sites/default/files/detention-stats-fy23.xlsx"
URL = f"https://www.agency.example{FILE_PATH}"
LANGUAGES = ("Spanish", "Spanish", "Spanish", "Haitian Creole", "French", "Portuguese", "Russian", "Ukrainian",
             "Mandarin", "Hindi", "Arabic", "English", "Tigrinya")  # Tigrinya: no letter template (waits)


@dataclass
class Scenario:
    workbook: Path
    roster: Path
    access_log: Path
    statuses: Path
    roster_frame: pl.DataFrame
    truth_rows: list[str | None]  # roster Person ID per exposed row (None: not in the roster)
    namesake: tuple[int, str, str]  # (exposed row, its person, the roster namesake with the same name and birth)
    truth: dict[str, object] = field(default_factory=dict)


def _workbook(path: Path, people: pl.DataFrame) -> None:
    book = xlsxwriter.Workbook(str(path))
    summary = book.add_worksheet("Summary")
    summary.write_row(0, 0, ["Detention statistics, fiscal year 2023"])
    summary.write_row(2, 0, ["Facility", "Book-ins", "Average daily population"])
    for i, (name, _) in enumerate(Counter(f for f in people["Facility"] if f).most_common(3), start=3):
        summary.write_row(i, 0, [name, 1200 + 37 * i, 410 + 11 * i])
    by_nat = book.add_worksheet("By nationality")
    by_nat.write_row(0, 0, ["Nationality", "Book-ins"])
    for i, (nat, n) in enumerate(Counter(people["Citizenship"].to_list()).most_common(12), start=1):
        by_nat.write_row(i, 0, [nat or "Unknown", n * 40])
    sheet = book.add_worksheet("Detainees")
    sheet.write_row(0, 0, people.columns)
    for r, row in enumerate(people.iter_rows(), start=1):
        sheet.write_row(r, 0, [v or "" for v in row])
    book.close()


def _log_line(ip: str, at: datetime, method: str, path: str, status: int, size: int, agent: str) -> str:
    stamp = at.strftime("%d/%b/%Y:%H:%M:%S +0000")
    return f'{ip} - - [{stamp}] "{method} {path} HTTP/1.1" {status} {size} "-" "{agent}"\n'


def make_scenario(tmp: Path, roster_size: int = 3000, exposed_rows: int = 600, decoys: int = 12,
                  downloaders: int = 50, seed: int = 2022, noise_lines: int = 4000) -> Scenario:
    rng = random.Random(seed)
    syn = generate(roster_size, exposed_rows, decoys=decoys, seed=seed, facility=True)
    roster, exposed, truth_rows = syn.roster, syn.exposed, list(syn.truth)
    # A namesake: a second roster person with the same name and birth date as someone in the file, whose row
    # there has no A-number, held in the same facility. Only a clerk can tell them apart.
    row = next(i for i, t in enumerate(truth_rows) if t is not None and exposed["A#"][i])
    original = roster.filter(pl.col("Person ID") == truth_rows[row]).row(0, named=True)
    twin_id = f"P{roster_size + 1:07d}"
    roster = pl.concat([roster, pl.DataFrame([{**original, "Person ID": twin_id, "A-Number": "987654321"}])])
    exposed = exposed.with_columns(pl.when(pl.int_range(pl.len()) == row).then(pl.lit(""))
                                   .otherwise(pl.col("A#")).alias("A#"))
    n = roster.height
    ids = roster["Person ID"].to_list()
    roster = roster.with_columns(
        pl.Series("In custody", ["yes" if i % 5 else "no" for i in range(n)]),
        pl.Series("Language", [LANGUAGES[rng.randrange(len(LANGUAGES))] for _ in range(n)]),
        pl.Series("Attorney", [f"Counsel {i % 41} LLP" if i % 4 == 0 else "" for i in range(n)]),
        pl.Series("Attorney address", [f"{i % 41} Court St, Springfield" if i % 4 == 0 else "" for i in range(n)]),
        pl.Series("Address", [f"{100 + i} Main St, Springfield" for i in range(n)]),
    )
    workbook = tmp / "detention-stats-fy23.xlsx"
    _workbook(workbook, exposed)
    roster_path = tmp / "roster.csv"
    roster.write_csv(roster_path)
    size = workbook.stat().st_size

    # --- the access log: noise, the file's downloaders, HEAD and 304 requests that delivered nothing -----------
    lines: list[tuple[datetime, str]] = []
    agents = ("Mozilla/5.0 (Windows NT 10.0)", "curl/8.4.0", "python-requests/2.31")
    for k in range(noise_lines):
        at = PUBLISHED - timedelta(hours=6) + timedelta(seconds=rng.randrange(0, 11 * 3600))
        lines.append((at, _log_line(f"10.{k % 200}.{k % 7}.{k % 250}", at, "GET", f"/page/{k % 90}", 200, 5120,
                                    agents[k % 3])))
    for k in range(5):  # the path before the file went up
        at = PUBLISHED - timedelta(minutes=30 - k)
        lines.append((at, _log_line(f"192.0.2.{k + 1}", at, "GET", FILE_PATH, 404, 0, agents[0])))
    downloader_ips = [f"198.51.100.{k + 1}" for k in range(downloaders)]
    for k, ip in enumerate(downloader_ips):
        at = PUBLISHED + timedelta(minutes=3 + k * 5)  # the first one 3 minutes after the file went up
        lines.append((at, _log_line(ip, at, "GET", FILE_PATH, 200, size, agents[k % 3])))
        if k % 10 == 0:  # a second visit that got nothing new
            lines.append((at + timedelta(minutes=2), _log_line(ip, at + timedelta(minutes=2), "GET", FILE_PATH,
                                                              304, 0, agents[k % 3])))
    for k in range(2):  # asked whether it is there, never downloaded it
        at = PUBLISHED + timedelta(hours=1, minutes=k)
        lines.append((at, _log_line(f"203.0.113.{k + 1}", at, "HEAD", FILE_PATH, 200, 0, agents[1])))
    at = PUBLISHED + timedelta(hours=2)
    lines.append((at, _log_line("203.0.113.9", at, "GET", FILE_PATH, 304, 0, agents[0])))  # a cached copy only
    lines.sort()
    log = tmp / "access.log"
    log.write_text("".join(text for _, text in lines))

    # --- statuses ----------------------------------------------------------------------------------------------
    in_file = sorted({t for t in truth_rows if t is not None})
    shuffled = in_file[:]
    rng.shuffle(shuffled)
    before, after, released, review = shuffled[:40], shuffled[40:48], shuffled[48:110], shuffled[110:140]
    status_rows = ["roster_id,status,at"]
    status_rows += [f"{p},removed,{(PUBLISHED - timedelta(days=20 + i)).isoformat()}" for i, p in enumerate(before)]
    status_rows += [f"{p},removed,{(DISCOVERED + timedelta(days=3 + i)).isoformat()}" for i, p in enumerate(after)]
    status_rows += [f"{p},released,{(DISCOVERED + timedelta(days=1)).isoformat()}" for p in released]
    status_rows += [f"{p},custody-review,{(DISCOVERED + timedelta(days=2)).isoformat()}" for p in review]
    outsider = next(p for p in ids if p not in set(truth_rows))
    status_rows.append(f"{outsider},released,{DISCOVERED.isoformat()}")  # someone not affected by this incident
    statuses = tmp / "statuses.csv"
    statuses.write_text("\n".join(status_rows) + "\n")

    # --- the truth the oversight report must show ----------------------------------------------------------------
    people = {r["Person ID"]: r for r in roster.iter_rows(named=True)}
    final = {p: "released" if people[p]["In custody"] == "no" else "in-custody" for p in in_file}
    final.update({p: "removed-before-exposure" for p in before})
    final.update({p: "removed-after-exposure-before-notice" for p in after})
    final.update({p: "released" for p in released})
    final.update({p: "custody-review" for p in review})
    language = {p: language_code(people[p]["Language"]) for p in in_file}
    waiting = {p for p in in_file if language[p] == "tigrinya"}
    truth: dict[str, object] = {
        "exposed_rows": exposed_rows,
        "identified": len(in_file),
        "unidentified": sum(1 for t in truth_rows if t is None),
        "held": len(in_file),
        "notified_persons": len(in_file) - len(waiting),
        "notified_attorneys": sum(1 for p in in_file if people[p]["Attorney"]),
        "downloaders": downloaders,
        "removed_before_exposure": len(before),
        "removed_after_exposure_before_notice": len(after),
        "released": sum(1 for v in final.values() if v == "released"),
        "custody_review": len(review),
        "by_nationality": dict(Counter(people[p]["Nationality"] for p in in_file)),
        "by_language": dict(Counter(language.values())),
        "waiting_persons": len(waiting),
    }
    return Scenario(workbook, roster_path, log, statuses, roster, truth_rows, (row + 1, truth_rows[row] or "",
                                                                              twin_id), truth)
