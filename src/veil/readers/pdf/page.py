"""One PDF page: which of its characters a reader sees, and which are hidden (under a box drawn later, invisible,
the colour of what is behind them, off the page, in a layer switched off), as units with exact locations.

How it decides, and why it differs from a box-over-words check (Free Law Project's x-ray):
- Drawing order matters. A dark box drawn *before* text is a table header or a highlight bar; only a box drawn
  *after* the text (or an annotation, which is always painted on top) hides it. pdfium gives each character's text
  object, so each character is compared only with the boxes painted over it.
- Any opaque filled shape counts, not only `re` rectangles: filled paths, white boxes, small opaque images, and
  Square/Circle/Polygon/Highlight/Ink annotations with dark or opaque fill. Unapplied /Redact annotations count
  whatever their colour: the text is still in the file until the redaction is applied.
- A character counts as covered when at least half its box lies under the cover, so a box that merely touches the
  line above does not swallow it; a box over nothing, or over spaces, yields nothing (the properly redacted case).
- Dates of birth, numbers and single words under a box are reported like names: the core decides what is legible.

Pages with no hidden-text candidates take a fast path: one call for the page's text, no per-character work.
"""

from __future__ import annotations

import ctypes
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pypdfium2 as pdfium_helpers
import pypdfium2.raw as pdfium

from veil.readers.pdf.catalog import Annotation
from veil.readers.pdf.objects import (
    IMAGE,
    INVISIBLE_MODES,
    PATH,
    STROKE_MODES,
    TEXT,
    Bands,
    PageObject,
    Rect,
    address,
    area,
    contains_point,
    fast,
    image_is_dark,
    intersects,
    low_contrast,
    luminance,
    overlap,
    page_objects,
)
from veil.readers.units import Text, Unit, Visibility

WHITE = (255, 255, 255, 255)
OPAQUE = 230  # fill alpha (0-255) from which a shape hides what is under it
DARK = 0.5  # luminance below which a fill is dark
WHITE_OUT = 245  # every channel at least this: a white box (light tints are shading, not a cover)
COVERED = 0.5  # share of a character's box that must lie under a cover
ANNOTATION_Z = 1 << 60  # annotations are painted after all page content
BOX_ANNOTS = frozenset({"Square", "Circle", "Polygon", "Ink", "Highlight", "StrikeOut", "Underline", "Squiggly"})


@dataclass(slots=True)
class Cover:
    z: int
    rect: Rect
    what: str  # "box", "image", "Redact annotation", ...
    parts: tuple[Rect, ...] = ()  # quad points of markup annotations; the rect when empty
    image: PageObject | None = None  # an image cover: hides only if dark (checked lazily)

    def hides(self, box: Rect) -> bool:
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        size = area(box)
        for part in self.parts or (self.rect,):
            if size > 0 and overlap(part, box) >= COVERED * size:
                return True
            if size == 0 and contains_point(part, cx, cy):
                return True
        return False


@dataclass
class PageText:
    """What one page yields: the visible text and hidden runs keyed by (visibility, where)."""

    visible: str
    hidden: dict[tuple[Visibility, str], str]
    chars: int
    hidden_chars: frozenset[int] = frozenset()  # indices of characters that are not visible
    objects: list[PageObject] = field(default_factory=list)  # what is drawn (rules for the table finder)


def _annotation_covers(annots: list[Annotation]) -> list[Cover]:
    out = []
    for a in annots:
        if a.subtype == "Redact":
            out.append(Cover(ANNOTATION_Z + a.index, a.rect, "Redact annotation", tuple(a.quads)))
            continue
        if a.hidden or a.subtype not in BOX_ANNOTS or a.opacity < 0.5:
            continue
        if a.subtype in ("Square", "Circle", "Polygon"):
            fill = a.interior
            if fill is None or not (luminance(fill) < DARK or luminance(fill) > 0.94):
                continue
        else:  # markup and ink annotations are painted in their /C colour (highlights multiply: only dark hides)
            if a.colour is None or luminance(a.colour) >= DARK:
                continue
            if a.subtype in ("StrikeOut", "Underline", "Squiggly"):
                continue  # a line through or under text leaves it legible
        out.append(Cover(ANNOTATION_Z + a.index, a.rect, f"{a.subtype} annotation", tuple(a.quads)))
    return out


def _object_covers(objects: list[PageObject], page_area: float) -> list[Cover]:
    out = []
    for o in objects:
        if o.layer is not None:
            continue  # shapes in optional content may be switched off; do not let them hide anything
        if o.kind == PATH and o.filled and o.fill is not None and o.fill[3] >= OPAQUE and not o.transparent:
            # dark fills and white boxes hide text; any other fill over text is shading or highlighting (a light
            # blue table column, a marker colour), usually painted with a blend mode that leaves the text legible
            if (luminance(o.fill) < DARK or min(o.fill[:3]) >= WHITE_OUT) and area(o.bounds) > 1.0:
                out.append(Cover(o.z, o.bounds, "box"))
        elif o.kind == PATH and (painted := _marker(o)) is not None:
            out.append(Cover(o.z, painted, "marker stroke"))
        elif o.kind == IMAGE and 1.0 < area(o.bounds) < 0.5 * page_area:
            out.append(Cover(o.z, o.bounds, "image", image=o))
    return out


def _backgrounds(objects: list[PageObject]) -> Bands:
    """Opaque filled shapes and images: what text may be drawn on top of (thin rules are left out)."""
    bands = Bands()
    for o in objects:
        if o.layer is not None:
            continue
        w, h = o.bounds[2] - o.bounds[0], o.bounds[3] - o.bounds[1]
        if o.kind == PATH and o.filled and o.fill is not None and o.fill[3] >= OPAQUE and w > 2 and h > 2:
            bands.add(o.z, o.bounds, o.fill)
        elif o.kind == IMAGE and w > 2 and h > 2:
            bands.add(o.z, o.bounds, None)  # an image: its colour is unknown, never equal to a text colour
    return bands


def _dark_enough(cover: Cover, cache: dict[int, bool]) -> bool:
    """Images only hide text when they are dark; decoded once, and only when drawn over text."""
    if cover.image is None:
        return True
    if cover.z not in cache:
        cache[cover.z] = image_is_dark(cover.image)
    return cache[cover.z]


def _marker(o: PageObject) -> Rect | None:
    """The painted band of a thick dark horizontal or vertical line drawn like a marker pen through text; None for
    anything else (frames, thin rules). pdfium's bounds of a stroked path are padded by the line width."""
    width = o.stroke_width
    if o.stroke is None or o.stroke[3] < OPAQUE or luminance(o.stroke) >= DARK or width < 3.0:
        return None
    x0, y0, x1, y1 = o.bounds
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    if y1 - y0 <= 2.2 * width < x1 - x0:
        return (x0 + width, cy - width / 2, x1 - width, cy + width / 2)  # butt caps end at the path's ends
    if x1 - x0 <= 2.2 * width < y1 - y0:
        return (cx - width / 2, y0 + width, cx + width / 2, y1 - width)
    return None


def _invisible(obj: PageObject) -> bool:
    """Text no one sees wherever it stands: invisible render modes, zero alpha, glyphs far below a point."""
    if obj.render_mode in INVISIBLE_MODES:
        return True
    if obj.fill is not None and obj.fill[3] == 0 and obj.render_mode not in STROKE_MODES:
        return True
    height = obj.bounds[3] - obj.bounds[1]
    return 0 < height < 1.0 and obj.bounds[2] - obj.bounds[0] < 1.0


def _grounds(obj: PageObject, backgrounds: Bands, crop: Rect) -> list[tuple[int, Rect, object]] | None:
    """What a text object is drawn on, bottom first (the page's white paper, then opaque shapes drawn before it),
    when any of them has the text's own colour: then each character is checked against the one under it (a box
    drawn *under* the text in its colour hides it as well as one drawn over it). None when none does."""
    if obj.fill is None or obj.render_mode in STROKE_MODES:
        return None  # outlined glyphs: the stroke colour is what shows, and it is rarely the background's
    under = [(z, r, f) for z, r, f in backgrounds.near(obj.bounds) if z < obj.z and intersects(r, obj.bounds)]
    grounds: list[tuple[int, Rect, object]] = [(-1, crop, WHITE), *under]
    if any(fill is not None and low_contrast(obj.fill, fill) for _, _, fill in grounds):  # type: ignore[arg-type]
        return grounds
    return None


def _rect_text(rect: Rect) -> str:
    return "({:.0f},{:.0f},{:.0f},{:.0f})".format(*rect)


class _Runs:
    """Text collected per category. pdfium's generated separators (spaces and line breaks it inserts between text
    objects) belong to no object: a run that resumes after one gets a space, or a line break if one was passed.
    Every character is also kept by line, so hidden text can be given with the rest of its line."""

    def __init__(self) -> None:
        self.parts: dict[tuple[Visibility, str], list[str]] = defaultdict(list)
        self.last: dict[tuple[Visibility, str], int] = {}
        self.breaks = 0  # line breaks seen so far
        self.breaks_at: dict[tuple[Visibility, str], int] = {}
        self.lines: dict[int, list[str]] = defaultdict(list)  # every character, by the line it is on
        self.key_lines: dict[tuple[Visibility, str], set[int]] = defaultdict(set)

    def add(self, key: tuple[Visibility, str], index: int, ch: str) -> None:
        parts = self.parts[key]
        if parts and self.last.get(key, index - 1) != index - 1 and not parts[-1].isspace() and not ch.isspace():
            parts.append("\n" if self.breaks_at.get(key, self.breaks) != self.breaks else " ")
        if ch in "\r\n":
            self.breaks += 1
            ch = "\n" if ch == "\n" or not parts or parts[-1] != "\n" else ""
        else:
            self.lines[self.breaks].append(ch)
            if not ch.isspace():
                self.key_lines[key].add(self.breaks)
        parts.append(ch)
        self.last[key] = index
        self.breaks_at[key] = self.breaks

    def separator(self, ch: str) -> None:
        if ch in "\r\n":
            self.breaks += 1
        else:
            self.lines[self.breaks].append(ch)

    def text(self) -> dict[tuple[Visibility, str], str]:
        return {k: "".join(v).strip() for k, v in self.parts.items()}

    def with_lines(self, found: dict[tuple[Visibility, str], str], visible: tuple[Visibility, str]
                   ) -> dict[tuple[Visibility, str], str]:
        """Hidden text, plus, when it shares lines with visible text, those whole lines as a unit of their own:
        a name hidden under a box is then tied to the birth date and status printed beside it. The hidden unit
        keeps exactly what is hidden (a failed redaction counts its words); the line unit is `invisible-text`,
        since part of it cannot be seen."""
        shown = self.key_lines.get(visible, set())
        out = dict(found)
        for key in found:
            lines = self.key_lines.get(key, set())
            if key[0] is Visibility.OFF_PAGE or not lines & shown:
                continue
            full = "\n".join(" ".join("".join(self.lines[b]).split()) for b in sorted(lines))
            plural = "s" if len(lines) > 1 else ""
            out[(Visibility.INVISIBLE_TEXT, f"{key[1]} and the rest of its line{plural}")] = full
        return out


def read_page(page: pdfium_helpers.PdfPage, textpage: pdfium_helpers.PdfTextPage, number: int,
              annots: list[Annotation], off_layers: set[str], cancel: Callable[[], None]) -> PageText:
    """Split one page's characters by visibility."""
    objects, texts = page_objects(page.raw, cancel)
    crop = _crop(page)
    page_area = area(crop)
    covers = _annotation_covers(annots) + _object_covers(objects, page_area)
    covers.sort(key=lambda c: c.z)
    cover_bands = Bands()
    for cover in covers:
        cover_bands.add(cover.z, cover.rect, cover)
    backgrounds = _backgrounds(objects)
    dark_images: dict[int, bool] = {}
    # which text objects need a closer look, and why
    special: dict[int, tuple[Visibility, str] | None] = {}
    suspect: dict[int, list[Cover]] = {}
    grounded: dict[int, list[tuple[int, Rect, object]]] = {}
    for key, obj in texts.items():
        over = [c for z, r, c in cover_bands.near(obj.bounds)
                if z > obj.z and isinstance(c, Cover) and intersects(r, obj.bounds) and _dark_enough(c, dark_images)]
        if over:
            suspect[key] = over
        if obj.layer is not None and (obj.layer in off_layers or obj.layer == ""):
            special[key] = (Visibility.HIDDEN_LAYER, f"page {number}, hidden layer '{obj.layer or '?'}'")
        elif _invisible(obj):
            special[key] = (Visibility.INVISIBLE_TEXT, f"page {number}, invisible text")
        else:
            if not _inside(obj.bounds, crop):
                special[key] = None  # decided per character: some glyphs may be on the page
            if (grounds := _grounds(obj, backgrounds, crop)) is not None:
                grounded[key] = grounds
    n_chars = textpage.count_chars()
    if not special and not suspect and not grounded:
        text = textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n")
        return PageText(text, {}, n_chars, objects=objects)
    result = _classify(textpage, number, n_chars, texts, _Checks(special, suspect, grounded), crop, cancel)
    result.objects = objects
    return result


def _crop(page: pdfium_helpers.PdfPage) -> Rect:
    left, bottom, right, top = page.get_cropbox()
    m_left, m_bottom, m_right, m_top = page.get_mediabox()
    # what a viewer shows is the crop box clipped to the media box
    return (max(left, m_left), max(bottom, m_bottom), min(right, m_right), min(top, m_top))


def _inside(bounds: Rect, crop: Rect, slack: float = 1.0) -> bool:
    return (bounds[0] >= crop[0] - slack and bounds[1] >= crop[1] - slack and bounds[2] <= crop[2] + slack
            and bounds[3] <= crop[3] + slack)


_cl, _cr, _cb, _ct = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
_DOUBLE_P = ctypes.POINTER(ctypes.c_double)
_text_object = fast(pdfium.FPDFText_GetTextObject, ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int)
_unicode = fast(pdfium.FPDFText_GetUnicode, ctypes.c_uint, ctypes.c_void_p, ctypes.c_int)
_char_box = fast(pdfium.FPDFText_GetCharBox, ctypes.c_int, ctypes.c_void_p, ctypes.c_int, _DOUBLE_P, _DOUBLE_P,
                 _DOUBLE_P, _DOUBLE_P)
_pl, _pr, _pb, _pt = (ctypes.byref(v) for v in (_cl, _cr, _cb, _ct))


@dataclass
class _Checks:
    """Per text object, what to check character by character."""

    special: dict[int, tuple[Visibility, str] | None]  # decided visibility, or None: on or off the page
    suspect: dict[int, list[Cover]]  # covers drawn after it
    grounded: dict[int, list[tuple[int, Rect, object]]]  # what it is drawn on, when some of it has its colour


def _classify(textpage: pdfium_helpers.PdfTextPage, number: int, n_chars: int, texts: dict[int, PageObject],
              checks: _Checks, crop: Rect, cancel: Callable[[], None]) -> PageText:
    raw = address(textpage.raw)
    runs = _Runs()
    unseen: set[int] = set()
    visible: tuple[Visibility, str] = (Visibility.VISIBLE, "")
    for i in range(n_chars):
        if i % 8192 == 8191:
            cancel()
        code = _unicode(raw, i)
        ch = chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"
        key = _text_object(raw, i) or 0
        if key == 0 or key not in texts:
            if ch.isspace() or not ch.isprintable():
                runs.separator(ch)
            else:  # a character pdfium shows but whose drawing Veil did not see: keep it, never drop it
                runs.add(visible, i, ch)
            continue
        how = _char_visibility(raw, i, number, texts[key], key, checks, crop) or visible
        runs.add(how, i, ch)
        if how is not visible:
            unseen.add(i)
    found = runs.text()
    text = found.pop(visible, "")
    hidden = {k: v for k, v in runs.with_lines(found, visible).items() if any(c.isalnum() for c in v)}
    return PageText(text, hidden, n_chars, frozenset(unseen))


def _char_visibility(raw: int, i: int, number: int, obj: PageObject, key: int, checks: _Checks,
                     crop: Rect) -> tuple[Visibility, str] | None:
    """Where character i belongs; None for plain visible text."""
    decided = checks.special.get(key)
    if decided is not None:
        return decided  # a hidden place for the whole object (layer, invisible mode)
    edge = key in checks.special  # the object reaches past the page's edge: decided per character
    covers = checks.suspect.get(key)
    grounds = checks.grounded.get(key)
    if covers is None and grounds is None and not edge:
        return None
    if not _char_box(raw, i, _pl, _pr, _pb, _pt):
        return None
    box = (_cl.value, _cb.value, _cr.value, _ct.value)
    hit = next((c for c in reversed(covers) if c.hides(box)), None) if covers else None
    if hit is not None:
        return (Visibility.UNDER_REDACTION, f"page {number}, box {_rect_text(hit.rect)}")
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    if edge and not contains_point(crop, cx, cy):
        return (Visibility.OFF_PAGE, f"page {number}, outside the visible page area")
    if grounds is not None:
        z, rect, fill = next(((z, r, f) for z, r, f in reversed(grounds) if contains_point(r, cx, cy)), grounds[0])
        if fill is not None and obj.fill is not None and low_contrast(obj.fill, fill):  # type: ignore[arg-type]
            if z >= 0 and luminance(fill) < DARK:  # type: ignore[arg-type]
                # the page looks redacted (a dark bar), but the text is there and copies out
                return (Visibility.UNDER_REDACTION, f"page {number}, box {_rect_text(rect)}")
            return (Visibility.INVISIBLE_TEXT, f"page {number}, invisible text")
    return None


def page_units(number: int, result: PageText) -> Iterator[Unit]:
    if result.visible.strip():
        yield Text(f"page {number}", Visibility.VISIBLE, result.visible)
    for (visibility, where), text in result.hidden.items():
        yield Text(where, visibility, text)


def has_images(page: pdfium_helpers.PdfPage, min_share: float = 0.2) -> bool:
    """True when images cover at least `min_share` of the page (a scan or a picture of text)."""
    crop = _crop(page)
    objects, _ = page_objects(page.raw)
    total = sum(overlap(crop, o.bounds) for o in objects if o.kind == IMAGE)
    return total >= min_share * max(area(crop), 1.0)


__all__ = ["read_page", "page_units", "has_images", "PageText", "Cover", "TEXT"]
