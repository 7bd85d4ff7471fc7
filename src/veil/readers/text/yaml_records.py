"""YAML (`.yaml`, `.yml`, `%YAML`/`---` openings): read safely, then as JSON is (text/json_records.py).

Every document of the stream (`---` separated) is parsed with PyYAML's safe loader (no Python objects, no tags that
run code) and walked as a JSON value: lists of mappings are Tables, any other mapping one record written as one
sentence, so `name:` and `asylum_status:` of one entry are tied. Aliases can make a small file expand without end
(a "billion laughs"): the expanded tree is counted first, and past MAX_NODES the file is unverifiable.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import yaml

from veil.readers.limits import LimitExceeded
from veil.readers.registry import ReadContext
from veil.readers.text.delimited import decode
from veil.readers.text.json_records import document_units
from veil.readers.units import Unit

MAX_YAML_BYTES = 64 * 1024 * 1024
MAX_NODES = 2_000_000


def read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    if len(blob) > MAX_YAML_BYTES:
        raise LimitExceeded(f"YAML files over {MAX_YAML_BYTES // (1024 * 1024)} MB are not read")
    text = decode(blob).utf8.decode("utf-8", "replace")
    try:
        documents = [d for d in yaml.safe_load_all(text) if d is not None]
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise LimitExceeded(f"the YAML is malformed{' at ' + where if where else ''}") from exc
    _count_nodes(documents)
    for number, document in enumerate(documents, start=1):
        ctx.budget.check_time()
        yield from document_units(document, ctx, root="$" if len(documents) == 1 else f"document {number} $")


def _count_nodes(documents: list[Any]) -> None:
    """The size of the tree as the walk will see it, aliases expanded; an alias is a shared object, so each is
    sized once (a bomb is found in the time its text takes to read, not the time its expansion would)."""
    sizes: dict[int, int] = {}

    def size(value: Any) -> int:
        if not isinstance(value, dict | list):
            return 1
        known = sizes.get(id(value))
        if known is None:
            children = value.values() if isinstance(value, dict) else value
            known = sizes[id(value)] = 1 + sum(size(child) for child in children)
        return known

    if sum(size(d) for d in documents) > MAX_NODES:
        raise LimitExceeded(f"the YAML expands to more than {MAX_NODES} values (aliases: a YAML bomb?)")
