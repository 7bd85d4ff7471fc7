"""The findings about a table whose rows are people: record-level data and lists of names, with the people they
disclose (one identity each, see people.py), how they were counted, and words that never quote a raw value."""

from __future__ import annotations

import re
from dataclasses import replace

import polars as pl

from veil.detectors import names
from veil.detectors.columns import ColumnClass, header_class, kind_words
from veil.detectors.layout import Layout
from veil.detectors.people import People, birth_expr, id_expr, name_expr
from veil.detectors.recognizers import active
from veil.detectors.thresholds import Thresholds
from veil.findings import Finding, Kind
from veil.masking import mask, mask_all
from veil.readers.units import Table, Visibility

NAME_KINDS = ("person-name", "surname", "given-name")
_DIGIT_OR_MAIL = re.compile(r"\d|@")
# Tables whose wrapped lines are joined back into rows: PDF tables are small; a million-row CSV has no wrapping.
_UNWRAP_ROWS = 20_000
_UNWRAP_COLUMNS = 100
_WRAPPED_SHARE = 0.2
_PLAUSIBLE_ROWS = 200_000


def describe(table: Table, c: ColumnClass) -> str:
    label = table.column_label(c.index)
    label = label if label.startswith("column") else f"column {label}"
    head = f" '{quoted_header(c.header)}'" if c.header and c.header not in label else ""
    return f"{label}{head} ({kind_words(c.kind)})"


def quoted_header(header: str) -> str:
    """A header as findings quote it. A header word is quoted; anything else that may be a row of data taken for
    the header (a name, a number, a date, an address) is masked: Veil's own report must not name anyone."""
    if _holds_a_name(header):
        return mask(header)
    if header_class(header) is not None:
        return header
    return mask(header) if _DIGIT_OR_MAIL.search(header) or reads_as_a_name(header, 0.5) else header


_CAPITALISED = re.compile(r"[^\W\d_][\w'’-]*")


def _holds_a_name(header: str) -> bool:
    """A long 'header' with a header word in it can be a row's free-text note ('Xavier Leroy (A-number unknown)
    claimed asylum'): any two neighbouring capitalised words that read as a name make it data."""
    words = _CAPITALISED.findall(header)
    if len(words) < 3:
        return False
    pairs = zip(words, words[1:], strict=False)
    return any(a[0].isupper() and b[0].isupper() and names.name_likeness(f"{a} {b}") >= 0.5 for a, b in pairs)


def reads_as_a_name(header: str, at_least: float) -> bool:
    """A 'header' that is no header word and looks like a person's name: a row of data taken for the header."""
    return header_class(header) is None and names.name_likeness(header) >= at_least


def cell_range(table: Table, layout: Layout, data: pl.DataFrame) -> str:
    first = table.first_row_number + (layout.header_row if layout.header_row is not None else layout.data_start)
    last = table.first_row_number + layout.data_start + data.height - 1
    if table.column_labels:
        return f"{table.column_label(0)}{first}:{table.column_label(table.n_cols - 1)}{last}"
    # Delimited tables already name their rows in the location; saying it twice only adds noise.
    return "" if table.location.startswith("rows ") else f"rows {first}-{last}"


def evidence(table: Table, classes: list[ColumnClass]) -> tuple[str, ...]:
    return tuple(f"{describe(table, c)}: {'; '.join(c.evidence)}" for c in classes if c.kind != "empty")


def table_people(data: pl.DataFrame, identifying: list[ColumnClass]) -> People:
    """The people of the rows: an A-number, SSN or passport number where the row has one, else the name and birth
    date, else the name (the columns of a split name read together)."""
    data = unwrapped(data, identifying)
    groups = person_groups(identifying)
    if len(groups) == 1:
        return People(data, *_forms(data, groups[0]))
    # Several people per row (an applicant and a co-applicant, 'Name (1)' ... 'Name (2)'): each group's forms are
    # rows of their own.
    parts = [data.select(*(e.alias(n) if e is not None else pl.lit(None, dtype=pl.String).alias(n)
                           for e, n in zip(_forms(data, g), ("ident", "name", "birth"), strict=True)))
             for g in groups]
    return People(pl.concat(parts), pl.col("ident"), pl.col("name"), pl.col("birth"))


def person_groups(identifying: list[ColumnClass]) -> list[list[ColumnClass]]:
    """The identifying columns of each person a row holds. One person, unless the columns repeat in groups (a name
    and a birth date or identifier, then another name and its own birth date or identifier): a group ends where a
    kind of column it already has comes again. A name beside an alias, or a second birth date beside one name, is
    still one person: every group must have a name and something else that identifies."""
    groups: list[list[ColumnClass]] = [[]]
    for column in sorted(identifying, key=lambda c: c.index):
        if any(c.kind == column.kind for c in groups[-1]):
            groups.append([])
        groups[-1].append(column)
    whole = all(any(c.kind in NAME_KINDS for c in g) and any(c.kind not in NAME_KINDS for c in g) for g in groups)
    return groups if len(groups) > 1 and whole else [identifying]


def _forms(data: pl.DataFrame, identifying: list[ColumnClass]) -> tuple[pl.Expr | None, ...]:
    columns = data.columns
    ids = [c for kind in active().key_kinds for c in identifying if c.kind == kind]
    named = [columns[c.index] for c in identifying if c.kind in NAME_KINDS]
    births = [columns[c.index] for c in identifying if c.kind == "date-of-birth"][:1]
    ident = pl.coalesce([id_expr(c.kind, columns[c.index]) for c in ids]) if ids else None
    birth = birth_expr(births[0]) if births else None
    name = name_expr(named) if named else None
    if name is not None and data.height <= _PLAUSIBLE_ROWS:
        name = _plausible(data, name, named, [e for e in (ident, birth) if e is not None])
    return ident, name, birth


def _plausible(data: pl.DataFrame, name: pl.Expr, named: list[str], others: list[pl.Expr]) -> pl.Expr:
    """A name identifies a row alone only where it can be a name: a note or a key to the table's abbreviations at
    its foot ('BOP (Bureau of Prisons) :') is nobody. Rows with an identifier or a birth date keep their name."""
    raw = pl.concat_str([pl.col(c) for c in named], separator=" ", ignore_nulls=True)
    alone = pl.all_horizontal([e.is_null() for e in others]) if others else pl.lit(True)
    values = data.filter(alone).select(raw.alias("raw"))["raw"].drop_nulls().unique()
    nobody = [v for v in values.to_list() if names.cannot_be_a_name(v)]
    return pl.when(~(alone & raw.is_in(nobody))).then(name) if nobody else name


def unwrapped(data: pl.DataFrame, identifying: list[ColumnClass]) -> pl.DataFrame:
    """The rows of a table whose long cells wrap onto lines of their own (a PDF table: 'CAMPOS, Wenceslau' then
    'Esmerio' on the next line, with nothing in the columns of numbers and dates): each person's lines as one row.
    A line continues the row above when it is empty in every column of numbers and dates (row number, birth date)
    and its name cells are fragments (no comma, one or two words); a roster row that only lacks a birth date
    still has a whole name and stays a row."""
    named = [data.columns[c.index] for c in identifying if c.kind in NAME_KINDS]
    if not named or data.height < 2 or data.height > _UNWRAP_ROWS or data.width > _UNWRAP_COLUMNS:
        return data
    dated = {data.columns[c.index] for c in identifying if c.kind not in NAME_KINDS}
    anchors = [name for name in data.columns if name in dated or name not in named and _numbers_or_dates(data[name])]
    if not anchors:
        return data
    # A fragment: no comma and one or two words, or anything under a name cut short ('CALDERON De -', 'SAENGSIRI,').
    fragment = pl.all_horizontal([_fragment(pl.col(c)) for c in named])
    named_row = pl.any_horizontal([pl.col(c).is_not_null() for c in named])
    candidate = (pl.all_horizontal([pl.col(c).is_null() for c in anchors]) & fragment & named_row
                 & (pl.int_range(pl.len()) > 0))
    # A line continues a record only under one: a row with a name and a number or date (a blank row or a note
    # above a list of names starts nothing).
    record = named_row & pl.any_horizontal([pl.col(c).is_not_null() for c in anchors])
    continues = candidate & pl.when(~candidate).then(record).forward_fill().fill_null(False)
    rows = data.with_columns(continues.alias("_continues"))
    share = rows["_continues"].sum() / rows.height
    if share < _WRAPPED_SHARE:  # a few rows without a birth date are rows, not wrapped lines
        return data
    return (rows.with_columns((~pl.col("_continues")).cum_sum().alias("_row"))
            .group_by("_row", maintain_order=True)
            .agg(*(pl.col(c).drop_nulls().str.join(" ") if c in named else pl.col(c).first() for c in data.columns))
            .select(data.columns)
            .with_columns(pl.when(pl.col(c) != "").then(pl.col(c)).alias(c) for c in named))


def _fragment(cell: pl.Expr) -> pl.Expr:
    """A name cell that goes on from the one above: a word or two without a comma ('Esmerio'), anything under a
    name cut short ('CALDERON De -', 'SAENGSIRI,'), or the comma part under a one- or two-word start
    ('RODRIGUEZ' then 'CASTRO, WALTER')."""
    above = cell.forward_fill().shift(1)
    comma = cell.str.contains(",", literal=True)
    return (cell.is_null() | (~comma & (cell.str.count_matches(r"\S+") <= 2))
            | above.str.contains(r"[,‐\-–]\s*$")
            | (comma & ~above.str.contains(",", literal=True) & (above.str.count_matches(r"\S+") <= 2)))


def _numbers_or_dates(column: pl.Series) -> bool:
    values = column.drop_nulls()
    share = values.str.contains(r"^\s*\d[\d/.,:-]*\s*$").mean() if values.len() else 0.0
    return bool(share is not None and float(share) >= 0.6)  # type: ignore[arg-type]


def _where_seen(table: Table, identifying: list[ColumnClass]) -> tuple[bool, str]:
    """Whether a reader of the table sees who the people are, and the visibility to report: a visible sheet whose
    identifying columns are all hidden hides them."""
    if table.visibility.seen and {c.index for c in identifying} <= set(table.hidden_columns):
        return False, Visibility.HIDDEN_COLUMN.value
    return table.visibility.seen, table.visibility.value


def _samples(data: pl.DataFrame, column: ColumnClass) -> tuple[str, ...]:
    return mask_all(data.to_series(column.index).drop_nulls().head(20).to_list(), 3)


def _people_words(n: int) -> str:
    return f"{n:,} {'person' if n == 1 else 'people'}"


def name_list(table: Table, layout: Layout, data: pl.DataFrame, classes: list[ColumnClass],
              identifying: list[ColumnClass], limits: Thresholds) -> list[Finding]:
    """A column of names and nothing else is not record-level by the rule (no attribute), but being on a list an
    agency keeps (detained, applied, affected) is itself the attribute: a person must look at it."""
    first = data.to_series(identifying[0].index)[0] if data.height else None
    if layout.header_row is None and header_class(first) is not None:  # one column: the header was not told apart
        data = data.slice(1)
        layout = replace(layout, header_row=layout.data_start, data_start=layout.data_start + 1)
    people = table_people(data, identifying)
    count = len(people)
    seen, visibility = _where_seen(table, identifying)
    # A name someone hid (a hidden sheet or column) needs a look however few there are, as in prose.
    if count < (limits.name_list_min_people if seen else 1):
        return []
    location = f"{table.location} {cell_range(table, layout, data)}".strip()
    return [Finding(
        Kind.NAME_LIST, location, seen,
        f"a list of {_people_words(count)}'s names with nothing else beside them "
        f"({describe(table, identifying[0])}): being on the list may itself disclose something about them"
        + ("" if seen else f" [{visibility}]"),
        "tables", evidence=(*evidence(table, classes), people.how_counted()), samples=_samples(data, identifying[0]),
        visibility=visibility, person_keys=people)]


def record_level(table: Table, layout: Layout, data: pl.DataFrame, classes: list[ColumnClass],
                 identifying: list[ColumnClass]) -> list[Finding]:
    hidden_data_rows = {r - layout.data_start for r in table.hidden_rows if r >= layout.data_start}
    first_ident = next((c for c in identifying if c.kind in ("person-name", "surname")), identifying[0])
    ident_text = ", ".join(describe(table, c) for c in identifying)
    others = [c for c in classes if not c.identifying and c.kind not in ("empty", "text", "number")]
    other_text = f"; with {', '.join(describe(table, c) for c in others[:6])}" if others else ""
    location = f"{table.location} {cell_range(table, layout, data)}".strip()
    seen, visibility = _where_seen(table, identifying)
    if not hidden_data_rows or not seen:
        people = table_people(data, identifying)
        return [Finding(
            Kind.RECORD_LEVEL, location, seen,
            f"record-level personal data: {_people_words(len(people))} in {data.height:,} rows; identified by "
            f"{ident_text}{other_text}" + ("" if seen else f" [{visibility}]"),
            "tables", evidence=(*evidence(table, classes), people.how_counted()),
            samples=_samples(data, first_ident), visibility=visibility, person_keys=people)]
    # Some rows are hidden: report the visible and the hidden people separately, so the reviewer sees both.
    hidden = pl.Series("hidden", [i in hidden_data_rows for i in range(data.height)])
    findings: list[Finding] = []
    for part, is_seen, vis in ((data.filter(~hidden), True, table.visibility.value),
                               (data.filter(hidden), False, Visibility.HIDDEN_ROW.value)):
        people = table_people(part, identifying)
        if len(people) == 0:
            continue
        findings.append(Finding(
            Kind.RECORD_LEVEL, location, is_seen,
            f"record-level personal data: {_people_words(len(people))} in {part.height:,} "
            f"{'visible' if is_seen else 'hidden'} rows; identified by {ident_text}{other_text}",
            "tables", evidence=(*evidence(table, classes), people.how_counted()), samples=_samples(part, first_ident),
            visibility=vis, person_keys=people))
    return findings
