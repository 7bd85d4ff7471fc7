"""What Word and PowerPoint packages share: document properties, relationships, embedded files, chart caches,
and the parts nobody recognises (custom XML, unknown binaries), which must still be looked at (fail closed).

OLE embeddings (`oleObject1.bin`) usually wrap the real file in an `\\x01Ole10Native` or `Package` stream; we
unwrap those so an embedded CSV or workbook goes back through the readers instead of being refused as "OLE".
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator

from lxml import etree

from veil.readers.limits import LimitExceeded
from veil.readers.office.salvage import salvaging
from veil.readers.registry import ReadContext
from veil.readers.safexml import local, parse
from veil.readers.safezip import SafeZip
from veil.readers.sniff import OLE_MAGIC
from veil.readers.units import Notice, Text, Unit, Unreadable, Visibility, table_from_rows

PROPS_PARTS = ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml")
# app.xml fields that are counts or layout facts, not something a person wrote
_APP_SKIP = {"TotalTime", "Pages", "Words", "Characters", "Lines", "Paragraphs", "CharactersWithSpaces", "Slides",
             "Notes", "HiddenSlides", "MMClips", "ScaleCrop", "LinksUpToDate", "SharedDoc", "HyperlinksChanged",
             "AppVersion", "DocSecurity", "Application", "Template", "PresentationFormat"}
# Record numbers a document-management system stamps on every file it stores (Objective's 'A12345678' looks like an
# A-number); they identify the document, not a person, so they are left out of the text that is checked.
DMS_ID_PROPERTIES = frozenset({"objective-id", "objective-versionid", "objective-parentid", "contenttypeid",
                               "_dlc_docid", "_dlc_dociditemguid"})
IMAGE_EXTS = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".svg", ".wdp", ".jfif")


def open_package(blob: bytes, ctx: ReadContext) -> SafeZip:
    return SafeZip(blob, ctx.budget.limits, fold_case=True)


def xml(z: SafeZip, name: str, ctx: ReadContext) -> etree._Element:
    return parse(z.read(name), name, ctx.budget.limits.max_xml_bytes)


def rels(z: SafeZip, part: str, ctx: ReadContext) -> dict[str, tuple[str, str, bool]]:
    """Relationships of a part: id -> (type suffix, resolved target, external?)."""
    folder, base = posixpath.split(part)
    rel_name = posixpath.join(folder, "_rels", base + ".rels")
    if rel_name not in z.infos:
        return {}
    out: dict[str, tuple[str, str, bool]] = {}
    for rel in xml(z, rel_name, ctx):
        target = rel.get("Target", "")
        external = rel.get("TargetMode") == "External"
        if not external:
            joined = posixpath.normpath(posixpath.join(folder, target))
            target = target.lstrip("/") if target.startswith("/") else joined
        out[rel.get("Id", "")] = (rel.get("Type", "").rsplit("/", 1)[-1], target, external)
    return out


def main_part(z: SafeZip, ctx: ReadContext, default: str) -> str:
    """The officeDocument target from the package relationships (docm/dotx keep it at the usual place too)."""
    for kind, target, external in rels(z, "", ctx).values():
        if kind == "officeDocument" and not external and target in z.infos:
            return target
    return default


def link_targets(z: SafeZip, part: str, ctx: ReadContext) -> Iterator[Unit]:
    """External hyperlink targets of a part: shown only on hover, and often an e-mail address or a case URL."""
    targets = sorted({t for kind, t, external in rels(z, part, ctx).values() if external and kind == "hyperlink"})
    if targets:
        yield Text(f"{part} (hyperlink targets)", Visibility.METADATA, "\n".join(targets))


def text_of(el: etree._Element) -> str:
    return "".join(t for t in el.itertext() if isinstance(t, str))


def doc_props(z: SafeZip, ctx: ReadContext) -> Iterator[Unit]:
    """docProps core/app/custom as METADATA text, one unit per part, one 'field: value' line per property."""
    for part in PROPS_PARTS:
        if part not in z.infos:
            continue
        root = xml(z, part, ctx)
        lines: list[str] = []
        if part.endswith("custom.xml"):
            for prop in root:
                value = " ".join(text_of(prop).split())
                if value and prop.get("name", "").lower() not in DMS_ID_PROPERTIES:
                    lines.append(f"{prop.get('name', 'property')}: {value}")
        else:
            for child in root:
                name = local(child.tag)
                if name in _APP_SKIP or len(child):  # nested (HeadingPairs/TitlesOfParts) handled below
                    continue
                value = " ".join((child.text or "").split())
                if value:
                    lines.append(f"{name}: {value}")
            titles = [text_of(e) for e in root.iter() if local(e.tag) == "lpstr" and _under(e, "TitlesOfParts")]
            if titles:
                lines.append("TitlesOfParts: " + "; ".join(titles))
        if lines:
            yield Text(part, Visibility.METADATA, "\n".join(lines))


def _under(el: etree._Element, name: str) -> bool:
    parent = el.getparent()
    while parent is not None:
        if local(parent.tag) == name:
            return True
        parent = parent.getparent()
    return False


def chart_tables(z: SafeZip, part: str, ctx: ReadContext) -> Iterator[Unit]:
    """A chart's cached series (c:strCache / c:numCache) as one table: category column, then one per series."""
    root = xml(z, part, ctx)
    series: list[tuple[str, dict[int, str], dict[int, str]]] = []
    for ser in root.iter():
        if local(ser.tag) != "ser":
            continue
        name, cats, vals = "", {}, {}
        for child in ser:
            kind = local(child.tag)
            if kind == "tx":
                name = " ".join(_points(child).values())
            elif kind in ("cat", "xVal"):
                cats = _points(child)
            elif kind in ("val", "yVal"):
                vals = _points(child)
        series.append((name, cats, vals))
    if not series:
        yield from chart_labels(root, part)
        return
    n = max((max([*c, *v], default=-1) + 1 for _, c, v in series), default=0)
    cats = next((c for _, c, _ in series if c), {})
    rows: list[list[object]] = [["category", *[s[0] or f"series {i + 1}" for i, s in enumerate(series)]]]
    for i in range(n):
        rows.append([cats.get(i), *[s[2].get(i) for s in series]])
    yield table_from_rows(rows, location=f"{part} (chart cache)", visibility=Visibility.CHART_CACHE)
    yield from chart_labels(root, part)


def chart_labels(root: etree._Element, part: str) -> Iterator[Unit]:
    """Text typed into a chart rather than read from cells: titles, axis titles and data labels (rich text), and
    series names (typed as `c:tx/c:v`, chartEx `cx:txData/cx:v`, or cached from a cell). Series names come as a
    table beside the chart's title, so a person's name typed as a series is read with the title it sits under
    ("Credible fear detention log")."""
    rich = [t.text.strip() for t in root.iter() if isinstance(t.tag, str) and local(t.tag) == "t" and t.text
            and t.text.strip() and any(local(a.tag) in ("title", "tx", "txPr") for a in t.iterancestors())]
    title = next((" ".join(text_of(t).split()) for t in root.iter() if isinstance(t.tag, str)
                  and local(t.tag) == "title" and local(t.getparent().tag) in ("chart", "plotArea")), "")
    names = []
    for ser in root.iter():
        if not isinstance(ser.tag, str) or local(ser.tag) not in ("ser", "series"):
            continue
        tx = next((c for c in ser if local(c.tag) == "tx"), None)
        if tx is None:
            continue
        values = [v.text.strip() for v in tx.iter() if isinstance(v.tag, str) and local(v.tag) == "v" and v.text
                  and v.text.strip()]
        if values:
            names.append(" ".join(values))
    if rich:
        yield Text(f"chart text ({part})", Visibility.VISIBLE, "\n".join(dict.fromkeys(rich)))
    if names:
        rows: list[list[object]] = [[name, title or None] for name in names]
        yield table_from_rows(rows, location=f"chart series names ({part})",
                              visibility=Visibility.VISIBLE, header=["series name", "chart title"])


def _points(el: etree._Element) -> dict[int, str]:
    """Cached points under a series element; multi-level categories joined per index."""
    out: dict[int, str] = {}
    for pt in el.iter():
        if local(pt.tag) != "pt":
            continue
        try:
            idx = int(pt.get("idx", "0"))
        except ValueError:
            continue
        if not 0 <= idx < 1_000_000:
            raise LimitExceeded("a chart cache point index is out of range")
        value = text_of(pt).strip()
        out[idx] = f"{out[idx]} / {value}" if idx in out else value
    return out


def embedded(z: SafeZip, part: str, ctx: ReadContext) -> Iterator[Unit]:
    """An embedded package/object back through the readers, OLE wrappers unwrapped first."""
    blob = z.read(part)
    name = posixpath.basename(part)
    if blob.startswith(OLE_MAGIC):
        inner = unwrap_ole_object(blob)
        if inner is not None:
            yield from ctx.embedded(inner[1], inner[0] or name, f"embedded object ({part})", Visibility.EMBEDDED)
            return
    yield from ctx.embedded(blob, name, f"embedded file ({part})", Visibility.EMBEDDED)


def unwrap_ole_object(blob: bytes) -> tuple[str, bytes] | None:
    """The file inside an OLE embedding: (original name, bytes), or None when it is a native OLE document."""
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(blob))
    except Exception:  # broken OLE: let the readers refuse it with their own reason
        return None
    try:
        streams = {"/".join(s).lower(): s for s in ole.listdir()}
        if "\x01ole10native" in streams:
            return ole10native(ole.openstream(streams["\x01ole10native"]).read())
        if "package" in streams:
            return "", ole.openstream(streams["package"]).read()
        if "contents" in streams and len(streams) <= 4:
            return "", ole.openstream(streams["contents"]).read()
        return None
    finally:
        ole.close()


def ole10native(data: bytes) -> tuple[str, bytes]:
    """Ole10Native: size, flags, label\\0, path\\0, reserved, temp path\\0, data size, data (MS-OLEDS 2.3.6)."""
    try:
        pos = 4 + 2
        label_end = data.index(b"\x00", pos)
        label = data[pos:label_end].decode("cp1252", "replace")
        pos = data.index(b"\x00", label_end + 1) + 1  # source path
        pos += 4  # reserved
        (temp_len,) = struct.unpack_from("<I", data, pos)
        pos += 4 + temp_len
        (size,) = struct.unpack_from("<I", data, pos)
        pos += 4
        if size > len(data) - pos:
            raise ValueError
        return label, data[pos:pos + size]
    except (ValueError, struct.error):
        # Not the packager layout: the payload starts after the leading size field.
        return "", data[4:]


def generic_part(z: SafeZip, part: str, ctx: ReadContext, visibility: Visibility = Visibility.UNKNOWN_PART,
                 label: str = "") -> Iterator[Unit]:
    """A part we have no specific reader for: XML gives its text (and attribute values), binary a Notice."""
    data = z.read(part)
    if data.lstrip()[:1] == b"<" or data[:3] == b"\xef\xbb\xbf":
        root = parse(data, part, ctx.budget.limits.max_xml_bytes)
        pieces = [t.strip() for t in root.itertext() if isinstance(t, str) and t.strip()]
        pieces += [v.strip() for e in root.iter() if isinstance(e.tag, str) for k, v in e.attrib.items()
                   if _meaningful_attr(k, v)]
        if pieces:
            yield Text(label or part, visibility, "\n".join(pieces))
        if part.startswith("customXml/"):  # data a program stored in the document: often a list of records
            yield from xml_records(root, label or part, visibility)
        return
    if part.lower().endswith(IMAGE_EXTS):
        return
    yield Notice(label or part, visibility, f"a binary part of {len(data)} bytes that Veil does not read")


MAX_RECORDS = 200_000


def record_lists(root: etree._Element) -> list[tuple[str, list[etree._Element]]]:
    """Lists of records in an XML part: an element's two or more children of one tag, each holding fields."""
    found = []
    for parent in root.iter():
        if not isinstance(parent.tag, str) or len(parent) < 2:
            continue
        groups: dict[str, list[etree._Element]] = {}
        for child in parent:
            if isinstance(child.tag, str):
                groups.setdefault(local(child.tag), []).append(child)
        found += [(tag, records) for tag, records in groups.items()
                  if len(records) >= 2 and all(_fields(r) for r in records[:20])
                  and not all(_property(r) for r in records[:20])]
    return found


def _property(record: etree._Element) -> bool:
    """A `<field name="Owner"><value>...</value></field>` entry of a property list (SharePoint, document
    management systems): a name and its value, read as `name: value` text rather than as a table."""
    return record.get("name") is not None and len(_fields(record)) <= 2


def xml_records(root: etree._Element, where: str, visibility: Visibility,
                lists: list[tuple[str, list[etree._Element]]] | None = None) -> Iterator[Unit]:
    """Lists of records in an XML part (custom XML often stores a list of people as <person><name/><dob/>...)
    as Tables whose header is the field names (leaf elements and attributes), one row per record, so a record's
    fields stay together."""
    for tag, records in record_lists(root) if lists is None else lists:
        rows = [_fields(r) for r in records[:MAX_RECORDS]]
        header = list(dict.fromkeys(k for row in rows for k in row))
        grid: list[list[object]] = [[row.get(k) for k in header] for row in rows]
        yield table_from_rows(grid, location=f"{where} records <{tag}>", visibility=visibility, header=header,
                              total_rows=len(records) if len(records) > MAX_RECORDS else None)


def _fields(record: etree._Element) -> dict[str, str]:
    """A record's fields: its attributes and its leaf children's text, by local name (None when it has none)."""
    out = {local(k): v.strip() for k, v in record.attrib.items() if v.strip() and local(k) not in ("id", "uri")}
    for child in record:
        if isinstance(child.tag, str) and len(child) == 0 and child.text and child.text.strip():
            out.setdefault(local(child.tag), " ".join(child.text.split()))
    return out


_NOISE_ATTR = re.compile(
    r"^(\{?[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12}\}?"  # GUID
    r"|[0-9A-Fa-f]{1,8}"  # revision ids, colours
    r"|[a-z]+://\S*|urn:\S*|-?[\d.]+%?|true|false)$"
)


def _meaningful_attr(key: str, value: str) -> bool:
    """Attribute values worth showing the text detector: custom XML often stores fields (names, case numbers) as
    attributes. GUIDs, revision ids (hex), URLs, numbers and booleans are left out."""
    name = local(key).lower()
    value = value.strip()
    if name in ("uri", "xmlns", "itemid", "version", "schemaref") or len(value) < 3 or _NOISE_ATTR.match(value):
        return False
    return any(c.isalpha() for c in value)


def images_notice(z: SafeZip, prefix: str) -> Iterator[Unit]:
    pictures = [n for n in z.names if n.startswith(prefix) and n.lower().endswith(IMAGE_EXTS)]
    if pictures:
        yield Notice(prefix.rstrip("/"), Visibility.VISIBLE,
                     f"{len(pictures)} picture(s) not read (text inside images is not checked)")


def unreadable_member(part: str, exc: LimitExceeded) -> Unreadable:
    return Unreadable(part, str(exc))


def safe_units(part: str, units: Iterator[Unit]) -> Iterator[Unit]:
    """Run one part's reader; a broken part becomes Unreadable for that part and the rest still gets read."""
    try:
        yield from units
    except LimitExceeded as exc:
        if "total-size limit" in str(exc):
            raise
        yield Unreadable(part, str(exc))
    except (KeyError, ValueError, struct.error) as exc:
        yield Unreadable(part, f"the part could not be read ({type(exc).__name__})")
    except CORRUPT as exc:
        yield Unreadable(part, f"the part is corrupt in the zip container ({type(exc).__name__})")


# What zipfile/zlib raise on damaged members (CRC mismatch, bad local header, unknown compression).
CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError)


def package_reader(kind: str, read: Callable[[bytes, ReadContext], Iterator[Unit]]
                   ) -> Callable[[bytes, ReadContext], Iterator[Unit]]:
    """Wrap a package reader so damage outside any one part (relationships, styles) gets a clear reason."""
    def wrapped(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
        try:
            yield from read(blob, ctx)
        except (*CORRUPT, ValueError, KeyError, struct.error) as exc:
            raise LimitExceeded(f"the {kind} package is corrupt ({type(exc).__name__})") from exc
    wrapped.__doc__ = read.__doc__
    return salvaging(wrapped)
