"""The client side of `veil submit`: create a release over the API, upload files, wait for the verdicts, and
return the `veil check --format json` shape with the release added."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

import httpx

from veil.findings import Verdict


class SubmitError(Exception):
    """A one-line reason the submission could not be completed (exit code 2)."""


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return slug[:80] or "release"


def _check(response: httpx.Response, what: str) -> dict[str, Any]:
    if response.status_code >= 400:
        try:
            detail = response.json().get("detail", "")
        except ValueError:
            detail = ""
        raise SubmitError(f"{what}: the server said {response.status_code} {detail}".rstrip())
    body: dict[str, Any] = response.json()
    return body


def submit(server: str, token: str, title: str, files: list[Path], target_path: str | None = None,
           notes: str = "", timeout: float = 600.0, poll: float = 1.0,
           client: httpx.Client | None = None) -> dict[str, Any]:
    base = server.rstrip("/")
    own = client is None
    http = client or httpx.Client(timeout=60.0)
    headers = {"Authorization": f"Bearer {token}"}
    try:
        release = _check(http.post(f"{base}/api/releases", headers=headers,
                                   json={"title": title, "target_path": target_path or _slug(title),
                                         "notes": notes}), "creating the release")
        rid = release["id"]
        for path in files:
            with path.open("rb") as fh:
                _check(http.post(f"{base}/api/releases/{rid}/files", headers=headers,
                                 files={"file": (path.name, fh, "application/octet-stream")}),
                       f"uploading {path.name}")
        deadline = time.monotonic() + timeout
        while True:
            detail = _check(http.get(f"{base}/api/releases/{rid}", headers=headers), "reading the release")
            if not detail["scans_pending"]:
                break
            if time.monotonic() > deadline:
                raise SubmitError(f"release #{rid}: the verdicts did not arrive within {timeout:g} s")
            time.sleep(poll)
    except httpx.HTTPError as exc:
        raise SubmitError(f"cannot reach {base} ({type(exc).__name__})") from None
    except OSError as exc:
        raise SubmitError(f"cannot read a file: {exc.strerror}") from None
    finally:
        if own:
            http.close()
    out_files = [check_file(f) for f in detail["files"]]
    verdict = Verdict.worst([Verdict(f["verdict"]) for f in out_files]).value
    return {"verdict": verdict, "files": out_files,
            "release": {"id": rid, "url": f"{base}/releases/{rid}", "status": detail["status"]}}


# `veil check --format json`'s keys, in its order (veil.report.json_report): a file's, then a finding's.
_FILE_KEYS = ("path", "sha256", "verdict", "persons", "format", "size")
_FINDING_KEYS = ("kind", "location", "visible", "message", "visibility", "detector")
_FINDING_LISTS = ("evidence", "samples", "cells")


def check_file(f: dict[str, Any]) -> dict[str, Any]:
    """A file of the gate's release detail in the shape `veil check --format json` gives it (lists only when
    non-empty, as there), with the gate's `effect` of each finding added."""
    out: dict[str, Any] = {k: f.get(k) for k in _FILE_KEYS}
    out["findings"] = []
    for x in f["findings"]:
        finding = {k: x.get(k) for k in _FINDING_KEYS}
        if x.get("where"):  # structured location (part, sheet, cells, page), as veil check gives it
            finding["where"] = dict(x["where"])
        finding.update({k: list(x[k]) for k in _FINDING_LISTS if x.get(k)})
        finding["fingerprint"] = x.get("fingerprint", "")
        finding["effect"] = x.get("effect", "")
        out["findings"].append(finding)
    return out
