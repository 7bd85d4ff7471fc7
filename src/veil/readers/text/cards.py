"""vCard (.vcf) and iCalendar (.ics): one record per card or per event, its fields written as one sentence.

Both formats are lines of `NAME;PARAM=x:value` (RFC 6350, RFC 5545, vCard 2.1): folded lines are unfolded, 2.1's
QUOTED-PRINTABLE and CHARSET are decoded, escapes (`\\n`, `\\;`, `\\,`) are undone. Each card (`BEGIN:VCARD`) and
each event, to-do or journal entry is one Text (`card 3`, `event 2`) written by text/records.py, so a name on one
line and a birthday, a citizenship or an asylum status on other lines of the same card are tied:

    BEGIN:VCARD / FN:Jose Garcia / BDAY:1990-03-04 / NOTE:Citizenship: Honduras\\nAsylum status: pending
      -> card 1: "name: Jose Garcia; date of birth: 1990-03-04; note: Citizenship: Honduras, Asylum status: pending"

vCard properties are named in words (`BDAY` -> `date of birth`, `ORG` -> `organization`, `X-CITIZENSHIP` ->
`citizenship`; a structured `N` is written `Given Family`); attendees and organisers of an event are their
names (`CN=`) and addresses. Photos, keys, sounds and bookkeeping (`UID`, `REV`, `PRODID`) are not text. Lines
outside any card (a calendar's own name) are one more record. A file with more than MAX_RECORDS records is
unverifiable rather than read in part.
"""

from __future__ import annotations

import quopri
import re
from collections.abc import Iterator

from veil.readers.limits import LimitExceeded
from veil.readers.registry import ReadContext
from veil.readers.text.delimited import decode
from veil.readers.text.records import record_units
from veil.readers.units import Unit

MAX_RECORDS = 200_000
_LINE = re.compile(r"^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$", re.S)
_RECORDS = {"VCARD": "card", "VEVENT": "event", "VTODO": "to-do", "VJOURNAL": "journal entry"}
_SKIP = frozenset({"BEGIN", "END", "VERSION", "PRODID", "UID", "REV", "PHOTO", "LOGO", "SOUND", "KEY", "DTSTAMP",
                   "SEQUENCE", "CALSCALE", "METHOD", "X-WR-TIMEZONE", "TZID", "TZOFFSETFROM", "TZOFFSETTO",
                   "TZNAME", "RRULE", "EXDATE", "CREATED", "LAST-MODIFIED", "TRANSP", "STATUS", "CLASS", "PRIORITY",
                   "X-ABUID", "X-ABLABEL", "X-MICROSOFT-CDO-BUSYSTATUS", "X-ALT-DESC", "ATTACH", "SOURCE",
                   "KIND", "CLIENTPIDMAP", "X-APPLE-STRUCTURED-LOCATION"})
_WORDS = {"FN": "name", "BDAY": "date of birth", "ANNIVERSARY": "anniversary", "ORG": "organization",
          "TITLE": "title", "ROLE": "role", "NOTE": "note", "ADR": "address", "TEL": "phone", "EMAIL": "email",
          "NICKNAME": "nickname", "GENDER": "gender", "URL": "url", "CATEGORIES": "categories", "LANG": "language",
          "SUMMARY": "summary", "DESCRIPTION": "description", "LOCATION": "location", "DTSTART": "start",
          "DTEND": "end", "DUE": "due", "ATTENDEE": "attendee", "ORGANIZER": "organizer", "CONTACT": "contact",
          "COMMENT": "comment", "X-WR-CALNAME": "calendar", "X-WR-CALDESC": "calendar description",
          "RELATED": "related", "RESOURCES": "resources", "GEO": "place"}


def read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    records: list[tuple[str, list[tuple[str, str]]]] = []
    counts: dict[str, int] = {}
    stack: list[tuple[str, list[tuple[str, str]]]] = [("file", [])]
    for name, params, value in _content_lines(decode(blob).utf8.decode("utf-8", "replace")):
        upper = name.upper()
        if upper == "BEGIN":
            stack.append((value.strip().upper(), []))
        elif upper == "END" and len(stack) > 1:
            kind, fields = stack.pop()
            if kind in _RECORDS:
                counts[kind] = counts.get(kind, 0) + 1
                records.append((f"{_RECORDS[kind]} {counts[kind]}", fields))
            else:  # an alarm inside an event, a time zone inside a calendar: part of what holds it
                stack[-1][1].extend(fields)
            if len(records) > MAX_RECORDS:
                raise LimitExceeded(f"the file holds more than {MAX_RECORDS} cards or events")
        elif upper not in _SKIP:
            field = _field(upper, params, value)
            if field is not None:
                stack[-1][1].append(field)
    while len(stack) > 1:  # a card never closed (a truncated file): what it has is still read
        kind, fields = stack.pop()
        records.append((f"{_RECORDS.get(kind, kind.lower())} (not closed)", fields))
    if stack[0][1]:
        records.append(("file properties", stack[0][1]))
    yield from record_units(records)


def _content_lines(text: str) -> Iterator[tuple[str, str, str]]:
    """(name, params, value) per unfolded line; vCard 2.1 quoted-printable soft breaks (`=` at the end) joined."""
    pending = ""
    for raw in re.split(r"\r\n|\n|\r", text):
        if raw[:1] in (" ", "\t") and pending:
            pending += raw[1:]
            continue
        if pending.endswith("=") and "QUOTED-PRINTABLE" in pending.split(":", 1)[0].upper():
            pending = pending[:-1] + raw
            continue
        if pending:
            yield from _parsed(pending)
        pending = raw
    if pending:
        yield from _parsed(pending)


def _parsed(line: str) -> Iterator[tuple[str, str, str]]:
    match = _LINE.match(line)
    if match:
        yield match.group(1), match.group(2), match.group(3)


def _field(name: str, params: str, value: str) -> tuple[str, str] | None:
    upper_params = params.upper()
    if "QUOTED-PRINTABLE" in upper_params:
        charset = re.search(r"CHARSET=([A-Za-z0-9_-]+)", params, re.I)
        raw = quopri.decodestring(value.encode("latin-1", "replace"))
        try:
            value = raw.decode(charset.group(1) if charset else "utf-8")
        except (LookupError, UnicodeDecodeError):
            value = raw.decode("cp1252", "replace")
    if "ENCODING=B" in upper_params or "ENCODING=BASE64" in upper_params:
        return None  # a photo or a key under another name
    if name == "N":
        parts = [_unescape(p) for p in _split(value, ";")]
        family, given, additional = (parts + ["", "", ""])[:3]
        return "name", " ".join(p for p in (given, additional, family) if p.strip())
    if name in ("ATTENDEE", "ORGANIZER"):
        common = re.search(r';CN=("[^"]*"|[^;:]*)', params, re.I)
        who = common.group(1).strip('"') if common else ""
        address = re.sub(r"^mailto:", "", value, flags=re.I)
        return _WORDS[name], f"{who} <{address}>" if who else address
    if name == "ADR":
        return "address", ", ".join(p for p in (_unescape(x) for x in _split(value, ";")) if p.strip())
    label = _WORDS.get(name) or (name[2:].replace("-", " ").lower() if name.startswith("X-") else name.lower())
    return label, _unescape(value)


def _split(value: str, separator: str) -> list[str]:
    return re.split(rf"(?<!\\){re.escape(separator)}", value)


def _unescape(value: str) -> str:
    return re.sub(r"\\([nN,;\\:])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value).strip()
