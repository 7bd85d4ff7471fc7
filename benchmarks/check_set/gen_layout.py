"""Layout (transposed, hidden columns, rosters below statistics or split across sheets, odd headers),
text encodings, and file names that are themselves the leak."""

from __future__ import annotations

import openpyxl
import xlsxwriter

from .common import (
    COUNTRIES,
    FIXED_DT,
    MONTHS,
    Ctx,
    benign,
    csv_text,
    d,
    encodable_people,
    leak,
    normalise_zip,
    register,
    save_openpyxl,
    write_targz,
    write_zip,
)
from .people import FACILITIES


def _xlsx(path, rows_by_sheet: list[tuple[str, list[list]]]) -> None:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in rows_by_sheet:
        ws = wb.create_sheet(title)
        for r in rows:
            ws.append(r)
    save_openpyxl(wb, path)


def _counts(ctx: Ctx, key: str, rows=COUNTRIES[:10], cols=MONTHS[:6], label="Country of citizenship"):
    rnd = ctx.rng(key)
    return [[label, *cols]] + [[r, *[rnd.randint(25, 990) for _ in cols]] for r in rows]


@register
def layout_cases(ctx: Ctx):
    # transposed rosters
    ppl = ctx.people("tr1", 15)
    rows = [["Name", *[p.full for p in ppl]], ["A-Number", *[p.anum for p in ppl]],
            ["Date of birth", *[d(p.dob) for p in ppl]], ["Citizenship", *[p.nationality for p in ppl]],
            ["Facility", *[p.facility for p in ppl]]]
    _xlsx(ctx.path("transposed_roster_anum.xlsx"), [("Detainees", rows)])
    yield leak("transposed_roster_anum.xlsx", "layout_transposed", 15, "people as columns, with A-numbers")

    ppl = ctx.people("tr2", 12)
    rows = [["Surname", *[p.last for p in ppl]], ["Given name", *[p.first for p in ppl]],
            ["Born", *[d(p.dob, "%d/%m/%Y") for p in ppl]], ["Country", *[p.nationality for p in ppl]],
            ["Claim", *["asylum"] * len(ppl)]]
    ctx.path("transposed_claimants.csv").write_text(csv_text(None, rows), encoding="utf-8")
    yield leak("transposed_claimants.csv", "layout_transposed", 12, "people as columns, no A-numbers (CSV)")

    ppl = ctx.people("tr3", 7)
    rows = [["", *[f"Case {i + 1}" for i in range(len(ppl))]], ["First name", *[p.first for p in ppl]],
            ["Last name", *[p.last for p in ppl]], ["Age", *[p.age() for p in ppl]],
            ["Nationality", *[p.nationality for p in ppl]], ["Status", *[p.status for p in ppl]]]
    _xlsx(ctx.path("case_comparison_transposed.xlsx"), [("Cases", rows)])
    yield leak("case_comparison_transposed.xlsx", "layout_transposed", 7, "case columns, fields as rows, no A-numbers")

    rnd = ctx.rng("trb")
    rows = [["Measure", *MONTHS[:6]], ["Book-ins", *[rnd.randint(5000, 9000) for _ in range(6)]],
            ["Releases", *[rnd.randint(3000, 8000) for _ in range(6)]],
            ["Average length of stay (days)", *[round(rnd.uniform(25, 60), 1) for _ in range(6)]],
            ["Average daily population", *[rnd.randint(20000, 30000) for _ in range(6)]]]
    _xlsx(ctx.path("monthly_measures_transposed.xlsx"), [("Measures", rows)])
    yield benign("monthly_measures_transposed.xlsx", "layout_transposed", "measures as rows, months as columns")

    # hidden column beside aggregates
    ppl = ctx.people("hc1", 12)
    rnd = ctx.rng("hc1c")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Facility by country"
    ws.append(["Facility", "Country", "Detained", "", "Notes"])
    for i in range(12):
        f = FACILITIES[i % len(FACILITIES)][0]
        ws.append([f, COUNTRIES[i], rnd.randint(25, 400), f"{ppl[i].last}, {ppl[i].first}", ""])
    for i in range(12, 20):
        ws.append([FACILITIES[i % len(FACILITIES)][0], COUNTRIES[i], rnd.randint(25, 400), None, ""])
    ws.column_dimensions["D"].hidden = True
    save_openpyxl(wb, ctx.path("facility_by_country_hidden_col.xlsx"))
    yield leak("facility_by_country_hidden_col.xlsx", "layout_hidden_column", 12,
               "facility-by-country counts (>= 25) with hidden column D holding 12 names")

    ppl = ctx.people("hc2", 20)
    wb = xlsxwriter.Workbook(str(ctx.path("monthly_hidden_cols.xlsx")))
    wb.set_properties({"created": FIXED_DT})
    ws = wb.add_worksheet("Monthly")
    for r, row in enumerate(_counts(ctx, "hc2c", rows=COUNTRIES[:20])):
        ws.write_row(r, 0, row)
    ws.write_row(0, 9, ["ref", "dob"])
    for r, p in enumerate(ppl, start=1):
        ws.write_row(r, 9, [f"{p.anum} {p.last.upper()}", d(p.dob)])
    ws.set_column(9, 10, None, None, {"hidden": True})
    wb.close()
    normalise_zip(ctx.path("monthly_hidden_cols.xlsx"))
    yield leak("monthly_hidden_cols.xlsx", "layout_hidden_column", 20,
               "monthly counts; hidden columns J:K pair A-number+surname with DOB")

    wb = openpyxl.Workbook()
    ws = wb.active
    for row in _counts(ctx, "hcb", cols=["FY2021", "FY2022", "Change %"]):
        ws.append(row)
    ws.column_dimensions["D"].hidden = True
    save_openpyxl(wb, ctx.path("counts_hidden_change_col.xlsx"))
    yield benign("counts_hidden_change_col.xlsx", "layout_hidden_column", "counts with a hidden column of numbers")

    # roster below statistics
    ppl = ctx.people("bs1", 30)
    rows = _counts(ctx, "bs1c") + [[], [], ["Detainee list (internal)"],
                                   ["A-Number", "Name", "DOB", "Country", "Facility"]]
    rows += [[p.anum, p.full, d(p.dob), p.nationality, p.facility] for p in ppl]
    _xlsx(ctx.path("stats_then_roster.xlsx"), [("June 2022", rows)])
    yield leak("stats_then_roster.xlsx", "layout_roster_below", 30, "counts table, two blank rows, then a roster")

    ppl = ctx.people("bs2", 16)
    rows = _counts(ctx, "bs2c", cols=["Detained"]) + [["Total", 9999], [], ["name", "born", "claim"]]
    rows += [[f"{p.last.upper()} {p.first}", d(p.dob, "%m/%d/%Y"), "asylum"] for p in ppl]
    ctx.path("stats_then_names.csv").write_text(csv_text(None, rows), encoding="utf-8")
    yield leak("stats_then_names.csv", "layout_roster_below", 16, "CSV: counts, total, then 16 named claimants")

    rows = _counts(ctx, "bsb") + [[], ["Notes"], ["Counts under 25 are suppressed."],
                                  ["Source: enforcement case system, extract of 1 July 2022."]]
    _xlsx(ctx.path("stats_then_notes.xlsx"), [("June 2022", rows)])
    yield benign("stats_then_notes.xlsx", "layout_roster_below", "counts followed by notes")

    # split across two sheets
    ppl = ctx.people("sp1", 40)
    head = ["A-Number", "Last Name", "First Name", "DOB", "Citizenship"]
    rows = [[p.anum, p.last, p.first, d(p.dob), p.nationality] for p in ppl]
    _xlsx(ctx.path("roster_two_sheets.xlsx"), [("Roster (1)", [head] + rows[:20]), ("Roster (2)", [head] + rows[20:])])
    yield leak("roster_two_sheets.xlsx", "layout_split_sheets", 40, "40 people, 20 per sheet, header repeated")

    ppl = ctx.people("sp2", 26)
    rows = [[p.full, d(p.dob), p.nationality, "asylum pending"] for p in ppl]
    _xlsx(ctx.path("roster_continued.xlsx"),
          [("Sheet1", [["Name", "DOB", "Nationality", "Status"]] + rows[:13]), ("Sheet2", rows[13:])])
    yield leak("roster_continued.xlsx", "layout_split_sheets", 26, "second sheet continues without a header")

    # odd header spellings
    variants = [
        ("hdr_firstname.csv", ["firstname", "lastname", "dob", "country"], ",", 25),
        ("hdr_camel.csv", ["FirstName", "LastName", "BirthDate", "CountryOfCitizenship"], ",", 18),
        ("hdr_given_surname.csv", ["given_name", "Surname", "born", "nationality"], ";", 22),
        ("hdr_spacing.tsv", ["  First   Name ", " Surname  ", "D.O.B.", "Nat."], "\t", 14),
        ("hdr_runtogether.csv", ["FIRSTNAMELASTNAME", "DATEOFBIRTH", "COUNTRYOFBIRTH"], ",", 20),
        ("hdr_givenname.csv", ["GivenName", "FamilyName", "YearOfBirth", "Citizenship"], "|", 17),
    ]
    for name, header, delim, n in variants:
        ppl = ctx.people(name, n)
        if len(header) == 3:
            rows = [[f"{p.first} {p.last}", d(p.dob), p.nationality] for p in ppl]
        elif "YearOfBirth" in header:
            rows = [[p.first, p.last, p.dob.year, p.nationality] for p in ppl]
        else:
            rows = [[p.first, p.last, d(p.dob), p.nationality] for p in ppl]
        ctx.path(name).write_text(csv_text(header, rows, delim), encoding="utf-8")
        yield leak(name, "layout_header_spelling", n, f"roster with header {header[:2]!r}, delimiter {delim!r}")
    ppl = ctx.people("hdr_caps", 19)
    _xlsx(ctx.path("hdr_caps.xlsx"), [("Export", [["FIRST NAME", "LAST NAME", "DATE OF BIRTH", "STATUS"]]
                                      + [[p.first.upper(), p.last.upper(), p.dob, "ASYLUM"] for p in ppl])])
    yield leak("hdr_caps.xlsx", "layout_header_spelling", 19, "headers 'FIRST NAME'/'LAST NAME', real date cells")
    ppl = ctx.people("hdr_combined", 21)
    _xlsx(ctx.path("hdr_combined.xlsx"), [("x", [["LASTNAME,FIRSTNAME", "Dob", "Cntry"]]
                                          + [[f"{p.last.upper()},{p.first.upper()}", d(p.dob), p.iso3]
                                             for p in ppl])])
    yield leak("hdr_combined.xlsx", "layout_header_spelling", 21, "one 'LASTNAME,FIRSTNAME' column")


@register
def encoding_cases(ctx: Ctx):
    head = ["Last name", "First name", "Date of birth", "Nationality", "Status"]
    for name, enc, bom in [("roster_utf16be.csv", "utf-16-be", b""), ("roster_utf16le.csv", "utf-16-le", b""),
                           ("roster_utf8_bom.csv", "utf-8", b"\xef\xbb\xbf")]:
        ppl = ctx.people(name, 24)
        text = csv_text(head, [[p.last, p.first, d(p.dob), p.nationality, p.status] for p in ppl])
        ctx.path(name).write_bytes(bom + text.encode(enc))
        yield leak(name, "encoding", 24, f"CSV roster in {enc}{' with BOM' if bom else ' without BOM'}")
    ppl = encodable_people(ctx, "enc_latin1", 23, "latin-1")
    text = csv_text(["Apellidos", "Nombre", "Fecha de nacimiento", "País", "Situación"],
                    [[p.last, p.first, d(p.dob, "%d/%m/%Y"), p.nationality, "solicitante de asilo"] for p in ppl],
                    ";")
    ctx.path("roster_latin1.csv").write_bytes(text.encode("latin-1"))
    yield leak("roster_latin1.csv", "encoding", 23, "Latin-1 CSV, Spanish headers")
    ppl = encodable_people(ctx, "enc_cp1252", 21, "cp1252")
    ppl[0] = ppl[0].__class__(**{**ppl[0].__dict__, "last": "D\u2019Souza"})
    assert len({p.full for p in ppl}) == len(ppl)
    text = csv_text(["Name", "DOB", "Country", "Note"],
                    [[p.full, d(p.dob), p.nationality, "\u201cfears return\u201d \u2013 asylum"] for p in ppl])
    ctx.path("roster_cp1252.csv").write_bytes(text.encode("cp1252"))
    yield leak("roster_cp1252.csv", "encoding", 21, "Windows-1252 CSV with curly quotes and an en dash")

    text = csv_text(None, _counts(ctx, "encb1"))
    ctx.path("counts_utf16le.csv").write_bytes(text.encode("utf-16-le"))
    yield benign("counts_utf16le.csv", "encoding", "counts CSV in UTF-16 LE without BOM")
    text = csv_text(None, [["País", "Solicitudes"]] + [[c, n] for c, n in
                                                       zip(["México", "Perú", "Haití", "Panamá", "Colombia"],
                                                           [412, 233, 318, 97, 655], strict=True)], ";")
    ctx.path("solicitudes_latin1.csv").write_bytes(text.encode("latin-1"))
    yield benign("solicitudes_latin1.csv", "encoding", "Latin-1 CSV of applications by country")


@register
def filename_cases(ctx: Ctx):
    name = "NGUYEN_CITLALI_A523938499_asylum.txt"
    ctx.path(name).write_text("Scan batch 14. Pages: 3. Quality check passed.\n", encoding="utf-8")
    yield leak(name, "file_name", 1, "harmless text; the file NAME carries name, A-number and 'asylum'")
    p = ctx.people("fn2", 1)[0]
    name2 = f"{p.last.upper()}_{p.first.split()[0]}_{p.anum_dashed}_credible_fear_notes.txt"
    ctx.path(name2).write_text("Document received. See case file.\n", encoding="utf-8")
    yield leak(name2, "file_name", 1, "harmless text; name and dashed A-number in the file name")

    ppl = ctx.people("fn3", 8)
    members = [(f"{p.last.upper()}_{p.first.split()[0]}_{p.anum}.txt", "Checklist: complete.\n") for p in ppl]
    write_zip(ctx.path("case_files_batch.zip"), members)
    yield leak("case_files_batch.zip", "file_name", 8, "zip members named SURNAME_Given_A-number, bland content")

    ppl = ctx.people("fn4", 6)
    write_targz(ctx.path("asylum_declarations.tar.gz"),
                [(f"asylum/{p.anum}/{p.last}_{p.first.split()[0]}/declaration.txt", "Declaration received.\n")
                 for p in ppl])
    yield leak("asylum_declarations.tar.gz", "file_name", 6, "tar.gz folders named by A-number and name")

    ctx.path("FY2022_detention_statistics_v3_FINAL.csv").write_text(csv_text(None, _counts(ctx, "fnb")),
                                                                   encoding="utf-8")
    yield benign("FY2022_detention_statistics_v3_FINAL.csv", "file_name", "plain file name, counts")
    write_zip(ctx.path("statistics_tables_2022.zip"),
              [(f"table_{m.lower()}_2022.csv", csv_text(None, _counts(ctx, "fnbz" + m))) for m in MONTHS[:6]])
    yield benign("statistics_tables_2022.zip", "file_name", "zip of monthly count tables named by month")
