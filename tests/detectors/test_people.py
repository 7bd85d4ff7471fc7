"""One identity per person across a file: identifier, else name + birth date, else name; LAST, FIRST and First Last
are one person; a person known by an identifier anywhere is counted once."""

from __future__ import annotations

import pickle

import polars as pl

from veil.detectors.people import (
    Identity,
    People,
    birth_expr,
    count_people,
    id_expr,
    id_form,
    name_expr,
    name_form,
)


def test_name_forms_ignore_order_case_accents_and_punctuation() -> None:
    assert name_form("GARCÍA LÓPEZ, José") == name_form("Jose Garcia Lopez") == name_form("garcia-lopez jose")
    frame = pl.DataFrame({"n": ["GARCÍA LÓPEZ, José", "Jose Garcia Lopez", None]})
    assert frame.select(name_expr(["n"]))["n"].to_list() == [name_form("Jose Garcia Lopez")] * 2 + [None]


def test_identifier_and_birth_forms_agree_between_tables_and_prose() -> None:
    assert id_form("a-number", "A-123-456-789") == id_form("a-number", "123456789") == "123456789"
    assert id_form("a-number", "A12345678") == "012345678"
    assert id_form("ssn", "123-45-6789") == "s123456789"
    frame = pl.DataFrame({"a": ["A-123-456-789", "A12345678", "", None]})
    assert frame.select(id_expr("a-number", "a"))["a"].to_list() == ["123456789", "012345678", None, None]
    frame = pl.DataFrame({"d": ["1987-03-04", "03/04/1987", "March 4, 1987", "4 Mar 1987"]})
    assert set(frame.select(birth_expr("d"))["d"].to_list()) == {"1987-03-04"}


def test_rows_without_an_identifier_are_counted_by_name_and_birth_date() -> None:
    source = pl.DataFrame({"a": ["A111111111", None, None, "A222222222"],
                           "n": ["LOPEZ, ANA", "PEREZ, LUIS", "PEREZ, LUIS", "RUIZ, EVA"],
                           "d": ["1990-01-01", "1980-02-02", "1980-02-02", "1970-03-03"]})
    people = People(source, pl.col("a"), name_expr(["n"]), birth_expr("d"))
    assert len(people) == 3
    assert people.how_counted() == "counted by identifier (2) and by name + birth date (1)"


def test_a_person_known_by_identifier_is_not_counted_again_by_name() -> None:
    table = People.of([Identity(id_form("a-number", "A123456789"), name_form("GARCIA, JOSE"), "1980-01-02")])
    letter = People.of([Identity(name=name_form("José García")), Identity(name=name_form("Maria Lopez"))])
    assert count_people([table, letter]) == 2
    also_born = People.of([Identity(name=name_form("Jose Garcia"), birth="1980-01-02")])
    assert count_people([table, also_born]) == 1


def test_set_behaviour_and_pickling_keep_the_count() -> None:
    people = People.of([Identity(name="a b"), Identity(name="a b"), Identity(name="c d")])
    assert len(people) == 2 and len(set(people)) == 2
    assert isinstance(people - set(), frozenset)
    restored = pickle.loads(pickle.dumps(people))
    assert len(restored) == 2 and set(restored) == set(people)
    assert not People.of([])
