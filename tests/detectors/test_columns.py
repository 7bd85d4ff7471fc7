import random

import pytest
from faker import Faker

from veil.detectors.columns import classify, header_class


def _fake(locale: str, kind: str, n: int = 200, seed: int = 1) -> list[str]:
    fake = Faker(locale)
    fake.seed_instance(seed)
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        if kind == "last-first":
            out.append(f"{fake.last_name().upper()}, {fake.first_name().upper()}")
        elif kind == "first-last":
            out.append(f"{fake.first_name()} {fake.last_name()}")
        elif kind == "dob":
            out.append(fake.date_of_birth(minimum_age=1, maximum_age=80).strftime("%m/%d/%Y"))
        elif kind == "a-number":
            out.append(f"A{rnd.randint(10**8, 10**9 - 1)}")
        elif kind == "a-number-dashed":
            d = str(rnd.randint(10**8, 10**9 - 1))
            out.append(f"A-{d[:3]}-{d[3:6]}-{d[6:]}")
    return out


@pytest.mark.parametrize(
    ("header", "expected"),
    [("Name", "person-name"), ("Full Name", "person-name"), ("Nombre completo", "person-name"),
     ("Last Name", "surname"), ("Apellidos", "surname"), ("First Name", "given-name"), ("DOB", "date-of-birth"),
     ("Date of Birth", "date-of-birth"), ("Fecha de nacimiento", "date-of-birth"), ("A-Number", "a-number"),
     ("A#", "a-number"), ("Alien Number", "a-number"), ("Country of Citizenship", "nationality"),
     ("Nacionalidad", "nationality"), ("Facility Name", None), ("Field Office Name", None), ("Total", None),
     ("Fecha Nac.", "date-of-birth"), ("F. de Nac.", "date-of-birth"), ("Beneficiary Name", "person-name"),
     ("Client Name", "person-name"), ("subject.given", "given-name"), ("subject.name.0.family", "surname"),
     ("patient.birthDate", "date-of-birth"), ("D.O.B.", "date-of-birth"), ("v1.2", None),
     ("Nom", "surname"), ("Prénom", "given-name"), ("Date de naissance", "date-of-birth"),
     ("Nationalité", "nationality"), ("Sexe", "sex"),
     ("Detainee Date of Birth (MM/DD/YYYY)", "date-of-birth"), ("APP_AGE", "age"), ("SUBJECT_SEX", "sex"),
     ("Average", None), (None, None), ("", None)],
)
def test_header_class(header: str | None, expected: str | None) -> None:
    assert header_class(header) == expected


@pytest.mark.parametrize(
    ("spellings", "expected"),
    [(["firstname", "FirstName", "FIRST NAME", "first_name", "First-Name", "FIRSTNAME", "given_name",
       "givenName", "Prénom", "PRENOM", "Vorname", "nome"], "given-name"),
     (["lastname", "LastName", "LAST_NAME", "Surname", "SURNAME", "familyName", "family_name", "Apellidos",
       "Nachname", "cognome", "NOM_DE_FAMILLE", "Sobrenome"], "surname"),
     (["DOB", "dob", "D.O.B.", "dateofbirth", "DateOfBirth", "date_of_birth", "birth_dt", "BIRTH DATE", "BirthDate",
       "DATE_NAISSANCE", "FechaNacimiento", "fecha_de_nacimiento", "Geburtsdatum", "data di nascita",
       "dataDeNascimento", "subject.dateOfBirth"], "date-of-birth"),
     (["anumber", "ANumber", "A_NUMBER", "a-number", "alien_no", "AlienNumber", "ALIEN NO", "A#",
       "alien_registration_number"], "a-number"),
     (["countryOfCitizenship", "COUNTRY_OF_CITIZENSHIP", "Nationalité", "cittadinanza", "Staatsangehörigkeit"],
      "nationality")],
)
def test_header_spellings_are_one_header(spellings: list[str], expected: str) -> None:
    assert {h: header_class(h) for h in spellings} == dict.fromkeys(spellings, expected)


@pytest.mark.parametrize("header", ["Año", "ano", "Anomaly", "Birthplace", "Namespace", "Facility_Name", "Lastupdated",
                                    "Fiscal Year", "firstly", "Nominal"])
def test_words_that_only_look_like_header_words_are_not(header: str) -> None:
    assert header_class(header) is None


@pytest.mark.parametrize(
    ("header", "kind", "locale", "expected"),
    [
        ("Name", "last-first", "es_MX", "person-name"),
        ("Detainee", "first-last", "en_US", "person-name"),
        (None, "last-first", "es_MX", "person-name"),
        ("DOB", "dob", "en_US", "date-of-birth"),
        ("A-Number", "a-number", "en_US", "a-number"),
        (None, "a-number-dashed", "en_US", "a-number"),
        (None, "dob", "en_US", "date"),  # dates alone, without a header, are not taken for birth dates
    ],
)
def test_classify_person_columns(header: str | None, kind: str, locale: str, expected: str) -> None:
    result = classify(0, header, _fake(locale, kind))
    assert result.kind == expected, result.evidence
    assert result.evidence


@pytest.mark.parametrize(
    ("header", "values", "expected"),
    [
        ("Nationality", ["Mexico", "Guatemala", "Honduras", "El Salvador", "Haiti"] * 20, "nationality"),
        ("Sex", ["Male", "Female"] * 30, "sex"),
        ("Facility", ["ADELANTO ICE PROCESSING CENTER", "STEWART DETENTION CENTER", "OTERO COUNTY PROCESSING CENTER"]
         * 10, "facility"),
        ("Count", [str(i) for i in range(1, 80)], "number"),
        ("Region", ["Europe Other", "Asia Central", "Africa North", "America North"] * 30, "text"),
        ("Case Type", ["Credible Fear", "Asylum", "Withholding", "CAT"] * 10, "case-status"),
        ("DOB", ["(b)(6),(b)(7)(c)"] * 50, "redacted"),
    ],
)
def test_classify_attribute_columns(header: str, values: list[str], expected: str) -> None:
    assert classify(0, header, values).kind == expected


def test_statistics_labels_are_not_names() -> None:
    labels = ["Male", "Female", "Total", "Kern County", "Processing Center", "Grant", "May", "Convicted Criminal",
              "Pending Criminal Charges", "Other Immigration Violator", "Bonded Out", "Paroled"]
    assert classify(0, None, labels).kind not in ("person-name", "surname", "given-name")
