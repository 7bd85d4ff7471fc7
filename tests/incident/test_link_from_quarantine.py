"""A file the sweeper took down is linked from its sealed quarantine copy: `veil sweep --takedown` moves the file
out of the public tree and opens the incident, and `veil incident link` finds its people with no copy of the file
anywhere else (response.exposed_copy opens the sealed copy into a private temporary file, removed after)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from faker import Faker
from typer.testing import CliRunner

from support.watch import publish_files
from veil.cli import app
from veil.workflow import accounts
from veil.workflow.gate import Gate

runner = CliRunner()


def _people(n: int) -> list[tuple[str, str, str, str]]:
    fake = Faker("es_MX")
    fake.seed_instance(11)
    return [
        (
            f"P{i:05d}",
            fake.first_name(),
            fake.last_name(),
            fake.date_of_birth(minimum_age=18, maximum_age=70).isoformat(),
        )
        for i in range(n)
    ]


def test_sweep_takedown_then_link_from_the_sealed_copy(tmp_path: Path) -> None:
    data = tmp_path / "data"
    gate = Gate.open(data)
    try:
        with gate.db.write() as s:
            for name, roles in {
                "alice": ["submitter"],
                "bob": ["reviewer"],
                "carol": ["reviewer"],
                "paul": ["publisher"],
            }.items():
                accounts.create_user(s, name, "correct horse battery", roles, actor="setup")
        publish_files(gate, {"stats.txt": b"Quarterly statistics: 1,204 applications received.\n"})
        public = Path(gate.site.root)  # type: ignore[attr-defined]
    finally:
        gate.close()
    people = _people(40)
    leaked = people[:12]
    leak = (
        "Name,Date of birth,A-Number,Status\n"
        + "".join(
            f'"{sur}, {given}",{dob},A{100000000 + int(pid[1:]):09d},asylum pending\n'
            for pid, given, sur, dob in leaked
        )
    ).encode()
    (public / "detainees.csv").write_bytes(leak)
    roster = tmp_path / "roster.csv"
    roster.write_text(
        "Person ID,Given names,Surname,Date of birth,A-Number\n"
        + "".join(f"{pid},{given},{sur},{dob},{100000000 + int(pid[1:]):09d}\n" for pid, given, sur, dob in people),
        encoding="utf-8",
    )

    swept = runner.invoke(app, ["sweep", str(public), "--takedown", "--data-dir", str(data), "--format", "json"])
    assert swept.exit_code == 1, swept.output
    [action] = json.loads(swept.stdout)["takedowns"]
    assert action["taken_down"] and not (public / "detainees.csv").exists()
    sealed = data / "quarantine" / f"{hashlib.sha256(leak).hexdigest()}.sealed"
    assert sealed.is_file() and b"asylum" not in sealed.read_bytes()

    shm = Path("/dev/shm")
    before = set(shm.glob("veil-exposed-*")) if shm.is_dir() else set()
    incident = str(action["incident_id"])
    shown = runner.invoke(app, ["incident", "show", incident, "--data-dir", str(data), "--format", "json"])
    assert shown.exit_code in (0, 1), shown.output
    linked = runner.invoke(
        app,
        [
            "incident",
            "link",
            incident,
            str(roster),
            "--roster-id",
            "Person ID",
            "--data-dir",
            str(data),
            "--format",
            "json",
        ],
    )
    assert linked.exit_code == 0, linked.output
    doc = json.loads(linked.stdout)
    assert doc["accepted"] == 12 and doc["review"] == 0 and doc["none"] == 0
    assert all(f"{sur}, {given}" not in linked.output for _, given, sur, _ in leaked)
    assert (set(shm.glob("veil-exposed-*")) if shm.is_dir() else set()) <= before  # the private copy is gone
    report = runner.invoke(
        app, ["incident", "report", incident, "--kind", "oversight", "--format", "json", "--data-dir", str(data)]
    )
    figures = json.loads(report.stdout)
    assert figures["exposed_rows"] == 12 and figures["identified"] == 12 and figures["held"] == 12
