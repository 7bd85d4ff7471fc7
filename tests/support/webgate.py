"""Shared helpers of the web tests (a module with a unique name: conftest modules cannot be imported)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fastapi.testclient import TestClient

from veil.workflow.gate import Gate
from veil.workflow.scanning import drain

PASSWORD = "correct horse battery"
ROLE_USERS = {
    "sub": ["submitter"], "rev": ["reviewer"], "rev2": ["reviewer"], "ao": ["authorising_official"],
    "ao2": ["authorising_official"],
    "pub": ["publisher"], "aud": ["auditor"], "adm": ["admin"], "ir": ["incident_responder"], "nobody": [],
}
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Site:
    gate: Gate
    app: object
    tokens: dict[str, str] = field(default_factory=dict)
    clients: dict[str, TestClient] = field(default_factory=dict)

    def drain(self) -> int:
        return drain(self.gate.db, self.gate.blobs, self.gate.scanner, self.gate.policy)

    def api(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def browser(self, who: str) -> TestClient:
        """A logged-in page client for `who` (cached)."""
        if who not in self.clients:
            client = TestClient(self.app, follow_redirects=False)  # type: ignore[arg-type]
            login(client, who)
            self.clients[who] = client
        return self.clients[who]


def login(client: TestClient, who: str, password: str = PASSWORD):  # type: ignore[no-untyped-def]
    form = client.get("/login")
    token = _CSRF.search(form.text)
    assert token, "login form has a CSRF field"
    return client.post("/login", data={"username": who, "password": password, "csrf": token.group(1)})


def csrf(client: TestClient) -> str:
    page = client.get("/releases")
    match = _CSRF.search(page.text)
    assert match, page.text[:500]
    return match.group(1)


