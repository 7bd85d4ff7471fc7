"""Removal and transfer manifests (CSV or XLSX): refuse the ones that reveal protected status or carry people who
must not be sent, and write redacted copies that hold only the fields the recipient needs.

    screen_manifest(blob, name, recipient, registry) -> ScreenResult
    redact_manifest(blob, name, recipient, registry, out_name) -> (ScreenResult, bytes | None)

Refused (block):
    a column whose header reveals protected status or an incident (case type, fear claim, CFI, asylum, hold...);
    cells, in any other column, that state a protected status ("asylum pending", "CFI positive");
    a row for a person in the protected registry: held people always, others unless the recipient is entitled;
    a manifest Veil cannot read as one table (hidden sheets, several tables, unreadable file).
Redaction keeps every row and only the recipient kind's allow-listed columns; it never redacts a protected person
away: a manifest with one is refused.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
import time
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from veil.detectors.text_status import find_statuses
from veil.masking import mask
from veil.screen.core import entitled
from veil.screen.registry import ProtectedPerson, ProtectedRegistry, name_keys, normalise_a_number, parse_any_date
from veil.screen.result import Recipient, ScreenFinding, ScreenKind, ScreenResult
from veil.yamlio import load_yaml

_MAX_ROWS = 200_000
_MAX_COLS = 500
_MAX_BYTES = 100 * 1024 * 1024


class ManifestError(Exception):
    """The manifest cannot be read as one table; the message is safe to show (no values)."""


@dataclass
class Grid:
    header: list[str]
    rows: list[list[str]]
    kind: str  # "csv" | "xlsx"
    dialect: str = ","


@lru_cache(maxsize=1)
def _fields() -> dict[str, Any]:
    raw = resources.files("veil.screen").joinpath("data/manifest_fields.yaml").read_text(encoding="utf-8")
    data = load_yaml(raw)
    return {
        "sensitive": [fold_header(str(t)) for lang in data["sensitive"].values() for t in lang],
        "allow": {k: [fold_header(str(t)) for t in (v or [])] for k, v in data["allow"].items()},
        "identity": {k: {fold_header(str(t)) for t in v} for k, v in data["identity"].items()},
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


def read_grid(blob: bytes, name: str) -> Grid:
    """The manifest as a header and rows of strings. Raises ManifestError with a value-free reason."""
    if len(blob) > _MAX_BYTES:
        raise ManifestError(f"the manifest is larger than {_MAX_BYTES} bytes")
    if not blob.strip():
        raise ManifestError("the manifest is empty")
    if blob[:4] == b"PK\x03\x04":
        return _read_xlsx(blob)
    if b"\x00" in blob[:4096]:
        raise ManifestError("the manifest is neither CSV text nor an XLSX workbook")
    return _read_csv(blob)


def _read_csv(blob: bytes) -> Grid:
    try:
        text = blob.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = blob.decode("cp1252", errors="replace")
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
        delimiter = dialect.delimiter
    except csv.Error:
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            if len(rows) > _MAX_ROWS:
                raise ManifestError(f"the manifest has more than {_MAX_ROWS} rows")
            rows.append([c.strip() for c in row[:_MAX_COLS]])
    except csv.Error as exc:
        raise ManifestError(f"the CSV manifest is malformed (line {reader.line_num})") from exc
    header, body = _split_header(rows)
    return Grid(header, body, "csv", delimiter)


def _read_xlsx(blob: bytes) -> Grid:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(blob), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as exc:
        raise ManifestError(f"the XLSX manifest cannot be read ({type(exc).__name__})") from exc
    try:
        sheets = book.worksheets
        hidden = [ws for ws in sheets if ws.sheet_state != "visible"]
        if hidden:
            raise ManifestError(f"the manifest has {len(hidden)} hidden sheet(s): send one visible table only")
        tables = [t for t in (_sheet_rows(ws) for ws in sheets) if t]
        if len(tables) > 1:
            raise ManifestError(f"the manifest has {len(tables)} sheets with data: send one table only")
        rows = tables[0] if tables else []
    finally:
        book.close()
    header, body = _split_header(rows)
    return Grid(header, body, "xlsx")


def _sheet_rows(ws: Any) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in ws.iter_rows(values_only=True):  # read-only sheets may not know their size: walk them
        if len(rows) > _MAX_ROWS:
            raise ManifestError(f"the manifest has more than {_MAX_ROWS} rows")
        rows.append(["" if v is None else _cell(v) for v in row[:_MAX_COLS]])
    return rows if any(any(c for c in r) for r in rows) else []


def _cell(value: object) -> str:
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _split_header(rows: list[list[str]]) -> tuple[list[str], list[list[str]]]:
    for i, row in enumerate(rows[:20]):
        if sum(1 for c in row if c) >= 2:
            width = max(len(r) for r in rows[i:]) if rows[i:] else len(row)
            pad = [(r + [""] * width)[:width] for r in rows[i + 1:]]
            return (row + [""] * width)[:width], [r for r in pad if any(r)]
    raise ManifestError("no header row found (a manifest needs a header row with at least two columns)")


def screen_manifest(blob: bytes, name: str, recipient: Recipient | None = None,
                    registry: ProtectedRegistry | None = None) -> ScreenResult:
    """Screen a manifest. Never raises on bad input."""
    started = time.perf_counter()
    recipient = recipient or Recipient()
    result = ScreenResult(path=name, sha256=hashlib.sha256(blob).hexdigest(), recipient=recipient)
    try:
        grid = read_grid(blob, name)
    except ManifestError as exc:
        result.findings.append(ScreenFinding(ScreenKind.UNREADABLE, "(file)", str(exc)))
    except Exception as exc:  # noqa: BLE001 - fail closed, say the kind only
        result.findings.append(ScreenFinding(ScreenKind.UNREADABLE, "(file)",
                                             f"the manifest could not be read ({type(exc).__name__})"))
    else:
        result.findings.extend(_check_grid(grid, recipient, registry))
        result.persons = sum(1 for f in result.findings if f.kind is ScreenKind.MANIFEST_PERSON)
    result.seconds = time.perf_counter() - started
    return result


def _check_grid(grid: Grid, recipient: Recipient, registry: ProtectedRegistry | None) -> list[ScreenFinding]:
    out: list[ScreenFinding] = []
    sensitive_cols = set()
    for i, header in enumerate(grid.header):
        term = sensitive_term(header)
        if term:
            sensitive_cols.add(i)
            out.append(ScreenFinding(ScreenKind.MANIFEST_FIELD, f"column {i + 1} '{header[:60]}'",
                                     f"the column reveals protected status or an incident (header term '{term}')"))
    for i, header in enumerate(grid.header):
        if i in sensitive_cols:
            continue
        hits = [(r, find_statuses(row[i])) for r, row in enumerate(grid.rows) if row[i]]
        hits = [(r, h) for r, h in hits if h]
        if hits:
            labels = sorted({s.label for _, h in hits for s in h})
            out.append(ScreenFinding(ScreenKind.MANIFEST_VALUE, f"column {i + 1} '{header[:60]}'",
                                     f"{len(hits)} cell(s) state a protected status ({', '.join(labels[:4])}), "
                                     f"first in data row {hits[0][0] + 1}"))
    out.extend(_protected_rows(grid, recipient, registry))
    return out


def _protected_rows(grid: Grid, recipient: Recipient, registry: ProtectedRegistry | None) -> list[ScreenFinding]:
    if registry is None or len(registry) == 0:
        return []
    ident = _fields()["identity"]
    cols = {role: [i for i, h in enumerate(grid.header) if fold_header(h) in names] for role, names in ident.items()}
    out: list[ScreenFinding] = []
    for r, row in enumerate(grid.rows):
        for person, how in _row_people(row, cols, registry):
            if person.held or not entitled(recipient, person):
                why = "is under a protective hold" if person.held else f"is protected ({person.reason})"
                out.append(ScreenFinding(
                    ScreenKind.MANIFEST_PERSON, f"data row {r + 1}",
                    f"the person in this row ({mask(person.name or person.a_number)}, matched by {how}) {why}: "
                    "the manifest must not go out with them on it"))
                break
    return out


def _row_people(row: list[str], cols: dict[str, list[int]], registry: ProtectedRegistry
                ) -> list[tuple[ProtectedPerson, str]]:
    found: list[tuple[ProtectedPerson, str]] = []
    for i in cols["a_number"]:
        digits = normalise_a_number(row[i])
        if digits:
            found.extend((p, "A-number") for p in registry.by_a_number(digits))
    names = [row[i] for i in cols["name"] if row[i]]
    if cols["last_name"] or cols["first_name"]:
        names.append(" ".join(row[i] for i in cols["first_name"] + cols["last_name"] if row[i]))
    dobs = {d for i in cols["dob"] if (d := parse_any_date(row[i]))}
    for name in names:
        for key in name_keys(name)[:1]:  # the full name only: a manifest spells names out
            for person in registry.by_name_tokens(key):
                if person.dob and dobs and person.dob not in dobs:
                    continue  # same name, different person
                found.append((person, "name" + (" and date of birth" if person.dob in dobs else "")))
    return found


def redact_manifest(blob: bytes, name: str, recipient: Recipient, registry: ProtectedRegistry | None,
                    out_name: str) -> tuple[ScreenResult, bytes | None]:
    """A copy with only the recipient's allowed columns, or None when the manifest must be refused.

    The result describes the copy (what was dropped) or, when refused, why. Protected people are never redacted
    away: a manifest holding one is refused."""
    result = ScreenResult(path=out_name, sha256="", recipient=recipient)
    try:
        grid = read_grid(blob, name)
    except ManifestError as exc:
        result.findings.append(ScreenFinding(ScreenKind.UNREADABLE, "(file)", str(exc)))
        return result, None
    people = _protected_rows(grid, recipient, registry)
    if people:
        result.findings.extend(people)
        return result, None
    kind = recipient.kind.value if recipient.kind else "public"
    allowed = _fields()["allow"].get(kind, [])
    keep = [i for i, h in enumerate(grid.header) if fold_header(h) in allowed and not sensitive_term(h)]
    if not keep:
        result.findings.append(ScreenFinding(ScreenKind.MANIFEST_FIELD, "(file)",
                                             f"no field of this manifest may go to a {kind} recipient"))
        return result, None
    dropped = len(grid.header) - len(keep)
    kept = Grid([grid.header[i] for i in keep], [[row[i] for i in keep] for row in grid.rows], grid.kind,
                grid.dialect)
    data = _write(kept, out_name)
    result.sha256 = hashlib.sha256(data).hexdigest()
    result.findings.append(ScreenFinding(ScreenKind.NOTICE, "(file)",
                                          f"kept {len(keep)} column(s) a {kind} recipient needs, dropped {dropped}; "
                                          f"{len(kept.rows)} row(s)"))
    return result, data


def _write(grid: Grid, out_name: str) -> bytes:
    if out_name.lower().endswith(".xlsx"):
        from openpyxl import Workbook

        book = Workbook(write_only=True)
        sheet = book.create_sheet("Manifest")
        sheet.append(grid.header)
        for row in grid.rows:
            sheet.append(row)
        buf = io.BytesIO()
        book.save(buf)
        return buf.getvalue()
    buf_text = io.StringIO(newline="")
    writer = csv.writer(buf_text, delimiter=grid.dialect if grid.kind == "csv" else ",", lineterminator="\n")
    writer.writerow(grid.header)
    writer.writerows(grid.rows)
    return buf_text.getvalue().encode("utf-8")
