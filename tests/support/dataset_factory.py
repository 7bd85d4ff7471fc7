"""Seeded databases and statistical files: a record-level roster and a genuine aggregate in every dataset format.

Every builder takes the rows from `people()` or `aggregate()` and returns the file's bytes, so each format gets the
same variants: a roster of asylum seekers (names, birth dates, A-numbers, citizenship, a coded claim with value
labels), and counts by country and year that an agency publishes (all counts well above the small-cell threshold).
"""

from __future__ import annotations

import random
import sqlite3
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import pyreadstat
from faker import Faker

COUNTRIES = ("Mexico", "Guatemala", "Honduras", "El Salvador", "Haiti", "Venezuela", "Cuba", "Ecuador")
CLAIMS = {1: "Asylum pending", 2: "Credible fear", 3: "Withholding of removal"}


@dataclass(frozen=True)
class Roster:
    names: list[str]
    births: list[str]
    a_numbers: list[str]
    citizenship: list[str]
    claims: list[int]

    def frame(self) -> pl.DataFrame:
        return pl.DataFrame({"fullname": self.names, "dob": self.births, "anum": self.a_numbers,
                             "ctzn": self.citizenship, "claim": self.claims})


VARIABLE_LABELS = {"fullname": "Full name", "dob": "Date of birth", "anum": "Alien number",
                   "ctzn": "Country of citizenship", "claim": "Asylum claim"}


def people(n: int = 12, seed: int = 0) -> Roster:
    fake = Faker(["en_US", "es_MX"])
    fake.seed_instance(seed)
    rng = random.Random(seed)
    return Roster(
        names=[f"{fake.last_name()}, {fake.first_name()}" for _ in range(n)],
        births=[fake.date_of_birth(minimum_age=18, maximum_age=70).isoformat() for _ in range(n)],
        a_numbers=[f"A{rng.randint(100_000_000, 299_999_999)}" for _ in range(n)],
        citizenship=[rng.choice(COUNTRIES) for _ in range(n)],
        claims=[rng.choice(list(CLAIMS)) for _ in range(n)],
    )


def aggregate(seed: int = 0) -> pl.DataFrame:
    """Book-ins by country of citizenship and fiscal year: the statistics an agency publishes."""
    rng = random.Random(seed)
    rows = [(country, year, rng.randint(60, 40_000)) for country in COUNTRIES for year in (2022, 2023, 2024)]
    return pl.DataFrame(rows, schema=["country", "fy", "bookins"], orient="row")


AGGREGATE_LABELS = {"country": "Country of citizenship", "fy": "Fiscal year", "bookins": "Book-ins"}


# --- SQLite -------------------------------------------------------------------------------------------------------


def sqlite_db(roster: Roster | None = None, stats: pl.DataFrame | None = None, *, extra_sql: str = "") -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data.db"
        connection = sqlite3.connect(path)
        if roster is not None:
            connection.execute("CREATE TABLE detainees (full_name TEXT, date_of_birth TEXT, a_number TEXT, "
                               "citizenship TEXT, claim TEXT)")
            connection.executemany("INSERT INTO detainees VALUES (?, ?, ?, ?, ?)", [
                (n, b, a, c, CLAIMS[k]) for n, b, a, c, k in zip(roster.names, roster.births, roster.a_numbers,
                                                                  roster.citizenship, roster.claims, strict=True)])
        if stats is not None:
            connection.execute("CREATE TABLE book_ins (country TEXT, fy INTEGER, bookins INTEGER)")
            connection.executemany("INSERT INTO book_ins VALUES (?, ?, ?)", stats.rows())
        if extra_sql:
            connection.executescript(extra_sql)
        connection.commit()
        connection.close()
        return path.read_bytes()


# --- SPSS, Stata, SAS ---------------------------------------------------------------------------------------------

STAT_FORMATS = ("sav", "zsav", "por", "dta", "dta-old", "xpt", "xpt-v8", "sas7bdat")


def stat_file(fmt: str, frame: pl.DataFrame, *, labels: dict[str, str] | None = None,
              value_labels: dict[str, dict[int | float, str]] | None = None) -> bytes:
    """The frame written by pyreadstat in `fmt` (see STAT_FORMATS), with variable and value labels where the
    format has them."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "data"
        labels = labels or {}
        value_labels = value_labels or {}
        if fmt in ("sav", "zsav"):
            pyreadstat.write_sav(frame, path, column_labels=labels, variable_value_labels=value_labels,
                                 compress=fmt == "zsav", file_label="Detention data")
        elif fmt == "por":
            pyreadstat.write_por(frame, path, column_labels=labels)
        elif fmt in ("dta", "dta-old"):
            pyreadstat.write_dta(frame, path, column_labels=labels, variable_value_labels=value_labels,
                                 version=15 if fmt == "dta" else 12)
        elif fmt in ("xpt", "xpt-v8"):
            pyreadstat.write_xport(frame, path, column_labels=labels, file_format_version=5 if fmt == "xpt" else 8)
        elif fmt == "sas7bdat":
            pyreadstat.write_sas7bdat(frame, path, column_labels=labels)
        else:
            raise ValueError(fmt)
        return path.read_bytes()


def roster_stat_file(fmt: str, roster: Roster) -> bytes:
    """The roster with short variable names, their meaning only in the variable labels, and the claim coded."""
    frame = roster.frame()
    if fmt in ("por", "xpt", "xpt-v8", "sas7bdat"):  # no value labels in these: the claim is written out
        frame = frame.with_columns(pl.col("claim").replace_strict(CLAIMS, return_dtype=pl.String))
    if fmt in ("por", "xpt"):  # ASCII-only formats
        frame = frame.with_columns(pl.col("fullname").map_elements(_ascii, return_dtype=pl.String))
    return stat_file(fmt, frame, labels=VARIABLE_LABELS, value_labels={"claim": dict(CLAIMS)})


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


# --- Apple Numbers, Arrow -----------------------------------------------------------------------------------------


def numbers_doc(sheets: dict[str, list[list[object]]], *, comment: tuple[int, int, str] | None = None) -> bytes:
    """A Numbers document with one table per sheet (sheet name -> rows, the first row the header)."""
    from numbers_parser import Document

    first = True
    document = None
    for name, rows in sheets.items():
        height, width = max(len(rows), 2), max(len(r) for r in rows)
        if first:
            document = Document(sheet_name=name, table_name=name, num_rows=height, num_cols=width)
            first = False
        else:
            assert document is not None
            document.add_sheet(name, name, num_rows=height, num_cols=width)
        table = document.sheets[name].tables[0]
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.write(r, c, value)
        if comment is not None:
            table.add_comment(comment[0], comment[1], comment[2], author="Case officer")
            comment = None
    assert document is not None
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.numbers"
        document.save(path)
        return path.read_bytes()


def roster_rows(roster: Roster) -> list[list[object]]:
    header: list[object] = ["Name", "Date of birth", "A-Number", "Citizenship", "Claim"]
    return [header] + [[n, b, a, c, CLAIMS[k]] for n, b, a, c, k in zip(
        roster.names, roster.births, roster.a_numbers, roster.citizenship, roster.claims, strict=True)]


def aggregate_rows(frame: pl.DataFrame) -> list[list[object]]:
    return [["Country of citizenship", "Fiscal year", "Book-ins"]] + [list(r) for r in frame.rows()]


def arrow_file(frame: pl.DataFrame, kind: str = "file") -> bytes:
    """Feather v2 / Arrow IPC ("file", "zstd") or an Arrow IPC stream ("stream")."""
    import io

    import pyarrow.feather as feather
    import pyarrow.ipc as ipc

    table = frame.to_arrow()
    out = io.BytesIO()
    if kind == "stream":
        with ipc.new_stream(out, table.schema) as writer:
            writer.write_table(table)
    else:
        feather.write_feather(table, out, compression="zstd" if kind == "zstd" else "uncompressed")
    return out.getvalue()
