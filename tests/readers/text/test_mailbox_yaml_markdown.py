"""Formats found while looking for the next class: a mailbox's later messages and their attachments, YAML data
files (and their alias bombs), and pipe tables in Markdown or plain text."""

from __future__ import annotations

import mailbox
import random
import tempfile
from email.message import EmailMessage
from pathlib import Path

import pytest
from faker import Faker

from veil.findings import Kind, Verdict
from veil.pipeline import check_bytes
from veil.readers.sniff import sniff


def _roster_csv(seed: int, n: int = 4) -> bytes:
    fake = Faker("es_MX")
    fake.seed_instance(seed)
    rng = random.Random(seed)
    rows = ["name,date of birth,a-number"] + [
        f'"{fake.last_name()}, {fake.first_name()}",{fake.date_of_birth().isoformat()},'
        f"A{rng.randint(100_000_000, 299_999_999)}" for _ in range(n)]
    return ("\n".join(rows) + "\n").encode("utf-8")


def _mailbox(messages: int, roster_in: int | None, seed: int) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "box.mbox"
        box = mailbox.mbox(str(path))
        for i in range(messages):
            message = EmailMessage()
            message["From"], message["To"] = "statistics@example.gov", "press@example.gov"
            message["Subject"], message["Date"] = f"Weekly figures {i}", "Mon, 4 Mar 2024 10:00:00 +0000"
            message.set_content("From the desk of the statistics office: figures attached.\n")
            message.add_attachment(b"country,count\nMexico,1200\nHonduras,800\n", maintype="text", subtype="csv",
                                   filename=f"figures-{i}.csv")
            if i == roster_in:
                message.add_attachment(_roster_csv(seed), maintype="text", subtype="csv", filename="list.csv")
            box.add(message)
        box.flush()
        box.close()
        return path.read_bytes()


@pytest.mark.parametrize("seed", range(3))
def test_an_attachment_in_a_later_message_of_a_mailbox_is_read(seed: int) -> None:
    blob = _mailbox(4, roster_in=1 + seed, seed=seed)
    assert sniff(blob) == "mbox"
    result = check_bytes(blob, "export.mbox")
    assert result.verdict is Verdict.BLOCK and result.persons == 4
    record = next(f for f in result.findings if f.kind is Kind.RECORD_LEVEL)
    assert record.location.startswith(f"message {2 + seed} › attachment 'list.csv'")


def test_a_mailbox_of_statistics_passes() -> None:
    result = check_bytes(_mailbox(3, roster_in=None, seed=0), "export.mbox")
    assert result.verdict is Verdict.PASS, [(f.kind, f.message) for f in result.findings]


def _yaml_roster(seed: int) -> bytes:
    fake = Faker("es_MX")
    fake.seed_instance(seed)
    entries = "".join(f"  - name: {fake.first_name()} {fake.last_name()}\n"
                      f"    date_of_birth: {fake.date_of_birth().isoformat()}\n"
                      f"    claim: {random.Random(seed + i).choice(['asylum', 'credible fear'])}\n" for i in range(5))
    return f"---\ndetainees:\n{entries}".encode()


@pytest.mark.parametrize("seed", range(2))
def test_yaml_records_block_and_yaml_statistics_pass(seed: int) -> None:
    blob = _yaml_roster(seed)
    assert sniff(blob) == "yaml"
    assert check_bytes(blob, "export.yaml").verdict is Verdict.BLOCK
    one = b"name: Jose Garcia\ncitizenship: Honduras\nasylum_status: pending\n"
    assert check_bytes(one, "case.yml").verdict is Verdict.BLOCK
    stats = b"title: Book-ins\nrows:\n  - {country: Mexico, count: 1200}\n  - {country: Honduras, count: 800}\n"
    assert check_bytes(stats, "stats.yaml").verdict is Verdict.PASS


def test_a_yaml_bomb_is_unverifiable_at_once() -> None:
    levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        levels.append(f"{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
    result = check_bytes(("\n".join(levels) + "\n").encode(), "bomb.yaml")
    assert result.verdict is Verdict.UNVERIFIABLE
    assert check_bytes(b"a: [unclosed\n", "bad.yaml").verdict is Verdict.UNVERIFIABLE


@pytest.mark.parametrize("name", ["report.md", "report.txt"])
def test_a_pipe_table_is_read_as_a_table(name: str) -> None:
    blob = (b"# Weekly report\n\n| Name | Citizenship | Asylum status |\n|------|-------------|---------------|\n"
            b"| Jose Garcia | Honduras | pending |\n| Maria Lopez | Guatemala | granted |\n\nAll good.\n")
    result = check_bytes(blob, name)
    assert result.verdict is Verdict.BLOCK and result.persons == 2
    assert any(f.location.startswith("lines 3-6 (markdown table)") for f in result.findings)
    stats = b"| Country | FY2023 |\n|---|---:|\n| Mexico | 1,200 |\n| Honduras | 800 |\n"
    assert check_bytes(stats, name).verdict is Verdict.PASS
