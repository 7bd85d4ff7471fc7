"""Does a sentence tell its reader that identified people have a protected status? Rules are data, one file per
language (data/sentence_rules_{en,es,fr,ht}.yaml); this module only combines them. A sentence is read for WHAT it
says (a status) and WHO it says it of (a reference):

    status     a protected-status or data-incident statement: a protection claim (asylum, withholding, CAT,
               non-refoulement, "referred to an asylum officer"), fear ("fear claims", "he would be harmed if
               returned"), a victim's or witness's status (T/U visa, VAWA, trafficking, a protected witness), or
               involvement in a data incident ("affected by the leak", "in the file posted in error", "the recent
               data matter"), minus the `neutral` phrases ("asylum statistics", "Temporary Protected Status")
    refs       a reference to identified people: part of a group ("some of the 103"), identified people ("the
               people listed in your note", "those on the flight"), a title or a person's name, a pronoun
    finite     a past claim or event that carries its own subject ("applied for asylum", "were affected by")
    generic /  framing that makes a sentence about the law, the process or a population; a generic subject
    statistics ("anyone who fears return", "asylum seekers often ...", "the people whose information was
               exposed") makes the pronouns after it ("they", "many of them") generic too
    law_subject a law, regulation, treaty or policy as the subject ("8 CFR 208.6 forbids ...", "the Convention
               prohibits returning a person ..."), before the status it governs: a generic subject; under one, role
               nouns ("a person", "the applicant") and pronouns are whoever the rule covers
    refusal    the sentence declines to say anything ("we can neither confirm nor deny"), or repeats the reader's
               own question ("you asked whether ..."): never disclosing, unless it gives a status as its reason
               ("we can't share it because his asylum case is confidential") or goes on to answer
    history    a claim of long ago told as history ("sought political asylum in France in 1961"): never disclosing
    context    a quantity ("12", "some") right after a sentence that mentioned people ("103 people on the flight")

    weak_refs  "some passengers", a definite plural ("the passengers"), and, failing closed, any word for people
               or any quantity word: they count unless the sentence is framed as general, legal or statistical

    block  = status and not refusal and (refs
                                         or weak refs / finite, without generic or statistical framing
                                         or a quantity right after a sentence about people, without framing
                                         or, in a message, no framing and an anchor anywhere in the message)

    anchors       in a message (`classify_text(..., message=True)`), a status sentence that names nobody but
                  speaks of a case (`case_markers`: "pending", "still", "her claim", "Reason: ...", or a short
                  note) is about the people the message names just before it (a title, an A-number, "passengers 3
                  and 19", "the 6 June manifest", a person's name); a general statement ("asylum applications are
                  processed in Houston") is not
    someone_else  the sentence speaks of someone other than the reader or the reader's client ("the other man
                  arrested with your client", "your friend"), or, in a message, speaks by pronouns alone right
                  after a sentence that did ("your cellmate was released. His claim ..."), or the message says the
                  person is not the reader's client (`not_your_client`: "Mr. Faraj isn't your client", "I represent
                  Mr. Aziz") and the sentence does not name the reader's client: a recipient who may know about
                  their own case only (an attorney, the applicant) may not know this
    story         a message that says its story is anonymised or fictional is about nobody identifiable, unless a
                  sentence carries an identifier (an A-number, a flight number)
    incident_membership  in a message, after a sentence about a data incident, "among those included in the
                  document" puts the people a sentence names in the exposed file
    other_court   the head of a message addresses another court than the immigration court or the Board, or a public
                  record ("To the County Probate Court (public record)"): the screen reads the recipient as a third
                  party
    table         in a message, a pasted table's row that gives a count (1 or more) in a column whose header states a
                  status ("Held (CF/RF)", "Not travelling (protection claims)") counts people with that status

Negations and hedges ("none of them", "may have been", "probably") do not matter: a statement about the group
either way.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from veil.detectors.text_names import NameHit, find_names
from veil.detectors.text_segments import paragraph_spans, split_sentences
from veil.yamlio import load_yaml

LANGS = ("en", "es", "fr", "ht")
_MAX_SENTENCE = 2000  # longer "sentences" are split text without punctuation: screen them in pieces

# Function words that tell the languages apart (a message is short: a few of these settle it).
_LANG_WORDS = {
    "en": frozenset(
        "the of and to in on for with was were some they them have had is are been this these those "
        "flight people also but as an a at by he she his her who which would will not no list update off "
        "from per pls please hold delete remove offload pax ppl".split()
    ),
    "es": frozenset(
        "el la los las de del que y en por para con una un fue fueron se al su sus algunos algunas "
        "ellos ellas este esta estos estas han habían sido vuelo personas también pero como le lo "
        "señor señora no es está".split()
    ),
    "fr": frozenset(
        "le la les des du de une un est sont ne pas qui que dans pour avec nous vous il elle ils elles "
        "leur leurs sur au aux été ce cette ces son sa ses vol personnes aussi mais comme monsieur "
        "madame être avait et par où votre notre liste partent en attente depuis auprès ont avons sera doit "
        "tant dont".split()
    ),
    "ht": frozenset(
        "yo nan li ki pa te ap gen sa pou ak sou mwen nou ou kèk moun vòl ankò tout se pral konsa "
        "paske men lè kote jodi a yon mesye madanm fanmi pase dosye konn tann ane anvan plizyè entèvyou "
        "demann mande ka fè di bay lòt sèlman toujou kounye isit".split()
    ),
}
_LANG_LETTERS = {"es": "ñ¿¡áíóú", "fr": "çêâîôûëœà", "ht": "ò"}  # "è" is French and Creole both


@dataclass(frozen=True)
class RuleMatch:
    category: str  # e.g. "asylum", "part of a group", "finite"
    text: str  # the matched words (not personal data, except names, which are masked by the caller)
    is_name: bool = False
    span: tuple[int, int] = (0, 0)


@dataclass
class SentenceResult:
    disclosing: bool
    lang: str
    statuses: list[RuleMatch] = field(default_factory=list)
    refs: list[RuleMatch] = field(default_factory=list)
    finite: list[RuleMatch] = field(default_factory=list)
    reason: str = ""
    someone_else: bool = False  # about someone other than the reader or the reader's client


@dataclass(frozen=True)
class _Rules:
    refs: dict[str, list[re.Pattern[str]]]
    weak_refs: dict[str, list[re.Pattern[str]]]
    status: dict[str, list[re.Pattern[str]]]
    status_triggers: tuple[str, ...]  # a sentence holding none of these cannot match a status pattern
    finite: list[re.Pattern[str]]
    neutral: list[re.Pattern[str]]
    generic: list[re.Pattern[str]]
    generic_subject: list[re.Pattern[str]]
    law_subject: list[re.Pattern[str]]
    statistics: list[re.Pattern[str]]
    refusal: list[re.Pattern[str]]
    quantifier: list[re.Pattern[str]]
    people_mention: list[re.Pattern[str]]
    anchors: list[re.Pattern[str]]
    case_markers: list[re.Pattern[str]]
    someone_else: list[re.Pattern[str]]
    history: list[re.Pattern[str]]
    story: list[re.Pattern[str]]
    not_your_client: list[re.Pattern[str]]
    your_client: list[re.Pattern[str]]
    incident_membership: list[re.Pattern[str]]
    reader_case: list[re.Pattern[str]]
    reported_question: list[re.Pattern[str]]
    other_court: list[re.Pattern[str]]


def _compile(patterns: list[Any] | None) -> list[re.Pattern[str]]:
    return [re.compile(str(p), re.IGNORECASE) for p in patterns or []]


@lru_cache(maxsize=len(LANGS))
def rules(lang: str) -> _Rules:
    raw = resources.files("veil.detectors").joinpath(f"data/sentence_rules_{lang}.yaml").read_text(encoding="utf-8")
    data = load_yaml(raw)
    return _Rules(
        refs={str(k): _compile(v) for k, v in (data.get("refs") or {}).items()},
        weak_refs={str(k): _compile(v) for k, v in (data.get("weak_refs") or {}).items()},
        status={str(k): _compile(v) for k, v in (data.get("status") or {}).items()},
        status_triggers=tuple(str(t).lower() for t in data.get("status_triggers") or ()),
        finite=_compile(data.get("finite")),
        neutral=_compile(data.get("neutral")),
        generic=_compile(data.get("generic")),
        generic_subject=_compile(data.get("generic_subject")),
        law_subject=_compile(data.get("law_subject")),
        statistics=_compile(data.get("statistics")),
        refusal=_compile(data.get("refusal")),
        quantifier=_compile(data.get("quantifier")),
        people_mention=_compile(data.get("people_mention")),
        anchors=_compile(data.get("anchors")),
        case_markers=_compile(data.get("case_markers")),
        someone_else=_compile(data.get("someone_else")),
        history=_compile(data.get("history")),
        story=_compile(data.get("story")),
        not_your_client=_compile(data.get("not_your_client")),
        your_client=_compile(data.get("your_client")),
        incident_membership=_compile(data.get("incident_membership")),
        reader_case=_compile(data.get("reader_case")),
        reported_question=_compile(data.get("reported_question")),
        other_court=_compile(data.get("other_court")),
    )


def guess_language(sentence: str) -> str:
    words = re.findall(r"[^\W\d_]+", sentence.lower())
    scores = {lang: sum(1 for w in words if w in vocab) for lang, vocab in _LANG_WORDS.items()}
    # accented letters count in ordinary words only: a name ("Peña", "Desirée") says nothing of the language
    common = " ".join(w for w in re.findall(r"[^\W\d_]+", sentence) if not w[:1].isupper()).lower()
    for lang, letters in _LANG_LETTERS.items():
        scores[lang] += 2 * sum(1 for c in common if c in letters)
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    return best if scores[best] > scores["en"] else "en"


def mentions_status(text: str) -> bool:
    """Could any sentence of the text state a protected status? (The cheap look: a status trigger word.)"""
    return bool(_triggered(text))


def _triggered(text: str) -> tuple[str, ...]:
    """The languages whose status patterns can match `text`: each pattern holds one of its language's triggers."""
    low = text.lower()
    return tuple(r for r in LANGS if _trigger_pattern(r).search(low))


@lru_cache(maxsize=len(LANGS))
def _trigger_pattern(lang: str) -> re.Pattern[str]:
    """One search for all of a language's triggers (plain fragments, longest first)."""
    fragments = sorted(set(rules(lang).status_triggers), key=len, reverse=True)
    return re.compile("|".join(re.escape(f) for f in fragments))


def mentions_people(sentence: str) -> bool:
    """Does the sentence speak of people or a group ("103 people on the flight", "the passengers")?"""
    own = rules(guess_language(sentence))
    return _any(own.people_mention, sentence) or bool(_refs(own, sentence, names=False))


def anchored(text: str) -> bool:
    """Does the text name someone or some group a reader can tell apart: a title, an A-number, numbered passengers,
    a dated flight or list, a private person's name?"""
    return any(p.search(text) for r in LANGS for p in rules(r).anchors) or any(not h.official for h in find_names(text))


def classify(sentence: str, previous: str | bool | None = None, prefilter: bool = True) -> SentenceResult:
    """Classify one sentence. `previous`: the sentence before it (or whether it spoke of people or a group).

    The result is shared between identical sentences (boilerplate repeats in long threads): do not modify it."""
    base, context_candidate, _ = _classify(sentence[:_MAX_SENTENCE], prefilter)
    if base.disclosing or not context_candidate:
        return base
    if previous if isinstance(previous, bool) else previous is not None and mentions_people(previous):
        return replace(base, disclosing=True, reason="a quantity of the people named in the previous sentence")
    return base


@lru_cache(maxsize=8192)
def _classify(sentence: str, prefilter: bool) -> tuple[SentenceResult, bool, bool]:
    """The sentence's own verdict; whether the previous sentence could still make it disclosing (a quantity or a
    claim, unframed); whether the message could (a status, unframed)."""
    triggered = _triggered(sentence)
    if prefilter and not triggered:
        return SentenceResult(False, ""), False, False
    lang = guess_language(sentence)
    own = rules(lang)
    result = SentenceResult(False, lang)
    result.statuses = _statuses(sentence, triggered if prefilter else LANGS)
    if not result.statuses or _refuses(own, sentence, result.statuses) or _any(own.history, sentence):
        return result, False, False
    result.someone_else = _any(own.someone_else, sentence) and not _readers_own(sentence, result.statuses)
    # A law is the subject when it comes before what is said: "Those three had pending claims, and the law says we
    # must stop" is about those three, not about the law.
    law = _before(own.law_subject, sentence, min(m.span[0] for m in result.statuses))
    generic_subject = law or _any(own.generic_subject, sentence)
    subjects = _spans(own.generic_subject, sentence) if generic_subject else []
    result.refs = [
        r
        for r in _refs(own, sentence, names=True)
        if not (generic_subject and (_by_pronoun(r) or _ROLE_NOUN.match(r.text) or _within(r.span, subjects)))
    ]
    if result.refs:  # identified people: nothing else can change the verdict
        result.disclosing = True
        result.reason = "reference to identified people"
        return result, False, False
    result.finite = [
        RuleMatch("finite", m.group(0))
        for r in (triggered if prefilter else LANGS)
        for p in rules(r).finite
        for m in p.finditer(sentence)
    ]
    framed = generic_subject or _any(own.generic, sentence) or _any(own.statistics, sentence)
    weak = [
        RuleMatch(category, m.group(0))
        for category, patterns in own.weak_refs.items()
        for p in patterns
        for m in p.finditer(sentence)
    ]
    if weak and not framed:
        result.refs = weak
        result.disclosing = True
        result.reason = "reference to some of the people concerned"
    elif result.finite and not framed:
        result.disclosing = True
        result.reason = "a claim or event stated about someone"
    context_candidate = (_any(own.quantifier, sentence) or bool(result.finite)) and not framed
    return result, context_candidate, not framed


# What a status right after it belongs to: the reader or the reader's client ("you passed your fear screening",
# "your client Mateo's asylum hearing"), not a relative named in the same sentence ("... release to your sister").
_READERS_OWN = re.compile(
    r"(?:\byour\s+(?:own\s+)?|\byour\s+client(?:\s+(?-i:[A-Z])[\w.'’-]*){0,3}(?:'s|’s)\s+|"
    r"\byou\s+(?:(?!(?:his|her|their|its|him|them|he|she|they)\b)(?-i:[a-z-]+)\s+){1,2}?(?:your\s+)?)"
    r"(?:(?:pending|new|recent|upcoming|next|first|second|own)\s+)?$",
    re.IGNORECASE,
)


def _readers_own(sentence: str, statuses: list[RuleMatch]) -> bool:
    """Is every status of the sentence the reader's own, or the reader's client's (see `_READERS_OWN`)? A status
    overlapping one that is ("your credible fear interview": "credible fear", "fear interview") is too."""
    own = [m.span for m in statuses if _READERS_OWN.search(sentence[max(0, m.span[0] - 60) : m.span[0]])]
    return bool(own) and all(any(s < m.span[1] and m.span[0] < e for s, e in own) for m in statuses)


# A refusal gives no answer ("we cannot confirm or deny whether ..."), unless it gives its reason: "we cannot share
# his file because his asylum case is confidential" says the very thing it withholds.
_REASON = re.compile(
    r"\b(?:because|since|as|given that|due to|porque|ya que|pues|dado que|parce qu|car|paske|poutèt)\b", re.IGNORECASE
)


def _refuses(own: _Rules, sentence: str, statuses: list[RuleMatch]) -> bool:
    found = [m for p in own.refusal for m in p.finditer(sentence)]
    if not found:
        return False
    reasons = [m.end() for m in _REASON.finditer(sentence, min(m.end() for m in found))]
    return not (reasons and any(s.span[0] >= reasons[0] for s in statuses))


def _statuses(sentence: str, langs: tuple[str, ...] = LANGS) -> list[RuleMatch]:
    """Status statements in the patterns of `langs` (those whose triggers the sentence holds: the same result,
    faster), minus those inside a neutral phrase of any language."""
    found = [
        RuleMatch(category, m.group(0), span=m.span())
        for r in langs
        for category, patterns in rules(r).status.items()
        for p in patterns
        for m in p.finditer(sentence)
    ]
    if not found:
        return found
    found = list({m.span: m for m in reversed(found)}.values())[::-1]  # one match per span (I-589 is in every file)
    neutral = [m.span() for r in LANGS for p in rules(r).neutral for m in p.finditer(sentence)]
    return [m for m in found if not any(s <= m.span[0] and m.span[1] <= e for s, e in neutral)]


_NAME_BY_SHAPE = "person's name (by shape)"  # a refs category whose matches are names: masked when shown


def _refs(own: _Rules, sentence: str, names: bool) -> list[RuleMatch]:
    out = [
        RuleMatch(category, m.group(0), is_name=category == _NAME_BY_SHAPE, span=m.span())
        for category, patterns in own.refs.items()
        for p in patterns
        for m in p.finditer(sentence)
        if not _indefinite_condition(m.group(0))
    ]
    if names and not out:  # a name only matters when nothing else already identifies the people
        out.extend(
            RuleMatch("person's name", h.value, is_name=True)
            for h in find_names(sentence)
            if not h.official and not _in_organisation_name(sentence, h.start)
        )
    if names and not out:
        out.extend(_roster_line_name(sentence))
    return out



# A condition on the reader with an indefinite article ("if you are on a removal flight list", "si ou sou lis yon
# vòl") is advice to anyone, not a notice to the people of one flight ("if you were on the 9 May flight").
_INDEFINITE_CONDITION = re.compile(
    r"^(?:if you|si ou|si vous|si tu|si usted)\b[^.;:!?]{0,30}?\b(?:a|an|any|yon|nenpòt|un|une|una|algún|alguna)\s",
    re.IGNORECASE,
)


def _indefinite_condition(ref: str) -> bool:
    return bool(_INDEFINITE_CONDITION.match(ref))

# A roster line opens with "Surname, Given" and a dash or a cell border before its note ("- Bámaca, Fredy — audiencia
# asilo 9:00", "Patzán, Elmer | 8:00 | audiencia de asilo", "1. Dorvil, Marie + 2 timoun — krent kredib pozitif"):
# the same in every language, and often too short to be guessed as the language of its note. (Not a greeting or an
# interjection: "Hola, Ana — ...")
_ROSTER_LINE = re.compile(
    r"^\W*(?:[0-9]{1,2}[.)]\s*)?"
    r"(?!(?:Hola|Gracias|Buenos|Buenas|Oye|Ojo|Nota|Bueno|Pues|Hi|Hello|Thanks|Note|Yes|No|Ok|Okay|Bonjour|Merci|"
    r"Salut|Oui|Non|Bonjou|Mèsi|Alò|Wi|Sí)\b)"
    r"(?P<name>[A-ZÁÉÍÓÚÑÀ-ÝÒ][\w'’-]+(?:\s+[A-ZÁÉÍÓÚÑÀ-ÝÒ][\w'’-]+)?,\s+[A-ZÁÉÍÓÚÑÀ-ÝÒ][\w'’-]+)"
    r"(?:\s*\+\s*[0-9]+(?:\s+[\w-]+)?)?\s*(?:[—–-]\s|\|)"
)


def _roster_line_name(sentence: str) -> list[RuleMatch]:
    m = _ROSTER_LINE.match(sentence)
    return [RuleMatch(_NAME_BY_SHAPE, m.group("name"), is_name=True)] if m else []


# The head of an organisation's name ("the Office of Refugee Resettlement", "Department of Social Services"): a word
# after it is part of the name, not a person's ("Resettlement").
_ORGANISATION_HEAD = re.compile(
    r"(?-i:\b(?:Office|Department|Bureau|Ministry|Administration|Center|Centre|Institute|Agency|Council|Commission|"
    r"Service|Services|Division|Directorate|Committee|Society|Association|Foundation|Fund|Program|Programme|Court|"
    r"University|College|School|Hospital|Clinic|Coalition|Alliance|Network|Project|Board)\s+(?:of|for|on)\s+"
    r"(?:the\s+)?(?:[A-Z][\w'’-]*,?\s+(?:and\s+|&\s+|of\s+|for\s+)?){0,4})$"
)


def _in_organisation_name(sentence: str, start: int) -> bool:
    """Does the name found at `start` continue an organisation's name ("Office of Refugee Resettlement")?"""
    return bool(_ORGANISATION_HEAD.search(sentence, max(0, start - 120), start))


# A pronoun, a part of a group named by one ("many of them") or a relative of one ("their children"): under a
# generic subject it is that subject.
_PRONOUN_END = re.compile(r"\b(?:them|they|their|ellos|ellas|eux|elles|leur|leurs|yo)\s*$", re.IGNORECASE)
_PRONOUN_START = re.compile(r"^\s*(?:their|his|her|its|sus|su|leurs|leur|ses|son|sa)\b", re.IGNORECASE)


# Under a generic subject or a law as subject, a role noun is whoever the rule covers ("returning a person", "the
# applicant's consent", "una persona que tema ...", "protects a person from being returned", "la familia", "chak
# moun"); a bare noun or quantifier is one too ("hijos", "toutes").
_ROLE_NOUN = re.compile(
    r"^\s*(?:(?:the|a|an|any|each|every|all|such|your|un|una|el|la|los|las|le|les|l'|cada|toda|todo|todas|todos|"
    r"tout|toute|toutes|tous|chaque|yon|nenpòt|chak)\s*(?:[\w-]+\s+)?|(?=\w+\s*$))"
    r"(?:persons?|people|applicants?|individuals?|noncitizens?|aliens?|respondents?|victims?|clients?|"
    r"spouses?|child|children|refugees?|asylees?|petitioners?|family|families|households?|"
    r"personas?|solicitantes?|individuos?|familias?|hij[oa]s|personnes?|demandeur|demandeuse|demandeurs|famille|"
    r"familles|enfants|moun|fanmi|timoun|(?<!\w)(?:todas|todos|toutes|tous|some|many|most|several))"
    r"(?:\s+(?:on|of|from|in|aboard|booked|scheduled|travell?ing|de|en|nan))?\s*$",
    re.IGNORECASE,
)


def _by_pronoun(ref: RuleMatch) -> bool:
    return ref.category == "pronoun" or bool(_PRONOUN_END.search(ref.text) or _PRONOUN_START.search(ref.text))


def _any(patterns: list[re.Pattern[str]], sentence: str) -> bool:
    return any(p.search(sentence) for p in patterns)


def _spans(patterns: list[re.Pattern[str]], sentence: str) -> list[tuple[int, int]]:
    return [m.span() for p in patterns for m in p.finditer(sentence)]


def _within(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    """Is `span` inside one of `spans` (a reference that is part of the generic subject: "each person listed in the
    roster that was briefly online")?"""
    return span != (0, 0) and any(s <= span[0] and span[1] <= e for s, e in spans)


def _before(patterns: list[re.Pattern[str]], sentence: str, pos: int) -> bool:
    """Does one of the patterns match starting at or before `pos`?"""
    return any((m := p.search(sentence)) is not None and m.start() <= pos for p in patterns)


def _any_lang(field_name: str, text: str) -> bool:
    return any(p.search(text) for lang in LANGS for p in getattr(rules(lang), field_name))


_ADDRESS_REACH = 300  # characters at the head of a message where it says whom it addresses


def addressed_to_another_court(text: str) -> bool:
    """Does the head of the message address a court other than the immigration court or the Board ("To the County
    Probate Court"), or a public record ("(public docket)")?"""
    return _any_lang("other_court", text[:_ADDRESS_REACH])


_ANCHOR_REACH = 500  # characters before a case sentence where the people it speaks of are named
_NOTE_WORDS = 6  # a status note this short ("Reason: pending CFI.") speaks of a case


def classify_text(text: str, message: bool = False) -> Iterator[tuple[int, int, SentenceResult]]:
    """Classify every sentence of a text, lazily: (start, end, result), the previous sentence as context. With
    `message`, the text is one message, read as a whole:

    anchors          a sentence that speaks of someone's case without naming them is about the people the message
                     names just before it
    greeting         the greeting names the reader ("Dear Mr. Patel,"), not someone the message is about: it
                     anchors nothing and is no reference; but when it names the reader, "your asylum interview"
                     (`reader_case`) is that named person's case
    story            a message that says its story is anonymised or fictional ("names have been changed") is about
                     nobody identifiable, unless a sentence carries an identifier (an A-number, a flight), or names
                     someone in full outside the paragraphs that say so ("Separately: Juan Perez Lopez has ...")
    reported question  the reader's own question repeated ("You asked whether Ms. N applied for asylum") in a
                     message that declines to answer it states nothing
    not your client  a message that says the person it speaks of is not the reader's client ("Mr. Faraj isn't your
                     client", "I represent Mr. Aziz") speaks of someone else in every disclosing sentence that does
                     not name the reader's client
    incident         after a sentence about a data incident, "among those included in the document" about named
                     people says they were in the exposed file
    table            a row of a pasted table with a count in a column headed by a status ("Held (CF/RF)") counts
                     people with that status"""
    previous: str | None = None
    other_before = False  # the previous sentence spoke of someone other than the reader or the reader's client
    story = _story_paragraphs(text) if message else set()
    not_client = message and _any_lang("not_your_client", text)
    incident_before = False
    greeting = _greeting_end(text) if message else 0
    named_reader = greeting > 0 and anchored(text[:greeting])
    declines = message and _any_lang("refusal", text)
    counted = _status_count_rows(text) if message and text.count("|") >= 4 else {}
    person_rows = _person_rows(text) if message and text.count("|") >= 4 else []
    own_names = set(_own_names(text, greeting)) if message else set()
    introduced = False  # the previous sentence brought up someone else without declining to speak of them
    others: set[str] = set()  # the words of the names given to people other than the reader or the reader's client
    for seg in split_sentences(text):
        in_story = seg.paragraph in story
        for start in range(seg.start, seg.end, _MAX_SENTENCE):
            end = min(seg.end, start + _MAX_SENTENCE)
            sentence = text[start:end]
            # the greeting's title and name are the reader's ("Hi Ms. Park (ESL teacher) - you may hear ..."); the
            # cached sentence verdict is taken without them
            if start < greeting:
                sentence = " " * (min(greeting, end) - start) + text[min(greeting, end) : end]
            result = classify(sentence, previous)
            if message and result.someone_else and _client_clause_only(sentence, result):
                result = replace(result, someone_else=False)
            if (
                message
                and not result.disclosing
                and _case_sentence(sentence)
                and anchored(text[max(greeting, start - _ANCHOR_REACH) : start])
            ):
                result = replace(result, disclosing=True, reason="a case stated right after the message names people")
            if message and not result.disclosing and _titles_a_named_case(text, start, end):
                result = replace(result, disclosing=True, reason="a title stating the case of the person named below")
            if message and incident_before and not result.disclosing:
                result = _incident_member(sentence, result)
            row = next((h for (s, e), h in counted.items() if s < end and start < e), None)
            if row and not result.disclosing:
                result = replace(
                    result, disclosing=True, statuses=row, reason="a count in a table column headed by a status"
                )
            if (
                not result.disclosing
                and any(s < end and start < e for s, e in person_rows)
                and _case_title(sentence)
            ):
                result = replace(result, disclosing=True, reason="a status in a table row that names a person")
            if named_reader and not result.disclosing and _reader_case(sentence):
                result = replace(result, disclosing=True, reason="the reader's own case, the reader named")
            if declines and result.disclosing and _any_lang("reported_question", sentence):
                result = replace(result, disclosing=False, reason="the reader's own question, not answered")
            if (
                story
                and result.disclosing
                and not _IDENTIFIER.search(sentence)
                and (in_story or not _full_name(sentence))
            ):
                result = replace(result, disclosing=False, reason="an anonymised or fictional story")
            if message and other_before and result.disclosing and not result.someone_else and _by_pronoun_only(result):
                # "You asked about your cellmate. His protection claim was decided first.": his is the cellmate
                result = replace(result, someone_else=True)
            if (
                not_client
                and result.disclosing
                and not result.someone_else
                and (_any_lang("not_your_client", sentence) or not _any_lang("your_client", sentence))
                and not _names_own_only(sentence, own_names)
            ):
                result = replace(result, someone_else=True)
            if (
                message
                and result.disclosing
                and not result.someone_else
                and _names_someone_else(sentence, introduced, others, own_names)
            ):
                result = replace(result, someone_else=True)
            yield start, end, result
            previous = sentence
            other_before = message and _any(rules(guess_language(sentence)).someone_else, sentence)
            introduced = other_before and not _any_lang("refusal", sentence)
            if other_before or result.someone_else:
                own_names.update(_possessor_words(sentence))  # "the other men in Mr. Farouk's pod": the client
                others.update(_other_words(sentence, own_names))
            incident_before = incident_before or any(s.category in _INCIDENT for s in result.statuses)


# A pasted table: a column headed by the fear-interview shorthand ("Held (CF/RF)") or a status, and a count in it.
# (CF and RF alone are also medical results: only in pairs or brackets, "CF/RF", "(RF)")
_HEADER_SHORTHAND = re.compile(r"\b(?:CFI|RFI)\b|\b(?:CF|RF)\s*/\s*(?:CF|RF)\b|\((?:CF|RF)\)")
_NUMBER_CELL = re.compile(r"^\s*[0-9][0-9,.]*\s*$")
# a count of people off one flight or bus, not a national total ("4,120")
_COUNT_CELL = re.compile(r"^\s*[1-9][0-9]{0,2}\s*$")
# a table of totals by nationality, country or year
_TOTALS_HEAD = re.compile(
    r"^\s*(?:nationality|nationalities|country|countries|citizenship|year|fiscal year|fy|month|region|state|"
    r"nacionalidad|pa[ií]s|a[nñ]o|mes|nationalit[ée]|pays|ann[ée]e|nasyonalite|peyi|ane)\s*$",
    re.IGNORECASE,
)


def _status_count_rows(text: str) -> dict[tuple[int, int], list[RuleMatch]]:
    """Rows of a pasted table ("a | b | c") that give a count of 1 or more in a column whose header states a status:
    each row's span, with the header's status. A header is read once, when a row of numbers follows it (long texts
    of pipes without numbers cost nothing)."""
    rows: dict[tuple[int, int], list[RuleMatch]] = {}
    header: list[str] = []  # the last line of cells without a number, and the line before it (a title)
    title = before = ""
    heads: dict[int, list[RuleMatch]] | None = None
    pos = 0
    for line in text.splitlines(keepends=True):
        cells = line.rstrip("\r\n").split("|")
        if len(cells) < 3:
            header, heads = [], None
        elif not any(_NUMBER_CELL.match(c) for c in cells):
            header, title, heads = cells, before, None
        elif header and len(cells) == len(header):
            if heads is None:
                heads = _status_heads(tuple(header), title + "\n" + "|".join(header))
            hits = [m for i, m in heads.items() if _COUNT_CELL.match(cells[i])]
            if hits:
                rows[(pos, pos + len(line))] = hits[0]
        pos += len(line)
        before = line
    return rows


@lru_cache(maxsize=256)  # a long paste repeats its header
def _status_heads(header: tuple[str, ...], framing: str) -> dict[int, list[RuleMatch]]:
    """The columns of a table header that state a status; none in a table of totals (by nationality or year, or
    under a statistical title)."""
    if any(_TOTALS_HEAD.match(c) for c in header) or _any_lang("statistics", framing):
        return {}
    found = {i: _statuses(c, _triggered(c)) or _shorthand(c) for i, c in enumerate(header)}
    return {i: m for i, m in found.items() if m}


# A table column that holds people ("Client | Country | Outcome"): each row names one.
_PERSON_COLUMN = re.compile(
    r"^\s*(?:client|clients|name|names|full name|person|applicant|employee|student|tenant|patient|detainee|passenger|"
    r"beneficiary|member|family|household|resident|respondent|petitioner|participant|cliente|nombre|solicitante|"
    r"nom|non|moun)\s*$",
    re.IGNORECASE,
)


def _person_rows(text: str) -> list[tuple[int, int]]:
    """The spans of a pasted table's rows under a header with a column of people, whose cell in it holds words:
    a status elsewhere in such a row is that person's."""
    rows: list[tuple[int, int]] = []
    column = -1
    pos = 0
    for line in text.splitlines(keepends=True):
        cells = line.rstrip("\r\n").split("|")
        if len(cells) < 2:
            column = -1
        elif column < 0:
            column = next((i for i, c in enumerate(cells) if _PERSON_COLUMN.match(c)), -1)
        elif column < len(cells) and re.search(r"[^\W\d_]{2,}", cells[column]):
            rows.append((pos, pos + len(line)))
        pos += len(line)
    return rows


def _shorthand(cell: str) -> list[RuleMatch]:
    m = _HEADER_SHORTHAND.search(cell)
    return [RuleMatch("fear", m.group(0), span=m.span())] if m else []


def _story_paragraphs(text: str) -> set[int]:
    """The paragraphs of a message that say its story is anonymised or fictional (empty: no story)."""
    if not _any_lang("story", text):
        return set()
    return {i for i, (s, e) in enumerate(paragraph_spans(text)) if _any_lang("story", text[s:e])} or {-1}


def _full_name(sentence: str) -> bool:
    """Does the sentence name a private person with a given name and a surname? A story's changed names are mostly
    a first name ("Amina"); a full name outside the story's paragraphs is someone real."""
    return any(len(h.value.split()) >= 2 for h in _private_names(sentence))


# An identifier no anonymised story keeps: an A-number, a flight or manifest number.
_A_NUMBER = re.compile(r"\bA[- ]?[0-9]{3}[- ]?[0-9]{3}[- ]?[0-9]{3}\b|\bA[0-9]{8,9}\b")
_IDENTIFIER = re.compile(
    _A_NUMBER.pattern + "|"
    r"\b(?:flight|vuelo|vol|vòl|manifest|manifiesto|charter)\s*(?:no\.?\s*|#\s*)?[A-Z]{0,3}[- ]?[0-9]{2,5}\b|"
    r"\b(?:on|aboard|off)\s+(?:the|this|that|today's|tomorrow's|your|our)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:flight|charter|manifest|bus|plane)\b",
    re.IGNORECASE,
)
_INCIDENT = frozenset({"data incident", "incidente de datos", "incident de données", "ensidan done"})
# The greeting line names the reader ("Dear Mr. Patel,", "Estimada Lic. Ruiz:", "Bonjou Mèt Pierre,"): it anchors
# nothing the message goes on to say.
# Up to five words of a title and a name, none a number or a preposition ("Hey the 3 guys on flight 22 -" is no
# greeting). A bare title opens a greeting only on a line of its own: "Mesye Antoine Jules, nouvo chofè a, te ..."
# speaks of him.
_GREETING = re.compile(
    r"\A\s*(?:(?P<hello>dear|hi|hello|hey|good (?:morning|afternoon|evening)|hola|bonjour|bonjou|cher|chère|"
    r"estimad[oa])|señor|señora|licenciad[oa]|ma[iî]tre|mèt|madame|monsieur|mesye|madan)\b"
    r"(?:\s+(?:(?:mr|mrs|ms|mx|dr|st|sr|sra|srta|lic|lcda?|mme|mlle|me|m)\.|"
    r"(?!(?:the|a|an|on|in|of|with|w|for|from|to|at|re|about|all the|de|del|en|con|para|sobre|los|las|des|sur|pour|"
    r"dans|avec|nan|sou|pou|ak)\b)"
    r"\(?[^\W\d_][\w'’-]*\)?)){0,5}(?(hello)\s*(?:[,:;!—–-]|\n)|[ \t]*[,:;!]?[ \t]*\n)",
    re.IGNORECASE,
)


def _reader_case(sentence: str) -> bool:
    """An unframed status sentence about the reader's own case ("your asylum interview is confirmed")."""
    base, _, unframed = _classify(sentence[:_MAX_SENTENCE], True)
    return bool(base.statuses) and unframed and _any_lang("reader_case", sentence)


def _greeting_end(text: str) -> int:
    m = _GREETING.match(text)
    return m.end() if m else 0


def _incident_member(sentence: str, result: SentenceResult) -> SentenceResult:
    """After a sentence about a data incident: does this one put identified people in the exposed document?"""
    own = rules(guess_language(sentence))
    # "each person listed in it has been contacted": the group the incident defines names nobody
    if not _any(own.incident_membership, sentence) or _any(own.generic_subject, sentence):
        return result
    refs = [r for r in _refs(own, sentence, names=True) if not _by_pronoun(r)]
    if not refs:
        return result
    return replace(result, disclosing=True, refs=refs, reason="named people placed in the exposed document")


_PRONOUN_CATEGORIES = frozenset({"pronoun", "posesivo"})


def _by_pronoun_only(result: SentenceResult) -> bool:
    """Does the sentence speak of its people by pronouns and possessives alone ("his claim", "su solicitud"), not
    by a noun ("su cliente" is the reader's client)?"""
    return bool(result.refs) and all(
        r.category in _PRONOUN_CATEGORIES or _THIRD_PERSON_RELATIVE.match(r.text) for r in result.refs
    )


# A relative named through a third-person possessive ("his sister"): the relative of whoever the pronoun is, as
# unambiguous as the pronoun ("su" may be the reader's, "his" may not).
_THIRD_PERSON_RELATIVE = re.compile(
    r"^(?:his|her|their)\s+(?:wife|husband|son|daughter|sons|daughters|mother|father|brother|sister|brothers|"
    r"sisters|partner|spouse|parents|children|family members?|relatives?)$",
    re.IGNORECASE,
)


# A form's field that names the person a title speaks of ("Applicant: Nodira Y., A-214-...", "Client: ...").
_PERSON_FIELD = re.compile(
    r"^[ \t]*(?:applicant|name|full name|client|beneficiary|petitioner|respondent|student|employee|patient|tenant|"
    r"member|solicitante|nombre|cliente|demandeur|demandeuse|nom|non)[ \t]*:[ \t]*[^\W\d_]",
    re.IGNORECASE | re.MULTILINE,
)
_CASE_WORD = re.compile(r"\b(?:interview|application|case|claim|hearing|petition|appointment|filing|screening)s?\b",
                        re.IGNORECASE)


def _titles_a_named_case(text: str, start: int, end: int) -> bool:
    """Is this the message's title line ("Request to reschedule asylum interview"), stating a case, with the fields
    under it naming that case's person (an A-number, "Applicant: ...")? The title names nobody; the form does."""
    sentence = text[start:end]
    if text[:start].strip() or "\n" in sentence.strip() or sentence.rstrip()[-1:] in ".!?":
        return False
    if not (_CASE_WORD.search(sentence) and _case_title(sentence)):
        return False
    below = text[end : end + _ANCHOR_REACH]
    return bool(_PERSON_FIELD.search(below) or _A_NUMBER.search(below))


def _case_title(sentence: str) -> bool:
    """An unframed status sentence (the title's own verdict, whatever its case markers)."""
    base, _, unframed = _classify(sentence[:_MAX_SENTENCE], True)
    return bool(base.statuses) and unframed


def _case_sentence(sentence: str) -> bool:
    """A status sentence without framing that speaks of a case, not of the law or a population."""
    base, _, unframed = _classify(sentence[:_MAX_SENTENCE], True)
    if not (base.statuses and unframed):
        return False
    own = rules(base.lang)
    return _any(own.case_markers, sentence) or len(sentence.split()) <= _NOTE_WORDS


# The reader and the reader's client, by name: a sentence naming them is about the reader's own case; a name given
# to someone else ("You asked about your client's cellmate. Mr. Obi was granted ...") is not.
_TITLE_WORDS = frozenset(
    "mr mrs ms mx miss dr sr sra srta señor señora don doña lic lcda m mme mlle monsieur madame me mèt metrès mesye "
    "madan madanm msye".split()
)
_TITLE = (
    r"(?:(?:mr|mrs|ms|mx|dr|sr|sra|srta|lic|m|mme|mlle|me)\.?\s*"
    r"|(?:miss|señor|señora|don|doña|monsieur|madame|mesye|madan|madanm|msye|mèt)\s+)?"
)
# "your client, Mr. Haddad", "su cliente, la Sra. Ruiz", "kliyan w lan Mesye Louis"; "Mr. Haddad (your client)"
_CLIENT_AFTER = re.compile(r"^[\s,:;(—–-]*(?:(?:lan|la|le|el|a|an)\s+)?" + _TITLE + r"$", re.IGNORECASE)
_CLIENT_BEFORE = re.compile(r"^[\s,(—–-]*(?:(?:who|that) is|que es|qui est|ki se)?\s*$", re.IGNORECASE)
_VOCATIVE = re.compile(r"^\s*" + _TITLE + r"$", re.IGNORECASE)  # a message that opens on the reader's name
_VOCATIVE_END = re.compile(r"[ \t]*[,:;—–-]")


def _private_names(sentence: str) -> list[NameHit]:
    return [h for h in find_names(sentence) if not h.official]


def _name_words(hit: NameHit) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[^\W\d_]+", hit.value.lower()) if len(w) > 1 and w not in _TITLE_WORDS)


def _own_names(text: str, greeting: int) -> frozenset[str]:
    """The words of the names a message gives its reader (in the greeting, or as the name it opens on: "Ms. Achebe -
    replying to ...") and the reader's client ("your client Ms. Haddad", "Mr. Haddad (your client)")."""
    hits = _private_names(text)
    own = [h for h in hits if h.end <= greeting or _vocative(text, h)]
    clients = [m for lang in LANGS for p in rules(lang).your_client for m in p.finditer(text)]
    own += [
        h
        for h in hits
        for m in clients
        if (h.start >= m.end() and _CLIENT_AFTER.match(text[m.end() : h.start]))
        or (h.end <= m.start() and _CLIENT_BEFORE.match(text[h.end : m.start()]))
    ]
    return frozenset(w for h in own for w in _name_words(h))


def _vocative(text: str, hit: NameHit) -> bool:
    """Does the message open on this name, as on its reader's ("Ms. Achebe - replying to ...")?"""
    return bool(_VOCATIVE.match(text[: hit.start]) and _VOCATIVE_END.match(text, hit.end))


# The person whose cell, pod or relative a sentence speaks of ("the other men in Mr. Farouk's pod", "los otros del
# módulo del Sr. Ventura", "le codétenu de M. Sarr", "lòt moun ki nan selil Msye Baptiste"): the reader's client, not
# the someone else ("l'adresse de Mme Mbala" is no such place or relation).
_PLACES = (
    r"pod|cell|unit|dorm|dormitory|room|block|tier|bunk|van|bus|cellmates?|bunkmates?|co-?defendants?|family|wife|"
    r"husband|partner|brother|sister|cousin|friend|friends|roommates?|m[oó]dulo|celda|cuarto|dormitorio|unidad|"
    r"pabell[oó]n|familia|esposa|esposo|compa[nñ]er[oa]s?|cellule|chambre|dortoir|unité|quartier|famille|"
    r"codétenue?s?|épouse|mari|selil|chanm|dòtwa|inite|fanmi|kanmarad|madanm"
)
_POSSESSOR_BEFORE = re.compile(
    r"\b(?:" + _PLACES + r")\s+(?:(?:of|del|de\s+la|du|de|d')\s*)?" + _TITLE + r"$", re.IGNORECASE
)
_POSSESSIVE = re.compile(r"(?:'s|’s|s'|s’)?\s+(?:[\w-]+\s+)?(?:" + _PLACES + r")\b", re.IGNORECASE)


def _possessor_words(sentence: str) -> set[str]:
    return {w for h in _private_names(sentence) if _possessor(sentence, h) for w in _name_words(h)}


def _possessor(sentence: str, hit: NameHit) -> bool:
    if _POSSESSOR_BEFORE.search(sentence[: hit.start]):
        return True
    owner = hit.value.endswith(("'s", "’s")) or sentence.startswith(("'s", "’s"), hit.end)
    return owner and bool(_POSSESSIVE.match(sentence, hit.end + (0 if hit.value.endswith(("'s", "’s")) else 2)))


def _other_words(sentence: str, own: set[str]) -> set[str]:
    """The words of the names a sentence about someone else gives, the reader's and the client's aside."""
    return {w for h in _private_names(sentence) if not (words := _name_words(h)) <= own for w in words}


def _names_own_only(sentence: str, own: set[str]) -> bool:
    """Does the sentence name people, all of them the reader's client ("Counsel for the tenant in the eviction
    matter: your client Mr. Orlov was granted asylum")?"""
    named = [words for h in _private_names(sentence) if (words := _name_words(h))]
    return bool(named) and all(words <= own for words in named)


def _names_someone_else(sentence: str, introduced: bool, others: set[str], own: set[str]) -> bool:
    """Does a disclosing sentence name someone other than the reader and the reader's client: a person the message
    named as someone else before, or, right after a sentence that brought someone else up without declining to speak
    of them ("You asked about your client's cellmate."), anyone it names but those two?"""
    if _any_lang("your_client", sentence):
        return False
    # (a name all of whose words are the client's is the client: "Ms. Warsame"; "Ms. Hodan Warsame" may be a sister)
    named = [words for h in _private_names(sentence) if (words := _name_words(h)) and not words <= own]
    return bool(named) and (introduced or any(words & others for words in named))


def _client_clause_only(sentence: str, result: SentenceResult) -> bool:
    """In a sentence of clauses joined by semicolons, is the status stated only in clauses about the reader's client
    or the reader's own case, that speak of no one else ("your client Mr. Funes has a T visa; the man held with him
    is not in our records")?"""
    if ";" not in sentence or not result.statuses:
        return False
    own = rules(result.lang or guess_language(sentence))
    clauses, start = [], 0
    for part in sentence.split(";"):
        clauses.append((start, start + len(part)))
        start += len(part) + 1
    said = [(s, e) for s, e in clauses if any(s <= m.span[0] < e for m in result.statuses)]
    return all(_own_clause(sentence[s:e]) and not _any(own.someone_else, sentence[s:e]) for s, e in said)


def _own_clause(clause: str) -> bool:
    """Does a clause speak of the reader's client or the reader's own case ("your client ...", "votre demande")?"""
    return _any_lang("your_client", clause) or _any_lang("reader_case", clause)
