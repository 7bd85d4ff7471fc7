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
    for script, module in (("latin", "fontpkg_noto_sans"), ("arabic", "fontpkg_noto_sans_arabic"),
                           ("devanagari", "fontpkg_noto_sans_devanagari")):
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


_RANGES = (("arabic", ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF))),
           ("devanagari", ((0x0900, 0x097F), (0xA8E0, 0xA8FF))),
           ("cjk", ((0x2E80, 0x2FDF), (0x3000, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF),
                    (0xFF00, 0xFFEF))))


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
