"""Hostile and damaged PDFs: unverifiable with a one-line reason, in bounded time, never a traceback."""

from __future__ import annotations

import io
import random
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.pdf_factory import deflate_bomb, make_pdf, many_pages, text_pdf
from veil.pipeline import check_bytes
from veil.readers.limits import Limits
from veil.readers.registry import ReadContext, read_blob
from veil.readers.units import Text, Unit, Unreadable, Visibility


def _read(blob: bytes, limits: Limits | None = None) -> list[Unit]:
    ctx = ReadContext(name="bad.pdf")
    if limits is not None:
        ctx.budget.limits = limits
    return list(read_blob(blob, ctx))


def _reasons(units: list[Unit]) -> list[str]:
    return [u.reason for u in units if isinstance(u, Unreadable)]


def _encrypted(user: str, owner: str) -> tuple[bytes, str]:
    from pypdf import PdfReader, PdfWriter

    blob, crowd = make_pdf("control_plain", 5, seed=2)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(blob)))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue(), crowd[0].name


def test_encrypted_pdf_is_unverifiable() -> None:
    blob, _ = _encrypted("secret", "owner")
    units = _read(blob)
    assert _reasons(units) == ["the PDF is encrypted (a password is needed to open it)"]
    assert check_bytes(blob, "locked.pdf").verdict.value == "unverifiable"


def test_owner_password_only_pdf_is_read() -> None:
    blob, name = _encrypted("", "owner")
    units = _read(blob)
    assert not _reasons(units)
    assert any(isinstance(u, Text) and u.visibility is Visibility.VISIBLE and name in u.text for u in units)


def test_broken_xref_offsets_are_repaired() -> None:
    blob, crowd = make_pdf("control_plain", 5, seed=2)
    start = blob.rindex(b"xref")
    # shift every offset in the table: pdfium has to rebuild it by scanning the file
    broken = blob[:start] + blob[start:].replace(b" 00000 n", b" 00000 n").replace(b"0000000", b"0000999")
    units = _read(broken)
    assert not [u for u in units if isinstance(u, Unreadable) and "could not be parsed" in u.reason]
    assert any(isinstance(u, Text) and crowd[0].name in u.text for u in units) or _reasons(units)


@pytest.mark.parametrize("blob", [
    b"%PDF-1.7\n" + bytes(random.Random(3).randrange(256) for _ in range(4000)),
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n",
    b"%PDF-",
])
def test_garbage_after_the_header_is_unverifiable_with_a_reason(blob: bytes) -> None:
    units = _read(blob)
    reasons = _reasons(units)
    assert reasons and all("\n" not in r and len(r) < 200 for r in reasons)


def test_truncated_file_never_raises() -> None:
    blob, _ = make_pdf("box_re", 20, seed=2)
    for cut in (len(blob) // 3, len(blob) // 2, len(blob) - 40):
        units = _read(blob[:cut])
        assert units  # either what pdfium could repair, or a reason


def test_decompression_bomb_is_refused_quickly() -> None:
    blob = deflate_bomb(300)
    assert len(blob) < 2_000_000
    started = time.monotonic()
    units = _read(blob)
    assert time.monotonic() - started < 20
    assert any("decompression bomb" in r for r in _reasons(units))


def test_total_inflated_size_is_bounded() -> None:
    blob = deflate_bomb(40)
    reasons = _reasons(_read(blob, Limits(max_total_uncompressed=16 * 1024 * 1024)))
    assert any("decompression bomb" in r for r in reasons)


def test_huge_page_count_is_refused() -> None:
    units = _read(many_pages(12_000))
    assert any("pages, more than" in r for r in _reasons(units))


def test_time_budget_ends_a_long_read() -> None:
    units = _read(text_pdf(40), Limits(seconds=0.05))
    assert any("took longer" in r for r in _reasons(units))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_pdfs_never_raise(data: st.DataObject) -> None:
    blob = bytearray(_SMALL)
    for _ in range(data.draw(st.integers(1, 12))):
        pos = data.draw(st.integers(0, len(blob) - 1))
        blob[pos] = data.draw(st.integers(0, 255))
    units = _read(bytes(blob))
    assert isinstance(units, list)


_SMALL = make_pdf("annot_redact", 4, seed=5)[0]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b"/FlateDecode", b"4FlateDecode"),  # a flipped byte turns a filter name into a bare word
        (b"/ASCII85Decode /FlateDecode", b"/ASCII85Decode /ASCII85Decode"),  # a layer left that decodes to garbage
    ],
)
def test_a_content_stream_with_a_damaged_filter_is_unverifiable_not_a_blank_page(old: bytes, new: bytes) -> None:
    # pdfium shows a page whose content stream it cannot decode as blank: the people on it would be missed
    blob, _ = make_pdf("control_plain", 5, seed=2)
    assert old in blob
    damaged = blob.replace(old, new)
    assert check_bytes(damaged, "damaged.pdf").verdict.value == "unverifiable"
