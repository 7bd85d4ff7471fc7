"""Tell a file's format from its bytes, not its name (a `.xlsx` that is really a CSV is read as a CSV)."""

from __future__ import annotations

import io
import re
import zipfile

from veil.readers.text.encoding import wide_encoding
from veil.readers.text.fixed_width import widest

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

_ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.presentation": "odp",
}


def sniff(blob: bytes, name: str = "") -> str:
    """Return a format name: xlsx, xlsb, xls, ods, numbers, iwork, docx, pptx, odt, odp, doc, ppt, msg, ole,
    encrypted-office, pdf, zip, tar, gzip, 7z, parquet, sqlite, spss, encrypted-spss, spss-portable, stata,
    sas-xport, sas7bdat, arrow, json, ndjson, html, eml, rtf, delimited, text, empty or binary."""
    head = blob[:8192]
    if not blob[:65536].strip() and not blob.strip():  # the cheap look first: strip() copies the whole file
        return "empty"
    if head.startswith(ZIP_MAGICS):
        return _sniff_zip(blob)
    if head.startswith(OLE_MAGIC):
        return _sniff_ole(blob)
    if head.lstrip()[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "pdf"
    if b"endobj" in head and b"startxref" in blob[-4096:]:
        return "pdf"  # a PDF whose header was damaged: still a PDF to every repairing reader
    dataset = _sniff_dataset(head)
    if dataset:
        return dataset
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PARE"):  # Parquet with an encrypted footer: no key, no reading
        return "encrypted-parquet"
    if head.startswith(b"7z\xbc\xaf\x27\x1c"):
        return "7z"
    if head.startswith(b"\x1f\x8b"):
        return "gzip"
    if head.startswith((b"BZh", b"\xfd7zXZ\x00")):
        return "tar"
    if len(head) > 262 and head[257:262] == b"ustar":
        return "tar"
    if head.startswith(b"{\\rtf"):
        return "rtf"
    return _sniff_text(head, name)


_SAS7BDAT_MAGIC = bytes.fromhex("c2ea8160b31411cfbd92080009c7318c181f1011")
_XPORT_HEADERS = (b"HEADER RECORD*******LIBRARY HEADER RECORD!!!!!!!",
                  b"HEADER RECORD*******LIBV8   HEADER RECORD!!!!!!!")


def _sniff_dataset(head: bytes) -> str | None:
    """Databases and statistical files, each told by its magic bytes."""
    if head.startswith(b"SQLite format 3\x00"):
        return "sqlite"
    if head.startswith((b"$FL2", b"$FL3")):
        return "spss"
    if b"ENCRYPTEDSAV" in head[:64]:  # SPSS 21+ wraps an encrypted .sav in this header
        return "encrypted-spss"
    if b"SPSSPORT" in head[:2048] and b"PORT FILE" in head[:512]:
        return "spss-portable"
    if head.startswith(b"<stata_dta>") or (len(head) > 4 and 0x66 <= head[0] <= 0x73 and head[1] in (1, 2)
                                          and head[2] == 1 and head[3] == 0):
        return "stata"
    if head.startswith(_XPORT_HEADERS):
        return "sas-xport"
    if head[12:32] == _SAS7BDAT_MAGIC:
        return "sas7bdat"
    if head.startswith((b"ARROW1", b"FEA1")):
        return "arrow"
    if head.startswith(b"\xff\xff\xff\xff") and 8 <= int.from_bytes(head[4:8], "little") < 1 << 24:
        return "arrow"  # an Arrow IPC stream: a continuation marker, then the schema message's length
    return None


def _sniff_zip(blob: bytes) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(blob)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        return "corrupt-zip"
    nameset = set(names)
    if "mimetype" in nameset:
        try:
            mimetype = zipfile.ZipFile(io.BytesIO(blob)).read("mimetype")[:100].decode("ascii", "replace").strip()
        except Exception:  # a broken mimetype member: let the zip reader explain
            mimetype = ""
        if mimetype in _ODF_MIMETYPES:
            return _ODF_MIMETYPES[mimetype]
    if "[Content_Types].xml" in nameset:
        if any(n.startswith("xl/") for n in names):
            return "xlsb" if any(n.endswith(".bin") and n.startswith("xl/worksheets/") for n in names) else "xlsx"
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("ppt/") for n in names):
            return "pptx"
    if "Index/Document.iwa" in nameset:
        # Numbers, Pages and Keynote share the package; only Numbers keeps a calculation engine and no slides.
        slides = any(n.startswith("Index/Slide") for n in names)
        return "numbers" if "Index/CalculationEngine.iwa" in nameset and not slides else "iwork"
    if "content.xml" in nameset and "META-INF/manifest.xml" in nameset:
        return "odt"
    return "zip"


def _sniff_ole(blob: bytes) -> str:
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(blob))
    except Exception:  # olefile raises many kinds on broken input
        return "corrupt-ole"
    try:
        streams = {"/".join(s) for s in ole.listdir(streams=True, storages=True)}
    finally:
        ole.close()
    lowered = {s.lower() for s in streams}
    if "encryptedpackage" in lowered or "encryptioninfo" in lowered:
        return "encrypted-office"
    if "workbook" in lowered or "book" in lowered:
        return "xls"
    if "worddocument" in lowered:
        return "doc"
    if "powerpoint document" in lowered:
        return "ppt"
    if any(s.startswith("__substg1.0_") for s in lowered):
        return "msg"
    return "ole"


def _sniff_text(head: bytes, name: str) -> str:
    wide = wide_encoding(head)
    if b"\x00" in head and wide is None:
        return "binary"
    text = _decode_head(head, wide)
    stripped = text.lstrip("\ufeff \t\r\n")
    first, _, rest = stripped.partition("\n")
    if first.startswith("From ") and _looks_like_email(rest):
        return "mbox"  # a mailbox: "From sender date", then a message, then the next "From " line
    # An e-mail whose first part is HTML is still an e-mail: look at its header block first.
    if _looks_like_email(stripped):
        return "eml"
    lower = stripped[:2048].lower()
    if lower.startswith("begin:vcard"):
        return "vcard"
    if lower.startswith("begin:vcalendar"):
        return "ical"
    if lower.startswith(("<!doctype html", "<html")) or ("<html" in lower[:512] and "<body" in lower):
        return "html"
    if lower.startswith("<?xml") and "<html" in lower:
        return "html"
    if lower.startswith("<?xml") or _XML_ROOT.match(stripped):
        return "xml"
    if stripped.startswith(("{", "[")):
        first_line = stripped.split("\n", 1)[0].strip()
        if stripped.startswith("{") and first_line.endswith("}") and "\n{" in stripped:
            return "ndjson"
        return "json"
    lowered_name = name.lower()
    if lowered_name.endswith((".md", ".markdown")):
        return "text"
    if lowered_name.endswith((".yaml", ".yml")) or stripped.startswith(("%YAML", "---\n", "---\r\n")):
        return "yaml"
    if _looks_delimited(stripped):
        return "delimited"
    return "text"


_XML_ROOT = re.compile(r"<(?:!--.*?-->\s*)*[A-Za-z_][\w:.-]*(?:\s+[\w:.-]+\s*=\s*(\"[^\"]*\"|'[^']*'))*\s*/?>", re.S)


def _decode_head(head: bytes, wide: tuple[str, int] | None) -> str:
    if wide is not None:
        codec, skip = wide
        return head[skip:].decode(codec, errors="replace")
    return head.decode("utf-8", errors="replace")


def _looks_like_email(text: str) -> bool:
    header_block = text.split("\n\n", 1)[0].split("\r\n\r\n", 1)[0]
    lines = header_block.splitlines()[:400]
    keys = {ln.split(":", 1)[0].strip().lower() for ln in lines if ":" in ln and not ln.startswith((" ", "\t"))}
    return len(keys & {"from", "to", "subject", "date", "message-id", "mime-version", "received"}) >= 3


def _looks_delimited(text: str) -> bool:
    lines = [ln for ln in text.splitlines()[:50] if ln.strip()]
    if len(lines) < 2:
        return any(d in (lines[0] if lines else "") for d in ",;\t|")
    for delim in (",", "\t", ";", "|"):
        counts = [ln.count(delim) for ln in lines]
        if counts[0] and sum(1 for c in counts if c > 0) >= 0.8 * len(counts):
            # A report aligned by spaces whose names hold a comma ('GARCIA, Jose   1990-01-02   Honduras') is
            # fixed-width text: its columns outnumber the delimiter's fields.
            return widest("\n".join(text.splitlines()[:50])) <= sorted(counts)[len(counts) // 2] + 1
    return False
