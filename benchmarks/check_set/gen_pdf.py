"""PDF: outlines, text under a black box, white/invisible text, name+DOB+status lines, attachments."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from .common import COUNTRIES, MONTHS, Ctx, benign, csv_text, d, encodable_people, leak, register

W, H = letter


def _canvas(target) -> canvas.Canvas:
    c = canvas.Canvas(target, pagesize=letter, invariant=1)
    c.setAuthor("Statistics Unit")
    c.setTitle("Report")
    return c


def _stats_page(c: canvas.Canvas, ctx: Ctx, key: str, title: str, y0: float = H - 72,
                shade: tuple[float, float, float] | None = None) -> float:
    rnd = ctx.rng(key)
    c.setFont("Helvetica-Bold", 14)
    c.drawString(72, y0, title)
    y = y0 - 30
    c.setFont("Helvetica-Bold", 10)
    c.drawString(72, y, "Country of citizenship")
    for j, m in enumerate(MONTHS[:4]):
        c.drawRightString(300 + 60 * j, y, m)
    if shade:
        c.setFillColorRGB(*shade)
        c.rect(300 + 60 * 1 - 50, y - 16 * 10 - 4, 56, 16 * 10 + 2, stroke=0, fill=1)
        c.setFillColorRGB(0, 0, 0)
    c.setFont("Helvetica", 10)
    for country in COUNTRIES[:10]:
        y -= 16
        c.drawString(72, y, country)
        for j in range(4):
            c.drawRightString(300 + 60 * j, y, f"{rnd.randint(25, 990):,}")
    return y - 30


def _pdf_bytes(build) -> bytes:
    buf = io.BytesIO()
    c = _canvas(buf)
    build(c)
    c.save()
    return buf.getvalue()


@register
def pdf_cases(ctx: Ctx):
    # outlines
    ppl = encodable_people(ctx, "pdf_ol1", 9)

    def outline1(c):
        for i, p in enumerate(ppl):
            _stats_page(c, ctx, f"ol1{i}", f"Annex {i + 1}: facility statistics")
            key = f"case{i}"
            c.bookmarkPage(key)
            c.addOutlineEntry(f"{p.last.upper()}, {p.first} - asylum claim pending ({p.nationality})", key, 0)
            c.showPage()
    ctx.path("annexes_bookmarked.pdf").write_bytes(_pdf_bytes(outline1))
    yield leak("annexes_bookmarked.pdf", "pdf_outline", 9,
               "page text is statistics; outline titles name asylum claimants with nationality")

    ppl = encodable_people(ctx, "pdf_ol2", 6)

    def outline2(c):
        _stats_page(c, ctx, "ol2", "Credible fear review outcomes")
        c.bookmarkPage("top")
        c.addOutlineEntry("Outcomes", "top", 0)
        for p in ppl:
            c.addOutlineEntry(f"{p.anum} {p.full} - credible fear positive", "top", 1)
        c.showPage()
    ctx.path("cfi_outcomes_bookmarks.pdf").write_bytes(_pdf_bytes(outline2))
    yield leak("cfi_outcomes_bookmarks.pdf", "pdf_outline", 6, "nested bookmarks with A-number and name")

    def outline_b(c):
        for i, ch in enumerate(["Summary", "Methodology", "Detention by country", "Detention by facility"]):
            _stats_page(c, ctx, f"olb{i}", ch)
            c.bookmarkPage(f"ch{i}")
            c.addOutlineEntry(f"{i + 1}. {ch}", f"ch{i}", 0)
            c.showPage()
    ctx.path("annual_report_chapters.pdf").write_bytes(_pdf_bytes(outline_b))
    yield benign("annual_report_chapters.pdf", "pdf_outline", "statistics report whose bookmarks are chapter titles")

    # black box under the text
    ppl = encodable_people(ctx, "pdf_bb1", 14)

    def blackbox(c):
        y = _stats_page(c, ctx, "bb1", "Detention statistics, June 2022")
        c.setFont("Helvetica-Bold", 10)
        c.drawString(72, y, "Persons held over 180 days (withheld)")
        c.setFont("Helvetica", 9)
        for p in ppl:
            y -= 13
            c.setFillColorRGB(0, 0, 0)
            c.rect(70, y - 3, 420, 12, stroke=0, fill=1)  # drawn first ...
            c.drawString(72, y, f"{p.full}   {d(p.dob, '%m/%d/%Y')}   {p.nationality}   {p.status}")  # ... text on top
        c.showPage()
    ctx.path("statistics_redacted.pdf").write_bytes(_pdf_bytes(blackbox))
    yield leak("statistics_redacted.pdf", "pdf_box_under_text", 14,
               "black rectangles drawn under black text: looks redacted, text extracts")

    ppl = encodable_people(ctx, "pdf_bb2", 5)

    def blackbox2(c):
        c.setFont("Helvetica", 11)
        t = c.beginText(72, H - 90)
        t.textLine("Memorandum: status of cases referred for prosecution")
        c.drawText(t)
        y = H - 130
        for p in ppl:
            c.setFillColorRGB(0, 0, 0)
            c.drawString(72, y, "Witness:")
            c.rect(120, y - 3, 300, 13, stroke=0, fill=1)
            c.drawString(122, y, f"{p.full}, born {d(p.dob)}, relocated to {p.city}")
            y -= 20
        c.showPage()
    ctx.path("memo_witnesses_redacted.pdf").write_bytes(_pdf_bytes(blackbox2))
    yield leak("memo_witnesses_redacted.pdf", "pdf_box_under_text", 5,
               "protected witnesses under black boxes drawn beneath the text")

    def real_redaction(c):
        c.setFont("Helvetica", 11)
        c.drawString(72, H - 90, "Memorandum: status of cases referred for prosecution")
        y = H - 130
        for _ in range(5):
            c.drawString(72, y, "Witness:")
            c.rect(120, y - 3, 300, 13, stroke=0, fill=1)
            c.drawString(430, y, "(b)(6), (b)(7)(C)")
            y -= 20
        c.showPage()
    ctx.path("memo_properly_redacted.pdf").write_bytes(_pdf_bytes(real_redaction))
    yield benign("memo_properly_redacted.pdf", "pdf_box_under_text",
                 "black boxes with nothing beneath them and FOIA exemption codes")

    # white / invisible text
    ppl = encodable_people(ctx, "pdf_wt1", 20)

    def white(c):
        y = _stats_page(c, ctx, "wt1", "Book-ins by country of citizenship")
        c.setFillColorRGB(1, 1, 1)
        c.setFont("Helvetica", 6)
        for p in ppl:
            y -= 8
            c.drawString(72, y, f"{p.anum} {p.last}, {p.first} {d(p.dob)} {p.nationality}")
        c.showPage()
    ctx.path("bookins_white_text.pdf").write_bytes(_pdf_bytes(white))
    yield leak("bookins_white_text.pdf", "pdf_white_text", 20, "white text layer below the table lists 20 detainees")

    ppl = encodable_people(ctx, "pdf_wt2", 11)

    def invisible(c):
        _stats_page(c, ctx, "wt2", "Asylum decisions by nationality")
        t = c.beginText(72, 200)
        t.setTextRenderMode(3)
        t.setFont("Helvetica", 8)
        for p in ppl:
            t.textLine(f"{p.full} - asylum denied - {p.nationality} - DOB {d(p.dob)}")
        c.drawText(t)
        c.showPage()
    ctx.path("decisions_invisible_layer.pdf").write_bytes(_pdf_bytes(invisible))
    yield leak("decisions_invisible_layer.pdf", "pdf_white_text", 11, "invisible (render mode 3) text layer of names")

    # names, DOB and status on one line
    ppl = encodable_people(ctx, "pdf_sl1", 25)

    def sameline(c):
        c.setFont("Helvetica", 9)
        y = H - 72
        c.drawString(72, y, "Detainees with pending asylum claims")
        for p in ppl:
            y -= 14
            c.drawString(72, y, f"{p.first} {p.last}    {d(p.dob, '%m/%d/%Y')}    {p.status}")
        c.showPage()
    ctx.path("pending_claims_list.pdf").write_bytes(_pdf_bytes(sameline))
    yield leak("pending_claims_list.pdf", "pdf_same_line", 25, "each line: name, DOB, asylum status")

    ppl = encodable_people(ctx, "pdf_sl2", 8)

    def sameline2(c):
        t = c.beginText(72, H - 72)
        t.setFont("Times-Roman", 11)
        t.textLine("Weekly report of the removal unit. The following remain in custody:")
        for p in ppl:
            t.textLine(f"- {p.last.upper()} {p.first}, born {d(p.dob, '%d %B %Y')}, {p.nationality}, "
                       "awaiting credible fear interview.")
        c.drawText(t)
        c.showPage()
    ctx.path("weekly_removal_report.pdf").write_bytes(_pdf_bytes(sameline2))
    yield leak("weekly_removal_report.pdf", "pdf_same_line", 8, "prose list: name, birth date, nationality, status")

    # attachments
    ppl = encodable_people(ctx, "pdf_at1", 30)
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes(lambda c: (
        _stats_page(c, ctx, "at1", "Detention statistics"), c.showPage())))))
    w.add_attachment("source_roster.csv", csv_text(
        ["A-Number", "Last Name", "First Name", "DOB", "Country"],
        [[p.anum, p.last, p.first, d(p.dob), p.nationality] for p in ppl]).encode())
    w.add_metadata({"/Producer": "check_set", "/CreationDate": "D:20220630120000Z"})
    with open(ctx.path("statistics_with_attachment.pdf"), "wb") as fh:
        w.write(fh)
    yield leak("statistics_with_attachment.pdf", "pdf_attachment", 30,
               "statistics PDF with an embedded file: roster CSV")

    ppl = encodable_people(ctx, "pdf_at2", 12)
    inner = _pdf_bytes(lambda c: ([c.drawString(72, H - 72 - 14 * i, f"{p.full}  {d(p.dob)}  asylum seeker")
                                   for i, p in enumerate(ppl)], c.showPage()))
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes(lambda c: (
        c.drawString(72, H - 72, "Cover note: see attached file."), c.showPage())))))
    w.add_attachment("annex.pdf", inner)
    with open(ctx.path("cover_note_with_annex.pdf"), "wb") as fh:
        w.write(fh)
    yield leak("cover_note_with_annex.pdf", "pdf_attachment", 12, "cover note PDF embedding a PDF list of names")

    rnd = ctx.rng("pdf_atb")
    w = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf_bytes(lambda c: (
        _stats_page(c, ctx, "atb", "Detention statistics"), c.showPage())))))
    w.add_attachment("table1.csv", csv_text(["Country", "Book-ins"],
                                            [[c_, rnd.randint(25, 900)] for c_ in COUNTRIES]).encode())
    with open(ctx.path("statistics_with_data_attachment.pdf"), "wb") as fh:
        w.write(fh)
    yield benign("statistics_with_data_attachment.pdf", "pdf_attachment",
                 "statistics PDF embedding the counts table as CSV")

    def shaded(c):
        _stats_page(c, ctx, "shade", "Detention by country, first quarter", shade=(0.80, 0.88, 0.97))
        c.setFont("Helvetica-Oblique", 8)
        c.drawString(72, 120, "The shaded column is the current month (preliminary).")
        c.showPage()
    ctx.path("report_shaded_column.pdf").write_bytes(_pdf_bytes(shaded))
    yield benign("report_shaded_column.pdf", "shaded_column",
                 "report with a light-blue shaded column (not a redaction)")
