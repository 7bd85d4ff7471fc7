"""Seeded VBA projects ([MS-OVBA]) for tests: a roster typed into a macro as a string array, comments naming people,
a "stomped" module whose compiled code keeps strings its source no longer has, a UserForm list, and damage.

    vba_project_bin({"Module1": source})           -> the bytes of an xl/vbaProject.bin (an OLE storage)
    vba_entries("Macros", {"Module1": source})     -> OLE entries to put a project inside a .doc or .xls
    roster_macro(people)                           -> VBA source holding the people as a string array
    compress(data)                                 -> an MS-OVBA CompressedContainer (literals and copy tokens)

No VBA writer exists on PyPI; the streams are built from the specification and written with extract-msg's
OleWriter, the same way doc_factory writes .doc and .ppt files.
"""

from __future__ import annotations

import io
import struct


def compress(data: bytes) -> bytes:
    """MS-OVBA 2.4.1.3.6: chunks of 4,096 bytes, each a run of flag bytes with literal and copy tokens (greedy
    longest match among the last few places its first three bytes occurred); a chunk that does not shrink is
    stored raw (padded with zeros to 4,096 bytes, as the specification says)."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), 4096):
        chunk = data[start:start + 4096]
        body = _compress_chunk(chunk)
        if len(body) > 4096:
            out += struct.pack("<H", 0x3FFF) + chunk.ljust(4096, b"\x00")  # raw: size 4,098 - 3
        else:
            out += struct.pack("<H", 0xB000 | (len(body) + 2 - 3)) + body  # compressed, signature 0b011, size - 3
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    body = bytearray()
    seen: dict[bytes, list[int]] = {}
    pos = 0
    while pos < len(chunk):
        flag_at = len(body)
        body.append(0)
        for bit in range(8):
            if pos >= len(chunk):
                break
            bits = max((pos - 1).bit_length(), 4)
            limit = min((0xFFFF >> bits) + 3, len(chunk) - pos)
            best_len, best_off = 0, 0
            for cand in reversed(seen.get(chunk[pos:pos + 3], [])[-16:]):
                length = 0
                while length < limit and chunk[cand + length] == chunk[pos + length]:
                    length += 1
                if length > best_len:
                    best_len, best_off = length, pos - cand
            step = best_len if best_len >= 3 else 1
            if best_len >= 3:
                body += struct.pack("<H", ((best_off - 1) << (16 - bits)) | (best_len - 3))
                body[flag_at] |= 1 << bit
            else:
                body.append(chunk[pos])
            for k in range(pos, pos + step):
                seen.setdefault(chunk[k:k + 3], []).append(k)
            pos += step
    return bytes(body)


def _rec(rid: int, body: bytes) -> bytes:
    return struct.pack("<HI", rid, len(body)) + body


def dir_stream(modules: list[tuple[str, int]], docstring: str = "", codepage: int = 1252) -> bytes:
    """A decompressed dir stream naming each (module, source offset)."""
    enc = f"cp{codepage}"
    out = (_rec(0x0001, struct.pack("<I", 1)) + _rec(0x0002, struct.pack("<I", 0x409))
           + _rec(0x0014, struct.pack("<I", 0x409)) + _rec(0x0003, struct.pack("<H", codepage))
           + _rec(0x0004, b"VBAProject") + _rec(0x0005, docstring.encode(enc, "replace"))
           + _rec(0x0040, docstring.encode("utf-16-le")) + _rec(0x0006, b"") + _rec(0x003D, b"")
           + _rec(0x0007, struct.pack("<I", 0)) + _rec(0x0008, struct.pack("<I", 0))
           + struct.pack("<HIIH", 0x0009, 4, 1, 0)  # PROJECTVERSION: size says 4, six bytes follow
           + _rec(0x000C, b"") + _rec(0x003C, b"")
           + _rec(0x000F, struct.pack("<H", len(modules))) + _rec(0x0013, struct.pack("<H", 0xFFFF)))
    for name, offset in modules:
        out += (_rec(0x0019, name.encode(enc)) + _rec(0x0047, name.encode("utf-16-le"))
                + _rec(0x001A, name.encode(enc)) + _rec(0x0032, name.encode("utf-16-le"))
                + _rec(0x001C, b"") + _rec(0x0048, b"") + _rec(0x0031, struct.pack("<I", offset))
                + _rec(0x001E, struct.pack("<I", 0)) + _rec(0x002C, struct.pack("<H", 0xFFFF))
                + _rec(0x0021, b"") + _rec(0x002B, b""))
    return out + _rec(0x0010, b"")


def vba_entries(root: str, modules: dict[str, str], *, pcode: dict[str, bytes] | None = None,
                forms: dict[str, bytes] | None = None, docstring: str = "") -> dict[str, bytes | None]:
    """OLE entries (path -> stream bytes, or None for a storage) of a VBA project under `root` ("" for a
    vbaProject.bin). `pcode` puts bytes before a module's source (its compiled code, e.g. stomped strings)."""
    prefix = f"{root}/" if root else ""
    entries: dict[str, bytes | None] = {}
    if root:
        entries[root] = None
    entries[f"{prefix}VBA"] = None
    placed = []
    for name, source in modules.items():
        compiled = (pcode or {}).get(name, b"\x00\x01\xff\xff" * 16)
        placed.append((name, len(compiled)))
        entries[f"{prefix}VBA/{name}"] = compiled + compress(source.replace("\n", "\r\n").encode("cp1252"))
    entries[f"{prefix}VBA/dir"] = compress(dir_stream(placed, docstring))
    entries[f"{prefix}VBA/_VBA_PROJECT"] = b"\xcc\x61\xff\xff\x00\x00\x00"
    project = "".join(f"Module={name}\r\n" for name in modules) + 'Name="VBAProject"\r\n'
    entries[f"{prefix}PROJECT"] = project.encode()
    for form, data in (forms or {}).items():
        entries[f"{prefix}{form}"] = None
        entries[f"{prefix}{form}/o"] = data
        entries[f"{prefix}{form}/f"] = b"\x00\x04\x18\x00" + bytes(20)
    return entries


def ole_bytes(entries: dict[str, bytes | None]) -> bytes:
    from extract_msg.ole_writer import OleWriter

    writer = OleWriter()
    for path, data in entries.items():
        if data is None:
            writer.addEntry(path, storage=True)
        else:
            writer.addEntry(path, data)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def vba_project_bin(modules: dict[str, str], **kwargs: object) -> bytes:
    return ole_bytes(vba_entries("", modules, **kwargs))  # type: ignore[arg-type]


BENIGN_MACRO = ('Attribute VB_Name = "Module1"\n'
                "' Refreshes the summary table\n"
                "Sub RefreshSummary()\n"
                '    Worksheets("Summary").Range("A1").Value = "Country of Citizenship"\n'
                "    Application.CalculateFull\n"
                "End Sub\n")


def roster_macro(people: list[list[object]], style: str = "array") -> str:
    """VBA that fills a sheet from a roster typed into the code: `array` (one Array(...) per person), `cells`
    (Cells(r, c).Value = ... statements) or `comments` (people named in comments only)."""
    lines = ['Attribute VB_Name = "Roster"', "Sub FillRoster()"]
    if style == "array":
        lines.append("    Dim people As Variant")
        lines.append("    people = Array( _")
        for k, p in enumerate(people):
            tail = ", _" if k < len(people) - 1 else ")"
            lines.append(f'        Array("{p[0]}", "{p[1]}", "{p[2]}", "{p[3]}", "{p[5]}"){tail}')
    elif style == "cells":
        for r, p in enumerate(people, start=2):
            lines.append(f'    Cells({r}, 1).Value = "{p[0]}": Cells({r}, 2).Value = "{p[1]}"'
                         f': Cells({r}, 3).Value = "{p[5]}"')
    else:
        for p in people:
            lines.append(f"    ' {p[0]} {p[1]} born {p[2]} - {p[5]}")
        lines.append("    Call Refresh")
    lines.append("End Sub")
    return "\n".join(lines) + "\n"


def form_stream(items: list[str]) -> bytes:
    """A UserForm's 'o' stream holding a list box's items (as the designer stores them: length-prefixed text)."""
    out = bytearray(b"\x00\x02\x30\x00")
    for item in items:
        raw = item.encode("cp1252", "replace")
        out += struct.pack("<I", len(raw) | 0x80000000) + raw + b"\x00" * (-len(raw) % 4)
    return bytes(out)


def ole_entries(blob: bytes) -> dict[str, bytes | None]:
    """Every entry of an OLE file: path -> stream bytes, or None for a storage (what ole_bytes writes back)."""
    import olefile

    ole = olefile.OleFileIO(io.BytesIO(blob))
    out: dict[str, bytes | None] = {}
    for entry in ole.listdir(streams=True, storages=True):
        path = "/".join(entry)
        out[path] = ole.openstream(entry).read() if ole.get_type(entry) == olefile.STGTY_STREAM else None
    ole.close()
    return out


def with_vba(ole_blob: bytes, root: str, modules: dict[str, str]) -> bytes:
    """A copy of an OLE document (a .doc, an .xls) with a VBA project added under `root` ("Macros" in Word,
    "_VBA_PROJECT_CUR" in Excel)."""
    entries = ole_entries(ole_blob)
    entries.update(vba_entries(root, modules))
    return ole_bytes(entries)
