"""Small cells: counts of people under the policy threshold in a cross-tabulation by a quasi-identifying
dimension (nationality, facility, age band, sex; a month or year alone does not narrow a national count down).
Averages, percentages, rates, years, codes and totals are not counts and are never flagged."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl

from veil.detectors.vocab import (
    AGE_BAND,
    FACILITY_WORDS,
    NOT_COUNT_WORDS,
    SEX_LABELS,
    TOTAL_WORDS,
    is_country,
)
from veil.findings import Finding, Kind
from veil.policy import Policy
from veil.readers.units import Table

_INT_RX = r"^[-+]?\d{1,3}(,\d{3})*$|^[-+]?\d+$"
_FLOAT_RX = r"^[-+]?[\d,]*\.\d+$"
# What Python's str.strip() removes; polars' own notion of whitespace leaves out the four separator controls.
PY_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                 "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_EMPTY, _INTEGER, _DECIMAL, _TEXT = 0, 1, 2, 3


@dataclass
class _Block:
    """A run of one column under one header: a new block starts at text that is not right under a number."""

    header: str | None
    order: tuple[int, int, int]  # when the row-by-row reading would finish with it: (still open, row, column)
    integers: int
    numbers: int
    cells: list[tuple[int, int, int, str | None]] = field(default_factory=list)  # (row, col, value, row_label)


def small_range(policy: Policy) -> tuple[int, int]:
    """The one small-cell rule: a count of people from `lowest` to `threshold - 1` could single someone out
    (zero too when the policy says a zero discloses). Used here and by the incident's outside reports."""
    return (0 if policy.zero_is_disclosive else 1), policy.small_cell_threshold


def is_small(count: int, policy: Policy) -> bool:
    lowest, threshold = small_range(policy)
    return lowest <= count < threshold


def find_small_cells(table: Table, policy: Policy) -> list[Finding]:
    frame = table.frame  # every row: the readers' cell limit already bounds the table
    text = frame.select(pl.all().str.strip_chars(PY_WHITESPACE))
    codes = text.select(_code(c) for c in text.columns)
    lowest, threshold = small_range(policy)
    candidates = _candidates(text, codes, lowest, threshold)
    blocks = [b for c, rows in candidates.items() for b in _blocks(text, codes, c, rows, lowest, threshold)]
    small: list[str] = []
    for block in sorted(blocks, key=lambda b: b.order):
        if block.integers < 0.95 * block.numbers:
            continue  # measures (averages, rates) are not counts
        header = block.header or ""
        if header and NOT_COUNT_WORDS.search(header):
            continue
        header_quasi = bool(header) and _is_quasi([header])
        for r, c, value, label in block.cells:
            if label is None and not header_quasi:
                continue
            if label is not None and _not_a_count_label(label):
                continue
            small.append(f"{table.cell_ref(r, c)}={value}")
    if not small:
        return []
    listed = small[: policy.max_cells_listed]
    more = f" (first {len(listed)} listed)" if len(small) > len(listed) else ""
    return [Finding(
        Kind.SMALL_CELLS, table.location, table.visibility.seen,
        f"{len(small)} count(s) under {threshold} in a table of people by nationality, facility, age or sex"
        f"{more}: each could single someone out",
        "small-cells",
        evidence=(f"threshold {threshold} (policy); zero {'is' if policy.zero_is_disclosive else 'is not'} "
                  "disclosive; averages, rates, percentages, years, codes and totals are not counted",),
        cells=tuple(listed), visibility=table.visibility.value,
    )]


def _code(column: str) -> pl.Expr:
    cell = pl.col(column)
    return (pl.when(cell.is_null() | (cell == "")).then(_EMPTY)
            .when(cell.str.contains(_INT_RX)).then(_INTEGER)
            .when(cell.str.contains(_FLOAT_RX)).then(_DECIMAL)
            .otherwise(_TEXT).cast(pl.Int8).alias(column))


def _candidates(text: pl.DataFrame, codes: pl.DataFrame, lowest: int, threshold: int) -> dict[int, list[int]]:
    """Rows of the whole numbers from `lowest` to threshold-1, per column: the only cells that can be flagged.
    Polars finds them, so a long table costs a scan per column, not Python work per cell."""
    out: dict[int, list[int]] = {}
    for c, name in enumerate(text.columns):
        whole = codes[name] == _INTEGER
        if not whole.any():
            continue
        value = text[name].str.replace_all(",", "", literal=True).cast(pl.Int64, strict=False)
        # Digits polars cannot cast (other scripts' digits) are left for Python's int() to judge.
        maybe = whole & (value.is_between(lowest, threshold - 1) | value.is_null())
        rows = maybe.arg_true().to_list()
        if rows:
            out[c] = rows
    return out


def _blocks(text: pl.DataFrame, codes: pl.DataFrame, c: int, rows: list[int], lowest: int,
            threshold: int) -> list[_Block]:
    """The blocks of column c that hold one of the candidate `rows`, with their small cells and row labels (the
    text cells left of the count, as a reader of the row takes them)."""
    if c == 0:
        return []  # nothing left of the first column labels its counts
    code = codes.to_series(c)
    number = code.is_in([_INTEGER, _DECIMAL])
    start = (code == _TEXT) & ~number.shift(1, fill_value=False)
    starts = start.arg_true().to_list()
    block_of = start.cast(pl.UInt32).cum_sum()  # 0: numbers before the column's first header
    sizes = pl.DataFrame({"block": block_of, "number": number, "integer": code == _INTEGER}).group_by("block").agg(
        pl.col("number").sum(), pl.col("integer").sum())
    counts = {b: (int(n), int(i)) for b, n, i in sizes.iter_rows()}
    column = text.to_series(c)
    left_text = text.select(text.columns[:c])[rows].rows()
    left_code = codes.select(codes.columns[:c])[rows].rows()
    blocks: dict[int, _Block] = {}
    for r, k, cells, kinds in zip(rows, block_of.gather(rows).to_list(), left_text, left_code, strict=True):
        value = int(column[r].replace(",", ""))
        labels = [cell for cell, kind in zip(cells, kinds, strict=True) if kind == _TEXT]
        if not lowest <= value < threshold or not labels:
            continue
        block = blocks.get(k)
        if block is None:
            header = column[starts[k - 1]] if k else None
            began = starts[k - 1] if k else int(number.arg_true()[0])
            # Row by row, a block is done with at the column's next header; the open ones last, as they began.
            order = (0, starts[k], c) if k < len(starts) else (1, began, c)
            numbers, integers = counts[k]
            block = blocks[k] = _Block(header, order, integers, numbers)
        block.cells.append((r, c, value, " / ".join(labels[-2:]) if _is_quasi(labels) else None))
    return list(blocks.values())


def _is_quasi(labels: list[str]) -> bool:
    return any(_is_quasi_label(label) for label in labels)


@lru_cache(maxsize=4096)  # a long table repeats the same few row labels
def _not_a_count_label(label: str) -> bool:
    return bool(TOTAL_WORDS.search(label) or NOT_COUNT_WORDS.search(label))


@lru_cache(maxsize=4096)
def _is_quasi_label(label: str) -> bool:
    text = label.strip()
    # A period alone (national monthly counts) does not narrow a count down to a person; these do.
    return bool(is_country(text) or FACILITY_WORDS.search(text) or AGE_BAND.match(text)
                or text.lower() in SEX_LABELS)
