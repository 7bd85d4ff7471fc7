"""The override in Chromium: a leaking roster blocked by the real checker, the 2022 boilerplate refused on the page,
two authorising officials each naming a legal basis, publication, the release page marking the file live under an
override, and one click to its incident. Set VEIL_SCREENSHOT_DIR to keep a screenshot of each page."""

from __future__ import annotations

from pathlib import Path

from support.browser import ARGS, BROWSER_MARKS, CHROMIUM, logged_in, roster_csv, shot
from support.gate import CONSENT, WHY_OLGA, WHY_OMAR
from veil.workflow.gate import Gate

pytestmark = BROWSER_MARKS
BOILERPLATE_2022 = "Routine statistics update, approved for posting."


def test_two_officials_override_and_the_incident_is_one_click_away(server: tuple[str, Gate],
                                                                     tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, gate = server
    (tmp_path / "detention-statistics.csv").write_bytes(roster_csv())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:

            sub = logged_in(browser, base, "sub")
            sub.click("text=New release")
            sub.fill("input[name=title]", "Detention statistics November")
            sub.fill("input[name=target_path]", "statistics/detention")
            sub.set_input_files("input[name=files]", [str(tmp_path / "detention-statistics.csv")])
            sub.click("button:has-text('Create release')")
            sub.wait_for_url(f"{base}/releases/*")
            url = sub.url
            expect(sub.locator("tr.file .verdict")).to_have_text("block", timeout=60_000)

            ao = logged_in(browser, base, "ao")
            ao.goto(url)
            ao.check("input[name=sha256s]")
            ao.select_option("select[name=legal_basis]", CONSENT)
            ao.fill("textarea[name=justification]", BOILERPLATE_2022)
            shot(ao, "11-override-form")
            ao.click("button:has-text('Approve selected versions')")
            expect(ao.locator(".flash.error")).to_contain_text("not boilerplate")
            expect(ao.locator("textarea[name=justification]")).to_have_value(BOILERPLATE_2022)
            shot(ao, "12-override-boilerplate-refused")
            ao.check("input[name=sha256s]")
            ao.fill("textarea[name=justification]", WHY_OLGA)
            ao.click("button:has-text('Approve selected versions')")
            expect(ao.locator(".flash.ok")).to_contain_text("approval recorded")
            expect(ao.locator("tr.override-row")).to_contain_text("1 more authorising official needed")
            shot(ao, "13-override-one-of-two")

            ao2 = logged_in(browser, base, "ao2")
            ao2.goto(url)
            ao2.check("input[name=sha256s]")
            ao2.select_option("select[name=legal_basis]", CONSENT)
            ao2.fill("textarea[name=justification]", WHY_OMAR)
            ao2.click("button:has-text('Approve selected versions')")
            expect(ao2.locator(".flash.ok")).to_contain_text("approval recorded")

            pub = logged_in(browser, base, "pub")
            pub.goto(url)
            pub.click("button:has-text('Publish to')")
            expect(pub.locator(".flash.ok")).to_contain_text("published")

            ir = logged_in(browser, base, "ir")
            ir.goto(url)
            expect(ir.locator("text=LIVE UNDER OVERRIDE")).to_be_visible()
            shot(ir, "14-release-live-under-override")
            ir.click("button:has-text('Open incident')")
            ir.wait_for_url(f"{base}/incidents/*")
            expect(ir.locator("body")).to_contain_text("detention-statistics.csv")
            shot(ir, "15-incident-opened")
        finally:
            browser.close()
