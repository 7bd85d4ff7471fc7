"""The approval and publishing rules, on SQLite and PostgreSQL: every forbidden path is refused."""

from __future__ import annotations

import hashlib

import pytest

from support.gate import BENIGN, CONSENT, LEAKING, WHY_OLGA, WHY_OMAR, make_cast, make_release, sha_of, user
from veil.workflow import approvals, audit, publishing, releases
from veil.workflow.errors import Forbidden, Invalid, Refused
from veil.workflow.gate import Gate


@pytest.fixture
def cast(gate: Gate) -> Gate:
    make_cast(gate)
    return gate


def approve(gate: Gate, release_id: int, who: str, shas: list[str], justification: str = "",
            legal_basis: str = "") -> None:
    with gate.db.write() as s:
        approvals.approve(s, releases.get_release(s, release_id), user(s, who), shas, justification, legal_basis)


def publish(gate: Gate, release_id: int, who: str = "paul", shas: list[str] | None = None) -> list[str]:
    with gate.db.write() as s:
        pubs = publishing.publish(s, gate.blobs, gate.site, releases.get_release(s, release_id), user(s, who), shas)
        return [p.path for p in pubs]


def states(gate: Gate, release_id: int) -> dict[str, approvals.FileState]:
    with gate.db.read() as s:
        return {st.file.name: st for st in approvals.file_states(s, releases.get_release(s, release_id))}


def test_two_approvals_then_publish_writes_exactly_the_approved_bytes(cast: Gate) -> None:
    rid = make_release(cast, {"stats.txt": BENIGN})
    sha = sha_of(cast, rid, "stats.txt")
    approve(cast, rid, "bob", [sha])
    approve(cast, rid, "carol", [sha])
    assert states(cast, rid)["stats.txt"].approved
    assert publish(cast, rid) == ["stats/2024-q3/stats.txt"]
    published = (cast.site.root / "stats/2024-q3/stats.txt").read_bytes()  # type: ignore[attr-defined]
    assert hashlib.sha256(published).hexdigest() == sha
    with cast.db.read() as s:
        assert audit.verify(s).ok
        events = [e.event for e in audit.page(s, limit=100)]
    assert {"upload", "scan-result", "approval", "publication"} <= set(events)


def test_self_approval_is_refused(cast: Gate) -> None:
    rid = make_release(cast, {"stats.txt": BENIGN}, submitter="sam")
    with pytest.raises(Refused, match="submitter"):
        approve(cast, rid, "sam", [sha_of(cast, rid, "stats.txt")])


def test_one_approval_is_not_enough_to_publish(cast: Gate) -> None:
    rid = make_release(cast, {"stats.txt": BENIGN})
    sha = sha_of(cast, rid, "stats.txt")
    approve(cast, rid, "bob", [sha])
    assert not states(cast, rid)["stats.txt"].approved
    with pytest.raises(Refused, match="not approved|nothing to publish"):
        publish(cast, rid)
    with pytest.raises(Refused, match="not approved"):
        publish(cast, rid, shas=[sha])


def test_the_same_person_cannot_approve_twice(cast: Gate) -> None:
    rid = make_release(cast, {"stats.txt": BENIGN})
    sha = sha_of(cast, rid, "stats.txt")
    approve(cast, rid, "bob", [sha])
    with pytest.raises(Refused, match="already approved"):
        approve(cast, rid, "bob", [sha])


@pytest.mark.parametrize("content", [LEAKING, b"UNREADABLE encrypted"])
def test_block_or_unverifiable_needs_two_authorising_officials_with_a_legal_basis(cast: Gate,
                                                                                  content: bytes) -> None:
    rid = make_release(cast, {"roster.txt": content})
    sha = sha_of(cast, rid, "roster.txt")
    assert states(cast, rid)["roster.txt"].blocking
    with pytest.raises(Refused, match="only authorising officials"):
        approve(cast, rid, "bob", [sha])
    with pytest.raises(Refused, match="legal basis"):
        approve(cast, rid, "olga", [sha], WHY_OLGA)
    with pytest.raises(Refused, match="at least 40 characters"):
        approve(cast, rid, "olga", [sha], "ok", CONSENT)
    approve(cast, rid, "olga", [sha], WHY_OLGA, CONSENT)
    state = states(cast, rid)["roster.txt"]
    assert not state.approved and "1 more authorising official" in state.needs
    with pytest.raises(Refused, match="only authorising officials"):  # a reviewer cannot be the second person
        approve(cast, rid, "bob", [sha])
    approve(cast, rid, "omar", [sha], WHY_OMAR, CONSENT)
    state = states(cast, rid)["roster.txt"]
    assert state.approved and state.overridden_by == ["olga", "omar"]
    assert [o.legal_basis for o in state.overrides] == [CONSENT, CONSENT]
    with cast.db.read() as s:
        overrides = [e for e in audit.page(s) if e.event == "override"]
    assert len(overrides) == 2 and all(e.payload["sha256s"] == [sha] for e in overrides)
    assert {e.payload["legal_basis"] for e in overrides} == {CONSENT}


def test_changed_bytes_after_approval_need_new_approvals(cast: Gate) -> None:
    rid = make_release(cast, {"stats.txt": BENIGN})
    old = sha_of(cast, rid, "stats.txt")
    approve(cast, rid, "bob", [old])
    approve(cast, rid, "carol", [old])
    with cast.db.write() as s:
        releases.add_file(s, cast.blobs, releases.get_release(s, rid), user(s, "alice"), "stats.txt",
                          BENIGN + b"one more line\n")
    new = sha_of(cast, rid, "stats.txt")
    assert new != old
    st = states(cast, rid)["stats.txt"]
    assert st.file.version == 2 and not st.scanned and not st.approved
    with pytest.raises(Refused):
        publish(cast, rid)
    with pytest.raises(Refused, match="not the current version"):
        publish(cast, rid, shas=[old])
    with pytest.raises(Refused, match="not the current version"):
        approve(cast, rid, "olga", [old], "x" * 30)
    with pytest.raises(Refused, match="not been scanned"):
        approve(cast, rid, "bob", [new])


def test_publishing_an_unapproved_file_is_refused_and_writes_nothing(cast: Gate) -> None:
    rid = make_release(cast, {"stats.txt": BENIGN, "roster.txt": LEAKING})
    good, bad = sha_of(cast, rid, "stats.txt"), sha_of(cast, rid, "roster.txt")
    approve(cast, rid, "bob", [good])
    approve(cast, rid, "carol", [good])
    with pytest.raises(Refused, match="roster.txt is not approved"):
        publish(cast, rid, shas=[good, bad])
    assert not (cast.site.root / "stats/2024-q3").exists()  # type: ignore[attr-defined]
    assert publish(cast, rid) == ["stats/2024-q3/stats.txt"]  # default: the approved files only
    assert not (cast.site.root / "stats/2024-q3/roster.txt").exists()  # type: ignore[attr-defined]


def test_publishing_refuses_bytes_that_no_longer_match(cast: Gate) -> None:
    rid = make_release(cast, {"stats.txt": BENIGN})
    sha = sha_of(cast, rid, "stats.txt")
    approve(cast, rid, "bob", [sha])
    approve(cast, rid, "carol", [sha])
    cast.blobs.path(sha).write_bytes(b"tampered")
    with pytest.raises(Refused, match="no longer match"):
        publish(cast, rid)
    assert not (cast.site.root / "stats/2024-q3/stats.txt").exists()  # type: ignore[attr-defined]


def test_rejection_needs_a_comment_and_voids_earlier_approvals(cast: Gate) -> None:
    rid = make_release(cast, {"stats.txt": BENIGN})
    sha = sha_of(cast, rid, "stats.txt")
    approve(cast, rid, "bob", [sha])
    with pytest.raises(Invalid, match="comment"), cast.db.write() as s:
        approvals.reject(s, releases.get_release(s, rid), user(s, "carol"), "  ")
    with cast.db.write() as s:
        approvals.reject(s, releases.get_release(s, rid), user(s, "carol"), "Wrong quarter")
    with pytest.raises(Refused, match="rejected"):
        approve(cast, rid, "carol", [sha])
    with cast.db.write() as s:  # a new version reopens the release; approvals from before the rejection are void
        releases.add_file(s, cast.blobs, releases.get_release(s, rid), user(s, "alice"), "stats.txt", b"fixed\n")
    make_release(cast, {})  # drains the queue
    st = states(cast, rid)["stats.txt"]
    assert st.approvers == [] and st.scanned


def test_withdraw_removes_the_published_files(cast: Gate) -> None:
    rid = make_release(cast, {"stats.txt": BENIGN})
    sha = sha_of(cast, rid, "stats.txt")
    approve(cast, rid, "bob", [sha])
    approve(cast, rid, "carol", [sha])
    publish(cast, rid)
    target = cast.site.root / "stats/2024-q3/stats.txt"  # type: ignore[attr-defined]
    assert target.exists()
    with cast.db.write() as s:
        publishing.withdraw(s, cast.site, releases.get_release(s, rid), user(s, "paul"))
    assert not target.exists()
    with cast.db.read() as s:
        pubs = publishing.publications(s, rid)
        assert pubs and all(p.withdrawn is not None for p in pubs)
        assert releases.get_release(s, rid).status == "withdrawn"


def test_roles_are_enforced_by_the_workflow_too(cast: Gate) -> None:
    rid = make_release(cast, {"stats.txt": BENIGN})
    sha = sha_of(cast, rid, "stats.txt")
    with pytest.raises(Forbidden):
        approve(cast, rid, "paul", [sha])
    approve(cast, rid, "bob", [sha])
    approve(cast, rid, "carol", [sha])
    with pytest.raises(Forbidden):
        publish(cast, rid, who="bob")
    with pytest.raises(Forbidden), cast.db.write() as s:
        releases.add_file(s, cast.blobs, releases.get_release(s, rid), user(s, "bob"), "x.txt", b"x")


@pytest.mark.parametrize("path", ["../etc", "/abs/path", "a/../../b", "", "a/<script>"])
def test_unsafe_target_paths_are_refused(path: str) -> None:
    with pytest.raises(Invalid):
        releases.clean_target_path(path)


def test_a_path_live_from_another_release_is_not_overwritten(cast: Gate) -> None:
    first = make_release(cast, {"stats.txt": BENIGN})
    second = make_release(cast, {"stats.txt": BENIGN + b"v2\n"})
    for rid in (first, second):
        sha = sha_of(cast, rid, "stats.txt")
        approve(cast, rid, "bob", [sha])
        approve(cast, rid, "carol", [sha])
    publish(cast, first)
    with pytest.raises(Refused, match="live from release"):
        publish(cast, second)
    assert (cast.site.root / "stats/2024-q3/stats.txt").read_bytes() == BENIGN  # type: ignore[attr-defined]
