"""The figure layer: one test per class of expression, the non-figures, and bad input."""

from __future__ import annotations

import json
import resource
import time
from importlib import resources
from pathlib import Path

import pytest

from extractor import cli
from extractor.quantities import (
    Quantity,
    QuantityError,
    find_quantities,
    iter_quantities,
    parse_number,
)


def only(text: str) -> Quantity:
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


def values(text: str) -> list[float]:
    return [q.value for q in find_quantities(text)]


# ---------------------------------------------------------------- parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1,198.7", 1198.7),
        ("53081,8", 53081.8),
        ("1.435.427", 1435427),
        ("5,264,14", 5264.14),  # a slip for 5,264.14
        ("1.234,5", 1234.5),
        ("398,670,503", 398670503),
        ("six thousand", 6000),
        ("1.5 million", 1_500_000),
        ("two dozen", 24),
        ("a hundred", 100),
        ("Thirty-six", 36),
        ("one", 1),
        ("one hundred and twenty", 120),
        ("$1.762bn"[1:], 1_762_000_000),
        (".001", 0.001),
        ("38 512 406", 38_512_406),
        ("12\u202f000", 12_000),
        ("1\u00a0312,5", 1312.5),
        ("3.430", 3.43),  # alone, a dot before three digits is a decimal point
    ],
)
def test_parse_number(text: str, expected: float) -> None:
    assert parse_number(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "   ", "a", "man", "TM-62", "1" + "0" * 400, "1.2.3.4.5"])
def test_parse_number_rejects_non_numbers(text: str) -> None:
    assert parse_number(text) is None


# ---------------------------------------------------------------- figures


def test_offsets_index_the_input() -> None:
    text = "Sappers cleared 143 hectares (1,435,427 square meters) and found 10,200 mines."
    for q in find_quantities(text):
        assert text[q.start:q.end] == q.text
    assert [q.text for q in find_quantities(text)] == [
        "143 hectares", "1,435,427 square meters", "10,200 mines"]


def test_separators_decimal_commas_and_slips() -> None:
    q = only("The team cleared 5,264,14 hectares last year.")
    assert (q.value, q.unit) == (5264.14, "hectare")
    assert only("A total of 53081,8 hectares was surveyed.").value == pytest.approx(53081.8)
    assert only("It covers 1,198.7 hectares.").value == pytest.approx(1198.7)


def test_area_units_and_conversions() -> None:
    found = find_quantities("They cleared 1.7 million square meters, or 398,670,503 sq m in all.")
    assert [(q.value, q.unit) for q in found] == [
        (1_700_000, "square metre"), (398_670_503, "square metre")]
    found = find_quantities("Crews released 10,722 acres, or 16.8 square miles, of land.")
    assert [(q.value, q.unit) for q in found] == [(10722, "acre"), (16.8, "square mile")]
    q = only("The field measured 2.5 km2.")
    assert q.unit == "square kilometre"


def test_count_nouns_with_modifiers() -> None:
    text = ("They destroyed 10,200 antipersonnel mines, 4,329 anti-tank mines, "
            "625 unexploded ordnances and 59,163 UXOs.")
    found = find_quantities(text)
    assert [(q.value, q.unit, q.noun) for q in found] == [
        (10200, "count", "mine"), (4329, "count", "mine"),
        (625, "count", "ordnance"), (59163, "count", "UXO")]
    assert found[1].concept == "anti-tank mines"


def test_elided_noun_is_shared() -> None:
    found = find_quantities("They removed 972 anti-personnel and 1,020 anti-tank mines.")
    assert [(q.value, q.noun) for q in found] == [(972, "mine"), (1020, "mine")]
    assert found[0].concept == "anti-personnel mines"


def test_elided_unit_is_shared() -> None:
    found = find_quantities("Dinner costs eight or nine euros.")
    assert [(q.value, q.unit) for q in found] == [(8, "euro"), (9, "euro")]


def test_number_words() -> None:
    assert [(q.value, q.noun) for q in find_quantities(
        "Thirty-six people were hurt, eight people died and one soldier is missing.")] == [
        (36, "people"), (8, "people"), (1, "soldier")]
    q = only("Some six thousand homes lost power.")
    assert (q.value, q.bound) == (6000, "~")
    assert only("They bought two dozen eggs.").value == 24
    assert only("It costs a hundred dollars.").value == 100


def test_number_words_naming_a_group_or_a_verbs_subject() -> None:
    found = find_quantities("Twelve people were hurt; three of them died and five were "
                            "taken to hospital.")
    assert [(q.value, q.unit) for q in found] == [(12, "count"), (3, "count"), (5, "count")]
    q = only("Since March, at least two more have died.")
    assert (q.value, q.bound) == (2, ">")
    q = only("One of our own medics was hurt.")
    assert (q.value, q.noun) == (1, "medic")
    assert values("Nine were evacuated, of whom four stayed.") == [9, 4]
    assert values("Two of them were hurt and one later died.") == [2, 1]
    assert only("One was killed.").value == 1


@pytest.mark.parametrize(
    "text",
    ["The two were arrested.", "Both of them were arrested.", "One said so.",
     "One can see the sea.", "One must admit it.",
     "He was the one of whom we spoke."],
)
def test_number_words_without_a_group_or_verb_are_no_figures(text: str) -> None:
    assert find_quantities(text) == [], find_quantities(text)


def test_compounds_of_man_are_plurals() -> None:
    q = only("Two servicemen and a civilian were hurt.")
    assert (q.value, q.noun) == (2, "serviceman")
    assert only("Four gunmen fled.").noun == "gunman"


def test_nationalities_in_i_are_plurals() -> None:
    # b4-008 ('a thousand Yemenis'), 000-seed ('30,000 Azerbaijanis'): "-is" is a plural
    # here, not the end of a singular such as "analysis"
    q = only("Mines have killed over a thousand Iraqis.")
    assert (q.value, q.noun, q.text) == (1000, "iraqi", "a thousand Iraqis")
    assert only("Three Yemenis were hurt.").noun == "yemeni"
    assert only("The crisis hit 12 analysis units.").noun == "unit"  # not "analysi"


def test_lowercase_identifier_word_before_a_counted_noun_is_a_place_not_a_code() -> None:
    assert values("Teams found 3 mines in the city and in the Fuzuli district 2 anti-tank "
                  "mines and 112 UXO.") == [3, 2, 112]
    assert only("In the Terter district 318 unexploded ordnance were found.").value == 318
    assert find_quantities("He lives in district 9 of the city.") == []
    assert find_quantities("Tickets are in Section 427 Row 21.") == []


def test_article_and_pronoun_one_are_not_numbers() -> None:
    assert find_quantities("A man was injured when a mine exploded.") == []
    assert find_quantities("This one is better than the old one.") == []


def test_scaled_currency() -> None:
    q = only("The fund raised $7.5 million.")
    assert (q.value, q.unit) == (7_500_000, "dollar")
    q = only("Their wealth reached $1.762bn last year.")
    assert (q.value, q.unit) == (1_762_000_000, "dollar")
    q = only("It cost HK $3.7 billion.")
    assert (q.value, q.unit) == (3_700_000_000, "hong kong dollar")
    q = only("A package worth €2.7m was agreed.")
    assert (q.value, q.unit) == (2_700_000, "euro")
    q = only("The loss was ($7.5 million).")
    assert q.value == 7_500_000  # accounting parentheses are not a minus sign


def test_percentages_and_change() -> None:
    found = find_quantities("Nvidia advanced 8%, Qualcomm fell 4 per cent and Sony was flat.")
    assert [(q.value, q.unit, q.change) for q in found] == [
        (8, "percentage", "up"), (4, "percentage", "down")]
    assert [q.subject for q in found] == ["Nvidia", "Qualcomm"]
    assert only("Stoxx -1.3% on the day.").value == -1.3


def test_ranges() -> None:
    q = only("The work will take 5-6 years.")
    assert (q.low, q.high, q.unit) == (5, 6, "year")
    q = only("Between 10 and 13 deminers were hurt.")
    assert (q.low, q.high, q.noun) == (10, 13, "deminer")
    q = only("There are four to five thousand people.")
    assert (q.low, q.high) == (4000, 5000)
    q = only("Prices ranged from $750,000 to $1 million.")
    assert (q.low, q.high, q.unit) == (750_000, 1_000_000, "dollar")


def test_vague_magnitudes() -> None:
    q = only("It added tens of thousands of dollars to the price.")
    assert (q.low, q.high, q.unit) == (10_000, 100_000, "dollar")
    q = only("Thousands of job cuts were announced.")
    assert (q.low, q.high, q.noun) == (1000, 10000, "cut")


def test_fractions() -> None:
    assert only("The well is 1/2 mile deep.").value == 0.5
    assert only("It weighs ½ kg.").value == 0.5


def test_bounds() -> None:
    cases = {
        "More than 1000 customers signed up.": ">",
        "At least 5 people died.": ">",
        "Up to 200 homes were damaged.": "<",
        "Less than 3% of land is mined.": "<",
        "About 460 vehicles were stolen.": "~",
        "Roughly 1,300 meters of road were cleared.": "~",
        "10,000 or more people fled.": ">",
    }
    for text, bound in cases.items():
        assert only(text).bound == bound, text


def test_units_of_length_mass_time_temperature() -> None:
    found = find_quantities(
        "The 750 meter swim, 12 kg pack, 3 hours and 30 degrees Celsius made it hard.")
    assert [(q.value, q.unit) for q in found] == [
        (750, "metre"), (12, "kilogram"), (3, "hour"), (30, "celsius")]
    assert found[0].concept == "swim"
    assert only("The car does 60 mph.").unit == "mile per hour"
    assert only("Oil hit $52 a barrel.").unit == "dollar per barrel"


def test_concepts() -> None:
    assert only("Deminers cleared 143 hectares of land.").concept == "hectares of land"
    q = only("China imposed a 25% duty on steel.")
    assert (q.concept, q.subject) == ("duty", "China")
    q = only("The length of the bridge will be roughly 1,300 meters.")
    assert q.subject == "length of the bridge"


def test_ages() -> None:
    assert only("Maddon, 66, has lost weight.").unit == "year of age"
    assert only("A 50-year-old man was arrested.").unit == "year of age"


def test_fraction_words() -> None:
    q = only("A third of those screened were obese.")
    assert (q.value, q.unit, q.concept) == (pytest.approx(1 / 3), "fraction", "screened")
    assert only("Half the condos have sold.").value == 0.5
    assert only("One out of three Germans rent.").value == pytest.approx(1 / 3)
    assert find_quantities("They scored in the second half of the game.") == []


def test_signs_and_hyphen_bounds() -> None:
    assert only("It can fall to minus 387 Fahrenheit.").value == -387
    assert only("The team lost minus-5 yards.").value == -5
    q = only("They make sub-7 nanometer chips.")
    assert (q.value, q.bound, q.unit) == (7, "<", "nanometre")


def test_scientific_notation() -> None:
    assert only("Light travels at 3×10⁸ m/s.").value == pytest.approx(3e8)
    assert only("The mass is 1.99×10−30 kilograms.").value == pytest.approx(1.99e-30)


def test_acronym_and_same_plural_counts() -> None:
    found = find_quantities("Teams removed 95 UXO, 3 ERW and 2,301 unexploded ordnance.")
    assert [(q.value, q.noun) for q in found] == [(95, "UXO"), (3, "ERW"), (2301, "ordnance")]
    assert only("The plan puts 20 EV models on the road.").noun == "model"


def test_level_reached_is_not_a_change() -> None:
    found = find_quantities("Revenue rose 5% to $7.36 billion.")
    assert [(q.unit, q.change) for q in found] == [("percentage", "up"), ("dollar", None)]
    assert [q.subject for q in found] == ["Revenue", "Revenue"]


def test_compound_count_ends_at_counted_noun() -> None:
    q = only("It comes from the 12 page document.")
    assert (q.text, q.noun, q.concept) == ("12 page", "page", "page document")


def test_units_shared_with_neighbours() -> None:
    found = find_quantities("He raised 280 million of the 1.5 billion shekels he needs.")
    assert [q.unit for q in found] == ["shekel", "shekel"]
    found = find_quantities("The S&P 500 rose 64.06 points to 4,577.10.")
    assert [(q.value, q.unit) for q in found] == [(64.06, "point"), (4577.10, "point")]
    found = find_quantities("The highest forecast is 84.75 cents, the lowest is 74.07.")
    assert [q.unit for q in found] == ["cent", "cent"]
    found = find_quantities("After a 44-day operation, 361 were found.")
    assert [q.unit for q in found] == ["day", "count"]  # durations are not lent


@pytest.mark.parametrize(
    ("text", "noun"),
    [
        ("A 44-day operation found 361 mines.", "mine"),
        ("A 44-day operation ended; 361 were found.", None),
        ("During a 44-day operation, sappers found 361.", None),
        ("A 44 day operation found 361.", None),
        ("The operation lasted 44 days; 361 were found.", None),
        ("A 12-year-old was hurt; 361 were evacuated.", None),  # ages are not lent either
    ],
)
def test_durations_and_ages_are_not_lent_to_a_bare_number(text: str, noun: str | None) -> None:
    found = find_quantities(text)
    assert found[0].unit in ("day", "year of age")
    assert [(q.value, q.unit, q.noun) for q in found[1:]] == [(361, "count", noun)]


def test_a_bare_number_still_borrows_a_measured_unit() -> None:
    found = find_quantities("The highest bid was 84.75 dollars and the lowest 74.07.")
    assert [q.unit for q in found] == ["dollar", "dollar"]


# ---------------------------------------------------------------- numbers grouped by spaces


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("Sappers cleared 38 512 406 square metres.", 38_512_406, "square metre"),
        ("They found 12 000 mines.", 12_000, "count"),
        ("They found 12\u202f000 mines.", 12_000, "count"),  # narrow no-break space
        ("They found 12\u00a0000 mines.", 12_000, "count"),  # no-break space
        ("In all, 1 312,5 hectare was cleared.", 1312.5, "hectare"),  # decimal comma
        ("In all, 1\u00a0312,5 hectare was cleared.", 1312.5, "hectare"),
        ("Teams cleared 138 512 406 square metres.", 138_512_406, "square metre"),
    ],
)
def test_thousands_grouped_by_spaces(text: str, value: float, unit: str) -> None:
    q = only(text)
    assert (q.value, q.unit) == (pytest.approx(value), unit)
    assert text[q.start:q.end] == q.text and q.text[0].isdigit()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In 2023 12 mines were found.", [12]),  # a year, then a count
        ("in 2023 12 000 mines were found.", [12_000]),
        ("Section 4 27 people were hurt.", [27]),  # not 3-digit groups
        ("Section 4 270 people were hurt.", [270]),  # an identifier, then a count
        ("On December 18 350 mines were found.", [350]),  # a date, then a count
        ("Teams found 12 00 mines.", [12, 0]),  # "00" is no thousands group
        ("Scores were 4 1234 and 5.", [4, 1234, 5]),
        ("In Week 12 500 fans came.", [500]),  # an identifier: "Week 12"
        ("Last week 1 312,5 hectare was cleared.", [1312.5]),  # ... unless a unit follows
        ("Last week 12 000 mines were found.", [12_000]),
    ],
)
def test_space_groups_never_glue_separate_numbers(text: str, expected: list[float]) -> None:
    assert values(text) == expected


def test_space_groups_are_not_phone_numbers_but_phones_stay_blocked() -> None:
    assert find_quantities("Call 555 123 4567 now.") == []
    assert find_quantities("Call 912 345 678 now.") == []  # 3-digit groups, but called
    assert find_quantities("Hotline: 123 456 789.") == []
    assert values("It covers 123 456 789 square metres.") == [123_456_789]


# ---------------------------------------------------------------- a dot before three digits


@pytest.mark.parametrize(
    ("text", "value"),
    [
        # a counted noun that is never fractional
        ("Bombs have killed 3.430 people.", 3430),
        ("Teams destroyed 7.000 mines.", 7000),
        ("They found 3.430 to 3.500 people.", 3430),
        # "000" decimals before a unit are never stated: thousands
        ("Also 12.000 sq.m area was cleaned.", 12_000),
        # the text's own convention: a decimal comma elsewhere ("83,6%") or dot groups
        ("About 83,6% of the area is polluted; 1.850 ha remain.", 1850),
        ("Teams cleared 1.435.427 m2 in all and 2.500 ha more.", 2500),
    ],
)
def test_dot_before_three_digits_groups_thousands_when_context_says_so(
        text: str, value: float) -> None:
    assert value in values(text), find_quantities(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("The road is 3.430 km long.", 3.43),  # nothing says otherwise: a decimal
        ("They cleared 1.850 ha.", 1.85),
        ("He averaged 1.375 goals per game.", 1.375),  # a rate is fractional
        ("The index was up at 96.088 points.", 96.088),
        ("Shares rose 2.5% to 1.250 euros; 1,435,427 m2 and 3.430 km.", 3.43),  # English text
        ("A net worth of 1.356 billion.", 1.356e9),  # a scale word: a decimal
    ],
)
def test_dot_before_three_digits_stays_decimal_otherwise(text: str, value: float) -> None:
    assert values(text)[-1] == pytest.approx(value)


def test_text_convention_is_read_once_for_the_whole_text() -> None:
    text = "About 83,6% of the area is polluted.\n\nIn 2024 teams plan to clear 2.500 ha more."
    assert values(text) == [pytest.approx(83.6), 2500]


def test_subjects_of_relative_clauses() -> None:
    assert only("Gains came from bank stocks, which were up 2.8%.").subject == "bank stocks"
    assert only("Ford which has 13000 workers in the UK said so.").subject == "Ford"
    q = only("He was traveling at a speed of 15 miles per hour.")
    assert q.concept == "speed"
    # a verb after "which" ends the antecedent: the noun before "which" is the subject
    assert only("Fees of the funds which range from 1% up.").subject == "funds"


def test_subject_across_compounds_infinitives_and_participles() -> None:
    # "-based" is part of a compound adjective, not a verb that ends the subject
    assert only("The Paris-based group raised $5 million.").subject == "Paris-based group"
    # a to-infinitive after an object: the figure belongs to the subject of the main verb
    assert only("Acme announced plans to cut 900 jobs.").subject == "Acme"
    # ... except after verbs whose object does the infinitive
    assert only("Storms caused river levels to rise 3 feet.").subject == "river levels"
    # a participle with its own object continues the main clause's subject
    q = only("Acme raised its prices, lifting them to $12.")
    assert q.subject == "Acme"
    # a participle followed by a preposition describes the noun before it
    assert only("Bids came in, ranging from $200 upward.").subject == "Bids"


def test_subject_of_coordinated_verbs_names_and_adjective_nouns() -> None:
    # a second verb after "and" shares the first verb's subject
    q = only("The new sedan is the first model from the plant and offers 300 hp.")
    assert q.subject == "new sedan"
    # ... but not when "and" opens a clause with its own subject
    q = only("The deal sent shares higher and they were up 5% at noon.")
    assert q.subject != "deal"
    # a capitalized word inside a name is no verb ("List" of "Fortune List")
    assert only("The Times Rich List shows 250 billionaires.").subject == "Times Rich List"
    # "the biggest increase": a verb form after an adjective and article is a noun
    q = only("Core prices rose in June the biggest increase in 18 months.")
    assert q.subject == "Core prices"


def test_attributive_nouns_past_restatements_and_other_figures() -> None:
    found = find_quantities("They made a 5-year, 900-mile (1,450 km) trek.")
    assert [(q.text, q.concept) for q in found][1:] == [
        ("900-mile", "trek"), ("1,450 km", "trek")]
    found = find_quantities("The plant will fill 2 million 330ml cans a week.")
    assert found[-1].concept == "cans"
    assert only("About 70% voted against the plan.").concept is None  # a cue, not a figure


def test_market_report_lines_are_about_the_name_before_the_comma() -> None:
    found = find_quantities("Losers were Acme Corp, down 68p at 1112p, and Beta Ltd, up 2%.")
    assert [q.subject for q in found] == ["Acme Corp", "Acme Corp", "Beta Ltd"]
    q = only("Shares have been on a tear, up nearly 57% this year.")
    assert q.subject != "tear"  # not after a common noun


def test_owner_of_a_count_and_compared_values() -> None:
    # "the N of 13 people": the noun the count belongs to
    assert only("Doctors measured the pulse of 13 volunteers.").subject == "pulse"
    assert only("Acme ran a survey of more than 6,000 employers.").subject == "survey"
    # a value compared with an earlier one of the same unit shares its concept and subject
    found = find_quantities("Now 78% of the loan is paid in cash, up from 50%.")
    assert found[1].concept == found[0].concept == "% of the loan"
    # "having increased": a non-finite verb takes the subject of the verb before it
    q = only("The deficit hit a record high having increased by $4 billion.")
    assert q.subject == "deficit"


def test_existential_comparative_worth_and_participle_objects() -> None:
    # "there are 300 residents": the figure is the subject itself
    assert only("At the end of the road there is one small pond.").subject is None
    # "10mph less than the top speeds": the thing it is compared with
    q = only("Winds hit 10 mph less than the top wind speeds on Mars.")
    assert q.concept == "top wind speeds"
    # "a market worth over 2 billion"
    q = only("Figures show the cards market worth over 2 billion is growing.")
    assert q.concept == "cards market"
    # ", totalling 5.8 percent": the figure is the participle's object, the main subject's
    # a parenthetical ", on average," is passed over like an apposition
    assert only("The sea was, on average, 2.1 degrees warmer.").subject == "sea"
    # a bare number after a verb's object: "make the S8 around 25k cheaper"
    assert only("That will make the Model S around 25k cheaper.").concept == "Model S"
    found = find_quantities("Pensions grow 1% for every 9 weeks you wait, totalling 5.8%.")
    assert found[-1].subject == "Pensions"


def test_figure_after_a_preposition_describes_the_noun_after_it() -> None:
    assert only("The roof was torn off due to 90mph winds.").concept == "winds"
    found = find_quantities("She shot 40% from three-point range.")
    assert (found[1].text, found[1].concept) == ("three-point", "range")


def test_counted_nouns_are_not_verbs() -> None:
    # "mines" is also a verb form; as the noun a figure counts it does not end a subject
    found = find_quantities("Its deminers found 45 TM-62 mines, clearing 2,301 shells.")
    assert [q.subject for q in found] == ["deminers", "deminers"]


def test_member_of_a_group_has_no_subject() -> None:
    q = only("The Model Y is one of the best-selling cars in Europe.")
    assert (q.value, q.noun, q.concept, q.subject) == (1, "car", "best-selling cars", None)
    assert only("The Model Y sold 900 cars.").subject == "Model Y"


def test_ages_describe_nouns_and_people() -> None:
    assert only("They drilled into 300 million-year-old rock.").concept == "rock"
    found = find_quantities("A 40 year-old would save 3%, a 50 year-old 5%.")
    assert [(q.value, q.subject) for q in found] == [
        (40, None), (3, "40 year-old"), (50, None), (5, "50 year-old")]


def test_figure_after_a_verb_describes_the_noun_after_it() -> None:
    q = only("Banks are offering 95 per cent mortgages again.")
    assert (q.concept, q.subject) == ("mortgages", "Banks")


# ---------------------------------------------------------------- not figures


@pytest.mark.parametrize(
    "text",
    [
        "Types found: TM-62 and F-1.",
        "The report covers December 18-24.",
        "Operations ran October 7-13, 2024.",
        "The decree of 10.11.2020 applies.",
        "The curfew starts at 18:00.",
        "It opened at 5am on Monday.",
        "In 2019 the programme began.",
        "She finished 22nd in the race.",
        "Call +994 12 345 67 89 for details.",
        "Call (555) 123-4567 now.",
        "Ref ID1107655017 was filed.",
        "MENAFN25122023000187011040ID1107655017",
        "It is punishable under Article 263.3 of the code.",
        "A car with plate 99 DH 343 was stopped.",
        "Tickets are in Section 427 Row 21.",
        "Report ID 1108776710 was issued.",
        "The 1990s were hard.",
        "He wore the number 10 shirt on July 4, 2016.",
        "From 18 to 24 December the teams worked.",
        "From 2 to 8 October the teams worked.",
        "Between 10 and 13 November the teams worked.",
        "Teams worked from 18 - 24 December.",
        "Teams worked 18–24 December 2023.",
        "Teams worked on 11 and 12 of March.",
        "Sessions ran Nov. 3 Dec. 4 and Jan. 9.",
    ],
)
def test_non_figures(text: str) -> None:
    assert find_quantities(text) == [], find_quantities(text)


@pytest.mark.parametrize(
    "text",
    ["From 18 to 24 December, 11 anti-tank mines and 53 anti-personnel mines were found.",
     "Between 18 and 24 December 11 anti-tank mines and 53 anti-personnel mines were found.",
     "On December 18-24, 11 anti-tank mines and 53 anti-personnel mines were found.",
     "On October 7-13, 2024, 11 anti-tank mines and 53 anti-personnel mines were found."],
)
def test_day_ranges_of_a_month_are_dates_and_the_next_number_a_count(text: str) -> None:
    found = find_quantities(text)
    assert [(q.value, q.low, q.noun) for q in found] == [(11, None, "mine"), (53, None, "mine")]


def test_day_like_ranges_of_figures_stay_ranges() -> None:
    q = only("The area grew from 18 to 24 hectares.")
    assert (q.low, q.high, q.unit) == (18, 24, "hectare")
    q = only("Between 10 and 13 people died in May.")
    assert (q.low, q.high, q.noun) == (10, 13, "people")
    q = only("Between 10 and 13 died in May.")
    assert (q.low, q.high) == (10, 13)


def test_non_figures_next_to_figures() -> None:
    found = find_quantities("On December 18-24, 2023 sappers found 45 TM-62 mines and 3 F-1 "
                            "grenades at 18:00.")
    assert [(q.value, q.noun) for q in found] == [(45, "mine"), (3, "grenade")]


# ---------------------------------------------------------------- bad input


def test_empty_and_whitespace() -> None:
    assert find_quantities("") == []
    assert find_quantities(" \n\t  \n") == []


def test_not_text_is_a_clear_error() -> None:
    with pytest.raises(TypeError, match="text must be str"):
        find_quantities(b"12 mines")  # type: ignore[arg-type]


def test_huge_number_is_no_figure() -> None:
    assert find_quantities("1" + "0" * 400 + " mines") == []
    assert find_quantities("$1" + "0" * 400) == []


def test_binary_looking_text() -> None:
    noise = bytes(range(256)).decode("latin-1") * 40
    found = find_quantities(noise)
    assert all(noise[q.start:q.end] == q.text for q in found)


def test_other_languages() -> None:
    found = find_quantities(
        "Саперы обезвредили 12 мин. 地雷が3個見つかった。Se limpiaron 5 hectáreas.")
    assert [q.value for q in found] == [12, 3, 5]


def test_ten_megabytes_quickly_with_bounded_memory() -> None:
    paragraph = (
        "Sappers cleared 1,250 hectares and destroyed 35 anti-tank mines on December 12. "
        "The ministry said the work would continue in the coming weeks across the region. "
        "Officials thanked the teams for their courage and asked residents to stay alert. "
        "Farmers are expected to return to the fields once the survey has been completed.\n"
    )
    text = paragraph * (10_000_000 // len(paragraph))
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t0 = time.perf_counter()
    count = sum(1 for _ in iter_quantities(text))
    elapsed = time.perf_counter() - t0
    grown_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    assert count == 2 * text.count("Sappers")
    assert elapsed < 90, elapsed
    assert grown_kib < 150_000  # streamed sentence by sentence: memory does not grow with it


def test_long_line_without_spaces_does_not_hang() -> None:
    text = "9" * 200_000 + "x" * 200_000
    t0 = time.perf_counter()
    find_quantities(text)
    assert time.perf_counter() - t0 < 10


# ---------------------------------------------------------------- patterns and CLI


def _bundled_patterns(tmp_path: Path) -> Path:
    target = tmp_path / "patterns"
    source = resources.files("newsfacts_patterns") / "quantities"
    (target / "quantities").mkdir(parents=True)
    for name in ("units.yaml", "numbers.yaml", "cues.yaml", "lexicon.yaml", "senses.yaml",
                 "registry_units.json"):
        (target / "quantities" / name).write_text((source / name).read_text("utf-8"), "utf-8")
    return target


def test_user_patterns_folder_replaces_bundled(tmp_path: Path) -> None:
    folder = _bundled_patterns(tmp_path)
    units = folder / "quantities" / "units.yaml"
    units.write_text(units.read_text("utf-8").replace(
        "units:\n", "units:\n  - name: dunam\n    kind: area\n    words: [dunam]\n", 1), "utf-8")
    assert find_quantities("They cleared 40 dunams.")[0].unit == "count"
    q = find_quantities("They cleared 40 dunams.", patterns_dir=folder)[0]
    assert q.unit == "dunam"


def test_broken_patterns_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(QuantityError, match="cannot load"):
        find_quantities("5 mines", patterns_dir=tmp_path / "missing")
    folder = _bundled_patterns(tmp_path)
    (folder / "quantities" / "lexicon.yaml").write_text("stopwords: [on, off]\n", "utf-8")
    with pytest.raises(QuantityError, match="quote it"):
        find_quantities("5 mines", patterns_dir=folder)


def test_cli_prints_one_json_object_per_figure(tmp_path: Path, capsys) -> None:
    source = tmp_path / "article.txt"
    source.write_text("Sappers found 12 anti-tank mines and cleared 3.5 hectares.", "utf-8")
    assert cli.main(["quantities", str(source)]) == cli.EXIT_OK
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["value"], r["unit"], r["noun"]) for r in rows] == [
        (12, "count", "mine"), (3.5, "hectare", None)]
    assert set(rows[0]) >= {"value", "low", "high", "unit", "noun", "bound", "change",
                            "concept", "start", "end", "text"}


def test_cli_bad_inputs(tmp_path: Path, capsys) -> None:
    binary = tmp_path / "blob.bin"
    binary.write_bytes(b"\x00\x01\x02 12 mines")
    assert cli.main(["quantities", str(binary)]) == cli.EXIT_ITEM_ERRORS
    assert "binary" in capsys.readouterr().err
    assert cli.main(["quantities", str(tmp_path / "nope.txt")]) == cli.EXIT_USAGE
    assert cli.main(["quantities", "--patterns", str(tmp_path / "none"),
                     str(binary)]) == cli.EXIT_USAGE
    assert "cannot load" in capsys.readouterr().err


def test_bundled_patterns_are_installed_data() -> None:
    folder = resources.files("newsfacts_patterns") / "quantities"
    assert (folder / "units.yaml").is_file()
