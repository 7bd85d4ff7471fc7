"""Pipe tables in plain text and Markdown (GitHub-flavoured, also what pandoc and many exporters write).

    | Name        | Citizenship | Asylum status |
    |-------------|-------------|---------------|
    | Jose Garcia | Honduras    | pending       |

Read line by line, "Jose Garcia | Honduras | pending" says nothing about asylum: the header does. A block of
`|` lines whose second line is the `---` separator is a Table (header row first, as the file has it; detectors
find the header), located `lines 4-9 (markdown table)`; its lines are blanked out of the text so nothing is read
twice and line numbers stay true.
"""

from __future__ import annotations

import re

from veil.readers.units import Table, Visibility, table_from_rows

_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
MAX_COLUMNS = 1_000


def split_tables(text: str) -> tuple[str, list[Table]]:
    """The text without its pipe tables (their lines left blank), and the tables."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    tables: list[Table] = []
    i = 0
    while i + 1 < len(lines):
        if "|" in lines[i] and _SEPARATOR.match(lines[i + 1]) and "|" in lines[i + 1] + lines[i]:
            end = i + 2
            while end < len(lines) and "|" in lines[end] and lines[end].strip():
                end += 1
            rows = [_cells(lines[i])] + [_cells(line) for line in lines[i + 2:end]]
            if max(len(r) for r in rows) <= MAX_COLUMNS:
                tables.append(table_from_rows(rows, location=f"lines {i + 1}-{end} (markdown table)",
                                              visibility=Visibility.VISIBLE, first_row_number=i + 1))
                lines[i:end] = [""] * (end - i)
            i = end
        else:
            i += 1
    return "\n".join(lines), tables


def _cells(line: str) -> list[object]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") and not body.endswith("\\|") else body
    return [cell.strip().replace("\\|", "|") or None for cell in _CELL_SPLIT.split(body)]
