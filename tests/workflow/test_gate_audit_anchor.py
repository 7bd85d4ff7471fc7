"""The audit chain anchored outside the database: someone who can write the database cannot truncate, delete or
rewrite the log without `verify` failing against the signed checkpoints."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from sqlalchemy import delete, select, text
from typer.testing import CliRunner

from support.gate import make_cast, make_release
from veil.cli import app
from veil.store.models_audit import AuditEntry, AuditHead
from veil.workflow import audit, audit_anchor
from veil.workflow.audit_anchor import Anchor, AnchorSettings
from veil.workflow.gate import Gate


@pytest.fixture
def anchored(gate: Gate, tmp_path: Path) -> tuple[Gate, AnchorSettings]:
    settings = AnchorSettings.for_data_dir(tmp_path / "anchor")
    make_cast(gate)
    make_release(gate, {"a.txt": b"hello", "b.txt": b"LEAK world"})
    audit_anchor.checkpoint(gate.db, settings)
    return gate, settings


def _verify(gate: Gate, settings: AnchorSettings) -> audit_anchor.AnchoredVerification:
    with gate.db.read() as s:
        return audit_anchor.verify(s, settings)


def _problems(result: audit_anchor.AnchoredVerification) -> str:
    return " | ".join(result.chain.problems + result.problems)


def test_an_untouched_log_verifies_against_its_checkpoint(anchored: tuple[Gate, AnchorSettings]) -> None:
    gate, settings = anchored
    result = _verify(gate, settings)
    assert result.ok and result.last is not None and result.last.seq == result.chain.entries > 10
    assert oct(settings.key_path.stat().st_mode & 0o777) == "0o600"
    line = json.loads(settings.checkpoint_file.read_text().splitlines()[-1])  # type: ignore[union-attr]
    assert set(line) == {"v", "seq", "head", "created", "key", "sig"}


def test_deleting_the_newest_entries_and_moving_the_head_is_caught(anchored: tuple[Gate, AnchorSettings]) -> None:
    gate, settings = anchored
    with gate.db.write() as s:
        newest = s.scalar(select(AuditHead.seq))
        s.execute(delete(AuditEntry).where(AuditEntry.seq > newest - 3))
        kept = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        s.execute(text("UPDATE audit_head SET seq = :seq, hash = :hash"), {"seq": kept.seq, "hash": kept.hash})
        assert audit.verify(s).ok  # the chain alone cannot tell
    result = _verify(gate, settings)
    assert not result.ok and "newest entries deleted" in _problems(result)


def test_deleting_the_whole_log_is_caught(anchored: tuple[Gate, AnchorSettings]) -> None:
    gate, settings = anchored
    with gate.db.write() as s:
        s.execute(delete(AuditEntry))
        s.execute(delete(AuditHead))
        assert audit.verify(s).ok and audit.verify(s).entries == 0  # "intact: 0 entries"
    result = _verify(gate, settings)
    assert not result.ok and "whole log" in _problems(result)


def test_editing_an_entry_and_recomputing_every_later_hash_is_caught(anchored: tuple[Gate, AnchorSettings]) -> None:
    gate, settings = anchored
    with gate.db.write() as s:
        entries = list(s.scalars(select(AuditEntry).order_by(AuditEntry.seq)))
        entries[4].actor = "someone-else"
        prev = entries[3].hash
        for entry in entries[4:]:
            entry.prev_hash = prev
            entry.hash = audit.entry_hash(entry)
            prev = entry.hash
        s.execute(text("UPDATE audit_head SET hash = :hash"), {"hash": prev})
        s.flush()
        assert audit.verify(s).ok  # a consistent forgery, as far as the database can tell
    result = _verify(gate, settings)
    assert not result.ok and "differs from the signed checkpoint" in _problems(result)


def test_an_edited_or_forged_checkpoint_is_caught(anchored: tuple[Gate, AnchorSettings]) -> None:
    gate, settings = anchored
    path = settings.checkpoint_file
    assert path is not None
    doc = json.loads(path.read_text().splitlines()[-1])
    doc["seq"] -= 2  # make the checkpoint agree with a log whose two newest entries were deleted
    path.write_text(json.dumps(doc) + "\n")
    result = _verify(gate, settings)
    assert not result.ok and "signature does not match" in _problems(result)
    other = AnchorSettings.for_data_dir(path.parent / "other")
    path.write_text(audit_anchor.checkpoint(gate.db, other).line() + "\n")  # signed, but by another key
    assert "signed by another key" in _problems(_verify(gate, settings))


def test_a_deleted_checkpoint_file_is_caught(anchored: tuple[Gate, AnchorSettings]) -> None:
    gate, settings = anchored
    assert settings.checkpoint_file is not None
    settings.checkpoint_file.unlink()
    result = _verify(gate, settings)
    assert not result.ok and "missing" in _problems(result)


def test_without_a_key_the_chain_is_checked_alone_and_a_note_says_so(gate: Gate, tmp_path: Path) -> None:
    make_cast(gate)
    result = _verify(gate, AnchorSettings.for_data_dir(tmp_path / "none"))
    assert result.ok and "only against itself" in result.notes[0]


def test_checkpoints_go_to_syslog_lines_and_time_stamp_requests_too(gate: Gate, tmp_path: Path) -> None:
    make_cast(gate)
    settings = AnchorSettings.for_data_dir(tmp_path, destinations=[f"file:{tmp_path / 'c.jsonl'}",
                                                                   f"tsq:{tmp_path / 'tsq'}"])
    cp = audit_anchor.checkpoint(gate.db, settings)
    request = (tmp_path / "tsq" / f"veil-audit-{cp.seq:010d}.tsq").read_bytes()
    assert request[0] == 0x30 and bytes.fromhex("0609608648016503040201") in request
    # A checkpoint read back from a syslog collector's file verifies like the file's own line.
    copy = tmp_path / "syslog.txt"
    copy.write_text(f"Dec  1 10:00:00 host veil-audit-checkpoint: {cp.line()}\n")
    with gate.db.read() as s:
        assert audit_anchor.verify(s, settings, copy).ok
    with pytest.raises(Exception, match="unknown checkpoint destination"):
        AnchorSettings.for_data_dir(tmp_path, destinations=["ftp://x"])


def test_the_server_thread_checkpoints_every_n_entries_and_at_stop(gate: Gate, tmp_path: Path) -> None:
    settings = AnchorSettings.for_data_dir(tmp_path, every_events=5, every_seconds=3600)
    anchor = Anchor(gate.db, settings, poll=0.05)
    assert anchor.tick(force=True) is not None  # at start
    make_cast(gate)  # one entry per user: at least 5
    cast = _entries(gate)
    written = anchor.tick()
    assert cast >= 5 and written is not None and written.seq == cast
    assert anchor.tick() is None  # nothing new
    make_release(gate, {"a.txt": b"x"}, scan=False)  # 2 more: below 5
    assert anchor.tick() is None
    anchor.start()
    anchor.stop()  # writes one at stop
    lines = settings.checkpoint_file.read_text().splitlines()  # type: ignore[union-attr]
    assert [json.loads(x)["seq"] for x in lines] == [0, cast, cast + 2]


def _entries(gate: Gate) -> int:
    with gate.db.read() as s:
        return len(audit.page(s, limit=10_000))


def test_cli_checkpoint_and_verify_fail_on_truncation(tmp_path: Path) -> None:
    data = tmp_path / "gate"
    runner = CliRunner()
    env = {"VEIL_PASSWORD": "correct horse battery"}
    for name in ("ann", "bob", "cat"):
        assert runner.invoke(app, ["admin", "create-user", name, "--role", "reviewer", "--data-dir", str(data)],
                             env=env).exit_code == 0
    done = runner.invoke(app, ["audit", "checkpoint", "--data-dir", str(data)])
    assert done.exit_code == 0 and "checkpoint signed: entry 3" in done.output
    ok = runner.invoke(app, ["audit", "verify", "--data-dir", str(data)])
    assert ok.exit_code == 0 and "matches 1 signed checkpoint(s) up to entry 3" in ok.output
    gate = Gate.open(data)
    try:
        with gate.db.write() as s:
            s.execute(delete(AuditEntry).where(AuditEntry.seq == 3))
            kept = s.scalars(select(AuditEntry).where(AuditEntry.seq == 2)).one()
            s.execute(text("UPDATE audit_head SET seq = 2, hash = :h"), {"h": kept.hash})
    finally:
        gate.close()
    broken = runner.invoke(app, ["audit", "verify", "--data-dir", str(data)])
    assert broken.exit_code == 1 and "newest entries deleted" in broken.output
    moved = tmp_path / "elsewhere.key"
    os.replace(data / "audit-anchor.key", moved)
    assert runner.invoke(app, ["audit", "verify", "--data-dir", str(data), "--audit-key", str(moved)]).exit_code == 1
