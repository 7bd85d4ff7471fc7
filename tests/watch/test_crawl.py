"""Sweeping a site over HTTP: a threaded server on loopback with a leaking file linked from a page, robots.txt,
a redirect loop, an endless stream and a link to another site."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from veil.policy import load_policy
from veil.watch.crawl import CrawlLimits, sweep_site
from veil.watch.state import SweepState

LEAK = b"Case notes\nGARCIA, Jose A123456789 granted asylum on 2021-03-04\n"
PAGE = b"""<html><body><h1>Publications</h1>
<a href="files/stats.txt">Statistics</a> <a href="/files/case-notes.txt#top">Notes</a>
<a href="/private/secret.txt">private</a> <a href="http://other.invalid/x.txt">elsewhere</a>
<a href="/loop">loop</a> <a href="/endless">stream</a> <a href="/gone.txt">gone</a>
<a href="sub/">more</a></body></html>"""


class Site:
    def __init__(self) -> None:
        self.hits: list[str] = []
        hits = self.hits

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                hits.append(self.path)
                routes = {
                    "/": (200, "text/html", PAGE),
                    "/robots.txt": (200, "text/plain", b"User-agent: *\nDisallow: /private/\n"),
                    "/files/stats.txt": (200, "text/plain", b"Quarterly statistics: 1,204 applications.\n"),
                    "/files/case-notes.txt": (200, "text/plain", LEAK),
                    "/private/secret.txt": (200, "text/plain", LEAK),
                    "/sub/": (200, "text/html", b"<a href='../files/stats.txt'>again</a>"),
                }
                if self.path in ("/loop", "/loop2"):
                    self.send_response(302)
                    self.send_header("Location", "/loop2" if self.path == "/loop" else "/loop")
                    self.end_headers()
                    return
                if self.path == "/endless":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/plain")
                    self.end_headers()
                    try:
                        while True:
                            self.wfile.write(b"x" * 65536)
                    except OSError:
                        return
                if self.path not in routes:
                    self.send_error(404)
                    return
                status, kind, body = routes[self.path]
                etag = f'"{len(body)}"'
                if self.headers.get("If-None-Match") == etag:
                    self.send_response(304)
                    self.end_headers()
                    return
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("ETag", etag)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def site() -> Iterator[Site]:
    s = Site()
    yield s
    s.close()


LIMITS = CrawlLimits(delay=0.0, max_bytes=1024 * 1024, timeout=5.0, max_redirects=4)


def test_crawl_finds_the_leaking_file_linked_from_a_page(site: Site, tmp_path: Path) -> None:
    state = SweepState(tmp_path / "state.sqlite")
    report = sweep_site(site.url, load_policy(), state=state, limits=LIMITS)
    flagged = {i.path: i for i in report.flagged}
    assert flagged["files/case-notes.txt"].verdict.value == "block"
    assert "redirects" in flagged["loop"].result.findings[0].message
    assert "download limit" in flagged["endless"].result.findings[0].message
    assert set(flagged) == {"files/case-notes.txt", "loop", "endless"}
    assert "/private/secret.txt" not in site.hits  # robots.txt obeyed
    assert site.hits.count("/files/stats.txt") == 1  # fetched once though linked twice
    assert report.files == 6  # /, stats, case notes, sub/, loop, endless; gone.txt is a 404
    # Second crawl: the unchanged text files answer 304 and are not checked again.
    again = sweep_site(site.url, load_policy(), state=state, limits=LIMITS)
    assert again.unchanged == 2 and {i.path for i in again.flagged} == set(flagged)
    state.close()


def test_a_url_list_fetches_only_the_listed_urls(site: Site) -> None:
    report = sweep_site(site.url, load_policy(), follow=False, limits=LIMITS,
                        urls=[site.url + "files/stats.txt", site.url + "files/case-notes.txt"])
    assert [i.path for i in report.flagged] == ["files/case-notes.txt"]
    assert report.files == 2 and "/" not in site.hits


def test_the_crawl_stops_at_its_file_limit(site: Site) -> None:
    report = sweep_site(site.url, load_policy(), limits=CrawlLimits(delay=0.0, max_files=1, timeout=5.0))
    assert report.files > 1
    assert all("limit was reached" in i.result.findings[0].message for i in report.flagged)


def test_the_command_sweeps_a_url_list_and_a_site(site: Site, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from veil.cli import app

    urls = tmp_path / "urls.txt"
    urls.write_text(f"# published last week\n{site.url}files/case-notes.txt\n{site.url}files/stats.txt\n")
    result = CliRunner().invoke(app, ["sweep", str(urls), "--no-state", "--delay", "0"])
    assert result.exit_code == 1 and "files/case-notes.txt" in result.output and "stats.txt" not in result.output
    result = CliRunner().invoke(app, ["sweep", site.url + "sub/", "--no-state", "--delay", "0", "--max-mb", "1"])
    assert result.exit_code == 0, result.output  # sub/ links only to the statistics


def test_robots_crawl_delay_spaces_the_requests(site: Site, monkeypatch: pytest.MonkeyPatch) -> None:
    import time
    import urllib.robotparser

    from veil.watch import crawl

    pauses: list[float] = []
    real_sleep = time.sleep
    me = threading.get_ident()

    def sleep(seconds: float) -> None:
        # time.sleep is patched for the whole process: threads other tests left running (schedulers) sleep too.
        if threading.get_ident() == me:
            pauses.append(seconds)
        real_sleep(seconds)

    monkeypatch.setattr(crawl.time, "sleep", sleep)
    crawler = crawl.Crawler(CrawlLimits(delay=0.0, timeout=5.0))
    robots = urllib.robotparser.RobotFileParser()
    robots.parse(["User-agent: *", "Crawl-delay: 1"])
    crawler._robots[crawl.origin(site.url)] = robots
    try:
        started = time.monotonic()
        for _ in range(3):
            crawler.fetch(site.url + "files/stats.txt", {})
        elapsed = time.monotonic() - started
    finally:
        crawler.close()
    assert len(pauses) == 2 and elapsed >= 1.9
