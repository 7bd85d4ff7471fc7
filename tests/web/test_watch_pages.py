"""The report form and API (no account needed), and the staff views, on the gate's app."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from support.watch import CAST, LEAKING
from veil.watch.service import WatchConfig, WatchService
from veil.web.app import create_app
from veil.workflow import accounts
from veil.workflow.gate import Gate

BASE = "https://www.agency.example/pub"


@pytest.fixture
def gate(gate: Gate) -> Gate:
    """The shared gate with the sweeper tests' cast of users and its public folder."""
    Path(gate.site.root).mkdir(parents=True, exist_ok=True)  # type: ignore[attr-defined]
    with gate.db.write() as s:
        for name, roles in CAST.items():
            accounts.create_user(s, name, "correct horse battery", roles, actor="setup")
    return gate


@pytest.fixture
def client(gate: Gate) -> Iterator[TestClient]:
    app = create_app(gate, start_worker=False,
                     watch=WatchService(gate, WatchConfig(public_base_url=BASE), scanner=gate.scanner))
    with TestClient(app) as c:
        yield c


def _token(gate: Gate, who: str) -> dict[str, str]:
    with gate.db.write() as s:
        return {"Authorization": f"Bearer {accounts.create_token(s, who, 't', actor='setup')}"}


def test_a_reported_url_is_swept_at_once_and_tracked(gate: Gate, client: TestClient) -> None:
    public = Path(gate.site.root)  # type: ignore[attr-defined]
    (public / "docs").mkdir()
    (public / "docs" / "list.txt").write_bytes(LEAKING)
    sent = client.post("/api/reports", json={"url": f"{BASE}/docs/list.txt", "note": "names of applicants"})
    assert sent.status_code == 202
    token = sent.json()["token"]
    status = client.get(f"/api/reports/{token}").json()
    assert status["status"] == "found" and "incident_id" not in status and "note" not in status
    assert not (public / "docs" / "list.txt").exists()
    staff = client.get("/api/watch/reports", headers=_token(gate, "irene")).json()
    assert staff[0]["incident_id"] and staff[0]["note"] == "names of applicants"
    incidents = client.get("/api/watch/incidents", headers=_token(gate, "audrey")).json()
    assert incidents[0]["files"][0]["public_path"] == "docs/list.txt" and incidents[0]["files"][0]["exposure"]["end"]
    assert client.get("/api/reports/not-a-token").status_code == 404


def test_urls_outside_the_site_are_recorded_not_fetched(client: TestClient) -> None:
    sent = client.post("/api/reports", json={"url": "http://169.254.169.254/latest/meta-data"})
    assert sent.status_code == 202 and sent.json()["status"] == "outside-site"
    assert client.post("/api/reports", json={"url": "javascript:alert(1)"}).status_code in (409, 422)


def test_the_form_needs_no_account(gate: Gate, client: TestClient) -> None:
    assert "Report a published file" in client.get("/report").text
    sent = client.post("/report", data={"url": f"{BASE}/nothing-here.txt", "note": "<script>x</script>"},
                       follow_redirects=False)
    assert sent.status_code == 303 and sent.headers["location"].startswith("/report/")  # Post/Redirect/Get
    page = client.get(sent.headers["location"])
    assert "Report sent" in page.text and "<script>x" not in page.text
    token = page.text.split('href="/report/')[1].split('"')[0]
    assert "not-found" in client.get(f"/report/{token}").text


def test_reloading_report_sent_does_not_report_again(gate: Gate, client: TestClient) -> None:
    from veil.store.models_watch import ExternalReport

    sent = client.post("/report", data={"url": f"{BASE}/nothing-here.txt"}, follow_redirects=False)
    for _ in range(3):  # the browser reloads the page it was sent to: a GET
        assert client.get(sent.headers["location"]).status_code == 200
    with gate.db.read() as s:
        assert s.query(ExternalReport).count() == 1


def test_staff_views_need_the_right_role(gate: Gate, client: TestClient) -> None:
    assert client.get("/api/watch/incidents").status_code == 401
    assert client.get("/api/watch/reports", headers=_token(gate, "audrey")).status_code == 403
    assert client.post("/api/watch/sweep", headers=_token(gate, "alice")).status_code == 403
    done = client.post("/api/watch/sweep", headers=_token(gate, "paul"))
    assert done.status_code == 200 and done.json()["summary"]["flagged"] == 0
    assert client.get("/api/watch/runs", headers=_token(gate, "irene")).json()[0]["trigger"] == "manual"


def test_install_runs_the_scheduler_for_the_apps_lifetime(gate: Gate) -> None:
    app = create_app(gate, start_worker=False, watch=WatchService(gate, scanner=gate.scanner), schedule_sweeps=True)
    with TestClient(app):
        scheduler = app.state.sweep_scheduler
        assert scheduler._thread is not None and scheduler._thread.is_alive()
    assert not scheduler._thread.is_alive()
