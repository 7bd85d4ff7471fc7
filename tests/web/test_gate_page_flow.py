"""How the pages behave in a browser's hands: Post/Redirect/Get after each action, forms offered only to who can use
them, a refused form keeping what was typed, and the first-admin hint of an empty gate."""

from __future__ import annotations

import hashlib

from support.webgate import Site, csrf

BENIGN = b"Quarterly statistics: 1,204 applications received.\n"


def _release(site: Site, *files: tuple[str, bytes]) -> str:
    sub = site.browser("sub")
    response = sub.post("/releases", data={"csrf": csrf(sub), "title": "Q3", "target_path": "q3"},
                        files=[("files", (name, data, "text/plain")) for name, data in files])
    assert response.status_code == 303
    site.drain()
    return str(response.headers["location"])


def _decisions(site: Site) -> int:
    from veil.store.models_releases import Decision

    with site.gate.db.read() as s:
        return s.query(Decision).count()


def test_every_action_redirects_and_a_reload_repeats_nothing(site: Site) -> None:
    url = _release(site, ("stats.txt", BENIGN))
    good = hashlib.sha256(BENIGN).hexdigest()
    rev = site.browser("rev")
    done = rev.post(f"{url}/approve", data={"csrf": csrf(rev), "sha256s": [good]})
    assert done.status_code == 303 and done.headers["location"] == f"{url}?done=approved"
    for _ in range(2):  # reloading the page the browser landed on is a GET: nothing is approved twice
        assert "approval recorded" in rev.get(done.headers["location"]).text
    assert _decisions(site) == 1
    rev2 = site.browser("rev2")
    rev2.post(f"{url}/approve", data={"csrf": csrf(rev2), "sha256s": [good]})
    pub = site.browser("pub")
    published = pub.post(f"{url}/publish", data={"csrf": csrf(pub), "sha256s": [good]})
    assert published.status_code == 303 and published.headers["location"] == f"{url}?done=published"
    withdrawn = pub.post(f"{url}/withdraw", data={"csrf": csrf(pub)})
    assert withdrawn.status_code == 303 and "withdrawn" in pub.get(withdrawn.headers["location"]).text


def test_reject_and_upload_redirect_too(site: Site) -> None:
    url = _release(site, ("stats.txt", BENIGN))
    sub = site.browser("sub")
    uploaded = sub.post(f"{url}/files", data={"csrf": csrf(sub)}, files=[("files", ("more.txt", b"more\n"))])
    assert uploaded.status_code == 303 and "files uploaded; scanning" in sub.get(uploaded.headers["location"]).text
    rev = site.browser("rev")
    rejected = rev.post(f"{url}/reject", data={"csrf": csrf(rev), "comment": "wrong quarter"})
    assert rejected.status_code == 303 and "release rejected" in rev.get(rejected.headers["location"]).text


def test_a_refusal_stays_on_the_page_and_the_done_key_echoes_nothing(site: Site) -> None:
    url = _release(site, ("stats.txt", BENIGN))
    rev = site.browser("rev")
    refused = rev.post(f"{url}/approve", data={"csrf": csrf(rev), "sha256s": ["0" * 64]})
    assert refused.status_code in (404, 409, 422) and 'class="flash error"' in refused.text
    page = rev.get(f"{url}?done=<script>alert(1)</script>").text
    assert "<script>alert" not in page and 'class="flash ok"' not in page


def _user(site: Site, name: str, roles: list[str]) -> None:
    from support.webgate import PASSWORD
    from veil.workflow import accounts

    with site.gate.db.write() as s:
        accounts.create_user(s, name, PASSWORD, roles, actor="setup")


def test_the_submitter_is_not_offered_the_approve_form(site: Site) -> None:
    _user(site, "both", ["submitter", "reviewer"])
    client = site.browser("both")
    response = client.post("/releases", data={"csrf": csrf(client), "title": "Mine", "target_path": "mine"},
                           files=[("files", ("stats.txt", BENIGN, "text/plain"))])
    site.drain()
    page = client.get(response.headers["location"]).text
    assert "You submitted this release, so you cannot approve it" in page
    assert "Approve selected versions" not in page and f'action="{response.headers["location"]}/approve"' not in page
    assert "Reject release" in page  # a submitter who reviews may still reject
    other = site.browser("rev").get(response.headers["location"]).text
    assert "Approve selected versions" in other and "cannot approve" not in other


def test_the_uploader_of_a_version_cannot_tick_it(site: Site) -> None:
    from veil.store.models_accounts import User
    from veil.store.models_releases import ReleaseFile

    url = _release(site, ("stats.txt", BENIGN), ("more.txt", b"more\n"))
    with site.gate.db.write() as s:  # as if `rev` had uploaded one version (an uploader who is not the submitter)
        rev = s.query(User).filter_by(username="rev").one()
        s.query(ReleaseFile).filter_by(name="more.txt").one().uploader_id = rev.id
    page = site.browser("rev").get(url).text
    more = hashlib.sha256(b"more\n").hexdigest()
    assert f'value="{more}" disabled' in page and "you uploaded this version: you cannot approve it" in page
    assert f'value="{hashlib.sha256(BENIGN).hexdigest()}" disabled' not in page  # the other one can be ticked
    with site.gate.db.write() as s:
        rev = s.query(User).filter_by(username="rev").one()
        for f in s.query(ReleaseFile):
            f.uploader_id = rev.id
    page = site.browser("rev").get(url).text
    assert "You uploaded every file version in this release" in page and "Approve selected versions" not in page
