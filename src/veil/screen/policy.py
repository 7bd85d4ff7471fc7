"""The screen's policy: who may receive what (the recipient table) and the size limits. The shipped defaults are
data/screen_policy.yaml; an agency lays its own YAML file over them (`veil screen --policy FILE`).

    load_screen_policy(path=None) -> ScreenPolicy     the defaults, with the file's keys laid over them
    default_screen_policy() -> ScreenPolicy            the shipped defaults (read once)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from veil.errors import UsageError
from veil.policy import merge_settings
from veil.screen.result import RecipientKind
from veil.yamlio import load_yaml


@dataclass(frozen=True)
class RecipientRule:
    """May this kind of recipient learn that identified people sought protection or were affected, and why."""

    kind: RecipientKind
    may_know: bool
    basis: str
    own_case_only: bool = False  # may know about their own case only (the applicant, an attorney's client)


@dataclass(frozen=True)
class Limits:
    max_message_bytes: int = 50 * 1024 * 1024
    max_text_chars: int = 1_000_000
    max_attachments: int = 200


@dataclass(frozen=True)
class ModelSettings:
    """The learned second opinion (veil.screen.model): off, or the score from which a message to a recipient who
    may not know is blocked even when no sentence rule names the disclosure. None: the model's own threshold."""

    enabled: bool = True
    threshold: float | None = None


@dataclass(frozen=True)
class ScreenPolicy:
    recipients: dict[RecipientKind, RecipientRule]
    limits: Limits
    model: ModelSettings = ModelSettings()

    def rule(self, kind: RecipientKind | None) -> RecipientRule | None:
        return self.recipients.get(kind) if kind is not None else None

    def may_know(self, kind: RecipientKind | None) -> bool:
        """No kind given is the strictest treatment: nothing protected may go out."""
        rule = self.rule(kind)
        return bool(rule and rule.may_know)


def _default_raw() -> dict[str, Any]:
    raw = resources.files("veil.screen").joinpath("data/screen_policy.yaml").read_text(encoding="utf-8")
    data: dict[str, Any] = load_yaml(raw)
    return data


@lru_cache(maxsize=1)
def default_screen_policy() -> ScreenPolicy:
    return _build(_default_raw(), "the shipped screen policy")


def load_screen_policy(path: str | Path | None = None) -> ScreenPolicy:
    """The shipped policy, with the keys of the YAML file at `path` laid over it. Raises UsageError (naming the key,
    never a value from a message) when the file cannot be read or says something the screen cannot apply."""
    if path is None:
        return default_screen_policy()
    try:
        user = load_yaml(Path(path).read_text(encoding="utf-8")) or {}
    except OSError as exc:
        raise UsageError(f"cannot read screen policy file {path}: {exc.strerror}") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise UsageError(f"screen policy file {path} is not valid YAML") from exc
    if not isinstance(user, dict):
        raise UsageError(f"screen policy file {path} must be a mapping")
    return _build(merge_settings(_default_raw(), user), f"screen policy file {path}")


def _build(raw: dict[str, Any], source: str) -> ScreenPolicy:
    table = raw.get("recipients")
    if not isinstance(table, dict):
        raise UsageError(f"{source}: 'recipients' must be a mapping of recipient kinds")
    known = {k.value for k in RecipientKind}
    unknown = sorted(str(k) for k in table if str(k) not in known)
    if unknown:
        raise UsageError(f"{source}: unknown recipient kind(s) {unknown}; known: {sorted(known)}")
    rules: dict[RecipientKind, RecipientRule] = {}
    for kind in RecipientKind:
        entry = table.get(kind.value)
        if not isinstance(entry, dict) or not isinstance(entry.get("may_know"), bool):
            raise UsageError(f"{source}: recipients.{kind.value}.may_know must be true or false")
        own = entry.get("own_case_only", False)
        if not isinstance(own, bool):
            raise UsageError(f"{source}: recipients.{kind.value}.own_case_only must be true or false")
        rules[kind] = RecipientRule(kind, entry["may_know"], str(entry.get("basis") or ""), own)
    limits = raw.get("limits") or {}
    try:
        parsed = Limits(**{k: int(v) for k, v in limits.items() if k in Limits.__dataclass_fields__})
    except (TypeError, ValueError) as exc:
        raise UsageError(f"{source}: a limit is not a number") from exc
    return ScreenPolicy(rules, parsed, _model_settings(raw.get("model") or {}, source))


def _model_settings(raw: Any, source: str) -> ModelSettings:
    if not isinstance(raw, dict):
        raise UsageError(f"{source}: 'model' must be a mapping (enabled, threshold)")
    enabled = raw.get("enabled", True)
    if not isinstance(enabled, bool):
        raise UsageError(f"{source}: model.enabled must be true or false")
    threshold = raw.get("threshold")
    if threshold is not None and (isinstance(threshold, bool) or not isinstance(threshold, int | float)
                                  or not 0 < threshold < 1):
        raise UsageError(f"{source}: model.threshold must be a number between 0 and 1")
    return ModelSettings(enabled, None if threshold is None else float(threshold))
