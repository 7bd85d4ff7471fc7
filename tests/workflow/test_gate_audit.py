"""The audit hash chain: editing, deleting or reordering entries is detected."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, update

from veil.store.models_audit import AuditEntry
from veil.workflow import audit
from veil.workflow.events import Approved, LoggedIn, Rejected
from veil.workflow.gate import Gate


@pytest.fixture
def chain(gate: Gate) -> Gate:
    with gate.db.write() as s:
        for i in range(5):
            audit.append(s, LoggedIn(actor=f"user{i}"))
        audit.append(s, Approved(actor="bob", release_id=1, sha256s=("a" * 64,)))
        audit.append(s, Rejected(actor="carol", release_id=1, comment="wrong quarter"))
    return gate


def verify(gate: Gate) -> audit.Verification:
    with gate.db.read() as s:
        return audit.verify(s)


def test_an_untouched_chain_verifies(chain: Gate) -> None:
    result = verify(chain)
    assert result.ok and result.entries == 7


def test_an_edited_entry_is_detected(chain: Gate) -> None:
    with chain.db.write() as s:
        s.execute(update(AuditEntry).where(AuditEntry.seq == 6).values(payload={"release_id": 2,
                                                                                 "sha256s": ["b" * 64]}))
    result = verify(chain)
    assert not result.ok and any("entry 6" in p and "edited" in p for p in result.problems)


def test_an_edited_actor_is_detected(chain: Gate) -> None:
    with chain.db.write() as s:
        s.execute(update(AuditEntry).where(AuditEntry.seq == 2).values(actor="mallory"))
    assert not verify(chain).ok


def test_a_deleted_entry_is_detected(chain: Gate) -> None:
    with chain.db.write() as s:
        s.execute(delete(AuditEntry).where(AuditEntry.seq == 3))
    result = verify(chain)
    assert not result.ok and any("entry 4" in p for p in result.problems)


def test_deleting_the_newest_entry_is_detected(chain: Gate) -> None:
    with chain.db.write() as s:
        s.execute(delete(AuditEntry).where(AuditEntry.seq == 7))
    result = verify(chain)
    assert not result.ok and any("head" in p for p in result.problems)


def test_reordered_entries_are_detected(chain: Gate) -> None:
    with chain.db.write() as s:
        rows = {e.seq: e for e in s.scalars(select(AuditEntry).where(AuditEntry.seq.in_([2, 3])))}
        a, b = rows[2], rows[3]
        a_vals = (a.actor, a.created, a.payload, a.prev_hash, a.hash)
        a.actor, a.created, a.payload, a.prev_hash, a.hash = b.actor, b.created, b.payload, b.prev_hash, b.hash
        b.actor, b.created, b.payload, b.prev_hash, b.hash = a_vals
    assert not verify(chain).ok


def test_events_carry_actor_and_time_and_are_frozen() -> None:
    event = Approved(actor="bob", release_id=1, sha256s=("a" * 64,))
    assert event.created.tzinfo is not None
    assert event.payload() == {"release_id": 1, "sha256s": ["a" * 64]}
    with pytest.raises(AttributeError):
        event.actor = "mallory"  # type: ignore[misc]
