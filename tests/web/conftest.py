from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from webgate_support import PASSWORD, ROLE_USERS, Site

from veil.policy import load_policy
from veil.store.testing import fake_scanner
from veil.web.app import create_app
from veil.workflow import accounts
from veil.workflow.blobs import BlobStore
from veil.workflow.gate import Gate
from veil.workflow.publishing import DirectorySite


@pytest.fixture
def site(database, tmp_path: Path) -> Iterator[Site]:  # type: ignore[no-untyped-def]
    gate = Gate(db=database, blobs=BlobStore(tmp_path / "blobs"), site=DirectorySite(tmp_path / "public"),
                policy=load_policy(), scanner=fake_scanner, data_dir=tmp_path)
    app = create_app(gate, start_worker=False)
    result = Site(gate, app)
    with gate.db.write() as s:
        for name, roles in ROLE_USERS.items():
            accounts.create_user(s, name, PASSWORD, roles, actor="setup")
            result.tokens[name] = accounts.create_token(s, name, "test", actor="setup")
    yield result
    for client in result.clients.values():
        client.close()
