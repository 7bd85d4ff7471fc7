"""Protected-people registry: file formats, errors without values, tolerant name matching."""

from __future__ import annotations

import json

import pytest

from veil.errors import UsageError
from veil.screen import FileRegistry, MemoryRegistry, ProtectedPerson, ProtectedRegistry
from veil.screen.matching import find_protected, masked_sentence
from veil.screen.registry import parse_any_date, parse_registry


def test_csv_and_json_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    csv_path = tmp_path / "p.csv"
    csv_path.write_text("name,a_number,dob,nationality,reason\n\"GARCÍA, José\",A-123-456-789,02/01/1980,"
                        "Guatemala,held\n", encoding="utf-8")
    json_path = tmp_path / "p.json"
    json_path.write_text(json.dumps([{"name": "Ana Ruiz", "a_number": "98765432", "dob": "3 de marzo de 1985",
                                      "reason": "affected"}]), encoding="utf-8")
    people = list(FileRegistry(csv_path)) + list(FileRegistry(json_path))
    assert people[0].a_number == "123456789" and people[0].held and str(people[0].dob) == "1980-02-01"
    assert people[1].a_number == "098765432" and str(people[1].dob) == "1985-03-03" and not people[1].held
    assert isinstance(FileRegistry(csv_path), ProtectedRegistry)


@pytest.mark.parametrize(("raw", "words"), [
    (b"a_number\nA123456789\n", "name"),
    (b"name,a_number\n,\n", "row 1"),
    (b"[1, 2]", "list of objects"),
    (b"{not json", "not valid JSON"),
    (b"\xff\xfe\x00bad", "UTF-8"),
])
def test_bad_registry_files_say_why_without_values(raw: bytes, words: str) -> None:
    with pytest.raises(UsageError, match=words):
        parse_registry(raw, "p.csv")


@pytest.mark.parametrize("text", [
    "José García arrives on Monday.",
    "GARCIA, JOSE arrives on Monday.",
    "Garcia Jose arrives on Monday.",
    "Subject: jose garcia",
])
def test_names_match_regardless_of_case_accents_and_order(text: str) -> None:
    registry = MemoryRegistry([ProtectedPerson("GARCÍA, José", reason="held")])
    assert [m.kind for m in find_protected(text, registry)] == ["name"]


def test_long_names_match_on_given_name_and_a_surname() -> None:
    registry = MemoryRegistry([ProtectedPerson("María de la Cruz Pérez Gómez", reason="protected-case")])
    assert find_protected("We spoke with Maria Perez today.", registry)
    assert not find_protected("We spoke with Maria Lopez today.", registry)


def test_identifiers_and_dates_match() -> None:
    registry = MemoryRegistry([ProtectedPerson("Ana Ruiz", "012345678", parse_any_date("1990-05-04"))])
    kinds = [m.kind for m in find_protected("A#012-345-678, DOB: May 4, 1990", registry)]
    assert kinds == ["a-number", "dob"]


def test_masked_sentence_hides_names_and_identifiers() -> None:
    shown = masked_sentence("Detainee GARCIA, Jose (A123456789) will travel.")
    assert "GARCIA" not in shown and "123456789" not in shown and "[a-number]" in shown
