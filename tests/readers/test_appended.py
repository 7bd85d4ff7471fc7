"""Polyglots: bytes after the end of a file's format are read as whatever they are, and bytes Veil cannot read make
the file unverifiable (readers/appended.py)."""

from __future__ import annotations

import os

import pytest

from support.doc_factory import read_units, unreadable
from support.mutations import _csv, _zip, clean, roster
from veil.pipeline import check_bytes
from veil.readers.appended import appended_data


def _roster_zip(seed: int) -> bytes:
    return _zip({"people.csv": _csv(roster(seed))})


@pytest.mark.parametrize("fmt", ["pdf", "xls", "parquet", "csv", "html", "json"])
def test_a_roster_zip_after_a_clean_file_blocks(fmt: str) -> None:
    base = clean(fmt)
    assert base is not None
    assert check_bytes(base, f"stats.{fmt}").verdict.value == "pass"
    blob = base + _roster_zip(11)
    result = check_bytes(blob, f"stats.{fmt}")
    assert result.verdict.value == "block", [f.message for f in result.findings]
    assert any("appended data" in (f.location or "") for f in result.findings)


@pytest.mark.parametrize("fmt", ["xlsx", "docx", "ods", "pptx", "odt"])
def test_a_roster_zip_after_a_clean_zip_container_never_passes(fmt: str) -> None:
    """Two zips end to end: zip readers see the second one's directory, and the first one's members are then
    members it does not list (unverifiable), or its people are found (block)."""
    base = clean(fmt)
    assert base is not None
    assert check_bytes(base + _roster_zip(13), f"stats.{fmt}").verdict.value in ("block", "unverifiable")


def test_a_roster_csv_after_a_zip_blocks() -> None:
    blob = clean("zip") + _csv(roster(12))
    assert check_bytes(blob, "stats.zip").verdict.value == "block"


def test_bytes_of_no_known_format_after_the_end_are_unverifiable() -> None:
    blob = clean("pdf") + os.urandom(4096)
    assert check_bytes(blob, "stats.pdf").verdict.value == "unverifiable"


@pytest.mark.parametrize("tail", [b"", b"\n", b"\r\n\x00\x00\x00   \n"])
def test_padding_after_the_end_is_not_data(tail: bytes) -> None:
    for fmt in ("pdf", "zip", "xlsx"):
        blob = clean(fmt)
        assert blob is not None
        assert appended_data(blob + tail, fmt if fmt == "pdf" else "zip") is None
        assert unreadable(read_units(blob + tail, f"stats.{fmt}")) == []


def test_a_zip_comment_is_part_of_the_zip() -> None:
    blob = bytearray(clean("zip") or b"")
    at = blob.rfind(b"PK\x05\x06")
    comment = b"Monthly statistics"
    blob[at + 20 : at + 22] = len(comment).to_bytes(2, "little")
    assert appended_data(bytes(blob) + comment, "zip") is None


def _sqlite(tmp_path: object) -> bytes:
    import sqlite3
    from pathlib import Path

    path = Path(str(tmp_path)) / "stats.db"
    with sqlite3.connect(path) as db:
        db.execute("create table totals (country text, applications int)")
        db.executemany("insert into totals values (?, ?)", [(r[0], int(r[1])) for r in AGGREGATE_ROWS])
    return path.read_bytes()


AGGREGATE_ROWS = [["Honduras", "1204"], ["Guatemala", "988"], ["Mexico", "2310"]]


@pytest.mark.parametrize("kind", ["xls", "doc", "ppt", "sqlite"])
def test_a_roster_csv_after_an_ole_file_or_a_database_is_read(kind: str, tmp_path: object) -> None:
    from support.doc_factory import make_doc, make_ppt
    from veil.readers.appended import ole_end, sqlite_end

    base = {
        "xls": lambda: clean("xls"),
        "doc": lambda: make_doc(3)[0],
        "ppt": lambda: make_ppt(3)[0],
        "sqlite": lambda: _sqlite(tmp_path),
    }[kind]()
    assert base is not None
    end = sqlite_end(base) if kind == "sqlite" else ole_end(base)
    assert end == len(base)  # the format's own end is exactly the file's
    assert appended_data(base, kind) is None
    found = appended_data(base + _csv(roster(14)), kind)
    assert found is not None and found[0] == len(base)
    if kind in ("xls", "sqlite"):  # clean bases: the appended roster is what blocks
        assert check_bytes(base + _csv(roster(14)), f"stats.{kind}").verdict.value == "block"
