"""Screen one outbound message: its text (subject, body, document text), its attachments and the people it names.

    screen_message(blob, name, recipient, registry) -> ScreenResult      the library entry point (CLI and web)

A message is read through Veil's readers (.eml, .msg, .docx, .pdf, ...; a `.txt` file is one message body).
Attachments and embedded files are captured as they are met: each goes through `veil check` (anything but `pass`
blocks) and its text is screened like the body. Anything that cannot be read blocks: a message that cannot be
screened must not go out.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from veil.detectors.sentence_rules import SentenceResult, classify_text
from veil.masking import mask
from veil.readers.limits import Budget, Limits
from veil.readers.registry import ReadContext, read_blob
from veil.readers.sniff import sniff
from veil.readers.units import Notice, Table, Text, Unit, Unreadable, Visibility
from veil.screen.matching import PersonMatch, find_protected, masked_sentence
from veil.screen.registry import ProtectedPerson, ProtectedRegistry
from veil.screen.result import Recipient, RecipientKind, ScreenFinding, ScreenKind, ScreenResult
from veil.yamlio import load_yaml


@lru_cache(maxsize=1)
def screen_policy() -> dict[str, Any]:
    raw = resources.files("veil.screen").joinpath("data/screen_policy.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = load_yaml(raw)
    return data


def entitled(recipient: Recipient | None, person: ProtectedPerson | None = None) -> bool:
    """May this recipient receive identities of protected people (of this person)? Unknown recipients may not
    (fail closed), and a foreign government never may for its own nationals, whatever a policy file says."""
    if recipient is None or recipient.kind is None:
        return False
    if person is not None and own_government(recipient, person):
        return False
    rule = (screen_policy().get("recipients") or {}).get(recipient.kind.value) or {}
    return bool(rule.get("protected_identities", False))


def own_government(recipient: Recipient, person: ProtectedPerson) -> bool:
    """Is the recipient the government of the person's nationality (by name, e.g. 'Embassy of Guatemala')?"""
    from veil.detectors.text_names import fold

    nationality = fold(person.nationality.strip())
    return (recipient.kind is RecipientKind.FOREIGN_GOVERNMENT and len(nationality) > 2
            and nationality in fold(recipient.name))


@dataclass
class _Captured:
    name: str
    location: str
    blob: bytes


@dataclass
class _CapturingContext(ReadContext):
    """A read context that keeps attachments and embedded files aside instead of reading them inline: each is
    checked with `veil check` and screened on its own."""

    captured: list[_Captured] = field(default_factory=list)

    def embedded(self, blob: bytes, name: str, location: str, visibility: Visibility,
                 named: bool = True) -> Iterator[Unit]:
        self.captured.append(_Captured(name, location, blob))
        return iter(())


def screen_message(blob: bytes, name: str, recipient: Recipient | None = None,
                   registry: ProtectedRegistry | None = None) -> ScreenResult:
    """Screen one message (its bytes and file name). Never raises on bad input: problems become blocking findings."""
    started = time.perf_counter()
    recipient = recipient or Recipient()
    result = ScreenResult(path=name, sha256=hashlib.sha256(blob).hexdigest(), recipient=recipient)
    limits = screen_policy().get("limits") or {}
    max_bytes = int(limits.get("max_message_bytes", 50 * 1024 * 1024))
    if len(blob) > max_bytes:
        result.findings.append(ScreenFinding(ScreenKind.UNREADABLE, "(file)",
                                             f"the message is larger than {max_bytes} bytes: not screened"))
        return _done(result, started)
    screener = _Screener(recipient, registry, int(limits.get("max_text_chars", 1_000_000)))
    try:
        units, captured = _read_message(blob, name)
        screener.units(units, "")
        for i, item in enumerate(captured):
            if i >= int(limits.get("max_attachments", 200)):
                screener.add(ScreenFinding(ScreenKind.UNREADABLE, "(file)",
                                           f"more than {i} attachments: the rest were not screened"))
                break
            screener.attachment(item)
    except Exception as exc:  # noqa: BLE001 - fail closed with the kind of error, never the content
        screener.add(ScreenFinding(ScreenKind.UNREADABLE, "(file)",
                                   f"the message could not be screened ({type(exc).__name__})"))
    result.findings = screener.findings
    result.persons = len(screener.people)
    if not blob.strip():
        result.findings.append(ScreenFinding(ScreenKind.NOTICE, "(file)", "the message is empty"))
    return _done(result, started)


def _done(result: ScreenResult, started: float) -> ScreenResult:
    result.seconds = time.perf_counter() - started
    return result


def _read_message(blob: bytes, name: str) -> tuple[list[Unit], list[_Captured]]:
    if name.lower().endswith(".txt") and blob.strip():
        return [_plain_text(blob)], []
    # A message piped in has no name: prose with a comma in it must not be read as a CSV table.
    if name == "-" and blob.strip() and sniff(blob, name) in ("text", "delimited"):
        return [_plain_text(blob)], []
    ctx = _CapturingContext(name=name, budget=Budget(Limits()))
    units = [u for u in read_blob(blob, ctx) if not (isinstance(u, Notice) and "empty" in u.message)]
    return units, ctx.captured


def _plain_text(blob: bytes) -> Unit:
    """A `.txt` message is its text; a file that is not text (NUL bytes, undecodable) cannot be screened."""
    head = blob[:65536]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return Unreadable("(file)", "the .txt file is not text (binary content)")
    for encoding in ("utf-8-sig", "utf-16") if head.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",):
        try:
            return Text("message", Visibility.VISIBLE, blob.decode(encoding))
        except UnicodeDecodeError:
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(blob).best()
    if best is None:
        return Unreadable("(file)", "the .txt file is not text in any known encoding")
    return Text("message", Visibility.VISIBLE, str(best))


_MAX_LISTED = 100


class _Screener:
    def __init__(self, recipient: Recipient, registry: ProtectedRegistry | None, max_chars: int) -> None:
        self.recipient = recipient
        self.registry = registry
        self.max_chars = max_chars
        self.chars = 0
        self.findings: list[ScreenFinding] = []
        self._people_reported: set[tuple[str, str]] = set()
        self._listed = 0  # blocking sentence findings so far
        self._visibility = Visibility.VISIBLE  # of the text being screened: findings say if a reader sees it
        self.people: set[str] = set()  # protected people named (keys), for the report's `persons`


    def add(self, finding: ScreenFinding) -> None:
        self.findings.append(finding)

    def units(self, units: Iterable[Unit], prefix: str) -> None:
        for unit in units:
            where = f"{prefix}{unit.location}" if prefix else (unit.location or "(file)")
            if isinstance(unit, Text):
                self.text(unit.text, where, unit.visibility)
            elif isinstance(unit, Table):
                rows = unit.frame.rows()
                self.text("\n".join(" | ".join(c for c in row if c) for row in rows), where, unit.visibility)
            elif isinstance(unit, Unreadable):
                self.add(ScreenFinding(ScreenKind.UNREADABLE, where, f"could not be read: {unit.reason}"))
            elif isinstance(unit, Notice):
                self.add(ScreenFinding(ScreenKind.NOTICE, where, unit.message))

    def text(self, text: str, where: str, visibility: Visibility = Visibility.VISIBLE) -> None:
        self._visibility = visibility
        if self._listed >= _MAX_LISTED:
            return  # already blocked many times over: the rest cannot change the verdict
        if self.chars + len(text) > self.max_chars:
            self.add(ScreenFinding(ScreenKind.UNREADABLE, where,
                                   f"the message holds more than {self.max_chars} characters of text: not screened"))
            self.max_chars = -1  # say it once
            return
        self.chars += len(text)
        for number, (start, end, verdict) in enumerate(classify_text(text), start=1):
            sentence = text[start:end]
            people = find_protected(sentence, self.registry)
            before = len(self.findings)
            if verdict.disclosing:
                self._status(sentence, verdict, people, f"{where} sentence {number}")
            people = [m for m in people if not entitled(self.recipient, m.person)]
            if people:
                self._people(sentence, people, f"{where} sentence {number}")
            self._listed += len(self.findings) - before
            if self._listed >= _MAX_LISTED:
                self.add(ScreenFinding(ScreenKind.NOTICE, where, f"more than {_MAX_LISTED} blocking sentences: the "
                                       "rest of the message was not listed (it is blocked already)"))
                return

    def _status(self, sentence: str, verdict: SentenceResult, people: list[PersonMatch], where: str) -> None:
        refs = [mask(r.text) if r.is_name else r.text for r in verdict.refs][:2]
        statuses = list(dict.fromkeys(s.category for s in verdict.statuses))
        said = ", ".join(f"'{s.text}'" for s in verdict.statuses[:2])
        about = f"about {_quoted(refs)}" if refs else "about someone"
        message = (f"states a protected status or data-incident involvement ({', '.join(statuses)}: {said}) "
                   f"{about}: {verdict.reason}")
        self.add(ScreenFinding(ScreenKind.STATUS_DISCLOSURE, where, message, visible=self._visibility.seen,
                               sentence=masked_sentence(sentence, [(m.start, m.end) for m in people]),
                               rule=f"{verdict.lang}: status + {verdict.reason}"))

    def _people(self, sentence: str, people: list[PersonMatch], where: str) -> None:
        for match in people:
            key = (match.person.name or match.person.a_number, match.kind)
            if key in self._people_reported:
                continue
            self._people_reported.add(key)
            self.people.add(match.person.name or match.person.a_number)
            who = {"name": "the name", "a-number": "the A-number", "dob": "the date of birth"}[match.kind]
            nationality = ""
            if own_government(self.recipient, match.person):
                nationality = ", and the recipient is the government of their nationality"
            kind = self.recipient.kind.value if self.recipient.kind else "unspecified"
            message = (f"{who} of a protected person ({mask(match.person.name or match.person.a_number)}; "
                       f"{match.person.reason}); the recipient ({kind}) is not entitled to it{nationality}")
            self.add(ScreenFinding(ScreenKind.PROTECTED_PERSON, where, message, visible=self._visibility.seen,
                                   sentence=masked_sentence(sentence, [(m.start, m.end) for m in people])))

    def attachment(self, item: _Captured) -> None:
        from veil.pipeline import check_bytes

        checked = check_bytes(item.blob, item.name)
        if checked.verdict.value != "pass":
            kinds = sorted({f.kind.value for f in checked.findings})
            self.add(ScreenFinding(
                ScreenKind.ATTACHMENT, item.location,
                f"veil check says {checked.verdict.value} for this attachment ({', '.join(kinds) or 'no findings'}"
                f"{f'; {checked.persons} person(s)' if checked.persons else ''}): only files that pass may be sent"))
        inner = ReadContext(name=item.name, budget=Budget(Limits()))
        texts: list[Unit] = [u for u in read_blob(item.blob, inner) if isinstance(u, Text | Table)]
        self.units(texts, f"{item.location} › ")


def _quoted(values: list[str]) -> str:
    return " and ".join(f"'{v}'" for v in values)
