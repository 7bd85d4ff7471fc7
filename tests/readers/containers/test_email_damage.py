"""Damaged e-mail: transfer encodings decoded as leniently as a mail client, what is recovered is checked, and a
part that did not decode cleanly (or a message whose MIME structure broke) is Unreadable. `pass` needs a complete
read."""

from __future__ import annotations

import base64
import email.policy
import re
from email.message import EmailMessage

import pytest

from support.doc_factory import read_units, unreadable
from support.mutations import roster, source
from veil.pipeline import check_bytes
from veil.readers.containers.email import lenient_base64


def _lines(blob: bytes) -> list[bytearray]:
    return [bytearray(line) for line in blob.split(b"\r\n")]


def _base64_rows(lines: list[bytearray]) -> list[int]:
    return [i for i, line in enumerate(lines) if len(line) >= 60 and re.fullmatch(rb"[A-Za-z0-9+/=]+", line)]


@pytest.mark.parametrize("bad", [b"*", b"!", b"-", b"\xe9"])
def test_one_bad_character_in_a_base64_roster_blocks_and_is_flagged(bad: bytes) -> None:
    blob, name = source("eml", seed=3)
    lines = _lines(blob)
    row = _base64_rows(lines)[2]
    lines[row][10:11] = bad
    damaged = b"\r\n".join(bytes(line) for line in lines)
    units = read_units(damaged, name)
    assert any("did not decode cleanly" in u.reason for u in unreadable(units))
    assert check_bytes(damaged, name).verdict.value == "block"  # the people are recovered, so it blocks


def test_lenient_base64_loses_only_the_damaged_group() -> None:
    data = ("\n".join(f"GARCIA{n:03}, Jose,A{n:09}" for n in range(40))).encode()
    lines = base64.encodebytes(data).splitlines()
    lines[3] = lines[3][:20] + b"*" + lines[3][21:]  # a character swapped
    lines[5] = lines[5][:30] + b"~" + lines[5][30:]  # one inserted
    lines[-1] = lines[-1][:-3]  # cut short at the end
    recovered = lenient_base64(b"\n".join(lines))
    assert recovered[:171] == data[:171]  # the three lines before the damage
    same = sum(a == b for a, b in zip(recovered, data, strict=False))
    assert same >= len(data) - 8


def test_a_truncated_attachment_never_passes() -> None:
    blob, name = source("eml", seed=4)
    for cut in range(len(blob) // 2, len(blob) - 10, 97):
        verdict = check_bytes(blob[:cut], name).verdict.value
        assert verdict in ("block", "unverifiable"), cut


def test_a_damaged_boundary_still_finds_the_attachment() -> None:
    """The content type's 'multipart' loses a letter: the attachment is plain text to the parser, its base64 is
    decoded from the body all the same."""
    blob, name = source("eml", seed=5)
    damaged = blob.replace(b"multipart/mixed", b"m\xfcltipart/mixed", 1)
    units = read_units(damaged, name)
    assert any("base64 data it does not declare" in u.reason for u in unreadable(units))
    assert check_bytes(damaged, name).verdict.value == "block"


def test_headers_run_into_the_body_is_unreadable() -> None:
    blob, name = source("eml", seed=6)
    damaged = blob.replace(b"\r\n\r\n", b"\r\n\x01\r\n", 1)
    assert check_bytes(damaged, name).verdict.value in ("block", "unverifiable")
    assert unreadable(read_units(damaged, name))


def test_quoted_printable_with_a_stray_escape_is_flagged() -> None:
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "a@example.org", "b@example.org", "Figures"
    text = "\n".join(",".join(row) for row in roster(7, people=5))
    msg.set_content(text, cte="quoted-printable")
    blob = msg.as_bytes(policy=email.policy.SMTP)
    assert unreadable(read_units(blob, "m.eml")) == []
    damaged = blob.replace(b"Name,", b"Name=Q,", 1)
    assert any("did not decode cleanly" in u.reason for u in unreadable(read_units(damaged, "m.eml")))


def test_a_clean_message_with_an_attachment_reads_cleanly() -> None:
    blob, name = source("eml", seed=8)
    assert unreadable(read_units(blob, name)) == []
