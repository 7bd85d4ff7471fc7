"""The pages: login, sessions, CSRF, and the whole gate walked through the forms."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient

from support.gate import CONSENT, WHY_OLGA, WHY_OMAR
from support.webgate import PASSWORD, Site, csrf, login

BENIGN = b"Quarterly statistics: 1,204 applications received.\n"
LEAKING = b"Case notes\nLEAK GARCIA, Jose A123456789 asylum\n"


def test_pages_need_a_login(site: Site) -> None:
    client = TestClient(site.app, follow_redirects=False)  # type: ignore[arg-type]
    response = client.get("/releases")
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_session_cookie_flags(site: Site) -> None:
    client = TestClient(site.app, follow_redirects=False)  # type: ignore[arg-type]
    response = login(client, "sub")
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert "veil_session=" in cookie and "httponly" in cookie and "samesite=strict" in cookie
    assert "secure" not in cookie.split("veil_session=")[1].split(",")[0]


def test_cookies_are_secure_behind_tls(site: Site) -> None:
    from veil.web.app import create_app

    app = create_app(site.gate, start_worker=False, secure_cookies=True)
    client = TestClient(app, follow_redirects=False)
    response = login(client, "sub")
    assert "; secure" in response.headers["set-cookie"].lower()


def test_wrong_password_then_lock_out(site: Site) -> None:
    client = TestClient(site.app, follow_redirects=False)  # type: ignore[arg-type]
    for _ in range(5):
        response = login(client, "rev", "wrong password")
        assert response.status_code == 401 and "wrong username or password" in response.text
    response = login(client, "rev", PASSWORD)
    assert response.status_code == 401 and "locked" in response.text


def test_login_form_needs_its_csrf_token(site: Site) -> None:
    client = TestClient(site.app, follow_redirects=False)  # type: ignore[arg-type]
    response = client.post("/login", data={"username": "sub", "password": PASSWORD, "csrf": "forged"})
    assert response.status_code == 403


def test_every_form_post_needs_the_csrf_token(site: Site) -> None:
    client = site.browser("sub")
    for data in ({}, {"csrf": "forged"}):
        response = client.post("/releases", data={**data, "title": "x", "target_path": "x"})
        assert response.status_code == 403 and "security token" in response.text
    response = client.post("/releases", data={"csrf": csrf(client), "title": "x", "target_path": "x"})
    assert response.status_code == 303


def test_the_whole_gate_through_the_pages(site: Site) -> None:
    sub = site.browser("sub")
    response = sub.post("/releases", data={"csrf": csrf(sub), "title": "Q3 statistics", "target_path": "stats/q3"},
                        files=[("files", ("stats.txt", BENIGN, "text/plain")),
                               ("files", ("notes.txt", LEAKING, "text/plain"))])
    assert response.status_code == 303
    url = response.headers["location"]
    pending = sub.get(url)
    assert "scanning…" in pending.text and 'hx-trigger="every 2s"' in pending.text
    site.drain()
    page = sub.get(url).text
    assert 'class="verdict block"' in page and "person-in-text" in page and "G*****, J***" in page
    assert "GARCIA" not in page and "A123456789" not in page  # never the raw values
    good = hashlib.sha256(BENIGN).hexdigest()
    bad = hashlib.sha256(LEAKING).hexdigest()
    for reviewer in ("rev", "rev2"):
        client = site.browser(reviewer)
        response = client.post(f"{url}/approve", data={"csrf": csrf(client), "sha256s": [good]})
        assert response.status_code == 303 and response.headers["location"] == f"{url}?done=approved"
        assert "approval recorded" in client.get(response.headers["location"]).text
    refused = site.browser("rev").post(f"{url}/approve", data={"csrf": csrf(site.browser("rev")), "sha256s": [bad]})
    assert refused.status_code == 409 and "only authorising officials" in refused.text
    pub = site.browser("pub")
    response = pub.post(f"{url}/publish", data={"csrf": csrf(pub), "sha256s": [good]})
    assert response.status_code == 303 and response.headers["location"] == f"{url}?done=published"
    assert '<div class="flash ok" role="status">published</div>' in pub.get(response.headers["location"]).text
    published = site.gate.site.root / "stats/q3/stats.txt"  # type: ignore[attr-defined]
    assert published.read_bytes() == BENIGN
    assert not (site.gate.site.root / "stats/q3/notes.txt").exists()  # type: ignore[attr-defined]


def test_override_is_highlighted(site: Site) -> None:
    sub = site.browser("sub")
    url = sub.post("/releases", data={"csrf": csrf(sub), "title": "Roster", "target_path": "r"},
                   files=[("files", ("notes.txt", LEAKING, "text/plain"))]).headers["location"]
    site.drain()
    bad = hashlib.sha256(LEAKING).hexdigest()
    for who, why in (("ao", WHY_OLGA), ("ao2", WHY_OMAR)):
        ao = site.browser(who)
        response = ao.post(f"{url}/approve", data={"csrf": csrf(ao), "sha256s": [bad], "justification": why,
                                                   "legal_basis": CONSENT})
        assert response.status_code == 303, response.text
        response = ao.get(response.headers["location"])
    assert "Override in effect" in response.text and "OVERRIDE" in response.text
    assert "the applicant&#39;s written consent" in response.text and "approved" in response.text
    audit_page = site.browser("aud").get("/audit").text
    assert "override-tag" in audit_page and "chain intact" in audit_page


def test_refusals_are_shown_on_the_release_page(site: Site) -> None:
    sub = site.browser("sub")
    url = sub.post("/releases", data={"csrf": csrf(sub), "title": "Q", "target_path": "q"},
                   files=[("files", ("stats.txt", BENIGN, "text/plain"))]).headers["location"]
    site.drain()
    pub = site.browser("pub")
    response = pub.post(f"{url}/publish", data={"csrf": csrf(pub)})
    assert response.status_code == 409 and "nothing to publish" in response.text


def test_bad_input_gets_a_clear_message(site: Site) -> None:
    sub = site.browser("sub")
    response = sub.post("/releases", data={"csrf": csrf(sub), "title": "Q", "target_path": "../../etc"})
    assert response.status_code == 422 and "target path" in response.text
    assert site.browser("rev").get("/releases/999999").status_code == 404


def test_audit_exports(site: Site) -> None:
    aud = site.browser("aud")
    text = aud.get("/audit/export.csv").text
    assert text.startswith("seq,created,actor,event,payload,prev_hash,hash") and "user-created" in text
    data = aud.get("/audit/export.json").json()
    assert data[0]["seq"] >= 1 and {"hash", "prev_hash", "event", "actor"} <= set(data[0])


def test_admin_manages_users_and_tokens(site: Site) -> None:
    adm = site.browser("adm")
    response = adm.post("/admin/users", data={"csrf": csrf(adm), "username": "newbie", "password": PASSWORD,
                                              "roles": ["reviewer"]})
    assert response.status_code == 200 and "user newbie created" in response.text
    response = adm.post("/admin/users/newbie/roles", data={"csrf": csrf(adm), "roles": ["publisher", "reviewer"]})
    assert "roles of newbie updated" in response.text
    response = adm.post("/admin/tokens", data={"csrf": csrf(adm), "username": "newbie", "name": "ci"})
    assert "veil_" in response.text


def test_security_headers(site: Site) -> None:
    response = site.browser("rev").get("/releases")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY" and response.headers["cache-control"] == "no-store"
