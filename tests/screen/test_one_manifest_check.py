"""One manifest check: `veil screen --manifest` links manifests to people as `veil holds check-manifest` does, so a
manifest that check-manifest refuses never passes the screen, whoever receives it. And every screen decision is in
the audit log, masked, when there is a database."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from typer.testing import CliRunner

from veil.cli import app
from veil.screen.result import RecipientKind
from veil.store.engine import Database
from veil.store.models_audit import AuditEntry
from veil.workflow import audit

runner = CliRunner()


OTHERS = "Luis Mora,1975-03-04,Honduras,HN1\nRosa Díaz,1979-09-12,Honduras,HN1\n"


def _xlsx_with_title(rows: list[list[str]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["Removal flight HN1 - passenger manifest"])
    sheet.append([])
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


MANIFESTS: dict[str, bytes] = {
    "a-number only": b"A-Number,Flight\nA123-456-789,HN1\nA000111222,HN1\n",
    "name and swapped birth date": ("Name,DOB,Nationality,Flight\nJose Garcia,02/01/1980,Guatemala,HN1\n"
                                    + OTHERS).encode(),
    "surname first, no accents": ("Last Name,First Name,Date of Birth\nGARCIA,JOSE,1980-02-01\nMORA,Luis,"
                                  "1975-03-04\n").encode(),
    "haitian name in another order": ("Nom,Prénom,Date de naissance\nJoseph,Marie Claude,1991-07-03\n").encode(),
    "xlsx under a title": _xlsx_with_title([["Name", "DOB", "Nationality"], ["José García", "1980-02-01", "GT"],
                                            ["Luis Mora", "1975-03-04", "HN"]]),
    "names only (nobody can be cleared)": b"Name,Flight\nLuis Mora,HN1\nRosa Diaz,HN1\n",
    "nobody held": ("Name,DOB,Nationality,Flight\n" + OTHERS).encode(),
    "affected, not held": ("Name,DOB,Nationality,Flight\nAna Ruiz,1985-11-20,Honduras,HN1\n" + OTHERS).encode(),
}


@pytest.mark.parametrize("case", list(MANIFESTS))
def test_a_manifest_check_manifest_refuses_never_passes_the_screen(case: str, data_dir: Path,
                                                                  tmp_path: Path) -> None:
    path = tmp_path / ("manifest.xlsx" if case.startswith("xlsx") else "manifest.csv")
    path.write_bytes(MANIFESTS[case])
    checked = runner.invoke(app, ["holds", "check-manifest", str(path), "--data-dir", str(data_dir)])
    assert checked.exit_code in (0, 1), checked.output
    refused = checked.exit_code == 1
    assert refused == (case not in ("nobody held", "affected, not held")), case
    for kind in RecipientKind:
        screened = runner.invoke(app, ["screen", "--manifest", str(path), "--data-dir", str(data_dir),
                                       "--recipient-kind", kind.value, "--format", "json"])
        verdict = json.loads(screened.stdout)["verdict"]
        if refused:
            assert screened.exit_code == 1 and verdict == "block", (case, kind)
        elif case == "nobody held":
            assert screened.exit_code == 0, (case, kind, screened.output)
        else:  # an affected person: only recipients who may know receive them
            may_know = kind.value in ("applicant", "attorney", "court", "agency", "sealed")
            assert (screened.exit_code == 0) == may_know, (case, kind)


def test_incidents_can_be_left_out_and_are_in_by_default(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(MANIFESTS["name and swapped birth date"])
    base = ["screen", "--manifest", str(path), "--data-dir", str(data_dir), "--recipient-kind", "agency"]
    assert runner.invoke(app, base).exit_code == 1
    assert runner.invoke(app, [*base, "--no-incidents"]).exit_code == 0


def test_check_manifest_json(data_dir: Path, tmp_path: Path) -> None:
    path = tmp_path / "m.csv"
    path.write_bytes(MANIFESTS["name and swapped birth date"])
    result = runner.invoke(app, ["holds", "check-manifest", str(path), "--data-dir", str(data_dir), "--format",
                                 "json"])
    doc = json.loads(result.stdout)
    assert result.exit_code == 1 and doc["verdict"] == "block" and doc["rows"] == 3 and doc["refused"] == 1
    assert "Garcia" not in result.stdout


def test_every_screen_decision_is_audited_masked(data_dir: Path, tmp_path: Path) -> None:
    message = tmp_path / "garcia-note.txt"
    message.write_text("José García told our officers he is afraid to go back. The flight leaves at 10:00.",
                       encoding="utf-8")
    manifest = tmp_path / "m.csv"
    manifest.write_bytes(MANIFESTS["name and swapped birth date"])
    result = runner.invoke(app, ["screen", str(message), "--manifest", str(manifest), "--data-dir", str(data_dir),
                                 "--recipient", "Embajada de Guatemala", "--recipient-kind", "foreign-government",
                                 "--actor", "officer-7"])
    assert result.exit_code == 1
    db = Database(f"sqlite:///{data_dir / 'veil.db'}")
    try:
        with db.read() as s:
            entries = s.scalars(select(AuditEntry).where(AuditEntry.event == "screen")
                                .order_by(AuditEntry.seq.desc()).limit(2)).all()
            assert audit.verify(s).ok
    finally:
        db.dispose()
    payloads = {e.payload["what"]: e.payload for e in entries}
    assert set(payloads) == {"message", "manifest"} and all(e.actor == "officer-7" for e in entries)
    assert payloads["message"]["verdict"] == "block" and payloads["message"]["recipient_kind"] == "foreign-government"
    assert payloads["message"]["suggestion_sha256"] and payloads["manifest"]["findings"]
    dumped = json.dumps([e.payload for e in entries], ensure_ascii=False)
    for raw in ("García", "Garcia", "garcia", "Guatemala", "1980", "123456789"):
        assert raw not in dumped, raw
