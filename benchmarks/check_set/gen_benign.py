"""Benign files that look like people data but are not private: public officials, staff directories, salary
reports, code lists, shaded tables, press releases, bibliographies, facility lists, statistics workbooks."""

from __future__ import annotations

import base64
import datetime as dt

import openpyxl
import xlsxwriter
from openpyxl.styles import PatternFill

from .common import COUNTRIES, FIXED_DT, MONTHS, Ctx, benign, csv_text, normalise_zip, register, save_openpyxl
from .docs import docx_table, html_page, html_table, new_docx, paragraphs, save_docx
from .gen_damaged import _eml
from .gen_pdf import H, _pdf_bytes
from .people import FACILITIES

TITLES = ["Director", "Deputy Director", "Chief of Staff", "Assistant Director for Enforcement",
          "Press Secretary", "Chief Counsel", "Director of Statistics", "Senior Advisor", "Deputy Press Secretary",
          "Field Office Director", "Chief Information Officer", "Policy Director"]
STATES = ["TX", "CA", "NY", "FL", "AZ", "NM", "GA", "WA", "IL", "PA", "OH", "MI", "NC", "VA", "CO"]
ISO_NUMERIC = [("004", "AFG", "Afghanistan"), ("008", "ALB", "Albania"), ("012", "DZA", "Algeria"),
               ("024", "AGO", "Angola"), ("032", "ARG", "Argentina"), ("050", "BGD", "Bangladesh"),
               ("068", "BOL", "Bolivia"), ("076", "BRA", "Brazil"), ("120", "CMR", "Cameroon"),
               ("152", "CHL", "Chile"), ("156", "CHN", "China"), ("170", "COL", "Colombia"),
               ("188", "CRI", "Costa Rica"), ("192", "CUB", "Cuba"), ("214", "DOM", "Dominican Republic"),
               ("218", "ECU", "Ecuador"), ("222", "SLV", "El Salvador"), ("232", "ERI", "Eritrea"),
               ("288", "GHA", "Ghana"), ("320", "GTM", "Guatemala"), ("332", "HTI", "Haiti"),
               ("340", "HND", "Honduras"), ("356", "IND", "India"), ("484", "MEX", "Mexico"),
               ("558", "NIC", "Nicaragua"), ("566", "NGA", "Nigeria"), ("586", "PAK", "Pakistan"),
               ("604", "PER", "Peru"), ("706", "SOM", "Somalia"), ("760", "SYR", "Syria"),
               ("792", "TUR", "Türkiye"), ("804", "UKR", "Ukraine"), ("862", "VEN", "Venezuela")]
ZIPS = {"Chaparral": "88081", "Los Fresnos": "78566", "Adelanto": "92301", "Lumpkin": "31815", "Miami": "33194",
        "Pearsall": "78061", "Tacoma": "98421", "Eloy": "85131", "Winnfield": "71483", "Estancia": "87016",
        "Batavia": "14020", "Ocilla": "31774"}


def _phone(rnd) -> str:
    return f"(202) 555-{rnd.randint(100, 199):04d}"


def _email(first: str, last: str) -> str:
    return f"{first.lower()}.{last.lower().replace(' ', '')}@immigration.example.gov"


@register
def officials_cases(ctx: Ctx):
    rnd = ctx.rng("officials")
    off = ctx.officials("media", 3)
    doc = new_docx()
    doc.add_heading("Department announces new detention oversight measures", 1)
    doc.add_paragraph("WASHINGTON - The Department today announced quarterly public reporting on detention "
                      "conditions at all facilities.")
    doc.add_paragraph("Media contacts")
    docx_table(doc, ["Official", "Title", "Phone"], [[f"{f} {la}", t, _phone(rnd)] for (f, la), t in
                                                     zip(off, ["Press Secretary", "Deputy Press Secretary",
                                                               "Director of Public Affairs"], strict=True)])
    save_docx(doc, ctx.path("press_release_media_contacts.docx"))
    yield benign("press_release_media_contacts.docx", "officials", "press release with a Media contacts table")
    off = ctx.officials("media2", 2)
    ctx.path("media_contacts.html").write_text(html_page("Media contacts", html_table(
        ["Official", "Title", "Phone"], [[f"{f} {la}", t, _phone(rnd)] for (f, la), t in
                                        zip(off, ["Press Secretary", "Spokesperson"], strict=True)])),
        encoding="utf-8")
    yield benign("media_contacts.html", "officials", "web page listing media contacts")

    for name, n in [("staff_directory.html", 12), ("staff_directory_field_offices.html", 30)]:
        off = ctx.officials(name, n)
        rows = [[f"{f} {la}", TITLES[i % len(TITLES)], _phone(rnd), _email(f, la)] for i, (f, la) in enumerate(off)]
        ctx.path(name).write_text(html_page("Staff directory", html_table(["Name", "Title", "Phone", "Email"], rows)),
                                  encoding="utf-8")
        yield benign(name, "officials", f"HTML staff directory of {n} officials with work e-mail")

    off = ctx.officials("leaders", 10)
    rows = [[f"{f} {la}", TITLES[i]] for i, (f, la) in enumerate(off)]
    ctx.path("leadership.csv").write_text(csv_text(["Name", "Title"], rows), encoding="utf-8")
    yield benign("leadership.csv", "officials", "Name/Title list of agency leadership")
    wb = openpyxl.Workbook()
    wb.active.append(["Name", "Title"])
    for r in [[f"{f} {la}", TITLES[(i + 3) % len(TITLES)]] for i, (f, la) in enumerate(ctx.officials("lead2", 9))]:
        wb.active.append(r)
    save_openpyxl(wb, ctx.path("leadership.xlsx"))
    yield benign("leadership.xlsx", "officials", "Name/Title workbook")

    off = ctx.officials("congress", 40)
    rows = [[f"{f} {la}", (dt.date(1940, 1, 1) + dt.timedelta(days=rnd.randrange(0, 365 * 45))).isoformat(),
             rnd.choice(["D", "R"]), rnd.choice(STATES), rnd.randint(1, 30)] for f, la in off]
    ctx.path("members_of_congress.csv").write_text(csv_text(["Member", "Birthday", "Party", "State", "District"],
                                                            rows), encoding="utf-8")
    yield benign("members_of_congress.csv", "officials", "members of Congress with birthdays, party, state")
    off = ctx.officials("senate", 22)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Judiciary Committee"
    ws.append(["Senator", "Born", "Party", "State", "Committee role"])
    for i, (f, la) in enumerate(off):
        ws.append([f"Sen. {f} {la}", dt.date(1945 + i, 1 + i % 12, 1 + i), rnd.choice(["D", "R"]),
                   rnd.choice(STATES), "Chair" if i == 0 else "Ranking member" if i == 1 else "Member"])
    save_openpyxl(wb, ctx.path("senate_judiciary_members.xlsx"))
    yield benign("senate_judiciary_members.xlsx", "officials", "committee roster of senators with birth dates")

    for name in ["staff_salaries_2022.csv", "staff_salaries_2022.xlsx"]:
        off = ctx.officials(name, 35)
        rows = [[f"{la}, {f}", rnd.choice(["Full-time", "Part-time"]), rnd.randint(52000, 183000),
                 rnd.choice(TITLES)] for f, la in off]
        head = ["Name", "Status", "Salary", "Title"]
        if name.endswith(".csv"):
            ctx.path(name).write_text(csv_text(head, rows), encoding="utf-8")
        else:
            wb = openpyxl.Workbook()
            wb.active.append(head)
            for r in rows:
                wb.active.append(r)
            save_openpyxl(wb, ctx.path(name))
        yield benign(name, "officials", "public-employee salary report: name, status, salary, title")

    off = ctx.officials("bia", 3)
    rows = [[f"Matter of {chr(65 + i)}-{chr(70 + i)}-{chr(75 + i)}-", f"28 I&N Dec. {100 + 37 * i} (BIA 2022)",
             rnd.choice(["asylum; particular social group", "credible fear; persecution", "cancellation of removal"]),
             f"Appellate Immigration Judge {off[i % 3][0]} {off[i % 3][1]}"] for i in range(12)]
    ctx.path("precedent_decisions.html").write_text(html_page("Precedent decisions", html_table(
        ["Decision", "Citation", "Subject", "Author"], rows)), encoding="utf-8")
    yield benign("precedent_decisions.html", "officials",
                 "published precedent decisions cited by initials, authoring judges named")

    off = ctx.officials("org", 6)
    from .docs import new_pptx, save_pptx
    prs = new_pptx()
    s = prs.slides.add_slide(prs.slide_layouts[5])
    s.shapes.title.text = "Organisation chart"
    for i, (f, la) in enumerate(off):
        box = s.shapes.add_textbox(400000 + 1400000 * (i % 3), 1800000 + 1500000 * (i // 3), 1300000, 800000)
        box.text_frame.text = f"{f} {la}\n{TITLES[i]}"
    save_pptx(prs, ctx.path("org_chart.pptx"))
    yield benign("org_chart.pptx", "officials", "organisation chart of named officials")


@register
def misc_benign_cases(ctx: Ctx):
    rnd = ctx.rng("misc")
    rows = [[n, a, c] for n, a, c in ISO_NUMERIC]
    ctx.path("country_codes.csv").write_text(csv_text(["numeric", "alpha3", "name"], rows), encoding="utf-8")
    yield benign("country_codes.csv", "code_list", "ISO 3166 codes with zero-padded numeric codes")
    wb = openpyxl.Workbook()
    wb.active.append(["Code", "Country", "Alpha-3"])
    for n, a, c in ISO_NUMERIC:
        wb.active.append([n, c, a])
    save_openpyxl(wb, ctx.path("country_codes.xlsx"))
    yield benign("country_codes.xlsx", "code_list", "country codes as text cells (004, 024, ...)")

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Country", *MONTHS[:6]])
    for c in COUNTRIES[:12]:
        ws.append([c, *[rnd.randint(25, 990) for _ in range(6)]])
    blue = PatternFill(start_color="DDEBF7", end_color="DDEBF7", fill_type="solid")
    for row in ws.iter_rows(min_row=1, max_row=13, min_col=7, max_col=7):
        for cell in row:
            cell.fill = blue
    ws["A15"] = "Shaded: preliminary figures for the latest month."
    save_openpyxl(wb, ctx.path("report_shaded_column.xlsx"))
    yield benign("report_shaded_column.xlsx", "shaded_column", "counts with the last column shaded light blue")

    (f, la), = ctx.officials("spokes", 1)
    text = ("FOR IMMEDIATE RELEASE - June 30, 2022\n\nDepartment publishes quarterly detention statistics\n\n"
            "WASHINGTON - The Department today published detention statistics for the third quarter. "
            f"\"Transparency about detention is part of our mission,\" said spokesperson {f} {la}.\n\n"
            f"Contact: {f} {la}, Press Secretary, press@immigration.example.gov\n")
    ctx.path("press_release.txt").write_text(text, encoding="utf-8")
    yield benign("press_release.txt", "press_release", "press release quoting the spokesperson")
    (f2, la2), = ctx.officials("spokes2", 1)

    def pr(c):
        t = c.beginText(72, H - 72)
        t.setFont("Helvetica", 11)
        for line in ["NEWS RELEASE", "Secretary visits Port Isabel processing center",
                     f"Secretary {f2} {la2} toured the facility on Tuesday and met staff.",
                     f"\"We owe everyone in our custody safe conditions,\" {la2} said.",
                     "Media contact: Office of Public Affairs, (202) 555-0100"]:
            t.textLine(line)
        c.drawText(t)
        c.showPage()
    ctx.path("news_release.pdf").write_bytes(_pdf_bytes(pr))
    yield benign("news_release.pdf", "press_release", "PDF news release naming the Secretary")
    doc = new_docx()
    doc.add_heading("Secretary statement on asylum processing", 1)
    doc.add_paragraph(f"\"We will decide claims faster and more fairly,\" said Secretary {f2} {la2}. The Department "
                      "will publish processing times monthly.")
    save_docx(doc, ctx.path("secretary_statement.docx"))
    yield benign("secretary_statement.docx", "press_release", "statement quoting the Secretary")

    authors = ctx.officials("biblio", 14)
    topics = ["The Refugee Convention at Seventy", "Credible Fear and Expedited Removal",
              "Particular Social Group Claims in Practice", "Detention and Due Process",
              "Asylum Adjudication and Judicial Review", "Gender-Based Persecution"]
    refs = [f"{la}, {f[0]}. ({2005 + i}). {topics[i % len(topics)]}. Journal of Refugee Law, {20 + i}({1 + i % 4}), "
            f"{100 + 13 * i}-{130 + 13 * i}." for i, (f, la) in enumerate(authors)]
    ctx.path("bibliography.txt").write_text("Bibliography\n\n" + "\n".join(refs) + "\n", encoding="utf-8")
    yield benign("bibliography.txt", "bibliography", "bibliography of authors on asylum law")
    doc = new_docx()
    doc.add_heading("Further reading", 1)
    for r in refs[:8]:
        doc.add_paragraph(r)
    save_docx(doc, ctx.path("further_reading.docx"))
    yield benign("further_reading.docx", "bibliography", "Word list of references")

    rows = [[fac, f"{100 + 17 * i} Detention Rd", city, st, ZIPS[city], f"({500 + i}) 555-01{i:02d}"]
            for i, (fac, city, st) in enumerate(FACILITIES)]
    head = ["Facility", "Address", "City", "State", "ZIP", "Phone"]
    ctx.path("facility_list.csv").write_text(csv_text(head, rows), encoding="utf-8")
    yield benign("facility_list.csv", "facility_list", "detention facilities with addresses")
    wb = openpyxl.Workbook()
    wb.active.append(head + ["Operator", "Capacity"])
    for r in rows:
        wb.active.append(r + [rnd.choice(["GEO Group", "CoreCivic", "Government-owned"]), rnd.randint(300, 2000)])
    save_openpyxl(wb, ctx.path("facility_list.xlsx"))
    yield benign("facility_list.xlsx", "facility_list", "facility list with operator and capacity")
    providers = ["Legal Aid Justice Center", "Florence Immigrant & Refugee Rights Project", "RAICES",
                 "Catholic Charities Immigration Services", "Northwest Immigrant Rights Project",
                 "Human Rights First", "Las Americas Immigrant Advocacy Center", "Southern Poverty Law Center"]
    ctx.path("pro_bono_providers.csv").write_text(csv_text(["Organisation", "City", "State", "Phone"], [
        [p, FACILITIES[i][1], FACILITIES[i][2], f"(800) 555-0{110 + i}"] for i, p in enumerate(providers)]),
        encoding="utf-8")
    yield benign("pro_bono_providers.csv", "facility_list", "official list of pro bono legal service organisations")

    judges = ctx.officials("judges", 6)
    rows = [[f"2022-09-{6 + i:02d} 10:00", "Public hearing", t, f"Judge {f} {la}"] for i, ((f, la), t) in
            enumerate(zip(judges, ["Detention standards", "Appeals backlog", "Fee rule", "Interpreter access",
                                   "Juvenile docket", "Annual report"], strict=True))]
    ctx.path("public_hearings_calendar.html").write_text(html_page("Calendar of public hearings", html_table(
        ["When", "Type", "Topic", "Presiding"], rows)), encoding="utf-8")
    yield benign("public_hearings_calendar.html", "public_hearings", "public hearings with presiding judges")


@register
def aggregate_cases(ctx: Ctx):
    rnd = ctx.rng("agg")
    rows = [[f, m, c, rnd.randint(25, 400)] for f, _, _ in FACILITIES for m in MONTHS for c in COUNTRIES[:4]]
    ctx.path("bookins_facility_month_country.csv").write_text(csv_text(["Facility", "Month", "Country", "Book-ins"],
                                                                       rows), encoding="utf-8")
    yield benign("bookins_facility_month_country.csv", "aggregate", f"long table of counts ({len(rows)} rows)")
    rows = [[c, *[rnd.choice(["<25", "*", rnd.randint(25, 700)]) for _ in range(4)]] for c in COUNTRIES]
    ctx.path("suppressed_counts.csv").write_text(csv_text(["Country", "Q1", "Q2", "Q3", "Q4"], rows), encoding="utf-8")
    yield benign("suppressed_counts.csv", "aggregate", "counts with small cells suppressed as '<25' or '*'")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Age and sex"
    ws.append(["Age group", "Female", "Male", "Total"])
    for g in ["18-24", "25-34", "35-44", "45-54", "55+"]:
        a, b = rnd.randint(200, 3000), rnd.randint(200, 3000)
        ws.append([g, a, b, a + b])
    save_openpyxl(wb, ctx.path("detained_by_age_sex.xlsx"))
    yield benign("detained_by_age_sex.xlsx", "aggregate", "detained population by age group and sex")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Solicitudes"
    ws.append(["Solicitantes de asilo por país de nacionalidad, 2022"])
    ws.append(["País", "Solicitudes", "Resoluciones favorables", "Tasa de reconocimiento"])
    for c in ["Venezuela", "Colombia", "Honduras", "Perú", "Nicaragua", "Marruecos", "Malí", "Senegal"]:
        a = rnd.randint(500, 9000)
        b = rnd.randint(25, a // 2)
        ws.append([c, a, b, round(b / a, 3)])
    save_openpyxl(wb, ctx.path("solicitudes_por_pais.xlsx"))
    yield benign("solicitudes_por_pais.xlsx", "aggregate", "Spanish table of asylum applications by country")

    def sameline_b(c):
        t = c.beginText(72, H - 72)
        t.setFont("Helvetica", 10)
        t.textLine("Caseload snapshot")
        for s, n in [("asylum pending", 1234), ("credible fear: positive", 877), ("final order", 455)]:
            t.textLine(f"2022-06-30    {s}    {n:,}")
        c.drawText(t)
        c.showPage()
    ctx.path("caseload_snapshot.pdf").write_bytes(_pdf_bytes(sameline_b))
    yield benign("caseload_snapshot.pdf", "aggregate", "date + status + count on each line (no names)")

    # second statistics workbook: notes, chart and a summary table
    path = ctx.path("statistics_workbook_fy22.xlsx")
    wb = xlsxwriter.Workbook(str(path))
    wb.set_properties({"created": FIXED_DT})
    notes = wb.add_worksheet("Notes")
    for i, line in enumerate(["Detention statistics FY2022", "Counts are book-ins; all cells are 25 or more.",
                              "Prepared by the Office of Statistics."]):
        notes.write(i, 0, line)
    data = wb.add_worksheet("Data")
    data.write_row(0, 0, ["Country", "FY2021", "FY2022"])
    for i, c in enumerate(COUNTRIES[:10], start=1):
        data.write_row(i, 0, [c, rnd.randint(100, 9000), rnd.randint(100, 9000)])
    summ = wb.add_worksheet("Summary")
    summ.write_row(0, 0, ["Row Labels", "Sum of FY2022"])
    for i, c in enumerate(COUNTRIES[:10], start=1):
        summ.write(i, 0, c)
        summ.write_formula(i, 1, f"=Data!C{i + 1}")
    summ.write(11, 0, "Grand Total")
    summ.write_formula(11, 1, "=SUM(B2:B11)")
    ch = wb.add_chart({"type": "pie"})
    ch.add_series({"name": "FY2022", "categories": ["Data", 1, 0, 10, 0], "values": ["Data", 1, 2, 10, 2]})
    summ.insert_chart("D2", ch)
    wb.close()
    normalise_zip(path)
    yield benign("statistics_workbook_fy22.xlsx", "stats_workbook", "notes sheet, data, summary with formulas, chart")

    att = csv_text(["Country", "Book-ins"], [[c, rnd.randint(25, 900)] for c in COUNTRIES])
    ctx.path("stats_for_web.eml").write_text(_eml("June statistics for the web page", "Table attached.",
                                                  "june_counts.csv", "text/csv",
                                                  base64.b64encode(att.encode()).decode()), encoding="ascii")
    yield benign("stats_for_web.eml", "aggregate", "e-mail with a counts CSV attachment")
    ctx.path("monthly_note.html").write_text(html_page("June 2022 detention statistics", paragraphs([
        "In June the average daily population was 24,312, down 3 per cent on May.",
        "Book-ins from Mexico, Guatemala and Honduras made up 61 per cent of the total."])), encoding="utf-8")
    yield benign("monthly_note.html", "aggregate", "statistics prose web page")
