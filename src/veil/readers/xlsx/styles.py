"""Which cell styles make text invisible (white on white, font colour equal to fill, ';;;' formats) and which
number formats are dates (for the cells Veil reads itself rather than through calamine).

Colours are approximated: theme colours come from theme1.xml with tints applied, indexed colours from the legacy
palette, and a cell with no fill is taken to sit on white. 'Near-background' means a contrast ratio under 1.3
(WCAG: 1 is identical, body text needs 4.5).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from lxml import etree

from veil.readers.safexml import local

_THEME_ORDER = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6",
                "hlink", "folHlink")
_DEFAULT_THEME = ("FFFFFF", "000000", "E7E6E6", "44546A", "4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5",
                  "70AD47", "0563C1", "954F72")
# The legacy 56-colour palette (indexes 8..63; 0..7 repeat the first eight), then system foreground/background.
_PALETTE = (
    "000000 FFFFFF FF0000 00FF00 0000FF FFFF00 FF00FF 00FFFF 000000 FFFFFF FF0000 00FF00 0000FF FFFF00 FF00FF "
    "00FFFF 800000 008000 000080 808000 800080 008080 C0C0C0 808080 9999FF 993366 FFFFCC CCFFFF 660066 FF8080 "
    "0066CC CCCCFF 000080 FF00FF FFFF00 00FFFF 800080 800000 008080 0000FF 00CCFF CCFFFF CCFFCC FFFF99 99CCFF "
    "FF99CC CC99FF FFCC99 3366FF 33CCCC 99CC00 FFCC00 FF9900 FF6600 666699 969696 003366 339966 003300 333300 "
    "993300 993366 333399 333333 000000 FFFFFF").split()
_DATE_IDS = set(range(14, 23)) | set(range(27, 37)) | {45, 46, 47} | set(range(50, 59))
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.')
_MIN_CONTRAST = 1.3
_MIN_FONT_POINTS = 2.0


@dataclass
class Styles:
    invisible: dict[int, str] = field(default_factory=dict)  # cellXfs index -> why its text cannot be seen
    invisible_dxf: dict[int, str] = field(default_factory=dict)  # conditional-format styles that hide text
    dates: set[int] = field(default_factory=set)  # cellXfs indexes whose number format is a date
    theme: list[str] = field(default_factory=lambda: list(_DEFAULT_THEME))  # lt1, dk1, lt2, dk2, accent1..6, ...


def read_styles(styles: etree._Element | None, theme: etree._Element | None) -> Styles:
    out = Styles()
    palette = out.theme = _theme_colours(theme)
    if styles is None:
        return out
    formats: dict[int, str] = {}
    fonts: list[tuple[str, float | None]] = []
    fills: list[str | None] = []
    for el in styles:
        tag = local(el.tag)
        if tag == "numFmts":
            for fmt in el:
                if (fid := fmt.get("numFmtId", "")).isdigit():
                    formats[int(fid)] = fmt.get("formatCode", "")
        elif tag == "fonts":
            for font in el:
                colour = next((_colour(c, palette) for c in font if local(c.tag) == "color"), None)
                size = next((_float(c.get("val")) for c in font if local(c.tag) == "sz"), None)
                fonts.append((colour or "000000", size))
        elif tag == "fills":
            for fill in el:
                fills.append(_fill_colour(fill, palette))
    dxfs = next((el for el in styles if local(el.tag) == "dxfs"), None)
    for i, dxf in enumerate(dxfs if dxfs is not None else ()):
        reason = _dxf_hides(dxf, palette)
        if reason:
            out.invisible_dxf[i] = reason
    xfs = next((el for el in styles if local(el.tag) == "cellXfs"), None)
    for i, xf in enumerate(xfs if xfs is not None else ()):
        num_id = _int(xf.get("numFmtId"))
        code = formats.get(num_id, "")
        if num_id in _DATE_IDS or (code and is_date_format(code)):
            out.dates.add(i)
        if code and hides_everything(code):
            out.invisible[i] = "a ';;;' number format hides the value"
            continue
        font_colour, size = fonts[_int(xf.get("fontId"))] if _int(xf.get("fontId")) < len(fonts) else ("000000", None)
        fill_id = _int(xf.get("fillId"))
        background = (fills[fill_id] if fill_id < len(fills) else None) or "FFFFFF"
        if contrast(font_colour, background) < _MIN_CONTRAST:
            out.invisible[i] = "the font colour matches the background" if font_colour != "FFFFFF" \
                else "white text on a white background"
        elif size is not None and size < _MIN_FONT_POINTS:
            out.invisible[i] = f"a {size:g}-point font is too small to read"
    return out


def _dxf_hides(dxf: etree._Element, palette: list[str]) -> str | None:
    """A differential (conditional-format) style that makes text unreadable: font colour ~ its fill or white."""
    font_colour = fill = None
    for part in dxf:
        tag = local(part.tag)
        if tag == "numFmt" and hides_everything(part.get("formatCode", "")):
            return "conditional formatting applies a ';;;' format that hides the value"
        if tag == "font":
            font_colour = next((_colour(c, palette) for c in part if local(c.tag) == "color"), None)
        elif tag == "fill":
            pattern = next((c for c in part if local(c.tag) == "patternFill"), None)
            colour = next((c for c in pattern if local(c.tag) in ("bgColor", "fgColor")), None) \
                if pattern is not None else None
            fill = _colour(colour, palette) if colour is not None else None
    if font_colour and contrast(font_colour, fill or "FFFFFF") < _MIN_CONTRAST:
        return "conditional formatting sets the font to the background colour"
    return None


_SECTION_SPLIT = re.compile(r';(?=(?:[^"]*"[^"]*")*[^"]*$)')  # a ';' outside quotes
_BLANK_BITS = re.compile(r'""|\[[^\]]*\]|_.|\*\s|\s')


def hides_everything(code: str) -> bool:
    """A number format whose positive, negative, zero and text sections all print nothing (';;;' and kin).
    ';;;@' is not one: '@' prints the text."""
    sections = _SECTION_SPLIT.split(code)
    return len(sections) >= 4 and all(not _BLANK_BITS.sub("", section) for section in sections[:4])


_RUN = re.compile(rb"<(?:\w+:)?r>(.*?)</(?:\w+:)?r>", re.S)
_RUN_COLOUR = re.compile(rb"<(?:\w+:)?rPr>.*?<(?:\w+:)?color\s([^>]*?)/?>.*?</(?:\w+:)?rPr>", re.S)
_RUN_TEXT = re.compile(rb"<(?:\w+:)?t\b[^>]*>(.*?)</(?:\w+:)?t>", re.S)
_ATTR = re.compile(rb'(\w+)="([^"]*)"')


def white_runs(data: bytes, theme: list[str]) -> list[str]:
    """Runs of rich text (in the shared strings) whose font colour cannot be seen on white: part of a cell's text
    written in white. The cell's whole text is in its sheet's Table; this says which part was hidden."""
    if b"<rPr>" not in data and b":rPr>" not in data:
        return []
    out: list[str] = []
    for run in _RUN.finditer(data):
        colour = _RUN_COLOUR.search(run.group(1))
        if colour is None:
            continue
        el = etree.Element("color", {k.decode(): v.decode() for k, v in _ATTR.findall(colour.group(1))})
        rgb = _colour(el, theme)
        if rgb is not None and contrast(rgb, "FFFFFF") < _MIN_CONTRAST:
            text = b"".join(t.group(1) for t in _RUN_TEXT.finditer(run.group(1))).decode("utf-8", "replace")
            if text.strip():
                out.append(html.unescape(text).strip())
    return out


def is_date_format(code: str) -> bool:
    section = _QUOTED.sub("", code.split(";", 1)[0]).lower()
    return any(ch in section for ch in "dmyhs") and "general" not in section


def contrast(a: str, b: str) -> float:
    la, lb = _luminance(a), _luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def _luminance(rgb: str) -> float:
    def channel(v: int) -> float:
        c = v / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(rgb[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def scheme_colour(name: str, theme: list[str]) -> str | None:
    """A DrawingML scheme colour name (tx1, bg1, dk1, accent2...) as 6 hex digits."""
    alias = {"tx1": "dk1", "bg1": "lt1", "tx2": "dk2", "bg2": "lt2"}.get(name, name)
    return theme[_THEME_ORDER.index(alias)] if alias in _THEME_ORDER else None


def _theme_colours(theme: etree._Element | None) -> list[str]:
    found: dict[str, str] = {}
    if theme is not None:
        for el in theme.iter():
            if local(el.tag) == "clrScheme":
                for slot in el:
                    for colour in slot:
                        value = colour.get("val") if local(colour.tag) == "srgbClr" else colour.get("lastClr")
                        if value and len(value) == 6:
                            found[local(slot.tag)] = value.upper()
                break
    return [found.get(name, default) for name, default in zip(_THEME_ORDER, _DEFAULT_THEME, strict=True)]


def _colour(el: etree._Element, theme: list[str]) -> str | None:
    """An ECMA-376 CT_Color as 6 hex digits, or None for 'automatic'."""
    base: str | None = None
    if (rgb := el.get("rgb")) and len(rgb) >= 6:
        base = rgb[-6:].upper()  # ARGB: Excel ignores the alpha byte of font and fill colours
    elif (th := el.get("theme")) is not None and th.isdigit() and int(th) < len(theme):
        base = theme[int(th)]
    elif (ix := el.get("indexed")) is not None and ix.isdigit() and int(ix) < len(_PALETTE):
        base = _PALETTE[int(ix)]
    if base is None or not re.fullmatch(r"[0-9A-F]{6}", base):
        return None
    tint = _float(el.get("tint")) or 0.0
    return _tinted(base, tint) if tint else base


def _tinted(rgb: str, tint: float) -> str:
    out = []
    for i in (0, 2, 4):
        base = int(rgb[i:i + 2], 16)
        c = base * (1 + tint) if tint < 0 else base + (255 - base) * tint
        out.append(f"{max(0, min(255, round(c))):02X}")
    return "".join(out)


def _fill_colour(fill: etree._Element, theme: list[str]) -> str | None:
    for pattern in fill:
        if local(pattern.tag) == "patternFill" and pattern.get("patternType") == "solid":
            fg = next((c for c in pattern if local(c.tag) == "fgColor"), None)
            return _colour(fg, theme) if fg is not None else None
        if local(pattern.tag) == "gradientFill":
            return None
    return None


def _int(value: str | None) -> int:
    return int(value) if value and value.isdigit() else 0


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None
