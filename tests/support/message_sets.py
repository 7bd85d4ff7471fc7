"""Screen a labelled set of outbound messages (tests/screen/data/messages_*.jsonl) as the benchmark does, and check
on the way that every blocked message comes with a suggestion that itself passes."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from veil.screen import Recipient, RecipientKind, screen_message
from veil.screen.policy import ModelSettings, ScreenPolicy, default_screen_policy

# The sentence rules alone (the learned model off): the class tests hold the rules to their classes.
RULES_ALONE = replace(default_screen_policy(), model=ModelSettings(enabled=False))

Labelled = dict[str, list[tuple[RecipientKind, str]]]


def class_rows(disclosing: Labelled, passing: Labelled) -> list[tuple[RecipientKind, str, str]]:
    """(recipient, text, expected verdict) for every labelled sentence of a class test; the first message of each
    disclosing class also goes to the agency, which may know it, and passes."""
    return (
        [(kind, text, "block") for pairs in disclosing.values() for kind, text in pairs]
        + [(kind, text, "pass") for pairs in passing.values() for kind, text in pairs]
        + [(RecipientKind.AGENCY, pairs[0][1], "pass") for pairs in disclosing.values()]
    )


@dataclass
class SetScore:
    size: int
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp)


def score_set(path: Path, policy: ScreenPolicy | None = None) -> SetScore:
    with path.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    score = SetScore(len(rows))
    for row in rows:
        who = Recipient("", RecipientKind(row["recipient_kind"]))
        result = screen_message(row["text"].encode(), f"{row['id']}.txt", who, policy=policy)
        blocked = result.verdict != "pass"
        disclose = row["label"] == "disclose"
        score.tp += disclose and blocked
        score.fp += blocked and not disclose
        score.fn += disclose and not blocked
        if blocked:
            assert result.suggestion is not None, row["id"]
            again = screen_message(result.suggestion.text.encode(), "s.txt", who, policy=policy, suggest=False)
            assert again.verdict == "pass", row["id"]
    return score
