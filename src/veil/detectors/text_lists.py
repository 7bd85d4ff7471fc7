"""Lists under a sentence that says what happened to the people in them: "The following 22 people were deported on
the flight of 14 March:" and then one name to a line, or to a list item. The sentence ties every private person
of the list to the matter (a removal, a charge, a conviction) or the protection claim it states, as if each were
named in it. The list runs over the parts of the file that follow (a web page's list items are parts of their
own) until a part names nobody."""

from __future__ import annotations

import re

from veil.detectors.people import Identity, People, name_form
from veil.detectors.text_names import find_names
from veil.detectors.text_segments import split_sentences
from veil.detectors.text_status import find_matters, find_statuses
from veil.findings import Finding, Kind
from veil.masking import mask_all
from veil.readers.units import Text

# A sentence that introduces a list: it ends with a colon, or says the list follows.
_LIST_WORDS = re.compile(
    r":\s*$|\b(?:following|below|listed|list of|siguientes|a continuaci[oó]n|suivant(?:e|s|es)?|ci-dessous|"
    r"seguenti|seguintes|abaixo|folgende[nr]?|nachstehend)\b", re.IGNORECASE)
_MAX_PARTS = 2000  # parts of one list: a longer run is a document, not a list
_MAX_LEAD = 2000  # characters of a part looked at for a lead-in sentence
_GAP = 2  # parts in a row that name nobody before the list is taken to have ended


class ListReader:
    """Reads the prose parts of one file in order; call `close` after the last."""

    def __init__(self) -> None:
        self._lead: tuple[str, str, bool, str] | None = None  # (location, labels, seen, visibility)
        self._people: list[People] = []
        self._samples: list[str] = []
        self._parts = 0
        self._gap = 0

    def read(self, unit: Text, found: list[Finding]) -> list[Finding]:
        named = [f for f in found if f.kind is Kind.NAMED_PERSON and f.person_keys]
        out: list[Finding] = []
        if self._lead is not None:
            if named and self._parts < _MAX_PARTS:
                self._take(named)
                self._gap = 0
                return out
            self._gap += 1
            if self._gap <= _GAP and self._parts < _MAX_PARTS:
                return out  # a list item whose name was not recognised does not end the list
            out += self.close()
        lead = _lead_in(unit.text[:_MAX_LEAD])
        if lead is not None:
            labels, end = lead
            self._lead = (unit.location, labels, unit.visibility.seen, unit.visibility.value)
            after = [h.value for h in find_names(unit.text[end:]) if not h.official]
            if after:  # the list in the same part, under its lead-in
                self._people.append(People.of(Identity(name=name_form(n)) for n in after))
                self._samples += after[:3]
        return out

    def _take(self, named: list[Finding]) -> None:
        self._people += [f.person_keys for f in named if isinstance(f.person_keys, People)]
        self._samples += [s for f in named for s in f.samples[:1]]
        self._parts += 1

    def close(self) -> list[Finding]:
        lead, people, samples = self._lead, People.of_all(self._people), self._samples
        self._lead, self._people, self._samples, self._parts, self._gap = None, [], [], 0, 0
        if lead is None or not len(people):
            return []
        location, labels, seen, visibility = lead
        return [Finding(
            Kind.PERSON_IN_TEXT, location, seen,
            f"{len(people)} private people listed after a sentence that states {labels} about the people it lists",
            "text", evidence=("names in the list that follows a sentence ending in a colon or saying a list follows",),
            samples=tuple(s if "*" in s else mask_all([s])[0] for s in samples[:3]), visibility=visibility,
            person_keys=people)]


def _lead_in(text: str) -> tuple[str, int] | None:
    """The matters or claims a sentence introducing a list states, and where the sentence ends."""
    if not text.strip():
        return None
    for sentence in split_sentences(text):
        words = text[sentence.start:sentence.end]
        if not _LIST_WORDS.search(words):
            continue
        hits = find_matters(words) + find_statuses(words)
        if hits:
            labels = sorted({h.label for h in hits})
            return f"'{', '.join(labels)}'", sentence.end
    return None
