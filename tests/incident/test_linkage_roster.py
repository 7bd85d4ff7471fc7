"""The roster is the agency's own data: `veil link` reads it whole (Parquet through DuckDB, CSV without the bounds
kept for untrusted files), refuses a damaged file or one that would not fit in memory, and says so without a value."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.linkage_synthetic import Synthetic, generate
from veil.incident import linkage_roster
from veil.incident.linkage import Decision, link_files
from veil.incident.linkage_columns import LinkageInputError, read_people_table
from veil.incident.linkage_roster import read_roster_table
from veil.readers.datasets import parquet
from veil.readers.limits import Limits

ROSTER_ID = "Person ID"


@pytest.fixture(scope="module")
def synthetic() -> Synthetic:
    return generate(400, 60, decoys=5, seed=23)


def _files(tmp_path: Path, synthetic: Synthetic, suffix: str) -> tuple[Path, Path]:
    roster, exposed = tmp_path / f"roster.{suffix}", tmp_path / "exposed.csv"
    if suffix == "parquet":
        synthetic.roster.write_parquet(roster)
    else:
        synthetic.roster.write_csv(roster)
    synthetic.exposed.write_csv(exposed)
    return roster, exposed


def test_a_parquet_roster_past_the_untrusted_row_bound_is_linked_whole(
        tmp_path: Path, synthetic: Synthetic, monkeypatch: pytest.MonkeyPatch) -> None:
    roster, exposed = _files(tmp_path, synthetic, "parquet")
    monkeypatch.setattr(parquet, "MAX_ROWS", 100)
    with pytest.raises(LinkageInputError, match="too large to read whole"):
        read_people_table(roster, what="roster")  # an untrusted file is read within the bound
    table = read_roster_table(roster)
    assert table.frame.height == 400 and ROSTER_ID in table.frame.columns
    result = link_files(exposed, roster, ROSTER_ID)
    accepted = {m.row: m.roster_id for m in result.matches if m.decision is Decision.ACCEPTED}
    assert len(accepted) >= 50
    assert all(synthetic.truth[row - 1] == rid for row, rid in accepted.items())


def test_the_parquet_roster_reads_as_the_parquet_reader_reads_it(tmp_path: Path, synthetic: Synthetic) -> None:
    roster, _ = _files(tmp_path, synthetic, "parquet")
    assert read_roster_table(roster).frame.equals(read_people_table(roster, what="roster", only_table=True).frame)


def test_a_csv_roster_past_the_untrusted_cell_bound_is_read_whole(tmp_path: Path, synthetic: Synthetic) -> None:
    roster, _ = _files(tmp_path, synthetic, "csv")
    with pytest.raises(LinkageInputError):
        read_people_table(roster, what="roster", limits=Limits(max_cells=1000))
    assert read_roster_table(roster).frame.height == 400


@pytest.mark.parametrize("damage", ["footer", "pages"])
def test_a_damaged_parquet_roster_is_refused_naming_the_file(tmp_path: Path, synthetic: Synthetic,
                                                             damage: str) -> None:
    roster, exposed = _files(tmp_path, synthetic, "parquet")
    blob = roster.read_bytes()
    # A footer cut off, or the column pages overwritten (the footer still says where they are).
    roster.write_bytes(blob[: len(blob) // 2] if damage == "footer" else blob[:4] + b"\xff" * (len(blob) // 2)
                       + blob[4 + len(blob) // 2:])
    with pytest.raises(LinkageInputError, match=r"cannot read the roster roster\.parquet") as caught:
        link_files(exposed, roster, ROSTER_ID)
    assert not any(value in str(caught.value) for value in synthetic.roster["Surname"].to_list())


@pytest.mark.parametrize("suffix", ["parquet", "csv"])
def test_a_roster_past_the_machines_memory_points_to_spark(tmp_path: Path, synthetic: Synthetic, suffix: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    roster, exposed = _files(tmp_path, synthetic, suffix)
    monkeypatch.setattr(linkage_roster, "available_memory", lambda: 100_000)
    with pytest.raises(LinkageInputError, match="--engine spark"):
        link_files(exposed, roster, ROSTER_ID)


def test_a_parquet_roster_has_no_sheets(tmp_path: Path, synthetic: Synthetic) -> None:
    roster, _ = _files(tmp_path, synthetic, "parquet")
    with pytest.raises(LinkageInputError, match="no sheet named"):
        read_roster_table(roster, sheet="People")
