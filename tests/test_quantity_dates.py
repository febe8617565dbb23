"""Days and months among tokens (extractor.quantity_dates): the numbers the figure layer
leaves out as dates."""

from __future__ import annotations

import pytest

from extractor.quantity_catalogue import Tokens, load_patterns, tokenize
from extractor.quantity_dates import is_day, is_day_range, is_month, month_after, month_before
from extractor.quantity_numbers import Number


def _tokens(text: str) -> Tokens:
    return Tokens.of(tokenize(text), load_patterns())


def _at(t: Tokens, text: str) -> int:
    return next(i for i, tok in enumerate(t.toks) if tok.text == text)


@pytest.mark.parametrize(("text", "word", "expected"), [
    ("on December 18", "December", True),
    ("on oct. 13", "oct", True),  # lower-cased, no common word
    ("it was held on march 3", "march", True),  # a word, but after a word of dates
    ("troops march 20 miles", "march", False),
    ("they may 3 times fail", "may", False),
])
def test_is_month(text: str, word: str, expected: bool) -> None:
    t = _tokens(text)
    assert is_month(t, _at(t, word)) is expected


def test_month_before_and_after_a_day() -> None:
    t = _tokens("on Dec. 18 and 4th of July")
    assert month_before(t, _at(t, "18"))
    assert month_after(t, _at(t, "th") + 1)
    assert not month_after(t, _at(t, "and"))


def test_is_day_range_of_a_month() -> None:
    t = _tokens("From 18 to 24 December, 11 mines and 18 to 24 mines")
    first = _at(t, "18")
    assert is_day(t, first) and is_day_range(t, Number(18, first, first + 1, False, False, False),
                                             None)
    k = len(t.toks) - 4  # the second "18": no month after its range
    assert t.toks[k].text == "18"
    assert not is_day_range(t, Number(18, k, k + 1, False, False, False), None)
    assert not is_day(_tokens("32"), 0)
