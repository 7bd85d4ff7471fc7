"""Notification letters: Jinja2 text templates (templates/letter_<recipient>_<language>.txt.j2) rendered to PDF
with reportlab.

A letter is the one place Veil prints a person's own name and address: it is addressed to them. The file name of a
letter carries only the notice id and language. Template syntax: `# ` starts the title, `## ` a heading, blank
lines separate paragraphs, single line breaks are kept (addresses).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound

TEMPLATES = Path(__file__).parent / "templates"
DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class LetterSettings:
    office: str = "Office of Privacy and Incident Response"
    phone: str = "1-800-555-0100"
    extra_templates: Path | None = None  # a folder with more languages or an organisation's own wording


@lru_cache(maxsize=8)
def _environment(settings: LetterSettings) -> Environment:
    paths = [str(settings.extra_templates)] if settings.extra_templates else []
    # Plain text out: values are escaped for reportlab's paragraph markup when the text is laid out.
    return Environment(loader=FileSystemLoader([*paths, str(TEMPLATES)]), undefined=StrictUndefined,
                       autoescape=False, keep_trailing_newline=True)  # noqa: S701 - not HTML; escaped in _story


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


def template_language(recipient: str, language: str, settings: LetterSettings | None = None) -> str:
    """The requested language when a template exists, else English."""
    return language if language in languages(recipient, settings) else DEFAULT_LANGUAGE


def render_text(recipient: str, language: str, context: dict[str, Any],
                settings: LetterSettings | None = None) -> str:
    settings = settings or LetterSettings()
    env = _environment(settings)
    try:
        template = env.get_template(f"letter_{recipient}_{template_language(recipient, language, settings)}.txt.j2")
    except TemplateNotFound:
        template = env.get_template(f"letter_{recipient}_{DEFAULT_LANGUAGE}.txt.j2")
    return template.render(office=settings.office, phone=settings.phone, **context)


def render_pdf(text: str, title: str = "Notice") -> bytes:
    """Lay the rendered text out on Letter pages."""
    from reportlab.lib.pagesizes import LETTER
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.lib.units import inch
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    styles = getSampleStyleSheet()
    body = styles["BodyText"]
    body.fontSize, body.leading = 10.5, 14
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=LETTER, leftMargin=inch, rightMargin=inch, topMargin=0.9 * inch,
                            bottomMargin=0.9 * inch, title=title, author="Veil", creator="Veil")
    story: list[Any] = []
    for block in text.strip().split("\n\n"):
        lines = [ln.rstrip() for ln in block.strip("\n").split("\n")]
        if not any(lines):
            continue
        if lines[0].startswith("# "):
            story.append(Paragraph(escape(lines[0][2:]), styles["Title"]))
            lines = lines[1:]
        elif lines[0].startswith("## "):
            story.append(Paragraph(escape(lines[0][3:]), styles["Heading3"]))
            lines = lines[1:]
        if lines:
            story.append(Paragraph("<br/>".join(escape(ln) for ln in lines), body))
        story.append(Spacer(1, 6))
    doc.build(story)
    return out.getvalue()
