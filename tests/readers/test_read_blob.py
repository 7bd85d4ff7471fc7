"""read_blob never lets a parser's failure out: it becomes an Unreadable unit (fail closed)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from veil.readers import registry
from veil.readers.units import Unreadable


class PanicException(BaseException):
    """Stands in for pyo3's PanicException, which Rust-backed parsers raise and which is not an Exception."""


def _reader_raising(exc: BaseException):  # type: ignore[no-untyped-def]
    def read(blob: bytes, ctx: registry.ReadContext) -> Iterator[object]:
        raise exc
        yield  # pragma: no cover

    return read


@pytest.mark.parametrize("exc", [PanicException("index out of bounds"), ValueError("x"), RecursionError(),
                                 MemoryError()])
def test_parser_failures_become_unreadable(monkeypatch: pytest.MonkeyPatch, exc: BaseException) -> None:
    monkeypatch.setattr(registry, "load_reader", lambda fmt: _reader_raising(exc))
    units = list(registry.read_blob(b"a,b\n1,2\n", registry.ReadContext(name="t.csv")))
    assert len(units) == 1 and isinstance(units[0], Unreadable)


def test_keyboard_interrupt_is_not_swallowed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(registry, "load_reader", lambda fmt: _reader_raising(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        list(registry.read_blob(b"a,b\n1,2\n", registry.ReadContext(name="t.csv")))


def test_encrypted_parquet_is_unreadable() -> None:
    units = list(registry.read_blob(b"PARE" + b"\x00" * 64 + b"PARE", registry.ReadContext(name="x.parquet")))
    assert len(units) == 1 and isinstance(units[0], Unreadable) and "encrypted" in units[0].reason
