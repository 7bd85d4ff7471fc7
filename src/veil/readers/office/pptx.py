"""PowerPoint packages (pptx, pptm, potx): slides, hidden slides, hidden and off-slide shapes, tables, alt text,
speaker notes, comments and their authors, charts with their cached data and embedded workbooks, properties.

A slide's shape text is one unit per slide (so a name and an identifier on one slide are read together); tables are
Table units; anything in a shape the audience does not see (hidden shape, off the slide) is its own unit.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from lxml import etree

from veil.readers.limits import LimitExceeded
from veil.readers.office import ooxml as common
from veil.readers.office.vba import read_vba_bin
from veil.readers.registry import ReadContext
from veil.readers.safexml import local
from veil.readers.safezip import SafeZip
from veil.readers.units import Notice, Text, Unit, Visibility, nest, table_from_rows

A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_SKIP = re.compile(
    r"\.rels$|^\[Content_Types\]\.xml$|(^|/)theme/|^ppt/(presProps|viewProps|tableStyles|presentation)\.xml$"
    r"|^customXml/itemProps\d*\.xml$|charts/(style|colors)\d*\.xml$|diagrams/(drawing|layout|quickStyle|colors)"
    r"|^docProps/(core|app|custom)\.xml$|^ppt/(notesMasters|handoutMasters)/|/fonts/"
)
# Placeholders on notes pages that repeat the slide rather than hold notes
_NOTES_CHROME = {"sldImg", "sldNum", "hdr", "ftr", "dt"}


def _read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    z = common.open_package(blob, ctx)
    main = common.main_part(z, ctx, "ppt/presentation.xml")
    if main not in z.infos:
        raise LimitExceeded("the PowerPoint package has no presentation part")
    pres = common.xml(z, main, ctx)
    size = pres.find(f"{{{_P}}}sldSz")
    slide_size = (_int(size.get("cx")), _int(size.get("cy"))) if size is not None else None
    order = _slide_order(z, main, pres, ctx)
    authors = _comment_authors(z, ctx)
    yield from common.safe_units("docProps", common.doc_props(z, ctx))
    for part in order:
        yield from common.safe_units(part, _slide(z, part, order[part], slide_size, ctx))
    hidden = sum(1 for part in order if _is_hidden(z, part, ctx))
    if hidden:
        yield Notice(main, Visibility.HIDDEN_SLIDE, f"{hidden} hidden slide(s)")
    for part in sorted(z.names):
        if part in order or part == main or _SKIP.search(part):
            continue
        yield from common.safe_units(part, _part(z, part, authors, ctx))
    yield from common.images_notice(z, "ppt/media/")


_P = "http://schemas.openxmlformats.org/presentationml/2006/main"


def _slide_order(z: SafeZip, main: str, pres: etree._Element, ctx: ReadContext) -> dict[str, int]:
    """Slide part -> slide number, in presentation order; slides missing from the list are read too, numbered after."""
    rels = common.rels(z, main, ctx)
    order: dict[str, int] = {}
    for sld in pres.iter(f"{{{_P}}}sldId"):
        rid = sld.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id", "")
        target = rels.get(rid, ("", "", False))[1]
        if target in z.infos and target not in order:
            order[target] = len(order) + 1
    for name in sorted(z.names, key=_natural):
        if re.fullmatch(r"ppt/slides/slide\d+\.xml", name) and name not in order:
            order[name] = len(order) + 1
    return order


def _natural(name: str) -> tuple[str, int]:
    m = re.search(r"(\d+)\.xml$", name)
    return (name[: m.start()] if m else name, int(m.group(1)) if m else 0)


def _int(value: str | None) -> int:
    try:
        return int(value or "0")
    except ValueError:
        return 0


def _is_hidden(z: SafeZip, part: str, ctx: ReadContext) -> bool:
    try:
        return common.xml(z, part, ctx).get("show") in ("0", "false")
    except (LimitExceeded, KeyError):
        return False


def _slide(z: SafeZip, part: str, number: int, slide_size: tuple[int, int] | None, ctx: ReadContext
           ) -> Iterator[Unit]:
    root = common.xml(z, part, ctx)
    hidden = root.get("show") in ("0", "false")
    base = Visibility.HIDDEN_SLIDE if hidden else Visibility.VISIBLE
    where = f"{part} (hidden slide {number})" if hidden else f"{part} (slide {number})"
    yield from _shapes(root, where, base, slide_size, skip_placeholders=set())
    yield from common.link_targets(z, part, ctx)


def _shapes(root: etree._Element, where: str, base: Visibility, slide_size: tuple[int, int] | None,
            skip_placeholders: set[str] | None) -> Iterator[Unit]:
    """Text of every shape in a shape tree, sorted by what the audience sees; tables and alt text apart.

    `skip_placeholders`: placeholder types to leave out (notes-page chrome); None leaves out every placeholder
    (on masters and layouts they hold prompt text that real slides replace)."""
    shown: list[str] = []
    hidden: list[str] = []
    off: list[str] = []
    alts: list[str] = []
    tables = 0
    for shape in _shape_elements(root):
        kind = local(shape.tag)
        nv = next((c for c in shape.iter() if isinstance(c.tag, str) and local(c.tag) == "cNvPr"), None)
        ph = next((c for c in shape.iter() if isinstance(c.tag, str) and local(c.tag) == "ph"), None)
        if nv is not None:
            alts.extend(v.strip() for v in (nv.get("descr"), nv.get("title")) if v and v.strip())
        if skip_placeholders is None and ph is not None:
            continue  # a master's or layout's placeholder: prompt text, replaced on real slides
        if skip_placeholders and ph is not None and ph.get("type") in skip_placeholders:
            continue
        bucket = shown
        if nv is not None and nv.get("hidden") in ("1", "true"):
            bucket = hidden
        elif slide_size and _off_slide(shape, slide_size):
            bucket = off
        if kind == "graphicFrame":
            for tbl in shape.iter(f"{{{A}}}tbl"):
                tables += 1
                vis = base if bucket is shown else (Visibility.HIDDEN_TEXT if bucket is hidden else Visibility.OFF_PAGE)
                yield _table(tbl, f"{where} table {tables}", nest(base, vis))
            continue
        body = next((c for c in shape if isinstance(c.tag, str) and local(c.tag) == "txBody"), None)
        if body is not None:
            text = _paragraphs(body)
            if text:
                bucket.append(text)
    if shown:
        yield Text(where, base, "\n".join(shown))
    if hidden:
        yield Text(f"{where} (hidden shape)", Visibility.HIDDEN_TEXT, "\n".join(hidden))
    if off:
        yield Text(f"{where} (shape off the slide)", Visibility.OFF_PAGE, "\n".join(off))
    if alts:
        yield Text(f"{where} (alt text)", Visibility.ALT_TEXT, "\n".join(alts))


def _shape_elements(root: etree._Element) -> Iterator[etree._Element]:
    """Leaf shapes (sp, pic, graphicFrame, cxnSp) of a tree, groups opened, AlternateContent fallbacks skipped."""
    stack = [iter(root)]
    while stack:
        for node in stack[-1]:
            if not isinstance(node.tag, str):
                continue
            name = local(node.tag)
            if name in ("sp", "pic", "graphicFrame", "cxnSp"):
                yield node
                continue
            if name == "Fallback":
                continue
            stack.append(iter(node))
            break
        else:
            stack.pop()


def _off_slide(shape: etree._Element, slide_size: tuple[int, int]) -> bool:
    off = next((c for c in shape.iter(f"{{{A}}}off")), None)
    ext = next((c for c in shape.iter(f"{{{A}}}ext") if c.get("cx") is not None), None)
    if off is None:
        return False
    x, y = _int(off.get("x")), _int(off.get("y"))
    cx, cy = (_int(ext.get("cx")), _int(ext.get("cy"))) if ext is not None else (0, 0)
    return x >= slide_size[0] or y >= slide_size[1] or x + cx <= 0 or y + cy <= 0


def _paragraphs(body: etree._Element) -> str:
    lines = []
    for p in body.iter(f"{{{A}}}p"):
        pieces = []
        for node in p.iter(f"{{{A}}}t", f"{{{A}}}br"):
            pieces.append("\n" if local(node.tag) == "br" else (node.text or ""))
        line = "".join(pieces).strip()
        if line:
            lines.append(line)
    return "\n".join(lines)


def _table(tbl: etree._Element, where: str, vis: Visibility) -> Unit:
    rows: list[list[object]] = []
    for tr in tbl.iter(f"{{{A}}}tr"):
        cells: list[object] = []
        for tc in tr.iter(f"{{{A}}}tc"):
            merged = tc.get("hMerge") in ("1", "true") or tc.get("vMerge") in ("1", "true")
            cells.append(None if merged else (_paragraphs(tc) or None))
        rows.append(cells)
    return table_from_rows(rows, location=where, visibility=vis)


def _comment_authors(z: SafeZip, ctx: ReadContext) -> dict[str, str]:
    authors: dict[str, str] = {}
    for part in ("ppt/commentAuthors.xml", "ppt/authors.xml"):
        if part in z.infos:
            try:
                for el in common.xml(z, part, ctx):
                    authors[el.get("id", "")] = " ".join(filter(None, [el.get("name"), el.get("initials")]))
            except (LimitExceeded, KeyError):
                continue
    return authors


def _part(z: SafeZip, part: str, authors: dict[str, str], ctx: ReadContext) -> Iterator[Unit]:
    if part.startswith("ppt/notesSlides/") and part.endswith(".xml"):
        root = common.xml(z, part, ctx)
        yield from _shapes(root, part, Visibility.SPEAKER_NOTES, None, skip_placeholders=_NOTES_CHROME)
    elif part.startswith("ppt/comments/"):
        yield from _comments(z, part, authors, ctx)
    elif part in ("ppt/commentAuthors.xml", "ppt/authors.xml"):
        if authors:
            yield Text(f"{part} (comment authors)", Visibility.METADATA, "\n".join(sorted(set(authors.values()))))
    elif part.startswith(("ppt/slideMasters/", "ppt/slideLayouts/")) and part.endswith(".xml"):
        yield from _shapes(common.xml(z, part, ctx), part, Visibility.VISIBLE, None, skip_placeholders=None)
    elif re.fullmatch(r"ppt/charts/chart\d*\.xml", part):
        yield from common.chart_tables(z, part, ctx)
    elif part.startswith("ppt/diagrams/data"):
        yield from common.generic_part(z, part, ctx, Visibility.VISIBLE, f"{part} (SmartArt)")
    elif part.startswith(("ppt/embeddings/", "ppt/charts/embeddings/")):
        yield from common.embedded(z, part, ctx)
    elif part.startswith("ppt/media/"):
        return
    elif part.startswith("docProps/thumbnail"):
        yield Notice(part, Visibility.THUMBNAIL, "a thumbnail picture of the first slide (not read)")
    elif posixpath.basename(part) == "vbaProject.bin":
        yield from read_vba_bin(z.read(part), part)
    else:
        yield from common.generic_part(z, part, ctx)


def _comments(z: SafeZip, part: str, authors: dict[str, str], ctx: ReadContext) -> Iterator[Unit]:
    """Legacy (p:cm/p:text) and modern (p188:cm with txBody and replies) comments, one unit each."""
    root = common.xml(z, part, ctx)
    for i, cm in enumerate((c for c in root if isinstance(c.tag, str) and local(c.tag) == "cm"), 1):
        where = f"{part} comment {i}"
        text = "\n".join(t.strip() for t in cm.itertext() if isinstance(t, str) and t.strip())
        if text:
            yield Text(where, Visibility.COMMENT, text)
        ids = {cm.get("authorId", "")} | {r.get("authorId", "") for r in cm.iter() if isinstance(r.tag, str)
                                          and local(r.tag) == "reply"}
        names = sorted(authors[a] for a in ids if a in authors)
        if names:
            yield Text(f"{where} (author metadata)", Visibility.METADATA, "\n".join(f"author: {n}" for n in names))


read = common.package_reader("PowerPoint", _read)
