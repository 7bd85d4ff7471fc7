"""SPSS (.sav, .zsav, .por), Stata (.dta) and SAS (.xpt, .sas7bdat) data files, read with pyreadstat.

    data (variable labels as header)          Table, header = each variable's label, else its name; coded values
                                              shown as their value labels ("Asylum pending", not 1)
    variables                                 Text (metadata): "name: label" for every variable
    value labels 'claim_lbl'                  Text (metadata): "1 = Asylum pending" for every label set, used or
                                              not (a label set can hold names no row uses any more)
    file label, notes, documents              Text (metadata)

The label is the header because it is what the file shows a person (SPSS's variable view, Stata's `describe`) and
what says what a column means: a variable `q12` labelled "Asylum claim". The file is read whole or refused: the
number of rows is read from the metadata first and a file over the cell limit is unverifiable. An encrypted SPSS
file (SPSS 21+ wrapper) is refused by the sniffer.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import polars as pl

from veil.readers.datasets.parquet import as_strings
from veil.readers.limits import LimitExceeded
from veil.readers.registry import ReadContext
from veil.readers.units import Notice, Table, Text, Unit, Unreadable, Visibility, cell_text

# Format name (from the sniffer) -> (pyreadstat function name, what people call the format).
FORMATS = {
    "spss": ("read_sav", "SPSS"),
    "spss-portable": ("read_por", "SPSS portable"),
    "stata": ("read_dta", "Stata"),
    "sas-xport": ("read_xport", "SAS transport"),
    "sas7bdat": ("read_sas7bdat", "SAS"),
}


def read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    import pyreadstat

    function, label = FORMATS[ctx.format]
    reader: Callable[..., tuple[Any, Any]] = getattr(pyreadstat, function)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pyreadstat warns about odd formats; the data is what matters here
            yield from _read(blob, reader, label, ctx)
    except (LimitExceeded, KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except Exception as exc:  # noqa: BLE001 - ReadStat's errors name the problem, never the data
        raise LimitExceeded(f"the {label} file could not be read ({_reason(exc)})") from exc


def _reason(exc: Exception) -> str:
    text = str(exc).split("\n", 1)[0][:120]
    return text if text and "/" not in text else type(exc).__name__


def _read(blob: bytes, reader: Callable[..., tuple[Any, Any]], label: str, ctx: ReadContext) -> Iterator[Unit]:
    if ctx.format == "sas-xport" and len(blob) % 80:
        # A transport file does not say how many rows it holds; it is written in whole 80-byte records.
        yield Unreadable("", f"the {label} file is truncated (it does not end on a whole 80-byte record)")
    _, meta = reader(io.BytesIO(blob), metadataonly=True, output_format="polars")
    width = max(int(meta.number_columns or 0), 1)
    limit = ctx.budget.limits.max_cells // width
    if meta.number_rows is not None and meta.number_rows > limit:
        raise LimitExceeded(f"the {label} file holds more than the {ctx.budget.limits.max_cells} cells Veil reads")
    ctx.budget.check_time()
    data, meta = reader(io.BytesIO(blob), output_format="polars", row_limit=limit + 1,
                        disable_datetime_conversion=False)
    if data.height > limit:
        raise LimitExceeded(f"the {label} file holds more than the {ctx.budget.limits.max_cells} cells Veil reads")
    ctx.budget.check_time()
    if meta.number_rows is not None and 0 <= data.height < meta.number_rows:
        yield Unreadable("", f"the {label} file is truncated: {data.height} of its {meta.number_rows} rows were read")
    strings, notes = as_strings(data)
    names = list(strings.columns)
    labels: dict[str, str | None] = dict(meta.column_names_to_labels or {})
    strings = _apply_value_labels(strings, meta)
    strings = _repair_mojibake(strings)
    header = [(labels.get(name) or "").strip() or name for name in names]
    frame = strings.rename({name: f"c{i}" for i, name in enumerate(names)})
    where = f"data ({label}, {len(names)} variables)"
    for note in notes:
        yield Notice(where, Visibility.VISIBLE, note)
    yield Table(location=where, visibility=Visibility.VISIBLE, frame=frame, header=header)
    yield from _metadata(meta, names, labels)


def _repair_mojibake(strings: pl.DataFrame) -> pl.DataFrame:
    """`_utf8_read_as_cp1252` on every distinct non-ASCII value: a file of plain ASCII costs one scan per column."""
    repaired = []
    for name in strings.columns:
        column = strings.get_column(name)
        if column.dtype != pl.String:
            continue
        odd = column.filter(column.str.contains(r"[^\x00-\x7F]")).unique().to_list()
        mapping = {v: fixed for v in odd if (fixed := _utf8_read_as_cp1252(v)) != v}
        if mapping:
            repaired.append(pl.col(name).replace(mapping))
    return strings.with_columns(repaired) if repaired else strings


def _utf8_read_as_cp1252(text: str) -> str:
    """Stata before 14 and old SPSS files have no declared encoding and are read as Windows-1252; a file written
    in UTF-8 then shows 'NÃºÃ±ez' for 'Núñez', a name no detector knows. Text that is valid UTF-8 once re-encoded
    is taken as UTF-8 (what ftfy does for the common case)."""
    if text.isascii():
        return text
    try:
        return text.encode("cp1252").decode("utf-8")
    except UnicodeError:
        return text


def _apply_value_labels(strings: pl.DataFrame, meta: Any) -> pl.DataFrame:
    """Coded values as their labels, as SPSS and Stata show them; a value without a label stays as it is."""
    value_labels: dict[str, dict[Any, str]] = meta.variable_value_labels or {}
    replaced = []
    for name, mapping in value_labels.items():
        if name not in strings.columns or not mapping:
            continue
        spelled = {cell_text(code): _utf8_read_as_cp1252(str(text))
                   for code, text in mapping.items() if cell_text(code) is not None}
        replaced.append(pl.col(name).replace(spelled))
    return strings.with_columns(replaced) if replaced else strings


def _metadata(meta: Any, names: list[str], labels: dict[str, str | None]) -> Iterator[Unit]:
    described = [f"{name}: {labels[name]}" for name in names if labels.get(name)]
    if described:
        yield Text("variables (names and labels)", Visibility.METADATA, "\n".join(described))
    users: dict[str, list[str]] = {}
    for variable, label_set in (meta.variable_to_label or {}).items():
        users.setdefault(str(label_set), []).append(str(variable))
    for label_set, mapping in (meta.value_labels or {}).items():
        lines = [f"{cell_text(code)} = {text}" for code, text in mapping.items()]
        if lines:
            used = ", ".join(users.get(str(label_set), [])) or "no variable"
            yield Text(f"value labels '{label_set}' (used by {used})", Visibility.METADATA, "\n".join(lines))
    extras = [str(meta.file_label or ""), *(str(n) for n in (getattr(meta, "notes", None) or []))]
    extras = [e.strip() for e in extras if e and e.strip()]
    if extras:
        yield Text("file label and notes", Visibility.METADATA, "\n\n".join(extras))
