"""Synthetic people for the held-out check set: Faker names from many locales, plus small romanised lists for
nationalities Faker has no usable locale for. Every draw goes through a seeded random.Random, so a seed gives the
same people every time."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from functools import lru_cache

from faker import Faker

# (source, nationality, ISO alpha-3, main language). A source is a Faker locale or a key of ROMANISED.
ORIGINS: list[tuple[str, str, str, str]] = [
    ("es_MX", "Mexico", "MEX", "Spanish"),
    ("es_CO", "Colombia", "COL", "Spanish"),
    ("es_ES", "Venezuela", "VEN", "Spanish"),
    ("es_AR", "Honduras", "HND", "Spanish"),
    ("es_CL", "Guatemala", "GTM", "K'iche'"),
    ("pt_BR", "Brazil", "BRA", "Portuguese"),
    ("fr_FR", "Haiti", "HTI", "Haitian Creole"),
    ("fr_BE", "Democratic Republic of the Congo", "COD", "Lingala"),
    ("yo_NG", "Nigeria", "NGA", "Yoruba"),
    ("ig_NG", "Nigeria", "NGA", "Igbo"),
    ("tw_GH", "Ghana", "GHA", "Twi"),
    ("en_PK", "Pakistan", "PAK", "Urdu"),
    ("en_IN", "India", "IND", "Punjabi"),
    ("tr_TR", "Türkiye", "TUR", "Turkish"),
    ("ro_RO", "Romania", "ROU", "Romanian"),
    ("id_ID", "Indonesia", "IDN", "Indonesian"),
    ("uz_UZ", "Uzbekistan", "UZB", "Uzbek"),
    ("az_AZ", "Azerbaijan", "AZE", "Azerbaijani"),
    ("sw", "Kenya", "KEN", "Swahili"),
    ("afg", "Afghanistan", "AFG", "Dari"),
    ("syr", "Syria", "SYR", "Arabic"),
    ("eri", "Eritrea", "ERI", "Tigrinya"),
    ("som", "Somalia", "SOM", "Somali"),
    ("vnm", "Viet Nam", "VNM", "Vietnamese"),
]

ROMANISED: dict[str, tuple[list[str], list[str]]] = {
    "afg": (["Ahmad", "Zahra", "Mohammad", "Fatima", "Nasrin", "Farid", "Habiba", "Rahim", "Shabnam", "Wahid",
             "Parwana", "Jawad", "Mursal", "Najib", "Sodaba", "Karim"],
            ["Rahimi", "Ahmadzai", "Sultani", "Hashimi", "Noori", "Stanikzai", "Popal", "Karimi", "Haidari",
             "Wardak", "Safi", "Mohammadi", "Azizi", "Barakzai", "Niazi"]),
    "syr": (["Omar", "Lina", "Yasmin", "Khaled", "Rania", "Mahmoud", "Hiba", "Tarek", "Nour", "Bassam", "Reem",
             "Samer", "Dima", "Fadi", "Alaa", "Rami"],
            ["Al-Hassan", "Haddad", "Khalil", "Darwish", "Mansour", "Al-Khatib", "Qassem", "Shami", "Halabi",
             "Aboud", "Najjar", "Sabbagh", "Tawil", "Hamwi", "Zein"]),
    "eri": (["Yonas", "Selam", "Tesfaye", "Mebrat", "Dawit", "Helen", "Filmon", "Senait", "Ermias", "Luwam",
             "Yohannes", "Saba", "Kibrom", "Rahwa", "Biniam", "Eden"],
            ["Tesfamariam", "Gebremedhin", "Haile", "Berhane", "Woldu", "Kidane", "Tekle", "Asmerom", "Ghebre",
             "Mehari", "Andemariam", "Zerai", "Habte", "Negash", "Fisseha"]),
    "som": (["Abdi", "Hodan", "Ayaan", "Mahad", "Fartun", "Hassan", "Sahra", "Ilhan", "Liban", "Deeqa", "Yusuf",
             "Ifrah", "Mohamed", "Hibo", "Guled", "Nimo"],
            ["Warsame", "Farah", "Hirsi", "Jama", "Osman", "Abdullahi", "Nur", "Dahir", "Aden", "Egal", "Samatar",
             "Mohamud", "Gure", "Ismail", "Elmi"]),
    "vnm": (["Minh", "Thu", "Lan", "Hung", "Anh", "Huong", "Tuan", "Linh", "Quang", "Ngoc", "Duc", "Mai", "Phuong",
             "Long", "Trang", "Bao"],
            ["Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do", "Ho", "Ngo", "Duong", "Ly",
             "Truong"]),
}

# People written in their own script (for the class that checks non-Latin names).
NATIVE_SCRIPT = [("uk_UA", "Ukraine", "UKR", "Ukrainian"), ("ru_RU", "Russia", "RUS", "Russian"),
                 ("fa_IR", "Iran", "IRN", "Farsi"), ("ar_AA", "Syria", "SYR", "Arabic"),
                 ("zh_CN", "China", "CHN", "Mandarin")]

FACILITIES = [
    ("Otero County Processing Center", "Chaparral", "NM"),
    ("Port Isabel Service Processing Center", "Los Fresnos", "TX"),
    ("Adelanto ICE Processing Center", "Adelanto", "CA"), ("Stewart Detention Center", "Lumpkin", "GA"),
    ("Krome North Service Processing Center", "Miami", "FL"), ("South Texas ICE Processing Center", "Pearsall", "TX"),
    ("Northwest ICE Processing Center", "Tacoma", "WA"), ("Eloy Detention Center", "Eloy", "AZ"),
    ("Winn Correctional Center", "Winnfield", "LA"), ("Torrance County Detention Facility", "Estancia", "NM"),
    ("Buffalo Federal Detention Facility", "Batavia", "NY"), ("Irwin County Detention Center", "Ocilla", "GA"),
]

STATUSES = ["Asylum claim pending", "Credible fear: positive", "Credible fear: negative", "Withholding of removal",
            "Final order of removal", "Affirmative asylum applicant", "Referred to immigration judge",
            "Convention Against Torture claim"]

SEX = ["F", "M"]


@dataclass(frozen=True)
class Person:
    first: str
    last: str
    sex: str
    dob: dt.date
    nationality: str
    iso3: str
    language: str
    a_number: str  # nine digits, no prefix
    facility: str
    city: str
    state: str
    arrived: dt.date
    status: str

    @property
    def full(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def anum(self) -> str:
        return "A" + self.a_number

    @property
    def anum_dashed(self) -> str:
        n = self.a_number
        return f"A{n[:3]}-{n[3:6]}-{n[6:]}"

    def age(self, on: dt.date = dt.date(2022, 6, 30)) -> int:
        return on.year - self.dob.year - ((on.month, on.day) < (self.dob.month, self.dob.day))


@lru_cache(maxsize=None)
def _faker(locale: str) -> Faker:
    return Faker(locale)


def _name(source: str, sex: str, rnd: random.Random) -> tuple[str, str]:
    if source in ROMANISED:
        firsts, lasts = ROMANISED[source]
        return rnd.choice(firsts), rnd.choice(lasts)
    fake = _faker(source)
    fake.seed_instance(rnd.getrandbits(32))
    first = fake.first_name_female() if sex == "F" else fake.first_name_male()
    last = fake.last_name()
    return first, last


def make_people(rnd: random.Random, n: int, origins: list[tuple[str, str, str, str]] | None = None) -> list[Person]:
    """n people with distinct full names (and distinct A-numbers)."""
    origins = origins or ORIGINS
    seen: set[str] = set()
    anums: set[str] = set()
    out: list[Person] = []
    while len(out) < n:
        source, nationality, iso3, language = rnd.choice(origins)
        sex = rnd.choice(SEX)
        first, last = _name(source, sex, rnd)
        key = f"{first} {last}".casefold()
        if key in seen or not first.strip() or not last.strip():
            continue
        anum = str(rnd.randrange(200_000_000, 249_999_999))
        if anum in anums:
            continue
        seen.add(key)
        anums.add(anum)
        facility, city, state = rnd.choice(FACILITIES)
        dob = dt.date(1960, 1, 1) + dt.timedelta(days=rnd.randrange(0, 365 * 45))
        arrived = dt.date(2021, 1, 1) + dt.timedelta(days=rnd.randrange(0, 540))
        out.append(Person(first, last, sex, dob, nationality, iso3, language, anum, facility, city, state, arrived,
                          rnd.choice(STATUSES)))
    return out


def official_names(rnd: random.Random, n: int) -> list[tuple[str, str]]:
    """Names for public officials (en_US), distinct."""
    fake = _faker("en_US")
    fake.seed_instance(rnd.getrandbits(32))
    seen: set[tuple[str, str]] = set()
    while len(seen) < n:
        seen.add((fake.first_name(), fake.last_name()))
    return sorted(seen, key=lambda t: (t[1], t[0]))
