"""Quarantine: one rename out of the public tree, bytes kept under their sha256, a sidecar naming the paths."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from veil.watch.takedown import Quarantine, TakedownFailed


def test_files_are_moved_and_kept_by_hash(tmp_path: Path) -> None:
    public = tmp_path / "public"
    (public / "a").mkdir(parents=True)
    (public / "a" / "one.xlsx").write_bytes(b"same bytes")
    (public / "two.xlsx").write_bytes(b"same bytes")
    q = Quarantine(tmp_path / "quarantine", public)
    first = q.take_down("a/one.xlsx", ("block",))
    second = q.take_down("two.xlsx", ("never-approved",))
    sha = hashlib.sha256(b"same bytes").hexdigest()
    assert first.sha256 == second.sha256 == sha and first.size == 10
    assert not (public / "a" / "one.xlsx").exists() and not (public / "two.xlsx").exists()
    assert sorted(p.name for p in (tmp_path / "quarantine").iterdir()) == [f"{sha}.sealed", f"{sha}.sealed.json"]
    meta = json.loads((tmp_path / "quarantine" / f"{sha}.sealed.json").read_text())
    assert [m["public_path"] for m in meta] == ["a/one.xlsx", "two.xlsx"]
    sealed = tmp_path / "quarantine" / f"{sha}.sealed"
    assert oct(sealed.stat().st_mode & 0o777) == "0o600"
    assert b"same bytes" not in sealed.read_bytes() and q.read(sha) == b"same bytes"


def test_a_symlink_is_moved_not_its_target(tmp_path: Path) -> None:
    public = tmp_path / "public"
    public.mkdir()
    target = tmp_path / "elsewhere.txt"
    target.write_text("x")
    os.symlink(target, public / "link.txt")
    Quarantine(tmp_path / "q", public).take_down("link.txt")
    assert not (public / "link.txt").is_symlink() and target.exists()


def test_refusals(tmp_path: Path) -> None:
    public = tmp_path / "public"
    (public / "folder").mkdir(parents=True)
    q = Quarantine(tmp_path / "q", public)
    with pytest.raises(TakedownFailed, match="outside the public tree"):
        q.take_down("../escape.txt")
    with pytest.raises(TakedownFailed, match="outside the public tree"):
        q.take_down(".")
    with pytest.raises(TakedownFailed, match="folder"):
        q.take_down("folder")
    with pytest.raises(TakedownFailed, match="gone before"):
        q.take_down("missing.txt")
