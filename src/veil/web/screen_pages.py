"""The screen page: a message (pasted, or a file) or a manifest checked before it is sent, as `veil screen` does it,
for any signed-in user. Mounted by the app factory, `veil.web.app.create_app`.

    GET  /screen     the form: the text or a file, the recipient's kind and name, the people of incidents
    POST /screen     screen it; the answer is this page with the verdict, the findings and what to send instead

The same library calls as the CLI (`veil.screen`): the registry of `screen_registry` (the people of incidents, on
unless unticked), `screen_message` or `screen_manifest`, and `veil.screen.audit.record` with the signed-in user as
the actor, written before the verdict is shown (a decision that could not be audited is not shown). The file comes
through the one upload function (`receive_form`, its CSRF check and size limits) into a `HeldReceiver`: it is held
in memory for the screen and never stored.

No redirect after the POST (the pages' usual Post/Redirect/Get): the suggestion is what the sender wrote, minus the
disclosures, and the server keeps none of it, so there is no page to redirect to. Reloading screens again (and
audits again). Findings are shown as the screen masks them; the only text of the message shown back is the
suggestion, which is what may be sent.
"""

from __future__ import annotations

import base64
from dataclasses import replace
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from veil.errors import UsageError
from veil.masking import mask
from veil.screen import (
    Recipient,
    RecipientKind,
    ScreenResult,
    load_screen_policy,
    screen_manifest,
    screen_message,
)
from veil.screen.audit import masked_location, record
from veil.screen.incident_registry import screen_registry
from veil.shown_names import masked_name
from veil.web.pages import FieldErrors
from veil.web.rendering import render
from veil.web.security import Principal, gate_of, requires, requires_upload
from veil.web.uploads import MAX_FIELD_BYTES, receive_form, upload_limits
from veil.workflow.errors import WorkflowError
from veil.workflow.uploads import HeldReceiver, TooLarge

router = APIRouter(include_in_schema=False)
AnyRole = Annotated[Principal, Depends(requires())]
# any role may screen; the CSRF token is checked as the body streams, before the file (veil.web.uploads)
Screener = Annotated[Principal, Depends(requires_upload())]

MESSAGE_TYPES = (".eml", ".msg", ".docx", ".pdf", ".txt")
MANIFEST_TYPES = (".csv", ".xlsx")
MAX_RECIPIENT = 200
PASTED = "message.txt"  # the name a pasted message is screened (and audited) under
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_OFFERED_COPY = 8 * 1024 * 1024  # a manifest copy is offered in the page itself (a data: link) up to this size


def _kinds() -> list[dict[str, Any]]:
    """Every recipient kind, with whether the screen policy lets it know and why (the form's select and its hint)."""
    policy = load_screen_policy()
    out = []
    for kind in RecipientKind:
        rule = policy.rule(kind)
        out.append({"value": kind.value, "may_know": bool(rule and rule.may_know),
                    "basis": rule.basis if rule else ""})
    return out


def _page(request: Request, principal: Principal, status_code: int = 200, **context: Any) -> HTMLResponse:
    context.setdefault("form", {"incidents": True})
    limits = upload_limits(request)
    return render(request, "screen.html", principal, status_code=status_code, kinds=_kinds(),
                  message_types=MESSAGE_TYPES, manifest_types=MANIFEST_TYPES, max_file_bytes=limits.max_file_bytes,
                  max_text_bytes=MAX_FIELD_BYTES, **context)


@router.get("/screen", response_class=HTMLResponse)
def screen_form(request: Request, principal: AnyRole) -> Response:
    return _page(request, principal)


def _incidents(fields: dict[str, str]) -> bool:
    """The incidents box: a hidden `off` follows the checkbox and the first value of a name wins, so unticked sends
    `off`; a form with neither (a script) keeps the incidents on, as the CLI does with a database."""
    return fields.get("incidents", "on") != "off"


def _refill(fields: dict[str, str]) -> dict[str, Any]:
    """What the form shows again: the kind and the incidents box. Never the message or the recipient's name: the page
    shows nothing typed into it back (the suggestion aside)."""
    return {"recipient_kind": fields.get("recipient_kind", ""), "incidents": _incidents(fields)}


def _field_errors(fields: dict[str, str]) -> dict[str, str]:
    errors: dict[str, str] = {}
    kind = fields.get("recipient_kind", "")
    if kind and kind not in {k.value for k in RecipientKind}:
        errors["recipient_kind"] = "choose a recipient kind from the list"
    if len(fields.get("recipient", "")) > MAX_RECIPIENT:
        errors["recipient"] = f"a recipient's name has at most {MAX_RECIPIENT} characters"
    return errors


def check_screen_fields(fields: dict[str, str], file_name: str | None) -> None:
    """The form's refusals, by field. `file_name` is None when no file came, "" when one is coming (its name is
    checked once known)."""
    errors = _field_errors(fields)
    text = fields.get("message", "").strip()
    if file_name is not None and text:
        errors["message"] = "paste the message or choose a file, not both"
    elif file_name and not file_name.lower().endswith(MESSAGE_TYPES + MANIFEST_TYPES):
        errors["file"] = f"a message is {', '.join(MESSAGE_TYPES)}; a manifest is {' or '.join(MANIFEST_TYPES)}"
    elif file_name is None and not text:
        errors["message"] = "paste the message, or choose a file"
    if errors:
        raise FieldErrors(errors)


@router.post("/screen", response_class=HTMLResponse)
async def screen(request: Request, principal: Screener) -> Response:
    gate = gate_of(request)
    typed: dict[str, str] = {}

    def before_file(fields: dict[str, str]) -> None:
        typed.update(fields)
        check_screen_fields(typed, "")  # before the file's bytes are read

    receiver = HeldReceiver(replace(upload_limits(request), max_files=1))
    try:
        form = await receive_form(request, receiver, csrf=principal.csrf, before_files=before_file)
        typed.update(form.fields)
        name, blob = receiver.held[0] if receiver.held else (None, b"")
        check_screen_fields(typed, name)
        if name is None:
            name, blob = PASTED, typed["message"].replace("\r\n", "\n").encode("utf-8")

        def run() -> list[ScreenResult]:
            return _screen(gate, principal, typed, name, blob)

        results = await run_in_threadpool(run)
    except TooLarge:  # the receiver's message names the file; this page shows nothing sent to it back
        limit = receiver.limits.max_file_bytes
        return _page(request, principal, status_code=413, form=_refill(typed),
                     error=f"not screened: the file is larger than the {limit:,} byte upload limit")
    except WorkflowError as exc:
        errors = exc.errors if isinstance(exc, FieldErrors) else {}
        return _page(request, principal, status_code=exc.status, form=_refill(typed), errors=errors,
                     error="" if errors else str(exc))
    except UsageError as exc:  # the incidents could not be read: nothing is screened, nothing passes
        return _page(request, principal, status_code=503, form=_refill(typed), error=f"not screened: {exc}")
    return _page(request, principal, form=_refill(typed), results=[_view(r) for r in results])


def _screen(gate: Any, principal: Principal, fields: dict[str, str], name: str, blob: bytes) -> list[ScreenResult]:
    kind = fields.get("recipient_kind", "")
    who = Recipient(fields.get("recipient", "").strip(), RecipientKind(kind) if kind else None)
    rules = load_screen_policy()
    registry = screen_registry(None, gate.db if _incidents(fields) else None)
    if name.lower().endswith(MANIFEST_TYPES):
        results = [screen_manifest(blob, name, who, registry, rules)]
    else:
        results = [screen_message(blob, name, who, registry, rules)]
    with gate.db.write() as s:
        record(s, results, principal.username)
    return results


def _view(result: ScreenResult) -> dict[str, Any]:
    """One result as the page shows it: every finding kind the same way (a new kind needs no template change),
    locations with quoted names masked, the suggestion's text (what may be sent) or its manifest copy (a download
    link carrying the bytes: the server keeps no copy to link to)."""
    findings = [{"kind": f.kind.value, "effect": "block" if f.blocks else "allowed" if f.allowed else "note",
                 "location": masked_location(f.location), "message": f.message, "sentence": f.sentence,
                 "visible": f.visible} for f in result.findings]
    view: dict[str, Any] = {
        "verdict": result.verdict, "what": result.what,
        "name": "pasted text" if result.path == PASTED else masked_name(result.path),
        "recipient_kind": result.recipient.kind.value if result.recipient.kind else "",
        "recipient": mask(result.recipient.name) if result.recipient.name else "",
        "persons": result.persons, "findings": findings, "blocking": sum(1 for f in result.findings if f.blocks),
        "suggestion": None,
    }
    s = result.suggestion
    if s is not None:
        view["suggestion"] = {"kind": s.kind, "verdict": s.verdict, "changes": s.changes, "text": s.text,
                              "too_large": len(s.data) > MAX_OFFERED_COPY}
        if s.kind == "manifest" and s.data and len(s.data) <= MAX_OFFERED_COPY:
            xlsx = result.path.lower().endswith(".xlsx")
            media = _XLSX if xlsx else "text/csv"
            view["suggestion"]["download"] = f"data:{media};base64,{base64.b64encode(s.data).decode()}"
            view["suggestion"]["file"] = "manifest-to-send" + (".xlsx" if xlsx else ".csv")
    return view
