"""Tables of public officials pass; rosters that look like them (a Title of Mr/Ms, a staff table with a birth date and
a protection claim or an A-number, private e-mail addresses) do not. Fixtures are built here, seeded."""

import random

import pytest
from faker import Faker

from veil.detectors.tables import analyse_table
from veil.findings import Kind
from veil.policy import load_policy
from veil.readers.units import table_from_rows

POLICY = load_policy()
JOBS = ["Deputy Chief of Staff", "Senior Advisor", "Press Officer", "Policy Analyst", "Executive Assistant",
        "Director of Operations", "Associate Counsel", "Scheduler", "Research Associate", "Speechwriter"]


def _people(seed: int, n: int) -> list[tuple[str, str]]:
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    return [(fake.first_name(), fake.last_name()) for _ in range(n)]


def _verdict(rows: list[list[object]]) -> tuple[list[str], int]:
    findings = analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds)
    people = {k for f in findings if POLICY.effect(f.kind) == "block" for k in f.person_keys}
    return [f.kind.value for f in findings], len(people)


def _officials(seed: int) -> dict[str, list[list[object]]]:
    rnd = random.Random(seed)
    p = _people(seed, 40)
    return {
        "directory": [["Name", "Job Title", "Office", "E-mail"]]
        + [[f"{f} {s}", rnd.choice(JOBS), "Bureau of Consular Affairs", f"{s.lower()}{f[0].lower()}@state.gov"]
           for f, s in p[:15]],
        "contacts": [["Contact", "Role", "Telephone"]]
        + [[f"{f} {s}", rnd.choice(["Spokesperson", "Press Officer"]), f"+44 20 7946 {rnd.randint(1000, 9999)}"]
           for f, s in p[15:18]],
        "name-position": [["NAME", "POSITION"]] + [[f"{s.upper()}, {f.upper()}", rnd.choice(JOBS).upper()]
                                                   for f, s in p[18:30]],
        "members": [["Member", "Party", "Constituency", "Date of birth"]]
        + [[f"{f} {s}", rnd.choice(["Labour", "Conservative", "Liberal Democrat", "SNP"]), f"Borough {i}",
            f"19{rnd.randint(40, 90)}-0{rnd.randint(1, 9)}-1{rnd.randint(0, 9)}"] for i, (f, s) in enumerate(p[:25])],
        "salaries": [["Employee Name", "Status", "Salary", "Pay Basis", "Position Title"]]
        + [[f"{s}, {f}", "Employee", f"${rnd.randint(40, 190)},000.00", "Per Annum", rnd.choice(JOBS)]
           for f, s in p[:30]],
        "spanish": [["Nombre", "Cargo", "Correo electrónico"]]
        + [[f"{f} {s}", rnd.choice(["Director General", "Subdirectora de Análisis", "Jefa de Prensa"]),
            f"{f[0].lower()}{s.lower()}@segob.gob.mx"] for f, s in p[30:40]],
        "ambassadors": [["Ambassador", "Title", "Country"]]
        + [[f"{f} {s}", "Ambassador Extraordinary and Plenipotentiary", c]
           for (f, s), c in zip(p[:6], ["France", "Kenya", "Peru", "Japan", "Chile", "Ghana"], strict=True)],
    }


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("layout", ["directory", "contacts", "name-position", "salaries", "spanish", "ambassadors"])
def test_a_table_of_officials_is_a_note_and_counts_nobody(layout: str, seed: int) -> None:
    kinds, persons = _verdict(_officials(seed)[layout])
    assert kinds == ["named-person"] and persons == 0


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_officials_with_their_birth_dates_are_reviewed_and_count_nobody(seed: int) -> None:
    kinds, persons = _verdict(_officials(seed)["members"])
    assert kinds == ["officials-personal-data"] and persons == 0


def _rosters(seed: int) -> dict[str, list[list[object]]]:
    rnd = random.Random(seed)
    p = _people(seed, 40)
    dob = [f"19{rnd.randint(50, 99)}-0{rnd.randint(1, 9)}-2{rnd.randint(0, 8)}" for _ in p]
    return {
        "honorific-title": [["Title", "Name", "Date of Birth", "Country"]]
        + [[rnd.choice(["Mr", "Ms", "Mrs"]), f"{f} {s}", dob[i], "Eritrea"] for i, (f, s) in enumerate(p[:10])],
        "staff-dob-status": [["Name", "Position", "DOB", "Notes"]]
        + [[f"{f} {s}", rnd.choice(JOBS), dob[i], "credible fear interview pending"] for i, (f, s) in enumerate(p[:8])],
        "staff-a-number": [["Name", "Job Title", "A-Number"]]
        + [[f"{f} {s}", rnd.choice(JOBS), f"A{rnd.randint(10**8, 10**9 - 1)}"] for f, s in p[:6]],
        "private-mail": [["Name", "Title", "Email"]]
        + [[f"{f} {s}", rnd.choice(JOBS), f"{f.lower()}{rnd.randint(1, 99)}@gmail.com"] for f, s in p[:9]],
        "facility": [["Name", "Position", "Nationality", "Facility"]]
        + [[f"{f} {s}", rnd.choice(JOBS), "Honduras", "Stewart Detention Center"] for f, s in p[:7]],
        "members-nationality": [["Name", "Party", "Date of birth", "Nationality"]]
        + [[f"{f} {s}", "Labour", dob[i], "Somalia"] for i, (f, s) in enumerate(p[:7])],
        "phone-dob": [["Name", "Phone", "Date of birth"]]
        + [[f"{f} {s}", f"555-201-{rnd.randint(1000, 9999)}", dob[i]] for i, (f, s) in enumerate(p[:7])],
        "charges": [["Name", "Title", "Charge"]]
        + [[f"{f} {s}", rnd.choice(JOBS), "Possession with intent to distribute"] for f, s in p[:7]],
    }


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("layout", ["honorific-title", "staff-dob-status", "staff-a-number", "private-mail",
                                    "facility", "members-nationality", "phone-dob", "charges"])
def test_a_roster_that_looks_like_officials_is_record_level(layout: str, seed: int) -> None:
    rows = _rosters(seed)[layout]
    kinds, persons = _verdict(rows)
    assert "record-level" in kinds
    assert persons == len(rows) - 1


def test_officials_in_a_docket_are_not_the_people_it_discloses() -> None:
    rnd = random.Random(4)
    defendants = _people(4, 12)
    judges = [f"{f} {s}" for f, s in _people(5, 2)]
    rows = [["Defendant", "Offense", "Judge", "Prosecutor"]] + [
        [f"{s.upper()}, {f.upper()}", "8 U.S.C. 1326 illegal reentry", rnd.choice(judges), "Maria Lopez"]
        for f, s in defendants]
    findings = analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds)
    record = [f for f in findings if f.kind is Kind.RECORD_LEVEL]
    assert len(record) == 1 and len(record[0].person_keys) == 12
    assert "official" in record[0].message


def test_a_table_of_judges_alone_passes() -> None:
    rows = [["Immigration Judge", "Court", "Phone"]] + [[f"{f} {s}", "Chicago Immigration Court", "312-555-0100"]
                                                        for f, s in _people(6, 9)]
    findings = analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds)
    assert all(POLICY.effect(f.kind) == "note" for f in findings)
