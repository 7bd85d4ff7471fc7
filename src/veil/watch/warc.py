"""Web archives: what the organisation published before, as its crawls (WARC files) kept it.

    sweep_warc(paths, policy)   every response record's payload through `check_bytes`, as `veil check` does
    scan_archive(stream, name)  one archive (the unit a Spark executor takes, too)

Each finding names the captured URL and its capture time; each flagged URL gets its exposure window in the
archive: the first and the last capture of flagged bytes. Identical payloads (same sha256, or a `revisit` record
pointing at one) are checked once. An archive that cannot be read to its end is unverifiable (fail closed): the
records read before the damage still count. Nothing here prints a value: URLs, times, kinds and masked findings.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from veil.findings import FileResult, Verdict
from veil.policy import Policy
from veil.readers.limits import Limits
from veil.watch.sweep import now_iso, problem_result

__all__ = ["ArchiveScan", "Capture", "WarcReport", "Window", "archive_files", "scan_archive", "sweep_warc"]

SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")


@dataclass
class Capture:
    """One captured response: where and when, the payload's sha256 and what the checks say."""

    url: str
    captured: str  # WARC-Date, ISO 8601 UTC as the archive wrote it
    archive: str
    offset: int
    sha256: str
    result: FileResult

    @property
    def flagged(self) -> bool:
        return self.result.verdict is not Verdict.PASS


@dataclass
class Window:
    """A flagged URL's exposure in the archive: first and last capture of flagged bytes, out of `captures`."""

    url: str
    first: str
    last: str
    flagged_captures: int
    captures: int
    verdict: Verdict
    last_capture_flagged: bool  # the newest capture of the URL still holds flagged bytes


@dataclass
class ArchiveScan:
    """One archive's captures; `problem` says why it could not be read to its end (then it is unverifiable)."""

    archive: str
    records: int = 0
    captures: list[Capture] = field(default_factory=list)
    checked: int = 0  # payloads actually checked (the rest were identical to one already checked)
    problem: str | None = None


@dataclass
class WarcReport:
    target: str
    started: str
    seconds: float = 0.0
    archives: int = 0
    records: int = 0
    responses: int = 0
    checked: int = 0
    flagged: list[Capture] = field(default_factory=list)
    problems: list[FileResult] = field(default_factory=list)  # archives that could not be read to their end
    windows: list[Window] = field(default_factory=list)
    items: list[Capture] = field(default_factory=list)  # every capture, only when asked for

    @property
    def verdict(self) -> Verdict:
        return Verdict.worst([c.result.verdict for c in self.flagged] + [p.verdict for p in self.problems])


def archive_files(target: str | Path) -> list[Path]:
    """A WARC file, or every WARC/ARC file under a folder (sorted). Raises FileNotFoundError / ValueError."""
    path = Path(target)
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise FileNotFoundError(f"no such file or directory: {target}")
    found = sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(SUFFIXES))
    if not found:
        raise ValueError(f"no WARC file (*.warc, *.warc.gz) under {target}")
    return found


def _payload_name(url: str) -> str:
    """The file name a URL publishes (its last path segment), for format sniffing and the name check."""
    segment = unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    return segment or "index.html"


def scan_archive(
    stream: IO[bytes],
    archive: str,
    policy: Policy,
    limits: Limits | None = None,
    seen: dict[str, FileResult] | None = None,
) -> ArchiveScan:
    """Check every response (and resolve every revisit) of one archive. Never raises on a damaged archive."""
    from warcio.archiveiterator import ArchiveIterator

    from veil.pipeline import check_bytes

    limits = limits or Limits()
    seen = {} if seen is None else seen  # sha256 -> result; WARC payload digest -> sha256
    digests: dict[str, str] = {}
    scan = ArchiveScan(archive)
    end = 0
    try:
        records = ArchiveIterator(stream, arc2warc=True)
        for record in records:
            scan.records += 1
            kind = record.rec_type
            if not kind or record.length is None or not record.rec_headers.get_header("WARC-Record-ID"):
                raise MalformedRecord  # no type, no length or no id: not a WARC record
            wanted = kind in ("revisit", "resource") or (kind == "response" and record.http_headers is not None)
            payload = record.content_stream().read(limits.max_file_bytes + 1) if kind != "revisit" and wanted else b""
            offset = records.get_record_offset()  # (reads the rest of the record: only after the payload)
            end = offset + records.get_record_length()
            if getattr(record.raw_stream, "limit", 0) > 0:
                raise TruncatedRecord  # the block ended before its Content-Length
            if not wanted:  # warcinfo, request, metadata; a response without HTTP headers (e.g. DNS)
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or "(no URL)"
            captured = record.rec_headers.get_header("WARC-Date") or ""
            warc_digest = record.rec_headers.get_header("WARC-Payload-Digest") or ""
            if kind == "revisit":
                sha = digests.get(warc_digest, "")
                if sha in seen:  # else the original is in another archive or was never captured
                    scan.captures.append(Capture(url, captured, archive, offset, sha, _for(seen[sha], url)))
                continue
            if len(payload) > limits.max_file_bytes:
                result = problem_result(
                    url, f"the captured payload is larger than {limits.max_file_bytes:,} bytes: not checked", policy
                )
                scan.captures.append(Capture(url, captured, archive, offset, "", result))
                continue
            sha = hashlib.sha256(payload).hexdigest()
            if warc_digest:
                digests[warc_digest] = sha
            if sha not in seen:
                seen[sha] = check_bytes(payload, _payload_name(url), policy, limits)
                scan.checked += 1
            scan.captures.append(Capture(url, captured, archive, offset, sha, _for(seen[sha], url)))
        if _trailing(stream, end):
            raise TruncatedRecord  # bytes after the last whole record that are no record (a cut gzip member)
    except Exception as exc:  # warcio's ArchiveLoadFailed, a truncated gzip stream, a malformed header
        scan.problem = (
            f"the archive could not be read past record {scan.records} "
            f"({type(exc).__name__}); what follows the damage was not checked"
        )
    return scan


class MalformedRecord(Exception):
    """A record without the headers every WARC record has."""


class TruncatedRecord(Exception):
    """A record's block ended before its Content-Length: the archive was cut short."""


def _trailing(stream: IO[bytes], end: int) -> bool:
    """Bytes other than blank lines after offset `end` (where the last whole record ended)."""
    if not stream.seekable():
        return False
    stream.seek(end)
    while chunk := stream.read(1 << 16):
        if chunk.strip(b"\r\n\x00"):
            return True
    return False


def _for(result: FileResult, url: str) -> FileResult:
    """The shared result of identical bytes, under this capture's URL."""
    from dataclasses import replace

    return replace(result, path=url)


def windows(captures: Iterable[Capture]) -> list[Window]:
    """Exposure windows of every URL with at least one flagged capture, in URL order."""
    by_url: dict[str, list[Capture]] = {}
    for c in captures:
        by_url.setdefault(c.url, []).append(c)
    out = []
    for url in sorted(by_url):
        caps = sorted(by_url[url], key=lambda c: c.captured)
        bad = [c for c in caps if c.flagged]
        if not bad:
            continue
        out.append(
            Window(
                url,
                bad[0].captured,
                bad[-1].captured,
                len(bad),
                len(caps),
                Verdict.worst([c.result.verdict for c in bad]),
                caps[-1].flagged,
            )
        )
    return out


def collect(target: str, scans: Iterator[ArchiveScan], policy: Policy, keep_all: bool = False) -> WarcReport:
    """One report from the archives' scans (local or from Spark executors)."""
    clock = time.perf_counter()
    report = WarcReport(target=target, started=now_iso())
    every: list[Capture] = []
    for scan in scans:
        report.archives += 1
        report.records += scan.records
        report.responses += len(scan.captures)
        report.checked += scan.checked
        every.extend(scan.captures)
        if scan.problem:
            report.problems.append(problem_result(scan.archive, scan.problem, policy))
    report.flagged = sorted((c for c in every if c.flagged), key=lambda c: (c.url, c.captured))
    report.windows = windows(every)
    if keep_all:
        report.items = sorted(every, key=lambda c: (c.url, c.captured))
    report.seconds = round(time.perf_counter() - clock, 3)
    return report


def sweep_warc(target: str | Path, policy: Policy, limits: Limits | None = None, keep_all: bool = False) -> WarcReport:
    """Sweep a WARC file or a folder of them on this machine."""
    files = archive_files(target)
    seen: dict[str, FileResult] = {}
    clock = time.perf_counter()

    def scans() -> Iterator[ArchiveScan]:
        for path in files:
            try:
                fh = path.open("rb")
            except OSError as exc:
                yield ArchiveScan(str(path), problem=f"cannot open the archive: {exc.strerror}")
                continue
            with fh:
                yield scan_archive(fh, str(path), policy, limits, seen)

    report = collect(str(target), scans(), policy, keep_all)
    report.seconds = round(time.perf_counter() - clock, 3)
    return report


# ---- output ----------------------------------------------------------------------------------------------------


def capture_dict(c: Capture) -> dict[str, Any]:
    from veil.report.json_report import file_dict

    out = file_dict(c.result)
    out["path"] = c.url
    out["warc"] = {"url": c.url, "captured": c.captured, "archive": c.archive, "offset": c.offset}
    return out


def window_dict(w: Window) -> dict[str, Any]:
    return {
        "url": w.url,
        "first_capture": w.first,
        "last_capture": w.last,
        "flagged_captures": w.flagged_captures,
        "captures": w.captures,
        "verdict": w.verdict.value,
        "last_capture_flagged": w.last_capture_flagged,
    }


def summary(report: WarcReport) -> dict[str, Any]:
    return {
        "target": report.target,
        "started": report.started,
        "seconds": report.seconds,
        "archives": report.archives,
        "records": report.records,
        "responses": report.responses,
        "checked": report.checked,
        "flagged": len(report.flagged),
        "problems": len(report.problems),
    }


def render_json(report: WarcReport, **meta: Any) -> str:
    import json

    from veil.report.json_report import file_dict

    captures = report.items if report.items else report.flagged
    doc: dict[str, Any] = {
        "verdict": report.verdict.value,
        "files": [capture_dict(c) for c in captures] + [file_dict(p) for p in report.problems],
        "windows": [window_dict(w) for w in report.windows],
        "warc": summary(report),
    }
    doc.update(meta)
    return json.dumps(doc, indent=2, ensure_ascii=False)


def render_text(report: WarcReport) -> str:
    lines = []
    for c in report.flagged:
        kinds = sorted({str(f.kind) for f in c.result.findings if str(f.kind) != "notice"})
        lines.append(
            f"FLAGGED {c.result.verdict.value.upper():12} {c.url}  captured {c.captured}  "
            f"({Path(c.archive).name} @{c.offset}; findings: {', '.join(kinds) or 'none'})"
        )
        for f in c.result.findings[:5]:
            lines.append(f"    {f.kind}: {f.location}: {f.message}")
    for p in report.problems:
        lines.append(f"UNVERIFIABLE {p.path}: {p.findings[0].message}")
    for w in report.windows:
        still = "; still in the newest capture" if w.last_capture_flagged else ""
        lines.append(
            f"EXPOSED {w.url} from {w.first} to {w.last} ({w.flagged_captures} of {w.captures} "
            f"capture(s) flagged{still})"
        )
    s = summary(report)
    lines.append(
        f"swept {s['archives']} archive(s) in {s['seconds']:.2f} s: {s['records']} record(s), "
        f"{s['responses']} capture(s), {s['checked']} distinct payload(s) checked, {s['flagged']} "
        f"capture(s) flagged, {len(report.windows)} URL(s) exposed, {s['problems']} unreadable archive(s)"
    )
    return "\n".join(lines) + "\n"
