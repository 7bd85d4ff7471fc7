"""The learned second opinion (veil.screen.model): what it adds, for whom, how it is switched, and that its
suggestions pass."""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path

import pytest

from veil.errors import UsageError
from veil.screen import Recipient, RecipientKind, screen_message
from veil.screen.model import DisclosureModel, score
from veil.screen.policy import load_screen_policy
from veil.screen.result import ScreenKind

FG = Recipient("", RecipientKind.FOREIGN_GOVERNMENT)
# Wording no sentence rule names, which the model reads as a disclosure (a hedged group statement).
UNNAMED = "Heads up on tomorrow's charter: a handful of the people on it are still waiting on the interview that " \
          "decides whether they can stay, so expect a few seats to open up."


def _shipped() -> dict:  # type: ignore[type-arg]
    blob = resources.files("veil.screen").joinpath("data/disclosure_model.json.gz").read_bytes()
    return json.loads(gzip.decompress(blob))  # type: ignore[no-any-return]


def test_the_shipped_model_records_its_provenance_and_never_the_held_out_set() -> None:
    raw = _shipped()
    provenance = raw["provenance"]
    assert {"trained_by", "library", "model", "data", "licence"} <= set(provenance)
    assert not any("heldout" in name for name in provenance["data"])
    assert 0 < raw["threshold"] < 1


def test_scores_are_probabilities_and_tell_a_disclosure_from_logistics() -> None:
    disclosing = score("Some of the 103 people on the flight had been affected by the leak.")
    logistics = score("The flight departs at 10:00 with 103 passengers; please have the buses ready.")
    assert 0 <= logistics < 0.5 < disclosing <= 1


def test_a_long_message_is_scored_by_its_worst_window() -> None:
    filler = "\n".join(f"Item {i}: the buses leave the yard at 06:00 and return by noon." for i in range(120))
    disclosure = "Some of the 103 people on the flight had been affected by the leak."
    model = DisclosureModel.load()
    whole = f"{filler}\n{disclosure}\n{filler}"
    # The whole text at once averages the disclosure away; windows of a few sentences keep much more of it (the
    # sentence rules, not the model, are what catch one sentence in a long e-mail).
    assert model._score(whole) < 0.2
    assert model.score(whole) > 2 * model._score(whole)
    assert model.score(filler) < 0.5


def test_what_the_model_flags_blocks_for_a_recipient_who_may_not_know() -> None:
    result = screen_message(UNNAMED.encode(), "m.txt", FG)
    if not any(f.kind is ScreenKind.RESEMBLES_DISCLOSURE for f in result.findings):
        pytest.skip("a sentence rule caught this wording; the model is not needed for it")
    assert result.verdict == "block"
    finding = next(f for f in result.findings if f.kind is ScreenKind.RESEMBLES_DISCLOSURE)
    assert "model score" in finding.message and finding.rule == "model"


@pytest.mark.parametrize("kind", [RecipientKind.AGENCY, RecipientKind.COURT, RecipientKind.SEALED])
def test_the_model_never_applies_to_a_recipient_who_may_know(kind: RecipientKind) -> None:
    result = screen_message(UNNAMED.encode(), "m.txt", Recipient("", kind))
    assert result.verdict == "pass"
    assert not any(f.kind is ScreenKind.RESEMBLES_DISCLOSURE for f in result.findings)


def test_the_policy_can_switch_the_model_off_or_move_its_threshold(tmp_path: Path) -> None:
    off = tmp_path / "off.yaml"
    off.write_text("model:\n  enabled: false\n", encoding="utf-8")
    strict = tmp_path / "strict.yaml"
    strict.write_text("model:\n  threshold: 0.05\n", encoding="utf-8")
    text = b"Please have the buses ready for the people on tomorrow's charter."
    assert not any(f.kind is ScreenKind.RESEMBLES_DISCLOSURE
                   for f in screen_message(UNNAMED.encode(), "m.txt", FG, policy=load_screen_policy(off)).findings)
    strict_result = screen_message(text, "m.txt", FG, policy=load_screen_policy(strict))
    assert strict_result.verdict == "block"
    assert strict_result.suggestion is not None and strict_result.suggestion.verdict == "pass"


@pytest.mark.parametrize("bad", ["model: yes\n", "model:\n  enabled: 3\n", "model:\n  threshold: 1.5\n",
                                 "model:\n  threshold: true\n"])
def test_a_bad_model_setting_is_a_usage_error(tmp_path: Path, bad: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(bad, encoding="utf-8")
    with pytest.raises(UsageError, match="model"):
        load_screen_policy(path)


def test_the_suggestion_for_a_model_flagged_message_passes_the_whole_screen() -> None:
    text = UNNAMED + "\n\nPlease confirm the escort numbers by Thursday at gate 4."
    result = screen_message(text.encode(), "m.txt", FG)
    assert result.verdict == "block"
    assert result.suggestion is not None
    again = screen_message(result.suggestion.text.encode(), "m.txt", FG)
    assert again.verdict == "pass"
    assert "gate 4" in result.suggestion.text  # the innocent sentences stay


def test_a_model_finding_shows_no_raw_name() -> None:
    text = ("Re: Mr. Teodoro Gasparyan on Friday's charter: a handful of the people on it, him included, are still "
            "waiting on the interview that decides whether they can stay.")
    result = screen_message(text.encode(), "m.txt", FG)
    assert result.verdict == "block"
    for finding in result.findings:
        assert "Gasparyan" not in finding.message + finding.sentence
