"""The release page and the API show a personal file name masked; the file is still stored under its own name."""

from __future__ import annotations

from fastapi.testclient import TestClient

from support.gate import BENIGN
from support.webgate import Site, csrf

PERSONAL = "GARCIA_JOSE_A123456789_credible_fear.txt"
MASKED = "G*****_J***_A*********_c*******_f***.txt"


def test_the_release_page_and_the_api_show_the_name_masked(site: Site) -> None:
    sub = site.browser("sub")
    response = sub.post("/releases", data={"csrf": csrf(sub), "title": "Notes", "target_path": "notes"},
                        files=[("files", (PERSONAL, BENIGN, "text/plain")),
                               ("files", ("statistics.txt", BENIGN, "text/plain"))])
    assert response.status_code == 303
    site.drain()
    page = sub.get(response.headers["location"]).text
    assert MASKED in page and "statistics.txt" in page
    assert "GARCIA" not in page and "A123456789" not in page
    release_id = response.headers["location"].rsplit("/", 1)[-1]
    api = TestClient(site.app).get(f"/api/releases/{release_id}", headers=site.api("rev"))  # type: ignore[arg-type]
    assert api.status_code == 200 and MASKED in api.text and "GARCIA" not in api.text
