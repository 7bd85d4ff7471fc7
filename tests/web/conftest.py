from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from support.browser import serve_gate
from support.webgate import PASSWORD, ROLE_USERS, Site
from veil.web.app import create_app
from veil.workflow import accounts
from veil.workflow.gate import Gate


@pytest.fixture
def site(gate: Gate) -> Iterator[Site]:
    """The gate of tests/conftest.py behind its web app, with one user (and API token) per role."""
    app = create_app(gate, start_worker=False)
    result = Site(gate, app)
    with gate.db.write() as s:
        for name, roles in ROLE_USERS.items():
            accounts.create_user(s, name, PASSWORD, roles, actor="setup")
            result.tokens[name] = accounts.create_token(s, name, "test", actor="setup")
    yield result
    for client in result.clients.values():
        client.close()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Gate]]:
    """A gate with the real checker served on a loopback port, for the Chromium tests."""
    yield from serve_gate(tmp_path)
