"""YAML loading for Veil's data files and users' policies.

The C loader (libyaml, shipped in PyYAML's wheels) reads the shipped term lists and policy ten times faster than the
pure-Python one, which was a visible part of every `veil check` start; both are safe loaders."""

from __future__ import annotations

from typing import Any

import yaml

_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str | bytes) -> Any:
    """Parse YAML with the safe loader (C where available): no tags, no objects, only plain data."""
    return yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader, as yaml.safe_load uses
