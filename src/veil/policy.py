"""The policy: turns findings into a verdict, here and nowhere else. Defaults live in data/default_policy.yaml;
users override any key. The detectors get only their numbers (`Policy.thresholds`) and the policy's recognizers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from veil.detectors.recognizers import Recognizer, from_mapping
from veil.detectors.recognizers.registry import for_policy
from veil.detectors.thresholds import Thresholds
from veil.errors import UsageError
from veil.findings import Finding, Kind, Verdict, known_kinds, registered_effect
from veil.yamlio import load_yaml

_ALLOWED = {"block", "review", "unverifiable", "note"}


@dataclass(frozen=True)
class Policy:
    name: str
    verdicts: dict[str, str]
    small_cell_threshold: int = 10
    zero_is_disclosive: bool = False
    max_cells_listed: int = 200
    microdata_min_rows: int = 3
    named_list_min_people: int = 10
    name_list_min_people: int = 3
    raw: dict[str, Any] = field(default_factory=dict, compare=False)
    recognizers: tuple[Recognizer, ...] = field(default=(), compare=False)

    @property
    def thresholds(self) -> Thresholds:
        """The numbers the detectors need, and only those."""
        return Thresholds(self.small_cell_threshold, self.zero_is_disclosive, self.max_cells_listed,
                          self.microdata_min_rows, self.named_list_min_people, self.name_list_min_people)

    @property
    def version(self) -> str:
        """A short digest of the effective policy: a scan records it, and a later sweep re-scans when it changes.
        The `gate` settings decide who may override a verdict, not the verdict, so they are left out."""
        text = yaml.safe_dump({k: v for k, v in self.raw.items() if k != "gate"}, sort_keys=True)
        return f"{self.name}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"

    def effect(self, kind: Kind | str) -> str:
        """What a finding of this kind does to a verdict: the policy's word, else the default a plugin or policy
        recognizer gave its own kind, else review."""
        return self.verdicts.get(str(kind)) or registered_effect(str(kind)) or "review"

    def verdict(self, findings: list[Finding]) -> Verdict:
        """The one place a verdict is made: the worst effect of the findings (notes have none)."""
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
    recognizers = _recognizers(raw.get("recognizers"))
    verdicts = {str(k): str(v) for k, v in (raw.get("verdicts") or {}).items()}
    bad = {k: v for k, v in verdicts.items() if v not in _ALLOWED}
    if bad:
        raise UsageError(f"policy: unknown effect(s) {bad}; use one of {sorted(_ALLOWED)}")
    unknown = set(verdicts) - known_kinds()
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
            microdata_min_rows=int((raw.get("microdata") or {}).get("min_rows", 3)),
            named_list_min_people=int((raw.get("named_list") or {}).get("min_people", 10)),
            name_list_min_people=int((raw.get("name_list") or {}).get("min_people", 3)),
            raw=raw,
            recognizers=recognizers,
        )
    except (TypeError, ValueError) as exc:
        raise UsageError(f"policy: a numeric setting is not a number ({exc})") from exc


def _recognizers(entries: Any) -> tuple[Recognizer, ...]:
    """The policy's own recognizers (`recognizers:`), checked against the installed ones and their kinds
    registered, so the policy's `verdicts` may name them."""
    if entries is None:
        return ()
    if not isinstance(entries, list):
        raise UsageError("policy: `recognizers` must be a list (see docs/extending.md)")
    found = tuple(from_mapping(item, origin="policy") for item in entries)
    for_policy(found)  # a clash with an installed name is a RecognizerError (a UsageError) now, not mid-check
    return found
