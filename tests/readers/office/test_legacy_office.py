"""Legacy .doc/.ppt reader (pure Python, from the specifications), including damaged and unsupported files."""

from __future__ import annotations

import random
import struct

import pytest

from support.doc_factory import _ole_bytes, make_doc, make_ppt, read_units, unreadable, where_is
from support.vba_factory import ole_entries as _streams

DOC_EXPECTED = {
    "visible": ("WordDocument main text paragraph 1", "visible"),
    "deleted": ("WordDocument main text paragraph 2 (deleted text)", "tracked-change"),
    "hidden": ("WordDocument main text paragraph 3 (hidden text)", "hidden-text"),
    "field-code": ("WordDocument main text paragraph 4 (field code)", "metadata"),
    "table": ("WordDocument main text table 1", "visible"),
    "footnote": ("WordDocument footnotes paragraph 1", "visible"),
    "header": ("WordDocument headers and footers paragraph 1", "header-footer"),
    "comment": ("WordDocument comments paragraph 1", "comment"),
    "author": ("SummaryInformation", "metadata"),
    "embedded-csv": ("embedded object (ObjectPool/_1234) › ", "embedded"),
}
PPT_EXPECTED = {
    "slide": ("PowerPoint Document slide 1", "visible"),
    "hidden-slide": ("PowerPoint Document slide 2 (hidden slide)", "hidden-slide"),
    "hidden-drawing": ("PowerPoint Document slide 2 (hidden slide)", "hidden-slide"),
    "notes": ("PowerPoint Document notes 1", "speaker-notes"),
    "comment": ("PowerPoint Document comment 1", "comment"),
    "embedded-csv": ("embedded object 1 › ", "embedded"),
}


@pytest.fixture(scope="module")
def doc() -> tuple[list, dict[str, str], bytes]:
    blob, secrets = make_doc(seed=71)
    return read_units(blob, "letter.doc"), secrets, blob


@pytest.fixture(scope="module")
def ppt() -> tuple[list, dict[str, str]]:
    blob, secrets = make_ppt(seed=72)
    return read_units(blob, "deck.ppt"), secrets


@pytest.mark.parametrize("vector", sorted(DOC_EXPECTED))
def test_doc_hiding_places(doc, vector: str) -> None:
    units, secrets, _ = doc
    location, visibility = DOC_EXPECTED[vector]
    hits = where_is(units, secrets[vector])
    assert any(loc.startswith(location) and vis == visibility for loc, vis in hits), hits


@pytest.mark.parametrize("vector", sorted(PPT_EXPECTED))
def test_ppt_hiding_places(ppt, vector: str) -> None:
    units, secrets = ppt
    location, visibility = PPT_EXPECTED[vector]
    hits = where_is(units, secrets[vector])
    assert any(loc.startswith(location) and vis == visibility for loc, vis in hits), hits


def test_ppt_comment_author_is_metadata(ppt) -> None:
    units, secrets = ppt
    name = secrets["comment-author"].rsplit(" ", 1)[0]
    assert ("PowerPoint Document comment 1 (author metadata)", "metadata") in where_is(units, name)


def test_doc_deleted_and_hidden_text_not_visible(doc) -> None:
    units, secrets, _ = doc
    for vector in ("deleted", "hidden", "field-code"):
        assert all(vis != "visible" for _, vis in where_is(units, secrets[vector]))


def test_good_files_read_cleanly(doc, ppt) -> None:
    assert unreadable(doc[0]) == [] and unreadable(ppt[0]) == []


def _with_word(blob: bytes, patch) -> bytes:
    streams = _streams(blob)
    word = bytearray(streams["WordDocument"])
    patch(word)
    streams["WordDocument"] = bytes(word)
    return _ole_bytes(streams)


@pytest.mark.parametrize("patch,reason", [
    (lambda w: struct.pack_into("<H", w, 2, 0x0065 - 1), "Word 6/95"),
    (lambda w: struct.pack_into("<H", w, 0x0A, 0x0200 | 0x0100), "encrypted"),
    (lambda w: struct.pack_into("<H", w, 0, 0x1234), "no valid header"),
    (lambda w: struct.pack_into("<I", w, 154 + 66 * 4, 10_000_000), "piece table"),
])
def test_unsupported_or_damaged_doc_is_unreadable(doc, patch, reason: str) -> None:
    units = read_units(_with_word(doc[2], patch), "bad.doc")
    assert any(reason in u.reason for u in unreadable(units)), unreadable(units)


def test_mutated_files_never_raise(doc) -> None:
    rng = random.Random(7)
    streams = _streams(doc[2])
    for _ in range(30):
        word = bytearray(streams["WordDocument"])
        for _ in range(20):
            word[rng.randrange(len(word))] = rng.randrange(256)
        mutated = dict(streams, WordDocument=bytes(word))
        units = read_units(_ole_bytes(mutated), "m.doc")
        assert all(u.reason for u in unreadable(units))


def test_mutated_ppt_never_raises() -> None:
    blob, _ = make_ppt(seed=73)
    streams = _streams(blob)
    rng = random.Random(8)
    for _ in range(30):
        data = bytearray(streams["PowerPoint Document"])
        for _ in range(10):
            data[rng.randrange(len(data))] = rng.randrange(256)
        units = read_units(_ole_bytes(dict(streams, **{"PowerPoint Document": bytes(data)})), "m.ppt")
        assert all(u.reason for u in unreadable(units))


def test_truncated_ole_is_unreadable(doc) -> None:
    assert unreadable(read_units(doc[2][:3000], "cut.doc"))


def test_end_to_end_the_hidden_people_block() -> None:
    from support.doc_factory import make_doc, verdict

    assert verdict(make_doc(seed=99)[0], "l.doc") == "block"


@pytest.mark.parametrize("index", range(8))
def test_damaged_input_fails_closed_with_a_reason(index: int) -> None:
    from support.doc_factory import assert_fails_closed, make_doc, mutations

    blob = mutations(make_doc(seed=5)[0], seed=index, count=index + 1)[index]
    assert_fails_closed(blob, "x.doc")
