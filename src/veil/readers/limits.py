"""Bounds on what a reader may consume, so hostile files end in `unverifiable` instead of a hang or an OOM."""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 512 * 1024 * 1024
    # zip-like containers (xlsx, docx, zip, ...)
    max_members: int = 10_000
    max_member_bytes: int = 1024 * 1024 * 1024
    max_total_uncompressed: int = 2 * 1024 * 1024 * 1024
    max_compression_ratio: float = 200.0
    # nesting of embedded files, archives within archives, attachments
    max_depth: int = 5
    # spreadsheets
    max_cells: int = 60_000_000
    # XML
    max_xml_bytes: int = 512 * 1024 * 1024
    # wall-clock budget for one top-level file
    seconds: float = 300.0


class LimitExceeded(Exception):
    """Raised by a reader when a bound in Limits is crossed; the pipeline turns it into Unreadable."""


@dataclass
class Budget:
    """The running state of one top-level file's reading: depth and the deadline."""

    limits: Limits = field(default_factory=Limits)
    started: float = field(default_factory=time.monotonic)

    def check_time(self) -> None:
        if time.monotonic() - self.started > self.limits.seconds:
            raise LimitExceeded(f"reading took longer than {self.limits.seconds:.0f} s")
