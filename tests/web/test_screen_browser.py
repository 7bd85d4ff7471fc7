"""In Chromium: a reviewer follows the navigation to the screen page, pastes a message about a held person for their
own government, and sees it blocked, the findings masked and the text to send instead; the same page at a phone's
width (375 px) sticks out nowhere. Set VEIL_SCREENSHOT_DIR to keep the screenshots."""

from __future__ import annotations

from datetime import date

from support.browser import ARGS, BROWSER_MARKS, CHROMIUM, logged_in, shot
from support.incident_people import add_incident_people
from veil.workflow.gate import Gate

pytestmark = BROWSER_MARKS

MESSAGE = ("Dear Embassy,\n\nJose Garcia travels on Monday. Some of the 103 passengers claimed fear of return.\n\n"
           "The flight departs at 10:00.")


def _overflow(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_screen_a_message_in_chromium(server: tuple[str, Gate]) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, gate = server
    add_incident_people(gate.db, [{"given": "José", "surname": "GARCÍA", "dob": date(1980, 2, 1),
                                   "nationality": "Guatemala"}], held=[0])
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = logged_in(browser, base, "rev")
            page.click("nav >> text=Screen a message")
            page.wait_for_url(f"{base}/screen")
            shot(page, "screen-form-desktop")
            page.select_option("select[name=recipient_kind]", "foreign-government")
            page.fill("input[name=recipient]", "Gobierno de Guatemala")
            page.fill("textarea[name=message]", MESSAGE)
            page.click("button:has-text('Screen')")
            expect(page.locator(".screen-result h1")).to_have_text("Blocked: do not send this")
            expect(page.locator(".screen-result .verdict")).to_have_text("block")
            expect(page.locator("tr.finding .kind").first).to_be_visible()
            assert set(page.locator("tr.finding .kind").all_inner_texts()) == {"protected-person",
                                                                               "status-disclosure"}
            suggestion = page.locator("textarea#suggestion")
            expect(suggestion).to_have_value("Dear Embassy,\n\nThe flight departs at 10:00.")
            expect(page.locator("button.copy")).to_be_visible()
            outside = page.evaluate("document.body.innerText")
            assert "Garcia" not in outside and "Gobierno" not in outside
            shot(page, "screen-blocked-desktop")

            page.set_viewport_size({"width": 375, "height": 812})
            assert _overflow(page) <= 0, "the result is wider than a phone"
            shot(page, "screen-blocked-phone")
            page.goto(f"{base}/screen")
            assert _overflow(page) <= 0, "the form is wider than a phone"
            shot(page, "screen-form-phone")
        finally:
            browser.close()
