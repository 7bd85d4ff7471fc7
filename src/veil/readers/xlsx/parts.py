"""The workbook's other parts: comments, names, properties, queries, data model, drawings, embeddings and the
parts Veil does not recognise (reported with their text, never ignored)."""

from __future__ import annotations

import base64
import binascii
import io
import posixpath
import re
import struct
from collections.abc import Iterator

from lxml import etree

from veil.readers.limits import LimitExceeded
from veil.readers.office.ooxml import DMS_ID_PROPERTIES, record_lists, xml_records
from veil.readers.registry import ReadContext
from veil.readers.safexml import local
from veil.readers.safezip import SafeZip
from veil.readers.sniff import OLE_MAGIC
from veil.readers.units import Notice, Text, Unit, Unreadable, Visibility
from veil.readers.xlsx.package import Package, formula_literals, sheet_refs

_TEXT_CAP = 2_000_000
_CORE_SKIP = {"created", "modified", "lastPrinted", "revision", "version"}
_APP_KEEP = {"Company", "Manager", "HyperlinkBase", "Template"}
_PRINTABLE = re.compile(rb"[\x20-\x7e]{5,}")
_PRINTABLE_16 = re.compile(rb"(?:[\x20-\x7e]\x00){5,}")


def _texts(el: etree._Element, skip: tuple[str, ...] = ("rPh",)) -> str:
    out = []
    for t in el.iter():
        if local(t.tag) in ("t", "text") and t.text and not any(local(a.tag) in skip for a in t.iterancestors()):
            out.append(t.text)
    return "".join(out).strip()


def comments(pkg: Package, part: str, sheet: str) -> Iterator[Unit]:
    root = pkg.xml(part)
    authors = [a.text or "" for a in root.iter() if local(a.tag) == "author"]
    for c in root.iter():
        if local(c.tag) == "comment":
            text = _texts(c)
            if text:
                yield Text(f"{sheet} comment on {c.get('ref', '?')} ({part})", Visibility.COMMENT, text)
    if any(a.strip() for a in authors):
        yield Text(f"{sheet} comment authors ({part})", Visibility.METADATA,
                   "\n".join(sorted({a.strip() for a in authors if a.strip()})))


def threaded_comments(pkg: Package, part: str, sheet: str) -> Iterator[Unit]:
    for c in pkg.xml(part).iter():
        if local(c.tag) == "threadedComment":
            text = _texts(c)
            if text:
                kind = "reply" if c.get("parentId") else "threaded comment"
                yield Text(f"{sheet} {kind} on {c.get('ref', '?')} ({part})", Visibility.COMMENT, text)


def persons(pkg: Package, part: str) -> Iterator[Unit]:
    names = [p.get("displayName", "") for p in pkg.xml(part).iter() if local(p.tag) == "person"]
    if any(names):
        yield Text(f"comment authors ({part})", Visibility.METADATA, "\n".join(n for n in names if n))


def core_props(pkg: Package, part: str) -> Iterator[Unit]:
    lines = [f"{local(el.tag)}: {el.text.strip()}" for el in pkg.xml(part)
             if local(el.tag) not in _CORE_SKIP and el.text and el.text.strip()]
    if lines:
        yield Text(f"document properties ({part})", Visibility.METADATA, "\n".join(lines))


def app_props(pkg: Package, part: str) -> Iterator[Unit]:
    root = pkg.xml(part)
    lines = [f"{local(el.tag)}: {el.text.strip()}" for el in root
             if local(el.tag) in _APP_KEEP and el.text and el.text.strip()]
    titles = [el.text for el in root.iter() if local(el.tag) == "lpstr" and el.text
              and any(local(a.tag) == "TitlesOfParts" for a in el.iterancestors())]
    current = {s.name for s in pkg.sheets} | {n.name for n in pkg.names}
    gone = [t for t in titles if t not in current and "!" not in t and not t.startswith("_xlnm")]
    if titles:
        lines.append("TitlesOfParts: " + "; ".join(titles))
    if lines:
        yield Text(f"application properties ({part})", Visibility.METADATA, "\n".join(lines))
    if gone:
        yield Notice(f"application properties ({part})", Visibility.METADATA,
                     f"{len(gone)} sheet name(s) listed in TitlesOfParts are not in the workbook (deleted or renamed"
                     " sheets)")


def custom_props(pkg: Package, part: str) -> Iterator[Unit]:
    lines = []
    for prop in pkg.xml(part):
        value = " ".join(t.strip() for t in prop.itertext() if t.strip())
        if value and prop.get("name", "").lower() not in DMS_ID_PROPERTIES:
            lines.append(f"{prop.get('name', '?')}: {value}")
    if lines:
        yield Text(f"custom document properties ({part})", Visibility.METADATA, "\n".join(lines))


def workbook_metadata(pkg: Package) -> Iterator[Unit]:
    """What workbook.xml says about where and by whom it was saved (absPath often holds a user's folder)."""
    lines = []
    for el in pkg.xml(pkg.workbook_path).iter():
        tag = local(el.tag) if isinstance(el.tag, str) else ""
        if tag == "absPath" and el.get("url"):
            lines.append(f"saved from: {el.get('url')}")
        elif tag == "fileSharing" and el.get("userName"):
            lines.append(f"reserved by: {el.get('userName')}")
    if lines:
        yield Text(f"workbook properties ({pkg.workbook_path})", Visibility.METADATA, "\n".join(lines))


def defined_names(pkg: Package) -> Iterator[Unit]:
    constants = []
    told: set[tuple[str, str]] = set()
    for dn in pkg.names:
        if dn.name.startswith("_xlnm.") or not dn.formula:
            continue
        where = f"defined name '{dn.name}' ({pkg.workbook_path})"
        refs = sheet_refs(dn.formula)
        if not refs and not dn.formula.startswith("#REF"):
            constants.append(f"{dn.name} = {dn.formula}")
        elif literals := formula_literals(dn.formula):
            constants.append(f"{dn.name}: " + "\t".join(literals))
        for name in refs:
            target = pkg.sheet_by_name(name)
            if target is not None and target.visibility is not Visibility.VISIBLE and (dn.name, name) not in told:
                told.add((dn.name, name))
                yield Notice(where, Visibility.DEFINED_NAME, f"the name points into hidden sheet '{target.name}'")
    if constants:
        yield Text(f"defined names ({pkg.workbook_path})", Visibility.DEFINED_NAME, "\n".join(constants))


def connections(pkg: Package, part: str) -> Iterator[Unit]:
    lines = []
    for el in pkg.xml(part).iter():
        for key in ("name", "description", "connection", "command", "url", "sourceFile", "odcFile"):
            if el.get(key):
                lines.append(f"{local(el.tag)} {key}: {el.get(key)}")
    if lines:
        yield Text(f"data connections ({part})", Visibility.QUERY, "\n".join(lines))


def query_table(pkg: Package, part: str) -> Iterator[Unit]:
    names = [el.get("name", "") for el in pkg.xml(part).iter() if local(el.tag) in ("queryTable", "queryTableField")]
    if any(names):
        yield Text(f"query table ({part})", Visibility.QUERY, "\n".join(n for n in names if n))


def custom_xml(pkg: Package, part: str, ctx: ReadContext) -> Iterator[Unit]:
    """customXml items: a Power Query package (DataMashup), SharePoint properties, or something else."""
    root = pkg.xml(part)
    if local(root.tag) == "DataMashup":
        yield from _data_mashup(root.text or "", part, ctx)
        return
    if local(root.tag) in ("contentTypeSchema", "schema") or root.tag == "{http://www.w3.org/2001/XMLSchema}schema":
        return  # SharePoint content-type schemas: field definitions, no values
    lists = record_lists(root)
    in_records = {leaf for _, records in lists for record in records for leaf in record.iter()}  # keeps proxies alive
    lines = []
    for el in root.iter():
        if not isinstance(el.tag, str) or not el.text or not el.text.strip() or el in in_records:
            continue  # records are read as a table below, their fields kept together
        label = next((a.get("name") for a in (el, *el.iterancestors()) if a.get("name")), None)
        if label and label.lower() in DMS_ID_PROPERTIES:
            continue
        lines.append(f"{label}: {el.text.strip()}" if label else el.text.strip())
    if lines:
        yield Text(f"custom XML properties ({part})", Visibility.METADATA, "\n".join(lines)[:_TEXT_CAP])
    yield from xml_records(root, f"custom XML ({part})", Visibility.METADATA, lists)


def _data_mashup(encoded: str, part: str, ctx: ReadContext) -> Iterator[Unit]:
    where = f"Power Query package ({part})"
    try:
        blob = base64.b64decode(encoded.strip(), validate=False)
        (length,) = struct.unpack_from("<I", blob, 4)
        inner = SafeZip(blob[8:8 + length], ctx.budget.limits)
    except (binascii.Error, struct.error, ValueError, LimitExceeded):
        yield Unreadable(where, "the Power Query (DataMashup) package could not be decoded")
        return
    for name in inner.names:
        if name.endswith(".m"):
            code = inner.read(name).decode("utf-8", "replace").strip()
            if code:
                yield Text(f"{where} {name}", Visibility.QUERY, code[:_TEXT_CAP])
    yield Notice(where, Visibility.QUERY, "the workbook carries Power Query queries")


def data_model(part: str) -> Iterator[Unit]:
    yield Unreadable(f"Power Pivot data model ({part})",
                     "the workbook embeds a Power Pivot data model (compressed binary) that Veil cannot read; "
                     "it may hold whole source tables")


def drawing(pkg: Package, part: str, sheet: str = "") -> Iterator[Unit]:
    """Text boxes and shapes (their text is drawn on the sheet unless the shape is hidden) and alt text."""
    where = f"{sheet} " if sheet else ""
    shown: list[str] = []
    hidden: list[str] = []
    alt: list[str] = []
    for el in pkg.xml(part).iter():
        tag = local(el.tag)
        if tag == "cNvPr":
            for key in ("descr", "title"):
                if el.get(key, "").strip():
                    alt.append(el.get(key, "").strip())
        elif tag in ("sp", "graphicFrame", "pic") and el.getparent() is not None:
            props = next((p for p in el.iter() if local(p.tag) == "cNvPr"), None)
            text = " ".join(t.text for t in el.iter() if local(t.tag) == "t" and t.text).strip()
            if text:
                (hidden if props is not None and props.get("hidden") in ("1", "true") else shown).append(text)
    if shown:
        yield Text(f"{where}text boxes ({part})", Visibility.VISIBLE, "\n".join(shown))
    if hidden:
        yield Text(f"{where}hidden shapes ({part})", Visibility.HIDDEN_TEXT, "\n".join(hidden))
    if alt:
        yield Text(f"{where}alt text ({part})", Visibility.ALT_TEXT, "\n".join(alt))


def vml(pkg: Package, part: str) -> Iterator[Unit]:
    """Legacy VML shapes: note boxes are empty here (their text is in commentsN.xml); form controls have labels."""
    data = pkg.zip.read(part).decode("utf-8", "replace")
    boxes = re.findall(r"<v:textbox\b[^>]*>(.*?)</v:textbox>", data, flags=re.S | re.I)
    text = "\n".join(t for t in (re.sub(r"<[^>]+>", " ", b).strip() for b in boxes) if t)
    if text:
        yield Text(f"shape text ({part})", Visibility.VISIBLE, _unescape(text))


def _unescape(text: str) -> str:
    import html

    return html.unescape(re.sub(r"[ \t]+", " ", text))


def generic_xml(pkg: Package, part: str) -> Iterator[Unit]:
    """An XML part Veil has no reader for: its text is extracted and reported."""
    root = pkg.xml(part)
    text = "\n".join(t.strip() for t in root.itertext() if t.strip())
    values = [v for el in root.iter() for k, v in el.attrib.items()
              if local(k) in ("name", "caption", "val", "v", "label") and len(v) > 2 and not v.isdigit()]
    body = "\n".join(x for x in (text, "\n".join(values)) if x)
    if body:
        yield Text(f"unrecognised part ({part})", Visibility.UNKNOWN_PART, body[:_TEXT_CAP])
    yield Notice(f"unrecognised part ({part})", Visibility.UNKNOWN_PART,
                 f"Veil does not know the part {part}; its text was extracted and checked")


def generic_binary(pkg: Package, part: str) -> Iterator[Unit]:
    """A binary part Veil has no reader for: printable strings are extracted and checked, and it is named."""
    data = pkg.zip.read(part)
    runs = [m.group(0).decode("ascii") for m in _PRINTABLE.finditer(data)]
    runs += [m.group(0).decode("utf-16-le") for m in _PRINTABLE_16.finditer(data)]
    if runs:
        yield Text(f"strings in unrecognised binary part ({part})", Visibility.UNKNOWN_PART,
                   "\n".join(runs)[:_TEXT_CAP])
    yield Notice(f"unrecognised part ({part})", Visibility.UNKNOWN_PART,
                 f"Veil cannot read the binary part {part} ({len(data)} bytes); only its printable strings were "
                 "checked")


def embedding(pkg: Package, part: str, ctx: ReadContext) -> Iterator[Unit]:
    """An embedded object goes back through the readers; OLE wrappers are opened to find the real file."""
    blob = pkg.zip.read(part)
    where = f"embedded object ({part})"
    if not blob.startswith(OLE_MAGIC):
        yield from ctx.embedded(blob, posixpath.basename(part), where, Visibility.EMBEDDED)
        return
    unwrapped = unwrap_ole(blob)
    if unwrapped is None:
        yield Unreadable(where, "an embedded OLE object of a kind Veil cannot read")
        return
    name, inner = unwrapped
    yield from ctx.embedded(inner, name or posixpath.basename(part), where, Visibility.EMBEDDED)


def unwrap_ole(blob: bytes) -> tuple[str, bytes] | None:
    """The file inside an OLE embedding: a 'Package' stream (Office file), '\\x01Ole10Native' (any file),
    'CONTENTS' (e.g. PDF), or the OLE file itself when it is a legacy Office document."""
    import olefile

    try:
        ole = olefile.OleFileIO(io.BytesIO(blob))
    except Exception:  # noqa: BLE001 - olefile raises many kinds on broken input
        return None
    try:
        streams = {"/".join(s).lower(): "/".join(s) for s in ole.listdir(streams=True)}
        if "package" in streams:
            return "", ole.openstream(streams["package"]).read()
        if "\x01ole10native" in streams:
            return _ole10native(ole.openstream(streams["\x01ole10native"]).read())
        if "contents" in streams:
            return "", ole.openstream(streams["contents"]).read()
        if {"workbook", "book", "worddocument", "powerpoint document"} & set(streams):
            return "", blob
        return None
    except (OSError, ValueError, struct.error):
        return None
    finally:
        ole.close()


def _ole10native(data: bytes) -> tuple[str, bytes] | None:
    """Packager-wrapped file: size, flags, label\\0, source path\\0, two longs, temp path\\0, size, data."""
    try:
        pos = 6
        label_end = data.index(b"\0", pos)
        label = data[pos:label_end].decode("latin-1")
        pos = data.index(b"\0", label_end + 1) + 1
        pos += 8
        pos = data.index(b"\0", pos) + 1
        (size,) = struct.unpack_from("<I", data, pos)
        return label, data[pos + 4:pos + 4 + size]
    except (ValueError, struct.error):
        return None
