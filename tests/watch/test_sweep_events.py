"""The first signal within a minute: file-system events sweep the changed paths at once (debounced), the interval's
full sweep stays the safety net. With the default settings a leaking file dropped behind the gate comes down in
seconds, well under 60 s."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from support.watch import LEAKING, publish_under_override
from veil.errors import UsageError
from veil.store.models_watch import SweepRun
from veil.watch.fsevents import EventSettings, TreeWatcher
from veil.watch.scheduler import SweepScheduler
from veil.watch.service import WatchConfig, WatchService
from veil.web.app import create_app
from veil.workflow.gate import Gate

FAST = EventSettings(settle=0.2, max_wait=2.0)


def _wait(condition: Callable[[], bool], seconds: float = 30.0) -> float:
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > seconds:
            raise AssertionError("timed out")
        time.sleep(0.05)
    return time.monotonic() - start


def test_the_watcher_reports_every_changed_path_whatever_its_name(tmp_path: Path) -> None:
    seen: list[set[str]] = []
    lock = threading.Lock()

    def collect(paths: set[str]) -> None:
        with lock:
            seen.append(paths)

    watcher = TreeWatcher(tmp_path, collect, FAST)
    watcher.start()
    try:
        assert watcher.ready.wait(10)
        (tmp_path / ".well-known").mkdir()
        (tmp_path / ".well-known" / "roster.csv").write_bytes(b"x")
        (tmp_path / ".veil-tmp-abc").write_bytes(b"x")
        (tmp_path / "notes.swp").write_bytes(b"x")  # editors' swap-file names are not ignored either

        def all_seen() -> bool:
            with lock:
                union = set().union(*seen) if seen else set()
            # a file created in a new folder may come as the folder itself: a sweep of a folder walks it
            return {".veil-tmp-abc", "notes.swp"} <= union and bool({".well-known", ".well-known/roster.csv"} & union)

        _wait(all_seen, 10)
    finally:
        watcher.stop()


def test_a_dropped_file_is_swept_at_once_and_only_the_changed_paths(gate: Gate) -> None:
    public = Path(gate.site.root)  # type: ignore[attr-defined]
    (public / "old.txt").write_bytes(b"an old file\n")
    service = WatchService(gate, WatchConfig(interval=3600), scanner=gate.scanner)
    scheduler = SweepScheduler(service, poll=0.05, events=FAST)
    scheduler.start()
    try:
        _wait(lambda: scheduler.runs >= 1 and scheduler.watcher is not None and scheduler.watcher.ready.is_set())
        (public / "stats").mkdir()
        (public / "stats" / "roster.txt").write_bytes(LEAKING)
        took = _wait(lambda: not (public / "stats" / "roster.txt").exists())
        _wait(lambda: scheduler.event_runs >= 1)  # the run is counted once the sweep has recorded it
        assert took < 10
    finally:
        scheduler.stop()
        service.close()
    with gate.db.read() as s:
        runs = list(s.scalars(select(SweepRun).order_by(SweepRun.id)))
    assert [(r.trigger, r.files, r.taken_down) for r in runs] == [("schedule", 1, 0), ("file-change", 1, 1)]
    # a targeted sweep: the new file only, not the whole tree; the takedown's own move sweeps nothing


def test_with_events_off_only_the_interval_sweeps(gate: Gate) -> None:
    service = WatchService(gate, WatchConfig(interval=3600), scanner=gate.scanner)
    scheduler = SweepScheduler(service, poll=0.05, events=EventSettings(enabled=False))
    assert scheduler.watcher is None
    service.close()


def test_event_settings_come_from_the_environment() -> None:
    assert EventSettings.from_env({}) == EventSettings(enabled=True, settle=2.0, max_wait=10.0)
    assert EventSettings.from_env({"VEIL_SWEEP_EVENTS": "0"}).enabled is False
    assert EventSettings.from_env({"VEIL_SWEEP_SETTLE": "0.5"}).settle == 0.5
    with pytest.raises(UsageError, match="seconds"):
        EventSettings.from_env({"VEIL_SWEEP_SETTLE": "soon"})
    with pytest.raises(UsageError, match="between"):
        EventSettings.from_env({"VEIL_SWEEP_SETTLE": "0"})


def test_the_served_sweeper_takes_a_dropped_file_down_in_seconds_with_the_defaults(
        gate: Gate, monkeypatch: pytest.MonkeyPatch) -> None:
    """The app as `veil serve` builds it (scheduler on, default interval 300 s, default settle), in process."""
    for name in ("VEIL_SWEEP_EVENTS", "VEIL_SWEEP_SETTLE", "VEIL_SWEEP_INTERVAL"):
        monkeypatch.delenv(name, raising=False)
    public = Path(gate.site.root)  # type: ignore[attr-defined]
    service = WatchService(gate, WatchConfig(), scanner=gate.scanner)
    app = create_app(gate, start_worker=False, watch=service, schedule_sweeps=True)
    with TestClient(app):
        scheduler: SweepScheduler = app.state.sweep_scheduler
        assert scheduler.interval == 300 and scheduler.events == EventSettings()
        _wait(lambda: scheduler.runs >= 1 and scheduler.watcher is not None and scheduler.watcher.ready.is_set())
        (public / "detention-statistics.txt").write_bytes(LEAKING)
        took = _wait(lambda: not (public / "detention-statistics.txt").exists(), 60)
    service.close()
    assert took < 60


def test_files_the_gate_publishes_are_not_taken_down_by_the_event_sweep(gate: Gate) -> None:
    """The gate renames a file in a moment before it commits the publication record: the event sweep settles first
    and reads the records again, so even a blocked file published under two officials' override stays up."""
    public = Path(gate.site.root)  # type: ignore[attr-defined]
    service = WatchService(gate, WatchConfig(interval=3600), scanner=gate.scanner)
    scheduler = SweepScheduler(service, poll=0.05, events=FAST)
    scheduler.start()
    try:
        _wait(lambda: scheduler.runs >= 1 and scheduler.watcher is not None and scheduler.watcher.ready.is_set())
        publish_under_override(gate)
        _wait(lambda: scheduler.event_runs >= 1)
        time.sleep(1.0)
    finally:
        scheduler.stop()
        service.close()
    assert (public / "stats/2022/detention.txt").exists() and (public / "stats/2022/summary.txt").exists()
    with gate.db.read() as s:
        assert all(r.taken_down == 0 for r in s.scalars(select(SweepRun)))
