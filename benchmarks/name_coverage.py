"""Coverage and false positives of Veil's offline name lexicon (veil.detectors.names).

Run:  uv run python benchmarks/name_coverage.py [--people 400] [--no-corpus]

Prints, per origin (Hispanic, Haitian, Russian transliterated, Chinese pinyin, Persian and Arabic transliterated,
US English as a baseline):
- token coverage: share of name tokens the lexicon knows (given-name or surname score >= 0.3),
- full-name coverage: share of names all of whose tokens are known,
- column detection: share of 50-name columns (in several layouts) that name_column_score scores >= 0.6 (flagged
  without any header) and >= 0.35 (flagged when the header says "name"),
and, for about 50 columns of ordinary statistics labels (and every text column of the real statistics files in
../shared/corpus/real/ outside record-level/, when present), how many would be taken for names.

Names are synthetic: Faker locales (seeded) and hand-built lists of common given names and surnames (public knowledge).
Faker's Latin-script names are not in the lexicon (see src/veil/detectors/data/names/PROVENANCE.md), so the figures
measure the census and voter-file lists, not Faker against itself.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from faker import Faker

from veil.detectors import names

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "real"

HAITIAN_GIVEN = """
Wislande Mirlande Guerline Nadège Roseline Jocelyne Marie-Carmel Fabiola Magalie Nathalie Judeline Rose-Marie
Youvens Frantz Fritznel Jean-Robert Wilner Jacky Ricardo Widlyne Dieudonné Jean-Claude Jean-Pierre Rosemène
Mackenson Peterson Stevenson Wilfrid Nixon Kerby Widline Fedline Lovely Mirline Marjorie Esther Islande
Sherlie Bertrand Jodeline Ketly Vladimir Marie-Ange Nerlande Fritzner Jean-Rony Wildens Guerda Yolette Mirlène
Josué Evens Kesner Rodney Ginette Altagrace Clotilde Emmanuela Edeline Lourdes Wisly Wisner Dukens Jameson
Ricot Roodly
""".split()
HAITIAN_SURNAMES = """
Jean-Baptiste Pierre-Louis Joseph Pierre Louis Charles Jean Baptiste Saint-Fleur Saint-Louis Dorvil Augustin
Desir Dorcely Etienne François Guerrier Jean-Louis Jean-Charles Lafontant Lamothe Metellus Noël Octavius
Pierre-Paul Philogène Estimé Exantus Fils-Aimé Destin Dorsainvil Elysée Dieujuste Beauvoir Bellegarde Cadet
Célestin Cineus Compère Delva Duvivier Alcindor Toussaint Thermidor Vilmé Jeune Jeudy Michel Paul Prophète
Sénatus Similien Valcourt Jean-Gilles Désir Félix Florestal Geffrard Hyppolite Innocent Lubin Mompremier
Narcisse Orélus Petit-Frère Remy Saintil Thélusma Vincent Zéphir
""".split()
PERSIAN_GIVEN = """
Mohammad Ali Hossein Reza Mehdi Hassan Amir Mohsen Saeed Hamid Majid Javad Morteza Mostafa Abbas Farhad
Behrouz Dariush Kourosh Arash Babak Omid Navid Siavash Shahram Fatemeh Zahra Maryam Narges Leila Shirin Parisa
Azadeh Mahsa Nasrin Farideh Soheila Roya Elaheh Samira Niloufar Golnaz Mina Sara Yasaman Parvin Tahereh
Masoumeh Somayeh Zeinab Shiva Mahmoud Ehsan Pouya Kaveh Ramin Payam Afshin Bahareh Forough Shabnam Ladan
Nazanin
""".split()
PERSIAN_SURNAMES = """
Mohammadi Hosseini Ahmadi Rezaei Moradi Karimi Hashemi Jafari Rahimi Abbasi Sadeghi Heidari Mousavi Kazemi
Ghasemi Rostami Salehi Akbari Amini Bagheri Najafi Sharifi Ebrahimi Nouri Ranjbar Azizi Kiani Shirazi Tehrani
Esfahani Hosseinzadeh Alizadeh Rahmani Soltani Yazdani Zamani Mirzaei Asadi Jalali Bahrami Farahani Khosravi
Ghorbani Mahmoudi Daneshvar Golzari Safavi Tavakoli Nikpour Rezapour Shahbazi Ansari Hamidi Nazari Fallahi
Mohseni Sohrabi Taheri Ghaffari Kamali
""".split()
ARABIC_GIVEN = """
Mohammed Muhammad Ahmed Ahmad Mahmoud Mustafa Omar Khaled Youssef Yousef Ibrahim Hassan Hussein Ali Abdullah
Abdulrahman Tariq Samir Walid Karim Nabil Hamza Bilal Fadi Rami Ziad Jamal Faisal Saleh Nasser Fatima Aisha
Maryam Noor Layla Huda Amal Rania Dina Salma Yasmin Hanan Samira Khadija Zainab Lina Reem Mona Nadia Ghada
Abdelkader Abdelaziz Mounir Hicham Rachid Said Yassine Anas Othman Sami
""".split()
ARABIC_SURNAMES = """
Al-Sayed Haddad Khalil Ibrahim Mansour Nasser Saleh Hamdan Aziz Abdallah Al-Masri Al-Hassan Khoury Hussein
Abbas Darwish Said Farah Qasim Suleiman Yassin Othman Rahman Al-Najjar Shaheen Barakat Issa Awad Hijazi Zaki
Habib Bakr Jaber Karam Nassar El-Amin Mahmoud Mustafa Odeh Qureshi Al-Rashid Hammoud Salem Ghanem Halabi
Sabbagh Tamimi Zayed Bitar Amin Benali Belkacem Bouazizi El-Idrissi Alaoui Bennani Chaoui Mansouri Haddadi
""".split()
PINYIN_GIVEN = """
Xiaoming Wei Fang Na Min Jing Li Qiang Lei Jun Yang Yong Yan Jie Juan Tao Ming Chao Xiuying Xia Ping Gang Hui
Hong Hua Jian Lan Ling Mei Ning Peng Qing Rui Shu Ting Xin Xue Yu Yun Zhen Zhiwei Jianhua Haiyan Xiaohong
Xiaoyan Jianguo Guoqiang Lihua Yufei Zihan Haoran Yuxuan Ruoxi Xinyi Yichen Zhiqiang Wenjing Shuang Jiahui
Zhihao
""".split()

CYRILLIC = dict(zip("абвгдеёжзийклмнопрстуфхцчшщъыьэюя", [
    "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t", "u", "f",
    "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"], strict=True))

# Ordinary statistics-table columns (about 50): none of these may be taken for names.
STATISTICS_COLUMNS: dict[str, list[str]] = {
    "sex": ["Male", "Female", "Total"],
    "sex long": ["Male", "Female", "Unknown", "Other", "Not reported", "Grand Total"],
    "sexo": ["Hombres", "Mujeres", "Total"],
    "countries A": ["Mexico", "Guatemala", "Honduras", "El Salvador", "Ecuador", "Cuba", "Haiti", "Venezuela",
                    "Colombia", "Nicaragua", "Dominican Republic", "Peru", "Brazil", "India", "China", "Other"],
    "countries B": ["Afghanistan", "Albania", "Angola", "Bangladesh", "Cameroon", "Chad", "Congo", "Eritrea",
                    "Ethiopia", "Georgia", "Ghana", "Guinea", "Jordan", "Mauritania", "Nigeria", "Pakistan",
                    "Romania", "Russia", "Senegal", "Somalia", "Sudan", "Turkey", "Ukraine", "Uzbekistan"],
    "countries C": ["Iran", "Iraq", "Syria", "Lebanon", "Egypt", "Yemen", "Saudi Arabia", "Israel", "Palestine",
                    "Kosovo", "Serbia", "Bosnia and Herzegovina", "Moldova", "Armenia", "Azerbaijan", "Tajikistan"],
    "paises": ["México", "Guatemala", "Honduras", "El Salvador", "Estados Unidos", "Haití", "Perú", "Panamá",
               "República Dominicana", "Brasil", "Otros"],
    "nationality": ["Mexican", "Guatemalan", "Honduran", "Salvadoran", "Cuban", "Haitian", "Venezuelan",
                    "Colombian", "Indian", "Chinese", "Russian", "Unknown"],
    "nationality B": ["Afghan", "Eritrean", "Iranian", "Iraqi", "Syrian", "Sudanese", "Albanian", "Vietnamese",
                      "Pakistani", "Bangladeshi", "Nigerian", "Stateless"],
    "states": ["California", "Texas", "Arizona", "New Mexico", "Louisiana", "Georgia", "Florida", "New Jersey",
               "New York", "Washington", "Virginia", "Colorado", "Nevada", "Total"],
    "states B": ["Alabama", "Mississippi", "Pennsylvania", "Ohio", "Michigan", "Illinois", "Oklahoma", "Oregon",
                 "Utah", "Idaho", "Montana", "Dakota", "Carolina", "Maryland", "Indiana", "Missouri"],
    "uk nations": ["England", "Wales", "Scotland", "Northern Ireland", "United Kingdom"],
    "counties": ["Kern County", "Los Angeles County", "San Diego County", "Harris County", "Dallas County",
                 "Maricopa County", "Cook County", "Orange County", "Jackson County", "Washington County"],
    "counties bare": ["Kern", "Los Angeles", "San Diego", "Fresno", "Imperial", "Riverside", "San Bernardino",
                      "Santa Clara", "Sacramento", "Alameda", "Maricopa", "Pima", "Yuma", "Hidalgo", "Cameron"],
    "facilities A": ["Adelanto ICE Processing Center", "Otay Mesa Detention Center", "Stewart Detention Center",
                     "Kern County Jail", "Port Isabel SPC", "Torrance County Detention Facility",
                     "Winn Correctional Center", "Eloy Federal Contract Facility",
                     "Krome North Service Processing Center"],
    "facilities B": ["South Texas ICE Processing Center", "Pine Prairie ICE Processing Center",
                     "Moshannon Valley Processing Center", "Otero County Processing Center",
                     "Jena/LaSalle Detention Facility", "Northwest ICE Processing Center",
                     "Richwood Correctional Center", "Irwin County Detention Center"],
    "facilities C": ["Buffalo (Batavia) Service Processing Center", "Elizabeth Contract Detention Facility",
                     "Bluebonnet Detention Facility", "Dilley Family Residential Center",
                     "Karnes County Immigration Processing Center",
                     "Broadview Service Staging", "Delaney Hall", "Golden State Annex", "Desert View Annex"],
    "months": ["October", "November", "December", "January", "February", "March", "April", "May", "June", "July",
               "August", "September", "Total"],
    "months short": ["Oct", "Nov", "Dec", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep"],
    "meses": ["Enero", "Febrero", "Marzo", "Abril", "Mayo", "Junio", "Julio", "Agosto", "Septiembre", "Octubre",
              "Noviembre", "Diciembre"],
    "days": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "fiscal years": ["FY2019", "FY2020", "FY2021", "FY2022", "FY2023", "FY 2024", "Total"],
    "quarters": ["Q1", "Q2", "Q3", "Q4", "Quarter 1", "Quarter 2", "Annual"],
    "criminality": ["Criminal", "Non-criminal", "Pending criminal charges", "Convicted criminal",
                    "Other immigration violator", "Total"],
    "threat levels": ["Level 1", "Level 2", "Level 3", "No ICE Threat Level", "Threat Level 1"],
    "labels": ["ADP", "ALOS", "Book-ins", "Releases", "Removals", "Returns", "Grant", "Average daily population"],
    "case status": ["Asylum granted", "Asylum denied", "Withholding of removal", "CAT deferral", "Pending",
                    "Administratively closed", "Abandoned", "Withdrawn", "Credible fear found", "Reasonable fear"],
    "visa types": ["T visa", "U visa", "VAWA", "Special Immigrant Juvenile", "Parole", "TPS", "DACA"],
    "aor": ["Atlanta", "Baltimore", "Boston", "Buffalo", "Chicago", "Dallas", "Denver", "Detroit", "El Paso",
            "Harlingen", "Houston", "Los Angeles", "Miami", "New Orleans", "New York City", "Newark", "Philadelphia",
            "Phoenix", "Salt Lake City", "San Antonio", "San Diego", "San Francisco", "Seattle", "St. Paul",
            "Washington"],
    "sectors": ["Rio Grande Valley", "Del Rio", "Laredo", "El Paso", "Tucson", "Yuma", "San Diego", "El Centro",
                "Big Bend", "Spokane", "Swanton", "Miami"],
    "cities": ["Houston", "Dallas", "Austin", "San Antonio", "El Paso", "Laredo", "Jackson", "Atlanta", "Miami",
               "Phoenix", "Denver", "Chicago", "Newark", "Seattle", "Baltimore", "Tijuana", "Juarez"],
    "world cities": ["London", "Paris", "Madrid", "Mexico City", "Guatemala City", "San Salvador", "Tegucigalpa",
                     "Managua", "Port-au-Prince", "Havana", "Caracas", "Bogota", "Quito", "Lima", "Kabul", "Tehran"],
    "age groups": ["0-17", "18-24", "25-34", "35-44", "45-54", "55+", "Unknown"],
    "age labels": ["Child", "Adult", "Juvenile", "Minor", "Unaccompanied child", "Family unit", "Single adult"],
    "agencies": ["ICE", "CBP", "USCIS", "EOIR", "ORR", "DHS", "DOJ", "HHS"],
    "programs": ["Alternatives to Detention", "ISAP", "Intensive Supervision Appearance Program", "Case management",
                 "Electronic monitoring", "Telephonic reporting", "SmartLINK"],
    "departure": ["Removal", "Return", "Voluntary departure", "Expedited removal", "Reinstatement", "Title 42",
                  "Title 8", "Withdrawal"],
    "encounters": ["Apprehensions", "Inadmissibles", "Encounters", "Expulsions", "Total encounters"],
    "unhcr": ["Refugees", "Asylum-seekers", "Internally displaced persons", "Stateless persons", "Returnees",
              "Others of concern"],
    "regions": ["Northeast", "Southeast", "Midwest", "Southwest", "West", "Central America", "South America",
                "Caribbean", "Africa", "Asia", "Europe", "Oceania"],
    "budget": ["Personnel", "Travel", "Equipment", "Supplies", "Contractual", "Grant", "Indirect costs", "Total"],
    "yes no": ["Yes", "No", "Unknown", "N/A"],
    "languages": ["Spanish", "English", "French", "Haitian Creole", "Portuguese", "Arabic", "Mandarin", "K'iche'",
                  "Mam", "Q'anjob'al", "Russian", "Other"],
    "outcomes": ["Released on bond", "Released on recognizance", "Paroled", "Removed", "Transferred", "Escaped",
                 "Deceased", "In custody"],
    "court": ["Immigration court", "Board of Immigration Appeals", "Circuit court", "District court",
              "Supreme Court"],
    "uk labels": ["Asylum applications", "Initial decisions", "Grants", "Refusals", "Withdrawals", "Appeals lodged",
                  "Resettlement"],
    "ethnicity": ["White", "Black", "Asian", "Hispanic", "Native American", "Two or more races", "Other"],
    "religion": ["Christian", "Muslim", "Jewish", "Hindu", "Buddhist", "None", "Other"],
    "genders": ["Man", "Woman", "Non-binary", "Transgender", "Prefer not to say"],
    "marital": ["Single", "Married", "Divorced", "Widowed", "Separated"],
    "custody": ["ICE custody", "CBP custody", "ORR custody", "USMS custody", "BOP custody"],
}


def transliterate(text: str) -> str:
    out = "".join(CYRILLIC.get(c.lower(), c) if c.isalpha() else c for c in text)
    return out[:1].upper() + out[1:]


def people(origin: str, n: int, rng: random.Random) -> list[tuple[str, str, str]]:
    """(given, surname, second surname or '') triples of one origin."""
    if origin == "Hispanic":
        out = []
        for i, loc in enumerate(("es_MX", "es_ES", "es_CO")):
            fake = Faker(loc)
            fake.seed_instance(100 + i)
            out += [(fake.first_name(), fake.last_name(), fake.last_name()) for _ in range(n // 3)]
        return out
    if origin == "US English":
        fake = Faker("en_US")
        fake.seed_instance(7)
        return [(fake.first_name(), fake.last_name(), "") for _ in range(n)]
    if origin == "Russian":
        fake = Faker("ru_RU")
        fake.seed_instance(9)
        out = []
        for _ in range(n):
            if rng.random() < 0.5:
                given, last = fake.first_name_male(), fake.last_name_male()
            else:
                given, last = fake.first_name_female(), fake.last_name_female()
            out.append((transliterate(given), transliterate(last), ""))
        return out
    if origin == "Chinese pinyin":
        from faker.providers.person.zh_CN import Provider

        given = sorted(set(PINYIN_GIVEN) | set(Provider.first_romanized_names))
        return [(rng.choice(given), rng.choice(Provider.last_romanized_names), "") for _ in range(n)]
    lists = {
        "Haitian": (HAITIAN_GIVEN, HAITIAN_SURNAMES),
        "Persian": (PERSIAN_GIVEN, PERSIAN_SURNAMES),
        "Arabic": (ARABIC_GIVEN, ARABIC_SURNAMES),
    }[origin]
    return [(rng.choice(lists[0]), rng.choice(lists[1]), "") for _ in range(n)]


LAYOUTS: dict[str, Callable[[tuple[str, str, str]], str]] = {
    "LAST, First": lambda p: f"{' '.join(x for x in p[1:] if x).upper()}, {p[0]}",
    "First Last": lambda p: " ".join(x for x in p if x),
    "LAST FIRST (caps)": lambda p: f"{' '.join(x for x in p[1:] if x)} {p[0]}".upper(),
    "last, first (lower, no accents)": lambda p: names.normalise_key(f"{' '.join(x for x in p[1:] if x)}, {p[0]}")
    .lower(),
    "Last, F.": lambda p: f"{p[1]}, {p[0][0]}.",
}


def token_coverage(persons: Iterable[tuple[str, str, str]]) -> tuple[float, float, float]:
    known = total = full = count = likeness_ok = 0
    for person in persons:
        toks = [t for part in person if part for t in names.tokens(part)]
        hits = [max(names.given_score(t), names.surname_score(t)) >= 0.3 for t in toks]
        known += sum(hits)
        total += len(hits)
        full += all(hits)
        count += 1
        likeness_ok += names.name_likeness(" ".join(x for x in person if x)) >= 0.6
    return known / total, full / count, likeness_ok / count


def column_rates(persons: list[tuple[str, str, str]], size: int = 50) -> tuple[float, float, float]:
    scores = []
    for layout in LAYOUTS.values():
        for i in range(0, len(persons) - size + 1, size):
            scores.append(names.name_column_score([layout(p) for p in persons[i : i + size]]).score)
    return (sum(s >= 0.6 for s in scores) / len(scores), sum(s >= 0.35 for s in scores) / len(scores),
            sum(scores) / len(scores))


def corpus_columns(limit_rows: int = 3000) -> list[tuple[str, list[str]]]:
    """Every text column of the real statistics files (calamine for spreadsheets, csv module for CSV/TSV)."""
    import csv

    from python_calamine import CalamineWorkbook

    out: list[tuple[str, list[str]]] = []
    for path in sorted(CORPUS.rglob("*")):
        if "record-level" in path.parts or not path.is_file():
            continue
        rows: list[list[object]] = []
        sheets: list[tuple[str, list[list[object]]]] = []
        try:
            if path.suffix.lower() in {".xlsx", ".xls", ".ods"}:
                wb = CalamineWorkbook.from_path(str(path))
                for name in wb.sheet_names:
                    sheets.append((name, wb.get_sheet_by_name(name).to_python()[:limit_rows]))
            elif path.suffix.lower() in {".csv", ".tsv"}:
                with open(path, newline="", encoding="utf-8", errors="replace") as fh:
                    delim = "\t" if path.suffix.lower() == ".tsv" else ","
                    rows = [r for _, r in zip(range(limit_rows), csv.reader(fh, delimiter=delim), strict=False)]
                sheets.append(("", rows))
        except Exception as exc:  # noqa: BLE001 - a benchmark skips what it cannot read and says so
            print(f"  (skipped {path.name}: {type(exc).__name__})")
            continue
        for sheet, grid in sheets:
            width = max((len(r) for r in grid), default=0)
            for c in range(width):
                vals = [str(r[c]).strip() for r in grid if c < len(r) and isinstance(r[c], str) and str(r[c]).strip()]
                if len(vals) >= 3:
                    out.append((f"{path.relative_to(CORPUS)} {sheet} col {c}", vals))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=400, help="names per origin")
    parser.add_argument("--no-corpus", action="store_true", help="skip ../shared/corpus/real")
    args = parser.parse_args()
    rng = random.Random(20260)

    start = time.perf_counter()
    names.name_likeness("Maria Garcia")
    load_ms = (time.perf_counter() - start) * 1000

    origins = ["Hispanic", "Haitian", "Russian", "Chinese pinyin", "Persian", "Arabic", "US English"]
    print(f"{'origin':16} {'tokens known':>12} {'names known':>12} {'value >=0.6':>12} "
          f"{'cols >=0.6':>11} {'cols >=0.35':>12} {'mean col':>9}")
    for origin in origins:
        persons = people(origin, args.people, rng)
        tok, full, lik = token_coverage(persons)
        c60, c35, mean = column_rates(persons)
        print(f"{origin:16} {tok:12.1%} {full:12.1%} {lik:12.1%} {c60:11.1%} {c35:12.1%} {mean:9.2f}")

    print("\nunknown names in name shape (made-up tokens), per layout:")
    made_up = [("".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(3)).title(),
                "".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(3)).title(), "")
               for _ in range(200)]
    for label, layout in [*LAYOUTS.items(), ("SURNAME only", lambda p: p[1].upper())]:
        print(f"  {label:34} score {names.name_column_score([layout(p) for p in made_up]).score:.2f}")

    print(f"\nstatistics columns ({len(STATISTICS_COLUMNS)}):")
    flagged60 = flagged35 = 0
    worst = []
    for label, vals in STATISTICS_COLUMNS.items():
        result = names.name_column_score(vals)
        flagged60 += result.score >= 0.6
        flagged35 += result.score >= 0.35
        worst.append((result.score, label, result.explanation))
    print(f"  flagged >= 0.6: {flagged60}   >= 0.35: {flagged35}")
    for score, label, why in sorted(worst, reverse=True)[:5]:
        print(f"  highest: {label:16} {score:.2f}  {why}")
    tokens = [t for vals in STATISTICS_COLUMNS.values() for v in vals for t in names.tokens(v)]
    evidence = [t for t in tokens if max(names.given_score(t), names.surname_score(t)) > 0]
    print(f"  statistics tokens that still count as name evidence: {len(evidence)}/{len(tokens)} "
          f"({len(evidence) / len(tokens):.1%})")

    if not args.no_corpus and CORPUS.is_dir():
        cols = corpus_columns()
        scored = [(names.name_column_score(v), label) for label, v in cols]
        f60 = [(r, label) for r, label in scored if r.score >= 0.6]
        f35 = [(r, label) for r, label in scored if r.score >= 0.35]
        print(f"\nreal statistics files outside record-level/: {len(cols)} text columns; "
              f"flagged >= 0.6: {len(f60)}   >= 0.35: {len(f35)}")
        for r, label in sorted(f35, key=lambda x: -x[0].score)[:8]:
            print(f"  {r.score:.2f} {label}: {r.explanation}")

    column = [LAYOUTS["LAST, First"](p) for p in people("Hispanic", 2001, rng)][:2000]
    names.name_column_score(column)
    runs, cpu = [], []
    for _ in range(20):
        t0, c0 = time.perf_counter(), time.process_time()
        names.name_column_score(column)
        runs.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    print(f"\nlexicon load {load_ms:.0f} ms (first use); name_column_score on 2,000 values: "
          f"wall best {min(runs):.1f} ms, median {sorted(runs)[len(runs) // 2]:.1f} ms; "
          f"CPU median {sorted(cpu)[len(cpu) // 2]:.1f} ms")
    info = names.LEXICON_INFO
    print(f"lexicon: {info['entries']:,} entries ({info['given_names']:,} given, {info['surnames']:,} surnames), "
          f"{info['common_words']:,} common words, {info['places']:,} places")


if __name__ == "__main__":
    main()
