"""Fonts for letters in every script the roster's languages use, embedded in each PDF (a letter must not depend on
the fonts of the reader's computer).

    latin, cyrillic  Noto Sans            (PyPI: fontpkg-noto-sans, a dependency)
    arabic           Noto Sans Arabic     (PyPI: fontpkg-noto-sans-arabic, a dependency)
    devanagari       Noto Sans Devanagari (PyPI: fontpkg-noto-sans-devanagari, a dependency)
    cjk              a TrueType CJK font of the system: Droid Sans Fallback (Debian `fonts-droid-fallback`),
                     WenQuanYi Micro Hei (`fonts-wqy-microhei`), or any .ttf/.ttc given by VEIL_LETTER_FONT_CJK

A script without a font is reported (`missing`), so a letter in it waits instead of printing empty boxes.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

SCRIPTS = ("latin", "arabic", "devanagari", "cjk")
_CJK_SYSTEM = (
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
)
# The script each language's letters are written in (the default is latin).
LANGUAGE_SCRIPT = {"ar": "arabic", "hi": "devanagari", "zh": "cjk", "ru": "latin", "uk": "latin"}
RIGHT_TO_LEFT = frozenset({"ar"})
SHAPED = frozenset({"ar", "hi"})  # scripts that need HarfBuzz (joining, conjuncts); the others are laid out as is


@dataclass(frozen=True)
class FontFile:
    script: str
    path: Path


def _packaged(module: str) -> Path | None:
    try:
        package = __import__(module)
    except ImportError:
        return None
    if package.__file__ is None:
        return None
    files = sorted(p for p in (Path(package.__file__).parent / "files").glob("*.ttf") if "Italic" not in p.name)
    return files[0] if files else None


@lru_cache(maxsize=1)
def available() -> dict[str, FontFile]:
    """The fonts found, by script."""
    found: dict[str, FontFile] = {}
    for script, module in (
        ("latin", "fontpkg_noto_sans"),
        ("arabic", "fontpkg_noto_sans_arabic"),
        ("devanagari", "fontpkg_noto_sans_devanagari"),
    ):
        path = _packaged(module)
        if path is not None:
            found[script] = FontFile(script, path)
    configured = os.environ.get("VEIL_LETTER_FONT_CJK", "")
    for candidate in ([configured] if configured else []) + list(_CJK_SYSTEM):
        if candidate and Path(candidate).is_file():
            found["cjk"] = FontFile("cjk", Path(candidate))
            break
    return found


def missing(language: str) -> str | None:
    """The script a letter in `language` needs and no font covers (None: it can be printed)."""
    fonts = available()
    for script in {"latin", LANGUAGE_SCRIPT.get(language, "latin")}:
        if script not in fonts:
            return script
    return None


_RANGES = (
    ("arabic", ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))),
    ("devanagari", ((0x0900, 0x097F), (0xA8E0, 0xA8FF))),
    (
        "cjk",
        ((0x2E80, 0x2FDF), (0x3000, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF)),
    ),
)


def scripts_in(text: str) -> list[str]:
    """The non-Latin scripts (of those above) that occur in `text`."""
    found = []
    points = {ord(c) for c in text if ord(c) >= 0x0600}
    for script, ranges in _RANGES:
        if any(lo <= cp <= hi for cp in points for lo, hi in ranges):
            found.append(script)
    return found


_UNSHAPED_DROP = ("GSUB", "GPOS", "GDEF", "STAT", "HVAR", "MVAR")


@lru_cache(maxsize=8)
def static(path: Path, shaped: bool) -> Path:
    """A variable font's regular instance as a static font, made once per process in a private temp folder: a
    static font is parsed and subset several times faster, and every letter embeds one. A font laid out without
    shaping loses its layout tables too (they are what takes the time)."""
    from fontTools.ttLib import TTFont

    if path.suffix.lower() != ".ttf":
        return path
    font = TTFont(str(path), lazy=True)
    if "fvar" not in font and shaped:
        return path
    from fontTools.varLib import instancer

    folder = Path(tempfile.gettempdir()) / f"veil-fonts-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    target = folder / f"{path.stem.split('[')[0]}-{path.stat().st_size}-{'shaped' if shaped else 'plain'}.ttf"
    if not target.exists():
        regular = TTFont(str(path))
        if "fvar" in regular:
            axes = {a.axisTag: (400.0 if a.axisTag == "wght" else a.defaultValue) for a in regular["fvar"].axes}
            regular = instancer.instantiateVariableFont(regular, axes)
        if not shaped:
            for tag in _UNSHAPED_DROP:
                if tag in regular:
                    del regular[tag]
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        regular.save(str(temporary))
        os.replace(temporary, target)
    return target


# Every letter can hold these whatever its language: names and addresses in Latin script, digits, punctuation.
_BASE = frozenset(chr(c) for c in (*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x2010, 0x2030), 0x20AC))


def letter_chars(text: str) -> frozenset[str]:
    """The characters a font for this letter must hold beyond the Latin base every letter may use: for letters in
    one language these are the template's own characters, the same from one letter to the next."""
    return frozenset(c for c in text if c not in _BASE and not c.isspace())


@lru_cache(maxsize=64)
def reduced(path: Path, shaped: bool, chars: frozenset[str]) -> Path:
    """The font (a static instance, see `static`) cut down to the Latin base and `chars`, with the glyphs its
    shaping rules reach from them, made once per process and character set. Parsing and subsetting a font is most
    of a letter's time with the whole font (1.4 s for a letter in Chinese with a 4 MB CJK font); with a few
    hundred glyphs it is a few milliseconds."""
    import hashlib

    from fontTools import subset
    from fontTools.ttLib import TTFont

    source = static(path, shaped)
    wanted = "".join(sorted(_BASE | chars))
    digest = hashlib.sha256(f"{source.name}|{shaped}|{wanted}".encode()).hexdigest()[:16]
    folder = Path(tempfile.gettempdir()) / f"veil-fonts-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    target = folder / f"{source.stem}-{digest}.ttf"
    if not target.exists():
        options = subset.Options()
        options.layout_features = ["*"]  # shaping (joining, conjuncts) keeps every glyph its rules can reach
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.recommended_glyphs = True
        options.glyph_names = True
        font = TTFont(str(source), fontNumber=0)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=[ord(c) for c in wanted])
        subsetter.subset(font)
        temporary = target.with_suffix(f".{os.getpid()}.tmp")
        font.save(str(temporary))
        os.replace(temporary, target)
    return target
