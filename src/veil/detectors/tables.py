"""Record-level vs aggregate: decide what a table is and report it.

A table whose rows are people (a name or a personal identifier column together with any other attribute about
them) is record-level, even with a single row. Rows of people without direct identifiers are microdata (a
disclosure-risk review, with the share of rows unique on their quasi-identifiers). Anything else is treated as
aggregate and goes through the small-cell check."""

from __future__ import annotations

import re
from dataclasses import replace

import polars as pl

from veil.detectors import officials
from veil.detectors.columns import (
    PERSON_SPECIFIC,
    QUASI_IDENTIFIERS,
    ColumnClass,
    classify,
    direct_identifiers,
    header_class,
)
from veil.detectors.grid import columns_where
from veil.detectors.identifiers import a_number, a_number_digits, parse_date, valid_ssn
from veil.detectors.layout import Layout, find_layout, stacked_parts
from veil.detectors.people import Identity, People, id_form
from veil.detectors.recognizers import active
from veil.detectors.small_cells import find_small_cells
from veil.detectors.table_findings import (
    NAME_KINDS,
    cell_range,
    describe,
    evidence,
    name_list,
    reads_as_a_name,
    record_level,
)
from veil.detectors.text import analyse_text
from veil.detectors.text_ids import find_identifiers
from veil.detectors.thresholds import Thresholds
from veil.detectors.vocab import COUNT_WORDS, NOT_COUNT_WORDS, STATUS_TERMS
from veil.findings import Finding, Kind
from veil.masking import mask, mask_all
from veil.readers.units import Table, Text

_SAMPLE = 2000
# Cells longer than this are read as prose; at 40-130 us a cell, the budget keeps a table to a few seconds.
_PROSE_CHARS = 40
_PROSE_CELLS = 20_000
_STRAY_PER_COLUMN = 200
_SHORT_COLUMN = 16
_ACROSS_ROWS = 60  # fields of a record laid out across: a few dozen at most
_ROW_CONTEXT_COLUMNS = 50  # rows narrower than this lend their short cells to the reading of a long one
_A_NUMBER_RX = r"(^|[^A-Za-z0-9])A\s?[#-]?\s?\d{3}[\s-]?\d{3}[\s-]?\d{2,3}($|[^\d-])"
_SSN_RX = r"(^|[^\d-])\d{3}-\d{2}-\d{4}($|[^\d-])"
# A label, then the digits without their "A": 'Alien No. 123-456-789', 'A-Number: 123 456 789', 'Número A 123456789'.
_LABELLED_RX = (r"\b(?i:a[- ]?(?:number|num|no|#)|alien\s(?:registration\s)?(?:number|no)|n[úu]mero\s(?:de\s)?"
                r"(?:a|extranjero))\.?\s{0,3}[:#]?\s{0,3}[-# ]?\d{2,3}[ -]?\d{3}[ -]?\d{3}")
_ID_RX = f"(?:{_A_NUMBER_RX})|(?:{_SSN_RX})|(?:{_LABELLED_RX})"


def analyse_table(table: Table, limits: Thresholds, layout: Layout | None = None) -> list[Finding]:
    """Findings for one table. `layout`: where its header and data are, when the caller knows better than the
    table alone (a table continued from the page before, without a header of its own)."""
    if table.frame.height == 0 or table.frame.width == 0:
        return []
    layout = layout or find_layout(table)
    data = table.frame.slice(layout.data_start)
    people = _people(table, layout, data, limits)
    if people:
        return people
    across = _transposed(table)
    if across is not None:
        people = _people(across, find_layout(across), across.frame, limits)
        if people:
            return people
    # A roster pasted under the statistics, below a blank row and a header of its own, is a table of its own: the
    # sheet's first header says nothing about it. Its other cells were checked with the whole table above.
    for part in stacked_parts(table):
        part_layout = find_layout(part)
        people += _people(part, part_layout, part.frame.slice(part_layout.data_start), limits)
    findings = _stray_identifiers(table, data, layout)
    findings += find_small_cells(table, limits)
    findings += _prose_cells(table, data, layout)
    return people + findings


def _people(table: Table, layout: Layout, data: pl.DataFrame, limits: Thresholds) -> list[Finding]:
    """Findings that the rows of the table are people: record-level, a list of names, or microdata."""
    known = table.header is not None
    classes = classify_columns(data, layout, header_known=known)
    identifying = [c for c in classes if c.identifying]
    few_enough = not identifying and (any(c.kind == "case-status" for c in classes) or not table.visibility.seen)
    if few_enough:
        # Names beside protection claims: a headerless list of three claimants is evidence enough, and so are
        # names split over two one-word columns by unquoted commas. So are a few names someone hid.
        classes = classify_columns(data, layout, header_known=known, few_enough=True)
        identifying = [c for c in classes if c.identifying]
    if identifying and layout.header_row is not None and _header_is_a_person(layout, identifying):
        # A roster without a header row: its first person was taken for the header. Count them, and never
        # quote them as a column's name.
        layout = Layout(None, [None] * table.frame.width, layout.header_row)
        data = table.frame.slice(layout.data_start)
        classes = classify_columns(data, layout, header_known=known, few_enough=few_enough)
        identifying = [c for c in classes if c.identifying]
    if identifying or any(c.kind == "official-name" for c in classes):
        role = _officials(table, data, classes)
        if role is not None:
            return [role]
        if not any(c.kind in NAME_KINDS for c in identifying):
            # Names under an official's header in a table that is no officials' table: nobody else is named, so
            # they are the people it is about.
            classes = [replace(c, kind="person-name") if c.kind == "official-name" else c for c in classes]
            identifying = [c for c in classes if c.identifying]
    attributes = [c for c in classes if not c.identifying and c.kind not in ("empty", "redacted")]
    if identifying and (attributes or len(identifying) >= 2 or identifying[0].kind in active().key_kinds):
        return record_level(table, layout, data, classes, identifying)
    if identifying:
        listed = name_list(table, layout, data, classes, identifying, limits)
        if listed:
            return listed
    return _microdata(table, layout, data, classes, limits)


def _officials(table: Table, data: pl.DataFrame, classes: list[ColumnClass]) -> Finding | None:
    """A table of officials named in their role (a directory, media contacts, members, a salary report): a note."""
    if any(c.kind in officials.ROSTER_KINDS or c.kind in active().identifying for c in classes):
        return None  # a roster's columns: no need to look at the values
    facts = [officials.ColumnFacts(c.index, c.kind, _sample_values(data, c)) for c in classes]
    texts = [f for f in facts if f.kind in ("text", "job-title", "organisation")]
    status_in_cells = any(STATUS_TERMS.search(v) and not officials.names_the_role(f.kind, v)
                          for f in texts for v in f.values)
    reason = officials.officials_reason(facts, status_in_cells)
    if reason is None:
        return None
    people = [c for c in classes if c.identifying or c.kind == "official-name"]
    count = max(data.to_series(c.index).drop_nulls().n_unique() for c in people if c.kind != "date-of-birth")
    if any(c.kind == "date-of-birth" for c in classes):
        # A legislator's birthday is public in many places, but it is not part of the role: a person decides.
        return Finding(Kind.OFFICIALS_PERSONAL, table.location, table.visibility.seen,
                       f"{count} people named in their public role ({reason}), with their dates of birth, which are "
                       "not part of the role", "tables", evidence=evidence(table, classes),
                       visibility=table.visibility.value)
    return Finding(Kind.NAMED_PERSON, table.location, table.visibility.seen,
                   f"{count} people named in their public role ({reason}): a table of officials, not of the people a "
                   "file may disclose", "tables", evidence=evidence(table, classes), visibility=table.visibility.value)


def _sample_values(data: pl.DataFrame, c: ColumnClass) -> list[str]:
    return data.to_series(c.index).head(_SAMPLE * 2).drop_nulls().head(_SAMPLE).to_list()


def classify_columns(data: pl.DataFrame, layout: Layout, header_known: bool = False,
                     few_enough: bool = False) -> list[ColumnClass]:
    """Classify every non-empty column of the data rows (a sample of at most 4,000 values each)."""
    out = []
    sample = data if data.height <= _SAMPLE * 2 else pl.concat([data.head(_SAMPLE), data.sample(_SAMPLE, seed=0)])
    # A wide table of a few rows repeats its short columns: each distinct one is classified once.
    seen: dict[tuple[str | None, tuple[str, ...]], ColumnClass] = {}
    for i in range(data.width):
        values = [v for v in sample.to_series(i).to_list() if v is not None]
        if not values:
            continue
        header = layout.headers[i] if i < len(layout.headers) else None
        if len(values) > _SHORT_COLUMN:
            out.append(classify(i, header, values, header_known, few_enough))
            continue
        key = (header, tuple(values))
        known = seen.get(key)
        if known is None:
            known = seen[key] = classify(i, header, values, header_known, few_enough)
        out.append(ColumnClass(i, known.header, known.kind, known.confidence, known.evidence))
    return out


def _header_is_a_person(layout: Layout, identifying: list[ColumnClass]) -> bool:
    """Whether the 'header' row is the roster's first person: an identifier or birth-date column headed by a
    value of its own kind (an A-number, a date), or every name column headed by a name."""
    def head(c: ColumnClass) -> str | None:
        return layout.headers[c.index] if c.index < len(layout.headers) else None

    for c in identifying:
        text = (head(c) or "").strip()
        if c.kind == "a-number" and (a_number(text) or a_number_digits(text)) or c.kind == "ssn" and valid_ssn(text) \
                or c.kind == "date-of-birth" and parse_date(text) is not None:
            return True
    heads = [head(c) for c in identifying if c.kind in NAME_KINDS]
    return bool(heads) and all(h is not None and reads_as_a_name(h, 0.6) for h in heads)


def _microdata(table: Table, layout: Layout, data: pl.DataFrame, classes: list[ColumnClass],
               limits: Thresholds) -> list[Finding]:
    quasi = [c for c in classes if c.kind in QUASI_IDENTIFIERS]
    specific = [c for c in quasi if c.kind in PERSON_SPECIFIC]
    if not specific or len(quasi) < 2 or data.height < limits.microdata_min_rows:
        return []
    if any(c.kind == "number" and _is_count_column(data, c) for c in classes):
        return []
    names_ = data.columns
    cols = [names_[c.index] for c in quasi]
    subset = data.select(cols).filter(pl.any_horizontal([pl.col(c).is_not_null() for c in cols]))
    unique_share = subset.is_unique().sum() / subset.height if subset.height else 0.0
    location = f"{table.location} {cell_range(table, layout, data)}".strip()
    return [Finding(
        Kind.MICRODATA, location, table.visibility.seen,
        f"rows are people without direct identifiers ({data.height} rows; quasi-identifiers "
        f"{', '.join(describe(table, c) for c in quasi)}); {unique_share:.0%} of rows are unique on them "
        "(k=1): a risk of disclosure on the quasi-identifiers alone",
        "tables", evidence=tuple(f"{describe(table, c)}: {'; '.join(c.evidence)}" for c in quasi),
        visibility=table.visibility.value)]


def _is_count_column(data: pl.DataFrame, c: ColumnClass) -> bool:
    """A column of whole numbers that is not a measure (age, year, rate...): the table counts people, so its rows
    are groups, not people (tidy aggregate tables: dimensions + one count column)."""
    if c.header and NOT_COUNT_WORDS.search(c.header) and not COUNT_WORDS.search(c.header):
        return False
    values = data.to_series(c.index).drop_nulls().head(_SAMPLE)
    if values.len() == 0:
        return False
    whole = values.str.contains(r"^\s*-?[\d,]+(\.0+)?\s*$").mean()
    return bool(whole is not None and float(whole) >= 0.95)  # type: ignore[arg-type]


def _stray_identifiers(table: Table, data: pl.DataFrame, layout: Layout) -> list[Finding]:
    """A-numbers and SSNs in cells of a table that is otherwise not about people (a note, a stray cell)."""
    hits: list[tuple[int, int, str]] = []
    found: list[Identity] = []
    top = layout.data_start
    if layout.header_row is not None and any(re.search(_ID_RX, str(h)) for h in layout.headers if h):
        # An identifier in the header row: the first record was taken for the header, and is a person too.
        top = layout.header_row
        data = table.frame.slice(top, data.height + layout.data_start - top)
    for i in columns_where(data, lambda cells: cells.str.contains(_ID_RX)):
        col = data.to_series(i)
        in_column = 0
        for r in col.str.contains(_ID_RX).arg_true().to_list():
            value = col[r]
            tokens = [t.strip() for t in re.findall(r"A\s?[#-]?\s?[\d\s-]{8,13}|\d{3}-\d{2}-\d{4}", value)]
            ids = [id_form("a-number", t) if a_number(t) else id_form("ssn", t) for t in tokens
                   if a_number(t) or valid_ssn(t)]
            ids += [id_form(m.kind, m.value) for m in find_identifiers(value)
                    if m.kind in ("a-number", "ssn") and id_form(m.kind, m.value) not in ids]
            if ids:
                hits.append((r, i, value))
                found.extend(Identity(ident=ident) for ident in ids)
                in_column += 1
                if in_column == _STRAY_PER_COLUMN:
                    break  # enough to block; look-alikes before them (invalid SSNs) must not use up the count
    if not hits:
        return []
    cells = tuple(table.cell_ref(top + r, i) for r, i, _ in hits)
    return [Finding(Kind.IDENTIFIER_IN_TEXT, table.location, table.visibility.seen,
                    f"{len(hits)} cell(s) hold an A-number or SSN", "tables",
                    samples=mask_all([v for _, _, v in hits], 3), cells=cells[:50], visibility=table.visibility.value,
                    person_keys=People.of(found))]


def _prose_cells(table: Table, data: pl.DataFrame, layout: Layout) -> list[Finding]:
    """Long free-text cells (notes, narratives) go through the free-text detector, each distinct text once, read
    with the short cells of their row: a name in one cell and 'was deported to' or 'claimed asylum' in another of
    the same row are tied, as in one sentence. Past the per-table budget the rest is not read, and the table is
    unverifiable: unread notes are never a pass."""
    findings: list[Finding] = []
    with_row = data.width <= _ROW_CONTEXT_COLUMNS
    budget = _PROSE_CELLS
    for i in columns_where(data, lambda cells: cells.str.len_chars() > _PROSE_CHARS):
        col = data.to_series(i)
        rows = (col.str.len_chars() > _PROSE_CHARS).arg_true()
        long = (pl.DataFrame({"text": col.gather(rows), "row": rows})
                .unique(subset="text", keep="first", maintain_order=True))
        if long.height > budget:
            findings.append(Finding(
                Kind.UNREADABLE, table.location, table.visibility.seen,
                f"too much free text to read: more than {_PROSE_CELLS} distinct long text cells in one table; "
                f"those after the first {_PROSE_CELLS} were not checked for people", "tables",
                visibility=table.visibility.value))
            long = long.head(budget)
        budget -= long.height
        for text, r in long.iter_rows():
            ref = table.cell_ref(layout.data_start + r, i)
            if with_row:
                others = [c for j, c in enumerate(data.row(r)) if j != i and c and len(c) <= _PROSE_CHARS]
                text = " | ".join([*others, text])
            findings.extend(analyse_text(Text(f"{table.location} {ref}", table.visibility, text)))
    return findings


def _transposed(table: Table) -> Table | None:
    """A table laid out across (one person to a column, the fields down the first column: Name, Date of Birth,
    A-Number...) read the usual way round: the first column's header words become the header."""
    frame = table.frame
    if frame.width < 2 or frame.height < 2 or frame.height > _ACROSS_ROWS:
        return None
    fields = frame.to_series(0).to_list()
    kinds = [header_class(f) for f in fields if f]
    if len([k for k in kinds if k]) < max(2, 0.6 * len(kinds)) or not {k for k in kinds if k} & direct_identifiers():
        return None
    rows = frame.slice(0, len(fields)).transpose().slice(1)
    rows = rows.rename({c: f"c{i}" for i, c in enumerate(rows.columns)})
    # The field names become column labels in findings: only header words are shown as they are.
    header = [f.strip() if f and header_class(f) else mask(f or "") for f in fields]
    return Table(f"{table.location} (read across: one person to a column)".strip(), table.visibility, rows,
                 header=header, total_rows=None)


class TableRun:
    """Tables read one after another, for a table that runs over several pages: each part after the first has no
    header row of its own and the same columns, so it takes the header of the part before (a PDF roster's pages
    2-16 are no less a roster than page 1)."""

    def __init__(self) -> None:
        self._headers: list[str | None] | None = None

    def layout(self, table: Table) -> Layout:
        layout = find_layout(table)
        if layout.header_row is not None or table.header is not None:
            self._headers = layout.headers
        elif self._headers is not None and len(self._headers) == table.frame.width:
            return Layout(None, self._headers, 0)
        else:
            self._headers = None
        return layout
