"""The policy: turns findings into a verdict. Defaults live in data/default_policy.yaml; users override any key."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from veil.errors import UsageError
from veil.findings import Finding, Kind, Verdict
from veil.yamlio import load_yaml

_ALLOWED = {"block", "review", "unverifiable", "note"}


@dataclass(frozen=True)
class Policy:
    name: str
    verdicts: dict[str, str]
    small_cell_threshold: int = 10
    zero_is_disclosive: bool = False
    max_cells_listed: int = 200
    microdata_min_rows: int = 20
    named_list_min_people: int = 10
    name_list_min_people: int = 3
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def version(self) -> str:
        """A short digest of the effective policy: a scan records it, and a later sweep re-scans when it changes.
        The `gate` settings decide who may override a verdict, not the verdict, so they are left out."""
        text = yaml.safe_dump({k: v for k, v in self.raw.items() if k != "gate"}, sort_keys=True)
        return f"{self.name}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"

    def effect(self, kind: Kind | str) -> str:
        return self.verdicts.get(str(kind), "review")

    def verdict(self, findings: list[Finding]) -> Verdict:
        verdicts = [Verdict(self.effect(f.kind)) for f in findings if self.effect(f.kind) != "note"]
        return Verdict.worst(verdicts)


def merge_settings(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    """`over` laid over `base`: mappings merge key by key, any other value replaces."""
    out = dict(base)
    for key, value in over.items():
        both = isinstance(value, dict) and isinstance(out.get(key), dict)
        out[key] = merge_settings(out[key], value) if both else value
    return out


def default_policy_text() -> str:
    return resources.files("veil.data").joinpath("default_policy.yaml").read_text(encoding="utf-8")


def load_policy(path: str | Path | None = None) -> Policy:
    """The default policy, with the keys of the YAML file at `path` (if any) laid over it."""
    raw: dict[str, Any] = load_yaml(default_policy_text())
    if path is not None:
        try:
            text = Path(path).read_text(encoding="utf-8")
            user = load_yaml(text) or {}
        except OSError as exc:
            raise UsageError(f"cannot read policy file {path}: {exc.strerror}") from exc
        except yaml.YAMLError as exc:
            raise UsageError(f"policy file {path} is not valid YAML") from exc
        if not isinstance(user, dict):
            raise UsageError(f"policy file {path} must be a mapping")
        raw = merge_settings(raw, user)
    verdicts = {str(k): str(v) for k, v in (raw.get("verdicts") or {}).items()}
    bad = {k: v for k, v in verdicts.items() if v not in _ALLOWED}
    if bad:
        raise UsageError(f"policy: unknown effect(s) {bad}; use one of {sorted(_ALLOWED)}")
    unknown = set(verdicts) - {k.value for k in Kind}
    if unknown:
        raise UsageError(f"policy: unknown finding kind(s) {sorted(unknown)}")
    small = raw.get("small_cells") or {}
    try:
        return Policy(
            name=str(raw.get("name", "custom")),
            verdicts=verdicts,
            small_cell_threshold=int(small.get("threshold", 10)),
            zero_is_disclosive=bool(small.get("zero_is_disclosive", False)),
            max_cells_listed=int(small.get("max_cells_listed", 200)),
            microdata_min_rows=int((raw.get("microdata") or {}).get("min_rows", 20)),
            named_list_min_people=int((raw.get("named_list") or {}).get("min_people", 10)),
            name_list_min_people=int((raw.get("name_list") or {}).get("min_people", 3)),
            raw=raw,
        )
    except (TypeError, ValueError) as exc:
        raise UsageError(f"policy: a numeric setting is not a number ({exc})") from exc
