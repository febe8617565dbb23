"""The numbers stage of the figure layer: numerals and number words to values.

Pure functions over text and tokens: "1,198.7", "53081,8", "1.435.427", thousands grouped by
spaces ("38 512 406", "1 312,5"), number words ("thirty-six", "one hundred and twenty"), and
among a segment's `Tokens`: number words with their scale and spelled decimals ("two point
five million"), fractions ("3/4", "3 / 4"), powers of ten ("6.02 x 10^23").
"""

from __future__ import annotations

import itertools
import math
import re
from dataclasses import dataclass
from pathlib import Path

from .quantity_catalogue import Patterns, Tok, Tokens, load_patterns, tokenize

# Longest run of digits accepted as a figure; longer runs are codes or garbage.
_MAX_DIGITS = 21
# Thousands grouped by a space, a no-break space or a (narrow) thin space: "38 512 406",
# "12\u202f000", "1 312,5". Only whole 3-digit groups, so "in 2023 12 mines" stays apart.
_GROUP_SPACES = frozenset(" \u00a0\u202f\u2009")
_FIRST_GROUP_RE = re.compile(r"[1-9]\d{0,2}")
_GROUP_RE = re.compile(r"\d{3}")
_LAST_GROUP_RE = re.compile(r"\d{3}[.,]\d{1,2}")  # the last group may carry a decimal mark
# "3.430": one dot before exactly three digits is a decimal point or a thousands separator.
DOT_GROUP_RE = re.compile(r"[1-9]\d{0,2}\.\d{3}")
# Numerals that can be read one way only: dots group thousands and commas mark decimals
# ("1.435.427", "1.234,5", "53081,8"), or the English way round ("1,435,427", "1,234.5", "2.5").
_DOT_THOUSANDS_RE = re.compile(
    r"(?<![\d.,])(?:\d{1,3}(?:\.\d{3}){2,}|\d{1,3}(?:\.\d{3})+,\d+|\d+,\d{1,2})(?!\d|[.,]\d)")
_COMMA_THOUSANDS_RE = re.compile(
    r"(?<![\d.,])(?:\d{1,3}(?:,\d{3}){2,}|\d{1,3}(?:,\d{3})+\.\d+|\d+\.\d{1,2})(?!\d|[.,]\d)")

_NUMERAL_RE = re.compile(r"\d+(?:[.,]\d+)*|\.\d+")


def parse_numeral(s: str) -> float | None:
    """Digits with thousands separators and/or a decimal mark, English or European style.

    "1,198.7" 1198.7; "53081,8" 53081.8; "1.435.427" 1435427; "1.234,5" 1234.5;
    "5,264,14" 5264.14 (a slip: comma groups whose last group is not three digits).
    """
    if not _NUMERAL_RE.fullmatch(s) or sum(c.isdigit() for c in s) > _MAX_DIGITS:
        return None
    if s.startswith("."):
        return float("0" + s)  # .001
    seps = [c for c in s if c in ",."]
    if not seps:
        return float(s)
    groups = re.split(r"[.,]", s)
    last = seps[-1]
    if len(set(seps)) == 2:
        # both marks: the last one is the decimal mark, the other groups thousands
        decimal = last
        whole = "".join(groups[:-1])
        return float(f"{whole}.{groups[-1]}") if s.count(decimal) == 1 else None
    if len(seps) == 1:
        if last == "," and len(groups[1]) == 3 and groups[0] != "0":
            return float(groups[0] + groups[1])  # 1,234
        return float(f"{groups[0]}.{groups[1]}")  # 1.234, 53081,8, 0,5
    # several of the same mark: thousands groups, but a short last group is a decimal slip
    if all(len(g) == 3 for g in groups[1:]):
        return float("".join(groups))
    if all(len(g) == 3 for g in groups[1:-1]) and len(groups[-1]) in (1, 2):
        return float("".join(groups[:-1]) + "." + groups[-1])
    return None


def uses_dot_thousands(text: str) -> bool:
    """The text writes numbers the continental way (dots group thousands, commas mark
    decimals): some numeral can only be read so, and none only the English way."""
    return (_DOT_THOUSANDS_RE.search(text) is not None
            and _COMMA_THOUSANDS_RE.search(text) is None)


def space_group_end(text: str, toks: list[Tok], i: int) -> int:
    """The token index after the thousands groups of the number at token i ("38 512 406"
    -> i + 3), or i + 1 when it is not grouped by spaces."""
    if not _FIRST_GROUP_RE.fullmatch(toks[i].text):
        return i + 1
    k = i + 1
    while (k < len(toks) and toks[k].kind == "num"
           and text[toks[k - 1].end:toks[k].start] in _GROUP_SPACES):
        if _LAST_GROUP_RE.fullmatch(toks[k].text):
            return k + 1  # "1 312,5"
        if not _GROUP_RE.fullmatch(toks[k].text):
            break
        k += 1
    return k


def grouped_value(toks: list[Tok], i: int, end: int) -> float | None:
    """The value of space-grouped tokens i..end-1; a comma in the last group is decimal."""
    digits = "".join(t.text for t in toks[i:end]).replace(",", ".")
    return parse_numeral(digits)


def words_value(words: list[str], p: Patterns) -> float | None:
    """Value of a run of number words: ["thirty", "six"], ["one", "hundred", "twenty"]."""
    total = 0.0
    current = 0.0
    seen = False
    for w in words:
        if w in p.number_words:
            current += p.number_words[w]
            seen = True
        elif w in p.articles:
            current += 1
            seen = True
        elif w in p.scales:
            scale = p.scales[w]
            current = (current or 1) * scale
            if scale >= 1000:
                total += current
                current = 0
            seen = True
        elif w in ("and", "-"):
            continue
        else:
            return None
    return total + current if seen else None


def parse_number(text: str, patterns_dir: Path | None = None) -> float | None:
    """A number written in digits, words or a mix; None when it is not one.

    "1,198.7", "53081,8", "1.435.427", "5,264,14" (5264.14), "38 512 406", "1 312,5",
    "six thousand", "1.5 million", "two dozen", "a hundred", "Thirty-six", "one", "1.2bn", "½".
    """
    p = load_patterns(patterns_dir)
    text = text.strip()
    toks = tokenize(text)
    if not toks:
        return None
    value: float | None
    rest: list[Tok]
    if toks[0].kind == "num":
        grouped = space_group_end(text, toks, 0)
        value = (grouped_value(toks, 0, grouped) if grouped > 1
                 else parse_numeral(toks[0].text))
        rest = toks[grouped:]
        if value is None:
            return None
        if rest and rest[0].start == toks[0].end and rest[0].text in p.scale_suffixes:
            value *= p.scale_suffixes[rest[0].text]
            rest = rest[1:]
        words = [t.text.lower() for t in rest]
        if words:
            scale = words_value(words, p)
            if scale is None or any(w in p.number_words for w in words):
                return None
            value *= scale
    elif len(toks) == 1 and toks[0].text in p.fraction_chars:
        value = p.fraction_chars[toks[0].text]
    else:
        words = [t.text.lower() for t in toks]
        if len(words) == 1 and words[0] in p.articles:
            return None  # "a" alone is not a number
        value = words_value(words, p)
    if value is None or not math.isfinite(value):
        return None
    return value


# ---------------------------------------------------------------- numbers among tokens

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")


@dataclass
class Number:
    """A number read at a token: its value (scale words and fractions applied) and span."""

    value: float
    start: int  # token index of its first token
    end: int  # token index after its last token
    scaled: bool
    is_words: bool
    is_year_like: bool
    # "3.430" read as a decimal where the thousands reading is as good: context may regroup it
    dot_group: bool = False


def fraction_slash(t: Tokens, j: int) -> bool:
    """Token j is the slash of a fraction between two numerals: "3/4", or "3 / 4" as
    tokenized text writes it (spaced on both sides, whole numbers of one or two digits)."""
    toks = t.toks
    if not (0 < j < len(toks) - 1 and toks[j].text in ("/", "⁄")
            and toks[j + 1].kind == "num"):
        return False
    if t.adjacent(j) and t.adjacent(j + 1):
        return True
    return (not t.adjacent(j) and not t.adjacent(j + 1)
            and all(toks[k].text.isdecimal() and len(toks[k].text) <= 2
                    for k in (j - 1, j + 1)))


def power_of_ten(t: Tokens, j: int, value: float) -> tuple[int, float]:
    """"1.99×10−30", "6.02 x 10^23", "3×10⁸": a number in scientific notation."""
    toks = t.toks
    if not (j + 2 < len(toks) and toks[j].text in ("×", "x", "*") and toks[j + 1].text == "10"
            and toks[j].start - toks[j - 1].end <= 1 and toks[j + 1].start - toks[j].end <= 1):
        return j, value
    k = j + 2
    sign = 1
    if toks[k].text in ("^",) and t.adjacent(k):
        k += 1
    if k < len(toks) and toks[k].text in ("−", "-", "⁻") and t.adjacent(k):
        sign, k = -1, k + 1
    digits = toks[k].text.translate(_SUPERSCRIPTS) if k < len(toks) else ""
    if not (t.adjacent(k) and digits.isdecimal() and len(digits) <= 3):
        return j, value
    exponent = sign * int(digits)
    return k + 1, value * 10.0 ** exponent if abs(exponent) < 300 else value


def scale_words(t: Tokens, j: int, value: float, scaled: bool) -> tuple[int, float, bool]:
    """Scale words after a number at token j: "1.5 million", "two hundred thousand"."""
    toks, p = t.toks, t.p
    while j < len(toks) and t.lower[j] in p.scales and toks[j].start - toks[j - 1].end <= 1:
        value *= p.scales[t.lower[j]]
        scaled = True
        j += 1
        if j + 1 < len(toks) and toks[j].text == "-" and t.adjacent(j) and (
                t.lower[j + 1] in p.scales):
            j += 1
    return j, value, scaled


def word_number(t: Tokens, i: int) -> Number | None:
    """Number words from token i: "Thirty-six", "six thousand", "a hundred", "two dozen"."""
    toks, p, lower = t.toks, t.p, t.lower
    j = i
    words: list[str] = []
    if (lower[i] == "half" and i + 2 < len(toks) and lower[i + 1] in p.articles
            and lower[i + 2] in p.scales):
        return Number(0.5 * p.scales[lower[i + 2]], i, i + 3, True, True, False)
    if lower[i] in p.articles:
        if not (i + 1 < len(toks) and lower[i + 1] in p.scales):
            return None
        words.append(lower[i])
        j = i + 1
    while j < len(toks):
        w = lower[j]
        if w in p.number_words or w in p.scales:
            words.append(w)
            j += 1
        elif words and j + 1 < len(toks) and (
                (w == "-" and t.adjacent(j) and t.adjacent(j + 1)
                 and {lower[j - 1], lower[j + 1]} <= p.number_words.keys() | p.scales.keys())
                or (w == "-" and not t.adjacent(j) and not t.adjacent(j + 1)
                    and lower[j - 1] in p.number_words and lower[j + 1] in p.number_words
                    and _tens_and_units(p.number_words[lower[j - 1]],
                                        p.number_words[lower[j + 1]]))
                or (w == "and" and lower[j - 1] in p.scales
                    and lower[j + 1] in p.number_words)):
            # thirty-six, one hundred and twenty, two-hundred-fifty, twenty-two-million
            # (dev b5-023); tokenized: "eighty - five"
            j += 1
        else:
            break
    if not words or all(w in p.articles for w in words) or words[0] in p.scales:
        return None
    value = words_value(words, p)
    if value is None:
        return None
    if j + 1 < len(toks) and lower[j] == "point" and words[-1] not in p.scales:
        digits = list(itertools.takewhile(_is_digit_word, (
            p.number_words.get(w, -1) for w in lower[j + 1:])))
        if digits:  # "two point five", "three point two five"
            value += float("0." + "".join(str(int(d)) for d in digits))
            j += 1 + len(digits)
            j, value, _ = scale_words(t, j, value, False)  # "one point two million"
    return Number(value, i, j, any(w in p.scales for w in lower[i:j]), True, False)


def _is_digit_word(value: float) -> bool:
    """A number word that can be a digit after "point": zero to nine."""
    return 0 <= value <= 9 and value == int(value)


def _tens_and_units(tens: float, units: float) -> bool:
    """Two number words that make one number when hyphenated: "eighty" and "five"."""
    return 20 <= tens <= 90 and tens % 10 == 0 and 1 <= units <= 9 and units == int(units)

