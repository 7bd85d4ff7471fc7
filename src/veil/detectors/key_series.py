"""The person keys of a table, left in polars until someone needs them as Python values.

A finding carries the keys of the people it discloses so that a file's distinct people can be counted across
findings. For a million-row roster, turning the keys into a Python set cost more than reading the file; usually the
count is all that is asked, and polars gives it at once."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Set
from functools import cached_property
from typing import TypeVar

import polars as pl

_S = TypeVar("_S")


class KeySeries(Set[int]):
    """A read-only set of the 64-bit person keys in a polars Series (duplicates and order do not matter)."""

    def __init__(self, keys: pl.Series) -> None:
        self._keys = keys

    @cached_property
    def _count(self) -> int:
        return self._keys.n_unique()

    @cached_property
    def _members(self) -> frozenset[int]:
        return frozenset(self._keys.to_list())

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[int]:
        return iter(self._members)

    def __contains__(self, key: object) -> bool:
        return key in self._members

    @classmethod
    def _from_iterable(cls, it: Iterable[_S]) -> frozenset[_S]:
        # What set operators (-, &, |) build: a plain frozenset, not another Series.
        return frozenset(it)
