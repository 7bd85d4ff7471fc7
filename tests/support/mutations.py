"""Leaking files of every format, and the ways files get damaged or disguised, for the fuzz test
(tests/test_fuzz_formats.py) and the longer `benchmarks/fuzz.py`. Everything is seeded: a failure reproduces.

    source(fmt, seed)            -> (bytes, file name): a file of that format that discloses a roster of people,
                                    with the people in ONE place (so a mutation that hides that place matters)
    clean(fmt)                   -> the same format with an aggregate table and no people (polyglot bases)
    MUTATIONS[name](blob, fmt, rng) -> (bytes, file name suffix) or None when it does not apply to the format

A mutant of a leaking file must never `pass`: either its people are still found (block/review) or the part that
could not be read makes it `unverifiable`.
"""

from __future__ import annotations

import email.policy
import gzip
import io
import json
import random
import re
import struct
import tarfile
import warnings
import zipfile
from collections.abc import Callable
from email.message import EmailMessage
from xml.sax.saxutils import escape

from faker import Faker

from support.doc_factory import make_doc, make_ppt

FORMATS = ("xlsx", "docx", "pptx", "odt", "ods", "pdf", "csv", "json", "html", "eml", "zip", "tar.gz", "xls", "doc",
           "ppt", "parquet")
ZIP_FORMATS = frozenset({"xlsx", "docx", "pptx", "odt", "ods", "zip"})
Rows = list[list[str]]
HEADER = ["Name", "A-Number", "Date of birth", "Country of citizenship", "Facility"]
AGGREGATE = [["Country", "Applications", "Grants"], ["Honduras", "1204", "311"], ["Guatemala", "988", "240"],
             ["El Salvador", "612", "150"], ["Mexico", "2310", "402"]]


def roster(seed: int, people: int = 25) -> Rows:
    fake = Faker(["en_US", "es_MX"])
    fake.seed_instance(seed)
    rows = [HEADER]
    for _ in range(people):
        rows.append([f"{fake.last_name().upper()}, {fake.first_name()}", f"A{fake.numerify('#########')}",
                     fake.date_of_birth(minimum_age=18, maximum_age=70).strftime("%m/%d/%Y"),
                     fake.random_element(["Honduras", "Guatemala", "El Salvador", "Mexico", "Venezuela"]),
                     fake.random_element(["Otay Mesa", "Adelanto", "Stewart", "Krome"])])
    return rows


# --- builders: one table in one place --------------------------------------------------------------------------

def _csv(rows: Rows) -> bytes:
    return ("\n".join(",".join(f'"{c}"' if "," in c else c for c in r) for r in rows) + "\n").encode()


def _json(rows: Rows) -> bytes:
    return json.dumps([dict(zip(rows[0], r, strict=True)) for r in rows[1:]], indent=1).encode()


def _html(rows: Rows) -> bytes:
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f"<!doctype html><html><head><title>Detention statistics</title></head><body><table>{body}</table>" \
           "</body></html>".encode()


def _xlsx(rows: Rows) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xls(rows: Rows) -> bytes:
    import xlwt

    book = xlwt.Workbook()
    sheet = book.add_sheet("Data")
    for i, r in enumerate(rows):
        for j, c in enumerate(r):
            sheet.write(i, j, c)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _parquet(rows: Rows) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({h: [r[i] for r in rows[1:]] for i, h in enumerate(rows[0])})
    buf = io.BytesIO()
    pq.write_table(table, buf)
    return buf.getvalue()


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPES = ('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
          '<Default Extension="xml" ContentType="application/xml"/></Types>')


def _zip(members: dict[str, bytes | str], stored_first: str | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data, compress_type=zipfile.ZIP_STORED if name == stored_first else None)
    return buf.getvalue()


def _docx(rows: Rows) -> bytes:
    cell = '<w:tc><w:p><w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p></w:tc>'
    table = "<w:tbl>" + "".join("<w:tr>" + "".join(cell.format(escape(c)) for c in r) + "</w:tr>" for r in rows) \
        + "</w:tbl>"
    document = (f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body><w:p><w:r><w:t>Detention report</w:t>'
                f"</w:r></w:p>{table}</w:body></w:document>")
    return _zip({"[Content_Types].xml": _TYPES, "word/document.xml": document})


def _pptx(rows: Rows) -> bytes:
    cell = "<a:tc><a:txBody><a:p><a:r><a:t>{}</a:t></a:r></a:p></a:txBody></a:tc>"
    grid = "".join("<a:tr>" + "".join(cell.format(escape(c)) for c in r) + "</a:tr>" for r in rows)
    table = ('<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id="5" name="Table"/></p:nvGraphicFramePr><a:graphic>'
             f"<a:graphicData><a:tbl>{grid}</a:tbl></a:graphicData></a:graphic></p:graphicFrame>")
    slide = (f'<?xml version="1.0"?><p:sld xmlns:p="{P_NS}" xmlns:a="{A_NS}" xmlns:r="{R_NS}"><p:cSld><p:spTree>'
             f"{table}</p:spTree></p:cSld></p:sld>")
    pres = (f'<?xml version="1.0"?><p:presentation xmlns:p="{P_NS}" xmlns:r="{R_NS}"><p:sldIdLst>'
            '<p:sldId id="256" r:id="rId1"/></p:sldIdLst></p:presentation>')
    rels = ('<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{R_NS}/slide" Target="slides/slide1.xml"/></Relationships>')
    return _zip({"[Content_Types].xml": _TYPES, "ppt/presentation.xml": pres,
                 "ppt/_rels/presentation.xml.rels": rels, "ppt/slides/slide1.xml": slide})


_ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" office:version="1.2"')


def _odf(mimetype: str, body: str) -> bytes:
    content = f'<?xml version="1.0"?><office:document-content {_ODF_NS}><office:body>{body}</office:body>' \
              "</office:document-content>"
    manifest = ('<?xml version="1.0"?><manifest:manifest '
                'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>')
    return _zip({"mimetype": mimetype, "META-INF/manifest.xml": manifest, "content.xml": content},
                stored_first="mimetype")


def _odf_table(rows: Rows) -> str:
    cell = '<table:table-cell office:value-type="string"><text:p>{}</text:p></table:table-cell>'
    return '<table:table table:name="Data">' + "".join(
        "<table:table-row>" + "".join(cell.format(escape(c)) for c in r) + "</table:table-row>" for r in rows) \
        + "</table:table>"


def _odt(rows: Rows) -> bytes:
    return _odf("application/vnd.oasis.opendocument.text",
                f"<office:text><text:p>Detention report</text:p>{_odf_table(rows)}</office:text>")


def _ods(rows: Rows) -> bytes:
    return _odf("application/vnd.oasis.opendocument.spreadsheet",
                f"<office:spreadsheet>{_odf_table(rows)}</office:spreadsheet>")


def _pdf(rows: Rows) -> bytes:
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=landscape(letter), invariant=1)
    y = 560.0
    for r in rows:
        for x, c in zip((30, 200, 300, 400, 560), r, strict=False):
            canvas.drawString(x, y, c)
        y -= 18
        if y < 40:
            canvas.showPage()
            y = 560.0
    canvas.save()
    return buf.getvalue()


def _eml(rows: Rows) -> bytes:
    msg = EmailMessage()
    msg["From"] = "Statistics Unit <stats@example.org>"
    msg["To"] = "Web Team <web@example.org>"
    msg["Subject"] = "Files for the website update"
    msg["Date"] = "Tue, 05 Mar 2024 10:00:00 +0000"
    msg.set_content("Hello,\n\nThe file for this month's update is attached.\n\nRegards\n")
    msg.add_attachment(_csv(rows), maintype="application", subtype="octet-stream", filename="detention-stats.csv")
    return msg.as_bytes(policy=email.policy.SMTP)


def _zipfile(rows: Rows) -> bytes:
    return _zip({"README.txt": "Detention statistics, monthly files.\n", "data/detention-stats.csv": _csv(rows)})


def _targz(rows: Rows) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        for name, data in (("README.txt", b"Detention statistics.\n"), ("detention-stats.csv", _csv(rows))):
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1_700_000_000
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


_BUILDERS: dict[str, Callable[[Rows], bytes]] = {
    "xlsx": _xlsx, "docx": _docx, "pptx": _pptx, "odt": _odt, "ods": _ods, "pdf": _pdf, "csv": _csv,
    "json": _json, "html": _html, "eml": _eml, "zip": _zipfile, "tar.gz": _targz, "xls": _xls, "parquet": _parquet,
}


def source(fmt: str, seed: int = 0) -> tuple[bytes, str]:
    """A leaking file of `fmt` and its name."""
    if fmt == "doc":
        return make_doc(seed)[0], "report.doc"
    if fmt == "ppt":
        return make_ppt(seed)[0], "slides.ppt"
    return _BUILDERS[fmt](roster(seed)), f"detention-stats.{fmt}"


def clean(fmt: str) -> bytes | None:
    """The same format holding an aggregate table and no people (None for the legacy formats)."""
    builder = _BUILDERS.get(fmt)
    return builder(AGGREGATE) if builder else None


# --- mutations ---------------------------------------------------------------------------------------------------

Mutant = tuple[bytes, str]


def flip_bytes(blob: bytes, fmt: str, rng: random.Random) -> Mutant:
    data = bytearray(blob)
    for _ in range(rng.randint(1, 20)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data), ""


def truncate(blob: bytes, fmt: str, rng: random.Random) -> Mutant:
    return blob[: int(len(blob) * rng.uniform(0.3, 0.97))], ""


def _members(blob: bytes) -> list[tuple[zipfile.ZipInfo, bytes]]:
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return [(info, z.read(info)) for info in z.infolist()]


def _leaking_member(members: list[tuple[zipfile.ZipInfo, bytes]]) -> int:
    """The member that holds the people: the largest one that is not a manifest."""
    sizes = [(len(data), i) for i, (info, data) in enumerate(members)
             if not info.filename.startswith(("[Content_Types]", "META-INF/", "mimetype", "_rels/"))]
    return max(sizes)[1]


def _benign(data: bytes, name: str) -> bytes:
    if name.endswith(".csv"):
        return _csv(AGGREGATE)
    return re.sub(rb">[^<]+<", b"><", data)  # the same XML with every text node emptied


def duplicate_entry(blob: bytes, fmt: str, rng: random.Random) -> Mutant | None:
    """The leaking member, then a second member of the same name with benign content (the copy most tools read
    is the last one in the central directory)."""
    if fmt not in ZIP_FORMATS:
        return None
    members = _members(blob)
    leak = _leaking_member(members)
    info, data = members[leak]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z, warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # zipfile warns of a duplicate name: it is the point here
        for i, (member, content) in enumerate(members):
            z.writestr(member.filename, content, compress_type=member.compress_type)
            if i == leak and rng.random() < 0.5:
                z.writestr(info.filename, _benign(data, info.filename))
        if not any(n.filename == info.filename for n in z.infolist()[leak + 1:]):
            z.writestr(info.filename, _benign(data, info.filename))
    return buf.getvalue(), ""


def drop_central_entry(blob: bytes, fmt: str, rng: random.Random) -> Mutant | None:
    """Remove the leaking member's record from the central directory; its local header and data stay."""
    if fmt not in ZIP_FORMATS:
        return None
    members = _members(blob)
    leak = _leaking_member(members)
    end = blob.rfind(b"PK\x05\x06")
    count, size, offset = struct.unpack("<HII", blob[end + 10:end + 20])
    records, pos = [], offset
    while pos < offset + size:
        name_len, extra_len, comment_len = struct.unpack("<HHH", blob[pos + 28:pos + 34])
        length = 46 + name_len + extra_len + comment_len
        records.append(blob[pos:pos + length])
        pos += length
    kept = b"".join(r for i, r in enumerate(records) if i != leak)
    eocd = bytearray(blob[end:end + 22])
    struct.pack_into("<HHII", eocd, 8, count - 1, count - 1, len(kept), offset)
    return blob[:offset] + kept + bytes(eocd) + blob[end + 22:], ""


def polyglot(blob: bytes, fmt: str, rng: random.Random) -> Mutant | None:
    """A clean file of the format with people appended: a roster zip after it (a zip gets a roster CSV)."""
    base = clean(fmt)
    if base is None:
        return None
    people = roster(rng.randrange(1000))
    tail = _csv(people) if fmt == "zip" else _zip({"roster.csv": _csv(people)})
    return base + tail, ""


def corrupt_base64(blob: bytes, fmt: str, rng: random.Random) -> Mutant | None:
    """One damaged character in the base64 body of the e-mail's attachment."""
    if fmt != "eml":
        return None
    lines = blob.split(b"\r\n")
    body = [i for i, line in enumerate(lines) if len(line) >= 60 and re.fullmatch(rb"[A-Za-z0-9+/=]+", line)]
    data = [bytearray(line) for line in lines]
    for _ in range(rng.randint(1, 2)):
        line = data[rng.choice(body)]
        line[rng.randrange(len(line))] = rng.choice(b"!*-~@" + bytes(rng.choice(b"ABCxyz019") for _ in range(3)))
    return b"\r\n".join(bytes(line) for line in data), ""


def gzip_layers(blob: bytes, fmt: str, rng: random.Random) -> Mutant:
    for _ in range(rng.randint(1, 3)):
        blob = gzip.compress(blob, mtime=0)
    return blob, ".gz"


MUTATIONS: dict[str, Callable[[bytes, str, random.Random], Mutant | None]] = {
    "flip-bytes": flip_bytes, "truncate": truncate, "duplicate-entry": duplicate_entry,
    "drop-central-entry": drop_central_entry, "polyglot": polyglot, "corrupt-base64": corrupt_base64,
    "gzip-layers": gzip_layers,
}


def applies(mutation: str, fmt: str) -> bool:
    if mutation in ("duplicate-entry", "drop-central-entry"):
        return fmt in ZIP_FORMATS
    if mutation == "polyglot":
        return fmt in _BUILDERS
    if mutation == "corrupt-base64":
        return fmt == "eml"
    return True


def mutants(fmt: str, mutation: str, seed: int, count: int) -> list[tuple[bytes, str]]:
    """`count` seeded mutants (bytes, file name) of a leaking `fmt` file."""
    rng = random.Random(f"{fmt}/{mutation}/{seed}")
    blob, name = source(fmt, seed)
    out = []
    for _ in range(count):
        made = MUTATIONS[mutation](blob, fmt, rng)
        if made is not None:
            out.append((made[0], name + made[1]))
    return out


__all__ = ["FORMATS", "MUTATIONS", "applies", "clean", "mutants", "source"]
