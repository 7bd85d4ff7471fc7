"""HTML and XHTML: what the browser shows, and what it hides but anyone can read in the source.

Shown: paragraphs of text (one unit per block element) and `<table>`s as Table units. Hidden, each with its own
visibility: elements hidden by `display:none`/`visibility:hidden`/`opacity:0` (inline or by a `<style>` rule with
a simple selector: tag, .class, #id, tag.class), the `hidden` attribute and `<template>` (MARKUP_HIDDEN), hidden
form fields and `data-*` attributes (MARKUP_HIDDEN), comments (MARKUP_COMMENT), JSON in `<script>` and data literals
in JavaScript (SCRIPT_DATA; lists of records become tables), `<meta>` (METADATA) and alt/title text (ALT_TEXT).
`aria-hidden` is left visible: it hides from screen readers, not from eyes. No network, no entities.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import urllib.parse
from collections.abc import Iterator
from dataclasses import replace

import lxml.html
from lxml import etree

from veil.readers.limits import LimitExceeded
from veil.readers.registry import ReadContext
from veil.readers.units import Table, Text, Unit, Unreadable, Visibility, table_from_rows

_BLOCKS = {
    "p",
    "div",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "blockquote",
    "pre",
    "tr",
    "dl",
    "dt",
    "dd",
    "figure",
    "figcaption",
    "form",
    "fieldset",
    "address",
    "hr",
    "details",
    "summary",
    "body",
    "caption",
    "legend",
    "option",
}
_JSON_TYPES = ("application/json", "application/ld+json", "importmap", "speculationrules")
_HIDING = [
    (re.compile(r"display\s*:\s*none", re.I), "display:none"),
    (re.compile(r"visibility\s*:\s*(hidden|collapse)", re.I), "visibility:hidden"),
    (re.compile(r"(^|;)\s*opacity\s*:\s*0(\.0*)?\s*(;|$|!)", re.I), "opacity:0"),
]
_RULE = re.compile(r"([^{}]{1,2000})\{([^{}]{0,5000})\}")
_SIMPLE = re.compile(r"^([a-zA-Z][\w-]*)?((?:[.#][\w-]+)*)$")
_JS_STRING = re.compile(r""""((?:[^"\\\n]|\\.){2,2000})"|'((?:[^'\\\n]|\\.){2,2000})'""")
_MAX_JSON_NODES = 1_000_000
_EXTENSIONS = {
    "text/csv": ".csv",
    "application/json": ".json",
    "text/plain": ".txt",
    "text/html": ".html",
    "application/pdf": ".pdf",
    "application/zip": ".zip",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}


def read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    from veil.readers.containers import email as email_reader

    if email_reader.looks_like_email(blob):
        # An e-mail whose HTML part starts early looks like HTML to the sniffer: read it as the e-mail it is.
        yield from email_reader.read(blob, replace(ctx, format="eml"))
        return
    parser = lxml.html.HTMLParser(remove_comments=False, remove_pis=True, no_network=True, huge_tree=False)
    try:
        root = lxml.html.document_fromstring(_as_text(blob), parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise LimitExceeded(f"the HTML cannot be parsed ({type(exc).__name__})") from exc
    # libxml2 stops at a fatal error (e.g. nesting past 256 levels) and returns what it had: the rest is unread.
    fatal = [e for e in parser.error_log if e.level_name == "FATAL"]
    if fatal:
        raise LimitExceeded(f"the HTML could not be read to its end ({fatal[0].type_name.lower()})")
    page = _Page(ctx, _hidden_rules(root))
    page.walk(root, None)
    page.flush()
    yield from page.out
    if page.meta:
        yield Text("html <meta>", Visibility.METADATA, "\n".join(page.meta))
    if page.data_attrs:
        yield Text("html data-* attributes", Visibility.MARKUP_HIDDEN, "\n".join(page.data_attrs))
    if page.alts:
        yield Text("html alt and title text", Visibility.ALT_TEXT, "\n".join(page.alts))


def _as_text(blob: bytes) -> str | bytes:
    """UTF-8 is decoded here (libxml2 would guess Latin-1 without a charset); other bytes are left to libxml2,
    which honours a <meta charset>."""
    try:
        text = blob.decode("utf-8")
    except UnicodeDecodeError:
        return blob
    return re.sub(r"^\s*<\?xml[^>]*\?>", "", text.lstrip("\ufeff"))


def _hidden_rules(root: etree._Element) -> dict[str, str]:
    """Simple selectors ('p', '.c', '#i', 'p.c') that a <style> block hides, with the declaration that hides."""
    rules: dict[str, str] = {}
    for style in root.iter("style"):
        css = re.sub(r"/\*.*?\*/", "", style.text_content() or "", flags=re.S)
        for match in _RULE.finditer(css):
            decl = match.group(2)
            reason = next((why for pattern, why in _HIDING if pattern.search(decl)), None)
            if reason is None:
                continue
            for selector in match.group(1).split(","):
                selector = selector.strip()
                if _SIMPLE.match(selector):
                    rules[selector] = reason
    return rules


def _describe(el: etree._Element) -> str:
    ident = el.get("id")
    classes = (el.get("class") or "").split()[:2]
    return el.tag + (f"#{ident}" if ident else "") + "".join(f".{c}" for c in classes)


class _Page:
    def __init__(self, ctx: ReadContext, rules: dict[str, str]) -> None:
        self.ctx = ctx
        self.rules = rules
        self.out: list[Unit] = []
        self.meta: list[str] = []
        self.data_attrs: list[str] = []
        self.alts: list[str] = []
        self.buffer: list[str] = []
        self.counts = {"paragraph": 0, "table": 0, "script": 0, "comment": 0}

    def next(self, kind: str) -> int:
        self.counts[kind] += 1
        return self.counts[kind]

    def flush(self) -> None:
        text = re.sub(r"[ \t\r\f\v]+", " ", "".join(self.buffer)).strip()
        text = re.sub(r"\s*\n\s*", "\n", text)
        self.buffer.clear()  # in place: callers hold a reference to the buffer
        if text:
            self.out.append(Text(f"html paragraph {self.next('paragraph')}", Visibility.VISIBLE, text))

    def hidden_reason(self, el: etree._Element) -> str | None:
        if el.get("hidden") is not None:
            return "hidden attribute"
        if el.tag == "template":
            return "template"
        style = el.get("style") or ""
        for pattern, why in _HIDING:
            if pattern.search(style):
                return why
        candidates = [el.tag]
        ident = el.get("id")
        classes = (el.get("class") or "").split()
        if ident:
            candidates += [f"#{ident}", f"{el.tag}#{ident}"]
        for c in classes:
            candidates += [f".{c}", f"{el.tag}.{c}"]
        for selector in candidates:
            if selector in self.rules:
                return f"{self.rules[selector]} by rule '{selector}'"
        return None

    def attributes(self, el: etree._Element) -> None:
        for key, value in el.attrib.items():
            if key.startswith("data-") and value.strip():
                self.data_attrs.append(f"{_describe(el)} {key}: {value.strip()}")
            elif key in ("alt", "title", "aria-label") and value.strip():
                self.alts.append(f"{_describe(el)} {key}: {value.strip()}")
            elif key in ("href", "src", "data") and value.lstrip()[:5].lower() == "data:":
                self.data_uri(el, value.strip())
            elif key == "srcdoc" and value.strip():
                self.counts["embedded"] = self.counts.get("embedded", 0) + 1
                where = f"html iframe srcdoc {self.counts['embedded']}"
                # srcdoc is a page of its own, shown inside this one (read directly: it needs no <html> to sniff)
                self.out.extend(replace(u, location=f"{where} › {u.location}") for u in read(value.encode(), self.ctx))

    def data_uri(self, el: etree._Element, uri: str) -> None:
        """A file inlined in a link or object (`href="data:text/csv;base64,..."`): it goes through the readers."""
        head, _, payload = uri[5:].partition(",")
        media = head.split(";")[0].strip().lower() or "text/plain"
        if media.startswith("image/"):
            return
        try:
            data = (
                base64.b64decode(payload, validate=False)
                if head.lower().endswith(";base64")
                else urllib.parse.unquote_to_bytes(payload)
            )
        except (ValueError, binascii.Error):
            self.out.append(Unreadable(f"html element {_describe(el)} (data: URI)", "the data: URI cannot be decoded"))
            return
        self.counts["embedded"] = self.counts.get("embedded", 0) + 1
        name = el.get("download") or f"inline-{self.counts['embedded']}{_EXTENSIONS.get(media, '')}"
        where = f"html data: URI {self.counts['embedded']} ({_describe(el)})"
        self.out.extend(self.ctx.embedded(data, name, where, Visibility.EMBEDDED))

    def walk(self, el: etree._Element, hidden: list[str] | None) -> None:
        """Text goes to `hidden` (one unit per hidden element) or, when None, into visible paragraphs."""
        for child in el:
            if child.tag is etree.Comment:
                self.comment(child)
            elif isinstance(child.tag, str):
                self.element(child, hidden)
            if child.tail:
                (hidden if hidden is not None else self.buffer).append(child.tail)

    def element(self, el: etree._Element, hidden: list[str] | None) -> None:
        tag = el.tag
        self.attributes(el)
        if tag in ("style", "link", "base"):
            return
        if tag == "script":
            self.script(el)
            return
        if tag == "meta":
            key = el.get("name") or el.get("property") or el.get("http-equiv") or el.get("itemprop")
            if key and el.get("content"):
                self.meta.append(f"{key}: {el.get('content')}")
            return
        if tag == "title" and hidden is None:
            text = el.text_content().strip()
            if text:
                self.out.append(Text("html <title>", Visibility.VISIBLE, text))
            return
        if tag == "input":
            value = (el.get("value") or "").strip()
            if value and (el.get("type") or "").lower() == "hidden":
                self.data_attrs.append(f"{_describe(el)} hidden field {el.get('name') or ''}: {value}")
            elif value:
                (hidden if hidden is not None else self.buffer).append(f" {value} ")
            return
        reason = None if hidden is not None else self.hidden_reason(el)
        if reason is not None:
            self.flush()
            sink: list[str] = [el.text or ""]
            where = f"html element {_describe(el)} (hidden: {reason})"
            self.walk(el, sink)
            text = re.sub(r"[ \t\r\f\v]+", " ", "".join(sink)).strip()
            text = re.sub(r"\n\s*\n+", "\n", text)
            if text:
                self.out.append(Text(where, Visibility.MARKUP_HIDDEN, text))
            return
        if tag == "table":
            self.table(el, hidden)
            return
        if _orphan_rows(el):  # rows outside any table (a damaged or misspelt <table>): a table all the same
            self.table(el, hidden, orphan=True)
        block = tag in _BLOCKS or tag == "br"
        target = hidden if hidden is not None else self.buffer
        if block:
            if hidden is None and tag != "br":
                self.flush()
            elif tag != "br":
                target.append("\n")
        if tag in ("td", "th"):
            target.append(" ")
        target.append(el.text or "")
        self.walk(el, hidden)
        if block and hidden is None and tag != "br":
            self.flush()
        elif block:
            target.append("\n")

    def comment(self, node: etree._Element) -> None:
        text = (node.text or "").strip()
        if text:
            self.out.append(Text(f"html comment {self.next('comment')}", Visibility.MARKUP_COMMENT, text))

    def table(self, el: etree._Element, hidden: list[str] | None, orphan: bool = False) -> None:
        """A <table>, or (`orphan`) the rows directly under an element that is not in one: browsers show those
        rows' cells as text, so they are a table too (the element's other content is walked as usual)."""
        self.flush()
        number = self.next("table")
        vis = Visibility.VISIBLE if hidden is None else Visibility.MARKUP_HIDDEN
        rows: list[list[object]] = []
        hidden_rows: set[int] = set()
        for tr in (c for c in el if c.tag == "tr") if orphan else el.iter("tr"):
            if not orphan and _owner(tr) is not el:
                continue
            if self.hidden_reason(tr) is not None:
                hidden_rows.add(len(rows))
            cells: list[object] = []
            for cell in tr:
                if not isinstance(cell.tag, str) or cell.tag not in ("td", "th"):
                    continue
                cells.append(self.cell_text(cell) or None)
                try:
                    span = int(cell.get("colspan") or 1)
                except ValueError:
                    span = 1
                cells.extend([None] * max(0, min(span, 64) - 1))
            rows.append(cells)
        if rows:
            where = f"html table {number}" + ("" if hidden is None else " (inside a hidden element)")
            table = table_from_rows(rows, location=where, visibility=vis, hidden_rows=frozenset(hidden_rows))
            if hidden_rows:
                table.notes.append("rows hidden by CSS or the hidden attribute")
            self.out.append(table)
        if orphan:
            return
        # What the table's cells do not show as text: hidden parts, comments, scripts, attributes, nested tables.
        self.hidden_inside(el)

    def cell_text(self, cell: etree._Element) -> str:
        parts: list[str] = [cell.text or ""]
        for child in cell:
            if (
                isinstance(child.tag, str)
                and child.tag not in ("script", "style", "template")
                and self.hidden_reason(child) is None
            ):
                parts.append(" " + self.cell_text(child) + " " if child.tag != "table" else "")
            if child.tail:
                parts.append(child.tail)
        return re.sub(r"\s+", " ", "".join(parts)).strip()

    def hidden_inside(self, el: etree._Element) -> None:
        for child in el:
            if child.tag is etree.Comment:
                self.comment(child)
            elif not isinstance(child.tag, str):
                continue
            elif child.tag == "table":
                self.table(child, None)
            elif child.tag == "script" or self.hidden_reason(child) is not None:
                self.element(child, None)
            else:
                self.attributes(child)
                self.hidden_inside(child)

    def script(self, el: etree._Element) -> None:
        code = el.text_content() or ""
        if not code.strip():
            return
        number = self.next("script")
        where = f"html script {number}"
        kind = (el.get("type") or "").lower().split(";")[0].strip()
        if kind in _JSON_TYPES or kind.endswith("+json"):
            try:
                value = json.loads(code)
            except (ValueError, RecursionError):
                self.out.append(Text(where, Visibility.SCRIPT_DATA, code.strip()))
                return
            self.out.extend(json_units(value, where))
            return
        if kind and "javascript" not in kind and "ecmascript" not in kind and kind != "module":
            self.out.append(Text(where, Visibility.SCRIPT_DATA, code.strip()))  # templates and unknown data blocks
            return
        for value in _js_literals(code):
            self.out.extend(json_units(value, f"{where} (data literal)"))
        strings = [a or b for a, b in _JS_STRING.findall(code)]
        strings = [s for s in strings if any(c.isalpha() for c in s) and (" " in s or any(c.isdigit() for c in s))]
        if strings:
            self.out.append(Text(f"{where} (string literals)", Visibility.SCRIPT_DATA, "\n".join(strings)))


def _orphan_rows(el: etree._Element) -> bool:
    """Does `el` hold <tr> children while no <table> encloses it?"""
    return any(child.tag == "tr" for child in el) and _owner(el) is None


def _owner(tr: etree._Element) -> etree._Element | None:
    parent = tr.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _js_literals(code: str, limit: int = 20) -> Iterator[object]:
    """JSON-shaped object/array literals assigned in JavaScript (`var people = [{...}]`), parsed as JSON."""
    decoder = json.JSONDecoder()
    tried = 0
    for match in re.finditer(r"[=:(]\s*([\[{])", code):
        if tried >= limit:
            return
        tried += 1
        try:
            value, _ = decoder.raw_decode(code, match.start(1))
        except (ValueError, RecursionError):
            continue
        if isinstance(value, (list, dict)) and value:
            yield value


def json_units(value: object, where: str) -> list[Unit]:
    """JSON data as units: each list of records is a Table (keys as header); every other string a 'path: value' line."""
    units: list[Unit] = []
    lines: list[str] = []
    stack: list[tuple[str, object]] = [("", value)]
    seen = 0
    while stack:
        path, node = stack.pop()
        seen += 1
        if seen > _MAX_JSON_NODES:
            raise LimitExceeded("the JSON data has too many values")
        if isinstance(node, list) and len(node) >= 2 and all(isinstance(x, dict) for x in node):
            units.append(_records_table(node, f"{where} records {path or '$'}"))
        elif isinstance(node, dict):
            stack.extend((f"{path}.{k}", v) for k, v in reversed(list(node.items())))
        elif isinstance(node, list):
            stack.extend((f"{path}[{i}]", v) for i, v in reversed(list(enumerate(node))))
        elif node is not None and str(node).strip():
            lines.append(f"{path.lstrip('.') or '$'}: {node}")
    if lines:
        units.insert(0, Text(where, Visibility.SCRIPT_DATA, "\n".join(lines)))
    return units


def _records_table(records: list[dict], where: str) -> Table:
    keys: list[str] = []
    for record in records:
        keys.extend(k for k in record if k not in keys)
    rows = [[_scalar(r.get(k)) for k in keys] for r in records]
    return table_from_rows(rows, location=where, visibility=Visibility.SCRIPT_DATA, header=keys)


def _scalar(value: object) -> object:
    return json.dumps(value, ensure_ascii=False) if isinstance(value, (dict, list)) else value
