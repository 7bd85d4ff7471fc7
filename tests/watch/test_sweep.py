"""The sweep engine on a directory: approval comparison, today's checks, incremental state, bad input."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from support.store import fake_scanner
from veil.policy import load_policy
from veil.watch import scanning
from veil.watch.approvals import ApprovedList
from veil.watch.state import SweepState
from veil.watch.sweep import sweep_directory, takedown_reasons

LEAK_TEXT = b"Case notes\nGARCIA, Jose A123456789 granted asylum on 2021-03-04\n"
CONTACT_TEXT = b"For press enquiries contact the press office at press@agency.gov or 202-555-0143.\n"


def _tree(root: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_unapproved_and_replaced_files_are_findings(tmp_path: Path) -> None:
    pub = tmp_path / "pub"
    _tree(pub, {"stats/q3.txt": b"ok statistics\n", "stats/q4.txt": b"q4 approved\n", "drop.txt": b"unknown\n"})
    listing = tmp_path / "approved"
    listing.write_text(f"{_sha(b'ok statistics')}\n{_sha(b'ok statistics' + bytes([10]))}  ./stats/q3.txt\n"
                       f"{_sha(b'q4 approved' + bytes([10]))}  stats/q4.txt\n")
    (pub / "stats/q4.txt").write_bytes(b"q4 replaced behind the gate's back\n")
    report = sweep_directory(pub, load_policy(), approvals=ApprovedList.read(listing), scanner=fake_scanner)
    flagged = {i.path: i for i in report.flagged}
    assert set(flagged) == {"drop.txt", "stats/q4.txt"}
    assert flagged["drop.txt"].reasons == ("never-approved",)
    assert flagged["stats/q4.txt"].reasons == ("bytes-differ",)
    assert flagged["stats/q4.txt"].verdict.value == "block"
    assert report.files == 3


def test_without_a_list_only_the_checker_decides(tmp_path: Path) -> None:
    _tree(tmp_path, {"a.txt": b"fine\n", "b.txt": b"LEAK here\n", "c.txt": b"UNREADABLE\n"})
    report = sweep_directory(tmp_path, load_policy(), scanner=fake_scanner)
    assert {i.path: i.reasons for i in report.flagged} == {"b.txt": ("block",), "c.txt": ("unverifiable",)}
    assert all(i.takes_down(takedown_reasons(load_policy())) for i in report.flagged)


def test_unchanged_files_are_not_read_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pub = tmp_path / "pub"
    _tree(pub, {f"f{i}.txt": f"file {i}\n".encode() for i in range(20)} | {"leak.txt": b"LEAK\n"})
    state = SweepState(tmp_path / "state.sqlite")
    first = sweep_directory(pub, load_policy(), state=state, scanner=fake_scanner)
    assert first.scanned == 21 and len(first.flagged) == 1
    reads: list[str] = []
    real = scanning.read_file
    monkeypatch.setattr(scanning, "read_file", lambda p, limit: reads.append(p) or real(p, limit))
    second = sweep_directory(pub, load_policy(), state=state, scanner=fake_scanner)
    assert reads == [] and second.unchanged == 21
    assert [i.path for i in second.flagged] == ["leak.txt"]  # an unchanged flagged file is still a finding
    (pub / "f3.txt").write_bytes(b"LEAK now\n")
    (pub / "f4.txt").unlink()
    third = sweep_directory(pub, load_policy(), state=state, scanner=fake_scanner)
    assert reads == [str(pub / "f3.txt")]
    assert third.vanished == 1 and {i.path for i in third.flagged} == {"f3.txt", "leak.txt"}
    state.close()


def test_a_stricter_policy_flags_a_file_that_passed(tmp_path: Path) -> None:
    """The real checker: contact details are a note by default, a block under the stricter policy."""
    pub = tmp_path / "pub"
    _tree(pub, {"press.txt": CONTACT_TEXT})
    state = SweepState(tmp_path / "state.sqlite")
    assert sweep_directory(pub, load_policy(), state=state).flagged == []
    strict = tmp_path / "strict.yaml"
    strict.write_text("verdicts:\n  contact-details: block\n")
    report = sweep_directory(pub, load_policy(strict), state=state)
    assert report.scanned == 1  # re-read because the policy version changed, though the file did not
    assert [(i.path, i.reasons) for i in report.flagged] == [("press.txt", ("block",))]
    state.close()


def test_bad_input_is_reported_and_the_sweep_goes_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pub = tmp_path / "pub"
    _tree(pub, {"ok.txt": b"fine\n", "locked.txt": b"secret\n", "sub/deep.txt": b"fine too\n"})
    os.symlink("loop-b", pub / "loop-a")
    os.symlink("loop-a", pub / "loop-b")
    os.symlink("nowhere", pub / "dangling")
    os.symlink(str(pub / "sub"), pub / "dirlink")
    os.mkfifo(pub / "pipe")
    real = scanning.read_file

    def failing(path: str, limit: int) -> bytes | None:
        if path.endswith("locked.txt"):
            raise PermissionError(13, "Permission denied")
        return real(path, limit)

    monkeypatch.setattr(scanning, "read_file", failing)
    report = sweep_directory(pub, load_policy(), scanner=fake_scanner)
    reasons = {i.path: i.result.findings[0].message for i in report.flagged}
    assert reasons == {
        "dangling": "dangling symlink", "dirlink": "symlinked folder not followed: what it exposes is not verified",
        "locked.txt": "cannot read the file: Permission denied", "loop-a": "symlink loop", "loop-b": "symlink loop",
        "pipe": "not a regular file (device, pipe or socket)"}
    assert all(i.verdict.value == "unverifiable" for i in report.flagged)
    assert report.files == 8


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_a_file_without_read_permission_is_unverifiable(tmp_path: Path) -> None:
    (tmp_path / "locked.txt").write_bytes(b"x")
    (tmp_path / "locked.txt").chmod(0)
    report = sweep_directory(tmp_path, load_policy(), scanner=fake_scanner)
    assert [i.verdict.value for i in report.flagged] == ["unverifiable"]


def test_an_unlistable_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _tree(tmp_path, {"a/x.txt": b"fine\n", "b/y.txt": b"fine\n"})
    real = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if str(path).endswith("/a"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    report = sweep_directory(tmp_path, load_policy(), scanner=fake_scanner)
    assert [(i.path, i.result.findings[0].message) for i in report.flagged] == \
        [("a", "cannot list the folder: Permission denied")]
    assert report.files == 2


def test_many_changed_files_are_checked_in_a_process_pool(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(scanning, "POOL_MIN_FILES", 4)
    files = {f"f{i:02}.txt": f"Bulletin {i}: nothing personal.\n".encode() for i in range(6)}
    files["leak.txt"] = LEAK_TEXT
    _tree(tmp_path, files)
    report = sweep_directory(tmp_path, load_policy(), jobs=2)
    assert report.scanned == len(files)
    assert [(i.path, i.verdict.value) for i in report.flagged] == [("leak.txt", "block")]


def test_files_named_like_veils_temp_files_are_checked_too(tmp_path: Path) -> None:
    """The publisher stages outside the public tree, so a `.veil-tmp-*` name in it is no excuse to skip a file."""
    _tree(tmp_path, {".veil-tmp-abc123": b"LEAK roster saved under a temp name\n", ".hidden/.veil-tmp-x": b"LEAK\n",
                     "fine.txt": b"fine\n"})
    report = sweep_directory(tmp_path, load_policy(), scanner=fake_scanner)
    assert {i.path: i.reasons for i in report.flagged} == {".veil-tmp-abc123": ("block",),
                                                           ".hidden/.veil-tmp-x": ("block",)}
    assert report.files == 3


def test_a_targeted_sweep_reads_a_file_once_when_its_folder_is_named_too(tmp_path: Path) -> None:
    _tree(tmp_path, {"new/roster.txt": b"LEAK\n", "new/deeper/more.txt": b"LEAK\n", "other.txt": b"fine\n"})
    report = sweep_directory(tmp_path, load_policy(), scanner=fake_scanner,
                             only={"new", "new/roster.txt", "new/deeper/more.txt", "gone.txt"})
    assert [i.path for i in report.flagged] == ["new/deeper/more.txt", "new/roster.txt"] and report.files == 2
