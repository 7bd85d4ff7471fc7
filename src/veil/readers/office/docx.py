"""Word packages (docx, docm, dotx): every place text can sit, each unit saying where it is and whether it shows.

Per paragraph the runs are sorted into what Word shows (visible), deleted tracked changes (`w:del`, `w:moveFrom`),
hidden text (`w:vanish` on the run, its character style or its paragraph style), white text and field codes
(`w:instrText`); drawings give their alt text and text boxes. Tables become Table units so that a roster pasted
as a Word table is analysed as a table. Every other part of the package is read too (headers, notes, comments,
settings' document variables, custom XML, charts, embedded files); a part nobody recognises is still looked at.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from veil.readers.limits import LimitExceeded
from veil.readers.office import ooxml as common
from veil.readers.office.vba import read_vba_bin
from veil.readers.registry import ReadContext
from veil.readers.safexml import local
from veil.readers.safezip import SafeZip
from veil.readers.units import Notice, Text, Unit, Visibility, nest, table_from_rows

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_FALSE = {"0", "false", "off"}
_WRAPPERS = {"sdt", "sdtContent", "customXml", "smartTag", "hyperlink", "bdo", "dir", "fldSimple", "ins", "moveTo"}
# Parts that carry formatting or bookkeeping only (no words a person wrote).
_FORMATTING = re.compile(
    r"(^|/)(styles|stylesWithEffects|numbering|fontTable|webSettings|commentsExtended|commentsIds|commentsExtensible|"
    r"vbaData|footnotesExtended)\.xml$|(^|/)theme/|/fonts/|\.rels$|^\[Content_Types\]\.xml$|^customXml/itemProps\d*\.xml$"
    r"|charts/(style|colors)\d*\.xml$|diagrams/(drawing|layout|quickStyle|colors)\d*\.xml$|^docProps/(core|app|custom)\.xml$"
)


def _w(name: str) -> str:
    return f"{{{W}}}{name}"


_VAL, _PPR, _RPR = _w("val"), _w("pPr"), _w("rPr")
_PSTYLE, _RSTYLE, _SHD, _VANISH, _COLOR = _w("pStyle"), _w("rStyle"), _w("shd"), _w("vanish"), _w("color")
_AUTHOR, _DATE = _w("author"), _w("date")


def _child(el: etree._Element | None, tag: str) -> etree._Element | None:
    return el.find(tag) if el is not None else None


def _on(el: etree._Element | None) -> bool:
    """A toggle property (w:vanish, w:b, ...) is on unless its w:val says otherwise."""
    return el is not None and el.get(f"{{{W}}}val", "true").lower() not in _FALSE


@dataclass
class _Para:
    """What one paragraph holds, by where it is seen."""

    buckets: dict[Visibility, list[str]] = field(default_factory=dict)
    fields: list[str] = field(default_factory=list)
    alts: list[str] = field(default_factory=list)
    boxes: list[_Para] = field(default_factory=list)

    def add(self, vis: Visibility, text: str) -> None:
        self.buckets.setdefault(vis, []).append(text)

    def text(self, vis: Visibility) -> str:
        return "".join(self.buckets.get(vis, [])).strip()


_LABELS = {Visibility.TRACKED_CHANGE: "deleted text", Visibility.HIDDEN_TEXT: "hidden text",
           Visibility.WHITE_TEXT: "white text"}


class _Story:
    """Reads one story part (document, header, footer, note, comment, glossary) into units."""

    def __init__(self, part: str, base: Visibility, hidden_styles: frozenset[str], ctx: ReadContext) -> None:
        self.part = part
        self.base = base
        self.hidden_styles = hidden_styles
        self.ctx = ctx
        self.paragraphs = 0
        self.tables = 0
        # Table styles and cell shading often put white text on dark fills: no white-text verdicts inside tables.
        self.in_table = False
        self.shaded = False
        self.out: list[Unit] = []

    # --- blocks ---------------------------------------------------------------------------------------------
    def blocks(self, container: etree._Element, label: str | None = None) -> None:
        """Top-level paragraphs and tables; `label` names them all alike (a note or a comment) instead of numbering."""
        for child in container:
            name = local(child.tag) if isinstance(child.tag, str) else ""
            if name == "p":
                self.paragraphs += 1
                where = label or f"{self.part} paragraph {self.paragraphs}"
                self.emit(self.paragraph(child), where)
            elif name == "tbl":
                self.table(child, label)
            elif name in _WRAPPERS or name == "del" or name == "moveFrom":
                self.blocks(child, label)
            elif name == "AlternateContent":  # the first choice is what Word shows; the fallback repeats it
                choice = next((c for c in child if isinstance(c.tag, str)), None)
                if choice is not None:
                    self.blocks(choice, label)
            elif name == "altChunk":
                self.out.append(Notice(label or self.part, Visibility.VISIBLE, "an imported chunk (altChunk) is read "
                                       "as its own part"))
        self.ctx.budget.check_time()

    def emit(self, para: _Para, where: str) -> None:
        for vis, parts in para.buckets.items():
            text = "".join(parts).strip()
            if not text:
                continue
            if vis is Visibility.VISIBLE:
                self.out.append(Text(where, nest(self.base, vis), text))
            else:
                self.out.append(Text(f"{where} ({_LABELS[vis]})", vis, text))
        if para.fields:
            self.out.append(Text(f"{where} (field code)", Visibility.METADATA, " ".join(para.fields)))
        if para.alts:
            self.out.append(Text(f"{where} (alt text)", Visibility.ALT_TEXT, "\n".join(para.alts)))
        for box in para.boxes:
            self.emit(box, f"{where} text box")

    def table(self, tbl: etree._Element, label: str | None) -> None:
        self.tables += 1
        where = f"{label} table {self.tables}" if label else f"{self.part} table {self.tables}"
        rows: list[list[object]] = []
        deleted_rows: set[int] = set()
        extras: list[tuple[str, _Para]] = []
        for r, tr in enumerate(_children(tbl, "tr")):
            tr_pr = tr.find(_w("trPr"))
            row_deleted = tr_pr is not None and tr_pr.find(_w("del")) is not None
            cells: list[object] = []
            for c, tc in enumerate(_children(tr, "tc")):
                para = _Para()
                self.in_table = True
                for p in _paragraphs(tc):
                    if para.buckets:
                        para.add(Visibility.VISIBLE, "\n")
                    self._walk(p, self._para_style(p), False, para)
                self.in_table = False
                text = para.text(Visibility.VISIBLE)
                if row_deleted:
                    text = " ".join(filter(None, [text, para.text(Visibility.TRACKED_CHANGE)]))
                    para.buckets.pop(Visibility.TRACKED_CHANGE, None)
                para.buckets.pop(Visibility.VISIBLE, None)
                extras.append((f"{where} row {r + 1} cell {c + 1}", para))
                cells.append(text or None)
                span = _int(_child(tc.find(_w("tcPr")), _w("gridSpan")))
                cells.extend([None] * max(0, min(span, 64) - 1))
            if row_deleted:
                deleted_rows.add(len(rows))
            rows.append(cells)
        if rows:
            vis = nest(self.base, Visibility.VISIBLE)
            table = table_from_rows(rows, location=where, visibility=vis, hidden_rows=frozenset(deleted_rows))
            if deleted_rows:
                table.notes.append("deleted rows (tracked changes)")
            self.out.append(table)
        for cell_where, para in extras:
            self.emit(para, cell_where)

    # --- inline ---------------------------------------------------------------------------------------------
    def paragraph(self, p: etree._Element) -> _Para:
        para = _Para()
        self._walk(p, self._para_style(p), False, para)
        return para

    def _para_style(self, p: etree._Element) -> bool:
        ppr = p.find(_PPR)
        if ppr is None:
            self.shaded = False
            return False
        style = ppr.find(_PSTYLE)
        self.shaded = ppr.find(_SHD) is not None
        return style is not None and style.get(_VAL, "") in self.hidden_styles

    def _walk(self, el: etree._Element, para_hidden: bool, deleted: bool, para: _Para) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            name = local(child.tag)
            if name == "r":
                self._run(child, para_hidden, deleted, para)
            elif name in ("del", "moveFrom"):
                self._walk(child, para_hidden, True, para)
            elif name == "fldSimple":
                para.fields.append(child.get(_w("instr"), "").strip())
                self._walk(child, para_hidden, deleted, para)
            elif name == "AlternateContent":
                choice = next((c for c in child if isinstance(c.tag, str)), None)
                if choice is not None:
                    self._walk(choice, para_hidden, deleted, para)
            elif name in ("pPr", "sdtPr", "rPr", "bookmarkStart", "bookmarkEnd"):
                continue
            else:
                self._walk(child, para_hidden, deleted, para)

    def _run(self, r: etree._Element, para_hidden: bool, deleted: bool, para: _Para) -> None:
        rpr = r.find(_RPR)
        vis = Visibility.TRACKED_CHANGE if deleted else self._run_visibility(rpr, para_hidden)
        for child in r:
            if not isinstance(child.tag, str):
                continue
            name = local(child.tag)
            if name == "t":
                para.add(vis, child.text or "")
            elif name == "delText":
                para.add(Visibility.TRACKED_CHANGE, child.text or "")
            elif name in ("instrText", "delInstrText"):
                para.fields.append((child.text or "").strip())
            elif name == "tab":
                para.add(vis, "\t")
            elif name in ("br", "cr"):
                para.add(vis, "\n")
            elif name in ("drawing", "pict", "object", "AlternateContent"):
                self._objects(child, para)

    def _run_visibility(self, rpr: etree._Element | None, para_hidden: bool) -> Visibility:
        hidden = para_hidden
        if rpr is not None:
            vanish = rpr.find(_VANISH)
            style = rpr.find(_RSTYLE)
            if vanish is not None:
                hidden = _on(vanish)
            elif style is not None and style.get(_VAL, "") in self.hidden_styles:
                hidden = True
            color = rpr.find(_COLOR)
            if not hidden and color is not None and color.get(_VAL, "").upper() == "FFFFFF" \
                    and not self.in_table and not self.shaded \
                    and rpr.find(_w("shd")) is None and rpr.find(_w("highlight")) is None:
                return Visibility.WHITE_TEXT
        return Visibility.HIDDEN_TEXT if hidden else Visibility.VISIBLE

    def _objects(self, el: etree._Element, para: _Para) -> None:
        """Alt text of drawings and pictures, and text boxes (read as paragraphs of their own)."""
        for node in _prune(el, ("Fallback", "txbxContent")):
            name = local(node.tag)
            if name in ("docPr", "cNvPr"):
                for attr in ("title", "descr"):
                    value = (node.get(attr) or "").strip()
                    if value and value not in para.alts:
                        para.alts.append(value)
            elif name == "shape" and node.get("alt"):
                para.alts.append(node.get("alt", ""))
            elif name == "txbxContent":
                box = _Para()
                for p in _paragraphs(node):
                    self._walk(p, self._para_style(p), False, box)
                    box.add(Visibility.VISIBLE, "\n")
                para.boxes.append(box)


def _children(el: etree._Element, name: str) -> Iterator[etree._Element]:
    """Direct children called `name`, looking through content controls and custom XML wrappers."""
    for child in el:
        if not isinstance(child.tag, str):
            continue
        tag = local(child.tag)
        if tag == name:
            yield child
        elif tag in ("sdt", "sdtContent", "customXml"):
            yield from _children(child, name)


def _paragraphs(el: etree._Element) -> Iterator[etree._Element]:
    """Paragraphs under an element, nested tables included, text boxes' own paragraphs not (they come via runs)."""
    for node in _prune(el, ("txbxContent", "Fallback")):
        if local(node.tag) == "p" and node is not el:
            yield node


def _prune(el: etree._Element, stop: tuple[str, ...]) -> Iterator[etree._Element]:
    """Descendants in document order, not descending into elements named in `stop` (which are yielded)."""
    stack = [iter(el)]
    while stack:
        for node in stack[-1]:
            if not isinstance(node.tag, str):
                continue
            yield node
            if local(node.tag) not in stop and local(node.tag) != "p":
                stack.append(iter(node))
                break
        else:
            stack.pop()


def _int(el: etree._Element | None) -> int:
    try:
        return int(el.get(_w("val"), "1")) if el is not None else 1
    except ValueError:
        return 1


def hidden_styles(z: SafeZip, ctx: ReadContext) -> frozenset[str]:
    """Style ids whose run properties (directly or through basedOn) carry w:vanish."""
    part = "word/styles.xml"
    if part not in z.infos:
        return frozenset()
    root = common.xml(z, part, ctx)
    own: dict[str, bool | None] = {}
    based: dict[str, str] = {}
    for style in root.iter(_w("style")):
        sid = style.get(_w("styleId"), "")
        vanish = style.find(f"{_w('rPr')}/{_w('vanish')}")
        own[sid] = None if vanish is None else _on(vanish)
        parent = style.find(_w("basedOn"))
        if parent is not None:
            based[sid] = parent.get(_w("val"), "")
    default = _on(root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}/{_w('vanish')}"))
    hidden = set()
    for sid in own:
        seen, cur = set(), sid
        value: bool | None = None
        while cur in own and cur not in seen:
            seen.add(cur)
            if own[cur] is not None:
                value = own[cur]
                break
            cur = based.get(cur, "")
        if value or (value is None and default):
            hidden.add(sid)
    return frozenset(hidden)


def _read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    z = common.open_package(blob, ctx)
    main = common.main_part(z, ctx, "word/document.xml")
    if main not in z.infos:
        raise LimitExceeded("the Word package has no main document part")
    styles = hidden_styles(z, ctx)
    main_rels = common.rels(z, main, ctx)
    chunks = {t for kind, t, ext in main_rels.values() if kind == "aFChunk" and not ext}
    yield from common.safe_units(main, _story_units(z, main, Visibility.VISIBLE, styles, ctx))
    yield from common.safe_units("docProps", common.doc_props(z, ctx))
    for part in sorted(z.names):
        if part == main or _FORMATTING.search(part):
            continue
        if part in chunks:
            yield from common.safe_units(part, ctx.embedded(z.read(part), posixpath.basename(part),
                                                            f"imported chunk ({part})", Visibility.VISIBLE))
            continue
        yield from common.safe_units(part, _part(z, part, styles, ctx))
    yield from common.images_notice(z, "word/media/")


def _part(z: SafeZip, part: str, styles: frozenset[str], ctx: ReadContext) -> Iterator[Unit]:
    base = posixpath.basename(part)
    if re.fullmatch(r"word/(header|footer)\d*\.xml", part):
        yield from _story_units(z, part, Visibility.HEADER_FOOTER, styles, ctx)
    elif part in ("word/footnotes.xml", "word/endnotes.xml"):
        yield from _notes(z, part, styles, ctx)
    elif part == "word/comments.xml":
        yield from _comments(z, part, styles, ctx)
    elif part == "word/people.xml":
        yield from common.generic_part(z, part, ctx, Visibility.METADATA, f"{part} (comment authors)")
    elif part == "word/settings.xml":
        yield from _settings(z, part, ctx)
    elif part.startswith("word/glossary/") and base == "document.xml":
        yield from _story_units(z, part, Visibility.UNKNOWN_PART, styles, ctx)
    elif part.startswith("word/glossary/"):
        return
    elif re.fullmatch(r"word/charts/chart\d*\.xml", part):
        yield from common.chart_tables(z, part, ctx)
    elif part.startswith("word/diagrams/data"):
        yield from common.generic_part(z, part, ctx, Visibility.VISIBLE, f"{part} (SmartArt)")
    elif part.startswith(("word/embeddings/", "word/charts/embeddings/")):
        yield from common.embedded(z, part, ctx)
    elif part.startswith("word/media/"):
        return
    elif part.startswith("docProps/thumbnail"):
        yield Notice(part, Visibility.THUMBNAIL, "a thumbnail picture of the first page (not read)")
    elif base == "vbaProject.bin":
        yield from read_vba_bin(z.read(part), part)
    else:
        yield from common.generic_part(z, part, ctx)


def _story_units(z: SafeZip, part: str, base: Visibility, styles: frozenset[str], ctx: ReadContext
                 ) -> Iterator[Unit]:
    root = common.xml(z, part, ctx)
    story = _Story(part, base, styles, ctx)
    if local(root.tag) == "glossaryDocument":
        for body in root.iter(_w("docPartBody")):
            story.blocks(body)
    else:
        body = root.find(_w("body"))
        story.blocks(body if body is not None else root)
    yield from story.out
    yield from _authors(root, part)
    yield from common.link_targets(z, part, ctx)


def _notes(z: SafeZip, part: str, styles: frozenset[str], ctx: ReadContext) -> Iterator[Unit]:
    root = common.xml(z, part, ctx)
    story = _Story(part, Visibility.VISIBLE, styles, ctx)
    for note in root:
        if not isinstance(note.tag, str) or note.get(_w("type")) in ("separator", "continuationSeparator",
                                                                      "continuationNotice"):
            continue
        story.blocks(note, f"{part} note {note.get(_w('id'), '?')}")
    yield from _merged(story.out)
    yield from _authors(root, part)


def _comments(z: SafeZip, part: str, styles: frozenset[str], ctx: ReadContext) -> Iterator[Unit]:
    root = common.xml(z, part, ctx)
    story = _Story(part, Visibility.COMMENT, styles, ctx)
    for comment in root.iter(_w("comment")):
        where = f"{part} comment {comment.get(_w('id'), '?')}"
        story.blocks(comment, where)
        who = [f"{k}: {v}" for k in ("author", "initials") if (v := (comment.get(_w(k)) or "").strip())]
        if who:
            story.out.append(Text(f"{where} (author metadata)", Visibility.METADATA, "\n".join(who)))
    yield from _merged(story.out)


def _merged(units: list[Unit]) -> Iterator[Unit]:
    """Consecutive Text units with the same location and visibility (a note's paragraphs) become one unit."""
    pending: Text | None = None
    for unit in units:
        if isinstance(unit, Text) and pending is not None and unit.location == pending.location \
                and unit.visibility is pending.visibility:
            pending = Text(pending.location, pending.visibility, f"{pending.text}\n{unit.text}")
            continue
        if pending is not None:
            yield pending
            pending = None
        if isinstance(unit, Text):
            pending = unit
        else:
            yield unit
    if pending is not None:
        yield pending


def _authors(root: etree._Element, part: str) -> Iterator[Unit]:
    """Who made tracked changes, and when: personal data about staff, kept in the file after acceptance."""
    seen: dict[str, set[str]] = {}
    for el in root.xpath("//*[@w:author]", namespaces={"w": W}):
        if local(el.tag) != "comment":
            seen.setdefault(el.get(_AUTHOR, "").strip(), set()).add((el.get(_DATE) or "")[:10])
    if seen:
        lines = [f"author: {a} ({', '.join(sorted(d for d in dates if d)) or 'no date'})" for a, dates in seen.items()]
        yield Text(f"{part} (tracked-change authors)", Visibility.METADATA, "\n".join(lines))


def _settings(z: SafeZip, part: str, ctx: ReadContext) -> Iterator[Unit]:
    root = common.xml(z, part, ctx)
    lines = [f"{v.get(_w('name'), 'variable')}: {v.get(_w('val'), '')}" for v in root.iter(_w("docVar"))]
    for kind, target, _external in common.rels(z, part, ctx).values():
        if kind == "attachedTemplate":
            lines.append(f"attached template: {target}")
    if lines:
        yield Text(f"{part} (document variables)", Visibility.METADATA, "\n".join(lines))


read = common.package_reader("Word", _read)
