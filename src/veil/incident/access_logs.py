"""Who downloaded it: web server access logs parsed, the requests for the exposed URLs inside the exposure window
selected, who holds a copy worked out, and the downloaders grouped by network owner for claw-back.

Formats, recognised per file from its first lines (gzip-compressed files too):
    nginx/Apache combined and common, JSON lines (nginx `escape=json`, Caddy-like, ALB-like keys),
    Amazon S3 server access logs, CloudFront standard logs (W3C, `#Fields:` header, tab-separated).
A line that does not parse is counted and its line number kept (the first 50 listed); it never stops the import.
Lines are read one at a time (bounded memory; lines over 64 KB count as malformed).

Holding a copy: only responses that delivered the file's bytes count. A client (address + user agent) holds a
copy when a 200 response sent it a body, or its 206 (range) responses add up to the file's size (any 206 bytes
when the size is unknown). HEAD (stored with 0 body bytes: a HEAD response has no body), 304, 4xx/5xx and
0-byte responses do not; a client with only part of the file is listed as partial.
Downloaders are grouped by the owner of their network (veil.incident.networks); claw-back letters are addressed to
that organisation, never to a bare address, and the list exports to CSV or XLSX for the legal team.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session

from veil.errors import VeilError
from veil.incident.events import AccessLogImported, IncidentChanged
from veil.incident.letters import LetterSettings, render_pdf, render_text
from veil.incident.networks import Directory, Network, directory
from veil.store.base import utcnow
from veil.store.models_incident import IrAccessRequest, IrExposedFile, IrIncident
from veil.workflow import audit
from veil.workflow.errors import Invalid, Refused

MAX_LINE = 65_536
MAX_SELECTED = 2_000_000
LISTED_MALFORMED = 50
CLAWBACK_STATES = ("to-contact", "letter-sent", "copy-deleted", "no-response", "not-applicable")


class AccessLogError(VeilError):
    """A log that cannot be imported at all (unreadable, or no line in a known format)."""


@dataclass(frozen=True)
class Request:
    line: int
    at: datetime
    ip: str
    method: str
    path: str  # decoded, no query string
    status: int
    bytes: int
    user_agent: str


@dataclass
class ParseReport:
    format: str = ""
    lines: int = 0
    parsed: int = 0
    malformed: int = 0
    malformed_lines: list[int] = field(default_factory=list)

    def bad(self, line: int) -> None:
        self.malformed += 1
        if len(self.malformed_lines) < LISTED_MALFORMED:
            self.malformed_lines.append(line)


# --- line formats ----------------------------------------------------------------------------------------------

_CLF_TIME = "%d/%b/%Y:%H:%M:%S %z"
_COMBINED = re.compile(
    r'^(?P<ip>\S+) \S+ \S+ \[(?P<time>[^\]]+)\] "(?P<request>(?:[^"\\]|\\.)*)" (?P<status>\d{3}) (?P<bytes>\d+|-)'
    r'(?: "(?P<referer>(?:[^"\\]|\\.)*)" "(?P<ua>(?:[^"\\]|\\.)*)")?')
_S3 = re.compile(
    r'^\S+ \S+ \[(?P<time>[^\]]+)\] (?P<ip>\S+) \S+ \S+ (?P<operation>\S+) (?P<key>\S+) "(?P<request>[^"]*)" '
    r'(?P<status>\d{3}|-) \S+ (?P<bytes>\d+|-) \S+ \S+ \S+ "(?P<referer>[^"]*)" "(?P<ua>[^"]*)"')


def _request_parts(request: str) -> tuple[str, str]:
    parts = request.split(" ")
    if len(parts) < 2:
        raise ValueError("request line")
    return parts[0], parts[1]


def _clean_path(target: str) -> str:
    path = urlsplit(target).path if "://" in target else target.split("?", 1)[0]
    return unquote(path)


def _int(value: str | int | None) -> int:
    if value in (None, "", "-"):
        return 0
    return int(value)


def parse_clf(line: str, number: int) -> Request | None:
    """Combined or common log format (nginx, Apache). None when the line is not one."""
    m = _COMBINED.match(line)
    if not m:
        return None
    method, target = _request_parts(m["request"])
    return Request(number, datetime.strptime(m["time"], _CLF_TIME), m["ip"], method, _clean_path(target),
                   int(m["status"]), _int(m["bytes"]), (m["ua"] or "").replace('\\"', '"'))


def parse_s3(line: str, number: int) -> Request | None:
    m = _S3.match(line)
    if not m:
        return None
    method, target = _request_parts(m["request"]) if m["request"] != "-" else ("GET", "/" + m["key"])
    return Request(number, datetime.strptime(m["time"], _CLF_TIME), m["ip"], method, _clean_path(target),
                   _int(m["status"]), _int(m["bytes"]), m["ua"] if m["ua"] != "-" else "")


_JSON_KEYS = {
    "ip": ("remote_addr", "client_ip", "clientip", "ip", "remote_ip", "client", "c-ip", "x_forwarded_for"),
    "time": ("time_iso8601", "timestamp", "@timestamp", "time", "time_local", "ts", "date"),
    "request": ("request",),
    "method": ("method", "request_method", "http_method"),
    "uri": ("request_uri", "uri", "path", "url", "cs-uri-stem"),
    "status": ("status", "status_code", "response_status", "sc-status"),
    "bytes": ("body_bytes_sent", "bytes_sent", "bytes", "size", "response_size", "sc-bytes"),
    "ua": ("http_user_agent", "user_agent", "useragent", "agent", "cs(User-Agent)"),
}


def _pick(record: dict[str, Any], what: str) -> Any:
    for key in _JSON_KEYS[what]:
        if key in record and record[key] not in (None, ""):
            return record[key]
    nested = record.get("request")
    if isinstance(nested, dict):  # Caddy: {"request": {"remote_ip":..., "uri":..., "headers": {...}}}
        for key in _JSON_KEYS[what]:
            if key in nested:
                return nested[key]
        if what == "ua":
            agent = (nested.get("headers") or {}).get("User-Agent")
            return agent[0] if isinstance(agent, list) and agent else agent
    return None


def _parse_time(value: Any) -> datetime:
    if isinstance(value, int | float):
        return datetime.fromtimestamp(float(value), UTC)
    text = str(value)
    try:
        return datetime.strptime(text, _CLF_TIME)
    except ValueError:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))


def parse_json(line: str, number: int) -> Request | None:
    try:
        record = json.loads(line)
    except ValueError:
        return None
    if not isinstance(record, dict):
        return None
    ip, when, status = _pick(record, "ip"), _pick(record, "time"), _pick(record, "status")
    request = record.get("request") if isinstance(record.get("request"), str) else None
    method, target = _request_parts(request) if request else (_pick(record, "method") or "GET",
                                                              _pick(record, "uri"))
    if ip is None or when is None or status is None or not target:
        return None
    return Request(number, _aware(_parse_time(when)), str(ip).split(",")[0].strip(), str(method),
                   _clean_path(str(target)), int(status), _int(_pick(record, "bytes")), str(_pick(record, "ua") or ""))


def _aware(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when


class W3C:
    """CloudFront standard logs: `#Fields:` names the tab-separated columns."""

    def __init__(self) -> None:
        self.fields: list[str] = []

    def parse(self, line: str, number: int) -> Request | None:
        if line.startswith("#"):
            if line.startswith("#Fields:"):
                self.fields = line[len("#Fields:"):].split()
            return Request(number, datetime.min.replace(tzinfo=UTC), "", "#", "", 0, 0, "")  # a directive
        values = line.split("\t")
        if not self.fields or len(values) != len(self.fields):
            return None
        rec = dict(zip(self.fields, values, strict=True))
        when = datetime.fromisoformat(f"{rec['date']}T{rec['time']}+00:00")
        agent = rec.get("cs(User-Agent)", "-")
        return Request(number, when, rec["c-ip"], rec.get("cs-method", "GET"), _clean_path(rec["cs-uri-stem"]),
                       _int(rec.get("sc-status")), _int(rec.get("sc-bytes")),
                       "" if agent == "-" else unquote(unquote(agent)))  # CloudFront encodes it, sometimes twice


# --- reading a file ----------------------------------------------------------------------------------------------

def _open_text(blob_head: bytes, path: Path) -> IO[str]:
    if blob_head.startswith(b"\x1f\x8b"):
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", errors="replace", newline="")
    return io.TextIOWrapper(path.open("rb"), encoding="utf-8", errors="replace", newline="")


def _sniff(first: str) -> str:
    if first.startswith("#Version") or first.startswith("#Fields"):
        return "cloudfront"
    if first.lstrip().startswith("{"):
        return "json"
    if _S3.match(first):
        return "s3"
    return "clf"


def parse_log(path: str | Path, report: ParseReport) -> Iterator[Request]:
    """Every parsed request of one log file; malformed lines are counted in `report`."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            head = fh.read(4)
        stream = _open_text(head, p)
    except OSError as exc:
        raise AccessLogError(f"cannot open the log {p.name}: {exc.strerror or type(exc).__name__}") from None
    w3c = W3C()
    parsers = {"clf": parse_clf, "json": parse_json, "s3": parse_s3, "cloudfront": w3c.parse}
    try:
        with stream:
            for number, raw in enumerate(iter(lambda: stream.readline(MAX_LINE + 1), ""), start=1):
                report.lines = number
                if len(raw) > MAX_LINE:
                    report.bad(number)
                    while raw and not raw.endswith("\n"):  # skip the rest of an over-long line
                        raw = stream.readline(MAX_LINE + 1)
                    continue
                line = raw.rstrip("\r\n")
                if not line.strip():
                    continue
                if not report.format:
                    report.format = _sniff(line)
                try:
                    request = parsers[report.format](line, number)
                except (ValueError, KeyError, TypeError, OverflowError):
                    request = None
                if request is None:
                    report.bad(number)
                elif request.method != "#":
                    report.parsed += 1
                    yield request
    except (OSError, EOFError, gzip.BadGzipFile) as exc:
        raise AccessLogError(f"the log {p.name} cannot be read to the end ({type(exc).__name__})") from None


# --- selecting and storing ---------------------------------------------------------------------------------------

def _exposed_paths(files: list[IrExposedFile]) -> list[tuple[str, datetime, datetime | None]]:
    out = []
    for f in files:
        path = _clean_path(f.location).strip("/")
        if path:
            out.append((path, _aware(f.exposure_start), _aware(f.exposure_end) if f.exposure_end else None))
    return out


def _selected(request: Request, exposed: list[tuple[str, datetime, datetime | None]], now: datetime) -> bool:
    path = request.path.strip("/")
    for target, start, end in exposed:
        if (path == target or path.endswith("/" + target) or target.endswith("/" + path)) and \
                start <= request.at <= (end or now):
            return True
    return False


@dataclass(frozen=True)
class ImportResult:
    format: str
    lines: int
    parsed: int
    selected: int
    malformed: int
    malformed_lines: tuple[int, ...]


def import_access_log(session: Session, incident: IrIncident, path: str | Path, actor: str,
                      strict: bool = False) -> ImportResult:
    """Parse one log and store the requests for the incident's exposed files inside their exposure windows.
    All or nothing: a log with no parsable line (or, with `strict`, any malformed line) is refused and nothing is
    stored; a log already imported for this incident is refused."""
    p = Path(path)
    files = list(session.scalars(select(IrExposedFile).where(IrExposedFile.incident_id == incident.id)))
    exposed = _exposed_paths(files)
    if not exposed:
        raise Invalid("the incident has no exposed file with a URL or path to look for")
    if session.scalar(select(func.count()).select_from(IrAccessRequest).where(
            IrAccessRequest.incident_id == incident.id, IrAccessRequest.log_name == p.name[:300])):
        raise Refused(f"the log {p.name} was already imported for incident {incident.id}")
    report = ParseReport()
    now = utcnow()
    rows: list[dict[str, Any]] = []
    for request in parse_log(p, report):
        if _selected(request, exposed, now):
            if len(rows) >= MAX_SELECTED:
                raise AccessLogError(f"the log {p.name} has more than {MAX_SELECTED:,} requests for the exposed "
                                     "files; split it")
            # A HEAD response has no body, whatever a server logs as its size (some log the Content-Length).
            body = 0 if request.method.upper() == "HEAD" else request.bytes
            rows.append({"incident_id": incident.id, "log_name": p.name[:300], "line": request.line,
                         "at": request.at, "ip": request.ip[:64], "user_agent": request.user_agent[:1000],
                         "url": request.path[:2000], "status": request.status, "bytes": body})
    if report.parsed == 0:
        raise AccessLogError(f"no line of {p.name} is in a known access-log format "
                             f"({report.malformed:,} malformed of {report.lines:,})")
    if strict and report.malformed:
        raise AccessLogError(f"{report.malformed:,} malformed line(s) in {p.name}, first at line "
                             f"{report.malformed_lines[0]}; nothing imported")
    for start in range(0, len(rows), 5000):
        session.execute(insert(IrAccessRequest), rows[start:start + 5000])
    with p.open("rb") as fh:
        sha = hashlib.file_digest(fh, "sha256").hexdigest()
    audit.append(session, AccessLogImported(actor=actor, incident_id=incident.id, log_name=p.name[:300], sha256=sha,
                                            lines=report.lines, selected=len(rows), malformed=report.malformed))
    return ImportResult(report.format, report.lines, report.parsed, len(rows), report.malformed,
                        tuple(report.malformed_lines))


@dataclass(frozen=True)
class Requester:
    """One client (address + user agent) that asked for an exposed file inside the exposure window."""

    ip: str
    user_agent: str
    first: datetime
    last: datetime
    requests: int
    bytes: int
    statuses: tuple[int, ...]
    got_copy: bool  # the whole file was delivered: a 200 with a body, or 206 ranges adding up to the file's size
    clawback: str
    partial: bool = False  # some of the file's bytes, not all of them
    network: Network | None = None


def _holds_copy(reqs: list[IrAccessRequest], sizes: dict[str, int]) -> tuple[bool, bool]:
    """(full copy, partial copy) of one client's requests, per exposed file."""
    full = partial = False
    for url in {r.url for r in reqs}:
        mine = [r for r in reqs if r.url == url]
        if any(r.status == 200 and r.bytes > 0 for r in mine):
            full = True
            continue
        ranged = sum(r.bytes for r in mine if r.status == 206)
        size = sizes.get(url, 0)
        if ranged > 0 and (size <= 0 or ranged >= size):
            full = True
        elif ranged > 0:
            partial = True
    return full, partial and not full


def _sizes(session: Session, incident_id: int, urls: set[str]) -> dict[str, int]:
    """The size of the exposed file each requested path is (0 when unknown)."""
    files = list(session.scalars(select(IrExposedFile).where(IrExposedFile.incident_id == incident_id)))
    out = {}
    for url in urls:
        for f in files:
            target = _clean_path(f.location).strip("/")
            path = url.strip("/")
            if target and (path == target or path.endswith("/" + target) or target.endswith("/" + path)):
                out[url] = int(f.size or 0)
    return out


def requesters(session: Session, incident_id: int, networks: Directory | None = None) -> list[Requester]:
    """One row per (IP, user agent), most bytes first: who asked, and who holds a copy."""
    groups: dict[tuple[str, str], list[IrAccessRequest]] = {}
    for r in session.scalars(select(IrAccessRequest).where(IrAccessRequest.incident_id == incident_id)
                             .order_by(IrAccessRequest.at, IrAccessRequest.id)):
        groups.setdefault((r.ip, r.user_agent), []).append(r)
    sizes = _sizes(session, incident_id, {r.url for reqs in groups.values() for r in reqs})
    out = []
    for (ip, ua), reqs in groups.items():
        statuses = tuple(sorted({r.status for r in reqs}))
        states = {r.clawback for r in reqs}
        full, partial = _holds_copy(reqs, sizes)
        state = states.pop() if len(states) == 1 else "mixed"
        if not full and not partial and state == "to-contact":
            state = "not-applicable"  # HEAD, 304, errors: nothing was delivered, so there is no copy to claw back
        out.append(Requester(ip, ua, reqs[0].at, reqs[-1].at, len(reqs), sum(r.bytes for r in reqs), statuses,
                             full, state, partial,
                             networks.network(ip) if networks is not None else None))
    return sorted(out, key=lambda r: (-r.bytes, r.ip))


def downloader_count(session: Session, incident_id: int) -> int:
    """Distinct clients (address + user agent) that got a full copy of an exposed file: the report's figure."""
    return sum(1 for r in requesters(session, incident_id) if r.got_copy)


@dataclass(frozen=True)
class Downloader:
    """The clients of one network owner that may hold a copy: what a claw-back letter and the legal team need."""

    owner: str
    asn: str
    networks: tuple[str, ...]
    addresses: tuple[str, ...]
    first: datetime
    last: datetime
    requests: int
    bytes: int
    full_copies: int  # clients with the whole file
    partial_copies: int
    clawback: str
    source: str  # where the owner came from (the network data and its date)
    # Whether a letter can go to the owner: a known organisation, not a bare address or a private range.
    addressable: bool = True


def downloaders(session: Session, incident_id: int, networks: Directory | None = None) -> list[Downloader]:
    """Clients that got any of the file's bytes, grouped by network owner (unknown owners by /24 or /48), most
    full copies first."""
    networks = networks or directory()
    groups: dict[tuple[str, str], list[Requester]] = {}
    for who in requesters(session, incident_id, networks):
        if not (who.got_copy or who.partial):
            continue
        net = who.network or networks.network(who.ip)
        groups.setdefault((net.owner, net.cidr if not net.known else net.asn or net.owner), []).append(who)
    out = []
    for (owner, _), members in groups.items():
        nets = [m.network or networks.network(m.ip) for m in members]
        states = {m.clawback for m in members}
        out.append(Downloader(
            owner if nets[0].known else f"{owner} ({nets[0].cidr})", nets[0].asn,
            tuple(sorted({n.cidr for n in nets})), tuple(sorted({m.ip for m in members})),
            min(m.first for m in members), max(m.last for m in members), sum(m.requests for m in members),
            sum(m.bytes for m in members), sum(m.got_copy for m in members), sum(m.partial for m in members),
            states.pop() if len(states) == 1 else "mixed", nets[0].source, nets[0].known))
    return sorted(out, key=lambda d: (-d.full_copies, -d.bytes, d.owner))


EXPORT_COLUMNS = ("network owner", "AS number", "networks", "addresses", "first request (UTC)",
                  "last request (UTC)", "requests", "bytes", "full copies", "partial copies", "claw-back", "source")


def _export_rows(found: list[Downloader]) -> list[list[object]]:
    def when(moment: datetime) -> str:
        return _aware(moment).astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")

    return [[d.owner, d.asn, " ".join(d.networks), " ".join(d.addresses), when(d.first), when(d.last), d.requests,
             d.bytes, d.full_copies, d.partial_copies, d.clawback, d.source] for d in found]


def export_clawback(session: Session, incident_id: int, out: str | Path, networks: Directory | None = None) -> Path:
    """The claw-back list for the legal team, one row per network owner: CSV or XLSX by the file's suffix. The
    addresses are downloaders', not protected people's: they are listed whole. Written whole or not at all."""
    target = Path(out)
    kind = target.suffix.lower()
    if kind not in (".csv", ".xlsx"):
        raise Invalid("the claw-back list is written as .csv or .xlsx")
    rows = _export_rows(downloaders(session, incident_id, networks))
    tmp = target.with_name(f".{target.name}.part")
    try:
        if kind == ".csv":
            with tmp.open("w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(EXPORT_COLUMNS)
                writer.writerows(rows)
        else:
            import xlsxwriter

            book = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
            sheet = book.add_worksheet("claw-back")
            bold = book.add_format({"bold": True})
            sheet.write_row(0, 0, EXPORT_COLUMNS, bold)
            for i, row in enumerate(rows, start=1):
                sheet.write_row(i, 0, row)
            sheet.freeze_panes(1, 0)
            sheet.set_column(0, 0, 36)
            sheet.set_column(1, 11, 18)
            book.close()
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def set_clawback(session: Session, incident: IrIncident, ip: str, state: str, actor: str) -> int:
    """Claw-back status for every request of one requester IP. Returns the number of requests updated."""
    return _set_clawback(session, incident, [ip], state, actor)


def set_clawback_owner(session: Session, incident: IrIncident, owner: str, state: str, actor: str,
                       networks: Directory | None = None) -> int:
    """Claw-back status for every downloader address of one network owner (as `downloaders` names it)."""
    found = next((d for d in downloaders(session, incident.id, networks) if d.owner == owner), None)
    if found is None:
        raise Invalid("no downloader of that network owner in this incident")
    return _set_clawback(session, incident, list(found.addresses), state, actor)


def _set_clawback(session: Session, incident: IrIncident, ips: list[str], state: str, actor: str) -> int:
    if state not in CLAWBACK_STATES:
        raise Invalid(f"claw-back status is one of {', '.join(CLAWBACK_STATES)}")
    result = session.execute(update(IrAccessRequest).where(IrAccessRequest.incident_id == incident.id,
                                                           IrAccessRequest.ip.in_(ips)).values(clawback=state))
    count = int(getattr(result, "rowcount", 0) or 0)
    if not count:
        raise Invalid("no request from that address in this incident")
    audit.append(session, IncidentChanged(actor=actor, incident_id=incident.id, action="clawback", detail=state))
    return count


def clawback_letters(session: Session, incident: IrIncident, out_dir: str | Path,
                     settings: LetterSettings | None = None, today: datetime | None = None,
                     networks: Directory | None = None) -> list[Path]:
    """A claw-back letter (PDF) to every network owner whose clients hold a full copy and have not been contacted,
    written to `out_dir` as clawback-<incident>-<n>.pdf. A letter goes to an organisation, never to a bare address:
    owners the network data does not know (and private ranges) get none until someone finds the owner; the export
    lists them. Statuses change only through set_clawback / set_clawback_owner (when a letter is sent)."""
    folder = Path(out_dir)
    if not folder.is_dir():
        raise Invalid(f"the letters folder does not exist: {folder}")
    files = list(session.scalars(select(IrExposedFile).where(IrExposedFile.incident_id == incident.id)))
    names = ", ".join(f.name for f in files)
    written = []
    due = [d for d in downloaders(session, incident.id, networks)
           if d.full_copies and d.clawback == "to-contact" and d.addressable]
    for n, who in enumerate(due, start=1):
        text = render_text("clawback", "en", {
            "today": (today or utcnow()).strftime("%B %d, %Y"), "owner": who.owner, "asn": who.asn,
            "networks": ", ".join(who.networks), "addresses": ", ".join(who.addresses), "incident_id": incident.id,
            "request_no": n, "file_name": names, "first": _aware(who.first).strftime("%Y-%m-%d %H:%M UTC"),
            "last": _aware(who.last).strftime("%Y-%m-%d %H:%M UTC"), "requests": who.requests,
            "size": f"{who.bytes:,}", "copies": who.full_copies}, settings)
        target = folder / f"clawback-{incident.id}-{n}.pdf"
        target.write_bytes(render_pdf(text, title=f"Incident {incident.id} request {n}"))
        written.append(target)
    return written
