"""Damaged and disguised containers: truncated OOXML, duplicate zip entries, PDF+zip polyglot, e-mail attachments
with one flipped byte."""

from __future__ import annotations

import base64
import io
import warnings
import zipfile

import openpyxl

from .common import Ctx, csv_text, d, leak, register, save_openpyxl, write_zip, zip_members
from .docs import docx_table, new_docx, save_docx
from .gen_pdf import _pdf_bytes, _stats_page

HEAD = ["A-Number", "Last Name", "First Name", "DOB", "Country", "Status"]


def _rows(ppl):
    return [[p.anum, p.last, p.first, d(p.dob), p.nationality, p.status] for p in ppl]


def _truncate_after_first(path, first: list[str], keep_fraction_of_rest: float = 0.3) -> None:
    """Put `first` members at the front, then cut the file inside the remaining members (no central directory)."""
    members = zip_members(path)
    order = [m for m in members if m[0] in first] + [m for m in members if m[0] not in first]
    write_zip(path, order)
    raw = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        infos = zf.infolist()
        start_rest = infos[len(first)].header_offset
        cd_start = raw.find(b"PK\x01\x02", start_rest)
    cut = start_rest + int((cd_start - start_rest) * keep_fraction_of_rest)
    path.write_bytes(raw[:cut])


def _eml(subject: str, body: str, attachment_name: str, ctype: str, payload_b64: str) -> str:
    lines = [payload_b64[i:i + 76] for i in range(0, len(payload_b64), 76)]
    return ("From: Statistics Unit <stats@immigration.example.gov>\r\nTo: web-team@immigration.example.gov\r\n"
            f"Subject: {subject}\r\nDate: Thu, 30 Jun 2022 12:00:00 +0000\r\nMIME-Version: 1.0\r\n"
            "Content-Type: multipart/mixed; boundary=\"BOUNDARY42\"\r\n\r\n--BOUNDARY42\r\n"
            "Content-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n--BOUNDARY42\r\n"
            f"Content-Type: {ctype}; name=\"{attachment_name}\"\r\nContent-Transfer-Encoding: base64\r\n"
            f"Content-Disposition: attachment; filename=\"{attachment_name}\"\r\n\r\n" + "\r\n".join(lines)
            + "\r\n--BOUNDARY42--\r\n")


B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _flip_b64_near_end(raw: bytes, avoid_from: int) -> str:
    """base64 of raw with one character changed so that only bytes at or after avoid_from change."""
    enc = base64.b64encode(raw).decode()
    for ci in range(len(enc) - 8, 0, -1):
        ch = enc[ci]
        if ch == "=":
            continue
        new = enc[:ci] + B64[(B64.index(ch) + 1) % 64] + enc[ci + 1:]
        dec = base64.b64decode(new)
        diff = [i for i in range(len(raw)) if dec[i] != raw[i]]
        if diff and min(diff) >= avoid_from and all(raw[i:i + 1] not in (b"\n", b",") for i in diff):
            return new
    raise RuntimeError("no flip position")


@register
def damaged_cases(ctx: Ctx):
    ppl = ctx.people("trunc_x", 40)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in _rows(ppl):
        ws.append(r)
    path = ctx.path("roster_truncated.xlsx")
    save_openpyxl(wb, path)
    _truncate_after_first(path, ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"])
    yield leak("roster_truncated.xlsx", "damaged", 40,
               "xlsx cut short (no central directory); sheet and shared strings intact at the front")

    ppl = ctx.people("trunc_d", 15)
    doc = new_docx()
    doc.add_heading("Detained asylum seekers", 1)
    docx_table(doc, HEAD, _rows(ppl))
    path = ctx.path("roster_truncated.docx")
    save_docx(doc, path)
    _truncate_after_first(path, ["word/document.xml"])
    yield leak("roster_truncated.docx", "damaged", 15, "docx cut short; document.xml intact at the front")

    ppl = ctx.people("dup", 25)
    rnd = ctx.rng("dupc")
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for data in (csv_text(HEAD, _rows(ppl)),
                         csv_text(["Country", "Detained"], [[c, rnd.randint(25, 900)] for c in
                                                            ["Mexico", "Honduras", "Guatemala", "Cuba"]])):
                info = zipfile.ZipInfo("table.csv", (2022, 6, 30, 12, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(info, data)
    ctx.path("tables_duplicate_entry.zip").write_bytes(buf.getvalue())
    yield leak("tables_duplicate_entry.zip", "damaged", 25,
               "zip with two 'table.csv' entries: first a roster, last a benign count table")

    ppl = ctx.people("poly", 30)
    pdf = _pdf_bytes(lambda c: (_stats_page(c, ctx, "polyc", "Detention statistics"), c.showPage()))
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as zf:
        info = zipfile.ZipInfo("roster.csv", (2022, 6, 30, 12, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        zf.writestr(info, csv_text(HEAD, _rows(ppl)))
    ctx.path("statistics_polyglot.pdf").write_bytes(pdf + zbuf.getvalue())
    yield leak("statistics_polyglot.pdf", "damaged", 30, "statistics PDF with a roster zip appended (polyglot)")

    ppl = ctx.people("eml_csv", 20)
    raw = csv_text(HEAD, _rows(ppl)).encode()
    last_status = raw.rstrip(b"\n").rfind(b",") + 1
    flipped = _flip_b64_near_end(raw, last_status)
    ctx.path("forwarded_roster.eml").write_text(
        _eml("FW: list for the web page", "See attached.", "roster.csv", "text/csv", flipped), encoding="ascii")
    yield leak("forwarded_roster.eml", "damaged", 20, "e-mail, base64 CSV roster attachment with one flipped byte")

    ppl = ctx.people("eml_xlsx", 18)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in _rows(ppl):
        ws.append(r)
    path = ctx.path(".tmp_eml.xlsx")
    save_openpyxl(wb, path)
    raw = bytearray(path.read_bytes())
    path.unlink()
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as zf:
        info = zf.getinfo("docProps/app.xml")
    pos = info.header_offset + 30 + len(info.filename) + len(info.extra) + 5  # inside app.xml's deflated data
    raw[pos] ^= 0x01
    ctx.path("stats_request_reply.eml").write_text(
        _eml("RE: numbers for June", "Here is the spreadsheet.", "june.xlsx",
             "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
             base64.b64encode(bytes(raw)).decode()), encoding="ascii")
    yield leak("stats_request_reply.eml", "damaged", 18,
               "e-mail with an xlsx roster attachment; one byte flipped inside docProps/app.xml")
