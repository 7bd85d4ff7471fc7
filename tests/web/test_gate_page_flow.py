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


def _blobs(site: Site) -> int:
    root = site.gate.blobs.root  # type: ignore[attr-defined]
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


def test_an_empty_new_release_form_keeps_what_was_typed_and_marks_the_fields(site: Site) -> None:
    sub = site.browser("sub")
    response = sub.post("/releases", data={"csrf": csrf(sub), "title": "  ", "target_path": "",
                                           "notes": "for the <b>Q3</b> board"},
                        files=[("files", ("stats.txt", BENIGN, "text/plain"))])
    assert response.status_code == 422
    page = response.text
    assert 'id="title-error">give the release a title</span>' in page
    assert 'id="target-error">say where on the public site the files go' in page
    assert "for the &lt;b&gt;Q3&lt;/b&gt; board</textarea>" in page  # kept, escaped
    assert "choose the files again" in page
    assert _blobs(site) == 0  # the text fields are refused before any file is stored


def test_an_invalid_target_path_keeps_the_title(site: Site) -> None:
    sub = site.browser("sub")
    response = sub.post("/releases", data={"csrf": csrf(sub), "title": "Asylum statistics Q3",
                                           "target_path": "../../etc"})
    assert response.status_code == 422
    assert 'value="Asylum statistics Q3"' in response.text and 'value="../../etc"' in response.text
    assert 'id="target-error">the target path must be a relative path' in response.text
    assert 'id="title-error"' not in response.text


def test_too_many_files_is_a_clear_error_not_a_silent_cut(site: Site) -> None:
    from veil.workflow.uploads import UploadLimits

    site.app.state.upload_limits = UploadLimits(max_files=2)  # type: ignore[attr-defined]
    sub = site.browser("sub")
    files = [("files", (f"f{i}.txt", f"file {i}\n".encode(), "text/plain")) for i in range(3)]
    new = sub.post("/releases", data={"csrf": csrf(sub), "title": "Many", "target_path": "many"}, files=files)
    assert new.status_code == 422 and "at most 2 files per upload" in new.text and 'value="Many"' in new.text
    url = _release(site, ("stats.txt", BENIGN))
    more = sub.post(f"{url}/files", data={"csrf": csrf(sub)}, files=files)
    assert more.status_code == 422 and "at most 2 files per upload; send the others in another upload" in more.text
    assert "f0.txt" not in sub.get(url).text  # nothing of a refused upload is added


def test_an_oversized_page_upload_is_refused_and_not_stored(site: Site) -> None:
    from veil.workflow.uploads import UploadLimits

    site.app.state.upload_limits = UploadLimits(max_file_bytes=1000)  # type: ignore[attr-defined]
    url = _release(site, ("stats.txt", BENIGN))
    before = _blobs(site)
    sub = site.browser("sub")
    big = sub.post(f"{url}/files", data={"csrf": csrf(sub)}, files=[("files", ("big.txt", b"x" * 5000))])
    assert big.status_code == 413 and "larger than the 1,000 byte upload limit" in big.text
    assert _blobs(site) == before


def test_a_page_upload_with_a_wrong_token_stores_nothing(site: Site) -> None:
    url = _release(site, ("stats.txt", BENIGN))
    before = _blobs(site)
    sub = site.browser("sub")
    forged = sub.post(f"{url}/files", data={"csrf": "forged"}, files=[("files", ("more.txt", b"more\n"))])
    assert forged.status_code == 403 and _blobs(site) == before


def test_with_no_users_the_login_page_says_how_to_create_the_first_admin(gate, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import html
    import shlex

    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from veil.cli import app as cli
    from veil.web.app import create_app

    client = TestClient(create_app(gate, start_worker=False))
    page = client.get("/login").text
    assert "No users yet" in page
    command = html.unescape(page.split('<code class="command">')[1].split("</code>")[0])
    assert command.startswith("veil admin create-user admin --role admin")
    if gate.db.is_sqlite:  # the command, run as shown, makes an admin who can then log in
        assert f"--data-dir {shlex.quote(str(gate.data_dir))}" in command
        args = shlex.split(command)[1:] + ["--password", "correct horse battery"]
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
        assert "No users yet" not in client.get("/login").text
    else:
        assert '--database-url "$VEIL_DATABASE_URL"' in command and "postgresql://" not in page


def test_with_users_the_login_page_has_no_hint(site: Site) -> None:
    from fastapi.testclient import TestClient

    assert "No users yet" not in TestClient(site.app).get("/login").text  # type: ignore[arg-type]
