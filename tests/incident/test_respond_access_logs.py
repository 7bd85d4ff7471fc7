# ruff: noqa: F811  (pytest fixtures imported from support.respond are redefined as arguments)
"""Access logs: every supported format, the exposure window, malformed lines counted (never a crash), imports all
or nothing, the claw-back list."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from support.respond import cheap_password_hashing, db  # noqa: F401  (fixtures)
from veil.incident import access_logs, incidents
from veil.incident.access_logs import AccessLogError, ParseReport, parse_log
from veil.store.engine import Database
from veil.store.models_incident import IrAccessRequest
from veil.workflow.errors import Refused

START = datetime(2026, 3, 1, 0, 0, tzinfo=UTC)
END = datetime(2026, 3, 10, 0, 0, tzinfo=UTC)
URL = "https://agency.example/data/detainees%202026.csv"



def _clf(ip: str, when: datetime, path: str, status: int = 200, size: int = 5120, ua: str = "curl/8.0",
         combined: bool = True) -> str:
    line = f'{ip} - - [{when.strftime("%d/%b/%Y:%H:%M:%S +0000")}] "GET {path} HTTP/1.1" {status} {size}'
    return line + (f' "-" "{ua}"' if combined else "")


def _lines(tmp: Path, name: str, lines: list[str], gz: bool = False) -> Path:
    path = tmp / name
    data = ("\n".join(lines) + "\n").encode()
    path.write_bytes(gzip.compress(data) if gz else data)
    return path


def _parse(path: Path) -> tuple[list[access_logs.Request], ParseReport]:
    report = ParseReport()
    return list(parse_log(path, report)), report


def test_combined_and_common_with_malformed_lines(tmp_path: Path) -> None:
    lines = [_clf("203.0.113.5", START + timedelta(days=1), "/data/detainees%202026.csv"),
             "this is not a log line",
             _clf("198.51.100.7", START + timedelta(days=2), "/data/detainees%202026.csv?x=1", combined=False),
             '203.0.113.9 - - [32/Foo/2026:99:00:00 +0000] "GET / HTTP/1.1" 200 1 "-" "x"']
    requests, report = _parse(_lines(tmp_path, "access.log", lines, gz=True))
    assert report.format == "clf" and report.parsed == 2
    assert report.malformed == 2 and report.malformed_lines == [2, 4]
    assert requests[0].path == "/data/detainees 2026.csv" and requests[0].user_agent == "curl/8.0"
    assert requests[1].user_agent == "" and requests[1].bytes == 5120


def test_json_s3_and_cloudfront(tmp_path: Path) -> None:
    when = START + timedelta(days=3)
    js = [json.dumps({"time_iso8601": when.isoformat(), "remote_addr": "192.0.2.1", "request":
                      "GET /data/detainees%202026.csv HTTP/2.0", "status": "200", "body_bytes_sent": "900",
                      "http_user_agent": "Mozilla/5.0"}),
          json.dumps({"ts": when.timestamp(), "request": {"remote_ip": "192.0.2.2", "uri": "/data/x.csv",
                                                          "headers": {"User-Agent": ["Go-http"]}},
                      "status": 404, "size": 0}),
          "{not json"]
    requests, report = _parse(_lines(tmp_path, "app.jsonl", js))
    assert report.format == "json" and [r.ip for r in requests] == ["192.0.2.1", "192.0.2.2"]
    assert requests[1].user_agent == "Go-http" and report.malformed_lines == [3]

    s3 = ('79a5 agency-public [06/Mar/2026:00:00:38 +0000] 192.0.2.3 - 3E57427F3EXAMPLE REST.GET.OBJECT '
          'data/detainees%202026.csv "GET /data/detainees%202026.csv HTTP/1.1" 200 - 4096 4096 70 10 "-" '
          '"aws-cli/2.0" - s9lzHYrFp76Z= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader agency.example TLSv1.2 - -')
    requests, report = _parse(_lines(tmp_path, "s3.log", [s3]))
    assert report.format == "s3" and requests[0].bytes == 4096 and requests[0].user_agent == "aws-cli/2.0"

    cf = ["#Version: 1.0",
          "#Fields: date time x-edge-location sc-bytes c-ip cs-method cs(Host) cs-uri-stem sc-status "
          "cs(Referer) cs(User-Agent)",
          "2026-03-05\t10:00:00\tIAD79-C1\t8000\t192.0.2.4\tGET\td111.cloudfront.net\t/data/detainees%202026.csv"
          "\t200\t-\tMozilla/5.0%2520(X11)",
          "2026-03-05\t10:00:01\tshort line"]
    requests, report = _parse(_lines(tmp_path, "cf.log", cf))
    assert report.format == "cloudfront" and requests[0].user_agent == "Mozilla/5.0 (X11)"
    assert report.malformed_lines == [4]


def test_import_selects_window_and_is_all_or_nothing(db: Database, tmp_path: Path) -> None:
    with db.write() as s:
        inc = incidents.open_incident(s, "resp", title="t", discovered=END)
        incidents.add_exposed_file(s, inc, "resp", name="detainees 2026.csv", sha256="a" * 64, size=1,
                                   location=URL, exposure_start=START, exposure_end=END)
        inc_id = inc.id
    path = "/data/detainees%202026.csv"
    log = _lines(tmp_path, "access.log", [
        _clf("203.0.113.5", START - timedelta(hours=1), path),  # before the exposure
        _clf("203.0.113.5", START + timedelta(days=1), path),
        _clf("203.0.113.5", START + timedelta(days=1, minutes=1), path, status=206, size=100),
        _clf("198.51.100.7", START + timedelta(days=2), path, status=404, size=0, ua="bot"),
        _clf("198.51.100.8", START + timedelta(days=2), "/index.html"),  # another URL
        _clf("198.51.100.9", END + timedelta(hours=1), path),  # after the takedown
        "garbage",
    ])
    with db.write() as s:
        result = access_logs.import_access_log(s, incidents.get_incident(s, inc_id), log, "resp")
    assert (result.lines, result.parsed, result.selected, result.malformed) == (7, 6, 3, 1)
    assert result.malformed_lines == (7,)
    with db.read() as s:
        people = access_logs.requesters(s, inc_id)
    assert [(r.ip, r.requests, r.bytes, r.got_copy) for r in people] == [
        ("203.0.113.5", 2, 5220, True), ("198.51.100.7", 1, 0, False)]
    with db.read() as s:
        letters = access_logs.clawback_letters(s, incidents.get_incident(s, inc_id), tmp_path)
    assert [p.name for p in letters] == ["clawback-1-1.pdf"]  # the 404 requester got no copy
    text = PdfReader(letters[0]).pages[0].extract_text()
    assert "203.0.113.5" in text and "5,220 bytes" in text and "detainees 2026.csv" in text
    with db.write() as s:
        assert access_logs.set_clawback(s, incidents.get_incident(s, inc_id), "203.0.113.5", "letter-sent",
                                        "resp") == 2
    with db.read() as s:
        assert access_logs.requesters(s, inc_id)[0].clawback == "letter-sent"

    # the same log again, a strict import with a bad line, a log with no readable line: nothing stored
    junk = _lines(tmp_path, "junk.log", ["\x00\x01 binary", "still nothing"])
    with db.write() as s:
        inc = incidents.get_incident(s, inc_id)
        with pytest.raises(Refused):
            access_logs.import_access_log(s, inc, log, "resp")
        with pytest.raises(AccessLogError, match="malformed line"):
            access_logs.import_access_log(s, inc, _lines(tmp_path, "b.log", [_clf("1.2.3.4", START, path), "x"]),
                                          "resp", strict=True)
        with pytest.raises(AccessLogError, match="no line of junk.log"):
            access_logs.import_access_log(s, inc, junk, "resp")
        with pytest.raises(AccessLogError, match="cannot open"):
            access_logs.import_access_log(s, inc, tmp_path / "missing.log", "resp")
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(IrAccessRequest)) == 3


def test_overlong_line_is_malformed_not_fatal(tmp_path: Path) -> None:
    path = tmp_path / "long.log"
    path.write_text("x" * (access_logs.MAX_LINE + 10) + "\n" + _clf("1.2.3.4", START, "/a") + "\n")
    requests, report = _parse(path)
    assert report.malformed_lines == [1] and len(requests) == 1
