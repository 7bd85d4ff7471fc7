"""Small cells: counts of people under the policy threshold in a cross-tabulation by a quasi-identifying
dimension (nationality, facility, age band, sex; a month or year alone does not narrow a national count down).
Averages, percentages, rates, years, codes and totals are not counts and are never flagged."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import polars as pl

from veil.detectors.grid import flat_cells
from veil.detectors.thresholds import SmallCellRule, Thresholds
from veil.detectors.vocab import (
    AGE_BAND,
    FACILITY_WORDS,
    NOT_COUNT_WORDS,
    SEX_LABELS,
    TOTAL_WORDS,
    is_code_header,
    is_country,
)
from veil.findings import Finding, Kind
from veil.readers.units import Table

_INT_RX = r"^[-+]?\d{1,3}(,\d{3})*$|^[-+]?\d+$"
_FLOAT_RX = r"^[-+]?[\d,]*\.\d+$"
# What Python's str.strip() removes; polars' own notion of whitespace leaves out the four separator controls.
PY_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
                 "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
_EMPTY, _INTEGER, _DECIMAL, _TEXT = 0, 1, 2, 3
_SEQUENCE = 5  # whole numbers one after another in a block that make it a numbering


@dataclass
class _Block:
    """A run of one column under one header: a new block starts at text that is not right under a number."""

    header: str | None
    order: tuple[int, int, int]  # when the row-by-row reading would finish with it: (still open, row, column)
    integers: int
    numbers: int
    codes: bool
    cells: list[tuple[int, int, int, str | None]] = field(default_factory=list)  # (row, col, value, row_label)


def small_range(policy: SmallCellRule) -> tuple[int, int]:
    """The one small-cell rule: a count of people from `lowest` to `threshold - 1` could single someone out
    (zero too when the policy says a zero discloses). Used here and by the incident's outside reports."""
    return (0 if policy.zero_is_disclosive else 1), policy.small_cell_threshold


def is_small(count: int, policy: SmallCellRule) -> bool:
    lowest, threshold = small_range(policy)
    return lowest <= count < threshold


def find_small_cells(table: Table, limits: Thresholds) -> list[Finding]:
    lowest, threshold = small_range(limits)
    grid = _Grid(table.frame)  # every row: the readers' cell limit already bounds the table
    small: list[str] = []
    for block in sorted(grid.blocks(lowest, threshold), key=lambda b: b.order):
        if block.integers < 0.95 * block.numbers or block.codes:
            continue  # measures (averages, rates) and codes (zero-padded, numbered in sequence) are not counts
        header = block.header or ""
        if header and (NOT_COUNT_WORDS.search(header) or is_code_header(header)):
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
    listed = small[: limits.max_cells_listed]
    more = f" (first {len(listed)} listed)" if len(small) > len(listed) else ""
    return [Finding(
        Kind.SMALL_CELLS, table.location, table.visibility.seen,
        f"{len(small)} count(s) under {threshold} in a table of people by nationality, facility, age or sex"
        f"{more}: each could single someone out",
        "small-cells",
        evidence=(f"threshold {threshold} (policy); zero {'is' if limits.zero_is_disclosive else 'is not'} "
                  "disclosive; averages, rates, percentages, years, codes (zero-padded, numbered in sequence, or "
                  "under a code or identifier header) and totals are not counted",),
        cells=tuple(listed), visibility=table.visibility.value,
    )]


class _Grid:
    """A table's cells, stripped, and their kinds (empty, integer, decimal, text), held as one long column, column
    after column, with each cell's block. Polars works on it in one pass whatever the table's shape: an operation
    per column of a table of thousands of columns costs time in its width each time, and all of them in its square.

    A block is a run of one column under one header: a new block starts at text that is not right under a number,
    and at the top of each column (numbers there have no header)."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.height = height = frame.height
        text = flat_cells(frame).str.strip_chars(PY_WHITESPACE)
        cells = pl.DataFrame({"text": text}).with_row_index("at").with_columns(_code())
        top = pl.col("at") % height == 0
        number = pl.col("code").is_in([_INTEGER, _DECIMAL])
        start = (pl.col("code") == _TEXT) & (top | ~number.shift(1, fill_value=False))
        self.cells = cells.with_columns(
            number.alias("number"), start.alias("start"), (start | top).cast(pl.UInt32).cum_sum().alias("block"),
            pl.col("text").str.replace_all(",", "", literal=True).cast(pl.Int64, strict=False).alias("value"))

    def blocks(self, lowest: int, threshold: int) -> list[_Block]:
        """The blocks that hold a whole number from `lowest` to threshold-1, with those cells and their row labels
        (the text cells left of the count, as a reader of the row takes them)."""
        height = self.height
        spots = self.cells.filter(
            (pl.col("code") == _INTEGER) & (pl.col("at") >= height)  # nothing left of column 0 labels its counts
            & (pl.col("value").is_between(lowest, threshold - 1) | pl.col("value").is_null()))
        if spots.height == 0:
            return []
        # Digits polars cannot cast (other scripts' digits) are left for Python's int() to judge.
        found = [(at, block, int(text.replace(",", ""))) for at, block, text
                 in spots.select("at", "block", "text").iter_rows()]
        found = [(at, block, value) for at, block, value in found if lowest <= value < threshold]
        labels = self._labels([at for at, _, _ in found])
        out: dict[int, _Block] = {}
        facts = self._block_facts({block for _, block, _ in found})
        for (at, block, value), label in zip(found, labels, strict=True):
            if label is False:
                continue  # nothing left of it labels the count
            if block not in out:
                out[block] = facts[block]
            out[block].cells.append((at % height, at // height, value, label if isinstance(label, str) else None))
        return list(out.values())

    def _labels(self, spots: list[int]) -> list[str | None | bool]:
        """For each cell: False when no text stands left of it in its row (nothing labels it); else the two text
        cells just before it joined ('Mexico / Male') when any text cell left of it in the row names a group of
        people (a country, a facility, an age band, a sex), else None. Found with one sort, one as-of join and one
        pass over the distinct texts, so a row of thousands of counts costs no more per cell than a row of three."""
        height = self.height
        texts = (self.cells.filter(pl.col("code") == _TEXT)
                 .select((pl.col("at") % height).alias("row"), (pl.col("at") // height).alias("col"), "text")
                 .sort("row", "col")
                 .with_columns(pl.col("text").shift(1).over("row").alias("before")))
        distinct = texts["text"].unique()
        quasi = distinct.filter(pl.Series([_is_quasi_label(t) for t in distinct.to_list()], dtype=pl.Boolean))
        first_quasi = dict(texts.filter(pl.col("text").is_in(quasi.implode()))
                           .group_by("row").agg(pl.col("col").min()).iter_rows())
        wanted = pl.DataFrame({"at": spots}, schema={"at": pl.UInt32}).with_columns(
            (pl.col("at") % height).alias("row"), (pl.col("at") // height).alias("col"))
        nearest = wanted.sort("col").join_asof(
            texts.select("row", "col", "text", "before").sort("col"), on="col", by="row", strategy="backward",
            allow_exact_matches=False, check_sortedness=False)  # sorted by col just above
        near = {at: (text, before) for at, text, before in nearest.select("at", "text", "before").iter_rows()}
        out: list[str | None | bool] = []
        for at in spots:
            column, row = divmod(at, height)
            text, before = near.get(at, (None, None))
            if text is None:
                out.append(False)
            elif first_quasi.get(row, column) < column:
                out.append(" / ".join(t for t in (before, text) if t is not None))
            else:
                out.append(None)
        return out

    def _block_facts(self, wanted: set[int]) -> dict[int, _Block]:
        """Per block: its header, when a reader of the table row by row is done with it, how many numbers and
        whole numbers it holds, and whether the whole numbers are codes rather than counts: written with leading
        zeros (004, 024) or numbered one after another (1, 2, 3 ... a row number)."""
        height = self.height
        padded = (pl.col("code") == _INTEGER) & pl.col("text").str.contains(r"^[-+]?0\d")
        whole = pl.col("value").filter(pl.col("code") == _INTEGER)
        facts = self.cells.group_by("block").agg(
            pl.col("at").first(), pl.col("start").first(), pl.col("text").first().alias("header"),
            pl.col("at").filter(pl.col("number")).first().alias("first_number"),
            pl.col("number").sum().alias("numbers"), (pl.col("code") == _INTEGER).sum().alias("integers"),
            padded.sum().alias("padded"), (whole.diff().drop_nulls() == 1).all().alias("sequence"),
        ).sort("block")
        rows = {row[0]: row for row in facts.iter_rows()}
        out = {}
        for block in wanted:
            _, at, start, header, first_number, numbers, integers, padded_n, sequence = rows[block]
            column = at // height
            after = rows.get(block + 1)
            # Row by row, a block is done with at the column's next header; the open ones last, as they began.
            closed = after is not None and after[1] // height == column and after[2]
            began = (at if start else first_number) % height
            order = (0, after[1] % height, column) if closed and after else (1, began, column)
            codes = padded_n >= max(1, 0.1 * integers) or (bool(sequence) and integers >= _SEQUENCE)
            out[block] = _Block(header if start else None, order, int(integers), int(numbers), codes)
        return out


def _code() -> pl.Expr:
    cell = pl.col("text")
    return (pl.when(cell.is_null() | (cell == "")).then(_EMPTY)
            .when(cell.str.contains(_INT_RX)).then(_INTEGER)
            .when(cell.str.contains(_FLOAT_RX)).then(_DECIMAL)
            .otherwise(_TEXT).cast(pl.Int8).alias("code"))


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
