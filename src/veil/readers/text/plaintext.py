"""Plain text, Markdown and RTF.

Text is decoded as the delimited reader decodes it (marks, UTF-16/32 without a mark, UTF-8, a guess) and cut
into paragraph blocks at blank lines, each a unit located by its lines, so a name and an identifier in one
paragraph are read together; pipe tables are Tables (text/markdown_tables.py). Markdown's `<!-- comments -->`
do not show when rendered, so they are MARKUP_COMMENT. RTF is read by a small state machine (below) that keeps
hidden (`\\v`) and deleted (`\\deleted`) text, annotations, headers/footers, field codes, the info block and
embedded objects apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from veil.readers.registry import ReadContext
from veil.readers.text.delimited import decode as delimited_decode
from veil.readers.text.fixed_width import split_fixed_width
from veil.readers.text.markdown_tables import split_tables
from veil.readers.units import Text, Unit, Visibility

MAX_BLOCK_LINES = 200
MAX_BLOCK_CHARS = 20_000
_MD_COMMENT = re.compile(r"<!--(.*?)-->", re.S)


def read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    if ctx.format == "rtf" or blob.lstrip()[:5] == b"{\\rtf":
        yield from read_rtf(blob, ctx)
        return
    from veil.readers.containers import email as email_reader

    if email_reader.looks_like_email(blob):  # e.g. a long Received chain hid the headers from the sniffer
        from dataclasses import replace

        yield from email_reader.read(blob, replace(ctx, format="eml"))
        return
    text = decode(blob)
    name = ctx.name.lower()
    markdown = name.endswith((".md", ".markdown"))
    if markdown:
        yield from _markdown_comments(text)
        text = _MD_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    text, tables = split_tables(text)
    yield from tables
    text, tables = split_fixed_width(text)
    yield from tables
    yield from text_units(text)


def decode(blob: bytes) -> str:
    """Bytes to text, as the delimited reader decodes them (marks, UTF-16/32 without a mark, UTF-8, a guess)."""
    return delimited_decode(blob).utf8.decode("utf-8", "replace")


def text_units(text: str, prefix: str = "", visibility: Visibility = Visibility.VISIBLE) -> Iterator[Unit]:
    """Blank-line separated blocks as Text units located 'lines a-b' (long blocks are cut, never dropped)."""
    start: int | None = None
    block: list[str] = []
    size = 0
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, 1):
        if line.strip():
            if start is None:
                start = number
            block.append(line)
            size += len(line)
            if len(block) >= MAX_BLOCK_LINES or size >= MAX_BLOCK_CHARS:
                yield _block(prefix, start, block, visibility)
                start, block, size = None, [], 0
        elif block and start is not None:
            yield _block(prefix, start, block, visibility)
            start, block, size = None, [], 0
    if block and start is not None:
        yield _block(prefix, start, block, visibility)


def _block(prefix: str, start: int, block: list[str], visibility: Visibility) -> Text:
    end = start + len(block) - 1
    where = f"line {start}" if end == start else f"lines {start}-{end}"
    return Text(f"{prefix}{where}", visibility, "\n".join(block).strip())


def _markdown_comments(text: str) -> Iterator[Unit]:
    for match in _MD_COMMENT.finditer(text):
        body = match.group(1).strip()
        if body:
            line = text.count("\n", 0, match.start()) + 1
            yield Text(f"line {line} (comment)", Visibility.MARKUP_COMMENT, body)


# --- RTF ------------------------------------------------------------------------------------------------------------

_TOKEN = re.compile(rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z])|([{}])|([^\\{}]+)|(\\)",
                    re.S)
# Destinations whose text nobody reads as content (fonts, styles, pictures, bookkeeping).
_SKIP_DEST = {"fonttbl", "colortbl", "stylesheet", "listtable", "listoverridetable", "rsidtbl", "generator", "pict",
              "themedata", "colorschememapping", "datastore", "latentstyles", "xmlnstbl", "pgdsctbl", "filetbl",
              "mmathPr", "wgrffmtfilter", "bkmkstart", "bkmkend", "nonshppict", "shppict", "sp", "sn", "fldrslt_skip",
              "listpicture", "pn", "pntext", "falt", "panose", "atnid", "atnicn", "atntime", "atndate", "result",
              "protusertbl", "passwordhash", "bkmkpub", "blipuid", "macrosig", "objclass", "objname", "objtime",
              "objsect", "rsltpict", "ud_skip"}
_INFO = {"title", "subject", "author", "operator", "keywords", "comment", "doccomm", "company", "manager",
         "category", "hlinkbase"}
_SYMBOLS = {"tab": "\t", "line": "\n", "cell": "\t", "emdash": "\u2014", "endash": "\u2013", "bullet": "\u2022",
            "lquote": "\u2018", "rquote": "\u2019", "ldblquote": "\u201c", "rdblquote": "\u201d", "emspace": " ",
            "enspace": " ", "qmspace": " "}
_BREAKS = {"par", "sect", "page", "row", "column"}
_HIDDEN_DEST = {"annotation": Visibility.COMMENT, "atnauthor": Visibility.METADATA, "header": Visibility.HEADER_FOOTER,
                "headerl": Visibility.HEADER_FOOTER, "headerr": Visibility.HEADER_FOOTER,
                "headerf": Visibility.HEADER_FOOTER, "footer": Visibility.HEADER_FOOTER,
                "footerl": Visibility.HEADER_FOOTER, "footerr": Visibility.HEADER_FOOTER,
                "footerf": Visibility.HEADER_FOOTER, "footnote": Visibility.VISIBLE, "fldinst": Visibility.METADATA,
                "revtbl": Visibility.METADATA, "sv": Visibility.UNKNOWN_PART, "userprops": Visibility.METADATA,
                "docvar": Visibility.METADATA}


class _Group:
    __slots__ = ("dest", "hidden", "deleted", "uc", "first")

    def __init__(self, dest: str = "body", hidden: bool = False, deleted: bool = False, uc: int = 1) -> None:
        self.dest, self.hidden, self.deleted, self.uc = dest, hidden, deleted, uc
        self.first = True  # the next control word may name a destination

    def child(self) -> _Group:
        return _Group(self.dest, self.hidden, self.deleted, self.uc)


class _RtfState:
    def __init__(self, codepage: str) -> None:
        self.codepage = codepage
        self.paragraph = 1
        self.para: dict[Visibility, list[str]] = {}
        self.out: list[Unit] = []
        self.dests: dict[str, list[str]] = {}
        self.counts: dict[str, int] = {}
        self.pending = bytearray()

    def text(self, group: _Group, value: str) -> None:
        if group.dest == "skip" or not value:
            return
        if group.dest == "body":
            vis = (Visibility.TRACKED_CHANGE if group.deleted else
                   Visibility.HIDDEN_TEXT if group.hidden else Visibility.VISIBLE)
            self.para.setdefault(vis, []).append(value)
        else:
            self.dests.setdefault(group.dest, []).append(value)

    def flush_bytes(self, group: _Group) -> None:
        if self.pending:
            self.text(group, bytes(self.pending).decode(self.codepage, "replace"))
            self.pending.clear()

    def end_paragraph(self) -> None:
        where = f"paragraph {self.paragraph}"
        labels = {Visibility.TRACKED_CHANGE: " (deleted text)", Visibility.HIDDEN_TEXT: " (hidden text)"}
        for vis, parts in self.para.items():
            text = "".join(parts).strip()
            if text:
                self.out.append(Text(where + labels.get(vis, ""), vis, text))
        if any("".join(p).strip() for p in self.para.values()):
            self.paragraph += 1
        self.para = {}

    def end_destination(self, dest: str) -> None:
        text = "".join(self.dests.pop(dest, [])).strip()
        if not text or dest in ("body", "skip"):
            return
        kind, _, field = dest.partition(":")
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if kind == "info":
            self.out.append(Text(f"info ({field or 'other'})", Visibility.METADATA, text))
        elif kind in _HIDDEN_DEST:
            label = {"fldinst": "field code", "atnauthor": "annotation author", "revtbl": "revision authors",
                     "sv": "shape property", "userprops": "custom properties", "docvar": "document variable"
                     }.get(kind, kind)
            self.out.append(Text(f"{label} {self.counts[kind]}", _HIDDEN_DEST[kind], text))


def read_rtf(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    """RTF by a token loop: groups push state, destinations route text, `\\bin` payloads are skipped unread."""
    from veil.readers.limits import LimitExceeded

    head = re.search(rb"\\ansicpg(\d+)", blob[:4096])
    codepage = f"cp{head.group(1).decode()}" if head else "cp1252"
    try:
        "".encode(codepage)
    except LookupError:
        codepage = "cp1252"
    state = _RtfState(codepage)
    stack = [_Group()]
    skip_chars = 0
    objects: list[bytearray] = []
    pos, end = 0, len(blob)
    while pos < end:
        match = _TOKEN.match(blob, pos)
        if match is None:  # pragma: no cover - the pattern matches any byte
            break
        pos = match.end()
        group = stack[-1]
        word, arg, hexbyte, symbol, brace, chunk, _ = match.groups()
        if hexbyte is not None:
            if skip_chars:
                skip_chars -= 1
            elif group.dest == "objdata":
                objects[-1] += bytes.fromhex(hexbyte.decode())
            else:
                state.pending.append(int(hexbyte, 16))
            group.first = False
            continue
        state.flush_bytes(group)
        if chunk is not None:
            text = chunk.replace(b"\r", b"").replace(b"\n", b"")
            if group.dest == "objdata":
                objects[-1] += text
                continue
            if skip_chars:
                cut = min(skip_chars, len(text))
                text, skip_chars = text[cut:], skip_chars - cut
            state.text(group, text.decode(state.codepage, "replace"))
            group.first = False
        elif brace == b"{":
            if len(stack) > 10_000:
                raise LimitExceeded("the RTF groups are nested too deeply")
            stack.append(group.child())
        elif brace == b"}":
            if len(stack) > 1:
                done = stack.pop()
                state.flush_bytes(done)
                if done.dest != stack[-1].dest:
                    state.end_destination(done.dest)
                elif done.dest not in ("body", "skip"):
                    state.text(done, "\n")  # sub-groups of a destination (property name, value) stay apart
        elif symbol is not None:
            sym = symbol.decode("latin-1")
            if sym == "*":
                group.dest = "maybe-skip" if group.dest != "skip" else "skip"
                continue
            state.text(group, {"~": "\u00a0", "_": "-", "-": "", "\\": "\\", "{": "{", "}": "}"}.get(sym, ""))
            if sym in "\r\n":
                state.end_paragraph() if group.dest == "body" else state.text(group, "\n")
            group.first = False
        elif word is not None:
            name = word.decode("ascii")
            number = int(arg) if arg else None
            if name == "bin" and number:
                pos += max(0, number)
                continue
            if group.first or group.dest == "maybe-skip":
                dest = _destination(name, group, objects)
                group.first = False
                if dest is not None:
                    group.dest = dest
                    continue
            if name == "u" and number is not None:
                state.text(group, chr(number % 0x10000) if number < 0 else chr(min(number, 0x10FFFF)))
                skip_chars = group.uc
            elif name == "uc" and number is not None:
                group.uc = max(0, min(number, 10))
            elif name == "v":
                group.hidden = number != 0
            elif name == "deleted":
                group.deleted = number != 0
            elif name == "plain":
                group.hidden = group.deleted = False
            elif name in _BREAKS:
                state.end_paragraph() if group.dest == "body" else state.text(group, "\n")
            elif name in _SYMBOLS:
                state.text(group, _SYMBOLS[name])
    state.flush_bytes(stack[-1])
    state.end_paragraph()
    for dest in list(state.dests):
        state.end_destination(dest)
    yield from state.out
    for i, data in enumerate(objects, 1):
        yield from _rtf_object(data, i, ctx)


def _destination(name: str, group: _Group, objects: list[bytearray]) -> str | None:
    if group.dest == "skip":
        return "skip"
    if name in _SKIP_DEST:
        return "skip"
    if name == "info":
        return "info"
    if group.dest == "info" and name in _INFO:
        return f"info:{name}"
    if name in _HIDDEN_DEST:
        return name
    if name == "objdata":
        objects.append(bytearray())
        return "objdata"
    if group.dest == "maybe-skip":  # \* before a destination we do not know: ignorable by definition
        return "skip"
    return None


def _rtf_object(hexdata: bytearray, index: int, ctx: ReadContext) -> Iterator[Unit]:
    """An OLE1 object (\\objdata): header, class name, native data (MS-OLEDS 2.2.4); the data goes to the readers."""
    import struct

    from veil.readers.office.ooxml import unwrap_ole_object
    from veil.readers.units import Unreadable

    where = f"embedded object {index}"
    try:
        data = bytes.fromhex(re.sub(rb"[^0-9a-fA-F]", b"", bytes(hexdata)).decode())
        pos = 8
        names = []
        for _ in range(3):  # class, topic, item names
            (length,) = struct.unpack_from("<I", data, pos)
            names.append(data[pos + 4: pos + 4 + length].rstrip(b"\x00").decode("latin-1"))
            pos += 4 + length
        (size,) = struct.unpack_from("<I", data, pos)
        native = data[pos + 4: pos + 4 + size]
        if len(native) != size or not size:
            raise ValueError
    except (ValueError, struct.error):
        yield Unreadable(where, "an embedded object in the RTF could not be decoded")
        return
    name = names[0] or "object"
    if names[0] == "Package":
        from veil.readers.office.ooxml import ole10native

        label, payload = ole10native(struct.pack("<I", len(native)) + native)
        yield from ctx.embedded(payload, label or name, where, Visibility.EMBEDDED)
        return
    unwrapped = unwrap_ole_object(native)
    if unwrapped is not None:
        native = unwrapped[1]
        name = unwrapped[0] or name
    yield from ctx.embedded(native, name, where, Visibility.EMBEDDED)
