"""Synthetic rosters and exposed files with known answers, for the linkage tests and benchmark.

Seeded and fake (Faker name pools plus small built-in pools of Arabic and Chinese names): never real people.
The exposed file copies roster people with the corruption an exposed spreadsheet really shows: typos, swapped
name order, a dropped second surname or father's name, missing accents, another romanisation of Russian, Chinese
and Arabic names (BGN/PCGN, French (-off) or German (Jewgeni) Cyrillic; Wade-Giles, Cantonese, Taiwanese hyphenated
and off-system spellings such as TSHENG, CHIENG for Zheng Qiang; spelling variants of Arabic names with al-/el- and
Abdul/Abd al-), Haitian names in Creole spelling (Jan Batis, Pyè) against French in the roster, missing A-numbers,
day and month swapped. Decoys are people not in the roster who look like someone who is: namesakes (same name,
other birth date) and siblings (same surnames, other given name, close birth date). Roster namesakes are two roster
people with the same name and birth date, one of whom is in the file without an A-number: only a clerk can tell
them apart, so both must be offered.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass, field
from typing import Any

import polars as pl

ORIGINS = (  # (origin, share of the roster, nationalities)
    ("hispanic", 0.55, ("Mexico", "Guatemala", "Honduras", "El Salvador", "Venezuela", "Colombia", "Cuba")),
    ("russian", 0.10, ("Russia", "Ukraine", "Uzbekistan", "Kazakhstan")),
    ("chinese", 0.10, ("China",)),
    ("arabic", 0.10, ("Syria", "Egypt", "Iraq", "Yemen", "Sudan", "Morocco")),
    ("haitian", 0.05, ("Haiti",)),
    ("indian", 0.05, ("India",)),
    ("brazilian", 0.05, ("Brazil",)),
)

_ARABIC_GIVEN_M = (
    ("Mohammed", "Muhammad", "Mohamed", "Mohammad", "Mohamad"), ("Ahmed", "Ahmad"),
    ("Hussein", "Husain", "Hussain", "Hussien"), ("Abdullah", "Abdallah", "Abdulla"),
    ("Youssef", "Yusuf", "Yousef", "Yousif"), ("Omar", "Umar"), ("Khaled", "Khalid"),
    ("Mustafa", "Mostafa", "Moustafa"), ("Ibrahim", "Ebrahim"), ("Ali",), ("Hassan", "Hasan"),
    ("Mahmoud", "Mahmud"), ("Abdulrahman", "Abdelrahman", "Abdul Rahman", "Abd al-Rahman", "Abdurrahman"),
    ("Abdulaziz", "Abdel-Aziz", "Abd al-Aziz"), ("Tariq", "Tarek", "Tarik"),
    ("Saeed", "Said", "Sayed"), ("Walid", "Waleed"), ("Jamal", "Gamal"), ("Karim", "Kareem"),
    ("Nasser", "Naser"), ("Rashid", "Rasheed"), ("Samir", "Sameer"), ("Faisal", "Faysal"), ("Hamza", "Hamzah"),
    ("Bilal",), ("Adel", "Adil"), ("Anas",), ("Osama", "Usama"), ("Ziad", "Ziyad"), ("Majid", "Majed"),
    ("Sami", "Samy"), ("Imad", "Emad"), ("Hisham", "Hesham"), ("Yasser", "Yasir"), ("Fadi", "Fady"),
)
_ARABIC_GIVEN_F = (
    ("Fatima", "Fatma", "Fatemah"), ("Aisha", "Aysha", "Aicha"), ("Mariam", "Maryam", "Meriem"),
    ("Khadija", "Khadijah", "Khadidja"), ("Zainab", "Zeinab", "Zaynab"), ("Layla", "Leila", "Laila"),
    ("Nour", "Noor"), ("Amina", "Aminah"), ("Huda", "Houda"), ("Yasmin", "Yasmine"), ("Salma", "Selma"),
    ("Rania", "Ranya"), ("Hanan",), ("Samira", "Sameera"), ("Reem", "Rim"), ("Dina", "Deena"), ("Asma", "Asmaa"),
    ("Rasha",), ("Noura", "Nura"), ("Lina", "Leena"), ("Sara", "Sarah"), ("Hiba", "Heba"), ("Iman", "Eman"),
)
_ARABIC_FAMILY = (
    ("Al-Hashimi", "Alhashimi", "El Hashemi"), ("Haddad",), ("Mansour", "Mansur"), ("Abdelaziz", "Abdel-Aziz"),
    ("Al-Masri", "Elmasry", "Al Masri"), ("Khalil",), ("Ibrahim",), ("Hassan", "Hasan"), ("Nasser", "Naser"),
    ("El-Sayed", "Elsayed", "Al-Sayed"), ("Hamdan",), ("Saleh", "Salih"), ("Othman", "Osman", "Uthman"),
    ("Qureshi", "Kureishi", "Qurashi"), ("Darwish", "Darwiche"), ("Al-Sheikh", "Elsheikh", "Al Shaikh"),
    ("Barakat",), ("Khoury", "Khouri", "Khuri"), ("Nassar",), ("Salem", "Salim"), ("Aziz",), ("Hamid", "Hamed"),
    ("Al-Tamimi", "Altamimi", "Al Tamimi"), ("Jaber", "Jabir"), ("Farouk", "Faruq"), ("Mahmoud", "Mahmud"),
    ("Abbas",), ("Hussein", "Husain"), ("Al-Najjar", "Elnaggar", "Al Najjar"), ("Suleiman", "Sulayman", "Soliman"),
    ("Bakri", "Bakry"), ("Zaki", "Zakey"), ("Rahman",), ("Al-Omari", "Alomari"), ("Yassin", "Yasin"),
    ("Shalabi", "Chalabi"), ("Kassem", "Qasim", "Kasem"), ("Al-Rashid", "Alrashid"), ("Younes", "Younis", "Yunus"),
    ("Mustafa", "Mostafa"),
)
_PINYIN_GIVEN = ("wei", "fang", "na", "min", "jing", "li", "qiang", "lei", "jun", "yang", "yong", "yan", "jie",
                 "tao", "ming", "chao", "xiu", "ying", "hua", "hui", "lan", "ping", "gang", "guo", "zhi", "hong",
                 "xiao", "jian", "jia", "yu", "xin", "hao", "yi", "chen", "zi", "han", "bo", "wen", "kai", "lin",
                 "shu", "feng", "qing", "rui", "xue", "mei", "dong", "bin", "peng", "long", "zhen", "shan", "cheng")
_CANTONESE = {"Chen": "Chan", "Huang": "Wong", "Wang": "Wong", "Li": "Lee", "Zhang": "Cheung", "Liu": "Lau",
              "Lin": "Lam", "Wu": "Ng", "Zhou": "Chow", "Xu": "Tsui", "Guo": "Kwok", "He": "Ho", "Yang": "Yeung",
              "Zhao": "Chiu", "Lu": "Lo", "Ye": "Yip", "Liang": "Leung", "Deng": "Tang", "Cai": "Choi"}
_WG_INITIALS = (("zh", "ch"), ("ch", "ch'"), ("sh", "sh"), ("x", "hs"), ("q", "ch'"), ("j", "ch"), ("z", "ts"),
                ("c", "ts'"), ("r", "j"), ("b", "p"), ("p", "p'"), ("d", "t"), ("t", "t'"), ("g", "k"), ("k", "k'"))
_WG_FINALS = (("ong", "ung"), ("ian", "ien"), ("ie", "ieh"), ("you", "yu"), ("ui", "uei"), ("uo", "o"))

# Haitian names: the French spelling (the roster) and Creole spellings seen on lists.
_HAITIAN_GIVEN_M = (("Jean", "Jan", "Jn"), ("Pierre", "Pyè", "Pyer"), ("Joseph", "Jozèf", "Jozef"), ("Jacques", "Jak"),
                    ("Jean-Baptiste", "Janbatis", "Jn Baptiste"), ("François", "Franswa"), ("Louis", "Lwi"),
                    ("Claude", "Klod"), ("Guillaume", "Giyom"), ("Mathieu", "Matye"), ("Wilner",),
                    ("Jean-Louis", "Janlwi"),
                    ("Emmanuel", "Emanyèl"), ("Frantz",), ("Evens",), ("Jacky",), ("Wilson",), ("Dieudonné", "Dyedone"),
                    ("Michel", "Mishel"), ("Fritz",), ("Ronald",), ("Guerby",), ("Junior",), ("Peterson",))
_HAITIAN_GIVEN_F = (("Marie", "Mari"), ("Rose", "Roz"), ("Thérèse", "Terez"), ("Jeanne", "Jann"), ("Nadège", "Nadej"),
                    ("Rosemène", "Rozmen"), ("Fabienne", "Fabyèn"), ("Guerline",), ("Mirlande",),
                    ("Nathalie", "Natali"),
                    ("Marie-Claire", "Mari Klè"), ("Lovely",), ("Sandra",), ("Widline",), ("Esther", "Estè"))
_HAITIAN_FAMILY = (("Jean-Louis", "Janlwi", "Jn Louis"), ("Saint-Louis", "St Louis", "Sen Lwi"), ("Pierre", "Pyè"),
                   ("Joseph", "Jozèf"), ("Charles", "Chal"), ("Toussaint", "Tousen"), ("Baptiste", "Batis"),
                   ("Célestin", "Selesten"), ("Dorvil",), ("Louis", "Lwi"), ("Étienne", "Etyèn"), ("Désir", "Dezi"),
                   ("Augustin", "Ogisten"), ("Jean-Baptiste", "Janbatis"), ("Saint-Fleur", "St Fleur"),
                   ("Michel", "Mishel"), ("Noël", "Nwèl"), ("Paul", "Pòl"), ("François", "Franswa"), ("Dorélien",),
                   ("Alexis", "Aleksi"), ("Lafontant",), ("Beauvais", "Bovè"), ("Philippe", "Filip"),
                   ("Laguerre", "Lagè"),
                   ("Exantus",), ("Fils-Aimé", "Filsème"), ("Estimé", "Estime"), ("Jacques", "Jak"), ("Dumas", "Duma"))

_CYR = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"
_ICAO = ["a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
         "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "", "e", "iu", "ia"]
_BGN = ["a", "b", "v", "g", "d", "e", "yo", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u",
        "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"]
_FRENCH = ["a", "b", "v", "g", "d", "e", "io", "j", "z", "i", "i", "k", "l", "m", "n", "o", "p", "r", "s", "t", "ou",
           "f", "kh", "ts", "tch", "ch", "chtch", "", "y", "", "e", "iou", "ia"]
_GERMAN = ["a", "b", "w", "g", "d", "e", "jo", "sch", "s", "i", "j", "k", "l", "m", "n", "o", "p", "r", "ss", "t",
           "u", "f", "ch", "z", "tsch", "sch", "schtsch", "", "y", "", "e", "ju", "ja"]


def _romanise(text: str, table: list[str], ye_initial: str = "") -> str:
    out = []
    for i, ch in enumerate(text.lower()):
        if ch in _CYR:
            lat = table[_CYR.index(ch)]
            if ye_initial and ch == "е" and (i == 0 or text[i - 1].lower() in "аеёиоуыэюяьъ"):
                lat = ye_initial
            out.append(lat)
        else:
            out.append(ch)
    word = "".join(out)
    if table is _FRENCH and word.endswith("ov") and len(word) > 4:
        word = word[:-2] + "off"  # Ivanoff: the French spelling of -ov
    return word[:1].upper() + word[1:]


def _off_system(syllable: str) -> str:
    """A spelling outside every system, seen on lists: TSHENG for Zheng/Cheng, CHIENG for Qiang/Ch'iang."""
    s = _wade_giles(syllable).lower()
    if s.startswith("ch"):
        s = "tsh" + s[2:]
    return s.replace("iang", "ieng").capitalize()


def _wade_giles(syllable: str) -> str:
    s = syllable.lower()
    for a, b in _WG_INITIALS:
        if s.startswith(a):
            s = b + s[len(a):]
            break
    for a, b in _WG_FINALS:
        if s.endswith(a):
            s = s[: -len(a)] + b
            break
    return s.replace("'", "").capitalize()


def _syllables(word: str) -> list[str]:
    """A generated given name split back into its pinyin syllables."""
    w = word.lower()
    for cut in range(1, len(w)):
        if w[:cut] in _PINYIN_GIVEN and w[cut:] in _PINYIN_GIVEN:
            return [w[:cut], w[cut:]]
    return [w]


@dataclass
class Pools:
    faker: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]]  # origin -> male, female, surnames
    russian: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]
    chinese_surnames: tuple[str, ...]


def _pools() -> Pools:
    from faker import Faker

    def provider(locale: str) -> Any:
        return next(p for p in Faker(locale).providers if "person" in type(p).__module__)

    faker = {}
    for origin, locale in (("hispanic", "es_MX"), ("hispanic_co", "es_CO"), ("indian", "en_IN"),
                           ("brazilian", "pt_BR")):
        p = provider(locale)
        faker[origin] = (tuple(p.first_names_male), tuple(p.first_names_female), tuple(p.last_names))
    h, co = faker.pop("hispanic"), faker.pop("hispanic_co")
    faker["hispanic"] = tuple(tuple(sorted(set(a) | set(b))) for a, b in zip(h, co, strict=True))  # type: ignore
    ru = provider("ru_RU")
    russian = (tuple(ru.first_names_male), tuple(ru.first_names_female), tuple(ru.last_names_male),
               tuple(ru.last_names_female))
    return Pools(faker, russian, tuple(provider("zh_CN").last_romanized_names))


@dataclass
class Person:
    """One roster person, with the parts the corruption works on (Cyrillic names kept in Cyrillic)."""

    origin: str
    given: list[str]
    surnames: list[str]
    dob: dt.date
    nationality: str
    anumber: str | None
    variants: dict[str, tuple[str, ...]]  # roster spelling -> other spellings (Arabic)


def _make_person(rng: random.Random, pools: Pools, origin: str, nats: tuple[str, ...], anumber: str | None
                 ) -> Person:
    female = rng.random() < 0.45
    variants: dict[str, tuple[str, ...]] = {}
    if origin == "haitian":
        own = rng.choice(_HAITIAN_GIVEN_F if female else _HAITIAN_GIVEN_M)
        family = rng.choice(_HAITIAN_FAMILY)
        for group in (own, family):
            variants[group[0]] = group[1:]
        given = [own[0]]
        surnames = [family[0]]
    elif origin == "hispanic" or origin in pools.faker:
        male, fem, last = pools.faker[origin]
        pool = fem if female else male
        given = [rng.choice(pool)] + ([rng.choice(pool)] if rng.random() < 0.3 else [])
        two = origin in ("hispanic", "brazilian") and rng.random() < (0.85 if origin == "hispanic" else 0.5)
        surnames = [rng.choice(last)] + ([rng.choice(last)] if two else [])
    elif origin == "russian":
        m, f, lm, lf = pools.russian
        given = [rng.choice(f if female else m)]
        surnames = [rng.choice(lf if female else lm)]
    elif origin == "chinese":
        syl = rng.sample(_PINYIN_GIVEN, 2)
        given = [(syl[0] + (syl[1] if rng.random() < 0.7 else "")).capitalize()]
        surnames = [rng.choice(pools.chinese_surnames)]
    else:  # arabic: given name, father's name, family name
        own = rng.choice(_ARABIC_GIVEN_F if female else _ARABIC_GIVEN_M)
        father = rng.choice(_ARABIC_GIVEN_M)
        family = rng.choice(_ARABIC_FAMILY)
        for group in (own, father, family):
            variants[group[0]] = group[1:]
        given = [own[0], father[0]]
        surnames = [family[0]]
    dob = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 55))
    return Person(origin, given, surnames, dob, rng.choice(nats), anumber, variants)


def _roster_name(p: Person, part: str) -> str:
    if p.origin == "russian":
        return _romanise(part, _ICAO)
    return part


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    letters = "aeioulnrstmdc"
    if kind == 0:
        return word[:i] + word[i + 1:]
    if kind == 1:
        return word[:i] + rng.choice(letters) + word[i:]
    if kind == 2:
        return word[:i] + rng.choice(letters) + word[i + 1:]
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def _exposed_name(rng: random.Random, p: Person) -> str:
    given, surnames = list(p.given), list(p.surnames)
    other_script = rng.random() < 0.5
    if p.origin == "russian":
        table = rng.choice((_BGN, _BGN, _FRENCH, _GERMAN)) if other_script else _ICAO
        ye = {id(_BGN): "ye", id(_GERMAN): "je"}.get(id(table), "")
        given = [_romanise(g, table, ye_initial=ye) for g in given]
        surnames = [_romanise(s, table, ye_initial=ye) for s in surnames]
    elif p.origin == "chinese" and other_script:
        style = rng.random()
        if style < 0.25 and surnames[0] in _CANTONESE:
            surnames = [_CANTONESE[surnames[0]]]
            given = [_wade_giles(given[0])]
        elif style < 0.4:  # off-system: TSHENG, CHIENG
            surnames = [_off_system(surnames[0])]
            given = [_off_system(given[0])]
        elif style < 0.55:  # Taiwanese passport style: the given name's syllables hyphenated
            surnames = [_wade_giles(surnames[0])]
            given = ["-".join(_wade_giles(x) for x in _syllables(given[0]))]
        else:
            surnames = [_wade_giles(surnames[0])]
            given = [_wade_giles(given[0])]
    elif p.origin in ("arabic", "haitian") and other_script:
        given = [rng.choice(p.variants.get(g) or (g,)) for g in given]
        surnames = [rng.choice(p.variants.get(s) or (s,)) for s in surnames]
    if p.origin == "hispanic" and len(surnames) == 2 and rng.random() < 0.4:
        surnames = surnames[:1]
    if len(given) == 2 and rng.random() < (0.35 if p.origin == "arabic" else 0.2):
        given = given[:1]
    if rng.random() < 0.15:
        words = given + surnames
        k = rng.randrange(len(words))
        words[k] = _typo(rng, words[k])
        given, surnames = words[: len(given)], words[len(given):]
    if rng.random() < 0.6:
        given, surnames = [_strip_accents(w) for w in given], [_strip_accents(w) for w in surnames]
    style = rng.random()
    if style < 0.3:
        return f"{' '.join(surnames).upper()}, {' '.join(given).upper()}"
    if style < 0.4 or p.origin == "chinese" and style < 0.6:
        return " ".join(surnames + given)  # swapped order
    return " ".join(given + surnames)


def _exposed_dob(rng: random.Random, dob: dt.date) -> str:
    if dob.day <= 12 and dob.day != dob.month and rng.random() < 0.12:
        return f"{dob.day:02d}/{dob.month:02d}/{dob.year}"
    return f"{dob.month:02d}/{dob.day:02d}/{dob.year}"


def _exposed_anumber(rng: random.Random, anumber: str | None) -> str:
    if anumber is None or rng.random() < 0.45:
        return ""
    style = rng.random()
    if style < 0.4:
        return "A" + anumber
    if style < 0.7:
        return f"A{anumber[:3]}-{anumber[3:6]}-{anumber[6:]}"
    return anumber.lstrip("0")


# --- facilities ----------------------------------------------------------------------------------------------------

# Invented places (no real facility): 16 x 13 = 208 distinct place names, each given one kind of facility.
_PLACE_A = ("Pine", "Cedar", "Red", "Stone", "Willow", "Eagle", "Sand", "Iron", "Silver", "Oak", "Elk", "Copper",
            "Granite", "Mesquite", "Juniper", "Bluewater")
_PLACE_B = ("Hollow", "Ridge", "Creek", "Valley", "Mesa", "Springs", "Falls", "Point", "Bend", "Flats", "Harbor",
            "Crossing", "Basin")
_KINDS = ("Processing Center", "Detention Facility", "Detention Center", "Service Processing Center",
          "ICE Processing Center", "Correctional Center", "Contract Detention Facility", "County Jail")
_SHORT_KINDS = {"Processing Center": "Proc. Ctr.", "Service Processing Center": "SPC", "Detention Center": "DC",
                "Detention Facility": "Det. Fac.", "ICE Processing Center": "IPC", "Correctional Center": "Corr. Ctr.",
                "Contract Detention Facility": "CDF", "County Jail": "Co. Jail"}
FACILITY_TRANSFERRED = 0.12  # the roster shows another facility than the file: moved since the leak
FACILITY_BLANK = 0.03
FACILITY_REWRITTEN = 0.10    # upper-case, without its kind, its kind abbreviated, or initials only


@dataclass
class Facilities:
    """~200 facilities of skewed size (Zipf: the largest holds about a tenth of the roster, the smallest a few
    hundredths of a percent), and how an exposed file writes a facility."""

    names: list[str]
    weights: list[float]

    @classmethod
    def make(cls, rng: random.Random) -> Facilities:
        places = [f"{a} {b}" for a in _PLACE_A for b in _PLACE_B]
        rng.shuffle(places)
        names = [f"{place} {rng.choice(_KINDS)}" for place in places]
        return cls(names, [1.0 / (rank + 2) for rank in range(len(names))])

    def draw(self, rng: random.Random) -> str:
        return rng.choices(self.names, self.weights)[0]

    def as_exposed(self, rng: random.Random, current: str) -> str:
        """The facility the exposed file shows for someone the roster has at `current`."""
        u = rng.random()
        if u < FACILITY_TRANSFERRED:
            while (before := self.draw(rng)) == current:
                pass
            return self.written(rng, before) if rng.random() < FACILITY_REWRITTEN else before
        if u < FACILITY_TRANSFERRED + FACILITY_BLANK:
            return ""
        if u < FACILITY_TRANSFERRED + FACILITY_BLANK + FACILITY_REWRITTEN:
            return self.written(rng, current)
        return current

    @staticmethod
    def written(rng: random.Random, name: str) -> str:
        kind = next(k for k in sorted(_KINDS, key=len, reverse=True) if name.endswith(k))
        place = name[: -len(kind)].strip()
        style = rng.random()
        if style < 0.4:
            return name.upper()
        if style < 0.7:
            return place
        if style < 0.9:
            return f"{place} {_SHORT_KINDS[kind]}"
        return "".join(w[0] for w in name.replace("ICE ", "").split()).upper()  # initials: no normalising them


@dataclass
class Synthetic:
    roster: pl.DataFrame   # 'Person ID', 'Given names', 'Surname', 'Second surname', 'Date of birth', ...
    exposed: pl.DataFrame  # 'Name', 'DOB', 'Citizenship', 'A#', 'Facility'
    truth: list[str | None]  # per exposed row: the roster 'Person ID', None for decoys
    namesakes: dict[str, str] = field(default_factory=dict)  # roster ID in the file -> its namesake's roster ID


def generate(roster_size: int, exposed_size: int, decoys: int = 100, seed: int = 6, namesakes: int = 0,
             facility: bool = False) -> Synthetic:
    """A roster of `roster_size` people and an exposed file of `exposed_size` rows, `decoys` of them not in it.
    `namesakes` roster people get a namesake in the roster (same name, birth date and nationality, another
    A-number); each is in the file without an A-number.

    With `facility`, the roster has each person's current facility ('Facility') and the file the facility at the
    time of the leak (Facilities.as_exposed: moved since, blank, written otherwise). A planted namesake's facility
    is drawn like anyone's, so it is usually another one and sometimes the same. Decoys are detained somewhere
    too: drawn the same way. Facilities come from their own random stream: every other value is the same with or
    without them. Without `facility` the roster has no facility and the file's 'Facility' column is noise (as
    before), which linkage does not compare."""
    rng = random.Random(seed)
    frng = random.Random(seed * 7919 + 1)
    pool = Facilities.make(frng)
    pools = _pools()
    anumbers = rng.sample(range(1_000_000, 999_999_999), roster_size + decoys)
    shares = [share for _, share, _ in ORIGINS]
    people: list[Person] = []
    for i in range(roster_size):
        origin, _, nats = rng.choices(ORIGINS, shares)[0]
        a = f"{anumbers[i]:09d}" if rng.random() < 0.97 else None
        people.append(_make_person(rng, pools, origin, nats, a))
    ids = [f"P{i + 1:07d}" for i in range(roster_size)]
    pairs: dict[int, int] = {}
    for first, second in zip(*[iter(rng.sample(range(roster_size), 2 * namesakes))] * 2, strict=True):
        p = people[first]
        people[second] = Person(p.origin, list(p.given), list(p.surnames), p.dob, p.nationality,
                                people[second].anumber or p.anumber, p.variants)
        pairs[first] = second
    roster = pl.DataFrame({
        "Person ID": ids,
        "Given names": [" ".join(_roster_name(p, g) for g in p.given) for p in people],
        "Surname": [_roster_name(p, p.surnames[0]) for p in people],
        "Second surname": [(p.surnames[1] if len(p.surnames) > 1 else "") for p in people],
        "Date of birth": [p.dob.isoformat() for p in people],
        "Nationality": [p.nationality for p in people],
        "A-Number": [p.anumber or "" for p in people],
    })
    current = [pool.draw(frng) for _ in range(roster_size)] if facility else []
    if facility:
        roster = roster.with_columns(pl.Series("Facility", current))
    others = sorted(set(range(roster_size)) - set(pairs) - set(pairs.values()))
    chosen = list(pairs) + rng.sample(others, exposed_size - decoys - len(pairs))
    rows: list[tuple[dict[str, str], str | None]] = []
    for index in chosen:
        p = people[index]
        nat = p.nationality if rng.random() < 0.97 else rng.choice(("", "Unknown"))
        row = _exposed_row(rng, p, nat)
        if index in pairs:
            row["A#"] = ""
        if facility:
            row["Facility"] = pool.as_exposed(frng, current[index])
        rows.append((row, ids[index]))
    for k in range(decoys):
        template = people[rng.randrange(roster_size)]
        if k % 2 == 0:  # namesake: same name, another birth date and no A-number of the roster's
            twin = Person(template.origin, template.given, template.surnames,
                          dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 55)),
                          template.nationality, f"{anumbers[roster_size + k]:09d}", template.variants)
        else:  # sibling: same surnames and nationality, another given name, born a few years apart
            origin_nats = next(n for o, _, n in ORIGINS if o == template.origin)
            other = _make_person(rng, pools, template.origin, origin_nats, f"{anumbers[roster_size + k]:09d}")
            gap = dt.timedelta(days=rng.choice((-1, 1)) * rng.randrange(300, 365 * 8))
            twin = Person(template.origin, other.given, template.surnames, template.dob + gap,
                          template.nationality, other.anumber, {**template.variants, **other.variants})
        row = _exposed_row(rng, twin, twin.nationality)
        if facility:
            row["Facility"] = pool.as_exposed(frng, pool.draw(frng))
        rows.append((row, None))
    rng.shuffle(rows)
    exposed = pl.DataFrame({
        "Name": [r["Name"] for r, _ in rows],
        "DOB": [r["DOB"] for r, _ in rows],
        "Citizenship": [r["Citizenship"] for r, _ in rows],
        "A#": [r["A#"] for r, _ in rows],
        "Facility": [r["Facility"] for r, _ in rows] if facility else
        [rng.choice(("North Processing Center", "South Detention Facility", "Family Center")) for _ in rows],
    })
    return Synthetic(roster, exposed, [t for _, t in rows], {ids[a]: ids[b] for a, b in pairs.items()})


def _exposed_row(rng: random.Random, p: Person, nat: str) -> dict[str, str]:
    return {"Name": _exposed_name(rng, p), "DOB": _exposed_dob(rng, p.dob), "Citizenship": nat,
            "A#": _exposed_anumber(rng, p.anumber)}
