"""The publisher writes its temp files outside the public tree and renames them in: the public tree never holds a
temp file or half a file, and a file/folder clash is a clear refusal that names no path."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from veil.atomic_files import TEMP_PREFIX
from veil.errors import UsageError
from veil.workflow.errors import Refused
from veil.workflow.publishing import STAGING_NAME, DirectorySite


def _all_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def test_temp_files_are_staged_beside_the_public_tree_and_renamed_in(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    site = DirectorySite(tmp_path / "public")
    staged_in: list[str] = []
    real_replace = os.replace

    def watching_replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
        staged_in.append(str(Path(source).parent))
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", watching_replace)
    site.put("stats/2024/q3.csv", b"a,b\n1,2\n")
    assert staged_in == [str(tmp_path / STAGING_NAME)]
    assert _all_files(tmp_path / "public") == ["stats/2024/q3.csv"]
    assert (tmp_path / "public/stats/2024/q3.csv").stat().st_mode & 0o777 == 0o644
    assert list((tmp_path / STAGING_NAME).iterdir()) == []


def test_the_staging_folder_cannot_be_inside_the_public_tree(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="outside the public tree"):
        DirectorySite(tmp_path / "public", staging=tmp_path / "public" / ".staging")


def test_a_file_folder_clash_is_refused_without_naming_the_path(tmp_path: Path) -> None:
    site = DirectorySite(tmp_path / "public")
    site.put("GARCIA-A123456789/notes.txt", b"x")
    with pytest.raises(Refused) as refused:
        site.put("GARCIA-A123456789", b"y")
    assert "GARCIA" not in str(refused.value) and "same name" in str(refused.value)
    assert list((tmp_path / STAGING_NAME).iterdir()) == []


def test_stale_staged_files_of_a_crashed_writer_are_cleaned(tmp_path: Path) -> None:
    site = DirectorySite(tmp_path / "public")
    staging = tmp_path / STAGING_NAME
    staging.mkdir()
    old, fresh = staging / f"{TEMP_PREFIX}old", staging / f"{TEMP_PREFIX}fresh"
    old.write_bytes(b"left by a crash")
    fresh.write_bytes(b"being written right now")
    an_hour_ago = time.time() - 7200
    os.utime(old, (an_hour_ago, an_hour_ago))
    assert site.clean_staging() == 1 and not old.exists() and fresh.exists()
