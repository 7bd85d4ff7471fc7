"""API request and response models (they also make the OpenAPI document under /api/openapi.json)."""

from __future__ import annotations

from pydantic import BaseModel, Field

SHA256 = r"^[0-9a-fA-F]{64}$"


class ReleaseIn(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    target_path: str = Field(min_length=1, max_length=500, description="relative path on the public site")
    notes: str = Field(default="", max_length=20_000)


class ApprovalIn(BaseModel):
    sha256s: list[str] = Field(min_length=1, max_length=500, description="the exact file versions approved")
    justification: str = Field(default="", max_length=5000,
                               description="required to override a block/unverifiable file: why the legal basis "
                                           "applies to this file, in the official's own words (boilerplate is "
                                           "refused)")
    legal_basis: str = Field(default="", max_length=80,
                             description="required to override a block/unverifiable file: the id of a legal basis "
                                         "from GET /api/legal-bases")


class RejectionIn(BaseModel):
    comment: str = Field(min_length=1, max_length=5000)


class PublishIn(BaseModel):
    sha256s: list[str] | None = Field(default=None, max_length=500,
                                      description="file versions to publish; default: every approved file")


class FindingOut(BaseModel):
    """A finding as `veil check --format json` reports it (masked), with the gate's effect and reading aids."""

    kind: str
    location: str
    visible: bool
    visibility: str
    message: str
    detector: str
    where: dict[str, str | int] = Field(default_factory=dict,
                                        description="the location in parts: part, sheet, cell_range, page…")
    effect: str
    evidence: list[str] = Field(default_factory=list, description="why the detector flagged it (masked)")
    samples: list[str] = Field(default_factory=list, description="masked examples of what was found")
    cells: list[str] = Field(default_factory=list, description="small-cells: the cells flagged, as 'C7=3'")
    fingerprint: str = Field(default="", description="the finding's key in a `veil check` baseline file")
    place: str = Field(default="", description="the location without the container's internal part names")
    parts: str = Field(default="", description="the container's internal part names, if any")
    advice: str = Field(default="", description="what to do about it, as the text report says")


class OverrideOut(BaseModel):
    by: str
    legal_basis: str
    legal_basis_label: str
    justification: str
    created: str


class LegalBasisOut(BaseModel):
    id: str
    label: str


class FileOut(BaseModel):
    id: int
    path: str
    version: int
    sha256: str
    size: int
    uploaded: str
    scan_status: str
    verdict: str | None
    persons: int
    format: str
    scanner_version: str
    policy_version: str
    findings: list[FindingOut]
    approvers: list[str]
    approved: bool
    needs: str
    blocking: bool
    overridden_by: list[str]
    justifications: list[str]
    overrides: list[OverrideOut]
    uploader: str = Field(default="", description="who uploaded this version (they cannot approve it)")
    officials_needed: int = Field(description="authorising officials' overrides still needed (block/unverifiable)")


class DecisionOut(BaseModel):
    action: str
    by: str
    override: bool
    legal_basis: str
    comment: str
    created: str
    sha256s: list[str]


class PublicationOut(BaseModel):
    path: str
    sha256: str
    site: str
    published: str
    by: str
    withdrawn: str | None
    overridden: bool = Field(description="these bytes are live under authorising officials' override")


class ReleaseOut(BaseModel):
    id: int
    title: str
    target_path: str
    status: str
    submitter: str
    created: str
    updated: str
    overridden: bool = Field(description="an authorising official overrode a block/unverifiable file")


class ReleaseDetailOut(ReleaseOut):
    notes: str
    verdict: str | None
    scans_pending: int
    overridden: bool
    files: list[FileOut]
    decisions: list[DecisionOut]
    publications: list[PublicationOut]


class ReleasePage(BaseModel):
    page: int
    per_page: int
    total: int
    releases: list[ReleaseOut]


class Me(BaseModel):
    username: str
    roles: list[str]


class AuditEntryOut(BaseModel):
    seq: int
    created: str
    actor: str
    event: str
    payload: dict[str, object]
    prev_hash: str
    hash: str


class AuditVerifyOut(BaseModel):
    ok: bool
    entries: int
    head: str
    problems: list[str]


class Problem(BaseModel):
    detail: str
