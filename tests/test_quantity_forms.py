"""Forms of amounts the figure layer reads as ONE quantity (issue #9's error classes):
mixed fractions and "and a half", compound currency amounts, spaced ranges with a unit,
rates per a counted thing, scale letters on currency codes, units in brackets, and dates
in lower-cased or abbreviated text that are no figures."""

from __future__ import annotations

import pytest

from extractor.quantities import find_quantities


def _read(text: str) -> list[tuple[float, float | None, float | None, str, str]]:
    return [(q.value, q.low, q.high, q.unit, q.text) for q in find_quantities(text)]


@pytest.mark.parametrize(("text", "value", "unit", "surface"), [
    ("He ran 10 1/2 miles.", 10.5, "mile", "10 1/2 miles"),
    ("He ran 10 ½ miles.", 10.5, "mile", "10 ½ miles"),
    ("It took one and a half hours.", 1.5, "hour", "one and a half hours"),
    ("two and a half million people fled", 2_500_000, "count", "two and a half million people"),
    ("a 3 and a quarter mile walk", 3.25, "mile", "3 and a quarter mile"),
])
def test_a_whole_number_and_its_fraction_are_one_value(text: str, value: float, unit: str,
                                                       surface: str) -> None:
    q = find_quantities(text)[0]
    assert (q.value, q.unit, q.text) == (value, unit, surface)


def test_a_date_fraction_is_not_joined_to_the_number_before() -> None:
    # "24/7" and a lone "1/2" stay what they were: only a smaller numerator over a bigger
    # denominator after a whole number is a mixed fraction
    assert [v for v, *_ in _read("open 24/7 for 3 years")] == [3.0]


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("It cost 15 dollars 50 in total.", 15.5, "dollar"),
    ("It costs 2 euros 50 cents.", 2.5, "euro"),
    ("It costs 2 euros and 50 cents.", 2.5, "euro"),
])
def test_a_currency_amount_with_its_hundredths_is_one_amount(text: str, value: float,
                                                             unit: str) -> None:
    assert _read(text)[0][0::3][:2] == (value, unit)


def test_two_currency_amounts_listed_stay_two() -> None:
    assert [v for v, *_ in _read("It cost $15 and $50 later.")] == [15.0, 50.0]


def test_a_spaced_hyphen_is_a_range_when_a_unit_follows_but_not_in_a_score() -> None:
    assert _read("Patients 40 - 50 years old were included.")[0][:4] == (
        40.0, 40.0, 50.0, "year of age")
    assert [(lo, hi) for _, lo, hi, *_ in _read("The score was 3 - 1 at half time.")] == [
        (None, None), (None, None)]


@pytest.mark.parametrize(("text", "unit"), [
    ("The stock is $ 98 a share.", "dollar per share"),
    ("He paid $20 a piece for them.", "dollar per piece"),
    ("They paid $5 a month.", "dollar per month"),
])
def test_a_price_per_thing_is_a_rate(text: str, unit: str) -> None:
    assert _read(text)[0][3] == unit


def test_a_price_before_a_noun_it_describes_is_no_rate() -> None:
    assert _read("The stock paid a $1.50 a share dividend.")[0][3] == "dollar"


def test_a_scale_letter_on_a_currency_code_multiplies() -> None:
    assert _read("Revenue was 300 MUSD.")[0][0::3][:2] == (300_000_000, "dollar")


def test_a_unit_in_brackets_after_the_number_is_its_unit() -> None:
    assert _read("The weight is 20 (kg)")[0][3:] == ("kilogram", "20 (kg)")


@pytest.mark.parametrize("text", ["on oct. 13 he left", "on october 13 he left",
                                  "the deadline, sept. 30, passed"])
def test_days_after_lower_cased_months_are_no_figures(text: str) -> None:
    assert _read(text) == []


def test_may_lower_cased_is_a_verb_not_a_month() -> None:
    assert [v for v, *_ in _read("they may 13 times try")] == [13.0]


def test_a_signed_change_after_a_name_with_a_number_is_no_range() -> None:
    # an index name ending in a number, then a signed change: high to low is no range
    assert [(v, lo) for v, lo, *_ in _read("Stoxx 50 -1.3% FTSE -0.6%")] == [
        (-1.3, None), (-0.6, None)]


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("he walked three quarters of a mile", 0.75, "mile"),
    ("he drank a third of a cup", 1 / 3, "cup"),
    ("it took half an hour", 0.5, "hour"),
    ("he ran a quarter mile", 0.25, "mile"),
    ("he ran a mile and a half", 1.5, "mile"),
    ("it took an hour and a half", 1.5, "hour"),
])
def test_fraction_words_of_a_unit_are_an_amount_of_it(text: str, value: float,
                                                      unit: str) -> None:
    q = find_quantities(text)[0]
    assert (q.value, q.unit) == (pytest.approx(value), unit)


def test_fraction_words_of_a_group_stay_a_share() -> None:
    assert _read("a third of the people left")[0][3] == "fraction"
    assert _read("half a million people fled")[0][0::3][:2] == (500_000, "count")


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("the file is 1500 b", 1500, "bit"),  # a lone scale letter apart from the number
    ("The population is about 8 B people.", 8e9, "count"),  # ... unless it counts something
    ("sales of $ 5 b", 5e9, "dollar"),  # ... or follows a currency
    ("sales of 5b euros", 5e9, "euro"),
])
def test_a_scale_letter_apart_from_its_number_needs_a_currency_or_a_count(
        text: str, value: float, unit: str) -> None:
    assert _read(text)[0][0::3][:2] == (value, unit)


@pytest.mark.parametrize(("text", "value", "unit"), [
    # tokenized text spaces the hyphen of a compound adjective
    ("They ran a 5 - mile race.", 5.0, "mile"),
    ("He found a 5 - dollar bill.", 5.0, "dollar"),
    ("A 10 - year - old boy was hurt.", 10.0, "year of age"),
    ("He is eighty - five years old.", 85.0, "year of age"),
    ("The girl is 7 yrs old.", 7.0, "year of age"),
])
def test_spaced_hyphens_of_tokenized_text_join_as_written_together(text: str, value: float,
                                                                   unit: str) -> None:
    assert _read(text)[0][0::3][:2] == (value, unit)


def test_a_spaced_fraction_of_tokenized_text_is_one_value() -> None:
    assert _read("They sold notes at 9 3 / 4 % last week.")[0][0::3][:2] == (9.75, "percentage")
    assert _read("They walked 10 1 / 2 miles.")[0][0::3][:2] == (10.5, "mile")
    assert [v for v, *_ in _read("The office is open 24 / 7 for 3 years.")] == [3.0]


def test_a_scale_letter_apart_from_the_number_scales_a_currency_after_it() -> None:
    assert _read("The deal is worth 300 m usd.")[0][0::3][:2] == (300_000_000, "dollar")
    assert _read("The tower is 300 m tall.")[0][0::3][:2] == (300.0, "metre")


def test_hrs_is_a_time_of_day_only_after_four_clock_digits() -> None:
    assert [(v, u) for v, _, _, u, _ in _read("The shelling began at 1400 hrs and lasted 3 hrs.")
            ] == [(3.0, "hour")]


def test_the_parts_of_an_age_are_ages() -> None:
    assert [u for *_, u, _ in _read("The baby is 1 year, 2 months and 5 days old.")] == [
        "year of age", "month of age", "day of age"]
    assert [u for *_, u, _ in _read("He worked 3 years and his son is 6 months old.")] == [
        "year", "month of age"]


def test_the_sides_of_a_size_share_its_unit() -> None:
    assert [(v, u) for v, _, _, u, _ in _read("The room is 10 x 12 feet.")] == [
        (10.0, "foot"), (12.0, "foot")]
    assert [(v, u) for v, _, _, u, _ in _read("a rug of 3 by 4 metres")] == [
        (3.0, "metre"), (4.0, "metre")]


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("Inflation was two point five percent.", 2.5, "percentage"),
    ("Prices rose three point two five percent.", 3.25, "percentage"),
    ("Sales hit one point two million dollars.", 1_200_000, "dollar"),
])
def test_spelled_decimals_with_point_are_one_value(text: str, value: float, unit: str) -> None:
    assert _read(text)[0][0::3][:2] == (value, unit)


def test_a_lower_cased_month_that_is_a_word_is_a_month_after_a_word_of_dates() -> None:
    assert _read("the vote was held on march 3 in the city.") == []
    assert _read("since may 5 the price rose 5%")[0][0::3][:2] == (5.0, "percentage")
    assert _read("the troops march 20 miles a day")[0][0::3][:2] == (20.0, "mile per day")
