"""Recognizers as data: the built-ins' table tests, validators, the policy's own recognizers, bad declarations."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from veil.detectors.recognizers import VALIDATORS, RecognizerError, builtin, from_mapping, using
from veil.detectors.text_ids import find_identifiers
from veil.errors import UsageError
from veil.findings import Kind
from veil.pipeline import check_bytes
from veil.policy import load_policy

# A made-up tax number: TX + 8 digits passing Luhn. 79927398713 is the textbook Luhn example.
POLICY = """
recognizers:
  - name: tax-number
    label: a tax number
    plural: tax numbers
    validator: luhn
    text:
      - pattern: '\\bTX(\\d{11})\\b'
        near: {words: [tx], before: 2, after: 16}
    cell:
      pattern: 'TX\\d{11}'
    headers:
      en: [tax number, taxpayer id]
      es: [numero fiscal]
"""


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("A123456789", "a-number"),
        ("A-123-456-789", "a-number"),
        ("Alien No. 123 456 789", "a-number"),
        ("SSN 123-45-6789", "ssn"),
        ("ssn: 123 45 6789", "ssn"),
        ("passport no. X1234567", "passport"),
        ("DOB: 03/04/1987", "dob"),
        ("write to office@example.org", "email"),
        ("call (202) 555-0123", "phone"),
    ],
)
def test_builtins_find_their_identifiers(text: str, kind: str) -> None:
    assert [m.kind for m in find_identifiers(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        "a 123456789",  # an article, not an A-number
        "A 700 0 220 0",  # counts in a table
        "SSN 000-12-3456",  # area 000 is never issued
        "123-45-6789x",  # part of a longer token
        "passport ABCDEFGH",  # no digit
        "DOB: 03/04/1887",  # nobody alive was born then
    ],
)
def test_near_misses_are_not_identifiers(text: str) -> None:
    assert [m.kind for m in find_identifiers(text) if m.kind != "phone"] == []


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("luhn", "79927398713", "79927398710"),
        ("mod97", "WEST12345698765432GB82", "WEST12345698765433GB82"),
        ("mod11", "0306406152", "0306406153"),
        ("ssn", "123-45-6789", "666-45-6789"),
        ("birth-year", "4 March 1987", "4 March 1850"),
    ],
)
def test_validators(name: str, good: str, bad: str) -> None:
    assert VALIDATORS[name](good) and not VALIDATORS[name](bad)


def test_the_builtins_are_one_list_in_order() -> None:
    assert [r.name for r in builtin()] == ["a-number", "ssn", "passport", "dob", "email", "phone"]
    assert [r.name for r in builtin() if r.identifies] == ["a-number", "ssn", "passport"]


def _table(valid: bool = True) -> bytes:
    ids = ["TX79927398713", "TX00000000000", "TX12345678903", "TX49927398716"]
    if not valid:
        ids = [i[:-1] + str((int(i[-1]) + 1) % 10) for i in ids]
    return ("Tax number,Region\n" + "".join(f"{i},North\n" for i in ids)).encode()


def test_a_policy_recognizer_blocks_a_table(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(POLICY, encoding="utf-8")
    policy = load_policy(path)
    assert check_bytes(_table(), "t.csv", load_policy()).verdict == "pass"
    result = check_bytes(_table(), "t.csv", policy)
    assert result.verdict == "block" and result.findings[0].kind is Kind.RECORD_LEVEL
    assert "tax numbers" in " ".join(result.findings[0].evidence) and result.persons == 4
    assert check_bytes(_table(valid=False), "t.csv", policy).verdict == "pass"  # check digits fail
    prose = check_bytes(b"Refund sent for TX79927398713 today.\n", "n.txt", policy)
    assert prose.verdict == "block" and prose.findings[0].kind is Kind.IDENTIFIER_IN_TEXT


def test_a_policy_recognizer_in_veil_check(tmp_path: Path) -> None:
    (tmp_path / "policy.yaml").write_text(POLICY, encoding="utf-8")
    (tmp_path / "t.csv").write_bytes(_table())
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "veil",
            "check",
            "--format",
            "json",
            "--policy",
            str(tmp_path / "policy.yaml"),
            str(tmp_path / "t.csv"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1 and json.loads(done.stdout)["verdict"] == "block"


def test_policy_recognizers_last_only_for_their_check(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(POLICY, encoding="utf-8")
    policy = load_policy(path)
    with using(policy.recognizers):
        assert [m.kind for m in find_identifiers("TX79927398713")] == ["tax-number"]
    assert find_identifiers("TX79927398713") == []


def test_a_new_kind_and_its_effect_from_the_policy(tmp_path: Path) -> None:
    path = tmp_path / "policy.yaml"
    path.write_text(
        POLICY.replace(
            "    validator: luhn", "    validator: luhn\n    finding: tax-number-in-text\n    verdict: review"
        )
        + "verdicts:\n  tax-number-in-text: block\n",
        encoding="utf-8",
    )
    policy = load_policy(path)
    result = check_bytes(b"Refund sent for TX79927398713 today.\n", "n.txt", policy)
    assert [str(f.kind) for f in result.findings] == ["tax-number-in-text"] and result.verdict == "block"


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ({"name": "X", "text": ["a"]}, "lower-case"),
        ({"name": "ok-id"}, "give a `text` pattern"),
        ({"name": "ok-id", "text": ["("]}, "does not compile"),
        ({"name": "ok-id", "text": ["a"], "validator": "nope"}, "unknown validator"),
        ({"name": "ok-id", "text": ["a"], "colour": "red"}, "unknown key"),
        ({"name": "ssn", "text": ["a"]}, "already taken"),
    ],
)
def test_bad_declarations_are_clear_errors(tmp_path: Path, entry: dict, says: str) -> None:  # type: ignore[type-arg]
    path = tmp_path / "policy.yaml"
    path.write_text(json.dumps({"recognizers": [entry]}), encoding="utf-8")
    with pytest.raises(UsageError, match=says):
        load_policy(path)


def test_from_mapping_is_a_recognizer_error() -> None:
    with pytest.raises(RecognizerError):
        from_mapping({"name": "x"})
