"""Files at rest, encrypted: the gate's blob store and the sweeper's quarantine keep bytes sealed with AES-256-GCM
under a key that never enters the database.

The key, first found wins:

    VEIL_DATA_KEY           the key itself: 32 bytes, base64 (urlsafe or standard)
    VEIL_DATA_KEY_COMMAND   a command (run without a shell) that prints it: the hook for a KMS or a secrets vault
                            (e.g. `vault kv get -field=key secret/veil`)
    VEIL_DATA_KEY_FILE      a file holding it (mode 0600; refused when group or others can read it)
    DATA_DIR/data.key       the default: created 0600 with a random key on first use

Sealed format (streamed, bounded memory; the STREAM construction of Hoang, Reyhanitabar, Rogaway and Vizár):

    b"VEILSEAL" | version (1 byte) | key id (8 bytes) | nonce prefix (7 bytes)    = the header, also the AAD
    then chunks of CHUNK plaintext bytes, each AES-GCM(nonce = prefix | counter (4 bytes) | last (1 byte)) + tag

The counter stops reordering, the last-chunk flag stops truncation, the header as associated data stops a chunk
moving between files. A file that fails any check is refused, never returned in part.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import os
import secrets
import shlex
import stat
import subprocess
import threading
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from veil.errors import UsageError

MAGIC = b"VEILSEAL"
VERSION = 1
CHUNK = 1 << 20
TAG = 16
KEY_FILE = "data.key"
HEADER = len(MAGIC) + 1 + 8 + 7
_COMMAND_TIMEOUT = 30.0


class SealError(Exception):
    """Sealed bytes that do not open: another key, or the file was damaged or tampered with."""


def _decode_key(text: str, where: str) -> bytes:
    value = text.strip()
    try:
        key = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        try:
            key = base64.b64decode(value, validate=True)
        except (binascii.Error, ValueError):
            key = b""
    if len(key) != 32:
        raise UsageError(f"{where} is not a data key (32 bytes, base64)")
    return key


def _key_from_file(path: Path, create: bool) -> bytes:
    if create and not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it a moment ago: read theirs
        else:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode("ascii") + "\n")
                fh.flush()
                os.fsync(fh.fileno())
    try:
        mode = path.stat().st_mode
        if stat.S_IMODE(mode) & 0o077:
            raise UsageError(f"the data key file {path} can be read by others: `chmod 600 {path}`")
        return _decode_key(path.read_text(encoding="ascii"), f"the data key file {path}")
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"cannot read the data key file {path} ({type(exc).__name__})") from None


def _key_from_command(command: str) -> bytes:
    try:
        done = subprocess.run(shlex.split(command), capture_output=True, timeout=_COMMAND_TIMEOUT, check=False)
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        raise UsageError(f"VEIL_DATA_KEY_COMMAND failed ({type(exc).__name__})") from None
    if done.returncode != 0:
        raise UsageError(f"VEIL_DATA_KEY_COMMAND exited with {done.returncode}")
    return _decode_key(done.stdout.decode("ascii", errors="replace"), "the output of VEIL_DATA_KEY_COMMAND")


def load_key(data_dir: str | Path, env: Mapping[str, str] | None = None) -> bytes:
    """The data key, from the environment or the data directory (see the module docstring)."""
    env = os.environ if env is None else env
    if env.get("VEIL_DATA_KEY"):
        return _decode_key(env["VEIL_DATA_KEY"], "VEIL_DATA_KEY")
    if env.get("VEIL_DATA_KEY_COMMAND"):
        return _key_from_command(env["VEIL_DATA_KEY_COMMAND"])
    if env.get("VEIL_DATA_KEY_FILE"):
        return _key_from_file(Path(env["VEIL_DATA_KEY_FILE"]), create=False)
    return _key_from_file(Path(data_dir) / KEY_FILE, create=True)


class Sealer:
    """Seals and opens files and byte strings with one key."""

    def __init__(self, key: bytes) -> None:
        if len(key) != 32:
            raise ValueError("a data key is 32 bytes")
        self._aead = AESGCM(key)
        self.key_id = hmac.new(key, b"veil data key id", hashlib.sha256).digest()[:8]

    @staticmethod
    def is_sealed(head: bytes) -> bool:
        return head.startswith(MAGIC)

    def _header(self) -> bytes:
        return MAGIC + bytes([VERSION]) + self.key_id + secrets.token_bytes(7)

    def _nonce(self, header: bytes, counter: int, last: bool) -> bytes:
        return header[-7:] + counter.to_bytes(4, "big") + (b"\x01" if last else b"\x00")

    def seal_stream(self, source: BinaryIO, sink: BinaryIO) -> None:
        header = self._header()
        sink.write(header)
        counter, chunk = 0, source.read(CHUNK)
        while True:
            following = source.read(CHUNK)
            last = not following
            sink.write(self._aead.encrypt(self._nonce(header, counter, last), chunk, header))
            if last:
                return
            counter += 1
            if counter >= 1 << 32:
                raise SealError("the file is too large to seal")
            chunk = following

    def open_chunks(self, source: BinaryIO) -> Iterator[bytes]:
        """The plaintext, chunk by chunk; raises SealError before yielding anything that does not authenticate."""
        header = source.read(HEADER)
        if len(header) != HEADER or not header.startswith(MAGIC) or header[len(MAGIC)] != VERSION:
            raise SealError("not a sealed file (or a newer format)")
        if not hmac.compare_digest(header[len(MAGIC) + 1:len(MAGIC) + 9], self.key_id):
            raise SealError("sealed with another data key")
        counter, block = 0, source.read(CHUNK + TAG)
        while True:
            following = source.read(CHUNK + TAG)
            last = not following
            try:
                yield self._aead.decrypt(self._nonce(header, counter, last), block, header)
            except InvalidTag:
                raise SealError("the sealed file is damaged or was changed") from None
            if last:
                return
            counter, block = counter + 1, following

    def seal_bytes(self, data: bytes) -> bytes:
        sink = io.BytesIO()
        self.seal_stream(io.BytesIO(data), sink)
        return sink.getvalue()

    def open_bytes(self, sealed: bytes) -> bytes:
        return b"".join(self.open_chunks(io.BytesIO(sealed)))

    def open_file(self, path: Path) -> bytes:
        with path.open("rb") as fh:
            return b"".join(self.open_chunks(fh))

    def seal_file(self, source: Path, target: Path) -> None:
        """Write `source` sealed to `target` (0600, flushed to disk, appears whole by rename); `source` stays."""
        tmp = target.with_name(f".sealing-{secrets.token_hex(8)}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as sink, source.open("rb") as fh:
                self.seal_stream(fh, sink)
                sink.flush()
                os.fsync(sink.fileno())
            os.replace(tmp, target)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise


_CACHE: dict[tuple[str, str], Sealer] = {}
_CACHE_LOCK = threading.Lock()


def sealer_for(data_dir: str | Path) -> Sealer:
    """The sealer of a data directory (one per directory and key source in this process)."""
    source = os.environ.get("VEIL_DATA_KEY") or os.environ.get("VEIL_DATA_KEY_COMMAND") \
        or os.environ.get("VEIL_DATA_KEY_FILE") or ""
    cache_key = (str(Path(data_dir).resolve()), hashlib.sha256(source.encode()).hexdigest())
    with _CACHE_LOCK:
        if cache_key not in _CACHE:
            _CACHE[cache_key] = Sealer(load_key(data_dir))
        return _CACHE[cache_key]
