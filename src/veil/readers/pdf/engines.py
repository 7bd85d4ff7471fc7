"""A second PDF engine for damaged files: what pdfminer extracts that pdfium did not.

PDF engines repair damage differently. When a file is damaged (a stream that does not inflate, a cross-reference
table pdfium had to rebuild, or a file pdfium cannot open at all), one viewer may show a roster another cannot, so
the text pdfminer.six extracts is checked too: every line holding a word pdfium did not give. pdfminer is slow on
long documents, which is why it runs only on damaged files; it is bounded by the reader's time budget (checked
between pages) and a page count.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Callable, Iterator

from pdfminer.high_level import extract_pages
from pdfminer.layout import LAParams, LTTextContainer

from veil.readers.units import Text, Unit, Visibility

MAX_PAGES = 2_000
_TOKENS = re.compile(r"[^\W\d_]+|\d+")
log = logging.getLogger(__name__)
# pdfminer warns about every damaged object, quoting the object (which may hold a document's text): Veil's own
# output must not carry file content, so only its errors get through.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


def tokens(text: str) -> set[str]:
    """Words and numbers apart, case-folded, so "Pending4" reflowed to "4 Pending" matches."""
    return {t.casefold() for t in _TOKENS.findall(text)}


def pdfminer_lines(blob: bytes, seen: set[str], tick: Callable[[], None]) -> Iterator[Unit]:
    """Per page, the lines pdfminer extracts that hold a word or number pdfium's text did not have."""
    pages = extract_pages(io.BytesIO(blob), maxpages=MAX_PAGES, laparams=LAParams())
    number = 0
    while True:
        tick()
        try:
            page = next(pages)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - a damaged file may stop pdfminer anywhere: keep what it gave
            log.debug("pdfminer stopped on a damaged PDF: %s", type(exc).__name__)
            return
        number += 1
        lines = []
        for element in page:
            if isinstance(element, LTTextContainer):
                for line in element.get_text().splitlines():
                    if tokens(line) - seen:
                        lines.append(" ".join(line.split()))
        if lines:
            yield Text(f"page {number} (text another PDF engine extracts)", Visibility.VISIBLE, "\n".join(lines))
