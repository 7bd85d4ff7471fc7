"""Cards and records: vCard, JSON, JSON Lines, XML, iCalendar."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from xml.sax.saxutils import escape, quoteattr

from .common import COUNTRIES, MONTHS, Ctx, benign, d, leak, register


def _fold(line: str) -> str:
    """RFC 6350/5545 line folding at 75 octets."""
    raw = line.encode("utf-8")
    parts: list[bytes] = []
    while len(raw) > 75:
        cut = 75 if not parts else 74
        while cut > 0 and (raw[cut] & 0xC0) == 0x80:
            cut -= 1
        parts.append(raw[:cut])
        raw = raw[cut:]
    parts.append(raw)
    return "\r\n ".join(p.decode("utf-8") for p in parts)


def _uid(ctx: Ctx, key: str) -> str:
    return str(uuid.UUID(int=ctx.rng(key).getrandbits(128)))


@register
def vcard_cases(ctx: Ctx):
    ppl = ctx.people("vcf1", 25)
    cards = []
    for p in ppl:
        cards.append("\r\n".join([
            "BEGIN:VCARD", "VERSION:3.0", f"N:{p.last};{p.first};;;", f"FN:{p.full}", f"BDAY:{d(p.dob)}",
            _fold(f"NOTE:Citizenship: {p.nationality}. Asylum status: {p.status}. Detained at {p.facility}."),
            "END:VCARD"]))
    ctx.path("detainee_contacts.vcf").write_text("\r\n".join(cards) + "\r\n", encoding="utf-8")
    yield leak("detainee_contacts.vcf", "vcard", 25,
               "vCard 3.0: name, birthday, note with citizenship and asylum status")

    ppl = ctx.people("vcf2", 12)
    cards = []
    for p in ppl:
        cards.append("\r\n".join([
            "BEGIN:VCARD", "VERSION:4.0", f"FN:{p.full}", f"N:{p.last};{p.first};;;",
            f"BDAY:{p.dob.strftime('%Y%m%d')}", f"GENDER:{p.sex}", f"X-CITIZENSHIP:{p.nationality}",
            _fold(f"NOTE:Client of the legal clinic. Affirmative asylum application filed {d(p.arrived)}; "
                  f"A-number {p.anum_dashed}; fears return to {p.nationality}; interpreter: {p.language}."),
            "END:VCARD"]))
    ctx.path("clinic_clients.vcf").write_text("\r\n".join(cards) + "\r\n", encoding="utf-8")
    yield leak("clinic_clients.vcf", "vcard", 12, "vCard 4.0, folded NOTE lines with A-number and asylum filing")

    p = ctx.people("vcf3", 1)[0]
    ctx.path("contact.vcf").write_text("\r\n".join([
        "BEGIN:VCARD", "VERSION:3.0", f"N:{p.last};{p.first}", f"FN:{p.full}", f"BDAY:{d(p.dob)}",
        f"NOTE:Trafficking victim (T-visa applicant)\\, shelter placement {p.city}", "END:VCARD"]) + "\r\n",
        encoding="utf-8")
    yield leak("contact.vcf", "vcard", 1, "single vCard of a trafficking victim")

    ctx.path("press_office.vcf").write_text("\r\n".join([
        "BEGIN:VCARD", "VERSION:3.0", "KIND:org", "FN:Office of Public Affairs",
        "ORG:Department of Immigration Services",
        "TEL;TYPE=work:+1-202-555-0100", "EMAIL;TYPE=work:press@immigration.example.gov",
        "ADR;TYPE=work:;;500 12th Street SW;Washington;DC;20536;USA", "URL:https://immigration.example.gov/news",
        "NOTE:Media inquiries only.", "END:VCARD"]) + "\r\n", encoding="utf-8")
    yield benign("press_office.vcf", "vcard", "vCard of an agency press office (organisation)")
    (first, last), = ctx.officials("vcf_b2", 1)
    ctx.path("spokesperson.vcf").write_text("\r\n".join([
        "BEGIN:VCARD", "VERSION:3.0", f"N:{last};{first}", f"FN:{first} {last}", "TITLE:Press Secretary",
        "ORG:Department of Immigration Services;Office of Public Affairs", "TEL;TYPE=work:+1-202-555-0101",
        "EMAIL;TYPE=work:press@immigration.example.gov", "END:VCARD"]) + "\r\n", encoding="utf-8")
    yield benign("spokesperson.vcf", "vcard", "vCard of the agency's press secretary (work details only)")


@register
def json_cases(ctx: Ctx):
    ppl = ctx.people("json1", 50)
    recs = [{"aNumber": p.anum, "firstName": p.first, "lastName": p.last, "dateOfBirth": d(p.dob),
             "countryOfCitizenship": p.nationality, "facility": p.facility, "bookInDate": d(p.arrived)}
            for p in ppl]
    ctx.path("detainees.json").write_text(json.dumps(recs, indent=2, ensure_ascii=False), encoding="utf-8")
    yield leak("detainees.json", "json_records", 50, "JSON array of detainee objects")

    ppl = ctx.people("json2", 30)
    doc = {"meta": {"generated": "2022-06-30", "source": "case management", "count": len(ppl)},
           "data": {"results": [{"person": {"name": {"given": p.first, "family": p.last}, "born": d(p.dob),
                                            "nationality": p.iso3},
                                 "case": {"type": "asylum", "stage": p.status, "id": 70000 + i}}
                                for i, p in enumerate(ppl)]}}
    ctx.path("api_response.json").write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    yield leak("api_response.json", "json_records", 30, "nested API response, people under data.results[].person")

    ppl = ctx.people("json3", 20)
    rnd = ctx.rng("json3ev")
    lines = []
    for p in ppl:
        lines.append({"event": "book_in", "subject": p.full, "dob": d(p.dob), "cit": p.nationality})
    for p in rnd.sample(ppl, 15):
        lines.append({"event": "cfi_scheduled", "subject": p.full, "dob": d(p.dob), "cit": p.nationality})
    ctx.path("intake_events.jsonl").write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n",
                                               encoding="utf-8")
    yield leak("intake_events.jsonl", "json_records", 20, "JSON Lines event log, 35 events about 20 people")

    rnd = ctx.rng("json_b1")
    stats = {"title": "Initial book-ins by country of citizenship", "fiscalYear": 2022,
             "rows": [{"country": c, "month": m, "bookIns": rnd.randint(25, 900)} for c in COUNTRIES[:12]
                      for m in MONTHS[:3]]}
    ctx.path("bookins_stats.json").write_text(json.dumps(stats, indent=1), encoding="utf-8")
    yield benign("bookins_stats.json", "json_records", "JSON of counts by country and month")
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "title": "Detention population by month",
            "data": {"values": [{"month": m, "population": rnd.randint(20000, 30000)} for m in MONTHS]},
            "mark": "bar", "encoding": {"x": {"field": "month"}, "y": {"field": "population", "type": "quantitative"}}}
    ctx.path("chart_spec.json").write_text(json.dumps(spec, indent=2), encoding="utf-8")
    yield benign("chart_spec.json", "json_records", "Vega-Lite chart spec with monthly totals")


@register
def xml_cases(ctx: Ctx):
    ppl = ctx.people("xml1", 40)
    body = "".join(
        f"  <detainee id=\"{i + 1}\">\n    <name><first>{escape(p.first)}</first><last>{escape(p.last)}</last></name>\n"
        f"    <dob>{d(p.dob)}</dob>\n    <citizenship>{escape(p.nationality)}</citizenship>\n"
        f"    <anumber>{p.anum}</anumber>\n    <facility>{escape(p.facility)}</facility>\n  </detainee>\n"
        for i, p in enumerate(ppl))
    ctx.path("detainees.xml").write_text(
        f"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<detainees>\n{body}</detainees>\n", encoding="utf-8")
    yield leak("detainees.xml", "xml_records", 40, "XML elements per detainee")

    ppl = ctx.people("xml2", 25)
    body = "".join(f"<record given={quoteattr(p.first)} family={quoteattr(p.last)} born=\"{d(p.dob)}\" "
                   f"nat=\"{p.iso3}\" claim=\"asylum\"/>\n" for p in ppl)
    ctx.path("claims_export.xml").write_text(f"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<export>\n{body}"
                                             "</export>\n", encoding="latin-1", errors="xmlcharrefreplace")
    yield leak("claims_export.xml", "xml_records", 25, "XML attributes, ISO-8859-1 encoded, asylum claims")

    ppl = ctx.people("xml3", 15)
    body = "".join(f"<cm:Case><cm:Party role=\"applicant\"><pr:GivenName>{escape(p.first)}</pr:GivenName>"
                   f"<pr:Surname>{escape(p.last)}</pr:Surname><pr:BirthDate>{d(p.dob)}</pr:BirthDate></cm:Party>"
                   f"<cm:Type>Credible fear review</cm:Type></cm:Case>" for p in ppl)
    ctx.path("soap_response.xml").write_text(
        "<?xml version=\"1.0\"?><soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\" "
        "xmlns:cm=\"urn:example:case\" xmlns:pr=\"urn:example:person\"><soap:Body><cm:GetCasesResponse>"
        f"{body}</cm:GetCasesResponse></soap:Body></soap:Envelope>", encoding="utf-8")
    yield leak("soap_response.xml", "xml_records", 15, "namespaced SOAP response with applicant parties")

    rnd = ctx.rng("xml_b")
    obs = "".join(f"<Obs TIME_PERIOD=\"2022-{i + 1:02d}\" REF_AREA=\"{c[:3].upper()}\" "
                  f"OBS_VALUE=\"{rnd.randint(25, 990)}\"/>" for i in range(6) for c in COUNTRIES[:8])
    ctx.path("sdmx_asylum.xml").write_text(
        "<?xml version=\"1.0\"?><message:StructureSpecificData xmlns:message=\"urn:sdmx:message\">"
        f"<message:DataSet dataflow=\"ASYLUM_APPLICANTS\">{obs}</message:DataSet></message:StructureSpecificData>",
        encoding="utf-8")
    yield benign("sdmx_asylum.xml", "xml_records", "SDMX-style observations (country, month, count)")


def _ics(events: list[list[str]]) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Example//Scheduler//EN"]
    for ev in events:
        lines += ["BEGIN:VEVENT"] + [_fold(x) for x in ev] + ["END:VEVENT"]
    lines.append("END:VCALENDAR")
    return "\r\n".join(lines) + "\r\n"


@register
def ics_cases(ctx: Ctx):
    ppl = ctx.people("ics1", 16)
    start = dt.datetime(2022, 7, 5, 9, 0)
    events = []
    for i, p in enumerate(ppl):
        t = start + dt.timedelta(hours=2 * (i % 4), days=i // 4)
        events.append([f"UID:{_uid(ctx, f'ics1{i}')}@scheduler", "DTSTAMP:20220630T120000Z",
                       f"DTSTART:{t:%Y%m%dT%H%M%S}", f"DTEND:{t + dt.timedelta(hours=2):%Y%m%dT%H%M%S}",
                       "SUMMARY:Credible fear interview",
                       f"ATTENDEE;CN={p.full};ROLE=REQ-PARTICIPANT:urn:uuid:{_uid(ctx, f'ics1a{i}')}",
                       f"DESCRIPTION:Applicant {p.anum}\\, interpreter: {p.language}", f"LOCATION:{p.facility}"])
    ctx.path("cfi_schedule.ics").write_text(_ics(events), encoding="utf-8")
    yield leak("cfi_schedule.ics", "icalendar", 16, "iCalendar: credible fear interviews, attendee names, A-numbers")

    ppl = ctx.people("ics2", 10)
    events = []
    for i, p in enumerate(ppl):
        t = dt.datetime(2022, 8, 1, 8, 30) + dt.timedelta(days=i)
        events.append([f"UID:{_uid(ctx, f'ics2{i}')}", "DTSTAMP:20220630T120000Z", f"DTSTART:{t:%Y%m%dT%H%M%S}",
                       f"SUMMARY:CFI - {p.last.upper()}\\, {p.first} ({p.nationality})",
                       f"ATTENDEE;CN=\"{p.full}\":mailto:noreply@example.org"])
    ctx.path("week_hearings.ics").write_text(_ics(events), encoding="utf-8")
    yield leak("week_hearings.ics", "icalendar", 10, "iCalendar: summary carries name and nationality of applicants")

    judges = ctx.officials("ics_b", 4)
    topics = ["Public hearing on detention standards", "Open session: appeals backlog report",
              "Public comment hearing: proposed fee rule", "Annual public hearing on asylum processing times"]
    events = []
    for i, (topic, (f, la)) in enumerate(zip(topics, judges, strict=True)):
        t = dt.datetime(2022, 9, 6 + 7 * i, 10, 0)
        events.append([f"UID:{_uid(ctx, f'icsb{i}')}", "DTSTAMP:20220630T120000Z", f"DTSTART:{t:%Y%m%dT%H%M%S}",
                       f"SUMMARY:{topic}", f"DESCRIPTION:Presiding: Chief Immigration Judge {f} {la}. Open to the "
                       "public; no registration needed.",
                       "LOCATION:Hearing Room 1\\, 5107 Leesburg Pike\\, Falls Church VA"])
    ctx.path("public_hearings.ics").write_text(_ics(events), encoding="utf-8")
    yield benign("public_hearings.ics", "icalendar", "calendar of public hearings naming the presiding judges")
