"""Legacy Office binaries (.doc Word 97-2003, .ppt PowerPoint 97-2003), read in pure Python with olefile.

No maintained pure-Python extractor exists on PyPI (antiword/catdoc are Debian programs; wrappers bundle binaries),
so the formats are read here from their specifications, and only as far as needed to find text:

- .doc ([MS-DOC]): the FIB locates the piece table (Clx) that maps character positions to the text in the
  WordDocument stream; the CP ranges split main text, footnotes, headers, comments, endnotes and text boxes.
  Character runs (CHPX FKPs) mark deleted revisions (sprmCFRMarkDel) and hidden text (sprmCFVanish). Field codes
  (between 0x13 and 0x14) are METADATA; table rows become Table units. Embedded objects (ObjectPool) go back
  through the readers. Word 6/95 files and encrypted files are Unreadable.
- .ppt ([MS-PPT]): the record tree of the "PowerPoint Document" stream; text atoms inside slides, notes and
  comments; hidden slides (SlideShowSlideInfoAtom fHidden, outline text mapped to its slide through the persist
  directory); compressed embedded OLE storages (ExOleObjStg) go back through the readers.
Summary-information properties (author, last saved by, company, ...) are METADATA for both.
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass

from veil.readers.limits import LimitExceeded
from veil.readers.office.ooxml import ole10native, unwrap_ole_object
from veil.readers.office.salvage import OleDamage, damaged_ole_units, ole_damage, open_ole, stream
from veil.readers.office.vba import is_vba_storage, read_project
from veil.readers.registry import ReadContext
from veil.readers.units import Text, Unit, Unreadable, Visibility, table_from_rows

_PROPS = ("title", "subject", "author", "keywords", "comments", "last_saved_by", "company", "manager", "category")
_STORY = [("main text", Visibility.VISIBLE), ("footnotes", Visibility.VISIBLE), ("headers and footers",
          Visibility.HEADER_FOOTER), ("comments", Visibility.COMMENT), ("endnotes", Visibility.VISIBLE),
          ("text boxes", Visibility.VISIBLE), ("header text boxes", Visibility.HEADER_FOOTER)]
_DELETED, _HIDDEN = 1, 2


def read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    """A file whose structure breaks anywhere (a stream cut short, a record running past its stream, a broken
    directory) is unverifiable, and the text still in its bytes is checked (a raw scan, as `strings` would)."""
    try:
        ole = open_ole(blob)
    except OleDamage as exc:
        yield from damaged_ole_units(blob, str(exc))
        return
    try:
        problem = ole_damage(ole)
        yield from _metadata(ole)
        if ole.exists("WordDocument"):  # type: ignore[attr-defined]
            yield from _doc(ole, ctx)
        elif ole.exists("PowerPoint Document"):  # type: ignore[attr-defined]
            yield from _ppt(ole, ctx)
        else:
            raise OleDamage(problem or "an OLE file without a Word or PowerPoint document stream")
        if problem:
            raise OleDamage(problem)
    except OleDamage as exc:
        yield from damaged_ole_units(blob, str(exc))
    except (struct.error, IndexError, ValueError, OverflowError, OSError, EOFError) as exc:
        yield from damaged_ole_units(blob, f"the document's binary structure is damaged ({type(exc).__name__})")
    finally:
        ole.close()  # type: ignore[attr-defined]


def _metadata(ole: object) -> Iterator[Unit]:
    try:
        meta = ole.get_metadata()  # type: ignore[attr-defined]
    except Exception:  # a broken property set: the text can still be read
        return
    lines = []
    for name in _PROPS:
        value = getattr(meta, name, None)
        if isinstance(value, bytes):
            value = value.decode("cp1252", "replace")
        if value and str(value).strip():
            lines.append(f"{name}: {' '.join(str(value).split())}")
    if lines:
        yield Text("SummaryInformation", Visibility.METADATA, "\n".join(lines))


# --- Word ----------------------------------------------------------------------------------------------------------

def _doc(ole: object, ctx: ReadContext) -> Iterator[Unit]:
    word = stream(ole, "WordDocument")
    if len(word) < 0x200 or struct.unpack_from("<H", word, 0)[0] != 0xA5EC:
        raise LimitExceeded("the WordDocument stream has no valid header (FIB)")
    n_fib, flags = struct.unpack_from("<H", word, 2)[0], struct.unpack_from("<H", word, 0x0A)[0]
    if n_fib < 101:
        raise LimitExceeded("a Word 6/95 document (older than Word 97), which Veil does not read")
    if flags & 0x0100:
        raise LimitExceeded("the Word document is encrypted or password-protected")
    table_name = "1Table" if flags & 0x0200 else "0Table"
    if not ole.exists(table_name):  # type: ignore[attr-defined]
        raise LimitExceeded(f"the Word document has no {table_name} stream")
    table = stream(ole, table_name)
    csw = struct.unpack_from("<H", word, 32)[0]
    pos = 34 + csw * 2
    cslw = struct.unpack_from("<H", word, pos)[0]
    lw = struct.unpack_from(f"<{cslw}I", word, pos + 2)
    pos += 2 + cslw * 4
    cb_fclcb = struct.unpack_from("<H", word, pos)[0]
    fclcb = struct.unpack_from(f"<{cb_fclcb * 2}I", word, pos + 2)
    ccps = [lw[3], lw[4], lw[5], lw[7], lw[8], lw[9], lw[10]]
    pieces = _pieces(table, fclcb[66], fclcb[67])
    text = "".join(_piece_text(word, p) for p in pieces)
    flags_by_cp = _char_flags(word, table, fclcb[24], fclcb[25], pieces, len(text))
    start = 0
    for (label, vis), count in zip(_STORY, ccps, strict=True):
        segment, seg_flags = text[start:start + count], flags_by_cp[start:start + count]
        start += count
        if segment.strip():
            yield from _story(segment, seg_flags, label, vis)
    yield from _object_pool(ole, ctx)
    if is_vba_storage(ole, ["Macros"]):
        yield from read_project(ole, ["Macros"], "Macros")


def _pieces(table: bytes, fc: int, lcb: int) -> list[tuple[int, int, int, bool]]:
    """The piece table: (cp start, cp end, file offset, compressed?) from the Clx."""
    clx = table[fc:fc + lcb]
    if len(clx) != lcb or not lcb:
        raise LimitExceeded("the Word piece table (Clx) is outside the table stream")
    i = 0
    while i < len(clx) and clx[i] == 0x01:  # Prc: property modifiers, skipped
        i += 3 + struct.unpack_from("<H", clx, i + 1)[0]
    if i >= len(clx) or clx[i] != 0x02:
        raise LimitExceeded("the Word piece table (Clx) is malformed")
    size = struct.unpack_from("<I", clx, i + 1)[0]
    plc = clx[i + 5:i + 5 + size]
    n = (len(plc) - 4) // 12
    if n <= 0:
        raise LimitExceeded("the Word piece table is empty")
    cps = struct.unpack_from(f"<{n + 1}I", plc, 0)
    out = []
    for k in range(n):
        fc_raw = struct.unpack_from("<I", plc, 4 * (n + 1) + 8 * k + 2)[0]
        compressed = bool(fc_raw & 0x40000000)
        offset = (fc_raw & 0x3FFFFFFF) // 2 if compressed else fc_raw & 0x3FFFFFFF
        if cps[k + 1] < cps[k]:
            raise LimitExceeded("the Word piece table is out of order")
        out.append((cps[k], cps[k + 1], offset, compressed))
    return out


def _piece_text(word: bytes, piece: tuple[int, int, int, bool]) -> str:
    cp0, cp1, offset, compressed = piece
    if offset + (cp1 - cp0) * (1 if compressed else 2) > len(word):
        raise OleDamage("the Word text runs past the end of its stream: the file is truncated or damaged")
    if compressed:
        return word[offset:offset + cp1 - cp0].decode("cp1252", "replace")
    return word[offset:offset + 2 * (cp1 - cp0)].decode("utf-16-le", "replace")


def _char_flags(word: bytes, table: bytes, fc: int, lcb: int, pieces: list[tuple[int, int, int, bool]],
                length: int) -> bytearray:
    """Per character: deleted (revision mark) and/or hidden (vanish), from the CHPX FKPs of direct formatting."""
    flags = bytearray(length)
    plc = table[fc:fc + lcb]
    n = (len(plc) - 4) // 8
    if n <= 0:
        return flags
    pns = struct.unpack_from(f"<{n}I", plc, 4 * (n + 1))
    work = 0
    for pn in pns:
        page = word[(pn & 0x3FFFFF) * 512:(pn & 0x3FFFFF) * 512 + 512]
        if len(page) < 512:
            continue
        crun = page[511]
        if 4 * (crun + 1) + crun > 511:
            continue
        fcs = struct.unpack_from(f"<{crun + 1}I", page, 0)
        for r in range(crun):
            offset = page[4 * (crun + 1) + r] * 2
            mark = _chpx_flags(page, offset) if offset else 0
            if not mark:
                continue
            for cp0, cp1, start, compressed in pieces:
                work += 1
                if work > 5_000_000:
                    raise LimitExceeded("the Word character formatting is too large to check")
                width = 1 if compressed else 2
                lo, hi = max(fcs[r], start), min(fcs[r + 1], start + (cp1 - cp0) * width)
                if lo < hi:
                    a, b = cp0 + (lo - start) // width, min(cp0 + -(-(hi - start) // width), length)
                    for c in range(a, b):
                        flags[c] |= mark
    return flags


def _chpx_flags(page: bytes, offset: int) -> int:
    size = page[offset] if offset < len(page) else 0
    grpprl = page[offset + 1:offset + 1 + size]
    mark, i = 0, 0
    while i + 2 <= len(grpprl):
        sprm = struct.unpack_from("<H", grpprl, i)[0]
        i += 2
        spra = sprm >> 13
        width = {0: 1, 1: 1, 2: 2, 3: 4, 4: 2, 5: 2, 7: 3}.get(spra)
        if width is None:  # variable length: the first operand byte says how long
            width = 1 + (grpprl[i] if i < len(grpprl) else 0)
        operand = grpprl[i:i + width]
        if sprm in (0x0800, 0x083C) and operand and operand[0] in (1, 129):
            mark |= _DELETED if sprm == 0x0800 else _HIDDEN
        i += width
    return mark


def _story(segment: str, flags: bytearray, label: str, base: Visibility) -> Iterator[Unit]:
    """One story's text as paragraph units (split by visibility), table rows as Table units, field codes apart."""
    paragraphs: list[tuple[str, bytearray]] = []
    start = 0
    for i, ch in enumerate(segment):
        if ch == "\r":
            paragraphs.append((segment[start:i], flags[start:i]))
            start = i + 1
    paragraphs.append((segment[start:], flags[start:]))
    where = f"WordDocument {label}"
    row_buffer: list[str] = []
    tables = 0
    for number, (para, pflags) in enumerate(paragraphs, 1):
        visible, codes, extra = _split(para, pflags)
        for code in codes:
            yield Text(f"{where} paragraph {number} (field code)", Visibility.METADATA, code)
        for mark, text in extra.items():
            name = "deleted text" if mark == _DELETED else "hidden text"
            vis = Visibility.TRACKED_CHANGE if mark == _DELETED else Visibility.HIDDEN_TEXT
            yield Text(f"{where} paragraph {number} ({name})", vis, text)
        if "\x07" in visible:
            row_buffer.append(visible)
            continue
        if row_buffer:
            tables += 1
            yield _table(row_buffer, f"{where} table {tables}", base)
            row_buffer = []
        clean = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", " ", visible).strip()
        if clean:
            yield Text(f"{where} paragraph {number}", base, clean)
    if row_buffer:
        yield _table(row_buffer, f"{where} table {tables + 1}", base)


def _split(para: str, flags: bytearray) -> tuple[str, list[str], dict[int, str]]:
    """Visible text without field codes, the field codes, and deleted/hidden text."""
    visible: list[str] = []
    extra: dict[int, list[str]] = {}
    codes: list[list[str]] = []
    depth_in_code: list[bool] = []
    for ch, flag in zip(para, flags, strict=False):
        if ch == "\x13":
            depth_in_code.append(True)
            codes.append([])
            continue
        if ch == "\x14" and depth_in_code:
            depth_in_code[-1] = False
            continue
        if ch == "\x15" and depth_in_code:
            depth_in_code.pop()
            continue
        if depth_in_code and depth_in_code[-1]:
            codes[-1].append(ch)
        elif flag & _DELETED:
            extra.setdefault(_DELETED, []).append(ch)
        elif flag & _HIDDEN:
            extra.setdefault(_HIDDEN, []).append(ch)
        else:
            visible.append(ch)
    code_texts = [" ".join("".join(c).split()) for c in codes if "".join(c).strip()]
    extras = {k: "".join(v).strip() for k, v in extra.items() if "".join(v).strip()}
    return "".join(visible), code_texts, extras


def _table(rows: list[str], where: str, vis: Visibility) -> Unit:
    grid: list[list[object]] = []
    for row in "\r".join(rows).split("\x07\x07"):
        cells: list[object] = [re.sub(r"[\x00-\x1f]", " ", c).strip() or None for c in row.split("\x07")]
        if any(cells):
            grid.append(cells)
    return table_from_rows(grid, location=where, visibility=vis)


def _object_pool(ole: object, ctx: ReadContext) -> Iterator[Unit]:
    """Embedded objects of a .doc: each ObjectPool storage holds a packaged file or a whole OLE document."""
    storages = sorted({tuple(e[:2]) for e in ole.listdir(streams=True, storages=False)  # type: ignore[attr-defined]
                       if len(e) >= 3 and e[0] == "ObjectPool"})
    entries = ole.listdir()  # type: ignore[attr-defined]
    for _, name in storages:
        where = f"ObjectPool/{name}"
        streams = {e[2].lower(): e for e in entries if e[:2] == ["ObjectPool", name] and len(e) == 3}
        if "\x01ole10native" in streams:
            native = stream(ole, streams["\x01ole10native"])
            label, payload = ole10native(native)
            yield from ctx.embedded(payload, label or name, f"embedded object ({where})", Visibility.EMBEDDED)
        elif "package" in streams:
            data = stream(ole, streams["package"])
            yield from ctx.embedded(data, name, f"embedded object ({where})", Visibility.EMBEDDED)
        elif {"workbook", "book", "worddocument", "powerpoint document"} & set(streams):
            yield from ctx.embedded(_substorage(ole, ["ObjectPool", name]), name, f"embedded object ({where})",
                                    Visibility.EMBEDDED)
        elif set(streams) - {"\x01compobj", "\x03objinfo", "\x01ole", "\x03epring", "\x03meta", "\x02olepres000"}:
            yield Unreadable(where, "an embedded object of a kind Veil does not read")


def _substorage(ole: object, path: list[str]) -> bytes:
    from extract_msg.ole_writer import OleWriter

    writer = OleWriter()
    writer.fromOleFile(ole, path)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


# --- PowerPoint ----------------------------------------------------------------------------------------------------

_SLIDE, _NOTES, _MASTER, _SLIDE_LIST, _COMMENT, _OLE_STG = 0x03EE, 0x03F0, 0x03F8, 0x0FF0, 0x2EE0, 0x1011
_TEXT_CHARS, _TEXT_BYTES, _CSTRING = 0x0FA0, 0x0FA8, 0x0FBA
_SHOW_INFO, _SLIDE_PERSIST, _PERSIST_DIR = 0x03F9, 0x03F3, 0x1772
_MAX_RECORDS = 2_000_000


def _ppt(ole: object, ctx: ReadContext) -> Iterator[Unit]:
    walk = _PptWalk(stream(ole, "PowerPoint Document"))
    walk.run()
    yield from walk.units()
    for i, raw in enumerate(walk.objects, 1):
        yield from _ppt_object(raw, i, ctx)
    if walk.cut:
        raise OleDamage(f"a record of the PowerPoint stream runs past its end (at byte {walk.cut}): the file is "
                        "truncated or damaged")


@dataclass
class _Frame:
    end: int
    kind: str  # slide (key: its offset), outline (key: the current slide's persist id) or plain
    key: int
    where: str
    vis: Visibility


class _PptWalk:
    """One pass over the record tree, then slide numbers and hidden flags resolved through the persist directory.

    Placeholder text lives in the outline (SlideListWithText, one SlidePersistAtom per slide), other text in each
    slide's drawing; a slide is hidden when its SlideShowSlideInfoAtom has fHidden. Persist ids map outline entries
    to slide containers (by their offset in the stream)."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.items: list[tuple[str, int, str, Visibility, str]] = []  # (kind, key, where, visibility, text)
        self.hidden: set[int] = set()
        self.slides: list[int] = []
        self.persist: dict[int, int] = {}
        self.outline: list[int] = []
        self.objects: list[bytes] = []
        self.cut = 0  # offset of a record that runs past the end of the stream (damage), 0 when none

    def run(self) -> None:
        data = self.data
        counts = {"notes": 0, "comment": 0}
        stack: list[_Frame] = []
        pos, records = 0, 0
        while pos + 8 <= len(data):
            while stack and pos >= stack[-1].end:
                stack.pop()
            records += 1
            if records > _MAX_RECORDS:
                raise LimitExceeded("the PowerPoint stream has too many records")
            ver_inst, rtype, length = struct.unpack_from("<HHI", data, pos)
            body, end = pos + 8, min(pos + 8 + length, len(data))
            if pos + 8 + length > len(data) and not self.cut:
                self.cut = pos
            top = stack[-1] if stack else _Frame(0, "plain", 0, "PowerPoint Document", Visibility.VISIBLE)
            kind, key, where, vis = top.kind, top.key, top.where, top.vis
            if rtype == _SLIDE:
                kind, key, where, vis = "slide", pos, "", Visibility.VISIBLE
                self.slides.append(pos)
            elif rtype == _NOTES or (rtype == _SLIDE_LIST and ver_inst >> 4 == 2):
                counts["notes"] += 1
                kind, where, vis = "plain", f"PowerPoint Document notes {counts['notes']}", Visibility.SPEAKER_NOTES
            elif rtype == _SLIDE_LIST and ver_inst >> 4 == 0:
                kind, key, where, vis = "outline", -1, "", Visibility.VISIBLE
            elif rtype == _MASTER:
                kind, where, vis = "plain", "PowerPoint Document master", Visibility.VISIBLE
            elif rtype == _COMMENT:
                counts["comment"] += 1
                kind, where, vis = "plain", f"PowerPoint Document comment {counts['comment']}", Visibility.COMMENT
            if ver_inst & 0x0F == 0x0F:
                stack.append(_Frame(end, kind, key, where, vis))
                pos = body
                continue
            self.atom(rtype, ver_inst, data[body:end], stack, kind, key, where, vis)
            pos = max(end, body)

    def atom(self, rtype: int, ver_inst: int, body: bytes, stack: list[_Frame], kind: str, key: int,
             where: str, vis: Visibility) -> None:
        if rtype == _SHOW_INFO and kind == "slide" and len(body) > 10 and body[10] & 0x04:
            self.hidden.add(key)
        elif rtype == _SLIDE_PERSIST and kind == "outline" and len(body) >= 4:
            persist_id = struct.unpack_from("<I", body, 0)[0]
            self.outline.append(persist_id)
            for frame in reversed(stack):  # the texts that follow belong to this slide
                if frame.kind == "outline":
                    frame.key = persist_id
                    break
        elif rtype == _PERSIST_DIR:
            self.persist_directory(body)
        elif rtype == _OLE_STG:
            self.objects.append(body if ver_inst >> 4 == 1 else b"raw" + body)
        elif rtype in (_TEXT_CHARS, _TEXT_BYTES) or (rtype == _CSTRING and vis is Visibility.COMMENT):
            text = body.decode("cp1252" if rtype == _TEXT_BYTES else "utf-16-le", "replace")
            text = text.replace("\r", "\n").replace("\x0b", "\n").strip()
            if not text:
                return
            if rtype == _CSTRING and ver_inst >> 4 in (0, 2):  # comment author name and initials
                self.items.append(("plain", 0, f"{where} (author metadata)", Visibility.METADATA, text))
            else:
                self.items.append((kind, key, where, vis, text))

    def persist_directory(self, body: bytes) -> None:
        i = 0
        while i + 4 <= len(body):
            head = struct.unpack_from("<I", body, i)[0]
            first, count = head & 0xFFFFF, head >> 20
            offsets = struct.unpack_from(f"<{count}I", body, i + 4) if i + 4 + 4 * count <= len(body) else ()
            for n, offset in enumerate(offsets):
                self.persist[first + n] = offset
            i += 4 + 4 * count

    def units(self) -> Iterator[Unit]:
        number: dict[int, int] = {}
        for persist_id in self.outline:
            offset = self.persist.get(persist_id)
            if offset is not None and offset not in number:
                number[offset] = len(number) + 1
        for offset in self.slides:
            number.setdefault(offset, len(number) + 1)
        groups: dict[tuple[str, Visibility], list[str]] = {}
        for kind, key, where, vis, text in self.items:
            offset = key if kind == "slide" else self.persist.get(key, -1) if kind == "outline" else -1
            if offset in number:
                hidden = offset in self.hidden
                where = f"PowerPoint Document slide {number[offset]}" + (" (hidden slide)" if hidden else "")
                vis = Visibility.HIDDEN_SLIDE if hidden else vis
            elif kind in ("slide", "outline"):
                where = "PowerPoint Document slide outline"
            texts = groups.setdefault((where, vis), [])
            if text not in texts:
                texts.append(text)
        for (where, vis), texts in groups.items():
            yield Text(where, vis, "\n".join(texts))


def _ppt_object(raw: bytes, index: int, ctx: ReadContext) -> Iterator[Unit]:
    where = f"embedded object {index}"
    if raw.startswith(b"raw"):
        storage = raw[3:]
    else:
        try:
            size = struct.unpack_from("<I", raw, 0)[0]
            if size > ctx.budget.limits.max_member_bytes:
                raise LimitExceeded(f"{where} is larger than the size limit")
            d = zlib.decompressobj()
            storage = d.decompress(raw[4:], size + 1)
            if len(storage) > size:
                raise LimitExceeded(f"{where} expands beyond its declared size")
        except (zlib.error, struct.error):
            yield Unreadable(where, "an embedded object could not be decompressed")
            return
    if storage.startswith(b"\xd0\xcf\x11\xe0"):
        try:
            ole = open_ole(storage)
        except OleDamage as exc:
            yield Unreadable(where, str(exc))
            return
        try:
            if is_vba_storage(ole, []):  # the presentation's macros (VBAInfoAtom points at this storage)
                yield from read_project(ole, [], "PowerPoint Document macros")
                return
        finally:
            ole.close()  # type: ignore[attr-defined]
    inner = unwrap_ole_object(storage)
    name, payload = inner if inner is not None else ("object", storage)
    yield from ctx.embedded(payload, name or "object", where, Visibility.EMBEDDED)
