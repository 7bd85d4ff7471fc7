"""One time and memory budget over the whole check, readers AND detectors: whatever a detector does, the check
ends `unverifiable` with the reason instead of hanging or eating the machine."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from typing import Any

import pytest

from veil import pipeline
from veil.findings import Verdict
from veil.readers.limits import Budget, LimitExceeded, Limits


def _spin(units: Iterable[Any], policy: Any) -> Any:
    list(units)
    while True:
        pass


def test_a_detector_that_never_returns_makes_the_file_unverifiable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "analyse", _spin)
    started = time.monotonic()
    result = pipeline.check_bytes(b"name,id\nx,1\n", "a.csv", limits=Limits(seconds=0.5))
    assert time.monotonic() - started < 2.5
    assert result.verdict is Verdict.UNVERIFIABLE
    assert result.findings[0].message == "Veil stopped checking this file: the check took longer than its 0.5 s budget"


def test_a_detector_that_eats_memory_makes_the_file_unverifiable(monkeypatch: pytest.MonkeyPatch) -> None:
    def hog(units: Iterable[Any], policy: Any) -> Any:
        hoard = []
        while True:
            hoard.append(bytearray(32 << 20))

    monkeypatch.setattr(pipeline, "analyse", hog)
    result = pipeline.check_bytes(b"a,b\n1,2\n", "a.csv", limits=Limits(seconds=60, max_memory_bytes=256 << 20))
    assert result.verdict is Verdict.UNVERIFIABLE
    assert "more than its 256 MB memory budget" in result.findings[0].message


def test_code_that_swallows_the_stop_still_ends_unverifiable(monkeypatch: pytest.MonkeyPatch) -> None:
    """Some readers catch BaseException (polars panics are one): the watchdog fires again, and whatever they return
    after the budget ran out does not count as a complete read."""
    def stubborn(units: Iterable[Any], policy: Any) -> Any:
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline:
            try:
                while True:
                    pass
            except BaseException:  # noqa: BLE001 - this is the misbehaviour under test
                continue
        return []

    monkeypatch.setattr(pipeline, "analyse", stubborn)
    result = pipeline.check_bytes(b"a,b\n1,2\n", "a.csv", limits=Limits(seconds=0.2))
    assert result.verdict is Verdict.UNVERIFIABLE


def test_no_stop_lands_after_the_check_returned() -> None:
    """The watchdog is finished before check_bytes returns: the caller's code is never interrupted later."""
    for _ in range(200):
        budget = Budget(Limits(seconds=0.001))
        try:
            budget.enforce(lambda: sum(range(20_000)))
        except LimitExceeded:
            pass
    time.sleep(1.5)  # a stray shot would land here and fail the test
    assert threading.active_count() < 10


def test_an_ordinary_check_is_unchanged() -> None:
    result = pipeline.check_bytes(b"name,a_number\nJose Garcia,A123456789\nMaria Lopez,A987654321\n"
                                  b"Ana Diaz,A111222333\n", "roster.csv")
    assert result.verdict is Verdict.BLOCK
