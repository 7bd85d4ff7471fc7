"""Workbooks other than xlsx: legacy Excel (.xls), Excel binary (.xlsb) and OpenDocument (.ods).

    read()              the reader registered for "xls", "xlsb" and "ods"
    ├── xls             BIFF: calamine values, xlrd hidden rows/columns and notes, own record walk (password,
    │                   headers/footers), OLE streams (properties, pivot caches, embedded objects, macros)
    ├── xlsb            BIFF12 in a zip: calamine values, own record walk (hidden rows/columns), other parts
    ├── ods             content.xml read by Veil (hidden tables, collapsed/filtered rows and columns,
    │                   annotations, shapes), meta.xml, headers/footers, charts, embedded files
    └── grid            what they share: calamine sheets as frames, Table and hidden-content notices

Every sheet is read whatever its visibility; a sheet that cannot be read is Unreadable (fail closed).
"""

from __future__ import annotations

from collections.abc import Iterator

from veil.readers.limits import LimitExceeded
from veil.readers.office.salvage import salvaging
from veil.readers.registry import ReadContext
from veil.readers.sniff import sniff
from veil.readers.units import Unit


@salvaging
def read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    fmt = ctx.format or sniff(blob, ctx.name)
    try:
        yield from _read(blob, ctx, fmt)
    except LimitExceeded:  # ZipDamage too: the salvaging wrapper reads what it can
        raise
    except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except RecursionError as exc:
        raise LimitExceeded(f"the {fmt} structure is nested too deeply (corrupt)") from exc
    except BaseException as exc:  # noqa: BLE001 - any parser failure is a one-line reason (and pyo3 panics too)
        raise LimitExceeded(f"the {fmt} workbook could not be parsed ({type(exc).__name__})") from exc


def _read(blob: bytes, ctx: ReadContext, fmt: str) -> Iterator[Unit]:
    if fmt == "xls":
        from veil.readers.workbook.xls import read_xls

        yield from read_xls(blob, ctx)
    elif fmt == "ods":
        from veil.readers.workbook.ods import read_ods

        yield from read_ods(blob, ctx)
    elif fmt == "xlsb":
        from veil.readers.workbook.xlsb import read_xlsb

        yield from read_xlsb(blob, ctx)
    else:
        raise LimitExceeded(f"not an xls, xlsb or ods workbook ({fmt})")
