"""Renderers: one function per output format, all over the same FileResult list."""

from enum import StrEnum


class Format(StrEnum):
    """The output formats, one list for every command (presidio-cli's Format). A command that cannot write one of
    them says so and exits 2 (`veil check` writes all three; the others text and json)."""

    text = "text"
    json = "json"
    sarif = "sarif"
