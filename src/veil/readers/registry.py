"""Which reader reads which format, and the one entry point that turns bytes into units, failing closed.

Built-in readers are listed in READERS (format name -> "module:function"); modules are imported lazily so that a
missing optional dependency only affects its own formats. A reader is a function

    read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]

that raises LimitExceeded or any exception on input it cannot handle; `read_blob` turns that into an Unreadable.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace

from veil.readers.appended import appended_data
from veil.readers.file_names import name_unit
from veil.readers.limits import Budget, LimitExceeded
from veil.readers.sniff import sniff
from veil.readers.units import Notice, Table, Text, Unit, Unreadable, Visibility, nest

log = logging.getLogger(__name__)

ReaderFn = Callable[[bytes, "ReadContext"], Iterator[Unit]]

READERS: dict[str, str] = {
    "xlsx": "veil.readers.xlsx.reader:read",
    "xlsb": "veil.readers.workbook.reader:read",
    "xls": "veil.readers.workbook.reader:read",
    "ods": "veil.readers.workbook.reader:read",
    "delimited": "veil.readers.text.delimited:read",
    "json": "veil.readers.text.json_records:read",
    "ndjson": "veil.readers.text.json_records:read",
    "parquet": "veil.readers.datasets.parquet:read",
    "sqlite": "veil.readers.datasets.sqlite:read",
    "spss": "veil.readers.datasets.statistical:read",
    "spss-portable": "veil.readers.datasets.statistical:read",
    "stata": "veil.readers.datasets.statistical:read",
    "sas-xport": "veil.readers.datasets.statistical:read",
    "sas7bdat": "veil.readers.datasets.statistical:read",
    "arrow": "veil.readers.datasets.arrow_ipc:read",
    "numbers": "veil.readers.datasets.numbers:read",
    "pdf": "veil.readers.pdf.reader:read",
    "docx": "veil.readers.office.docx:read",
    "pptx": "veil.readers.office.pptx:read",
    "odt": "veil.readers.office.odf:read",
    "odp": "veil.readers.office.odf:read",
    "doc": "veil.readers.office.legacy:read",
    "ppt": "veil.readers.office.legacy:read",
    "html": "veil.readers.text.html:read",
    "vcard": "veil.readers.text.cards:read",
    "ical": "veil.readers.text.cards:read",
    "xml": "veil.readers.text.xml_records:read",
    "mbox": "veil.readers.text.mbox:read",
    "yaml": "veil.readers.text.yaml_records:read",
    "eml": "veil.readers.containers.email:read",
    "msg": "veil.readers.containers.email:read",
    "zip": "veil.readers.containers.archive:read",
    "tar": "veil.readers.containers.archive:read",
    "gzip": "veil.readers.containers.archive:read",
    "7z": "veil.readers.containers.archive:read",
    "rtf": "veil.readers.text.plaintext:read",
    "text": "veil.readers.text.plaintext:read",
    # containers sniffing could not open: unverifiable, with the text a raw scan or a streaming unzip recovers
    "corrupt-zip": "veil.readers.office.salvage:read_damaged_zip",
    "corrupt-ole": "veil.readers.office.salvage:read_damaged_ole",
    "ole": "veil.readers.office.salvage:read_damaged_ole",
}

# Formats that are never readable: the reason says why.
_REFUSED = {
    "encrypted-office": "the file is encrypted or password-protected",
    "encrypted-parquet": "the Parquet file is encrypted",
    "encrypted-spss": "the SPSS file is encrypted (a password is needed to open it)",
    "iwork": "an Apple Pages or Keynote document, which Veil does not read",
    "binary": "a binary file of a format Veil does not read",
}


@dataclass
class ReadContext:
    """What a reader gets besides the bytes: the file name, limits/deadline and a way to read embedded files."""

    name: str = ""
    budget: Budget = field(default_factory=Budget)
    depth: int = 0
    format: str = ""

    def embedded(
        self, blob: bytes, name: str, location: str, visibility: Visibility, named: bool = True
    ) -> Iterator[Unit]:
        """Read a file found inside this one (embedded object, attachment, archive member) through the readers.

        Its name comes first, as a `file name` Text unit (unless `named` is False: the caller has checked the
        name already, e.g. an archive's listing). Units come back with `location` prefixed and visibility
        nested, so findings say where the inner file was.
        """
        name_text = name_unit(name, location, visibility) if named else None
        if name_text is not None:  # a member's or an attachment's name can be personal data by itself
            yield name_text
        if self.depth + 1 > self.budget.limits.max_depth:
            yield Unreadable(location, f"embedded files nested deeper than {self.budget.limits.max_depth} levels")
            return
        inner = replace(self, name=name, depth=self.depth + 1)
        for unit in read_blob(blob, inner):
            yield _prefixed(unit, location, visibility)


def _prefixed(unit: Unit, location: str, visibility: Visibility) -> Unit:
    where = f"{location} › {unit.location}" if unit.location else location
    if isinstance(unit, Unreadable):
        return Unreadable(where, unit.reason)
    return replace(unit, location=where, visibility=nest(visibility, unit.visibility))


def load_reader(fmt: str) -> ReaderFn | None:
    target = READERS.get(fmt)
    if target is None:
        return None
    module_name, func = target.split(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and exc.name.startswith("veil."):
            return None
        raise
    fn: ReaderFn | None = getattr(module, func, None)
    return fn


def read_blob(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    """Turn one file's bytes into units. Never raises on bad input: problems become Unreadable units."""
    if len(blob) > ctx.budget.limits.max_file_bytes:
        yield Unreadable("", f"file is larger than the {ctx.budget.limits.max_file_bytes} byte limit")
        return
    fmt = sniff(blob, ctx.name)
    ctx = replace(ctx, format=fmt)
    if fmt == "empty":
        yield Notice("", Visibility.VISIBLE, "the file is empty")
        return
    if fmt in _REFUSED:
        yield Unreadable("", _REFUSED[fmt])
        yield from _appended(blob, ctx)  # a text with a zip glued on is 'binary', and the zip still counts
        return
    try:
        reader = load_reader(fmt)
    except Exception as exc:  # an optional dependency that fails to import: fail closed, say which
        yield Unreadable("", f"the reader for {fmt} could not be loaded ({type(exc).__name__})")
        return
    if reader is None:
        yield Unreadable("", f"no reader for the {fmt} format yet")
        return
    try:
        for unit in reader(blob, ctx):
            ctx.budget.check_time()
            yield unit
    except LimitExceeded as exc:
        yield Unreadable("", str(exc))
    except MemoryError:
        yield Unreadable("", "the file needs more memory than Veil allows")
    except RecursionError:
        yield Unreadable("", "the file is nested too deeply")
    except ModuleNotFoundError as exc:  # an optional reader's package is not installed (e.g. veil[numbers])
        yield Unreadable("", f"reading {fmt} files needs the optional package '{exc.name}', which is not installed")
    except Exception as exc:  # noqa: BLE001 - fail closed on anything a parser throws; log the kind, not the data
        log.debug("reader %s failed: %s", fmt, type(exc).__name__, exc_info=False)
        yield Unreadable("", f"the {fmt} file could not be parsed ({type(exc).__name__})")
    except BaseException as exc:
        # Rust-backed parsers (calamine, polars) raise pyo3's PanicException, which is not an Exception.
        if type(exc).__name__ != "PanicException":
            raise
        yield Unreadable("", f"the {fmt} file could not be parsed (the parser panicked)")
    yield from _appended(blob, ctx)


def _appended(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    """Bytes past the end of the file's format (a polyglot: a roster zip after a PDF's %%EOF, a CSV after a zip)
    are read as whatever they are; bytes of no format Veil reads make the file unverifiable (readers/appended.py)."""
    found = appended_data(blob, ctx.format)
    if found is None:
        return
    offset, data = found
    where = f"appended data (from byte {offset})"
    yield Notice(where, Visibility.UNKNOWN_PART, f"{len(data)} bytes after the end of the {ctx.format} file: read")
    yield from ctx.embedded(data, "appended data", where, Visibility.UNKNOWN_PART, named=False)


__all__ = ["READERS", "ReadContext", "read_blob", "load_reader", "Table", "Text", "Unreadable", "Notice"]
