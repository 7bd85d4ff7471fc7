"""A small Compound File (CFB v3) writer and an MS-OVBA vbaProject.bin builder.

The VBA source is stored with MS-OVBA compression: full 4096-byte blocks as raw (uncompressed) chunks, the last
partial block as a compressed chunk made only of literal tokens. That is a valid container that any conforming
decompressor reads back."""

from __future__ import annotations

import struct

SECTOR = 512
MINI = 64
CUTOFF = 4096
FREE, ENDOFCHAIN, FATSECT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
NOSTREAM = 0xFFFFFFFF


def ovba_compress(data: bytes) -> bytes:
    out = bytearray(b"\x01")
    for start in range(0, len(data), 4096):
        block = data[start:start + 4096]
        if len(block) == 4096:
            out += struct.pack("<H", 0x3000 | (4098 - 3)) + block  # raw chunk, flag bit 0
            continue
        body = bytearray()
        for i in range(0, len(block), 8):
            body.append(0)  # flag byte: 8 literal tokens
            body += block[i:i + 8]
        out += struct.pack("<H", 0x8000 | 0x3000 | (len(body) + 2 - 3)) + body
    return bytes(out)


def ovba_decompress(data: bytes) -> bytes:
    """Enough of the decompressor to check what ovba_compress wrote (literals, raw chunks and copy tokens)."""
    if data[:1] != b"\x01":
        raise ValueError("no signature")
    pos, out = 1, bytearray()
    while pos < len(data):
        header = struct.unpack_from("<H", data, pos)[0]
        size = (header & 0x0FFF) + 3
        end = pos + size
        pos += 2
        if not header & 0x8000:
            out += data[pos:pos + 4096]
            pos += 4096
            continue
        chunk_start = len(out)
        while pos < end:
            flags = data[pos]
            pos += 1
            for bit in range(8):
                if pos >= end:
                    break
                if not flags >> bit & 1:
                    out.append(data[pos])
                    pos += 1
                    continue
                token = struct.unpack_from("<H", data, pos)[0]
                pos += 2
                dlen = max((len(out) - chunk_start - 1).bit_length(), 4)
                length_mask = 0xFFFF >> dlen
                offset = (token >> (16 - dlen)) + 1
                for _ in range((token & length_mask) + 3):
                    out.append(out[-offset])
    return bytes(out)


class _Entry:
    def __init__(self, name: str, kind: int, data: bytes = b""):
        self.name, self.kind, self.data = name, kind, data  # kind: 1 storage, 2 stream, 5 root
        self.children: list[_Entry] = []
        self.left = self.right = self.child = NOSTREAM
        self.start, self.size = ENDOFCHAIN, 0


def _sort_key(e: _Entry) -> tuple[int, str]:
    return (len(e.name), e.name.upper())


def write_cfb(tree: dict) -> bytes:
    """tree: {name: bytes (stream) | dict (storage)} -> compound file bytes."""
    root = _Entry("Root Entry", 5)
    entries = [root]

    def add(parent: _Entry, node: dict) -> None:
        for name in sorted(node):
            value = node[name]
            e = _Entry(name, 1 if isinstance(value, dict) else 2, b"" if isinstance(value, dict) else value)
            entries.append(e)
            parent.children.append(e)
            if isinstance(value, dict):
                add(e, value)

    add(root, tree)
    for e in entries:  # children as a right-leaning chain in CFB order (readers do not check colours)
        kids = sorted(e.children, key=_sort_key)
        if kids:
            e.child = entries.index(kids[0])
            for a, b in zip(kids, kids[1:], strict=False):
                a.right = entries.index(b)

    # mini stream for small streams
    mini = bytearray()
    minifat: list[int] = []
    big: list[_Entry] = []
    for e in entries:
        if e.kind != 2:
            continue
        e.size = len(e.data)
        if e.size == 0:
            e.start = ENDOFCHAIN
        elif e.size < CUTOFF:
            first = len(mini) // MINI
            n = -(-e.size // MINI)
            mini += e.data + b"\0" * (n * MINI - e.size)
            minifat += [first + i + 1 for i in range(n - 1)] + [ENDOFCHAIN]
            e.start = first
        else:
            big.append(e)

    sectors: list[bytes] = []
    fat: list[int] = []

    def place(blob: bytes) -> int:
        if not blob:
            return ENDOFCHAIN
        n = -(-len(blob) // SECTOR)
        first = len(sectors)
        for i in range(n):
            sectors.append(blob[i * SECTOR:(i + 1) * SECTOR].ljust(SECTOR, b"\0"))
            fat.append(first + i + 1 if i < n - 1 else ENDOFCHAIN)
        return first

    for e in big:
        e.start = place(e.data)
    root.start = place(bytes(mini))
    root.size = len(mini)
    minifat_bytes = b"".join(struct.pack("<I", x) for x in minifat)
    minifat_start = place(minifat_bytes)
    n_minifat = -(-len(minifat_bytes) // SECTOR)

    dir_blob = bytearray()
    for e in entries:
        name = e.name.encode("utf-16-le") + b"\0\0"
        dir_blob += name.ljust(64, b"\0") + struct.pack(
            "<HBBIII16sIQQIQ", len(name), e.kind, 1, e.left, e.right, e.child, b"\0" * 16, 0, 0, 0,
            e.start, e.size)
    while len(dir_blob) % SECTOR:
        dir_blob += (b"\0" * 64 + struct.pack("<HBBIII16sIQQIQ", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM,
                                              b"\0" * 16, 0, 0, 0, 0, 0))
    dir_start = place(bytes(dir_blob))

    # FAT sectors themselves
    n_fat = 1
    while (len(sectors) + n_fat) > n_fat * (SECTOR // 4):
        n_fat += 1
    if n_fat > 109:
        raise ValueError("too large for a header-only DIFAT")
    fat_first = len(sectors)
    fat += [FATSECT] * n_fat
    fat += [FREE] * (n_fat * (SECTOR // 4) - len(fat))
    fat_bytes = b"".join(struct.pack("<I", x) for x in fat)
    for i in range(n_fat):
        sectors.append(fat_bytes[i * SECTOR:(i + 1) * SECTOR])

    difat = [fat_first + i for i in range(n_fat)] + [FREE] * (109 - n_fat)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 16
              + struct.pack("<HHHHH6sIIIIIIIII", 0x003E, 0x0003, 0xFFFE, 9, 6, b"\0" * 6, 0, n_fat, dir_start,
                            0, CUTOFF, minifat_start if n_minifat else ENDOFCHAIN, n_minifat, ENDOFCHAIN, 0)
              + b"".join(struct.pack("<I", x) for x in difat))
    assert len(header) == SECTOR
    return header + b"".join(sectors)


def _rec(rid: int, data: bytes) -> bytes:
    return struct.pack("<HI", rid, len(data)) + data


def vba_project(modules: list[tuple[str, str]], codepage: int = 1252) -> bytes:
    """vbaProject.bin holding standard modules [(name, source)]; source lines end with CRLF."""
    enc = f"cp{codepage}"
    d = bytearray()
    d += _rec(0x0001, struct.pack("<I", 1))  # SYSKIND win32
    d += _rec(0x0002, struct.pack("<I", 0x409))
    d += _rec(0x0014, struct.pack("<I", 0x409))
    d += _rec(0x0003, struct.pack("<H", codepage))
    d += _rec(0x0004, b"VBAProject")
    d += _rec(0x0005, b"") + _rec(0x0040, b"")
    d += _rec(0x0006, b"") + _rec(0x003D, b"")
    d += _rec(0x0007, struct.pack("<I", 0))
    d += _rec(0x0008, struct.pack("<I", 0))
    d += struct.pack("<HIIH", 0x0009, 4, 1, 0)  # PROJECTVERSION: Reserved=4, then major u32, minor u16
    d += _rec(0x000C, b"") + _rec(0x003C, b"")
    d += _rec(0x000F, struct.pack("<H", len(modules)))
    d += _rec(0x0013, struct.pack("<H", 0xFFFF))
    streams: dict[str, bytes] = {}
    for name, source in modules:
        d += _rec(0x0019, name.encode(enc)) + _rec(0x0047, name.encode("utf-16-le"))
        d += _rec(0x001A, name.encode(enc)) + _rec(0x0032, name.encode("utf-16-le"))
        d += _rec(0x001C, b"") + _rec(0x0048, b"")
        d += _rec(0x0031, struct.pack("<I", 0))  # MODULEOFFSET: source starts at byte 0 of the stream
        d += _rec(0x001E, struct.pack("<I", 0))
        d += _rec(0x002C, struct.pack("<H", 0xFFFF))
        d += struct.pack("<HI", 0x0021, 0)  # procedural module
        d += struct.pack("<HI", 0x002B, 0)  # module terminator
        streams[name] = ovba_compress(source.encode(enc, errors="replace"))
    d += struct.pack("<HI", 0x0010, 0)
    project = ("ID=\"{00000000-0000-0000-0000-000000000000}\"\r\n"
               + "".join(f"Module={n}\r\n" for n, _ in modules)
               + "Name=\"VBAProject\"\r\nHelpContextID=\"0\"\r\nVersionCompatible32=\"393222000\"\r\n"
               "CMG=\"\"\r\nDPB=\"\"\r\nGC=\"\"\r\n\r\n[Host Extender Info]\r\n"
               "&H00000001={3832D640-CF90-11CF-8E43-00A0C911005A};VBE;&H00000000\r\n")
    vba = {"dir": ovba_compress(bytes(d)), "_VBA_PROJECT": b"\xcc\x61\xff\xff\x00\x00\x00", **streams}
    return write_cfb({"PROJECT": project.encode(enc), "PROJECTwm": b"".join(
        n.encode(enc) + b"\0" + n.encode("utf-16-le") + b"\0\0" for n, _ in modules) + b"\0\0", "VBA": vba})
