"""Archive reader: members back through the readers, names as text, and bombs/passwords/nesting fail closed."""

from __future__ import annotations

import bz2
import gzip
import lzma
import time

import pytest

from support.doc_factory import (
    encrypt_flag,
    make_docx,
    nested_zip,
    read_units,
    roster_csv,
    secrets_for,
    seven_zip_bytes,
    tar_bytes,
    unreadable,
    where_is,
    zip_bytes,
)
from veil.readers.units import Notice, Text

PEOPLE = list(secrets_for(["a", "b", "c"], 31).values())
CSV = roster_csv(PEOPLE)
MEMBER_NAME = "GARCIA_JOSE_A123456789.csv"


def _member_hits(units: list, name: str) -> list[tuple[str, str]]:
    return [h for h in where_is(units, PEOPLE[0]) if h[0].startswith(f"member '{name}'")]


@pytest.mark.parametrize("kind", ["zip", "tar", "tar.gz", "tar.bz2", "tar.xz", "7z"])
def test_members_are_read_and_named(kind: str) -> None:
    members = {MEMBER_NAME: CSV, "notes/readme.txt": b"Nothing here.\n"}
    blob = {
        "zip": lambda: zip_bytes(members),
        "tar": lambda: tar_bytes(members),
        "tar.gz": lambda: tar_bytes(members, "w:gz"),
        "tar.bz2": lambda: tar_bytes(members, "w:bz2"),
        "tar.xz": lambda: tar_bytes(members, "w:xz"),
        "7z": lambda: seven_zip_bytes(members),
    }[kind]()
    units = read_units(blob, f"bundle.{kind}")
    assert unreadable(units) == []
    hits = _member_hits(units, MEMBER_NAME)
    assert hits and all(vis == "archive-member" for _, vis in hits)
    names = [u for u in units if isinstance(u, Text) and u.location.endswith("› file name")]
    assert any(u.file_name == MEMBER_NAME and u.visibility.value == "archive-member" for u in names)


@pytest.mark.parametrize("compress,name", [(gzip.compress, "roster.csv.gz"), (bz2.compress, "roster.csv.bz2"),
                                           (lzma.compress, "roster.csv.xz")])
def test_single_compressed_file(compress, name: str) -> None:
    units = read_units(compress(CSV), name)
    assert unreadable(units) == []
    assert any(loc.endswith("member 'roster.csv' › rows 1-4 (comma-separated, utf-8)") or "roster.csv" in loc
               for loc, _ in where_is(units, PEOPLE[0]))


def test_nested_archive_and_hidden_visibility_survives() -> None:
    docx, secrets = make_docx(seed=8)
    blob = zip_bytes({"outer/report.docx": docx})
    units = read_units(blob, "release.zip")
    hits = where_is(units, secrets["vanish"])
    assert hits == [("member 'outer/report.docx' › word/document.xml paragraph 3 (hidden text)", "hidden-text")]


def test_password_protected_zip_member_is_unreadable_by_name() -> None:
    blob = encrypt_flag(zip_bytes({"secret.csv": CSV, "open.txt": b"hello there\n"}), "secret.csv")
    units = read_units(blob, "x.zip")
    bad = unreadable(units)
    assert [(u.location, u.reason) for u in bad] == [("member 'secret.csv'", "the member is password-protected")]


def test_password_protected_7z_is_unreadable() -> None:
    blob = seven_zip_bytes({"secret.csv": CSV}, password="pw")
    units = read_units(blob, "x.7z")
    assert unreadable(units) and all("password" in u.reason for u in unreadable(units))


def test_zip_bomb_member_is_refused_quickly() -> None:
    blob = zip_bytes({"zeros.csv": b"0" * (50 * 1024 * 1024)})
    assert len(blob) < 200_000
    started = time.perf_counter()
    units = read_units(blob, "bomb.zip")
    assert time.perf_counter() - started < 5
    assert any("zip bomb" in u.reason for u in unreadable(units))


@pytest.mark.parametrize("mode", ["w:gz", "w:bz2", "w:xz"])
def test_compressed_tar_bomb_is_refused(mode: str) -> None:
    blob = tar_bytes({"zeros.csv": b"\x00" * (20 * 1024 * 1024)}, mode)
    started = time.perf_counter()
    units = read_units(blob, "bomb.tar")
    assert time.perf_counter() - started < 10
    assert any("bomb" in u.reason for u in unreadable(units))


def test_seven_zip_bomb_is_refused() -> None:
    blob = seven_zip_bytes({"zeros.csv": b"\x00" * (20 * 1024 * 1024)})
    units = read_units(blob, "bomb.7z")
    assert any("bomb" in u.reason for u in unreadable(units))


def test_deep_nesting_stops_at_the_depth_limit() -> None:
    units = read_units(nested_zip(8, CSV), "deep.zip")
    assert any("nested deeper" in u.reason for u in unreadable(units))


def test_member_count_holds_across_nested_archives() -> None:
    inner = zip_bytes({f"f{i}.txt": b"x" for i in range(4)})
    blob = zip_bytes({f"z{i}.zip": inner for i in range(4)})
    units = read_units(blob, "many.zip", max_members=10)
    assert any("more than 10 members" in u.reason for u in unreadable(units))


def test_truncated_zip_is_unreadable() -> None:
    blob = zip_bytes({MEMBER_NAME: CSV * 50})
    assert unreadable(read_units(blob[: len(blob) // 2], "cut.zip"))


@pytest.mark.parametrize("blob", [gzip.compress(CSV)[:-12], bz2.compress(CSV)[:-10], b"\x1f\x8b\x08\x00garbage"])
def test_truncated_or_corrupt_stream_is_unreadable(blob: bytes) -> None:
    bad = unreadable(read_units(blob, "cut.gz"))
    assert bad and bad[0].reason.startswith("the ")


def test_links_are_not_followed() -> None:
    blob = tar_bytes({"a.txt": b"plain words\n"}, links={"passwd": "/etc/passwd"})
    units = read_units(blob, "x.tar")
    assert any(isinstance(u, Notice) and "link" in u.message for u in units)
    assert unreadable(units) == []


def test_macos_resource_forks_are_skipped() -> None:
    blob = zip_bytes({"a.txt": b"plain words\n", "__MACOSX/._a.txt": b"\x00\x05\x16\x07" + b"\x00" * 60})
    units = read_units(blob, "mac.zip")
    assert unreadable(units) == []


def test_end_to_end_a_roster_in_a_zip_blocks_and_its_listing_is_text() -> None:
    from support.doc_factory import verdict

    assert verdict(zip_bytes({MEMBER_NAME: CSV}), "release.zip") == "block"


@pytest.mark.parametrize("index", range(8))
def test_damaged_archives_fail_closed_with_a_reason(index: int) -> None:
    from support.doc_factory import assert_fails_closed, mutations

    kinds = [(zip_bytes({MEMBER_NAME: CSV}), "x.zip"), (tar_bytes({MEMBER_NAME: CSV}, "w:gz"), "x.tgz"),
             (seven_zip_bytes({MEMBER_NAME: CSV}), "x.7z")]
    blob, name = kinds[index % 3]
    assert_fails_closed(mutations(blob, seed=index, count=index + 1)[index], name)
