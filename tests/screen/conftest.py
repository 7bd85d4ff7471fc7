"""A database of incident people shared by the screen's tests: two held, one affected, one whose hold was lifted."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from support.incident_people import incident_database


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated database per module: migrations are the slow part."""
    path = tmp_path_factory.mktemp("veil")
    incident_database(path, [
        {"given": "José", "surname": "GARCÍA", "dob": date(1980, 2, 1), "nationality": "Guatemala",
         "anumber": "123456789"},
        {"given": "Marie-Claude", "surname": "JOSEPH", "dob": date(1991, 7, 3), "nationality": "Haiti"},
        {"given": "Ana", "surname": "RUIZ", "dob": date(1985, 11, 20), "nationality": "Honduras"},
        {"given": "Luis", "surname": "MORA", "anumber": "987654321"},
    ], held=[0, 1], lifted=[3])
    return path
