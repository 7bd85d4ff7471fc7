"""Cells hidden under drawings: a rectangle, text box or picture anchored over cells hides what they hold.

Drawing a black box over cells is how people 'redact' spreadsheets; the values stay in the file. Cells under a
dark filled shape are reported as text under a redaction mark (anything legible there is a failed redaction);
cells under any other opaque shape or picture are reported like white text. Only two-cell anchors are placed
(one-cell and absolute anchors would need column widths and row heights in EMUs).
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from veil.readers.safexml import local
from veil.readers.xlsx.package import Package, Sheet
from veil.readers.xlsx.styles import contrast, scheme_colour

# a fill this close to black is a redaction box (contrast with black under 1.5: #333333 is 1.66)
_DARK_CONTRAST = 1.5


@dataclass
class Cover:
    rows: tuple[int, int]  # 0-based, inclusive
    cols: tuple[int, int]
    dark: bool
    what: str  # "a black shape", "a picture", ...


def covers(pkg: Package, sheet: Sheet, theme: list[str]) -> list[Cover]:
    """Opaque drawings of a sheet and the cells they lie over."""
    out: list[Cover] = []
    for rel in pkg.rels(sheet.path).values():
        if rel.kind != "drawing" or rel.external or rel.target not in pkg.zip.infos:
            continue
        for anchor in pkg.xml(rel.target):
            if local(anchor.tag) != "twoCellAnchor":
                continue
            cover = _cover(anchor, theme)
            if cover is not None:
                out.append(cover)
    return out


def _cover(anchor: etree._Element, theme: list[str]) -> Cover | None:
    start = _marker(anchor, "from")
    end = _marker(anchor, "to")
    if start is None or end is None:
        return None
    (r0, c0, _, _), (r1, c1, r_off, c_off) = start, end
    r1 = r1 if r_off > 0 else r1 - 1  # a shape ending exactly on a cell's edge does not cover that cell
    c1 = c1 if c_off > 0 else c1 - 1
    if r1 < r0 or c1 < c0:
        return None
    for shape in anchor:
        tag = local(shape.tag)
        if tag == "pic":
            return Cover((r0, r1), (c0, c1), False, "a picture")
        if tag == "sp" and not _hidden(shape):
            fill = _fill(shape, theme)
            if fill is None:
                return None
            dark = contrast(fill, "000000") < _DARK_CONTRAST
            return Cover((r0, r1), (c0, c1), dark, "a dark filled shape" if dark else "a filled shape")
    return None


def _marker(anchor: etree._Element, name: str) -> tuple[int, int, int, int] | None:
    el = next((c for c in anchor if local(c.tag) == name), None)
    if el is None:
        return None
    values = {local(c.tag): (c.text or "").strip() for c in el}
    try:
        return int(values["row"]), int(values["col"]), int(values.get("rowOff", "0")), int(values.get("colOff", "0"))
    except (KeyError, ValueError):
        return None


def _hidden(shape: etree._Element) -> bool:
    props = next((p for p in shape.iter() if local(p.tag) == "cNvPr"), None)
    return props is not None and props.get("hidden") in ("1", "true")


def _fill(shape: etree._Element, theme: list[str]) -> str | None:
    """The shape's fill colour, or None when it is transparent (noFill) or has no fill at all."""
    sp_pr = next((c for c in shape if local(c.tag) == "spPr"), None)
    for el in sp_pr if sp_pr is not None else ():
        tag = local(el.tag)
        if tag == "noFill":
            return None
        if tag == "solidFill":
            return _drawing_colour(el, theme) or "FFFFFF"
        if tag in ("gradFill", "pattFill", "blipFill"):
            return "808080"  # opaque, not a plain dark box
    style = next((c for c in shape if local(c.tag) == "style"), None)
    fill_ref = next((c for c in style if local(c.tag) == "fillRef"), None) if style is not None else None
    if fill_ref is not None and fill_ref.get("idx", "0") != "0":
        return _drawing_colour(fill_ref, theme) or "808080"
    return None


def _drawing_colour(el: etree._Element, theme: list[str]) -> str | None:
    for colour in el:
        tag = local(colour.tag)
        if tag == "srgbClr":
            return (colour.get("val") or "").upper() or None
        if tag == "sysClr":
            return (colour.get("lastClr") or "").upper() or None
        if tag == "schemeClr":
            return scheme_colour(colour.get("val", ""), theme)
        if tag == "prstClr":
            return {"black": "000000", "white": "FFFFFF"}.get(colour.get("val", ""), "808080")
    return None
