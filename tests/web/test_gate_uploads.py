"""Uploads: who and how big are checked before the body is read; sizes while it streams; nothing over a limit
reaches the disk; more files than allowed are refused, never cut short."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass, field
from typing import Annotated, Any

import pytest
from fastapi import APIRouter, Depends
from fastapi.responses import PlainTextResponse
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from support.webgate import Site, csrf
from veil.store.models_accounts import User
from veil.store.models_releases import ReleaseFile
from veil.web.app import create_app
from veil.web.security import NotAllowed, Principal, requires_upload
from veil.web.uploads import receive_form, upload_limits
from veil.workflow import releases
from veil.workflow.errors import Invalid
from veil.workflow.roles import Role
from veil.workflow.uploads import UploadLimits, UploadReceiver, add_uploads

GIB = 1 << 30
UploadSubmitter = Annotated[Principal, Depends(requires_upload(Role.SUBMITTER))]
BOUNDARY = "veilboundary"


@dataclass
class Wire:
    """An ASGI client that feeds the body on demand and counts how much of it the app pulled."""

    body_chunk: bytes
    chunks: int
    pulled: int = 0
    status: int = 0
    sent: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    def run(self, app: Any, path: str, headers: dict[str, str]) -> Wire:
        scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
                 "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "",
                 "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
                 "client": ("203.0.113.9", 5000), "server": ("testserver", 80)}

        async def receive() -> dict[str, Any]:
            if self.pulled >= self.chunks:
                return {"type": "http.request", "body": b"", "more_body": False}
            self.pulled += 1
            return {"type": "http.request", "body": self.body_chunk, "more_body": self.pulled < self.chunks}

        async def send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                self.status = message["status"]
                self.headers = {k.decode(): v.decode() for k, v in message["headers"]}
            elif message["type"] == "http.response.body":
                self.sent += message.get("body", b"")

        asyncio.run(app(scope, receive, send))
        return self


def _multipart_head(name: str = "big.csv") -> bytes:
    return (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
            "Content-Type: text/csv\r\n\r\n").encode()


def _release(site: Site, client: TestClient) -> int:
    response = client.post("/api/releases", headers=site.api("sub"), json={"title": "Q3", "target_path": "q3"})
    rid: int = response.json()["id"]
    return rid


def _blob_files(site: Site) -> list[str]:
    return [p.name for p in site.gate.blobs.root.rglob("*") if p.is_file()]


def test_an_anonymous_gigabyte_is_refused_before_its_body_is_read(site: Site) -> None:
    client = TestClient(site.app)  # type: ignore[arg-type]
    rid = _release(site, client)
    for declared in ({"Content-Length": str(GIB)}, {"Transfer-Encoding": "chunked"}):
        wire = Wire(b"x" * (1 << 20), chunks=1024).run(
            site.app, f"/api/releases/{rid}/files",
            {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", **declared})
        assert wire.status == 401 and wire.pulled == 0, declared
    page = Wire(b"x" * (1 << 20), chunks=1024).run(
        site.app, f"/releases/{rid}/files",
        {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Content-Length": str(GIB)})
    assert page.status == 401 and page.pulled == 0  # the page routes too
    assert _blob_files(site) == []


def test_a_wrong_token_is_refused_before_the_body_is_read(site: Site) -> None:
    client = TestClient(site.app)  # type: ignore[arg-type]
    rid = _release(site, client)
    wire = Wire(b"x" * 65536, chunks=16).run(
        site.app, f"/api/releases/{rid}/files",
        {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Content-Length": str(16 * 65536),
         "Authorization": "Bearer veil_not-a-token"})
    assert wire.status == 401 and wire.pulled == 0


def test_a_submitter_declaring_too_much_is_refused_before_the_body_is_read(site: Site) -> None:
    client = TestClient(site.app)  # type: ignore[arg-type]
    rid = _release(site, client)
    wire = Wire(b"x" * (1 << 20), chunks=2048).run(
        site.app, f"/api/releases/{rid}/files",
        {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Content-Length": str(2 * GIB),
         "Authorization": f"Bearer {site.tokens['sub']}"})
    assert wire.status == 413 and wire.pulled == 0
    assert b"limit" in wire.sent


def test_a_file_streaming_past_the_limit_is_cut_off_and_never_stored(site: Site) -> None:
    app = create_app(site.gate, start_worker=False, max_upload_bytes=4 << 20)
    client = TestClient(app)
    rid = _release(site, client)
    wire = Wire(_multipart_head() + b"x" * (1 << 20), chunks=64).run(  # chunked: no declared length
        app, f"/api/releases/{rid}/files",
        {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}", "Transfer-Encoding": "chunked",
         "Authorization": f"Bearer {site.tokens['sub']}"})
    assert wire.status == 413 and b"big.csv is larger than the 4,194,304 byte upload limit" in wire.sent
    assert wire.pulled <= 6  # stopped at the limit, not at the end of the body
    assert _blob_files(site) == []
    with site.gate.db.read() as s:
        assert s.scalar(select(func.count(ReleaseFile.id))) == 0


def test_an_upload_within_the_limits_is_stored_and_queued(site: Site) -> None:
    client = TestClient(site.app)  # type: ignore[arg-type]
    rid = _release(site, client)
    data = b"Quarterly statistics: 1,204 applications.\n" * 1000
    response = client.post(f"/api/releases/{rid}/files", headers=site.api("sub"),
                           files={"file": ("stats.txt", data, "text/plain")})
    assert response.status_code == 201, response.text
    assert response.json()["sha256"] == hashlib.sha256(data).hexdigest()
    assert response.json()["scan_status"] == "queued"
    assert site.gate.blobs.get(hashlib.sha256(data).hexdigest()) == data


def test_an_api_upload_takes_exactly_one_file(site: Site) -> None:
    client = TestClient(site.app)  # type: ignore[arg-type]
    rid = _release(site, client)
    two = client.post(f"/api/releases/{rid}/files", headers=site.api("sub"),
                      files=[("file", ("a.txt", b"a", "text/plain")), ("file", ("b.txt", b"b", "text/plain"))])
    assert two.status_code == 422 and "exactly one file" in two.json()["detail"]
    none = client.post(f"/api/releases/{rid}/files", headers=site.api("sub"), data={"x": "1"})
    assert none.status_code == 422


def test_the_upload_needs_the_submitter_role_before_the_body_is_read(site: Site) -> None:
    client = TestClient(site.app)  # type: ignore[arg-type]
    rid = _release(site, client)
    response = client.post(f"/api/releases/{rid}/files", headers=site.api("rev"),
                           files={"file": ("stats.txt", b"x" * 5_000_000, "text/plain")})
    assert response.status_code == 403
    assert _blob_files(site) == []


def _stream_form(site: Site, parts: list[tuple[str, str | None, bytes]], csrf_token: str | None,
                 limits: UploadLimits | None = None) -> Any:
    """Run receive_form over a multipart body made of (field, filename, content) parts."""
    body = b"".join(
        (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\""
         + (f"; filename=\"{filename}\"" if filename is not None else "") + "\r\n\r\n").encode() + content + b"\r\n"
        for name, filename, content in parts) + f"--{BOUNDARY}--\r\n".encode()
    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    request = Request({"type": "http", "method": "POST", "path": "/x", "headers": [
        (b"content-type", f"multipart/form-data; boundary={BOUNDARY}".encode())], "query_string": b""}, receive)
    receiver = UploadReceiver(site.gate.blobs, limits)
    return asyncio.run(receive_form(request, receiver, csrf=csrf_token))


def test_more_files_than_allowed_are_refused_not_dropped(site: Site) -> None:
    parts: list[tuple[str, str | None, bytes]] = [("csrf", None, b"t")]
    parts += [("files", f"f{i}.txt", f"file {i}".encode()) for i in range(101)]
    with pytest.raises(Invalid, match="at most 100 files per upload"):
        _stream_form(site, parts, "t")
    form = _stream_form(site, parts[:101], "t")
    assert len(form.files) == 100 and form.fields == {"csrf": "t"}


def test_a_page_form_must_carry_its_token_before_its_files(site: Site) -> None:
    with pytest.raises(NotAllowed):
        _stream_form(site, [("files", "a.txt", b"a"), ("csrf", None, b"t")], "t")
    with pytest.raises(NotAllowed):
        _stream_form(site, [("csrf", None, b"wrong"), ("files", "a.txt", b"a")], "t")
    assert _blob_files(site) == []
    form = _stream_form(site, [("csrf", None, b"t"), ("title", None, b"Q3"), ("files", "a.txt", b"a"),
                               ("files", "", b"")], "t")
    assert [f.name for f in form.files] == ["a.txt"] and form.fields["title"] == "Q3"


def test_page_upload_still_works_for_a_logged_in_submitter(site: Site) -> None:
    client = site.browser("sub")
    token = csrf(client)
    response = client.post("/releases", data={"csrf": token, "title": "Q4", "target_path": "q4"},
                           files=[("files", ("stats.txt", b"statistics", "text/plain"))])
    assert response.status_code == 303


def test_a_page_route_wired_like_pages_must_be_streams_files_after_login_and_csrf(site: Site) -> None:
    """The wiring pages.py takes on: `requires_upload` (login and role, no form read) + `receive_form` with the
    session's CSRF token + `add_uploads`. Shown here on a route of its own."""
    router = APIRouter()

    @router.post("/test-upload")
    async def upload(request: Request, principal: UploadSubmitter) -> Any:
        receiver = UploadReceiver(site.gate.blobs, upload_limits(request))
        form = await receive_form(request, receiver, csrf=principal.csrf)

        def add() -> int:
            with site.gate.db.write() as s:
                user = s.get(User, principal.id)
                release = releases.create_release(s, user, form.fields.get("title", ""), "t")
                return len(add_uploads(s, site.gate.blobs, release, user, form.files))

        return PlainTextResponse(str(await run_in_threadpool(add)))

    site.app.include_router(router)  # type: ignore[attr-defined]
    client = site.browser("sub")
    token = csrf(client)
    files = [("files", (f"f{i}.txt", f"file {i}".encode(), "text/plain")) for i in range(3)]
    ok = client.post("/test-upload", data={"csrf": token, "title": "Three files"}, files=files)
    assert ok.status_code == 200 and ok.text == "3"
    assert client.post("/test-upload", data={"csrf": "stale", "title": "x"}, files=files).status_code == 403
    assert site.browser("rev").post("/test-upload", data={"csrf": token}, files=files).status_code == 403
    anonymous = TestClient(site.app, follow_redirects=False)  # type: ignore[arg-type]
    assert anonymous.post("/test-upload", files=files).status_code == 303  # to the login page
