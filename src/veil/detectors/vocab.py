"""Word lists shared by the column classifiers and the small-cell check (English and Spanish)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

# Header phrases per column class, normalised (lower case, accents folded, punctuation to spaces; '#' kept).
HEADERS: dict[str, tuple[str, ...]] = {
    "person-name": ("name", "names", "full name", "detainee name", "detainee", "person name", "subject name",
                    "alien name", "applicant name", "applicant", "client name", "individual name", "individual",
                    "name last first", "last first", "last name first name", "nombre", "nombre completo",
                    "nombre y apellidos", "apellidos y nombre", "apellidos y nombres", "respondent", "beneficiary",
                    "detainee full name", "name of deceased", "deceased", "decedent", "victim name", "witness name",
                    "beneficiary name", "informant name", "nom complet", "nom et prenom", "nom prenom"),
    "surname": ("last name", "surname", "family name", "lname", "last", "apellido", "apellidos", "primer apellido",
                "segundo apellido", "apellido paterno", "apellido materno", "last nm", "nom", "nom de famille"),
    "given-name": ("first name", "given name", "given names", "fname", "first", "middle name", "nombres",
                   "primer nombre", "segundo nombre", "first nm", "forename", "forenames", "prenom", "prenoms"),
    "date-of-birth": ("dob", "d o b", "date of birth", "birth date", "birthdate", "birthday", "fecha de nacimiento",
                      "fecha nacimiento", "fecha nac", "fecha de nac", "f de nac", "fdn", "f nac", "fec nac", "born",
                      "birth dt", "dt of birth", "date birth", "date de naissance"),
    "a-number": ("a number", "anumber", "a#", "a #", "a no", "alien number", "alien no", "alien #", "a file",
                 "a file number", "alien registration number", "numero a", "uscis number", "alien file number",
                 "a num", "anum", "a nbr"),
    "ssn": ("ssn", "social security", "social security number", "ss#", "ss #"),
    "passport": ("passport", "passport number", "passport no", "passport #", "pasaporte", "numero de pasaporte",
                 "travel document", "travel document number"),
    "email": ("email", "e mail", "email address", "correo", "correo electronico"),
    "phone": ("phone", "telephone", "tel", "telefono", "mobile", "cell", "phone number"),
    "nationality": ("nationality", "citizenship", "country of citizenship", "country of birth", "nacionalidad",
                    "pais", "pais de origen", "country of origin", "coc", "citizenship country", "birth country",
                    "nationalite", "pays de naissance", "pays d origine"),
    "sex": ("sex", "gender", "sexo", "genero", "sexe"),
    "age": ("age", "edad", "age at apprehension", "age at arrest", "age at booking", "current age"),
    "race": ("race", "ethnicity", "complexion", "hair", "hair color", "eye", "eyes", "eye color", "height",
             "weight", "marital status", "religion", "raza", "etnia", "estado civil"),
    "case-status": ("case status", "case type", "claim", "fear claim", "fear", "asylum", "protection", "relief",
                    "cfi", "rfi", "immigration status", "estatus", "estado del caso", "tipo de caso",
                    "case category", "status when found", "disposition", "asylum status"),
    "record-id": ("booking", "booking number", "booking #", "booking id", "case number", "case no", "case #",
                  "inmate", "inmate number", "detainee id", "subject id", "event no", "event number", "fin",
                  "fbi number", "record id", "person id", "subject number", "file number", "id number",
                  "numero de caso", "expediente"),
    "address": ("address", "home address", "street address", "residence", "direccion", "domicilio"),
}

STATUS_TERMS = re.compile(
    r"\b(asylum|asilo|credible fear|reasonable fear|miedo creible|miedo razonable|withholding|cat\b|"
    r"convention against torture|torture|tortura|persecution|persecucion|refugee|refugiado|t[- ]?visa|u[- ]?visa|"
    r"vawa|i[- ]?589|i[- ]?914|i[- ]?918|cfi|rfi|fear claim|positive fear|negative fear|protection claim)",
    re.IGNORECASE,
)

SEX_VALUES = frozenset({"m", "f", "x", "u", "male", "female", "man", "woman", "men", "women", "boy", "girl",
                        "masculino", "femenino", "hombre", "mujer", "unknown", "other", "h", "v", "varon",
                        "non-binary"})

# Sex as a table dimension (row or column label); single letters and "other" are too common to count.
SEX_LABELS = frozenset({"male", "female", "males", "females", "men", "women", "boys", "girls", "masculino", "femenino",
                        "hombre", "hombres", "mujer", "mujeres", "varones"})

# Words that make a numeric column or a row a measure rather than a count of people.
NOT_COUNT_WORDS = re.compile(
    r"(average|\bavg\b|mean|median|\bmax|\bmin\b|percent|%|\bpct\b|rate\b|ratio|share|proportion|\balos\b|"
    r"\balip\b|\badp\b|\biclos\b|length of stay|days\b|\bcost|\$|amount|dollar|per diem|capacity|\bbeds?\b|"
    r"guaranteed|minimum|maximum|"
    r"\bcode\b|\bzip\b|\bid\b|rank|score|index|year\b|\bfy\b|fiscal|\bage\b|weight|height|latitude|longitude|"
    r"\blat\b|\blon\b|promedio|porcentaje|tasa)",
    re.IGNORECASE,
)
TOTAL_WORDS = re.compile(r"\b(total|totals|grand total|subtotal|sum|all|overall|todos|total general)\b", re.IGNORECASE)

MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
          "dec", "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre",
          "octubre", "noviembre", "diciembre")

FACILITY_WORDS = re.compile(
    r"\b(facility|facilities|center|centre|jail|county|detention|processing|correctional|prison|penitentiary|"
    r"institution|contract|service processing|spc|cdf|igsa|dígsa|digsa|usms|hold room|staging|field office|aor|"
    r"centro|carcel|prision)\b",
    re.IGNORECASE,
)
AGE_BAND = re.compile(r"^\s*(under|over|<|>|aged?)?\s*\d{1,3}\s*(\+|-|–|to|and over|and older|y mas|años|years?)"
                      r"\s*(\d{1,3})?\s*(years?|yrs|años)?\s*$", re.IGNORECASE)


def normalise_header(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    folded = re.sub(r"[^a-z0-9#]+", " ", folded)
    return " ".join(folded.split())


@lru_cache(maxsize=1)
def countries() -> frozenset[str]:
    text = resources.files("veil.detectors.data").joinpath("countries.txt").read_text(encoding="utf-8")
    out = set()
    for line in text.splitlines():
        if line.strip():
            out.add(line.strip())
            out.add(normalise_header(line))
    return frozenset(out)


def is_country(value: str) -> bool:
    v = value.strip().lower()
    return v in countries() or normalise_header(v) in countries()


def is_month(value: str) -> bool:
    v = value.strip().lower().rstrip(".")
    first = v.split()[0] if v.split() else v
    return first in MONTHS
