"""A seeded probe of layouts, languages and text formats: record-level leaks and benign aggregate twins.

Each case is (name, bytes, leak, people): `leak` says the file names protected people, `people` how many distinct
people it names (0 for benign files). Built to look for classes `veil check` misses, not from Veil's own tests."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

from faker import Faker

COUNTRIES = ("Honduras", "Guatemala", "El Salvador", "Venezuela", "Haiti", "Cuba", "Ecuador", "Colombia")
PAISES = ("Honduras", "Guatemala", "El Salvador", "Venezuela", "Haití", "Cuba", "Ecuador", "Colombia")
ESTADOS = ("Solicitud de asilo pendiente", "Miedo creíble", "Deportación programada", "Asilo denegado")
STATUTS = ("Demande d'asile en cours", "Débouté du droit d'asile", "OQTF notifiée", "Protection subsidiaire")
SITUACOES = ("Pedido de asilo pendente", "Refugiado reconhecido", "Deportação agendada", "Asilo negado")
STATUSES = ("Asylum pending", "Credible fear", "Removal ordered", "Withholding of removal")


@dataclass(frozen=True)
class Case:
    name: str
    blob: bytes
    leak: bool
    people: int


@dataclass(frozen=True)
class Person:
    given: str
    family: str
    dob: str
    country: str
    a_digits: str
    status_i: int

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}"


def people(n: int, seed: int, locale: str = "es_MX") -> list[Person]:
    fake = Faker([locale])
    fake.seed_instance(seed)
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        out.append(
            Person(
                fake.first_name(),
                fake.last_name(),
                fake.date_of_birth(minimum_age=18, maximum_age=70).isoformat(),
                rng.choice(COUNTRIES),
                f"{rng.randrange(10**8, 10**9)}",
                rng.randrange(4),
            )
        )
    return out


def _a_dash(p: Person) -> str:
    d = p.a_digits
    return f"{d[:3]}-{d[3:6]}-{d[6:]}"


def _csv(rows: list[list[str]], sep: str = ",") -> bytes:
    return ("\n".join(sep.join(r) for r in rows) + "\n").encode("utf-8")


def _counts(seed: int) -> list[tuple[str, int, int]]:
    rng = random.Random(seed)
    return [(c, rng.randrange(800, 9000), rng.randrange(100, 700)) for c in PAISES]


def leaks(seed: int = 7, n: int = 12) -> list[Case]:
    ps = people(n, seed)
    out: list[Case] = []
    out.append(
        Case(
            "es_roster.csv",
            _csv(
                [["Nombre completo", "Fecha de nacimiento", "Nacionalidad", "Número A", "Estado"]]
                + [[p.full, p.dob, p.country, "A" + p.a_digits, ESTADOS[p.status_i]] for p in ps]
            ),
            True,
            n,
        )
    )
    out.append(
        Case(
            "es_roster_noid.csv",
            _csv(
                [["Apellidos", "Nombre", "Fecha de nacimiento", "País de origen", "Situación"]]
                + [[p.family, p.given, p.dob, p.country, ESTADOS[p.status_i]] for p in ps],
                ";",
            ),
            True,
            n,
        )
    )
    fr = people(n, seed + 1, "fr_FR")
    out.append(
        Case(
            "fr_roster.csv",
            _csv(
                [["Nom", "Prénom", "Date de naissance", "Nationalité", "N° étranger", "Statut"]]
                + [[p.family.upper(), p.given, p.dob, p.country, p.a_digits[:10], STATUTS[p.status_i]] for p in fr],
                ";",
            ),
            True,
            n,
        )
    )
    pt = people(n, seed + 2, "pt_BR")
    out.append(
        Case(
            "pt_roster.csv",
            _csv(
                [["Nome completo", "Data de nascimento", "Nacionalidade", "Situação"]]
                + [[p.full, p.dob, p.country, SITUACOES[p.status_i]] for p in pt]
            ),
            True,
            n,
        )
    )
    out.append(
        Case(
            "ar_roster.csv",
            _csv(
                [["الاسم الكامل", "تاريخ الميلاد", "الجنسية", "رقم الأجنبي"]]
                + [[p.full, p.dob, p.country, "A" + p.a_digits] for p in ps]
            ),
            True,
            n,
        )
    )
    out.append(
        Case(
            "translit_roster.csv",
            _csv(
                [["Ism", "Tarikh al-milad", "Jinsiya", "Wad' al-luju'"]]
                + [[p.full, p.dob, p.country, STATUSES[p.status_i]] for p in ps]
            ),
            True,
            n,
        )
    )
    md = ["| Name | Date of birth | Citizenship | A-Number | Status |", "|---|---|---|---|---|"]
    md += [f"| {p.full} | {p.dob} | {p.country} | A{p.a_digits} | {STATUSES[p.status_i]} |" for p in ps]
    out.append(Case("roster.md", ("# Detainee list\n\n" + "\n".join(md) + "\n").encode(), True, n))
    tex = ["\\begin{tabular}{lllll}", "\\hline", "Name & DOB & Citizenship & A-Number & Status \\\\", "\\hline"]
    tex += [f"{p.full} & {p.dob} & {p.country} & A{p.a_digits} & {STATUSES[p.status_i]} \\\\" for p in ps]
    tex += ["\\hline", "\\end{tabular}"]
    out.append(
        Case(
            "roster.tex",
            ("\\documentclass{article}\\begin{document}\n" + "\n".join(tex) + "\n\\end{document}\n").encode(),
            True,
            n,
        )
    )
    yml = ["detainees:"] + [
        f"  - name: {p.full}\n    dob: '{p.dob}'\n    citizenship: {p.country}\n    status: {STATUSES[p.status_i]}"
        for p in ps
    ]
    out.append(Case("detainees.yaml", ("\n".join(yml) + "\n").encode(), True, n))
    nd = [
        json.dumps(
            {
                "ts": f"2024-03-0{1 + i % 9}T10:00:00Z",
                "event": "intake",
                "subject": p.full,
                "dob": p.dob,
                "a_number": "A" + p.a_digits,
                "note": STATUSES[p.status_i],
            }
        )
        for i, p in enumerate(ps)
    ]
    out.append(Case("intake.ndjson", ("\n".join(nd) + "\n").encode(), True, n))
    ics = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//probe//EN"]
    for i, p in enumerate(ps):
        ics += [
            "BEGIN:VEVENT",
            f"UID:evt{i}@probe",
            f"DTSTART:202404{10 + i % 18:02d}T090000Z",
            "SUMMARY:Credible fear interview",
            f"ATTENDEE;CN={p.full};ROLE=REQ-PARTICIPANT:mailto:noreply@example.org",
            f"DESCRIPTION:Applicant born {p.dob}\\, citizen of {p.country}. {STATUSES[p.status_i]}.",
            "END:VEVENT",
        ]
    ics.append("END:VCALENDAR")
    out.append(Case("interviews.ics", ("\r\n".join(ics) + "\r\n").encode(), True, n))
    rng = random.Random(seed)
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-106 + rng.random(), 31 + rng.random()]},
            "properties": {
                "name": p.full,
                "birth_date": p.dob,
                "nationality": p.country,
                "case_status": STATUSES[p.status_i],
            },
        }
        for p in ps
    ]
    out.append(
        Case("apprehensions.geojson", json.dumps({"type": "FeatureCollection", "features": feats}).encode(), True, n)
    )
    rows = "".join(
        f"\\trowd\\cellx2000\\cellx4000\\cellx6000\\cellx8000 {p.full}\\cell {p.dob}\\cell "
        f"{p.country}\\cell A{p.a_digits}\\cell\\row\n"
        for p in ps
    )
    out.append(
        Case(
            "roster.rtf",
            (
                "{\\rtf1\\ansi\\deff0 {\\fonttbl{\\f0 Arial;}}\n\\pard Detainee roster\\par\n"
                "\\trowd\\cellx2000\\cellx4000\\cellx6000\\cellx8000 Name\\cell DOB\\cell "
                "Citizenship\\cell A-Number\\cell\\row\n" + rows + "}"
            ).encode(),
            True,
            n,
        )
    )
    xml = ['<?xml version="1.0"?>', "<detainees>"]
    xml += [
        f'  <detainee name="{p.full}" dob="{p.dob}" citizenship="{p.country}" anumber="A{p.a_digits}" '
        f'status="{STATUSES[p.status_i]}"/>'
        for p in ps
    ]
    xml.append("</detainees>")
    out.append(Case("detainees_attr.xml", ("\n".join(xml) + "\n").encode(), True, n))
    sp = [["Name", "Alien #", "Country"]] + [
        [p.full, f"A {p.a_digits[:3]} {p.a_digits[3:6]} {p.a_digits[6:]}", p.country] for p in ps
    ]
    out.append(Case("spaced_anum.csv", _csv(sp), True, n))
    lines = [f"{p.full} -- A#: {_a_dash(p)} -- {p.country}" for p in ps]
    out.append(Case("anum_hash.txt", ("Cases transferred to Otero:\n" + "\n".join(lines) + "\n").encode(), True, n))
    labelled = [f"Alien No. {_a_dash(p)}: {p.full}, {p.country}" for p in ps]
    out.append(Case("alien_no_list.txt", ("\n".join(labelled) + "\n").encode(), True, n))
    caps = [f"{p.family.upper()} {p.given}, né(e) le {p.dob}, {p.country}, {STATUSES[p.status_i]}" for p in ps]
    out.append(Case("caps_names.txt", ("Liste des retenus\n" + "\n".join(caps) + "\n").encode(), True, n))
    half = n // 2
    wide = [["Name (1)", "DOB (1)", "Country (1)", "Name (2)", "DOB (2)", "Country (2)"]]
    wide += [[a.full, a.dob, a.country, b.full, b.dob, b.country] for a, b in zip(ps[:half], ps[half:], strict=True)]
    out.append(Case("two_per_row.csv", _csv(wide), True, n))
    psql = [
        " name                | dob        | citizenship | status",
        "---------------------+------------+-------------+-----------------",
    ]
    psql += [f" {p.full:<19} | {p.dob} | {p.country:<11} | {STATUSES[p.status_i]}" for p in ps]
    psql.append(f"({n} rows)")
    out.append(Case("psql_out.txt", ("\n".join(psql) + "\n").encode(), True, n))
    fixed = [f"{'NAME':<28}{'DOB':<12}{'COUNTRY':<14}STATUS"]
    fixed += [f"{p.full:<28}{p.dob:<12}{p.country:<14}{STATUSES[p.status_i]}" for p in ps]
    out.append(Case("fixed_width.txt", ("\n".join(fixed) + "\n").encode(), True, n))
    return out


def benign(seed: int = 7) -> list[Case]:
    cs = _counts(seed)
    out: list[Case] = []
    out.append(
        Case(
            "es_agg.csv",
            _csv([["País de nacionalidad", "Solicitudes", "Concedidas"]] + [[c, str(a), str(b)] for c, a, b in cs]),
            False,
            0,
        )
    )
    out.append(
        Case(
            "fr_agg.csv",
            _csv(
                [["Nationalité", "Demandes d'asile", "Décisions positives"]] + [[c, str(a), str(b)] for c, a, b in cs],
                ";",
            ),
            False,
            0,
        )
    )
    md = ["| Country | Applications | Granted |", "|---|---:|---:|"] + [f"| {c} | {a} | {b} |" for c, a, b in cs]
    out.append(Case("agg.md", ("# Asylum applications 2023\n\n" + "\n".join(md) + "\n").encode(), False, 0))
    tex = ["\\begin{tabular}{lrr}", "Country & Applications & Granted \\\\"]
    tex += [f"{c} & {a} & {b} \\\\" for c, a, b in cs] + ["\\end{tabular}"]
    out.append(Case("agg.tex", ("\n".join(tex) + "\n").encode(), False, 0))
    yml = ["asylum_2023:"] + [f"  - country: {c}\n    applications: {a}\n    granted: {b}" for c, a, b in cs]
    out.append(Case("agg.yaml", ("\n".join(yml) + "\n").encode(), False, 0))
    nd = [
        json.dumps(
            {"ts": f"2024-03-0{1 + i}T10:00:00Z", "level": "info", "msg": "batch processed", "records": a, "country": c}
        )
        for i, (c, a, _) in enumerate(cs)
    ]
    out.append(Case("app.ndjson", ("\n".join(nd) + "\n").encode(), False, 0))
    ics = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//probe//EN"]
    for i, topic in enumerate(
        ("Public hearing on detention standards", "Advisory committee meeting", "Stakeholder call: asylum processing")
    ):
        ics += [
            "BEGIN:VEVENT",
            f"UID:pub{i}@probe",
            f"DTSTART:2024051{i}T150000Z",
            f"SUMMARY:{topic}",
            "ORGANIZER;CN=Office of Public Affairs:mailto:public.affairs@example.gov",
            "LOCATION:Room 1200\\, 500 12th St SW",
            "DESCRIPTION:Open to the public. Agenda online.",
            "END:VEVENT",
        ]
    ics.append("END:VCALENDAR")
    out.append(Case("public.ics", ("\r\n".join(ics) + "\r\n").encode(), False, 0))
    rng = random.Random(seed)
    feats = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [-106 + rng.random(), 31]},
            "properties": {
                "name": f"{city} Processing Center",
                "capacity": rng.randrange(400, 2000),
                "avg_daily_population": rng.randrange(200, 1500),
            },
        }
        for city in ("Otero County", "El Paso", "Port Isabel", "Adelanto", "Stewart")
    ]
    out.append(
        Case("facilities.geojson", json.dumps({"type": "FeatureCollection", "features": feats}).encode(), False, 0)
    )
    xml = ['<?xml version="1.0"?>', '<stats year="2023">']
    xml += [f'  <country name="{c}" applications="{a}" granted="{b}"/>' for c, a, b in cs] + ["</stats>"]
    out.append(Case("agg_attr.xml", ("\n".join(xml) + "\n").encode(), False, 0))
    psql = [" country     | applications | granted", "-------------+--------------+--------"]
    psql += [f" {c:<11} | {a:>12} | {b:>7}" for c, a, b in cs] + [f"({len(cs)} rows)"]
    out.append(Case("psql_agg.txt", ("\n".join(psql) + "\n").encode(), False, 0))
    fixed = [f"{'COUNTRY':<16}{'APPLICATIONS':>14}{'GRANTED':>10}"] + [f"{c:<16}{a:>14}{b:>10}" for c, a, b in cs]
    out.append(Case("fixed_agg.txt", ("\n".join(fixed) + "\n").encode(), False, 0))
    fake = Faker(["es_MX"])
    fake.seed_instance(seed)
    staff = [["Nombre", "Cargo", "Teléfono", "Correo"]]
    for cargo in ("Director General", "Subdirectora de Asilo", "Jefe de Prensa", "Coordinadora Regional"):
        g, f = fake.first_name(), fake.last_name()
        staff.append(
            [f"{g} {f}", cargo, f"+52 55 5{rng.randrange(10**6, 10**7)}", f"{g.lower()}.{f.lower()}@comar.gob.mx"]
        )
    out.append(Case("es_directorio.csv", _csv(staff), False, 0))
    rows = "".join(f"\\trowd\\cellx3000\\cellx6000 {c}\\cell {a}\\cell\\row\n" for c, a, _ in cs)
    out.append(
        Case(
            "agg.rtf",
            ("{\\rtf1\\ansi {\\fonttbl{\\f0 Arial;}}\n\\pard Applications by country\\par\n" + rows + "}").encode(),
            False,
            0,
        )
    )
    return out


def cases(seed: int = 7) -> list[Case]:
    return leaks(seed) + benign(seed)
