"""write_atomically: all the new bytes or the old ones, and no temporary file left behind."""

from __future__ import annotations

from pathlib import Path

import pytest

from veil.atomic_files import write_atomically


def test_replaces_the_file_and_sets_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "site" / "stats.csv"
    write_atomically(target, b"old")
    write_atomically(target, b"new", mode=0o644)
    assert target.read_bytes() == b"new" and target.stat().st_mode & 0o777 == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["stats.csv"]


def test_a_failed_write_leaves_the_old_bytes_and_no_temporary(tmp_path: Path, monkeypatch) -> None:
    def fail(*_: object) -> None:
        raise OSError("disk full")

    target = tmp_path / "stats.csv"
    write_atomically(target, b"old")
    monkeypatch.setattr("veil.atomic_files.os.replace", fail)
    with pytest.raises(OSError):
        write_atomically(target, b"new")
    assert target.read_bytes() == b"old" and [p.name for p in tmp_path.iterdir()] == ["stats.csv"]
