"""VBA projects (Excel, Word and PowerPoint macros): the string literals and comments of every module, read as text.

A macro can carry a whole roster as a string array, and a "macros present" notice would let it pass. A VBA project
is an OLE storage ([MS-OVBA]): a compressed `dir` stream lists the modules, and each module stream keeps its source
code compressed after an offset (before it: compiled p-code). Veil decompresses them itself (MS-OVBA 2.4.1, about
fifty lines) rather than through oletools' olevba: olevba fails under this project's warnings-as-errors on import
(pyparsing 3.3 deprecations), pulls a GUI toolkit and a crypto stack for an algorithm this small, and reads whole
Office packages itself, outside SafeZip's bounds.

What comes out, per module: string literals and comments, one source line per line (so a name stays beside its
A-number), `Attribute` lines left out. Strings in the compiled code that the source does not have (the source was
replaced: "VBA stomping") and the strings of UserForms (list items, captions) come out too. Anything that cannot
be decompressed is Unreadable: the macros were not fully read.
"""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Iterator
from dataclasses import dataclass, field

from veil.readers.limits import LimitExceeded
from veil.readers.office.salvage import OleDamage, loose_strings, stream, text_runs
from veil.readers.safexml import local, parse
from veil.readers.units import Notice, Text, Unit, Unreadable, Visibility

MAX_SOURCE = 64 * 1024 * 1024
_SKIP_STREAMS = ("dir", "_vba_project", "projectwm", "project", "projectlk")


class VbaError(Exception):
    """A compressed container or the dir stream is damaged."""


def decompress(data: bytes, start: int = 0, limit: int = MAX_SOURCE) -> bytes:
    """Decompress an MS-OVBA CompressedContainer starting at `start`. Raises VbaError when it is damaged."""
    if start >= len(data) or data[start] != 0x01:
        raise VbaError("no compressed container signature")
    out = bytearray()
    pos = start + 1
    while pos < len(data):
        if pos + 2 > len(data):
            raise VbaError("a chunk header is cut off")
        header = data[pos] | data[pos + 1] << 8
        size = (header & 0x0FFF) + 3
        if (header >> 12) & 0x07 != 0b011:
            raise VbaError("a chunk header has a bad signature")
        end = pos + size
        if end > len(data):
            raise VbaError("a chunk is cut off (the stream is truncated)")
        if header & 0x8000 == 0:
            out += data[pos + 2:pos + 2 + 4096]
        else:
            _chunk(data, pos + 2, end, out)
        if len(out) > limit:
            raise LimitExceeded(f"a VBA module expands beyond {limit} bytes")
        pos += size
    return bytes(out)


def _chunk(data: bytes, p: int, end: int, out: bytearray) -> None:
    chunk_start = len(out)
    while p < end:
        flags = data[p]
        p += 1
        for bit in range(8):
            if p >= end:
                break
            if not flags >> bit & 1:
                out.append(data[p])
                p += 1
                continue
            if p + 2 > end:
                raise VbaError("a copy token is cut off")
            token = data[p] | data[p + 1] << 8
            p += 2
            bits = max((len(out) - chunk_start - 1).bit_length(), 4)
            length = (token & (0xFFFF >> bits)) + 3
            offset = (token >> (16 - bits)) + 1
            source = len(out) - offset
            if source < chunk_start:
                raise VbaError("a copy token points before its chunk")
            for i in range(length):  # byte by byte: a copy may overlap what it writes
                out.append(out[source + i])


@dataclass
class Module:
    name: str = ""
    stream: str = ""
    offset: int = 0
    docstring: str = ""


@dataclass
class Project:
    codepage: str = "cp1252"
    name: str = ""
    docstring: str = ""
    constants: str = ""
    modules: list[Module] = field(default_factory=list)


def parse_dir(data: bytes) -> Project:
    """The decompressed `dir` stream: project name, docstring, code page, and each module's stream and offset."""
    project = Project()
    module: Module | None = None
    pos = 0
    while pos + 6 <= len(data):
        rid, size = struct.unpack_from("<HI", data, pos)
        if rid == 0x0009:  # PROJECTVERSION: its size field says 4, but 6 bytes follow
            pos += 12
            continue
        body = data[pos + 6:pos + 6 + size]
        if len(body) < size:
            raise VbaError("a dir record runs past the end of the stream")
        pos += 6 + size
        if rid == 0x0003 and size == 2:
            project.codepage = _codec(struct.unpack("<H", body)[0])
        elif rid == 0x0004:
            project.name = body.decode(project.codepage, "replace")
        elif rid == 0x0040:
            project.docstring = body.decode("utf-16-le", "replace")
        elif rid == 0x0005 and not project.docstring:
            project.docstring = body.decode(project.codepage, "replace")
        elif rid == 0x003C:
            project.constants = body.decode("utf-16-le", "replace")
        elif rid == 0x0019:
            module = Module(name=body.decode(project.codepage, "replace"))
            project.modules.append(module)
        elif module is not None:
            _module_record(module, rid, body, project.codepage)
        if rid == 0x002B:
            module = None
        elif rid == 0x0010:
            break
    return project


def _module_record(module: Module, rid: int, body: bytes, codepage: str) -> None:
    if rid == 0x0047:
        module.name = body.decode("utf-16-le", "replace") or module.name
    elif rid == 0x001A:
        module.stream = body.decode(codepage, "replace")
    elif rid == 0x0032:
        module.stream = body.decode("utf-16-le", "replace") or module.stream
    elif rid == 0x0031 and len(body) == 4:
        module.offset = struct.unpack("<I", body)[0]
    elif rid == 0x0048:
        module.docstring = body.decode("utf-16-le", "replace")
    elif rid == 0x001C and not module.docstring:
        module.docstring = body.decode(codepage, "replace")


def _codec(codepage: int) -> str:
    name = {65001: "utf-8", 1200: "utf-16-le", 10000: "mac_roman"}.get(codepage, f"cp{codepage}")
    try:
        "".encode(name)
    except LookupError:
        return "cp1252"
    return name


_STRING = re.compile(r'"((?:[^"\n]|"")*)"')


def literals_and_comments(source: str) -> str:
    """String literals and comments of Basic source, one output line per source line that has any."""
    lines = []
    for line in source.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("Attribute VB_"):
            continue
        pieces: list[str] = []
        pos = 0
        while pos < len(line):
            ch = line[pos]
            if ch == '"':
                m = _STRING.match(line, pos)
                if m is None:  # an unclosed string: the rest of the line
                    pieces.append(line[pos + 1:])
                    break
                if m.group(1).strip():
                    pieces.append(m.group(1).replace('""', '"'))
                pos = m.end()
                continue
            if ch == "'" or (line[pos:pos + 4].lower() == "rem " and not line[:pos].strip(" \t:")):
                comment = line[pos + (1 if ch == "'" else 4):].strip()
                if comment:
                    pieces.append(comment)
                break
            pos += 1
        if pieces:
            lines.append("\t".join(pieces))
    return "\n".join(lines)


def _strings(data: bytes) -> list[str]:
    return [s for s in loose_strings(data).splitlines() if len(s) >= 5]


def is_vba_storage(ole: object, root: list[str]) -> bool:
    return bool(ole.exists("/".join([*root, "VBA", "dir"])))  # type: ignore[attr-defined]


def read_project(ole: object, root: list[str], where: str) -> Iterator[Unit]:
    """Every module of the VBA project stored under `root` (e.g. [] in vbaProject.bin, ["Macros"] in a .doc,
    ["_VBA_PROJECT_CUR"] in an .xls) as text, plus a notice; damage becomes Unreadable."""
    vba = [*root, "VBA"]
    streams = {"/".join(e): e for e in ole.listdir(streams=True, storages=False)}  # type: ignore[attr-defined]
    try:
        project = parse_dir(decompress(_stream(ole, [*vba, "dir"])))
    except (VbaError, OSError, ValueError, OleDamage) as exc:
        yield Unreadable(f"{where} VBA project", f"the macros' module directory is damaged ({exc})")
        yield from _salvage(ole, vba, streams, where)
        return
    if project.docstring.strip() or project.constants.strip():
        yield Text(f"{where} VBA project description", Visibility.MACRO,
                   "\n".join(x for x in (project.docstring.strip(), project.constants.strip()) if x))
    read = 0
    for module in project.modules:
        location = f"{where} VBA module '{module.name or module.stream}'"
        try:
            raw = _stream(ole, [*vba, module.stream])
        except (OSError, OleDamage) as exc:
            yield Unreadable(location, str(exc) if isinstance(exc, OleDamage) else
                             "the macro module's stream is missing or damaged")
            continue
        try:
            source = decompress(raw, module.offset).decode(project.codepage, "replace")
        except VbaError as exc:
            yield Unreadable(location, f"the macro module's source cannot be decompressed ({exc})")
            yield from _leftover_strings(raw, "", location)
            continue
        read += 1
        text = "\n".join(x for x in (module.docstring.strip(), literals_and_comments(source)) if x)
        if text:
            yield Text(location, Visibility.MACRO, text)
        yield from _leftover_strings(raw[:module.offset], source, location)
    yield from _forms(ole, root, streams, where)
    yield Notice(f"{where} VBA project", Visibility.MACRO,
                 f"macros present (VBA project, {read} module(s)): their string literals and comments were checked")


def _stream(ole: object, path: list[str]) -> bytes:
    return stream(ole, path)


def _leftover_strings(pcode: bytes, source: str, location: str) -> Iterator[Unit]:
    """Strings kept in the compiled code but not in the source: the source was replaced or removed."""
    extra = [s for s in dict.fromkeys(_strings(pcode)) if s not in source]
    if extra:
        yield Text(f"{location} compiled code", Visibility.MACRO, "\n".join(extra))
        yield Notice(f"{location} compiled code", Visibility.MACRO,
                     f"{len(extra)} string(s) in the compiled macro code are not in its source")


def _forms(ole: object, root: list[str], streams: dict[str, list[str]], where: str) -> Iterator[Unit]:
    """UserForm storages beside VBA/: control captions, list items and values, as printable strings."""
    depth = len(root)
    for key, path in streams.items():
        if len(path) < depth + 2 or path[:depth] != root or path[depth] in ("VBA", "PROJECT", "PROJECTwm"):
            continue
        found = _strings(_stream(ole, path))
        if found:
            yield Text(f"{where} VBA form '{path[depth]}' ({key})", Visibility.MACRO, "\n".join(found))


def _salvage(ole: object, vba: list[str], streams: dict[str, list[str]], where: str) -> Iterator[Unit]:
    """Without a usable dir stream: look for a compressed source in every module-like stream."""
    for path in streams.values():
        if path[:-1] != vba or path[-1].lower() in _SKIP_STREAMS or path[-1].lower().startswith("__srp_"):
            continue
        raw = _stream(ole, path)
        source = _find_source(raw)
        location = f"{where} VBA module stream '{path[-1]}'"
        if source is not None:
            text = literals_and_comments(source.decode("cp1252", "replace"))
            if text:
                yield Text(location, Visibility.MACRO, text)
        else:
            yield from _leftover_strings(raw, "", location)


def _find_source(raw: bytes) -> bytes | None:
    at = raw.find(b"\x01")
    while at >= 0:
        try:
            source = decompress(raw, at)
        except (VbaError, LimitExceeded):
            source = b""
        if b"Attribute VB_" in source[:4096]:
            return source
        at = raw.find(b"\x01", at + 1)
    return None


def read_vba_bin(blob: bytes, where: str) -> Iterator[Unit]:
    """A vbaProject.bin part of an .xlsm/.docm/.pptm/.xlsb (an OLE file with the project at its root)."""
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(blob))
    except Exception:  # noqa: BLE001 - olefile raises many kinds on broken input
        yield Unreadable(where, "the macros (VBA project) are not a readable OLE storage")
        yield from text_runs(blob, f"{where} (strings)", Visibility.MACRO)
        return
    try:
        if not is_vba_storage(ole, []):
            yield Unreadable(where, "the macros (VBA project) have no module directory")
            return
        yield from read_project(ole, [], where)
    finally:
        ole.close()


def read_basic_part(data: bytes, part: str) -> Iterator[Unit]:
    """A macro part of an OpenDocument file: a StarBasic module (`Basic/<library>/<module>.xml`, its source the
    element's text), a dialog (control values and list items), a library list, or a script in another language."""
    if data.lstrip()[:1] != b"<":
        text = data.decode("utf-8", "replace").strip()
        if text:
            yield Text(f"{part} (script)", Visibility.MACRO, text[:MAX_SOURCE])
        return
    root = parse(data, part)
    tag = local(root.tag)
    if tag == "module":
        name = next((v for k, v in root.attrib.items() if local(k) == "name"), part)
        text = literals_and_comments(root.text or "")
        if text:
            yield Text(f"{part} (Basic module '{name}')", Visibility.MACRO, text)
    elif tag not in ("libraries", "library"):
        pieces = [t.strip() for t in root.itertext() if t.strip()]
        pieces += [v for el in root.iter() for k, v in el.attrib.items()
                   if local(k) in ("value", "label", "title", "text", "help-text") and v.strip()]
        if pieces:
            yield Text(f"{part} (macro dialog)", Visibility.MACRO, "\n".join(pieces))
