"""The numbers stage of the figure layer (extractor.quantity_numbers): pure functions from
numerals and number words to values, and over a segment's tokens."""

from __future__ import annotations

import pytest

from extractor.quantity_catalogue import Tokens, load_patterns, tokenize
from extractor.quantity_numbers import (
    fraction_slash,
    grouped_value,
    parse_number,
    parse_numeral,
    power_of_ten,
    scale_words,
    space_group_end,
    uses_dot_thousands,
    word_number,
    words_value,
)


@pytest.mark.parametrize(("text", "value"), [
    ("1,198.7", 1198.7), ("53081,8", 53081.8), ("1.435.427", 1435427), ("1.234,5", 1234.5),
    ("5,264,14", 5264.14), ("1,234", 1234), (".5", 0.5), ("0,5", 0.5),
])
def test_numerals_read_english_and_continental_marks(text: str, value: float) -> None:
    assert parse_numeral(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["1.2.3,4,5", "1" * 30, "12a"])
def test_what_is_no_numeral_gives_none(text: str) -> None:
    assert parse_numeral(text) is None


def test_thousands_grouped_by_spaces_are_one_number() -> None:
    text = "38 512 406 mines and 1 312,5 ha"
    toks = tokenize(text)
    end = space_group_end(text, toks, 0)
    assert (end, grouped_value(toks, 0, end)) == (3, 38512406)
    k = next(i for i, t in enumerate(toks) if t.text == "1")
    end = space_group_end(text, toks, k)
    assert grouped_value(toks, k, end) == pytest.approx(1312.5)


def test_a_text_written_the_continental_way_is_told_from_an_english_one() -> None:
    assert uses_dot_thousands("1.435.427 people, 2,5 km")
    assert not uses_dot_thousands("1,435,427 people, 2.5 km")


@pytest.mark.parametrize(("words", "value"), [
    (["thirty", "six"], 36), (["one", "hundred", "and", "twenty"], 120),
    (["two", "million", "five", "hundred", "thousand"], 2_500_000), (["a", "dozen"], 12),
])
def test_number_words_add_and_scale(words: list[str], value: float) -> None:
    assert words_value(words, load_patterns()) == value


@pytest.mark.parametrize(("text", "value"), [
    ("six thousand", 6000), ("1.5 million", 1_500_000), ("1.2bn", 1.2e9), ("½", 0.5),
    ("Thirty-six", 36), ("a", None), ("many", None),
])
def test_parse_number_reads_digits_words_and_mixes(text: str, value: float | None) -> None:
    assert parse_number(text) == value


# ---------------------------------------------------------------- numbers among tokens


def _tokens(text: str) -> Tokens:
    return Tokens.of(tokenize(text), load_patterns())


@pytest.mark.parametrize(("text", "value", "end"), [
    ("thirty-six mines", 36, 3),
    ("eighty - five years", 85, 3),  # tokenized text spaces the hyphen
    ("two point five percent", 2.5, 3),
    ("one point two million dollars", 1_200_000, 4),
    ("a hundred and twenty", 120, 4),
    # hyphens between number words and scales alike (dev b5-023)
    ("two-hundred-fifty million square", 250_000_000, 6),
    ("twenty-two-million square", 22_000_000, 5),
    ("one-million-dollar grant", 1_000_000, 3),
])
def test_word_number_reads_number_words_with_their_scale_and_decimals(
        text: str, value: float, end: int) -> None:
    n = word_number(_tokens(text), 0)
    assert n is not None and (n.value, n.start, n.end, n.is_words) == (
        pytest.approx(value), 0, end, True)


def test_word_number_is_none_for_a_lone_article_or_a_spaced_score() -> None:
    assert word_number(_tokens("a mile"), 0) is None
    n = word_number(_tokens("three - one"), 0)  # no tens and units: a score, one number
    assert n is not None and n.value == 3 and n.end == 1


@pytest.mark.parametrize(("text", "slash", "expected"), [
    ("3/4 of them", 1, True), ("9 3 / 4 %", 2, True), ("2020 / 21 season", 1, False),
    ("3 /4", 1, False),
])
def test_fraction_slash_written_together_or_spaced_on_both_sides(
        text: str, slash: int, expected: bool) -> None:
    assert fraction_slash(_tokens(text), slash) is expected


def test_power_of_ten_and_scale_words_extend_a_number() -> None:
    t = _tokens("6.02 x 10^23 atoms and 1.5 million people")
    j, value = power_of_ten(t, 1, 6.02)
    assert (t.toks[j].text, value) == ("atoms", pytest.approx(6.02e23))
    k = next(i for i, tok in enumerate(t.toks) if tok.text == "1.5")
    assert scale_words(t, k + 1, 1.5, False) == (k + 2, 1_500_000, True)


@pytest.mark.parametrize(("text", "value", "evidence"), [
    # dev b4-003: a figure written as a sum of scaled groups, each smaller than the last
    ("an area of 257 million 378 thousand and 865 square meters", 257_378_865,
     "257 million 378 thousand and 865 square meters"),
    ("an area of two billion 987 million and 275 thousand and 90 square meters",
     2_987_275_090, "two billion 987 million and 275 thousand and 90 square meters"),
    ("one million two hundred thousand mines", 1_200_000, "one million two hundred thousand mines"),
])
def test_a_sum_of_scaled_groups_is_one_figure(text: str, value: float, evidence: str) -> None:
    from extractor.quantities import article_quantities

    (q,) = article_quantities(text)
    assert q.value == value and text[q.start:q.end] == evidence


@pytest.mark.parametrize(("text", "values"), [
    ("3 million and 5 mines", [3_000_000, 5]),  # "and" joins a plain number after thousand only
    ("5 million 2023 was a year", [5_000_000]),
    ("2 thousand 3 million mines", [2_000, 3_000_000]),  # each group smaller than the last
])
def test_groups_that_do_not_sum_stay_apart(text: str, values: list[float]) -> None:
    from extractor.quantities import article_quantities

    assert [q.value for q in article_quantities(text)] == values
