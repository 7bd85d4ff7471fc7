"""Parquet: the columns as a Table whose `header` is the schema's field names, every value as a string.

Struct columns are flattened into dotted fields ("address.city"); lists of plain values are joined with "; ";
anything more nested is kept as its JSON text. Binary columns are decoded as UTF-8 (cp1252 for the values that are
not), since old writers store text as untyped bytes. Rows are read a batch at a time up to a bound: a larger file
yields a sample whose Table carries `total_rows` and a Notice, so nobody mistakes it for the whole file.
Custom key/value metadata in the footer is Text (METADATA). Corrupt or encrypted files raise LimitExceeded.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import polars as pl

from veil.readers.limits import LimitExceeded
from veil.readers.registry import ReadContext
from veil.readers.units import Notice, Table, Text, Unit, Unreadable, Visibility

MAX_ROWS = 2_000_000
_BATCH_ROWS = 65_536
_QUIET_METADATA = {
    b"pandas",
    b"ARROW:schema",
    b"org.apache.spark.sql.parquet.row.metadata",
    b"org.apache.spark.version",
    b"writer.model.name",
    b"polars",
}
_MAX_FLATTEN_DEPTH = 20


def read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    try:
        yield from _read(blob, ctx)
    except (LimitExceeded, KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException as exc:  # noqa: BLE001 - pyarrow raises many kinds; polars panics (a BaseException)
        if "encrypt" in str(exc).lower():
            raise LimitExceeded("the Parquet file is encrypted") from exc
        raise LimitExceeded(f"the Parquet file could not be parsed ({type(exc).__name__})") from exc


def _read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    import pyarrow.parquet as pq

    source = pq.ParquetFile(io.BytesIO(blob))
    total = source.metadata.num_rows
    width = max(len(source.schema_arrow), 1)
    limit = min(MAX_ROWS, max(ctx.budget.limits.max_cells // width, 1))
    frames: list[pl.DataFrame] = []
    got = 0
    damaged: list[str] = []
    for batch in source.iter_batches(batch_size=_BATCH_ROWS):
        ctx.budget.check_time()
        frame = _frame(pl.from_arrow(_valid_text(batch, damaged)))
        frames.append(frame.head(limit - got))
        got += min(frame.height, limit - got)
        if got >= limit:
            break
    data, notes = as_strings(
        pl.concat(frames, how="vertical") if frames else _frame(pl.from_arrow(source.schema_arrow.empty_table()))
    )
    header = list(data.columns)
    frame = data.rename({name: f"c{i}" for i, name in enumerate(header)})
    sampled = got < total
    where = f"rows 1-{frame.height} (parquet, {len(header)} columns)"
    for note in notes:
        yield Notice(where, Visibility.VISIBLE, note)
    for name in damaged:
        yield Unreadable(
            f"{where} › column '{name}'",
            "the text column holds bytes that are not UTF-8 (a damaged "
            "file): its values were read leniently and checked",
        )
    if sampled:
        yield Notice(where, Visibility.VISIBLE, f"only the first {got} of {total} rows were read (a sample)")
    yield Table(
        location=where, visibility=Visibility.VISIBLE, frame=frame, header=header, total_rows=total if sampled else None
    )
    yield from _metadata(source)


def _valid_text(batch: object, damaged: list[str]) -> object:
    """The batch with every text column valid UTF-8. Parquet readers do not check the bytes of a string column, and
    a damaged page makes polars panic later, wherever the value is used: such a column's values are decoded
    leniently (UTF-8, else cp1252) and the column is recorded in `damaged`. Invalid data in a nested column makes
    the file unreadable."""
    import pyarrow as pa

    try:
        batch.validate(full=True)  # type: ignore[attr-defined]
        return batch
    except pa.ArrowInvalid:
        pass
    columns = []
    for field, column in zip(batch.schema, batch.columns, strict=True):  # type: ignore[attr-defined]
        if pa.types.is_string(field.type) or pa.types.is_large_string(field.type):
            try:
                column.validate(full=True)
            except pa.ArrowInvalid:
                if field.name not in damaged:
                    damaged.append(field.name)
                raw = column.cast(pa.large_binary() if pa.types.is_large_string(field.type) else pa.binary())
                column = pa.array([None if v is None else _bytes_text(v) for v in raw.to_pylist()], field.type)
        columns.append(column)
    repaired = pa.RecordBatch.from_arrays(columns, schema=batch.schema)  # type: ignore[attr-defined]
    try:
        repaired.validate(full=True)
    except pa.ArrowInvalid as exc:
        raise LimitExceeded("the Parquet file holds invalid data (damaged)") from exc
    return repaired


def _frame(value: pl.DataFrame | pl.Series) -> pl.DataFrame:
    return value if isinstance(value, pl.DataFrame) else value.to_frame()


def as_strings(data: pl.DataFrame) -> tuple[pl.DataFrame, list[str]]:
    """Every column as pl.String, structs flattened into dotted names."""
    notes: list[str] = []
    for _ in range(_MAX_FLATTEN_DEPTH):
        structs = [c for c, t in data.schema.items() if isinstance(t, pl.Struct)]
        if not structs:
            break
        data = data.with_columns(
            pl.col(c).struct.rename_fields([f"{c}.{f.name}" for f in getattr(data.schema[c], "fields", [])])
            for c in structs
        ).unnest(structs)
    columns = []
    for name, dtype in data.schema.items():
        columns.append(_string_column(data.get_column(name), dtype, notes))
    return pl.DataFrame(columns), notes


def _string_column(series: pl.Series, dtype: pl.DataType, notes: list[str]) -> pl.Series:
    name = series.name
    if dtype == pl.String:
        return series
    if dtype.is_float():
        whole = series.is_finite() & (series == series.round(0)) & (series.abs() < 1e15)
        ints = series.cast(pl.Int64, strict=False).cast(pl.String)
        return pl.select(pl.when(whole).then(ints).otherwise(series.cast(pl.String))).to_series().alias(name)
    if dtype == pl.Boolean:  # spelled as cell_text() spells it for every other format
        return series.replace_strict({True: "TRUE", False: "FALSE"}, default=None, return_dtype=pl.String)
    if dtype == pl.Binary:
        try:
            return series.cast(pl.String)
        except pl.exceptions.PolarsError:
            notes.append(f"column '{name}' holds bytes that are not UTF-8; they were read as cp1252")
            return pl.Series(name, [None if v is None else _bytes_text(v) for v in series.to_list()], pl.String)
    if isinstance(dtype, pl.List | pl.Array) and not dtype.inner.is_nested():
        joined = series.to_frame().select(
            pl.col(name).list.eval(pl.element().cast(pl.String)).list.join("; ")
            if isinstance(dtype, pl.List)
            else pl.col(name).arr.eval(pl.element().cast(pl.String)).arr.join("; ")
        )
        return joined.to_series()
    if dtype.is_nested() or dtype == pl.Object:
        encoded = series.to_frame().select(pl.struct(pl.col(name).alias("v")).struct.json_encode()).to_series()
        return encoded.str.slice(5, None).str.strip_suffix("}").alias(name)  # drop the {"v": wrapper
    try:
        return series.cast(pl.String)
    except pl.exceptions.PolarsError:
        return pl.Series(name, [None if v is None else str(v) for v in series.to_list()], pl.String)


def _bytes_text(value: bytes) -> str:
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return value.decode("cp1252", errors="replace")


def quiet_metadata(meta: dict[bytes, bytes]) -> list[str]:
    """Key/value metadata as "key: value" lines, without the writers' own bookkeeping (pandas, Arrow, Spark)."""
    return [
        f"{_bytes_text(key)}: {_bytes_text(value)}"
        for key, value in meta.items()
        if key not in _QUIET_METADATA and len(value) <= 1_000_000
    ]


def _metadata(source: object) -> Iterator[Unit]:
    lines = quiet_metadata(source.metadata.metadata or {})  # type: ignore[attr-defined]
    if lines:
        yield Text("file metadata (footer key/value pairs)", Visibility.METADATA, "\n".join(lines))
