"""The unit catalogue from the registry (extractor.units) and the senses of ambiguous units
(patterns/quantities/senses.yaml), and the lexicon's plural nouns. Unit names follow
quantulum3's registry."""

from __future__ import annotations

import json

import pytest

from extractor import units
from extractor.quantities import find_quantities
from extractor.quantity_catalogue import is_plural, lemma, load_patterns


def _units(text: str) -> list[tuple[float, str]]:
    return [(q.value, q.unit) for q in find_quantities(text)]


def test_committed_registry_file_has_every_unit_of_the_installed_registries() -> None:
    # a unit or surface added upstream shows here: re-run `python -m extractor.units`, no code
    # to write (a superset check, so a newer CLDR that renames something does not break CI)
    committed = json.loads(units.registry_path().read_text("utf-8"))
    fresh = units.registry_catalogue()
    assert set(fresh["units"]) <= set(committed["units"])
    for table in ("words", "symbols"):
        missing = {s for s, names in fresh[table].items()
                   if not set(names) <= set(committed[table].get(s, []))}
        assert not missing, f"{table} missing from {units.REGISTRY_FILE}: {sorted(missing)[:10]}"


@pytest.mark.parametrize(("text", "expected"), [
    ("a dose of 2 Gy", (2.0, "gray")),  # units units.yaml never listed, from the registry
    ("add 3 tbsp of sugar", (3.0, "tablespoon")),
    ("a photon of 5 eV", (5.0, "electronvolt")),
    ("a 40 µg dose", (40.0, "microgram")),
    ("a 40 μg dose", (40.0, "microgram")),  # Greek mu for the micro sign
    ("It cost ₡500.", (500.0, "costa rican colón")),  # CLDR currencies quantulum3 lacks
    ("He paid 3 Georgian lari.", (3.0, "georgian lari")),
    ("He paid 100 kip.", (100.0, "laotian kip")),
])
def test_registry_units_are_read(text: str, expected: tuple[float, str]) -> None:
    assert expected in _units(text)


def test_currency_codes_that_are_words_in_capitals_are_no_prices() -> None:
    assert _units("TOP 10 players") == [(10.0, "count")]


def test_registry_dimensionless_words_stay_counted_nouns() -> None:
    q = find_quantities("They handed over 3 pairs of boots.")[0]
    assert (q.value, q.unit, q.noun) == (3.0, "count", "pair")


@pytest.mark.parametrize(("text", "unit"), [
    # pound: money words around it make it sterling, weight words mass
    ("The company made a profit of 361 million pounds last year.", "pound sterling"),
    ("The fine was 500 pounds.", "pound sterling"),
    ("The baby weighed 8 pounds at birth.", "pound-mass"),
    # degrees: temperature words make them Fahrenheit, else an angle
    ("His temperature was 98.6 degrees f.", "fahrenheit"),
    ("Highs will reach 90 degrees f on Sunday.", "fahrenheit"),
    ("The ramp turns 90 degrees to the left.", "degree"),
    # kt: a bomb's yield or a ship's speed
    ("The bomb had a yield of 15 kt.", "kiloton"),
    ("Winds of 40 kt hit the coast.", "knot"),
])
def test_ambiguous_units_take_their_sense_from_context(text: str, unit: str) -> None:
    assert _units(text)[0][1] == unit


def test_in_is_an_inch_only_before_punctuation_or_a_size_word() -> None:
    assert _units("a tablet with a 12 in screen") == [(12.0, "inch")]
    assert _units("The pipe is 4 in.") == [(4.0, "inch")]
    assert _units("Sappers found 5 in the field.")[0][1] == "count"


def test_registry_words_that_are_news_nouns_stay_nouns() -> None:
    q = find_quantities("He netted 32 goals in 36 league games.")[1]
    assert (q.value, q.unit, q.noun) == (36.0, "count", "game")


@pytest.mark.parametrize(("text", "unit"), [
    ("It is 40 c outside, the warmest day.", "celsius"),
    ("A stamp costs 40 c.", "cent"),
    ("It is 90 f outside today.", "fahrenheit"),
    ("The sample was kept at 2 degrees kelvin.", "kelvin"),
])
def test_a_lone_scale_letter_is_a_temperature_among_words_of_heat(text: str, unit: str) -> None:
    assert _units(text)[0][1] == unit


@pytest.mark.parametrize(("text", "unit"), [
    ("hk$ 1 million was raised", "hong kong dollar"),
    ("it cost us$ 5", "dollar"),
    ("it cost rs. 500", "indian rupee"),
])
def test_currency_signs_are_read_in_lower_cased_text(text: str, unit: str) -> None:
    assert _units(text)[0][1] == unit


def test_a_time_unit_after_age_of_is_an_age() -> None:
    assert _units("a vaccine for children at the age of 10 months") == [(10.0, "month of age")]


def test_pick_sense_takes_the_nearest_cue_else_the_default() -> None:
    from extractor.quantity_catalogue import load_patterns, pick_sense, tokenize

    p = load_patterns()
    pound = p.senses["pounds"]

    def sense(text: str) -> str | None:
        toks = tokenize(text)
        lower = [t.text.lower() for t in toks]
        k = lower.index("pounds")
        unit = pick_sense(pound, toks, lower, k, k + 1, p.sense_window)
        return unit.name if unit else None

    assert sense("it weighed 5 pounds") == "pound-mass"
    assert sense("a profit of 5 pounds") == "pound sterling"
    # the nearer cue wins: "weighed" is next to the figure, "profit" further away
    assert sense("the profit was good and the parcel weighed 5 pounds") == "pound-mass"
    assert sense("she had 5 pounds") == "pound-mass"  # no cue: the first unit listed


@pytest.mark.parametrize(("text", "expected"), [
    ("the link is 100 mbit", (100.0, "megabit")),
    ("the battery stores 5 kwh", (5.0, "kilowatt hour")),
    ("they wrote off 5 bad loans", (5.0, "count")),  # BAD, a currency code, stays a word
])
def test_mixed_case_symbols_are_read_in_lower_cased_text(text: str,
                                                         expected: tuple[float, str]) -> None:
    assert _units(text)[0] == expected


@pytest.mark.parametrize(("text", "unit"), [
    # CLDR's English names of currencies quantulum3 names otherwise, read as that unit
    ("The charity raised 2,000 British pounds.", "pound sterling"),
    ("The fare was 150 Mexican pesos.", "mexican peso"),
])
def test_cldr_names_of_registry_currencies_are_read(text: str, unit: str) -> None:
    assert _units(text)[0][1] == unit


@pytest.mark.parametrize(("text", "unit"), [
    # "deg" is a degree like "degrees": a scale named after it makes it a temperature
    ("The water was 40 deg celsius.", "celsius"),
    ("The dish bakes at 350 deg fahrenheit.", "fahrenheit"),
    # a temperature word, a scale's name or an oven near a lone c or f
    ("Set the oven to 200 c for an hour.", "celsius"),
    ("Convert 50 f to celsius first.", "fahrenheit"),
])
def test_temperature_scales_after_deg_and_near_scale_names(text: str, unit: str) -> None:
    assert _units(text)[0][1] == unit


def test_lower_cased_currency_codes_stand_before_the_number_too() -> None:
    # a code the catalogue reads in lower case after a number ("20 eur") is read before one
    assert _units("the fee is usd 500 a year")[0] == (500.0, "dollar per year")
    assert _units("it was sold for eur 20")[0] == (20.0, "euro")
    assert _units("they will try 5 times")[0] == (5.0, "count")  # a word, not the lira


def test_units_the_registry_lacks_or_names_otherwise() -> None:
    assert _units("a battery of 40 Wh") == [(40.0, "watt hour")]  # the registry has only kWh
    assert _units("a 3 gal bucket") == [(3.0, "gallon")]  # not the Galileo


@pytest.mark.parametrize(("word", "plural", "singular"), [
    ("mines", True, "mine"), ("people", True, "people"), ("batteries", True, "battery"),
    ("UAVs", True, "UAV"), ("boxes", True, "box"), ("glass", False, "glass"),
    ("status", False, "status"),
])
def test_plural_nouns_and_their_lemmas(word: str, plural: bool, singular: str) -> None:
    p = load_patterns()
    assert (is_plural(p, word.lower()), lemma(p, word)) == (plural, singular)
