# ruff: noqa: F811  (pytest fixtures imported from support.respond are redefined as arguments)
"""Access logs: every supported format, the exposure window, malformed lines counted (never a crash), imports all
or nothing; who holds a copy (only delivered bytes count); downloaders grouped by network owner; the claw-back
export and letters addressed to organisations."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from support.respond import cheap_password_hashing, db  # noqa: F401  (fixtures)
from veil.incident import access_logs, incidents, networks
from veil.incident.access_logs import AccessLogError, ParseReport, parse_log
from veil.store.engine import Database
from veil.store.models_incident import IrAccessRequest
from veil.workflow.errors import Invalid, Refused

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


# A hand-made ip2asn table (the iptoasn.com format): addresses of fictional owners, no network needed.
OWNERS = ("81.2.69.0\t81.2.69.255\t64500\tGB\tEXAMPLE-BROADBAND Example Broadband Ltd\n"
          "89.160.20.0\t89.160.20.255\t64501\tSE\tEXAMPLE-UNI Example University\n"
          "2a02:c7c:1::\t2a02:c7c:1:ffff:ffff:ffff:ffff:ffff\t64502\tUS\tEXAMPLE-V6 Example Hosting\n"
          "175.16.199.0\t175.16.199.255\t0\tNone\tNot routed\n")


@pytest.fixture
def owners(tmp_path: Path) -> networks.Directory:
    path = tmp_path / "ip2asn-v4.tsv.gz"
    path.write_bytes(gzip.compress(OWNERS.encode()))
    return networks.directory(path)


def test_import_selects_window_and_is_all_or_nothing(db: Database, tmp_path: Path,
                                                     owners: networks.Directory) -> None:
    with db.write() as s:
        inc = incidents.open_incident(s, "resp", title="t", discovered=END)
        incidents.add_exposed_file(s, inc, "resp", name="detainees 2026.csv", sha256="a" * 64, size=1,
                                   location=URL, exposure_start=START, exposure_end=END)
        inc_id = inc.id
    path = "/data/detainees%202026.csv"
    log = _lines(tmp_path, "access.log", [
        _clf("81.2.69.5", START - timedelta(hours=1), path),  # before the exposure
        _clf("81.2.69.5", START + timedelta(days=1), path),
        _clf("81.2.69.5", START + timedelta(days=1, minutes=1), path, status=206, size=100),
        _clf("89.160.20.7", START + timedelta(days=2), path, status=404, size=0, ua="bot"),
        _clf("89.160.20.8", START + timedelta(days=2), "/index.html"),  # another URL
        _clf("89.160.20.9", END + timedelta(hours=1), path),  # after the takedown
        "garbage",
    ])
    with db.write() as s:
        result = access_logs.import_access_log(s, incidents.get_incident(s, inc_id), log, "resp")
    assert (result.lines, result.parsed, result.selected, result.malformed) == (7, 6, 3, 1)
    assert result.malformed_lines == (7,)
    with db.read() as s:
        people = access_logs.requesters(s, inc_id)
    assert [(r.ip, r.requests, r.bytes, r.got_copy) for r in people] == [
        ("81.2.69.5", 2, 5220, True), ("89.160.20.7", 1, 0, False)]
    with db.read() as s:
        letters = access_logs.clawback_letters(s, incidents.get_incident(s, inc_id), tmp_path, networks=owners)
    assert [p.name for p in letters] == ["clawback-1-1.pdf"]  # the 404 requester got no copy
    text = " ".join(PdfReader(letters[0]).pages[0].extract_text().split())
    assert "To: EXAMPLE-BROADBAND Example Broadband Ltd (AS64500)" in text
    assert "81.2.69.5" in text and "5,220 bytes" in text and "detainees 2026.csv" in text
    with db.write() as s:
        assert access_logs.set_clawback(s, incidents.get_incident(s, inc_id), "81.2.69.5", "letter-sent",
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


def _incident_with_log(db: Database, tmp_path: Path, lines: list[str], size: int = 5120) -> int:
    with db.write() as s:
        inc = incidents.open_incident(s, "resp", title="t", discovered=END)
        incidents.add_exposed_file(s, inc, "resp", name="detainees 2026.csv", sha256="a" * 64, size=size,
                                   location=URL, exposure_start=START, exposure_end=END)
        access_logs.import_access_log(s, inc, _lines(tmp_path, f"access-{len(lines)}.log.gz", lines, gz=True),
                                      "resp")
        return inc.id


PATH = "/data/detainees%202026.csv"
AT = START + timedelta(days=1)


def _head(ip: str, size: int) -> str:
    return _clf(ip, AT, PATH, size=size).replace('"GET ', '"HEAD ')


# (what the client's requests were, a full copy, a partial copy): only delivered bytes count.
COPY_CASES = [
    ("a 200 with the body", [_clf("81.2.69.1", AT, PATH)], True, False),
    ("a 200 sending 0 bytes", [_clf("81.2.69.1", AT, PATH, size=0)], False, False),
    ("HEAD logged with the file's size", [_head("81.2.69.1", 5120)], False, False),
    ("HEAD logged as '-'", [_clf("81.2.69.1", AT, PATH, size=0).replace('"GET ', '"HEAD ').replace(" 0 ", " - ")],
     False, False),
    ("304 not modified", [_clf("81.2.69.1", AT, PATH, status=304, size=0)], False, False),
    ("404 not found", [_clf("81.2.69.1", AT, PATH, status=404, size=150)], False, False),
    ("403 with an error page", [_clf("81.2.69.1", AT, PATH, status=403, size=900)], False, False),
    ("206 ranges adding up to the file", [_clf("81.2.69.1", AT, PATH, status=206, size=3000),
                                          _clf("81.2.69.1", AT, PATH, status=206, size=2120)], True, False),
    ("206 ranges short of the file", [_clf("81.2.69.1", AT, PATH, status=206, size=3000)], False, True),
    ("206 ranges from two clients", [_clf("81.2.69.1", AT, PATH, status=206, size=3000),
                                     _clf("81.2.69.2", AT, PATH, status=206, size=2120)], False, True),
]


@pytest.mark.parametrize(("case", "lines", "full", "partial"), COPY_CASES, ids=[c[0] for c in COPY_CASES])
def test_only_delivered_bytes_make_a_copy(db: Database, tmp_path: Path, case: str, lines: list[str], full: bool,
                                          partial: bool) -> None:
    inc_id = _incident_with_log(db, tmp_path, lines)
    with db.read() as s:
        people = access_logs.requesters(s, inc_id)
        assert any(r.got_copy for r in people) is full, case
        assert any(r.partial for r in people) is partial, case
        assert access_logs.downloader_count(s, inc_id) == int(full)
        if not full and not partial:  # nothing delivered: nobody to ask for a copy back
            assert {r.clawback for r in people} == {"not-applicable"}, case


def test_206_counts_when_the_size_is_unknown(db: Database, tmp_path: Path) -> None:
    inc_id = _incident_with_log(db, tmp_path, [_clf("81.2.69.1", AT, PATH, status=206, size=10)], size=0)
    with db.read() as s:
        assert access_logs.downloader_count(s, inc_id) == 1


def test_downloaders_grouped_by_network_owner_and_exported(db: Database, tmp_path: Path,
                                                           owners: networks.Directory) -> None:
    lines = [_clf("81.2.69.10", AT, PATH), _clf("81.2.69.11", AT + timedelta(hours=2), PATH, ua="wget"),
             _clf("81.2.69.11", AT + timedelta(hours=3), PATH, status=206, size=100, ua="wget"),
             _clf("89.160.20.5", AT, PATH, status=206, size=1000),  # a part only
             _clf("2a02:c7c:1::5", AT, PATH),
             _clf("175.16.199.9", AT, PATH),  # in no owner's range: grouped by its /24
             _clf("10.0.0.7", AT, PATH),  # a private address: a proxy or the organisation itself
             _head("81.2.69.99", 5120)]
    inc_id = _incident_with_log(db, tmp_path, lines)
    with db.read() as s:
        found = access_logs.downloaders(s, inc_id, owners)
        assert access_logs.downloader_count(s, inc_id) == 5
    by_owner = {d.owner: d for d in found}
    broadband = by_owner["EXAMPLE-BROADBAND Example Broadband Ltd"]
    assert (broadband.asn, broadband.addresses, broadband.full_copies, broadband.requests) == (
        "AS64500", ("81.2.69.10", "81.2.69.11"), 2, 3)
    assert broadband.networks == ("81.2.69.0/24",) and broadband.addressable
    assert by_owner["EXAMPLE-UNI Example University"].partial_copies == 1
    assert by_owner["EXAMPLE-V6 Example Hosting"].addresses == ("2a02:c7c:1::5",)
    unknown = by_owner["unknown owner (175.16.199.0/24)"]
    assert not unknown.addressable and unknown.full_copies == 1
    assert not by_owner["private or reserved address (10.0.0.0/24)"].addressable
    assert "81.2.69.99" not in {a for d in found for a in d.addresses}  # HEAD only: no copy, not listed
    with db.read() as s:
        inc = incidents.get_incident(s, inc_id)
        letters = access_logs.clawback_letters(s, inc, tmp_path, networks=owners)
        csv_path = access_logs.export_clawback(s, inc_id, tmp_path / "clawback.csv", owners)
        xlsx_path = access_logs.export_clawback(s, inc_id, tmp_path / "clawback.xlsx", owners)
    # Letters go to the organisations that hold full copies, never to a bare address.
    texts = [" ".join(PdfReader(p).pages[0].extract_text().split()) for p in letters]
    assert len(texts) == 2 and all("To: EXAMPLE-" in t for t in texts)
    assert not any("operator of network address" in t for t in texts)
    import csv

    with csv_path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0])[:4] == ["network owner", "AS number", "networks", "addresses"]
    assert rows[0]["network owner"] == "EXAMPLE-BROADBAND Example Broadband Ltd"
    assert rows[0]["addresses"] == "81.2.69.10 81.2.69.11" and rows[0]["full copies"] == "2"
    assert rows[0]["first request (UTC)"] == "2026-03-02 00:00:00" and rows[0]["bytes"] == "10340"
    from openpyxl import load_workbook

    sheet = load_workbook(xlsx_path).active
    assert sheet is not None
    table = [[c.value for c in r] for r in sheet.iter_rows()]
    assert table[0][0] == "network owner" and len(table) == len(rows) + 1
    assert table[1][3] == "81.2.69.10 81.2.69.11"
    with db.write() as s:
        inc = incidents.get_incident(s, inc_id)
        assert access_logs.set_clawback_owner(s, inc, broadband.owner, "letter-sent", "resp", owners) == 3
    with db.read() as s:
        again = access_logs.clawback_letters(s, incidents.get_incident(s, inc_id), tmp_path, networks=owners)
    assert len(again) == 1  # the broadband provider has had its letter


def test_shipped_network_data_is_offline_and_prefix_fallback() -> None:
    shipped = networks.directory()
    google = shipped.network("8.8.8.8")
    assert google.owner == "GOOGLE" and google.known and google.source.startswith("geoip2fast")
    assert shipped.network("192.0.2.1").owner == networks.PRIVATE
    assert networks.prefix_network("2001:4860:4860::8888").cidr == "2001:4860:4860::/48"
    assert networks.prefix_network("8.8.8.8").cidr == "8.8.8.0/24"
    with pytest.raises(networks.NetworkDataError, match="does not exist"):
        networks.directory("/nonexistent/owners.tsv")


def test_export_refuses_other_formats(db: Database, tmp_path: Path) -> None:
    inc_id = _incident_with_log(db, tmp_path, [_clf("81.2.69.1", AT, PATH)])
    with db.read() as s, pytest.raises(Invalid, match=".csv or .xlsx"):
        access_logs.export_clawback(s, inc_id, tmp_path / "list.pdf")
