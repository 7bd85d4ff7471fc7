"""Screen one outbound message: its text (subject, body, document text), its attachments and the people it names.

    screen_message(blob, name, recipient, registry, policy) -> ScreenResult     the library entry point (CLI, web)

A message is read through Veil's readers (.eml, .msg, .docx, .pdf, ...; a `.txt` file is one message body).
Attachments and embedded files are captured as they are met: each goes through `veil check` (anything but `pass`
blocks) and its text is screened like the body. Anything that cannot be read blocks: a message that cannot be
screened must not go out.

The decision per sentence: WHO it is about and WHAT it says of them (the sentence rules,
`veil.detectors.sentence_rules`), the protected people it names (a registry), and WHO receives it (the policy's
recipient table): a disclosure to a recipient that may know is listed, allowed; to any other, it blocks. A blocked
message gets a suggestion: the same text without the disclosures, screened again until it passes.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from veil.detectors.sentence_rules import SentenceResult, addressed_to_another_court, classify_text, guess_language
from veil.detectors.text_names import fold
from veil.masking import mask
from veil.pipeline import check_bytes
from veil.readers.limits import Budget, Limits
from veil.readers.registry import ReadContext, read_blob
from veil.readers.sniff import sniff
from veil.readers.units import Notice, Table, Text, Unit, Unreadable, Visibility
from veil.screen.matching import PersonMatch, find_protected, masked_sentence
from veil.screen.model import DisclosureModel
from veil.screen.policy import ScreenPolicy, default_screen_policy
from veil.screen.registry import ProtectedPerson, ProtectedRegistry
from veil.screen.result import Recipient, RecipientKind, ScreenFinding, ScreenKind, ScreenResult, Suggestion
from veil.screen.suggest import rewrite

_MAX_LISTED = 100
_MAX_SUGGESTION_ROUNDS = 12  # each round removes or rewrites at least one sentence; the text only shrinks


def entitled(recipient: Recipient | None, person: ProtectedPerson | None = None,
             policy: ScreenPolicy | None = None) -> bool:
    """May this recipient learn that identified people (this person) sought protection or were affected? The
    policy's recipient table decides; no kind given may not (fail closed), and a foreign government never may for
    its own nationals, whatever the table says."""
    if recipient is None or recipient.kind is None:
        return False
    if person is not None and own_government(recipient, person):
        return False
    return (policy or default_screen_policy()).may_know(recipient.kind)


def own_government(recipient: Recipient, person: ProtectedPerson) -> bool:
    """Is the recipient the government of the person's nationality (by name, e.g. 'Embassy of Guatemala')?"""
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
                   registry: ProtectedRegistry | None = None, policy: ScreenPolicy | None = None,
                   suggest: bool = True) -> ScreenResult:
    """Screen one message (its bytes and file name). Never raises on bad input: problems become blocking findings.
    A blocked message carries a `suggestion` (unless `suggest` is False) that passes the same screen."""
    started = time.perf_counter()
    policy = policy or default_screen_policy()
    recipient = recipient or Recipient()
    result = ScreenResult(path=name, sha256=hashlib.sha256(blob).hexdigest(), recipient=recipient)
    limits = policy.limits
    if len(blob) > limits.max_message_bytes:
        result.findings.append(ScreenFinding(ScreenKind.UNREADABLE, "(file)", f"the message is larger than "
                                             f"{limits.max_message_bytes} bytes: not screened"))
        return _done(result, started)
    screener = TextScreener(recipient, registry, policy)
    body: list[str] = []
    dropped: list[str] = []
    try:
        units, captured = _read_message(blob, name)
        body = [_unit_text(u) for u in units if isinstance(u, Text | Table) and u.visibility.seen]
        addressed = _as_addressed(recipient, "\n\n".join(body))
        if addressed is not recipient:
            screener.add(ScreenFinding(ScreenKind.NOTICE, "message", "the message is addressed to another court than "
                                       "the immigration court or the Board, or to a public record: screened as going "
                                       "to a third party"))
        screener.recipient = recipient = addressed
        screener.units(units, "")
        for i, item in enumerate(captured):
            if i >= limits.max_attachments:
                screener.add(ScreenFinding(ScreenKind.UNREADABLE, "(file)",
                                           f"more than {i} attachments: the rest were not screened"))
                break
            if screener.attachment(item):
                dropped.append(item.location)
        if not any(f.blocks for f in screener.findings):
            screener.second_opinion("\n\n".join(t for t in body if t.strip()))
    except Exception as exc:  # noqa: BLE001 - fail closed with the kind of error, never the content
        screener.add(ScreenFinding(ScreenKind.UNREADABLE, "(file)",
                                   f"the message could not be screened ({type(exc).__name__})"))
        body = []
    result.findings = screener.findings
    result.persons = len(screener.people)
    if not blob.strip():
        result.findings.append(ScreenFinding(ScreenKind.NOTICE, "(file)", "the message is empty"))
    if suggest and result.verdict == "block":
        result.suggestion = suggest_message("\n\n".join(t for t in body if t.strip()), recipient, registry, policy,
                                            dropped)
    return _done(result, started)


def _as_addressed(recipient: Recipient, text: str) -> Recipient:
    """The table's court is the immigration court and the Board: a message to a court that addresses another court
    ("To the County Probate Court") or a public record ("(public docket)") goes to a third party."""
    if recipient.kind is RecipientKind.COURT and addressed_to_another_court(text):
        return Recipient(recipient.name, RecipientKind.THIRD_PARTY)
    return recipient


def suggest_message(text: str, recipient: Recipient, registry: ProtectedRegistry | None, policy: ScreenPolicy,
                    dropped_attachments: Iterable[str] = ()) -> Suggestion:
    """The text without its disclosures: each blocking sentence rewritten without the disclosure, or taken out;
    screened again (a sentence can read differently once its neighbour is gone) until nothing blocks. When no rule
    blocks but the model still reads a disclosure, its highest-scoring sentence is taken out, one at a time."""
    changes = [f"attachment {where} left out" for where in dropped_attachments]
    for _ in range(_MAX_SUGGESTION_ROUNDS + text.count(".") + text.count("\n") + 1):
        spans = blocking_sentences(text, recipient, registry, policy)
        if not spans:
            worst = _model_sentence(text, recipient, policy)
            if worst is None:
                return Suggestion("message", changes, text=text.strip())
            start, end, number = worst
            changes.append(f"sentence {number} taken out (it reads like a disclosure)")
            text = _tidy(text[:start] + text[end:])
            continue
        pieces, pos = [], 0
        for start, end, number in spans:
            sentence = text[start:end]
            replacement = rewrite(sentence, guess_language(sentence), lambda s: _blocks(s, recipient, registry,
                                                                                      policy))
            changes.append(f"sentence {number} " + (f"reworded: \"{masked_sentence(replacement)}\"" if replacement
                                                    else "taken out"))
            pieces.append(text[pos:start] + replacement)
            pos = end
        pieces.append(text[pos:])
        text = _tidy("".join(pieces))
    # Not reached in practice (every round shrinks the text); never suggest something that was not cleared.
    return Suggestion("message", [*changes, "nothing of the text could be kept"], text="")


def _model_threshold(recipient: Recipient, policy: ScreenPolicy) -> float | None:
    """The model's blocking score for this recipient, or None when the model does not apply (switched off, or a
    recipient who may know)."""
    if not policy.model.enabled or entitled(recipient, None, policy):
        return None
    return policy.model.threshold or DisclosureModel.load().threshold


def _model_sentence(text: str, recipient: Recipient, policy: ScreenPolicy) -> tuple[int, int, int] | None:
    """When the model still reads `text` as a disclosure: (start, end, number) of its highest-scoring sentence."""
    threshold = _model_threshold(recipient, policy)
    if threshold is None or not text.strip():
        return None
    model = DisclosureModel.load()
    if model.score(text) < threshold:
        return None
    spans = [(start, end, number) for number, (start, end, _) in enumerate(classify_text(text, message=True),
                                                                           start=1)]
    if not spans:
        return (0, len(text), 1)
    return max(spans, key=lambda span: model.score(text[span[0]:span[1]]))


def blocking_sentences(text: str, recipient: Recipient, registry: ProtectedRegistry | None,
                       policy: ScreenPolicy) -> list[tuple[int, int, int]]:
    """(start, end, sentence number) of every sentence of `text` that blocks for this recipient."""
    screener = TextScreener(recipient, registry, policy, list_all=True)
    screener.text(text, "message")
    return screener.blocking


def _blocks(sentence: str, recipient: Recipient, registry: ProtectedRegistry | None, policy: ScreenPolicy) -> bool:
    return bool(blocking_sentences(sentence, recipient, registry, policy))


def _tidy(text: str) -> str:
    lines = [" ".join(line.split()) for line in text.splitlines()]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    return "\n".join(out).strip()


def _unit_text(unit: Text | Table) -> str:
    if isinstance(unit, Text):
        return unit.text
    return "\n".join(" | ".join(c for c in row if c) for row in unit.frame.rows())


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


class TextScreener:
    """Screens text units one after another for one recipient: the findings, and the blocking sentences of the
    last text (for suggestions)."""

    def __init__(self, recipient: Recipient, registry: ProtectedRegistry | None, policy: ScreenPolicy,
                 list_all: bool = False) -> None:
        self.recipient = recipient
        self.registry = registry
        self.policy = policy
        self.max_chars = policy.limits.max_text_chars
        self.list_all = list_all  # suggestions need every blocking sentence, not the first hundred
        self.chars = 0
        self.findings: list[ScreenFinding] = []
        self.blocking: list[tuple[int, int, int]] = []  # (start, end, number) of blocking sentences, last text
        self._people_reported: set[tuple[str, str]] = set()
        self._listed = 0  # blocking sentence findings so far
        self._visibility = Visibility.VISIBLE  # of the text being screened: findings say if a reader sees it
        self.people: set[str] = set()  # protected people named (keys), for the report's `persons`

    def add(self, finding: ScreenFinding) -> None:
        self.findings.append(finding)

    def units(self, units: Iterable[Unit], prefix: str) -> None:
        for unit in units:
            where = f"{prefix}{unit.location}" if prefix else (unit.location or "(file)")
            if isinstance(unit, Text | Table):
                self.text(_unit_text(unit), where, unit.visibility)
            elif isinstance(unit, Unreadable):
                self.add(ScreenFinding(ScreenKind.UNREADABLE, where, f"could not be read: {unit.reason}"))
            elif isinstance(unit, Notice):
                self.add(ScreenFinding(ScreenKind.NOTICE, where, unit.message))

    def text(self, text: str, where: str, visibility: Visibility = Visibility.VISIBLE) -> None:
        self._visibility = visibility
        self.blocking = []
        if self._listed >= _MAX_LISTED and not self.list_all:
            return  # already blocked many times over: the rest cannot change the verdict
        if self.chars + len(text) > self.max_chars:
            self.add(ScreenFinding(ScreenKind.UNREADABLE, where,
                                   f"the message holds more than {self.max_chars} characters of text: not screened"))
            self.max_chars = -1  # say it once
            return
        self.chars += len(text)
        for number, (start, end, verdict) in enumerate(classify_text(text, message=True), start=1):
            sentence = text[start:end]
            people = find_protected(sentence, self.registry)
            before = len(self.findings)
            if verdict.disclosing:
                self._status(sentence, verdict, people, f"{where} sentence {number}")
            if people:
                self._people(sentence, people, f"{where} sentence {number}")
            new = self.findings[before:]
            if any(f.blocks for f in new) or any(not entitled(self.recipient, m.person, self.policy)
                                                 for m in people):
                self.blocking.append((start, end, number))
            self._listed += sum(1 for f in new if f.blocks)
            if self._listed >= _MAX_LISTED and not self.list_all:
                self.add(ScreenFinding(ScreenKind.NOTICE, where, f"more than {_MAX_LISTED} blocking sentences: the "
                                       "rest of the message was not listed (it is blocked already)"))
                return

    def second_opinion(self, text: str) -> None:
        """The model's reading of the whole text, for a recipient who may not know: a blocking finding when it scores
        at the policy's threshold or above. Only called when no rule blocked (it adds nothing to a blocked message)."""
        worst = _model_sentence(text, self.recipient, self.policy)
        if worst is None:
            return
        model = DisclosureModel.load()
        threshold = _model_threshold(self.recipient, self.policy) or model.threshold
        start, end, number = worst
        rule = self.policy.rule(self.recipient.kind)
        basis = f": {rule.basis}" if rule else " (no recipient kind given)"
        message = (f"the message reads like one that discloses a protection claim, fear, status or data-incident "
                   f"involvement (model score {model.score(text):.2f}, blocking from {threshold:.2f}), though no "
                   f"sentence rule names it; the recipient ({self._kind_name()}) may not know it{basis}. Most like "
                   f"a disclosure: sentence {number}")
        sentence = text[start:end]
        self.add(ScreenFinding(ScreenKind.RESEMBLES_DISCLOSURE, f"message sentence {number}", message,
                               sentence=masked_sentence(sentence, [(m.start, m.end) for m in
                                                                   find_protected(sentence, self.registry)]),
                               rule="model"))

    def _kind_name(self) -> str:
        return self.recipient.kind.value if self.recipient.kind else "unspecified"

    def _status(self, sentence: str, verdict: SentenceResult, people: list[PersonMatch], where: str) -> None:
        # Matched words can hold a name or an identifier ("Mr. García", "A123456789"): shown masked, like sentences.
        refs = [mask(r.text) if r.is_name else masked_sentence(r.text, limit=60) for r in verdict.refs][:2]
        statuses = list(dict.fromkeys(s.category for s in verdict.statuses))
        said = ", ".join(f"'{masked_sentence(s.text, limit=80)}'" for s in verdict.statuses[:2])
        about = f"about {_quoted(refs)}" if refs else "about someone"
        allowed = entitled(self.recipient, None, self.policy)
        rule = self.policy.rule(self.recipient.kind)
        if allowed and rule and rule.own_case_only and verdict.someone_else:
            allowed = False
            to_whom = (f"; the recipient ({self._kind_name()}) may know about their own case only, and this is "
                       "about someone else")
        elif allowed:
            to_whom = f"; the recipient ({self._kind_name()}) may know it: {rule.basis if rule else ''}"
        else:
            to_whom = f"; the recipient ({self._kind_name()}) may not" + (f": {rule.basis}" if rule else
                                                                          " (no recipient kind given)")
        message = (f"states a protected status or data-incident involvement ({', '.join(statuses)}: {said}) "
                   f"{about}: {verdict.reason}{to_whom}")
        self.add(ScreenFinding(ScreenKind.STATUS_DISCLOSURE, where, message, visible=self._visibility.seen,
                               sentence=masked_sentence(sentence, [(m.start, m.end) for m in people]),
                               rule=f"{verdict.lang}: status + {verdict.reason}", allowed=allowed))

    def _people(self, sentence: str, people: list[PersonMatch], where: str) -> None:
        for match in people:
            key = (match.person.name or match.person.a_number, match.kind)
            if key in self._people_reported:
                continue
            self._people_reported.add(key)
            self.people.add(match.person.name or match.person.a_number)
            who = {"name": "the name", "a-number": "the A-number", "dob": "the date of birth"}[match.kind]
            allowed = entitled(self.recipient, match.person, self.policy)
            nationality = ""
            if own_government(self.recipient, match.person):
                nationality = ", and the recipient is the government of their nationality"
            verdict = "may receive it" if allowed else "is not entitled to it"
            message = (f"{who} of a protected person ({mask(match.person.name or match.person.a_number)}; "
                       f"{match.person.reason}); the recipient ({self._kind_name()}) {verdict}{nationality}")
            self.add(ScreenFinding(ScreenKind.PROTECTED_PERSON, where, message, visible=self._visibility.seen,
                                   sentence=masked_sentence(sentence, [(m.start, m.end) for m in people]),
                                   allowed=allowed))

    def attachment(self, item: _Captured) -> bool:
        """Check and screen one attachment; True when it blocks (a suggestion leaves it out)."""
        before = len(self.findings)
        checked = check_bytes(item.blob, item.name)
        if checked.verdict.value != "pass":
            kinds = sorted({f.kind.value for f in checked.findings})
            self.add(ScreenFinding(
                ScreenKind.ATTACHMENT, item.location,
                f"veil check says {checked.verdict.value} for this attachment ({', '.join(kinds) or 'no findings'}"
                f"{f'; {checked.persons} person(s)' if checked.persons else ''}): only files that pass may be sent",
                # A recipient who may know receives case files; a file Veil cannot read is never cleared.
                allowed=checked.verdict.value in ("review", "block") and entitled(self.recipient, None, self.policy)))
        inner = ReadContext(name=item.name, budget=Budget(Limits()))
        texts: list[Unit] = [u for u in read_blob(item.blob, inner) if isinstance(u, Text | Table)]
        self.units(texts, f"{item.location} › ")
        return any(f.blocks for f in self.findings[before:])


def _quoted(values: list[str]) -> str:
    return " and ".join(f"'{v}'" for v in values)
