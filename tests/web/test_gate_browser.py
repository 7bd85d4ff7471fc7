"""End to end in Debian's Chromium: log in, submit a benign and a leaking file, see the leak blocked with its
finding, approve the benign file as two reviewers, publish it, and find exactly those bytes on the public site.

Uses the real checker (`veil.pipeline.check_bytes`) and a real server on a loopback port. Set
VEIL_SCREENSHOT_DIR to keep a screenshot of each page."""

from __future__ import annotations

from pathlib import Path

from support.browser import ARGS, BROWSER_MARKS, CHROMIUM, logged_in, roster_csv, shot
from veil.pipeline import check_bytes
from veil.workflow.gate import Gate

BENIGN = b"Quarterly statistics: 1,204 asylum applications were received nationally in the quarter.\n"

pytestmark = BROWSER_MARKS


def test_submit_review_approve_publish_in_chromium(server: tuple[str, Gate], tmp_path: Path) -> None:
    from playwright.sync_api import expect, sync_playwright

    base, gate = server
    leaking = roster_csv()
    assert check_bytes(leaking, "roster.csv").verdict.value == "block", "the roster must block (table detectors)"
    (tmp_path / "stats.txt").write_bytes(BENIGN)
    (tmp_path / "roster.csv").write_bytes(leaking)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:

            sub = logged_in(browser, base, "sub", "01-login")
            sub.click("text=New release")
            sub.fill("input[name=title]", "Asylum statistics Q3")
            sub.fill("input[name=target_path]", "statistics/2024-q3")
            sub.set_input_files("input[name=files]", [str(tmp_path / "stats.txt"), str(tmp_path / "roster.csv")])
            shot(sub, "02-new-release")
            sub.click("button:has-text('Create release')")
            sub.wait_for_url(f"{base}/releases/*")
            url = sub.url
            # The files table polls (HTMX) and the page reloads itself when the scans are done.
            expect(sub.locator("tr.file:has-text('roster.csv') .verdict")).to_have_text("block", timeout=60_000)
            expect(sub.locator("tr.file:has-text('stats.txt') .verdict")).to_have_text("pass")
            findings = sub.locator("table.findings").first
            expect(findings).to_contain_text("record-level")
            html = sub.content()
            first_name = leaking.decode().splitlines()[1].split(",")[0]
            assert first_name not in html  # the page shows masked samples only
            shot(sub, "03-release-scanned")

            sha_benign = gate.blobs.put(BENIGN)
            for who in ("rev", "rev2"):
                page = logged_in(browser, base, who)
                page.goto(url)
                page.check(f"input[name=sha256s][value='{sha_benign}']")
                page.click("button:has-text('Approve selected versions')")
                expect(page.locator(".flash.ok")).to_contain_text("approval recorded")
                shot(page, f"04-approved-{who}")

            pub = logged_in(browser, base, "pub")
            pub.goto(url)
            pub.click("button:has-text('Publish to')")
            expect(pub.locator(".flash.ok")).to_contain_text("published")
            shot(pub, "05-published")
            aud = logged_in(browser, base, "aud")
            aud.goto(f"{base}/audit")
            expect(aud.locator(".verdict.pass")).to_contain_text("chain intact")
            shot(aud, "06-audit")
            sub.goto(f"{base}/releases")
            shot(sub, "07-release-list")
        finally:
            browser.close()

    public = gate.site.root / "statistics/2024-q3"  # type: ignore[attr-defined]
    assert (public / "stats.txt").read_bytes() == BENIGN
    assert not (public / "roster.csv").exists()
