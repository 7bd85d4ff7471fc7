"""Importing the organisation's roster (system of records extract: CSV, XLSX or Parquet) with a column mapping.

All or nothing: every row is checked before the first one is written, and the first problem is reported by source
row and column name (never by value). The caller's write transaction holds the insert, so a failure part-way
leaves nothing behind either.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from pathlib import Path

import polars as pl
from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from veil.incident.events import RosterImported
from veil.incident.linkage_columns import LinkageInputError, PeopleTable, find_columns, read_people_table
from veil.incident.linkage_prepare import anumber, parse_dates
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
ROSTER_FIELDS = ("id", "name", "given", "middle", "surname", "surname2", "dob", "nationality", "anumber",
                 *EXTRA_FIELDS)
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
    found = {"id": mapping["id"], **find_columns(frame, linkage_map, exclude=(mapping["id"], *extra.values())),
             **extra}
    if not ({"name", "given", "surname"} & found.keys()):
        raise RosterError("the roster has no name column (map one with name=, given= or surname=)")
    if "dob" not in found and "anumber" not in found:
        raise RosterError("the roster has no date-of-birth or A-number column (map one with dob= or anumber=)")
    return found


def _text(frame: pl.DataFrame, cols: dict[str, str], field: str) -> list[str]:
    if field not in cols:
        return [""] * frame.height
    return [(v or "").strip() for v in frame[cols[field]].cast(pl.String).to_list()]


def build_rows(table: PeopleTable, mapping: Mapping[str, str]) -> tuple[list[dict[str, object]], dict[str, str]]:
    """Checked roster rows ready to insert. Raises RosterError at the first bad row."""
    frame = table.frame
    cols = resolve_mapping(frame, mapping)
    first = table.first_row
    ids = _text(frame, cols, "id")
    seen: dict[str, int] = {}
    for i, ref in enumerate(ids):
        if not ref:
            raise RosterError(f"row {first + i}, column {cols['id']!r}: the person id is empty")
        if len(ref) > 100:
            raise RosterError(f"row {first + i}, column {cols['id']!r}: the person id is longer than 100 characters")
        if ref in seen:
            raise RosterError(f"row {first + i}, column {cols['id']!r}: the person id repeats row {seen[ref]}")
        seen[ref] = first + i
    dobs: list[dt.date | None] = [None] * frame.height
    if "dob" in cols:
        parsed = parse_dates(frame[cols["dob"]])
        if parsed.unreadable:
            row = first + (parsed.first_unreadable_row or 0)
            raise RosterError(f"row {row}, column {cols['dob']!r}: not a readable date of birth "
                              f"({parsed.unreadable:,} such value(s) in the roster)")
        dobs = parsed.dob.to_list()
    anums = [""] * frame.height
    if "anumber" in cols:
        raw = frame[cols["anumber"]].cast(pl.String)
        norm = pl.select(anumber(pl.lit(raw))).to_series()
        bad = raw.str.strip_chars().ne("").fill_null(False) & norm.is_null()
        if bool(bad.any()):
            row = first + int(bad.arg_true()[0])
            raise RosterError(f"row {row}, column {cols['anumber']!r}: not an A-number (7 to 9 digits)")
        anums = [v or "" for v in norm.to_list()]
    text = {f: _text(frame, cols, f) for f in ("given", "middle", "surname", "surname2", "name", "custody",
                                               "language", "group", "nationality", "facility", "address",
                                               "attorney", "attorney_address")}
    rows: list[dict[str, object]] = []
    for i in range(frame.height):
        g = " ".join(p for p in (text["given"][i], text["middle"][i]) if p)
        s = " ".join(p for p in (text["surname"][i], text["surname2"][i]) if p)
        if not g and not s:
            g, s = _split_full(text["name"][i])
        if not g and not s:
            raise RosterError(f"row {first + i}: the name is empty")
        lang = text["language"][i].lower()
        rows.append({
            "ref": ids[i], "given": g[:200], "surname": s[:200], "dob": dobs[i],
            "nationality": text["nationality"][i][:100], "anumber": anums[i],
            "facility": text["facility"][i][:200], "language": _LANGS.get(lang, lang[:10] or "en"),
            "address": text["address"][i], "in_custody": text["custody"][i].lower() in _YES,
            "attorney": text["attorney"][i][:200], "attorney_address": text["attorney_address"][i],
            "groups": [x.strip() for x in text["group"][i].replace(";", ",").split(",") if x.strip()],
        })
    return rows, cols


def _split_full(name: str) -> tuple[str, str]:
    """'LAST, FIRST' or 'First Last' into (given, surname)."""
    if "," in name:
        last, _, first = name.partition(",")
        return first.strip(), last.strip()
    parts = name.split()
    return (" ".join(parts[:-1]), parts[-1]) if len(parts) > 1 else ("", name.strip())


def import_roster(session: Session, path: str | Path, mapping: Mapping[str, str], actor: str,
                  sheet: str | None = None) -> IrRoster:
    """Read, check and store a roster file in the caller's transaction. Raises RosterError (nothing written)."""
    p = Path(path)
    try:
        table = read_people_table(p, sheet, what="roster", only_table=True)
    except RosterError:
        raise
    except LinkageInputError as exc:
        raise RosterError(str(exc)) from None
    return _store(session, table, mapping, actor, p.name, hashlib.sha256(p.read_bytes()).hexdigest())


def import_roster_frame(session: Session, frame: pl.DataFrame, name: str, mapping: Mapping[str, str],
                        actor: str) -> IrRoster:
    """A roster from a data frame, e.g. a database table: `pl.read_database("SELECT ...", engine)`. Every column
    is read as text; row numbers in messages count the first data row as 1."""
    text = frame.select(pl.col(c).cast(pl.String) if frame.schema[c] not in (pl.Date, pl.Datetime)
                        else pl.col(c).dt.strftime("%Y-%m-%d") for c in frame.columns)
    digest = hashlib.sha256(text.write_csv().encode("utf-8")).hexdigest()
    return _store(session, PeopleTable(text, name, first_row=1), mapping, actor, name, digest)


def _store(session: Session, table: PeopleTable, mapping: Mapping[str, str], actor: str, name: str,
           sha: str) -> IrRoster:
    if table.frame.height == 0:
        raise RosterError(f"the roster {name} has no data rows")
    rows, cols = build_rows(table, mapping)
    roster = IrRoster(name=name[:300], sha256=sha, rows=len(rows), mapping=cols)
    session.add(roster)
    session.flush()
    for start in range(0, len(rows), 5000):
        session.execute(insert(IrRosterPerson), [{**r, "roster_id": roster.id} for r in rows[start:start + 5000]])
    audit.append(session, RosterImported(actor=actor, roster_id=roster.id, sha256=sha, rows=len(rows)))
    return roster


def roster_frame(session: Session, roster_id: int) -> pl.DataFrame:
    """The stored roster as the string table linkage wants: pid (database id), given, surname, dob, nationality,
    anumber."""
    result = session.execute(select(IrRosterPerson.id, IrRosterPerson.given, IrRosterPerson.surname,
                                    IrRosterPerson.dob, IrRosterPerson.nationality, IrRosterPerson.anumber)
                             .where(IrRosterPerson.roster_id == roster_id).order_by(IrRosterPerson.id))
    data = result.all()
    return pl.DataFrame({
        "pid": [str(r[0]) for r in data],
        "given": [r[1] for r in data],
        "surname": [r[2] for r in data],
        "dob": [r[3].isoformat() if r[3] else "" for r in data],
        "nationality": [r[4] for r in data],
        "anumber": [r[5] for r in data],
    }, schema={c: pl.String for c in ("pid", "given", "surname", "dob", "nationality", "anumber")})


ROSTER_LINK_MAPPING = {"given": "given", "surname": "surname", "dob": "dob", "nationality": "nationality",
                       "anumber": "anumber"}
