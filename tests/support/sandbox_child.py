"""A scan child whose checker misbehaves on purpose, chosen by the file name, to test the sandbox's limits:

    hang-*   sleeps inside C code (no Python instruction runs, so only the parent's wall-clock kill stops it)
    spin-*   a detector loops forever in Python (the pipeline's own budget stops it)
    hog-*    a detector allocates until the memory limit
    abort-*  the process crashes (a native parser aborting)

Anything else is checked for real. Start it with `SandboxScanner.entry = ENTRY`.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable
from typing import Any

from support.paths import ROOT
from veil import pipeline
from veil.workflow import sandbox

ENTRY = (sys.executable, "-c", f"import sys; sys.path.insert(0, {str(ROOT / 'tests')!r}); "
                               "from support.sandbox_child import main; main()")
_real_analyse = pipeline.analyse


def _misbehaving(units: Iterable[Any], policy: Any) -> Any:
    name = _current["name"]
    if name.startswith("spin"):
        while True:
            pass
    if name.startswith("hog"):
        hoard = []
        while True:
            hoard.append(bytearray(64 << 20))
    return _real_analyse(units, policy)


_current = {"name": ""}
_real_check = sandbox.check_bytes


def _check(blob: bytes, name: str, policy: Any = None, limits: Any = None) -> Any:
    _current["name"] = name
    if name.startswith("hang"):
        time.sleep(3600)
    if name.startswith("abort"):
        os.abort()
    return _real_check(blob, name, policy, limits)


def main() -> None:
    pipeline.analyse = _misbehaving  # type: ignore[assignment]
    sandbox.check_bytes = _check  # type: ignore[assignment]
    sandbox.main()
