"""Fixtures shared by every test area: the database fixtures of support.store (SQLite, and PostgreSQL when a
server answers) and a gate over them."""

from pathlib import Path

import pytest

from veil.policy import load_policy
from veil.workflow.blobs import BlobStore
from veil.workflow.gate import Gate
from veil.workflow.publishing import DirectorySite

pytest_plugins = ["support.store"]


@pytest.fixture
def gate(database, tmp_path: Path) -> Gate:  # type: ignore[no-untyped-def]
    from support.store import fake_scanner  # imported here: the plugin must be registered (and rewritten) first

    return Gate(db=database, blobs=BlobStore(tmp_path / "blobs"), site=DirectorySite(tmp_path / "public"),
                policy=load_policy(), scanner=fake_scanner, data_dir=tmp_path)
