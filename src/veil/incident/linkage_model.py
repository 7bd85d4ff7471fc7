"""The Splink model that links exposed people to the roster: blocking rules, comparisons and their parameters.

Splink 5 with the DuckDB backend. Record sets are registered with `DuckDBAPI.register()` and passed to the
`Linker` (Splink 5 no longer accepts data frames directly). u probabilities come from Splink's random sampling over
exposed x a random roster sample; m probabilities are fixed expert values (how often each kind of disagreement
happens between two records of one person in an exposed extract). EM can refine them (`train_m=True`) but on a few
thousand exposed rows it inflated the weak name levels and let decoys through, so it is off by default.
Names are term-frequency adjusted over the whole roster, so a common name counts for less: an exact match by how
common the name is; a dropped name or a typo by how common the full name is, another spelling by how common its
canonical form is, another romanisation by how common its sound skeleton is. The fuzzy levels' frequencies only
lower their weight (u = the larger of the frequency and the level's own u): otherwise Maria Garcia against Maria
Garcia Lopez would outweigh Maria Garcia against Maria Garcia, whose weight the frequency of the name lowers.
The detention facility is compared only when both the exposed file and the roster have one (FACILITY_SAME_M): exact
or not, term-frequency adjusted by the facility's share of the roster, never a blocking key.
"""

from __future__ import annotations

import logging
import re
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

log = logging.getLogger(__name__)

# Columns the model reads (made by linkage_prepare.prepare).
MODEL_COLUMNS = ("unique_id", "name_key", "name_ckey", "name_toks", "name_canon", "name_ph", "ph_key", "ph_lo",
                 "ph_hi", "dob", "dob_swap", "birth_year", "birth_month", "anum", "nat", "fac")
# Columns whose term frequencies over the whole roster adjust a name level (and the facility's, when compared:
# `tf_columns`).
TF_COLUMNS = ("name_key", "name_ckey", "ph_key")

# Thresholds on the match probability of the best candidate.
ACCEPT_PROBABILITY = 0.995
REVIEW_PROBABILITY = 0.003
# An accepted match must beat the runner-up by this many match-weight bits (2^6: 64 times likelier).
ACCEPT_MARGIN_BITS = 6.0
# A candidate with no rival within 2^10 may be accepted from this probability when birth date and name agree.
LONE_ACCEPT_PROBABILITY = 0.5
LONE_ACCEPT_MARGIN_BITS = 10.0
# ... and, whatever the roster's size, when it is the person with this probability given every candidate the
# blocking rules found (linkage.posterior): at least 99 to 1 against all of them and against "someone else".
POSTERIOR_ACCEPT = 0.99
# Share of exposed people in the roster (the prior: each roster record is the person with IN_ROSTER / roster size).
IN_ROSTER = 0.98
# m of an exact and of a day/month-swapped birth date: the blocking rules reach a true record through these.
DOB_EXACT_M = 0.90
DOB_SWAP_M = 0.04
# m of an agreeing facility, when both record sets name one: people are transferred between the exposed file's date
# and the roster's (the roster shows where the person is now), and a facility may be written so that no
# normalisation makes it equal (initials). One in five disagreeing costs a true match log2(0.2 / (1 - u)): about
# 2.3 bits, never enough on its own to take a person out of reach; agreeing on a small facility is worth up to
# log2(0.8 / its share of the roster) bits, on a large one a few.
FACILITY_SAME_M = 0.80
# The weight of "none of the candidates": not in the roster, or in it but out of the blocking's reach (sum of the
# Bayes factors of the records the blocking left out, divided by the roster size: the m they leave uncovered).
NONE_MASS = (1.0 - IN_ROSTER) + IN_ROSTER * (1.0 - DOB_EXACT_M - DOB_SWAP_M)
# The roster size the thresholds were set at. A review row offers every candidate whose evidence would reach
# REVIEW_PROBABILITY against a roster this size: a larger roster lowers every pairwise probability (the prior), not
# the evidence that a candidate may be the person.
REFERENCE_ROSTER = 1_000_000
# Pairs below this are not even kept as a `none` row's best candidates.
PREDICT_FLOOR = 1e-6
# Candidates kept per exposed row, best first (linkage.decide keeps what each decision needs of them).
MAX_PAIRS_PER_ROW = 25

MEMORY_LIMIT = "3GB"
THREADS = 2
U_SAMPLE_PAIRS = 3e5
U_SAMPLE_ROWS = 100_000


class DuckDBSql:
    """The few SQL functions the comparisons need, in DuckDB's dialect. The model (levels, m and u, blocking
    rules, thresholds) is the same on every engine; an engine brings its own dialect object with these methods
    (a Spark one would use transform/array_max and the jaro_winkler UDF Splink registers from its jar)."""

    name = "duckdb"

    def monge_elkan(self, col: str, agg: str) -> str:
        """Soft token-set similarity: every token of the shorter name against its best Jaro-Winkler partner."""
        def side(short: str, long: str) -> str:
            return (f"{agg}(list_transform({short}, lambda x: list_max(list_transform({long}, "
                    f"lambda y: jaro_winkler_similarity(x, y)))))")

        left, right = f'"{col}_l"', f'"{col}_r"'
        return f"(CASE WHEN len({left}) <= len({right}) THEN {side(left, right)} ELSE {side(right, left)} END)"

    def shorter(self, col: str) -> str:
        return f'least(len("{col}_l"), len("{col}_r"))'

    def subset(self, col: str) -> str:
        """Every token of the shorter list is in the longer one (a name written twice with one token counts)."""
        left, right = f'"{col}_l"', f'"{col}_r"'
        return (f"(CASE WHEN len({left}) <= len({right}) THEN list_has_all({right}, {left}) "
                f"ELSE list_has_all({left}, {right}) END)")

    def shares(self, col: str) -> str:
        return f'len(list_intersect("{col}_l", "{col}_r")) >= 1'

    def days_apart(self, col: str) -> str:
        return f'abs(date_diff(\'day\', "{col}_l", "{col}_r"))'


DUCKDB_SQL = DuckDBSql()


class SparkSql(DuckDBSql):
    """The same functions in Spark SQL: lists are arrays, names are quoted with backticks. Monge-Elkan is one
    function the Spark engine registers (`veil.spark.similarity`): DuckDB's Jaro-Winkler in Python, since the
    `jaro_winkler` in Splink's jar halves transpositions differently and would move names across a threshold."""

    name = "spark"

    def monge_elkan(self, col: str, agg: str) -> str:
        function = "veil_monge_elkan_min" if agg == "list_min" else "veil_monge_elkan_avg"
        return f"{function}(`{col}_l`, `{col}_r`)"

    def shorter(self, col: str) -> str:
        return f"least(size(`{col}_l`), size(`{col}_r`))"

    def subset(self, col: str) -> str:
        left, right = f"`{col}_l`", f"`{col}_r`"
        return (f"(CASE WHEN size({left}) <= size({right}) THEN size(array_except({left}, {right})) = 0 "
                f"ELSE size(array_except({right}, {left})) = 0 END)")

    def shares(self, col: str) -> str:
        return f"size(array_intersect(`{col}_l`, `{col}_r`)) >= 1"

    def days_apart(self, col: str) -> str:
        return f"abs(datediff(`{col}_l`, `{col}_r`))"

    @staticmethod
    def quoted(sql: str) -> str:
        """The model's "column" references as Spark's `column` (the model has no double-quoted string)."""
        return re.sub(r'"(\w+)"', r"`\1`", sql)


SPARK_SQL = SparkSql()


@dataclass(frozen=True)
class Level:
    label: str
    sql: str
    m: float
    u: float
    tf_column: str | None = None
    # The term frequency may only lower the level's weight (u = the larger of the frequency and the level's u):
    # for a level that is no exact match on `tf_column`, whose frequency only bounds the chance from below.
    tf_only_weaker: bool = False
    fixed_u: bool = False  # u computed exactly from the data: random sampling must not overwrite it


@dataclass(frozen=True)
class Comparison:
    name: str
    null_sql: str
    levels: tuple[Level, ...]

    def to_splink(self) -> Any:
        import splink.comparison_library as cl

        levels: list[Any] = [
            {"sql_condition": self.null_sql, "label_for_charts": "missing", "is_null_level": True}]
        for lvl in self.levels:
            item: dict[str, Any] = {"sql_condition": lvl.sql, "label_for_charts": lvl.label,
                                    "m_probability": lvl.m, "u_probability": lvl.u}
            if lvl.fixed_u:
                item["fix_u_probability"] = True
            if lvl.tf_column:
                item["tf_adjustment_column"] = lvl.tf_column
                item["tf_adjustment_weight"] = 1.0
            if lvl.tf_only_weaker:
                item["disable_tf_exact_match_detection"] = True
                item["tf_minimum_u_value"] = lvl.u
            levels.append(item)
        return cl.CustomComparison(levels, output_column_name=self.name)


def agreement_chance(exposed: pl.Series, roster: pl.Series) -> float | None:
    """P(a random exposed x roster pair agrees on this value), both values present: sum_v p_exposed(v) p_roster(v).

    Exact where random sampling of a few hundred thousand pairs sees a 1-in-25,000 event only a dozen times."""
    left = exposed.drop_nulls().value_counts(name="n_l")
    right = roster.drop_nulls().value_counts(name="n_r")
    n_l, n_r = int(left["n_l"].sum() or 0), int(right["n_r"].sum() or 0)
    both = left.join(right, left_on=left.columns[0], right_on=right.columns[0], how="inner")
    return chance_from_counts(n_l, n_r, float((both["n_l"].cast(pl.Float64) * both["n_r"].cast(pl.Float64)).sum()))


def chance_from_counts(n_l: int, n_r: int, agreeing_pairs: float) -> float | None:
    """`agreement_chance` from its counts (an engine that counts the roster's values where the roster lives)."""
    if not n_l or not n_r:
        return None
    agree = agreeing_pairs / (n_l * n_r)
    # Never 0 or 1: a one-person roster agrees with everyone or no one, and Splink needs a level to be possible.
    return min(max(agree, 1.0 / (n_l * n_r)), 1.0 - 1e-6)


def comparisons(roster_size: int, exposed: pl.DataFrame | None = None, roster: pl.DataFrame | None = None,
                sql: DuckDBSql = DUCKDB_SQL, agreement: Callable[[str, str], float | None] | None = None
                ) -> tuple[Comparison, ...]:
    """The comparisons; exact u from `agreement(exposed column, roster column)` when given, else from the frames."""
    one_in_roster = 1.0 / max(roster_size, 1000)
    me, shorter, subset = sql.monge_elkan, sql.shorter, sql.subset

    def exact_u(left: str, right: str, default: float) -> tuple[float, bool]:
        if agreement is None and (exposed is None or roster is None):
            return default, False
        chance = agreement(left, right) if agreement else agreement_chance(exposed[left], roster[right])  # type: ignore[index]
        return (chance, True) if chance else (default, False)

    u_dob, fix_dob = exact_u("dob", "dob", 4e-5)
    u_swap, fix_swap = exact_u("dob", "dob_swap", 4e-5)
    u_anum, fix_anum = exact_u("anum", "anum", one_in_roster)
    u_nat, fix_nat = exact_u("nat", "nat", 0.1)
    # The facility only where both sides name one: else no comparison at all, and the model is exactly as without.
    present = agreement is not None or (exposed is not None and roster is not None and "fac" in exposed.columns
                                        and "fac" in roster.columns)
    u_fac, fix_fac = exact_u("fac", "fac", 0.0) if present else (0.0, False)
    name = Comparison("name", '"name_key_l" IS NULL OR "name_key_r" IS NULL', (
        Level("exact (order ignored)", '"name_key_l" = "name_key_r"', 0.45, 1e-5, tf_column="name_key"),
        # Mohamed El-Sayed = Muhammad Alsayed, Zheng Qiang = Cheng Ch'iang: one name in another spelling.
        Level("other spelling", '"name_ckey_l" = "name_ckey_r"', 0.12, 1e-5, tf_column="name_ckey",
              tf_only_weaker=True),
        # Maria Garcia against Maria Garcia Lopez, or a typo of it: as common as the name itself, never rarer.
        Level("one name dropped", f'{shorter("name_canon")} >= 2 AND {subset("name_canon")}', 0.13, 1e-6,
              tf_column="name_key", tf_only_weaker=True),
        Level("typos", f'{shorter("name_toks")} >= 2 AND {me("name_toks", "list_min")} >= 0.90', 0.09, 1e-5,
              tf_column="name_key", tf_only_weaker=True),
        Level("other romanisation", f'{shorter("name_ph")} >= 2 AND {subset("name_ph")}', 0.10, 1e-5,
              tf_column="ph_key", tf_only_weaker=True),
        Level("similar", f'{me("name_toks", "list_avg")} >= 0.86 OR {me("name_ph", "list_min")} >= 0.80',
              0.06, 1e-3),
        Level("one name shared", sql.shares("name_ph"), 0.02, 0.02),
        Level("weakly similar", f'{me("name_toks", "list_avg")} >= 0.72 OR {me("name_ph", "list_avg")} >= 0.72',
              0.02, 0.01),
        Level("different", "ELSE", 0.01, 0.98),
    ))
    dob = Comparison("dob", '"dob_l" IS NULL OR "dob_r" IS NULL', (
        Level("exact", '"dob_l" = "dob_r"', DOB_EXACT_M, u_dob, fixed_u=fix_dob),
        # Rarer than an exact date and never worth more: only dates with a day up to 12 can be swapped.
        Level("day and month swapped", '"dob_l" = "dob_swap_r"', DOB_SWAP_M, u_swap, fixed_u=fix_swap),
        Level("same year and month", '"birth_year_l" = "birth_year_r" AND "birth_month_l" = "birth_month_r"',
              0.02, 1e-3),
        Level("within a year", f'{sql.days_apart("dob")} <= 366', 0.02, 0.02),
        Level("different", "ELSE", 0.02, 0.98),
    ))
    anum = Comparison("anumber", '"anum_l" IS NULL OR "anum_r" IS NULL', (
        Level("exact", '"anum_l" = "anum_r"', 0.97, u_anum, fixed_u=fix_anum),
        Level("different", "ELSE", 0.03, 1.0 - u_anum, fixed_u=fix_anum),
    ))
    nat = Comparison("nationality", '"nat_l" IS NULL OR "nat_r" IS NULL', (
        Level("exact", '"nat_l" = "nat_r"', 0.95, u_nat, fixed_u=fix_nat),
        Level("different", "ELSE", 0.05, 1.0 - u_nat, fixed_u=fix_nat),
    ))
    if not fix_fac:
        return name, dob, anum, nat
    # Term-frequency adjusted, as the names are: agreeing on a facility that holds a tenth of the roster says far
    # less than agreeing on one that holds a thousandth. Never a blocking key (BLOCKING_RULES): a transfer must not
    # hide a person from the candidates.
    fac = Comparison("facility", '"fac_l" IS NULL OR "fac_r" IS NULL', (
        Level("exact", '"fac_l" = "fac_r"', FACILITY_SAME_M, u_fac, tf_column="fac", fixed_u=True),
        Level("different (or moved)", "ELSE", 1.0 - FACILITY_SAME_M, 1.0 - u_fac, fixed_u=True),
    ))
    return name, dob, anum, nat, fac


def tf_columns(comps: tuple[Comparison, ...]) -> tuple[str, ...]:
    """The columns whose term frequencies the comparisons use (TF_COLUMNS, and `fac` when the facility is compared),
    each counted over the whole roster by the engine."""
    return tuple(dict.fromkeys(lvl.tf_column for c in comps for lvl in c.levels if lvl.tf_column))


BLOCKING_RULES = (
    'l.anum = r.anum',
    'l.dob = r.dob',
    'l.dob = r.dob_swap',
    # A birth day mistyped: the same month and year with either extreme name skeleton.
    'l.ph_lo = r.ph_lo AND l.birth_year = r.birth_year AND l.birth_month = r.birth_month',
    'l.ph_hi = r.ph_hi AND l.birth_year = r.birth_year AND l.birth_month = r.birth_month',
    # Without a birth date only the name can find the person.
    'l.dob IS NULL AND l.ph_lo = r.ph_lo AND l.ph_hi = r.ph_hi',
)


@dataclass
class Scored:
    """Scored candidate pairs (exposed unique_id -> roster unique_id) with per-comparison evidence."""

    pairs: pl.DataFrame
    comparisons: tuple[Comparison, ...]
    roster_size: int = 0  # the prior in every match weight is IN_ROSTER / roster_size


EM_BLOCKING_RULES = ("l.dob = r.dob", "l.anum = r.anum")
# Below this many exposed people EM has too few true pairs to move the expert m values usefully.
EM_MIN_EXPOSED = 500


def _train_m(linker: Any) -> None:
    """EM on pairs that share a birth date, then on pairs that share an A-number (each trains the other fields).

    A session that finds too few pairs keeps the expert m values instead of failing the linkage."""
    from splink.internals.exceptions import EMTrainingException

    for rule in EM_BLOCKING_RULES:
        try:
            linker.training.estimate_parameters_using_expectation_maximisation(
                rule, fix_probability_two_random_records_match=True)
        except EMTrainingException:
            continue


def candidate_rows(exposed: pl.DataFrame, roster: pl.DataFrame) -> pl.DataFrame:
    """The roster rows that some blocking rule can pair with some exposed row (the same rules, as semi-joins).

    Scoring only these is what keeps a million-person roster fast; every rule in BLOCKING_RULES has its join here.
    """
    def keys(*cols: str, frame: pl.DataFrame = exposed) -> pl.DataFrame:
        return frame.select(cols).drop_nulls().unique()

    no_dob = exposed.filter(pl.col("dob").is_null())
    parts = [
        roster.join(keys("anum"), on="anum", how="semi"),
        roster.join(keys("dob"), on="dob", how="semi"),
        roster.join(keys("dob").rename({"dob": "dob_swap"}), on="dob_swap", how="semi"),
        roster.join(keys("ph_lo", "birth_year", "birth_month"), on=["ph_lo", "birth_year", "birth_month"],
                    how="semi"),
        roster.join(keys("ph_hi", "birth_year", "birth_month"), on=["ph_hi", "birth_year", "birth_month"],
                    how="semi"),
        roster.join(keys("ph_lo", "ph_hi", frame=no_dob), on=["ph_lo", "ph_hi"], how="semi"),
    ]
    return pl.concat(parts).unique("unique_id")


def term_frequencies(roster: pl.DataFrame, column: str) -> pl.DataFrame:
    """Term frequencies of a column (`tf_columns`) over the whole roster (not just the candidates)."""
    known = roster.select(column).drop_nulls()
    share = pl.col("len") / max(known.height, 1)
    return known.group_by(column).len().select(column, share.alias(f"tf_{column}"))


def with_tf_floors(model: dict[str, Any]) -> dict[str, Any]:
    """The model with each `tf_only_weaker` level's floor at its estimated u (the settings carry the prior u)."""
    for comparison in model.get("comparisons", []):
        for level in comparison.get("comparison_levels", []):
            if level.get("disable_tf_exact_match_detection") and level.get("u_probability"):
                level["tf_minimum_u_value"] = level["u_probability"]
    return model


ENGINES = ("duckdb", "spark")


def score(exposed: pl.DataFrame, roster: pl.DataFrame, workdir: str | None = None, train_m: bool = False,
          engine: str = "duckdb") -> Scored:
    """Block and score exposed x roster on an engine: the one seam where another backend (Splink on Spark, for
    rosters past one machine's memory) goes in, with the same comparisons, blocking rules and thresholds."""
    if engine not in ENGINES:
        raise ValueError(f"unknown linkage engine {engine!r} (available: {', '.join(ENGINES)})")
    if engine == "spark":
        raise ValueError("the Spark engine reads the roster where it lives: veil.spark.linkage.link_files_spark")
    return score_duckdb(exposed, roster, workdir, train_m)


def u_sample(roster: pl.DataFrame) -> pl.DataFrame:
    """The roster rows u is estimated on (every engine draws the same rows: positions from a seeded sample)."""
    return roster.sample(min(roster.height, U_SAMPLE_ROWS), seed=7) if roster.height > U_SAMPLE_ROWS else roster


def sample_positions(roster_size: int) -> pl.Series | None:
    """The positions (0-based) `u_sample` takes from a roster of this size, in its order; None: every row."""
    if roster_size <= U_SAMPLE_ROWS:
        return None
    return pl.int_range(roster_size, eager=True).sample(U_SAMPLE_ROWS, seed=7)


def settings(comps: tuple[Comparison, ...], roster_size: int) -> Any:
    from splink import SettingsCreator

    return SettingsCreator(
        link_type="link_only",
        unique_id_column_name="unique_id",
        comparisons=[c.to_splink() for c in comps],
        blocking_rules_to_generate_predictions=list[Any](BLOCKING_RULES),
        probability_two_random_records_match=min(0.5, IN_ROSTER / max(roster_size, 1)),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=True,
    )


def estimate_u(db: Any, comps: tuple[Comparison, ...], exposed_arrow: Any, sample: pl.DataFrame,
               roster_size: int) -> dict[str, Any]:
    """The model (as Splink's JSON) with u estimated on exposed x the roster sample, in DuckDB."""
    from splink import Linker

    # Splink puts the table whose name sorts first on the left: keep the exposed file there.
    u_linker = Linker([db.register(exposed_arrow, table_name="exposed_u"),
                       db.register(sample.select(MODEL_COLUMNS).to_arrow(), table_name="roster_sample")],
                      settings(comps, roster_size), log_level=logging.ERROR)
    u_linker.training.estimate_u_using_random_sampling(max_pairs=U_SAMPLE_PAIRS, seed=7)
    model: dict[str, Any] = u_linker.misc.save_model_to_json()
    return with_tf_floors(model)


def duckdb_connection(spill: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute(f"SET memory_limit='{MEMORY_LIMIT}'")
    con.execute(f"SET threads={THREADS}")
    con.execute(f"SET temp_directory='{spill}'")
    con.execute("SET preserve_insertion_order=false")
    return con


def score_duckdb(exposed: pl.DataFrame, roster: pl.DataFrame, workdir: str | None = None, train_m: bool = False
                 ) -> Scored:
    """Block and score exposed x roster with Splink in a temporary DuckDB database.

    Two linkers share one database: u probabilities are estimated on exposed x a random roster sample (random
    pairs must be representative of the roster), then EM and prediction run on exposed x the candidate rows only.
    """
    from splink import DuckDBAPI, Linker

    for name in ("splink", "splink.internals"):
        logging.getLogger(name).setLevel(logging.ERROR)
    comps = comparisons(roster.height, exposed, roster)
    clock = time.perf_counter()
    candidates = candidate_rows(exposed, roster)
    log.info("linkage: %d candidate roster rows of %d", candidates.height, roster.height)
    if candidates.height == 0:  # no roster record shares a blocking key with anyone in the file
        return Scored(_no_pairs(comps), comps, roster.height)
    sample = u_sample(roster)
    with tempfile.TemporaryDirectory(prefix="veil-link-", dir=workdir) as tmp:
        con = duckdb_connection(Path(tmp) / "spill")
        try:
            db = DuckDBAPI(connection=con)
            exposed_arrow = exposed.select(MODEL_COLUMNS).to_arrow()
            model = estimate_u(db, comps, exposed_arrow, sample, roster.height)
            log.info("linkage: u estimated after %.1f s", time.perf_counter() - clock)
            linker = Linker([db.register(exposed_arrow, table_name="exposed"),
                             db.register(candidates.select(MODEL_COLUMNS).to_arrow(), table_name="roster_candidates")],
                            model, log_level=logging.ERROR)
            for column in tf_columns(comps):
                linker.table_management.register_term_frequency_lookup(
                    db.register(term_frequencies(roster, column).to_arrow(), table_name=f"tf_{column}"), column)
            if train_m and exposed.height >= EM_MIN_EXPOSED:
                _train_m(linker)
                log.info("linkage: m estimated after %.1f s", time.perf_counter() - clock)
            predictions = linker.inference.predict(threshold_match_probability=PREDICT_FLOOR, warning_mode="never")
            log.info("linkage: pairs scored after %.1f s", time.perf_counter() - clock)
            pairs = _with_levels(con, predictions.physical_name, comps, exposed_arrow,
                                 candidates.select(MODEL_COLUMNS).to_arrow())
        finally:
            con.close()
    return Scored(pairs, comps, roster.height)


def _no_pairs(comps: tuple[Comparison, ...]) -> pl.DataFrame:
    schema: dict[str, Any] = {"unique_id_l": pl.Int64, "unique_id_r": pl.Int64, "match_weight": pl.Float64,
                              "match_probability": pl.Float64}
    for c in comps:
        schema[f"level_{c.name}"], schema[f"mw_{c.name}"] = pl.String, pl.Float64
    return pl.DataFrame(schema=schema)


def _side(sql: str) -> str:
    """Splink's "col_l"/"col_r" references as l."col"/r."col" of an explicit join (Spark: `col_l` too)."""
    return re.sub(r'(["`])(\w+)_([lr])\1', r"\3.\1\2\1", sql)


def level_columns(comps: tuple[Comparison, ...], present: set[str], quote: str = '"') -> list[str]:
    """Per comparison, the level that agreed (re-evaluated with the model's own conditions on predictions `p`
    joined to exposed `l` and roster `r`) and its match weight with the term-frequency adjustment."""
    cols = []
    for c in comps:
        whens = [f"WHEN {_side(c.null_sql)} THEN 'missing'"]
        for lvl in c.levels:
            label = lvl.label.replace("'", "''")
            whens.append(f"ELSE '{label}'" if lvl.sql == "ELSE" else f"WHEN {_side(lvl.sql)} THEN '{label}'")
        q = quote
        tf = f"p.{q}mw_tf_adj_{c.name}{q}" if f"mw_tf_adj_{c.name}" in present else "0.0"
        cols += [f"CASE {' '.join(whens)} END AS {q}level_{c.name}{q}",
                 f"p.{q}mw_{c.name}{q} + {tf} AS {q}mw_{c.name}{q}"]
    return cols


def _with_levels(con: duckdb.DuckDBPyConnection, predictions: str, comps: tuple[Comparison, ...],
                 exposed: Any, candidates: Any) -> pl.DataFrame:
    """The scored pairs with, per comparison, the level that agreed and its match weight (TF included).

    Splink 5 does not keep the gamma columns in its predictions, so the level is re-evaluated on the final pairs
    with the same SQL conditions the model used."""
    con.register("veil_exposed", exposed)
    con.register("veil_candidates", candidates)
    present = {row[0] for row in con.sql(f"DESCRIBE {predictions}").fetchall()}
    cols = ["p.unique_id_l", "p.unique_id_r", "p.match_weight", "p.match_probability", *level_columns(comps, present)]
    sql = (f"SELECT {', '.join(cols)} FROM {predictions} p "
           "JOIN veil_exposed l ON l.unique_id = p.unique_id_l "
           "JOIN veil_candidates r ON r.unique_id = p.unique_id_r "
           "QUALIFY row_number() OVER (PARTITION BY p.unique_id_l ORDER BY p.match_weight DESC, p.unique_id_r) "
           f"<= {MAX_PAIRS_PER_ROW}")
    out = pl.from_arrow(con.sql(sql).arrow())
    assert isinstance(out, pl.DataFrame)
    return out
