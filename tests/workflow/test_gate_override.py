"""The 2022 failure was a routine approval: one official, boilerplate text. An override of a block/unverifiable file
now takes two authorising officials, neither submitter nor uploader, each naming a legal basis from the policy's
list and writing why it applies in their own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.gate import CONSENT, LEAKING, WHY_OLGA, WHY_OMAR, make_cast, make_release, sha_of, user
from veil.errors import UsageError
from veil.policy import load_policy
from veil.workflow import approvals, publishing, releases
from veil.workflow.errors import Refused
from veil.workflow.gate import Gate
from veil.workflow.overrides import OverrideRules, default_rules
from veil.workflow.scanning import drain

BOILERPLATE_2022 = "Routine statistics update, approved for posting."


@pytest.fixture
def cast(gate: Gate) -> Gate:
    make_cast(gate)
    return gate


def approve(gate: Gate, rid: int, who: str, why: str = "", basis: str = "", rules: OverrideRules | None = None,
            shas: list[str] | None = None) -> None:
    with gate.db.write() as s:
        approvals.approve(s, releases.get_release(s, rid), user(s, who), shas or [sha_of(gate, rid, "roster.txt")],
                          why, basis, rules)


def state(gate: Gate, rid: int) -> approvals.FileState:
    with gate.db.read() as s:
        return approvals.file_states(s, releases.get_release(s, rid))[0]


@pytest.mark.parametrize("why", [
    BOILERPLATE_2022,
    BOILERPLATE_2022 + " " + BOILERPLATE_2022,
    "Routine quarterly statistics update as usual, approved for publication on the website, no concerns.",
    "ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok ok",
])
def test_boilerplate_is_not_a_justification(cast: Gate, why: str) -> None:
    rid = make_release(cast, {"roster.txt": LEAKING})
    with pytest.raises(Refused, match="not boilerplate|at least 40"):
        approve(cast, rid, "olga", why, CONSENT)
    assert state(cast, rid).overrides == []


def test_the_2022_approval_is_refused_and_so_is_one_official(cast: Gate) -> None:
    rid = make_release(cast, {"roster.txt": LEAKING})
    with pytest.raises(Refused, match="legal basis"):
        approve(cast, rid, "olga", BOILERPLATE_2022)  # one official, boilerplate, no basis: the 2022 approval
    with pytest.raises(Refused, match="legal basis, one of: 208.6"):
        approve(cast, rid, "olga", WHY_OLGA, "statistics-update")  # not a basis on the list
    approve(cast, rid, "olga", WHY_OLGA, CONSENT)
    with pytest.raises(Refused, match="only authorising officials"):
        approve(cast, rid, "bob")
    assert not state(cast, rid).approved
    with cast.db.write() as s, pytest.raises(Refused, match="nothing to publish"):
        publishing.publish(s, cast.blobs, cast.site, releases.get_release(s, rid), user(s, "paul"))


def test_the_second_official_writes_their_own_words(cast: Gate) -> None:
    rid = make_release(cast, {"roster.txt": LEAKING})
    approve(cast, rid, "olga", WHY_OLGA, CONSENT)
    with pytest.raises(Refused, match="repeats an earlier official"):
        approve(cast, rid, "omar", "  " + WHY_OLGA.upper() + " ", CONSENT)
    with pytest.raises(Refused, match="already approved"):
        approve(cast, rid, "olga", WHY_OMAR, CONSENT)
    approve(cast, rid, "omar", WHY_OMAR, "court-order")  # a different basis is the second official's call
    current = state(cast, rid)
    assert current.approved and [o.legal_basis for o in current.overrides] == [CONSENT, "court-order"]


def test_neither_the_submitter_nor_the_uploader_may_override(cast: Gate) -> None:
    rid = make_release(cast, {"roster.txt": LEAKING}, submitter="alice")
    with cast.db.write() as s:  # an admin who is also an authorising official uploads new bytes into the release
        releases.add_file(s, cast.blobs, releases.get_release(s, rid), user(s, "adele"), "roster.txt",
                          LEAKING + b"one more LEAK row\n")
    drain(cast.db, cast.blobs, cast.scanner, cast.policy)
    with pytest.raises(Refused, match="uploader of a version cannot approve it"):
        approve(cast, rid, "adele", WHY_OLGA, CONSENT)
    approve(cast, rid, "olga", WHY_OLGA, CONSENT)
    assert not state(cast, rid).approved
    own = make_release(cast, {"roster.txt": LEAKING}, submitter="adele")
    with pytest.raises(Refused, match="submitter of a release cannot approve"):
        approve(cast, own, "adele", WHY_OLGA, CONSENT)


def test_an_uploaders_approval_recorded_earlier_does_not_count(cast: Gate) -> None:
    """Approvals by the uploader of the current version never count, even of a benign file."""
    rid = make_release(cast, {"roster.txt": b"benign text\n"}, submitter="alice")
    approve(cast, rid, "bob")
    with cast.db.write() as s:
        releases.add_file(s, cast.blobs, releases.get_release(s, rid), user(s, "adele"), "roster.txt",
                          b"benign text, second version\n")
    drain(cast.db, cast.blobs, cast.scanner, cast.policy)
    with pytest.raises(Refused, match="uploader"):
        approve(cast, rid, "adele")
    approve(cast, rid, "bob")
    approve(cast, rid, "carol")
    assert state(cast, rid).approved and state(cast, rid).approvers == ["bob", "carol"]


def test_legal_bases_and_thresholds_come_from_the_policy(cast: Gate, tmp_path: Path) -> None:
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text("gate:\n  override:\n    min_justification: 60\n    legal_bases:\n"
                           "      - {id: tribunal-order, label: 'An order of the tribunal (name it)'}\n")
    rules = OverrideRules.from_policy(load_policy(policy_file))
    assert [b.id for b in rules.legal_bases] == ["tribunal-order"] and rules.min_justification == 60
    assert load_policy(policy_file).version == load_policy().version  # gate settings do not change any verdict
    rid = make_release(cast, {"roster.txt": LEAKING})
    with pytest.raises(Refused, match="one of: tribunal-order"):
        approve(cast, rid, "olga", WHY_OLGA, CONSENT, rules)
    with pytest.raises(Refused, match="at least 60"):
        approve(cast, rid, "olga", "Tribunal order TO-2024-77 names this roster.",
                "tribunal-order", rules)
    approve(cast, rid, "olga", WHY_OLGA, "tribunal-order", rules)


@pytest.mark.parametrize("yaml_text, message", [
    ("gate:\n  override:\n    legal_bases: []\n", "legal_bases is empty"),
    ("gate:\n  override:\n    legal_bases: [{id: x}]\n", "needs an `id` and a `label`"),
    ("gate:\n  override:\n    legal_bases: [{id: 'a b', label: L}]\n", "letters, digits"),
    ("gate:\n  override:\n    legal_bases: [{id: a, label: L}, {id: a, label: M}]\n", "share an id"),
    ("gate:\n  override:\n    min_justification: 5\n", "at least 20 characters"),
    ("gate:\n  override:\n    min_specific_words: many\n", "are numbers"),
])
def test_a_bad_gate_policy_is_a_clear_set_up_error(tmp_path: Path, yaml_text: str, message: str) -> None:
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text(yaml_text)
    with pytest.raises(UsageError, match=message):
        OverrideRules.from_policy(load_policy(policy_file))
    with pytest.raises(UsageError, match=message):
        Gate.open(tmp_path / "data", policy_path=str(policy_file))


def test_the_default_legal_bases() -> None:
    ids = [b.id for b in default_rules().legal_bases]
    assert ids[0] == CONSENT and "court-order" in ids and "208.6(c)(2)-court" in ids and "1367(b)-exception" in ids


def test_a_justification_that_names_the_person_is_refused(cast: Gate) -> None:
    rid = make_release(cast, {"roster.txt": LEAKING})
    with pytest.raises(Refused, match="holds personal data .*identifier-in-text"):
        approve(cast, rid, "olga", "Written consent of GARCIA, Jose A123456789, who sought asylum, signed "
                                   "on 2024-05-02 and kept as consent record CR-118.", CONSENT)
    assert state(cast, rid).overrides == []
