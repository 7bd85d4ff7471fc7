"""Normalisation of person fields before linkage, vectorised with polars so a million-row roster takes seconds.

Every record becomes the same small set of columns, whatever the source looked like:

    name_key     folded name tokens, sorted and joined ("garcia jose lopez"): swapped order compares equal
    name_toks    the folded tokens as a list (accents gone, particles like "de"/"la" and initials dropped)
    name_canon   the canonical spelling of each token (linkage_names: Mohamed -> muhammad, Zheng -> cheng)
    name_ckey    the canonical tokens sorted and joined: the same name in another spelling or romanisation
    name_ph      a romanisation-tolerant skeleton of each canonical token (Mohammed/Muhammad -> mhmt)
    ph_key       the skeletons sorted and joined: how common a name's sound is (term frequency of a romanisation)
    ph_lo/ph_hi  the alphabetically first and last skeletons: blocking keys that survive one dropped surname
    dob          the birth date; dob_swap the same date with day and month exchanged (None when that is no date)
    birth_year
    anum         the A-number as 9 digits
    nat          nationality folded to an ISO-3166 alpha-3 code when known, else the folded text
    fac          the detention facility's distinctive words ("krome north" for "KROME NORTH SERVICE PROCESSING
                 CENTER"), null when the record set has no facility column or the cell is blank
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from veil.incident.linkage_names import canonical_lists, contexts

# Letters that NFKD does not decompose into base letter + mark.
_EXTRA_FOLD = {"ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "æ": "ae", "Æ": "AE",
               "œ": "oe", "Œ": "OE", "ı": "i", "ð": "d", "þ": "th", "’": "'", "ʼ": "'", "`": "'"}

_PARTICLES = ["de", "del", "la", "las", "los", "y", "da", "das", "do", "dos", "di", "du", "van", "von", "der", "den",
              "le", "e"]
_HAN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])")


def _to_latin(values: pl.Series) -> pl.Series:
    """Names in another script in Latin letters (anyascii); Han characters one syllable a token."""
    from anyascii import anyascii

    return values.map_elements(lambda v: anyascii(_HAN.sub(r" \1 ", v)), return_dtype=pl.String)


def fold_text(expr: pl.Expr) -> pl.Expr:
    """Lower-case ASCII: accents stripped, other scripts transliterated (anyascii), anything else removed."""
    out = expr.str.replace_many(list(_EXTRA_FOLD), list(_EXTRA_FOLD.values()))
    out = out.str.normalize("NFKD").str.replace_all(r"\p{M}", "").str.to_lowercase()
    out = out.map_batches(_latin_batch, return_dtype=pl.String).str.to_lowercase()
    return out.str.replace_all(r"[^a-z0-9' \-,]", " ")


def _latin_batch(values: pl.Series) -> pl.Series:
    # Most values are ASCII already: only the others go through the transliteration, once per distinct value.
    other = values.str.contains(r"[^\x00-\x7f]").fill_null(False)
    if not bool(other.any()):
        return values
    where = other.arg_true()
    return values.scatter(where, by_distinct(values.gather(where), _to_latin))


def by_distinct(values: pl.Series, fn: Callable[[pl.Series], pl.Series]) -> pl.Series:
    """Apply `fn` once per distinct value: birth dates, nationalities and IDs repeat a lot in a large roster."""
    distinct = values.unique()
    table = pl.DataFrame({"v": distinct, "out": fn(distinct)})
    return values.to_frame("v").join(table, on="v", how="left", nulls_equal=True,
                                     maintain_order="left")["out"]


def name_tokens(expr: pl.Expr) -> pl.Expr:
    """Folded name tokens: 'al'/'el' glued to the next word, particles and single letters dropped."""
    # Arabic articles and 'Abdel'/'Abu' compounds are written joined, hyphenated or apart: join them.
    folded = (fold_text(expr).str.replace_all(r"\b([ae]l|ul)[\s\-]+", "al")
              .str.replace_all(r"\b(abd[aeu]?l?|abu)[\s\-]+", "$1")).str.replace_all(r"'", "")
    toks = folded.str.replace_all(r"[^a-z]+", " ").str.strip_chars().str.split(" ")
    return toks.list.eval(pl.element().filter((pl.element().str.len_chars() > 1) & ~pl.element().is_in(_PARTICLES)))


# --- dates -----------------------------------------------------------------------------------------------------

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12, "ene": 1, "abr": 4, "ago": 8, "set": 9, "dic": 12, "enero": 1, "febrero": 2,
    "marzo": 3, "abril": 4, "mayo": 5, "junio": 6, "julio": 7, "agosto": 8, "septiembre": 9, "setiembre": 9,
    "octubre": 10, "noviembre": 11, "diciembre": 12,
}
_EXCEL_EPOCH_DAYS = -25569  # 1899-12-30 relative to 1970-01-01 (Excel's 1900 system, leap-year bug included)


@dataclass
class DateParse:
    """Parsed dates of one column and how many non-empty values could not be read (with the first such row)."""

    dob: pl.Series
    unreadable: int = 0
    first_unreadable_row: int | None = None
    day_first: bool = False
    notes: list[str] = field(default_factory=list)


def _numeric_order(values: pl.Series) -> bool:
    """Whether a column of a/b/yyyy dates is day-first: a first part above 12 anywhere says so."""
    parts = values.str.extract_groups(r"^\s*(\d{1,2})[/\-](\d{1,2})[/\-](\d{2,4})")
    first = parts.struct.field("1").cast(pl.Int32, strict=False)
    second = parts.struct.field("2").cast(pl.Int32, strict=False)
    day_first_votes = int((first > 12).sum() or 0)
    month_first_votes = int((second > 12).sum() or 0)
    return day_first_votes > month_first_votes


def parse_dates(values: pl.Series, day_first: bool | None = None) -> DateParse:
    """Birth dates from mixed text: ISO, a/b/yyyy (column-wide order), dd.mm.yyyy, yyyymmdd, Excel serials,
    '12 Mar 1985', 'March 12, 1985', '12 de marzo de 1985'. Unreadable values become null and are counted."""
    text = values.cast(pl.String).str.strip_chars().str.to_lowercase()
    if day_first is None:
        day_first = _numeric_order(text.unique())
    dob = by_distinct(text, lambda distinct: _parse_distinct(distinct, day_first))
    bad = ~(text.is_null() | (text == "")) & dob.is_null()
    n_bad = int(bad.sum() or 0)
    first_bad = int(bad.arg_true()[0]) if n_bad else None
    return DateParse(dob, n_bad, first_bad, day_first)


def _parse_distinct(text: pl.Series, day_first: bool) -> pl.Series:
    frame = pl.DataFrame({"t": text})
    month_names = "|".join(sorted(_MONTHS, key=len, reverse=True))
    iso = pl.col("t").str.extract_groups(r"^(\d{4})[\-/.](\d{1,2})[\-/.](\d{1,2})(?:[ t].*)?$")
    num = pl.col("t").str.extract_groups(r"^(\d{1,2})[/\-](\d{1,2})[/\-](\d{2,4})(?:[ t].*)?$")
    dotted = pl.col("t").str.extract_groups(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")  # always day.month.year
    compact = pl.col("t").str.extract_groups(r"^(\d{4})(\d{2})(\d{2})$")
    dmy_name = pl.col("t").str.extract_groups(rf"^(\d{{1,2}})(?:\s+de)?[\s\-/]+({month_names})[a-z]*\.?(?:\s+de)?"
                                              r"[\s\-/,]+(\d{4})$")
    mdy_name = pl.col("t").str.extract_groups(rf"^({month_names})[a-z]*\.?\s+(\d{{1,2}}),?\s+(\d{{4}})$")
    serial = pl.col("t").str.extract(r"^(\d{4,5})(?:\.0+)?$").cast(pl.Int64, strict=False)

    def two_digit_year(e: pl.Expr) -> pl.Expr:
        y = e.cast(pl.Int32, strict=False)
        return pl.when(y < 100).then(pl.when(y <= 30).then(y + 2000).otherwise(y + 1900)).otherwise(y)

    a = num.struct.field("1").cast(pl.Int32, strict=False)
    b = num.struct.field("2").cast(pl.Int32, strict=False)
    parts = frame.select(
        y=pl.coalesce(iso.struct.field("1").cast(pl.Int32, strict=False),
                      dotted.struct.field("3").cast(pl.Int32, strict=False), two_digit_year(num.struct.field("3")),
                      compact.struct.field("1").cast(pl.Int32, strict=False),
                      dmy_name.struct.field("3").cast(pl.Int32, strict=False),
                      mdy_name.struct.field("3").cast(pl.Int32, strict=False)),
        m=pl.coalesce(iso.struct.field("2").cast(pl.Int32, strict=False),
                      dotted.struct.field("2").cast(pl.Int32, strict=False), b if day_first else a,
                      compact.struct.field("2").cast(pl.Int32, strict=False),
                      dmy_name.struct.field("2").replace_strict(_MONTHS, default=None, return_dtype=pl.Int32),
                      mdy_name.struct.field("1").replace_strict(_MONTHS, default=None, return_dtype=pl.Int32)),
        d=pl.coalesce(iso.struct.field("3").cast(pl.Int32, strict=False),
                      dotted.struct.field("1").cast(pl.Int32, strict=False), a if day_first else b,
                      compact.struct.field("3").cast(pl.Int32, strict=False),
                      dmy_name.struct.field("1").cast(pl.Int32, strict=False),
                      mdy_name.struct.field("2").cast(pl.Int32, strict=False)),
        serial=serial,
    )
    ymd = pl.format("{}-{}-{}", pl.col("y"), pl.col("m"), pl.col("d")).str.to_date("%Y-%m-%d", strict=False)
    # Excel serials only in a plausible birth range (1900..2100 spans 1..73415), never a 4-digit year alone.
    from_serial = (pl.when(pl.col("serial") > 2000).then(pl.col("serial") + _EXCEL_EPOCH_DAYS)
                   .cast(pl.Int32).cast(pl.Date))
    out = parts.select(dob=pl.coalesce(ymd, from_serial))
    return out.select(
        dob=pl.when((pl.col("dob").dt.year() >= 1900) & (pl.col("dob").dt.year() <= 2030)).then(pl.col("dob"))
    )["dob"]


def swapped(dob: pl.Expr) -> pl.Expr:
    """The same date with day and month exchanged, null when that is not a different valid date."""
    day, month = dob.dt.day(), dob.dt.month()
    return (pl.when((day <= 12) & (day != month))
            .then(pl.date(dob.dt.year(), day, month)))


# --- identifiers and nationality ---------------------------------------------------------------------------------

def anumber(expr: pl.Expr) -> pl.Expr:
    """A-number digits left-padded to 9, null unless 7 to 9 digits remain (an 'A' prefix, dashes, spaces dropped)."""
    digits = expr.cast(pl.String).str.replace(r"\.0+$", "").str.replace_all(r"[^0-9]", "")
    return pl.when(digits.str.len_chars().is_between(7, 9)).then(digits.str.zfill(9))


_COUNTRIES: dict[str, tuple[str, ...]] = {
    "MEX": ("mexico", "mexican", "mexicano", "mexicana", "mx"),
    "GTM": ("guatemala", "guatemalan", "guatemalteco", "guatemalteca", "gt"),
    "HND": ("honduras", "honduran", "hondureno", "hondurena", "hn"),
    "SLV": ("el salvador", "salvador", "salvadoran", "salvadoreno", "salvadorena", "sv"),
    "NIC": ("nicaragua", "nicaraguan", "nicaraguense", "ni"),
    "CUB": ("cuba", "cuban", "cubano", "cubana", "cu"),
    "HTI": ("haiti", "haitian", "haitiano", "haitiana", "ht"),
    "VEN": ("venezuela", "venezuelan", "venezolano", "venezolana", "ve"),
    "COL": ("colombia", "colombian", "colombiano", "colombiana", "co"),
    "ECU": ("ecuador", "ecuadorian", "ecuatoriano", "ecuatoriana", "ec"),
    "PER": ("peru", "peruvian", "peruano", "peruana", "pe"),
    "BRA": ("brazil", "brasil", "brazilian", "brasileno", "br"),
    "DOM": ("dominican republic", "republica dominicana", "dominican", "dominicano", "do"),
    "RUS": ("russia", "russian federation", "russian", "rusia", "ruso", "rusa", "ru"),
    "UKR": ("ukraine", "ukrainian", "ucrania", "ucraniano", "ua"),
    "UZB": ("uzbekistan", "uzbek", "uz"),
    "KAZ": ("kazakhstan", "kazakh", "kz"),
    "GEO": ("georgia", "georgian", "ge"),
    "CHN": ("china", "chinese", "chino", "china (prc)", "people's republic of china", "prc", "cn"),
    "IND": ("india", "indian", "in"),
    "AFG": ("afghanistan", "afghan", "afganistan", "af"),
    "SYR": ("syria", "syrian arab republic", "syrian", "siria", "sy"),
    "IRQ": ("iraq", "iraqi", "irak", "iq"),
    "YEM": ("yemen", "yemeni", "ye"),
    "EGY": ("egypt", "egyptian", "egipto", "eg"),
    "SDN": ("sudan", "sudanese", "sd"),
    "MAR": ("morocco", "moroccan", "marruecos", "ma"),
    "SOM": ("somalia", "somali", "so"),
    "ERI": ("eritrea", "eritrean", "er"),
    "ETH": ("ethiopia", "ethiopian", "et"),
    "TUR": ("turkey", "turkiye", "turkish", "turquia", "tr"),
    "IRN": ("iran", "iranian", "ir"),
    "PAK": ("pakistan", "pakistani", "pk"),
    "BGD": ("bangladesh", "bangladeshi", "bd"),
    "NPL": ("nepal", "nepali", "np"),
    "TWN": ("taiwan", "taiwanese", "republic of china", "tw"),
    "HKG": ("hong kong", "hong kong sar", "hk"),
    "MAC": ("macau", "macao", "mo"),
    "SGP": ("singapore", "singaporean", "sg"),
    "JOR": ("jordan", "jordanian", "jo"),
    "LBN": ("lebanon", "lebanese", "lb"),
    "LBY": ("libya", "libyan", "ly"),
    "TUN": ("tunisia", "tunisian", "tn"),
    "DZA": ("algeria", "algerian", "dz"),
    "PSE": ("palestine", "palestinian", "ps"),
    "SAU": ("saudi arabia", "saudi", "sa"),
    "MRT": ("mauritania", "mauritanian", "mr"),
    "BLR": ("belarus", "belarusian", "by"),
    "KGZ": ("kyrgyzstan", "kyrgyz", "kg"),
    "TJK": ("tajikistan", "tajik", "tj"),
    "TKM": ("turkmenistan", "turkmen", "tm"),
    "MDA": ("moldova", "moldovan", "md"),
    "ARM": ("armenia", "armenian", "am"),
    "AZE": ("azerbaijan", "azerbaijani", "az"),
    "USA": ("united states", "united states of america", "usa", "us", "estados unidos"),
}
_COUNTRY_LOOKUP = {alias: code for code, aliases in _COUNTRIES.items() for alias in (*aliases, code.lower())}


# --- facility ------------------------------------------------------------------------------------------------------

# Words that say what kind of place a facility is, not which one: a file writes "Krome SPC", the roster "Krome North
# Service Processing Center", a clerk "KROME". Dropping them leaves the place name both sides share. Nothing more
# (no table of facility initialisms): a name written only as initials ("KNSPC") stays a disagreement, which the
# comparison's m allows for as it allows for transfers.
_FACILITY_KIND = (
    "ice", "ero", "dhs", "ipc", "spc", "cdf", "dc", "pc", "ipf", "service", "processing", "proc", "center", "centre",
    "ctr", "cntr", "detention", "det", "facility", "fac", "contract", "correctional", "the", "of", "centro", "de",
    "del", "detencion", "procesamiento", "servicio", "instalacion",
)
_FACILITY_KIND_RE = r"\b(?:" + "|".join(_FACILITY_KIND) + r")\b"
_FACILITY_UNKNOWN = ["", "unknown", "unk", "n a", "na", "none", "not known", "desconocido", "sin dato", "tbd"]


def facility(expr: pl.Expr) -> pl.Expr:
    """The facility's distinctive words: folded (case, accents), punctuation gone, the kind-of-place words dropped
    (_FACILITY_KIND); null when nothing is left or the cell says it is unknown."""
    folded = fold_text(expr).str.replace_all(r"[^a-z0-9 ]+", " ").str.replace_all(r"\s+", " ").str.strip_chars()
    words = (folded.str.replace_all(r"\bco\b", "county").str.replace_all(_FACILITY_KIND_RE, " ")
             .str.replace_all(r"\s+", " ").str.strip_chars())
    return pl.when(folded.is_in(_FACILITY_UNKNOWN) | (words == "")).then(None).otherwise(words)


_UNKNOWN = ["", "unknown", "unk", "n a", "na", "none", "other", "not known", "stateless", "desconocido",
            "desconocida", "sin dato", "xxx", "zzz"]


def nationality(expr: pl.Expr) -> pl.Expr:
    """An ISO alpha-3 code for the common origin countries (names in English or Spanish, codes), else the text."""
    folded = fold_text(expr).str.replace_all(r"[^a-z ()']+", " ").str.replace_all(r"\s+", " ").str.strip_chars()
    return (pl.when(folded.is_in(_UNKNOWN)).then(None)
            .otherwise(folded.replace_strict(_COUNTRY_LOOKUP, default=folded, return_dtype=pl.String)))


# --- one record set ------------------------------------------------------------------------------------------------

NAME_FIELDS = ("name", "given", "middle", "surname", "surname2")
# Optional fields: compared only when both record sets have them (linkage.prepare_exposed, linkage_model.comparisons).
OPTIONAL_FIELDS = ("facility",)
FIELDS = (*NAME_FIELDS, "dob", "nationality", "anumber", *OPTIONAL_FIELDS)


def full_name_expr(mapping: dict[str, str]) -> pl.Expr:
    """One name string from either a full-name column or given/middle/surname parts (in that order)."""
    if "name" in mapping:
        # 'LAST, FIRST' becomes 'FIRST LAST' so the first token is the given name where a comma says so.
        col = pl.col(mapping["name"]).cast(pl.String)
        return (pl.when(col.str.count_matches(",") == 1)
                .then(pl.concat_str([col.str.split_exact(",", 1).struct.field("field_1"),
                                     col.str.split_exact(",", 1).struct.field("field_0")], separator=" "))
                .otherwise(col))
    parts = [pl.col(mapping[f]).cast(pl.String).fill_null("") for f in ("given", "middle", "surname", "surname2")
             if f in mapping]
    return pl.concat_str(parts, separator=" ")


def prepare(frame: pl.DataFrame, mapping: dict[str, str], ids: pl.Series, day_first: bool | None = None
            ) -> tuple[pl.DataFrame, DateParse | None]:
    """The linkage columns for one record set. `mapping` maps FIELDS to the frame's column names."""
    work = frame.select(
        unique_id=ids,
        _name=full_name_expr(mapping) if any(f in mapping for f in NAME_FIELDS) else pl.lit(None, pl.String),
    )
    dates: DateParse | None = None
    if "dob" in mapping:
        dates = parse_dates(frame[mapping["dob"]], day_first)
        work = work.with_columns(dob=dates.dob)
    else:
        work = work.with_columns(dob=pl.lit(None, pl.Date))
    work = work.with_columns(
        # A-numbers are nearly all distinct: normalised directly, not once per distinct value.
        anum=anumber(pl.lit(frame[mapping["anumber"]])) if "anumber" in mapping else pl.lit(None, pl.String),
        nat=by_distinct(frame[mapping["nationality"]].cast(pl.String),
                        lambda v: pl.select(nationality(pl.lit(v))).to_series()) if "nationality" in mapping
        else pl.lit(None, pl.String),
        fac=by_distinct(frame[mapping["facility"]].cast(pl.String),
                        lambda v: pl.select(facility(pl.lit(v))).to_series()) if "facility" in mapping
        else pl.lit(None, pl.String),
        name_toks=name_tokens(pl.col("_name")),
    )
    work = work.with_columns(
        name_toks=pl.when(pl.col("name_toks").list.len() > 0).then(pl.col("name_toks")),
    )
    ctx = contexts(work["nat"], work["name_toks"])
    # A Chinese given name written with a hyphen (Taiwanese passports: Hsiu-ying) is one name: glue it, as the
    # same name written in one word. Elsewhere a hyphen joins two names (Garcia-Lopez) and stays a break.
    hyphened = (ctx == "chinese") & work["_name"].str.contains(r"\p{L}-\p{L}").fill_null(False)
    if bool(hyphened.any()):
        glued = work.select(name_tokens(pl.col("_name").str.replace_all(r"(\p{L})-(\p{L})", "$1$2")))
        work = work.with_columns(name_toks=pl.when(hyphened).then(glued.to_series()).otherwise(pl.col("name_toks")))
    canon, ph = canonical_lists(work["name_toks"], ctx)
    work = work.with_columns(name_canon=canon, name_ph=ph).with_columns(
        name_key=pl.col("name_toks").list.sort().list.join(" "),
        name_ckey=pl.col("name_canon").list.sort().list.join(" "),
        ph_key=pl.col("name_ph").list.sort().list.join(" "),
        ph_lo=pl.col("name_ph").list.min(),
        ph_hi=pl.col("name_ph").list.max(),
        dob_swap=swapped(pl.col("dob")),
        birth_year=pl.col("dob").dt.year(),
        birth_month=pl.col("dob").dt.month(),
    )
    return work.drop("_name"), dates


def token_count_ok(value: str) -> bool:
    """Whether a raw value has at least one alphabetic token of two letters (used for column finding)."""
    return bool(re.search(r"[^\W\d_]{2}", value))
