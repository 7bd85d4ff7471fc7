"""Zip containers (OOXML, ODF, plain zip) read under limits: member count, sizes, compression ratio."""

from __future__ import annotations

import io
import zipfile
import zlib

from veil.readers.limits import LimitExceeded, Limits


class SafeZip:
    """A zip whose members are read with bounds checked before and during decompression (zip bombs)."""

    def __init__(self, blob: bytes, limits: Limits) -> None:
        self.limits = limits
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(blob))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
            raise LimitExceeded(f"the zip container cannot be read ({type(exc).__name__})") from exc
        if len(infos) > limits.max_members:
            raise LimitExceeded(f"the container has {len(infos)} members, more than the {limits.max_members} limit")
        self.infos = {i.filename: i for i in infos if not i.is_dir()}
        self._read_total = 0

    @property
    def names(self) -> list[str]:
        return list(self.infos)

    def encrypted(self, name: str) -> bool:
        return bool(self.infos[name].flag_bits & 0x1)

    def read(self, name: str) -> bytes:
        info = self.infos.get(name)
        if info is None:
            raise KeyError(name)
        if info.flag_bits & 0x1:
            raise LimitExceeded(f"{name} is password-protected")
        if info.file_size > self.limits.max_member_bytes:
            raise LimitExceeded(f"{name} expands to {info.file_size} bytes, over the limit")
        if info.compress_size and info.file_size / max(info.compress_size, 1) > self.limits.max_compression_ratio \
                and info.file_size > 1024 * 1024:
            ratio = self.limits.max_compression_ratio
            raise LimitExceeded(f"{name} has a compression ratio over {ratio:.0f} (zip bomb)")
        # Declared sizes can lie: stop decompressing once we pass them.
        cap = min(info.file_size, self.limits.max_member_bytes) + 1
        try:
            return self._read_bounded(name, info, cap)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError, ValueError) as exc:
            raise LimitExceeded(f"{name} cannot be decompressed ({type(exc).__name__}: corrupt or truncated)") from exc

    def _read_bounded(self, name: str, info: zipfile.ZipInfo, cap: int) -> bytes:
        chunks = []
        got = 0
        with self._zip.open(info) as fh:
            while True:
                chunk = fh.read(min(1 << 20, cap - got))
                if not chunk:
                    break
                got += len(chunk)
                if got >= cap and got > info.file_size:
                    raise LimitExceeded(f"{name} expands beyond its declared size (zip bomb)")
                chunks.append(chunk)
                self._read_total += len(chunk)
                if self._read_total > self.limits.max_total_uncompressed:
                    raise LimitExceeded("the container expands beyond the total-size limit (zip bomb)")
        return b"".join(chunks)

    def read_or_none(self, name: str) -> bytes | None:
        return self.read(name) if name in self.infos else None
