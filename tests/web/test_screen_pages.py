"""The screen page (`/screen`): any signed-in role screens a message or a manifest as `veil screen` does; the page
shows the verdict, the masked findings and what to send instead, and never the message's names outside that
suggestion; every decision is audited under the signed-in user. Synthetic people only."""

from __future__ import annotations

import html
import json
import re
from datetime import date

import pytest
from fastapi.testclient import TestClient

from support.incident_people import add_incident_people
from support.webgate import ROLE_USERS, Site, csrf, login
from veil.web.app import create_app
from veil.workflow import audit

# One held person of Guatemala (an incident's affected set, under a protective hold).
PEOPLE = [{"given": "José", "surname": "GARCÍA", "dob": date(1980, 2, 1), "nationality": "Guatemala",
           "anumber": "123456789"}]
DISCLOSING = ("Dear Embassy,\n\nMarisol Quintanilla Reyes claimed fear of return and her asylum case is pending. "
              "Jose Garcia travels on Monday.\n\nThe flight departs at 10:00 with 103 passengers.")
NAMES = ("Marisol", "Quintanilla", "Reyes", "Garcia", "García", "Jose", "José", "123456789")
SUGGESTION = re.compile(r'<textarea id="suggestion"[^>]*>(.*?)</textarea>', re.S)


@pytest.fixture
def held(site: Site) -> Site:
    add_incident_people(site.gate.db, PEOPLE, held=[0])
    return site


def _screen(site: Site, who: str = "sub", files: dict[str, tuple[str, bytes]] | None = None,
            client: TestClient | None = None, **fields: str):  # type: ignore[no-untyped-def]
    client = client or site.browser(who)
    data = {"csrf": csrf(client), **fields}
    return client.post("/screen", data=data, files=files) if files else client.post("/screen", data=data)


def _screens(site: Site) -> list[dict[str, object]]:
    with site.gate.db.read() as s:
        return [audit.entry_dict(e) for e in audit.page(s, 0, 100, "screen")]


def test_login_required(site: Site) -> None:
    anonymous = TestClient(site.app, follow_redirects=False)  # type: ignore[arg-type]
    assert anonymous.get("/screen").headers["location"] == "/login?next=/screen"
    posted = anonymous.post("/screen", data={"message": DISCLOSING})
    assert posted.status_code == 303 and posted.headers["location"].startswith("/login")
    assert _screens(site) == []


@pytest.mark.parametrize("who", [name for name, roles in ROLE_USERS.items() if roles])
def test_every_role_may_screen_and_sees_the_link(site: Site, who: str) -> None:
    page = site.browser(who).get("/releases")
    assert '<a href="/screen">Screen a message</a>' in page.text
    form = site.browser(who).get("/screen")
    assert form.status_code == 200 and 'name="recipient_kind"' in form.text


def test_no_role_no_screen(site: Site) -> None:
    assert site.browser("nobody").get("/screen").status_code == 403


def test_every_recipient_kind_offered_none_preselected(site: Site) -> None:
    from veil.screen import RecipientKind

    page = site.browser("rev").get("/screen").text
    select = page[page.index('name="recipient_kind"'):page.index("</select>")]
    for kind in RecipientKind:
        assert f'<option value="{kind.value}" >' in select
    assert "selected" not in select and "treated as the strictest" in select


def test_csrf_required(site: Site) -> None:
    client = site.browser("sub")
    for token in (None, "wrong"):
        data = {"message": DISCLOSING, "recipient_kind": "public"} | ({"csrf": token} if token else {})
        refused = client.post("/screen", data=data)
        assert refused.status_code == 403 and "security token" in refused.text
        refused = client.post("/screen", data=data, files={"file": ("m.txt", b"hello")})
        assert refused.status_code == 403
    assert _screens(site) == []


def test_blocked_message_masked_findings_and_suggestion(held: Site) -> None:
    page = _screen(held, message=DISCLOSING, recipient="Gobierno de Guatemala", recipient_kind="foreign-government")
    assert page.status_code == 200
    assert "Blocked: do not send this" in page.text
    assert "status-disclosure" in page.text and "protected-person" in page.text
    assert "M****** Q********** R****" in page.text  # the sentence, masked
    suggestion = SUGGESTION.search(page.text)
    assert suggestion, "a suggestion to copy"
    sent = html.unescape(suggestion.group(1))
    assert "The flight departs at 10:00 with 103 passengers." in sent
    assert "fear" not in sent and "Garcia" not in sent
    rest = page.text.replace(suggestion.group(0), "")
    for name in NAMES + ("Gobierno de Guatemala",):
        assert name not in rest, name
    assert "screened again: pass" in page.text


def test_permitted_recipient_passes(held: Site) -> None:
    message = "Marisol Quintanilla Reyes claimed fear of return and her asylum case is pending."
    page = _screen(held, message=message, recipient_kind="court")
    assert page.status_code == 200 and "May be sent" in page.text
    assert "status-disclosure" in page.text and "allowed" in page.text  # listed, not blocking
    assert "Marisol" not in page.text and 'id="suggestion"' not in page.text


def test_no_kind_is_the_strictest(site: Site) -> None:
    page = _screen(site, message="Some of the 103 passengers claimed fear.")
    assert "Blocked" in page.text and "kind not given" in page.text


def test_decision_audited_under_the_user(held: Site) -> None:
    _screen(held, who="ao", message=DISCLOSING, recipient="Gobierno de Guatemala",
            recipient_kind="foreign-government")
    _screen(held, who="aud", message="The flight departs at 10:00.", recipient_kind="public")
    entries = _screens(held)
    assert [(e["actor"], e["payload"]["verdict"]) for e in entries] == [("aud", "pass"), ("ao", "block")]  # type: ignore[index]
    blocked = entries[1]["payload"]
    assert blocked["recipient_kind"] == "foreign-government" and blocked["file"] == "m******.t**"  # type: ignore[index]
    assert {f["kind"] for f in blocked["findings"]} == {"status-disclosure", "protected-person"}  # type: ignore[index]
    assert blocked["suggestion_sha256"]  # type: ignore[index]
    raw = json.dumps(entries, ensure_ascii=False)
    for name in NAMES + ("Gobierno",):
        assert name not in raw, name
    with held.gate.db.read() as s:
        assert audit.verify(s).ok


def test_incidents_can_be_left_out(held: Site) -> None:
    message = "Jose Garcia travels on Monday."
    on = _screen(held, message=message, recipient_kind="foreign-government", recipient="Gobierno de Guatemala")
    assert "Blocked" in on.text and "protected-person" in on.text
    off = _screen(held, message=message, recipient_kind="foreign-government", incidents="off")
    assert "May be sent" in off.text


def test_message_file_is_screened_and_not_kept(held: Site) -> None:
    page = _screen(held, files={"file": ("draft.txt", DISCLOSING.encode())}, recipient_kind="public")
    assert page.status_code == 200 and "Blocked" in page.text and "d****.txt" in page.text  # the name masked
    assert "Marisol" not in page.text.replace(SUGGESTION.search(page.text).group(0), "")  # type: ignore[union-attr]
    assert [p for p in held.gate.blobs.root.rglob("*") if p.is_file()] == []  # held in memory, never stored


def test_unreadable_file_blocks_with_a_clear_reason(site: Site) -> None:
    page = _screen(site, files={"file": ("letter.pdf", b"%PDF-1.7\n\x00\x01 not a pdf at all")},
                   recipient_kind="court")
    assert page.status_code == 200 and "Blocked" in page.text
    assert "unreadable" in page.text
    assert len(_screens(site)) == 1


def test_wrong_file_type_is_a_field_error(site: Site) -> None:
    page = _screen(site, files={"file": ("tool.exe", b"MZ\x90\x00")}, recipient_kind="court")
    assert page.status_code == 422 and "a message is .eml, .msg, .docx, .pdf, .txt" in page.text
    assert _screens(site) == []


def test_text_and_file_or_neither(site: Site) -> None:
    both = _screen(site, files={"file": ("m.txt", b"hello")}, message="hello again")
    assert both.status_code == 422 and "not both" in both.text
    neither = _screen(site, message="  ")
    assert neither.status_code == 422 and "paste the message, or choose a file" in neither.text
    assert _screens(site) == []


def test_oversized_file_is_refused_clearly(site: Site) -> None:
    small = create_app(site.gate, start_worker=False, max_upload_bytes=4096)
    with TestClient(small, follow_redirects=False) as client:
        login(client, "sub")
        page = _screen(site, client=client, files={"file": ("Marisol_Quintanilla.txt", b"The flight departs. " * 1000)})
    assert page.status_code == 413 and "the file is larger than the 4,096 byte upload limit" in page.text
    assert "Marisol" not in page.text
    assert "Screen a message" in page.text  # the form again, with the error
    assert _screens(site) == []


def test_manifest_with_a_held_person(held: Site) -> None:
    manifest = ("Name,DOB,Nationality,Flight\n"
                "José García,1980-02-01,Guatemala,GT1\n"
                "Rosa Díaz,1975-03-04,Guatemala,GT1\n").encode()
    page = _screen(held, files={"file": ("flight.csv", manifest)}, recipient_kind="foreign-government",
                   recipient="Gobierno de Guatemala")
    assert page.status_code == 200 and "Blocked" in page.text and "manifest-person" in page.text
    assert 'download="manifest-to-send.csv"' in page.text and "data:text/csv;base64," in page.text
    for name in ("García", "Garcia", "Rosa", "Díaz"):
        assert name not in page.text
    assert _screens(held)[0]["payload"]["what"] == "manifest"  # type: ignore[index]
