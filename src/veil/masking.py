"""Masking: every value Veil shows a person or writes to a log goes through here first.

A masked value keeps the first character of each word and the punctuation between words, so a reviewer can tell a
`LAST, FIRST` name from a date or an A-number without learning who it is: 'GARCIA, JOSE' -> 'G*****, J***'.
Digits are never shown: a leading digit would narrow an A-number or a date of birth ('A123-456-789' -> 'A***-***-***').
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_MAX_SHOWN = 40

# A per-process key: person keys are only compared within one run unless a key is configured.
_KEY = os.environ.get("VEIL_HMAC_KEY", "").encode() or os.urandom(32)


def mask(value: object) -> str:
    """Mask a value for display: the first letter of each word is kept, every other letter and every digit becomes
    '*'."""
    if value is None:
        return ""
    text = str(value).strip()
    if len(text) > _MAX_SHOWN:
        text = text[:_MAX_SHOWN]
        suffix = "…"
    else:
        suffix = ""
    return _WORD.sub(_mask_word, text) + suffix


def _mask_word(match: re.Match[str]) -> str:
    word = match.group(0)
    keep = 0 if word[0].isdigit() else 1
    return word[:keep] + "*" * (len(word) - keep)


def mask_all(values: object, limit: int = 3) -> tuple[str, ...]:
    """Masked samples, at most `limit`, distinct, in order of first appearance."""
    out: list[str] = []
    for value in values:  # type: ignore[attr-defined]
        if value is None or not str(value).strip():
            continue
        masked = mask(value)
        if masked not in out:
            out.append(masked)
        if len(out) >= limit:
            break
    return tuple(out)


def person_key(*parts: object) -> str:
    """A keyed hash that identifies a person across units of one file without holding their data."""
    norm = "\x1f".join(_normalise(p) for p in parts)
    return hmac.new(_KEY, norm.encode("utf-8"), hashlib.sha256).hexdigest()[:24]


def _normalise(value: object) -> str:
    text = "" if value is None else str(value)
    return " ".join(_WORD.findall(text.casefold()))
