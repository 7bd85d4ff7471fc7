"""One record as one sentence, so that the fields of a record are tied the way words in one sentence are.

A record is a vCard, a calendar event, a JSON object, an XML element: its fields belong to one person or one event
whatever line they are written on. Read line by line, "FN:Jose Garcia" and "NOTE:Asylum status: pending" are two
sentences and nothing ties them. `record_text` writes the fields as one sentence:

    name: Jose Garcia; date of birth: 1990-03-04; note: citizenship: Honduras, asylum status: pending

Keys are made readable (`date_of_birth` -> `date of birth`, `applicant.name` -> `applicant name`); sentence ends
and line breaks inside a value become commas so the value stays in the sentence; a given and a family name kept in
two fields are also written together as `name: Jose Garcia`, the way a person reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from veil.readers.units import Text, Visibility

# Past this many fields or characters a "record" is a document, not a record: it is written one field per line.
MAX_RECORD_FIELDS = 80
MAX_RECORD_CHARS = 4_000
_KEY_SEPARATORS = re.compile(r"[_.@#\-]+|(?<=[a-z])(?=[A-Z])")
_SENTENCE_END = re.compile(r"(?<=\w)[.!?]+(?=\s|$)|\s*[\r\n]+\s*")
_GIVEN = frozenset({"given", "given name", "first", "first name", "firstname", "forename", "given names"})
_FAMILY = frozenset({"family", "family name", "last", "last name", "lastname", "surname"})


def readable_key(key: str) -> str:
    """'date_of_birth' -> 'date of birth'; 'applicant.@name' -> 'applicant name'; 'X-CITIZENSHIP' keeps its case."""
    return " ".join(part for part in _KEY_SEPARATORS.split(key) if part).lower()


def record_text(fields: Sequence[tuple[str, str]]) -> str:
    """The fields of one record as one sentence (or one field per line when it is too big to be a record)."""
    pairs = list(dict.fromkeys((readable_key(key), _one_sentence(value)) for key, value in fields
                               if value and value.strip()))
    pairs = _with_full_name(pairs)
    text = "; ".join(f"{key}: {value}" if key else value for key, value in pairs)
    if len(pairs) > MAX_RECORD_FIELDS or len(text) > MAX_RECORD_CHARS:
        return "\n".join(f"{key}: {value}" if key else value for key, value in pairs)
    return text


def record_units(records: Sequence[tuple[str, Sequence[tuple[str, str]]]],
                 visibility: Visibility = Visibility.VISIBLE) -> Iterator[Text]:
    """One Text per record: (location, fields) pairs as `record_text` writes them; empty records give nothing."""
    for location, fields in records:
        text = record_text(fields)
        if text.strip():
            yield Text(location, visibility, text)


def _one_sentence(value: str) -> str:
    return re.sub(r"(,\s*)+", ", ", _SENTENCE_END.sub(", ", value.strip())).strip(" ,")


def _with_full_name(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    last = {key.rsplit(" ", 1)[-1] if key not in _GIVEN | _FAMILY else key: value for key, value in pairs}
    given = next((v for k, v in last.items() if k in _GIVEN), None)
    family = next((v for k, v in last.items() if k in _FAMILY), None)
    if given and family and not any(k in ("name", "full name") for k, _ in pairs):
        return [("name", f"{given} {family}"), *pairs]
    return pairs
