from pathlib import Path

import pytest

from veil.policy import load_policy
from veil.store.testing import (  # noqa: F401
    _postgres_schema,
    _sqlite_template,
    database,
    fake_scanner,
    fast_password_hashing,
)
from veil.workflow.blobs import BlobStore
from veil.workflow.gate import Gate
from veil.workflow.publishing import DirectorySite


@pytest.fixture
def gate(database, tmp_path: Path) -> Gate:  # noqa: F811
    return Gate(db=database, blobs=BlobStore(tmp_path / "blobs"), site=DirectorySite(tmp_path / "public"),
                policy=load_policy(), scanner=fake_scanner, data_dir=tmp_path)
