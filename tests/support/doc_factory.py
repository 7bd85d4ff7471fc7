"""Seeded generators of documents that hide synthetic people in every place the document readers must look.

Each builder returns (bytes, secrets): `secrets` maps a vector name (e.g. "tracked-deletion") to the exact string
hidden there, so a test can assert that string comes out in a unit with the right visibility and location.
The XML is written by hand (zipfile + string templates) because python-docx/python-pptx cannot express tracked
changes, vanish, comments or hidden slides.
"""

from __future__ import annotations

import io
import random
import struct
import zipfile
import zlib
from xml.sax.saxutils import escape, quoteattr

from faker import Faker

from support.vba_factory import ole_bytes as _ole_bytes

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
A_NS = "http://schemas.openxmlformats.org/drawingml/2006/main"
P_NS = "http://schemas.openxmlformats.org/presentationml/2006/main"
C_NS = "http://schemas.openxmlformats.org/drawingml/2006/chart"


def person(fake: Faker) -> str:
    """A synthetic person with an identifier, e.g. 'Maria Lopez A123456789'."""
    first, last = (n.replace(" ", "-") for n in (fake.first_name(), fake.last_name()))
    return f"{first} {last} A{fake.numerify('#########')}"


def faker(seed: int) -> Faker:
    fake = Faker(["en_US", "es_MX"])
    fake.seed_instance(seed)
    return fake


def secrets_for(vectors: list[str], seed: int) -> dict[str, str]:
    fake = faker(seed)
    return {v: person(fake) for v in vectors}


def zip_bytes(members: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data.encode("utf-8") if isinstance(data, str) else data)
    return buf.getvalue()


def _rels(items: list[tuple[str, str, str]]) -> str:
    body = "".join(f'<Relationship Id="{i}" Type="{REL}/{t}" Target="{target}"/>' for i, t, target in items)
    return f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">{body}</Relationships>'


def core_props(creator: str, title: str = "Quarterly report") -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">'
            f"<dc:title>{escape(title)}</dc:title><dc:creator>{escape(creator)}</dc:creator>"
            "<cp:lastModifiedBy>Records Unit</cp:lastModifiedBy></cp:coreProperties>")


def custom_props(name: str, value: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?><Properties '
            'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f'<property fmtid="{{D5CDD505-2E9C-101B-9397-08002B2CF9AE}}" pid="2" name={quoteattr(name)}>'
            f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property></Properties>")


def chart_xml(series_name: str, categories: list[str], values: list[int]) -> str:
    cats = "".join(f'<c:pt idx="{i}"><c:v>{escape(c)}</c:v></c:pt>' for i, c in enumerate(categories))
    vals = "".join(f'<c:pt idx="{i}"><c:v>{v}</c:v></c:pt>' for i, v in enumerate(values))
    return (f'<?xml version="1.0" encoding="UTF-8"?><c:chartSpace xmlns:c="{C_NS}"><c:chart><c:plotArea>'
            "<c:barChart><c:ser><c:idx val=\"0\"/>"
            f"<c:tx><c:strRef><c:f>Sheet1!$B$1</c:f><c:strCache><c:pt idx=\"0\"><c:v>{escape(series_name)}</c:v>"
            "</c:pt></c:strCache></c:strRef></c:tx>"
            f"<c:cat><c:strRef><c:f>Sheet1!$A$2</c:f><c:strCache>{cats}</c:strCache></c:strRef></c:cat>"
            f"<c:val><c:numRef><c:f>Sheet1!$B$2</c:f><c:numCache>{vals}</c:numCache></c:numRef></c:val>"
            "</c:ser></c:barChart></c:plotArea></c:chart></c:chartSpace>")


def roster_csv(people: list[str]) -> bytes:
    lines = ["name,a_number,date_of_birth"]
    for i, p in enumerate(people):
        first, last, anum = p.split(" ")
        lines.append(f"{first} {last},{anum},19{70 + i:02d}-0{1 + i % 9}-1{i % 9}")
    return ("\n".join(lines) + "\n").encode()


def ole_package(name: str, payload: bytes) -> bytes:
    """An OLE embedding (oleObject1.bin) that wraps a file in an \\x01Ole10Native stream, as Office's packager does."""
    from extract_msg.ole_writer import OleWriter

    native = struct.pack("<H", 2) + name.encode() + b"\x00" + b"C:\\tmp\\" + name.encode() + b"\x00"
    native += struct.pack("<I", 0x00030000)
    temp = b"C:\\tmp\\" + name.encode() + b"\x00"
    native += struct.pack("<I", len(temp)) + temp + struct.pack("<I", len(payload)) + payload
    native = struct.pack("<I", len(native)) + native
    writer = OleWriter()
    writer.addEntry("\x01Ole10Native", native)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


# --- Word --------------------------------------------------------------------------------------------------------

DOCX_VECTORS = ["visible", "tracked-deletion", "tracked-insertion", "vanish", "vanish-style", "alt-text",
                "text-box", "field-code", "white-text", "table", "header", "footnote", "comment", "comment-author",
                "doc-variable", "custom-xml", "core-creator", "custom-property", "chart-cache", "embedded-csv",
                "embedded-ole", "revision-author"]


def _run(text: str, props: str = "") -> str:
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _p(*runs: str, ppr: str = "") -> str:
    return f"<w:p>{ppr}{''.join(runs)}</w:p>"


def make_docx(seed: int = 1) -> tuple[bytes, dict[str, str]]:
    s = secrets_for(DOCX_VECTORS, seed)
    roster = [s["table"], *secrets_for(["r1", "r2"], seed + 100).values()]
    ns = (f'xmlns:w="{W_NS}" xmlns:r="{R_NS}" xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
          'wordprocessingDrawing" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
          'xmlns:v="urn:schemas-microsoft-com:vml"')
    reviser = s["revision-author"].rsplit(" ", 1)[0]
    drawing = (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor>'
        f'<wp:docPr id="1" name="Picture 1" descr={quoteattr(s["alt-text"])}/>'
        '<a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><a:graphicData><wps:wsp>'
        f'<wps:txbx><w:txbxContent>{_p(_run(s["text-box"]))}</w:txbxContent></wps:txbx>'
        '</wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>{_p(_run(s["text-box"]))}</w:txbxContent>'
        '</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent></w:r>'
    )
    field = ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
             f'<w:r><w:instrText xml:space="preserve"> MERGEFIELD "{escape(s["field-code"])}" </w:instrText></w:r>'
             '<w:r><w:fldChar w:fldCharType="separate"/></w:r>' + _run("the applicant") +
             '<w:r><w:fldChar w:fldCharType="end"/></w:r>')
    rows = [["Name", "A-Number", "Country"]] + [[r.rsplit(" ", 1)[0], r.rsplit(" ", 1)[1], "Honduras"] for r in roster]
    table = "<w:tbl>" + "".join(
        "<w:tr>" + "".join(f"<w:tc>{_p(_run(c))}</w:tc>" for c in row) + "</w:tr>" for row in rows) + "</w:tbl>"
    body = "".join([
        _p(_run("Annual report on services. Contact: "), _run(s["visible"])),
        _p(_run("Case reviewed for "),
           f'<w:del w:id="1" w:author={quoteattr(reviser)} w:date="2024-03-01T10:00:00Z">'
           f'<w:r><w:delText xml:space="preserve">{escape(s["tracked-deletion"])}</w:delText></w:r></w:del>',
           f'<w:ins w:id="2" w:author={quoteattr(reviser)} w:date="2024-03-02T10:00:00Z">'
           f'{_run(s["tracked-insertion"])}</w:ins>'),
        _p(_run("Summary. "), _run(s["vanish"], "<w:vanish/>")),
        _p(_run("Note: "), _run(s["vanish-style"], '<w:rStyle w:val="SecretChar"/>')),
        _p(_run("Figure 1"), drawing),
        _p(field),
        _p(_run("End of section."), _run(s["white-text"], '<w:color w:val="FFFFFF"/>')),
        table,
        _p(_run("See note"), '<w:r><w:footnoteReference w:id="1"/></w:r>', '<w:commentRangeStart w:id="0"/>',
           _run("reviewed"), '<w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r>'),
        '<w:sectPr><w:headerReference w:type="default" r:id="rIdH"/></w:sectPr>',
    ])
    document = f'<?xml version="1.0" encoding="UTF-8"?><w:document {ns}><w:body>{body}</w:body></w:document>'
    styles = (f'<?xml version="1.0" encoding="UTF-8"?><w:styles xmlns:w="{W_NS}">'
              '<w:style w:type="character" w:styleId="BaseHidden"><w:rPr><w:vanish/></w:rPr></w:style>'
              '<w:style w:type="character" w:styleId="SecretChar"><w:basedOn w:val="BaseHidden"/></w:style>'
              "</w:styles>")
    comments = (f'<?xml version="1.0" encoding="UTF-8"?><w:comments xmlns:w="{W_NS}">'
                f'<w:comment w:id="0" w:author={quoteattr(s["comment-author"])} w:initials="XX" '
                f'w:date="2024-03-03T00:00:00Z">{_p(_run("Check this: " + s["comment"]))}</w:comment></w:comments>')
    footnotes = (f'<?xml version="1.0" encoding="UTF-8"?><w:footnotes xmlns:w="{W_NS}">'
                 f'<w:footnote w:type="separator" w:id="-1">{_p("<w:r><w:separator/></w:r>")}</w:footnote>'
                 f'<w:footnote w:id="1">{_p(_run("Source: interview with " + s["footnote"]))}</w:footnote>'
                 "</w:footnotes>")
    header = (f'<?xml version="1.0" encoding="UTF-8"?><w:hdr xmlns:w="{W_NS}">'
              f"{_p(_run('Prepared for ' + s['header']))}</w:hdr>")
    settings = (f'<?xml version="1.0" encoding="UTF-8"?><w:settings xmlns:w="{W_NS}"><w:docVars>'
                f'<w:docVar w:name="ClientName" w:val={quoteattr(s["doc-variable"])}/></w:docVars></w:settings>')
    custom_xml = f'<?xml version="1.0"?><caseRecord><client>{escape(s["custom-xml"])}</client></caseRecord>'
    chart_people = [s["chart-cache"], *secrets_for(["c1"], seed + 200).values()]
    members: dict[str, bytes | str] = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": _rels([("rId1", "officeDocument", "word/document.xml"),
                              ("rId2", "metadata/core-properties", "docProps/core.xml")]),
        "word/_rels/document.xml.rels": _rels([("rIdS", "styles", "styles.xml"), ("rIdH", "header", "header1.xml"),
                                               ("rIdC", "comments", "comments.xml"),
                                               ("rIdF", "footnotes", "footnotes.xml"),
                                               ("rIdT", "settings", "settings.xml"),
                                               ("rIdCh", "chart", "charts/chart1.xml")]),
        "word/document.xml": document,
        "word/styles.xml": styles,
        "word/comments.xml": comments,
        "word/footnotes.xml": footnotes,
        "word/header1.xml": header,
        "word/settings.xml": settings,
        "word/charts/chart1.xml": chart_xml("Cases", chart_people, [1, 2]),
        "word/embeddings/roster.csv": roster_csv([s["embedded-csv"], roster[1]]),
        "word/embeddings/oleObject1.bin": ole_package("clients.csv", roster_csv([s["embedded-ole"], roster[2]])),
        "customXml/item1.xml": custom_xml,
        "docProps/core.xml": core_props(s["core-creator"]),
        "docProps/custom.xml": custom_props("Subject person", s["custom-property"]),
    }
    return zip_bytes(members), s


# --- PowerPoint ----------------------------------------------------------------------------------------------------

PPTX_VECTORS = ["slide", "hidden-slide", "hidden-shape", "off-slide", "alt-text", "table", "notes", "comment",
                "comment-author", "chart-cache", "embedded-csv", "core-creator"]


def _sp(text: str, *, hidden: bool = False, x: int = 100, descr: str = "", ph: str = "") -> str:
    attrs = (' hidden="1"' if hidden else "") + (f" descr={quoteattr(descr)}" if descr else "")
    nvpr = f'<p:nvPr><p:ph type="{ph}"/></p:nvPr>' if ph else "<p:nvPr/>"
    return (f'<p:sp><p:nvSpPr><p:cNvPr id="2" name="Shape"{attrs}/><p:cNvSpPr/>{nvpr}</p:nvSpPr>'
            f'<p:spPr><a:xfrm><a:off x="{x}" y="100"/><a:ext cx="1000" cy="1000"/></a:xfrm></p:spPr>'
            f"<p:txBody><a:bodyPr/><a:p><a:r><a:t>{escape(text)}</a:t></a:r></a:p></p:txBody></p:sp>")


def _slide(shapes: str, show: bool = True, root: str = "sld") -> str:
    attr = "" if show else ' show="0"'
    return (f'<?xml version="1.0" encoding="UTF-8"?><p:{root} xmlns:p="{P_NS}" xmlns:a="{A_NS}" '
            f'xmlns:r="{R_NS}"{attr}><p:cSld><p:spTree>{shapes}</p:spTree></p:cSld></p:{root}>')


def make_pptx(seed: int = 2) -> tuple[bytes, dict[str, str]]:
    s = secrets_for(PPTX_VECTORS, seed)
    others = list(secrets_for(["t1", "t2"], seed + 100).values())
    rows = [["Name", "A-Number"]] + [p.rsplit(" ", 1) for p in [s["table"], *others]]
    tbl = ("<p:graphicFrame><p:nvGraphicFramePr><p:cNvPr id=\"5\" name=\"Table\"/></p:nvGraphicFramePr>"
           "<a:graphic><a:graphicData><a:tbl>" + "".join(
               "<a:tr>" + "".join(f"<a:tc><a:txBody><a:p><a:r><a:t>{escape(c)}</a:t></a:r></a:p></a:txBody></a:tc>"
                                  for c in row) + "</a:tr>" for row in rows) +
           "</a:tbl></a:graphicData></a:graphic></p:graphicFrame>")
    pic = (f'<p:pic><p:nvPicPr><p:cNvPr id="7" name="Photo" descr={quoteattr(s["alt-text"])}/></p:nvPicPr></p:pic>')
    slides = {
        "ppt/slides/slide1.xml": _slide(_sp("Programme update", ph="title") + _sp("Presented by " + s["slide"]) + tbl),
        "ppt/slides/slide2.xml": _slide(_sp("Backup: " + s["hidden-slide"]), show=False),
        "ppt/slides/slide3.xml": _slide(_sp("Results") + _sp(s["hidden-shape"], hidden=True)
                                        + _sp(s["off-slide"], x=99_000_000) + pic),
    }
    pres = (f'<?xml version="1.0" encoding="UTF-8"?><p:presentation xmlns:p="{P_NS}" xmlns:r="{R_NS}">'
            '<p:sldIdLst><p:sldId id="256" r:id="rId1"/><p:sldId id="257" r:id="rId2"/>'
            '<p:sldId id="258" r:id="rId3"/></p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/></p:presentation>')
    notes = _slide(_sp("", ph="sldImg") + _sp("Remember to mention " + s["notes"], ph="body") + _sp("1", ph="sldNum"),
                   root="notes")
    comments = (f'<?xml version="1.0"?><p:cmLst xmlns:p="{P_NS}"><p:cm authorId="0" idx="1">'
                f"<p:text>Is this right? {escape(s['comment'])}</p:text></p:cm></p:cmLst>")
    author_name = s["comment-author"].rsplit(" ", 1)[0]
    authors = (f'<?xml version="1.0"?><p:cmAuthorLst xmlns:p="{P_NS}"><p:cmAuthor id="0" '
               f'name={quoteattr(author_name)} initials="AB"/></p:cmAuthorLst>')
    members: dict[str, bytes | str] = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": _rels([("rId1", "officeDocument", "ppt/presentation.xml"),
                              ("rId2", "metadata/core-properties", "docProps/core.xml")]),
        "ppt/presentation.xml": pres,
        "ppt/_rels/presentation.xml.rels": _rels([("rId1", "slide", "slides/slide1.xml"),
                                                  ("rId2", "slide", "slides/slide2.xml"),
                                                  ("rId3", "slide", "slides/slide3.xml")]),
        **slides,
        "ppt/notesSlides/notesSlide1.xml": notes,
        "ppt/comments/comment1.xml": comments,
        "ppt/commentAuthors.xml": authors,
        "ppt/charts/chart1.xml": chart_xml("Arrivals", [s["chart-cache"]], [3]),
        "ppt/embeddings/Microsoft_Excel_Worksheet1.csv": roster_csv([s["embedded-csv"], *others]),
        "docProps/core.xml": core_props(s["core-creator"]),
    }
    return zip_bytes(members), s


# --- helpers for the tests ------------------------------------------------------------------------------------------

def read_units(blob: bytes, name: str = "file", **limits: object) -> list:
    from veil.readers.limits import Budget, Limits
    from veil.readers.registry import ReadContext, read_blob

    ctx = ReadContext(name=name, budget=Budget(Limits(**limits)))  # type: ignore[arg-type]
    return list(read_blob(blob, ctx))


def where_is(units: list, secret: str) -> list[tuple[str, str]]:
    """(location, visibility) of every Text or Table unit that contains `secret` (tables: its last word in a cell)."""
    from veil.readers.units import Table, Text

    hits = []
    token = secret.split(" ")[-1]
    for u in units:
        if isinstance(u, Text) and secret in u.text:
            hits.append((u.location, u.visibility.value))
        elif isinstance(u, Table) and any(token in (c or "") for row in u.frame.rows() for c in row):
            hits.append((u.location, u.visibility.value))
    return hits


def unreadable(units: list) -> list:
    from veil.readers.units import Unreadable

    return [u for u in units if isinstance(u, Unreadable)]


# --- archives -------------------------------------------------------------------------------------------------------

def tar_bytes(members: dict[str, bytes], mode: str = "w", links: dict[str, str] | None = None) -> bytes:
    import tarfile

    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as tf:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        for name, target in (links or {}).items():
            info = tarfile.TarInfo(name)
            info.type = tarfile.SYMTYPE
            info.linkname = target
            tf.addfile(info)
    return buf.getvalue()


def seven_zip_bytes(members: dict[str, bytes], password: str | None = None) -> bytes:
    import py7zr

    buf = io.BytesIO()
    with py7zr.SevenZipFile(buf, "w", password=password) as archive:
        for name, data in members.items():
            archive.writestr(data, name)
    return buf.getvalue()


def encrypt_flag(blob: bytes, member: str) -> bytes:
    """Mark a zip member as password-protected (flag bit 0) in its local and central headers."""
    data = bytearray(blob)
    info = zipfile.ZipFile(io.BytesIO(blob)).getinfo(member)
    data[info.header_offset + 6] |= 1
    pos = data.find(b"PK\x01\x02")
    while pos != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46: pos + 46 + name_len] == member.encode():
            data[pos + 8] |= 1
        pos = data.find(b"PK\x01\x02", pos + 4)
    return bytes(data)


def nested_zip(depth: int, payload: bytes, name: str = "inner.csv") -> bytes:
    blob, inner = payload, name
    for level in range(depth):
        blob, inner = zip_bytes({inner: blob}), f"level{level}.zip"
    return blob


# --- e-mail ---------------------------------------------------------------------------------------------------------

EML_VECTORS = ["from", "to", "subject", "plain-body", "html-body", "html-hidden", "attachment", "nested-body",
               "nested-attachment"]


def make_eml(seed: int = 3) -> tuple[bytes, dict[str, str]]:
    from email.message import EmailMessage

    s = secrets_for(EML_VECTORS, seed)
    fake = faker(seed)
    inner = EmailMessage()
    inner["From"] = "caseworker@example.org"
    inner["To"] = "intake@example.org"
    inner["Subject"] = "Forwarded case"
    inner["Date"] = "Mon, 04 Mar 2024 10:00:00 +0000"
    inner.set_content(f"Original note about {s['nested-body']}.\n")
    inner.add_attachment(roster_csv([s["nested-attachment"], person(fake)]), maintype="text", subtype="csv",
                         filename="inner_roster.csv")
    msg = EmailMessage()
    from_name, to_name = (v.rsplit(" ", 1)[0] for v in (s["from"], s["to"]))
    msg["From"] = f"{from_name} <sender@example.org>"
    msg["To"] = f"{to_name} <recipient@example.org>"
    msg["Subject"] = f"Case {s['subject']}"
    msg["Date"] = "Tue, 05 Mar 2024 10:00:00 +0000"
    msg.set_content(f"Hello,\n\nPlease see the case of {s['plain-body']}.\n\nRegards\n")
    msg.add_alternative(f"<html><body><p>Please see the case of {s['html-body']}.</p>"
                        f"<div style='display:none'>{s['html-hidden']}</div></body></html>", subtype="html")
    msg.add_attachment(roster_csv([s["attachment"], person(fake)]), maintype="text", subtype="csv",
                       filename="roster.csv")
    msg.add_attachment(inner)
    return msg.as_bytes(), s


MSG_VECTORS = ["sender", "subject", "body", "attachment"]


def _prop_stream(props: list[tuple[int, int, int]], top: bool) -> bytes:
    """A __properties_version1.0 stream: header, then (tag, flags, value) fixed-size entries."""
    head = b"\x00" * 8 + struct.pack("<IIII", 1, 1, 1, 1) + b"\x00" * 8 if top else b"\x00" * 8
    return head + b"".join(struct.pack("<IIQ", tag, flags, value) for tag, flags, value in props)


def make_msg(seed: int = 4) -> tuple[bytes, dict[str, str]]:
    """A minimal Outlook .msg (OLE with MAPI property streams) written with extract-msg's OleWriter."""
    from extract_msg.ole_writer import OleWriter

    s = secrets_for(MSG_VECTORS, seed)

    def utf16(text: str) -> bytes:
        return text.encode("utf-16-le")

    writer = OleWriter()
    strings = {"001A": "IPM.Note", "0037": f"Case {s['subject']}", "1000": f"Notes about {s['body']}.\n",
               "0C1A": s["sender"].rsplit(" ", 1)[0], "0E04": "Intake Team", "0C1F": "sender@example.org",
               "0E1D": f"Case {s['subject']}"}
    props = []
    for tag, text in strings.items():
        writer.addEntry(f"__substg1.0_{tag}001F", utf16(text))
        props.append((int(tag + "001F", 16), 6, len(utf16(text)) + 2))
    writer.addEntry("__properties_version1.0", _prop_stream(props, top=True))
    writer.addEntry("__nameid_version1.0", storage=True)
    for tag in ("00020102", "00030102", "00040102"):
        writer.addEntry(f"__nameid_version1.0/__substg1.0_{tag}", b"")
    att = "__attach_version1.0_#00000000"
    data = roster_csv([s["attachment"], person(faker(seed + 1))])
    writer.addEntry(att, storage=True)
    writer.addEntry(f"{att}/__substg1.0_3707001F", utf16("clients.csv"))
    writer.addEntry(f"{att}/__substg1.0_3704001F", utf16("clients.csv"))
    writer.addEntry(f"{att}/__substg1.0_37010102", data)
    writer.addEntry(f"{att}/__properties_version1.0",
                    _prop_stream([(0x37050003, 6, 1), (0x0E200003, 6, len(data))], top=False))
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue(), s


# --- HTML, text, RTF ------------------------------------------------------------------------------------------------

HTML_VECTORS = ["visible", "table", "display-none-inline", "visibility-rule", "class-rule", "hidden-attr",
                "comment", "json-script", "ld-json", "js-literal", "js-string", "data-attr", "hidden-input", "meta",
                "alt", "template", "hidden-row"]


def make_html(seed: int = 5) -> tuple[bytes, dict[str, str]]:
    s = secrets_for(HTML_VECTORS, seed)
    others = list(secrets_for(["o1", "o2"], seed + 100).values())

    def rec(p: str) -> str:
        name, anum = p.rsplit(" ", 1)
        return f'{{"name": "{name}", "a_number": "{anum}"}}'

    rows = "".join(f"<tr><td>{escape(p.rsplit(' ', 1)[0])}</td><td>{p.rsplit(' ', 1)[1]}</td></tr>"
                   for p in [s["table"], *others])
    hidden_row = (f"<tr style='display:none'><td>{escape(s['hidden-row'].rsplit(' ', 1)[0])}</td>"
                  f"<td>{s['hidden-row'].rsplit(' ', 1)[1]}</td></tr>")
    page = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Annual statistics</title>
<meta name="author" content={quoteattr(s['meta'])}>
<style>/* layout */ .sr {{ display: none }} #later {{ visibility: hidden; }}</style>
<script type="application/json" id="state">[{rec(s['json-script'])}, {rec(others[0])}]</script>
<script type="application/ld+json">{{"@type": "Person", "name": "{s['ld-json']}"}}</script>
<script>window.clients = [{rec(s['js-literal'])}, {rec(others[1])}]; var note = "{s['js-string']}";</script>
</head><body>
<h1>Statistics</h1>
<p>Contact {escape(s['visible'])} for questions.</p>
<table><tr><th>Name</th><th>A-Number</th></tr>{rows}{hidden_row}</table>
<p>Figures <span style="display:none">{escape(s['display-none-inline'])}</span> are provisional.</p>
<div id="later">{escape(s['visibility-rule'])}</div>
<div class="box sr">{escape(s['class-rule'])}</div>
<section hidden>{escape(s['hidden-attr'])}</section>
<!-- TODO remove {escape(s['comment'])} -->
<div data-client={quoteattr(s['data-attr'])}>Totals</div>
<form><input type="hidden" name="client" value={quoteattr(s['hidden-input'])}></form>
<img src="chart.png" alt={quoteattr(s['alt'])}>
<template><p>{escape(s['template'])}</p></template>
</body></html>"""
    return page.encode("utf-8"), s


RTF_VECTORS = ["visible", "hidden", "deleted", "annotation", "annotation-author", "header", "info-author",
               "field-code", "embedded-csv", "unicode"]


def _rtf_escape(text: str) -> str:
    return "".join(c if ord(c) < 128 else f"\\u{ord(c) if ord(c) < 32768 else ord(c) - 65536}?" for c in text)


def make_rtf(seed: int = 6) -> tuple[bytes, dict[str, str]]:
    s = secrets_for(RTF_VECTORS, seed)
    s["unicode"] = "Zoë Núñez A" + s["unicode"].rsplit("A", 1)[1]
    csv = roster_csv([s["embedded-csv"], person(faker(seed + 1))])
    native = struct.pack("<H", 2) + b"r.csv\x00C:\\r.csv\x00" + struct.pack("<I", 0x00030000)
    native += struct.pack("<I", 9) + b"C:\\r.csv\x00" + struct.pack("<I", len(csv)) + csv
    ole1 = struct.pack("<II", 0x0501, 2)
    for name in (b"Package\x00", b"\x00", b"\x00"):
        ole1 += struct.pack("<I", len(name)) + name
    ole1 += struct.pack("<I", len(native)) + native
    e = _rtf_escape
    doc = (
        r"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Arial;}}{\colortbl;\red0\green0\blue0;}"
        r"{\info{\title Case file}{\author " + e(s["info-author"]) + r"}}"
        r"{\header\pard Prepared for " + e(s["header"]) + r"\par}"
        r"\pard Summary for " + e(s["visible"]) + r".\par"
        r"\pard Reviewed {\v " + e(s["hidden"]) + r"} today.\par"
        r"\pard Applicant {\deleted " + e(s["deleted"]) + r"} withdrawn.\par"
        r"\pard See note{\*\atnid X}{\*\atnauthor " + e(s["annotation-author"]) + r"}\chatn"
        r"{\*\annotation\pard Check " + e(s["annotation"]) + r"}\par"
        r"\pard {\field{\*\fldinst MERGEFIELD " + e(s["field-code"]) + r"}{\fldrslt applicant}}\par"
        r"\pard Name: " + e(s["unicode"]) + r"\par"
        r"{\object\objemb{\*\objclass Package}{\*\objdata " + ole1.hex() + r"}}\par"
        r"{\pict\pngblip 89504e47}"
        "}"
    )
    return doc.encode("ascii"), s


# --- OpenDocument ---------------------------------------------------------------------------------------------------

_ODF_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
           'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
           'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
           'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
           'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
           'xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" '
           'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
           'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"')

ODT_VECTORS = ["visible", "hidden-span", "hidden-text", "hidden-section", "deleted", "change-author", "annotation",
               "annotation-author", "note", "table", "alt-text", "text-box", "header", "meta-creator",
               "meta-user", "chart-data"]


def _odf(mimetype: str, content: str, styles: str, meta: str, extra: dict[str, bytes | str] | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0"?><manifest:manifest xmlns:manifest='
                   '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>', compress_type=zipfile.ZIP_DEFLATED)
        for name, data in {"content.xml": content, "styles.xml": styles, "meta.xml": meta, **(extra or {})}.items():
            z.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()


def _odf_meta(creator: str, user: str) -> str:
    return (f'<?xml version="1.0"?><office:document-meta {_ODF_NS}><office:meta>'
            f"<meta:generator>Test</meta:generator><dc:creator>{escape(creator)}</dc:creator>"
            f'<meta:user-defined meta:name="Client">{escape(user)}</meta:user-defined></office:meta>'
            "</office:document-meta>")


def make_odt(seed: int = 7) -> tuple[bytes, dict[str, str]]:
    s = secrets_for(ODT_VECTORS, seed)
    others = list(secrets_for(["o1", "o2"], seed + 100).values())
    rows = "".join("<table:table-row>" + "".join(f"<table:table-cell><text:p>{escape(c)}</text:p></table:table-cell>"
                                                 for c in p.rsplit(" ", 1)) + "</table:table-row>"
                   for p in [s["table"], *others])
    author = s["change-author"].rsplit(" ", 1)[0]
    content = f"""<?xml version="1.0"?><office:document-content {_ODF_NS}>
<office:automatic-styles><style:style style:name="T1" style:family="text">
<style:text-properties text:display="none"/></style:style></office:automatic-styles>
<office:body><office:text>
<text:tracked-changes><text:changed-region text:id="ct1"><text:deletion><office:change-info>
<dc:creator>{escape(author)}</dc:creator><dc:date>2024-01-01T00:00:00</dc:date></office:change-info>
<text:p>{escape(s['deleted'])}</text:p></text:deletion></text:changed-region></text:tracked-changes>
<text:h>Report</text:h>
<text:p>Contact <text:span>{escape(s['visible'])}</text:span>.<text:change text:change-id="ct1"/></text:p>
<text:p>Summary<text:span text:style-name="T1">{escape(s['hidden-span'])}</text:span></text:p>
<text:p>Field <text:hidden-text text:condition="ooow:1" text:string-value={quoteattr(s['hidden-text'])}/></text:p>
<text:section text:name="Secret" text:display="none"><text:p>{escape(s['hidden-section'])}</text:p></text:section>
<text:p>Reviewed<office:annotation><dc:creator>{escape(s['annotation-author'].rsplit(' ', 1)[0])}</dc:creator>
<text:p>Check {escape(s['annotation'])}</text:p></office:annotation> today.</text:p>
<text:p>Source<text:note text:note-class="footnote"><text:note-citation>1</text:note-citation><text:note-body>
<text:p>Interview with {escape(s['note'])}</text:p></text:note-body></text:note></text:p>
<table:table table:name="Roster"><table:table-column table:number-columns-repeated="2"/>
<table:table-row><table:table-cell><text:p>Name</text:p></table:table-cell>
<table:table-cell><text:p>A-Number</text:p></table:table-cell></table:table-row>{rows}</table:table>
<text:p><draw:frame draw:name="Image1"><svg:title>{escape(s['alt-text'])}</svg:title></draw:frame>
<draw:frame draw:name="Box"><draw:text-box><text:p>{escape(s['text-box'])}</text:p></draw:text-box>
</draw:frame></text:p>
</office:text></office:body></office:document-content>"""
    styles = (f'<?xml version="1.0"?><office:document-styles {_ODF_NS}><office:master-styles>'
              '<style:master-page style:name="Standard"><style:header>'
              f"<text:p>Prepared for {escape(s['header'])}</text:p></style:header></style:master-page>"
              "</office:master-styles></office:document-styles>")
    chart = (f'<?xml version="1.0"?><office:document-content {_ODF_NS} '
             'xmlns:chart="urn:oasis:names:tc:opendocument:xmlns:chart:1.0"><office:body><office:chart>'
             '<chart:chart><table:table table:name="local-table"><table:table-row><table:table-cell>'
             f"<text:p>{escape(s['chart-data'])}</text:p></table:table-cell><table:table-cell><text:p>3</text:p>"
             "</table:table-cell></table:table-row></table:table></chart:chart></office:chart></office:body>"
             "</office:document-content>")
    blob = _odf("application/vnd.oasis.opendocument.text", content, styles,
                _odf_meta(s["meta-creator"], s["meta-user"]), {"Object 1/content.xml": chart})
    return blob, s


ODP_VECTORS = ["slide", "hidden-slide", "notes", "annotation", "table", "alt-text", "meta-creator"]


def make_odp(seed: int = 8) -> tuple[bytes, dict[str, str]]:
    s = secrets_for(ODP_VECTORS, seed)
    others = list(secrets_for(["o1"], seed + 100).values())
    rows = "".join("<table:table-row>" + "".join(f"<table:table-cell><text:p>{escape(c)}</text:p></table:table-cell>"
                                                 for c in p.rsplit(" ", 1)) + "</table:table-row>"
                   for p in [s["table"], *others])

    def frame(text: str) -> str:
        return f"<draw:frame><draw:text-box><text:p>{escape(text)}</text:p></draw:text-box></draw:frame>"

    content = f"""<?xml version="1.0"?><office:document-content {_ODF_NS}>
<office:automatic-styles><style:style style:name="dp2" style:family="drawing-page">
<style:drawing-page-properties presentation:visibility="hidden"/></style:style></office:automatic-styles>
<office:body><office:presentation>
<draw:page draw:name="p1" draw:style-name="dp1">{frame("Update by " + s['slide'])}
<draw:frame><table:table>{rows}</table:table></draw:frame>
<draw:frame><draw:image/><svg:desc>{escape(s['alt-text'])}</svg:desc></draw:frame>
<officeooo:annotation xmlns:officeooo="urn:oasis:names:tc:opendocument:xmlns:office:1.0"><dc:creator>X</dc:creator>
<text:p>Fix {escape(s['annotation'])}</text:p></officeooo:annotation>
<presentation:notes><draw:page-thumbnail/>{frame("Mention " + s['notes'])}</presentation:notes></draw:page>
<draw:page draw:name="p2" draw:style-name="dp2">{frame("Backup " + s['hidden-slide'])}</draw:page>
</office:presentation></office:body></office:document-content>"""
    styles = f'<?xml version="1.0"?><office:document-styles {_ODF_NS}/>'
    return _odf("application/vnd.oasis.opendocument.presentation", content, styles,
                _odf_meta(s["meta-creator"], "none")), s


# --- legacy Office (.doc, .ppt), written with extract-msg's OleWriter -----------------------------------------------

DOC_VECTORS = ["visible", "deleted", "hidden", "field-code", "table", "footnote", "header", "comment", "author",
               "embedded-csv"]


def summary_information(author: str) -> bytes:
    """A \\x05SummaryInformation property set holding one PIDSI_AUTHOR string."""
    value = author.encode("cp1252", "replace") + b"\x00"
    value += b"\x00" * (-len(value) % 4)
    prop = struct.pack("<II", 0x1E, len(author) + 1) + value
    section = struct.pack("<II", 4, 16) + prop
    section = struct.pack("<II", 8 + len(section), 1) + section
    fmtid = bytes.fromhex("e0859ff2f94f6810ab9108002b27b3d9")
    header = struct.pack("<HHI", 0xFFFE, 0, 0x00020006) + b"\x00" * 16 + struct.pack("<I", 1) + fmtid
    return header + struct.pack("<I", len(header) + 4) + section


def make_doc(seed: int = 9) -> tuple[bytes, dict[str, str]]:
    """A Word 97 .doc: FIB, one UTF-16 piece, a CHPX FKP marking deleted and hidden runs, stories, an ObjectPool."""
    s = secrets_for(DOC_VECTORS, seed)
    others = list(secrets_for(["o"], seed + 100).values())
    rows = [("Name", "A-Number")] + [tuple(p.rsplit(" ", 1)) for p in [s["table"], *others]]
    main_runs = [(f"Report for {s['visible']}\rReviewed ", 0), (s["deleted"], 1), (" today\rNote ", 0),
                 (s["hidden"], 2), (f"\r\x13 MERGEFIELD {s['field-code']} \x14applicant\x15\r", 0),
                 ("".join("\x07".join(r) + "\x07\x07" for r in rows) + "\rEnd of report\r", 0)]
    main = "".join(t for t, _ in main_runs)
    stories = [main, f"Source {s['footnote']}\r", f"Prepared for {s['header']}\r", f"Check {s['comment']}\r"]
    text = "".join(stories)
    text_fc = 1024
    page_pn = -(-(text_fc + 2 * len(text)) // 512)
    word = bytearray(page_pn * 512 + 512)
    struct.pack_into("<HH", word, 0, 0xA5EC, 0x00C1)
    struct.pack_into("<H", word, 0x0A, 0x0200)
    struct.pack_into("<H", word, 32, 14)
    struct.pack_into("<H", word, 62, 22)
    lw = [len(word), 0, 0, len(main), len(stories[1]), len(stories[2]), 0, len(stories[3]), 0, 0, 0] + [0] * 11
    struct.pack_into("<22I", word, 64, *lw)
    struct.pack_into("<H", word, 152, 0x5D)
    fclcb = [0] * (0x5D * 2)
    fclcb[24:26] = [64, 12]   # PlcBteChpx at 64 in the table stream
    fclcb[66:68] = [0, 21]    # Clx at 0
    struct.pack_into(f"<{len(fclcb)}I", word, 154, *fclcb)
    word[text_fc:text_fc + 2 * len(text)] = text.encode("utf-16-le")
    # one FKP page: runs of the main text; flagged runs point at a CHPX with sprmCFRMarkDel / sprmCFVanish
    page = bytearray(512)
    fcs, marks, cp = [], [], 0
    for run, flag in main_runs:
        fcs.append(text_fc + 2 * cp)
        marks.append(flag)
        cp += len(run)
    fcs.append(text_fc + 2 * cp)
    struct.pack_into(f"<{len(fcs)}I", page, 0, *fcs)
    chpx = {1: (480, 0x0800), 2: (490, 0x083C)}
    for i, flag in enumerate(marks):
        page[4 * len(fcs) + i] = chpx[flag][0] // 2 if flag else 0
    for offset, sprm in chpx.values():
        page[offset:offset + 4] = bytes([3]) + struct.pack("<H", sprm) + b"\x01"
    page[511] = len(marks)
    word[page_pn * 512:page_pn * 512 + 512] = page
    table = bytearray(128)
    table[0:21] = b"\x02" + struct.pack("<I", 16) + struct.pack("<II", 0, len(text)) + b"\x00\x00" + \
        struct.pack("<I", text_fc) + b"\x00\x00"
    table[64:76] = struct.pack("<III", text_fc, text_fc + 2 * len(main), page_pn)
    csv = roster_csv([s["embedded-csv"], person(faker(seed + 1))])
    native = ole_package("clients.csv", csv)
    import olefile

    native_stream = olefile.OleFileIO(native).openstream("\x01Ole10Native").read()
    blob = _ole_bytes({"WordDocument": bytes(word), "1Table": bytes(table),
                       "\x05SummaryInformation": summary_information(s["author"]),
                       "ObjectPool": None, "ObjectPool/_1234": None,
                       "ObjectPool/_1234/\x01Ole10Native": native_stream})
    return blob, s


PPT_VECTORS = ["slide", "hidden-slide", "hidden-drawing", "notes", "comment", "comment-author", "embedded-csv"]


def _rec(ver_inst: int, rtype: int, payload: bytes) -> bytes:
    return struct.pack("<HHI", ver_inst, rtype, len(payload)) + payload


def make_ppt(seed: int = 10, macros: bytes | None = None) -> tuple[bytes, dict[str, str]]:
    """A PowerPoint 97 stream: outline text per slide (SlidePersistAtom), a hidden slide (SlideShowSlideInfoAtom
    fHidden) with text in its drawing, the persist directory, notes, a comment and a compressed OLE object.
    `macros`: a VBA project storage (vba_factory.vba_project_bin) stored as PowerPoint keeps it, compressed."""
    s = secrets_for(PPT_VECTORS, seed)

    def chars(text: str) -> bytes:
        return _rec(0, 0x0F9F, b"\x00" * 4) + _rec(0, 0x0FA0, text.encode("utf-16-le"))

    def persist(pid: int) -> bytes:
        return _rec(0, 0x03F3, struct.pack("<I", pid) + b"\x00" * 16)

    outline = _rec(0x000F, 0x0FF0, persist(1) + chars(f"Update\rPresented by {s['slide']}")
                   + persist(2) + chars(f"Backup {s['hidden-slide']}"))
    notes = _rec(0x002F, 0x0FF0, chars(f"Mention {s['notes']}"))
    author = s["comment-author"].rsplit(" ", 1)[0]
    comment = _rec(0x000F, 0x2EE0, _rec(0x0000, 0x0FBA, author.encode("utf-16-le"))
                   + _rec(0x0010, 0x0FBA, f"Fix {s['comment']}".encode("utf-16-le"))
                   + _rec(0x0020, 0x0FBA, "AB".encode("utf-16-le")))
    storage = ole_package("r.csv", roster_csv([s["embedded-csv"], person(faker(seed + 1))]))
    ole_obj = _rec(0x0010, 0x1011, struct.pack("<I", len(storage)) + zlib.compress(storage))
    if macros is not None:
        ole_obj += _rec(0x0010, 0x1011, struct.pack("<I", len(macros)) + zlib.compress(macros))
    document = _rec(0x000F, 0x03E8, outline + notes)
    slide1 = _rec(0x000F, 0x03EE, comment)
    show_info = _rec(0, 0x03F9, b"\x00" * 10 + b"\x04" + b"\x00" * 5)
    drawing = _rec(0x000F, 0x040C, _rec(0x000F, 0xF00D, chars(f"Note {s['hidden-drawing']}")))
    slide2 = _rec(0x000F, 0x03EE, show_info + drawing)
    x1, x2 = len(document), len(document) + len(slide1)
    directory = _rec(0, 0x1772, struct.pack("<I", (2 << 20) | 1) + struct.pack("<II", x1, x2))
    blob = _ole_bytes({"PowerPoint Document": document + slide1 + slide2 + directory + ole_obj,
                       "Current User": b"\x00" * 32})
    return blob, s


def verdict(blob: bytes, name: str) -> str:
    from veil.pipeline import check_bytes

    return check_bytes(blob, name).verdict.value


def make_clean_docx() -> bytes:
    """A statistics note with an aggregate table and no people: must not block."""
    rows = [["Country", "Applications", "Grants"], ["Honduras", "1,204", "311"], ["Guatemala", "988", "240"],
            ["El Salvador", "612", "150"]]
    table = "<w:tbl>" + "".join("<w:tr>" + "".join(f"<w:tc>{_p(_run(c))}</w:tc>" for c in r) + "</w:tr>"
                                for r in rows) + "</w:tbl>"
    body = _p(_run("Asylum statistics, 2023")) + _p(_run("Applications fell by 4% on the previous year.")) + table
    document = f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    return zip_bytes({"[Content_Types].xml": "<Types/>", "word/document.xml": document,
                      "docProps/core.xml": core_props("Statistics Unit", "Asylum statistics")})


def mutations(blob: bytes, seed: int, count: int = 15) -> list[bytes]:
    """Seeded damaged copies of a file: random bytes overwritten, some truncated."""
    import random

    rng = random.Random(seed)
    out = []
    for _ in range(count):
        data = bytearray(blob)
        for _ in range(rng.randint(1, 30)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        if rng.random() < 0.25:
            data = data[: rng.randrange(len(data))]
        out.append(bytes(data))
    return out


def assert_fails_closed(blob: bytes, name: str) -> None:
    """Reading damaged input never raises and every Unreadable has a specific reason (not a generic parser crash)."""
    units = read_units(blob, name)
    for u in unreadable(units):
        assert u.reason and "could not be parsed (" not in u.reason, u.reason


# --- rosters in the parts of office documents (issue 12: every part, with rows of people, not one name) -----------

OFFICE_ROSTER_PLACES = ["docx-header-table", "docx-footer-lines", "docx-comment", "docx-deleted-rows",
                        "docx-footnote", "docx-chart-series", "pptx-notes", "pptx-modern-comment",
                        "pptx-chart-series", "odt-annotation", "odt-deleted", "odp-notes"]


def roster_people(count: int, seed: int) -> list[tuple[str, str, str, str]]:
    """(name, A-number, date of birth, status) for `count` synthetic people."""
    fake = faker(seed)
    numbers = random.Random(seed).sample(range(100_000_000, 300_000_000), count)  # distinct A-numbers
    statuses = ["asylum pending", "credible fear positive", "withholding of removal", "CAT deferral"]
    out = []
    for k in range(count):
        name = f"{fake.first_name()} {fake.last_name()}"
        out.append((name, f"A{numbers[k]}", fake.date_of_birth(minimum_age=18).isoformat(),
                    statuses[k % len(statuses)]))
    return out


def office_roster(place: str, count: int = 12, seed: int = 30) -> tuple[bytes, list[tuple[str, str, str, str]]]:
    """A document whose visible body is harmless and whose `place` holds a roster of `count` people."""
    people = roster_people(count, seed)
    lines = [f"{n}, {a}, born {d}: {s}" for n, a, d, s in people]
    kind = place.split("-", 1)[0]
    if kind == "docx":
        return _docx_roster(place, people, lines), people
    if kind == "pptx":
        return _pptx_roster(place, people, lines), people
    return _odf_roster(place, lines), people


def _w_table(people: list[tuple[str, str, str, str]], deleted: bool = False) -> str:
    rows = [("Name", "A-Number", "Date of birth", "Status"), *people]
    mark = '<w:trPr><w:del w:id="9" w:author="Records Unit" w:date="2024-03-01T00:00:00Z"/></w:trPr>'
    cell = (lambda c: f'<w:tc><w:p><w:del w:id="8" w:author="Records Unit"><w:r><w:delText>{escape(c)}</w:delText>'
            "</w:r></w:del></w:p></w:tc>") if deleted else (lambda c: f"<w:tc>{_p(_run(c))}</w:tc>")
    return "<w:tbl>" + "".join(f"<w:tr>{mark if deleted and k else ''}" + "".join(cell(c) for c in row) + "</w:tr>"
                               for k, row in enumerate(rows)) + "</w:tbl>"


def _docx_roster(place: str, people: list[tuple[str, str, str, str]], lines: list[str]) -> bytes:
    paras = "".join(_p(_run(line)) for line in lines)
    body = _p(_run("Quarterly statistics: applications fell by 4%."))
    parts: dict[str, bytes | str] = {}
    rels = [("rIdS", "styles", "styles.xml")]
    if place == "docx-header-table":
        parts["word/header1.xml"] = f'<?xml version="1.0"?><w:hdr xmlns:w="{W_NS}">{_w_table(people)}</w:hdr>'
        rels.append(("rIdH", "header", "header1.xml"))
    elif place == "docx-footer-lines":
        parts["word/footer1.xml"] = f'<?xml version="1.0"?><w:ftr xmlns:w="{W_NS}">{paras}</w:ftr>'
        rels.append(("rIdF", "footer", "footer1.xml"))
    elif place == "docx-comment":
        parts["word/comments.xml"] = (f'<?xml version="1.0"?><w:comments xmlns:w="{W_NS}"><w:comment w:id="0" '
                                      f'w:author="Case Officer">{paras}</w:comment></w:comments>')
        rels.append(("rIdC", "comments", "comments.xml"))
        body += _p('<w:commentRangeStart w:id="0"/>', _run("see"), '<w:commentRangeEnd w:id="0"/>')
    elif place == "docx-deleted-rows":
        body += _w_table(people, deleted=True)
    elif place == "docx-footnote":
        parts["word/footnotes.xml"] = (f'<?xml version="1.0"?><w:footnotes xmlns:w="{W_NS}"><w:footnote w:id="1">'
                                       f"{paras}</w:footnote></w:footnotes>")
        rels.append(("rIdN", "footnotes", "footnotes.xml"))
    else:  # docx-chart-series: people typed as the series of a chart
        parts["word/charts/chart1.xml"] = _typed_chart(people)
        rels.append(("rIdCh", "chart", "charts/chart1.xml"))
    document = f'<?xml version="1.0"?><w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    return zip_bytes({
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": _rels([("rId1", "officeDocument", "word/document.xml")]),
        "word/_rels/document.xml.rels": _rels(rels),
        "word/document.xml": document,
        "word/styles.xml": f'<?xml version="1.0"?><w:styles xmlns:w="{W_NS}"/>',
        **parts,
    })


def _typed_chart(people: list[tuple[str, str, str, str]]) -> str:
    series = "".join(f'<c:ser><c:idx val="{k}"/><c:tx><c:v>{escape(n)} {a}</c:v></c:tx><c:val><c:numLit>'
                     f'<c:pt idx="0"><c:v>{k + 1}</c:v></c:pt></c:numLit></c:val></c:ser>'
                     for k, (n, a, _, _) in enumerate(people))
    return (f'<?xml version="1.0"?><c:chartSpace xmlns:c="{C_NS}" xmlns:a="{A_NS}"><c:chart><c:title><c:tx>'
            "<c:rich><a:p><a:r><a:t>Credible fear interviews pending</a:t></a:r></a:p></c:rich></c:tx></c:title>"
            f"<c:plotArea><c:barChart>{series}</c:barChart></c:plotArea></c:chart></c:chartSpace>")


def _pptx_roster(place: str, people: list[tuple[str, str, str, str]], lines: list[str]) -> bytes:
    slide = _slide(_sp("Quarterly statistics"))
    parts: dict[str, bytes | str] = {}
    slide_rels = []
    if place == "pptx-notes":
        body = "".join(f"<a:p><a:r><a:t>{escape(line)}</a:t></a:r></a:p>" for line in lines)
        parts["ppt/notesSlides/notesSlide1.xml"] = (
            f'<?xml version="1.0"?><p:notes xmlns:p="{P_NS}" xmlns:a="{A_NS}"><p:cSld><p:spTree><p:sp><p:txBody>'
            f"{body}</p:txBody></p:sp></p:spTree></p:cSld></p:notes>")
        slide_rels.append(("rIdN", "notesSlide", "../notesSlides/notesSlide1.xml"))
    elif place == "pptx-modern-comment":
        body = "".join(f"<a:p><a:r><a:t>{escape(line)}</a:t></a:r></a:p>" for line in lines)
        parts["ppt/comments/modernComment_100_0.xml"] = (
            '<?xml version="1.0"?><p188:cmLst xmlns:p188="http://schemas.microsoft.com/office/powerpoint/2018/8/'
            f'main" xmlns:a="{A_NS}"><p188:cm id="{{1}}" authorId="{{2}}"><p188:txBody>{body}</p188:txBody>'
            "</p188:cm></p188:cmLst>")
        slide_rels.append(("rIdM", "comments", "../comments/modernComment_100_0.xml"))
    else:  # pptx-chart-series
        parts["ppt/charts/chart1.xml"] = _typed_chart(people)
        slide_rels.append(("rIdCh", "chart", "../charts/chart1.xml"))
    pres = (f'<?xml version="1.0"?><p:presentation xmlns:p="{P_NS}" xmlns:r="{R_NS}"><p:sldIdLst>'
            '<p:sldId id="256" r:id="rIdS1"/></p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/></p:presentation>')
    return zip_bytes({
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                               'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": _rels([("rId1", "officeDocument", "ppt/presentation.xml")]),
        "ppt/_rels/presentation.xml.rels": _rels([("rIdS1", "slide", "slides/slide1.xml")]),
        "ppt/presentation.xml": pres,
        "ppt/slides/slide1.xml": slide,
        "ppt/slides/_rels/slide1.xml.rels": _rels(slide_rels),
        **parts,
    })


def _odf_roster(place: str, lines: list[str]) -> bytes:
    paras = "".join(f"<text:p>{escape(line)}</text:p>" for line in lines)
    if place == "odt-annotation":
        body = (f"<office:text><text:p>Quarterly statistics<office:annotation><dc:creator>Case Officer</dc:creator>"
                f"{paras}</office:annotation></text:p></office:text>")
        mimetype = "application/vnd.oasis.opendocument.text"
    elif place == "odt-deleted":
        body = ('<office:text><text:tracked-changes><text:changed-region text:id="c1"><text:deletion>'
                f'<office:change-info><dc:creator>Records Unit</dc:creator></office:change-info>{paras}'
                '</text:deletion></text:changed-region></text:tracked-changes><text:p>Quarterly statistics'
                '<text:change text:change-id="c1"/></text:p></office:text>')
        mimetype = "application/vnd.oasis.opendocument.text"
    else:  # odp-notes
        body = ('<office:presentation><draw:page draw:name="page1"><draw:frame><draw:text-box><text:p>Statistics'
                f'</text:p></draw:text-box></draw:frame><presentation:notes><draw:frame><draw:text-box>{paras}'
                "</draw:text-box></draw:frame></presentation:notes></draw:page></office:presentation>")
        mimetype = "application/vnd.oasis.opendocument.presentation"
    content = (f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODF_NS}><office:body>{body}'
               "</office:body></office:document-content>")
    styles = f'<?xml version="1.0"?><office:document-styles {_ODF_NS}/>'
    return _odf(mimetype, content, styles, _odf_meta("Records Unit", "none"))
