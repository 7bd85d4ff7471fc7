"""Fixed-width tables in plain text: a report printed with its columns aligned by spaces (a mainframe or database
export, `column -t`, a printout saved as .txt).

    NAME                        DOB         COUNTRY       STATUS
    Jose Garcia                 1990-01-02  Honduras      Asylum pending

Read as prose, the header's words are lines away from most rows and the people are found one by one, if at all.
A block of at least five lines, each with a run of two spaces, whose character positions leave at least two
columns of spaces in every line (three or more fields), is a Table located `lines 4-9 (fixed-width table)`;
its lines are blanked out of the text so nothing is read twice and line numbers stay true. Rules of dashes or equal
signs under the header are dropped.
"""

from __future__ import annotations

import re

from veil.readers.units import Table, Visibility, table_from_rows

MIN_LINES = 5
MAX_WIDTH = 400
MAX_COLUMNS = 60
_SAMPLE = 500  # lines the columns are found in; the rest must keep them
_RULE = re.compile(r"^[\s=\-+_|]+$")


def split_fixed_width(text: str) -> tuple[str, list[Table]]:
    """The text without its fixed-width tables (their lines left blank), and the tables."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    tables: list[Table] = []
    start = 0
    while start < len(lines):
        if not lines[start].strip():
            start += 1
            continue
        end = start
        while end < len(lines) and lines[end].strip():
            end += 1
        table = _table(lines[start:end], start)
        if table is not None:
            tables.append(table)
            lines[start:end] = [""] * (end - start)
        start = end
    return ("\n".join(lines), tables) if tables else (text, [])


def widest(text: str) -> int:
    """The number of fields of the widest fixed-width table in `text` (0 if it has none)."""
    return max((t.frame.width for t in split_fixed_width(text)[1]), default=0)


def _table(block: list[str], first: int) -> Table | None:
    body = [line.expandtabs(8).rstrip() for line in block if not _RULE.match(line)]
    if len(body) < MIN_LINES or max(len(line) for line in body) > MAX_WIDTH:
        return None
    if sum("  " in line.strip() for line in body) < 0.8 * len(body):
        return None  # prose, or a list whose words are parted by single spaces
    cuts = _cuts(body[:_SAMPLE])
    if not 2 <= len(cuts) < MAX_COLUMNS:
        return None
    if len(body) > _SAMPLE and not all(_parted(line, cut) for line in body[_SAMPLE:] for cut in cuts):
        return None
    rows = [_fields(line, cuts) for line in body]
    full = sum(sum(cell is not None for cell in row) >= len(cuts) for row in rows)
    if full < 0.8 * len(rows):
        return None
    return table_from_rows(rows, location=f"lines {first + 1}-{first + len(block)} (fixed-width table)",
                           visibility=Visibility.VISIBLE, first_row_number=first + 1)


def _cuts(body: list[str]) -> list[int]:
    """Where each field after the first starts: the end of every run of positions that are spaces (or past the end)
    in all lines, inside the text."""
    width = max(len(line) for line in body)
    inset = min(len(line) - len(line.lstrip()) for line in body)
    blank = [all(i >= len(line) or line[i] == " " for line in body) for i in range(width)]
    cuts = []
    for i in range(max(inset, 2), width):
        if blank[i - 2] and blank[i - 1] and not blank[i]:
            cuts.append(i)
    return cuts


def _parted(line: str, cut: int) -> bool:
    return line[cut - 2:cut].strip() == ""


def _fields(line: str, cuts: list[int]) -> list[object]:
    bounds = [0, *cuts, len(line) + 1]
    return [line[a:b].strip() or None for a, b in zip(bounds, bounds[1:], strict=False)]
