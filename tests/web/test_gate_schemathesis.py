"""Property-based API testing with schemathesis: generated requests against the OpenAPI document never produce a
5xx. Bounded (a few examples per operation) so it stays in the fast suite; SQLite only."""

from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from support.store import fake_scanner, fast_password_hashing  # noqa: F401
from veil.policy import load_policy
from veil.store.engine import Database
from veil.web.app import create_app
from veil.workflow import accounts, releases
from veil.workflow.blobs import BlobStore
from veil.workflow.gate import Gate
from veil.workflow.publishing import DirectorySite
from veil.workflow.roles import ROLES
from veil.workflow.scanning import drain

TOKEN: dict[str, str] = {}


@pytest.fixture
def api_schema(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    from argon2 import PasswordHasher

    accounts.HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    tmp: Path = tmp_path_factory.mktemp("schemathesis")
    db = Database(f"sqlite:///{tmp / 'veil.db'}")
    db.upgrade()
    gate = Gate(db=db, blobs=BlobStore(tmp / "blobs"), site=DirectorySite(tmp / "public"), policy=load_policy(),
                scanner=fake_scanner, data_dir=tmp)
    with db.write() as s:
        everyone = accounts.create_user(s, "all", "correct horse battery", list(ROLES), actor="setup")
        accounts.create_user(s, "sub", "correct horse battery", ["submitter"], actor="setup")
        TOKEN["all"] = accounts.create_token(s, "all", "fuzz", actor="setup")
        release = releases.create_release(s, accounts.get_user(s, "sub"), "Seed", "seed")
        releases.add_file(s, gate.blobs, release, accounts.get_user(s, "sub"), "a.txt", b"hello")
        assert everyone.id
    drain(db, gate.blobs, gate.scanner, gate.policy)
    app = create_app(gate, start_worker=False)
    yield schemathesis.openapi.from_asgi("/api/openapi.json", app)
    db.dispose()


def test_no_server_errors(api_schema) -> None:  # type: ignore[no-untyped-def]
    """Every operation, a dozen generated requests each (derandomized: a failure reproduces)."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=8, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case) -> None:  # type: ignore[no-untyped-def]
            case.call_and_validate(headers={"Authorization": f"Bearer {TOKEN['all']}"}, checks=[not_a_server_error])

        run()
