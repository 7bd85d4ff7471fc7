"""Web archives for the WARC sweep tests: ordinary HTML pages and whatever else a test puts in, written by warcio.

write_warc(path, [(url, "2019-03-04T10:00:00Z", body, content_type), ...], gzip=True)
pages(n, seed)  ordinary HTML pages (url, body) of a synthetic department site
"""

from __future__ import annotations

import io
import random
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Capture = tuple[str, str, bytes, str]


def write_warc(path: Path, captures: list[Capture], gzip: bool = True) -> bytes:
    """One WARC file with a response record per capture (a warcinfo and a request record too, as a crawler
    writes them); returns its bytes."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gzip)
    writer.write_record(writer.create_warcinfo_record(path.name, {"software": "veil-tests"}))
    for url, when, body, ctype in captures:
        request = writer.create_warc_record(
            url,
            "request",
            payload=io.BytesIO(b""),
            http_headers=StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "x")], is_http_request=True),
            warc_headers_dict={"WARC-Date": when},
        )
        writer.write_record(request)
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", ctype), ("Content-Length", str(len(body)))], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers, warc_headers_dict={"WARC-Date": when}
            )
        )
    blob = buf.getvalue()
    path.write_bytes(blob)
    return blob


def pages(n: int, seed: int = 0) -> list[tuple[str, bytes]]:
    rng = random.Random(seed)
    topics = ["Annual report", "Opening hours", "Press release", "Statistics overview", "Contact us", "Careers"]
    out = []
    for i in range(n):
        topic = rng.choice(topics)
        body = (
            f"<html><head><title>{topic}</title></head><body><h1>{topic}</h1><p>In {2015 + i % 8} the office "
            f"received {rng.randint(100, 9000):,} applications across {rng.randint(3, 40)} regions.</p>"
            "</body></html>"
        ).encode()
        out.append((f"https://www.example.gov/{topic.lower().replace(' ', '-')}/{i}.html", body))
    return out
