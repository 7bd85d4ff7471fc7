"""CSV, TSV and other delimited text tables: decode, find the delimiter, read every row and every field.

The whole grid becomes one Table (header and preamble rows included; detectors find the header themselves).
Fidelity comes first: polars reads well-formed files fast, and any file polars cannot represent exactly (rows
longer than the rest, stray quotes, bare-CR line ends) is read again with Python's csv module, which keeps every
field of over-long rows by widening the table. pandas-style "extra fields become the index" never happens here.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import polars as pl

from veil.readers.limits import LimitExceeded
from veil.readers.registry import ReadContext
from veil.readers.text.encoding import wide_encoding
from veil.readers.units import Notice, Table, Unit, Visibility

DELIMITERS = (",", ";", "\t", "|")
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_SAMPLE_BYTES = 64 * 1024
_SAMPLE_RECORDS = 200
# Python-path rows are turned into a polars frame this many at a time, so Python objects stay bounded.
_CHUNK_ROWS = 50_000
# More columns than any spreadsheet opens (16,384) by far, and more than a 64 KB sample can show (32,769): a wider
# row is not a table anyone reads as one (a 50 MB line of 26 million fields took 11 GB); the file is unverifiable.
MAX_COLUMNS = 65_536
_WIDE = 1024  # a sample this wide has its widest line counted before the read
_BARE_CR = re.compile(rb"\r(?!\n)")


@dataclass(frozen=True)
class Decoded:
    """The file as UTF-8 bytes polars can read, plus the name of the encoding it came in."""

    utf8: bytes
    encoding: str


def read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    try:
        yield from _read(blob, ctx)
    except (LimitExceeded, KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException as exc:  # noqa: BLE001 - a one-line reason, never a traceback (polars panics too)
        raise LimitExceeded(f"the delimited text could not be read ({type(exc).__name__})") from exc


def _read(blob: bytes, ctx: ReadContext) -> Iterator[Unit]:
    max_cells = ctx.budget.limits.max_cells
    decoded = _plain_utf8(blob)
    frame = None
    if decoded is not None:
        # polars validates UTF-8 itself, so a valid file is never scanned twice; on failure, find out why.
        layout, frame = _fast_path(decoded.utf8, max_cells, ctx)
        if frame is None and not _is_utf8(decoded.utf8):
            decoded = None
    if decoded is None:
        decoded = decode(blob)
        layout, frame = _fast_path(decoded.utf8, max_cells, ctx)
    notices: list[str] = []
    if frame is not None and layout.width > layout.usual:
        notices.append(_widened(layout.usual, layout.width))
    if frame is None and not _bare_cr(decoded.utf8):
        # Usually a row longer than the sampled ones: find the widest row (a fast estimate first, then an exact
        # count), and let polars read again at that width.
        for count in (_widest_estimate, _widest_row):
            widest = count(decoded.utf8, layout.delimiter, ctx)
            if widest is not None:
                _check_width(widest)
            if widest is not None and widest > layout.width:
                frame = _read_polars(decoded.utf8, layout.delimiter, widest, max_cells)
            if frame is not None:
                frame = _drop_empty_tail(frame, layout.width)
                notices.append(_widened(layout.usual, frame.width))
                break
    if frame is None:
        frame, notices = _read_python(decoded.utf8.decode("utf-8"), layout.delimiter, max_cells, ctx)
    where = f"rows 1-{frame.height} ({_DELIMITER_NAMES[layout.delimiter]}-separated, {decoded.encoding})"
    for message in notices:
        yield Notice(where, Visibility.VISIBLE, message)
    yield Table(location=where, visibility=Visibility.VISIBLE, frame=frame, first_row_number=1)


def _check_width(width: int) -> None:
    if width > MAX_COLUMNS:
        raise LimitExceeded(f"a row has {width:,} fields, more than the {MAX_COLUMNS:,} columns Veil reads as a table")


def _fast_path(utf8: bytes, max_cells: int, ctx: ReadContext) -> tuple[Layout, pl.DataFrame | None]:
    sample = utf8[:_SAMPLE_BYTES]
    layout = detect_delimiter(sample.decode("utf-8", errors="ignore"))
    if _bare_cr(utf8):
        return layout, None  # polars only ends lines at \n; old-Mac line ends need the csv module
    if layout.width > _WIDE or (len(utf8) > len(sample) and b"\n" not in sample):
        # A wide table, or a first line longer than the sample: count the widest line (linear, cheap) before
        # polars is given a schema of that many columns; a row wider than MAX_COLUMNS is refused here.
        widest = _widest_estimate(utf8, layout.delimiter, ctx)
        _check_width(widest if widest is not None else _widest_upper_bound(utf8, layout.delimiter))
    return layout, _read_polars(utf8, layout.delimiter, layout.width, max_cells)


def _bare_cr(utf8: bytes) -> bool:
    return b"\r" in utf8 and _BARE_CR.search(utf8) is not None


# --- decoding -------------------------------------------------------------------------------------------------


def _plain_utf8(blob: bytes) -> Decoded | None:
    """The file as it stands when it is probably UTF-8 (no UTF-16/32 marks), else None."""
    if blob.startswith(codecs.BOM_UTF8):
        return Decoded(blob[3:], "utf-8 with BOM")
    if wide_encoding(blob) is not None:
        return None
    return Decoded(blob, "utf-8")


def decode(blob: bytes) -> Decoded:
    """Return the text as UTF-8 bytes: BOMs first, then UTF-16/32 without BOM, strict UTF-8, a guess, cp1252."""
    if blob.startswith(codecs.BOM_UTF8):
        return _as_utf8(blob[3:], "utf-8", "utf-8 with BOM")
    wide = wide_encoding(blob)
    if wide is not None:
        codec, skip = wide
        return Decoded(blob[skip:].decode(codec, errors="replace").encode("utf-8"), codec)
    if _is_utf8(blob):
        return Decoded(blob, "utf-8")
    guess = _guess_encoding(blob[: 256 * 1024])
    if guess:
        try:
            return Decoded(blob.decode(guess).encode("utf-8"), guess)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return Decoded(blob.decode("cp1252").encode("utf-8"), "cp1252")
    except UnicodeDecodeError:
        # cp1252 leaves five bytes undefined; latin-1 maps every byte, so nothing is dropped
        return Decoded(blob.decode("latin-1").encode("utf-8"), "latin-1")


def _as_utf8(body: bytes, codec: str, label: str) -> Decoded:
    if _is_utf8(body):
        return Decoded(body, label)
    return Decoded(body.decode(codec, errors="replace").encode("utf-8"), f"{label}, with invalid bytes replaced")


def _is_utf8(blob: bytes) -> bool:
    # Checked in slices so a large file never exists as one Python str just to be validated.
    decoder = codecs.getincrementaldecoder("utf-8")()
    step = 8 * 1024 * 1024
    try:
        for start in range(0, len(blob), step):
            decoder.decode(blob[start : start + step], final=start + step >= len(blob))
    except UnicodeDecodeError:
        return False
    return True


def _guess_encoding(sample: bytes) -> str | None:
    """cp1252 for Western text (charset-normalizer often calls a short Latin sample cp1250 or mac_roman),
    otherwise charset-normalizer's best guess."""
    if _reads_as_western(sample):
        return "cp1252"
    from charset_normalizer import from_bytes

    best = from_bytes(sample).best()
    if best is None or best.encoding in {"utf_8", "ascii"}:
        return None  # the sample looks like UTF-8 but the whole file is not: cp1252 is the likelier truth
    return str(best.encoding)


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{3,}")


def _reads_as_western(sample: bytes) -> bool:
    # In Western languages accented letters sit alone inside ASCII words ("Müller"); Cyrillic or Greek bytes
    # read as cp1252 come out as long runs of accented letters instead.
    try:
        text = sample.decode("cp1252")
    except UnicodeDecodeError:
        return False
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    in_runs = sum(len(m) for m in _NON_ASCII_RUN.findall(text))
    return non_ascii > 0 and in_runs <= non_ascii * 0.2


# --- delimiter ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """What the first records say: the delimiter, the widest record and the usual number of fields; how many
    records had more than one field and what share of those had the usual number."""

    delimiter: str
    width: int
    usual: int
    records: int = 0
    multi: int = 0
    consistency: float = 0.0


def detect_delimiter(sample: str) -> Layout:
    """Pick the delimiter whose quote-aware field count is most consistent over the first records.

    csv.Sniffer guesses from character frequencies and is easily fooled by commas inside quoted names;
    counting whole records is not.
    """
    if "\n" in sample and not sample.endswith("\n"):
        sample = sample[: sample.rfind("\n") + 1]  # drop a record cut off by the sample boundary
    best: tuple[tuple[float, int, int], Layout] | None = None
    for delimiter in DELIMITERS:
        counts = _field_counts(sample, delimiter)
        # Preamble and blank lines (UNHCR-style exports) are forgiven: consistency is over the non-trivial rows.
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        mode = max(set(multi), key=multi.count)
        score = (multi.count(mode) / len(multi), len(multi), mode)
        if best is None or score > best[0]:
            best = (score, Layout(delimiter, max(counts), mode, len(counts), len(multi), score[0]))
    if best is None:
        counts = _field_counts(sample, ",")
        width = max(counts, default=1)
        return Layout(",", width, width, len(counts))
    return best[1]


def looks_delimited(text: str) -> bool:
    """For sniffing: does this start of a text file read as a table? Quote-aware, so a CSV whose quoted cells hold
    line breaks (addresses, case notes) still counts, where counting delimiters per line would not."""
    layout = detect_delimiter(text)
    if layout.usual < 2:
        return False
    if layout.records < 2:
        return layout.multi == 1
    return layout.multi >= 2 and layout.consistency >= 0.8 and layout.multi >= 0.5 * layout.records


def _field_counts(sample: str, delimiter: str) -> list[int]:
    reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
    counts: list[int] = []
    try:
        for row in reader:
            if row:
                counts.append(len(row))
            if len(counts) >= _SAMPLE_RECORDS:
                break
    except csv.Error:
        pass
    return counts


# --- reading --------------------------------------------------------------------------------------------------


def _read_polars(utf8: bytes, delimiter: str, width: int, max_cells: int) -> pl.DataFrame | None:
    """Fast path. Returns None when polars cannot represent the file faithfully.

    polars raises (rather than truncating) when a row has more fields than the schema and on stray quotes;
    shorter rows are padded with null, which is what we want.
    """
    width = max(width, 1)
    schema = {f"c{i}": pl.String for i in range(width)}
    limit = max_cells // width + 1
    try:
        frame = pl.read_csv(
            utf8,
            has_header=False,
            schema=schema,
            separator=delimiter,
            quote_char='"',
            infer_schema=False,
            truncate_ragged_lines=False,
            ignore_errors=False,
            n_rows=limit,
            raise_if_empty=False,
            try_parse_dates=False,
            missing_columns="insert",
            extra_columns="raise",
        )
    except pl.exceptions.PolarsError:
        return None
    except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException:  # noqa: BLE001 - a polars panic on odd input: the csv module reads it instead
        return None
    if frame.height >= limit:
        raise LimitExceeded(f"the table has more than {max_cells} cells")
    if b'""' not in utf8:  # polars reads an empty field as null already; only a quoted "" comes back as ""
        return frame
    return frame.with_columns(pl.all().replace("", None))


def _widest_estimate(utf8: bytes, delimiter: str, ctx: ReadContext) -> int | None:
    """Fields in the widest line, counted by polars: delimiters outside "quoted" stretches, plus one.

    Never too small for well-quoted files (a quoted newline only makes its lines look wider); a stray quote can
    make it too small, and then the polars read that follows fails and the exact count is used instead."""
    spare = next((c for c in ("\x1f", "\x1e", "\x1d", "\x01") if c.encode() not in utf8), None)
    if spare is None:
        return None
    try:
        lines = pl.read_csv(
            utf8,
            has_header=False,
            separator=spare,
            quote_char=None,
            infer_schema=False,
            schema={"line": pl.String},
            missing_columns="insert",
            extra_columns="raise",
        )
        counts = lines.select(
            pl.col("line").str.replace_all(r'"[^"]*"', "").str.count_matches(re.escape(delimiter)).max()
        )
    except (KeyboardInterrupt, SystemExit, GeneratorExit, MemoryError):
        raise
    except BaseException:  # noqa: BLE001 - PolarsError, or a panic: the exact count follows
        return None
    widest = counts.item()
    return None if widest is None else int(widest) + 1


def _widest_upper_bound(utf8: bytes, delimiter: str) -> int:
    """Fields in the widest line counting every delimiter, quoted or not (when _widest_estimate cannot run)."""
    mark = delimiter.encode()
    if utf8.count(mark) < MAX_COLUMNS:
        return utf8.count(mark) + 1
    widest, pos = 0, 0
    while pos < len(utf8):
        end = utf8.find(b"\n", pos)
        end = len(utf8) if end < 0 else end
        widest = max(widest, utf8.count(mark, pos, end) + 1)
        pos = end + 1
    return widest


def _drop_empty_tail(frame: pl.DataFrame, keep: int) -> pl.DataFrame:
    """Drop all-empty columns at the right beyond `keep` (an overestimated width leaves them)."""
    width = frame.width
    nulls = frame.null_count().row(0)
    while width > keep and nulls[width - 1] == frame.height:
        width -= 1
    return frame.select(frame.columns[:width]) if width < frame.width else frame


def _widest_row(utf8: bytes, delimiter: str, ctx: ReadContext) -> int:
    widest = 0
    text = utf8.decode("utf-8")
    for count, row in enumerate(_python_rows(text, delimiter, csv.QUOTE_MINIMAL)):
        widest = max(widest, len(row))
        _check_width(widest)
        if count % 100_000 == 0:
            ctx.budget.check_time()
    return widest


def _read_python(text: str, delimiter: str, max_cells: int, ctx: ReadContext) -> tuple[pl.DataFrame, list[str]]:
    notices: list[str] = []
    frame, widths, last = _frame_from_rows(_python_rows(text, delimiter, csv.QUOTE_MINIMAL), max_cells, ctx)
    if _unterminated_quote(text, last):
        notices.append("a quoted field is never closed, so the file was read line by line without quoting")
        frame, widths, last = _frame_from_rows(_python_rows(text, delimiter, csv.QUOTE_NONE), max_cells, ctx)
    widths.pop(0, None)
    if widths:
        usual = max(widths, key=lambda w: widths[w])
        if max(widths) > usual:
            notices.append(_widened(usual, max(widths)))
    return frame, notices


def _widened(usual: int, widest: int) -> str:
    return f"some rows have more fields than the usual {usual} (up to {widest}); the table is widened to keep them"


def _python_rows(text: str, delimiter: str, quoting: Literal[0, 1, 2, 3]) -> Iterator[list[str]]:
    # The csv module refuses fields over 128 KB by default; a long case note is still a field to read.
    previous = csv.field_size_limit(max(len(text), 131_072))
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quoting=quoting, strict=False)
    finally:
        csv.field_size_limit(previous)


def _unterminated_quote(text: str, last: list[str] | None) -> bool:
    # An open quote swallows everything to the end of the file into one field, hiding the rows after it.
    return bool(last) and "\n" in last[-1] and text.count('"') % 2 == 1  # type: ignore[index]


def _frame_from_rows(
    rows: Iterator[list[str]],
    max_cells: int,
    ctx: ReadContext,
) -> tuple[pl.DataFrame, Counter[int], list[str] | None]:
    """Build the frame a chunk at a time (rows may differ in width; chunks are widened when stacked)."""
    chunks: list[pl.DataFrame] = []
    widths: Counter[int] = Counter()
    cells = 0
    part: list[list[str]] = []
    last: list[str] | None = None
    for row in rows:
        _check_width(len(row))
        part.append(row)
        widths[len(row)] += 1
        cells += len(row) or 1
        if cells > max_cells:
            raise LimitExceeded(f"the table has more than {max_cells} cells")
        if len(part) >= _CHUNK_ROWS:
            ctx.budget.check_time()
            chunks.append(_chunk_frame(part))
            part = []
        last = row
    if part or not chunks:
        chunks.append(_chunk_frame(part))
    width = max(widths, default=1) or 1
    frame = pl.concat(chunks, how="diagonal", rechunk=True) if len(chunks) > 1 else chunks[0]
    missing = [pl.lit(None, dtype=pl.String).alias(f"c{i}") for i in range(frame.width, width)]
    if missing:
        frame = frame.with_columns(missing)
    return frame.select(f"c{i}" for i in range(width)), widths, last


def _chunk_frame(part: list[list[str]]) -> pl.DataFrame:
    width = max((len(r) for r in part), default=1) or 1
    columns: list[list[str | None]] = [[] for _ in range(width)]
    for row in part:
        n = len(row)
        for i in range(width):
            columns[i].append((row[i] or None) if i < n else None)
    return pl.DataFrame(
        {f"c{i}": col for i, col in enumerate(columns)}, schema={f"c{i}": pl.String for i in range(width)}
    )
