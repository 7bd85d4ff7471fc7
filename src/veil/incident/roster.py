"""Importing the organisation's roster (system of records extract: CSV, XLSX or Parquet) with a column mapping.

The roster is the agency's own data, read as `veil link` reads it (linkage_roster): Parquet through DuckDB and
CSV without the bounds kept for untrusted files, after a check that it fits in memory.

All or nothing: every row is checked before the first one is written, and the first problem is reported by source
row and column name (never by value). The caller's write transaction holds the insert, so a failure part-way
leaves nothing behind either.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

import polars as pl
from sqlalchemy import select
from sqlalchemy.orm import Session

from veil.incident.events import RosterImported
from veil.incident.linkage_columns import LinkageInputError, PeopleTable, find_columns
from veil.incident.linkage_prepare import anumber, parse_dates
from veil.incident.linkage_roster import read_roster_table
from veil.store.models_incident import IrRoster, IrRosterPerson
from veil.workflow import audit

# Roster fields beyond the linkage ones. Found by header when not mapped.
EXTRA_FIELDS = {
    "facility": ("facility", "detention facility", "location", "centro", "centro de detencion"),
    "language": ("language", "preferred language", "idioma", "lang"),
    "address": ("address", "mailing address", "direccion"),
    "custody": ("in custody", "custody", "detained", "custody status"),
    "attorney": ("attorney", "attorney of record", "counsel", "abogado"),
    "attorney_address": ("attorney address", "counsel address"),
    "group": ("group", "groups", "flight", "flight number", "vuelo"),
}
ROSTER_FIELDS = ("id", "name", "given", "middle", "surname", "surname2", "dob", "nationality", "anumber", *EXTRA_FIELDS)
_YES = {"yes", "y", "true", "1", "si", "sí", "detained", "in custody", "x"}
_LANGS = {"english": "en", "ingles": "en", "inglés": "en", "spanish": "es", "espanol": "es", "español": "es"}


class RosterError(LinkageInputError):
    """A roster that cannot be imported as a whole. The message names a row and a column, never a value."""


def _norm(text: str) -> str:
    return " ".join(text.lower().replace("_", " ").split())


def resolve_mapping(frame: pl.DataFrame, mapping: Mapping[str, str]) -> dict[str, str]:
    """FIELD -> column for every roster field found; `id` must be mapped."""
    unknown = set(mapping) - set(ROSTER_FIELDS)
    if unknown:
        raise RosterError(f"unknown roster field(s) {', '.join(sorted(unknown))} (known: {', '.join(ROSTER_FIELDS)})")
    missing = [f"{f}={c!r}" for f, c in mapping.items() if c not in frame.columns]
    if missing:
        raise RosterError(f"the roster has no column for {', '.join(missing)}")
    if "id" not in mapping:
        raise RosterError("map the roster's person id column with id=COLUMN")
    # The extra fields by header first: a 'Language' or 'Flight' column must not be taken for a linkage field.
    extra: dict[str, str] = {f: mapping[f] for f in EXTRA_FIELDS if f in mapping}
    linkage_map = {f: c for f, c in mapping.items() if f not in ("id", *EXTRA_FIELDS)}
    taken = {mapping["id"], *extra.values(), *linkage_map.values()}
    for field, words in EXTRA_FIELDS.items():
        if field in extra:
            continue
        for column in frame.columns:
            if column not in taken and _norm(column) in words:
                extra[field] = column
                taken.add(column)
                break
    found = {"id": mapping["id"], **find_columns(frame, linkage_map, exclude=(mapping["id"], *extra.values())), **extra}
    if not ({"name", "given", "surname"} & found.keys()):
        raise RosterError("the roster has no name column (map one with name=, given= or surname=)")
    if "dob" not in found and "anumber" not in found:
        raise RosterError("the roster has no date-of-birth or A-number column (map one with dob= or anumber=)")
    return found


def _text(cols: dict[str, str], field: str) -> pl.Expr:
    if field not in cols:
        return pl.lit("", dtype=pl.String)
    return pl.col(cols[field]).cast(pl.String).fill_null("").str.strip_chars()


def _join(*parts: pl.Expr) -> pl.Expr:
    """The non-empty parts joined by a space."""
    return pl.concat_str([pl.when(p != "").then(p) for p in parts], separator=" ", ignore_nulls=True).fill_null("")


def _first(where: pl.Series) -> int:
    return int(where.arg_true()[0])


ROW_COLUMNS = (
    "ref",
    "given",
    "surname",
    "dob",
    "nationality",
    "anumber",
    "facility",
    "language",
    "address",
    "in_custody",
    "attorney",
    "attorney_address",
    "groups",
)


def build_rows(table: PeopleTable, mapping: Mapping[str, str]) -> tuple[pl.DataFrame, dict[str, str]]:
    """Checked roster rows ready to insert (the columns of `ROW_COLUMNS`, `groups` as the cell's text), computed
    column by column. Raises RosterError at the first bad row."""
    frame = table.frame
    cols = resolve_mapping(frame, mapping)
    first = table.first_row
    ids = frame.select(_text(cols, "id")).to_series()
    if bool((empty := ids == "").any()):
        raise RosterError(f"row {first + _first(empty)}, column {cols['id']!r}: the person id is empty")
    if bool((long := ids.str.len_chars() > 100).any()):
        raise RosterError(
            f"row {first + _first(long)}, column {cols['id']!r}: the person id is longer than 100 characters"
        )
    if bool(ids.is_duplicated().any()):
        again = _first(~ids.is_first_distinct())
        earlier = _first(ids == ids[again])
        raise RosterError(f"row {first + again}, column {cols['id']!r}: the person id repeats row {first + earlier}")
    dobs = pl.Series("dob", [None] * frame.height, dtype=pl.Date)
    if "dob" in cols:
        parsed = parse_dates(frame[cols["dob"]])
        if parsed.unreadable:
            row = first + (parsed.first_unreadable_row or 0)
            raise RosterError(
                f"row {row}, column {cols['dob']!r}: not a readable date of birth "
                f"({parsed.unreadable:,} such value(s) in the roster)"
            )
        dobs = parsed.dob.cast(pl.Date).alias("dob")
    anums = pl.Series("anumber", [""] * frame.height, dtype=pl.String)
    if "anumber" in cols:
        raw = frame[cols["anumber"]].cast(pl.String)
        norm = pl.select(anumber(pl.lit(raw))).to_series()
        bad = raw.str.strip_chars().ne("").fill_null(False) & norm.is_null()
        if bool(bad.any()):
            raise RosterError(f"row {first + _first(bad)}, column {cols['anumber']!r}: not an A-number (7 to 9 digits)")
        anums = norm.fill_null("").alias("anumber")
    full = _text(cols, "name").str.replace_all(r"\s+", " ")
    has_comma = full.str.contains(",", literal=True)
    comma = full.str.splitn(",", 2)
    words = full.str.split(" ")
    given = _join(_text(cols, "given"), _text(cols, "middle"))
    surname = _join(_text(cols, "surname"), _text(cols, "surname2"))
    whole = (given == "") & (surname == "")  # only a full name: 'LAST, FIRST' or 'First Last'
    lang = _text(cols, "language").str.to_lowercase()
    out = frame.select(
        ref=pl.lit(ids),
        given=pl.when(~whole)
        .then(given)
        .when(has_comma)
        .then(comma.struct.field("field_1").str.strip_chars())
        .otherwise(words.list.head(words.list.len() - 1).list.join(" ")),
        surname=pl.when(~whole)
        .then(surname)
        .when(has_comma)
        .then(comma.struct.field("field_0").str.strip_chars())
        .otherwise(words.list.last()),
        dob=pl.lit(dobs),
        nationality=_text(cols, "nationality").str.slice(0, 100),
        anumber=pl.lit(anums),
        facility=_text(cols, "facility").str.slice(0, 200),
        language=pl.when(lang == "").then(pl.lit("en")).otherwise(lang.replace(_LANGS).str.slice(0, 10)),
        address=_text(cols, "address"),
        in_custody=_text(cols, "custody").str.to_lowercase().is_in(sorted(_YES)),
        attorney=_text(cols, "attorney").str.slice(0, 200),
        attorney_address=_text(cols, "attorney_address"),
        groups=_text(cols, "group"),
    ).with_columns(
        pl.col("given").fill_null("").str.strip_chars().str.slice(0, 200),
        pl.col("surname").fill_null("").str.strip_chars().str.slice(0, 200),
    )
    nameless = (out["given"] == "") & (out["surname"] == "")
    if bool(nameless.any()):
        raise RosterError(f"row {first + _first(nameless)}: the name is empty")
    return out, cols


def _groups_json(raw: pl.Series) -> pl.Series:
    """The group cells ('FL123; FL124') as the JSON lists stored, encoded once per distinct value."""

    def encode(value: str) -> str:
        return json.dumps([x.strip() for x in value.replace(";", ",").split(",") if x.strip()], ensure_ascii=False)

    distinct = raw.unique().to_list()
    return raw.replace_strict(dict(zip(distinct, map(encode, distinct), strict=True)), return_dtype=pl.String)


def _bulk_insert(session: Session, roster_id: int, rows: pl.DataFrame, chunk: int = 20_000) -> None:
    """Insert the checked rows with the driver's executemany, in chunks, in the caller's transaction. The ORM's
    per-row work (parameter processing, JSON encoding) was most of an import's time; here every value is given
    as its column type stores it."""
    conn = session.connection()
    frame = rows.with_columns(
        pl.lit(roster_id, dtype=pl.Int64).alias("roster_id"), _groups_json(rows["groups"]).alias("groups")
    )
    if conn.dialect.name == "sqlite":  # what SQLAlchemy's Date and Boolean store in SQLite
        frame = frame.with_columns(pl.col("dob").dt.strftime("%Y-%m-%d"), pl.col("in_custody").cast(pl.Int8))
    names = ("roster_id", *ROW_COLUMNS)
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"INSERT INTO {IrRosterPerson.__tablename__} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"
    frame = frame.select(names)
    for start in range(0, frame.height, chunk):
        conn.exec_driver_sql(sql, frame.slice(start, chunk).rows())


def import_roster(
    session: Session, path: str | Path, mapping: Mapping[str, str], actor: str, sheet: str | None = None
) -> IrRoster:
    """Read, check and store a roster file in the caller's transaction. Raises RosterError (nothing written)."""
    p = Path(path)
    try:
        table = read_roster_table(p, sheet)
    except RosterError:
        raise
    except LinkageInputError as exc:
        raise RosterError(str(exc)) from None
    with p.open("rb") as fh:  # hashed as it is read: a roster of millions need not be in memory twice
        sha = hashlib.file_digest(fh, "sha256").hexdigest()
    return _store(session, table, mapping, actor, p.name, sha)


def import_roster_frame(
    session: Session, frame: pl.DataFrame, name: str, mapping: Mapping[str, str], actor: str
) -> IrRoster:
    """A roster from a data frame, e.g. a database table: `pl.read_database("SELECT ...", engine)`. Every column
    is read as text; row numbers in messages count the first data row as 1."""
    text = frame.select(
        pl.col(c).cast(pl.String)
        if frame.schema[c] not in (pl.Date, pl.Datetime)
        else pl.col(c).dt.strftime("%Y-%m-%d")
        for c in frame.columns
    )
    digest = hashlib.sha256(text.write_csv().encode("utf-8")).hexdigest()
    return _store(session, PeopleTable(text, name, first_row=1), mapping, actor, name, digest)


def _store(
    session: Session, table: PeopleTable, mapping: Mapping[str, str], actor: str, name: str, sha: str
) -> IrRoster:
    if table.frame.height == 0:
        raise RosterError(f"the roster {name} has no data rows")
    rows, cols = build_rows(table, mapping)
    roster = IrRoster(name=name[:300], sha256=sha, rows=rows.height, mapping=cols)
    session.add(roster)
    session.flush()
    _bulk_insert(session, roster.id, rows)
    audit.append(session, RosterImported(actor=actor, roster_id=roster.id, sha256=sha, rows=rows.height))
    return roster


# The linkage fields of a stored roster, each in a column of its own name (`roster_frame`); the facility only
# when the roster has one.
ROSTER_LINK_FIELDS = ("given", "surname", "dob", "nationality", "anumber", "facility")


def roster_frame(session: Session, roster_id: int) -> pl.DataFrame:
    """The stored roster as the string table linkage wants: pid (database id), given, surname, dob, nationality,
    anumber, and facility when the roster has one (some person's is not blank). Linkage compares the facility only
    when the exposed file has one too, as `veil link` does with a roster file: a roster imported without one, or
    with it blank throughout, links exactly as before."""
    result = session.execute(
        select(
            IrRosterPerson.id,
            IrRosterPerson.given,
            IrRosterPerson.surname,
            IrRosterPerson.dob,
            IrRosterPerson.nationality,
            IrRosterPerson.anumber,
            IrRosterPerson.facility,
        )
        .where(IrRosterPerson.roster_id == roster_id)
        .order_by(IrRosterPerson.id)
    )
    data = result.all()
    frame = pl.DataFrame(
        {
            "pid": [str(r[0]) for r in data],
            "given": [r[1] for r in data],
            "surname": [r[2] for r in data],
            "dob": [r[3].isoformat() if r[3] else "" for r in data],
            "nationality": [r[4] for r in data],
            "anumber": [r[5] for r in data],
            "facility": [r[6] for r in data],
        },
        schema={c: pl.String for c in ("pid", *ROSTER_LINK_FIELDS)},
    )
    if not bool(frame["facility"].fill_null("").str.strip_chars().ne("").any()):
        frame = frame.drop("facility")
    return frame


def roster_link_mapping(frame: pl.DataFrame) -> dict[str, str]:
    """FIELD -> column of a `roster_frame` table, for `linkage.link`."""
    return {f: f for f in ROSTER_LINK_FIELDS if f in frame.columns}
