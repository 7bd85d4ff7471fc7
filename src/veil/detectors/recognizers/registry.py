"""Which recognizers a check uses: the built-ins (one list, builtin.yaml), those installed packages add through
the `veil.recognizers` entry-point group, and those of the policy in force (its `recognizers:` list).

Explicit registration, no discovery by subclassing (datasette's DEFAULT_PLUGINS habit). An entry point names an
object that is a Recognizer, a mapping in the policy's schema, a list of those, or a function returning one of
them. A plugin that cannot be loaded stops the check with its name: a recognizer silently missing would let a file
pass that should not."""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from functools import lru_cache
from importlib import metadata, resources
from typing import Any

from veil.detectors.recognizers.model import Recognizer, RecognizerError, from_mapping
from veil.findings import register_kind
from veil.yamlio import load_yaml

ENTRY_POINT_GROUP = "veil.recognizers"


class RecognizerSet:
    """The recognizers of one check, in order, with what the detectors look up in them. Compared by identity: the
    header-word caches are kept per set."""

    def __init__(self, recognizers: Iterable[Recognizer]) -> None:
        self.recognizers: tuple[Recognizer, ...] = tuple(recognizers)
        self.by_name: dict[str, Recognizer] = {}
        for rec in self.recognizers:
            if rec.name in self.by_name:
                raise RecognizerError(
                    f"recognizer {rec.name} ({rec.origin}): the name is already taken by one "
                    f"from {self.by_name[rec.name].origin}"
                )
            self.by_name[rec.name] = rec
        self.for_cells = tuple(r for r in self.recognizers if r.cell is not None)
        self.for_text = tuple(r for r in self.recognizers if r.text)
        self.identifying = frozenset(r.name for r in self.recognizers if r.identifies)
        # Identifiers that key a person (one value, one person), in order of preference.
        self.key_kinds = tuple(r.name for r in self.recognizers if r.identifies)

    def get(self, name: str) -> Recognizer | None:
        return self.by_name.get(name)

    def header_words(self) -> list[tuple[str, tuple[str, ...]]]:
        return [(r.name, r.header_phrases) for r in self.recognizers if r.headers]

    def header_within(self) -> list[tuple[str, str]]:
        return [(r.name, p) for r in self.recognizers for p in r.headers_within]

    def with_extra(self, extra: Iterable[Recognizer]) -> RecognizerSet:
        extra = tuple(extra)
        return self if not extra else RecognizerSet(self.recognizers + extra)


@lru_cache(maxsize=1)
def builtin() -> tuple[Recognizer, ...]:
    text = resources.files("veil.detectors.recognizers").joinpath("builtin.yaml").read_text(encoding="utf-8")
    return tuple(from_mapping(item, origin="built-in") for item in load_yaml(text))


def from_entry_points(group: str = ENTRY_POINT_GROUP) -> tuple[Recognizer, ...]:
    """The recognizers of every installed package's `veil.recognizers` entry points, in name order."""
    found: list[Recognizer] = []
    for ep in sorted(metadata.entry_points(group=group), key=lambda e: e.name):
        origin = f"plugin {ep.name} ({ep.value})"
        try:
            loaded = ep.load()
        except Exception as exc:  # noqa: BLE001 - reported with the plugin's name, never a bare traceback
            raise RecognizerError(
                f"recognizer plugin {ep.name} ({ep.value}) cannot be loaded: {type(exc).__name__}: {exc}"
            ) from exc
        found.extend(declared(loaded, origin))
    return tuple(found)


def declared(obj: Any, origin: str) -> Iterator[Recognizer]:
    """Recognizers from a Recognizer, a mapping, a list of these, or a function returning one of them."""
    if callable(obj) and not isinstance(obj, Recognizer | Mapping):
        obj = obj()
    items = obj if isinstance(obj, list | tuple) else [obj]
    for item in items:
        if isinstance(item, Recognizer):
            yield item
        elif isinstance(item, Mapping):
            yield from_mapping(item, origin=origin)
        else:
            raise RecognizerError(f"recognizer {origin}: expected a Recognizer or a mapping, got {type(item).__name__}")


@lru_cache(maxsize=1)
def installed() -> RecognizerSet:
    """The built-ins and the plugins' recognizers (entry points are read once per process)."""
    rset = RecognizerSet(builtin() + from_entry_points())
    for rec in rset.recognizers:
        register_kind(rec.finding, rec.verdict or "block")
    return rset


def refresh() -> None:
    """Read the entry points again (after installing a plugin in a running process, as tests do)."""
    installed.cache_clear()
    _with_extra.cache_clear()


_ACTIVE: contextvars.ContextVar[RecognizerSet | None] = contextvars.ContextVar("veil_recognizers", default=None)


def active() -> RecognizerSet:
    """The recognizers of the check under way (see `using`), else the installed ones."""
    return _ACTIVE.get() or installed()


@lru_cache(maxsize=32)
def _with_extra(extra: tuple[Recognizer, ...]) -> RecognizerSet:
    return installed().with_extra(extra)


def for_policy(extra: tuple[Recognizer, ...]) -> RecognizerSet:
    """The installed recognizers and a policy's own (checked for clashes when the policy is loaded)."""
    rset = _with_extra(extra)
    for rec in extra:
        register_kind(rec.finding, rec.verdict or "block")
    return rset


@contextmanager
def using(extra: tuple[Recognizer, ...] = ()) -> Iterator[RecognizerSet]:
    """Run the detectors with the installed recognizers and `extra` (a policy's)."""
    token = _ACTIVE.set(for_policy(extra))
    try:
        yield _ACTIVE.get() or installed()
    finally:
        _ACTIVE.reset(token)
