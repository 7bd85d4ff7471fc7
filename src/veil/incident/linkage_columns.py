"""Reading the tables of people in a file (any format Veil reads) and finding their name, birth-date, nationality,
A-number and (optional) facility columns.

    read_people_tables(path)   every table of people in the file, through Veil's readers (veil.readers) and the
                               header finder `veil check` uses (veil.detectors.layout): CSV/TSV, XLSX/XLS/XLSB/ODS
                               (every sheet, hidden ones too), Parquet, JSON, HTML, PDF and DOCX tables, archives
    read_people_table(path)    the same, as one table: the rows of several people tables one after another
    find_columns(frame)        FIELD -> column, by header words first, then the core column classifier, then shapes

A table "of people" has a name column and a birth-date or A-number column. Statistics sheets have neither and are
passed over, so a workbook of statistics sheets plus one sheet of people needs no `--sheet`. Fail closed: a part of
the file the readers cannot read, or a table read only in part, refuses the file: people in it would be missed.
Messages name the file, masked sheet names, row numbers and column names: never a value.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from veil.detectors.layout import find_layout, stacked_parts
from veil.errors import UsageError, VeilError
from veil.incident.linkage_prepare import FIELDS, anumber, nationality, parse_dates
from veil.masking import mask
from veil.readers.limits import Budget, Limits
from veil.readers.registry import ReadContext, read_blob
from veil.readers.units import Table, Unreadable, Visibility
from veil.shown_names import shown_name


class LinkageInputError(VeilError):
    """A table to link cannot be read or does not hold what linkage needs. The message names no personal value."""


@dataclass(frozen=True)
class TablePart:
    """Where a run of rows of a PeopleTable came from: `start` is its first frame row, `first_row` the source row
    number of that row (1-based, header rows counted), `where` the masked location (e.g. "sheet 3 'D********'")."""

    where: str
    start: int
    rows: int
    first_row: int


@dataclass
class PeopleTable:
    """A table of people: every column a string, the header row already removed.

    `first_row` is the source row number of the frame's first row (1-based, header rows counted), for messages.
    A table gathered from several tables of one file has one `parts` entry per table and `mapping` (FIELD ->
    column) naming its columns; the columns are then the linkage fields themselves.
    """

    frame: pl.DataFrame
    source: str
    first_row: int = 2
    parts: tuple[TablePart, ...] = ()
    mapping: dict[str, str] | None = None
    notes: list[str] = dataclasses.field(default_factory=list)

    def where(self, index: int) -> tuple[str, int]:
        """(masked table location, source row number) of frame row `index` (0-based)."""
        for part in reversed(self.parts):
            if index >= part.start:
                return part.where, part.first_row + index - part.start
        return self.source, self.first_row + index


# --- reading -------------------------------------------------------------------------------------------------------

# A table a reader derives from cells already in a sheet's grid: its people are the grid's people.
_VIEWS = {Visibility.WHITE_TEXT}
_QUOTED = re.compile(r"'([^']*)'")
_SHEET = re.compile(r"^sheet '(?P<name>.*?)'(?: \(|$| cells)")


def mask_location(location: str) -> str:
    """A reader's location with quoted names (sheet names, which may be a person's) masked."""
    return _QUOTED.sub(lambda m: f"'{mask(m.group(1))}'", location)


def read_people_tables(path: str | Path, sheet: str | None = None, what: str = "file",
                       limits: Limits | None = None, only_table: bool = False) -> list[PeopleTable]:
    """Every table of people in the file, in reading order. `sheet` (a sheet name or its 1-based number in the
    workbook) keeps only that sheet. With `only_table`, a file whose one table shows no people columns is returned
    as it is (a roster whose columns the caller maps: its own checks then say what is missing). Raises
    LinkageInputError with a one-line reason when the file cannot be read whole, or holds no table of people."""
    p = Path(path)
    try:
        blob = p.read_bytes()
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise LinkageInputError(f"cannot open the {what} {shown_name(p.name)}: {reason}") from None
    found: list[PeopleTable] = []
    others: list[PeopleTable] = []
    sheets: list[str] = []
    unread: list[str] = []
    for unit in read_blob(blob, ReadContext(name=p.name, budget=Budget(limits or Limits()))):
        if isinstance(unit, Unreadable):
            unread.append(f"{mask_location(unit.location)}: {unit.reason}" if unit.location else unit.reason)
            continue
        if not isinstance(unit, Table) or unit.visibility in _VIEWS:
            continue
        name = _sheet_name(unit.location)
        if name is not None and name not in sheets:
            sheets.append(name)
        if sheet is not None and not _is_sheet(sheet, name, sheets):
            continue
        if unit.total_rows is not None and unit.total_rows > unit.frame.height:
            raise LinkageInputError(f"the {what} {shown_name(p.name)} is too large to read whole "
                                    f"({unit.total_rows:,} rows in {mask_location(unit.location)})")
        number = sheets.index(name) + 1 if name is not None else None
        people = _tables_of_people(unit, p.name, number)
        found += people
        if not people and only_table:
            others += [t for t in [_with_header(unit, p.name, number)] if t is not None]
    if unread:
        more = f" (and {len(unread) - 1} more part(s))" if len(unread) > 1 else ""
        raise LinkageInputError(f"cannot read the {what} {shown_name(p.name)}: {unread[0]}{more}")
    if sheet is not None and not any(_is_sheet(sheet, n, sheets) for n in sheets):
        raise LinkageInputError(f"the {what} {shown_name(p.name)} has no sheet named {sheet!r}")
    if not found and len(others) == 1:
        return others
    if not found:
        where = f" in sheet {sheet!r}" if sheet is not None else ""
        raise LinkageInputError(f"no table of people (a name column and a birth-date or A-number column) found"
                                f"{where} in the {what} {shown_name(p.name)}")
    return found


def read_people_table(path: str | Path, sheet: str | None = None, what: str = "file",
                      limits: Limits | None = None, only_table: bool = False) -> PeopleTable:
    """The file's people as one table: a single table as it is, several gathered (see `gather`)."""
    tables = read_people_tables(path, sheet, what, limits, only_table)
    return tables[0] if len(tables) == 1 else gather(tables, Path(path).name)


def gather(tables: list[PeopleTable], source: str) -> PeopleTable:
    """Several tables of people as one: each table's person columns renamed to the linkage fields, the rows one
    table after another; `parts` says where each table's rows start."""
    frames, parts, start = [], [], 0
    for table in tables:
        cols = find_columns(table.frame)
        # Person columns under the field names; any other column (a roster's id, a facility) keeps its own name.
        renamed = {c: f for f, c in cols.items()}
        frames.append(table.frame.select(pl.col(c).alias(renamed.get(c, c)) for c in table.frame.columns
                                         if c in renamed or c not in FIELDS))
        parts.append(TablePart(table.source, start, table.frame.height, table.first_row))
        start += table.frame.height
    frame = pl.concat(frames, how="diagonal")
    places = ", ".join(p.where for p in parts)
    note = f"{len(tables)} tables of people were read as one ({places})"
    mapping = {f: f for f in FIELDS if f in frame.columns}
    return PeopleTable(frame, source, tables[0].first_row, tuple(parts), mapping, [note])


def _sheet_name(location: str) -> str | None:
    m = _SHEET.match(location)
    return m.group("name") if m else None


def _is_sheet(wanted: str, name: str | None, sheets: list[str]) -> bool:
    if name is None:
        return False
    return wanted == name or (wanted.isdigit() and int(wanted) == sheets.index(name) + 1)


def _tables_of_people(table: Table, file_name: str, sheet_number: int | None) -> list[PeopleTable]:
    """The table with its header applied when it holds people; else the tables stacked in it that do."""
    whole = _with_header(table, file_name, sheet_number)
    if whole is not None and _usable(whole.frame):
        return [whole]
    out = []
    for part in stacked_parts(table):
        found = _with_header(part, file_name, sheet_number)
        if found is not None and _usable(found.frame):
            out.append(found)
    return out


def _with_header(table: Table, file_name: str, sheet_number: int | None) -> PeopleTable | None:
    """The table's data rows named after its header row, found as `veil check` finds it; trailing blank rows go,
    blank rows inside stay (they are no person, and row numbers must keep pointing at the source rows)."""
    layout = find_layout(table)
    names = _unique_names([h.strip() if h and h.strip() else "" for h in layout.headers])
    frame = table.frame.slice(layout.data_start)
    frame = frame.rename(dict(zip(frame.columns, names, strict=True)))
    frame = _trim_trailing_blank(frame.select([c for c in frame.columns if frame[c].is_not_null().any()]))
    if frame.height == 0 or frame.width == 0:
        return None
    where = mask_location(table.location)
    if sheet_number is not None:
        where = f"sheet {sheet_number} {where.removeprefix('sheet ')}"
    first_row = table.first_row_number + layout.data_start
    source = f"{file_name} {where}"
    return PeopleTable(frame, source, first_row, (TablePart(source, 0, frame.height, first_row),))


def _usable(frame: pl.DataFrame) -> bool:
    cols = find_columns(frame)
    return any(f in cols for f in ("name", "given", "surname")) and ("dob" in cols or "anumber" in cols)


def _trim_trailing_blank(frame: pl.DataFrame) -> pl.DataFrame:
    filled = ~pl.all_horizontal(pl.all().is_null() | (pl.all().str.strip_chars() == ""))
    last = frame.select(filled.arg_true().max()).item() if frame.height and frame.width else None
    return frame.head(last + 1) if last is not None else frame.clear()


def _unique_names(cells: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for i, cell in enumerate(cells):
        name = cell or f"column {i + 1}"
        if name in seen:
            seen[name] += 1
            name = f"{name} ({seen[name]})"
        else:
            seen[name] = 1
        out.append(name)
    return out


# --- finding the person columns ------------------------------------------------------------------------------------

_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "anumber": ("a number", "anumber", "a no", "a nbr", "a num", "a#", "alien number", "alien no",
                "alien registration number", "a file number", "a file", "numero a", "numero de extranjero",
                "no de extranjero", "numero ancla"),
    "dob": ("dob", "d o b", "date of birth", "birth date", "birthdate", "birth dt", "born", "fecha de nacimiento",
            "fecha nacimiento", "f nacimiento", "fec nac", "nacimiento", "fnac"),
    "nationality": ("nationality", "citizenship", "country of citizenship", "citizenship country", "country",
                    "nacionalidad", "pais", "pais de origen", "pais de nacionalidad", "country of nationality"),
    "surname2": ("second surname", "second last name", "maternal surname", "maternal last name", "mother s surname",
                 "segundo apellido", "apellido materno"),
    "surname": ("last name", "lastname", "surname", "family name", "apellido", "apellidos", "primer apellido",
                "apellido paterno", "last", "lname", "last nm", "family"),
    "middle": ("middle name", "middle", "segundo nombre"),
    "given": ("first name", "firstname", "given name", "given names", "forename", "forenames", "primer nombre",
              "nombres", "first", "given", "fname", "first nm"),
    "name": ("name", "full name", "fullname", "person", "person name", "nombre", "nombre completo", "detainee name",
             "detainee", "applicant name", "applicant", "subject name", "client name", "beneficiary name"),
    "facility": ("facility", "facility name", "detention facility", "current facility", "detention center",
                 "facility of detention", "detention location", "housing facility", "centro", "centro de detencion",
                 "centro de detencion actual", "instalacion", "lugar de detencion", "establecimiento"),
}
# Headers that name a facility only when no column says so better: "location" may be an address or an office.
_WEAK_HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "facility": ("location", "current location", "ubicacion", "lugar", "site"),
}


def _norm_header(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = folded.replace("#", " # ").replace("a #", "a#")
    return re.sub(r"[^a-z0-9#]+", " ", folded).strip()


def _header_field(header: str) -> str | None:
    if header in FIELDS:  # a table gathered from several (`gather`) names its columns after the fields
        return header
    norm = _norm_header(header)
    for field, words in _HEADER_WORDS.items():
        if norm in words:
            return field
    for field, words in _HEADER_WORDS.items():
        # A longer header that contains a multi-word phrase ("detainee date of birth") still counts.
        if any(" " in w and re.search(rf"\b{re.escape(w)}\b", norm) for w in words):
            return field
    return None


def find_columns(frame: pl.DataFrame, mapping: dict[str, str] | None = None, exclude: tuple[str, ...] = ()
                 ) -> dict[str, str]:
    """FIELD -> column name for the person fields found (explicit `mapping` entries win and are checked)."""
    found: dict[str, str] = {}
    for field, column in (mapping or {}).items():
        if field not in FIELDS:
            raise UsageError(f"unknown field {field!r} in the column mapping (known: {', '.join(FIELDS)})")
        if column not in frame.columns:
            raise UsageError(f"the mapped column {column!r} for {field} is not in the table")
        found[field] = column
    taken = set(found.values()) | set(exclude)
    for column in frame.columns:
        guess = _header_field(column)
        if guess and guess not in found and column not in taken:
            found[guess] = column
            taken.add(column)
    for field, words in _WEAK_HEADER_WORDS.items():
        weak = [c for c in frame.columns if c not in taken and _norm_header(c) in words]
        if field not in found and weak:
            found[field] = weak[0]
            taken.add(weak[0])
    _by_core_classifier(frame, found, taken)
    _by_shape(frame, found, taken)
    if "name" in found and ({"given", "surname"} & found.keys()):
        del found["name"]  # separate parts are better evidence than a generic 'name' column
    return found


_SAMPLE = 500
# Kinds of the core column classifier (veil.detectors.columns) that linkage uses.
_CORE_KINDS = {"person-name": "name", "given-name": "given", "surname": "surname", "date-of-birth": "dob",
               "a-number": "anumber", "nationality": "nationality"}


def _by_core_classifier(frame: pl.DataFrame, found: dict[str, str], taken: set[str]) -> None:
    """Columns the header words did not place, classified by the core detectors (header + values + lexicon)."""
    try:
        from veil.detectors.columns import classify
    except ImportError:  # the core classifier is optional here: the shape rules below still run
        return
    sample = frame.head(_SAMPLE)
    for index, column in enumerate(sample.columns):
        if column in taken:
            continue
        values = [v for v in sample[column].cast(pl.String).to_list() if v]
        field = _CORE_KINDS.get(classify(index, column, values, header_known=True).kind)
        if field and field not in found:
            found[field] = column
            taken.add(column)


def _by_shape(frame: pl.DataFrame, found: dict[str, str], taken: set[str]) -> None:
    """Fill missing fields from value shapes on a sample of each untaken column."""
    sample = frame.head(_SAMPLE)
    for column in sample.columns:
        if column in taken:
            continue
        values = sample[column].cast(pl.String).drop_nulls()
        values = values.filter(values.str.strip_chars() != "")
        if values.len() < 3:
            continue
        if "anumber" not in found and _share(values.str.contains(r"^\s*[aA]?[\s\-#]*\d[\d\s\-]{6,10}\s*$")) > 0.8 \
                and _share(pl.select(anumber(pl.lit(values))).to_series().is_not_null()) > 0.8:
            found["anumber"] = column
        elif "dob" not in found and _share(parse_dates(values).dob.is_not_null()) > 0.8 \
                and not _share(values.str.contains(r"^\d{4,5}$")) > 0.5:
            found["dob"] = column
        elif "nationality" not in found and _share(
                pl.select(nationality(pl.lit(values))).to_series().str.contains(r"^[A-Z]{3}$")) > 0.6:
            found["nationality"] = column
        elif not ({"name", "given", "surname"} & found.keys()) and _share(
                values.str.contains(r"^[^\W\d_]{2,}(?:[\s,'\-.]+[^\W\d_]+)+\.?$")) > 0.8:
            found["name"] = column
        else:
            continue
        taken.add(column)


def _share(mask: pl.Series) -> float:
    mean = mask.cast(pl.Float64).mean()
    return float(mean) if isinstance(mean, (int, float)) else 0.0
