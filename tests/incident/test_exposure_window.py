"""The exposure window as people read it: its length in timeline entries and on the incident page, and its hours
in every report format (the PDF and XLSX rows come from the same content as the JSON)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from veil.incident import reports
from veil.incident.incidents import duration

START = datetime(2022, 11, 3, 14, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("length", "text"),
    [
        (timedelta(hours=4, minutes=19), "4 h 19 min"),
        (timedelta(seconds=40), "40 s"),
        (timedelta(days=2, hours=3, minutes=5), "2 d 3 h"),
        (timedelta(minutes=-5), "0 s"),
        (timedelta(0), "0 s"),
    ],
)
def test_duration(length: timedelta, text: str) -> None:
    assert duration(START, START + length) == text


def test_report_rows_carry_the_window_and_its_hours() -> None:
    content = {
        "kind": "oversight",
        "incident_id": 1,
        "exposed_rows": 6252,
        "exposure": {
            "start": START.isoformat(),
            "end": (START + timedelta(hours=4, minutes=19)).isoformat(),
            "hours": 4.32,
            "start_source": "access-log",
        },
    }
    scalars, _ = reports._rows(content)
    assert ("exposure hours", "4.32 h") in scalars and ("exposure start source", "access-log") in scalars
    assert ("exposure start", START.isoformat()) in scalars and ("exposed rows", 6252) in scalars
