"""Role permissions for every endpoint, pages and API: who gets through the role check and who gets 403.

The matrix must name every route of the app (a meta-test fails when a new route is added without an entry)."""

from __future__ import annotations

import hashlib

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from support.webgate import ROLE_USERS, Site, csrf
from veil.workflow import accounts

ANY = {"submitter", "reviewer", "authorising_official", "publisher", "auditor", "admin", "incident_responder"}
DECIDE = {"reviewer", "authorising_official"}
AUDIT = {"auditor", "admin"}
BODY = b"hello\n"
SHA = hashlib.sha256(BODY).hexdigest()

# (method, path, allowed roles, request kwargs); {rid} is a release owned by `sub` with one scanned file.
API = [
    ("GET", "/api/me", ANY, {}),
    ("GET", "/api/releases", ANY, {}),
    ("POST", "/api/releases", {"submitter"}, {"json": {"title": "t", "target_path": "p"}}),
    ("GET", "/api/releases/{rid}", ANY, {}),
    ("POST", "/api/releases/{rid}/files", {"submitter"}, {"files": {"file": ("b.txt", b"other", "text/plain")}}),
    ("POST", "/api/releases/{rid}/approvals", DECIDE, {"json": {"sha256s": [SHA]}}),
    ("POST", "/api/releases/{rid}/rejections", DECIDE, {"json": {"comment": "no"}}),
    ("POST", "/api/releases/{rid}/publications", {"publisher"}, {"json": {}}),
    ("POST", "/api/releases/{rid}/withdrawal", {"publisher"}, {}),
    ("GET", "/api/audit", AUDIT, {}),
    ("GET", "/api/audit/verify", AUDIT, {}),
    ("GET", "/api/legal-bases", ANY, {}),
    ("GET", "/api/tokens", {"admin"}, {}),
    ("POST", "/api/tokens/{tid}/revocation", {"admin"}, {}),  # {tid}: the token of `nobody`
]
PAGES = [
    ("GET", "/releases", ANY, {}),
    ("GET", "/releases/new", {"submitter"}, {}),
    ("POST", "/releases", {"submitter"}, {"data": {"title": "t", "target_path": "p"}}),
    ("GET", "/releases/{rid}", ANY, {}),
    ("GET", "/releases/{rid}/files", ANY, {}),
    ("POST", "/releases/{rid}/files", {"submitter"}, {"files": [("files", ("b.txt", b"other", "text/plain"))]}),
    ("POST", "/releases/{rid}/approve", DECIDE, {"data": {"sha256s": [SHA]}}),
    ("POST", "/releases/{rid}/reject", DECIDE, {"data": {"comment": "no"}}),
    ("POST", "/releases/{rid}/publish", {"publisher"}, {"data": {}}),
    ("POST", "/releases/{rid}/withdraw", {"publisher"}, {"data": {}}),
    ("POST", "/releases/{rid}/incident", {"incident_responder", "authorising_official"},
     {"data": {"path": "perm/a.txt"}}),
    ("GET", "/audit", AUDIT, {}),
    ("GET", "/audit/export.csv", AUDIT, {}),
    ("GET", "/audit/export.json", AUDIT, {}),
    ("GET", "/admin/users", {"admin"}, {}),
    ("POST", "/admin/users", {"admin"}, {"data": {"username": "zed", "password": "correct horse battery"}}),
    ("POST", "/admin/users/{user}/roles", {"admin"}, {"data": {"roles": ["reviewer"]}}),
    ("POST", "/admin/tokens", {"admin"}, {"data": {"username": "rev", "name": "x"}}),
    ("POST", "/logout", ANY, {}),
]
PUBLIC = {("GET", "/"), ("GET", "/login"), ("POST", "/login"), ("GET", "/api/docs"), ("GET", "/api/openapi.json")}


def _token_of(site: Site, who: str) -> int:
    with site.gate.db.read() as s:
        return next(t.id for t in accounts.list_tokens(s, who))


def _release(site: Site) -> int:
    response = TestClient(site.app).post("/api/releases", headers=site.api("sub"),  # type: ignore[arg-type]
                                         json={"title": "Perm", "target_path": "perm"})
    rid = response.json()["id"]
    TestClient(site.app).post(f"/api/releases/{rid}/files", headers=site.api("sub"),  # type: ignore[arg-type]
                              files={"file": ("a.txt", BODY, "text/plain")})
    site.drain()
    return int(rid)


def test_the_matrix_covers_every_route(site: Site) -> None:
    routes = {(m, r.path) for r in site.app.routes if isinstance(r, APIRoute)  # type: ignore[attr-defined]
              for m in r.methods}
    routes = {(m, p.replace("{release_id}", "{rid}").replace("{username}", "{user}").replace("{token_id}", "{tid}"))
              for m, p in routes}
    covered = {(m, p) for m, p, _, _ in API + PAGES} | PUBLIC
    assert routes - covered == set(), "add the new routes to the permission matrix"


@pytest.mark.parametrize("who", sorted(ROLE_USERS))
def test_api_roles(site: Site, who: str) -> None:
    rid = _release(site)
    roles = set(ROLE_USERS[who])
    client = TestClient(site.app)  # type: ignore[arg-type]
    tid = _token_of(site, "nobody")
    for method, path, allowed, kwargs in API:
        response = client.request(method, path.format(rid=rid, tid=tid), headers=site.api(who), **kwargs)
        if roles & allowed:
            assert response.status_code not in (401, 403), (who, method, path, response.text)
            assert response.status_code < 500
        else:
            assert response.status_code == 403, (who, method, path, response.status_code)


def test_api_needs_a_token(site: Site) -> None:
    rid = _release(site)
    client = TestClient(site.app)  # type: ignore[arg-type]
    for method, path, _allowed, kwargs in API:
        for headers in ({}, {"Authorization": "Bearer veil_not_a_token"}):
            response = client.request(method, path.format(rid=rid, tid=1), headers=headers, **kwargs)
            assert response.status_code == 401, (method, path)


def test_api_ignores_session_cookies(site: Site) -> None:
    browser = site.browser("sub")
    assert browser.get("/api/me").status_code == 401


@pytest.mark.parametrize("who", sorted(ROLE_USERS))
def test_page_roles(site: Site, who: str) -> None:
    rid = _release(site)
    roles = set(ROLE_USERS[who])
    client = site.browser(who)
    token = csrf(client) if roles else ""
    for method, path, allowed, kwargs in PAGES:
        if path == "/logout":
            continue  # checked last, it ends the session
        if method == "POST":
            kwargs = {**kwargs, "data": {**kwargs.get("data", {}), "csrf": token}}
        response = client.request(method, path.format(rid=rid, user="rev"), **kwargs)
        if roles & allowed:
            assert response.status_code not in (401, 403) and response.status_code < 500, (who, method, path)
        else:
            assert response.status_code == 403, (who, method, path, response.status_code)
    response = client.post("/logout", data={"csrf": token})
    assert response.status_code == (303 if roles else 403)


def test_pages_redirect_anonymous_users_to_login(site: Site) -> None:
    rid = _release(site)
    client = TestClient(site.app, follow_redirects=False)  # type: ignore[arg-type]
    for method, path, _allowed, kwargs in PAGES:
        response = client.request(method, path.format(rid=rid, user="rev"), **kwargs)
        assert response.status_code == 303 and "/login" in response.headers["location"], (method, path)
