"""Score `veil check` on a labelled set of the file classes of issue 12, built here from seeds (a dev set, apart from
the test fixtures the detectors are fixed against, and apart from the lead's held-out set).

    uv run python benchmarks/check_classes.py [--out DIR] [--seed 12] [-v]

Each file has a label: `pass` (must pass), `not-pass` (review, block or unverifiable) or `block`, and for some the
number of distinct people the file discloses (`persons`). Every finding string (message, evidence, location,
samples) is also searched for the raw values the file was built from: any raw value there is a leak of Veil's own.
It prints one row per class (files right, persons right) and, with -v, every file that is wrong."""

from __future__ import annotations

import argparse
import csv
import io
import random
import re
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from faker import Faker
from openpyxl import Workbook
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen.canvas import Canvas

from veil.pipeline import check_path
from veil.policy import load_policy


@dataclass
class Case:
    cls: str
    name: str
    expect: str  # pass | review | not-pass | block
    persons: int | None = None
    raw: list[str] = field(default_factory=list)  # raw values that must never appear in a finding string


Builder = Callable[[Path, random.Random, Faker], list[Case]]
BUILDERS: list[Builder] = []


def builder(fn: Builder) -> Builder:
    BUILDERS.append(fn)
    return fn


def _csv(path: Path, rows: list[list[object]]) -> None:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def _html_table(rows: list[list[object]], caption: str = "") -> str:
    head = "".join(f"<th>{c}</th>" for c in rows[0])
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows[1:])
    cap = f"<caption>{caption}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _html(path: Path, body: str, title: str = "Page") -> None:
    path.write_text(f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
                    f"<body>{body}</body></html>", encoding="utf-8")


def _pdf(path: Path, lines: list[str], title: str = "") -> None:
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=letter, invariant=1)
    y = 740.0
    if title:
        canvas.setFont("Helvetica-Bold", 11)
        canvas.drawString(40, y, title)
        y -= 24
    canvas.setFont("Helvetica", 8)
    for line in lines:
        if y < 50:
            canvas.showPage()
            canvas.setFont("Helvetica", 8)
            y = 740.0
        x = 40.0
        for part in line.split("\t"):
            canvas.drawString(x, y, part)
            x += 135 if len(line.split("\t")) <= 4 else 100
        y -= 12
    canvas.save()
    path.write_bytes(buf.getvalue())


def _people(fake: Faker, n: int) -> list[tuple[str, str]]:
    out = set()
    while len(out) < n:
        out.add((fake.first_name(), fake.last_name()))
    return sorted(out)


# ---------------------------------------------------------------- officials (must pass) and rosters that look alike
_JOB_TITLES = ["Press Secretary", "Deputy Director", "Director of Communications", "Public Affairs Specialist",
               "Chief of Staff", "Senior Policy Advisor", "Program Analyst", "Assistant Secretary for Policy",
               "General Counsel", "Field Office Director", "Special Assistant", "Management Analyst",
               "Deputy Assistant to the President", "Executive Assistant", "Budget Officer", "Press Assistant"]


@builder
def officials(d: Path, rnd: random.Random, fake: Faker) -> list[Case]:
    out = []
    people = _people(fake, 120)
    contacts = [["Official", "Title", "Phone"]] + [
        [f"{f} {s}", rnd.choice(_JOB_TITLES), f"(202) 555-{rnd.randint(1000, 9999)}"] for f, s in people[:4]]
    _csv(d / "media-contacts.csv", contacts)
    out.append(Case("officials", "media-contacts.csv", "pass", 0))
    prose = ("<p>FOR IMMEDIATE RELEASE</p><p>WASHINGTON — The Department today announced new guidance on asylum "
             "processing at ports of entry. The guidance takes effect next month.</p><h3>Media contacts</h3>")
    _html(d / "press-release.html", prose + _html_table(contacts), "News release")
    out.append(Case("officials", "press-release.html", "pass", 0))
    staff = [["Name", "Title", "Phone", "Email"]] + [
        [f"{f} {s}", rnd.choice(_JOB_TITLES), f"202-555-{rnd.randint(1000, 9999)}",
         f"{f.lower()}.{s.lower()}@hq.dhs.gov"] for f, s in people[4:24]]
    _html(d / "staff-directory.html", "<h1>Office staff</h1>" + _html_table(staff), "Staff")
    out.append(Case("officials", "staff-directory.html", "pass", 0))
    _csv(d / "name-title.csv", [["Name", "Title"]] + [[f"{s}, {f}", rnd.choice(_JOB_TITLES)] for f, s in people[24:40]])
    out.append(Case("officials", "name-title.csv", "pass", 0))
    states = ["CA", "TX", "NY", "FL", "WA", "OH", "GA", "MN", "AZ", "NV"]
    legis = [["last_name", "first_name", "full_name", "birthday", "gender", "type", "state", "district", "party",
              "phone"]]
    for f, s in people[40:100]:
        kind = rnd.choice(["rep", "sen"])
        legis.append([s, f, f"{f} {s}", fake.date_of_birth(minimum_age=35, maximum_age=85).isoformat(),
                      rnd.choice("MF"), kind, rnd.choice(states), "" if kind == "sen" else str(rnd.randint(1, 30)),
                      rnd.choice(["Democrat", "Republican", "Independent"]), f"202-225-{rnd.randint(1000, 9999)}"])
    _csv(d / "legislators.csv", legis)
    out.append(Case("officials", "legislators.csv", "review", 0))  # birthdays are not part of the role
    salary = [["NAME", "STATUS", "SALARY", "PAY BASIS", "POSITION TITLE"]]
    for f, s in people[:100]:
        salary.append([f"{s.upper()}, {f.upper()}", rnd.choice(["Employee", "Detailee"]),
                       f"${rnd.randint(45, 180) * 1000:,}.00", "Per Annum", rnd.choice(_JOB_TITLES).upper()])
    _csv(d / "salary-report.csv", salary)
    out.append(Case("officials", "salary-report.csv", "pass", 0))
    _pdf(d / "salary-report.pdf", ["\t".join(r) for r in salary], "Annual Report to Congress on White House Staff")
    out.append(Case("officials", "salary-report.pdf", "pass", 0))
    wb = Workbook()
    ws = wb.active
    ws.title = "Board"
    ws.append(["Member", "Position", "Organisation", "E-mail"])
    for f, s in people[100:112]:
        ws.append([f"{f} {s}", rnd.choice(["Chair", "Vice Chair", "Member", "Secretary", "Treasurer"]),
                   "Regional Advisory Board", f"{f[0].lower()}{s.lower()}@county.gov"])
    wb.save(d / "board.xlsx")
    out.append(Case("officials", "board.xlsx", "pass", 0))
    # Look-alikes that are rosters.
    rows = [["Title", "Name", "Date of Birth", "Nationality", "Facility"]]
    for f, s in people[:25]:
        rows.append([rnd.choice(["Mr", "Ms", "Mrs"]), f"{f} {s}",
                     fake.date_of_birth(minimum_age=18, maximum_age=70).isoformat(),
                     rnd.choice(["Guatemala", "Honduras", "Mexico"]), "Stewart Detention Center"])
    _csv(d / "roster-with-title.csv", rows)
    out.append(Case("officials", "roster-with-title.csv", "block", 25, [r[1] for r in rows[1:]]))
    rows = [["Name", "Title", "Birth Date", "Status"]]
    for f, s in people[25:45]:
        rows.append([f"{f} {s}", rnd.choice(_JOB_TITLES), fake.date_of_birth(minimum_age=18).isoformat(),
                     rnd.choice(["Asylum pending", "Credible fear positive"])])
    _csv(d / "staff-with-dob-status.csv", rows)
    out.append(Case("officials", "staff-with-dob-status.csv", "block", 20, [r[0] for r in rows[1:]]))
    rows = [["Staff Name", "Position", "A-Number", "Phone"]]
    for f, s in people[45:60]:
        rows.append([f"{f} {s}", rnd.choice(_JOB_TITLES), f"A{rnd.randint(10**8, 10**9 - 1)}",
                     f"202-555-{rnd.randint(1000, 9999)}"])
    _csv(d / "staff-with-anumber.csv", rows)
    out.append(Case("officials", "staff-with-anumber.csv", "block", 15, [r[2] for r in rows[1:]]))
    return out


# ---------------------------------------------------------------- other languages' ordinary words (must pass)
_POLICY_PROSE = {
    "it": ("Mentre la Germania discute le nuove regole sull'asilo, l'Italia ha registrato un aumento delle domande. "
           "Secondo la Commissione Europea, nel 2023 le richieste di asilo sono cresciute del 18%. Nel frattempo la "
           "Grecia e Malta chiedono una revisione del regolamento di Dublino. Tuttavia la Francia e la Spagna "
           "restano contrarie. Durante il vertice di Bruxelles, Lussemburgo e Belgio hanno proposto un meccanismo "
           "di solidarietà. Anche la Svezia ha ridotto i tempi delle procedure di protezione internazionale."),
    "es": ("Mientras Alemania endurece su política de asilo, España recibió más solicitudes que nunca. Según el "
           "informe anual, Colombia y Venezuela encabezan la lista de países de origen. Aunque Francia propuso un "
           "nuevo reparto, Italia y Grecia pidieron más fondos. Durante la cumbre, Portugal apoyó la propuesta. "
           "Sin embargo Hungría y Polonia votaron en contra del pacto de migración y asilo."),
    "fr": ("Alors que l'Allemagne durcit sa politique d'asile, la France a enregistré un nombre record de demandes. "
           "Selon le rapport annuel, l'Afghanistan et la Guinée restent les premiers pays d'origine. Pendant que la "
           "Belgique et les Pays-Bas réduisent les délais, l'Italie demande plus de solidarité. Depuis janvier, "
           "la Suisse applique de nouvelles règles. Cependant la Pologne refuse le mécanisme de répartition."),
    "pt": ("Enquanto a Alemanha revê as regras de asilo, Portugal registou um aumento dos pedidos de proteção. "
           "Segundo o relatório anual, Angola e o Brasil são os principais países de origem. Embora a Espanha "
           "apoie o pacto, a Hungria e a Polónia votaram contra. Durante a cimeira, a Itália e a Grécia pediram "
           "mais fundos. Além disso, a Irlanda anunciou novos centros de acolhimento."),
    "de": ("Während Deutschland die Regeln für das Asylverfahren verschärft, meldet Österreich weniger Anträge. "
           "Laut Bundesamt für Migration und Flüchtlinge stellten Menschen aus Syrien und Afghanistan die meisten "
           "Asylanträge. Obwohl Italien und Griechenland mehr Solidarität fordern, lehnen Ungarn und Polen den "
           "Verteilungsmechanismus ab. Nach Angaben der Europäischen Kommission sank die Zahl der Rückführungen. "
           "Trotzdem plant die Schweiz neue Aufnahmezentren für Geflüchtete."),
}
_PERSON_PROSE = {
    "it": "Il signor {n}, nato il 12/03/1984, ha presentato domanda di asilo a Roma.",
    "es": "El señor {n} solicitó asilo en Madrid el año pasado; su expediente sigue pendiente.",
    "fr": "Monsieur {n} a demandé l'asile à Paris en mars; sa demande d'asile est en cours.",
    "pt": "O senhor {n} pediu asilo em Lisboa; o seu pedido de asilo ainda está pendente.",
    "de": "Herr {n} hat im März in Berlin Asyl beantragt; sein Asylantrag wird noch geprüft.",
}


@builder
def languages(d: Path, rnd: random.Random, fake: Faker) -> list[Case]:
    out = []
    for lang, text in _POLICY_PROSE.items():
        (d / f"policy-{lang}.txt").write_text(text + "\n", encoding="utf-8")
        out.append(Case("languages", f"policy-{lang}.txt", "pass", 0))
        _html(d / f"policy-{lang}.html", f"<h1>Asilo</h1><p>{text}</p>", "Report")
        out.append(Case("languages", f"policy-{lang}.html", "pass", 0))
    locales = {"it": "it_IT", "es": "es_ES", "fr": "fr_FR", "pt": "pt_PT", "de": "de_DE"}
    for lang, template in _PERSON_PROSE.items():
        local = Faker(locales[lang])
        local.seed_instance(rnd.randint(0, 10**6))
        name = f"{local.first_name()} {local.last_name()}"
        (d / f"person-{lang}.txt").write_text(_POLICY_PROSE[lang] + "\n\n" + template.format(n=name), encoding="utf-8")
        out.append(Case("languages", f"person-{lang}.txt", "not-pass", None, [name]))
    return out


# ---------------------------------------------------------------- codes are not counts (must pass)
_ISO = [("Afghanistan", "AF", "AFG", "004"), ("Albania", "AL", "ALB", "008"), ("Algeria", "DZ", "DZA", "012"),
        ("Angola", "AO", "AGO", "024"), ("Argentina", "AR", "ARG", "032"), ("Australia", "AU", "AUS", "036"),
        ("Austria", "AT", "AUT", "040"), ("Bahamas", "BS", "BHS", "044"), ("Bahrain", "BH", "BHR", "048"),
        ("Bangladesh", "BD", "BGD", "050"), ("Armenia", "AM", "ARM", "051"), ("Barbados", "BB", "BRB", "052"),
        ("Belgium", "BE", "BEL", "056"), ("Bhutan", "BT", "BTN", "064"), ("Bolivia", "BO", "BOL", "068"),
        ("Brazil", "BR", "BRA", "076"), ("Belize", "BZ", "BLZ", "084"), ("Bulgaria", "BG", "BGR", "100"),
        ("Myanmar", "MM", "MMR", "104"), ("Burundi", "BI", "BDI", "108"), ("Cambodia", "KH", "KHM", "116"),
        ("Cameroon", "CM", "CMR", "120"), ("Canada", "CA", "CAN", "124"), ("Chile", "CL", "CHL", "152")]


@builder
def codes(d: Path, rnd: random.Random, fake: Faker) -> list[Case]:
    out = []
    _csv(d / "iso-codes.csv", [["Country", "Alpha-2 code", "Alpha-3 code", "ISO Numeric"]] + [list(r) for r in _ISO])
    out.append(Case("codes", "iso-codes.csv", "pass", 0))
    _csv(d / "iso-numeric-unpadded.csv", [["Country name", "Numeric code", "Region code", "Sub-region code"]]
         + [[c, str(int(n)), rnd.choice(["2", "9", "19", "142", "150"]), rnd.choice(["5", "14", "17", "35"])]
            for c, _, _, n in _ISO])
    out.append(Case("codes", "iso-numeric-unpadded.csv", "pass", 0))
    calling = [["Country", "Dialling code"], ["United States", "1"], ["Canada", "1"], ["Russia", "7"],
               ["Egypt", "20"], ["South Africa", "27"], ["Greece", "30"], ["Netherlands", "31"], ["Belgium", "32"],
               ["France", "33"], ["Spain", "34"], ["Kazakhstan", "7"]]
    _csv(d / "calling-codes.csv", calling)
    out.append(Case("codes", "calling-codes.csv", "pass", 0))
    states = ["Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware",
              "Florida", "Georgia"]
    _csv(d / "fips.csv", [["State", "FIPS", "Postal"]] + [[s, f"{i * 2 - 1 if i < 3 else i + 2:02d}", s[:2].upper()]
                                                         for i, s in enumerate(states, start=1)])
    out.append(Case("codes", "fips.csv", "pass", 0))
    wb = Workbook()
    ws = wb.active
    ws.title = "Countries"
    ws.append(["Country of citizenship", "Country ID", "Rank", "Region", "Removals FY2023"])
    for i, (c, _, _, _) in enumerate(_ISO[:12], start=1):
        ws.append([c, i, i, rnd.randint(1, 6), rnd.randint(120, 9000)])
    wb.save(d / "country-ids.xlsx")
    out.append(Case("codes", "country-ids.xlsx", "pass", 0))
    _csv(d / "area-codes.csv", [["Area code", "State", "Overlay", "Time zone (UTC offset)"]]
         + [[str(rnd.randint(201, 989)), rnd.choice(states), rnd.choice(["0", "1", "2"]), rnd.choice(["-5", "-6"])]
            for _ in range(15)])
    out.append(Case("codes", "area-codes.csv", "pass", 0))
    small = [["Country of citizenship", "Detained"]] + [[c, str(rnd.randint(1, 8))] for c, _, _, _ in _ISO[:10]]
    _csv(d / "small-counts.csv", small)
    out.append(Case("codes", "small-counts.csv", "not-pass", 0))
    return out


# ---------------------------------------------------------------- private people tied to a matter (must not pass)
_CHARGES = ["8 USC 1326 Reentry of removed alien", "Possession with intent to distribute", "DUI - second offense",
            "Aggravated identity theft", "Bank fraud", "Illegal entry 8 USC 1325", "Assault on a federal officer"]
_LANGS = ["Spanish", "K'iche'", "Mam", "Portuguese", "Haitian Creole", "None", "Arabic"]


@builder
def matters(d: Path, rnd: random.Random, fake: Faker) -> list[Case]:
    out = []
    people = _people(fake, 140)
    judges = [f"Hon. {fake.first_name()} {fake.last_name()}" for _ in range(3)]
    rows = [["Case Number", "Defendant", "Charge", "Interpreter", "Judge", "Time"]]
    for f, s in people[:30]:
        rows.append([f"4:23-cr-{rnd.randint(100, 999):05d}", f"{s.upper()}, {f.upper()}", rnd.choice(_CHARGES),
                     rnd.choice(_LANGS), rnd.choice(judges), f"{rnd.randint(8, 16)}:00"])
    _csv(d / "docket.csv", rows)
    out.append(Case("matters", "docket.csv", "block", 30, [r[1] for r in rows[1:]]))
    cap = [["Case", "Offense", "Interpreter", "Courtroom"]]
    for f, s in people[30:50]:
        cap.append([f"USA v. {f} {s}", rnd.choice(_CHARGES), rnd.choice(_LANGS), f"Courtroom {rnd.randint(1, 9)}"])
    _csv(d / "calendar-captions.csv", cap)
    out.append(Case("matters", "calendar-captions.csv", "block", 20, [r[0][8:] for r in cap[1:]]))
    lines = [f"{s.upper()}, {f.upper()}\t{rnd.choice(_CHARGES)}\tInterpreter: {rnd.choice(_LANGS)}\t"
             f"{rnd.choice(judges)}" for f, s in people[50:75]]
    _pdf(d / "docket.pdf", lines, "CRIMINAL DOCKET - DIVISION 4")
    out.append(Case("matters", "docket.pdf", "block", 25))
    clem = []
    for f, s in people[75:105]:
        clem.append(f"{f} {s}\t{rnd.randint(25, 70)}\t{fake.city()}, {fake.state_abbr()}\t"
                    f"Offense: {rnd.choice(_CHARGES)}")
    _pdf(d / "clemency.pdf", ["Name\tAge\tCity\tConviction", *clem], "Grants of Clemency")
    out.append(Case("matters", "clemency.pdf", "block", 30))
    deported = people[105:127]
    items = "".join(f"<li>{f} {s} ({rnd.choice(['Guatemala', 'Honduras', 'El Salvador'])})</li>" for f, s in deported)
    _html(d / "deported.html", "<h1>Removal flight</h1><p>The following 22 people were deported on the charter flight "
          f"of 14 March:</p><ul>{items}</ul>", "Removal flight")
    out.append(Case("matters", "deported.html", "not-pass", 22, [f"{f} {s}" for f, s in deported]))
    index = [["Surname", "Appeal number", "Date promulgated", "Country", "Outcome"]]
    for _, s in people[127:140]:
        index.append([s.upper(), f"PA/{rnd.randint(10000, 99999)}/20{rnd.randint(18, 23)}",
                      f"{rnd.randint(1, 28)}/{rnd.randint(1, 12)}/2023", rnd.choice(["Iran", "Eritrea", "Sudan"]),
                      rnd.choice(["Allowed", "Dismissed"])])
    _csv(d / "appeal-index.csv", index)
    out.append(Case("matters", "appeal-index.csv", "not-pass", None, [r[0] for r in index[1:]]))
    f, s = people[0]
    (d / "sentenced.txt").write_text(
        f"{f} {s}, 34, of Laredo, was sentenced on Tuesday to 46 months in prison for illegal reentry after "
        "removal. He was removed to Mexico in 2019.", encoding="utf-8")
    out.append(Case("matters", "sentenced.txt", "not-pass", None, [f"{f} {s}"]))
    # Benign look-alikes.
    _csv(d / "judges.csv", [["Judge", "Court", "Courtroom", "Phone"]]
         + [[f"{fake.first_name()} {fake.last_name()}", "Immigration Court, Houston", str(i),
             f"713-555-{rnd.randint(1000, 9999)}"] for i in range(1, 9)])
    out.append(Case("matters", "judges.csv", "pass", 0))
    (d / "removals-note.txt").write_text(
        "Removals increased by 12% in FY2023. Most people removed were nationals of Mexico, Guatemala and Honduras. "
        "Reconviction rates fell, as Matthews and King (2019) found in their study of convictions in Scotland.",
        encoding="utf-8")
    out.append(Case("matters", "removals-note.txt", "pass", 0))
    return out


# ---------------------------------------------------------------- header spellings (must block)
_HEADER_SETS = [
    ["firstname", "lastname", "dateofbirth", "country"],
    ["FirstName", "LastName", "DOB", "Country"],
    ["FIRST NAME", "LAST NAME", "BIRTH DATE", "COUNTRY"],
    ["given_name", "Surname", "birth_dt", "alien_no"],
    ["fname", "lname", "anumber", "nationality"],
    ["First-Name", "Last-Name", "Date-Of-Birth", "Citizenship"],
    ["givenName", "familyName", "dateOfBirth", "countryOfCitizenship"],
    ["PRENOM", "NOM_DE_FAMILLE", "DATE_NAISSANCE", "PAYS"],
    ["Nombres", "Apellidos", "FechaNacimiento", "Pais"],
]


@builder
def headers(d: Path, rnd: random.Random, fake: Faker) -> list[Case]:
    out = []
    for k, head in enumerate(_HEADER_SETS):
        rows: list[list[object]] = [head]
        for _ in range(12):
            fourth = f"A{rnd.randint(10**8, 10**9 - 1)}" if "alien" in head[3] else \
                rnd.choice(["Guatemala", "Honduras", "Mexico", "Haiti"])
            third = f"A{rnd.randint(10**8, 10**9 - 1)}" if head[2] == "anumber" else \
                fake.date_of_birth(minimum_age=18).strftime("%m/%d/%Y")
            rows.append([fake.first_name().upper(), fake.last_name().upper(), third, fourth])
        _csv(d / f"headers-{k}.csv", rows)
        out.append(Case("headers", f"headers-{k}.csv", "block", 12, [str(r[2]) for r in rows[1:]]))
    return out


# ---------------------------------------------------------------- layouts
@builder
def layouts(d: Path, rnd: random.Random, fake: Faker) -> list[Case]:
    out = []
    people = _people(fake, 30)
    fields = ["Name", "Date of Birth", "A-Number", "Country of Citizenship", "Facility"]
    cols = [[f"{s}, {f}", fake.date_of_birth(minimum_age=18).isoformat(), f"A{rnd.randint(10**8, 10**9 - 1)}",
             rnd.choice(["Mexico", "Haiti", "Cuba"]), "Otero County Processing Center"] for f, s in people[:8]]
    _csv(d / "transposed.csv", [[fields[i]] + [c[i] for c in cols] for i in range(len(fields))])
    out.append(Case("layouts", "transposed.csv", "block", 8, [c[2] for c in cols]))
    fields2 = ["Full name", "Birth date", "Nationality", "Detention facility"]
    cols2 = [[f"{f} {s}", fake.date_of_birth(minimum_age=18).isoformat(), rnd.choice(["Mexico", "Haiti", "Cuba"]),
              "Otero County Processing Center"] for f, s in people[8:14]]
    wb = Workbook()
    ws = wb.active
    ws.title = "Detainees"
    for i, name in enumerate(fields2):
        ws.append([name] + [c[i] for c in cols2])
    wb.save(d / "transposed.xlsx")
    out.append(Case("layouts", "transposed.xlsx", "block", 6, [c[0] for c in cols2]))
    wb = Workbook()
    ws = wb.active
    ws.title = "By facility"
    ws.append(["Facility", "Country of citizenship", "Detained", "Notes"])
    names = [f"{s.upper()}, {f.upper()}" for f, s in people[14:26]]
    facilities = ["Stewart Detention Center", "Krome Service Processing Center", "Adelanto ICE Processing Center"]
    for i in range(12):
        ws.append([rnd.choice(facilities), rnd.choice(["Mexico", "Guatemala", "Honduras"]), rnd.randint(25, 400),
                   names[i]])
    ws.column_dimensions["D"].hidden = True
    wb.save(d / "hidden-name-column.xlsx")
    out.append(Case("layouts", "hidden-name-column.xlsx", "not-pass", None, names))
    return out


# ---------------------------------------------------------------- people counted once
@builder
def persons(d: Path, rnd: random.Random, fake: Faker) -> list[Case]:
    out = []
    rows = [["Name", "Date of Birth", "A-Number", "Country"]]
    for i in range(300):
        a = f"A{rnd.randint(10**8, 10**9 - 1)}" if i >= 40 else ""
        rows.append([f"{fake.last_name().upper()}, {fake.first_name().upper()}",
                     fake.date_of_birth(minimum_age=18).isoformat(), a, rnd.choice(["Mexico", "Cuba"])])
    _csv(d / "roster-missing-anumbers.csv", rows)
    out.append(Case("persons", "roster-missing-anumbers.csv", "block", 300, [r[2] for r in rows[41:]]))
    people = _people(fake, 60)
    lines = [f"{s.upper()}, {f.upper()}\t{fake.date_of_birth(minimum_age=18).strftime('%m/%d/%Y')}\t"
             f"A{rnd.randint(10**8, 10**9 - 1)}\t{rnd.choice(['Mexico', 'Cuba'])}" for f, s in people]
    _pdf(d / "roster.pdf", ["Name\tDate of birth\tA-Number\tCountry", *lines], "Detainee list")
    out.append(Case("persons", "roster.pdf", "block", 60))
    f, s = fake.first_name(), fake.last_name()
    a = f"A{rnd.randint(10**8, 10**9 - 1)}"
    (d / "letter.txt").write_text(
        f"Re: {f} {s}, {a}\n\nDear Counsel,\n\nThis letter concerns your client {f} {s} (A-Number {a}, date of "
        f"birth 03/04/1987). Mr. {s} filed an application for asylum on 2 May 2023. {s.upper()}, {f.upper()} is "
        "scheduled for a credible fear interview.\n\nSincerely,\nAsylum Office", encoding="utf-8")
    out.append(Case("persons", "letter.txt", "block", 1, [a, f"{f} {s}"]))
    wb = Workbook()
    ws = wb.active
    ws.append(["Name", "Date of Birth", "Nationality"])
    hidden_people = _people(fake, 24)
    for i, (f, s) in enumerate(hidden_people):
        ws.append([f"{s}, {f}", fake.date_of_birth(minimum_age=18).isoformat(), "Honduras"])
        if i >= 12:
            ws.row_dimensions[i + 2].hidden = True
    wb.save(d / "hidden-rows.xlsx")
    out.append(Case("persons", "hidden-rows.xlsx", "block", 24))
    both = _people(fake, 10)
    table = [["Name", "DOB", "Country"]] + [[f"{s.upper()}, {f.upper()}", "1980-01-0" + str(i % 9 + 1), "Cuba"]
                                             for i, (f, s) in enumerate(both)]
    prose = " ".join(f"<p>{f} {s} applied for asylum in 2022.</p>" for f, s in both[:5])
    _html(d / "table-and-prose.html", _html_table(table) + prose, "Cases")
    out.append(Case("persons", "table-and-prose.html", "block", 10))
    rows = [[f"A{rnd.randint(10**8, 10**9 - 1)}", f"{fake.last_name().upper()}, {fake.first_name().upper()}",
             fake.date_of_birth(minimum_age=18).isoformat(), "Mexico"] for _ in range(15)]
    _csv(d / "headerless-anumber.csv", rows)
    out.append(Case("persons", "headerless-anumber.csv", "block", 15, [r[0] for r in rows] + [r[1] for r in rows]))
    return out


# ---------------------------------------------------------------- speed: a wide one-line CSV
@builder
def speed(d: Path, rnd: random.Random, fake: Faker) -> list[Case]:
    cells = [f"{rnd.choice('ABCDEFGH')}{rnd.randint(0, 99)}" for _ in range(12_500)]
    (d / "one-line-50k.csv").write_text(",".join(cells)[:50_000] + "\n", encoding="utf-8")
    return [Case("speed", "one-line-50k.csv", "any")]


_NOT_NEUTRAL = re.compile(r"needs review|does not block|must be|blocks the file|noted,", re.IGNORECASE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args()
    directory = args.out or Path(tempfile.mkdtemp(prefix="veil-classes-"))
    directory.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(args.seed)
    fake = Faker("en_US")
    fake.seed_instance(args.seed)
    cases = [c for build in BUILDERS for c in build(directory, rnd, fake)]
    policy = load_policy()
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])
    wrong_messages = 0
    for case in cases:
        started = time.perf_counter()
        result = check_path(directory / case.name, policy)
        seconds = time.perf_counter() - started
        verdict = result.verdict.value
        ok = {"pass": verdict == "pass", "review": verdict == "review", "not-pass": verdict != "pass",
              "block": verdict == "block",
              "any": seconds < 5}[case.expect]
        persons_ok = case.persons is None or result.persons == case.persons
        strings = [s for f in result.findings for s in (f.message, f.location, *f.evidence, *f.samples)]
        leaks = [v for v in case.raw if v and any(v in s for s in strings)]
        wrong_messages += sum(1 for f in result.findings if _NOT_NEUTRAL.search(f.message))
        row = tally[case.cls]
        row[0] += 1
        row[1] += ok
        row[2] += case.persons is not None
        row[3] += case.persons is not None and persons_ok
        row[4] += bool(leaks)
        if args.verbose and (not ok or not persons_ok or leaks):
            print(f"  WRONG {case.cls}/{case.name}: expected {case.expect} persons {case.persons}, got {verdict} "
                  f"persons {result.persons} ({seconds:.1f} s){' RAW VALUE IN A FINDING' if leaks else ''}",
                  file=sys.stderr)
    print("| class | files right | persons right | findings quoting a raw value |")
    print("|---|---|---|---|")
    totals = [0, 0, 0, 0, 0]
    for cls, row in tally.items():
        print(f"| {cls} | {row[1]}/{row[0]} | {row[3]}/{row[2]} | {row[4]} |")
        totals = [a + b for a, b in zip(totals, row, strict=True)]
    print(f"| **all** | {totals[1]}/{totals[0]} | {totals[3]}/{totals[2]} | {totals[4]} |")
    print(f"\nmessages that state an effect the policy may not give (\"needs review\", \"does not block\"...): "
          f"{wrong_messages}")


if __name__ == "__main__":
    main()
