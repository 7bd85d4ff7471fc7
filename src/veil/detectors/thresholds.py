"""The numbers the detectors need from the policy, and nothing else: the policy makes the verdict, in one place
(veil.policy.Policy.verdict); the detectors only find."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class SmallCellRule(Protocol):
    """What the one small-cell rule reads (a Thresholds, or a Policy for the incident's outside reports)."""

    @property
    def small_cell_threshold(self) -> int: ...

    @property
    def zero_is_disclosive(self) -> bool: ...


@dataclass(frozen=True)
class Thresholds:
    small_cell_threshold: int = 10  # counts of people 1..threshold-1 are small
    zero_is_disclosive: bool = False  # ... and 0 too
    max_cells_listed: int = 200  # small cells listed in one finding
    microdata_min_rows: int = 3  # rows of people (without identifiers) that make a table microdata
    named_list_min_people: int = 10  # distinct private names in one file that make it a list of people
    name_list_min_people: int = 3  # distinct names in a names-only table that make it a list of people
