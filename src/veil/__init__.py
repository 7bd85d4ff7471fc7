"""Veil: keep the identities of protected people out of what an organisation publishes or sends.

The public API (everything else may change between versions):

    check_path(path, policy=None, limits=None) -> FileResult     check one file on disk
    check_bytes(blob, name="-", policy=None, limits=None) -> FileResult
    load_policy(path=None) -> Policy                              the defaults, with a YAML file laid over them
    FileResult, Finding, Location, Verdict, Kind, Policy, Limits  the result types and settings
    Recognizer, register_kind                                     extending Veil (docs/extending.md)

Names are imported when first used, so `import veil` stays cheap."""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = [
    "FileResult",
    "Finding",
    "Kind",
    "Limits",
    "Location",
    "Policy",
    "Recognizer",
    "UsageError",
    "Verdict",
    "__version__",
    "check_bytes",
    "check_path",
    "load_policy",
    "register_kind",
]

_WHERE = {
    "check_bytes": "veil.pipeline",
    "check_path": "veil.pipeline",
    "load_policy": "veil.policy",
    "Policy": "veil.policy",
    "FileResult": "veil.findings",
    "Finding": "veil.findings",
    "Kind": "veil.findings",
    "Location": "veil.findings",
    "Verdict": "veil.findings",
    "register_kind": "veil.findings",
    "Limits": "veil.readers.limits",
    "Recognizer": "veil.detectors.recognizers",
    "UsageError": "veil.errors",
}

if TYPE_CHECKING:
    from veil.detectors.recognizers import Recognizer
    from veil.errors import UsageError
    from veil.findings import FileResult, Finding, Kind, Location, Verdict, register_kind
    from veil.pipeline import check_bytes, check_path
    from veil.policy import Policy, load_policy
    from veil.readers.limits import Limits


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'veil' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
