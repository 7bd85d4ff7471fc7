"""'The next class': formats and hiding places beyond the brief's list, each with a benign twin."""

from __future__ import annotations

from html import escape

import yaml

from .common import COUNTRIES, MONTHS, Ctx, benign, csv_text, d, leak, register, write_targz, write_zip
from .docs import (
    docx_table,
    html_page,
    html_table,
    new_docx,
    new_pptx,
    paragraphs,
    save_docx,
    save_pptx,
    write_ods,
    write_odt,
)
from .people import FACILITIES, NATIVE_SCRIPT

COORDS = {"Chaparral": (32.04, -106.41), "Los Fresnos": (26.07, -97.48), "Adelanto": (34.58, -117.41),
          "Lumpkin": (32.05, -84.80), "Miami": (25.75, -80.49), "Pearsall": (28.89, -99.10),
          "Tacoma": (47.25, -122.42), "Eloy": (32.76, -111.55), "Winnfield": (31.93, -92.64),
          "Estancia": (34.76, -106.05), "Batavia": (43.00, -78.19), "Ocilla": (31.59, -83.25)}


def _rtf(lines: list[str]) -> str:
    def enc(s: str) -> str:
        out = []
        for ch in s:
            if ch in "\\{}":
                out.append("\\" + ch)
            elif ord(ch) < 128:
                out.append(ch)
            else:
                code = ord(ch) if ord(ch) < 32768 else ord(ch) - 65536
                out.append(f"\\u{code}?")
        return "".join(out)
    return "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Arial;}}\\f0\\fs22\n" + "".join(
        enc(x) + "\\par\n" for x in lines) + "}\n"


def _counts_rows(ctx: Ctx, key: str):
    rnd = ctx.rng(key)
    return [[c, *[rnd.randint(25, 990) for _ in range(3)]] for c in COUNTRIES[:8]]


@register
def other_cases(ctx: Ctx):  # noqa: C901 - one list of cases
    rnd = ctx.rng("other")
    # KML / GPX
    ppl = ctx.people("kml", 10)
    marks = "".join(f"<Placemark><name>{escape(p.full)}</name><description>Asylum seeker, {escape(p.nationality)}, "
                    f"born {d(p.dob)}; placed at {escape(p.facility)}</description><Point><coordinates>"
                    f"{COORDS[p.city][1]},{COORDS[p.city][0]},0</coordinates></Point></Placemark>" for p in ppl)
    ctx.path("placements.kml").write_text('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/'
                                          f'kml/2.2"><Document><name>Placements</name>{marks}</Document></kml>',
                                          encoding="utf-8")
    yield leak("placements.kml", "next_kml_gpx", 10, "KML placemarks named after asylum seekers")
    ppl = ctx.people("gpx", 8)
    wpts = "".join(f'<wpt lat="{COORDS[p.city][0]}" lon="{COORDS[p.city][1]}"><name>{escape(p.full)}</name>'
                   f"<desc>DV survivor safe house, {escape(p.city)}</desc></wpt>" for p in ppl)
    ctx.path("safe_houses.gpx").write_text('<?xml version="1.0"?><gpx version="1.1" creator="x" '
                                           f'xmlns="http://www.topografix.com/GPX/1/1">{wpts}</gpx>', encoding="utf-8")
    yield leak("safe_houses.gpx", "next_kml_gpx", 8, "GPX waypoints: DV survivors' names at safe-house locations")
    marks = "".join(f"<Placemark><name>{escape(f)}</name><description>{escape(c)}, {s}</description><Point>"
                    f"<coordinates>{COORDS[c][1]},{COORDS[c][0]},0</coordinates></Point></Placemark>"
                    for f, c, s in FACILITIES)
    ctx.path("facilities.kml").write_text('<?xml version="1.0" encoding="UTF-8"?><kml xmlns="http://www.opengis.net/'
                                          f'kml/2.2"><Document>{marks}</Document></kml>', encoding="utf-8")
    yield benign("facilities.kml", "next_kml_gpx", "KML of detention facility locations")

    # Markdown / LaTeX / RTF
    ppl = ctx.people("md", 20)
    md = "# Detainees pending credible fear interview\n\n| Name | DOB | Country | A-Number |\n|---|---|---|---|\n" + \
        "".join(f"| {p.full} | {d(p.dob)} | {p.nationality} | {p.anum} |\n" for p in ppl)
    ctx.path("cfi_pending.md").write_text(md, encoding="utf-8")
    yield leak("cfi_pending.md", "next_markdown_latex_rtf", 20, "Markdown table roster")
    ppl = ctx.people("tex", 15)
    tex = ("\\documentclass{article}\\begin{document}\\section*{Annex C: asylum applicants}\n"
           "\\begin{tabular}{llll}\nSurname & Given name & Born & Nationality\\\\\\hline\n"
           + "".join(f"{p.last} & {p.first} & {d(p.dob)} & {p.nationality}\\\\\n" for p in ppl)
           + "\\end{tabular}\\end{document}\n")
    ctx.path("annex_c.tex").write_text(tex, encoding="utf-8")
    yield leak("annex_c.tex", "next_markdown_latex_rtf", 15, "LaTeX tabular of asylum applicants")
    ppl = ctx.people("rtf", 12)
    ctx.path("case_notes.rtf").write_text(_rtf(["Case notes - asylum unit"] + [
        f"{p.full}, DOB {d(p.dob)}, {p.nationality}: {p.status}" for p in ppl]), encoding="ascii")
    yield leak("case_notes.rtf", "next_markdown_latex_rtf", 12, "RTF case notes with \\u escapes")
    md = "# Book-ins by country\n\n| Country | Q1 | Q2 | Q3 |\n|---|---|---|---|\n" + "".join(
        "| " + " | ".join(map(str, r)) + " |\n" for r in _counts_rows(ctx, "mdb"))
    ctx.path("bookins.md").write_text(md, encoding="utf-8")
    yield benign("bookins.md", "next_markdown_latex_rtf", "Markdown table of counts")
    tex = ("\\documentclass{article}\\begin{document}\\section*{Table 1}\\begin{tabular}{lrrr}\n"
           + "".join(" & ".join(map(str, r)) + "\\\\\n" for r in _counts_rows(ctx, "texb"))
           + "\\end{tabular}\\end{document}\n")
    ctx.path("table1.tex").write_text(tex, encoding="utf-8")
    yield benign("table1.tex", "next_markdown_latex_rtf", "LaTeX table of counts")
    ctx.path("policy_note.rtf").write_text(_rtf([
        "Policy note: reception capacity", "The Department expects arrivals to remain high through the summer.",
        "Regional Offices will add 1,200 beds by September."]), encoding="ascii")
    yield benign("policy_note.rtf", "next_markdown_latex_rtf", "RTF policy prose")

    # ODS / ODT
    ppl = ctx.people("ods", 25)
    write_ods(ctx.path("roster.ods"), [("Summary", [["Detained", 25]]), ("Roster", [
        ["Apellido", "Nombre", "Nacimiento", "País"]] + [[p.last, p.first, d(p.dob), p.nationality] for p in ppl])])
    yield leak("roster.ods", "next_odf", 25, "ODS: roster on the second sheet")
    ppl = ctx.people("odt", 8)
    write_odt(ctx.path("witness_statement_summary.odt"), ["Summary of witness statements"] + [
        f"{p.full} (born {d(p.dob)}) gave a statement and is in the witness protection programme." for p in ppl])
    yield leak("witness_statement_summary.odt", "next_odf", 8, "ODT: protected witnesses named")
    write_ods(ctx.path("counts.ods"), [("Counts", [["Country", "Q1", "Q2", "Q3"]] + _counts_rows(ctx, "odsb"))])
    yield benign("counts.ods", "next_odf", "ODS of counts")
    write_odt(ctx.path("reception_update.odt"), ["Reception update", "Occupancy across Regional Centres stood at "
                                                 "87 per cent in June.", "New capacity opens in Q3."])
    yield benign("reception_update.odt", "next_odf", "ODT prose")

    # PowerPoint speaker notes
    ppl = ctx.people("pptx", 6)
    prs = new_pptx()
    for i in range(3):
        s = prs.slides.add_slide(prs.slide_layouts[1])
        s.shapes.title.text = f"Detention trends, part {i + 1}"
        s.placeholders[1].text = "Book-ins rose 12% on the previous quarter."
        s.notes_slide.notes_text_frame.text = " ".join(
            f"Mention {p.full} ({p.nationality}, {p.anum}) as an example of a long asylum wait."
            for p in ppl[2 * i:2 * i + 2])
    save_pptx(prs, ctx.path("briefing_deck.pptx"))
    yield leak("briefing_deck.pptx", "next_pptx_notes", 6, "slides are aggregate; speaker notes name people")
    prs = new_pptx()
    s = prs.slides.add_slide(prs.slide_layouts[1])
    s.shapes.title.text = "Detention trends"
    s.placeholders[1].text = "Book-ins rose 12% on the previous quarter."
    s.notes_slide.notes_text_frame.text = "Stress that the rise follows the seasonal pattern of earlier years."
    save_pptx(prs, ctx.path("briefing_deck_clean.pptx"))
    yield benign("briefing_deck_clean.pptx", "next_pptx_notes", "deck with notes about trends only")

    # Word headers and footers; tracked deletions
    p = ctx.people("hdr", 1)[0]
    doc = new_docx()
    doc.sections[0].header.paragraphs[0].text = f"RE: {p.full}, {p.anum}, asylum application"
    doc.sections[0].footer.paragraphs[0].text = f"DOB {d(p.dob)} - {p.nationality}"
    doc.add_paragraph("The applicant's interview has been rescheduled. Reasons are set out below.")
    doc.add_paragraph("The interpreter was not available on the original date.")
    save_docx(doc, ctx.path("rescheduling_letter.docx"))
    yield leak("rescheduling_letter.docx", "next_docx_header_footer", 1, "name/A-number only in header and footer")
    doc = new_docx()
    doc.sections[0].header.paragraphs[0].text = "Department of Immigration Services - Office of Statistics"
    doc.sections[0].footer.paragraphs[0].text = "Page 1 - Published 30 June 2022"
    doc.add_paragraph("Detention book-ins fell in June.")
    save_docx(doc, ctx.path("bulletin_header_footer.docx"))
    yield benign("bulletin_header_footer.docx", "next_docx_header_footer", "agency name in header and footer")
    ppl = ctx.people("del", 5)
    doc = new_docx()
    doc.add_paragraph("Case summary for publication.")
    path = ctx.path("case_summary_tracked.docx")
    save_docx(doc, path)
    from .ooxml import Package
    pkg = Package(path)
    xml = pkg.text("word/document.xml")
    dels = "".join(f'<w:p><w:del w:id="{i + 1}" w:author="Editor" w:date="2022-06-29T10:00:00Z"><w:r><w:delText>'
                   f"{escape(q.full)}, born {d(q.dob)}, {escape(q.nationality)}, asylum claim withdrawn."
                   "</w:delText></w:r></w:del></w:p>" for i, q in enumerate(ppl))
    pkg.parts["word/document.xml"] = xml.replace("<w:sectPr", dels + "<w:sectPr", 1).encode()
    pkg.save()
    yield leak("case_summary_tracked.docx", "next_docx_tracked_changes", 5, "names survive as tracked deletions")

    # SVG
    ppl = ctx.people("svg", 7)
    bars = "".join(f'<rect x="{40 + 60 * i}" y="{200 - 20 * (i + 1)}" width="40" height="{20 * (i + 1)}"/>'
                   f'<text x="{40 + 60 * i}" y="215" font-size="8">{escape(p.full)}</text>'
                   f'<text x="{40 + 60 * i}" y="225" font-size="6">{p.anum}</text>' for i, p in enumerate(ppl))
    ctx.path("days_detained.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="500" height="240">'
                                             f'<title>Days detained, asylum seekers</title>{bars}</svg>',
                                             encoding="utf-8")
    yield leak("days_detained.svg", "next_svg", 7, "SVG bar chart labelled with names and A-numbers")
    bars = "".join(f'<rect x="{40 + 60 * i}" y="50" width="40" height="{100 + i}"/><text x="{40 + 60 * i}" y="215">'
                   f"{c}</text>" for i, c in enumerate(COUNTRIES[:6]))
    ctx.path("bookins_chart.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="500" height="240">'
                                             f"<title>Book-ins by country</title>{bars}</svg>", encoding="utf-8")
    yield benign("bookins_chart.svg", "next_svg", "SVG bar chart labelled with countries")

    # EPUB
    def epub(path, chapter_html: str) -> None:
        write_zip(path, [
            ("mimetype", "application/epub+zip"),
            ("META-INF/container.xml", '<?xml version="1.0"?><container version="1.0" xmlns="urn:oasis:names:tc:'
             'opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type='
             '"application/oebps-package+xml"/></rootfiles></container>'),
            ("OEBPS/content.opf", '<?xml version="1.0"?><package xmlns="http://www.idpf.org/2007/opf" version="3.0" '
             'unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">'
             'urn:uuid:0</dc:identifier><dc:title>Annual report</dc:title><dc:language>en</dc:language></metadata>'
             '<manifest><item id="c1" href="ch1.xhtml" media-type="application/xhtml+xml"/></manifest><spine>'
             '<itemref idref="c1"/></spine></package>'),
            ("OEBPS/ch1.xhtml", chapter_html)])
    ppl = ctx.people("epub", 10)
    epub(ctx.path("annual_report.epub"), html_page("Annex: case studies", html_table(
        ["Name", "Country", "Born", "Outcome"], [[p.full, p.nationality, d(p.dob), p.status] for p in ppl])))
    yield leak("annual_report.epub", "next_epub", 10, "EPUB chapter with a table of named asylum cases")
    epub(ctx.path("annual_report_clean.epub"), html_page("Chapter 1", paragraphs(
        ["Applications rose in 2022.", "Most applicants came from Venezuela, Colombia and Afghanistan."])))
    yield benign("annual_report_clean.epub", "next_epub", "EPUB with prose and no people")

    # mbox
    ppl = ctx.people("mbox", 5)
    msgs = "".join(f"From caseworker@example.org Thu Jun 30 12:0{i}:00 2022\nFrom: caseworker@example.org\n"
                   f"Subject: client update {i + 1}\n\n{p.full} (DOB {d(p.dob)}, {p.nationality}) had the credible "
                   "fear interview today; outcome positive.\n\n" for i, p in enumerate(ppl))
    ctx.path("caseworker.mbox").write_text(msgs, encoding="utf-8")
    yield leak("caseworker.mbox", "next_mbox", 5, "mbox of caseworker updates naming clients")
    msgs = "".join(f"From press@immigration.example.gov Thu Jun 30 12:0{i}:00 2022\nFrom: press@immigration.example.gov"
                   f"\nSubject: Statistics release {i + 1}\n\nThe {m} detention statistics are now online.\n\n"
                   for i, m in enumerate(MONTHS[:4]))
    ctx.path("press_announcements.mbox").write_text(msgs, encoding="utf-8")
    yield benign("press_announcements.mbox", "next_mbox", "mbox of press announcements")

    # TSV inside .tar.gz
    def targz(path, name: str, text: str) -> None:
        write_targz(path, [(name, text)])
    ppl = ctx.people("tgz", 30)
    targz(ctx.path("export_2022-06.tar.gz"), "export/detainees.tsv", csv_text(
        ["anum", "surname", "forename", "dob", "cob"],
        [[p.anum, p.last, p.first, d(p.dob), p.nationality] for p in ppl], "\t"))
    yield leak("export_2022-06.tar.gz", "next_archive_tsv", 30, "TSV roster inside a .tar.gz")
    targz(ctx.path("counts_2022-06.tar.gz"), "export/counts.tsv", csv_text(
        ["country", "q1", "q2", "q3"], _counts_rows(ctx, "tgzb"), "\t"))
    yield benign("counts_2022-06.tar.gz", "next_archive_tsv", "TSV of counts inside a .tar.gz")

    # YAML
    ppl = ctx.people("yaml", 12)
    ctx.path("hearing_queue.yaml").write_text(yaml.safe_dump({"queue": [
        {"name": p.full, "dob": d(p.dob), "nationality": p.nationality, "hearing": "credible fear interview"}
        for p in ppl]}, allow_unicode=True, sort_keys=False), encoding="utf-8")
    yield leak("hearing_queue.yaml", "next_yaml", 12, "YAML list of people queued for credible fear interviews")
    ctx.path("dashboard_config.yaml").write_text(yaml.safe_dump({"title": "Detention dashboard", "series": [
        {"country": c, "fy2022": rnd.randint(25, 900)} for c in COUNTRIES[:6]]}, sort_keys=False), encoding="utf-8")
    yield benign("dashboard_config.yaml", "next_yaml", "YAML dashboard config with counts")

    # non-Latin scripts
    ppl = ctx.people("script", 20, NATIVE_SCRIPT)
    ctx.path("roster_native_script.csv").write_text(csv_text(
        ["Name", "Date of birth", "Citizenship", "Status"],
        [[p.full, d(p.dob), p.nationality, "asylum applicant"] for p in ppl]), encoding="utf-8")
    yield leak("roster_native_script.csv", "next_native_script", 20,
               "names in Cyrillic, Arabic, Persian and Chinese script")

    # hidden HTML
    ppl = ctx.people("htmlhidden", 9)
    body = paragraphs(["Monthly statistics are below."]) + html_table(
        ["Country", "Q1", "Q2", "Q3"], _counts_rows(ctx, "hhc")) + '<div style="display:none">' + html_table(
        ["Name", "DOB", "A-Number"], [[p.full, d(p.dob), p.anum] for p in ppl]) + "</div>"
    ctx.path("statistics_page.html").write_text(html_page("Detention statistics", body), encoding="utf-8")
    yield leak("statistics_page.html", "next_html_hidden", 9, "statistics web page with a display:none roster")
    body = paragraphs(["Monthly statistics are below."]) + html_table(
        ["Country", "Q1", "Q2", "Q3"], _counts_rows(ctx, "hhb")) + '<div style="display:none">Last updated by the ' \
        "web team, build 4512.</div>"
    ctx.path("statistics_page_clean.html").write_text(html_page("Detention statistics", body), encoding="utf-8")
    yield benign("statistics_page_clean.html", "next_html_hidden", "statistics page with a hidden build note")

    doc = new_docx()
    doc.add_heading("Detention statistics, June 2022", 1)
    docx_table(doc, ["Country", "Q1", "Q2", "Q3"], _counts_rows(ctx, "docxb"))
    save_docx(doc, ctx.path("statistics_table.docx"))
    yield benign("statistics_table.docx", "next_docx_header_footer", "Word table of counts")
