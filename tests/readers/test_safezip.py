"""SafeZip refuses containers that two readers would read differently: a member named twice, a member the central
directory leaves out. Every zip-based format gets it, because every zip reader opens through SafeZip."""

from __future__ import annotations

import io
import zipfile

import pytest

from support.damage import drop_from_directory, duplicate_member, hide_member
from support.doc_factory import make_docx, make_odt, make_pptx, zip_bytes
from support.xlsx_factory import write_workbook
from veil.findings import Kind, Verdict
from veil.pipeline import check_bytes
from veil.readers.limits import Limits
from veil.readers.safezip import SafeZip, ZipDamage, salvage

ROSTER = b"name,a_number\nMaria Lopez,A123456789\nJose Garcia,A234567891\n"


def _containers() -> dict[str, tuple[bytes, str, str]]:
    """name -> (bytes, a member to play with, file name)."""
    return {
        "xlsx": (write_workbook(None, vector="visible", people=5), "xl/worksheets/sheet2.xml", "x.xlsx"),
        "docx": (make_docx()[0], "word/document.xml", "x.docx"),
        "pptx": (make_pptx()[0], "ppt/slides/slide1.xml", "x.pptx"),
        "odt": (make_odt()[0], "content.xml", "x.odt"),
        "zip": (zip_bytes({"readme.txt": "Quarterly statistics", "roster.csv": ROSTER}), "roster.csv", "x.zip"),
    }


CONTAINERS = _containers()
# unverifiable, or block when the text recovered from the damaged container shows people (block outranks it)
FAILED_CLOSED = {Verdict.UNVERIFIABLE, Verdict.BLOCK}


def test_clean_containers_open() -> None:
    for blob, _, _ in CONTAINERS.values():
        SafeZip(blob, Limits(), fold_case=True)


@pytest.mark.parametrize("kind", sorted(CONTAINERS))
def test_member_named_twice_is_refused_in_every_container(kind: str) -> None:
    blob, member, name = CONTAINERS[kind]
    damaged = duplicate_member(blob, member, b"<x/>")
    with pytest.raises(ZipDamage, match="two parts named"):
        SafeZip(damaged, Limits())
    result = check_bytes(damaged, name)
    assert result.verdict in FAILED_CLOSED
    assert any(f.kind is Kind.UNREADABLE and "two parts named" in f.message for f in result.findings)


@pytest.mark.parametrize("kind", sorted(CONTAINERS))
def test_member_missing_from_the_central_directory_is_refused(kind: str) -> None:
    blob, member, name = CONTAINERS[kind]
    damaged = hide_member(blob, "extra/roster.csv", ROSTER)
    assert "extra/roster.csv" not in zipfile.ZipFile(io.BytesIO(damaged)).namelist()
    with pytest.raises(ZipDamage, match="central directory does not list"):
        SafeZip(damaged, Limits())
    result = check_bytes(damaged, name)
    assert result.verdict in FAILED_CLOSED, [f.message for f in result.findings]
    if kind != "zip":  # the office and workbook readers read the hidden member from its local header
        assert result.persons >= 2, [f.message for f in result.findings]


@pytest.mark.parametrize("kind", sorted(CONTAINERS))
def test_listed_member_dropped_from_the_directory_is_refused(kind: str) -> None:
    blob, member, name = CONTAINERS[kind]
    assert check_bytes(drop_from_directory(blob, member), name).verdict in FAILED_CLOSED


def test_case_variants_are_one_name_only_in_packages() -> None:
    blob = zip_bytes({"Roster.csv": ROSTER, "roster.csv": b"x"})
    SafeZip(blob, Limits())  # a plain zip may hold both (each is read)
    with pytest.raises(ZipDamage):
        SafeZip(blob, Limits(), fold_case=True)


def test_stored_zip_inside_a_zip_is_not_taken_for_a_hidden_member() -> None:
    inner = zip_bytes({"roster.csv": ROSTER})
    outer = zip_bytes({"inner.zip": inner, "readme.txt": "x"}, compression=zipfile.ZIP_STORED)
    z = SafeZip(outer, Limits())
    assert set(z.names) == {"inner.zip", "readme.txt"}


def test_salvage_reads_every_local_entry_of_a_truncated_zip() -> None:
    blob = zip_bytes({"a.txt": "first " * 50, "roster.csv": ROSTER * 20, "z.txt": "last"})
    cut = blob[: blob.index(b"z.txt") + 10]
    found = {name: (data, complete) for name, data, complete in salvage(cut, Limits())}
    assert found["roster.csv"] == (ROSTER * 20, True)
    assert found["a.txt"][1]


def test_salvage_is_bounded() -> None:
    bomb = zip_bytes({"zeros.txt": b"0" * (8 << 20)})
    total = sum(len(d) for _, d, _ in salvage(bomb, Limits(max_member_bytes=1 << 20)))
    assert total <= 1 << 20


def _with_bytes_between_members(members: dict[str, bytes], between: bytes) -> bytes:
    """A zip with `between` written after its first member's data, owned by no member (offsets stay right)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, (name, data) in enumerate(members.items()):
            z.writestr(name, data)
            if n == 0:
                z.fp.write(between)  # type: ignore[union-attr]
                z.start_dir = z.fp.tell()  # type: ignore[union-attr]
    return buf.getvalue()


@pytest.mark.parametrize("kind", ["xlsx", "docx", "pptx", "odt", "zip"])
def test_bytes_between_members_are_refused_in_every_container(kind: str) -> None:
    """A roster stored between two members, outside every member: no zip reader shows it, `strings` does."""
    blob, _, name = _containers()[kind]
    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        members = {i.filename: z.read(i) for i in z.infolist()}
    damaged = _with_bytes_between_members(members, ROSTER * 3)
    with pytest.raises(ZipDamage, match="between its members"):
        SafeZip(damaged, Limits())
    assert check_bytes(damaged, name).verdict is not Verdict.PASS


def test_nul_padding_between_members_is_not_data() -> None:
    damaged = _with_bytes_between_members({"a.txt": b"Quarterly statistics", "b.txt": b"Totals"}, b"\x00" * 64)
    assert SafeZip(damaged, Limits()).names == ["a.txt", "b.txt"]
