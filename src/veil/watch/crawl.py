"""Sweeping a site over HTTP: a crawl from its root, or a list of URLs, with httpx.

Polite and bounded: same origin only (scheme, host and port of the start URL), robots.txt obeyed (with its
Crawl-delay), at least `delay` seconds between requests, at most `max_depth` links deep and `max_files` files,
each download capped at `max_bytes` and `file_seconds`, redirects followed by hand up to `max_redirects` (a site
that redirects forever or streams without end becomes an unverifiable item and the crawl goes on), the whole
crawl capped at `seconds`. Conditional requests (ETag / Last-Modified) skip files that did not change.
"""

from __future__ import annotations

import hashlib
import time
import urllib.robotparser
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

import httpx

from veil.policy import Policy
from veil.readers.limits import Limits
from veil.watch.approvals import ApprovalSource, NoApprovals
from veil.watch.scanning import Scanner
from veil.watch.state import SweepState
from veil.watch.sweep import Ledger, SweepReport

USER_AGENT = "VeilSweeper/1 (+https://github.com/veil; checks what an organisation publishes)"
_LINK_ATTRS = {"a": "href", "area": "href", "link": "href", "iframe": "src", "frame": "src", "embed": "src",
               "source": "src", "object": "data"}


@dataclass(frozen=True)
class CrawlLimits:
    max_depth: int = 5
    max_files: int = 10_000
    max_bytes: int = 100 * 1024 * 1024
    max_redirects: int = 5
    delay: float = 0.2
    timeout: float = 30.0
    file_seconds: float = 120.0
    seconds: float = 3600.0


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = _LINK_ATTRS.get(tag)
        for name, value in attrs:
            if name == wanted and value:
                self.links.append(value.strip())


def links_in(html: bytes) -> list[str]:
    parser = _Links()
    try:
        parser.feed(html.decode("utf-8", errors="replace"))
        parser.close()
    except Exception:  # noqa: BLE001 - a page we cannot parse has no links we can follow; its bytes are still checked
        return parser.links
    return parser.links


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _clean(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


class _Fetched:
    def __init__(self, url: str, status: int, body: bytes | None, etag: str = "", last_modified: str = "",
                 html: bool = False, problem: str = "") -> None:
        self.url, self.status, self.body = url, status, body
        self.etag, self.last_modified, self.html, self.problem = etag, last_modified, html, problem


class Crawler:
    def __init__(self, limits: CrawlLimits | None = None, transport: httpx.BaseTransport | None = None) -> None:
        self.limits = limits or CrawlLimits()
        self.client = httpx.Client(follow_redirects=False, timeout=self.limits.timeout, transport=transport,
                                   headers={"User-Agent": USER_AGENT})
        self._robots: dict[str, urllib.robotparser.RobotFileParser] = {}
        self._last_request = 0.0
        self.skipped_by_robots = 0

    def close(self) -> None:
        self.client.close()

    def _wait(self, site: str) -> None:
        robots = self._robots.get(site)
        delay = self.limits.delay
        crawl_delay = robots.crawl_delay(USER_AGENT) if robots else None
        if crawl_delay:
            delay = max(delay, float(crawl_delay))
        pause = self._last_request + delay - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        self._last_request = time.monotonic()

    def allowed(self, url: str) -> bool:
        site = origin(url)
        if site not in self._robots:
            parser = urllib.robotparser.RobotFileParser()
            fetched = self.fetch(site + "/robots.txt", {}, robots=True)
            if fetched.status == 200 and fetched.body is not None:
                parser.parse(fetched.body.decode("utf-8", errors="replace").splitlines())
            else:
                parser.parse([])  # no robots.txt (or unreadable): everything is allowed
            self._robots[site] = parser
        return self._robots[site].can_fetch(USER_AGENT, url)

    def fetch(self, url: str, headers: dict[str, str], robots: bool = False) -> _Fetched:
        """GET with redirects followed by hand (same origin only) and the size and time caps."""
        site = origin(url)
        for _ in range(self.limits.max_redirects + 1):
            self._wait(site)
            try:
                with self.client.stream("GET", url, headers=headers) as response:
                    if response.has_redirect_location:
                        target = _clean(urljoin(url, response.headers.get("location", "")))
                        if origin(target) != site:
                            return _Fetched(url, response.status_code, None,
                                            problem="redirects to another site (not followed)")
                        url = target
                        continue
                    if response.status_code == 304:
                        return _Fetched(url, 304, None)
                    if response.status_code != 200:
                        return _Fetched(url, response.status_code, None,
                                        problem=f"the server answered HTTP {response.status_code}")
                    limit = 512 * 1024 if robots else self.limits.max_bytes
                    body, problem = self._read(response, limit)
                    kind = response.headers.get("content-type", "").lower()
                    return _Fetched(url, 200, body, response.headers.get("etag", ""),
                                    response.headers.get("last-modified", ""), "html" in kind, problem)
            except httpx.HTTPError as exc:
                return _Fetched(url, 0, None, problem=f"could not fetch ({type(exc).__name__})")
        return _Fetched(url, 0, None, problem=f"more than {self.limits.max_redirects} redirects (a redirect loop?)")

    def _read(self, response: httpx.Response, limit: int) -> tuple[bytes | None, str]:
        chunks, total, started = [], 0, time.monotonic()
        for chunk in response.iter_bytes():
            total += len(chunk)
            if total > limit:
                return None, f"larger than the {limit} byte download limit (an endless stream?)"
            if time.monotonic() - started > self.limits.file_seconds:
                return None, f"download took longer than {self.limits.file_seconds:.0f} s"
            chunks.append(chunk)
        return b"".join(chunks), ""


def public_path(url: str, base: str) -> str:
    """The path of `url` under the site root `base` (what the publication records name)."""
    path = unquote(urlsplit(url).path)
    prefix = urlsplit(base).path.rstrip("/")
    if prefix and path.startswith(prefix + "/"):
        path = path[len(prefix):]
    return path.lstrip("/")


def sweep_site(start: str, policy: Policy, *, follow: bool = True, urls: Iterable[str] | None = None,
               state: SweepState | None = None, approvals: ApprovalSource | None = None,
               scanner: Scanner | None = None, limits: CrawlLimits | None = None,
               transport: httpx.BaseTransport | None = None, key: str | None = None) -> SweepReport:
    """Crawl from `start` (`follow`), or fetch just `urls`; check every file fetched. Paths in the report and the
    approval check are relative to `start`'s folder; the state is kept under `key` (default: `start`)."""
    from veil.pipeline import check_bytes

    crawl_limits = limits or CrawlLimits()
    check_limits = Limits(max_file_bytes=crawl_limits.max_bytes)
    start = _clean(start)
    ledger = Ledger(key or start, state, approvals or NoApprovals(), policy)
    crawler = Crawler(crawl_limits, transport)
    deadline = time.monotonic() + crawl_limits.seconds
    queue: deque[tuple[str, int]] = deque((_clean(u), 0) for u in (urls if urls is not None else [start]))
    queued = {u for u, _ in queue}
    fetched = 0
    try:
        while queue:
            url, depth = queue.popleft()
            name = public_path(url, start) or "/"
            if time.monotonic() > deadline or fetched >= crawl_limits.max_files:
                ledger.problem(name, url, "not fetched: the crawl's time or file limit was reached")
                continue
            if not crawler.allowed(url):
                crawler.skipped_by_robots += 1
                continue
            known = ledger.known.get(name)
            headers = {}
            if known is not None and ledger.current(known):
                if known.etag:
                    headers["If-None-Match"] = known.etag
                if known.last_modified:
                    headers["If-Modified-Since"] = known.last_modified
            got = crawler.fetch(url, headers)
            fetched += 1
            if got.status == 304 and known is not None:
                ledger.unchanged(known, url)
                continue
            if got.problem or got.body is None:
                if got.status in (404, 410):
                    continue  # nothing is published there (a broken link, or a file already taken down)
                ledger.problem(name, url, got.problem or "no content")
                continue
            sha = hashlib.sha256(got.body).hexdigest()
            same = known is not None and ledger.current(known) and known.sha256 == sha
            result = None if same else (scanner(got.body, name) if scanner
                                        else check_bytes(got.body, name, policy, check_limits))
            # Pages are fetched in full each time (their links are needed), so keep no validators for them.
            validators = ("", "") if got.html else (got.etag, got.last_modified)
            ledger.checked(name, got.url, sha, len(got.body), result, (len(got.body), 0, 0, 0), *validators)
            if follow and got.html and depth < crawl_limits.max_depth:
                for link in links_in(got.body):
                    target = _clean(urljoin(got.url, link))
                    if origin(target) == origin(start) and target.startswith(("http://", "https://")) \
                            and target not in queued:
                        queued.add(target)
                        queue.append((target, depth + 1))
    finally:
        crawler.close()
    return ledger.finish(forget_unseen=follow)
