"""The pipeline entry points: the result names the exact bytes checked, small or large."""

from __future__ import annotations

import hashlib

from veil.findings import Verdict
from veil.pipeline import _HASH_ASIDE_BYTES, check_bytes


def test_small_and_large_files_carry_the_sha256_of_their_bytes() -> None:
    small = b"Quarterly statistics: 1,204 applications received.\n"
    row = b"Facility,Month,Book-ins\nDenver,January,1204\n"
    large = row + b"Denver,February,1310\n" * (_HASH_ASIDE_BYTES // 20 + 1)  # hashed on a thread
    assert len(large) > _HASH_ASIDE_BYTES
    for blob in (small, large):
        result = check_bytes(blob, "stats.csv")
        assert result.sha256 == hashlib.sha256(blob).hexdigest()
        assert result.size == len(blob)
        assert result.verdict is Verdict.PASS


def test_names_split_into_json_given_and_family_fields_are_people() -> None:
    # FHIR-style records ('name': {'given': ..., 'family': ...}) flatten to 'subject.given' and 'subject.family',
    # which no header word matched: the records passed.
    people = [("Maria", "Hernandez"), ("Jose", "Garcia"), ("Jean", "Moreau"), ("Ivan", "Petrov")]
    lines = [f'{{"id": {i}, "subject": {{"given": "{g}", "family": "{f}"}}, "country": "Mexico"}}'
             for i, (g, f) in enumerate(people)]
    result = check_bytes("\n".join(lines).encode(), "people.ndjson")
    assert result.verdict is Verdict.BLOCK and result.persons == 4
