"""What every reader produces: units of content, each with where it lives and whether a reader of the file sees it.

A reader turns bytes into a stream of units. Detectors only ever see units, never formats:

    Table       a grid of cells (every cell a string or None), e.g. a sheet, a CSV, a pivot cache's records
    Text        a run of prose, e.g. a comment, a PDF page, a document property
    Unreadable  a part that could not be fully read; it makes the file `unverifiable`
    Notice      something worth telling a reviewer that is not personal data by itself (e.g. "2 hidden sheets")
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

import polars as pl


class Visibility(StrEnum):
    """Where a unit sits from the point of view of someone opening the file normally.

    The value is a persisted name (it appears in JSON reports and the database): never rename one.
    """

    VISIBLE = "visible"
    ARCHIVE_MEMBER = "archive-member"
    ATTACHMENT = "attachment"
    EMBEDDED = "embedded"
    # spreadsheets
    HIDDEN_SHEET = "hidden-sheet"
    VERY_HIDDEN_SHEET = "very-hidden-sheet"
    HIDDEN_ROW = "hidden-row"
    HIDDEN_COLUMN = "hidden-column"
    FILTERED_ROW = "filtered-row"
    OUTSIDE_USED_AREA = "outside-used-area"
    WHITE_TEXT = "white-text"
    COMMENT = "comment"
    DEFINED_NAME = "defined-name"
    PIVOT_CACHE = "pivot-cache"
    EXTERNAL_LINK_CACHE = "external-link-cache"
    CHART_CACHE = "chart-cache"
    DATA_VALIDATION = "data-validation"
    HEADER_FOOTER = "header-footer"
    METADATA = "metadata"
    DATA_MODEL = "data-model"
    QUERY = "query"
    REVISION_LOG = "revision-log"
    FORMULA = "formula"  # text written inside formulas: conditional-format rules, validation formulas
    FORMULA_CACHE = "formula-cache"
    THUMBNAIL = "thumbnail"
    UNKNOWN_PART = "unknown-part"
    # documents
    TRACKED_CHANGE = "tracked-change"
    HIDDEN_TEXT = "hidden-text"
    UNDER_REDACTION = "under-redaction"
    INVISIBLE_TEXT = "invisible-text"
    OFF_PAGE = "off-page"
    HIDDEN_LAYER = "hidden-layer"
    ANNOTATION = "annotation"
    FORM_FIELD = "form-field"
    EARLIER_REVISION = "earlier-revision"
    SPEAKER_NOTES = "speaker-notes"
    HIDDEN_SLIDE = "hidden-slide"
    MARKUP_HIDDEN = "markup-hidden"
    MARKUP_COMMENT = "markup-comment"
    SCRIPT_DATA = "script-data"
    ALT_TEXT = "alt-text"
    EMAIL_HEADER = "email-header"
    MACRO = "macro"  # VBA / Basic macro source, compiled code and forms

    @property
    def seen(self) -> bool:
        """True when someone who opens the file normally sees this content."""
        return self in _SEEN


_SEEN = frozenset({Visibility.VISIBLE, Visibility.ARCHIVE_MEMBER, Visibility.ATTACHMENT, Visibility.EMBEDDED,
                   Visibility.EMAIL_HEADER})


def nest(outer: Visibility, inner: Visibility) -> Visibility:
    """Visibility of content found inside content: the more hidden of the two wins."""
    if not inner.seen:
        return inner
    if not outer.seen:
        return outer
    return inner if inner is not Visibility.VISIBLE else outer


@dataclass
class Table:
    """A grid of cells as the file holds it, header rows included (detectors find the header themselves).

    `frame` has one pl.String column per source column, named c0, c1, ...; empty cells are null.
    `hidden_rows` and `hidden_columns` are 0-based indices into the frame.
    """

    location: str
    visibility: Visibility
    frame: pl.DataFrame
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()
    # How to name columns and rows in findings: spreadsheet letters, else 1-based numbers.
    column_labels: list[str] | None = None
    first_row_number: int = 1
    # Set when the format itself names the fields (JSON keys, Parquet schema): then frame has no header row.
    header: list[str] | None = None
    # Rows the source really has when the frame holds only a sample of them.
    total_rows: int | None = None
    # Why some rows/columns are hidden, e.g. {"rows": "hidden-row", ...}; free-form words for messages.
    notes: list[str] = field(default_factory=list)
    # True for a table Veil builds from the file's structure (a workbook's sheet names), not one the file holds:
    # checked like any other, but not counted as one of the file's tables (a manifest, an exposed file's people).
    derived: bool = False

    @property
    def n_rows(self) -> int:
        return self.frame.height

    @property
    def n_cols(self) -> int:
        return self.frame.width

    def cell_ref(self, row: int, col: int) -> str:
        """A cell's name in findings: 'C14' in a spreadsheet, 'row 14 col 3' elsewhere (row/col are frame indices)."""
        number = self.first_row_number + row
        if self.column_labels and col < len(self.column_labels):
            return f"{self.column_labels[col]}{number}"
        return f"row {number} col {col + 1}"

    def column_label(self, index: int) -> str:
        if self.column_labels and index < len(self.column_labels):
            return self.column_labels[index]
        if self.header and index < len(self.header):
            return str(self.header[index])
        return f"column {index + 1}"


@dataclass
class Text:
    """A run of prose with its place in the file."""

    location: str
    visibility: Visibility
    text: str
    # Set when the text is a file's name read as words: the name as the file had it, so that everything Veil shows
    # can mask it when it turns out to be personal data (readers/file_names.py).
    file_name: str | None = None


@dataclass
class Unreadable:
    """A part that Veil could not fully read. Any Unreadable makes the file `unverifiable` (fail closed)."""

    location: str
    reason: str


@dataclass
class Notice:
    """Something a reviewer should know that is not personal data by itself."""

    location: str
    visibility: Visibility
    message: str


Unit = Table | Text | Unreadable | Notice


def table_from_rows(
    rows: list[list[object]] | list[tuple[object, ...]],
    *,
    location: str,
    visibility: Visibility = Visibility.VISIBLE,
    **kwargs: object,
) -> Table:
    """Build a Table from Python rows of any values; every cell becomes a string (or None when empty)."""
    width = max((len(r) for r in rows), default=0)
    columns: list[list[str | None]] = [[] for _ in range(width)]
    for row in rows:
        for i in range(width):
            columns[i].append(cell_text(row[i]) if i < len(row) else None)
    schema = {f"c{i}": pl.String for i in range(width)}
    frame = pl.DataFrame({f"c{i}": col for i, col in enumerate(columns)}, schema=schema)
    return Table(location=location, visibility=visibility, frame=frame, **kwargs)  # type: ignore[arg-type]


def cell_text(value: object) -> str | None:
    """One cell as text: None and blanks are None, whole floats lose their '.0', dates are ISO."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value != value:  # NaN
            return None
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        return text[:10] if text.endswith("T00:00:00") else text
    text = str(value)
    return text if text.strip() else None
