"""Files at rest are sealed: the key (outside the database), the sealed format, the blob store, the quarantine, and
no plain copy of a leaked roster anywhere in the data directory after a takedown."""

from __future__ import annotations

import base64
import hashlib
import os
import sys
from pathlib import Path

import pytest

from support.gate import make_cast, user
from support.store import fake_scanner
from veil.errors import UsageError
from veil.watch.service import WatchConfig, WatchService
from veil.watch.takedown import Quarantine, exposed_bytes
from veil.workflow import releases
from veil.workflow.blobs import BlobStore
from veil.workflow.errors import NotFound, Refused
from veil.workflow.gate import Gate
from veil.workflow.scanning import drain
from veil.workflow.sealing import CHUNK, KEY_FILE, Sealer, SealError, load_key

KEY = bytes(range(32))
ROSTER_NAMES = (b"GARCIA", b"Okonkwo", b"A123456789", b"A987654321")
ROSTER = (b"name,a_number,nationality,facility\n"
          b"LEAK GARCIA Jose,A123456789,Honduras,Dilley\n"
          b"LEAK Okonkwo Chidi,A987654321,Nigeria,Adelanto\n")


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK + 17])
def test_sealed_bytes_open_to_the_same_bytes(size: int) -> None:
    data = os.urandom(size)
    sealed = Sealer(KEY).seal_bytes(data)
    assert Sealer.is_sealed(sealed) and (size < 64 or data[:64] not in sealed)
    assert Sealer(KEY).open_bytes(sealed) == data


def test_damage_truncation_reordering_and_another_key_are_refused() -> None:
    data = os.urandom(2 * CHUNK + 5)
    sealed = Sealer(KEY).seal_bytes(data)
    flipped = bytearray(sealed)
    flipped[len(sealed) // 2] ^= 1
    chunk = CHUNK + 16
    header = sealed[:25]
    body = sealed[25:]
    swapped = header + body[chunk:2 * chunk] + body[:chunk] + body[2 * chunk:]
    for bad in (bytes(flipped), sealed[:25 + chunk], sealed[:25 + 2 * chunk], swapped):
        with pytest.raises(SealError):
            Sealer(KEY).open_bytes(bad)
    with pytest.raises(SealError, match="another data key"):
        Sealer(bytes(32)).open_bytes(sealed)
    with pytest.raises(SealError, match="not a sealed file"):
        Sealer(KEY).open_bytes(b"plain text")


def test_the_key_file_is_created_private_and_refused_when_others_can_read_it(tmp_path: Path) -> None:
    key = load_key(tmp_path, env={})
    path = tmp_path / KEY_FILE
    assert len(key) == 32 and oct(path.stat().st_mode & 0o777) == "0o600"
    assert load_key(tmp_path, env={}) == key  # the same key next time
    os.chmod(path, 0o644)
    with pytest.raises(UsageError, match="chmod 600"):
        load_key(tmp_path, env={})


def test_the_key_can_come_from_the_environment_or_a_command(tmp_path: Path) -> None:
    text = base64.urlsafe_b64encode(KEY).decode()
    assert load_key(tmp_path, env={"VEIL_DATA_KEY": text}) == KEY
    command = f"{sys.executable} -c \"print('{text}')\""
    assert load_key(tmp_path, env={"VEIL_DATA_KEY_COMMAND": command}) == KEY
    assert not (tmp_path / KEY_FILE).exists()  # no key file written when the key comes from elsewhere
    with pytest.raises(UsageError, match="not a data key"):
        load_key(tmp_path, env={"VEIL_DATA_KEY": "too short"})
    with pytest.raises(UsageError, match="exited with 3"):
        load_key(tmp_path, env={"VEIL_DATA_KEY_COMMAND": f"{sys.executable} -c \"raise SystemExit(3)\""})
    with pytest.raises(UsageError, match="cannot read"):
        load_key(tmp_path, env={"VEIL_DATA_KEY_FILE": str(tmp_path / "missing.key")})


def test_blobs_are_sealed_and_plain_ones_are_sealed_on_open(tmp_path: Path) -> None:
    store = BlobStore(tmp_path / "blobs", Sealer(KEY))
    sha = store.put(ROSTER)
    assert b"GARCIA" not in store.path(sha).read_bytes() and store.get(sha) == ROSTER
    legacy = b"an older Veil wrote this in plain form"
    legacy_sha = hashlib.sha256(legacy).hexdigest()
    store.path(legacy_sha).parent.mkdir(parents=True, exist_ok=True)
    store.path(legacy_sha).write_bytes(legacy)
    assert store.get(legacy_sha) == legacy  # readable before the store seals it
    assert store.seal_legacy() == 1
    assert legacy not in store.path(legacy_sha).read_bytes() and store.get(legacy_sha) == legacy
    assert store.seal_legacy() == 0  # once per store
    damaged = bytearray(store.path(sha).read_bytes())
    damaged[-1] ^= 1
    store.path(sha).write_bytes(bytes(damaged))
    with pytest.raises(Refused, match="cannot be opened"):
        store.get(sha)


def test_the_quarantine_seals_what_an_older_veil_kept_plain(tmp_path: Path) -> None:
    public = tmp_path / "public"
    public.mkdir()
    folder = tmp_path / "quarantine"
    folder.mkdir()
    sha = hashlib.sha256(ROSTER).hexdigest()
    (folder / sha).write_bytes(ROSTER)
    (folder / f"{sha}.json").write_text('[{"public_path": "stats/roster.csv"}]')
    (folder / ".incoming-0123456789abcdef").write_bytes(ROSTER + b"half done")
    quarantine = Quarantine(folder, public, Sealer(KEY))
    names = sorted(p.name for p in folder.iterdir())
    half = hashlib.sha256(ROSTER + b"half done").hexdigest()
    assert names == sorted([f"{sha}.sealed", f"{sha}.sealed.json", f"{half}.sealed"])
    assert quarantine.read(sha) == ROSTER and quarantine.read(half) == ROSTER + b"half done"
    assert all(b"GARCIA" not in p.read_bytes() for p in folder.iterdir())


def test_exposed_bytes_reads_the_quarantine_then_the_blob_store(tmp_path: Path) -> None:
    public = tmp_path / "public"
    public.mkdir()
    sealer = Sealer(KEY)
    store = BlobStore(tmp_path / "blobs", sealer)
    quarantine = Quarantine(tmp_path / "quarantine", public, sealer)
    (public / "leak.csv").write_bytes(ROSTER)
    taken = quarantine.take_down("leak.csv", ("block",))
    assert exposed_bytes(taken.sha256, store, quarantine) == ROSTER
    uploaded = store.put(b"uploaded through the gate")
    assert exposed_bytes(uploaded, store, quarantine) == b"uploaded through the gate"
    with pytest.raises(NotFound, match="no copy"):
        exposed_bytes("0" * 64, store, quarantine)


def test_after_a_takedown_no_plain_copy_of_the_roster_is_left_in_the_data_directory(tmp_path: Path) -> None:
    """The 2022 file: uploaded to the gate (blob store), then written into the public tree behind the gate's back,
    found and taken down (quarantine). grep the whole data directory, database and state files included."""
    data = tmp_path / "data"
    gate = Gate.open(data, scanner=fake_scanner)
    try:
        make_cast(gate)
        with gate.db.write() as s:
            release = releases.create_release(s, user(s, "alice"), "Detention statistics", "stats/2022", "")
            releases.add_file(s, gate.blobs, release, user(s, "alice"), "detention-statistics.csv", ROSTER)
        drain(gate.db, gate.blobs, gate.scanner, gate.policy)
        public = Path(gate.site.root)  # type: ignore[attr-defined]
        (public / "stats").mkdir(parents=True)
        (public / "stats" / "detention-statistics.csv").write_bytes(ROSTER)
        service = WatchService(gate, WatchConfig(), scanner=gate.scanner)
        try:
            [action] = service.sweep().actions
            assert action.quarantined is not None
        finally:
            service.close()
    finally:
        gate.close()
    holders = []
    for path in data.rglob("*"):
        if path.is_file() and not path.is_symlink():
            content = path.read_bytes()
            holders += [f"{path.relative_to(data)}: {name.decode()}" for name in ROSTER_NAMES if name in content]
    assert holders == []
    assert exposed_bytes(action.quarantined.sha256, BlobStore(data / "blobs"),
                         Quarantine(data / "quarantine", public)) == ROSTER
