"""Reading a people table (CSV, XLSX, Parquet) and finding its name, birth-date, nationality and A-number columns.

A small private finder: English and Spanish header words first, value shapes when the header says nothing.
When the core column classifiers (`veil.detectors.columns`) settle, `find_columns` should defer to them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from veil.errors import UsageError, VeilError
from veil.incident.linkage_prepare import FIELDS, anumber, nationality, parse_dates, token_count_ok


class LinkageInputError(VeilError):
    """A table to link cannot be read or does not hold what linkage needs. The message names no personal value."""


@dataclass
class PeopleTable:
    """A table of people: every column a string, the header row already removed.

    `first_row` is the source row number of the frame's first row (1-based, header rows counted), for messages.
    """

    frame: pl.DataFrame
    source: str
    first_row: int = 2


# --- reading -------------------------------------------------------------------------------------------------------

_HEADER_SCAN_ROWS = 25


def read_people_table(path: str | Path, sheet: str | None = None, what: str = "file") -> PeopleTable:
    """Read CSV, XLSX or Parquet by content. Raises LinkageInputError with a one-line reason when it cannot."""
    p = Path(path)
    try:
        with p.open("rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise LinkageInputError(f"cannot open the {what} {p.name}: {exc.strerror or type(exc).__name__}") from None
    try:
        if head.startswith(b"PAR1"):
            return _read_parquet(p)
        if head.startswith(b"PK\x03\x04"):
            return _read_xlsx(p, sheet, what)
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise LinkageInputError(f"the {what} {p.name} is a legacy binary Office file; save it as XLSX or CSV")
        return _read_csv(p, what)
    except LinkageInputError:
        raise
    except Exception as exc:  # noqa: BLE001 - any library failure becomes a one-line reason without values
        raise LinkageInputError(f"cannot read the {what} {p.name}: {type(exc).__name__}") from None


def _read_parquet(p: Path) -> PeopleTable:
    frame = pl.read_parquet(p)
    frame = frame.select(_as_text(pl.col(c), frame.schema[c]).alias(c) for c in frame.columns)
    return PeopleTable(frame, p.name, first_row=1)


def _as_text(expr: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.Date or isinstance(dtype, pl.Datetime):
        return expr.dt.strftime("%Y-%m-%d")
    return expr.cast(pl.String)


def _read_csv(p: Path, what: str) -> PeopleTable:
    raw = p.read_bytes()
    if b"\x00" in raw[:4096] and not raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise LinkageInputError(f"the {what} {p.name} is not a CSV, XLSX or Parquet file")
    text = _decode(raw)
    sample = text[:65536]
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    grid = pl.read_csv(io.StringIO(text), has_header=False, infer_schema=False, separator=delimiter,
                       truncate_ragged_lines=True, quote_char='"')
    return _with_header(grid, p.name, what)


def _decode(raw: bytes) -> str:
    for encoding in ("utf-8-sig", "utf-16") if raw.startswith((b"\xff\xfe", b"\xfe\xff")) else ("utf-8-sig",):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("cp1252", errors="replace")


def _read_xlsx(p: Path, sheet: str | None, what: str) -> PeopleTable:
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(p))
    names = [m.name for m in book.sheets_metadata if sheet is not None or str(m.visible).lower().endswith("visible")]
    if sheet is not None and sheet not in names:
        raise LinkageInputError(f"the {what} {p.name} has no sheet named {sheet!r}")
    candidates = [sheet] if sheet is not None else names
    for name in candidates:
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        if not rows:
            continue
        width = max(len(r) for r in rows)
        grid = pl.DataFrame({f"c{i}": [_cell(r[i]) if i < len(r) else None for r in rows] for i in range(width)},
                            schema={f"c{i}": pl.String for i in range(width)})
        try:
            return _with_header(grid, f"{p.name} sheet {name!r}", what)
        except LinkageInputError:
            if sheet is not None:
                raise
    raise LinkageInputError(f"the {what} {p.name} has no visible sheet with a header row")


def _cell(value: object) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _with_header(grid: pl.DataFrame, source: str, what: str) -> PeopleTable:
    """Find the header row (titles above it are skipped) and name the columns after it."""
    head = grid.head(_HEADER_SCAN_ROWS).rows()
    for index, row in enumerate(head):
        cells = [c.strip() if isinstance(c, str) else "" for c in row]
        filled = [c for c in cells if c]
        if len(filled) < 2 or sum(_is_header_word(c) for c in filled) < max(2, len(filled) // 2):
            continue
        names = _unique_names(cells)
        frame = grid.slice(index + 1).rename(dict(zip(grid.columns, names, strict=True)))
        frame = frame.select([c for c, n in zip(frame.columns, cells, strict=True) if n])
        # Blank rows stay (they are no person): row numbers must keep pointing at the source rows.
        return PeopleTable(_trim_trailing_blank(frame), source, first_row=index + 2)
    raise LinkageInputError(f"no header row found in the {what} {source}")


def _trim_trailing_blank(frame: pl.DataFrame) -> pl.DataFrame:
    filled = ~pl.all_horizontal(pl.all().is_null() | (pl.all().str.strip_chars() == ""))
    last = frame.select(filled.arg_true().max()).item() if frame.height and frame.width else None
    return frame.head(last + 1) if last is not None else frame.clear()


def _is_header_word(cell: str) -> bool:
    # A header cell is short text, not a number or a date.
    return len(cell) <= 60 and not re.fullmatch(r"[\d\s/.\-:+]+", cell) and token_count_ok(cell)


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
}


def _norm_header(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = folded.replace("#", " # ").replace("a #", "a#")
    return re.sub(r"[^a-z0-9#]+", " ", folded).strip()


def _header_field(header: str) -> str | None:
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
