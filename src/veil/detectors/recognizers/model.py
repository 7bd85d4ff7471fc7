"""A recognizer: what one kind of identifier looks like, declared as data (presidio's PatternRecognizer habit).

The same declaration serves the column classifier (a cell's shape, the share of cells that must have it, the header
words that name such a column in each language) and the free-text detector (patterns, the cheap trigger windows
they run in, the value they capture). Only the validator is code (see validators.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from veil.detectors.recognizers.validators import VALIDATORS, Validator, digits
from veil.errors import UsageError

IDENTIFIER_IN_TEXT = "identifier-in-text"
_NAME = re.compile(r"^[a-z][a-z0-9-]{1,39}$")
_FORMS = ("raw", "digits", "a-number", "upper")


class RecognizerError(UsageError):
    """A recognizer declaration that cannot be used: a bad pattern, an unknown validator, a clashing name."""


@dataclass(frozen=True, eq=False)
class Near:
    """Where a text pattern is tried: the whole text, or windows around trigger words or a trigger pattern (so a
    long text costs one cheap scan, not one per pattern)."""

    words: tuple[str, ...] = ()
    pattern: re.Pattern[str] | None = None
    before: int = 60
    after: int = 60

    @property
    def whole(self) -> bool:
        return not self.words and self.pattern is None


@dataclass(frozen=True, eq=False)
class TextPattern:
    pattern: re.Pattern[str]
    near: Near = field(default_factory=Near)


@dataclass(frozen=True, eq=False)
class Recognizer:
    """One kind of identifier. `name` is persisted (column class, evidence, policy files): never rename one."""

    name: str
    label: str  # in a sentence: 'an A-number'
    plural: str  # in evidence: '90% of values are A-numbers'
    words: str = ""  # a column's class in a finding: 'A-number'
    identifies: bool = True  # one value identifies one person (a row with it is a person's)
    finding: str = IDENTIFIER_IN_TEXT  # the kind of finding for one found in prose with no name near
    verdict: str | None = None  # the default effect of `finding` when it is a kind of its own
    validator: str | Validator | None = None
    form: str = "raw"  # how a found value is written for counting people
    text: tuple[TextPattern, ...] = ()
    cell: re.Pattern[str] | None = None  # a cell's whole value (stripped)
    cell_under_header: re.Pattern[str] | None = None  # a looser shape taken only under the recognizer's header
    cell_upper: bool = False  # cells compared in upper case, spaces removed
    share: float = 0.8  # share of a column's values that makes it this class
    header_share: float = 0.5  # ... when its header names this class
    header_only: bool = False  # never without a header naming it (passport numbers)
    headers: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (language, phrases): whole-header words
    headers_within: tuple[str, ...] = ()  # phrases that may stand inside a longer header
    origin: str = "built-in"

    def valid(self, value: str) -> bool:
        check = self.validator
        if check is None:
            return True
        fn = VALIDATORS[check] if isinstance(check, str) else check
        return bool(fn(value))

    def is_cell(self, value: str, under_header: bool = False) -> bool:
        """Whether one (stripped) cell value is one of these."""
        text = value.upper().replace(" ", "") if self.cell_upper else value
        for rx in (self.cell, self.cell_under_header if under_header else None):
            if rx is not None and rx.fullmatch(text) and self.valid(text):
                return True
        return False

    def value_of(self, match: re.Match[str]) -> str:
        """The identifier a text match found, written as `form` says."""
        raw = match.group(1) if match.re.groups else match.group(0)
        if self.form == "a-number":
            return "A" + digits(raw).zfill(9)
        if self.form == "digits":
            return "".join(g for g in match.groups() if g) if match.re.groups > 1 else digits(raw)
        if self.form == "upper":
            return re.sub(r"[^0-9A-Za-z]", "", raw).upper()
        return raw

    @property
    def header_phrases(self) -> tuple[str, ...]:
        return tuple(p for _, phrases in self.headers for p in phrases)


def from_mapping(
    data: Mapping[str, Any], origin: str = "policy", validators: Mapping[str, Validator] | None = None
) -> Recognizer:
    """A recognizer from its declaration (the policy's `recognizers:` list, the built-ins' YAML, a plugin's dict).
    Raises RecognizerError with the reason; never a traceback."""
    if not isinstance(data, Mapping):
        raise RecognizerError(f"recognizer ({origin}): each entry must be a mapping")
    name = str(data.get("name", ""))
    where = f"recognizer {name or '?'} ({origin})"
    if not _NAME.match(name):
        raise RecognizerError(f"{where}: `name` must be lower-case letters, digits and dashes (2-40)")
    unknown = set(data) - _KEYS
    if unknown:
        raise RecognizerError(f"{where}: unknown key(s) {sorted(unknown)}; use {sorted(_KEYS)}")
    validator = data.get("validator")
    if isinstance(validator, str) and validator not in VALIDATORS and validator not in (validators or {}):
        raise RecognizerError(f"{where}: unknown validator '{validator}'; use one of {sorted(VALIDATORS)}")
    if isinstance(validator, str) and validators and validator in validators:
        validator = validators[validator]
    form = str(data.get("form", "raw"))
    if form not in _FORMS:
        raise RecognizerError(f"{where}: `form` must be one of {list(_FORMS)}")
    cell = data.get("cell") or {}
    headers = data.get("headers") or {}
    if not isinstance(cell, Mapping) or not isinstance(headers, Mapping):
        raise RecognizerError(f"{where}: `cell` and `headers` must be mappings")
    if not data.get("text") and not cell.get("pattern"):
        raise RecognizerError(f"{where}: give a `text` pattern, a `cell` pattern, or both")
    try:
        return Recognizer(
            name=name,
            label=str(data.get("label") or f"a {name.replace('-', ' ')}"),
            plural=str(data.get("plural") or f"{name.replace('-', ' ')}s"),
            words=str(data.get("words") or name.replace("-", " ")),
            identifies=bool(data.get("identifies", True)),
            finding=str(data.get("finding", IDENTIFIER_IN_TEXT)),
            verdict=str(data["verdict"]) if data.get("verdict") is not None else None,
            validator=validator,
            form=form,
            text=tuple(_text_pattern(p, where) for p in _listed(data.get("text"))),
            cell=_compile(cell.get("pattern"), where),
            cell_under_header=_compile(cell.get("under_header"), where),
            cell_upper=bool(cell.get("upper", False)),
            share=float(cell.get("share", 0.8)),
            header_share=float(cell.get("header_share", 0.5)),
            header_only=bool(cell.get("header_only", False)),
            headers=tuple(
                (str(lang), tuple(str(p) for p in _listed(words)))
                for lang, words in headers.items()
                if lang != "within"
            ),
            headers_within=tuple(str(p) for p in _listed(headers.get("within"))),
            origin=origin,
        )
    except (TypeError, ValueError) as exc:
        raise RecognizerError(f"{where}: {exc}") from exc


_KEYS = frozenset(
    {
        "name",
        "label",
        "plural",
        "words",
        "identifies",
        "finding",
        "verdict",
        "validator",
        "form",
        "text",
        "cell",
        "headers",
    }
)


def _listed(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list | tuple) else [value]


def _compile(pattern: Any, where: str) -> re.Pattern[str] | None:
    if pattern is None:
        return None
    try:
        return re.compile(str(pattern))
    except re.error as exc:
        raise RecognizerError(f"{where}: pattern does not compile ({exc})") from exc


def _text_pattern(spec: Any, where: str) -> TextPattern:
    if isinstance(spec, str):
        spec = {"pattern": spec}
    if not isinstance(spec, Mapping) or "pattern" not in spec:
        raise RecognizerError(f"{where}: each `text` entry is a pattern or a mapping with `pattern`")
    rx = _compile(spec["pattern"], where)
    assert rx is not None
    near = spec.get("near") or {}
    if not isinstance(near, Mapping):
        raise RecognizerError(f"{where}: `near` must be a mapping (words or pattern, before, after)")
    return TextPattern(
        rx,
        Near(
            words=tuple(str(w).lower() for w in _listed(near.get("words"))),
            pattern=_compile(near.get("pattern"), where),
            before=int(near.get("before", 60)),
            after=int(near.get("after", 60)),
        ),
    )


Factory = Callable[[], Any]
