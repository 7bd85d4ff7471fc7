"""Alerts: an e-mail over SMTP and a JSON webhook for each sweep that flags something, and for each incident
clock that reaches 50% or 90% of its time.

What an alert carries: the site, and per file its public path, sha256, verdict, reasons, finding kinds, whether
it was taken down and the incident number; for a clock, the incident number and title, the clock, how much of its
time is gone and when it is due. Never finding messages, samples or names: an alert travels through mail servers
and chat tools, so it holds nothing a masked sample could hint at. Delivery failures are returned (and recorded by
the caller), never raised: a dead mail server must not stop a takedown.
"""

from __future__ import annotations

import json
import logging
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any

import httpx

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class AlertSettings:
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_starttls: bool = False
    smtp_user: str = ""
    smtp_password: str = field(default="", repr=False)
    mail_from: str = "veil@localhost"
    mail_to: tuple[str, ...] = ()
    webhook_url: str = ""
    timeout: float = 10.0

    @property
    def enabled(self) -> bool:
        return bool((self.smtp_host and self.mail_to) or self.webhook_url)


def payload(site: str, files: list[dict[str, Any]]) -> dict[str, Any]:
    return {"event": "veil.sweep.flagged", "site": site, "files": files}


def clock_payload(warnings: list[dict[str, Any]]) -> dict[str, Any]:
    """Incident clock warnings (`veil.incident.clocks.ClockWarning.as_dict()`)."""
    return {"event": "veil.incident.clock", "warnings": warnings}


def _subject(doc: dict[str, Any]) -> str:
    if doc.get("event") == "veil.incident.clock":
        worst = max(w["percent"] for w in doc["warnings"])
        return f"[Veil] {len(doc['warnings'])} incident deadline warning(s), {worst}% of the time gone"
    taken = sum(1 for f in doc["files"] if f.get("taken_down"))
    return f"[Veil] {len(doc['files'])} public file(s) flagged" + (f", {taken} taken down" if taken else "")


def _mail_text(doc: dict[str, Any]) -> str:
    if doc.get("event") == "veil.incident.clock":
        lines = ["Incident deadlines:", ""]
        for w in doc["warnings"]:
            left = max(w["remaining_seconds"], 0) / 3600
            lines.append(f"- incident #{w['incident_id']}: {w['percent']}% of the time gone to {w['what']}; due "
                         f"{w['due']} ({left:.1f} h left)")
        return "\n".join(lines + ["", "Open Veil's incident page to report or record the report."]) + "\n"
    lines = [f"Veil's sweep of {doc['site']} flagged {len(doc['files'])} public file(s).", ""]
    for f in doc["files"]:
        action = f"TAKEN DOWN (incident #{f['incident_id']})" if f.get("taken_down") else "still public"
        lines.append(f"- {f['path']}: {f['verdict']} ({', '.join(f['reasons'])}); {action}")
        lines.append(f"  sha256 {f['sha256']}; findings: {', '.join(f.get('finding_kinds', [])) or 'none'}")
        if f.get("takedown_error"):
            lines.append(f"  takedown failed: {f['takedown_error']}")
    lines += ["", "Open Veil for the details (findings are shown masked there)."]
    return "\n".join(lines) + "\n"


def send(settings: AlertSettings, doc: dict[str, Any]) -> list[str]:
    """Deliver one alert by every configured channel; returns the failures (channel and error type)."""
    failures = []
    if settings.smtp_host and settings.mail_to:
        message = EmailMessage()
        message["Subject"] = _subject(doc)
        message["From"] = settings.mail_from
        message["To"] = ", ".join(settings.mail_to)
        message.set_content(_mail_text(doc))
        try:
            with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.timeout) as smtp:
                if settings.smtp_starttls:
                    smtp.starttls()
                if settings.smtp_user:
                    smtp.login(settings.smtp_user, settings.smtp_password)
                smtp.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            failures.append(f"e-mail: {type(exc).__name__}")
    if settings.webhook_url:
        try:
            response = httpx.post(settings.webhook_url, content=json.dumps(doc),
                                  headers={"Content-Type": "application/json"}, timeout=settings.timeout)
            if response.status_code >= 300:
                failures.append(f"webhook: HTTP {response.status_code}")
        except httpx.HTTPError as exc:
            failures.append(f"webhook: {type(exc).__name__}")
    for failure in failures:
        log.warning("alert delivery failed: %s", failure)
    return failures
