"""One identity per person, whatever part of a file names them, so `persons` counts each person once.

A person is identified by an A-number, SSN or passport number where one is known; else by their name and date of
birth; else by their name. A name's form is its words folded (lower case, no accents) and sorted, so `GARCIA,
JOSE` and `José García` are one person. The same forms are made in polars for tables (a million rows at once) and
in Python for prose, and hashed alike, with a seed drawn from the process's masking key: the keys never leave the
process, and no key is a raw value.

When the people of a file are counted, a person known by name and birth date (or by name alone) who is also known by
an identifier elsewhere in the file (another row, a table and a letter about them) is counted once."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence, Set
from dataclasses import dataclass
from functools import cached_property
from typing import TypeVar

import polars as pl

from veil.detectors.identifiers import parse_date
from veil.masking import person_key

_S = TypeVar("_S")
# How a person was identified, in the order one is preferred to the other.
BY_ID, BY_NAME_AND_BIRTH, BY_NAME, BY_OTHER = 0, 1, 2, 3
BASIS_WORDS = {BY_ID: "by identifier", BY_NAME_AND_BIRTH: "by name + birth date", BY_NAME: "by name",
               BY_OTHER: "by the other identifying columns"}
_SEED = int(person_key("veil people seed")[:15], 16)
_WORD = re.compile(r"[^\W_]+")
_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%d/%m/%Y", "%m-%d-%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %b %Y", "%d %B %Y",
                 "%b %d, %Y", "%B %d, %Y")
_ID_PREFIX = {"ssn": "s", "passport": "p"}


# ------------------------------------------------------------------------------------------------ forms, in Python
def name_form(*parts: str | None) -> str:
    """A name's words, lower case, accents removed, sorted: 'GARCIA, José' and 'Jose Garcia' give one form."""
    text = " ".join(p for p in parts if p)
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    return " ".join(sorted(_WORD.findall(folded)))


def id_form(kind: str, value: str) -> str:
    """An identifier's form: an A-number's nine digits, zero-filled; an SSN's digits after 's'; a passport's letters
    and digits after 'p'. (A-numbers, by far the most numerous, have no prefix to make: a million rows count.)"""
    if kind == "passport":
        return "p" + "".join(_WORD.findall(value)).upper()
    if kind not in _ID_PREFIX and kind != "a-number":  # a plugin's or a policy's identifier: its letters and digits
        return f"{kind}:" + "".join(_WORD.findall(value)).upper()
    digits = re.sub(r"\D", "", value)
    return digits.zfill(9) if kind == "a-number" else _ID_PREFIX[kind] + digits


def birth_form(value: str) -> str | None:
    parsed = parse_date(value)
    digits = re.sub(r"\D", "", value)
    return parsed.isoformat() if parsed else digits if len(digits) >= 4 else None


def _hash(forms: Sequence[str | None]) -> pl.Series:
    return pl.Series(forms, dtype=pl.String).hash(_SEED)


# ------------------------------------------------------------------------------------------------ forms, in polars
def name_expr(columns: Sequence[str]) -> pl.Expr:
    joined = pl.concat_str([pl.col(c).fill_null("") for c in columns], separator=" ")
    words = (joined.str.to_lowercase().str.normalize("NFKD").str.replace_all(r"\p{M}", "")
             .str.extract_all(r"[\p{L}\p{N}]+").list.sort().list.join(" "))
    return pl.when(words != "").then(words)


def id_expr(kind: str, column: str) -> pl.Expr:
    cell = pl.col(column)
    if kind == "passport":
        return pl.lit("p") + cell.str.replace_all(r"[^\p{L}\p{N}]", "").str.to_uppercase()
    if kind not in _ID_PREFIX and kind != "a-number":
        return pl.lit(f"{kind}:") + cell.str.replace_all(r"[^\p{L}\p{N}]", "").str.to_uppercase()
    digits = cell.str.replace_all(r"\D", "")
    if kind == "a-number":
        return digits.str.zfill(9).replace("000000000", None)  # no digits at all: no A-number
    return pl.when(digits != "").then(pl.lit(_ID_PREFIX[kind]) + digits)


def birth_expr(column: str) -> pl.Expr:
    cell = pl.col(column).str.strip_chars()
    parsed = pl.coalesce([cell.str.to_date(f, strict=False) for f in _DATE_FORMATS]).dt.to_string("%Y-%m-%d")
    digits = cell.str.replace_all(r"\D", "")
    return pl.coalesce(parsed, pl.when(digits.str.len_chars() >= 4).then(digits))


# ------------------------------------------------------------------------------------------------ sets of people
@dataclass(frozen=True)
class Identity:
    """A person as prose names them: an identifier, a name, a birth date (any may be missing)."""

    ident: str | None = None
    name: str | None = None
    birth: str | None = None


class People(Set[int]):
    """The people one finding discloses: rows of their identities (duplicates allowed), each keyed by its
    identifier, else its name + birth date, else its name, with `basis` saying which.

    `source` holds the rows as found (a table's identifying columns, or the forms prose gave); the three
    expressions make each row's identifier, name and birth-date forms from it (null where unknown). A roster keyed
    by A-number never has its names folded unless its people must be merged with another finding's."""

    def __init__(self, source: pl.DataFrame, ident: pl.Expr | None = None, name: pl.Expr | None = None,
                 birth: pl.Expr | None = None) -> None:
        nothing = pl.lit(None, dtype=pl.String)
        self._source = source
        self._ident = (nothing if ident is None else ident).alias("ident")
        self._name = (nothing if name is None else name).alias("name")
        self._birth = (nothing if birth is None else birth).alias("birth")

    @cached_property
    def _keys(self) -> pl.DataFrame:
        """key and basis of every row that identifies someone."""
        ident = self._source.select(self._ident)["ident"]
        known = ident.drop_nulls()
        by_id = pl.DataFrame({"key": known.hash(_SEED),
                              "basis": pl.repeat(BY_ID, known.len(), dtype=pl.UInt8, eager=True)})
        if known.len() == ident.len():
            return by_id
        rest = self._source.filter(ident.is_null()).select(self._name, self._birth)
        name, birth = pl.col("name"), pl.col("birth")
        rest = rest.filter(name.is_not_null() | birth.is_not_null()).select(
            pl.coalesce(pl.concat_str([name, pl.lit("\x1f"), birth]), name, pl.lit("\x1f") + birth)
            .hash(_SEED).alias("key"),
            pl.when(name.is_not_null() & birth.is_not_null()).then(pl.lit(BY_NAME_AND_BIRTH))
            .when(name.is_not_null()).then(pl.lit(BY_NAME)).otherwise(pl.lit(BY_OTHER)).cast(pl.UInt8)
            .alias("basis"))
        return pl.concat([by_id, rest])

    @classmethod
    def of(cls, identities: Iterable[Identity]) -> People:
        rows = [(i.ident, i.name, i.birth) for i in identities]
        source = pl.DataFrame(rows, schema={"ident": pl.String, "name": pl.String, "birth": pl.String}, orient="row")
        return cls(source, pl.col("ident"), pl.col("name"), pl.col("birth"))

    @classmethod
    def of_all(cls, sets: Sequence[People]) -> People:
        """One set of the people of several sets made by `of` (names found in prose, part after part)."""
        sources = [p._source for p in sets if p._source.width]
        if not sources:
            return cls.of([])
        return cls(pl.concat(sources), pl.col("ident"), pl.col("name"), pl.col("birth"))

    def __reduce__(self) -> tuple[object, tuple[pl.DataFrame]]:
        # To a worker's parent: the keys only, not the rows they were made from (a million names).
        return _restored, (self._keys,)

    @cached_property
    def _members(self) -> frozenset[int]:
        return frozenset(self._keys["key"].to_list())

    @cached_property
    def _count(self) -> int:
        return count_people([self])

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[int]:
        return iter(self._members)

    def __contains__(self, key: object) -> bool:
        return key in self._members

    @classmethod
    def _from_iterable(cls, it: Iterable[_S]) -> frozenset[_S]:
        # What set operators (-, &, |) build: a plain frozenset of keys.
        return frozenset(it)

    @cached_property
    def bases(self) -> frozenset[int]:
        return frozenset(self._keys["basis"].unique().to_list())

    def keyed(self) -> pl.DataFrame:
        """key, basis, the name and name + birth date keys of every row (null where unknown), and the name's form."""
        if not self._source.width:  # restored from its keys alone
            return self._keys.with_columns(pl.lit(None, dtype=pl.UInt64).alias("by_name"),
                                           pl.lit(None, dtype=pl.UInt64).alias("by_birth"),
                                           pl.lit(None, dtype=pl.String).alias("name"))
        forms = self._source.select(self._ident, self._name, self._birth)
        ident, name, birth = pl.col("ident"), pl.col("name"), pl.col("birth")
        with_birth = pl.concat_str([name, pl.lit("\x1f"), birth])  # null unless both are known
        return forms.filter(ident.is_not_null() | name.is_not_null() | birth.is_not_null()).select(
            pl.coalesce(ident, with_birth, name, pl.lit("\x1f") + birth).hash(_SEED).alias("key"),
            pl.when(ident.is_not_null()).then(pl.lit(BY_ID))
            .when(name.is_not_null() & birth.is_not_null()).then(pl.lit(BY_NAME_AND_BIRTH))
            .when(name.is_not_null()).then(pl.lit(BY_NAME)).otherwise(pl.lit(BY_OTHER)).cast(pl.UInt8).alias("basis"),
            pl.when(name.is_not_null()).then(name.hash(_SEED)).alias("by_name"),
            pl.when(with_birth.is_not_null()).then(with_birth.hash(_SEED)).alias("by_birth"), "name")

    def how_counted(self) -> str:
        """'counted by A-number (5,616) and by name + birth date (636)': distinct people per way of identifying."""
        resolved = _resolve([self])
        parts = [f"{BASIS_WORDS[b]} ({n:,})" for b, n in sorted(resolved.items()) if n]
        return "counted " + " and ".join(parts) if parts else "nobody counted"


def _restored(keys: pl.DataFrame) -> People:
    people = People(pl.DataFrame())
    people.__dict__["_keys"] = keys
    return people


def _resolve(sets: Sequence[Set[object]]) -> dict[int, int]:
    """Distinct people per basis, each counted once under the best way they are identified anywhere."""
    people = [s for s in sets if isinstance(s, People)]
    plain = frozenset().union(*(s for s in sets if not isinstance(s, People)))
    bases = frozenset().union(*(p.bases for p in people))
    out: dict[int, int] = {}
    if len(bases) == 1:
        # One way of identifying everyone (a roster keyed by A-number): nothing to merge, and a million keys are
        # counted where they stand.
        keys = [p._keys["key"] for p in people]
        out[next(iter(bases))] = keys[0].n_unique() if len(keys) == 1 else pl.concat(keys).n_unique()
    elif bases:
        rows = pl.concat([p.keyed() for p in people])
        anchors = rows.filter(pl.col("basis") == BY_ID)
        with_birth = rows.filter(pl.col("basis") == BY_NAME_AND_BIRTH)
        with_birth = with_birth.join(anchors.select("by_birth").drop_nulls(), on="by_birth", how="anti")
        with_birth = _surnames_of_others(with_birth, rows)
        named = rows.filter(pl.col("basis") == BY_NAME)
        known = pl.concat([anchors.select("by_name"), with_birth.select("by_name")]).drop_nulls()
        named = _surnames_of_others(named.join(known, on="by_name", how="anti"), rows)
        others = rows.filter(pl.col("basis") == BY_OTHER)
        out = {BY_ID: anchors["key"].n_unique(), BY_NAME_AND_BIRTH: with_birth["key"].n_unique(),
               BY_NAME: named["key"].n_unique(), BY_OTHER: others["key"].n_unique()}
    if plain:
        out[BY_OTHER] = out.get(BY_OTHER, 0) + len(plain)
    return out


def _surnames_of_others(named: pl.DataFrame, rows: pl.DataFrame) -> pl.DataFrame:
    """Drop the people named by one word ('Mr. Villegas') that is a word of exactly one other person's name in the
    file: they are that person."""
    single = named.filter(pl.col("name").is_not_null() & ~pl.col("name").str.contains(" ", literal=True))
    if single.height == 0:
        return named
    words = (rows.filter(pl.col("name").str.contains(" ", literal=True))
             .select("key", pl.col("name").str.split(" ").alias("word")).explode("word")
             .group_by(pl.col("word").hash(_SEED)).agg(pl.col("key").n_unique().alias("holders")))
    taken = single.join(words.filter(pl.col("holders") == 1), left_on="by_name", right_on="word")
    return named.join(taken.select("key"), on="key", how="anti")


def count_people(sets: Sequence[Set[object]]) -> int:
    """Distinct people across the sets of people of several findings (People, or plain sets of keys)."""
    return sum(_resolve(sets).values())
