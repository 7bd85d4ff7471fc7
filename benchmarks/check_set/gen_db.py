"""Databases and statistical files: SQLite, SPSS, Stata, SAS transport, Feather/Arrow, Parquet, Apple Numbers."""

from __future__ import annotations

import re
import sqlite3

import polars as pl
import pyarrow as pa
import pyarrow.feather as feather
import pyarrow.parquet as pq
import pyreadstat

from .common import COUNTRIES, MONTHS, Ctx, benign, d, leak, register
from .people import FACILITIES


def _fix_stat_times(path) -> None:
    """pyreadstat stamps the write time into SPSS, Stata and SAS transport headers; pin it so a seed is byte-stable."""
    raw = path.read_bytes()
    if raw[:4] == b"$FL2" or raw[:4] == b"$FL3":
        raw = raw[:92] + b"30 Jun 22" + b"12:00:00" + raw[109:]
    elif raw.startswith(b"<stata_dta>"):
        raw = re.sub(rb"(<timestamp>.)\d\d [A-Za-z]{3} \d{4} \d\d:\d\d", rb"\g<1>30 Jun 2022 12:00", raw, count=1)
    else:
        raw = re.sub(rb"\d\d[A-Z]{3}\d\d:\d\d:\d\d:\d\d", b"30JUN22:12:00:00", raw)
    path.write_bytes(raw)


def _sqlite(path, script: str, params: list[tuple[str, list[tuple]]]) -> None:
    if path.exists():
        path.unlink()
    con = sqlite3.connect(path)
    con.executescript(script)
    for sql, rows in params:
        con.executemany(sql, rows)
    con.commit()
    con.execute("VACUUM")
    con.close()


def _agg_rows(ctx: Ctx, key: str) -> list[tuple]:
    rnd = ctx.rng(key)
    return [(m, c, rnd.randint(25, 950)) for m in MONTHS[:6] for c in COUNTRIES[:10]]


@register
def sqlite_cases(ctx: Ctx):
    ppl = ctx.people("sqlite1", 120)
    _sqlite(ctx.path("detainees.db"),
            "CREATE TABLE detainees (a_number TEXT, last_name TEXT, first_name TEXT, dob TEXT, nationality TEXT,"
            " facility TEXT, book_in_date TEXT, case_status TEXT);",
            [("INSERT INTO detainees VALUES (?,?,?,?,?,?,?,?)",
              [(p.anum, p.last, p.first, d(p.dob), p.nationality, p.facility, d(p.arrived), p.status) for p in ppl])])
    yield leak("detainees.db", "db_sqlite", 120, "SQLite table of detainees with A-numbers, DOB, nationality")

    ppl = ctx.people("sqlite2", 40)
    _sqlite(ctx.path("expedientes.sqlite"),
            "CREATE TABLE meta (clave TEXT, valor TEXT); INSERT INTO meta VALUES ('version','3');"
            "CREATE TABLE personas (id INTEGER PRIMARY KEY, nombre TEXT, apellidos TEXT, fecha_nacimiento TEXT,"
            " pais_origen TEXT, centro TEXT, situacion TEXT);",
            [("INSERT INTO personas (nombre, apellidos, fecha_nacimiento, pais_origen, centro, situacion)"
              " VALUES (?,?,?,?,?,?)",
              [(p.first, p.last, d(p.dob, "%d/%m/%Y"), p.nationality, p.facility, "solicitante de asilo")
               for p in ppl])])
    yield leak("expedientes.sqlite", "db_sqlite", 40, "SQLite, Spanish column names, asylum applicants")

    ppl = ctx.people("sqlite3", 300)
    _sqlite(ctx.path("intake_export_2022.db"),
            "CREATE TABLE t1 (c_fn TEXT, c_ln TEXT, c_dob INTEGER, c_cob TEXT, c_fac INTEGER);",
            [("INSERT INTO t1 VALUES (?,?,?,?,?)",
              [(p.first.upper(), p.last.upper(), int(p.dob.strftime("%Y%m%d")), p.iso3,
                FACILITIES.index((p.facility, p.city, p.state))) for p in ppl])])
    yield leak("intake_export_2022.db", "db_sqlite", 300, "SQLite with cryptic column names, 300 people")

    ppl = ctx.people("sqlite4", 35)
    _sqlite(ctx.path("facility_stats.db"),
            "CREATE TABLE monthly_counts (month TEXT, country TEXT, book_ins INTEGER);"
            "CREATE TABLE bookins (booking_no INTEGER, name TEXT, birth_date TEXT, citizenship TEXT, facility TEXT);",
            [("INSERT INTO monthly_counts VALUES (?,?,?)", _agg_rows(ctx, "sqlite4agg")),
             ("INSERT INTO bookins VALUES (?,?,?,?,?)",
              [(1000 + i, f"{p.last.upper()}, {p.first}", d(p.dob), p.nationality, p.facility)
               for i, p in enumerate(ppl)])])
    yield leak("facility_stats.db", "db_sqlite_second_table", 35,
               "first table is counts by month/country; the second table books in 35 named people")

    ppl = ctx.people("sqlite5", 25)
    _sqlite(ctx.path("dashboard_cache.sqlite"),
            "CREATE TABLE summary (facility TEXT, population INTEGER);"
            "CREATE TABLE z_tmp_export (ident TEXT, given TEXT, family TEXT, yob INTEGER, claim TEXT);",
            [("INSERT INTO summary VALUES (?,?)", [(f[0], ctx.rng("s5" + f[0]).randint(60, 900)) for f in FACILITIES]),
             ("INSERT INTO z_tmp_export VALUES (?,?,?,?,?)",
              [(p.anum, p.first, p.last, p.dob.year, "asylum") for p in ppl])])
    yield leak("dashboard_cache.sqlite", "db_sqlite_second_table", 25,
               "summary table plus a leftover temp export table of 25 asylum claimants")

    ppl = ctx.people("sqlite6", 18)
    def q(s: str) -> str:
        return "'" + s.replace("'", "''") + "'"

    selects = " UNION ALL ".join(
        f"SELECT {q(p.first)} AS first_name, {q(p.last)} AS last_name, '{d(p.dob)}' AS dob, "
        f"{q(p.nationality)} AS nationality, 'credible fear' AS claim" for p in ppl)
    _sqlite(ctx.path("stats_with_view.sqlite"),
            "CREATE TABLE counts_by_country (country TEXT, detained INTEGER);"
            f"CREATE VIEW v_cfi_roster AS {selects};",
            [("INSERT INTO counts_by_country VALUES (?,?)",
              [(c, ctx.rng("s6" + c).randint(30, 700)) for c in COUNTRIES])])
    yield leak("stats_with_view.sqlite", "db_sqlite_view", 18,
               "only table is counts; a view's SQL holds 18 people (names, DOB, credible-fear claim)")

    ppl = ctx.people("sqlite7", 22)
    _sqlite(ctx.path("case_lookup.db"),
            "CREATE TABLE codes (code INTEGER PRIMARY KEY, surname TEXT, forename TEXT, dob TEXT);"
            "CREATE TABLE cases (case_id INTEGER, person_code INTEGER, hearing TEXT);"
            "CREATE VIEW v_cases AS SELECT c.case_id, k.surname, k.forename, k.dob, c.hearing"
            " FROM cases c JOIN codes k ON k.code = c.person_code;",
            [("INSERT INTO codes VALUES (?,?,?,?)", [(i, p.last, p.first, d(p.dob)) for i, p in enumerate(ppl)]),
             ("INSERT INTO cases VALUES (?,?,?)",
              [(5000 + i, i, "credible fear review") for i in range(len(ppl))])])
    yield leak("case_lookup.db", "db_sqlite_view", 22, "people in a lookup table joined by a view to hearings")

    # benign
    _sqlite(ctx.path("detention_counts.db"),
            "CREATE TABLE monthly_counts (month TEXT, country TEXT, book_ins INTEGER);",
            [("INSERT INTO monthly_counts VALUES (?,?,?)", _agg_rows(ctx, "sqlite_b1"))])
    yield benign("detention_counts.db", "db_sqlite", "SQLite table of book-ins by month and country (all >= 25)")
    rnd = ctx.rng("sqlite_b2")
    _sqlite(ctx.path("facility_population.sqlite"),
            "CREATE TABLE facilities (facility TEXT, city TEXT, state TEXT, capacity INTEGER);"
            "CREATE TABLE population (facility TEXT, fy INTEGER, adp INTEGER, alos REAL);"
            "CREATE VIEW v_pop AS SELECT f.state, SUM(p.adp) AS adp FROM population p JOIN facilities f"
            " USING (facility) GROUP BY f.state;",
            [("INSERT INTO facilities VALUES (?,?,?,?)", [(f, c, s, rnd.randint(200, 2000)) for f, c, s in FACILITIES]),
             ("INSERT INTO population VALUES (?,?,?,?)",
              [(f, y, rnd.randint(50, 1500), round(rnd.uniform(20, 90), 1)) for f, _, _ in FACILITIES
               for y in (2020, 2021, 2022)])])
    yield benign("facility_population.sqlite", "db_sqlite",
                 "facility list, average daily population by year and a state view (no people)")


def _frame_people(ppl, style: str) -> pl.DataFrame:
    if style == "en":
        return pl.DataFrame({
            "anumber": [p.anum for p in ppl], "lastname": [p.last for p in ppl], "firstname": [p.first for p in ppl],
            "dob": [p.dob for p in ppl], "sex": [p.sex for p in ppl], "citizenship": [p.nationality for p in ppl],
            "facility": [p.facility for p in ppl], "status": [p.status for p in ppl]})
    if style == "es":
        return pl.DataFrame({
            "nombre": [p.first for p in ppl], "apellido": [p.last for p in ppl],
            "fnac": [p.dob for p in ppl], "nacionalidad": [p.nationality for p in ppl],
            "centro": [p.facility for p in ppl]})
    # short names for SAS transport v5 (8 characters)
    return pl.DataFrame({
        "ANUM": [p.a_number for p in ppl], "LNAME": [p.last.upper() for p in ppl],
        "FNAME": [p.first.upper() for p in ppl], "BDATE": [p.dob for p in ppl], "CTZ": [p.iso3 for p in ppl],
        "AGE": [p.age() for p in ppl]})


def _agg_frame(ctx: Ctx, key: str) -> pl.DataFrame:
    rows = _agg_rows(ctx, key)
    return pl.DataFrame({"month": [r[0] for r in rows], "country": [r[1] for r in rows],
                         "bookins": [r[2] for r in rows]})


@register
def stat_cases(ctx: Ctx):
    ppl = ctx.people("sav1", 80)
    pyreadstat.write_sav(_frame_people(ppl, "en"), str(ctx.path("detainee_microdata.sav")),
                         file_label="Detention population extract FY22",
                         column_labels={"anumber": "Alien registration number", "dob": "Date of birth"})
    yield leak("detainee_microdata.sav", "stat_sav", 80, "SPSS file: A-number, names, DOB, citizenship, status")

    ppl = ctx.people("sav2", 45)
    pyreadstat.write_sav(_frame_people(ppl, "es"), str(ctx.path("encuesta_solicitantes.zsav")), compress=True,
                         file_label="Solicitantes de asilo - registro")
    yield leak("encuesta_solicitantes.zsav", "stat_sav", 45, "compressed SPSS (.zsav), Spanish variable names")

    ppl = ctx.people("sav3", 30)
    nat_codes = {c: i + 1 for i, c in enumerate(sorted({p.nationality for p in ppl}))}
    df = pl.DataFrame({"person": [float(i + 1) for i in range(len(ppl))],
                       "byear": [float(p.dob.year) for p in ppl],
                       "nat": [float(nat_codes[p.nationality]) for p in ppl],
                       "claim": [1.0] * len(ppl)})
    pyreadstat.write_sav(df, str(ctx.path("coded_caseload.sav")),
                         column_labels={"person": "Respondent", "byear": "Year of birth", "nat": "Nationality",
                                        "claim": "Protection claim"},
                         variable_value_labels={
                             "person": {float(i + 1): f"{p.last}, {p.first}" for i, p in enumerate(ppl)},
                             "nat": {float(v): k for k, v in nat_codes.items()},
                             "claim": {1.0: "Asylum", 2.0: "None"}})
    yield leak("coded_caseload.sav", "stat_value_labels", 30,
               "SPSS: the person variable is numeric; names are only in its VALUE LABELS")

    ppl = ctx.people("dta_vl", 26)
    df = pl.DataFrame({"id": [i + 1 for i in range(len(ppl))], "facility": [p.facility for p in ppl]})
    pyreadstat.write_dta(df, str(ctx.path("coded_caseload.dta")),
                         variable_value_labels={"id": {i + 1: f"{p.first} {p.last}" for i, p in enumerate(ppl)}})
    yield leak("coded_caseload.dta", "stat_value_labels", 26, "Stata: names only in the value labels of id")

    ppl = ctx.people("sav4", 20)
    df = pl.DataFrame({"q1": [p.full for p in ppl], "q2": [p.nationality for p in ppl],
                       "q3": [float(p.age()) for p in ppl], "q7": [1.0] * len(ppl)})
    pyreadstat.write_sav(df, str(ctx.path("survey_wave2.sav")),
                         column_labels={"q1": "Q1", "q2": "Q2", "q3": "Q3", "q7": "Asylum claim"},
                         variable_value_labels={"q7": {1.0: "Yes", 0.0: "No"}})
    yield leak("survey_wave2.sav", "stat_variable_label", 20,
               "SPSS: q1 holds full names; the variable label of q7 says 'Asylum claim'")

    ppl = ctx.people("dta_vlab", 24)
    df = pl.DataFrame({"v1": [p.full for p in ppl], "v2": [p.dob for p in ppl], "v3": [1] * len(ppl)})
    pyreadstat.write_dta(df, str(ctx.path("wave3_extract.dta")),
                         column_labels=["Respondent", "Born", "Asylum claim"])
    yield leak("wave3_extract.dta", "stat_variable_label", 24, "Stata: v3 labelled 'Asylum claim', v1 names")

    ppl = ctx.people("dta1", 60)
    pyreadstat.write_dta(_frame_people(ppl, "en"), str(ctx.path("removal_cases.dta")),
                         file_label="Removal cases")
    yield leak("removal_cases.dta", "stat_dta", 60, "Stata .dta with record-level detainees")

    ppl = ctx.people("dta2", 33)
    pyreadstat.write_dta(_frame_people(ppl, "es"), str(ctx.path("asilo_2022.dta")), version=14)
    yield leak("asilo_2022.dta", "stat_dta", 33, "Stata 14 format, Spanish names of variables")

    ppl = ctx.people("xpt1", 50)
    pyreadstat.write_xport(_frame_people(ppl, "sas"), str(ctx.path("detain.xpt")), table_name="DETAIN",
                           file_format_version=5)
    yield leak("detain.xpt", "stat_xpt", 50, "SAS transport v5: A-number, names, birth date, citizenship")

    ppl = ctx.people("xpt2", 28)
    pyreadstat.write_xport(_frame_people(ppl, "en"), str(ctx.path("cfi_cases_v8.xpt")), file_format_version=8,
                           column_labels={"status": "Asylum case status"})
    yield leak("cfi_cases_v8.xpt", "stat_xpt", 28, "SAS transport v8 with long names")

    # benign
    agg = _agg_frame(ctx, "sav_b")
    pyreadstat.write_sav(agg, str(ctx.path("bookins_by_country.sav")),
                         column_labels={"bookins": "Initial book-ins"})
    yield benign("bookins_by_country.sav", "stat_sav", "SPSS table of book-ins by month and country (counts)")
    pyreadstat.write_dta(_agg_frame(ctx, "dta_b"), str(ctx.path("bookins_by_country.dta")))
    yield benign("bookins_by_country.dta", "stat_dta", "Stata table of counts")
    rnd = ctx.rng("xpt_b")
    pyreadstat.write_xport(pl.DataFrame({"FY": [2019, 2020, 2021, 2022] * 3,
                                         "REGION": ["WEST"] * 4 + ["SOUTH"] * 4 + ["EAST"] * 4,
                                         "ADP": [float(rnd.randint(400, 9000)) for _ in range(12)]}),
                           str(ctx.path("adp_region.xpt")), file_format_version=5)
    yield benign("adp_region.xpt", "stat_xpt", "SAS transport: average daily population by region and year")
    nat = {i + 1: c for i, c in enumerate(COUNTRIES[:8])}
    pyreadstat.write_sav(pl.DataFrame({"country": [float(k) for k in nat], "n": [float(rnd.randint(40, 800))
                                                                                 for _ in nat]}),
                         str(ctx.path("claims_by_country_coded.sav")),
                         variable_value_labels={"country": {float(k): v for k, v in nat.items()}})
    yield benign("claims_by_country_coded.sav", "stat_value_labels",
                 "SPSS counts with country names in value labels (not people)")
    for f in sorted(ctx.out.iterdir()):
        if f.suffix in (".sav", ".zsav", ".xpt", ".dta"):
            _fix_stat_times(f)


@register
def arrow_cases(ctx: Ctx):
    ppl = ctx.people("feather1", 70)
    t = pa.table({"A_NUMBER": [p.anum for p in ppl], "FULL_NAME": [p.full for p in ppl],
                  "BIRTH_DATE": [p.dob for p in ppl], "COUNTRY_OF_CITIZENSHIP": [p.nationality for p in ppl],
                  "DETENTION_FACILITY": [p.facility for p in ppl]})
    feather.write_feather(t, ctx.path("detention_extract.feather"), compression="zstd")
    yield leak("detention_extract.feather", "arrow_feather", 70, "Feather v2 (zstd) of detainees")

    ppl = ctx.people("feather2", 40)
    t = pa.table({"given_name": [p.first for p in ppl], "family_name": [p.last for p in ppl],
                  "yob": pa.array([p.dob.year for p in ppl], pa.int16()), "claim": ["asylum"] * len(ppl)})
    with pa.OSFile(str(ctx.path("claimants.arrow")), "wb") as sink, pa.ipc.new_file(sink, t.schema) as w:
        w.write_table(t)
    yield leak("claimants.arrow", "arrow_feather", 40, "Arrow IPC file, uncompressed, asylum claimants")

    ppl = ctx.people("feather3", 30)
    t = pa.table({"name": [p.full for p in ppl], "nationality": [p.nationality for p in ppl],
                  "hearing": ["credible fear interview"] * len(ppl)})
    with pa.OSFile(str(ctx.path("cfi_queue.arrows")), "wb") as sink, pa.ipc.new_stream(sink, t.schema) as w:
        w.write_table(t)
    yield leak("cfi_queue.arrows", "arrow_feather", 30, "Arrow IPC stream format")

    ppl = ctx.people("parquet1", 90)
    t = pa.table({"anum": [p.anum for p in ppl], "last_name": [p.last for p in ppl],
                  "first_name": [p.first for p in ppl], "dob": [p.dob for p in ppl],
                  "nationality": [p.nationality for p in ppl], "status": [p.status for p in ppl]})
    pq.write_table(t, ctx.path("caseload.parquet"), compression="snappy")
    yield leak("caseload.parquet", "parquet", 90, "Parquet (snappy) of asylum caseload")

    ppl = ctx.people("parquet2", 36)
    t = pa.table({"person": [{"given": p.first, "family": p.last, "born": p.dob} for p in ppl],
                  "case": [{"type": "asylum", "facility": p.facility} for p in ppl]})
    pq.write_table(t, ctx.path("nested_people.parquet"), compression="zstd", row_group_size=10)
    yield leak("nested_people.parquet", "parquet", 36, "Parquet with struct columns person{given,family,born}")

    rnd = ctx.rng("arrow_b")
    rows = _agg_rows(ctx, "feather_b")
    feather.write_feather(pa.table({"month": [r[0] for r in rows], "country": [r[1] for r in rows],
                                    "count": [r[2] for r in rows]}), ctx.path("monthly_counts.feather"))
    yield benign("monthly_counts.feather", "arrow_feather", "Feather table of monthly counts by country")
    pq.write_table(pa.table({"facility": [f for f, _, _ in FACILITIES], "state": [s for _, _, s in FACILITIES],
                             "adp_fy22": [rnd.randint(80, 1800) for _ in FACILITIES],
                             "alos_days": [round(rnd.uniform(20, 80), 1) for _ in FACILITIES]}),
                   ctx.path("facility_adp.parquet"))
    yield benign("facility_adp.parquet", "parquet", "Parquet of facility average daily population")


@register
def numbers_cases(ctx: Ctx):
    from numbers_parser import Document

    ppl = ctx.people("numbers1", 32)
    doc = Document(num_header_rows=1, num_header_cols=0)
    table = doc.sheets[0].tables[0]
    for c, h in enumerate(["A-Number", "Last Name", "First Name", "Date of Birth", "Country", "Facility"]):
        table.write(0, c, h)
    for r, p in enumerate(ppl, start=1):
        for c, v in enumerate([p.anum, p.last, p.first, d(p.dob, "%m/%d/%Y"), p.nationality, p.facility]):
            table.write(r, c, v)
    doc.save(ctx.path("detention_roster.numbers"))
    yield leak("detention_roster.numbers", "numbers", 32, "Apple Numbers roster")

    ppl = ctx.people("numbers2", 15)
    doc = Document()
    doc.sheets[0].name = "Summary"
    t0 = doc.sheets[0].tables[0]
    t0.write(0, 0, "Country")
    t0.write(0, 1, "Detained")
    for r, c in enumerate(COUNTRIES[:6], start=1):
        t0.write(r, 0, c)
        t0.write(r, 1, ctx.rng("n2" + c).randint(30, 600))
    doc.add_sheet("Working", "Cases")
    t1 = doc.sheets[1].tables[0]
    for c, h in enumerate(["Name", "Born", "Claim"]):
        t1.write(0, c, h)
    for r, p in enumerate(ppl, start=1):
        t1.write(r, 0, p.full)
        t1.write(r, 1, d(p.dob))
        t1.write(r, 2, "asylum")
    doc.save(ctx.path("summary_and_cases.numbers"))
    yield leak("summary_and_cases.numbers", "numbers", 15, "Numbers: summary sheet plus a second sheet of 15 cases")

    doc = Document()
    t = doc.sheets[0].tables[0]
    t.write(0, 0, "Country")
    for j, m in enumerate(MONTHS[:6], start=1):
        t.write(0, j, m)
    for i, c in enumerate(COUNTRIES[:12], start=1):
        t.write(i, 0, c)
        for j in range(1, 7):
            t.write(i, j, ctx.rng(f"nb{c}{j}").randint(25, 999))
    doc.save(ctx.path("monthly_by_country.numbers"))
    yield benign("monthly_by_country.numbers", "numbers", "Numbers table of monthly counts by country")
