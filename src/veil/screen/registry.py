"""Who is protected: people held, in an incident's affected set, or with a protected case.

`ProtectedRegistry` is the seam: the incident module can plug in a database-backed registry later. `FileRegistry`
reads a CSV or JSON file with the columns name, a_number, dob, nationality, reason (`--protected FILE`).

Names match regardless of case, accents, punctuation and order ("GARCÍA, José" = "Jose Garcia"); a person with
more than two name words also matches on a given name with any of their surnames ("José García" for "José Luis
García López"), because a message rarely spells a full name and a miss here is a disclosure.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Protocol, runtime_checkable

from veil.detectors.identifiers import parse_date
from veil.detectors.text_names import fold
from veil.errors import UsageError

_MAX_REGISTRY_BYTES = 64 * 1024 * 1024
_WORD = re.compile(r"[^\W\d_]+")
_ES_MONTHS = {"enero": "jan", "febrero": "feb", "marzo": "mar", "abril": "apr", "mayo": "may", "junio": "jun",
              "julio": "jul", "agosto": "aug", "septiembre": "sep", "setiembre": "sep", "octubre": "oct",
              "noviembre": "nov", "diciembre": "dec"}


@dataclass(frozen=True)
class ProtectedPerson:
    """One protected person. Raw values: never show them; use veil.masking.mask()."""

    name: str
    a_number: str = ""  # 9 digits, no "A"
    dob: date | None = None
    nationality: str = ""
    reason: str = "protected"  # held | affected | protected-case | free text

    @property
    def held(self) -> bool:
        return "hold" in self.reason.lower() or self.reason.lower().startswith("held")


@runtime_checkable
class ProtectedRegistry(Protocol):
    """Look-ups the screener needs. Implementations must not log or raise with personal values."""

    def by_a_number(self, digits: str) -> list[ProtectedPerson]: ...

    def by_name_tokens(self, tokens: frozenset[str]) -> list[ProtectedPerson]: ...

    def by_dob(self, day: date) -> list[ProtectedPerson]: ...

    def name_lengths(self) -> frozenset[int]: ...

    def __len__(self) -> int: ...

    def __iter__(self) -> Iterator[ProtectedPerson]: ...  # everyone, for linking manifests


class MemoryRegistry:
    """A registry held in memory; FileRegistry fills one from a file."""

    def __init__(self, people: Iterable[ProtectedPerson] = ()) -> None:
        self._people: list[ProtectedPerson] = []
        self._by_a: dict[str, list[ProtectedPerson]] = {}
        self._by_name: dict[frozenset[str], list[ProtectedPerson]] = {}
        self._by_dob: dict[date, list[ProtectedPerson]] = {}
        self._lengths: set[int] = set()
        for person in people:
            self.add(person)

    def add(self, person: ProtectedPerson) -> None:
        self._people.append(person)
        if person.a_number:
            self._by_a.setdefault(person.a_number, []).append(person)
        if person.dob:
            self._by_dob.setdefault(person.dob, []).append(person)
        for key in name_keys(person.name):
            self._by_name.setdefault(key, []).append(person)
            self._lengths.add(len(key))

    def by_a_number(self, digits: str) -> list[ProtectedPerson]:
        return list(self._by_a.get(normalise_a_number(digits) or "", []))

    def by_name_tokens(self, tokens: frozenset[str]) -> list[ProtectedPerson]:
        return list(self._by_name.get(tokens, []))

    def by_dob(self, day: date) -> list[ProtectedPerson]:
        return list(self._by_dob.get(day, []))

    def name_lengths(self) -> frozenset[int]:
        return frozenset(self._lengths)

    def __len__(self) -> int:
        return len(self._people)

    def __iter__(self) -> Iterator[ProtectedPerson]:
        return iter(self._people)


class FileRegistry(MemoryRegistry):
    """A registry read from a CSV (header: name, a_number, dob, nationality, reason) or a JSON list of objects."""

    def __init__(self, path: str | Path) -> None:
        path = Path(path)
        try:
            if path.stat().st_size > _MAX_REGISTRY_BYTES:
                raise UsageError(f"protected-people file {path} is larger than {_MAX_REGISTRY_BYTES} bytes")
            raw = path.read_bytes()
        except OSError as exc:
            raise UsageError(f"cannot read protected-people file {path}: {exc.strerror}") from exc
        super().__init__(parse_registry(raw, path.name))


def parse_registry(raw: bytes, name: str = "") -> list[ProtectedPerson]:
    """People from CSV or JSON bytes. Raises UsageError (without values) when the file has the wrong shape."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"protected-people file {name} is not UTF-8 text") from exc
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise UsageError(f"protected-people file {name} is not valid JSON (line {exc.lineno})") from exc
        rows = data.get("people", []) if isinstance(data, dict) else data
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise UsageError(f"protected-people file {name} must be a JSON list of objects")
    else:
        reader = csv.DictReader(io.StringIO(text))
        rows = list(reader)
        if not reader.fieldnames or "name" not in {f.strip().lower() for f in reader.fieldnames if f}:
            raise UsageError(f"protected-people file {name} needs a 'name' column (name, a_number, dob, "
                             "nationality, reason)")
    people = []
    for i, row in enumerate(rows, start=1):
        clean = {str(k).strip().lower(): ("" if v is None else str(v).strip()) for k, v in row.items() if k}
        if not clean.get("name") and not clean.get("a_number"):
            raise UsageError(f"protected-people file {name}: row {i} has neither a name nor an A-number")
        people.append(ProtectedPerson(
            name=clean.get("name", ""),
            a_number=normalise_a_number(clean.get("a_number", "")) or "",
            dob=parse_any_date(clean.get("dob", "")),
            nationality=clean.get("nationality", ""),
            reason=clean.get("reason", "") or "protected",
        ))
    return people


def name_tokens(name: str) -> list[str]:
    return [fold(w) for w in _WORD.findall(name)]


def name_keys(name: str) -> list[frozenset[str]]:
    """Order-free keys a name is found under: all its words, and for longer names each given name with a surname."""
    words = [w for w in name_tokens(name) if w not in _PARTICLES]
    if not words:
        return []
    keys = [frozenset(words)]
    if "," in name:  # "GARCIA LOPEZ, Jose Luis": surnames before the comma
        surnames = [w for w in name_tokens(name.split(",", 1)[0]) if w not in _PARTICLES]
        given = [w for w in name_tokens(name.split(",", 1)[1]) if w not in _PARTICLES]
    elif len(words) == 3:  # "Jose Garcia Lopez" or "John Paul Smith": either split is common
        given, surnames = words[:2], words[1:]
    else:
        half = (len(words) + 1) // 2
        given, surnames = words[:half], words[half:]
    if len(words) > 2:
        keys.extend(frozenset((g, s)) for g in given for s in surnames if g != s)
    return [k for k in dict.fromkeys(keys) if len(k) >= 2 or len(words) == 1]


_PARTICLES = frozenset({"de", "del", "la", "las", "los", "y", "da", "dos", "van", "von", "di", "le"})


def normalise_a_number(value: str) -> str | None:
    digits = re.sub(r"\D", "", value or "")
    return digits.zfill(9) if len(digits) in (8, 9) else None


def parse_any_date(value: str) -> date | None:
    """English or Spanish written dates: '1980-02-01', '2/1/1980', 'March 3, 1985', '3 de marzo de 1985'."""
    text = (value or "").strip().lower()
    if not text:
        return None
    text = re.sub(r"\bde(?:l)?\b", " ", text)
    for es, en in _ES_MONTHS.items():
        text = text.replace(es, en)
    text = re.sub(r"(\d)(?:st|nd|rd|th)\b", r"\1", text)
    text = " ".join(text.split())
    return parse_date(text)
