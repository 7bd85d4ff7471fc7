"""KeySeries: a table's person keys stay in polars, yet behave as the set a finding carries."""

from __future__ import annotations

import pickle

import polars as pl

from veil.detectors.key_series import KeySeries


def test_counts_distinct_keys_without_building_a_python_set() -> None:
    keys = KeySeries(pl.Series([3, 1, 3, 2, 1], dtype=pl.UInt64))
    assert len(keys) == 3
    assert "_members" not in vars(keys)  # the count came from polars
    assert sorted(keys) == [1, 2, 3]
    assert 2 in keys and 4 not in keys


def test_set_operations_give_plain_frozensets() -> None:
    keys = KeySeries(pl.Series([1, 2, 3], dtype=pl.UInt64))
    assert keys - {2} == frozenset({1, 3})
    assert isinstance(keys - {2}, frozenset)
    assert frozenset().union(keys, {"text-key"}) == frozenset({1, 2, 3, "text-key"})
    assert keys == frozenset({1, 2, 3})


def test_empty_is_false_and_pickles_for_worker_processes() -> None:
    assert not KeySeries(pl.Series([], dtype=pl.UInt64))
    keys = pickle.loads(pickle.dumps(KeySeries(pl.Series([5, 5, 6], dtype=pl.UInt64))))
    assert len(keys) == 2 and set(keys) == {5, 6}
