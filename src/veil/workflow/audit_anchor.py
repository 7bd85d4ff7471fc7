"""The audit chain anchored outside the database: signed checkpoints.

A hash chain inside one database proves nothing against someone who can write that database: they can delete the
newest entries and move the head, delete everything, or edit an entry and recompute every later hash. So the gate
signs checkpoints, `(seq, head hash, time)` of the chain, with an Ed25519 key that is NOT in the database (a key
file, mode 0600, in the data directory or where the operator puts it), and appends them to places the operator
chooses, outside the database:

    file:PATH   one JSON line per checkpoint (default DATA_DIR/audit-checkpoints.jsonl; make it append-only,
                e.g. `chattr +a`, or put it on another machine's mount)
    syslog      the same line, to the local syslog (forward it off the host)
    tsq:DIR     an RFC 3161 time-stamp request (DER) for the checkpoint, for the operator to send to a
                time-stamping authority (`curl --data-binary @x.tsq -H 'Content-Type: application/timestamp-query'`)

`verify()` checks the chain and then every checkpoint against it: a checkpoint's entry must exist and carry the
signed hash. Truncation, deletion and rewriting are caught back to the newest checkpoint; entries written after
it are covered by the next one (the server writes one every `every_events` entries or `every_seconds`, and when it
stops).
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import secrets
import syslog
import time
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy.orm import Session

from veil.store.base import utcnow
from veil.store.engine import Database
from veil.store.models_audit import AuditHead
from veil.workflow import audit
from veil.workflow.background import WakeableThread
from veil.workflow.errors import Invalid

log = logging.getLogger(__name__)
KEY_FILE = "audit-anchor.key"
CHECKPOINT_FILE = "audit-checkpoints.jsonl"
_SYSLOG_TAG = "veil-audit-checkpoint"


@dataclass(frozen=True)
class AnchorSettings:
    key_path: Path
    destinations: tuple[str, ...]
    every_events: int = 100
    every_seconds: float = 600.0

    @classmethod
    def for_data_dir(cls, data_dir: str | Path, key: str | Path | None = None,
                     destinations: list[str] | tuple[str, ...] = (), every_events: int = 100,
                     every_seconds: float = 600.0) -> AnchorSettings:
        """The settings of `veil serve` and `veil audit`: the key file and destinations given, or the defaults
        in the data directory."""
        data = Path(data_dir)
        chosen = tuple(destinations) or (f"file:{data / CHECKPOINT_FILE}",)
        for dest in chosen:
            _parse_destination(dest)
        return cls(Path(key) if key else data / KEY_FILE, chosen, max(1, every_events), max(1.0, every_seconds))

    @property
    def checkpoint_file(self) -> Path | None:
        """The first file destination: where `verify()` reads the checkpoints back."""
        for dest in self.destinations:
            kind, target = _parse_destination(dest)
            if kind == "file":
                return Path(target)
        return None


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    head: str
    created: str
    key_id: str
    signature: str = ""

    def body(self) -> bytes:
        doc = {"v": 1, "seq": self.seq, "head": self.head, "created": self.created, "key": self.key_id}
        return json.dumps(doc, sort_keys=True, separators=(",", ":")).encode("ascii")

    def line(self) -> str:
        doc = json.loads(self.body())
        doc["sig"] = self.signature
        return json.dumps(doc, sort_keys=True, separators=(",", ":"))


@dataclass
class AnchoredVerification:
    chain: audit.Verification
    checkpoints: int = 0
    last: Checkpoint | None = None
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.chain.ok and not self.problems


def _parse_destination(dest: str) -> tuple[str, str]:
    kind, _, target = dest.partition(":")
    if kind == "syslog" and not target:
        return kind, ""
    if kind in ("file", "tsq") and target:
        return kind, target
    raise Invalid(f"unknown checkpoint destination {dest!r}: use file:PATH, syslog or tsq:DIRECTORY")


def load_signing_key(path: Path, create: bool = True) -> Ed25519PrivateKey:
    """The private key at `path`; created (mode 0600) when missing and `create` is set."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        if not create:
            raise Invalid(f"no audit signing key at {path}") from None
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(pem)
        path.with_suffix(".pub").write_bytes(key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
        return key
    loaded = serialization.load_pem_private_key(raw, password=None)
    if not isinstance(loaded, Ed25519PrivateKey):
        raise Invalid(f"{path} is not an Ed25519 private key")
    return loaded


def load_verify_key(path: Path) -> Ed25519PublicKey:
    """The public key to check checkpoints with: from a private key file or its `.pub` beside it."""
    raw = path.read_bytes()
    if b"PRIVATE KEY" in raw:
        return load_signing_key(path, create=False).public_key()
    key = serialization.load_pem_public_key(raw)
    if not isinstance(key, Ed25519PublicKey):
        raise Invalid(f"{path} is not an Ed25519 public key")
    return key


def key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()[:16]


def sign(session: Session, key: Ed25519PrivateKey) -> Checkpoint:
    """A signed checkpoint of the chain as committed now (an empty chain is seq 0)."""
    head = session.get(AuditHead, 1)
    unsigned = Checkpoint(seq=head.seq if head else 0, head=head.hash if head else audit.GENESIS,
                          created=utcnow().isoformat(timespec="seconds"), key_id=key_id(key.public_key()))
    signature = base64.b64encode(key.sign(unsigned.body())).decode("ascii")
    return Checkpoint(unsigned.seq, unsigned.head, unsigned.created, unsigned.key_id, signature)


def checkpoint(db: Database, settings: AnchorSettings) -> Checkpoint:
    """Sign the committed head and append the checkpoint to every destination (`veil audit checkpoint`)."""
    key = load_signing_key(settings.key_path)
    with db.read() as session:
        cp = sign(session, key)
    for dest in settings.destinations:
        _write(dest, cp)
    return cp


def _write(dest: str, cp: Checkpoint) -> None:
    kind, target = _parse_destination(dest)
    if kind == "file":
        path = Path(target)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        with os.fdopen(fd, "a", encoding="ascii") as fh:
            fh.write(cp.line() + "\n")
            fh.flush()
            os.fsync(fh.fileno())
    elif kind == "syslog":
        syslog.openlog(_SYSLOG_TAG, 0, syslog.LOG_AUTH)
        syslog.syslog(syslog.LOG_NOTICE, cp.line())
    else:
        directory = Path(target)
        directory.mkdir(parents=True, exist_ok=True)
        (directory / f"veil-audit-{cp.seq:010d}.tsq").write_bytes(timestamp_request(cp.line().encode("ascii")))


def read_checkpoints(path: Path, key: Ed25519PublicKey) -> tuple[list[Checkpoint], list[str]]:
    """The checkpoints in a file (our JSON lines, or syslog lines that carry them), and the problems found: a
    line whose signature does not verify is a forgery or an edit, never silently skipped."""
    found: list[Checkpoint] = []
    problems: list[str] = []
    expected_key = key_id(key)
    for number, text in enumerate(path.read_text(encoding="ascii", errors="replace").splitlines(), start=1):
        start = text.find("{")
        if start < 0:
            continue
        try:
            doc = json.loads(text[start:])
            cp = Checkpoint(int(doc["seq"]), str(doc["head"]), str(doc["created"]), str(doc["key"]),
                            str(doc["sig"]))
            if cp.key_id != expected_key:
                problems.append(f"checkpoint line {number}: signed by another key ({cp.key_id})")
                continue
            key.verify(base64.b64decode(cp.signature), cp.body())
        except (ValueError, KeyError, TypeError):
            problems.append(f"checkpoint line {number}: not a checkpoint (damaged?)")
            continue
        except InvalidSignature:
            problems.append(f"checkpoint line {number}: the signature does not match (edited or forged)")
            continue
        found.append(cp)
    return found, problems


def verify(session: Session, settings: AnchorSettings, checkpoints_file: Path | None = None) -> AnchoredVerification:
    """The chain checked against itself and against every signed checkpoint. Without a key yet (no checkpoint
    was ever written) only the chain is checked, and a note says so."""
    path = checkpoints_file or settings.checkpoint_file
    if not settings.key_path.exists():
        result = AnchoredVerification(audit.verify(session))
        result.notes.append(f"no audit signing key at {settings.key_path}: the chain was checked only against "
                            "itself (run `veil audit checkpoint` to anchor it)")
        return result
    key = load_verify_key(settings.key_path)
    checkpoints: list[Checkpoint] = []
    problems: list[str] = []
    if path is None:
        problems.append("no checkpoint file to verify against (give --checkpoints FILE)")
    elif not path.exists():
        problems.append(f"the checkpoint file {path} is missing although checkpoints were signed (deleted?)")
    else:
        checkpoints, problems = read_checkpoints(path, key)
        if not checkpoints and not problems:
            problems.append(f"the checkpoint file {path} holds no checkpoint although one was signed (emptied?)")
    expected = {cp.seq: cp.head for cp in checkpoints if cp.seq > 0}
    chain = audit.verify(session, expected=expected)
    last = max(checkpoints, key=lambda cp: cp.seq, default=None)
    return AnchoredVerification(chain, len(checkpoints), last, problems)


class Anchor(WakeableThread):
    """Writes a checkpoint when `every_events` entries were added since the last one, or `every_seconds` passed
    with any added; and one when stopped. Runs inside `veil serve`."""

    def __init__(self, db: Database, settings: AnchorSettings, poll: float = 5.0) -> None:
        super().__init__("veil-audit-anchor")
        self.db, self.settings, self.poll = db, settings, poll
        self.last_seq = -1
        self.last_time = time.monotonic()

    def _head(self) -> int:
        with self.db.read() as session:
            head = session.get(AuditHead, 1)
            return head.seq if head else 0

    def tick(self, force: bool = False) -> Checkpoint | None:
        seq = self._head()
        due = seq - self.last_seq >= self.settings.every_events or \
            time.monotonic() - self.last_time >= self.settings.every_seconds
        if seq == self.last_seq or not (due or force):
            return None
        cp = checkpoint(self.db, self.settings)
        self.last_seq, self.last_time = cp.seq, time.monotonic()
        return cp

    def _loop(self) -> None:
        self._guarded(force=True)  # at start: anchors what is there now
        while not self._stop.is_set():
            self._wake.wait(self.poll)
            self._wake.clear()
            self._guarded(force=self._stop.is_set())

    def _guarded(self, force: bool) -> None:
        try:
            self.tick(force)
        except Exception as exc:  # a full disk or a database hiccup: try again at the next poll, and say so
            log.error("audit checkpoint failed: %s", type(exc).__name__)


def timestamp_request(message: bytes) -> bytes:
    """An RFC 3161 TimeStampReq (DER) for SHA-256(message), with a nonce, asking for the TSA's certificate."""
    imprint = _der(0x30, _der(0x30, bytes.fromhex("0609608648016503040201") + b"\x05\x00")
                   + _der(0x04, hashlib.sha256(message).digest()))
    nonce = b"\x00" + secrets.token_bytes(8)  # a leading zero keeps the INTEGER positive
    return _der(0x30, bytes.fromhex("020101") + imprint + _der(0x02, nonce) + bytes.fromhex("0101ff"))


def _der(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + content
