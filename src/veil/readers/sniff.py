"""Tell a file's format from its bytes, not its name (a `.xlsx` that is really a CSV is read as a CSV)."""

from __future__ import annotations

import io
import zipfile

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")

_ODF_MIMETYPES = {
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.presentation": "odp",
}


def sniff(blob: bytes, name: str = "") -> str:
    """Return a format name: xlsx, xlsb, xls, ods, docx, pptx, odt, odp, doc, ppt, msg, ole, encrypted-office,
    pdf, zip, tar, gzip, 7z, parquet, json, ndjson, html, eml, rtf, delimited, text, empty or binary."""
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
    if b"\x00" in head and not (head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(head)):
        return "binary"
    text = _decode_head(head)
    stripped = text.lstrip("\ufeff \t\r\n")
    # An e-mail whose first part is HTML is still an e-mail: look at its header block first.
    if _looks_like_email(stripped):
        return "eml"
    lower = stripped[:2048].lower()
    if lower.startswith(("<!doctype html", "<html")) or ("<html" in lower[:512] and "<body" in lower):
        return "html"
    if lower.startswith("<?xml") and "<html" in lower:
        return "html"
    if stripped.startswith(("{", "[")):
        first_line = stripped.split("\n", 1)[0].strip()
        if stripped.startswith("{") and first_line.endswith("}") and "\n{" in stripped:
            return "ndjson"
        return "json"
    lowered_name = name.lower()
    if lowered_name.endswith((".md", ".markdown")):
        return "text"
    if _looks_delimited(stripped):
        return "delimited"
    return "text"


def _looks_utf16(head: bytes) -> bool:
    sample = head[:200]
    return len(sample) > 20 and sample[1::2].count(0) > len(sample) // 3


def _decode_head(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(head):
        return head.decode("utf-16", errors="replace")
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
            return True
    return False
