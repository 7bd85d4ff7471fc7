"""The gate keeps a personal file name only where it must: the file's row (the path it publishes to). Its audit
chain, its findings, its views and its refusals show the masked name."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from sqlalchemy import select

from support.gate import BENIGN, make_cast, make_release, user
from veil.policy import load_policy
from veil.store.models_audit import AuditEntry
from veil.store.models_releases import FindingRecord, ReleaseFile
from veil.workflow import approvals
from veil.workflow.blobs import BlobStore
from veil.workflow.errors import Refused
from veil.workflow.gate import Gate, default_scanner
from veil.workflow.publishing import DirectorySite
from veil.workflow.releases import get_release
from veil.workflow.views import release_detail

PERSONAL = "NGUYEN_CITLALI_A523938499_asylum.txt"
MASKED = "N*****_C******_A*********_a*****.txt"


@pytest.fixture
def real_gate(database, tmp_path: Path) -> Gate:  # type: ignore[no-untyped-def]
    """A gate whose scans run the real checker (the shared fixture fakes it), so file names are checked."""
    policy = load_policy()
    return Gate(db=database, blobs=BlobStore(tmp_path / "blobs"), site=DirectorySite(tmp_path / "public"),
                policy=policy, scanner=default_scanner(policy), data_dir=tmp_path)


def _everything_shown(gate: Gate, release_id: int) -> str:
    with gate.db.read() as s:
        audit = [json.dumps(e.payload) for e in s.scalars(select(AuditEntry))]
        findings = [f"{f.location} {f.message} {f.evidence}" for f in s.scalars(select(FindingRecord))]
        view = json.dumps(release_detail(s, release_id))
    return "\n".join([*audit, *findings, view])


def test_a_personal_file_name_is_masked_everywhere_but_its_row(real_gate: Gate,
                                                                caplog: pytest.LogCaptureFixture) -> None:
    gate = real_gate
    make_cast(gate)
    caplog.set_level(logging.DEBUG)
    release_id = make_release(gate, {PERSONAL: BENIGN, "statistics.txt": BENIGN})
    shown = _everything_shown(gate, release_id)
    assert "NGUYEN" not in shown and "A523938499" not in shown and "CITLALI" not in shown
    assert MASKED in shown and "statistics.txt" in shown
    assert "NGUYEN" not in caplog.text and "A523938499" not in caplog.text
    with gate.db.read() as s:
        names = set(s.scalars(select(ReleaseFile.name)))
        detail = release_detail(s, release_id)
    assert PERSONAL in names  # the one place it is kept: the path the publisher would write to
    personal = next(f for f in detail["files"] if f["path"] == MASKED)
    assert personal["verdict"] == "block"


def test_refusals_name_the_file_masked(real_gate: Gate) -> None:
    gate = real_gate
    make_cast(gate)
    release_id = make_release(gate, {PERSONAL: BENIGN})
    with gate.db.write() as s:
        sha = s.scalars(select(ReleaseFile.sha256)).one()
        release = get_release(s, release_id)
        with pytest.raises(Refused) as refused:
            approvals.approve(s, release, user(s, "bob"), [sha])
    assert MASKED in str(refused.value) and "NGUYEN" not in str(refused.value)
