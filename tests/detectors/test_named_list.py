"""A file naming many private people is reported as a list (a note by default; policy can make it a review)."""

from __future__ import annotations

from pathlib import Path

from faker import Faker

from veil.findings import Kind, Verdict
from veil.pipeline import check_bytes
from veil.policy import load_policy


def _minutes(people: int) -> bytes:
    fake = Faker("en_US")
    fake.seed_instance(7)
    lines = [f"{fake.first_name()} {fake.last_name()} attended the meeting and spoke about the budget."
             for _ in range(people)]
    return ("\n\n".join(lines) + "\n").encode()


def test_many_names_are_a_note_by_default() -> None:
    result = check_bytes(_minutes(15), "minutes.txt", load_policy())
    assert any(f.kind is Kind.NAMED_LIST for f in result.findings)
    assert result.verdict is Verdict.PASS


def test_policy_can_make_a_list_of_names_a_review(tmp_path: Path) -> None:
    policy_file = tmp_path / "strict.yaml"
    policy_file.write_text("verdicts:\n  named-list: review\nnamed_list:\n  min_people: 10\n")
    result = check_bytes(_minutes(15), "minutes.txt", load_policy(str(policy_file)))
    assert result.verdict is Verdict.REVIEW


def test_few_names_are_not_a_list() -> None:
    result = check_bytes(_minutes(3), "minutes.txt", load_policy())
    assert not any(f.kind is Kind.NAMED_LIST for f in result.findings)
