"""Writes src/veil/detectors/data/countries.txt: country names (English and Spanish, from Faker's locale
providers) and nationality adjectives, lower-cased, one per line. Re-run after upgrading Faker."""

from __future__ import annotations

from pathlib import Path

from faker.providers.address.en_US import Provider as EnUS
from faker.providers.address.es_ES import Provider as EsES

NATIONALITIES = """
afghan albanian algerian american angolan argentine argentinian armenian australian austrian azerbaijani
bangladeshi belarusian belgian belizean beninese bhutanese bolivian bosnian brazilian british bulgarian burkinabe
burmese burundian cambodian cameroonian canadian chadian chilean chinese colombian congolese costa rican croatian
cuban czech danish dominican dutch ecuadorian ecuadorean egyptian salvadoran el salvadoran emirati eritrean estonian
ethiopian fijian filipino finnish french gabonese gambian georgian german ghanaian greek guatemalan guinean guyanese
haitian honduran hungarian icelandic indian indonesian iranian iraqi irish israeli italian ivorian jamaican japanese
jordanian kazakh kenyan korean kosovar kuwaiti kyrgyz lao laotian latvian lebanese liberian libyan lithuanian
macedonian malagasy malawian malaysian malian mauritanian mexican moldovan mongolian montenegrin moroccan
mozambican namibian nepalese nepali nicaraguan nigerian nigerien norwegian omani pakistani palestinian panamanian
paraguayan peruvian polish portuguese qatari romanian russian rwandan saudi senegalese serbian sierra leonean
singaporean slovak slovenian somali south african spanish sri lankan sudanese surinamese swedish swiss syrian
taiwanese tajik tanzanian thai togolese trinidadian tunisian turkish turkmen ugandan ukrainian uruguayan uzbek
venezuelan vietnamese yemeni zambian zimbabwean
mexicano mexicana guatemalteco guatemalteca hondureño hondureña salvadoreño salvadoreña nicaragüense cubano cubana
venezolano venezolana colombiano colombiana ecuatoriano ecuatoriana peruano peruana haitiano haitiana dominicano
dominicana brasileño brasileña chino china ruso rusa indio india
"""

EXTRA = """
el salvador guatemala honduras mexico méxico haiti haití cuba venezuela nicaragua ecuador colombia peru perú brazil
brasil dominican republic república dominicana india china russia rusia ukraine ucrania turkey türkiye romania
mauritania senegal afghanistan iran iraq syria somalia eritrea ethiopia russian federation korea north korea
south korea burma myanmar congo drc democratic republic of the congo ivory coast cote d'ivoire côte d'ivoire
united states usa u.s. united kingdom uk great britain england scotland wales northern ireland
"""

MULTIWORD = (
    "costa rican", "el salvadoran", "sierra leonean", "south african", "sri lankan", "el salvador",
    "dominican republic", "república dominicana", "russian federation", "north korea", "south korea",
    "democratic republic of the congo", "ivory coast", "cote d'ivoire", "côte d'ivoire", "united states",
    "united kingdom", "great britain", "northern ireland", "burkina faso", "costa rica", "puerto rico",
    "saudi arabia", "new zealand", "papua new guinea", "trinidad and tobago", "bosnia and herzegovina",
)


def main() -> None:
    names: set[str] = set()
    for provider in (EnUS, EsES):
        names.update(c.lower() for c in provider.countries)
    fragments = {w for phrase in MULTIWORD for w in phrase.split()}
    names.update(n for n in NATIONALITIES.split() if n not in fragments)
    names.update(MULTIWORD)
    names.update(w for w in EXTRA.split() if len(w) > 3 and w not in fragments)
    out = Path(__file__).resolve().parents[1] / "src/veil/detectors/data/countries.txt"
    out.write_text("\n".join(sorted(names)) + "\n", encoding="utf-8")
    print(f"wrote {len(names)} entries to {out}")


if __name__ == "__main__":
    main()
