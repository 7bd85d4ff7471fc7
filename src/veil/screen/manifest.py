"""Removal and transfer manifests (CSV or XLSX): refuse the ones that reveal protected status or carry people who
must not be sent, and suggest the copy that may go out.

    screen_manifest(source, name, recipient, registry, policy) -> ScreenResult     source: bytes or a path

One manifest check. The people on a manifest are found exactly as `veil holds check-manifest` finds them: the
manifest is read with the linkage's reader (`read_people_table`), its person columns found with
`manifest_columns`, and its rows linked to people with `linked_rows` (exact A-number, else name and date of birth
on romanisation skeletons), here against everyone the screen protects (held and affected people of incidents, and
the --protected file) instead of the held people alone. A manifest that `check-manifest` refuses is refused here.

Refused (block):
    a row for a person under a protective hold, whoever the recipient; a row for another protected person, unless
    the recipient may know (the policy's recipient table);
    a manifest whose people cannot be checked (no A-number column, nor name and date of birth) when there are
    people to check against;
    a column whose header reveals protected status or an incident (case type, fear claim, CFI, asylum, hold...),
    or cells that state a protected status ("asylum pending"), unless the recipient may know;
    more than one table, hidden sheets or other hidden parts, a file that cannot be read.
The suggestion is a copy without the refused rows (no reason given), without the revealing columns and cells, and
with only the columns the recipient kind needs (data/manifest_fields.yaml); it is screened again and passes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import tempfile
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path, PurePath
from typing import Any

import polars as pl

from veil.detectors.text_status import find_statuses
from veil.incident.linkage_columns import LinkageInputError, read_people_table
from veil.incident.manifest_match import linked_rows, manifest_columns
from veil.masking import mask
from veil.readers.limits import Budget, Limits
from veil.readers.registry import ReadContext, read_blob
from veil.readers.units import Notice, Table, Text, Unreadable
from veil.screen.core import TextScreener, entitled
from veil.screen.policy import ScreenPolicy, default_screen_policy
from veil.screen.registry import ProtectedPerson, ProtectedRegistry
from veil.screen.result import Recipient, ScreenFinding, ScreenKind, ScreenResult, Suggestion
from veil.yamlio import load_yaml

_MAX_BYTES = 100 * 1024 * 1024
_PEOPLE_COLUMNS = {"name": "name", "dob": "dob", "anumber": "anumber"}


@lru_cache(maxsize=1)
def _fields() -> dict[str, Any]:
    raw = resources.files("veil.screen").joinpath("data/manifest_fields.yaml").read_text(encoding="utf-8")
    data = load_yaml(raw)
    return {
        "sensitive": [fold_header(str(t)) for lang in data["sensitive"].values() for t in lang],
        "allow": {k: [fold_header(str(t)) for t in (v or [])] for k, v in data["allow"].items()},
    }


def fold_header(value: str) -> str:
    """'Fear Claim?' -> 'fear_claim'; 'Tipo de caso' -> 'tipo_de_caso'; 'A-Number' -> 'a_number'."""
    decomposed = unicodedata.normalize("NFKD", value.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "_", plain).strip("_")


def sensitive_term(header: str) -> str | None:
    """The sensitive term a header contains as whole words, e.g. 'cfi' in 'cfi_result', else None."""
    folded = f"_{fold_header(header)}_"
    for term in _fields()["sensitive"]:
        if f"_{term}_" in folded:
            return term
    return None


@dataclass
class _Manifest:
    frame: pl.DataFrame  # every column a string, the header row removed
    first_row: int  # source row number of the frame's first row
    xlsx: bool


def screen_manifest(source: bytes | str | Path, name: str = "", recipient: Recipient | None = None,
                    registry: ProtectedRegistry | None = None, policy: ScreenPolicy | None = None,
                    suggest: bool = True) -> ScreenResult:
    """Screen a manifest (its bytes, or a path). Never raises on bad input: problems are blocking findings."""
    started = time.perf_counter()
    policy = policy or default_screen_policy()
    recipient = recipient or Recipient()
    try:
        blob = source if isinstance(source, bytes) else Path(source).read_bytes()
    except OSError as exc:
        blob, name = b"", name or str(source)
        failure = f"the manifest cannot be read ({exc.strerror or type(exc).__name__})"
    else:
        name, failure = name or str(source), ""
    result = ScreenResult(path=name, sha256=hashlib.sha256(blob).hexdigest(), recipient=recipient, what="manifest")
    try:
        if failure:
            raise LinkageInputError(failure)
        manifest = _read(blob, name, source)
        result.findings.extend(_structure(blob, name, recipient, registry, policy))
        people = _protected_people(registry)
        refused = _check(manifest, people, registry is not None, recipient, policy, result)
        if suggest and result.verdict == "block" and not any(f.kind is ScreenKind.UNREADABLE
                                                             for f in result.findings):
            result.suggestion = _suggestion(manifest, refused, name, recipient, registry, policy, result)
    except LinkageInputError as exc:
        result.findings.append(ScreenFinding(ScreenKind.UNREADABLE, "(file)", str(exc)))
    except Exception as exc:  # noqa: BLE001 - fail closed, say the kind only
        result.findings.append(ScreenFinding(ScreenKind.UNREADABLE, "(file)",
                                             f"the manifest could not be read ({type(exc).__name__})"))
    result.seconds = time.perf_counter() - started
    return result


def _read(blob: bytes, name: str, source: bytes | str | Path) -> _Manifest:
    """The manifest as check-manifest reads it (the linkage's reader, which reads files)."""
    if len(blob) > _MAX_BYTES:
        raise LinkageInputError(f"the manifest is larger than {_MAX_BYTES} bytes")
    if not blob.strip():
        raise LinkageInputError("the manifest is empty")
    if not isinstance(source, bytes):
        table = read_people_table(Path(source), what="manifest")
    else:
        with tempfile.TemporaryDirectory(prefix="veil-manifest-") as tmp:
            path = Path(tmp) / ("manifest" + PurePath(name).suffix.lower()[:8])
            path.write_bytes(blob)
            table = read_people_table(path, what="manifest")
    return _Manifest(table.frame, table.first_row, blob[:4] == b"PK\x03\x04")


def _structure(blob: bytes, name: str, recipient: Recipient, registry: ProtectedRegistry | None,
               policy: ScreenPolicy) -> list[ScreenFinding]:
    """What the recipient receives besides the table: one visible table only, no hidden parts; text parts (comments,
    properties) are screened like a message."""
    ctx = ReadContext(name=name if PurePath(name).suffix else f"{name}.csv", budget=Budget(Limits()))
    units = list(read_blob(blob, ctx))
    out: list[ScreenFinding] = []
    tables = [u for u in units if isinstance(u, Table) and not u.derived]
    hidden = [u for u in tables if not u.visibility.seen]
    if hidden:
        out.append(ScreenFinding(ScreenKind.UNREADABLE, "(file)", f"the manifest has {len(hidden)} hidden sheet(s) "
                                 "or hidden rows or columns: send one visible table only"))
    elif len(tables) > 1:
        out.append(ScreenFinding(ScreenKind.UNREADABLE, "(file)",
                                 f"the manifest has {len(tables)} tables: send one table only"))
    out.extend(ScreenFinding(ScreenKind.UNREADABLE, u.location or "(file)", f"could not be read: {u.reason}")
               for u in units if isinstance(u, Unreadable))
    screener = TextScreener(recipient, registry, policy)
    screener.units([u for u in units if isinstance(u, Text | Notice) and not _about_hidden(u)], "")
    out.extend(screener.findings)
    return out


def _about_hidden(unit: Text | Notice) -> bool:
    return isinstance(unit, Notice) and "hidden" in unit.message  # already a finding of its own above


def _protected_people(registry: ProtectedRegistry | None) -> list[ProtectedPerson]:
    return list(registry) if registry is not None else []


def _people_frame(people: list[ProtectedPerson]) -> pl.DataFrame:
    return pl.DataFrame({"name": [p.name for p in people], "dob": [p.dob.isoformat() if p.dob else "" for p in people],
                         "anumber": [p.a_number for p in people]},
                        schema={c: pl.String for c in _PEOPLE_COLUMNS})


def _check(manifest: _Manifest, people: list[ProtectedPerson], checked: bool, recipient: Recipient,
           policy: ScreenPolicy, result: ScreenResult) -> set[int]:
    """Findings for the manifest's columns, cells and rows; the indexes of rows that may not go out."""
    frame = manifest.frame
    may_know = entitled(recipient, None, policy)
    revealing: list[int] = []
    for i, header in enumerate(frame.columns):
        term = sensitive_term(header)
        if term:
            revealing.append(i)
            result.findings.append(ScreenFinding(
                ScreenKind.MANIFEST_FIELD, f"column {i + 1} '{header[:60]}'",
                f"the column reveals protected status or an incident (header term '{term}')", allowed=may_know))
    for i, header in enumerate(frame.columns):
        if i in revealing:
            continue
        values = frame[header].to_list()
        stated = [(r, found) for r, v in enumerate(values) if v and (found := find_statuses(v))]
        if stated:
            labels = sorted({s.label for _, found in stated for s in found})
            result.findings.append(ScreenFinding(
                ScreenKind.MANIFEST_VALUE, f"column {i + 1} '{header[:60]}'",
                f"{len(stated)} cell(s) state a protected status ({', '.join(labels[:4])}), first in data row "
                f"{stated[0][0] + 1}", allowed=may_know))
    if not checked:
        result.findings.append(ScreenFinding(ScreenKind.NOTICE, "(file)", "rows not checked against protected "
                                             "people: give --protected FILE or a database with incidents"))
        return set()
    cols = manifest_columns(frame)
    refused: set[int] = set()
    for i, hits, how in linked_rows(frame, cols, _people_frame(people), _PEOPLE_COLUMNS):
        person = next((people[j] for j in hits if people[j].held), people[hits[0]])
        allowed = not person.held and entitled(recipient, person, policy)
        if not allowed:
            refused.add(i)
        why = ("is under a protective hold: the manifest must not go out with them on it" if person.held
               else f"is protected ({person.reason})" + ("; the recipient may know" if allowed else
                                                          ": the recipient may not know it"))
        result.findings.append(ScreenFinding(
            ScreenKind.MANIFEST_PERSON, f"data row {i + 1}",
            f"the person in this row ({mask(person.name or person.a_number)}, matched by {how}) {why}",
            allowed=allowed))
    result.persons = sum(1 for f in result.findings if f.kind is ScreenKind.MANIFEST_PERSON)
    return refused


def _suggestion(manifest: _Manifest, refused: set[int], name: str, recipient: Recipient,
                registry: ProtectedRegistry | None, policy: ScreenPolicy, result: ScreenResult) -> Suggestion | None:
    """The manifest without the refused rows (no reason given) and with only the columns the recipient needs; None
    (and a notice saying why) when no such copy passes."""
    frame = manifest.frame
    kind = recipient.kind.value if recipient.kind else "public"
    allowed = _fields()["allow"].get(kind, [])
    keep = [c for c in frame.columns if fold_header(c) in allowed and not sensitive_term(c)
            and not any(v and find_statuses(v) for v in frame[c].to_list())]
    rows = [r for r in range(frame.height) if r not in refused and any(frame.row(r))]
    if not keep:
        result.findings.append(ScreenFinding(ScreenKind.NOTICE, "(file)", f"no copy to suggest: no column of this "
                                             f"manifest may go to a {kind} recipient"))
        return None
    changes = []
    if refused:
        listed = ", ".join(str(r + 1) for r in sorted(refused))
        changes.append(f"{len(refused)} row(s) taken out (data row{'s' if len(refused) > 1 else ''} {listed}); the "
                       "copy gives no reason")
    dropped = [c for c in frame.columns if c not in keep]
    if dropped:
        changes.append(f"{len(dropped)} column(s) left out: {', '.join(dropped)}")
    data = _write([list(keep)] + [[frame[c][r] or "" for c in keep] for r in rows], manifest.xlsx)
    copy_name = f"{PurePath(name).stem}-suggested{'.xlsx' if manifest.xlsx else '.csv'}"
    again = screen_manifest(data, copy_name, recipient, registry, policy, suggest=False)
    if again.verdict != "pass":
        reasons = "; ".join(f.message for f in again.findings if f.blocks)
        result.findings.append(ScreenFinding(ScreenKind.NOTICE, "(file)", f"no copy to suggest: {reasons}"))
        return None
    return Suggestion("manifest", changes, data=data)


def _write(rows: list[list[str]], xlsx: bool) -> bytes:
    if xlsx:
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Manifest")
        for row in rows:
            sheet.append(row)
        buf = io.BytesIO()
        book.save(buf)
        return buf.getvalue()
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\n").writerows(rows)
    return text.getvalue().encode("utf-8")
