"""Small cells: counts of people under the policy threshold in a cross-tabulation by a quasi-identifying
dimension (nationality, facility, age band, sex; a month or year alone does not narrow a national count down).
Averages, percentages, rates, years, codes and totals are not counts and are never flagged."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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

_INT = re.compile(r"^[-+]?\d{1,3}(,\d{3})*$|^[-+]?\d+$")
_FLOAT = re.compile(r"^[-+]?[\d,]*\.\d+$")
_MAX_ROWS = 300_000


@dataclass
class _Block:
    header: str | None
    cells: list[tuple[int, int, int, str | None]] = field(default_factory=list)  # (row, col, value, row_label)
    integers: int = 0
    numbers: int = 0


def find_small_cells(table: Table, policy: Policy) -> list[Finding]:
    rows = table.frame.head(_MAX_ROWS).rows()
    threshold = policy.small_cell_threshold
    blocks: dict[int, _Block] = {}
    done: list[_Block] = []
    width = table.frame.width
    above: list[str | None] = [None] * width  # what the previous row held in each column: num, text or nothing
    for r, row in enumerate(rows):
        labels: list[str] = []
        kinds: list[str | None] = [None] * width
        for c, cell in enumerate(row):
            text = cell.strip() if cell is not None else ""
            if not text:
                continue
            if _INT.match(text) or _FLOAT.match(text):
                kinds[c] = "num"
                block = blocks.get(c)
                if block is None:
                    block = blocks[c] = _Block(None)
                block.numbers += 1
                if _INT.match(text):
                    block.integers += 1
                    value = int(text.replace(",", ""))
                    if 0 <= value < threshold and (value > 0 or policy.zero_is_disclosive):
                        if labels and _is_quasi(labels):
                            block.cells.append((r, c, value, " / ".join(labels[-2:])))
                        elif labels:
                            block.cells.append((r, c, value, None))
                continue
            kinds[c] = "text"
            labels.append(text)
            # Text right under a number is a value in the column ('AS NEEDED'), not the header of a new table.
            if above[c] == "num":
                continue
            if c in blocks:
                done.append(blocks.pop(c))
            blocks[c] = _Block(text)
        above = kinds
    done.extend(blocks.values())
    small: list[str] = []
    for block in done:
        if not block.cells or block.numbers == 0 or block.integers < 0.95 * block.numbers:
            continue  # measures (averages, rates) are not counts
        header = block.header or ""
        if header and NOT_COUNT_WORDS.search(header):
            continue
        header_quasi = bool(header) and _is_quasi([header])
        for r, c, value, label in block.cells:
            if label is None and not header_quasi:
                continue
            if label is not None and (TOTAL_WORDS.search(label) or NOT_COUNT_WORDS.search(label)):
                continue
            ref = table.cell_ref(r, c)
            small.append(f"{ref}={value}")
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


def _is_quasi(labels: list[str]) -> bool:
    for label in labels:
        text = label.strip()
        low = text.lower()
        # A period alone (national monthly counts) does not narrow a count down to a person; these do.
        if is_country(text) or FACILITY_WORDS.search(text) or AGE_BAND.match(text) or low in SEX_LABELS:
            return True
    return False
