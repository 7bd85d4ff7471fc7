"""Rows and columns on a PDF page, found cheaply from pdfium's text segments (one rectangle per run of text).

A roster printed as a table is record-level data even when the page text reads like prose, so the table detectors
must see it as a grid. pdfplumber's finder is accurate but costs ~0.1-0.5 s a page; this clustering costs a few
milliseconds: segments are grouped into lines by their vertical centre, consecutive lines with two or more segments
form a block, and the gaps in the block's horizontal projection are the column boundaries.
"""

from __future__ import annotations

import bisect
import ctypes
from statistics import median

import pypdfium2 as pdfium_helpers
import pypdfium2.raw as pdfium

from veil.readers.pdf.objects import PATH, PageObject, Rect, address, fast

MIN_ROWS = 3
MIN_COLUMNS = 2
MAX_SEGMENTS = 20_000

_l, _t, _r, _b = ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double()
_pl, _pt, _pr, _pb = (ctypes.byref(v) for v in (_l, _t, _r, _b))
_DOUBLE_P = ctypes.POINTER(ctypes.c_double)
_count_rects = fast(pdfium.FPDFText_CountRects, ctypes.c_int, ctypes.c_void_p, ctypes.c_int, ctypes.c_int)
_get_rect = fast(pdfium.FPDFText_GetRect, ctypes.c_int, ctypes.c_void_p, ctypes.c_int, _DOUBLE_P, _DOUBLE_P,
                 _DOUBLE_P, _DOUBLE_P)
_count_chars = fast(pdfium.FPDFText_CountChars, ctypes.c_int, ctypes.c_void_p)
_unicode = fast(pdfium.FPDFText_GetUnicode, ctypes.c_uint, ctypes.c_void_p, ctypes.c_int)
_char_box = fast(pdfium.FPDFText_GetCharBox, ctypes.c_int, ctypes.c_void_p, ctypes.c_int, _DOUBLE_P, _DOUBLE_P,
                 _DOUBLE_P, _DOUBLE_P)


Segment = tuple[float, float, float, float, str]  # left, bottom, right, top, text


def _rects(raw: int) -> list[Rect]:
    n = _count_rects(raw, 0, -1)
    out = []
    for i in range(min(n, MAX_SEGMENTS)):
        if _get_rect(raw, i, _pl, _pt, _pr, _pb):
            out.append((_l.value, _b.value, _r.value, _t.value))
    return out


def _segments(textpage: pdfium_helpers.PdfTextPage, rects: list[Rect], skip: frozenset[int]) -> list[Segment]:
    """Runs of text with their boxes. pdfium's text rectangles follow the character order, so one pass over the
    characters assigns each to its rectangle; a rectangle is cut where two characters are further apart than a
    line is thick (one text object spanning several columns, common in generated reports)."""
    raw = address(textpage.raw)
    runs: list[list[object]] = []  # [left, bottom, right, top, chars, last box, rect index]
    current: dict[int, list[object]] = {}
    j = 0
    for i in range(_count_chars(raw)):
        if i in skip:
            continue
        code = _unicode(raw, i)
        ch = chr(code) if 0 < code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"
        if ch.isspace():
            if j in current:
                current[j][4].append(" ")  # type: ignore[attr-defined]
            continue
        if not _char_box(raw, i, _pl, _pr, _pb, _pt):
            continue
        box = (_l.value, _b.value, _r.value, _t.value)
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        k = next((k for k in range(j, min(j + 4, len(rects))) if _inside(rects[k], cx, cy)), -1)
        if k < 0:
            k = next((k for k in range(len(rects)) if _inside(rects[k], cx, cy)), -1)
        if k < 0:
            continue
        j = k
        thick = min(rects[k][2] - rects[k][0], rects[k][3] - rects[k][1])
        run = current.get(k)
        if run is not None:
            last: Rect = run[5]  # type: ignore[assignment]
            gap = max(box[0] - last[2], last[0] - box[2], box[1] - last[3], last[1] - box[3])
            if gap > 0.9 * thick:
                run = None
        if run is None:
            run = [box[0], box[1], box[2], box[3], [], box, k]
            runs.append(run)
            current[k] = run
        run[0], run[1] = min(run[0], box[0]), min(run[1], box[1])  # type: ignore[call-overload]
        run[2], run[3] = max(run[2], box[2]), max(run[3], box[3])  # type: ignore[call-overload]
        run[4].append(ch)  # type: ignore[attr-defined]
        run[5] = box
    return [(r[0], r[1], r[2], r[3], " ".join("".join(r[4]).split()))  # type: ignore[misc,arg-type]
            for r in runs]


def _inside(r: Rect, x: float, y: float) -> bool:
    return r[0] - 0.5 <= x <= r[2] + 0.5 and r[1] - 0.5 <= y <= r[3] + 0.5


def _lines(segments: list[Segment]) -> list[list[Segment]]:
    """Segments grouped into lines (top to bottom), each line's segments left to right, near ones merged."""
    lines: list[list[Segment]] = []
    for seg in sorted(segments, key=lambda s: (-(s[1] + s[3]) / 2, s[0])):
        cy, h = (seg[1] + seg[3]) / 2, seg[3] - seg[1]
        if lines:
            last = lines[-1][0]
            if abs((last[1] + last[3]) / 2 - cy) < 0.4 * max(h, last[3] - last[1]):
                lines[-1].append(seg)
                continue
        lines.append([seg])
    merged = []
    for line in lines:
        line.sort(key=lambda s: s[0])
        out = [line[0]]
        for seg in line[1:]:
            prev = out[-1]
            if seg[0] - prev[2] < 0.6 * (prev[3] - prev[1]):  # a word gap, not a column gap
                out[-1] = (prev[0], min(prev[1], seg[1]), max(prev[2], seg[2]), max(prev[3], seg[3]),
                           f"{prev[4]} {seg[4]}".strip())
            else:
                out.append(seg)
        merged.append(out)
    return merged


def _blocks(lines: list[list[Segment]]) -> list[list[list[Segment]]]:
    heights = [s[3] - s[1] for line in lines for s in line]
    if not heights:
        return []
    gap_limit = 2.5 * median(heights)
    blocks: list[list[list[Segment]]] = []
    current: list[list[Segment]] = []
    for line in lines:
        if len(line) >= MIN_COLUMNS and current and current[-1][0][1] - line[0][3] < gap_limit:
            current.append(line)
            continue
        if len(current) >= MIN_ROWS:
            blocks.append(current)
        current = [line] if len(line) >= MIN_COLUMNS else []
    if len(current) >= MIN_ROWS:
        blocks.append(current)
    return blocks


def _columns(block: list[list[Segment]]) -> list[tuple[float, float]]:
    spans = sorted((s[0], s[2]) for line in block for s in line)
    columns = [list(spans[0])]
    for x0, x1 in spans[1:]:
        if x0 <= columns[-1][1] + 1.0:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    return [(c[0], c[1]) for c in columns]


def _maybe_tabular(rects: list[Rect]) -> bool:
    """Cheap test on geometry alone: at least MIN_ROWS lines with MIN_COLUMNS separate runs of text."""
    multi = sum(1 for line in _lines([(*r, "") for r in rects]) if len(line) >= MIN_COLUMNS)
    return multi >= MIN_ROWS


def _turn(r: Rect, rotation: int) -> Rect:
    """A user-space rectangle as seen on screen (still y-up) for a page shown with /Rotate `rotation`."""
    left, bottom, right, top = r
    if rotation == 90:
        return (bottom, -right, top, -left)
    if rotation == 180:
        return (-right, -top, -left, -bottom)
    if rotation == 270:
        return (-top, left, -bottom, right)
    return r


def _positions(values: list[float], tolerance: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > tolerance:
            out.append(v)
    return out


def _rulings(objects: list[PageObject], rotation: int) -> tuple[list[float], list[float]]:
    """x positions of vertical and y positions of horizontal rules (thin filled rectangles, stroked lines and
    the edges of stroked or shaded boxes), as the page is shown."""
    xs: list[float] = []
    ys: list[float] = []
    for o in objects:
        if o.kind != PATH or o.layer is not None or not (o.filled or o.stroke is not None):
            continue
        left, bottom, right, top = _turn(o.bounds, rotation)
        w, h = right - left, top - bottom
        if w <= 2.5 and h >= 5:
            xs.append((left + right) / 2)
        elif h <= 2.5 and w >= 5:
            ys.append((bottom + top) / 2)
        elif w > 2.5 and h > 2.5:
            xs += [left, right]
            ys += [bottom, top]
    return _positions(xs), _positions(ys)


def _ruled(segments: list[Segment], objects: list[PageObject], rotation: int) -> list[list[str | None]] | None:
    """A table drawn with rules: cells are the boxes between rules, so text wrapped over several lines inside a
    cell stays in one cell (the usual shape of a printed roster)."""
    xs, ys = _rulings(objects, rotation)
    if len(xs) < MIN_COLUMNS + 1 or len(ys) < MIN_ROWS + 1:
        return None
    ys_down = ys[::-1]
    cells: dict[tuple[int, int], list[tuple[float, float, float, str]]] = {}
    for seg in segments:
        cx, cy = (seg[0] + seg[2]) / 2, (seg[1] + seg[3]) / 2
        col = bisect.bisect_right(xs, cx) - 1
        row = bisect.bisect_right([-y for y in ys_down], -cy) - 1
        if 0 <= col < len(xs) - 1 and 0 <= row < len(ys) - 1:
            cells.setdefault((row, col), []).append((seg[1], seg[3], seg[0], seg[4]))
    rows = sorted({r for r, _ in cells})
    cols = sorted({c for _, c in cells})
    grid = [[_cell_text(cells[(r, c)]) if (r, c) in cells else None for c in cols] for r in rows]
    if len(cols) < MIN_COLUMNS or sum(1 for row in grid if sum(v is not None for v in row) >= 2) < MIN_ROWS:
        return None
    return grid


def _cell_text(parts: list[tuple[float, float, float, str]]) -> str:
    """Text of one ruled cell: its runs line by line from the top, left to right within a line."""
    lines: list[list[tuple[float, float, float, str]]] = []
    for part in sorted(parts, key=lambda p: -(p[0] + p[1])):
        if lines and abs((lines[-1][0][0] + lines[-1][0][1]) - (part[0] + part[1])) / 2 < 0.5 * (part[1] - part[0]):
            lines[-1].append(part)
        else:
            lines.append([part])
    return " ".join(p[3] for line in lines for p in sorted(line, key=lambda p: p[2]))


def find_tables(textpage: pdfium_helpers.PdfTextPage, skip: frozenset[int] = frozenset(), rotation: int = 0,
                objects: list[PageObject] | None = None) -> list[list[list[str | None]]]:
    """Tables on the page as rows of cells (None for an empty cell); [] when the page is not tabular.

    `skip` holds indices of characters that are not visible (under boxes, invisible): they are left out of the
    cells, so a table's visibility stays true; the hidden text is reported by the page reader on its own.
    `rotation` is the page's /Rotate: rows and columns are found as the page is shown (landscape rosters)."""
    rects = _rects(address(textpage.raw))
    if len(rects) < MIN_ROWS * MIN_COLUMNS or not _maybe_tabular([_turn(r, rotation) for r in rects]):
        return []
    segments = [(*_turn(s[:4], rotation), s[4]) for s in _segments(textpage, rects, skip) if s[4]]
    ruled = _ruled(segments, objects, rotation) if objects else None
    if ruled is not None:
        return [ruled]
    tables = []
    for block in _blocks(_lines(segments)):
        columns = _columns(block)
        if len(columns) < MIN_COLUMNS:
            continue
        rows: list[list[str | None]] = []
        for line in block:
            cells: list[list[str]] = [[] for _ in columns]
            for seg in line:
                cx = (seg[0] + seg[2]) / 2
                k = next((i for i, (x0, x1) in enumerate(columns) if x0 - 1 <= cx <= x1 + 1), len(columns) - 1)
                cells[k].append(seg[4])
            rows.append([" ".join(c) or None for c in cells])
        tables.append(rows)
    return tables
