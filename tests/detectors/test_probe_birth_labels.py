"""Lists of people written the way French, Portuguese, German, Italian and Haitian Creole offices write them:
birth dates after their own labels ("né(e) le", "nascido em", "geb.", "nato il", "fèt") and surnames in capitals
before or after the given names ("CORONA Aida", "Karim BENALI"). Each list is a leak that counts its people; the
hard negatives (acronyms and headings in capitals before a capitalised word, dates that are not births) pass."""

from __future__ import annotations

import pytest

from veil.detectors.text_ids import find_identifiers
from veil.detectors.text_names import find_names
from veil.findings import Verdict
from veil.pipeline import check_bytes

BIRTH_DATES = [
    "M. Karim BENALI, né le 12/03/1988",
    "Mme Awa DIOP, née le 3 mars 1992",
    "CORONA Aida, né(e) le 1976-11-09",
    "Date de naissance : 14 juillet 1985",
    "João Pedro da Silva, nascido em 12/05/1987",
    "Maria Lima, nascida em 3 de março de 1990",
    "Herr Ahmad Karimi, geb. 12.03.1988",
    "Frau Leyla Osman, geboren am 3. März 1992",
    "Sig. Luca Bianchi, nato il 4 maggio 1979",
    "Jean Pierre Louis, fèt 12/03/1988",
    "Marie Claire Joseph, dat li fèt: 3 mas 1992",
]


@pytest.mark.parametrize("line", BIRTH_DATES)
def test_a_birth_date_after_its_label_in_each_language_is_found(line: str) -> None:
    assert any(i.kind == "dob" for i in find_identifiers(line)), line


@pytest.mark.parametrize("line", [
    "Le bureau est né le jour où la loi est entrée en vigueur.",
    "The meeting was held on 12/03/2024 in Geneva.",
    "Réunion du 3 mars 2024 à Paris.",
])
def test_dates_that_are_not_births_are_not_birth_dates(line: str) -> None:
    assert not any(i.kind == "dob" for i in find_identifiers(line)), line


LISTS = {
    "retenus.txt": ("Liste des retenus\nCORONA Aida, né(e) le 1976-11-09, Cuba, demande d'asile\n"
                    "BELTRÁN Bernardo, né(e) le 1999-06-18, Honduras, asile en cours\n"
                    "NAVARRETE Eugenio, né(e) le 1986-10-27, Cuba, retenu\n", 3),
    "ordre_francais.txt": ("Personnes placées en rétention\nM. Karim BENALI, né le 12/03/1988, algérien\n"
                           "Mme Awa DIOP, née le 3 mars 1992, sénégalaise\n"
                           "M. Jean-Baptiste MOREAU, né le 1990-07-21, haïtien\n", 3),
    "requerentes.txt": ("Relação de requerentes de refúgio\nJoão Pedro da Silva, nascido em 12/05/1987, angolano\n"
                        "Maria das Dores Lima, nascida em 3 de março de 1990, angolana\n", 2),
    "lis.txt": ("Lis moun ki nan detansyon\nJean Pierre Louis, fèt 12/03/1988, Ayisyen, li mande azil\n"
                "Marie Claire Joseph, dat li fèt: 3 mas 1992, Ayisyen\n", 2),
}


@pytest.mark.parametrize("name", list(LISTS))
def test_each_list_is_a_leak_that_counts_its_people(name: str) -> None:
    text, people = LISTS[name]
    result = check_bytes(text.encode(), name)
    assert result.verdict != Verdict.PASS
    assert result.persons == people


@pytest.mark.parametrize("text", [
    "USCIS Director Ur Jaddou spoke at the conference.",
    "The ICE Field Office in Miami handles the case.",
    "ASYLUM Statistics for the second quarter are below.",
    "Le rapport de la CNDA Paris est publié chaque année.",
    "NOTE Grace period for filing ends on 30 June.",
])
def test_capitals_that_are_not_a_surname_are_not_names(text: str) -> None:
    assert not any(h.value.split()[0].isupper() or h.value.split()[-1].isupper() for h in find_names(text)), text
