"""Text in any of the encodings agencies' tools write is read as text, never refused as a binary file.

Fixtures are generated (seeded): a roster CSV and a paragraph of prose about one asylum seeker, written in UTF-16 and
UTF-32 (both byte orders, with and without a byte-order mark), UTF-8 with a mark, cp1252 and Latin-1, with Latin,
Cyrillic and Chinese names."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from veil.findings import Kind, Verdict
from veil.pipeline import check_bytes
from veil.readers.sniff import sniff
from veil.readers.text.encoding import wide_encoding, wide_without_bom

WIDE = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be", "utf-16", "utf-32")
ALL = (*WIDE, "utf-8-sig", "cp1252", "latin-1")
SCRIPTS = {
    "latin": [("García López", "José"), ("Nguyen", "Citlali"), ("Müller", "Jörg")],
    "cyrillic": [("Иванов", "Иван"), ("Петрова", "Анна"), ("Смирнов", "Олег")],
    "chinese": [("王", "伟"), ("李", "娜"), ("张", "敏")],
}


def _roster(script: str, seed: int) -> str:
    rng = random.Random(seed)
    rows = ["name,date of birth,a-number,status"]
    for family, given_name in SCRIPTS[script]:
        rows.append(f'"{family}, {given_name}",19{rng.randint(50, 99)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)},'
                    f"A{rng.randint(100_000_000, 299_999_999)},{rng.choice(['asylum pending', 'credible fear'])}")
    return "\n".join(rows) + "\n"


def _prose(seed: int) -> str:
    rng = random.Random(seed)
    return (f"Case memo {rng.randint(1, 99)}\n\nJosé García, born {rng.randint(1, 28)} March 19{rng.randint(50, 99)}, "
            f"A{rng.randint(100_000_000, 299_999_999)}, filed for asylum.\n")


def _encodable(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize("encoding", ALL)
@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_a_roster_in_any_encoding_is_read_as_a_table(encoding: str, script: str) -> None:
    text = _roster(script, seed=len(encoding))
    if not _encodable(text, encoding):
        pytest.skip(f"{encoding} cannot hold {script} names")
    result = check_bytes(text.encode(encoding), "roster.csv")
    assert result.format == "delimited"
    assert result.verdict is Verdict.BLOCK and result.persons == 3
    assert any(f.kind is Kind.RECORD_LEVEL for f in result.findings)


@pytest.mark.parametrize("encoding", ALL)
def test_prose_in_any_encoding_is_read_as_text(encoding: str) -> None:
    result = check_bytes(_prose(seed=3).encode(encoding), "memo.txt")
    assert result.format == "text"
    assert result.verdict is Verdict.BLOCK
    assert any(f.kind is Kind.PERSON_IN_TEXT for f in result.findings)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"])
@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_the_nul_pattern_names_the_encoding(encoding: str, script: str) -> None:
    text = "\n".join(f"{family} {given_name} 2024" for family, given_name in SCRIPTS[script] * 20)
    assert wide_without_bom(text.encode(encoding)) == encoding
    assert sniff(text.encode(encoding)) == "text"


def test_a_utf8_mark_is_not_a_wide_encoding() -> None:
    assert wide_encoding("name\n".encode("utf-8-sig")) is None


@pytest.mark.parametrize("seed", range(5))
def test_binary_with_nul_bytes_stays_binary(seed: int) -> None:
    rng = random.Random(seed)
    # NULs on one side only, the other side any byte: UTF-16 of control characters, not text.
    blob = bytes(b for _ in range(2048) for b in (rng.randrange(256), 0))
    assert wide_without_bom(blob) is None
    noise = bytes(rng.randrange(256) if rng.random() < 0.6 else 0 for _ in range(4096))
    assert sniff(b"\x01\x02" + noise) == "binary"


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs")), min_size=20, max_size=300),
       st.sampled_from(["utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"]))
def test_valid_wide_text_is_never_called_binary(body: str, encoding: str) -> None:
    text = "\n".join(body[i:i + 30] for i in range(0, len(body), 30)) + "\n"
    assert sniff(text.encode(encoding)) != "binary"
