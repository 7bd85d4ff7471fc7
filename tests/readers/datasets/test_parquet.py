"""Parquet reader: schema as header, every type as text, nested columns, sampling, corrupt input."""

from __future__ import annotations

import datetime as dt
import io

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from faker import Faker
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from veil.readers.datasets import parquet
from veil.readers.limits import Budget, LimitExceeded, Limits
from veil.readers.registry import ReadContext, read_blob
from veil.readers.units import Notice, Table, Text, Unreadable, Visibility


def _people_table(n: int = 6, seed_: int = 31, metadata: dict | None = None) -> pa.Table:
    fake = Faker("en_US")
    fake.seed_instance(seed_)
    return pa.table(
        {
            "name": [fake.name() for _ in range(n)],
            "dob": [fake.date_of_birth() for _ in range(n)],
            "a_number": [float(fake.random_number(9, True)) for _ in range(n)],
            "address": [{"city": fake.city(), "geo": {"lat": 1.5, "lon": 2.0}} for _ in range(n)],
            "aliases": [[fake.first_name(), fake.first_name()] for _ in range(n)],
            "visits": [[{"date": "2024-01-01", "site": "North"}] for _ in range(n)],
            "flag": [i % 2 == 0 for i in range(n)],
        },
        metadata=metadata,
    )


def _blob(table: pa.Table, **kwargs: object) -> bytes:
    out = io.BytesIO()
    pq.write_table(table, out, **kwargs)
    return out.getvalue()


def _read(blob: bytes, limits: Limits | None = None) -> list:
    return list(parquet.read(blob, ReadContext(name="x.parquet", budget=Budget(limits=limits or Limits()))))


def _table(units: list) -> Table:
    return next(u for u in units if isinstance(u, Table))


def test_schema_is_header_and_nested_fields_are_flattened() -> None:
    source = _people_table()
    table = _table(_read(_blob(source)))
    assert table.header == [
        "name",
        "dob",
        "a_number",
        "address.city",
        "address.geo.lat",
        "address.geo.lon",
        "aliases",
        "visits",
        "flag",
    ]
    assert table.n_rows == 6 and table.total_rows is None
    first = dict(zip(table.header, table.frame.row(0), strict=True))
    assert first["name"] == source["name"][0].as_py()
    assert first["dob"] == source["dob"][0].as_py().isoformat()
    assert first["a_number"] == str(int(source["a_number"][0].as_py()))  # whole floats lose ".0"
    assert first["aliases"] == "; ".join(source["aliases"][0].as_py())
    assert first["visits"] == '[{"date":"2024-01-01","site":"North"}]'
    assert first["address.geo.lat"] == "1.5"
    assert first["flag"] == "TRUE"
    assert all(dtype == pl.String for dtype in table.frame.dtypes)


def test_non_utf8_binary_is_decoded_with_a_notice() -> None:
    source = pa.table({"name": pa.array([b"Jos\xe9 M\xfcller", b"Ann"], pa.binary())})
    units = _read(_blob(source))
    assert _table(units).frame.row(0) == ("José Müller",)
    assert any(isinstance(u, Notice) and "cp1252" in u.message for u in units)


def test_footer_metadata_is_text() -> None:
    units = _read(_blob(_people_table(metadata={"prepared_by": "Jane Example"})))
    texts = [u for u in units if isinstance(u, Text)]
    assert texts and texts[0].visibility is Visibility.METADATA and "Jane Example" in texts[0].text


def test_large_file_is_sampled_and_says_so() -> None:
    source = pa.table({"id": list(range(5000)), "name": [f"P{i}" for i in range(5000)]})
    units = _read(_blob(source, row_group_size=1000), Limits(max_cells=2000))
    table = _table(units)
    assert table.n_rows == 1000 and table.total_rows == 5000
    assert any(isinstance(u, Notice) and "sample" in u.message for u in units)


def test_many_row_groups_are_all_read() -> None:
    source = pa.table({"id": list(range(3000))})
    table = _table(_read(_blob(source, row_group_size=100)))
    assert table.n_rows == 3000 and table.frame.row(2999) == ("2999",)


def test_empty_table_keeps_its_header() -> None:
    source = pa.table({"name": pa.array([], pa.string()), "day": pa.array([], pa.date32())})
    table = _table(_read(_blob(source)))
    assert table.header == ["name", "day"] and table.n_rows == 0


def test_through_read_blob() -> None:
    units = list(read_blob(_blob(_people_table()), ReadContext(name="people.parquet")))
    assert isinstance(units[0], Table) and units[0].location == "rows 1-6 (parquet, 9 columns)"


def test_dates_and_times() -> None:
    source = pa.table({"when": [dt.datetime(2024, 5, 1, 12, 30)], "day": [dt.date(1990, 1, 2)]})
    assert _table(_read(_blob(source))).frame.row(0)[1] == "1990-01-02"


@pytest.mark.parametrize("damage", ["truncated", "footer", "garbage", "magic-only"])
def test_corrupt_files_raise_one_line_limit(damage: str) -> None:
    good = _blob(_people_table())
    blob = {
        "truncated": good[: len(good) // 2],
        "footer": good[:-12] + b"\x00" * 8 + good[-4:],
        "garbage": b"PAR1" + bytes(range(256)) * 4,
        "magic-only": b"PAR1PAR1",
    }[damage]
    with pytest.raises(LimitExceeded) as info:
        _read(blob)
    assert "\n" not in str(info.value)
    assert any(isinstance(u, Unreadable) for u in read_blob(blob, ReadContext(name="x.parquet")))


@seed(20261123)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_parquet_only_raises_limit_exceeded(data: st.DataObject) -> None:
    blob = bytearray(_FIXTURE)
    for _ in range(data.draw(st.integers(1, 6))):
        blob[data.draw(st.integers(0, len(blob) - 1))] = data.draw(st.integers(0, 255))
    try:
        units = _read(bytes(blob))
    except LimitExceeded:
        return
    assert all(isinstance(u, Table | Text | Notice) for u in units)


_FIXTURE = _blob(_people_table(4))


def test_roster_parquet_blocks() -> None:
    from veil.pipeline import check_bytes

    assert check_bytes(_blob(_people_table(60)), "people.parquet").verdict == "block"


def test_a_text_column_with_bytes_that_are_not_utf8_is_read_leniently_and_unreadable(capfd) -> None:  # type: ignore[no-untyped-def]
    """A flipped byte in an uncompressed page: the parquet readers do not check a string column's bytes and polars
    panicked later, in a detector. The column's values are decoded leniently and checked, the column Unreadable."""
    from support.mutations import roster
    from veil.pipeline import check_bytes

    rows = roster(31)
    table = pa.table({h: [r[i] for r in rows[1:]] for i, h in enumerate(rows[0])})
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="none", use_dictionary=False)
    blob = bytearray(buf.getvalue())
    first = rows[1][0].encode()
    at = bytes(blob).find(first)
    blob[at + 2] = 0xFF  # inside the first person's surname
    units = list(read_blob(bytes(blob), ReadContext(name="d.parquet")))
    bad = [u for u in units if isinstance(u, Unreadable)]
    assert bad and "not UTF-8" in bad[0].reason and "'Name'" in bad[0].location
    assert check_bytes(bytes(blob), "d.parquet").verdict.value == "block"  # the other people are still found
    assert "panicked" not in capfd.readouterr().err
