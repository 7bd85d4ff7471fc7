"""Seeded record files: vCards, calendars, JSON objects and XML elements, each as a leak and as a benign twin.

A leak keeps a person's name on one line and the sensitive fields (birthday, citizenship, asylum status, A-number)
on other lines of the same record, which is what a line-by-line reading misses."""

from __future__ import annotations

import json
import random
from xml.sax.saxutils import escape, quoteattr

from faker import Faker

COUNTRIES = ("Honduras", "Guatemala", "El Salvador", "Mexico", "Venezuela", "Haiti")
STATUSES = ("Asylum status: pending", "Credible fear interview scheduled", "Withholding of removal granted",
            "Asylum application filed")


def _fake(seed: int) -> tuple[Faker, random.Random]:
    fake = Faker(["en_US", "es_MX"])
    fake.seed_instance(seed)
    return fake, random.Random(seed)


def detainee_cards(n: int, seed: int, version: str = "3.0", folded: bool = False) -> bytes:
    fake, rng = _fake(seed)
    cards = []
    for _ in range(n):
        given, family = fake.first_name(), fake.last_name()
        note = f"Citizenship: {rng.choice(COUNTRIES)}\\n{rng.choice(STATUSES)}"
        lines = ["BEGIN:VCARD", f"VERSION:{version}", f"N:{family};{given};;;", f"FN:{given} {family}",
                 f"BDAY:{fake.date_of_birth(minimum_age=18, maximum_age=70).isoformat()}",
                 "ORG:Otero County Processing Center"]
        if version == "2.1":  # quoted-printable note, as old phones write it
            lines.append("NOTE;ENCODING=QUOTED-PRINTABLE:" + note.replace("\\n", "=0D=0A"))
        else:
            lines.append(f"NOTE:{note}")
        lines.append("END:VCARD")
        cards.append("\r\n".join(_fold(line) if folded else line for line in lines))
    return ("\r\n".join(cards) + "\r\n").encode("utf-8")


def press_cards(seed: int) -> bytes:
    """A press office's contact cards: an office and its spokespeople, with work phones and e-mail."""
    fake, _ = _fake(seed)
    cards = ["BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Office of Public Affairs\r\nORG:Department of Homeland Security\r\n"
             "TEL;TYPE=work:+1-202-282-8010\r\nEMAIL:mediainquiry@hq.dhs.gov\r\nEND:VCARD"]
    for title in ("Press Secretary", "Deputy Press Secretary"):
        given, family = fake.first_name(), fake.last_name()
        cards.append(f"BEGIN:VCARD\r\nVERSION:4.0\r\nFN:{given} {family}\r\nTITLE:{title}\r\n"
                     f"ORG:Department of Homeland Security\r\nTEL;TYPE=work:+1-202-282-{8011 + len(cards)}\r\n"
                     f"EMAIL:{given.lower()}.{family.lower()}@hq.dhs.gov\r\nEND:VCARD")
    return ("\r\n".join(cards) + "\r\n").encode("utf-8")


def interview_calendar(n: int, seed: int) -> bytes:
    fake, rng = _fake(seed)
    events = []
    for i in range(n):
        who = f"{fake.first_name()} {fake.last_name()}"
        events.append(f"BEGIN:VEVENT\r\nUID:{i}@uscis\r\nSUMMARY:Credible fear interview\r\n"
                      f"DTSTART:202403{10 + i % 18:02d}T100000Z\r\n"
                      f"ATTENDEE;CN={who}:mailto:applicant{i}@example.com\r\n"
                      f"DESCRIPTION:A{rng.randint(100_000_000, 299_999_999)}\\, {rng.choice(COUNTRIES)}\r\n"
                      "END:VEVENT")
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:Asylum office\r\n" + "\r\n".join(events)
            + "\r\nEND:VCALENDAR\r\n").encode("utf-8")


def hearings_calendar(seed: int) -> bytes:
    _, rng = _fake(seed)
    events = []
    for i, topic in enumerate(("detention standards", "asylum processing backlog", "border technology")):
        events.append(f"BEGIN:VEVENT\r\nUID:h{i}@house\r\nSUMMARY:Public hearing on {topic}\r\n"
                      f"DTSTART:2024040{i + 1}T140000Z\r\n"
                      f"LOCATION:Room {rng.randint(100, 2400)}\\, Rayburn Building\r\n"
                      "ORGANIZER;CN=Committee Clerk:mailto:clerk@mail.house.gov\r\nEND:VEVENT")
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nX-WR-CALNAME:Public hearings\r\n" + "\r\n".join(events)
            + "\r\nEND:VCALENDAR\r\n").encode("utf-8")


def applicant_object(seed: int, nested: bool = True) -> bytes:
    """One JSON object about one person: the name split into given/family, the claim in a nested object."""
    fake, rng = _fake(seed)
    person: dict[str, object] = {"given": fake.first_name(), "family": fake.last_name()}
    claim = {"type": rng.choice(["asylum", "credible fear", "withholding"]), "filed": "2024-01-15"}
    document = ({"case": {"applicant": person, "claim": claim, "nationality": rng.choice(COUNTRIES)}} if nested
                else {"name": f"{person['given']} {person['family']}", "status": f"{claim['type']} pending",
                      "citizenship": rng.choice(COUNTRIES)})
    return json.dumps(document, indent=2).encode("utf-8")


def cases_xml(n: int, seed: int, attributes: bool = False) -> bytes:
    fake, rng = _fake(seed)
    rows = []
    for i in range(n):
        fields = {"Name": f"{fake.first_name()} {fake.last_name()}",
                  "DOB": fake.date_of_birth(minimum_age=18, maximum_age=70).isoformat(),
                  "Citizenship": rng.choice(COUNTRIES), "Claim": rng.choice(["asylum", "credible fear"])}
        if attributes:
            rows.append("<Case " + " ".join(f"{k.lower()}={quoteattr(v)}" for k, v in fields.items()) + "/>")
        else:
            rows.append(f'<Case id="{i + 1}">' + "".join(f"<{k}>{escape(v)}</{k}>" for k, v in fields.items())
                        + "</Case>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<Export xmlns="urn:example:cms"><!-- nightly -->\n<Cases>'
            + "\n".join(rows) + "</Cases></Export>\n").encode("utf-8")


def sdmx_xml(seed: int) -> bytes:
    """Asylum applications by country and year as SDMX structure-specific data: aggregate."""
    _, rng = _fake(seed)
    series = []
    for area in ("MEX", "HND", "GTM", "SLV", "VEN"):
        obs = "".join(f'<Obs TIME_PERIOD="{year}" OBS_VALUE="{rng.randint(500, 150_000)}"/>'
                      for year in (2021, 2022, 2023))
        series.append(f'<Series REF_AREA="{area}" INDICATOR="ASY_APP" UNIT_MEASURE="PS">{obs}</Series>')
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<message:StructureSpecificData '
            'xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">'
            '<message:Header><message:ID>ASY_APP</message:ID><message:Prepared>2024-01-01T00:00:00</message:Prepared>'
            '<message:Sender id="UNHCR"/></message:Header><message:DataSet>' + "".join(series)
            + "</message:DataSet></message:StructureSpecificData>\n").encode("utf-8")


def facilities_kml(seed: int) -> bytes:
    _, rng = _fake(seed)
    marks = "".join(f"<Placemark><name>{name}</name><description>Average daily population {rng.randint(200, 1900)}"
                    f"</description><Point><coordinates>{rng.uniform(-120, -90):.3f},{rng.uniform(25, 40):.3f}"
                    "</coordinates></Point></Placemark>"
                    for name in ("Otero County Processing Center", "Adelanto ICE Processing Center",
                                 "Stewart Detention Center"))
    return ('<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document><name>Facilities</name>'
            + marks + "</Document></kml>").encode("utf-8")


def _fold(line: str, width: int = 30) -> str:
    """RFC folding: long lines continue on lines that start with a space."""
    if len(line) <= width:
        return line
    return "\r\n ".join(line[i:i + width] for i in range(0, len(line), width))
