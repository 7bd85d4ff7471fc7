"""Template rendering: one Jinja2 environment (autoescaping on) and the context every page gets."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from veil import __version__
from veil.web.security import Principal

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))

VERDICT_LABELS = {"pass": "pass", "review": "review", "block": "block", "unverifiable": "unverifiable",
                  None: "scanning…"}


def _short(sha: str) -> str:
    return sha[:12] + "…"


def _when(iso: str | None) -> str:
    return iso[:19].replace("T", " ") + " UTC" if iso else ""


TEMPLATES.env.filters["short"] = _short
TEMPLATES.env.filters["when"] = _when
TEMPLATES.env.globals["version"] = __version__


def capabilities(principal: Principal | None) -> dict[str, bool]:
    """What the navigation offers `principal` (the endpoints check permissions themselves)."""
    if principal is None:
        return {}
    return {
        "submit": principal.has("submitter"),
        "decide": principal.has("reviewer", "authorising_official"),
        "override": principal.has("authorising_official"),
        "publish": principal.has("publisher"),
        "audit": principal.has("auditor", "admin"),
        "admin": principal.has("admin"),
        "incidents": principal.has("incident_responder", "authorising_official", "auditor"),
        "screen": bool(principal.roles),  # any role may screen an outbound message
    }


def render(request: Request, name: str, principal: Principal | None, status_code: int = 200,
           **context: Any) -> HTMLResponse:
    return TEMPLATES.TemplateResponse(request, name, {"me": principal, "can": capabilities(principal),
                                                      "csrf": principal.csrf if principal else "", **context},
                                      status_code=status_code)
