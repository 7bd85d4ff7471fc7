"""Property tests: screening never raises and always gives a verdict, whatever the bytes."""

from __future__ import annotations

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from veil.detectors.sentence_rules import classify_text
from veil.detectors.text import analyse_text
from veil.readers.units import Text, Visibility
from veil.screen import screen_manifest, screen_message

_SETTINGS = settings(max_examples=40, deadline=None, derandomize=True,
                     suppress_health_check=[HealthCheck.too_slow])
_WORDS = st.sampled_from(["some", "of", "the", "103", "asylum", "fear", "leak", "A123456789", "García", "José",
                          "Mr.", "they", "ellos", "filtración", ".", ",", "\n", "\n\n", "DOB:", "1/2/1980", "@",
                          "CAT", "visa", "U", "T", "None", "Algunos", "de", "los", "—", "\x00", "İ"])


@seed(7)
@_SETTINGS
@given(st.binary(max_size=2000), st.sampled_from(["m.txt", "m.eml", "m.docx", "m.pdf", "m.msg", "m"]))
def test_screen_message_never_raises(blob: bytes, name: str) -> None:
    assert screen_message(blob, name).verdict in ("pass", "block")


@seed(7)
@_SETTINGS
@given(st.binary(max_size=2000), st.sampled_from(["m.csv", "m.xlsx"]))
def test_screen_manifest_never_raises(blob: bytes, name: str) -> None:
    assert screen_manifest(blob, name).verdict in ("pass", "block")


@seed(7)
@_SETTINGS
@given(st.lists(_WORDS, max_size=80).map(" ".join))
def test_rules_and_text_detector_never_raise(text: str) -> None:
    list(classify_text(text))
    analyse_text(Text("x", Visibility.VISIBLE, text))
