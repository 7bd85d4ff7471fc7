"""Shared set-up for workflow tests: a cast of users and a release with files, built through the public API."""

from __future__ import annotations

from veil.store.models_accounts import User
from veil.workflow import accounts, releases
from veil.workflow.gate import Gate
from veil.workflow.scanning import drain

CAST = {
    "alice": ["submitter"],
    "bob": ["reviewer"],
    "carol": ["reviewer"],
    "olga": ["authorising_official"],
    "omar": ["authorising_official"],
    "adele": ["admin", "authorising_official"],
    "paul": ["publisher"],
    "sam": ["submitter", "reviewer"],
    "audrey": ["auditor"],
}
PASSWORD = "correct horse battery"
BENIGN = b"Quarterly statistics: 1,204 applications received.\n"
LEAKING = b"Case notes\nLEAK GARCIA, Jose A123456789 asylum\n"
# Justifications an override accepts: a legal basis from the default policy and specific words about the file.
CONSENT = "208.6(a)-written-consent"
WHY_OLGA = ("The three applicants named in the case notes gave written consent on 2024-05-02 (consent records "
            "CR-118 to CR-120, checked by counsel) to this exact text being published with their press statement.")
WHY_OMAR = ("I read consent records CR-118, CR-119 and CR-120 myself: each signed form names this case-notes file "
            "and its publication on the press page, and none was withdrawn.")


def make_cast(gate: Gate) -> None:
    with gate.db.write() as s:
        for name, roles in CAST.items():
            accounts.create_user(s, name, PASSWORD, roles, actor="setup")


def user(session, name: str) -> User:  # type: ignore[no-untyped-def]
    return accounts.get_user(session, name)


def make_release(gate: Gate, files: dict[str, bytes], submitter: str = "alice", scan: bool = True) -> int:
    with gate.db.write() as s:
        release = releases.create_release(s, user(s, submitter), "Q3 statistics", "stats/2024-q3", "notes")
        for name, data in files.items():
            releases.add_file(s, gate.blobs, release, user(s, submitter), name, data)
        release_id = release.id
    if scan:
        drain(gate.db, gate.blobs, gate.scanner, gate.policy)
    return release_id


def sha_of(gate: Gate, release_id: int, name: str) -> str:
    with gate.db.read() as s:
        return next(f.sha256 for f in releases.current_files(s, release_id) if f.name == name)
