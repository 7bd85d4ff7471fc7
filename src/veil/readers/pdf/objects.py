"""What is drawn on a PDF page and in which order: the page objects pdfium parsed, flattened out of form XObjects.

Each object gets its place in the drawing order (`z`), page-space bounds and the few properties that decide whether
text is seen: render mode, fill colour, optional-content layer. Everything goes through pypdfium2's raw API because
the helper classes do not expose fill colours, draw modes or marked-content properties.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pypdfium2.raw as pdfium

from veil.readers.limits import LimitExceeded
from veil.readers.xlsx.styles import contrast

Rect = tuple[float, float, float, float]  # left, bottom, right, top in PDF user space
Matrix = tuple[float, float, float, float, float, float]

IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
MAX_FORM_DEPTH = 24
MAX_OBJECTS_PER_PAGE = 2_000_000

TEXT, PATH, IMAGE, SHADING, FORM = (pdfium.FPDF_PAGEOBJ_TEXT, pdfium.FPDF_PAGEOBJ_PATH, pdfium.FPDF_PAGEOBJ_IMAGE,
                                    pdfium.FPDF_PAGEOBJ_SHADING, pdfium.FPDF_PAGEOBJ_FORM)
INVISIBLE_MODES = frozenset({3, 7})  # PDF text render modes that paint nothing (3: invisible, 7: clip only)
STROKE_MODES = frozenset({1, 5})


@dataclass(slots=True)
class PageObject:
    z: int
    kind: int
    bounds: Rect
    fill: tuple[int, int, int, int] | None  # RGBA 0-255, None when pdfium cannot tell (patterns, shadings)
    filled: bool  # a path with a fill operator
    render_mode: int = 0
    layer: str | None = None  # the /Name of the optional-content group the object is drawn in, if any
    stroke: tuple[int, int, int, int] | None = None  # stroke colour of a stroked path
    stroke_width: float = 0.0
    handle: object = None  # the pdfium object, kept for images (decoded only when one is drawn over text)
    transparent: bool = False  # drawn with a blend mode, alpha or soft mask: what is under it shows through


def address(handle: object) -> int:
    """A stable key for a pdfium handle (the same object always has the same address)."""
    return ctypes.c_void_p.from_buffer(handle).value or 0  # type: ignore[arg-type]


def fast(fn: object, restype: object, *argtypes: object) -> Callable[..., Any]:
    """The same pdfium function with plain integer handles: pypdfium2's typed pointers cost ~10 us per call, which
    matters in per-character loops."""
    proto = ctypes.CFUNCTYPE(restype, *argtypes)  # type: ignore[arg-type]
    return proto(ctypes.cast(fn, ctypes.c_void_p).value)  # type: ignore[arg-type]


def _compose(inner: Matrix, outer: Matrix) -> Matrix:
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _transform(rect: Rect, m: Matrix) -> Rect:
    if m == IDENTITY:
        return rect
    a, b, c, d, e, f = m
    xs, ys = [], []
    for x, y in ((rect[0], rect[1]), (rect[2], rect[1]), (rect[0], rect[3]), (rect[2], rect[3])):
        xs.append(a * x + c * y + e)
        ys.append(b * x + d * y + f)
    return (min(xs), min(ys), max(xs), max(ys))


_l, _b, _r, _t = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
_cr, _cg, _cb, _ca = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
_fillmode, _stroke = ctypes.c_int(), ctypes.c_int()
_NAME_BUF = (ctypes.c_ushort * 256)()
_NAME_LEN = ctypes.c_ulong()


def _bounds(obj: object) -> Rect:
    if not pdfium.FPDFPageObj_GetBounds(obj, _l, _b, _r, _t):
        return (0.0, 0.0, 0.0, 0.0)
    return (_l.value, _b.value, _r.value, _t.value)


def _fill(obj: object) -> tuple[int, int, int, int] | None:
    if not pdfium.FPDFPageObj_GetFillColor(obj, _cr, _cg, _cb, _ca):
        return None
    return (_cr.value, _cg.value, _cb.value, _ca.value)


_width = ctypes.c_float()


def _stroke_of(obj: object) -> tuple[tuple[int, int, int, int] | None, float]:
    if not pdfium.FPDFPageObj_GetStrokeWidth(obj, _width):
        return None, 0.0
    if not pdfium.FPDFPageObj_GetStrokeColor(obj, _cr, _cg, _cb, _ca):
        return None, _width.value
    return (_cr.value, _cg.value, _cb.value, _ca.value), _width.value


def _matrix(obj: object) -> Matrix:
    m = pdfium.FS_MATRIX()
    if not pdfium.FPDFPageObj_GetMatrix(obj, m):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _utf16(buf: ctypes.Array[ctypes.c_ushort], nbytes: int) -> str:
    raw = ctypes.string_at(buf, max(0, min(nbytes, ctypes.sizeof(buf))))
    return raw.decode("utf-16-le", "replace").rstrip("\x00")


def _layer(obj: object) -> str | None:
    """The optional-content group name of an object drawn inside `/OC /name BDC ... EMC`, if any."""
    for i in range(pdfium.FPDFPageObj_CountMarks(obj)):
        mark = pdfium.FPDFPageObj_GetMark(obj, i)
        if not mark or not pdfium.FPDFPageObjMark_GetName(mark, _NAME_BUF, ctypes.sizeof(_NAME_BUF), _NAME_LEN):
            continue
        if _utf16(_NAME_BUF, _NAME_LEN.value) != "OC":
            continue
        if pdfium.FPDFPageObjMark_GetParamStringValue(mark, b"Name", _NAME_BUF, ctypes.sizeof(_NAME_BUF), _NAME_LEN):
            return _utf16(_NAME_BUF, _NAME_LEN.value)
        return ""  # an OC mark whose group has no name (e.g. a membership dictionary)
    return None


def page_objects(page: object, cancel: object = None) -> tuple[list[PageObject], dict[int, PageObject]]:
    """All objects of a page in drawing order, and a map from text-object address to its entry.

    `cancel` is an optional callable run every few thousand objects (the time budget)."""
    out: list[PageObject] = []
    texts: dict[int, PageObject] = {}

    def visit(obj: object, matrix: Matrix, layer: str | None, depth: int) -> None:
        kind = pdfium.FPDFPageObj_GetType(obj)
        own_layer = _layer(obj) if pdfium.FPDFPageObj_CountMarks(obj) else None
        layer_here = own_layer if own_layer is not None else layer
        if kind == FORM:
            if depth >= MAX_FORM_DEPTH:
                raise LimitExceeded(f"form XObjects nested deeper than {MAX_FORM_DEPTH} levels")
            inner = _compose(_matrix(obj), matrix)
            for i in range(pdfium.FPDFFormObj_CountObjects(obj)):
                child = pdfium.FPDFFormObj_GetObject(obj, i)
                if child:
                    visit(child, inner, layer_here, depth + 1)
            return
        if len(out) >= MAX_OBJECTS_PER_PAGE:
            raise LimitExceeded(f"a page holds more than {MAX_OBJECTS_PER_PAGE} drawing objects")
        if cancel is not None and len(out) % 4096 == 4095:
            cancel()  # type: ignore[operator]
        bounds = _transform(_bounds(obj), matrix)
        entry = PageObject(len(out), kind, bounds, None, False, layer=layer_here)
        if kind == TEXT:
            entry.render_mode = pdfium.FPDFTextObj_GetTextRenderMode(obj)
            entry.fill = _fill(obj)
            texts[address(obj)] = entry
        elif kind == IMAGE:
            entry.handle = obj
        elif kind == PATH:
            if pdfium.FPDFPath_GetDrawMode(obj, _fillmode, _stroke):
                entry.filled = _fillmode.value != 0
                if _stroke.value:
                    entry.stroke, entry.stroke_width = _stroke_of(obj)
            if entry.filled:
                entry.fill = _fill(obj)
                entry.transparent = bool(pdfium.FPDFPageObj_HasTransparency(obj))
        out.append(entry)

    for i in range(pdfium.FPDFPage_CountObjects(page)):
        obj = pdfium.FPDFPage_GetObject(page, i)
        if obj:
            visit(obj, IDENTITY, None, 0)
    return out, texts


MAX_IMAGE_PIXELS = 25_000_000


def image_is_dark(obj: PageObject) -> bool:
    """True when an image is mostly dark (a black box pasted as a picture). Light or mixed images, such as a
    signature with a transparent background over a typed name, are not treated as covers."""
    if obj.handle is None:
        return False
    bitmap = pdfium.FPDFImageObj_GetBitmap(obj.handle)
    if not bitmap:
        return False
    try:
        width, height = pdfium.FPDFBitmap_GetWidth(bitmap), pdfium.FPDFBitmap_GetHeight(bitmap)
        stride, fmt = pdfium.FPDFBitmap_GetStride(bitmap), pdfium.FPDFBitmap_GetFormat(bitmap)
        if width <= 0 or height <= 0 or width * height > MAX_IMAGE_PIXELS:
            return False
        channels = {pdfium.FPDFBitmap_Gray: 1, pdfium.FPDFBitmap_BGR: 3, pdfium.FPDFBitmap_BGRx: 4,
                    pdfium.FPDFBitmap_BGRA: 4}.get(fmt)
        if channels is None:
            return False
        data = ctypes.string_at(pdfium.FPDFBitmap_GetBuffer(bitmap), stride * height)
        rows = range(0, height, max(1, height // 64))
        cols = range(0, width, max(1, width // 64))
        total = count = 0
        for y in rows:
            base = y * stride
            for x in cols:
                pos = base + x * channels
                total += data[pos] if channels == 1 else (data[pos] + data[pos + 1] + data[pos + 2]) // 3
                count += 1
        return count > 0 and total / count < 0.3 * 255
    finally:
        pdfium.FPDFBitmap_Destroy(bitmap)


def luminance(rgb: tuple[int, int, int, int] | tuple[int, int, int]) -> float:
    r, g, b = rgb[0], rgb[1], rgb[2]
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255.0


def same_colour(a: tuple[int, ...], b: tuple[int, ...], tolerance: int = 24) -> bool:
    return all(abs(x - y) <= tolerance for x, y in zip(a[:3], b[:3], strict=True))


LOW_CONTRAST = 1.3  # the contrast ratio under which text cannot be told from what is behind it (as in xlsx styles)


def low_contrast(text: tuple[int, ...], ground: tuple[int, ...]) -> bool:
    """Text the colour of what it is drawn on (WCAG contrast ratio, the measure xlsx styles use)."""
    return contrast("%02X%02X%02X" % text[:3], "%02X%02X%02X" % ground[:3]) < LOW_CONTRAST


def overlap(a: Rect, b: Rect) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def intersects(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def area(r: Rect) -> float:
    return max(0.0, r[2] - r[0]) * max(0.0, r[3] - r[1])


def contains_point(r: Rect, x: float, y: float) -> bool:
    return r[0] <= x <= r[2] and r[1] <= y <= r[3]


class Bands:
    """Rectangles bucketed by horizontal bands of the page, so "what lies at this height" is not a full scan."""

    def __init__(self, band: float = 24.0) -> None:
        self.band = band
        self.buckets: dict[int, list[tuple[int, Rect, object]]] = {}

    def add(self, z: int, rect: Rect, item: object) -> None:
        for k in range(int(rect[1] // self.band), int(rect[3] // self.band) + 1):
            self.buckets.setdefault(k, []).append((z, rect, item))
            if len(self.buckets) > 100_000:
                raise LimitExceeded("page geometry spans an unreasonable height")

    def near(self, rect: Rect) -> list[tuple[int, Rect, object]]:
        """Entries whose band range meets `rect`'s, each once, in drawing order."""
        lo, hi = int(rect[1] // self.band), int(rect[3] // self.band)
        if hi - lo > 64:  # a tall object: cheaper to look at everything once
            found = {id(e): e for bucket in self.buckets.values() for e in bucket}
        else:
            found = {id(e): e for k in range(lo, hi + 1) for e in self.buckets.get(k, ())}
        return sorted(found.values(), key=lambda e: e[0])
