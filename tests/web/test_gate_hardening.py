"""The service's own defences: login throttling per client that tells nothing about usernames, revocable API
tokens, HSTS and Permissions-Policy, and errors that never put a path or a value in a response or a log."""

from __future__ import annotations

import logging
import re
import sys

import pytest
from fastapi.testclient import TestClient

from support.webgate import PASSWORD, Site, csrf
from veil.web.app import create_app
from veil.web.logs import NoValues, service_logging
from veil.workflow import accounts

_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def _login(client: TestClient, username: str, password: str) -> int:
    form = client.get("/login")
    token = _CSRF.search(form.text)
    assert token
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf": token.group(1)}).status_code


def test_failed_logins_are_throttled_per_client_address(site: Site) -> None:
    attacker = TestClient(site.app, follow_redirects=False, client=("203.0.113.7", 4000))  # type: ignore[arg-type]
    for i in range(10):
        assert _login(attacker, f"guess{i}", "wrong password") == 401
    blocked = _login(attacker, "rev", PASSWORD)  # even the right password, from that address
    assert blocked == 429
    other = TestClient(site.app, follow_redirects=False, client=("198.51.100.2", 4000))  # type: ignore[arg-type]
    assert _login(other, "rev", PASSWORD) == 303


def test_the_failure_message_is_the_same_for_unknown_wrong_and_locked(site: Site) -> None:
    texts = {}
    for attempt in range(accounts.MAX_FAILED_LOGINS):
        client = TestClient(site.app, follow_redirects=False, client=(f"10.0.0.{attempt}", 1))  # type: ignore
        client.get("/login")
        _login(client, "rev", "wrong password")
    for label, username, password in (("unknown", "nosuchuser", "whatever"), ("wrong", "rev2", "wrong password"),
                                      ("locked", "rev", PASSWORD)):
        client = TestClient(site.app, follow_redirects=False, client=(f"10.1.0.{len(texts)}", 1))  # type: ignore
        form = client.get("/login")
        token = _CSRF.search(form.text)
        assert token
        response = client.post("/login", data={"username": username, "password": password, "csrf": token.group(1)})
        assert response.status_code == 401
        texts[label] = re.sub(r'value="[^"]*"', "", response.text).replace(username, "")
    assert texts["unknown"] == texts["wrong"] == texts["locked"]
    assert accounts.LOGIN_FAILED.split(";")[0] in texts["locked"]


def test_a_revoked_token_stops_working_and_the_revocation_is_audited(site: Site) -> None:
    client = TestClient(site.app)  # type: ignore[arg-type]
    assert client.get("/api/me", headers=site.api("sub")).status_code == 200
    listed = client.get("/api/tokens", headers=site.api("adm"), params={"username": "sub"}).json()
    assert len(listed) == 1 and listed[0]["username"] == "sub" and not listed[0]["revoked"]
    assert "veil_" not in str(listed)  # secrets are never listed
    revoked = client.post(f"/api/tokens/{listed[0]['id']}/revocation", headers=site.api("adm"))
    assert revoked.status_code == 200 and revoked.json()["revoked"]
    assert client.get("/api/me", headers=site.api("sub")).status_code == 401
    events = client.get("/api/audit", headers=site.api("aud")).json()
    assert any(e["event"] == "token-revoked" and e["payload"]["username"] == "sub" for e in events)
    assert client.post("/api/tokens/99999/revocation", headers=site.api("adm")).status_code == 404


def test_security_headers(site: Site) -> None:
    plain = TestClient(site.app).get("/login")  # type: ignore[arg-type]
    assert "camera=()" in plain.headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in plain.headers
    secure = TestClient(create_app(site.gate, start_worker=False, secure_cookies=True)).get("/login")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_file_folder_collision_is_a_409_and_the_log_has_no_path(site: Site,
                                                                  caplog: pytest.LogCaptureFixture) -> None:
    name = "Garcia_Jose_A123456789.txt"
    api = TestClient(site.app)  # type: ignore[arg-type]
    rid = api.post("/api/releases", headers=site.api("sub"), json={"title": "Q", "target_path": "q"}).json()["id"]
    api.post(f"/api/releases/{rid}/files", headers=site.api("sub"), files={"file": (name, b"stats\n", "text/plain")})
    site.drain()
    sha = api.get(f"/api/releases/{rid}", headers=site.api("rev")).json()["files"][0]["sha256"]
    for who in ("rev", "rev2"):
        api.post(f"/api/releases/{rid}/approvals", headers=site.api(who), json={"sha256s": [sha]})
    (site.gate.site.root / "q" / name).mkdir(parents=True)  # type: ignore[attr-defined]
    caplog.set_level(logging.DEBUG)
    response = api.post(f"/api/releases/{rid}/publications", headers=site.api("pub"), json={})
    assert response.status_code == 409 and "collide" in response.json()["detail"]
    assert "A123456789" not in response.text and "Garcia" not in response.text
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "A123456789" not in logged and "Garcia" not in logged and "{release_id}" in logged
    page = site.browser("pub").post(f"/releases/{rid}/publish", data={"csrf": csrf(site.browser("pub"))})
    assert page.status_code == 409 and "A123456789" not in page.text


def test_service_logging_drops_tracebacks_and_exception_text() -> None:
    record = logging.LogRecord("uvicorn.error", logging.ERROR, __file__, 1, "Exception in ASGI application\n", (),
                               None)
    try:
        raise IsADirectoryError(21, "Is a directory", "/public/Garcia_A123456789.csv")
    except IsADirectoryError:
        record.exc_info = sys.exc_info()
    NoValues().filter(record)
    text = logging.Formatter("%(message)s").format(record)
    assert text == "Exception in ASGI application (IsADirectoryError)"
    config = service_logging()
    assert config["handlers"]["stderr"]["filters"] == ["no_values"]


def test_early_refusals_carry_the_security_headers(site: Site) -> None:
    client = TestClient(site.app)  # type: ignore[arg-type]
    refused = client.post("/api/releases/1/files", content=b"x" * (2 << 20),
                          headers={"Content-Type": "multipart/form-data; boundary=b"})
    assert refused.status_code == 401
    assert refused.headers["X-Frame-Options"] == "DENY" and "Permissions-Policy" in refused.headers
