"""A labelled probe for the prose name finder: Faker names of many naming traditions in varied sentences, and
sentences without any private person's name (organisations, places, headings, Title Case phrases).

    PYTHONHASHSEED=0 uv run python tests/support/name_probe.py [-v]   # recall and precision per locale

(Faker's city lists are sets: the negatives depend on the hash seed, so fix it to compare runs.)

Synthetic data only. Cyrillic names are transliterated to Latin letters the way news copy writes them.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

from faker import Faker

from veil.detectors.text_names import find_names

# Locales whose Faker names are in Latin letters (or transliterated below).
LOCALES = (
    "hr_HR",
    "sl_SI",
    "pl_PL",
    "cs_CZ",
    "sk_SK",
    "hu_HU",
    "ro_RO",
    "tr_TR",
    "vi_VN",
    "id_ID",
    "es_MX",
    "es_CO",
    "es_ES",
    "pt_BR",
    "fr_FR",
    "de_DE",
    "it_IT",
    "en_IN",
    "en_PK",
    "en_NG",
    "yo_NG",
    "ha_NG",
    "sw",
    "zh_CN",
    "ru_RU",
    "uk_UA",
    "bg_BG",
    "mk_MK",
    "lt_LT",
    "lv_LV",
    "az_AZ",
    "sq_AL",
    "fr_DZ",
)
# Locales with a given name and two surnames (paternal, maternal).
TWO_SURNAMES = ("es_MX", "es_CO", "es_ES", "pt_BR")

_CYR = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяієїґђјљњћџѓќѕ",
        [
            "a",
            "b",
            "v",
            "g",
            "d",
            "e",
            "yo",
            "zh",
            "z",
            "i",
            "y",
            "k",
            "l",
            "m",
            "n",
            "o",
            "p",
            "r",
            "s",
            "t",
            "u",
            "f",
            "kh",
            "ts",
            "ch",
            "sh",
            "shch",
            "",
            "y",
            "",
            "e",
            "yu",
            "ya",
            "i",
            "ye",
            "yi",
            "g",
            "đ",
            "j",
            "lj",
            "nj",
            "ć",
            "dž",
            "gj",
            "kj",
            "dz",
        ],
        strict=True,
    )
)


def latin(value: str) -> str:
    out = []
    for ch in value:
        low = ch.lower()
        rep = _CYR.get(low)
        if rep is None:
            out.append(ch)
        else:
            out.append(rep.capitalize() if ch != low else rep)
    return "".join(out)


def _name(fake: Faker, locale: str) -> str:
    if locale == "zh_CN":
        return f"{fake.first_romanized_name()} {fake.last_romanized_name()}"
    first, last = fake.first_name(), fake.last_name()
    if locale in TWO_SURNAMES:
        last = f"{last} {fake.last_name()}"
    return latin(f"{first} {last}")


# {n} is the name; every template holds exactly one private person's name.
POSITIVE_TEMPLATES = (
    "{n} arrived at the shelter last week.",
    "Media advisory: {n}, a key witness in the case, will not attend the hearing.",
    "Subject: {n} hearing moved to Tuesday",
    "Re: {n}\nPlease find the documents attached.",
    "We met Mr. {n} at the office on Monday.",
    "La Sra. {n} presentó los documentos ayer.",
    "The family of {n} asked for the file to be closed.",
    "Case notes\n{n} was interviewed on Monday.",
    "Attendees: {n}, a farmer from the north, and two relatives.",
    "According to the file, {n} was detained in March.",
    "- {n}, 34, from the coast",
)

NEGATIVES = (
    "Human Rights Watch published its Annual Report on Thursday.",
    "The International Rescue Committee opened an office in San Pedro Sula.",
    "Media advisory: Press Conference on Migration Policy",
    "Subject: Quarterly Budget Review",
    "Re: Annual General Meeting",
    "Know Your Rights workshops take place in Nueva Ecija and Quezon City.",
    "The Supreme Court of Justice ruled on the Freedom of Information Act.",
    "Ho Chi Minh City and Hanoi are the largest cities.",
    "Catholic Charities and the Red Cross coordinate the Shelter Network.",
    "Executive Summary\nKey Findings and Recommendations",
    "Banco Nacional de Desarrollo signed the agreement.",
    "Universidad Nacional Autónoma de México hosted the event.",
    "The United Nations High Commissioner for Refugees issued guidance.",
    "Table of Contents",
    "Monday Morning Briefing",
    "New York Times reported on the Rio Grande Valley.",
)
NEGATIVE_TEMPLATES = (
    "The regional office in {city} opened in 2020.",
    "{company} signed the contract.",
    "Media advisory: {company} opens a new office in {city}",
    "Subject: Visit to {city}",
)
NEG_LOCALES = ("hr_HR", "pl_PL", "cs_CZ", "hu_HU", "ro_RO", "tr_TR", "es_MX", "es_CO", "pt_BR", "fr_FR", "it_IT")


@dataclass(frozen=True)
class Case:
    locale: str
    text: str
    span: tuple[int, int] | None  # the name's span, None for a negative


def build(seed: int = 7, per_locale: int = 22) -> list[Case]:
    rng = random.Random(seed)
    cases: list[Case] = []
    for locale in LOCALES:
        fake = Faker(locale)
        fake.seed_instance(seed)
        for i in range(per_locale):
            name = _name(fake, locale)
            template = POSITIVE_TEMPLATES[i % len(POSITIVE_TEMPLATES)]
            head, _ = template.split("{n}")
            cases.append(Case(locale, template.format(n=name), (len(head), len(head) + len(name))))
    cases += [Case("-", text, None) for text in NEGATIVES]
    for locale in NEG_LOCALES:
        fake = Faker(locale)
        fake.seed_instance(seed)
        for _ in range(6):
            template = rng.choice(NEGATIVE_TEMPLATES)
            cases.append(Case(locale, template.format(city=fake.city(), company=fake.company()), None))
    return cases


@dataclass
class Score:
    found: int = 0
    full: int = 0
    names: int = 0
    false: int = 0
    negatives: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.names if self.names else 1.0

    @property
    def full_recall(self) -> float:
        return self.full / self.names if self.names else 1.0

    @property
    def negative_precision(self) -> float:
        """Share of negative sentences where nothing was taken for a private person's name."""
        return 1 - self.false / self.negatives if self.negatives else 1.0


def measure(cases: list[Case]) -> tuple[Score, dict[str, Score], list[str]]:
    total = Score()
    by_locale: dict[str, Score] = defaultdict(Score)
    misses: list[str] = []
    for case in cases:
        private = [h for h in find_names(case.text) if not h.official]
        for score in (total, by_locale[case.locale]):
            if case.span is None:
                score.negatives += 1
                score.false += bool(private)
            else:
                s, e = case.span
                score.names += 1
                score.found += any(h.start < e and h.end > s for h in private)
                score.full += any(h.start <= s and h.end >= e for h in private)
        if case.span is None and private:
            misses.append(f"FP {case.locale}: {[h.value for h in private]} in {case.text!r}")
        elif case.span is not None and not any(h.start < case.span[1] and h.end > case.span[0] for h in private):
            misses.append(f"FN {case.locale}: {case.text!r}")
    return total, dict(by_locale), misses


def main() -> None:  # pragma: no cover - a report for engineers
    import sys

    total, by_locale, misses = measure(build())
    for locale, s in sorted(by_locale.items()):
        if s.names:
            print(f"{locale:7} recall {s.recall:6.1%}  full-span {s.full_recall:6.1%}  ({s.names} names)")
    print(f"negatives: {total.negatives - total.false}/{total.negatives} clean ({total.negative_precision:.1%})")
    print(f"TOTAL recall {total.recall:.1%}  full-span {total.full_recall:.1%}  over {total.names} names")
    if "-v" in sys.argv:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
