"""Scans in child processes: one file cannot hold the queue or take the server's memory; every way a scan can go
wrong ends `unverifiable` with a reason, and the next file is scanned by a fresh child."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.gate import LEAKING
from support.sandbox_child import ENTRY
from veil.findings import Verdict
from veil.policy import load_policy
from veil.workflow.sandbox import SandboxScanner, ScanLimits, result_from_json, result_to_json

ROSTER = b"name,a_number,country\nJose Garcia,A123456789,Honduras\nMaria Lopez,A987654321,Guatemala\n" \
         b"Ana Diaz,A111222333,El Salvador\nLuis Perez,A222333444,Mexico\n"


@pytest.fixture(scope="module")
def scanner() -> Iterator[SandboxScanner]:
    sandboxed = SandboxScanner(load_policy(), ScanLimits(seconds=3, grace=2, memory_bytes=3 << 30))
    sandboxed.entry = ENTRY
    yield sandboxed
    sandboxed.close()


def test_a_real_check_runs_in_the_child_and_comes_back_whole(scanner: SandboxScanner) -> None:
    result = scanner(ROSTER, "roster.csv")
    assert result.verdict is Verdict.BLOCK and result.persons == 4
    assert result.findings and all(f.message for f in result.findings)
    assert scanner(b"Quarterly statistics: 1,204 applications.\n", "stats.txt").verdict is Verdict.PASS
    assert scanner.pids() and os.getpid() not in scanner.pids()


def test_a_scan_stuck_in_native_code_is_killed_at_the_deadline(scanner: SandboxScanner) -> None:
    started = time.monotonic()
    result = scanner(b"anything", "hang.csv")
    assert time.monotonic() - started < 3 + 2 + 3
    assert result.verdict is Verdict.UNVERIFIABLE
    assert "took longer than 3 s and was stopped" in result.findings[0].message
    assert scanner(ROSTER, "roster.csv").verdict is Verdict.BLOCK  # a fresh child takes the next file


def test_a_detector_that_never_returns_is_stopped_by_the_checks_own_budget(scanner: SandboxScanner) -> None:
    started = time.monotonic()
    result = scanner(b"a,b\n1,2\n", "spin.csv")
    assert time.monotonic() - started < 3 + 2
    assert result.verdict is Verdict.UNVERIFIABLE
    assert "longer than its 3 s budget" in result.findings[0].message


def test_a_check_that_eats_memory_is_stopped() -> None:
    sandboxed = SandboxScanner(load_policy(), ScanLimits(seconds=20, memory_bytes=2 << 30))
    sandboxed.entry = ENTRY
    try:
        result = sandboxed(b"a,b\n1,2\n", "hog.csv")
        assert result.verdict is Verdict.UNVERIFIABLE
        assert "memory" in result.findings[0].message
        assert sandboxed(ROSTER, "roster.csv").verdict is Verdict.BLOCK
    finally:
        sandboxed.close()


def test_a_crashing_child_fails_its_file_closed(scanner: SandboxScanner) -> None:
    result = scanner(b"a,b\n1,2\n", "abort.csv")
    assert result.verdict is Verdict.UNVERIFIABLE
    assert "crashed" in result.findings[0].message
    assert scanner(ROSTER, "roster.csv").verdict is Verdict.BLOCK


def test_results_cross_as_json_and_keep_what_the_gate_stores() -> None:
    from veil.pipeline import check_bytes

    result = check_bytes(LEAKING, "notes.txt")
    back = result_from_json(result_to_json(result))
    assert (back.verdict, back.persons, back.sha256, back.format) == \
           (result.verdict, result.persons, result.sha256, result.format)
    assert [(f.kind, f.location, f.message, f.samples) for f in back.findings] == \
           [(f.kind, f.location, f.message, f.samples) for f in result.findings]


def test_closing_the_scanner_ends_its_children() -> None:
    sandboxed = SandboxScanner(load_policy(), ScanLimits(seconds=5))
    assert sandboxed(ROSTER, "roster.csv").verdict is Verdict.BLOCK
    pids = sandboxed.pids()
    sandboxed.close()
    assert pids and not any(_alive(pid) for pid in pids)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat", encoding="ascii") as fh:
        return fh.read().split(")")[-1].split()[0] != "Z"


def test_a_50_mb_one_line_csv_stays_within_the_memory_limit() -> None:
    """Whatever the readers and detectors do with it, the scan ends and its process never holds more than the
    limit: the server's memory is not at stake."""
    blob = b"a," * 25_000_000 + b"a\n"
    limit = 1536 << 20
    sandboxed = SandboxScanner(load_policy(), ScanLimits(seconds=60, memory_bytes=limit))
    peak = [0]
    done = threading.Event()

    def watch() -> None:  # the child's own high-water mark, read while it works
        while not done.wait(0.05):
            for pid in sandboxed.pids():
                try:
                    status = Path(f"/proc/{pid}/status").read_text()
                except OSError:
                    continue
                if "VmHWM:" in status:  # absent once the child is a zombie
                    peak[0] = max(peak[0], int(status.split("VmHWM:")[1].split()[0]) * 1024)

    watcher = threading.Thread(target=watch)
    watcher.start()
    started = time.monotonic()
    try:
        result = sandboxed(blob, "wide.csv")
    finally:
        done.set()
        watcher.join()
        sandboxed.close()
    assert time.monotonic() - started < 60 + 15 + 5
    assert result.verdict in (Verdict.PASS, Verdict.UNVERIFIABLE)  # no people in it: pass once read in full
    assert 0 < peak[0] <= limit
