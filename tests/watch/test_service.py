"""The sweeper inside the gate: publication records, takedown into quarantine, incidents, audit, alerts, and the
scheduler (after a publication, on its interval)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from sqlalchemy import select

from support.watch import BACKENDS, BENIGN, LEAKING, Receivers, publish_files
from veil.errors import UsageError
from veil.policy import load_policy
from veil.store.models_incident import IrExposedFile, IrIncident
from veil.store.models_releases import Publication
from veil.store.models_watch import SweepRun
from veil.watch.alerts import AlertSettings
from veil.watch.scheduler import SweepScheduler
from veil.watch.service import WatchConfig, WatchService
from veil.watch.takedown import Quarantine
from veil.workflow import audit
from veil.workflow.gate import Gate

CONTACT_TEXT = b"For press enquiries contact the press office at press@agency.gov or 202-555-0143.\n"


def _service(gate: Gate, receivers: Receivers | None = None, real_checker: bool = False) -> WatchService:
    settings = AlertSettings()
    if receivers is not None:
        settings = AlertSettings(smtp_host="127.0.0.1", smtp_port=receivers.smtp_port, mail_to=("ir@example.org",),
                                 webhook_url=receivers.webhook_url, timeout=5)
    return WatchService(gate, WatchConfig(alerts=settings), scanner=None if real_checker else gate.scanner)


@pytest.mark.parametrize("gate", BACKENDS, indirect=True)
def test_an_unapproved_file_dropped_into_the_public_tree_is_taken_down(gate: Gate, receivers: Receivers) -> None:
    public = Path(gate.site.root)  # type: ignore[attr-defined]
    publish_files(gate, {"stats.txt": BENIGN})
    (public / "stats/2024/roster.txt").write_bytes(LEAKING)
    service = _service(gate, receivers)
    outcome = service.sweep(trigger="schedule")
    [action] = outcome.actions
    assert action.item.path == "stats/2024/roster.txt" and action.item.reasons == ("never-approved", "block")
    assert action.quarantined is not None and not (public / "stats/2024/roster.txt").exists()
    assert (public / "stats/2024/stats.txt").exists()  # the approved file stays up
    assert LEAKING not in Path(action.quarantined.quarantine_path).read_bytes()  # sealed at rest
    assert service.quarantine.read(action.quarantined.sha256) == LEAKING
    with gate.db.read() as s:
        incident = s.scalars(select(IrIncident)).one()
        exposed = s.scalars(select(IrExposedFile)).one()
        assert incident.opened_by == "takedown" and exposed.incident_id == incident.id
        assert exposed.location == "stats/2024/roster.txt" and exposed.exposure_start_source == "first-seen"
        assert exposed.exposure_end is not None and exposed.exposure_start <= exposed.exposure_end
        assert exposed.sha256 == action.quarantined.sha256 and exposed.quarantine_path
        events = [e.event for e in audit.page(s, 0, 10)]
        assert "takedown" in events and "sweep-finding" in events
        assert audit.verify(s).ok
        assert s.scalars(select(SweepRun)).one().taken_down == 1
    assert outcome.alert_failures == []
    assert len(receivers.mails) == 1 and "stats/2024/roster.txt" in receivers.mails[0]
    assert "TAKEN DOWN" in receivers.mails[0] and "GARCIA" not in receivers.mails[0]
    [hook] = receivers.hooks
    assert hook["files"][0]["taken_down"] is True and hook["files"][0]["incident_id"] == incident.id  # type: ignore[index]
    # Nothing left to find; nothing alerted twice.
    assert service.sweep().actions == [] and len(receivers.mails) == 1
    service.close()


def test_an_approved_file_whose_bytes_were_replaced_is_found(gate: Gate) -> None:
    public = Path(gate.site.root)  # type: ignore[attr-defined]
    [path] = publish_files(gate, {"stats.txt": BENIGN})
    service = _service(gate)
    assert service.sweep().actions == []
    (public / path).write_bytes(b"Quarterly statistics: figures edited after approval.\n")
    [action] = service.sweep().actions
    assert action.item.reasons == ("bytes-differ",) and action.quarantined is None  # default: alert, no takedown
    assert action.item.approval.approved_sha256 is not None
    service.close()


def test_policy_can_take_down_replaced_bytes_and_the_publication_is_withdrawn(gate: Gate, tmp_path: Path) -> None:
    public = Path(gate.site.root)  # type: ignore[attr-defined]
    [path] = publish_files(gate, {"stats.txt": BENIGN})
    policy_file = tmp_path / "p.yaml"
    policy_file.write_text("sweep:\n  takedown: [block, unverifiable, bytes-differ]\n")
    gate.policy = load_policy(policy_file)
    (public / path).write_bytes(b"replaced\n")
    [action] = _service(gate).sweep().actions
    assert action.quarantined is not None
    with gate.db.read() as s:
        assert s.scalars(select(Publication)).one().withdrawn is not None
        exposed = s.scalars(select(IrExposedFile)).one()
        # The replaced bytes were never published: their exposure starts at their first sighting.
        assert exposed.publication_id is None and exposed.exposure_start_source == "first-seen"


def test_a_file_that_passed_under_the_old_policy_is_found_under_a_stricter_one(gate: Gate, tmp_path: Path) -> None:
    """The real checker: contact details are a note by default and a block under the stricter policy."""
    public = Path(gate.site.root)  # type: ignore[attr-defined]
    [path] = publish_files(gate, {"press.txt": CONTACT_TEXT})
    service = _service(gate, real_checker=True)
    assert service.sweep().actions == []
    strict = tmp_path / "strict.yaml"
    strict.write_text("verdicts:\n  contact-details: block\n")
    gate.policy = load_policy(strict)
    [action] = service.sweep().actions
    assert action.item.reasons == ("block",) and action.quarantined is not None
    assert not (public / path).exists()
    with gate.db.read() as s:
        exposed = s.scalars(select(IrExposedFile)).one()
        published = s.scalars(select(Publication)).one().published
    assert exposed.exposure_start_source == "publication" and exposed.exposure_start == published
    assert exposed.publication_id is not None
    service.close()


def test_the_scheduler_sweeps_after_a_publication_and_on_its_interval(gate: Gate) -> None:
    public = Path(gate.site.root)  # type: ignore[attr-defined]
    service = _service(gate)
    scheduler = SweepScheduler(service, interval=3600, poll=0.05)
    scheduler.start()
    try:
        _wait(lambda: scheduler.runs >= 1)  # the start-up sweep
        (public / "dropped.txt").write_bytes(LEAKING)
        publish_files(gate, {"stats.txt": BENIGN})
        _wait(lambda: not (public / "dropped.txt").exists())
    finally:
        scheduler.stop()
    with gate.db.read() as s:
        assert "publication" in [r.trigger for r in s.scalars(select(SweepRun))]
    fast = SweepScheduler(service, interval=0.2, poll=0.05)
    fast.start()
    try:
        (public / "again.txt").write_bytes(LEAKING)
        _wait(lambda: not (public / "again.txt").exists())
    finally:
        fast.stop()
    service.close()


def test_settings_are_checked(gate: Gate, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="at least 30"):
        WatchConfig(interval=5)
    config = WatchConfig.from_env({"VEIL_SWEEP_INTERVAL": "30", "VEIL_ALERT_SMTP": "mail.local:2525",
                                   "VEIL_ALERT_TO": "a@x.org, b@x.org", "VEIL_ALERT_WEBHOOK": "http://h/x"})
    assert config.interval == 30 and config.alerts.smtp_port == 2525 and config.alerts.mail_to == ("a@x.org", "b@x.org")
    with pytest.raises(UsageError):
        WatchConfig.from_env({"VEIL_SWEEP_INTERVAL": "soon"})
    with pytest.raises(UsageError, match="outside the public tree"):
        Quarantine(tmp_path / "public" / "q", tmp_path / "public")


def test_a_dead_alert_channel_does_not_stop_the_takedown(gate: Gate) -> None:
    public = Path(gate.site.root)  # type: ignore[attr-defined]
    (public / "leak.txt").write_bytes(LEAKING)
    settings = AlertSettings(smtp_host="127.0.0.1", smtp_port=1, mail_to=("x@y.org",), webhook_url="http://127.0.0.1:1/",
                             timeout=2)
    outcome = WatchService(gate, WatchConfig(alerts=settings), scanner=gate.scanner).sweep()
    assert not (public / "leak.txt").exists()
    assert sorted(f.split(":")[0] for f in outcome.alert_failures) == ["e-mail", "webhook"]


def _wait(condition, seconds: float = 20.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_an_unlistable_folder_is_alerted_not_taken_down(gate: Gate, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    public = Path(gate.site.root)  # type: ignore[attr-defined]
    (public / "locked").mkdir()
    real = os.scandir

    def scandir(path):  # type: ignore[no-untyped-def]
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    [action] = _service(gate).sweep().actions
    assert action.item.path == "locked" and action.item.reasons == ("unverifiable",)
    assert action.quarantined is None and action.error == "" and (public / "locked").is_dir()


def test_a_file_met_while_the_gate_is_publishing_it_is_not_flagged(gate: Gate, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sweep lists the file before the publication record commits; the records are asked again before acting."""
    from veil.watch import service as service_module

    public = Path(gate.site.root)  # type: ignore[attr-defined]
    (public / "stats/2024").mkdir(parents=True)
    (public / "stats/2024/stats.txt").write_bytes(BENIGN)  # written by the publisher, record not yet committed
    real_sweep = service_module.sweep_directory

    def sweep_then_commit(*args, **kwargs):  # type: ignore[no-untyped-def]
        report = real_sweep(*args, **kwargs)
        assert [i.reasons for i in report.flagged] == [("never-approved",)]
        (public / "stats/2024/stats.txt").unlink()
        publish_files(gate, {"stats.txt": BENIGN})  # the record commits while the sweep is still running
        return report

    monkeypatch.setattr(service_module, "sweep_directory", sweep_then_commit)
    assert _service(gate).sweep().actions == []


def test_the_scheduler_outlives_a_failed_sweep(gate: Gate) -> None:
    service = _service(gate)
    calls: list[str] = []

    def flaky(trigger: str = "manual", only: object = None) -> None:
        calls.append(trigger)
        if len(calls) == 1:
            raise RuntimeError("disk vanished")

    service.sweep = flaky  # type: ignore[method-assign, assignment]
    scheduler = SweepScheduler(service, interval=0.1, poll=0.02)
    scheduler.start()
    try:
        _wait(lambda: len(calls) >= 2)
        assert scheduler.last_error in ("RuntimeError", "")
        scheduler.trigger("report")
        _wait(lambda: "report" in calls)
    finally:
        scheduler.stop()
    assert scheduler.runs >= 1
