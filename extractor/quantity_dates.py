"""Days and months among a segment's tokens, for the figure layer: the numbers that are dates
and no figures ("December 18", "on oct. 13", "From 18 to 24 December"). Pure functions over
`Tokens`."""

from __future__ import annotations

from .quantity_catalogue import Tokens
from .quantity_numbers import Number

# what joins the two days of a range of dates: "18 - 24 December", "from 18 to 24 December"
_DAY_RANGE_CONNECTORS = ("-", "–", "—", "to", "and")


def month_after(t: Tokens, j: int) -> bool:
    """A month name (or "of" and one) stands at token j: "4 July", "4th of July"."""
    k = j + 1 if j < len(t.toks) and t.lower[j] == "of" else j
    return k < len(t.toks) and is_month(t, k)


def month_before(t: Tokens, k: int) -> bool:
    """A month name stands just before token k: "December 18", "Dec. 18", "on oct. 13"."""
    m = k - 2 if k > 1 and t.lower[k - 1] == "." else k - 1
    return m >= 0 and is_month(t, m)


def is_month(t: Tokens, k: int) -> bool:
    """Token k names a month: capitalized, or lower-cased too when the name is no common
    word ("on oct. 13", "october 13"; but "may", "march" only capitalized or after a
    word of dates: "on march 3")."""
    return t.lower[k] in t.p.months and (
        t.toks[k].text[:1].isupper() or t.lower[k] not in t.p.months_also_words
        or (k > 0 and t.lower[k - 1] in t.p.month_word_after))


def is_day(t: Tokens, k: int) -> bool:
    """Token k can be a day of the month: 1 to 31 written in digits."""
    text = t.toks[k].text
    return text.isdecimal() and len(text) <= 2 and 1 <= int(text) <= 31


def is_day_range(t: Tokens, number: Number, second: Number | None) -> bool:
    """"From 18 to 24 December", "between 10 and 13 November", "18 - 24 December": days
    of a month, a date range and no figure."""
    if number.end != number.start + 1 or not is_day(t, number.start):
        return False
    if second is None:
        # a spaced hyphen is no range connector for figures, but it is for days
        j = number.end
        if not (j + 1 < len(t.toks) and t.lower[j] in _DAY_RANGE_CONNECTORS
                and t.toks[j + 1].kind == "num"):
            return False
        second = Number(0, j + 1, j + 2, False, False, False)
    return (second.end == second.start + 1 and is_day(t, second.start)
            and month_after(t, second.end))
