"""Recognizers: identifiers declared as data (pattern, validator, header words per language, kind, default verdict).

    builtin.yaml    the built-in recognizers, in the order they are tried
    model.py        Recognizer and the schema shared by builtin.yaml, the policy's `recognizers:` and plugins
    validators.py   checksums and plausibility checks, the only code a recognizer has
    registry.py     built-ins + `veil.recognizers` entry points + the policy's, for the check under way

See docs/extending.md."""

from veil.detectors.recognizers.model import Near, Recognizer, RecognizerError, TextPattern, from_mapping
from veil.detectors.recognizers.registry import (
    ENTRY_POINT_GROUP,
    RecognizerSet,
    active,
    builtin,
    installed,
    refresh,
    using,
)
from veil.detectors.recognizers.validators import VALIDATORS

__all__ = [
    "ENTRY_POINT_GROUP",
    "VALIDATORS",
    "Near",
    "Recognizer",
    "RecognizerError",
    "RecognizerSet",
    "TextPattern",
    "active",
    "builtin",
    "from_mapping",
    "installed",
    "refresh",
    "using",
]
