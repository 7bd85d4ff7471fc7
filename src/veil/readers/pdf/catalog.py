"""The dictionary-level parts of a PDF that pdfium does not expose: document info, XMP, optional-content defaults,
AcroForm field values and the raw annotation dictionaries (colours, opacity, quad points, attached files).

Read with pdfminer.six (already a dependency through pdfplumber); only dictionaries are touched, never page content,
so this stays fast on long documents. Stream data is read after the stream-size guard in pdf_guard has run.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field

from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFObjRef, PDFStream, resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

from veil.readers.pdf.objects import Rect

MAX_FIELDS = 100_000
MAX_FIELD_DEPTH = 32
MAX_XMP_BYTES = 16 * 1024 * 1024

# annotation flags (PDF 32000-1, 12.5.3): Hidden (bit 2) and NoView (bit 6) mean the annotation is not drawn
_HIDDEN_FLAGS = 0b100010


@dataclass
class Annotation:
    index: int
    subtype: str
    rect: Rect
    quads: list[Rect] = field(default_factory=list)
    contents: str = ""
    colour: tuple[int, int, int] | None = None  # /C
    interior: tuple[int, int, int] | None = None  # /IC
    opacity: float = 1.0  # /CA
    hidden: bool = False
    border_width: float = 1.0
    file: tuple[str, bytes] | None = None  # a FileAttachment annotation's file


@dataclass
class Catalog:
    info: list[tuple[str, str]] = field(default_factory=list)
    xmp: bytes | None = None
    off_layers: set[str] = field(default_factory=set)
    fields: list[tuple[str, str]] = field(default_factory=list)
    xfa: list[tuple[str, bytes]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def text_of(value: object) -> str:
    value = resolve1(value)
    if isinstance(value, bytes):
        return decode_text(value)
    if isinstance(value, PSLiteral):
        return str(value.name)
    if isinstance(value, str):
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list):
        return ", ".join(t for t in (text_of(v) for v in value[:1000]) if t)
    return ""


def _name(value: object) -> str:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        return str(value.name)
    return text_of(value)


def _number(value: object, default: float) -> float:
    value = resolve1(value)
    return float(value) if isinstance(value, int | float) else default


def _colour(value: object) -> tuple[int, int, int] | None:
    """A /C or /IC array (gray, RGB or CMYK, components 0..1) as 0-255 RGB; None when absent or empty."""
    comps = [v for v in (resolve1(value) or []) if isinstance(v, int | float)] if isinstance(resolve1(value), list) \
        else []
    if len(comps) == 1:
        g = round(255 * comps[0])
        return (g, g, g)
    if len(comps) == 3:
        r, g, b = (round(255 * c) for c in comps)
        return (r, g, b)
    if len(comps) == 4:
        c, m, y, k = comps
        return (round(255 * (1 - c) * (1 - k)), round(255 * (1 - m) * (1 - k)), round(255 * (1 - y) * (1 - k)))
    return None


def _rect(value: object) -> Rect | None:
    nums = resolve1(value)
    if not isinstance(nums, list) or len(nums) != 4:
        return None
    try:
        x0, y0, x1, y1 = (float(resolve1(v)) for v in nums)
    except (TypeError, ValueError):
        return None
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _quads(value: object) -> list[Rect]:
    nums = resolve1(value)
    if not isinstance(nums, list):
        return []
    vals = [float(v) for v in (resolve1(n) for n in nums) if isinstance(v, int | float)]
    out = []
    for i in range(0, len(vals) - 7, 8):
        xs, ys = vals[i:i + 8:2], vals[i + 1:i + 8:2]
        out.append((min(xs), min(ys), max(xs), max(ys)))
    return out


def open_document(blob: bytes) -> PDFDocument:
    return PDFDocument(PDFParser(io.BytesIO(blob)), password="")


def read_catalog(doc: PDFDocument) -> Catalog:
    """Everything document-level that may hold personal data or decides visibility. Never raises: a part that
    cannot be read is named in `problems` (the reader turns those into Unreadable units)."""
    out = Catalog()
    for part, fn in (("document information", _info), ("XMP metadata", _xmp), ("optional content", _layers),
                     ("form fields", _fields)):
        try:
            fn(doc, out)
        except Exception as exc:  # noqa: BLE001 - any parser failure makes this part unverifiable, with its name
            out.problems.append(f"the {part} could not be read ({type(exc).__name__})")
    return out


def _info(doc: PDFDocument, out: Catalog) -> None:
    for info in doc.info:
        for key, value in dict(info).items():
            text = text_of(value).strip()
            if text:
                out.info.append((str(key), text))


def _stream_data(value: object, limit: int) -> bytes | None:
    stream = resolve1(value)
    if not isinstance(stream, PDFStream):
        return None
    data = stream.get_data()
    return data[:limit] if data else None


def _xmp(doc: PDFDocument, out: Catalog) -> None:
    out.xmp = _stream_data(doc.catalog.get("Metadata"), MAX_XMP_BYTES)


def _layers(doc: PDFDocument, out: Catalog) -> None:
    props = resolve1(doc.catalog.get("OCProperties"))
    if not isinstance(props, dict):
        return
    default = resolve1(props.get("D")) or {}
    off = resolve1(default.get("OFF")) or [] if isinstance(default, dict) else []
    if isinstance(default, dict) and _name(default.get("BaseState")) == "OFF":
        # everything is off unless listed as ON
        on = {id(resolve1(r)) for r in (resolve1(default.get("ON")) or [])}
        off = [g for g in (resolve1(props.get("OCGs")) or []) if id(resolve1(g)) not in on]
    for group in off:
        group = resolve1(group)
        if isinstance(group, dict):
            out.off_layers.add(text_of(group.get("Name")))


def _fields(doc: PDFDocument, out: Catalog) -> None:
    form = resolve1(doc.catalog.get("AcroForm"))
    if not isinstance(form, dict):
        return
    seen: set[int] = set()

    def walk(node: object, prefix: str, depth: int) -> None:
        if isinstance(node, PDFObjRef):
            if node.objid in seen:
                return
            seen.add(node.objid)
        node = resolve1(node)
        if not isinstance(node, dict) or depth > MAX_FIELD_DEPTH or len(out.fields) > MAX_FIELDS:
            return
        name = text_of(node.get("T"))
        full = f"{prefix}.{name}" if prefix and name else (name or prefix)
        value = text_of(node.get("V")).strip()
        if value and value not in ("Off",):
            out.fields.append((full or "(unnamed)", value))
        for kid in resolve1(node.get("Kids")) or []:
            walk(kid, full, depth + 1)

    for top in resolve1(form.get("Fields")) or []:
        walk(top, "", 0)
    xfa = resolve1(form.get("XFA"))
    if isinstance(xfa, list):
        for i in range(0, len(xfa) - 1, 2):
            data = _stream_data(xfa[i + 1], MAX_XMP_BYTES)
            if data:
                out.xfa.append((text_of(xfa[i]), data))
    elif xfa is not None:
        data = _stream_data(xfa, MAX_XMP_BYTES)
        if data:
            out.xfa.append(("xfa", data))


class AnnotationPages:
    """Annotation dictionaries page by page, walking pdfminer's page tree once, only as far as asked."""

    def __init__(self, doc: PDFDocument, max_file_bytes: int) -> None:
        self._pages: Iterator[PDFPage] = PDFPage.create_pages(doc)
        self._next = 0
        self._max_file = max_file_bytes

    def get(self, index: int) -> list[Annotation]:
        page = None
        while self._next <= index:
            page = next(self._pages, None)
            self._next += 1
            if page is None:
                raise ValueError("page tree ended early")
        if page is None:
            raise ValueError("pages must be asked for in order")
        return [a for a in (self._annotation(i, ref) for i, ref in enumerate(resolve1(page.annots) or [])) if a]

    def _annotation(self, index: int, ref: object) -> Annotation | None:
        d = resolve1(ref)
        if not isinstance(d, dict):
            return None
        rect = _rect(d.get("Rect")) or (0.0, 0.0, 0.0, 0.0)
        border = resolve1(d.get("BS"))
        annot = Annotation(
            index=index + 1,
            subtype=_name(d.get("Subtype")),
            rect=rect,
            quads=_quads(d.get("QuadPoints")),
            contents=text_of(d.get("Contents")).strip() or text_of(d.get("RC")).strip(),
            colour=_colour(d.get("C")),
            interior=_colour(d.get("IC")),
            opacity=_number(d.get("CA"), 1.0),
            hidden=bool(int(_number(d.get("F"), 0)) & _HIDDEN_FLAGS),
            border_width=_number(border.get("W"), 1.0) if isinstance(border, dict) else 1.0,
        )
        if annot.subtype == "FileAttachment":
            annot.file = self._file(d.get("FS"))
        return annot

    def _file(self, spec: object) -> tuple[str, bytes] | None:
        spec = resolve1(spec)
        if not isinstance(spec, dict):
            return None
        name = text_of(spec.get("UF")) or text_of(spec.get("F")) or "attachment"
        ef = resolve1(spec.get("EF"))
        if not isinstance(ef, dict):
            return None
        stream = resolve1(ef.get("F") or ef.get("UF"))
        if not isinstance(stream, PDFStream):
            return None
        return name, (stream.get_data() or b"")[: self._max_file + 1]
