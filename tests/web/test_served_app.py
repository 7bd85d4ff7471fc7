"""`veil serve` runs one app: the gate with the sweeper's and the incident responders' pages mounted on it."""

from __future__ import annotations

from fastapi.testclient import TestClient

from support.webgate import Site, login
from veil import __version__
from veil.web.app import create_app


def test_served_app_mounts_watch_and_incidents(site: Site) -> None:
    app = create_app(site.gate, start_worker=False, schedule_sweeps=True)
    with TestClient(app, follow_redirects=False) as client:  # runs the lifespan: the sweep scheduler starts and stops
        assert client.get("/report").status_code == 200
        assert client.get("/api/watch/incidents", headers=site.api("ir")).status_code == 200
        login(client, "ir")
        page = client.get("/incidents")
        assert page.status_code == 200
        assert 'href="/incidents"' in page.text


def test_incidents_link_only_for_responders_and_auditors(site: Site) -> None:
    app = create_app(site.gate, start_worker=False, schedule_sweeps=True)
    client = TestClient(app, follow_redirects=False)
    login(client, "sub")
    assert 'href="/incidents"' not in client.get("/releases").text
    assert client.get("/incidents").status_code == 403


def test_incident_pages_use_the_gate_frame_and_no_inline_styles(site: Site) -> None:
    """The Content-Security-Policy allows no inline styles: pages must style themselves from /static only."""
    app = create_app(site.gate, start_worker=False, schedule_sweeps=True)
    client = TestClient(app, follow_redirects=False)
    login(client, "ir")
    page = client.get("/incidents")
    assert '/static/veil.css' in page.text and 'action="/logout"' in page.text
    assert f"Veil {__version__}" in page.text  # the gate's globals reach the incident pages
    assert "<style" not in page.text and "style=" not in page.text
