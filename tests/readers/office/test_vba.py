"""Macros are read, not just noticed: the MS-OVBA decompressor, the dir stream, string literals and comments, and the
project in every container that carries one (xlsm, xlsb, docm, pptm, xls, doc, ppt, odt/ods Basic)."""

from __future__ import annotations

import io
import random
import zipfile

import pytest

from support.doc_factory import make_doc, make_docx, make_odt, make_ppt, make_pptx, read_units
from support.vba_factory import (
    BENIGN_MACRO,
    compress,
    dir_stream,
    ole_bytes,
    roster_macro,
    vba_entries,
    vba_project_bin,
    with_vba,
)
from support.workbook_factory import make_ods, make_xls, make_xlsb
from support.xlsx_factory import add_parts, roster, write_workbook
from veil.findings import Kind, Verdict
from veil.pipeline import check_bytes
from veil.readers.office.vba import VbaError, decompress, literals_and_comments, parse_dir, read_vba_bin
from veil.readers.units import Notice, Text, Unreadable, Visibility

PEOPLE = roster(8, seed=5)[1:]
ROSTER = roster_macro(PEOPLE)


@pytest.mark.parametrize("size", [0, 1, 3, 17, 4095, 4096, 4097, 9000])
@pytest.mark.parametrize("alphabet", [b"ab", b"abcdefghij ", bytes(range(256))])
def test_decompress_inverts_compress(size: int, alphabet: bytes) -> None:
    rng = random.Random(size)
    data = bytes(rng.choice(alphabet) for _ in range(size))
    packed = compress(data)
    out = decompress(packed)
    assert out[:size] == data and not out[size:].strip(b"\x00")  # a raw last chunk is padded with zeros
    if alphabet == b"ab" and size > 100:
        assert len(packed) < size  # copy tokens were used


@pytest.mark.parametrize("damage", ["signature", "chunk signature", "cut", "copy before chunk"])
def test_damaged_containers_raise(damage: str) -> None:
    packed = bytearray(compress(b"Attribute VB_Name = \"Module1\"\r\n" * 40))
    if damage == "signature":
        packed[0] = 0x02
    elif damage == "chunk signature":
        packed[2] &= 0x8F
    elif damage == "cut":
        packed = packed[: len(packed) // 2]
        packed[2] = packed[2] | 0x80  # keep it a compressed chunk whose declared size runs past the end
    else:
        packed = bytearray(b"\x01") + bytearray(b"\x05\xb0") + bytearray([0x01, 0xFF, 0xFF, 0x41, 0x42])
    with pytest.raises(VbaError):
        decompress(bytes(packed))


def test_dir_stream_names_modules_and_offsets() -> None:
    project = parse_dir(dir_stream([("Module1", 64), ("Roster", 10)], docstring="Case helper"))
    assert [(m.name, m.stream, m.offset) for m in project.modules] == [("Module1", "Module1", 64),
                                                                       ("Roster", "Roster", 10)]
    assert project.docstring == "Case helper" and project.codepage == "cp1252"


@pytest.mark.parametrize("line, expected", [
    ('x = "GARCIA, Jose" & "A123456789"', "GARCIA, Jose\tA123456789"),
    ("' Maria Lopez A234567891 asylum", "Maria Lopez A234567891 asylum"),
    ('Rem Jose Garcia', "Jose Garcia"),
    ('s = "He said ""hi"""  \' note', 'He said "hi"\tnote'),
    ('url = "http://x/it\'s"', "http://x/it's"),
    ('Attribute VB_Name = "Module1"', ""),
    ("Dim remainder As Integer", ""),
    ('x = "unclosed', "unclosed"),
])
def test_literals_and_comments(line: str, expected: str) -> None:
    assert literals_and_comments(line) == expected


def test_a_roster_in_a_macro_keeps_each_person_on_one_line() -> None:
    units = list(read_vba_bin(vba_project_bin({"Module1": BENIGN_MACRO, "Roster": ROSTER}), "xl/vbaProject.bin"))
    text = next(u for u in units if isinstance(u, Text) and u.location.endswith("'Roster'")).text
    first = PEOPLE[0]
    assert f"{first[0]}\t{first[1]}\t{first[2]}" in text
    assert any(isinstance(u, Notice) and "2 module(s)" in u.message for u in units)


def test_damaged_dir_stream_is_unreadable_and_module_sources_are_still_found() -> None:
    entries = vba_entries("", {"Roster": ROSTER})
    entries["VBA/dir"] = b"\x01\x00\x00garbage"
    units = list(read_vba_bin(ole_bytes(entries), "xl/vbaProject.bin"))
    assert any(isinstance(u, Unreadable) and "directory is damaged" in u.reason for u in units)
    found = "\n".join(u.text for u in units if isinstance(u, Text))
    assert str(PEOPLE[3][1]) in found


def test_module_source_that_does_not_decompress_is_unreadable() -> None:
    entries = vba_entries("", {"Roster": ROSTER})
    module = bytearray(entries["VBA/Roster"] or b"")
    module[64] = 0x07  # the container's signature byte, just after 64 bytes of compiled code
    entries["VBA/Roster"] = bytes(module)
    units = list(read_vba_bin(ole_bytes(entries), "xl/vbaProject.bin"))
    assert any(isinstance(u, Unreadable) and "'Roster'" in u.location for u in units)


def test_not_an_ole_storage_is_unreadable() -> None:
    units = list(read_vba_bin(b"\xd0\xcf\x11\xe0" + bytes(60), "xl/vbaProject.bin"))
    assert any(isinstance(u, Unreadable) for u in units)


def _zip_with_vba(blob: bytes, part: str) -> bytes:
    return add_parts(blob, {part: vba_project_bin({"Module1": BENIGN_MACRO, "Roster": ROSTER})})


def _odf_with_basic(blob: bytes) -> bytes:
    source = ROSTER.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
    module = ('<?xml version="1.0" encoding="UTF-8"?><script:module xmlns:script="http://openoffice.org/2000/script"'
              f' script:name="Roster" script:language="StarBasic">{source}</script:module>')
    return add_parts(blob, {"Basic/Standard/Roster.xml": module.encode()})


CONTAINERS = {
    "xlsm": lambda: _zip_with_vba(xlsm_with_ordinary_macro(), "xl/vbaProject.bin"),
    "xlsb": lambda: _zip_with_vba(make_xlsb(), "xl/vbaProject.bin"),
    "docm": lambda: _zip_with_vba(make_docx()[0], "word/vbaProject.bin"),
    "pptm": lambda: _zip_with_vba(make_pptx()[0], "ppt/vbaProject.bin"),
    "xls": lambda: with_vba(make_xls(), "_VBA_PROJECT_CUR", {"Module1": BENIGN_MACRO, "Roster": ROSTER}),
    "doc": lambda: with_vba(make_doc()[0], "Macros", {"Module1": BENIGN_MACRO, "Roster": ROSTER}),
    "ppt": lambda: make_ppt(macros=vba_project_bin({"Roster": ROSTER}))[0],
    "odt": lambda: _odf_with_basic(make_odt()[0]),
    "ods": lambda: _odf_with_basic(make_ods()),
}


def xlsm_with_ordinary_macro() -> bytes:
    return write_workbook(None, vector="macros", people=3)


@pytest.mark.parametrize("kind", sorted(CONTAINERS))
def test_macros_are_read_in_every_container(kind: str) -> None:
    blob = CONTAINERS[kind]()
    units = read_units(blob, f"file.{kind}")
    macro = [u for u in units if isinstance(u, Text) and u.visibility is Visibility.MACRO]
    assert any(str(PEOPLE[0][1]) in u.text for u in macro), [(type(u).__name__, u.location) for u in units]
    result = check_bytes(blob, f"file.{kind}")
    assert result.verdict is Verdict.BLOCK
    assert any(f.kind is Kind.PERSON_IN_TEXT and f.visibility == "macro" for f in result.findings)


def test_an_ordinary_macro_passes() -> None:
    result = check_bytes(xlsm_with_ordinary_macro(), "book.xlsm")
    assert result.verdict is Verdict.PASS
    assert any(f.visibility == "macro" and "macros present" in f.message for f in result.findings)


def test_macro_text_never_reaches_a_notice() -> None:
    units = read_units(CONTAINERS["xlsm"](), "book.xlsm")
    said = "\n".join(u.message for u in units if isinstance(u, Notice))
    assert not any(str(p[0]).split(",")[0] in said for p in PEOPLE)


def test_vba_part_inside_the_package_is_read_once() -> None:
    blob = CONTAINERS["docm"]()
    assert "word/vbaProject.bin" in zipfile.ZipFile(io.BytesIO(blob)).namelist()
    units = read_units(blob, "letter.docm")
    assert len([u for u in units if isinstance(u, Text) and u.location.endswith("VBA module 'Roster'")]) == 1
