"""Every compression layer is bounded as it goes: a gzip, bzip2 or xz bomb (alone, or a .gz inside a tar inside a
zip) is stopped after a few MB of output, in a fraction of a second, not at the size cap."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
import time
import tracemalloc
import zipfile
import zlib
from collections.abc import Callable

import pytest

from support.mutations import _csv, roster
from veil.pipeline import check_bytes
from veil.readers.containers.archive import _Zlib, bounded_decompress
from veil.readers.limits import LimitExceeded

BOMB_MB = 256


def _zeros(compressor: object) -> bytes:
    block = b"\0" * (1 << 24)
    parts = [compressor.compress(block) for _ in range(BOMB_MB // 16)]  # type: ignore[attr-defined]
    return b"".join(parts) + compressor.flush()  # type: ignore[attr-defined]


@pytest.fixture(scope="module")
def gzip_bomb() -> bytes:
    return _zeros(zlib.compressobj(9, zlib.DEFLATED, 31))


def _tar_of(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as tar:
        info = tarfile.TarInfo(name)
        info.size = len(data)
        tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _zip_of(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("wrap", ["alone", "tar", "zip of tar"])
def test_a_gzip_bomb_is_unverifiable_quickly_in_little_memory(gzip_bomb: bytes, wrap: str) -> None:
    blob, name = gzip_bomb, "people.csv.gz"
    if wrap != "alone":
        blob, name = _tar_of("people.csv.gz", blob), "export.tar"
    if wrap == "zip of tar":
        blob, name = _zip_of("export.tar", blob), "export.zip"
    tracemalloc.start()
    started = time.perf_counter()
    try:
        result = check_bytes(blob, name)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert result.verdict.value == "unverifiable"
    assert any("decompression bomb" in f.message for f in result.findings)
    assert time.perf_counter() - started < 5
    assert peak < 64 * 1024 * 1024 + 2 * len(blob)  # the old bound was the 1 GB cap


@pytest.mark.parametrize("make", [bz2.BZ2Compressor, lambda: lzma.LZMACompressor()])
def test_bzip2_and_xz_bombs_stop_early(make: Callable[[], object]) -> None:
    blob = _zeros(make())
    kind = "bzip2" if blob.startswith(b"BZh") else "xz"
    decompressor = bz2.BZ2Decompressor if kind == "bzip2" else lzma.LZMADecompressor
    with pytest.raises(LimitExceeded, match="decompression bomb"):
        bounded_decompress(blob, decompressor, 1 << 30, 200.0, kind)


def test_ordinary_streams_decompress_whole() -> None:
    data = _csv(roster(41, people=3000))
    for blob, make in (
        (gzip.compress(data), lambda: _Zlib(31)),
        (bz2.compress(data), bz2.BZ2Decompressor),
        (lzma.compress(data), lzma.LZMADecompressor),
    ):
        assert bounded_decompress(blob, make, 1 << 30, 200.0, "x") == data  # type: ignore[arg-type]
    twice = gzip.compress(data) + gzip.compress(data) + b"\0" * 16  # concatenated members, NUL padding
    assert bounded_decompress(twice, lambda: _Zlib(31), 1 << 30, 200.0, "gzip") == data + data


def test_a_compressible_file_under_the_floor_is_not_a_bomb() -> None:
    data = b"0," * (4 << 20)  # 8 MB that compresses about 1000 times: under the 16 MB floor
    assert bounded_decompress(gzip.compress(data), lambda: _Zlib(31), 1 << 30, 200.0, "gzip") == data


def test_truncated_and_corrupt_streams_are_limit_errors() -> None:
    blob = gzip.compress(_csv(roster(42, people=500)))
    with pytest.raises(LimitExceeded, match="truncated"):
        bounded_decompress(blob[: len(blob) // 2], lambda: _Zlib(31), 1 << 30, 200.0, "gzip")
    with pytest.raises(LimitExceeded, match="corrupt"):
        bounded_decompress(blob[:20] + b"\xff" * 50 + blob[70:], lambda: _Zlib(31), 1 << 30, 200.0, "gzip")


def test_a_gzipped_roster_still_blocks() -> None:
    assert check_bytes(gzip.compress(_csv(roster(43))), "people.csv.gz").verdict.value == "block"
