"""The PDF reader on the real public documents in ../shared/corpus/real (skipped when the corpus is absent).

Published statistics and government documents must not come out as failed redactions or changed revisions; the
image-only map is unverifiable without OCR (fail closed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.paths import CORPUS
from veil.readers.pdf import ocr as pdf_ocr
from veil.readers.registry import ReadContext, read_blob
from veil.readers.units import Text, Unreadable, Visibility

PDFS = sorted(p for p in CORPUS.rglob("*.pdf") if "record-level" not in p.parts) if CORPUS.is_dir() else []


@pytest.mark.skipif(not PDFS, reason="the shared corpus is not here")
@pytest.mark.parametrize("path", PDFS, ids=lambda p: p.name)
def test_real_documents_have_no_failed_redactions_or_changed_revisions(path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_ocr, "available", lambda: False)  # OCR of the map takes ~20 s a page
    units = list(read_blob(path.read_bytes(), ReadContext(name=path.name)))
    suspicious = [(u.location, u.visibility) for u in units if isinstance(u, Text)
                  and u.visibility in (Visibility.UNDER_REDACTION, Visibility.EARLIER_REVISION,
                                       Visibility.INVISIBLE_TEXT, Visibility.OFF_PAGE, Visibility.HIDDEN_LAYER)]
    assert not suspicious
    unreadable = [u for u in units if isinstance(u, Unreadable)]
    if path.name == "eroFieldOffices.pdf":
        assert [u.location for u in unreadable] == ["page 1", "page 2"]
    else:
        assert not unreadable
        assert any(isinstance(u, Text) and u.visibility is Visibility.VISIBLE for u in units)
