"""`veil link --engine spark`: the same model, blocking rules and thresholds, with the roster on Spark.

The roster never comes to the driver: Spark reads it (Parquet or CSV; local, HDFS, S3), numbers its rows in file
order (so the positions are the ones the DuckDB engine gives them), prepares its linkage columns with the same
`linkage_prepare.prepare` on the executors (Arrow batches), counts the values the exact u probabilities need, and
keeps the candidate rows the blocking rules can reach. Only bounded things come back: the 100,000-row u sample
(the same positions as the DuckDB engine's, so u is estimated on the same pairs, in DuckDB, and the model is the
same), the scored pairs (at most 25 per exposed row) and the few rows a clerk's `none` candidates need. The
exposed file is read and prepared on the driver as always: it is small.

Scoring runs in Splink's Spark backend with the model's comparisons in Spark SQL (`linkage_model.SparkSql`).
"""

from __future__ import annotations

import logging
import tempfile
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Any

import polars as pl

from veil.errors import UsageError
from veil.incident.exposed import read_exposed_table
from veil.incident.linkage import (
    LinkResult,
    assemble,
    bad_dates_note,
    decide,
    nearest,
    prepare_exposed,
)
from veil.incident.linkage_columns import LinkageInputError, PeopleTable, TablePart, find_columns
from veil.incident.linkage_model import (
    MAX_PAIRS_PER_ROW,
    MODEL_COLUMNS,
    PREDICT_FLOOR,
    SPARK_SQL,
    Comparison,
    Scored,
    chance_from_counts,
    comparisons,
    duckdb_connection,
    estimate_u,
    level_columns,
    sample_positions,
    settings,
    tf_columns,
)
from veil.incident.linkage_prepare import parse_dates, prepare

log = logging.getLogger(__name__)

__all__ = ["link_frame_spark", "link_table_spark", "read_roster"]

# Rows of the roster read on the driver to find its columns by header and values (as the DuckDB engine does).
HEAD_ROWS = 20_000
_ARRAYS = ("name_toks", "name_canon", "name_ph")


def read_roster(spark: Any, path: str) -> Any:
    """The roster as a Spark DataFrame of strings: Parquet (a file or a folder of parts) or CSV with a header."""
    from pyspark.sql import functions as F

    lowered = path.lower().rstrip("/")
    try:
        if lowered.endswith(".csv") or lowered.endswith(".csv.gz"):
            frame = spark.read.csv(path, header=True, inferSchema=False, multiLine=True, escape='"')
        elif lowered.endswith(".parquet") or not lowered.rsplit("/", 1)[-1].count("."):
            frame = spark.read.parquet(path)
        else:
            raise UsageError(f"the Spark engine reads a roster in Parquet or CSV, not {Path(path).name}")
    except UsageError:
        raise
    except Exception as exc:  # AnalysisException: no such path, not Parquet
        raise LinkageInputError(f"Spark could not read the roster {path} ({type(exc).__name__})") from None
    return frame.select([F.col(f"`{c}`").cast("string").alias(c) for c in frame.columns])


def _spark_schema() -> Any:
    from pyspark.sql import types as T

    arr = T.ArrayType(T.StringType())
    return T.StructType(
        [
            T.StructField("unique_id", T.LongType()),
            T.StructField("rid", T.StringType()),
            T.StructField("name_key", T.StringType()),
            T.StructField("name_ckey", T.StringType()),
            T.StructField("name_toks", arr),
            T.StructField("name_canon", arr),
            T.StructField("name_ph", arr),
            T.StructField("ph_key", T.StringType()),
            T.StructField("ph_lo", T.StringType()),
            T.StructField("ph_hi", T.StringType()),
            T.StructField("dob", T.DateType()),
            T.StructField("dob_swap", T.DateType()),
            T.StructField("birth_year", T.IntegerType()),
            T.StructField("birth_month", T.IntegerType()),
            T.StructField("anum", T.StringType()),
            T.StructField("nat", T.StringType()),
            T.StructField("fac", T.StringType()),
            T.StructField("dob_bad", T.BooleanType()),
        ]
    )


def _prepare_batches(mapping: dict[str, str], day_first: bool | None):
    """The executor side: each Arrow batch of (unique_id, rid, mapped columns) through `prepare`."""

    def run(batches: Iterator[Any]) -> Iterator[Any]:
        import pyarrow as pa

        kinds = {
            "LongType": pa.int64(),
            "StringType": pa.string(),
            "DateType": pa.date32(),
            "IntegerType": pa.int32(),
            "BooleanType": pa.bool_(),
            "ArrayType": pa.list_(pa.string()),
        }
        arrow_schema = pa.schema([(f.name, kinds[type(f.dataType).__name__]) for f in _spark_schema().fields])
        for batch in batches:
            frame = pl.from_arrow(pa.Table.from_batches([batch]))
            assert isinstance(frame, pl.DataFrame)
            prepared, _ = prepare(frame, mapping, frame["unique_id"], day_first)
            raw = frame[mapping["dob"]] if "dob" in mapping else pl.Series([None] * frame.height, dtype=pl.String)
            out = prepared.with_columns(
                rid=frame["rid"],
                birth_year=pl.col("birth_year").cast(pl.Int32),
                birth_month=pl.col("birth_month").cast(pl.Int32),
                dob_bad=pl.col("dob").is_null() & (raw.str.strip_chars().fill_null("") != ""),
            ).select([f.name for f in _spark_schema().fields])
            yield from out.to_arrow().cast(arrow_schema).to_batches()  # Spark 3.5 reads no large_string/list

    return run


def _numbered(frame: Any, roster_id: str) -> Any:
    """The roster with `unique_id` = its row position in file order (as polars numbers a file it reads) and
    `rid` = the roster id, stripped. Partition offsets come from one count per partition."""
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    tagged = frame.withColumn("_part", F.spark_partition_id()).withColumn("_mono", F.monotonically_increasing_id())
    counts = tagged.groupBy("_part").agg(F.count("*").alias("_n"), F.min("_mono").alias("_first"))
    offsets = counts.withColumn("_offset", F.sum("_n").over(Window.orderBy("_part")) - F.col("_n"))
    return (
        tagged.join(F.broadcast(offsets.select("_part", "_offset", "_first")), "_part")
        .withColumn("unique_id", F.col("_offset") + F.col("_mono") - F.col("_first"))
        .withColumn("rid", F.trim(F.col(f"`{roster_id}`")))
        .drop("_part", "_mono", "_offset", "_first")
    )


def _agreement(exposed: pl.DataFrame, roster: Any) -> Any:
    """`agreement(left, right)`: the chance a random exposed x roster pair agrees, counted where the roster is."""
    from pyspark.sql import functions as F

    spark = roster.sparkSession

    def agreement(left: str, right: str) -> float | None:
        mine = exposed[left].drop_nulls().value_counts(name="n_l")
        n_l = int(mine["n_l"].sum() or 0)
        if not n_l:
            return None
        values = spark.createDataFrame([(str(v), int(n)) for v, n in mine.iter_rows()], "v string, n_l long")
        theirs = roster.where(F.col(right).isNotNull()).groupBy(F.col(right).cast("string").alias("v")).count()
        row = (
            theirs.join(F.broadcast(values), "v", "left")  # one pass: all roster values, and the shared ones
            .agg(
                F.sum("count").alias("n_r"),
                F.sum(F.coalesce(F.col("n_l"), F.lit(0)).cast("double") * F.col("count").cast("double")).alias("s"),
            )
            .collect()[0]
        )
        return chance_from_counts(n_l, int(row.n_r or 0), float(row.s or 0.0))

    return agreement


def _candidates(exposed: pl.DataFrame, roster: Any) -> Any:
    """`linkage_model.candidate_rows` in Spark: roster rows some blocking rule can pair with some exposed row."""
    from pyspark.sql import functions as F

    spark = roster.sparkSession

    def keys(cols: tuple[str, ...], frame: pl.DataFrame = exposed, rename: dict[str, str] | None = None) -> Any:
        part = frame.select(cols).drop_nulls().unique().rename(rename or {})
        if part.height == 0:
            return None
        return F.broadcast(spark.createDataFrame(part.to_pandas()))

    no_dob = exposed.filter(pl.col("dob").is_null())
    rules = [
        (("anum",), exposed, None),
        (("dob",), exposed, None),
        (("dob",), exposed, {"dob": "dob_swap"}),
        (("ph_lo", "birth_year", "birth_month"), exposed, None),
        (("ph_hi", "birth_year", "birth_month"), exposed, None),
        (("ph_lo", "ph_hi"), no_dob, None),
    ]
    parts = []
    for cols, frame, rename in rules:
        found = keys(cols, frame, rename)
        if found is not None:
            parts.append(
                roster.join(found, on=[rename.get(c, c) if rename else c for c in cols], how="left_semi").select(
                    "unique_id"
                )
            )
    if not parts:
        return None
    ids = parts[0]
    for p in parts[1:]:
        ids = ids.unionByName(p)
    return roster.join(ids.distinct(), "unique_id", "left_semi")


def _spark_comparisons(roster_size: int, model: dict[str, Any], agreement: Any) -> tuple[Comparison, ...]:
    """The model's comparisons in Spark SQL with the u probabilities the DuckDB estimation gave (level by level)."""
    comps = comparisons(roster_size, sql=SPARK_SQL, agreement=agreement)
    out = []
    for comp, trained in zip(comps, model["comparisons"], strict=True):
        levels = [lv for lv in trained["comparison_levels"] if not lv.get("is_null_level")]
        out.append(
            replace(
                comp,
                null_sql=SPARK_SQL.quoted(comp.null_sql),
                levels=tuple(
                    replace(lvl, sql=SPARK_SQL.quoted(lvl.sql), u=float(t.get("u_probability", lvl.u)))
                    for lvl, t in zip(comp.levels, levels, strict=True)
                ),
            )
        )
    return tuple(out)


def _score(spark: Any, people: pl.DataFrame, roster: Any, roster_size: int) -> tuple[Scored, dict[int, str]]:
    """Scored pairs and the roster ids of their candidates."""
    from pyspark.sql import functions as F
    from splink import DuckDBAPI, Linker, SparkAPI

    from veil.spark.similarity import register

    for name in ("splink", "splink.internals"):
        logging.getLogger(name).setLevel(logging.ERROR)
    register(spark)  # the name similarity, as DuckDB computes it
    clock = time.perf_counter()
    counted = _agreement(people, roster)
    chances: dict[tuple[str, str], float | None] = {}

    def agreement(left: str, right: str) -> float | None:
        if (left, right) not in chances:
            chances[(left, right)] = counted(left, right)
        return chances[(left, right)]

    duck_comps = comparisons(roster_size, agreement=agreement)
    candidates = _candidates(people, roster)
    if candidates is None or not candidates.persist().limit(1).count():
        from veil.incident.linkage_model import _no_pairs

        return Scored(_no_pairs(duck_comps), duck_comps, roster_size), {}
    positions = sample_positions(roster_size)
    if positions is None:
        sample_rows = roster
    else:
        wanted = spark.createDataFrame(
            pl.DataFrame({"unique_id": positions, "_order": pl.int_range(positions.len(), eager=True)}).to_pandas()
        )
        sample_rows = roster.join(F.broadcast(wanted), "unique_id")
    sample = _collect(sample_rows.select(*(["_order"] if positions is not None else []), *MODEL_COLUMNS))
    sample = sample.sort("_order").drop("_order") if positions is not None else sample.sort("unique_id")
    exposed_arrow = people.select(MODEL_COLUMNS).to_arrow()
    with tempfile.TemporaryDirectory(prefix="veil-link-") as tmp:
        con = duckdb_connection(Path(tmp) / "spill")
        try:
            model = estimate_u(DuckDBAPI(connection=con), duck_comps, exposed_arrow, sample, roster_size)
        finally:
            con.close()
    log.info("linkage (spark): u estimated after %.1f s", time.perf_counter() - clock)
    spark_comps = _spark_comparisons(roster_size, model, agreement)
    db = SparkAPI(
        spark_session=spark,
        break_lineage_method="persist",
        register_udfs_automatically=False,
        num_partitions_on_repartition=_partitions(spark),
    )
    exposed_sdf = spark.createDataFrame(people.select(MODEL_COLUMNS).to_pandas(), _model_schema())
    model_columns = candidates.select(*MODEL_COLUMNS)
    tag = uuid.uuid4().hex[:12]  # temp views live as long as the session: one set of names per link
    linker = Linker(
        [
            db.register(exposed_sdf, table_name=f"exposed_{tag}"),  # sorts first: the left side
            db.register(model_columns, table_name=f"roster_candidates_{tag}"),
        ],
        settings(spark_comps, roster_size),
        log_level=logging.ERROR,
    )
    for column in tf_columns(spark_comps):  # over the whole roster, as the DuckDB engine counts them
        known = roster.where(F.col(column).isNotNull())
        total = known.count()
        tf = known.groupBy(column).agg((F.count("*") / F.lit(max(total, 1))).alias(f"tf_{column}"))
        linker.table_management.register_term_frequency_lookup(db.register(tf, table_name=f"tf_{column}_{tag}"), column)
    predictions = linker.inference.predict(threshold_match_probability=PREDICT_FLOOR, warning_mode="never")
    pairs_sdf = predictions.as_spark_dataframe()
    present = set(pairs_sdf.columns)
    exposed_sdf.createOrReplaceTempView("veil_exposed")
    candidates.createOrReplaceTempView("veil_candidates")
    pairs_sdf.createOrReplaceTempView("veil_predictions")
    cols = [
        "p.unique_id_l",
        "p.unique_id_r",
        "p.match_weight",
        "p.match_probability",
        *level_columns(spark_comps, present, quote="`"),
        "r.rid AS roster_id_r",
    ]
    sql = (
        f"SELECT * FROM (SELECT {', '.join(cols)}, row_number() OVER (PARTITION BY p.unique_id_l "
        "ORDER BY p.match_weight DESC, p.unique_id_r) AS _rank FROM veil_predictions p "
        "JOIN veil_exposed l ON l.unique_id = p.unique_id_l "
        f"JOIN veil_candidates r ON r.unique_id = p.unique_id_r) WHERE _rank <= {MAX_PAIRS_PER_ROW}"
    )
    pairs = _collect(spark.sql(sql).drop("_rank"))
    log.info("linkage (spark): pairs scored after %.1f s", time.perf_counter() - clock)
    candidates.unpersist()
    tf_views = (f"tf_{column}_{tag}" for column in tf_columns(spark_comps))
    for view in (f"exposed_{tag}", f"roster_candidates_{tag}", *tf_views):
        spark.catalog.dropTempView(view)
    ids = dict(zip(pairs["unique_id_r"].to_list(), pairs["roster_id_r"].to_list(), strict=True))
    pairs = pairs.drop("roster_id_r").with_columns(
        pl.col("unique_id_l").cast(pl.Int64), pl.col("unique_id_r").cast(pl.Int64)
    )
    return Scored(pairs, duck_comps, roster_size), ids


def _model_schema() -> Any:
    from pyspark.sql import types as T

    fields = {f.name: f for f in _spark_schema().fields}
    return T.StructType([fields[c] for c in MODEL_COLUMNS])


def _collect(frame: Any) -> pl.DataFrame:
    """A (bounded) Spark result on the driver, through Arrow."""
    out = pl.from_pandas(frame.toPandas()) if frame.columns else pl.DataFrame()
    for col in _ARRAYS:
        if col in out.columns and out[col].dtype != pl.List(pl.String):
            out = out.with_columns(
                pl.col(col).map_elements(lambda v: None if v is None else list(v), return_dtype=pl.List(pl.String))
            )
    for col in ("dob", "dob_swap"):
        if col in out.columns:
            out = out.with_columns(pl.col(col).cast(pl.Date))
    for col in ("birth_year", "birth_month"):
        if col in out.columns:
            out = out.with_columns(pl.col(col).cast(pl.Int32 if col == "birth_year" else pl.Int8))
    return out


def _partitions(spark: Any) -> int:
    """Partitions for the roster and the scored pairs: the session's shuffle partitions, at least two per core."""
    return max(int(spark.conf.get("spark.sql.shuffle.partitions")), 2 * spark.sparkContext.defaultParallelism)


@contextmanager
def _cpu_bound(spark: Any) -> Iterator[None]:
    """No adaptive coalescing of shuffle partitions while linking: it merges them by bytes, and the pairs are a
    few bytes each but cost most of the CPU (string similarity), so three partitions left one core idle."""
    key = "spark.sql.adaptive.coalescePartitions.enabled"
    before = spark.conf.get(key, None)
    spark.conf.set(key, "false")
    try:
        yield
    finally:
        if before is None:
            spark.conf.unset(key)
        else:
            spark.conf.set(key, before)


def link_roster_spark(
    spark: Any,
    exposed: pl.DataFrame,
    roster_frame: Any,
    roster_id: str,
    *,
    exposed_mapping: Mapping[str, str] | None = None,
    roster_mapping: Mapping[str, str] | None = None,
    parts: tuple[TablePart, ...] = (),
) -> LinkResult:
    """`linkage.link` with the roster a Spark DataFrame of strings."""
    with _cpu_bound(spark):
        return _link_roster(spark, exposed, roster_frame, roster_id, exposed_mapping, roster_mapping, parts)


def _link_roster(
    spark: Any,
    exposed: pl.DataFrame,
    roster_frame: Any,
    roster_id: str,
    exposed_mapping: Mapping[str, str] | None,
    roster_mapping: Mapping[str, str] | None,
    parts: tuple[TablePart, ...],
) -> LinkResult:
    from pyspark.sql import functions as F

    if roster_id not in roster_frame.columns:
        raise UsageError(f"the roster has no column {roster_id!r} for --roster-id")
    head = _collect(roster_frame.limit(HEAD_ROWS))
    roster_cols = find_columns(head, dict(roster_mapping or {}), exclude=(roster_id,))
    from veil.incident.linkage import _require

    _require(roster_cols, "roster")
    exposed_cols, people, notes = prepare_exposed(exposed, exposed_mapping, roster_cols)
    clock = time.perf_counter()
    # Numbered in file order first; then spread over the cluster: a roster of one Parquet file is one partition,
    # and everything after (prepare, counts, blocking) would run on one core.
    numbered = (
        _numbered(roster_frame.select(*{roster_id, *roster_cols.values()}), roster_id)
        .repartition(_partitions(spark))
        .persist()
    )
    rid = F.col("rid")
    stats = numbered.agg(
        F.count("*").alias("n"),
        F.min(F.when(rid.isNull() | (rid == ""), F.col("unique_id"))).alias("first_empty"),
        F.countDistinct(rid).alias("distinct"),
    ).collect()[0]
    if stats.first_empty is not None:
        raise LinkageInputError(f"the roster column {roster_id!r} is empty in data row {stats.first_empty + 1}")
    if stats.distinct != stats.n:
        raise LinkageInputError(f"the roster column {roster_id!r} has duplicate values: it must identify people")
    day_first = parse_dates(head[roster_cols["dob"]]).day_first if "dob" in roster_cols else None
    mapping = {field: column for field, column in roster_cols.items()}
    roster = (
        numbered.select("unique_id", "rid", *{c for c in mapping.values()})
        .mapInArrow(_prepare_batches(mapping, day_first), _spark_schema())
        .persist()
    )
    numbered.unpersist()
    if "dob" in roster_cols:
        dates = roster.agg(
            F.sum(F.col("dob_bad").cast("long")).alias("bad"),
            F.min(F.when(F.col("dob_bad"), F.col("unique_id"))).alias("first"),
            F.sum(F.col("dob").isNotNull().cast("long")).alias("ok"),
        ).collect()[0]
        if dates.bad:
            notes.insert(
                0, bad_dates_note(roster_cols["dob"], int(dates.bad), int(dates.bad + dates.ok), int(dates.first))
            )
    if people.height == 0:
        roster.unpersist()
        return LinkResult([], exposed_cols, roster_cols, notes + ["no person rows in the exposed file"])
    log.info(
        "linkage (spark): %d exposed and %d roster rows prepared in %.1f s",
        people.height,
        stats.n,
        time.perf_counter() - clock,
    )
    try:
        scored, ids = _score(spark, people, roster, int(stats.n))
        decided = decide(scored, people["unique_id"].to_list(), ids)
        lonely = [m.row - 1 for m in decided if not m.candidates]
        found = {}
        if lonely:
            rows = people.filter(pl.col("unique_id").is_in(lonely))
            wanted = rows["name_ph"].explode().drop_nulls().unique().to_list()
            pool = (
                _collect(
                    roster.where(F.arrays_overlap(F.col("name_ph"), F.array(*[F.lit(w) for w in wanted]))).select(
                        "unique_id", "name_ph", "birth_year", "rid"
                    )
                )
                if wanted
                else None
            )
            if pool is not None and pool.height:
                found = nearest(rows, pool, dict(zip(pool["unique_id"].to_list(), pool["rid"].to_list(), strict=True)))
    finally:
        roster.unpersist()
    return assemble(decided, found, people, exposed, parts, exposed_cols, roster_cols, notes)


def link_frame_spark(
    exposed: pl.DataFrame,
    roster: pl.DataFrame,
    roster_id: str,
    *,
    exposed_mapping: Mapping[str, str] | None = None,
    roster_mapping: Mapping[str, str] | None = None,
    parts: tuple[TablePart, ...] = (),
) -> LinkResult:
    """`link(..., engine="spark")` with an in-memory roster: handed to Spark through a temporary Parquet file."""
    from veil.spark import session

    spark = session()
    with tempfile.TemporaryDirectory(prefix="veil-roster-") as tmp:
        path = str(Path(tmp) / "roster.parquet")
        roster.select(pl.all().cast(pl.String)).write_parquet(path)
        return link_roster_spark(
            spark,
            exposed,
            read_roster(spark, path),
            roster_id,
            exposed_mapping=exposed_mapping,
            roster_mapping=roster_mapping,
            parts=parts,
        )


def link_table_spark(
    exposed: PeopleTable, roster_path: str, roster_id: str, *, roster_mapping: Mapping[str, str] | None = None
) -> LinkResult:
    """`link_files(..., engine="spark")`: the roster read by Spark where it lives."""
    from veil.spark import session

    spark = session()
    result = link_roster_spark(
        spark,
        exposed.frame,
        read_roster(spark, roster_path),
        roster_id,
        exposed_mapping=exposed.mapping or None,
        roster_mapping=roster_mapping,
        parts=exposed.parts,
    )
    result.notes[:0] = exposed.notes
    return result


def link_files_spark(
    exposed_path: str | Path,
    roster_path: str | Path,
    roster_id: str,
    *,
    roster_mapping: Mapping[str, str] | None = None,
    sheet: str | None = None,
) -> LinkResult:
    """`veil link --engine spark`: the exposed file read here, the roster read by Spark where it lives (local,
    HDFS, S3); the same decisions as `veil.incident.linkage.link_files`."""
    return link_table_spark(
        read_exposed_table(exposed_path, sheet), str(roster_path), roster_id, roster_mapping=roster_mapping
    )
