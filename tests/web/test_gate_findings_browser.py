"""In Chromium: the release page shows each finding as `veil check` does (the small cells flagged, masked samples),
and no page is wider than a phone's screen (375 px). Set VEIL_SCREENSHOT_DIR to keep the screenshots."""

from __future__ import annotations

from pathlib import Path

from support.browser import ARGS, BROWSER_MARKS, CHROMIUM, PASSWORD, roster_csv, shot
from veil.workflow.gate import Gate

pytestmark = BROWSER_MARKS

CROSSTAB = (b"Nationality,Male,Female,Total\nHonduras,3,140,143\nMexico,250,2,252\n"
            b"Guatemala,180,175,355\nEl Salvador,95,88,183\n")
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


def _page(browser, base: str, who: str, viewport: dict[str, int]):  # type: ignore[no-untyped-def]
    page = browser.new_context(viewport=viewport).new_page()
    page.set_default_timeout(30_000)
    page.goto(f"{base}/login")
    page.fill("input[name=username]", who)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/releases")
    return page


def _overflow(page) -> int:  # type: ignore[no-untyped-def]
    """How many pixels the page is wider than the window (0: nothing sticks out)."""
    return int(page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))


def test_findings_and_phone_width_in_chromium(server: tuple[str, Gate], tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, _gate = server
    roster = roster_csv(12)
    (tmp_path / "by-nationality.csv").write_bytes(CROSSTAB)
    (tmp_path / "roster.csv").write_bytes(roster)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            sub = _page(browser, base, "sub", DESKTOP)
            sub.goto(f"{base}/releases/new")
            sub.fill("input[name=title]", "Asylum statistics Q3")
            sub.fill("input[name=target_path]", "statistics/2024-q3")
            sub.set_input_files("input[name=files]", [str(tmp_path / "by-nationality.csv"),
                                                      str(tmp_path / "roster.csv")])
            sub.click("button:has-text('Create release')")
            sub.wait_for_url(f"{base}/releases/*")
            url = sub.url
            expect(sub.locator("tr.file:has-text('by-nationality.csv') .verdict")).to_have_text("review",
                                                                                              timeout=90_000)
            expect(sub.locator("tr.file:has-text('roster.csv') .verdict")).to_have_text("block", timeout=90_000)

            rev = _page(browser, base, "rev", DESKTOP)
            rev.goto(url)
            cells = rev.locator("tr.finding:has-text('small-cells') .cells")
            expect(cells).to_contain_text("Cells flagged (2)")
            expect(cells.locator("code")).to_have_text(["row 2 col 2=3", "row 3 col 3=2"])
            expect(rev.locator("tr.finding:has-text('small-cells') .evidence")).to_contain_text("threshold 10")
            expect(rev.locator("tr.finding:has-text('small-cells') .advice")).to_contain_text("suppress, round")
            assert rev.locator("td.samples code").count() > 0  # masked samples of the roster
            first_name = roster.decode().splitlines()[1].split(",")[0]
            assert first_name not in rev.content()
            assert _overflow(rev) <= 0
            shot(rev, "release-findings-desktop")

            phone = _page(browser, base, "rev", PHONE)
            for path in (url, f"{base}/releases", f"{base}/releases/new", f"{base}/audit"):
                phone.goto(path)
                assert _overflow(phone) <= 0, f"{path} is wider than a phone at 375 px"
            phone.goto(url)
            expect(phone.locator("tr.finding:has-text('small-cells') .cells")).to_be_visible()
            shot(phone, "release-findings-phone")
            aud = _page(browser, base, "aud", PHONE)
            aud.goto(f"{base}/audit")
            assert _overflow(aud) <= 0, "the audit log is wider than a phone at 375 px"
            shot(aud, "audit-phone")
        finally:
            browser.close()
