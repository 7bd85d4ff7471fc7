"""`veil link EXPOSED ROSTER --roster-id COLUMN --out MATCHES.csv`: who in the roster is in an exposed file.

Exit 0 on success, 1 when a file cannot be read or lacks what linkage needs, 2 on a usage error.
Nothing printed names a person: only counts, column names and file names.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from veil.errors import UsageError


def parse_mapping(items: list[str]) -> dict[str, str]:
    """FIELD=COLUMN pairs; FIELD is one of the linkage fields."""
    from veil.incident.linkage_prepare import FIELDS

    mapping: dict[str, str] = {}
    for item in items:
        field, sep, column = item.partition("=")
        field, column = field.strip().lower(), column.strip()
        if not sep or not field or not column:
            raise UsageError(f"--map expects FIELD=COLUMN, got {item!r}")
        if field not in FIELDS:
            raise UsageError(f"--map: unknown field {field!r} (known: {', '.join(FIELDS)})")
        mapping[field] = column
    return mapping


def link_command(
    exposed: Annotated[str, typer.Argument(help="The exposed file: any format Veil reads (CSV, XLSX/XLS/ODS, "
                                                "Parquet, JSON, HTML, PDF or DOCX tables); every table of people "
                                                "in it is linked.")],
    roster: Annotated[str, typer.Argument(help="The roster (system of records extract): CSV, XLSX or Parquet, "
                                                "read whole (past this machine's memory: --engine spark).")],
    roster_id: Annotated[str, typer.Option("--roster-id", help="The roster column that identifies a person.")],
    out: Annotated[str, typer.Option("--out", "-o", help="Where to write MATCHES.csv.")],
    mapping: Annotated[list[str] | None, typer.Option(
        "--map", help="Roster column for a field: FIELD=COLUMN with FIELD one of name, given, middle, surname, "
                      "surname2, dob, nationality, anumber. Repeatable; unmapped fields are found by header.")] = None,
    sheet: Annotated[str | None, typer.Option("--sheet", help="Link only this sheet of the exposed file (its name "
                                                             "or 1-based number); by default every sheet of "
                                                             "people is linked.")] = None,
    roster_sheet: Annotated[str | None, typer.Option("--roster-sheet", help="Read only this sheet of the roster "
                                                                           "(name or number).")] = None,
    engine: Annotated[str, typer.Option("--engine", help="duckdb (one machine, the default) or spark: the roster "
                                                         "(Parquet or CSV; a local, HDFS or S3 path) read and "
                                                         "scored on Spark (VEIL_SPARK_MASTER, default local[2]); "
                                                         "needs Veil's 'spark' extra and Java 17.")] = "duckdb",
) -> None:
    """Link the people of an exposed file to the roster: accepted, review or none for each person."""
    from veil.incident.linkage import Decision, LinkageInputError, link_files, write_matches_csv

    try:
        roster_mapping = parse_mapping(mapping or [])
        if engine not in ("duckdb", "spark"):
            raise UsageError(f"--engine must be duckdb or spark, not {engine!r}")
        remote = engine == "spark" and "://" in roster  # hdfs://, s3a://: Spark checks it
        for path in (exposed, roster):
            folder = engine == "spark" and path == roster and Path(path).is_dir()  # a Parquet dataset
            if not (remote and path == roster) and not folder and not Path(path).is_file():
                raise UsageError(f"no such file: {path}")
        if not Path(out).parent.is_dir():
            raise UsageError(f"the folder for --out does not exist: {Path(out).parent}")
    except UsageError as exc:
        typer.echo(f"veil link: {exc}", err=True)
        raise typer.Exit(2) from None
    try:
        if engine == "spark":
            from veil.spark.linkage import link_files_spark

            result = link_files_spark(exposed, roster, roster_id, roster_mapping=roster_mapping, sheet=sheet)
        else:
            result = link_files(exposed, roster, roster_id, roster_mapping=roster_mapping, sheet=sheet,
                                roster_sheet=roster_sheet)
        write_matches_csv(result, out)
    except UsageError as exc:
        typer.echo(f"veil link: {exc}", err=True)
        raise typer.Exit(2) from None
    except LinkageInputError as exc:
        typer.echo(f"veil link: {exc}", err=True)
        raise typer.Exit(1) from None
    except RuntimeError as exc:  # veil.spark.SparkUnavailable: no pyspark, no Java, the JVM did not start
        if type(exc).__name__ != "SparkUnavailable":
            raise
        typer.echo(f"veil link: {exc}", err=True)
        raise typer.Exit(2) from None
    for note in result.notes:
        typer.echo(f"veil link: note: {note}", err=True)
    typer.echo(
        f"{result.rows:,} rows ({result.people_in_file:,} distinct people): {result.count(Decision.ACCEPTED):,} "
        f"accepted, {result.count(Decision.REVIEW):,} for review, {result.count(Decision.NONE):,} not found in the "
        f"roster -> {out}", err=True)


def register(app: typer.Typer) -> None:
    app.command("link")(link_command)
