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
