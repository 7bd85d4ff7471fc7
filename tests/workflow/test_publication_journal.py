"""A publication is all or nothing, through crashes: the site shows the old files or all the new ones; a restart
finishes or rolls back what was in flight, with an audit event either way; no partial file is ever in the public
folder; file/folder collisions are a clear 409."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from veil.store.models_audit import AuditEntry
from veil.workflow import audit
from veil.workflow.errors import Refused
from veil.workflow.gate import Gate
from veil.workflow.publication_journal import Item, PublicationJournal, check_collisions, journal_folder, recover

FILES = 40


def _items(n: int = FILES, size: int = 50_000) -> list[Item]:
    out = []
    for i in range(n):
        data = (f"new file {i}\n".encode() * (size // 12))[:size]
        out.append(Item(f"stats/q{i % 4}/file-{i:02d}.csv", hashlib.sha256(data).hexdigest(), data))
    return out


def _snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _site(gate: Gate) -> Path:
    root: Path = gate.site.root  # type: ignore[attr-defined]
    for i in range(0, FILES, 3):  # some of the files are replaced, the others are new
        target = root / f"stats/q{i % 4}/file-{i:02d}.csv"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(f"old file {i}\n".encode())
    (root / "index.html").write_bytes(b"<h1>statistics</h1>")
    return root


def _journals(gate: Gate) -> Path:
    folder = journal_folder(gate.site)
    assert folder is not None
    return folder


def _events(gate: Gate, name: str) -> list[AuditEntry]:
    with gate.db.read() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.event == name)))


def test_an_error_half_way_puts_the_site_back_exactly(gate: Gate) -> None:
    root = _site(gate)
    before = _snapshot(root)
    journal = PublicationJournal.begin(gate.site, 7, "paul", _items())

    def crash(n: int) -> None:
        if n == 17:
            raise OSError("disk full")

    with pytest.raises(OSError):
        journal.apply(after_each=crash)
    journal.rollback()
    assert _snapshot(root) == before
    assert not any(_journals(gate).iterdir())


def test_kill_9_during_a_publication_of_40_files_is_rolled_back_at_restart(gate: Gate, tmp_path: Path) -> None:
    root = _site(gate)
    before = _snapshot(root)
    script = textwrap.dedent(f"""
        import hashlib, time
        from pathlib import Path
        from veil.workflow.publication_journal import Item, PublicationJournal
        from veil.workflow.publishing import DirectorySite
        items = []
        for i in range({FILES}):
            data = (f"new file {{i}}\\n".encode() * 4000)[:50000]
            items.append(Item(f"stats/q{{i % 4}}/file-{{i:02d}}.csv", hashlib.sha256(data).hexdigest(), data))
        journal = PublicationJournal.begin(DirectorySite(Path({str(root)!r})), 7, "paul", items)
        journal.apply(after_each=lambda n: time.sleep(0.05))
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # kill it once some, but not all, new files are live
        live = sum(1 for p in root.rglob("*.csv") if p.read_bytes().startswith(b"new"))
        if live >= 9:
            break
        time.sleep(0.01)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert sum(1 for p in root.rglob("*.csv") if p.read_bytes().startswith(b"new")) < FILES  # killed mid-way
    outcomes = recover(gate)
    assert len(outcomes) == 1 and "rolled back (40 file(s))" in outcomes[0]
    assert _snapshot(root) == before
    event = _events(gate, "publication-recovered")[0]
    assert event.payload["outcome"] == "rolled-back" and event.payload["release_id"] == 7
    assert len(event.payload["paths"]) == FILES
    with gate.db.read() as s:
        assert audit.verify(s).ok
    assert recover(gate) == []  # settled once


def test_a_publication_that_committed_is_finished_at_restart(gate: Gate) -> None:
    root = _site(gate)
    items = _items()
    journal = PublicationJournal.begin(gate.site, 8, "paul", items)
    journal.apply()
    with gate.db.write() as s:
        journal.commit(s)
    # killed here: committed, but the staging folder was never removed
    outcomes = recover(gate)
    assert "finished (40 file(s))" in outcomes[0]
    assert all((root / i.path).read_bytes() == i.data for i in items)
    assert _events(gate, "publication-recovered")[0].payload["outcome"] == "finished"
    assert not any(_journals(gate).iterdir())


def test_the_public_folder_never_holds_a_partial_or_temporary_file(gate: Gate) -> None:
    root = _site(gate)
    items = {i.path: i.data for i in _items()}
    old = _snapshot(root)
    seen: list[str] = []

    def look(n: int) -> None:
        for path, data in _snapshot(root).items():
            if data not in (items.get(path), old.get(path)):
                seen.append(path)

    journal = PublicationJournal.begin(gate.site, 9, "paul", _items())
    look(-1)  # staged, nothing on the site yet
    journal.apply(after_each=look)
    journal.finish()
    assert seen == []
    assert not _journals(gate).is_relative_to(root)


def test_collisions_between_files_and_folders_are_refused_with_409(gate: Gate) -> None:
    root = _site(gate)
    (root / "stats" / "garcia-a123456789.csv").mkdir()
    with pytest.raises(Refused, match="a folder of that name") as err:
        check_collisions(root, ["stats/garcia-a123456789.csv"])
    assert err.value.status == 409
    with pytest.raises(Refused, match="a file where its folder must go"):
        check_collisions(root, ["index.html/roster.csv"])
    with pytest.raises(Refused, match="another file of this publication"):
        check_collisions(root, ["a/b", "a/b/c.csv"])
    with pytest.raises(Refused):
        PublicationJournal.begin(gate.site, 1, "paul", [Item("index.html/x.csv", "0" * 64, b"x")])
    assert not _journals(gate).exists()  # refused before anything was staged
    check_collisions(root, ["stats/new.csv", "index.html"])  # replacing a file is fine


def test_recover_ignores_a_gate_without_a_directory_site(gate: Gate) -> None:
    assert recover(SimpleNamespace(db=gate.db, site=object())) == []


def test_bound_to_the_callers_transaction_commit_finishes_and_rollback_undoes(gate: Gate) -> None:
    root = _site(gate)
    before = _snapshot(root)
    with pytest.raises(RuntimeError):
        with gate.db.write() as s:
            journal = PublicationJournal.begin(gate.site, 10, "paul", _items())
            journal.bind(s)
            journal.apply()
            journal.commit(s)
            raise RuntimeError("the publication record could not be written")
    assert _snapshot(root) == before and not any(_journals(gate).iterdir())
    items = _items()
    with gate.db.write() as s:
        journal = PublicationJournal.begin(gate.site, 11, "paul", items)
        journal.bind(s)
        journal.apply()
        journal.commit(s)
    assert all((root / i.path).read_bytes() == i.data for i in items)
    assert not any(_journals(gate).iterdir()) and recover(gate) == []
