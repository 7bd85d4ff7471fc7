"""The people of an exposed file, whatever its format, read as one table.

Every table of people the file holds is taken (`linkage_columns.read_people_tables`: every sheet, hidden ones too,
tables stacked under statistics, PDF/DOCX/HTML tables, archive members), so nobody in a second people sheet is
missed; statistics sheets are passed over without `--sheet`. Fail closed: if any part of the file cannot be read,
or a table was read only in part, the exposed file is refused: people in the unread part would otherwise be
silently missed.
"""

from __future__ import annotations

from pathlib import Path

from veil.incident.linkage_columns import PeopleTable, read_people_table


def read_exposed_table(path: str | Path, sheet: str | None = None) -> PeopleTable:
    """The exposed file's people as a string table (several tables of people gathered into one, `parts` saying
    where each came from). `sheet` (a name or a 1-based number) keeps one sheet. Raises LinkageInputError with a
    one-line reason."""
    return read_people_table(path, sheet, what="exposed file")
