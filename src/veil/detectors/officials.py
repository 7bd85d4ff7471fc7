"""Tables of public officials: a staff directory, a press release's media contacts, the members of a legislature, a
salary report. The people in them are named in their public role, and the table passes.

What tells such a table from a roster of private people is a class of evidence, not a list of examples: a column of
job titles, of parties or of offices (the role), or of work e-mail addresses at a public body's domain; and none of
what only a roster holds (a personal identifier, a protection claim, a charge or case, a booking or case number,
nationality beside a detention facility). A "Title" column of Mr and Ms is a form of address, not a role. A birth
date is what members' lists and rosters share: it is allowed only beside a role column. The word lists are data
(data/terms/roles.yaml)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from veil.detectors.vocab import fold_words
from veil.yamlio import load_yaml

# Column kinds that say what office a person holds.
ROLE_KINDS = frozenset({"job-title", "party", "organisation", "official-name"})
# Column kinds that only a roster of private people holds.
ROSTER_KINDS = frozenset({"a-number", "ssn", "passport", "case-status", "matter", "record-id"})
_DOMAIN = re.compile(r"@([A-Za-z0-9.-]+)\s*$")


@lru_cache(maxsize=1)
def _terms() -> dict[str, Any]:
    text = resources.files("veil.detectors.data").joinpath("terms/roles.yaml").read_text(encoding="utf-8")
    data = load_yaml(text)
    return {
        "job": frozenset(fold_words(w) for words in data["job_words"].values() for w in words),
        "office": frozenset(fold_words(w) for words in data["office_words"].values() for w in words),
        "honorifics": frozenset(fold_words(w) for w in data["honorifics"]),
        "parties": frozenset(fold_words(w) for w in data["parties"]),
        "free_mail": frozenset(str(d).lower() for d in data["free_mail"]),
        "public": tuple(str(d).lower() for d in data["public_domains"]),
    }


def is_job_title(value: str) -> bool:
    """A value that names an office or a job ('Deputy Press Secretary', 'DIRECTOR OF SCHEDULING')."""
    words = fold_words(value).split()
    return 0 < len(words) <= 12 and any(w in _terms()["job"] for w in words)


def is_office_name(value: str) -> bool:
    """A value that names an office or unit ('Houston Asylum Office', 'Division de l'asile')."""
    words = fold_words(value).replace("-", " ").split()
    return 0 < len(words) <= 12 and any(w in _terms()["office"] for w in words)


def names_the_role(kind: str, value: str) -> bool:
    """A value of a column of titles or offices that is a title or an office: an asylum word in it ('Supervisory
    Asylum Officer', 'Asylum Division', 'Chefe de Refúgio') names the work, not a person's claim."""
    if kind == "job-title":
        return is_job_title(value) or is_office_name(value)
    return kind == "organisation" and is_office_name(value)


def is_honorific(value: str) -> bool:
    return fold_words(value) in _terms()["honorifics"]


def is_party(value: str) -> bool:
    """A political party as lists of members write it; one-letter codes only count beside a party header."""
    folded = fold_words(value)
    return len(folded) > 1 and folded in _terms()["parties"]


def is_party_code(value: str) -> bool:
    return fold_words(value) in _terms()["parties"]


def work_email_share(values: Sequence[str]) -> float:
    """The share of e-mail addresses at a public body's domain, or at an organisation's shared domain (most
    addresses at one or two domains that are not free mail providers)."""
    domains = [m.group(1).lower() for v in values if (m := _DOMAIN.search(v))]
    if not domains:
        return 0.0
    terms = _terms()
    public = sum(1 for d in domains if d.endswith(terms["public"]))
    private = [d for d in domains if d not in terms["free_mail"] and not d.endswith(terms["public"])]
    shared = 0
    if len(domains) >= 3 and private:
        counts: dict[str, int] = {}
        for d in private:
            counts[d] = counts.get(d, 0) + 1
        shared = sum(sorted(counts.values(), reverse=True)[:2])
    return (public + shared) / len(domains)


@dataclass(frozen=True)
class ColumnFacts:
    """What the officials' rule needs to know about one column: its class and its header's class."""

    index: int
    kind: str
    values: Sequence[str]


def officials_reason(columns: Sequence[ColumnFacts], status_in_cells: bool) -> str | None:
    """Why the people of this table are officials named in their role, or None when it may be a roster."""
    kinds = {c.kind for c in columns}
    if kinds & ROSTER_KINDS or status_in_cells:
        return None
    if "nationality" in kinds and "facility" in kinds:
        return None
    roles = sorted(kinds & ROLE_KINDS)
    emails = [c for c in columns if c.kind == "email"]
    work = [c for c in emails if work_email_share(c.values) >= 0.8]
    if emails and not work:
        return None  # private e-mail addresses: a list of private people's contacts
    if "date-of-birth" in kinds and ("nationality" in kinds or not kinds & {"party", "job-title"}):
        return None  # a birth date beside names and a nationality or a phone number is a roster's
    evidence = [_ROLE_WORDS[k] for k in roles]
    if work:
        evidence.append("work e-mail addresses")
    if not evidence:
        return None
    return " and ".join(evidence)


_ROLE_WORDS = {"job-title": "job titles", "party": "political parties", "organisation": "offices",
               "official-name": "an official's role in the header"}
