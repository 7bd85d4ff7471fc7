"""Generated incidents for the respond tests: a roster with facility, custody, language, attorney and flight columns,
and an exposed file from support.linkage_synthetic (its ground truth kept). The file shows where each person was
held when it leaked: the roster's facility, but for the few moved since (linkage_synthetic.Facilities)."""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import polars as pl
import pytest

from support.linkage_synthetic import generate
from support.store import postgres_database as shared_postgres_database
from veil.store.engine import Database

DISCOVERED = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
EXPOSURE_START = DISCOVERED - timedelta(days=12)


@dataclass
class Case:
    roster_path: Path
    exposed_path: Path
    roster: pl.DataFrame
    exposed: pl.DataFrame
    truth: list[str | None]  # roster Person ID per exposed row (None: decoy)
    flight: str
    flight_members: list[str]  # roster Person IDs on the flight
    sha256: str


ROSTER_MAPPING = {"id": "Person ID", "given": "Given names", "surname": "Surname", "surname2": "Second surname",
                  "dob": "Date of birth", "nationality": "Nationality", "anumber": "A-Number",
                  "facility": "Facility", "custody": "In custody", "language": "Language", "attorney": "Attorney",
                  "attorney_address": "Attorney address", "address": "Address", "group": "Flight"}


def make_case(tmp: Path, roster_size: int = 5000, exposed_size: int = 300, decoys: int = 20, seed: int = 6,
              flight_size: int = 103, flight_in_file: int = 46) -> Case:
    syn = generate(roster_size, exposed_size, decoys=decoys, seed=seed, facility=True)
    rng = random.Random(seed)
    ids = syn.roster["Person ID"].to_list()
    in_file = [t for t in syn.truth if t is not None]
    outside = sorted(set(ids) - set(in_file))
    flight_members = rng.sample(in_file, flight_in_file) + rng.sample(outside, flight_size - flight_in_file)
    on_flight = set(flight_members)
    n = len(ids)
    roster = syn.roster.with_columns(
        pl.Series("In custody", ["yes" if i % 4 else "no" for i in range(n)]),
        pl.Series("Language", ["Spanish" if i % 2 else "English" for i in range(n)]),
        pl.Series("Attorney", [f"Counsel {i % 37}" if i % 5 == 0 else "" for i in range(n)]),
        pl.Series("Attorney address", [f"{i % 37} Court St, Springfield" if i % 5 == 0 else "" for i in range(n)]),
        pl.Series("Address", [f"{100 + i} Main St, Springfield" for i in range(n)]),
        pl.Series("Flight", ["RF-2207" if pid in on_flight else "" for pid in ids]),
    )
    roster_path = tmp / "roster.csv"
    roster.write_csv(roster_path)
    exposed_path = tmp / "detainees_2026.csv"
    syn.exposed.write_csv(exposed_path)
    return Case(roster_path, exposed_path, roster, syn.exposed, syn.truth, "RF-2207", flight_members,
                hashlib.sha256(exposed_path.read_bytes()).hexdigest())


# --- databases (own fixtures: independent of how the store's test helpers evolve) -------------------------------

def sqlite_database(tmp: Path) -> Iterator[Database]:
    db = Database(f"sqlite:///{tmp / 'veil.db'}")
    db.upgrade()
    try:
        yield db
    finally:
        db.dispose()


def postgres_database() -> Iterator[Database]:
    yield from shared_postgres_database("veil_respond")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    """A migrated SQLite database."""
    yield from sqlite_database(tmp_path)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def both_databases(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Database]:
    """A migrated database: once on SQLite, once on PostgreSQL (skipped when no server answers)."""
    if request.param == "sqlite":
        yield from sqlite_database(tmp_path)
    else:
        yield from postgres_database()


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    from argon2 import PasswordHasher

    from veil.workflow import accounts

    monkeypatch.setattr(accounts, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
