"""Start-up does what the first request would otherwise pay for (issue 16: the first request took 8-11 s).
`benchmarks/web_first_request.py` measures it against a real `veil serve`."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from veil.web.app import create_app
from veil.web.rendering import TEMPLATES
from veil.workflow.gate import Gate


def test_templates_and_the_openapi_document_are_ready_before_the_first_request(gate: Gate) -> None:
    TEMPLATES.env.cache.clear()  # type: ignore[union-attr]
    app = create_app(gate, start_worker=False)
    assert app.openapi_schema is None
    with TestClient(app) as client:  # the lifespan (start-up) has run; no request yet
        assert app.openapi_schema is not None
        cached = {key[1] for key in TEMPLATES.env.cache.keys()}  # type: ignore[union-attr]
        assert {"base.html", "login.html", "release.html", "_files.html", "watch/report.html"} <= cached
        began = time.monotonic()
        assert client.get("/login").status_code == 200
        assert time.monotonic() - began < 2.0  # generous for a loaded machine; warm it is ~0.02 s
