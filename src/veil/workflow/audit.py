"""The audit log as a hash chain. Each entry hashes (seq, created, actor, event, payload, previous hash); the
`audit_head` row holds the newest (seq, hash). `verify()` recomputes everything and reports edited, deleted or
reordered entries, including deleted newest entries (the head no longer matches).

Appends are serialised: SQLite write transactions are already exclusive (BEGIN IMMEDIATE); PostgreSQL takes a
transaction-scoped advisory lock, so two workers never both extend the same head.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from veil.store.models_audit import AuditEntry, AuditHead
from veil.workflow.events import Event

GENESIS = "0" * 64
_LOCK_KEY = 7715002


def _canonical(seq: int, created: datetime, actor: str, event: str, payload: Any, prev: str) -> bytes:
    body = {"seq": seq, "created": created.isoformat(timespec="microseconds"), "actor": actor, "event": event,
            "payload": payload, "prev": prev}
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def entry_hash(entry: AuditEntry) -> str:
    return hashlib.sha256(_canonical(entry.seq, entry.created, entry.actor, entry.event, entry.payload,
                                     entry.prev_hash)).hexdigest()


def append(session: Session, event: Event) -> AuditEntry:
    """Append one event in the caller's transaction (so the event and the change it records commit together)."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_KEY})
    head = session.get(AuditHead, 1)
    seq, prev = (head.seq + 1, head.hash) if head else (1, GENESIS)
    payload = json.loads(json.dumps(event.payload(), default=str))
    entry = AuditEntry(seq=seq, created=event.created, actor=event.actor[:64], event=event.name, payload=payload,
                       prev_hash=prev, hash="")
    entry.hash = entry_hash(entry)
    session.add(entry)
    if head is None:
        session.add(AuditHead(id=1, seq=seq, hash=entry.hash))
    else:
        head.seq, head.hash = seq, entry.hash
    session.flush()
    return entry


@dataclass
class Verification:
    entries: int = 0
    problems: list[str] = field(default_factory=list)
    head: str = GENESIS

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(session: Session, batch: int = 2000, expected: dict[int, str] | None = None) -> Verification:
    """Walk the whole chain in seq order (in batches: bounded memory) and report every break found. `expected`
    maps seq -> hash from signed checkpoints kept outside the database (veil.workflow.audit_anchor): each of
    those entries must still exist and carry that hash."""
    expected = expected or {}
    result = Verification()
    expected_seq, prev = 1, GENESIS
    last_id = 0
    for entry in _iter_entries(session, batch):
        result.entries += 1
        if entry.seq != expected_seq:
            result.problems.append(f"entry {entry.seq}: expected sequence number {expected_seq} (deleted entry?)")
        if entry.id < last_id:
            result.problems.append(f"entry {entry.seq}: stored out of order (reordered?)")
        last_id = entry.id
        if entry.prev_hash != prev:
            result.problems.append(f"entry {entry.seq}: does not link to the previous entry (deleted or reordered?)")
        if entry_hash(entry) != entry.hash:
            result.problems.append(f"entry {entry.seq}: content does not match its hash (edited?)")
        if entry.seq in expected and expected[entry.seq] != entry.hash:
            result.problems.append(f"entry {entry.seq}: differs from the signed checkpoint of that entry "
                                   "(the log was rewritten from here or earlier)")
        expected_seq, prev = entry.seq + 1, entry.hash
    head = session.get(AuditHead, 1)
    if head is None:
        if result.entries:
            result.problems.append("the chain head record is missing")
    elif head.seq != expected_seq - 1 or head.hash != prev:
        result.problems.append(f"the chain ends at entry {expected_seq - 1} but the head records entry {head.seq} "
                               "(newest entries deleted?)")
    beyond = [seq for seq in expected if seq >= expected_seq]
    if beyond:
        result.problems.append(f"a signed checkpoint saw {max(beyond)} entries but the log ends at entry "
                               f"{expected_seq - 1} (newest entries deleted, or the whole log?)")
    result.head = prev
    return result


def _iter_entries(session: Session, batch: int) -> Iterator[AuditEntry]:
    after = 0
    while True:
        rows = session.scalars(select(AuditEntry).where(AuditEntry.seq > after).order_by(AuditEntry.seq)
                               .limit(batch)).all()
        if not rows:
            return
        yield from rows
        after = rows[-1].seq
        session.expunge_all()


def page(session: Session, offset: int = 0, limit: int = 100, event: str | None = None) -> list[AuditEntry]:
    query = select(AuditEntry).order_by(AuditEntry.seq.desc()).offset(offset).limit(limit)
    if event:
        query = query.where(AuditEntry.event == event)
    return list(session.scalars(query))


def entry_dict(entry: AuditEntry) -> dict[str, Any]:
    return {"seq": entry.seq, "created": entry.created.isoformat(timespec="microseconds"), "actor": entry.actor,
            "event": entry.event, "payload": entry.payload, "prev_hash": entry.prev_hash, "hash": entry.hash}
