"""The fifth round's development sets (dev5 to dev9, each by its own author, see benchmarks/data/SCREEN_MESSAGES.md)
held to the issue's bar by the whole screen, with a passing suggestion for every blocked message. dev7 was kept back
until the rules for the others were written, then measured and fixed like them."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.message_sets import score_set

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("messages_dev5.jsonl", 360),
        ("messages_dev6.jsonl", 330),
        ("messages_dev7.jsonl", 340),
        ("messages_dev8.jsonl", 330),
        ("messages_dev9.jsonl", 340),
    ],
)
def test_fifth_round_sets_meet_the_bar_and_every_suggestion_passes(name: str, size: int) -> None:
    score = score_set(DATA / name)
    assert score.size >= size
    assert score.precision >= 0.95
    assert score.recall >= 0.98
