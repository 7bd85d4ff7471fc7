"""Workbook parts: charts, conditional formats, VBA, sheet names, custom XML, data validation, comments,
threaded comments, defined names, pivot caches; and benign workbooks that use the same parts for statistics."""

from __future__ import annotations

from xml.sax.saxutils import escape

import openpyxl
import xlsxwriter
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill
from openpyxl.workbook.defined_name import DefinedName

from .common import COUNTRIES, FIXED_DT, MONTHS, Ctx, benign, d, leak, normalise_zip, register, save_openpyxl
from .ole import vba_project
from .ooxml import OFFICE_REL, Package
from .people import FACILITIES


def _xw(path, **opts) -> xlsxwriter.Workbook:
    wb = xlsxwriter.Workbook(str(path), opts)
    wb.set_properties({"created": FIXED_DT, "author": "Statistics Unit"})
    return wb


def _close(wb: xlsxwriter.Workbook) -> None:
    wb.close()
    normalise_zip(__import__("pathlib").Path(wb.filename))


def _counts_sheet(ws, ctx: Ctx, key: str, rows=COUNTRIES[:10], cols=MONTHS[:6], title=None, r0=0) -> int:
    """Write a counts table (all >= 25); return the next free row."""
    rnd = ctx.rng(key)
    if title:
        ws.write(r0, 0, title)
        r0 += 2
    ws.write(r0, 0, "Country of citizenship")
    for j, c in enumerate(cols, start=1):
        ws.write(r0, j, c)
    for i, r in enumerate(rows, start=1):
        ws.write(r0 + i, 0, r)
        for j in range(1, len(cols) + 1):
            ws.write(r0 + i, j, rnd.randint(25, 990))
    return r0 + len(rows) + 1


def _counts_openpyxl(ws, ctx: Ctx, key: str, rows=COUNTRIES[:10], cols=MONTHS[:6]) -> None:
    rnd = ctx.rng(key)
    ws.append(["Country of citizenship", *cols])
    for r in rows:
        ws.append([r, *[rnd.randint(25, 990) for _ in cols]])


@register
def chart_cases(ctx: Ctx):
    ppl = ctx.people("chart1", 8)
    wb = _xw(ctx.path("custody_days_chart.xlsx"))
    ws = wb.add_worksheet("Data")
    rnd = ctx.rng("chart1v")
    ws.write_row(0, 0, ["Month"] + [f"Series {i + 1}" for i in range(len(ppl))])
    for i, m in enumerate(MONTHS):
        ws.write(i + 1, 0, m)
        ws.write_row(i + 1, 1, [rnd.randint(0, 31) for _ in ppl])
    ch = wb.add_chart({"type": "line"})
    for j, p in enumerate(ppl, start=1):
        ch.add_series({"name": f"{p.full} ({p.anum})", "categories": ["Data", 1, 0, 12, 0],
                       "values": ["Data", 1, j, 12, j]})
    ch.set_title({"name": "Days in custody per month - asylum seekers held > 180 days"})
    ws.insert_chart("K2", ch)
    _close(wb)
    yield leak("custody_days_chart.xlsx", "xlsx_chart", 8,
               "chart series names are people with A-numbers; the data sheet has only numbers")

    ppl = ctx.people("chart2", 5)
    wb = _xw(ctx.path("case_timeline_charts.xlsx"))
    ws = wb.add_worksheet("Figures")
    ws.write_row(0, 0, ["Stage", "Days"])
    for i, s in enumerate(["Apprehension", "Credible fear interview", "IJ review", "Merits hearing"], start=1):
        ws.write_row(i, 0, [s, 10 * i])
    for k, p in enumerate(ppl):
        ch = wb.add_chart({"type": "bar"})
        ch.add_series({"name": "Days", "categories": ["Figures", 1, 0, 4, 0], "values": ["Figures", 1, 1, 4, 1]})
        ch.set_title({"name": f"Asylum case timeline: {p.full}, {p.nationality}, born {d(p.dob)}"})
        ws.insert_chart(1 + 16 * k, 4, ch)
    _close(wb)
    yield leak("case_timeline_charts.xlsx", "xlsx_chart", 5, "five charts whose titles name an asylum seeker")

    wb = _xw(ctx.path("bookins_chart.xlsx"))
    ws = wb.add_worksheet("Book-ins")
    _counts_sheet(ws, ctx, "chart_b", cols=["FY2021", "FY2022"])
    ch = wb.add_chart({"type": "column"})
    for j, fy in enumerate(["FY2021", "FY2022"], start=1):
        ch.add_series({"name": fy, "categories": ["Book-ins", 1, 0, 10, 0], "values": ["Book-ins", 1, j, 10, j]})
    ch.set_title({"name": "Initial book-ins by country of citizenship"})
    ws.insert_chart("E2", ch)
    _close(wb)
    yield benign("bookins_chart.xlsx", "xlsx_chart", "chart of counts by country, series named by fiscal year")


@register
def cond_format_cases(ctx: Ctx):
    ppl = ctx.people("cf1", 10)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Credible fear detention log"
    _counts_openpyxl(ws, ctx, "cf1c")
    red = PatternFill(start_color="FFC7CE", end_color="FFC7CE", fill_type="solid")
    for p in ppl:
        ws.conditional_formatting.add("A2:G200", FormulaRule(formula=[f'$A2="{p.last.upper()}, {p.first}"'],
                                                             fill=red))
    save_openpyxl(wb, ctx.path("cfi_log_formatted.xlsx"))
    yield leak("cfi_log_formatted.xlsx", "xlsx_conditional_format", 10,
               "counts sheet titled 'Credible fear detention log'; 10 conditional-format rules each name a person")

    ppl = ctx.people("cf2", 7)
    wb = _xw(ctx.path("watchlist_highlight.xlsx"))
    ws = wb.add_worksheet("Summary")
    _counts_sheet(ws, ctx, "cf2c")
    fmt = wb.add_format({"bg_color": "#FFEB9C"})
    for p in ppl:
        ws.conditional_format("A2:G50", {"type": "formula", "format": fmt,
                                         "criteria": f'=OR($B2="{p.anum}",$C2="{p.full}")'})
    _close(wb)
    yield leak("watchlist_highlight.xlsx", "xlsx_conditional_format", 7,
               "conditional-format formulas pair names with A-numbers")

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Book-ins"
    _counts_openpyxl(ws, ctx, "cfbc")
    ws.conditional_formatting.add("B2:G11", FormulaRule(formula=["B2>500"],
                                                        fill=PatternFill(start_color="FFC7CE", fill_type="solid")))
    ws.conditional_formatting.add("A2:A11", FormulaRule(formula=['$A2="Mexico"'],
                                                        fill=PatternFill(start_color="C6EFCE", fill_type="solid")))
    save_openpyxl(wb, ctx.path("bookins_highlighted.xlsx"))
    yield benign("bookins_highlighted.xlsx", "xlsx_conditional_format", "counts with threshold/country highlight rules")


def _vba_roster(ppl) -> str:
    lines = ["Attribute VB_Name = \"Roster\"", "Option Explicit", "",
             "' Loads the detainee roster for the monthly report", "Public Function DetaineeRoster() As Variant",
             f"    Dim r({len(ppl) - 1}) As String"]
    for i, p in enumerate(ppl):
        lines.append(f"    r({i}) = \"{p.last.upper()}|{p.first}|{p.anum}|{d(p.dob)}|{p.nationality}|asylum\"")
    lines += ["    DetaineeRoster = r", "End Function", "",
              "Public Sub FillSummary()", "    Sheets(\"Summary\").Range(\"B2\").Value = UBound(DetaineeRoster) + 1",
              "End Sub", ""]
    return "\r\n".join(lines)


@register
def vba_cases(ctx: Ctx):
    ppl = ctx.people("vba1", 20)
    binpath = ctx.out / ".vba_tmp.bin"
    binpath.write_bytes(vba_project([("Roster", _vba_roster(ppl))]))
    wb = _xw(ctx.path("detention_report.xlsm"))
    ws = wb.add_worksheet("Summary")
    _counts_sheet(ws, ctx, "vba1c", title="Detention statistics FY2022")
    wb.add_vba_project(str(binpath))
    _close(wb)
    yield leak("detention_report.xlsm", "xlsx_vba", 20,
               "vbaProject.bin module holds a roster as a string array (names, A-numbers, DOB)")

    ppl = ctx.people("vba2", 90)
    binpath.write_bytes(vba_project([("Module1", "Attribute VB_Name = \"Module1\"\r\nSub Nothing()\r\nEnd Sub\r\n"),
                                     ("Roster", _vba_roster(ppl))]))
    wb = _xw(ctx.path("monthly_macro_report.xlsm"))
    ws = wb.add_worksheet("Summary")
    _counts_sheet(ws, ctx, "vba2c")
    wb.add_vba_project(str(binpath))
    _close(wb)
    yield leak("monthly_macro_report.xlsm", "xlsx_vba", 90,
               "two VBA modules; the second holds 90 people (source spans several compression chunks)")

    src = ("Attribute VB_Name = \"Format\"\r\nPublic Sub ApplyFormats()\r\n"
           "    Sheets(\"Summary\").Range(\"B2:G11\").NumberFormat = \"#,##0\"\r\n"
           "    Sheets(\"Summary\").Columns(\"A\").AutoFit\r\nEnd Sub\r\n")
    binpath.write_bytes(vba_project([("Format", src)]))
    wb = _xw(ctx.path("statistics_with_macro.xlsm"))
    _counts_sheet(wb.add_worksheet("Summary"), ctx, "vbabc")
    wb.add_vba_project(str(binpath))
    _close(wb)
    binpath.unlink()
    yield benign("statistics_with_macro.xlsm", "xlsx_vba", "counts workbook with a formatting macro")


@register
def sheet_name_cases(ctx: Ctx):
    ppl = ctx.people("sheets1", 12)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Index"
    ws["A1"] = "Credible fear detention log"
    ws["A2"] = "One sheet per case. Outcomes as of 30 June 2022."
    for p in ppl:
        s = wb.create_sheet(f"{p.last.upper()} {p.first}"[:31])
        s.append(["Field", "Value"])
        s.append(["Interview date", d(p.arrived)])
        s.append(["Outcome", "positive"])
        s.append(["Facility", p.facility])
    save_openpyxl(wb, ctx.path("cfi_detention_log.xlsx"))
    yield leak("cfi_detention_log.xlsx", "xlsx_sheet_names", 12,
               "sheet names are people under the title 'Credible fear detention log'")

    ppl = ctx.people("sheets2", 9)
    wb = openpyxl.Workbook()
    wb.active.title = "Totals"
    wb.active.append(["Cases", len(ppl)])
    for p in ppl:
        s = wb.create_sheet(f"{p.anum} {p.last}"[:31])
        s.append(["Hearing", "Asylum merits"])
    save_openpyxl(wb, ctx.path("merits_hearings_by_case.xlsx"))
    yield leak("merits_hearings_by_case.xlsx", "xlsx_sheet_names", 9, "sheet names are A-number + surname")

    wb = openpyxl.Workbook()
    wb.active.title = "Notes"
    wb.active["A1"] = "Monthly detention statistics; one sheet per month."
    for m in MONTHS:
        _counts_openpyxl(wb.create_sheet(f"{m} 2022"), ctx, "sheetsb" + m)
    save_openpyxl(wb, ctx.path("monthly_sheets.xlsx"))
    yield benign("monthly_sheets.xlsx", "xlsx_sheet_names", "one sheet per month of counts")


def _custom_xml(ppl) -> str:
    recs = "".join(f"<Person><GivenName>{escape(p.first)}</GivenName><FamilyName>{escape(p.last)}</FamilyName>"
                   f"<BirthDate>{d(p.dob)}</BirthDate><Nationality>{escape(p.nationality)}</Nationality>"
                   f"<CaseType>Asylum</CaseType></Person>" for p in ppl)
    return f'<?xml version="1.0" encoding="UTF-8"?><CaseData xmlns="urn:example:casedata">{recs}</CaseData>'


def _add_custom_xml(pkg: Package, source: str, xml: str) -> None:
    pkg.put("customXml/item1.xml", xml)
    pkg.put("customXml/itemProps1.xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="no"?><ds:datastoreItem '
            'ds:itemID="{6A1C3F52-7D1E-4E2B-9A57-2B9D5C3E0F11}" '
            'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs>'
            '<ds:schemaRef ds:uri="urn:example:casedata"/></ds:schemaRefs></ds:datastoreItem>',
            "application/vnd.openxmlformats-officedocument.customXmlProperties+xml")
    pkg.relate("customXml/item1.xml", f"{OFFICE_REL}/customXmlProps", "itemProps1.xml")
    pkg.relate(source, f"{OFFICE_REL}/customXml", "../customXml/item1.xml")


@register
def custom_xml_cases(ctx: Ctx):
    import docx

    ppl = ctx.people("cx1", 15)
    wb = openpyxl.Workbook()
    _counts_openpyxl(wb.active, ctx, "cx1c")
    path = ctx.path("statistics_customxml.xlsx")
    save_openpyxl(wb, path)
    pkg = Package(path)
    _add_custom_xml(pkg, "xl/workbook.xml", _custom_xml(ppl))
    pkg.save()
    yield leak("statistics_customxml.xlsx", "ooxml_custom_xml", 15,
               "counts workbook; customXml/item1.xml holds 15 person records")

    ppl = ctx.people("cx2", 10)
    doc = docx.Document()
    doc.core_properties.created = FIXED_DT
    doc.core_properties.modified = FIXED_DT
    doc.core_properties.author = "Policy Office"
    doc.add_heading("Quarterly asylum processing update", 1)
    doc.add_paragraph("Processing times fell in the second quarter. Tables follow in the annex.")
    path = ctx.path("quarterly_update.docx")
    doc.save(path)
    pkg = Package(path)
    _add_custom_xml(pkg, "word/document.xml", _custom_xml(ppl))
    pkg.save()
    yield leak("quarterly_update.docx", "ooxml_custom_xml", 10, "Word prose; customXml part holds 10 person records")

    wb = openpyxl.Workbook()
    _counts_openpyxl(wb.active, ctx, "cxbc")
    path = ctx.path("statistics_sharepoint.xlsx")
    save_openpyxl(wb, path)
    pkg = Package(path)
    _add_custom_xml(pkg, "xl/workbook.xml",
                    '<?xml version="1.0"?><p:properties xmlns:p="http://schemas.microsoft.com/office/2006/metadata/'
                    'properties"><documentManagement><ContentType>Statistics</ContentType><FiscalYear>2022'
                    '</FiscalYear><Division>Statistics Unit</Division><Retention>Permanent</Retention>'
                    '</documentManagement></p:properties>')
    pkg.save()
    yield benign("statistics_sharepoint.xlsx", "ooxml_custom_xml", "counts with SharePoint metadata custom XML")


@register
def validation_cases(ctx: Ctx):
    ppl = ctx.people("dv1", 10)
    names = [p.full for p in ppl]
    while len(",".join(names)) > 250:
        names.pop()
    wb = _xw(ctx.path("detainee_picker.xlsx"))
    ws = wb.add_worksheet("Counts")
    _counts_sheet(ws, ctx, "dv1c", title="Book-ins under the credible fear process")
    ws.write("I1", "Select detainee")
    ws.data_validation("I2", {"validate": "list", "source": names})
    _close(wb)
    yield leak("detainee_picker.xlsx", "xlsx_data_validation", len(names),
               "data-validation dropdown lists detainee names next to counts")

    ppl = ctx.people("dv2", 6)
    items = [f"{p.last} {p.first[0]}. {p.anum}" for p in ppl]
    wb = openpyxl.Workbook()
    ws = wb.active
    _counts_openpyxl(ws, ctx, "dv2c")
    from openpyxl.worksheet.datavalidation import DataValidation
    dv = DataValidation(type="list", formula1='"' + ",".join(items) + '"', allow_blank=True)
    ws.add_data_validation(dv)
    dv.add("J2:J40")
    save_openpyxl(wb, ctx.path("case_dropdown.xlsx"))
    yield leak("case_dropdown.xlsx", "xlsx_data_validation", 6, "dropdown items are surname, initial and A-number")

    wb = _xw(ctx.path("country_picker.xlsx"))
    ws = wb.add_worksheet("Counts")
    _counts_sheet(ws, ctx, "dvbc")
    ws.data_validation("I2", {"validate": "list", "source": COUNTRIES[:12]})
    _close(wb)
    yield benign("country_picker.xlsx", "xlsx_data_validation", "dropdown of countries beside counts")


@register
def comment_cases(ctx: Ctx):
    ppl = ctx.people("cm1", 10)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "By facility"
    rnd = ctx.rng("cm1c")
    ws.append(["Facility", "Detained", "Released"])
    for f, _, _ in FACILITIES[:10]:
        ws.append([f, rnd.randint(40, 900), rnd.randint(25, 300)])
    for i, p in enumerate(ppl):
        ws.cell(row=2 + i, column=2).comment = Comment(
            f"Includes {p.first} {p.last.upper()} ({p.anum}), born {d(p.dob)}, asylum claim pending", "Analyst")
    save_openpyxl(wb, ctx.path("facility_counts_notes.xlsx"))
    yield leak("facility_counts_notes.xlsx", "xlsx_comments", 10,
               "counts by facility; cell notes name the people included, with A-numbers and DOB")

    ppl = ctx.people("cm2", 6)
    wb = openpyxl.Workbook()
    ws = wb.active
    _counts_openpyxl(ws, ctx, "cm2c")
    path = ctx.path("threaded_review.xlsx")
    save_openpyxl(wb, path)
    pkg = Package(path)
    author = "{3B8E2E61-8B5B-4C1F-9C51-6A1E5D7F0001}"
    comments = "".join(
        f'<threadedComment ref="B{i + 2}" dT="2022-06-2{i % 9}T10:00:00.00" personId="{author}" '
        f'id="{{3B8E2E61-8B5B-4C1F-9C51-6A1E5D7F1{i:03d}}}"><text>Is {escape(p.full)} ({escape(p.nationality)}, '
        f'DOB {d(p.dob)}) counted here? She/he withdrew the asylum claim.</text></threadedComment>'
        for i, p in enumerate(ppl))
    ns = ('xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments" '
          'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"')
    pkg.put("xl/threadedComments/threadedComment1.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><ThreadedComments {ns}>{comments}'
            "</ThreadedComments>", "application/vnd.ms-excel.threadedcomments+xml")
    pkg.put("xl/persons/person.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><personList {ns}><person '
            f'displayName="Statistics Unit" id="{author}" userId="stats" providerId="None"/></personList>',
            "application/vnd.ms-excel.person+xml")
    pkg.relate("xl/worksheets/sheet1.xml", "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment",
               "../threadedComments/threadedComment1.xml")
    pkg.relate("xl/workbook.xml", "http://schemas.microsoft.com/office/2017/10/relationships/person",
               "persons/person.xml")
    pkg.save()
    yield leak("threaded_review.xlsx", "xlsx_comments", 6,
               "threaded comments (no legacy notes) ask whether named people with DOB are counted")

    wb = openpyxl.Workbook()
    ws = wb.active
    _counts_openpyxl(ws, ctx, "cmbc")
    ws["B2"].comment = Comment("Revised 2022-07-15 after late data from two facilities.", "Statistics Unit")
    ws["A1"].comment = Comment("Country of citizenship as recorded at book-in.", "Statistics Unit")
    save_openpyxl(wb, ctx.path("counts_with_notes.xlsx"))
    yield benign("counts_with_notes.xlsx", "xlsx_comments", "counts with methodological cell notes")


@register
def defined_name_cases(ctx: Ctx):
    ppl = ctx.people("dn1", 12)
    wb = openpyxl.Workbook()
    _counts_openpyxl(wb.active, ctx, "dn1c")
    for i, p in enumerate(ppl, start=1):
        wb.defined_names[f"Detainee_{i:02d}"] = DefinedName(
            f"Detainee_{i:02d}", attr_text=f'"{p.last.upper()}, {p.first} - {p.anum} - {p.nationality}"')
    save_openpyxl(wb, ctx.path("named_constants.xlsx"))
    yield leak("named_constants.xlsx", "xlsx_defined_names", 12,
               "defined names whose values are 'SURNAME, Given - A-number - nationality'")

    ppl = ctx.people("dn2", 8)
    wb = openpyxl.Workbook()
    _counts_openpyxl(wb.active, ctx, "dn2c")
    arr = ",".join(f'"{p.full}"' for p in ppl)
    wb.defined_names["AsylumApplicants"] = DefinedName("AsylumApplicants", attr_text="{" + arr + "}")
    save_openpyxl(wb, ctx.path("named_array.xlsx"))
    yield leak("named_array.xlsx", "xlsx_defined_names", 8, "one defined name: array constant of applicants' names")

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Counts"
    _counts_openpyxl(ws, ctx, "dnbc")
    wb.defined_names["CountryTable"] = DefinedName("CountryTable", attr_text="Counts!$A$1:$G$11")
    wb.defined_names["ReportYear"] = DefinedName("ReportYear", attr_text="2022")
    wb.defined_names["Source"] = DefinedName("Source", attr_text='"Enforcement data system, extract of 2022-07-01"')
    save_openpyxl(wb, ctx.path("named_ranges.xlsx"))
    yield benign("named_ranges.xlsx", "xlsx_defined_names", "defined names for ranges and constants (no people)")


def _pivot(pkg: Package, sheet_name: str, fields: list[tuple[str, list]], records: list[list], anchor: str,
           data_ref: str) -> None:
    """Add a pivot cache (definition + records) and a pivot table on sheet2 summing the last field by the first."""
    cf = []
    for name, items in fields:
        if items and isinstance(items[0], str):
            cf.append(f'<cacheField name="{escape(name)}" numFmtId="0"><sharedItems count="{len(items)}">'
                      + "".join(f'<s v="{escape(v)}"/>' for v in items) + "</sharedItems></cacheField>")
        else:
            cf.append(f'<cacheField name="{escape(name)}" numFmtId="0"><sharedItems containsSemiMixedTypes="0" '
                      'containsString="0" containsNumber="1" containsInteger="1" minValue="0" maxValue="100000"/>'
                      "</cacheField>")
    main = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = f'xmlns:r="{OFFICE_REL}"'
    pkg.put("xl/pivotCache/pivotCacheDefinition1.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><pivotCacheDefinition {main} {rel} r:id="rId1" '
            f'refreshOnLoad="1" recordCount="{len(records)}"><cacheSource type="worksheet"><worksheetSource '
            f'ref="{data_ref}" sheet="{sheet_name}"/></cacheSource><cacheFields count="{len(fields)}">{"".join(cf)}'
            "</cacheFields></pivotCacheDefinition>",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotCacheDefinition+xml")
    recs = "".join("<r>" + "".join(f'<x v="{v}"/>' if isinstance(fields[k][1], list) and fields[k][1]
                                   and isinstance(fields[k][1][0], str) else f'<n v="{v}"/>'
                                   for k, v in enumerate(rec)) + "</r>" for rec in records)
    pkg.put("xl/pivotCache/pivotCacheRecords1.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><pivotCacheRecords {main} {rel} '
            f'count="{len(records)}">{recs}</pivotCacheRecords>',
            "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotCacheRecords+xml")
    pkg.relate("xl/pivotCache/pivotCacheDefinition1.xml", f"{OFFICE_REL}/pivotCacheRecords", "pivotCacheRecords1.xml")
    rid = pkg.relate("xl/workbook.xml", f"{OFFICE_REL}/pivotCacheDefinition",
                     "pivotCache/pivotCacheDefinition1.xml")
    wbxml = pkg.text("xl/workbook.xml")
    pc = f'<pivotCaches><pivotCache cacheId="1" r:id="{rid}"/></pivotCaches>'
    wbxml = wbxml.replace("<calcPr", pc + "<calcPr", 1) if "<calcPr" in wbxml else wbxml.replace(
        "</workbook>", pc + "</workbook>")
    if "xmlns:r=" not in wbxml.split(">", 2)[1]:
        wbxml = wbxml.replace("<workbook ", f"<workbook {rel} ", 1)
    pkg.parts["xl/workbook.xml"] = wbxml.encode("utf-8")
    row_items = fields[0][1]
    pfs = []
    for k, (_name, items) in enumerate(fields):
        if k == 0:
            pfs.append(f'<pivotField axis="axisRow" showAll="0"><items count="{len(items) + 1}">'
                       + "".join(f'<item x="{i}"/>' for i in range(len(items))) + '<item t="default"/></items>'
                       "</pivotField>")
        elif k == len(fields) - 1:
            pfs.append('<pivotField dataField="1" showAll="0"/>')
        else:
            pfs.append('<pivotField showAll="0"/>')
    n = len(row_items)
    pkg.put("xl/pivotTables/pivotTable1.xml",
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><pivotTableDefinition {main} name="PivotTable1" '
            'cacheId="1" applyNumberFormats="0" applyBorderFormats="0" applyFontFormats="0" applyPatternFormats="0" '
            'applyAlignmentFormats="0" applyWidthHeightFormats="1" dataCaption="Values" updatedVersion="6" '
            f'minRefreshableVersion="3" createdVersion="6" indent="0" outline="1" outlineData="1">'
            f'<location ref="{anchor}1:{chr(ord(anchor) + 1)}{n + 2}" firstHeaderRow="1" firstDataRow="1" '
            f'firstDataCol="1"/><pivotFields count="{len(fields)}">{"".join(pfs)}</pivotFields>'
            f'<rowFields count="1"><field x="0"/></rowFields><rowItems count="{n + 1}">'
            + "".join(f'<i><x v="{i}"/></i>' if i else "<i><x/></i>" for i in range(n)) + '<i t="grand"><x/></i>'
            f'</rowItems><colItems count="1"><i/></colItems><dataFields count="1"><dataField '
            f'name="Sum of {escape(fields[-1][0])}" fld="{len(fields) - 1}" baseField="0" baseItem="0"/>'
            "</dataFields></pivotTableDefinition>",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.pivotTable+xml")
    pkg.relate("xl/pivotTables/pivotTable1.xml", f"{OFFICE_REL}/pivotCacheDefinition",
               "../pivotCache/pivotCacheDefinition1.xml")
    pkg.relate("xl/worksheets/sheet2.xml", f"{OFFICE_REL}/pivotTable", "../pivotTables/pivotTable1.xml")


@register
def pivot_cases(ctx: Ctx):
    # benign: notes sheet, data of counts, pivot of counts by country, chart of counts
    rnd = ctx.rng("pivot_b")
    data = [(c, m, rnd.randint(25, 900)) for c in COUNTRIES[:8] for m in MONTHS[:6]]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Data"
    ws.append(["Country", "Month", "Book-ins"])
    for row in data:
        ws.append(list(row))
    pv = wb.create_sheet("Pivot")
    pv["A1"] = "Country"
    pv["B1"] = "Sum of Book-ins"
    totals: dict[str, int] = {}
    for c, _, n in data:
        totals[c] = totals.get(c, 0) + n
    for i, c in enumerate(COUNTRIES[:8], start=2):
        pv.cell(row=i, column=1, value=c)
        pv.cell(row=i, column=2, value=totals[c])
    notes = wb.create_sheet("Notes")
    for line in ["Source: enforcement case system, extract of 1 July 2022.",
                 "Counts are initial book-ins; a person booked in twice is counted twice.",
                 "Cells under 25 are suppressed (none in this release).",
                 "Contact: Office of Statistics, statistics@immigration.example.gov"]:
        notes.append([line])
    from openpyxl.chart import BarChart, Reference
    ch = BarChart()
    ch.title = "Book-ins by country, Jan-Jun 2022"
    ch.add_data(Reference(pv, min_col=2, min_row=1, max_row=9), titles_from_data=True)
    ch.set_categories(Reference(pv, min_col=1, min_row=2, max_row=9))
    pv.add_chart(ch, "D2")
    path = ctx.path("statistics_pivot_chart_notes.xlsx")
    save_openpyxl(wb, path)
    pkg = Package(path)
    countries, months = COUNTRIES[:8], MONTHS[:6]
    _pivot(pkg, "Data", [("Country", countries), ("Month", months), ("Book-ins", [])],
           [[countries.index(c), months.index(m), n] for c, m, n in data], "A", f"A1:C{len(data) + 1}")
    pkg.save()
    yield benign("statistics_pivot_chart_notes.xlsx", "stats_workbook",
                 "statistics workbook: data of counts, pivot by country (with cache), chart, notes sheet")

    # leak: the pivot shows counts by facility; its cache keeps every person's row
    ppl = ctx.people("pivot_l", 40)
    facs = sorted({p.facility for p in ppl})
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Summary"
    ws.append(["Detained by facility (pivot on the next sheet)"])
    pv = wb.create_sheet("Pivot")
    pv["A1"] = "Facility"
    pv["B1"] = "Count of Person"
    for i, f in enumerate(facs, start=2):
        pv.cell(row=i, column=1, value=f)
        pv.cell(row=i, column=2, value=sum(p.facility == f for p in ppl))
    path = ctx.path("facility_pivot.xlsx")
    save_openpyxl(wb, path)
    pkg = Package(path)
    names = [f"{p.last}, {p.first}" for p in ppl]
    dobs = [d(p.dob) for p in ppl]
    _pivot(pkg, "Roster", [("Facility", facs), ("Person", names), ("Birth date", dobs), ("Count", [])],
           [[facs.index(p.facility), i, i, 1] for i, p in enumerate(ppl)], "A", f"A1:D{len(ppl) + 1}")
    pkg.save()
    yield leak("facility_pivot.xlsx", "xlsx_pivot_cache", 40,
               "pivot of counts by facility; the pivot cache (source sheet deleted) holds 40 names with DOB")
