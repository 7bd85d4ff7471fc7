"""The staff of an asylum or refugee agency are officials: 'Supervisory Asylum Officer', 'Referatsleiter Asyl' or an
office called 'Refugee Affairs Division' under a title or office header names the work, not a person's claim. A
roster that puts a claim under such a header still blocks. Fixtures are built here, seeded (not the format probe's
variants)."""

import random

import pytest
from faker import Faker

from veil.detectors.tables import analyse_table
from veil.findings import Kind
from veil.policy import load_policy
from veil.readers.units import table_from_rows

POLICY = load_policy()


def _people(seed: int, n: int, locale: str) -> list[tuple[str, str]]:
    fake = Faker(locale)
    fake.seed_instance(seed)
    return [(fake.first_name(), fake.last_name()) for _ in range(n)]


def _kinds(rows: list[list[object]]) -> tuple[set[str], int]:
    findings = analyse_table(table_from_rows(rows, location="x"), POLICY.thresholds)
    people = {k for f in findings if POLICY.effect(f.kind) == "block" for k in f.person_keys}
    return {f.kind.value for f in findings}, len(people)


def _directory(
    seed: int, header: list[str], titles: list[str], domain: str, locale: str, office: str | None = None
) -> list[list[object]]:
    rnd = random.Random(seed)
    rows: list[list[object]] = [header]
    for (given, family), title in zip(_people(seed, len(titles), locale), titles, strict=True):
        mail = f"{given[0].lower()}{family.lower().replace(' ', '')}@{domain}"
        row: list[object] = [f"{given} {family}", title]
        if office is not None:
            row.append(office)
        rows.append([*row, f"+1 202 555 {rnd.randint(1000, 9999)}", mail])
    return rows


STAFF = {
    "uscis": (
        ["Employee", "Position", "Phone", "E-mail"],
        [
            "Asylum Division Chief",
            "Deputy Chief, Asylum Division",
            "Supervisory Asylum Officer",
            "Asylum Officer",
            "Refugee Officer",
            "Training Officer",
        ],
        "uscis.dhs.gov",
        "en_US",
        None,
    ),
    "bamf": (
        ["Name", "Funktion", "Telefon", "E-Mail"],
        [
            "Referatsleiter Asyl",
            "Referentin Flüchtlingsschutz",
            "Sachbearbeiterin Asylverfahren",
            "Leiterin Abteilung Asyl",
        ],
        "bamf.bund.de",
        "de_DE",
        None,
    ),
    "comar_office": (
        ["Nombre", "Puesto", "Oficina", "Teléfono", "Correo"],
        ["Coordinador", "Jefa de Departamento", "Analista", "Asesor jurídico"],
        "comar.gob.mx",
        "es_MX",
        "Oficina de Asilo y Refugio, Tapachula",
    ),
    "eoir_office": (
        ["Name", "Title", "Office", "Phone", "Email"],
        ["Judge", "Court Administrator", "Clerk", "Interpreter Supervisor"],
        "usdoj.gov",
        "en_US",
        "Refugee Affairs Division",
    ),
}


@pytest.mark.parametrize("case", sorted(STAFF))
@pytest.mark.parametrize("seed", [3, 11])
def test_staff_of_an_asylum_agency_pass(case: str, seed: int) -> None:
    header, titles, domain, locale, office = STAFF[case]
    kinds, people = _kinds(_directory(seed, header, titles, domain, locale, office))
    assert kinds == {Kind.NAMED_PERSON.value}, kinds
    assert people == 0


@pytest.mark.parametrize("claim", ["Asylum seeker", "Asylum pending", "Solicitante de asilo", "Refugee claimant"])
def test_a_claim_under_a_title_header_still_blocks(claim: str) -> None:
    rows: list[list[object]] = [["Name", "Title", "Phone"]]
    rows += [[f"{g} {f}", claim, f"+1 915 555 {1000 + i}"] for i, (g, f) in enumerate(_people(5, 8, "es_MX"))]
    kinds, people = _kinds(rows)
    assert Kind.RECORD_LEVEL.value in kinds
    assert people == 8


def test_an_asylum_office_beside_a_status_column_still_blocks() -> None:
    rows: list[list[object]] = [["Name", "Office", "Status"]]
    rows += [[f"{g} {f}", "Houston Asylum Office", "Credible fear pending"] for g, f in _people(9, 6, "en_US")]
    kinds, people = _kinds(rows)
    assert Kind.RECORD_LEVEL.value in kinds
    assert people == 6
