"""The package skeleton of an xlsx/xlsm/xltx: relationships, the sheets the workbook declares, and defined names.

Everything here reads through SafeZip (bounded decompression) and safexml (no DTDs), so a hostile package ends
in LimitExceeded with a one-line reason instead of a hang or an OOM.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from veil.readers.limits import LimitExceeded, Limits
from veil.readers.safexml import local, parse
from veil.readers.safezip import SafeZip
from veil.readers.units import Visibility

_STATE = {"hidden": Visibility.HIDDEN_SHEET, "veryHidden": Visibility.VERY_HIDDEN_SHEET}


@dataclass
class Rel:
    kind: str  # last segment of the relationship type, e.g. "worksheet", "comments"
    target: str  # resolved part name inside the zip, or the raw target when external
    external: bool


@dataclass
class Sheet:
    name: str
    path: str  # e.g. xl/worksheets/sheet2.xml ("" when the relationship is missing)
    kind: str  # worksheet, chartsheet, dialogsheet, macrosheet
    visibility: Visibility
    index: int  # 0-based position in the workbook (localSheetId of defined names)

    @property
    def location(self) -> str:
        return f"sheet '{self.name}' ({self.path})" if self.path else f"sheet '{self.name}'"


@dataclass
class DefinedName:
    name: str
    formula: str
    sheet_index: int | None
    hidden: bool


@dataclass
class Package:
    zip: SafeZip
    limits: Limits
    workbook_path: str = "xl/workbook.xml"
    sheets: list[Sheet] = field(default_factory=list)
    names: list[DefinedName] = field(default_factory=list)
    date1904: bool = False
    workbook_rels: dict[str, Rel] = field(default_factory=dict)
    # the reader's deadline check, called inside long loops (raises LimitExceeded when time is up)
    check_time: Callable[[], None] = field(default=lambda: None)

    def xml(self, part: str) -> etree._Element:
        return parse(self.zip.read(part), part, self.limits.max_xml_bytes)

    def rels(self, part: str) -> dict[str, Rel]:
        """Relationships of a part: id -> Rel (targets resolved against the part's folder)."""
        folder, base = posixpath.split(part)
        rel_part = posixpath.join(folder, "_rels", base + ".rels")
        if rel_part not in self.zip.infos:
            return {}
        out: dict[str, Rel] = {}
        for rel in self.xml(rel_part):
            if local(rel.tag) != "Relationship":
                continue
            target = rel.get("Target", "")
            external = rel.get("TargetMode") == "External"
            if not external:
                target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join(folder, target))
            out[rel.get("Id", "")] = Rel(rel.get("Type", "").rsplit("/", 1)[-1], target, external)
        return out

    def sheet_by_name(self, name: str) -> Sheet | None:
        lowered = name.lower()
        return next((s for s in self.sheets if s.name.lower() == lowered), None)

    def print_areas(self) -> dict[int, list[tuple[int, int, int, int]]]:
        """Print areas per sheet index as (row0, col0, row1, col1), 0-based inclusive."""
        out: dict[int, list[tuple[int, int, int, int]]] = {}
        for dn in self.names:
            if dn.name.lower() == "_xlnm.print_area" and dn.sheet_index is not None:
                out[dn.sheet_index] = [r for _, r in ranges_in(dn.formula)]
        return out


def open_package(blob: bytes, limits: Limits) -> Package:
    pkg = Package(SafeZip(blob, limits, fold_case=True), limits)
    for rel in pkg.rels("").values():
        if rel.kind == "officeDocument" and not rel.external and rel.target in pkg.zip.infos:
            pkg.workbook_path = rel.target
    if pkg.workbook_path not in pkg.zip.infos:
        raise LimitExceeded("the workbook part (xl/workbook.xml) is missing: not a complete xlsx")
    root = pkg.xml(pkg.workbook_path)
    pkg.workbook_rels = pkg.rels(pkg.workbook_path)
    for el in root.iter():
        tag = local(el.tag)
        if tag == "workbookPr":
            pkg.date1904 = el.get("date1904", "0").lower() in ("1", "true")
        elif tag == "sheet":
            rid = next((v for k, v in el.attrib.items() if local(k) == "id"), "")
            link = pkg.workbook_rels.get(rid)
            path = link.target if link and not link.external and link.target in pkg.zip.infos else ""
            kind = link.kind if link else "worksheet"
            vis = _STATE.get(el.get("state", "visible"), Visibility.VISIBLE)
            pkg.sheets.append(Sheet(el.get("name", "?"), path, kind, vis, len(pkg.sheets)))
        elif tag == "definedName":
            sid = el.get("localSheetId")
            pkg.names.append(DefinedName(el.get("name", ""), (el.text or "").strip(),
                                         int(sid) if sid and sid.isdigit() else None,
                                         el.get("hidden", "0").lower() in ("1", "true")))
    return pkg


_COL_RE = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_RANGE_RE = re.compile(r"(?:(?:'((?:[^']|'')+)'|([^\s'!,():=+\-*/&^<>\"{}]+))!)?"
                       r"(\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)")


def col_index(letters: str) -> int:
    """'A' -> 0, 'Z' -> 25, 'AA' -> 26."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def col_letters(index: int) -> str:
    """0 -> 'A', 26 -> 'AA'."""
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def cell_ref(ref: str) -> tuple[int, int] | None:
    """'B3' -> (2, 1) as 0-based (row, col); None when it is not a plain cell reference."""
    m = _COL_RE.match(ref.strip())
    if not m:
        return None
    return int(m.group(2)) - 1, col_index(m.group(1))


def range_text(r0: int, c0: int, r1: int, c1: int) -> str:
    start = f"{col_letters(c0)}{r0 + 1}"
    end = f"{col_letters(c1)}{r1 + 1}"
    return start if start == end else f"{start}:{end}"


def ranges_in(formula: str) -> list[tuple[str | None, tuple[int, int, int, int]]]:
    """Cell ranges a formula names: (sheet name or None, (row0, col0, row1, col1))."""
    out: list[tuple[str | None, tuple[int, int, int, int]]] = []
    for m in _RANGE_RE.finditer(formula):
        sheet = (m.group(1) or "").replace("''", "'") or m.group(2)
        parts = m.group(3).split(":")
        a = cell_ref(parts[0])
        b = cell_ref(parts[-1])
        if a and b:
            out.append((sheet, (min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1]))))
    return out


_LITERAL = re.compile(r'"((?:[^"]|"")*)"')


def formula_literals(formula: str) -> list[str]:
    """The string constants written in a formula (`=OR($A2="GARCIA, Jose",$B2="A123456789")` gives both)."""
    return [m.group(1).replace('""', '"') for m in _LITERAL.finditer(formula) if m.group(1).strip()]


def sheet_refs(formula: str) -> set[str]:
    """Names of the sheets a formula refers to ('Roster'!A1, Roster!A1:B2)."""
    return {m.group(1).replace("''", "'") if m.group(1) else m.group(2)
            for m in re.finditer(r"(?:'((?:[^']|'')+)'|([A-Za-z_\u00c0-\uffff][\w.\u00c0-\uffff]*))!", formula)}
