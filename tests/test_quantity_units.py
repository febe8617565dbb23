"""The units stage of the figure layer (extractor.quantity_units): pure functions giving the
unit written at a token of a segment."""

from __future__ import annotations

import pytest

from extractor.quantity_catalogue import Tokens, load_patterns, tokenize
from extractor.quantity_units import currency_prefix, money_at, unit_after, unit_at


def _tokens(text: str) -> Tokens:
    return Tokens.of(tokenize(text), load_patterns())


def _unit_after(text: str) -> tuple[str, str] | None:
    """The unit after the first token of `text` and the token after it ("<end>" at the end)."""
    t = _tokens(text)
    found = unit_after(t, 1)
    if found is None:
        return None
    unit, after = found
    return unit.name, t.toks[after].text if after < len(t.toks) else "<end>"


@pytest.mark.parametrize(("text", "expected"), [
    ("12 square kilometres of land", ("square kilometre", "of")),  # the longest surface
    ("40-yard line", ("yard", "line")),
    ("5 - mile run", ("mile", "run")),  # tokenized text spaces the hyphen
    ("10 - year - old boy", ("year of age", "boy")),
    ("20 (kg) each", ("kilogram", "each")),  # a unit in brackets
    ("8 pounds at birth, she weighed", ("pound-mass", "at")),  # a sense from a cue word
    ("361 million pounds of profit", None),  # the number ends before "million"
])
def test_unit_after_a_number(text: str, expected: tuple[str, str] | None) -> None:
    assert _unit_after(text) == expected


def test_unit_at_is_none_for_a_model_code_and_for_what_is_no_unit() -> None:
    t = _tokens("3 F-1 grenades and 5 apples")
    assert unit_at(t, 1) is None  # "F-1" is a model, not farads
    assert unit_at(t, len(t.toks) - 1) is None


def test_money_at_names_only_currencies() -> None:
    t = _tokens("300 m usd and 300 m long")
    assert money_at(t, 2) and not money_at(t, 1) and not money_at(t, 6)


@pytest.mark.parametrize(("text", "unit", "number"), [
    ("$5 each", "dollar", "5"),
    ("US$ 5 each", "dollar", "5"),
    ("usd 500 a year", "dollar", "500"),  # a lower-case code the catalogue reads as a unit
    ("hk$ 300 in total", "hong kong dollar", "300"),
])
def test_currency_prefix_before_a_number(text: str, unit: str, number: str) -> None:
    t = _tokens(text)
    found = currency_prefix(t, 0)
    assert found is not None and (found[0].name, t.toks[found[1]].text) == (unit, number)


@pytest.mark.parametrize("text", ["try 5 times", "XUS$5", "$ and 5"])
def test_no_currency_prefix_on_words_codes_or_without_a_number(text: str) -> None:
    t = _tokens(text)
    assert all(currency_prefix(t, i) is None for i in range(len(t.toks)))
