"""Free-text detection: identifiers and named people in prose (issue 3, "Detection in free text").

A person in prose is record-level data when a name is tied to an identifier (A-number, SSN, passport number, date
of birth) in the same sentence, list item, table row or nearby in the same paragraph, or to a protected status
(asylum, credible/reasonable fear, withholding, CAT, persecution, torture, T/U visa, VAWA) in the same sentence.

    PERSON_IN_TEXT      a named person tied to an identifier or status        (block)
    IDENTIFIER_IN_TEXT  an A-number/SSN/passport number/labelled birth date    (block: it identifies a person alone)
                        with no name nearby
    NAMED_PERSON        names with nothing sensitive attached, e.g. officials  (note, the message says why)
    CONTACT_DETAILS     e-mail addresses and phone numbers                      (note)

Helpers: text_segments (sentences), text_ids (identifiers), text_names (names), text_status (status terms).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from veil.detectors.people import Identity, People, birth_form, id_form, name_form
from veil.detectors.text_ids import IdMatch, find_identifiers
from veil.detectors.text_names import NameHit, attribution_words, find_names, fold
from veil.detectors.text_segments import Segment, SegmentIndex, chunks, paragraph_spans, split_paragraph
from veil.detectors.text_status import StatusHit, find_matters, find_statuses
from veil.findings import Finding, FindingKind, Kind, kind_of
from veil.masking import mask, mask_all
from veil.readers.units import Text

DETECTOR = "text"
_WORDS = re.compile(r"[^\W\d_]+")
# A name and an identifier in the same paragraph but further apart than this are not taken as tied (a PDF page
# without blank lines is one "paragraph").
_PARAGRAPH_REACH = 300
_MAX_PERSON_FINDINGS = 200
_LONE_DOB_LABELS = ("dob", "d.o.b", "date of birth", "birth date", "birthdate", "fecha de nacimiento", "fdn",
                    "f. de nac", "f.de nac", "f de nac", "date de naissance", "ddn", "data de nascimento",
                    "geburtsdatum", "data di nascita", "dat li fèt", "dat fèt")


@dataclass
class _Person:
    name: str
    key: str  # the name's form: its words folded and sorted
    location: str
    ties: list[str] = field(default_factory=list)
    scope: str = "sentence"
    ident: str | None = None  # the form of an A-number, SSN or passport number tied to them
    birth: str | None = None

    def identity(self) -> Identity:
        return Identity(self.ident, self.key, self.birth)

    def absorb(self, other: _Person) -> None:
        """`other` is this person named by surname alone ('Mr. Garcia' after 'Jose Garcia'): one person."""
        self.ties += [t for t in other.ties if t not in self.ties]
        self.ident = self.ident or other.ident
        self.birth = self.birth or other.birth


@dataclass
class _Accumulator:
    unit: Text
    many_sentences: bool = False
    paragraphs: bool = False  # more than one paragraph: locations name the paragraph too
    paragraph_base: int = 0  # paragraphs in the chunks before this one, so numbers run through the whole text
    persons: dict[str, _Person] = field(default_factory=dict)
    lone_ids: list[IdMatch] = field(default_factory=list)
    lone_id_location: str = ""
    named: list[tuple[str, str | None, str | None]] = field(default_factory=list)  # (name, official, why)
    contacts: list[IdMatch] = field(default_factory=list)

    def where(self, seg: Segment | None) -> str:
        if seg is None or not self.many_sentences:
            return self.unit.location
        where = f"paragraph {seg.paragraph + 1}, sentence {seg.index}" if self.paragraphs else f"sentence {seg.index}"
        return f"{self.unit.location} {where}" if self.unit.location else where


def analyse_text(unit: Text) -> list[Finding]:
    """Findings for one run of prose. Never raises on odd text; cost is linear in the text's length."""
    text = unit.text
    if not text or not text.strip():
        return []
    acc = _Accumulator(unit)
    for offset, piece in chunks(text):
        _analyse_piece(piece, offset, acc)
    return _findings(acc)


def _analyse_piece(text: str, offset: int, acc: _Accumulator) -> None:
    ids = find_identifiers(text)
    # A person's matters (charged, convicted, deported...) tie a name in their sentence as a protection claim does.
    statuses = find_statuses(text) + find_matters(text)
    hits = find_names(text)
    # Only paragraphs holding an identifier or a status word can tie a name to anything: split just those.
    paragraphs = paragraph_spans(text)
    starts = [p[0] for p in paragraphs]
    spots = [i.start for i in ids] + [s.start for s in statuses]
    hot = sorted({bisect_right(starts, x) - 1 for x in spots})
    segments: list[Segment] = []
    for para in hot:
        split_paragraph(text, paragraphs[para][0], paragraphs[para][1], acc.paragraph_base + para, segments,
                        restart=True)
    acc.many_sentences = acc.many_sentences or len(segments) > 1 or len(paragraphs) > 1 or offset > 0
    acc.paragraphs = acc.paragraphs or len(paragraphs) > 1 or offset > 0
    index = SegmentIndex(segments)
    status_by_seg: dict[int, list[StatusHit]] = {}  # by segment start (sentence numbers restart per paragraph)
    for st in statuses:
        seg = index.at(st.start)
        if seg is not None:
            status_by_seg.setdefault(seg.start, []).append(st)
    acc.contacts.extend(i for i in ids if i.finding == Kind.CONTACT_DETAILS)
    personal_ids = [i for i in ids if i.finding != Kind.CONTACT_DETAILS]
    claimed: set[int] = set()
    attribution = attribution_words()
    for hit in hits:
        seg = index.at(hit.start)
        tied_ids = _tied_identifiers(hit, seg, personal_ids, index)
        seg_statuses = status_by_seg.get(seg.start, []) if seg else []
        if hit.official:
            # Officials talk about asylum policy; only an identifier in their own sentence would tie to them, and
            # then it is someone else's identifier (reported on its own below).
            acc.named.append((hit.value, hit.official, None))
            continue
        status_labels: list[str] = []
        if seg_statuses:
            sentence_words = {fold(w) for w in _WORDS.findall(text[seg.start:seg.end])} if seg else set()
            if hit.strong or sentence_words & attribution:
                status_labels = _unique(s.label for s in seg_statuses)
            else:
                acc.named.append((hit.value, None, "near a protected-status word but not shown to be a person"))
        if not tied_ids and not status_labels:
            if not seg_statuses:
                acc.named.append((hit.value, None, None))
            continue
        claimed.update(id(i) for i in tied_ids)
        _add_person(acc, hit, seg, tied_ids, status_labels, text)
    for ident in personal_ids:
        if id(ident) in claimed:
            continue
        if ident.identifies or (ident.kind == "dob" and _labelled_dob(text, ident)):
            if not acc.lone_ids:
                acc.lone_id_location = acc.where(index.at(ident.start))
            acc.lone_ids.append(ident)
    acc.paragraph_base += len(paragraphs)


def _tied_identifiers(hit: NameHit, seg: Segment | None, ids: list[IdMatch], index: SegmentIndex) -> list[IdMatch]:
    if seg is None:
        return []
    out = []
    for ident in ids:
        other = index.at(ident.start)
        if other is None or other.paragraph != seg.paragraph:
            continue
        if other.start == seg.start:
            out.append(ident)
            continue
        distance = ident.start - hit.end if ident.start >= hit.end else hit.start - ident.end
        if distance <= _PARAGRAPH_REACH:
            out.append(ident)
    return out


def _labelled_dob(text: str, ident: IdMatch) -> bool:
    head = text[ident.start:ident.end].lower()
    return head.startswith(_LONE_DOB_LABELS)


def _add_person(acc: _Accumulator, hit: NameHit, seg: Segment | None, tied: list[IdMatch], statuses: list[str],
                text: str) -> None:
    key = name_form(hit.value)
    person = acc.persons.get(key)
    if person is None:
        person = _Person(hit.value, key, acc.where(seg))
        acc.persons[key] = person
    same_sentence = seg is not None and all(_in(seg, i) for i in tied)
    if not same_sentence:
        person.scope = "paragraph"
    # The nearest identifier and birth date are this person's: a list of "name, A-number, born ..." lines without
    # full stops is one "sentence" holding everyone's numbers.
    for ident in sorted(tied, key=lambda i: i.start - hit.end if i.start >= hit.end else 2 * (hit.start - i.end)):
        if ident.label not in person.ties:
            person.ties.append(ident.label)
        if ident.identifies and person.ident is None:
            person.ident = id_form(ident.kind, ident.value)
        elif ident.kind == "dob" and person.birth is None:
            person.birth = birth_form(ident.value)
    for label in statuses:
        quoted = f"'{label}'"
        if quoted not in person.ties:
            person.ties.append(quoted)


def _in(seg: Segment, ident: IdMatch) -> bool:
    return seg.start <= ident.start < seg.end


def _unique(values: object) -> list[str]:
    out: list[str] = []
    for v in values:  # type: ignore[attr-defined]
        if v not in out:
            out.append(v)
    return out


def _findings(acc: _Accumulator) -> list[Finding]:
    unit = acc.unit
    seen, vis = unit.visibility.seen, unit.visibility.value
    out: list[Finding] = []
    persons = _one_per_person(list(acc.persons.values()))
    for person in persons[:_MAX_PERSON_FINDINGS]:
        ties = _join(person.ties)
        out.append(Finding(
            Kind.PERSON_IN_TEXT, person.location, seen,
            f"name '{mask(person.name)}' in the same {person.scope} as {ties}: a named person tied to "
            f"{_tied_to(person.ties)}",
            DETECTOR, evidence=(f"name shape/lexicon + {ties} in the same {person.scope}",),
            samples=(mask(person.name),), visibility=vis, person_keys=People.of([person.identity()])))
    if len(persons) > _MAX_PERSON_FINDINGS:
        rest = persons[_MAX_PERSON_FINDINGS:]
        out.append(Finding(
            Kind.PERSON_IN_TEXT, unit.location, seen,
            f"{len(rest)} more named people tied to identifiers or protected status", DETECTOR,
            samples=mask_all([p.name for p in rest]), visibility=vis,
            person_keys=People.of(p.identity() for p in rest)))
    # Built-in identifiers make one identifier-in-text finding; a recognizer with a kind of its own, its own finding.
    for kind, lone in _by_finding(acc.lone_ids).items():
        kinds = _unique(i.label for i in lone)
        out.append(Finding(
            kind, acc.lone_id_location, seen,
            f"{len(lone)} personal identifier(s) ({_join(kinds)}) with no name nearby: an A-number, SSN or "
            "passport number identifies a person by itself",
            DETECTOR, evidence=tuple(f"{i.label} pattern" for i in lone[:3]),
            samples=mask_all([i.value for i in lone]), visibility=vis,
            person_keys=People.of(_lone_identity(i) for i in lone)))
    if acc.named:
        out.append(_named_finding(acc))
    if acc.contacts:
        kinds = _unique(i.label for i in acc.contacts)
        out.append(Finding(
            Kind.CONTACT_DETAILS, unit.location, seen,
            f"{len(acc.contacts)} contact detail(s) ({_join(kinds)}), as a rule an office's or an official's",
            DETECTOR, samples=mask_all([i.value for i in acc.contacts]), visibility=vis))
    return out


def _by_finding(ids: list[IdMatch]) -> dict[FindingKind, list[IdMatch]]:
    out: dict[FindingKind, list[IdMatch]] = {}
    for ident in ids:
        out.setdefault(kind_of(ident.finding), []).append(ident)
    return out


def _tied_to(ties: list[str]) -> str:
    return "a protection claim or a matter" if any(t.startswith("'") for t in ties) else "an identifier"


def _one_per_person(persons: list[_Person]) -> list[_Person]:
    """A person named by one word ('Mr. Garcia') where exactly one other person of the text has that word in their
    name is that person: a letter about one man is about one man."""
    full = [p for p in persons if " " in p.key]
    out = list(full)
    for person in persons:
        if " " in person.key:
            continue
        same = [p for p in full if person.key in p.key.split()]
        if len(same) == 1:
            same[0].absorb(person)
        else:
            out.append(person)
    return sorted(out, key=persons.index)


def _lone_identity(ident: IdMatch) -> Identity:
    return Identity(ident=id_form(ident.kind, ident.value)) if ident.identifies else \
        Identity(birth=birth_form(ident.value))


def _named_finding(acc: _Accumulator) -> Finding:
    officials = [n for n in acc.named if n[1]]
    doubtful = [n for n in acc.named if n[2]]
    reasons = []
    if officials:
        titles = _unique(n[1] for n in officials)[:3]
        reasons.append(f"{len(officials)} named in a role: official, author or addressee ({', '.join(titles)})")
    plain = len(acc.named) - len(officials) - len(doubtful)
    if plain:
        reasons.append(f"{plain} named with no identifier or protected status in the same sentence")
    if doubtful:
        reasons.append(f"{len(doubtful)} near a protected-status word without evidence they are a private person")
    return Finding(
        Kind.NAMED_PERSON, acc.unit.location, acc.unit.visibility.seen,
        f"{len(acc.named)} name(s): {'; '.join(reasons)}; named only, with nothing tied to them",
        DETECTOR, samples=mask_all([n[0] for n in acc.named]), visibility=acc.unit.visibility.value,
        # Keys of the private (non-official) names only, so a file-level rule can tell a list of people.
        person_keys=People.of(Identity(name=name_form(n[0])) for n in acc.named if not n[1]))


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
