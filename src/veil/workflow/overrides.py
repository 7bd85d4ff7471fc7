"""What an override of a `block` or `unverifiable` file must carry: a legal basis chosen from the policy's list
(`gate: {override: {legal_bases: [...]}}`) and a justification in the official's own words.

A justification is refused when it is short, when it is only boilerplate ("Routine statistics update, approved for
posting." says nothing about this file: the 2022 approval), or when it repeats another official's words for the same
file (each of the two officials writes why), or when Veil's own checker finds personal data in it (it is stored,
shown and audited). The rules are data in the policy YAML; the default list of legal bases
is in `veil/data/default_policy.yaml`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from veil.errors import UsageError
from veil.findings import Verdict
from veil.policy import Policy, load_policy
from veil.workflow.errors import Refused

# Two people, each an authorising official, each naming the legal basis: fixed, not a setting (one was the 2022
# failure; a policy file must not be able to bring it back).
REQUIRED_OFFICIALS = 2
_WORD = re.compile(r"[^\W_]+(?:[-'./][^\W_]+)*", re.UNICODE)
_ID = re.compile(r"^[A-Za-z0-9()./_-]{1,80}$")


@dataclass(frozen=True)
class LegalBasis:
    id: str      # persisted on the decision and in the audit log: never rename one that was used
    label: str


@dataclass(frozen=True)
class OverrideRules:
    legal_bases: tuple[LegalBasis, ...]
    min_justification: int = 40
    min_specific_words: int = 6
    boilerplate: tuple[str, ...] = ()

    @classmethod
    def from_policy(cls, policy: Policy) -> OverrideRules:
        gate = policy.raw.get("gate") or {}
        settings: Any = gate.get("override") if isinstance(gate, dict) else None
        if not isinstance(settings, dict):
            raise UsageError("policy: `gate: {override: ...}` must be a mapping")
        bases = []
        for entry in settings.get("legal_bases") or []:
            if not isinstance(entry, dict) or not entry.get("id") or not entry.get("label"):
                raise UsageError("policy: each gate.override.legal_bases entry needs an `id` and a `label`")
            basis_id = str(entry["id"]).strip()
            if not _ID.match(basis_id):
                raise UsageError(f"policy: legal basis id {basis_id[:80]!r} may hold letters, digits and ()./_- only")
            bases.append(LegalBasis(basis_id, str(entry["label"]).strip()[:300]))
        if not bases:
            raise UsageError("policy: gate.override.legal_bases is empty: list at least one legal basis")
        if len({b.id for b in bases}) != len(bases):
            raise UsageError("policy: two legal bases share an id")
        try:
            min_text = int(settings.get("min_justification", 40))
            min_words = int(settings.get("min_specific_words", 6))
        except (TypeError, ValueError):
            raise UsageError("policy: gate.override.min_justification and min_specific_words are numbers") from None
        if min_text < 20 or min_words < 3:
            raise UsageError("policy: an override needs at least 20 characters and 3 specific words of justification")
        phrases = tuple(sorted({_normal(str(p)) for p in settings.get("boilerplate") or [] if _normal(str(p))},
                               key=len, reverse=True))
        return cls(tuple(bases), min_text, min_words, phrases)

    def basis(self, basis_id: str) -> LegalBasis | None:
        return next((b for b in self.legal_bases if b.id == basis_id.strip()), None)

    def label(self, basis_id: str) -> str:
        found = self.basis(basis_id)
        return found.label if found else basis_id

    def specific_words(self, text: str) -> set[str]:
        """The distinct words of `text` once the boilerplate phrases are taken out."""
        normal = _normal(text)
        if self.boilerplate:
            alternatives = "|".join(re.escape(p) for p in self.boilerplate)  # longest first: phrases before words
            normal = re.sub(rf"(?<!\S)(?:{alternatives})(?!\S)", " ", normal)
        return {w for w in normal.split() if len(w) > 1 or w.isdigit()}

    def check(self, file_name: str, verdict: str, legal_basis: str, justification: str,
              earlier: list[str]) -> LegalBasis:
        """The chosen basis, or Refused saying what is missing. `earlier`: other officials' justifications."""
        what = f"{file_name} has a {verdict} verdict: an override"
        basis = self.basis(legal_basis or "")
        if basis is None:
            choices = ", ".join(b.id for b in self.legal_bases)
            raise Refused(f"{what} must name its legal basis, one of: {choices}")
        text = " ".join(justification.split())
        if len(text) < self.min_justification:
            raise Refused(f"{what} needs a written justification of at least {self.min_justification} characters "
                          "saying why the legal basis applies to this file")
        if len(self.specific_words(text)) < self.min_specific_words:
            raise Refused(f"{what} needs a justification about this file, not boilerplate: say who consented or "
                          "which order or decision allows it, to whom it is disclosed and why it must be published")
        if any(_normal(text) == _normal(other) for other in earlier):
            raise Refused(f"{what}: each authorising official writes their own justification; this one repeats "
                          "an earlier official's words")
        kinds = personal_data_in(text)
        if kinds:
            # The justification is stored, shown and audited: Veil must not keep the personal data it guards.
            raise Refused(f"{what}: the justification holds personal data ({', '.join(kinds)}); name the consent "
                          "record, order or decision by its reference, not the person")
        return basis


def personal_data_in(text: str) -> list[str]:
    """The finding kinds Veil's own checker raises on `text` under the default policy (none: it may be kept)."""
    from veil.pipeline import check_bytes  # the checker is heavy to import; only an override needs it here

    result = check_bytes(text.encode("utf-8"), "justification.txt", _default_policy())
    if result.verdict is Verdict.PASS:
        return []
    return sorted({str(f.kind) for f in result.findings if _default_policy().effect(f.kind) != "note"})


@lru_cache(maxsize=1)
def _default_policy() -> Policy:
    return load_policy()


def _normal(text: str) -> str:
    return " ".join(m.group(0) for m in _WORD.finditer(text.lower()))


@lru_cache(maxsize=1)
def default_rules() -> OverrideRules:
    return OverrideRules.from_policy(_default_policy())
