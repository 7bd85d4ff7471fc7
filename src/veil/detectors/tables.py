"""Record-level vs aggregate: decide what a table is and report it.

A table whose rows are people (a name or a personal identifier column together with any other attribute about
them) is record-level, even with a single row. Rows of people without direct identifiers are microdata (a
disclosure-risk review, with the share of rows unique on their quasi-identifiers). Anything else is treated as
aggregate and goes through the small-cell check."""

from __future__ import annotations

import re
from dataclasses import replace

import polars as pl

from veil.detectors import names, officials
from veil.detectors.columns import KIND_WORDS, PERSON_SPECIFIC, QUASI_IDENTIFIERS, ColumnClass, classify, header_class
from veil.detectors.identifiers import a_number, valid_ssn
from veil.detectors.key_series import KeySeries
from veil.detectors.layout import Layout, find_layout, stacked_parts
from veil.detectors.small_cells import find_small_cells
from veil.detectors.vocab import NOT_COUNT_WORDS, STATUS_TERMS
from veil.findings import Finding, Kind
from veil.masking import mask, mask_all
from veil.policy import Policy
from veil.readers.units import Table, Text, Visibility

_SAMPLE = 2000
# Cells longer than this are read as prose; at 40-130 us a cell, the budget keeps a table to a few seconds.
_PROSE_CHARS = 40
_PROSE_CELLS = 20_000
_STRAY_PER_COLUMN = 200
_KEY_PRIORITY = ("a-number", "ssn", "passport")
_NAME_KINDS = ("person-name", "surname", "given-name")
_COUNT_HEADER = re.compile(
    r"(count|number|total|persons|people|individuals|encounters|apprehensions|removals|arrests|detainees|"
    r"cases|applications|grants|book[- ]?ins|population|\bn\b|#|cantidad|personas|numero)", re.IGNORECASE)
_A_NUMBER_RX = r"(^|[^A-Za-z0-9])A\s?[#-]?\s?\d{3}[\s-]?\d{3}[\s-]?\d{2,3}($|[^\d-])"
_SSN_RX = r"(^|[^\d-])\d{3}-\d{2}-\d{4}($|[^\d-])"


def analyse_table(table: Table, policy: Policy) -> list[Finding]:
    if table.frame.height == 0 or table.frame.width == 0:
        return []
    layout = find_layout(table)
    data = table.frame.slice(layout.data_start)
    people = _people(table, layout, data, policy)
    if people:
        return people
    # A roster pasted under the statistics, below a blank row and a header of its own, is a table of its own: the
    # sheet's first header says nothing about it. Its other cells were checked with the whole table above.
    for part in stacked_parts(table):
        part_layout = find_layout(part)
        people += _people(part, part_layout, part.frame.slice(part_layout.data_start), policy)
    findings = _stray_identifiers(table, data, layout)
    findings += find_small_cells(table, policy)
    findings += _prose_cells(table, data, layout)
    return people + findings


def _people(table: Table, layout: Layout, data: pl.DataFrame, policy: Policy) -> list[Finding]:
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
        if not any(c.kind in _NAME_KINDS for c in identifying):
            # Names under an official's header in a table that is no officials' table: nobody else is named, so
            # they are the people it is about.
            classes = [replace(c, kind="person-name") if c.kind == "official-name" else c for c in classes]
            identifying = [c for c in classes if c.identifying]
    attributes = [c for c in classes if not c.identifying and c.kind not in ("empty", "redacted")]
    if identifying and (attributes or len(identifying) >= 2 or identifying[0].kind in _KEY_PRIORITY):
        return _record_level(table, layout, data, classes, identifying)
    if identifying:
        names = _name_list(table, layout, data, classes, identifying, policy)
        if names:
            return names
    return _microdata(table, layout, data, classes, policy)


def _officials(table: Table, data: pl.DataFrame, classes: list[ColumnClass]) -> Finding | None:
    """A table of officials named in their role (a directory, media contacts, members, a salary report): a note."""
    facts = [officials.ColumnFacts(c.index, c.kind, _sample_values(data, c)) for c in classes]
    texts = [f for f in facts if f.kind in ("text", "job-title", "organisation")]
    status_in_cells = any(STATUS_TERMS.search(v) for f in texts for v in f.values)
    reason = officials.officials_reason(facts, status_in_cells)
    if reason is None:
        return None
    people = [c for c in classes if c.identifying or c.kind == "official-name"]
    count = max(data[data.columns[c.index]].drop_nulls().n_unique() for c in people if c.kind != "date-of-birth")
    return Finding(Kind.NAMED_PERSON, table.location, table.visibility.seen,
                   f"{count} people named in their public role ({reason}): a table of officials, not of the people a "
                   "file may disclose", "tables", evidence=_evidence(table, classes), visibility=table.visibility.value)


def _sample_values(data: pl.DataFrame, c: ColumnClass) -> list[str]:
    return data[data.columns[c.index]].drop_nulls().head(_SAMPLE).to_list()


def classify_columns(data: pl.DataFrame, layout: Layout, header_known: bool = False,
                     few_enough: bool = False) -> list[ColumnClass]:
    """Classify every non-empty column of the data rows (a sample of at most 4,000 values each)."""
    out = []
    sample = data if data.height <= _SAMPLE * 2 else pl.concat([data.head(_SAMPLE), data.sample(_SAMPLE, seed=0)])
    for i, name in enumerate(data.columns):
        values = [v for v in sample[name].to_list() if v is not None]
        if not values:
            continue
        header = layout.headers[i] if i < len(layout.headers) else None
        out.append(classify(i, header, values, header_known, few_enough))
    return out


def _header_is_a_person(layout: Layout, identifying: list[ColumnClass]) -> bool:
    heads = [layout.headers[c.index] if c.index < len(layout.headers) else None for c in identifying
             if c.kind in ("person-name", "surname", "given-name")]
    return bool(heads) and all(h is not None and _reads_as_a_name(h, 0.6) for h in heads)


def _describe(table: Table, c: ColumnClass) -> str:
    label = table.column_label(c.index)
    label = label if label.startswith("column") else f"column {label}"
    head = f" '{_quoted_header(c.header)}'" if c.header and c.header not in label else ""
    return f"{label}{head} ({KIND_WORDS.get(c.kind, c.kind.replace('-', ' '))})"


def _quoted_header(header: str) -> str:
    """A header as findings quote it. One that reads as a person's name (a row of data taken for the header) is
    masked: Veil's own report must not name anyone."""
    return mask(header) if _reads_as_a_name(header, 0.5) else header


def _reads_as_a_name(header: str, at_least: float) -> bool:
    """A 'header' that is no header word and looks like a person's name: a row of data taken for the header."""
    return header_class(header) is None and names.name_likeness(header) >= at_least


def _range(table: Table, layout: Layout, data: pl.DataFrame) -> str:
    first = table.first_row_number + (layout.header_row if layout.header_row is not None else layout.data_start)
    last = table.first_row_number + layout.data_start + data.height - 1
    if table.column_labels:
        return f"{table.column_label(0)}{first}:{table.column_label(table.n_cols - 1)}{last}"
    # Delimited tables already name their rows in the location; saying it twice only adds noise.
    return "" if table.location.startswith("rows ") else f"rows {first}-{last}"


def _key_columns(identifying: list[ColumnClass]) -> list[ColumnClass]:
    for kind in _KEY_PRIORITY:
        for c in identifying:
            if c.kind == kind:
                return [c]
    named = [c for c in identifying if c.kind in ("person-name", "surname", "given-name")]
    dob = [c for c in identifying if c.kind == "date-of-birth"]
    return named + dob[:1] if named else dob[:1]


def _normalised(col: str) -> pl.Expr:
    return pl.col(col).str.to_lowercase().str.replace_all(r"[^\p{L}\p{N}]+", "")


def _person_keys(data: pl.DataFrame, keys: list[ColumnClass]) -> pl.Series:
    cols = [data.columns[c.index] for c in keys]
    expr = pl.concat_str([_normalised(c).fill_null("") for c in cols], separator="\x1f")
    keyed = data.select(expr.alias("k"), pl.any_horizontal([pl.col(c).is_not_null() for c in cols]).alias("has"))
    return keyed.filter(pl.col("has"))["k"].hash(seed=7)


def _name_list(table: Table, layout: Layout, data: pl.DataFrame, classes: list[ColumnClass],
               identifying: list[ColumnClass], policy: Policy) -> list[Finding]:
    """A column of names and nothing else is not record-level by the rule (no attribute), but being on a list an
    agency keeps (detained, applied, affected) is itself the attribute: a person must look at it."""
    first = data[data.columns[identifying[0].index]][0] if data.height else None
    if layout.header_row is None and header_class(first) is not None:  # one column: the header was not told apart
        data = data.slice(1)
        layout = replace(layout, header_row=layout.data_start, data_start=layout.data_start + 1)
    keys = _key_columns(identifying)
    all_keys = KeySeries(_person_keys(data, keys))
    people = len(all_keys)
    seen, visibility = _where_seen(table, identifying)
    # A name someone hid (a hidden sheet or column) needs a look however few there are, as in prose.
    if people < (policy.name_list_min_people if seen else 1):
        return []
    location = f"{table.location} {_range(table, layout, data)}".strip()
    return [Finding(
        Kind.NAME_LIST, location, seen,
        f"a list of {people} people's names with nothing else beside them ({_describe(table, identifying[0])}): "
        f"being on the list may itself disclose something about them" + ("" if seen else f" [{visibility}]"),
        "tables", evidence=_evidence(table, classes), samples=_samples(data, identifying[0]), visibility=visibility,
        person_keys=all_keys)]


def _where_seen(table: Table, identifying: list[ColumnClass]) -> tuple[bool, str]:
    """Whether a reader of the table sees who the people are, and the visibility to report: a visible sheet whose
    identifying columns are all hidden hides them."""
    if table.visibility.seen and {c.index for c in identifying} <= set(table.hidden_columns):
        return False, Visibility.HIDDEN_COLUMN.value
    return table.visibility.seen, table.visibility.value


def _evidence(table: Table, classes: list[ColumnClass]) -> tuple[str, ...]:
    return tuple(f"{_describe(table, c)}: {'; '.join(c.evidence)}" for c in classes if c.kind != "empty")


def _samples(data: pl.DataFrame, column: ColumnClass) -> tuple[str, ...]:
    return mask_all(data[data.columns[column.index]].drop_nulls().head(20).to_list(), 3)


def _record_level(table: Table, layout: Layout, data: pl.DataFrame, classes: list[ColumnClass],
                  identifying: list[ColumnClass]) -> list[Finding]:
    keys = _key_columns(identifying)
    hidden_data_rows = {r - layout.data_start for r in table.hidden_rows if r >= layout.data_start}
    mask = pl.Series("hidden", [i in hidden_data_rows for i in range(data.height)]) if hidden_data_rows else None
    all_keys = KeySeries(_person_keys(data, keys))
    persons = len(all_keys)
    evidence = _evidence(table, classes)
    first_ident = next((c for c in identifying if c.kind in ("person-name", "surname")), identifying[0])
    ident_text = ", ".join(_describe(table, c) for c in identifying)
    others = [c for c in classes if not c.identifying and c.kind not in ("empty", "text", "number")]
    other_text = f"; with {', '.join(_describe(table, c) for c in others[:6])}" if others else ""
    location = f"{table.location} {_range(table, layout, data)}".strip()
    seen, visibility = _where_seen(table, identifying)
    findings: list[Finding] = []
    if mask is None or not seen:
        findings.append(Finding(
            Kind.RECORD_LEVEL, location, seen,
            f"record-level personal data: {persons} {'person' if persons == 1 else 'people'} in {data.height} rows; "
            f"identified by {ident_text}{other_text}" + ("" if seen else f" [{visibility}]"),
            "tables", evidence=evidence, samples=_samples(data, first_ident), visibility=visibility,
            person_keys=all_keys))
        return findings
    # Some rows are hidden: report the visible and the hidden people separately, so the reviewer sees both.
    visible_data = data.filter(~mask)
    hidden_data = data.filter(mask)
    for part, is_seen, vis in ((visible_data, True, table.visibility.value),
                               (hidden_data, False, Visibility.HIDDEN_ROW.value)):
        part_keys = KeySeries(_person_keys(part, keys))
        n = len(part_keys)
        if n == 0:
            continue
        findings.append(Finding(
            Kind.RECORD_LEVEL, location, is_seen,
            f"record-level personal data: {n} {'person' if n == 1 else 'people'} in {part.height} "
            f"{'visible' if is_seen else 'hidden'} rows; identified by {ident_text}{other_text}",
            "tables", evidence=evidence,
            samples=_samples(part, first_ident),
            visibility=vis, person_keys=part_keys))
    return findings


def _microdata(table: Table, layout: Layout, data: pl.DataFrame, classes: list[ColumnClass],
               policy: Policy) -> list[Finding]:
    quasi = [c for c in classes if c.kind in QUASI_IDENTIFIERS]
    specific = [c for c in quasi if c.kind in PERSON_SPECIFIC]
    counts = [c for c in classes if c.kind == "number" and _is_count_column(data, c)]
    if not specific or len(quasi) < 2 or counts or data.height < 3:
        return []
    cols = [data.columns[c.index] for c in quasi]
    subset = data.select(cols).filter(pl.any_horizontal([pl.col(c).is_not_null() for c in cols]))
    unique_share = subset.is_unique().sum() / subset.height if subset.height else 0.0
    location = f"{table.location} {_range(table, layout, data)}".strip()
    return [Finding(
        Kind.MICRODATA, location, table.visibility.seen,
        f"rows are people without direct identifiers ({data.height} rows; quasi-identifiers "
        f"{', '.join(_describe(table, c) for c in quasi)}); {unique_share:.0%} of rows are unique on them "
        "(k=1): needs a disclosure-risk review",
        "tables", evidence=tuple(f"{_describe(table, c)}: {'; '.join(c.evidence)}" for c in quasi),
        visibility=table.visibility.value)]


def _is_count_column(data: pl.DataFrame, c: ColumnClass) -> bool:
    """A column of whole numbers that is not a measure (age, year, rate...): the table counts people, so its rows
    are groups, not people (tidy aggregate tables: dimensions + one count column)."""
    if c.header and NOT_COUNT_WORDS.search(c.header) and not _COUNT_HEADER.search(c.header):
        return False
    values = data[data.columns[c.index]].drop_nulls().head(_SAMPLE)
    if values.len() == 0:
        return False
    whole = values.str.contains(r"^\s*-?[\d,]+(\.0+)?\s*$").mean()
    return bool(whole is not None and float(whole) >= 0.95)  # type: ignore[arg-type]


def _stray_identifiers(table: Table, data: pl.DataFrame, layout: Layout) -> list[Finding]:
    """A-numbers and SSNs in cells of a table that is otherwise not about people (a note, a stray cell)."""
    hits: list[tuple[int, int, str]] = []
    for i, name in enumerate(data.columns):
        col = data[name]
        found = data.select(pl.arg_where(col.str.contains(_A_NUMBER_RX) | col.str.contains(_SSN_RX))).to_series()
        in_column = 0
        for r in found.to_list():
            value = col[r]
            tokens = re.findall(r"A\s?[#-]?\s?[\d\s-]{8,13}|\d{3}-\d{2}-\d{4}", value)
            if any(a_number(t.strip()) or valid_ssn(t.strip()) for t in tokens):
                hits.append((r, i, value))
                in_column += 1
                if in_column == _STRAY_PER_COLUMN:
                    break  # enough to block; look-alikes before them (invalid SSNs) must not use up the count
    if not hits:
        return []
    from veil.masking import person_key

    cells = tuple(table.cell_ref(layout.data_start + r, i) for r, i, _ in hits)
    return [Finding(Kind.IDENTIFIER_IN_TEXT, table.location, table.visibility.seen,
                    f"{len(hits)} cell(s) hold an A-number or SSN", "tables",
                    samples=mask_all([v for _, _, v in hits], 3), cells=cells[:50], visibility=table.visibility.value,
                    person_keys=frozenset(person_key(v) for _, _, v in hits))]


def _prose_cells(table: Table, data: pl.DataFrame, layout: Layout) -> list[Finding]:
    """Long free-text cells (notes, narratives) go through the free-text detector, each distinct text once. Past
    the per-table budget the rest is not read, and the table is unverifiable: unread notes are never a pass."""
    from veil.detectors.text import analyse_text

    findings: list[Finding] = []
    budget = _PROSE_CELLS
    for i, name in enumerate(data.columns):
        long = (data.select(pl.col(name).alias("text"), pl.int_range(pl.len()).alias("row"))
                .filter(pl.col("text").str.len_chars() > _PROSE_CHARS)
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
            findings.extend(analyse_text(Text(f"{table.location} {ref}", table.visibility, text)))
    return findings
