"""Synthetic sample files for trying Veil: every person in them is made up (Faker, seeded)."""

from __future__ import annotations

import csv
import random
from pathlib import Path

from faker import Faker

_NATIONALITIES = ("Mexico", "Guatemala", "Honduras", "El Salvador", "Haiti", "Venezuela", "Russia", "China",
                  "Iran", "India")
_FACILITIES = ("ADELANTO ICE PROCESSING CENTER", "STEWART DETENTION CENTER", "OTERO COUNTY PROCESSING CENTER",
               "KROME NORTH SERVICE PROCESSING CENTER", "SOUTH TEXAS ICE PROCESSING CENTER")


def roster_rows(n: int, seed: int = 2022) -> list[list[object]]:
    """A detainee roster like the 2022 file: name, date of birth, nationality, facility, A-number."""
    fake = Faker(["es_MX", "en_US", "fr_FR"])
    fake.seed_instance(seed)
    rnd = random.Random(seed)
    rows: list[list[object]] = [["Name", "Date of Birth", "Nationality", "Facility", "A-Number", "Case Type"]]
    for _ in range(n):
        rows.append([
            f"{fake.last_name().upper()}, {fake.first_name().upper()}",
            fake.date_of_birth(minimum_age=18, maximum_age=75),
            rnd.choice(_NATIONALITIES),
            rnd.choice(_FACILITIES),
            f"A{rnd.randint(10**8, 10**9 - 1)}",
            rnd.choice(("Credible Fear", "Reasonable Fear", "Asylum", "Withholding")),
        ])
    return rows


def statistics_rows(seed: int = 7) -> list[list[object]]:
    """An aggregate table: detained population by nationality and fiscal year, all counts well above 10."""
    rnd = random.Random(seed)
    rows: list[list[object]] = [["Country of Citizenship", "FY2021", "FY2022", "FY2023"]]
    for country in _NATIONALITIES:
        rows.append([country, *(rnd.randint(150, 40000) for _ in range(3))])
    rows.append(["Total", *(sum(int(r[i]) for r in rows[1:]) for i in (1, 2, 3))])  # type: ignore[call-overload]
    return rows


def write_samples(directory: Path, people: int = 200) -> list[Path]:
    """Write the sample set and return the paths written."""
    from openpyxl import Workbook

    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []

    stats = statistics_rows()
    path = directory / "detention-statistics.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(stats)
    written.append(path)

    # The 2022 failure: a statistics workbook whose hidden sheet carries the roster.
    wb = Workbook()
    ws = wb.active
    ws.title = "Detention Statistics"
    for row in stats:
        ws.append(row)
    hidden = wb.create_sheet("Sheet2")
    for row in roster_rows(people):
        hidden.append(row)
    hidden.sheet_state = "veryHidden"
    path = directory / "detention-statistics-with-hidden-roster.xlsx"
    wb.save(path)
    written.append(path)

    path = directory / "roster.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        csv.writer(fh).writerows(roster_rows(people, seed=7))
    written.append(path)

    rnd = random.Random(11)
    path = directory / "segregation-by-facility.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["Facility", "Placement Count"])
        for facility in _FACILITIES:
            writer.writerow([facility, rnd.choice((3, 7, 25, 64))])
    written.append(path)

    path = directory / "press-release.txt"
    path.write_text(
        "FOR IMMEDIATE RELEASE\n\nThe agency published its fiscal year 2023 detention statistics today. "
        "Asylum statistics are published quarterly. Questions may be sent to the Office of Public Affairs.\n",
        encoding="utf-8",
    )
    written.append(path)
    return written
