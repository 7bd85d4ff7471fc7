"""The override on both faces: the release page's form (legal basis list, refusals that keep the official's text)
and the API (`legal_basis` and `justification`, the list of bases, the overrides in the file view)."""

from __future__ import annotations

import hashlib

from fastapi.testclient import TestClient

from support.gate import CONSENT, LEAKING, WHY_OLGA, WHY_OMAR
from support.webgate import Site, csrf

BOILERPLATE_2022 = "Routine statistics update, approved for posting."


def _release(site: Site) -> str:
    sub = site.browser("sub")
    url = sub.post("/releases", data={"csrf": csrf(sub), "title": "Detention statistics", "target_path": "stats"},
                   files=[("files", ("notes.txt", LEAKING, "text/plain"))]).headers["location"]
    site.drain()
    return str(url)


def test_the_form_offers_the_legal_bases_to_authorising_officials_only(site: Site) -> None:
    url = _release(site)
    page = site.browser("ao").get(url).text
    assert 'name="legal_basis"' in page and f'value="{CONSENT}"' in page and "2 authorising officials" in page
    assert "blocked: needs 2 more authorising officials" in page
    assert 'name="legal_basis"' not in site.browser("rev").get(url).text


def test_a_boilerplate_override_is_refused_and_the_text_is_kept(site: Site) -> None:
    url = _release(site)
    bad = hashlib.sha256(LEAKING).hexdigest()
    ao = site.browser("ao")
    refused = ao.post(f"{url}/approve", data={"csrf": csrf(ao), "sha256s": [bad], "justification": BOILERPLATE_2022,
                                              "legal_basis": CONSENT})
    assert refused.status_code == 409 and "not boilerplate" in refused.text
    assert BOILERPLATE_2022 in refused.text and f'value="{CONSENT}" selected' in refused.text
    missing = ao.post(f"{url}/approve", data={"csrf": csrf(ao), "sha256s": [bad], "justification": WHY_OLGA})
    assert missing.status_code == 409 and "must name its legal basis" in missing.text
    done = ao.post(f"{url}/approve", data={"csrf": csrf(ao), "sha256s": [bad], "justification": WHY_OLGA,
                                           "legal_basis": CONSENT})
    assert done.status_code == 303 and "1 more authorising official needed" in ao.get(done.headers["location"]).text


def test_the_api_takes_the_legal_basis_and_shows_the_overrides(site: Site) -> None:
    client = TestClient(site.app)  # type: ignore[arg-type]
    bases = client.get("/api/legal-bases", headers=site.api("rev")).json()
    assert bases[0]["id"] == CONSENT and bases[0]["label"].startswith("8 CFR 208.6(a)")
    rid = client.post("/api/releases", headers=site.api("sub"), json={"title": "R", "target_path": "r"}).json()["id"]
    client.post(f"/api/releases/{rid}/files", headers=site.api("sub"), files={"file": ("n.txt", LEAKING, "text/plain")})
    site.drain()
    sha = hashlib.sha256(LEAKING).hexdigest()
    url = f"/api/releases/{rid}/approvals"
    refused = client.post(url, headers=site.api("ao"), json={"sha256s": [sha], "justification": BOILERPLATE_2022,
                                                             "legal_basis": CONSENT})
    assert refused.status_code == 409 and "boilerplate" in refused.json()["detail"]
    for who, why in (("ao", WHY_OLGA), ("ao2", WHY_OMAR)):
        response = client.post(url, headers=site.api(who), json={"sha256s": [sha], "justification": why,
                                                                  "legal_basis": CONSENT})
        assert response.status_code == 200, response.text
    [file] = response.json()["files"]
    assert file["approved"] and file["officials_needed"] == 0
    assert [(o["by"], o["legal_basis"]) for o in file["overrides"]] == [("ao", CONSENT), ("ao2", CONSENT)]
    assert file["overrides"][0]["legal_basis_label"].startswith("8 CFR 208.6(a)")
    assert [d["legal_basis"] for d in response.json()["decisions"]] == [CONSENT, CONSENT]
