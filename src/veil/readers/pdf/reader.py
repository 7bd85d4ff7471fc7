"""PDF reader: every place a PDF keeps text, each as a unit that says where it is and whether a reader sees it.

    page N                              visible text (and `page N table K` for rows laid out as a table)
    page N, box (x0,y0,x1,y1)           text under a box, shape, opaque annotation or unapplied /Redact mark, or
                                        on a dark box of its own colour
    page N, box (...) and the rest of its line    hidden text with the visible text of its lines (ties)
    page N, invisible text              render mode 3/7, text the colour of what is behind it, OCR layers
    page N, outside the visible page area
    page N, hidden layer 'X'            optional content switched off by default
    page N, annotation K (Subtype)      sticky notes, free text, markup comments
    form field values, XFA form data    AcroForm /V values
    document information, XMP metadata
    attachment 'x.csv' › ...            embedded files and FileAttachment annotations, read again through the readers
    revision K of M, page N             lines an incremental save replaced but left in the file
    page N (OCR)                        image-only pages, when tesseract is installed; otherwise Unreadable
    outline                             bookmark titles
    page N (text another PDF engine extracts)   on damaged files, what pdfminer finds that pdfium did not

Text and geometry come from pypdfium2 (fast); dictionaries pdfium does not expose come from pdfminer (catalog.py).
Fail closed: encrypted files, damaged structure or streams (guard.py), decompression bombs and image-only pages
without OCR become Unreadable with a one-line reason.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Iterator

import pypdfium2 as pdfium_helpers
import pypdfium2.raw as pdfium

from veil.readers.limits import LimitExceeded
from veil.readers.pdf import ocr as pdf_ocr
from veil.readers.pdf.catalog import AnnotationPages, Catalog, open_document, read_catalog
from veil.readers.pdf.engines import pdfminer_lines, tokens
from veil.readers.pdf.guard import check_streams, decode_stream, revision_ends
from veil.readers.pdf.page import PageText, has_images, page_units, read_page
from veil.readers.pdf.tables import find_tables
from veil.readers.registry import ReadContext
from veil.readers.units import Notice, Text, Unit, Unreadable, Visibility, table_from_rows

MAX_PAGES = 10_000
MAX_OCR_PAGES = 200
MAX_REVISIONS = 32
MAX_ANNOTATIONS_PER_PAGE = 20_000
# A page mostly covered by images with no more text than a stamp ("Page 3 of 9", a Bates number) is a scan
STAMP_LETTERS = 40
_SKIP_ANNOTS = frozenset({"Popup", "Widget", "Link"})  # popups repeat their parent's text; widgets are form fields


# pdfium is not thread-safe (pypdfium2's documentation): one PDF at a time per process. Re-entrant, because an
# attached PDF is read from inside its parent's read. Units are collected under the lock and yielded after it.
_PDFIUM_LOCK = threading.RLock()


def read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    with _PDFIUM_LOCK:
        units = list(_read(blob, ctx))
    yield from units


def _read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    limits = ctx.budget.limits
    raw = check_streams(blob, limits.max_total_uncompressed, ctx.budget.check_time)
    damaged = raw.damaged
    if raw.misplaced:
        yield Unreadable("cross-reference table", f"the cross-reference table points {raw.misplaced} object(s) at "
                                                  "bytes that are not those objects: the file is damaged")
    if damaged:
        yield Unreadable("compressed streams", f"{len(damaged)} compressed stream(s) of the PDF cannot be decoded "
                                               f"(the first at byte {damaged[0]}): the file is damaged")
    seen_tokens: set[str] = set()
    try:
        pdf = _open(blob)
    except LimitExceeded as exc:
        if "encrypted" in str(exc):
            raise
        yield Unreadable("", str(exc))
        yield from pdfminer_lines(blob, seen_tokens, ctx.budget.check_time)
        return
    try:
        pages = len(pdf)
        if pages > MAX_PAGES:
            raise LimitExceeded(f"the PDF has {pages} pages, more than the {MAX_PAGES} Veil reads")
        repaired = not pdfium.FPDF_DocumentHasValidCrossReferenceTable(pdf.raw)
        orphans = raw.page_objects - pages if len(revision_ends(blob)) == 1 else 0
        if orphans > 0:
            yield Unreadable("page tree", f"the file holds {raw.page_objects} page objects but its page tree lists "
                                          f"{pages}: {orphans} page(s) cannot be shown (damaged or cut out)")
        catalog, annotations = _catalog(blob, limits.max_member_bytes)
        for problem in catalog.problems:
            yield Unreadable("document catalog", problem)
        attached: set[str] = set()
        ocr_done = 0
        for index in range(pages):
            ctx.budget.check_time()
            for unit in _page(pdf, index, catalog, annotations, ocr_done, ctx, attached):
                if isinstance(unit, Text):
                    seen_tokens.update(tokens(unit.text))
                    if unit.location.endswith("(OCR)"):
                        ocr_done += 1
                yield unit
        yield from _outline(pdf)
        yield from _metadata(catalog)
        yield from _attachments(pdf, ctx, attached)
        yield from _unlisted_files(blob, raw.embedded_files, ctx, attached)
    finally:
        pdf.close()
    if damaged or raw.misplaced or repaired or catalog.problems or orphans > 0:
        # engines repair damage differently: check what another one extracts as well
        yield from pdfminer_lines(blob, seen_tokens, ctx.budget.check_time)
    yield from _earlier_revisions(blob, seen_tokens, ctx)


MAX_OUTLINE_ITEMS = 100_000


def _outline(pdf: pdfium_helpers.PdfDocument) -> Iterator[Unit]:
    """Bookmark titles (the outline a viewer shows beside the pages), one per line, indented by level."""
    titles = []
    try:
        for k, item in enumerate(pdf.get_toc(max_depth=32)):
            if k >= MAX_OUTLINE_ITEMS:
                break
            title = " ".join(item.get_title().split())
            if title:
                titles.append("  " * item.level + title)
    except pdfium_helpers.PdfiumError:
        yield Unreadable("outline", "the bookmarks (outline) could not be read")
    if titles:
        yield Text("outline", Visibility.VISIBLE, "\n".join(titles))


def _open(blob: bytes) -> pdfium_helpers.PdfDocument:
    try:
        return pdfium_helpers.PdfDocument(blob)
    except pdfium_helpers.PdfiumError as exc:
        code = getattr(exc, "err_code", None)
        if code == pdfium.FPDF_ERR_PASSWORD:
            raise LimitExceeded("the PDF is encrypted (a password is needed to open it)") from exc
        if code == pdfium.FPDF_ERR_SECURITY:
            raise LimitExceeded("the PDF uses an unsupported security handler (encrypted)") from exc
        raise LimitExceeded("the PDF's structure is damaged beyond repair (cross-reference table or trailer)") \
            from exc


def _catalog(blob: bytes, max_file: int) -> tuple[Catalog, AnnotationPages | None]:
    try:
        doc = open_document(blob)
    except Exception as exc:  # noqa: BLE001 - pdfium opened the file; the dictionary parser could not
        return Catalog(problems=[f"metadata, layers and form fields could not be read ({type(exc).__name__})"]), None
    return read_catalog(doc), AnnotationPages(doc, max_file)


def _page(pdf: pdfium_helpers.PdfDocument, index: int, catalog: Catalog, annotations: AnnotationPages | None,
          ocr_done: int, ctx: ReadContext, attached: set[str]) -> Iterator[Unit]:
    number = index + 1
    page = pdf[index]
    try:
        textpage = page.get_textpage()
        try:
            annots = []
            if pdfium.FPDFPage_GetAnnotCount(page.raw) > 0:
                if annotations is None:
                    yield Unreadable(f"page {number}", "the page's annotations could not be read")
                else:
                    try:
                        annots = annotations.get(index)[:MAX_ANNOTATIONS_PER_PAGE]
                    except Exception as exc:  # noqa: BLE001 - an annotation we cannot read might hide text
                        yield Unreadable(f"page {number}", f"the page's annotations could not be read "
                                                          f"({type(exc).__name__})")
            result = read_page(page, textpage, number, annots, catalog.off_layers, ctx.budget.check_time)
            yield from page_units(number, result)
            if result.visible:
                for k, grid in enumerate(find_tables(textpage, result.hidden_chars, page.get_rotation(),
                                                             result.objects), start=1):
                    rows: list[list[object]] = [list(r) for r in grid]
                    yield table_from_rows(rows, location=f"page {number} table {k}")
        finally:
            textpage.close()
        for annot in annots:
            if annot.subtype not in _SKIP_ANNOTS and annot.contents:
                yield Text(f"page {number}, annotation {annot.index} ({annot.subtype or 'unknown'})",
                           Visibility.ANNOTATION, annot.contents)
            if annot.file is not None:
                yield from _attachment(annot.file[0], annot.file[1], ctx, attached,
                                       f"page {number}, annotation {annot.index} attachment")
        letters = _letters(result)
        if (letters == 0 and has_images(page)) or (letters < STAMP_LETTERS and has_images(page, 0.5)):
            yield from _image_only(page, number, ocr_done, ctx)
    finally:
        page.close()


def _letters(result: PageText) -> int:
    texts = [result.visible, *result.hidden.values()]
    return sum(ch.isalnum() for text in texts for ch in text)


def _image_only(page: pdfium_helpers.PdfPage, number: int, ocr_done: int, ctx: ReadContext) -> Iterator[Unit]:
    if not pdf_ocr.available():
        yield Unreadable(f"page {number}", f"page {number} has no text layer (image only) and OCR is not installed")
        return
    if ocr_done >= MAX_OCR_PAGES:
        yield Unreadable(f"page {number}", f"more than {MAX_OCR_PAGES} image-only pages to OCR")
        return
    left = ctx.budget.limits.seconds - (time.monotonic() - ctx.budget.started)
    try:
        text = pdf_ocr.ocr_page(page, left)
    except LimitExceeded as exc:
        yield Unreadable(f"page {number}", str(exc))
        return
    yield Text(f"page {number} (OCR)", Visibility.VISIBLE, text)


def _metadata(catalog: Catalog) -> Iterator[Unit]:
    if catalog.info:
        yield Text("document information", Visibility.METADATA, "\n".join(f"{k}: {v}" for k, v in catalog.info))
    if catalog.xmp:
        try:
            text = _xml_text(catalog.xmp, "XMP metadata")
        except LimitExceeded as exc:
            yield Unreadable("XMP metadata", str(exc))
        else:
            if text:
                yield Text("XMP metadata", Visibility.METADATA, text)
    if catalog.fields:
        yield Text("form field values", Visibility.FORM_FIELD, "\n".join(f"{k}: {v}" for k, v in catalog.fields))
    for name, data in catalog.xfa:
        try:
            text = _xml_text(data, f"XFA form data ({name})")
        except LimitExceeded as exc:
            yield Unreadable(f"XFA form data ({name})", str(exc))
        else:
            if text:
                yield Text(f"XFA form data ({name})", Visibility.FORM_FIELD, text)


def _xml_text(data: bytes, part: str) -> str:
    """Element text and attribute values of an XML packet, one `name: value` per line."""
    from veil.readers.safexml import local, parse

    start = data.find(b"<x:xmpmeta")
    root = parse(data[start:] if start > 0 and b"<?xpacket" in data[:start] else data.strip(), part)
    lines = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for key, value in el.attrib.items():
            if value.strip() and local(key) not in ("about", "parseType"):
                lines.append(f"{local(key)}: {value.strip()}")
        if el.text and el.text.strip():
            lines.append(f"{local(el.tag)}: {el.text.strip()}")
    return "\n".join(lines)


def _attachments(pdf: pdfium_helpers.PdfDocument, ctx: ReadContext, attached: set[str]) -> Iterator[Unit]:
    for i in range(pdf.count_attachments()):
        attachment = pdf.get_attachment(i)
        name = attachment.get_name() or f"attachment {i + 1}"
        try:
            data = attachment.get_data()
        except pdfium_helpers.PdfiumError:
            yield Unreadable(f"attachment '{name}'", "the attached file's data could not be read")
            continue
        yield from _attachment(name, bytes(data), ctx, attached, f"attachment '{name}'")


def _unlisted_files(blob: bytes, offsets: list[int], ctx: ReadContext, attached: set[str]) -> Iterator[Unit]:
    """Embedded-file streams that neither the attachment list nor an annotation reached (a damaged or edited name
    tree): a viewer does not offer them, but their bytes are in the file."""
    cap = ctx.budget.limits.max_member_bytes
    for offset in offsets:
        data = decode_stream(blob, offset, cap)
        where = f"attachment no list names (stream at byte {offset})"
        if data is None:
            yield Unreadable(where, "an embedded file's data cannot be decoded")
        elif hashlib.sha256(data).hexdigest() not in attached:
            yield Notice(where, Visibility.ATTACHMENT, "an embedded file that no attachment list names")
            yield from _attachment("embedded file", data, ctx, attached, where)


def _attachment(name: str, data: bytes, ctx: ReadContext, attached: set[str], location: str) -> Iterator[Unit]:
    if len(data) > ctx.budget.limits.max_member_bytes:
        yield Unreadable(location, f"the attached file is larger than {ctx.budget.limits.max_member_bytes} bytes")
        return
    digest = hashlib.sha256(data).hexdigest()
    if digest in attached:
        return  # the same file attached twice (name tree and annotation): read once
    attached.add(digest)
    if not data:
        yield Notice(location, Visibility.ATTACHMENT, "the attached file is empty")
        return
    yield from ctx.embedded(data, name, location if location.startswith("attachment") else f"{location} '{name}'",
                            Visibility.ATTACHMENT)


def _earlier_revisions(blob: bytes, current: set[str], ctx: ReadContext) -> Iterator[Unit]:
    """Lines of an earlier revision holding words the current revision no longer has anywhere (replaced by an
    incremental save). Words, not lines, are compared: a later save that only reflows text reports nothing."""
    ends = revision_ends(blob)
    earlier = ends[:-1]
    if not earlier:
        return
    if len(earlier) > MAX_REVISIONS:
        yield Unreadable("earlier revisions", f"the file keeps {len(ends)} revisions, more than the "
                                              f"{MAX_REVISIONS} Veil reads")
        return
    for k, end in enumerate(earlier, start=1):
        where = f"revision {k} of {len(ends)} (first {end} bytes)"
        try:
            old = pdfium_helpers.PdfDocument(blob[:end])
        except pdfium_helpers.PdfiumError:
            # e.g. the first-page section of a linearized file: its objects are all in the current revision too
            yield Notice(where, Visibility.EARLIER_REVISION, "an earlier revision could not be opened on its own")
            continue
        try:
            for index in range(min(len(old), MAX_PAGES)):
                ctx.budget.check_time()
                page = old[index]
                try:
                    textpage = page.get_textpage()
                    text = textpage.get_text_range()
                    textpage.close()
                finally:
                    page.close()
                gone = [" ".join(line.split()) for line in text.splitlines() if tokens(line) - current]
                if gone:
                    yield Text(f"{where}, page {index + 1}", Visibility.EARLIER_REVISION, "\n".join(gone))
        finally:
            old.close()
