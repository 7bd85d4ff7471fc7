"""Feather and Arrow IPC files (Feather v1 `FEA1`, Feather v2 / Arrow IPC file `ARROW1`, Arrow IPC streams).

Read with pyarrow a record batch at a time, each batch turned into strings as Parquet's are (structs flattened to
dotted names, lists joined, whole floats without '.0'); `header` is the schema's field names. Schema key/value
metadata other than pandas' and Arrow's own bookkeeping is Text (metadata). The file is read whole or refused at
the cell limit; a file pyarrow cannot open (corrupt, truncated, compressed with a codec it lacks) is unverifiable
(the registry turns pyarrow's error into an Unreadable).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import polars as pl

from veil.readers.datasets.frames import CellBudget
from veil.readers.datasets.parquet import as_strings, quiet_metadata
from veil.readers.registry import ReadContext
from veil.readers.units import Notice, Table, Text, Unit, Visibility


def read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    schema, batches, kind = _open(blob)
    budget = CellBudget(ctx)
    width = max(len(schema), 1)
    frames: list[pl.DataFrame] = []
    for batch in batches:
        ctx.budget.check_time()
        budget.take(batch.num_rows * width, "the Arrow file")
        frames.append(_frame(pl.from_arrow(batch)))
    data = pl.concat(frames, how="vertical") if frames else _frame(pl.from_arrow(schema.empty_table()))
    strings, notes = as_strings(data)
    header = list(strings.columns)
    frame = strings.rename({name: f"c{i}" for i, name in enumerate(header)})
    where = f"rows 1-{frame.height} ({kind}, {len(header)} columns)"
    for note in notes:
        yield Notice(where, Visibility.VISIBLE, note)
    yield Table(location=where, visibility=Visibility.VISIBLE, frame=frame, header=header)
    lines = quiet_metadata(schema.metadata or {})
    if lines:
        yield Text("file metadata (schema key/value pairs)", Visibility.METADATA, "\n".join(lines))


def _open(blob: bytes) -> tuple[Any, Iterator[Any], str]:
    import pyarrow as pa
    import pyarrow.feather as feather
    import pyarrow.ipc as ipc

    if blob.startswith(b"FEA1"):
        table = feather.read_table(pa.BufferReader(blob))
        return table.schema, iter(table.to_batches()), "feather v1"
    if blob.startswith(b"ARROW1"):
        reader = ipc.open_file(pa.BufferReader(blob))
        return reader.schema, (reader.get_batch(i) for i in range(reader.num_record_batches)), "arrow"
    stream = ipc.open_stream(pa.BufferReader(blob))
    return stream.schema, iter(stream), "arrow stream"


def _frame(value: pl.DataFrame | pl.Series) -> pl.DataFrame:
    return value if isinstance(value, pl.DataFrame) else value.to_frame()
