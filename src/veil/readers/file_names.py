"""File names as text: `NGUYEN_CITLALI_A523938499_asylum.txt` names a person, her A-number and her claim.

The name of the file itself, of every archive member and of every e-mail attachment is checked like prose: one
Text unit per name, located `file name` (after the member's or attachment's own location), so the detectors tie
the name, the identifier and the status words in it as they would in a sentence. A file name is published with
the file (it is in the URL), so the unit is as visible as the file.

The name is turned into the words a person reads in it:

    NGUYEN_CITLALI_A523938499_asylum.txt   ->  Nguyen Citlali A523938499 asylum
    JoseGarcia-credible-fear-2023-04-01.pdf ->  Jose Garcia credible fear 2023-04-01

Separators (`_`, `.`, `+`, `/`, `-` between words) become spaces; two or more CAPITALISED words of three letters or
more in a row become capitalised words (the name detector reads CAPITALS as headings, not names; a lone capitalised
word is an acronym); status words are written in lower case so `NGUYEN CITLALI ASYLUM` is not read as one long
title; digits, dates and identifiers stay as they are.
`Text.file_name` keeps the name as it was, so the pipeline can mask it wherever a finding shows it.
"""

from __future__ import annotations

import posixpath
import re

from veil.detectors.vocab import STATUS_TERMS
from veil.readers.units import Text, Visibility

# The extensions a name may end in ("roster.tar.gz"), taken off before reading the words.
_EXTENSION = re.compile(r"(\.[A-Za-z][A-Za-z0-9]{0,7}){1,2}$")
_SPLIT = re.compile(r"[_+.\s/\\]+|(?<=[^\W\d_])-+(?=[^\W\d_])|(?<=[^\W\d_])-+(?=\d)|(?<=\d)-+(?=[^\W\d_])")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_CAPITALS = re.compile(r"^[^\W\d_]{3,}$")
MAX_NAME_CHARS = 1_000


def base_name(name: str) -> str:
    """The last part of a path, whichever separator the system that wrote it used."""
    return posixpath.basename(name.replace("\\", "/")) or name


def split_extension(name: str) -> tuple[str, str]:
    """('NGUYEN_CITLALI', '.tar.gz') from 'NGUYEN_CITLALI.tar.gz'; a name without an extension keeps it all."""
    match = _EXTENSION.search(name)
    if match is None or match.start() == 0:
        return name, ""
    return name[: match.start()], match.group(0)


def name_text(name: str) -> str:
    """The words of a file name or of an archive member's path, as a person reads them (see the docstring)."""
    stem, _ = split_extension(name[:MAX_NAME_CHARS])
    words = [word for token in _SPLIT.split(stem) for word in _CAMEL.split(token) if word]
    capitals = [bool(_CAPITALS.match(w)) and w.isupper() and not STATUS_TERMS.fullmatch(w) for w in words]
    out = []
    for i, word in enumerate(words):
        if STATUS_TERMS.fullmatch(word):
            word = word.lower()
        elif capitals[i] and (i > 0 and capitals[i - 1] or i + 1 < len(words) and capitals[i + 1]):
            # Two capitalised words in a row are a name as often as not (NGUYEN_CITLALI); one alone is an
            # acronym (UKVI_IP_Q4), and read as a word it would look like a name.
            word = word.capitalize()
        out.append(word)
    return " ".join(out)


def name_unit(name: str, where: str = "", visibility: Visibility = Visibility.VISIBLE) -> Text | None:
    """The Text unit for one file name (or member path), located `{where} › file name` (or `file name`); None
    when the name has no words."""
    text = name_text(name)
    if not text.strip():
        return None
    location = f"{where} › file name" if where else "file name"
    return Text(location, visibility, text, file_name=name)
