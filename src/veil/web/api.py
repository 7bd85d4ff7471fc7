"""JSON API under /api: bearer-token auth, the same workflow calls as the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, status
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from veil.store.models_accounts import User
from veil.web.schemas import (
    ApprovalIn,
    AuditEntryOut,
    AuditVerifyOut,
    FileOut,
    LegalBasisOut,
    Me,
    Problem,
    PublishIn,
    RejectionIn,
    ReleaseDetailOut,
    ReleaseIn,
    ReleaseOut,
    ReleasePage,
)
from veil.web.security import Principal, gate_of, requires
from veil.web.uploads import FILE_BODY, receive_form, upload_limits
from veil.workflow import accounts, approvals, audit, audit_anchor, publishing, releases
from veil.workflow.errors import Invalid
from veil.workflow.roles import Role
from veil.workflow.uploads import UploadReceiver, add_uploads
from veil.workflow.views import file_view, release_detail, release_page, release_summary

_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {"model": Problem}, 403: {"model": Problem}, 404: {"model": Problem}, 409: {"model": Problem},
    413: {"model": Problem}, 422: {"description": "invalid input"},
}
router = APIRouter(tags=["release gate"], responses=_ERRORS)

AnyRole = Annotated[Principal, Depends(requires(api=True))]
Submitter = Annotated[Principal, Depends(requires(Role.SUBMITTER, api=True))]
Decider = Annotated[Principal, Depends(requires(Role.REVIEWER, Role.AUTHORISING_OFFICIAL, api=True))]
Publisher = Annotated[Principal, Depends(requires(Role.PUBLISHER, api=True))]
Auditor = Annotated[Principal, Depends(requires(Role.AUDITOR, Role.ADMIN, api=True))]
Admin = Annotated[Principal, Depends(requires(Role.ADMIN, api=True))]
ReleaseId = Annotated[int, Path(ge=1, le=2_147_483_647, description="release id")]
TokenId = Annotated[int, Path(ge=1, le=2_147_483_647, description="token id")]


class TokenOut(BaseModel):
    """An API token as listed: never its secret (only a hash is kept)."""

    id: int
    username: str
    name: str
    created: datetime
    revoked: bool


def _user(session: Any, principal: Principal) -> User:
    user = session.get(User, principal.id)
    assert user is not None
    return user


@router.get("/me", response_model=Me)
def me(principal: AnyRole) -> Me:
    return Me(username=principal.username, roles=sorted(principal.roles))


@router.get("/releases", response_model=ReleasePage)
def list_releases(request: Request, principal: AnyRole, page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
                  per_page: Annotated[int, Query(ge=1, le=200)] = 50) -> dict[str, Any]:
    with gate_of(request).db.read() as s:
        items, total = release_page(s, page, per_page)
        return {"page": page, "per_page": per_page, "total": total, "releases": items}


@router.post("/releases", response_model=ReleaseOut, status_code=status.HTTP_201_CREATED)
def create_release(request: Request, body: ReleaseIn, principal: Submitter) -> dict[str, Any]:
    with gate_of(request).db.write() as s:
        release = releases.create_release(s, _user(s, principal), body.title, body.target_path, body.notes)
        return release_summary(release, principal.username)


@router.get("/releases/{release_id}", response_model=ReleaseDetailOut)
def get_release(request: Request, release_id: ReleaseId, principal: AnyRole) -> dict[str, Any]:
    gate = gate_of(request)
    with gate.db.read() as s:
        return release_detail(s, release_id, gate.override_rules)


@router.post("/releases/{release_id}/files", response_model=FileOut, status_code=status.HTTP_201_CREATED,
             openapi_extra=FILE_BODY)
async def upload_file(request: Request, release_id: ReleaseId, principal: Submitter) -> dict[str, Any]:
    """Add one file (multipart field `file`). The token and role are checked before the body is read, and the
    size while it streams."""
    gate = gate_of(request)
    receiver = UploadReceiver(gate.blobs, upload_limits(request))
    form = await receive_form(request, receiver)  # stores the bytes before the database's write lock is taken
    if len(form.files) != 1:
        raise Invalid("send exactly one file, in the multipart field 'file'")

    def add() -> dict[str, Any]:
        with gate.db.write() as s:
            release = releases.get_release(s, release_id, lock=True)
            file_id = add_uploads(s, gate.blobs, release, _user(s, principal), form.files)[0].id
        gate.wake_worker()
        with gate.db.read() as s:
            release = releases.get_release(s, release_id)
            return file_view(next(st for st in approvals.file_states(s, release) if st.file.id == file_id),
                             gate.override_rules)

    return await run_in_threadpool(add)


@router.get("/legal-bases", response_model=list[LegalBasisOut])
def legal_bases(request: Request, principal: AnyRole) -> list[dict[str, str]]:
    """The legal bases an override may name (the policy's `gate.override.legal_bases`)."""
    return [{"id": b.id, "label": b.label} for b in gate_of(request).override_rules.legal_bases]


@router.post("/releases/{release_id}/approvals", response_model=ReleaseDetailOut)
def approve(request: Request, release_id: ReleaseId, body: ApprovalIn, principal: Decider) -> dict[str, Any]:
    """Approve file versions. A block/unverifiable file needs two authorising officials' overrides, each with a
    `legal_basis` and a `justification`."""
    gate = gate_of(request)
    with gate.db.write() as s:
        release = releases.get_release(s, release_id, lock=True)
        approvals.approve(s, release, _user(s, principal), body.sha256s, body.justification, body.legal_basis,
                          gate.override_rules)
        return release_detail(s, release_id, gate.override_rules)


@router.post("/releases/{release_id}/rejections", response_model=ReleaseDetailOut)
def reject(request: Request, release_id: ReleaseId, body: RejectionIn, principal: Decider) -> dict[str, Any]:
    gate = gate_of(request)
    with gate.db.write() as s:
        release = releases.get_release(s, release_id, lock=True)
        approvals.reject(s, release, _user(s, principal), body.comment)
        return release_detail(s, release_id, gate.override_rules)


@router.post("/releases/{release_id}/publications", response_model=ReleaseDetailOut)
def publish(request: Request, release_id: ReleaseId, body: PublishIn, principal: Publisher) -> dict[str, Any]:
    gate = gate_of(request)
    with gate.db.write() as s:
        release = releases.get_release(s, release_id, lock=True)
        publishing.publish(s, gate.blobs, gate.site, release, _user(s, principal), body.sha256s)
        return release_detail(s, release_id, gate.override_rules)


@router.post("/releases/{release_id}/withdrawal", response_model=ReleaseDetailOut)
def withdraw(request: Request, release_id: ReleaseId, principal: Publisher) -> dict[str, Any]:
    gate = gate_of(request)
    with gate.db.write() as s:
        release = releases.get_release(s, release_id, lock=True)
        publishing.withdraw(s, gate.site, release, _user(s, principal))
        return release_detail(s, release_id, gate.override_rules)


@router.get("/audit", response_model=list[AuditEntryOut])
def audit_log(request: Request, principal: Auditor, offset: Annotated[int, Query(ge=0, le=10**9)] = 0,
              limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> list[dict[str, Any]]:
    with gate_of(request).db.read() as s:
        return [audit.entry_dict(e) for e in audit.page(s, offset, limit)]


@router.get("/audit/verify", response_model=AuditVerifyOut)
def audit_verify(request: Request, principal: Auditor) -> dict[str, Any]:
    """The chain checked against itself and, when the gate anchors it, against its signed checkpoints."""
    gate = gate_of(request)
    with gate.db.read() as s:
        if gate.anchor is None:
            result = audit.verify(s)
            return {"ok": result.ok, "entries": result.entries, "head": result.head, "problems": result.problems}
        anchored = audit_anchor.verify(s, gate.anchor)
    chain = anchored.chain
    return {"ok": anchored.ok, "entries": chain.entries, "head": chain.head,
            "problems": chain.problems + anchored.problems}


@router.get("/tokens", response_model=list[TokenOut])
def list_tokens(request: Request, principal: Admin,
                username: Annotated[str | None, Query(max_length=64)] = None) -> list[accounts.TokenInfo]:
    """Every API token, or one user's (admin)."""
    with gate_of(request).db.read() as s:
        return accounts.list_tokens(s, username)


@router.post("/tokens/{token_id}/revocation", response_model=TokenOut)
def revoke_token(request: Request, token_id: TokenId, principal: Admin) -> accounts.TokenInfo:
    """Revoke an API token for good (admin); audited."""
    with gate_of(request).db.write() as s:
        return accounts.revoke_token(s, token_id, actor=principal.username)
