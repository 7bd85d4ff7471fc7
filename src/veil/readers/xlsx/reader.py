"""xlsx / xlsm / xltx: every place a workbook keeps data, each as units with a location and a visibility.

    read()                          the reader registered for "xlsx"
    ├── package                     relationships, sheets (visible / hidden / very hidden), defined names
    ├── styles                      invisible styles (white or near-background text, ';;;'), date formats
    ├── sheet + grid                cell values (calamine; own sparse reader for far-flung cells), hidden rows and
    │                               columns, autofilter, far blocks, invisible cells, formulas, header/footer,
    │                               data-validation lists, hyperlinks
    ├── cover                       cells under drawn boxes and pictures (the spreadsheet "redaction")
    ├── caches                      pivot caches, external-link caches, chart caches, revision logs
    └── parts                       comments, properties, queries, data model, drawings, embeddings, unknown parts

Every zip member is accounted for: read by a handler, known to be harmless (styles, theme, calcChain...), or
reported as an unrecognised part with its text extracted. Nothing is skipped silently.
"""

from __future__ import annotations

import io
import logging
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator

from lxml import etree

from veil.readers.limits import LimitExceeded
from veil.readers.office.salvage import salvaging
from veil.readers.office.vba import read_vba_bin
from veil.readers.registry import ReadContext
from veil.readers.units import Notice, Table, Text, Unit, Unreadable, Visibility
from veil.readers.workbook.sheet_names import heading_of, sheet_names_table
from veil.readers.xlsx.caches import chart_cache, external_link, pivot_cache, revision_log
from veil.readers.xlsx.grid import shared_strings
from veil.readers.xlsx.package import Package, Sheet, open_package
from veil.readers.xlsx.parts import (
    app_props,
    comments,
    connections,
    core_props,
    custom_props,
    custom_xml,
    data_model,
    defined_names,
    drawing,
    embedding,
    generic_binary,
    generic_xml,
    persons,
    query_table,
    threaded_comments,
    vml,
    workbook_metadata,
)
from veil.readers.xlsx.sheet import SheetContext, read_sheet
from veil.readers.xlsx.styles import Styles, read_styles, white_runs

log = logging.getLogger(__name__)

# Parts that hold no content of their own (formatting, layout, calculation order, printer setup, schemas).
_BENIGN = re.compile(
    r"^(\[Content_Types\]\.xml|(.*/)?_rels/.*\.rels|xl/styles\.xml|xl/theme/.*|xl/calcChain\.xml"
    r"|xl/printerSettings/.*|xl/tables/table\d*\.xml|xl/pivotTables/pivotTable\d*\.xml|xl/metadata\.xml"
    r"|customXml/itemProps\d*\.xml|xl/charts/(style|colors)\d*\.xml|xl/chartsheets/sheet\d*\.xml"
    r"|xl/vbaProjectSignature(Agile|V3)?\.bin|docProps/thumbnail\..*|xl/media/.*|xl/sharedStrings\.xml)$",
    re.I)
# Errors that concern the whole container: stop there instead of reporting every member.
_FATAL = ("zip bomb", "total-size limit", "password-protected", "more than")

Handler = Callable[[Package, str, ReadContext], Iterator[Unit]]


def _handlers(labels: dict[str, str]) -> list[tuple[re.Pattern[str], Handler]]:
    """Part-name patterns and their readers (a part a sheet links to is matched by relationship kind first)."""
    def sheet_of(part: str) -> str:
        return labels.get(part, "workbook")

    table: list[tuple[str, Handler]] = [
        (r"docProps/core\.xml", lambda p, n, c: core_props(p, n)),
        (r"docProps/app\.xml", lambda p, n, c: app_props(p, n)),
        (r"docProps/custom\.xml", lambda p, n, c: custom_props(p, n)),
        (r"xl/comments[^/]*\.xml|xl/comments/[^/]+\.xml", lambda p, n, c: comments(p, n, sheet_of(n))),
        (r"xl/threadedComments/[^/]+\.xml", lambda p, n, c: threaded_comments(p, n, sheet_of(n))),
        (r"xl/persons/[^/]+\.xml", lambda p, n, c: persons(p, n)),
        (r"xl/pivotCache/pivotCacheDefinition\d*\.xml", lambda p, n, c: pivot_cache(p, n)),
        (r"xl/externalLinks/externalLink\d*\.xml", lambda p, n, c: external_link(p, n)),
        (r"xl/charts/chart(Ex)?\d*\.xml", lambda p, n, c: chart_cache(p, n)),
        (r"xl/revisions/[^/]+\.xml", lambda p, n, c: revision_log(p, n)),
        (r"xl/model/item\.data", lambda p, n, c: data_model(n)),
        (r"xl/connections\.xml", lambda p, n, c: connections(p, n)),
        (r"xl/queryTables/[^/]+\.xml", lambda p, n, c: query_table(p, n)),
        (r"customXml/item\d*\.xml", lambda p, n, c: custom_xml(p, n, c)),
        (r"xl/drawings/drawing\d*\.xml", lambda p, n, c: drawing(p, n, labels.get(n, ""))),
        (r"xl/drawings/[^/]+\.vml", lambda p, n, c: vml(p, n)),
        (r"xl/embeddings/.+", lambda p, n, c: embedding(p, n, c)),
        (r"xl/vbaProject\.bin", lambda p, n, c: read_vba_bin(p.zip.read(n), n)),
    ]
    return [(re.compile(f"^{pattern}$", re.I), handler) for pattern, handler in table]


# Relationship kinds (last segment of the type URI) and the name-pattern entry whose reader they use.
_KIND_EXAMPLE = {"comments": "xl/comments1.xml", "threadedComment": "xl/threadedComments/t.xml",
                 "drawing": "xl/drawings/drawing1.xml", "vmlDrawing": "xl/drawings/x.vml",
                 "chart": "xl/charts/chart1.xml", "chartEx": "xl/charts/chartEx1.xml",
                 "pivotCacheDefinition": "xl/pivotCache/pivotCacheDefinition1.xml",
                 "externalLink": "xl/externalLinks/externalLink1.xml", "oleObject": "xl/embeddings/x",
                 "package": "xl/embeddings/x", "queryTable": "xl/queryTables/q.xml"}


@salvaging
def read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    """Read an xlsx/xlsm/xltx workbook into units. Raises LimitExceeded on containers it cannot open."""
    pkg = open_package(blob, ctx.budget.limits)
    pkg.check_time = ctx.budget.check_time
    strings_data = pkg.zip.read_or_none("xl/sharedStrings.xml")  # read through SafeZip before calamine sees it
    styles = _styles(pkg)
    sc = SheetContext(pkg=pkg, styles=styles, calamine=_calamine(blob))
    sc.string_refs = set() if strings_data else None
    sc.hidden_sheets = {s.name for s in pkg.sheets if s.visibility is not Visibility.VISIBLE}
    done: set[str] = {pkg.workbook_path}
    labels: dict[str, str] = {}
    kinds: dict[str, str] = {rel.target: rel.kind for rel in pkg.workbook_rels.values() if not rel.external}
    hidden = [s for s in pkg.sheets if s.visibility is not Visibility.VISIBLE]
    if hidden:
        yield Notice(pkg.workbook_path, Visibility.HIDDEN_SHEET,
                     f"{len(hidden)} of {len(pkg.sheets)} sheet(s) are hidden")
    headings: dict[str, str | None] = {}
    for sheet in pkg.sheets:
        ctx.budget.check_time()
        if not sheet.path:
            yield Unreadable(sheet.location, "the workbook names a sheet whose part is missing")
            continue
        done.add(sheet.path)
        for rel in pkg.rels(sheet.path).values():
            labels.setdefault(rel.target, sheet.location)
            kinds.setdefault(rel.target, rel.kind)
        if sheet.kind in ("worksheet", "macrosheet", "dialogsheet"):
            for unit in _guarded(sheet.location, read_sheet(sheet, sc)):
                if isinstance(unit, Table) and unit.location == sheet.location:
                    headings[sheet.name] = heading_of(unit.frame)
                yield unit
            if sheet.kind == "macrosheet":
                yield Notice(sheet.location, Visibility.VISIBLE, "an Excel 4.0 macro sheet")
    yield from sheet_names_table([(s.name, s.visibility, headings.get(s.name)) for s in pkg.sheets],
                                 f"sheet names ({pkg.workbook_path})")
    yield from _unlisted_sheets(pkg, sc, done)
    yield from _orphan_strings(pkg, strings_data, sc)
    yield from _white_runs(strings_data, sc)
    yield from _guarded(pkg.workbook_path, defined_names(pkg))
    yield from _guarded(pkg.workbook_path, workbook_metadata(pkg))
    yield from _other_parts(pkg, ctx, done, labels, kinds)


def _styles(pkg: Package) -> Styles:
    styles = pkg.xml("xl/styles.xml") if "xl/styles.xml" in pkg.zip.infos else None
    theme_part = next((n for n in pkg.zip.names if re.fullmatch(r"xl/theme/theme1?\.xml", n)), None)
    theme = pkg.xml(theme_part) if theme_part else None
    return read_styles(styles, theme)


def _calamine(blob: bytes) -> object | None:
    from python_calamine import CalamineWorkbook

    try:
        return CalamineWorkbook.from_filelike(io.BytesIO(blob))
    except Exception:  # noqa: BLE001 - calamine refuses some valid packages; the sparse reader takes over
        log.debug("calamine could not open the workbook; using the sparse reader")
        return None


def _guarded(location: str, units: Iterator[Unit]) -> Iterator[Unit]:
    """Run one part's reader: a broken part becomes Unreadable and the rest of the workbook is still read."""
    try:
        yield from units
    except LimitExceeded as exc:
        if any(word in str(exc) for word in _FATAL):
            raise
        yield Unreadable(location, str(exc))
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        why = "its checksum does not match" if isinstance(exc, zipfile.BadZipFile) else "its data cannot be inflated"
        yield Unreadable(location, f"a part of the zip container is corrupt: {why}")
    except (etree.LxmlError, ValueError, KeyError, IndexError, UnicodeDecodeError) as exc:
        yield Unreadable(location, f"this part could not be parsed ({type(exc).__name__})")


def _unlisted_sheets(pkg: Package, sc: SheetContext, done: set[str]) -> Iterator[Unit]:
    """Sheet parts the workbook no longer lists (a deleted sheet left in the package): Excel ignores them, but
    their cells are still in the file."""
    for name in pkg.zip.names:
        if name not in done and re.fullmatch(r"xl/(worksheets|macrosheets|dialogsheets)/[^/]+\.xml", name, re.I):
            done.add(name)
            sheet = Sheet(f"(unlisted) {posixpath.basename(name)}", name, "worksheet", Visibility.UNKNOWN_PART, -1)
            yield Notice(sheet.location, Visibility.UNKNOWN_PART,
                         "a sheet part the workbook does not list (a deleted sheet?) still holds cells")
            yield from _guarded(sheet.location, read_sheet(sheet, sc))


def _white_runs(data: bytes | None, sc: SheetContext) -> Iterator[Unit]:
    runs = white_runs(data, sc.styles.theme) if data else []
    if runs:
        where = "white text runs in shared strings (xl/sharedStrings.xml)"
        yield Text(where, Visibility.WHITE_TEXT, "\n".join(runs))
        yield Notice(where, Visibility.WHITE_TEXT, f"{len(runs)} run(s) of rich text are written in white")


def _orphan_strings(pkg: Package, data: bytes | None, sc: SheetContext) -> Iterator[Unit]:
    """Shared strings no cell uses: text left behind by deleted cells (Excel drops them, other tools may not)."""
    if not data or sc.string_refs is None:
        return
    if len(sc.string_refs) >= data.count(b"<si>") + data.count(b"<si ") + data.count(b":si>"):
        return  # every entry is used: no need to decode the table
    if sc.strings is None:
        sc.strings = shared_strings(data)
    used = {int(x) for x in sc.string_refs}
    unused = [s for i, s in enumerate(sc.strings) if i not in used and s.strip()]
    if unused:
        yield Text("shared strings no cell uses (xl/sharedStrings.xml)", Visibility.EARLIER_REVISION,
                   "\n".join(unused))
        yield Notice("xl/sharedStrings.xml", Visibility.EARLIER_REVISION,
                     f"{len(unused)} shared string(s) are not used by any cell (left over from deleted cells)")


def _other_parts(pkg: Package, ctx: ReadContext, done: set[str], labels: dict[str, str],
                 kinds: dict[str, str]) -> Iterator[Unit]:
    handlers = _handlers(labels)
    images = [n for n in pkg.zip.names if n.lower().startswith("xl/media/")]
    if images:
        yield Notice(images[0], Visibility.VISIBLE,
                     f"{len(images)} image(s) under xl/media are not read (an image may show data)")
    for name in pkg.zip.names:  # pivot records are read with the definition that names their fields
        if re.fullmatch(r"xl/pivotCache/pivotCacheDefinition\d*\.xml", name, re.I):
            done.update(r.target for r in pkg.rels(name).values() if r.kind == "pivotCacheRecords")
    for name in pkg.zip.names:
        if name in done:
            continue
        ctx.budget.check_time()
        if name.lower().startswith("docprops/thumbnail"):
            yield Notice(name, Visibility.THUMBNAIL, "the file carries a thumbnail image, which may show data")
            continue
        if _BENIGN.match(name):
            continue
        example = _KIND_EXAMPLE.get(kinds.get(name, ""), name)
        handler = next((h for pattern, h in handlers if pattern.match(example)), None)
        if handler is None:
            handler = _unknown
        yield from _guarded(name, handler(pkg, name, ctx))


def _unknown(pkg: Package, name: str, ctx: ReadContext) -> Iterator[Unit]:
    head = pkg.zip.read(name)[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        return generic_xml(pkg, name)
    return generic_binary(pkg, name)
