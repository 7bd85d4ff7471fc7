"""OpenDocument text and presentations (odt, odp): the same hiding places as in Word and PowerPoint.

content.xml gives paragraphs (one unit each), tables (Table units), hidden text (`text:hidden-text`,
`text:hidden-paragraph`, sections with `text:display="none"`, spans whose style has `text:display="none"`),
deleted tracked changes (kept in `text:tracked-changes`), annotations and their authors, notes, frames' text boxes
and alt text; for presentations each page, hidden pages (a page style with `presentation:visibility="hidden"`) and
speaker notes. styles.xml gives headers and footers, meta.xml the properties, and embedded objects (charts with
their data tables, other documents, OLE files) are read too.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from lxml import etree

from veil.readers.limits import LimitExceeded
from veil.readers.office import ooxml as common
from veil.readers.office.vba import read_basic_part
from veil.readers.registry import ReadContext
from veil.readers.safexml import local
from veil.readers.safezip import SafeZip
from veil.readers.units import Notice, Table, Text, Unit, Visibility, nest, table_from_rows

NS = {
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "presentation": "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0",
    "dc": "http://purl.org/dc/elements/1.1/",
    "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
    "svg": "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0",
}
_META_SKIP = {"generator", "document-statistic", "creation-date", "date", "editing-cycles", "editing-duration",
              "print-date", "template", "auto-reload", "hyperlink-behaviour"}
_SKIP_PARTS = re.compile(r"^(mimetype|settings\.xml|manifest\.rdf|layout-cache)$|^META-INF/|^Configurations2/"
                         r"|^ObjectReplacements/|/settings\.xml$|/styles\.xml$|/meta\.xml$")
_MAX_REPEAT = 1024


def _q(prefix: str, name: str) -> str:
    return f"{{{NS[prefix]}}}{name}"


def _read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    z = common.open_package(blob, ctx)
    if "content.xml" not in z.infos:
        raise LimitExceeded("the OpenDocument package has no content.xml")
    styles_root = common.xml(z, "styles.xml", ctx) if "styles.xml" in z.infos else None
    content = common.xml(z, "content.xml", ctx)
    hidden = _hidden_styles(content) | (_hidden_styles(styles_root) if styles_root is not None else set())
    hidden_pages = _hidden_page_styles(content)
    yield from common.safe_units("content.xml", _Doc("content.xml", hidden, hidden_pages, ctx).read(content))
    if styles_root is not None:
        yield from common.safe_units("styles.xml", _headers_footers(styles_root, hidden, ctx))
    if "meta.xml" in z.infos:
        yield from common.safe_units("meta.xml", _meta(z, ctx))
    for part in sorted(z.names):
        if part in ("content.xml", "styles.xml", "meta.xml") or _SKIP_PARTS.search(part):
            continue
        yield from common.safe_units(part, _other(z, part, hidden, ctx))
    yield from common.images_notice(z, "Pictures/")


def _hidden_styles(root: etree._Element) -> set[str]:
    """Text styles with display:none."""
    return _styles_with(root, "text-properties", ("text", "display"), "none")


def _hidden_page_styles(root: etree._Element) -> set[str]:
    """Drawing-page (slide) styles with presentation visibility hidden."""
    return _styles_with(root, "drawing-page-properties", ("presentation", "visibility"), "hidden")


def _styles_with(root: etree._Element, properties: str, attribute: tuple[str, str], value: str) -> set[str]:
    out = set()
    for style in root.iter(_q("style", "style")):
        props = style.find(_q("style", properties))
        if props is not None and props.get(_q(*attribute)) == value:
            out.add(style.get(_q("style", "name"), ""))
    return out


class _Doc:
    def __init__(self, part: str, hidden_styles: set[str], hidden_pages: set[str], ctx: ReadContext) -> None:
        self.part = part
        self.hidden_styles = hidden_styles
        self.hidden_pages = hidden_pages
        self.ctx = ctx
        self.out: list[Unit] = []
        self.counts = {"paragraph": 0, "table": 0, "note": 0, "annotation": 0, "change": 0}

    def next(self, kind: str) -> int:
        self.counts[kind] += 1
        return self.counts[kind]

    def read(self, root: etree._Element) -> Iterator[Unit]:
        body = root.find(_q("office", "body"))
        if body is None:
            raise LimitExceeded(f"{self.part} has no office:body")
        for doc in body:
            if not isinstance(doc.tag, str):
                continue
            if local(doc.tag) == "presentation":
                self.presentation(doc)
            else:
                self.blocks(doc, Visibility.VISIBLE, None)
        yield from self.out

    # --- text documents ----------------------------------------------------------------------------------------
    def blocks(self, container: etree._Element, base: Visibility, label: str | None) -> None:
        for child in container:
            if not isinstance(child.tag, str):
                continue
            name = local(child.tag)
            if name in ("p", "h"):
                where = label or f"{self.part} paragraph {self.next('paragraph')}"
                self.paragraph(child, where, base)
            elif name == "table" and child.tag == _q("table", "table"):
                self.table(child, base, label)
            elif name == "tracked-changes":
                self.tracked_changes(child)
            elif name == "section" and child.get(_q("text", "display")) in ("none", "condition"):
                self.blocks(child, Visibility.HIDDEN_TEXT, f"{self.part} hidden section "
                                                           f"'{child.get(_q('text', 'name'), '')}'")
            elif name in ("sequence-decls", "variable-decls", "user-field-decls", "forms", "soft-page-break"):
                continue
            else:
                self.blocks(child, base, label)
        self.ctx.budget.check_time()

    def paragraph(self, p: etree._Element, where: str, base: Visibility) -> None:
        buckets: dict[Visibility, list[str]] = {}
        if p.tag == _q("text", "p") and p.find(_q("text", "hidden-paragraph")) is not None:
            base = Visibility.HIDDEN_TEXT
        hidden = p.get(_q("text", "style-name"), "") in self.hidden_styles
        self.inline(p, Visibility.HIDDEN_TEXT if hidden else base, buckets, where)
        for vis, parts in buckets.items():
            text = "".join(parts).strip()
            if text:
                label = "" if vis is base or vis is Visibility.VISIBLE else f" ({vis.value.replace('-', ' ')})"
                self.out.append(Text(where + label, nest(base, vis) if vis.seen else vis, text))

    def inline(self, el: etree._Element, vis: Visibility, buckets: dict[Visibility, list[str]], where: str) -> None:
        add = buckets.setdefault(vis, []).append
        add(el.text or "")
        for child in el:
            if not isinstance(child.tag, str):
                continue
            name = local(child.tag)
            if name == "s":
                add(" " * min(_int(child.get(_q("text", "c"))), 100))
            elif name == "tab":
                add("\t")
            elif name == "line-break":
                add("\n")
            elif name == "span":
                hidden = child.get(_q("text", "style-name"), "") in self.hidden_styles
                self.inline(child, Visibility.HIDDEN_TEXT if hidden else vis, buckets, where)
            elif name == "hidden-text":
                buckets.setdefault(Visibility.HIDDEN_TEXT, []).append(child.get(_q("text", "string-value"), ""))
            elif name == "annotation":
                self.annotation(child)
            elif name == "note":
                self.note(child)
            elif name == "frame":
                self.frame(child, where)
            elif name in ("annotation-end", "bookmark", "bookmark-start", "bookmark-end", "change", "change-start",
                          "change-end", "soft-page-break", "reference-mark", "toc-mark", "alphabetical-index-mark"):
                pass
            else:
                self.inline(child, vis, buckets, where)
            add(child.tail or "")

    def annotation(self, ann: etree._Element) -> None:
        n = self.next("annotation")
        where = f"{self.part} annotation {n}"
        text = "\n".join(common.text_of(p) for p in ann.iter(_q("text", "p"))).strip()
        if text:
            self.out.append(Text(where, Visibility.COMMENT, text))
        creator = ann.find(_q("dc", "creator"))
        if creator is not None and (creator.text or "").strip():
            self.out.append(Text(f"{where} (author metadata)", Visibility.METADATA, f"author: {creator.text.strip()}"))

    def note(self, note: etree._Element) -> None:
        body = note.find(_q("text", "note-body"))
        if body is not None:
            self.blocks(body, Visibility.VISIBLE, f"{self.part} note {self.next('note')}")

    def frame(self, frame: etree._Element, where: str) -> None:
        self.frame_alt(frame, where)
        for box in frame.iter(_q("draw", "text-box")):
            self.blocks(box, Visibility.VISIBLE, f"{where} text box")

    def tracked_changes(self, changes: etree._Element) -> None:
        authors: set[str] = set()
        for region in changes.iter(_q("text", "changed-region")):
            for creator in region.iter(_q("dc", "creator")):
                if (creator.text or "").strip():
                    authors.add(creator.text.strip())
            for deletion in region.iter(_q("text", "deletion")):
                n = self.next("change")
                parts = [common.text_of(p) for p in deletion
                         if isinstance(p.tag, str) and local(p.tag) != "change-info"]
                text = "\n".join(t for t in parts if t.strip()).strip()
                if text:
                    self.out.append(Text(f"{self.part} tracked change {n} (deleted text)", Visibility.TRACKED_CHANGE,
                                         text))
        if authors:
            self.out.append(Text(f"{self.part} (tracked-change authors)", Visibility.METADATA,
                                 "\n".join(f"author: {a}" for a in sorted(authors))))

    def table(self, tbl: etree._Element, base: Visibility, label: str | None) -> None:
        n = self.next("table")
        where = f"{label} table {n}" if label else f"{self.part} table {n}"
        rows: list[list[object]] = []
        hidden_rows: set[int] = set()
        for row in tbl.iter(_q("table", "table-row")):
            if _owner(row) is not tbl:
                continue
            cells: list[object] = []
            for cell in row:
                if not isinstance(cell.tag, str) or local(cell.tag) not in ("table-cell", "covered-table-cell"):
                    continue
                text = "\n".join(common.text_of(p) for p in cell.iter(_q("text", "p"), _q("text", "h"))
                                  if not _inside_any(p, ("annotation", "note-body"))).strip()
                repeat = min(_int(cell.get(_q("table", "number-columns-repeated"))), _MAX_REPEAT)
                cells.extend([text or None] * (repeat if text else min(repeat, 1)))
            repeat = min(_int(row.get(_q("table", "number-rows-repeated"))), _MAX_REPEAT)
            for _ in range(repeat if any(cells) else 1):
                if row.get(_q("table", "visibility")) in ("collapse", "filter"):
                    hidden_rows.add(len(rows))
                rows.append(cells)
        while rows and not any(rows[-1]):
            rows.pop()
        if rows:
            self.out.append(table_from_rows(rows, location=where, visibility=base, hidden_rows=frozenset(hidden_rows)))
        for frame in tbl.iter(_q("draw", "frame")):
            self.frame(frame, where)
        for ann in tbl.iter(_q("office", "annotation")):
            self.annotation(ann)

    # --- presentations -----------------------------------------------------------------------------------------
    def presentation(self, pres: etree._Element) -> None:
        hidden_count = 0
        for number, page in enumerate(pres.iter(_q("draw", "page")), 1):
            hidden = page.get(_q("draw", "style-name"), "") in self.hidden_pages
            hidden_count += hidden
            base = Visibility.HIDDEN_SLIDE if hidden else Visibility.VISIBLE
            where = f"{self.part} {'hidden ' if hidden else ''}slide {number}"
            notes = page.find(_q("presentation", "notes"))
            lines: list[str] = []
            for child in page.iter():
                if not isinstance(child.tag, str) or (notes is not None and _inside(child, notes)):
                    continue
                name = local(child.tag)
                if name == "frame":
                    self.frame_alt(child, where)
                elif name == "table" and child.tag == _q("table", "table"):
                    self.table(child, base, where)
                elif name == "annotation":
                    self.annotation(child)
                elif name in ("p", "h") and child.tag.startswith(f"{{{NS['text']}}}") \
                        and not _inside_any(child, ("table", "annotation")):
                    text = _shown_text(child).strip()
                    if text:
                        lines.append(text)
            if lines:
                self.out.append(Text(where, base, "\n".join(lines)))
            if notes is not None:
                text = "\n".join(common.text_of(p).strip() for p in notes.iter(_q("text", "p"))).strip()
                if text:
                    self.out.append(Text(f"{where} (speaker notes)", Visibility.SPEAKER_NOTES, text))
        if hidden_count:
            self.out.append(Notice(self.part, Visibility.HIDDEN_SLIDE, f"{hidden_count} hidden slide(s)"))

    def frame_alt(self, frame: etree._Element, where: str) -> None:
        alts = [common.text_of(e).strip() for e in frame
                if isinstance(e.tag, str) and local(e.tag) in ("title", "desc")]
        if any(alts):
            self.out.append(Text(f"{where} (alt text)", Visibility.ALT_TEXT, "\n".join(a for a in alts if a)))


def _shown_text(p: etree._Element) -> str:
    """A paragraph's text without the annotations anchored in it (they are read as comments)."""
    parts = [p.text or ""]
    for child in p:
        if isinstance(child.tag, str) and local(child.tag) not in ("annotation", "annotation-end"):
            parts.append(_shown_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _inside(el: etree._Element, ancestor: etree._Element) -> bool:
    parent = el.getparent()
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.getparent()
    return False


def _inside_any(el: etree._Element, names: tuple[str, ...]) -> bool:
    parent = el.getparent()
    while parent is not None:
        if isinstance(parent.tag, str) and local(parent.tag) in names:
            return True
        parent = parent.getparent()
    return False


def _owner(row: etree._Element) -> etree._Element | None:
    parent = row.getparent()
    while parent is not None and parent.tag != _q("table", "table"):
        parent = parent.getparent()
    return parent


def _int(value: str | None) -> int:
    try:
        return max(1, int(value or "1"))
    except ValueError:
        return 1


def _headers_footers(root: etree._Element, hidden: set[str], ctx: ReadContext) -> Iterator[Unit]:
    doc = _Doc("styles.xml", hidden, set(), ctx)
    for page in root.iter(_q("style", "master-page")):
        for region in page:
            if isinstance(region.tag, str) and local(region.tag).startswith(("header", "footer")):
                label = f"styles.xml {local(region.tag)} ({page.get(_q('style', 'name'), '')})"
                doc.blocks(region, Visibility.HEADER_FOOTER, label)
    yield from doc.out


def _meta(z: SafeZip, ctx: ReadContext) -> Iterator[Unit]:
    root = common.xml(z, "meta.xml", ctx)
    lines = []
    for el in root.iter():
        if not isinstance(el.tag, str) or len(el) or local(el.tag) in _META_SKIP:
            continue
        value = " ".join((el.text or "").split())
        if not value:
            continue
        name = el.get(_q("meta", "name")) if local(el.tag) == "user-defined" else local(el.tag)
        lines.append(f"{name}: {value}")
    if lines:
        yield Text("meta.xml", Visibility.METADATA, "\n".join(lines))


def _other(z: SafeZip, part: str, hidden: set[str], ctx: ReadContext) -> Iterator[Unit]:
    """Embedded objects ('Object 1/content.xml' charts and documents, OLE files), thumbnails, macros, the rest."""
    if part.startswith("Pictures/") or part.lower().endswith(common.IMAGE_EXTS):
        return
    if part.startswith("Thumbnails/"):
        yield Notice(part, Visibility.THUMBNAIL, "a thumbnail picture of the first page (not read)")
        return
    if part.startswith("Basic/") or part.startswith("Scripts/"):
        yield Notice(part, Visibility.MACRO, "the document contains macros: their text was checked")
        yield from read_basic_part(z.read(part), part)
        return
    if posixpath.basename(part) == "content.xml":
        root = common.xml(z, part, ctx)
        chart = any(isinstance(e.tag, str) and local(e.tag) == "chart" for e in root.iter())
        vis = Visibility.CHART_CACHE if chart else Visibility.EMBEDDED
        doc = _Doc(part, hidden, set(), ctx)
        units = list(doc.read(root))
        for unit in units:
            if isinstance(unit, Text) and unit.visibility is Visibility.VISIBLE:
                yield Text(f"{unit.location} (embedded object)", vis, unit.text)
            elif isinstance(unit, Table) and unit.visibility is Visibility.VISIBLE:
                unit.visibility = vis
                yield unit
            else:
                yield unit
        return
    data = z.read(part)
    if data.lstrip()[:1] == b"<":
        yield from common.generic_part(z, part, ctx)
        return
    yield from common.embedded(z, part, ctx)


read = common.package_reader("OpenDocument", _read)
