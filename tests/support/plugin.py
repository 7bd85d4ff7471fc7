"""A tiny recognizer plugin, made at test time: a made-up Ruritanian personal number with a check digit, installed
by writing its module and a dist-info (METADATA + entry_points.txt in the `veil.recognizers` group) into a directory
that is put on the path, which is what `pip install` leaves in site-packages."""

from __future__ import annotations

import importlib
import random
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from veil.detectors.recognizers import refresh

MODULE = '''
"""Ruritanian personal numbers: RZ-dddddd-c, c = the digits weighted 1..7, mod 11, mod 10."""

import re


def check_digit(value: str) -> bool:
    digits = re.sub(r"\\D", "", value)
    if len(digits) != 8:
        return False
    return sum(int(d) * (i + 1) for i, d in enumerate(digits[:7])) % 11 % 10 == int(digits[7])


def recognizers():
    return [{
        "name": "ruritania-id",
        "label": "a Ruritanian personal number",
        "plural": "Ruritanian personal numbers",
        "words": "Ruritanian personal number",
        "finding": "national-id-in-text",
        "verdict": "block",
        "validator": check_digit,
        "form": "upper",
        "text": [{"pattern": r"\\bRZ-\\d{7}-\\d\\b", "near": {"words": ["rz-"], "before": 2, "after": 14}}],
        "cell": {"pattern": r"RZ-\\d{7}-\\d"},
        "headers": {"en": ["ruritanian id", "personal number"], "fr": ["numero personnel"]},
    }]
'''
ENTRY_POINTS = "[veil.recognizers]\nruritania = ruritania_veil:recognizers\n"
METADATA = "Metadata-Version: 2.1\nName: ruritania-veil\nVersion: 0.1\n"


def ruritania_id(rng: random.Random, valid: bool = True) -> str:
    body = "".join(str(rng.randrange(10)) for _ in range(7))
    check = sum(int(d) * (i + 1) for i, d in enumerate(body)) % 11 % 10
    return f"RZ-{body}-{check if valid else (check + 1) % 10}"


def install(directory: Path) -> Path:
    """Write the plugin into `directory` as an installed distribution; returns the directory."""
    (directory / "ruritania_veil.py").write_text(MODULE, encoding="utf-8")
    info = directory / "ruritania_veil-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(METADATA, encoding="utf-8")
    (info / "entry_points.txt").write_text(ENTRY_POINTS, encoding="utf-8")
    return directory


@contextmanager
def installed(directory: Path) -> Iterator[Path]:
    """The plugin installed in this process for the duration (the recognizers re-read, then read again)."""
    install(directory)
    sys.path.insert(0, str(directory))
    importlib.invalidate_caches()
    refresh()
    try:
        yield directory
    finally:
        sys.path.remove(str(directory))
        sys.modules.pop("ruritania_veil", None)
        importlib.invalidate_caches()
        refresh()


def id_table(seed: int = 7, rows: int = 8, valid: bool = True) -> bytes:
    """A CSV of people known only by their Ruritanian number (no names), with a region and a year."""
    rng = random.Random(seed)
    lines = ["Ruritanian ID,Region,Year"]
    for _ in range(rows):
        lines.append(f"{ruritania_id(rng, valid)},{rng.choice(['North', 'South', 'East'])},{rng.randrange(2015, 2024)}")
    return ("\n".join(lines) + "\n").encode()
