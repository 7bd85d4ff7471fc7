"""Notification letters: Jinja2 text templates (templates/letter_<recipient>_<language>.txt.j2) rendered to PDF with
fonts that cover each script, embedded (letter_fonts.py). Scripts that need shaping (Arabic joining and
right-to-left lines, Devanagari conjuncts) are laid out by fpdf2 with HarfBuzz; the others by reportlab, whose
fonts are registered once per process (thousands of letters a minute rather than a few a second).

Templates are written and reviewed as templates, one per language; nothing is machine-translated at run time. A
person whose language has no template waits (`template_language` is None): they are never sent English silently.
The language names a roster uses ("Haitian Creole", "Kreyòl", "ht", "Mandarin", ...) are read by `language_code`.

A letter is the one place Veil prints a person's own name and address: it is addressed to them. The file name of a
letter carries only the notice id and language. Template syntax: `# ` starts the title, `## ` a heading, blank
lines separate paragraphs, single line breaks are kept (addresses).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from veil.incident import letter_fonts

TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_LANGUAGE = "en"
# Language names and codes as rosters write them -> the code of the template.
_NAMES = {
    "en": ("en", "eng", "english", "ingles", "anglais"),
    "es": ("es", "spa", "spanish", "espanol", "castellano", "espagnol"),
    "ht": ("ht", "hat", "haitian", "haitian creole", "creole", "kreyol", "kreyol ayisyen", "creole haitien"),
    "fr": ("fr", "fra", "fre", "french", "francais", "frances"),
    "pt": ("pt", "por", "portuguese", "portugues", "portuguese (brazil)", "brazilian portuguese"),
    "ru": ("ru", "rus", "russian", "russkii", "russkiy", "ruso"),
    "uk": ("uk", "ukr", "ukrainian", "ukrainska", "ucraniano"),
    "zh": ("zh", "zho", "chi", "cmn", "chinese", "mandarin", "mandarin chinese", "putonghua", "zh-cn", "zh-hans"),
    "hi": ("hi", "hin", "hindi"),
    "ar": ("ar", "ara", "arabic", "arabe"),
}
_CODE_OF = {name: code for code, names in _NAMES.items() for name in names}


def language_code(raw: str) -> str:
    """A roster's language value as a code: a known name or code -> its code ('Haitian Creole' -> 'ht'); an
    unknown one is kept (lower-cased, at most 10 characters) so that it is listed as waiting, not guessed."""
    text = "".join(c for c in unicodedata.normalize("NFKD", raw.strip().lower()) if not unicodedata.combining(c))
    text = " ".join(text.replace("_", " ").split())
    if not text:
        return DEFAULT_LANGUAGE
    if text in _CODE_OF:
        return _CODE_OF[text]
    for name, code in sorted(_CODE_OF.items(), key=lambda kv: -len(kv[0])):  # 'haitian cr' (cut at 10)
        if len(name) > 3 and (text.startswith(name) or (len(text) >= 6 and name.startswith(text))):
            return code
    return text[:10]


@dataclass(frozen=True)
class LetterSettings:
    office: str = "Office of Privacy and Incident Response"
    phone: str = "1-800-555-0100"
    zone: str = "UTC"  # the time zone of the exposure window in letters (an IANA name)
    extra_templates: Path | None = None  # a folder with more languages or an organisation's own wording


@lru_cache(maxsize=8)
def _environment(settings: LetterSettings) -> Environment:
    paths = [str(settings.extra_templates)] if settings.extra_templates else []
    # Plain text out: the PDF renderer writes text, not markup.
    return Environment(
        loader=FileSystemLoader([*paths, str(TEMPLATES)]),
        undefined=StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
    )  # noqa: S701 - not HTML


def languages(recipient: str, settings: LetterSettings | None = None) -> tuple[str, ...]:
    """Languages with a template for this recipient kind (person | attorney)."""
    return _languages(recipient, settings or LetterSettings())


@lru_cache(maxsize=32)
def _languages(recipient: str, settings: LetterSettings) -> tuple[str, ...]:
    found = set()
    for folder in (settings.extra_templates, TEMPLATES):
        if folder is not None and folder.is_dir():
            found |= {p.name.split("_")[2].split(".")[0] for p in folder.glob(f"letter_{recipient}_*.txt.j2")}
    return tuple(sorted(found))


def template_language(recipient: str, language: str, settings: LetterSettings | None = None) -> str | None:
    """The template language for a recipient's language, or None when there is no template (the letter waits)."""
    code = language_code(language)
    return code if code in languages(recipient, settings) else None


def render_text(recipient: str, language: str, context: dict[str, Any], settings: LetterSettings | None = None) -> str:
    """The letter's text. Raises LookupError when the language has no template (never falls back to English)."""
    settings = settings or LetterSettings()
    code = template_language(recipient, language, settings)
    if code is None:
        raise LookupError(f"no {recipient} letter template in {language_code(language)!r}")
    template = _environment(settings).get_template(f"letter_{recipient}_{code}.txt.j2")
    return template.render(office=settings.office, phone=settings.phone, **context)


class FontMissing(Exception):
    """No font covers the script of the letter's language: the letter waits (see letter_fonts)."""


def render_pdf(text: str, title: str = "Notice", language: str = DEFAULT_LANGUAGE) -> bytes:
    """Lay the rendered text out on Letter pages, shaped and in the language's direction."""
    code = language_code(language)
    script = letter_fonts.missing(code)
    if script is not None:
        raise FontMissing(f"no font for the {script} script is installed (see docs: letters)")
    if code in letter_fonts.SHAPED or letter_fonts.scripts_in(text):
        return _shaped_pdf(text, title, code)
    return _plain_pdf(text, title, letter_fonts.LANGUAGE_SCRIPT.get(code, "latin"))


@lru_cache(maxsize=4)
def _reportlab_font(script: str) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = f"Veil-{script}"
    path = letter_fonts.static(letter_fonts.available()[script].path, False)
    pdfmetrics.registerFont(TTFont(name, str(path), subfontIndex=0))
    return name


def _plain_pdf(text: str, title: str, script: str) -> bytes:
    import io
    from xml.sax.saxutils import escape

    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    font = _reportlab_font(script)
    wrap = "CJK" if script == "cjk" else None
    body = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=14.5, wordWrap=wrap)
    heading = ParagraphStyle("heading", parent=body, fontSize=12.5, leading=16, spaceBefore=2)
    big = ParagraphStyle("title", parent=body, fontSize=15, leading=20, alignment=1, spaceAfter=6)
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=LETTER,
        leftMargin=72,
        rightMargin=72,
        topMargin=65,
        bottomMargin=65,
        title=title,
        author="Veil",
        creator="Veil",
    )
    story: list[Any] = []
    for block in text.strip().split("\n\n"):
        lines = [ln.rstrip() for ln in block.strip("\n").split("\n")]
        if not any(lines):
            continue
        if lines[0].startswith("# "):
            story.append(Paragraph(escape(lines[0][2:]), big))
            lines = lines[1:]
        elif lines[0].startswith("## "):
            story.append(Paragraph(escape(lines[0][3:]), heading))
            lines = lines[1:]
        if lines:
            story.append(Paragraph("<br/>".join(escape(ln) for ln in lines), body))
        story.append(Spacer(1, 7))
    doc.build(story)
    return out.getvalue()


def _shaped_pdf(text: str, title: str, code: str) -> bytes:
    from fpdf import FPDF

    fonts = letter_fonts.available()
    pdf = FPDF(format="letter", unit="pt")
    pdf.set_title(title)
    pdf.set_author("Veil")
    pdf.set_creator("Veil")
    pdf.set_margins(72, 65, 72)
    pdf.set_auto_page_break(True, margin=65)
    main = letter_fonts.LANGUAGE_SCRIPT.get(code, "latin")
    # The main script's font, with the others the text needs (a name or address in another script) as fallbacks.
    wanted = [main] + [s for s in ("latin", *letter_fonts.scripts_in(text)) if s != main]
    used = [s for s in dict.fromkeys(wanted) if s in fonts]
    shaped = code in letter_fonts.SHAPED or bool(set(used) & {"arabic", "devanagari"})
    chars = letter_fonts.letter_chars(text)
    for script_name in used:  # one weight, cut down to what letters in this language use (letter_fonts.reduced)
        pdf.add_font(script_name, fname=str(letter_fonts.reduced(fonts[script_name].path, shaped, chars)))
    pdf.set_fallback_fonts(used[1:], exact_match=False)
    rtl = code in letter_fonts.RIGHT_TO_LEFT
    if shaped:
        pdf.set_text_shaping(True, direction="rtl" if rtl else "ltr")
    align = "R" if rtl else "L"
    pdf.add_page()
    for block in text.strip().split("\n\n"):
        lines = [ln.rstrip() for ln in block.strip("\n").split("\n")]
        if not any(lines):
            continue
        if lines[0].startswith("# "):
            pdf.set_font(main, "", 15)
            pdf.multi_cell(0, 20, lines[0][2:], align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(6)
            lines = lines[1:]
        elif lines[0].startswith("## "):
            pdf.set_font(main, "", 12.5)
            pdf.multi_cell(0, 16, lines[0][3:], align=align, new_x="LMARGIN", new_y="NEXT")
            lines = lines[1:]
        pdf.set_font(main, "", 10.5)
        for line in lines:
            pdf.multi_cell(0, 14.5, line or " ", align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(7)
    return bytes(pdf.output())
