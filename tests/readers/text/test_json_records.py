"""JSON and NDJSON reader: records at any depth, flattening, loose values, malformed and hostile input."""

from __future__ import annotations

import json

import pytest
from faker import Faker
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from veil.readers.limits import Budget, LimitExceeded, Limits
from veil.readers.registry import ReadContext, read_blob
from veil.readers.text import json_records
from veil.readers.units import Notice, Table, Text, Unreadable


def _people(n: int = 5, seed_: int = 21) -> list[dict]:
    fake = Faker("en_US")
    fake.seed_instance(seed_)
    return [{"name": fake.name(), "dob": fake.date_of_birth().isoformat(),
             "a_number": f"A{fake.random_number(9, True)}",
             "address": {"city": fake.city(), "country": fake.country()}} for _ in range(n)]


def _read(doc: object | bytes, fmt: str = "json", limits: Limits | None = None) -> list:
    blob = doc if isinstance(doc, bytes) else json.dumps(doc).encode()
    ctx = ReadContext(name=f"x.{fmt}", format=fmt, budget=Budget(limits=limits or Limits()))
    return list(json_records.read(blob, ctx))


def _tables(units: list) -> list[Table]:
    return [u for u in units if isinstance(u, Table)]


def _rows(table: Table) -> list[dict]:
    return [dict(zip(table.header or [], row, strict=True)) for row in table.frame.iter_rows()]


@pytest.mark.parametrize("wrap", [
    lambda p: p,
    lambda p: {"data": p},
    lambda p: {"meta": {"source": "export"}, "data": {"people": p}},
    lambda p: [{"page": 1, "results": {"items": p}}],
], ids=["top-level", "one-deep", "two-deep", "inside-array"])
def test_records_found_at_any_depth(wrap) -> None:
    people = _people()
    tables = [t for t in _tables(_read(wrap(people))) if t.n_rows == 5]
    assert len(tables) == 1
    table = tables[0]
    assert table.header == ["name", "dob", "a_number", "address.city", "address.country"]
    assert table.n_rows == 5
    assert _rows(table)[0]["address.city"] == people[0]["address"]["city"]
    assert table.location.endswith("(5 records)")


def test_location_names_the_json_path() -> None:
    table = _tables(_read({"data": {"people": _people(3)}}))[0]
    assert table.location == "$.data.people (3 records)"


def test_every_list_of_records_is_a_table_and_loose_values_are_text() -> None:
    doc = {"report": {"author": "Jane Example", "year": 2024},
           "staff": _people(2, seed_=1), "clients": _people(7, seed_=2)}
    units = _read(doc)
    assert sorted(t.n_rows for t in _tables(units)) == [2, 7]
    texts = [u for u in units if isinstance(u, Text)]
    # The object's scalars, nested objects included, are one record: one sentence, so its fields are tied.
    assert texts == [Text("$", texts[0].visibility, "report author: Jane Example; report year: 2024")]


def test_ragged_records_keep_every_field() -> None:
    doc = [{"name": "Ann"}, {"name": "Bob", "phone": "555-0100"}, {"nickname": "Cy"}]
    table = _tables(_read(doc))[0]
    assert table.header == ["name", "phone", "nickname"]
    assert _rows(table) == [{"name": "Ann", "phone": None, "nickname": None},
                            {"name": "Bob", "phone": "555-0100", "nickname": None},
                            {"name": None, "phone": None, "nickname": "Cy"}]


def test_nested_record_lists_become_their_own_table() -> None:
    doc = {"households": [{"id": 1, "members": [{"name": "Ann"}, {"name": "Bob"}]},
                          {"id": 2, "members": [{"name": "Cy"}], "tags": ["urgent", "minor"]}]}
    tables = {t.location: t for t in _tables(_read(doc))}
    assert set(tables) == {"$.households (2 records)", "$.households[*].members (3 records)"}
    assert [r["name"] for r in _rows(tables["$.households[*].members (3 records)"])] == ["Ann", "Bob", "Cy"]
    assert _rows(tables["$.households (2 records)"])[1] == {"id": "2", "members": "(1 records)",
                                                            "tags": "urgent; minor"}


def test_records_keyed_by_id() -> None:
    doc = {"A100": {"name": "Ann", "dob": "1990-01-01"}, "A200": {"name": "Bob", "dob": "1985-02-02"}}
    table = _tables(_read(doc))[0]
    assert table.header == ["(key)", "name", "dob"]
    assert _rows(table)[1] == {"(key)": "A200", "name": "Bob", "dob": "1985-02-02"}


def test_array_of_arrays_is_a_grid_with_its_header_row() -> None:
    doc = {"rows": [["name", "dob"], ["Ann", "1990-01-01"], ["Bob", "1985-02-02"]]}
    table = _tables(_read(doc))[0]
    assert table.header is None
    assert [list(r) for r in table.frame.iter_rows()][0] == ["name", "dob"]


def test_scalar_documents_are_text() -> None:
    assert [u.text for u in _read("Ann Example") if isinstance(u, Text)] == ["Ann Example"]
    assert [u.text for u in _read(["a", 1, None]) if isinstance(u, Text)] == ["[0]: a\n[1]: 1"]


def test_ndjson_records() -> None:
    people = _people(4)
    blob = "\n".join(json.dumps(p) for p in people).encode() + b"\n\n"
    table = _tables(_read(blob, "ndjson"))[0]
    assert table.n_rows == 4 and table.header[0] == "name"


def test_ndjson_bad_line_is_unreadable_with_its_line() -> None:
    blob = b'{"name": "Ann"}\n{"name": "Bob",,}\n{"name": "Cy"}\n'
    units = _read(blob, "ndjson")
    assert [u.location for u in units if isinstance(u, Unreadable)] == ["line 2, column 16"]
    assert _tables(units)[0].n_rows == 2


def test_ndjson_routed_by_sniff() -> None:
    blob = "\n".join(json.dumps(p) for p in _people(3)).encode()
    assert _tables(list(read_blob(blob, ReadContext(name="people.jsonl"))))[0].n_rows == 3


def test_malformed_json_reports_line_and_column() -> None:
    units = _read(b'{\n  "people": [\n    {"name": "Ann"\n  ]\n}')
    assert len(units) == 1 and isinstance(units[0], Unreadable)
    assert units[0].location == "line 4, column 3"
    assert "Ann" not in units[0].reason


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_encodings(encoding: str) -> None:
    blob = json.dumps([{"name": "José Müller"}, {"name": "Zoë"}], ensure_ascii=False).encode(encoding)
    assert _rows(_tables(_read(blob))[0])[0]["name"] == "José Müller"


def test_deep_nesting_is_a_limit() -> None:
    deep: object = "x"
    for _ in range(150):
        deep = {"k": deep}
    with pytest.raises(LimitExceeded, match="nested"):
        _read(deep)
    with pytest.raises(LimitExceeded, match="nested"):
        _read(b"[" * 100_000 + b"]" * 100_000)


def test_size_and_cell_limits() -> None:
    with pytest.raises(LimitExceeded, match="cells"):
        _read(_people(50), limits=Limits(max_cells=20))
    old = json_records.MAX_JSON_BYTES, json_records.MAX_PYTHON_JSON_BYTES
    json_records.MAX_JSON_BYTES, json_records.MAX_PYTHON_JSON_BYTES = 100_000, 100
    try:
        with pytest.raises(LimitExceeded, match="MB"):
            _read([{"n": i, "name": f"Person {i}"} for i in range(5000)])
        assert _tables(_read(_people(5)))[0].n_rows == 5  # a plain array of records: polars, the higher bound
        with pytest.raises(LimitExceeded, match="plain array"):
            _read({"data": _people(5)})
    finally:
        json_records.MAX_JSON_BYTES, json_records.MAX_PYTHON_JSON_BYTES = old


@pytest.mark.parametrize("blob", [b"", b"   ", b"\x00\xff\x00", b"{", b"[1,2", b'"unterminated', b"nul", b"{}", b"[]"])
def test_odd_input(blob: bytes) -> None:
    try:
        units = _read(blob)
    except LimitExceeded:
        return
    assert all(isinstance(u, Table | Text | Notice | Unreadable) for u in units)


@seed(20261123)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_json_only_raises_limit_exceeded(data: st.DataObject) -> None:
    blob = bytearray(json.dumps({"data": _people(4)}).encode())
    for _ in range(data.draw(st.integers(1, 6))):
        blob[data.draw(st.integers(0, len(blob) - 1))] = data.draw(st.sampled_from(b'{}[],:"\\ 0a\x00\xff'))
    fmt = data.draw(st.sampled_from(["json", "ndjson"]))
    try:
        units = _read(bytes(blob), fmt)
    except LimitExceeded:
        return
    assert all(isinstance(u, Table | Text | Notice | Unreadable) for u in units)


def test_roster_json_blocks() -> None:
    from veil.pipeline import check_bytes

    fake = Faker("en_US")
    fake.seed_instance(4)
    records = [{"name": fake.name(), "dob": fake.date_of_birth().isoformat(), "nationality": fake.country()}
               for _ in range(60)]
    result = check_bytes(json.dumps({"data": {"people": records}}).encode(), "people.json")
    assert result.verdict == "block"


@pytest.mark.parametrize("records", [
    _people(8),
    [{"a": 1, "b": True}, {"a": "x", "c": None}, {"a": 2.0, "b": False, "c": " "}],
    [{"id": 1, "tags": ["x", "y"], "geo": {"lat": 1.5}}, {"id": 2, "tags": [], "geo": {"lat": None}}],
], ids=["people", "mixed-types", "lists-and-structs"])
def test_fast_and_exact_paths_agree(records: list[dict]) -> None:
    fast = _tables(_read(records))[0]  # a top-level array: polars' JSON reader
    exact = _tables(_read({"wrapped": records}))[0]  # nested: Veil's own flattening
    assert fast.header == exact.header
    assert fast.frame.rows() == exact.frame.rows()
