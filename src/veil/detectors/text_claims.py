"""Claims stated about people named just before: "X, Y and Z remain detained. All three have pending credible fear
interviews." The free-text detector ties a name to a status only within one sentence; this reads each sentence
with the sentence rules (the screen's too), which know when a sentence states a protection claim about people it
refers to ("all three", "they", "some of them"), and looks for private people named in the text just before it, in
the same part of the file or the parts read before it (a list of names is often a block of its own)."""

from __future__ import annotations

from veil.detectors.people import Identity, People, name_form
from veil.detectors.sentence_rules import classify_text, mentions_status
from veil.detectors.text_names import find_names
from veil.findings import Finding, Kind
from veil.masking import mask_all
from veil.readers.units import Text

# A reference reaches back over a short list of names, not across a report.
_REACH = 600


class ClaimReader:
    """Reads the prose units of one file in order, remembering the end of the prose before each."""

    def __init__(self) -> None:
        self._before = ""

    def read(self, unit: Text, found: list[Finding]) -> list[Finding]:
        """Findings for `unit`, given what the other detectors `found` in it."""
        before, self._before = self._before, (self._before + "\n\n" + unit.text)[-_REACH:]
        named_here = any(f.kind is Kind.NAMED_PERSON and f.person_keys for f in found)
        if not named_here and not any(not h.official for h in find_names(before)):
            return []  # nobody private is named here or just before: nobody to refer to
        if not mentions_status(unit.text):
            return []
        text = unit.text
        out: list[Finding] = []
        for number, (start, _, result) in enumerate(classify_text(text), start=1):
            if not result.disclosing or any(r.is_name for r in result.refs):
                continue  # a name in the sentence itself is the free-text detector's to tie
            window = (before + "\n\n" + text[:start])[-_REACH:]
            named = [h.value for h in find_names(window) if not h.official]
            if not named:
                continue
            statuses = ", ".join(sorted({m.category for m in result.statuses}))
            out.append(Finding(
                Kind.PERSON_IN_TEXT, f"{unit.location} sentence {number}".strip(), unit.visibility.seen,
                f"{len(named)} private people named just before sentence {number}, which states a protected status "
                f"({statuses}) about people it refers to ({result.reason})", "text",
                evidence=(f"names within {_REACH} characters before a sentence the screen's rules read as disclosing",),
                samples=mask_all(named, 3), visibility=unit.visibility.value,
                person_keys=People.of(Identity(name=name_form(n)) for n in named)))
        return out
