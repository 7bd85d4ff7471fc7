"""JSON and NDJSON: lists of records become Tables, every other value becomes Text with its JSON path.

    {"meta": {"author": "..."}, "data": {"people": [{...}, {...}]}}
      -> Table "$.data.people (2 records)" with header ["name", "address.city", ...] (nested objects flattened
         into dotted keys; a list of records inside a record becomes its own Table "$.data.people[*].children")
      -> Text "$.meta" with "author: ..."

Every list of records anywhere in the document becomes a Table (not only the largest), an object whose values are
all records (keyed by an id) becomes a Table with the key as its first field, and a list of equal-length lists
becomes a grid. Nothing is dropped: any other object is one record, its scalars (nested objects flattened) one Text
written as one sentence (`name: Jose Garcia; status: asylum pending`, text/records.py) so its fields are tied, and
scalars in lists are Text. Malformed JSON is Unreadable with
its line and column. Bounded: files over MAX_JSON_BYTES (MAX_PYTHON_JSON_BYTES unless a plain array of uniform
records), nesting deeper than MAX_DEPTH and tables over the cell limit end in LimitExceeded.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from veil.readers.datasets.parquet import as_strings
from veil.readers.limits import LimitExceeded
from veil.readers.registry import ReadContext
from veil.readers.text.delimited import decode
from veil.readers.text.records import record_units
from veil.readers.units import Table, Text, Unit, Unreadable, Visibility, cell_text

# polars reads uniform records compactly; Python objects for any other document take ~5-10x its size, so that
# path has a lower bound. Beyond them, refuse (unverifiable) rather than risk the memory.
MAX_JSON_BYTES = 256 * 1024 * 1024
MAX_PYTHON_JSON_BYTES = 128 * 1024 * 1024
MAX_DEPTH = 100
MAX_FIELDS = 16_384
_TEXT_CHUNK = 2_000  # lines of loose values per Text unit


def read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    try:
        yield from _read(blob, ctx)
    except (LimitExceeded, KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except RecursionError as exc:
        raise LimitExceeded(f"the JSON is nested deeper than Veil reads ({MAX_DEPTH} levels)") from exc
    except BaseException as exc:  # noqa: BLE001 - any other failure is a one-line reason (polars panics too)
        raise LimitExceeded(f"the JSON could not be read ({type(exc).__name__})") from exc


def _read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    if len(blob) > MAX_JSON_BYTES:
        raise LimitExceeded(f"JSON files over {MAX_JSON_BYTES // (1024 * 1024)} MB are not read")
    utf8 = decode(blob).utf8
    fmt = ctx.format or ("ndjson" if ctx.name.lower().endswith((".ndjson", ".jsonl")) else "json")
    fast = _polars_records(utf8, fmt, ctx.budget.limits.max_cells)
    if fast is not None:
        header = list(fast.columns)
        frame = fast.rename({name: f"c{i}" for i, name in enumerate(header)})
        yield Table(location=f"$ ({fast.height} records)", visibility=Visibility.VISIBLE, frame=frame, header=header)
        return
    if len(utf8) > MAX_PYTHON_JSON_BYTES:
        raise LimitExceeded(f"JSON documents over {MAX_PYTHON_JSON_BYTES // (1024 * 1024)} MB are read only when they "
                            "are a plain array of uniform records")
    text = utf8.decode("utf-8")
    if fmt == "ndjson":
        document, errors = _ndjson(text)
        yield from errors
    else:
        try:
            document = json.loads(text)
        except json.JSONDecodeError as exc:
            yield Unreadable(f"line {exc.lineno}, column {exc.colno}", f"the JSON is malformed ({exc.msg})")
            return
    yield from document_units(document, ctx)


def document_units(document: Any, ctx: ReadContext, root: str = "$") -> Iterator[Unit]:
    """Units of a parsed document (JSON values; the XML reader hands its elements over in the same shape)."""
    found = _Found()
    _walk(document, root, 0, found)
    for path, records in found.records:
        ctx.budget.check_time()
        yield from _records_tables(path, records, ctx, 0)
    for path, rows in found.grids:
        yield _grid_table(path, rows, ctx)
    yield from record_units(found.objects)
    yield from _texts(found.loose)


def _ndjson(text: str) -> tuple[list[Any], list[Unit]]:
    values: list[Any] = []
    errors: list[Unit] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            values.append(json.loads(line))
        except json.JSONDecodeError as exc:
            errors.append(Unreadable(f"line {number}, column {exc.colno}", f"the JSON line is malformed ({exc.msg})"))
    return values, errors


# --- finding tables -------------------------------------------------------------------------------------------


@dataclass
class _Found:
    records: list[tuple[str, list[Any]]] = field(default_factory=list)
    grids: list[tuple[str, list[list[Any]]]] = field(default_factory=list)
    loose: dict[str, list[str]] = field(default_factory=dict)
    objects: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)


def _scalar(value: Any) -> bool:
    return not isinstance(value, dict | list)


def _is_records(value: list[Any]) -> bool:
    dicts = sum(1 for v in value if isinstance(v, dict) and v)
    return dicts > 0 and dicts >= 0.8 * len(value)


def _is_keyed_records(value: dict[str, Any]) -> bool:
    # {"A123": {"name": ...}, "B456": {"name": ...}}: records keyed by id, all sharing some field names
    if len(value) < 2 or not all(isinstance(v, dict) and v for v in value.values()):
        return False
    keysets = [set(v) for v in value.values()]
    shared = set.intersection(*keysets)
    return len(shared) >= max(1, len(set.union(*keysets)) // 2)


def _is_grid(value: list[Any]) -> bool:
    return len(value) >= 2 and all(isinstance(r, list) and r and all(_scalar(c) for c in r) for r in value)


def _walk(value: Any, path: str, depth: int, found: _Found) -> None:
    if depth > MAX_DEPTH:
        raise LimitExceeded(f"the JSON is nested deeper than {MAX_DEPTH} levels")
    if isinstance(value, list):
        if _is_records(value):
            found.records.append((path, value))
        elif _is_grid(value):
            found.grids.append((path, value))
        else:
            for index, item in enumerate(value):
                if _scalar(item):
                    _loose(found, path, f"[{index}]", item)
                else:
                    _walk(item, f"{path}[{index}]", depth + 1, found)
    elif isinstance(value, dict):
        if _is_keyed_records(value):
            found.records.append((path, [{"(key)": k, **v} for k, v in value.items()]))
            return
        fields: list[tuple[str, str]] = []
        _object_fields(value, "", path, depth, found, fields)
        if fields:
            found.objects.append((path, fields))
    else:
        _loose(found, path, "", value)


def _object_fields(value: dict[str, Any], prefix: str, path: str, depth: int, found: _Found,
                   fields: list[tuple[str, str]]) -> None:
    """The scalars of one object, nested objects included (`applicant.name`), as the fields of one record; lists
    of records or values in it are walked on their own."""
    if depth > MAX_DEPTH:
        raise LimitExceeded(f"the JSON is nested deeper than {MAX_DEPTH} levels")
    for key, item in value.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(item, dict) and not _is_keyed_records(item):
            _object_fields(item, name, path, depth + 1, found, fields)
        elif isinstance(item, list) and all(_scalar(x) for x in item):
            fields.append((name, "; ".join(t for t in (cell_text(x) for x in item) if t is not None)))
        elif isinstance(item, dict | list):
            _walk(item, f"{path}.{name}", depth + 1, found)
        else:
            text = cell_text(item)
            if text is not None:
                fields.append((name, text))


def _loose(found: _Found, path: str, key: str, value: Any) -> None:
    text = cell_text(value)
    if text is not None:
        found.loose.setdefault(path, []).append(f"{key}: {text}" if key else text)


def _texts(loose: dict[str, list[str]]) -> Iterator[Unit]:
    for path, lines in loose.items():
        for start in range(0, len(lines), _TEXT_CHUNK):
            yield Text(path, Visibility.VISIBLE, "\n".join(lines[start:start + _TEXT_CHUNK]))


# --- building tables ------------------------------------------------------------------------------------------


def _records_tables(path: str, records: list[Any], ctx: ReadContext, depth: int) -> Iterator[Unit]:
    if depth > MAX_DEPTH:
        raise LimitExceeded(f"the JSON is nested deeper than {MAX_DEPTH} levels")
    max_cells = ctx.budget.limits.max_cells
    columns: dict[str, list[str | None]] = {}
    nested: dict[str, list[Any]] = {}
    for row, record in enumerate(records):
        flat: dict[str, str | None] = {}
        if isinstance(record, dict):
            _flatten(record, "", flat, nested, depth)
        else:
            flat["(value)"] = cell_text(record) if _scalar(record) else json.dumps(record, ensure_ascii=False)
        for key, value in flat.items():
            column = columns.get(key)
            if column is None:
                if len(columns) >= MAX_FIELDS:
                    raise LimitExceeded(f"the records at {path} have more than {MAX_FIELDS} distinct fields")
                column = columns[key] = []
            if len(column) < row:
                column.extend([None] * (row - len(column)))
            column.append(value)
        if row % 10_000 == 0 and (row + 1) * len(columns) > max_cells:
            raise LimitExceeded(f"the records at {path} hold more than {max_cells} cells")
    height = len(records)
    if height * len(columns) > max_cells:
        raise LimitExceeded(f"the records at {path} hold more than {max_cells} cells")
    header = list(columns)
    data = {f"c{i}": columns[k] + [None] * (height - len(columns[k])) for i, k in enumerate(header)}
    frame = pl.DataFrame(data, schema={f"c{i}": pl.String for i in range(len(header))})
    yield Table(location=f"{path} ({height} records)", visibility=Visibility.VISIBLE, frame=frame, header=header)
    for sub_path, sub_records in nested.items():
        yield from _records_tables(f"{path}[*].{sub_path}", sub_records, ctx, depth + 1)


def _polars_records(utf8: bytes, fmt: str, max_cells: int) -> pl.DataFrame | None:
    """Fast path for the common shape, a top-level array (or NDJSON) of uniform records, read by polars' own JSON
    parser. None for anything else (lists of records inside records become their own tables, mixed shapes need
    the exact Python path)."""
    head = utf8[:64].lstrip()
    if fmt == "json" and not head.startswith(b"["):
        return None
    try:
        source = io.BytesIO(utf8)
        frame = (pl.read_ndjson(source, infer_schema_length=None) if fmt == "ndjson"
                 else pl.read_json(source, infer_schema_length=None))
        if frame.width == 0 or any(_has_record_list(dtype) for dtype in frame.schema.values()):
            return None
        if frame.height * frame.width > max_cells:
            raise LimitExceeded(f"the records hold more than {max_cells} cells")
        strings, _ = as_strings(frame)
    except (LimitExceeded, KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException:  # noqa: BLE001 - not uniform records (or a polars panic): the Python path reads it
        return None
    if strings.width > MAX_FIELDS:
        raise LimitExceeded(f"the records have more than {MAX_FIELDS} distinct fields")
    blank = [pl.when(pl.col(c).str.strip_chars() != "").then(pl.col(c)).alias(c) for c in strings.columns]
    return strings.with_columns(blank)


def _has_record_list(dtype: Any) -> bool:
    if isinstance(dtype, pl.List | pl.Array):
        return isinstance(dtype.inner, pl.Struct) or _has_record_list(dtype.inner)
    if isinstance(dtype, pl.Struct):
        return any(_has_record_list(f.dtype) for f in dtype.fields)
    return dtype == pl.Object


def _flatten(value: dict[str, Any], prefix: str, out: dict[str, str | None], nested: dict[str, list[Any]],
             depth: int) -> None:
    if depth > MAX_DEPTH:
        raise LimitExceeded(f"the JSON is nested deeper than {MAX_DEPTH} levels")
    for key, item in value.items():
        name = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(item, dict):
            _flatten(item, name, out, nested, depth + 1)
        elif isinstance(item, list):
            if all(_scalar(x) for x in item):
                out[name] = "; ".join(t for t in (cell_text(x) for x in item) if t is not None) or None
            else:
                if _is_records(item):  # read as its own table: the cell only points there
                    nested.setdefault(name, []).extend(item)
                    out[name] = f"({len(item)} records)"
                else:
                    out[name] = json.dumps(item, ensure_ascii=False)
        else:
            out[name] = cell_text(item)


def _grid_table(path: str, rows: list[list[Any]], ctx: ReadContext) -> Table:
    width = max(len(r) for r in rows)
    if len(rows) * width > ctx.budget.limits.max_cells:
        raise LimitExceeded(f"the array at {path} holds more than {ctx.budget.limits.max_cells} cells")
    columns = [[cell_text(r[i]) if i < len(r) else None for r in rows] for i in range(width)]
    frame = pl.DataFrame({f"c{i}": col for i, col in enumerate(columns)},
                         schema={f"c{i}": pl.String for i in range(width)})
    return Table(location=f"{path} ({len(rows)} rows)", visibility=Visibility.VISIBLE, frame=frame)
