"""The figure layer: every quantity in news text, with value, unit, bound, change, concept.

`find_quantities(text)` returns `Quantity` records with exact character offsets. The core is
a regex tokenizer plus a left-to-right reader over the tokens around each number, so it needs
no NLP model and runs at thousands of sentences per second. Its stages live in modules of their
own: `quantity_catalogue` (tokens; the units from the registry generated from quantulum3 and
CLDR, see `extractor.units`, plus the news-specific YAML in `patterns/quantities/`; the senses of
ambiguous units; `Tokens`, the read-only view of a segment the stages take), `quantity_numbers`
(numerals and number words to values), `quantity_units` (the unit written at a token); this
module reads the figures (ranges and compounds, counted nouns, bound, change, concept).

Reading one figure: [currency prefix] number [scale] [range] [unit | counted noun phrase],
then cue words before/after give the bound (more than, about, up to) and the change (rose,
fell), and the words around give the concept. Numbers that are dates, years, times of day,
ordinals, phone numbers or identifiers ("TM-62", "Section 427", "ID1107655017") are skipped,
and so are days of a month ("From 18 to 24 December", "between 10 and 13 November").

Numerals: "1,198.7", "53081,8", "1.435.427", and thousands grouped by (no-break, narrow) spaces
("38 512 406", "1 312,5"; whole 3-digit groups only). One dot before exactly three digits
("3.430") is a decimal point unless the context says it groups thousands: the whole text writes
numbers the continental way (`uses_dot_thousands`), the figure counts a plural noun that is
never fractional ("3.430 people"), or the decimals are "000" before a unit ("12.000 sq.m").
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from .quantity_catalogue import (
    Patterns,
    QuantityError,
    Tok,
    Tokens,
    Unit,
    is_plural,
    join_tokens,
    lemma,
    load_patterns,
    tokenize,
)
from .quantity_dates import is_day, is_day_range, month_after, month_before
from .quantity_numbers import (
    DOT_GROUP_RE,
    Number,
    fraction_slash,
    grouped_value,
    parse_number,
    parse_numeral,
    power_of_ten,
    scale_words,
    space_group_end,
    uses_dot_thousands,
    word_number,
)
from .quantity_units import currency_prefix, money_at, unit_after, unit_at

# the figure layer's public names, some defined in its stage modules
__all__ = ["BOUNDS", "CHANGES", "Quantity", "QuantityError", "find_quantities",
           "iter_quantities", "load_patterns", "parse_number"]

BOUNDS = ("=", "~", ">", "<")
CHANGES = ("up", "down")

# Sentence-ish segments: lines, split after sentence punctuation. Long ones are cut further.
_LINE_RE = re.compile(r"[^\n]+")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?;])\s+(?=[\"“'‘(\[]?[A-Z])")
_MAX_SEGMENT = 2000
# Punctuation that ends a clause, and the most words a subject is given.
_CLAUSE_MARKS = frozenset(";:()[]—–,")
_MAX_SUBJECT_WORDS = 8
# four digits that read as hours and minutes: "0900", "1430", "2359"
_CLOCK_RE = re.compile(r"(?:[01]\d|2[0-3])[0-5]\d")
# Spans that are never figures, found on the raw segment text before reading.
_NON_FIGURE_RES = (
    # numeric dates: 10.11.2020, 10/11/2020, 2020-11-10
    re.compile(r"(?<![\d.,])\d{1,4}[./-]\d{1,2}[./-]\d{1,4}(?![\d])"),
    # times of day: 18:00, 12:01:30, 10.45pm, 5 a.m.
    re.compile(r"(?<![\d.,:])\d{1,2}:\d{2}(?::\d{2})?(?![\d])"),
    re.compile(r"(?<![\d.,])\d{1,2}(?:[.:]\d{2})?\s?(?:[ap]\.m\.?|[ap]m\b|[AP]M\b|[AP]\.M\.?)"),
    # phone numbers: +994 12 345 67 89, (555) 123-4567, 0800 123 4567
    re.compile(r"\+\d{1,3}[\s.-]?(?:\(\d{1,4}\)[\s.-]?)?\d{1,4}(?:[\s.-]\d{2,4}){1,4}"),
    re.compile(r"\(\d{2,5}\)\s?\d{3,4}[\s-]\d{3,4}"),
    # (but "138 512 406 square metres" is one number grouped by spaces, unless it is called)
    re.compile(r"(?i:\b(?:call|dial|tel|telephone|phone|hotline|fax|mobile|whatsapp)\b[.:]?\s*)"
               r"\d{2,4}(?:[\s.-]\d{2,4}){1,4}"),
    re.compile(r"(?<![\d.,])(?!\d{3}(?:[ \u00a0\u202f\u2009]\d{3})+(?!\d|[ \u00a0\u202f\u2009]\d))"
               r"\d{3,4}[\s-]\d{3}[\s-]\d{3,4}(?![\d,.])"),
)


def _unspaced_script(char: str) -> bool:
    """Chinese, Japanese: written without spaces, so letters next to digits are normal."""
    return "\u2e80" <= char <= "\ua4cf" or "\uf900" <= char <= "\ufaff"



@dataclass(frozen=True)
class Quantity:
    """One figure in the text. `text == input[start:end]`."""

    value: float  # the stated value; for a range, its low end
    low: float | None  # range bounds (low <= high, whatever order the text gives), else None
    high: float | None
    unit: str  # normalized unit name; "count" for counted nouns and bare numbers
    noun: str | None  # for unit == "count": the counted noun's lemma ("mine", "people")
    bound: str  # "=", "~" approximately, ">" more than / at least, "<" less than / up to
    change: str | None  # "up" / "down" when the text states a rise or fall
    concept: str | None  # the words naming what is quantified ("anti-tank mines")
    start: int
    end: int
    text: str
    subject: str | None = None  # who or what the figure is about, when stated before it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# ---------------------------------------------------------------- reading figures


class _NounPhrase(NamedTuple):
    first: int  # token index of its first word
    last: int  # token index of its last word
    head: int  # token index of the counted noun
    complete: bool  # False for a lone modifier waiting for an elided noun ("972 anti-personnel")


class _Reader:
    """Reads the figures of one segment (a sentence or line) of text."""

    def __init__(self, text: str, toks: list[Tok], p: Patterns,
                 dot_thousands: bool = False) -> None:
        self.text = text
        self.toks = toks
        self.p = p
        self.dot_thousands = dot_thousands  # the text groups thousands with dots: "3.430"
        self.t = Tokens.of(toks, p)  # the read-only view the stage modules take
        self.lower = self.t.lower
        self.blocked = [False] * len(toks)
        self.covered = [False] * len(toks)  # tokens inside figures read so far
        self.counted_words = [False] * len(toks)  # the noun phrases of counted figures
        self.person_words = [False] * len(toks)  # ages used as nouns: "a 60 year-old"

    def block(self, start_char: int, end_char: int) -> None:
        for i, t in enumerate(self.toks):
            if t.start < end_char and t.end > start_char:
                self.blocked[i] = True

    # -- numbers
    def numeral(self, i: int, currency: bool) -> Number | None:
        toks, p = self.toks, self.p
        tok = toks[i]
        j = self.space_groups(i)
        value = grouped_value(toks, i, j) if j > i + 1 else parse_numeral(tok.text)
        if value is None:
            return None
        scaled = False
        # fraction written with a slash: 1/2, 3/4 (but 24/7 and 9/11 are not figures)
        if j == i + 1 and fraction_slash(self.t, j):
            denominator = parse_numeral(toks[j + 1].text)
            if not denominator or value >= denominator or "," in tok.text:
                self.blocked[j + 1] = True  # "24 / 7": neither number is a figure
                return None
            value /= denominator
            j += 2
        # abbreviated scale written on the number: 35m, $1.762bn, 2.8 bn
        near = j < len(toks) and toks[j].start - toks[j - 1].end <= 1
        # a single scale letter stands apart from the number only after a currency ("$ 5 m"),
        # before one ("300 m usd") or before what it counts ("8 B people"); "1500 b" is 1500 bits
        if near and toks[j].text in p.scale_suffixes and (
                len(toks[j].text) > 1 or self.t.adjacent(j) or currency
                or self._counts_follow(j + 1) or money_at(self.t, j + 1)):
            suffix = toks[j].text
            if (suffix not in p.ambiguous_suffixes or currency or self._counts_follow(j + 1)
                    or unit_at(self.t, j + 1) is not None):  # "1.2m tons"
                value *= p.scale_suffixes[suffix]
                scaled = True
                j += 1
        j, value, scaled = scale_words(self.t, j, value, scaled)
        j, value = power_of_ten(self.t, j, value)
        before = self.lower[i - 1] if i > 0 else ""
        year_like = (not scaled and not currency and tok.text.isdecimal() and len(tok.text) == 4
                     and value <= 2200 and (value >= 1800 or before in p.year_before))
        dot_group = not scaled and j == i + 1 and DOT_GROUP_RE.fullmatch(tok.text) is not None
        if dot_group and self.dot_thousands:
            value, dot_group = float(tok.text.replace(".", "")), False
        return Number(value, i, j, scaled, False, year_like, dot_group)

    def space_groups(self, i: int) -> int:
        """The token after the space-grouped thousands of the number at i, or i + 1: not
        after a month ("December 18 350 mines") or a word that makes the number an identifier
        ("Section 4 270 people"; but "last week 1 312,5 hectare", as in `is_non_figure`),
        nor across a blocked span."""
        end = space_group_end(self.text, self.toks, i)
        if end == i + 1 or any(self.blocked[i:end]):
            return i + 1
        before = self.lower[i - 1] if i > 0 else ""
        if before in self.p.months or (before in self.p.identifier_before and not (
                self.toks[i - 1].text.islower()
                and (unit_after(self.t, end) is not None or self.counts_plural(end)))):
            return i + 1
        return end

    def _counts_follow(self, j: int) -> bool:
        """After "35m": "of" or a plural noun makes the m a million, not metres."""
        if j >= len(self.toks):
            return False
        if self.lower[j] == "of":
            return True
        for k in range(j, min(j + 5, len(self.toks))):  # "2.7m combined digital sales"
            w = self.lower[k]
            if w in ("and", "or"):
                continue
            if not self.t.is_word(k) or w in self.p.stopwords:
                return False
            if is_plural(self.p, w) and w not in self.p.unit_words:
                return True
        return False

    def number_at(self, i: int, currency: bool) -> Number | None:
        tok = self.toks[i]
        if tok.kind == "num":
            number = self.numeral(i, currency)
        elif tok.text in self.p.fraction_chars:
            return Number(self.p.fraction_chars[tok.text], i, i + 1, False, False, False)
        elif tok.kind == "word":
            number = word_number(self.t, i)
        else:
            return None
        if number is None:
            return None
        return self.with_smaller_groups(self.with_fraction(number))

    def with_smaller_groups(self, n: Number) -> Number:
        """A number written as a sum of scaled groups, each smaller than the one before:
        "257 million 378 thousand and 865", "two billion 987 million and 275 thousand and
        90" (dev b4-003, the one dev article that writes numbers so; hyphenated number
        words, b5-023, are the other compound form). A plain number joins only after
        "thousand and" ("... thousand and 90"), so "5 million 2023" and "3 million and 5
        mines" stay apart."""
        toks, lower, p = self.toks, self.lower, self.p
        value, end = n.value, n.end
        scale = p.scales.get(lower[end - 1]) if n.scaled else None
        while scale is not None and scale >= 1000 and end < len(toks):
            joined = lower[end] == "and"
            k = end + 1 if joined else end
            if k >= len(toks) or self.blocked[k] or toks[k].start - toks[k - 1].end > 1:
                break
            group = self.numeral(k, False) if toks[k].kind == "num" else (
                word_number(self.t, k) if toks[k].kind == "word" else None)
            if group is None or group.value >= scale or group.value != int(group.value) or not (
                    group.scaled or (joined and scale == 1000 and group.value < 1000)):
                break
            value += group.value
            end = group.end
            scale = p.scales.get(lower[end - 1]) if group.scaled else None
        if end == n.end:
            return n
        return Number(value, n.start, end, True, n.is_words, False)

    def with_fraction(self, n: Number) -> Number:
        """A whole number and a fraction after it: "10 1/2", "10 ½", "one and a half",
        "2 and three quarters" (then a scale word may follow: "two and a half million")."""
        toks, lower, p = self.toks, self.lower, self.p
        j = n.end
        if n.scaled or n.value != int(n.value) or j >= len(toks) or n.dot_group:
            return n
        fraction, end = None, j
        if toks[j].text in p.fraction_chars and toks[j].start - toks[j - 1].end <= 1:
            fraction, end = p.fraction_chars[toks[j].text], j + 1
        elif (not n.is_words and j + 2 < len(toks) and toks[j].kind == "num"
              and toks[j].text.isdecimal() and fraction_slash(self.t, j + 1)
              and toks[j + 2].text.isdecimal()
              and int(toks[j].text) < int(toks[j + 2].text) and not self.blocked[j]):
            fraction, end = int(toks[j].text) / int(toks[j + 2].text), j + 3
        elif j + 2 < len(toks) and lower[j] == "and" and lower[j + 2] in p.fraction_words:
            numerator = 1.0 if lower[j + 1] in p.articles else p.number_words.get(lower[j + 1])
            if numerator is not None and (lower[j + 2] != "half" or numerator == 1):
                fraction, end = numerator * p.fraction_words[lower[j + 2]], j + 3
        if fraction is None or fraction >= 1:
            return n
        value = n.value + fraction
        scaled = False
        if end < len(toks) and lower[end] in p.scales:
            end, value, scaled = scale_words(self.t, end, value, False)
        return Number(value, n.start, end, scaled, n.is_words, False)

    # -- non-figures
    def is_non_figure(self, n: Number, currency: bool) -> bool:
        toks, lower, p = self.toks, self.lower, self.p
        i, j = n.start, n.end
        if n.is_words:
            return False
        prev = i - 1
        if self.t.adjacent(i) and not currency:
            # letters or a code hyphen written onto the number: ID1107655017, TM-62, XC40
            if toks[prev].kind == "word" and not _unspaced_script(toks[prev].text[-1]):
                return True
            if toks[prev].text in "-/#№." and prev > 0 and self.t.adjacent(prev) and (
                    toks[prev - 1].kind in ("word", "num")) and (
                    lower[prev - 1] not in p.hyphen_bounds and lower[prev - 1] not in p.sign_words):
                return True  # TM-62, but "sub-7", "minus-5"
        if j < len(toks) and self.t.adjacent(j) and toks[j].kind in ("word", "num") and not (
                _unspaced_script(toks[j].text[0])):
            nxt = toks[j].text
            if toks[j].kind == "num" or lower[j] in p.ordinal_suffixes or nxt == "s":
                return True  # 22nd, 1990s, 25122023000187011040ID...
            if (nxt not in p.unit_symbols and lower[j] not in p.unit_words
                    and not unit_at(self.t, j)):
                return True  # 3D, 5am, A320neo
        if j + 1 < len(toks) and toks[j].text == ":" and toks[j + 1].kind == "num":
            return True  # 18:00, 3:1
        if j < len(toks) and (lower[j] in p.time_after or (
                lower[j] in p.clock_after and _CLOCK_RE.fullmatch(toks[i].text))):
            return True  # "5 pm", "1400 hrs" (but "3 hrs" is a duration)
        if (prev >= 1 and toks[prev].text in ("-", "‑") and self.t.adjacent(i)
                and toks[prev - 1].kind == "word" and toks[prev - 1].text.isupper()
                and len(toks[prev - 1].text) > 1 and unit_after(self.t, j) is None):
            return True  # "COVID -19": a code with a stray space (but "FTSE -0.6%")
        if (prev >= 1 and toks[prev].text == "(" and j < len(toks) and toks[j].text == ")"
                and toks[prev - 1].text[:1].isupper() and not currency):
            return True  # "Dak Prescott (4)": a shirt number or a reference
        if prev >= 0 and not currency:
            before = lower[prev]
            if before in p.identifier_before and not (toks[prev].text.islower() and (
                    before in p.stopwords or unit_after(self.t, j) is not None
                    or self.counts_plural(j))):
                # "Section 427", but "the sector 0.68 percent lower" and "in the Terter
                # district 318 unexploded ordnance" are figures
                return True
            if before == "." and prev > 0 and lower[prev - 1] + "." in p.identifier_before:
                return True
            # dates: December 18, Dec. 2, 4 July, 4th of July
            # (but "24 December 11 mines": a month with its day before it takes no second;
            # "Sept. 27 Oct. 1": that day is the month before's)
            k = prev - 1 if before == "." else prev
            if month_before(self.t, i) and not (
                    k > 0 and is_day(self.t, k - 1) and not month_before(self.t, k - 1)):
                return True
            # plate or code: 99 DH 343
            if (toks[prev].kind == "word" and toks[prev].text.isupper() and len(
                    toks[prev].text) <= 3 and prev > 0 and toks[prev - 1].kind == "num"
                    and toks[prev].text not in p.unit_symbols
                    and lower[prev] not in p.unit_words):
                return True
        if month_after(self.t, j):
            return True
        # plate or code: 99 DH 343
        return (j + 1 < len(toks) and toks[j].kind == "word" and toks[j].text.isupper()
                and len(toks[j].text) <= 3 and toks[j + 1].kind == "num"
                and toks[j].text not in p.unit_symbols and lower[j] not in p.unit_words)

    def counts_plural(self, j: int) -> bool:
        """A plural noun phrase stands at token j: "2 anti-tank mines", "318 ordnance"."""
        np = self.noun_phrase(j, False) if j < len(self.toks) else None
        return np is not None and np.complete

    # -- units and nouns
    def per_unit(self, unit: Unit, j: int) -> tuple[Unit, int]:
        """"$52 a barrel", "barrels per day", "20 points per game": a divided unit."""
        toks, lower, p = self.toks, self.lower, self.p
        start = j
        if (j + 1 < len(toks) and toks[j].text == "-" and self.t.adjacent(j)
                and self.t.adjacent(j + 1)):
            j += 1  # "barrel-a-day", "£24 a-year"
        if j >= len(toks) or lower[j] not in p.per_words:
            return unit, start
        after = j + 1
        if after + 1 < len(toks) and toks[after].text == "-" and self.t.adjacent(after):
            after += 1
        divisor = unit_at(self.t, after)
        if divisor is not None:
            if lower[j] in ("a", "an", "each", "every") and (
                    divisor[0].kind not in p.article_divisor_kinds
                    or (divisor[1] < len(toks) and lower[divisor[1]] in _TIME_ADVERBS)):
                return unit, start  # not "$6.78 billion a year earlier"
            return Unit(f"{unit.name} per {divisor[0].name}", unit.kind), divisor[1]
        if lower[j] in ("per", "/") and self.t.is_word(j + 1) and lower[j + 1] not in p.stopwords:
            return Unit(f"{unit.name} per {lemma(self.p, toks[j + 1].text)}", unit.kind), j + 2
        if (unit.kind == "currency" and lower[j] in ("a", "an", "each") and self.t.is_word(j + 1)
                and toks[j + 1].text.islower() and lower[j + 1] not in p.stopwords
                and not is_plural(self.p, lower[j + 1]) and not self.is_verb(j + 1)
                and (j + 2 >= len(toks) or toks[j + 2].kind == "sym"
                     or lower[j + 2] in p.stopwords)):
            return Unit(f"{unit.name} per {lower[j + 1]}", unit.kind), j + 2  # "$98 a share"
        return unit, start

    def minor_amount(self, unit: Unit, j: int) -> tuple[float, int] | None:
        """"15 dollars 50", "2 euros and 50 cents": the hundredths written after a currency
        amount, as (fraction, token after them)."""
        toks, lower, p = self.toks, self.lower, self.p
        k = j + 1 if j < len(toks) and lower[j] == "and" else j
        if not (unit.kind == "currency" and k < len(toks) and toks[k].text.isdecimal()
                and len(toks[k].text) <= 2 and not self.blocked[k]):
            return None
        minor = unit_at(self.t, k + 1)
        if minor is not None and minor[0].name in p.minor_units:
            return int(toks[k].text) / 100, minor[1]
        if k == j and minor is None and (k + 1 >= len(toks) or toks[k + 1].kind == "sym" or (
                lower[k + 1] in p.stopwords)):
            return int(toks[k].text) / 100, k + 1
        return None

    def noun_phrase(self, j: int, singular: bool) -> _NounPhrase | None:
        """The counted noun phrase from token j ("anti-tank mines", "12 page document").

        Words are read up to a closed-class word, verb or punctuation. For a plural count the
        phrase ends at its first plural word ("members bound by" -> members); for one thing
        it ends before one ("one proposal asks" -> proposal); a count of several with no
        plural word is a compound whose first word is counted ("a 12 page document").
        """
        toks, lower, p = self.toks, self.lower, self.p
        if j >= len(toks) or toks[j].start - toks[j - 1].end > 2:
            return None
        groups: list[list[int]] = []  # words; a hyphenated compound is one group
        k = j
        if (toks[k].text == "-" and self.t.adjacent(k) and self.t.adjacent(k + 1)
                and self.t.is_word(k + 1)):
            k += 1  # "four-cylinder engine"
        while k < len(toks) and len(groups) < 6:
            if toks[k].kind != "word":
                if (toks[k].text in "-‑" and groups and self.t.adjacent(k) and k + 1 < len(toks)
                        and self.t.adjacent(k + 1) and self.t.is_word(k + 1)):
                    groups[-1].append(k + 1)  # anti-tank, first-team
                    k += 2
                    continue
                if (toks[k].text in "'’" and groups and self.t.adjacent(k) and k + 1 < len(toks)
                        and lower[k + 1] == "s" and self.t.adjacent(k + 1)):
                    k += 2  # Johnson's
                    continue
                break
            w = lower[k]
            if (k + 2 < len(toks) and toks[k + 1].text in "-‑" and self.t.adjacent(k + 1)
                    and self.t.adjacent(k + 2) and toks[k + 2].kind == "num"):
                groups.append([k, k + 2])  # a model code as modifier: "45 TM-62 mines"
                k += 3
                continue
            if (w in ("and", "&") and groups and toks[groups[-1][0]].text[:1].isupper()
                    and self.t.is_word(k + 1) and toks[k + 1].text[:1].isupper()):
                k += 1  # names joined in a modifier: "460 Kia and Hyundai vehicles"
                continue
            compound = (k + 2 < len(toks) and toks[k + 1].text in "-‑" and self.t.adjacent(k + 1)
                        and self.t.adjacent(k + 2) and self.t.is_word(k + 2))
            if (w in p.stopwords or w in p.months or w in p.weekdays or w in p.number_words
                    or w in p.scales) and not compound and not (w in p.np_openers and not groups):
                break
            groups.append([k])
            k += 1
        if not groups:
            return None
        # an acronym counts as a plural head too: "95 UXO"
        plural = [(is_plural(self.p, lower[g[-1]])
                   or (_is_acronym(toks[g[-1]].text) and n == len(groups) - 1))
                  and not _has_modifier_prefix(self, g[-1]) for n, g in enumerate(groups)]
        if singular:
            if plural[0]:
                return None
            cut = plural.index(True) if True in plural else len(groups)
            groups = groups[:cut]
            head = len(groups) - 1
        elif True in plural:
            head = plural.index(True)
            groups = groups[: head + 1]
        else:
            # a compound ends before a participle or a name: "12 page document labeled X"
            lowercase = toks[groups[0][0]].text.islower()
            for n, g in enumerate(groups[1:], 1):
                word = toks[g[0]].text
                if word.endswith(("ed", "ing")) or (lowercase and not word.islower()):
                    groups = groups[:n]
                    break
            # drop trailing verb-like words: "mines found", "raising"
            while groups and lower[groups[-1][-1]].endswith(("ed", "ing", "ly", "er")):
                groups.pop()
            if not groups or (len(groups) == 1 and len(groups[0]) == 1):
                return None  # a lone word after a number: "25k cheaper", "73 raising"
            head = 0
        first, last = groups[0][0], groups[-1][-1]
        return _NounPhrase(first, last, groups[head][-1], plural[head] or singular)

    # -- clause subject and concept
    def is_verb(self, k: int) -> bool:
        w = self.lower[k]
        p = self.p
        if self.toks[k].kind != "word" or (k > 0 and (
                self.lower[k - 1] in _ARTICLES
                or (self.toks[k - 1].kind == "num" and w in p.time_after))):
            return False  # "the rise", "a set", "5 am"
        if self.counted_words[k]:
            return False  # the noun a figure counts: "found 45 mines, clearing ..."
        if k > 1 and self.toks[k - 1].text in "-‑" and self.t.adjacent(k) and self.t.adjacent(
                k - 1) and self.toks[k - 2].kind == "word":
            return False  # the end of a compound: "London-based", "well-priced", "coal-fired"
        if k > 0 and self.toks[k].text[:1].isupper() and self.toks[k - 1].text[:1].isupper() and (
                self.toks[k - 1].kind == "word"):
            return False  # a word of a name: "the Rich List led by"
        if (k > 1 and self.lower[k - 2] in _ARTICLES and w in p.verb_forms
                and w not in p.irregular_verbs and not w.endswith(("s", "ed", "ing"))
                and self.toks[k - 1].kind == "word" and self.toks[k - 1].text.islower()
                and not self.lower[k - 1].endswith("s") and self.lower[k - 1] not in p.stopwords
                and self.lower[k - 1] not in p.verb_forms):
            return False  # a noun after an adjective: "the biggest increase", "a sharp drop"
        if w in p.irregular_verbs:
            return True
        if k > 0 and self.lower[k - 1] in ("which", "who") and self.toks[k].text.islower() and (
                w not in p.stopwords):
            return True  # "the funds which range from", "a row which runs"
        if k > 0 and self.lower[k - 1] in _AUXILIARIES and self.toks[k].text.islower() and (
                w not in p.stopwords):
            return True  # a participle: "has been beset", "was seen"
        if k > 0 and self.lower[k - 1] in _MODALS and self.toks[k].text.islower():
            return True  # "might withdraw", "would tap"
        if w in p.verb_forms:
            # "exports dropped", "shares plummeted": an -s form before a verb is a noun
            return not (w.endswith("s") and k + 1 < len(self.toks) and self.is_verb(k + 1))
        return w.endswith("ed") and len(w) > 4 and self.toks[k].text.islower()

    def is_clause_break(self, k: int) -> bool:
        tok, w = self.toks[k], self.lower[k]
        if tok.kind == "sym":
            if tok.text == ",":
                return not self.in_figure_list(k)
            return tok.text in _CLAUSE_MARKS
        if w in ("and", "or"):
            # "Nvidia rose 8% and the Dow gained 3%": a new clause; not "Kia and Hyundai"
            nxt = k + 1
            return nxt < len(self.toks) and not self.in_figure_list(k) and (
                self.lower[nxt] in self.p.determiners or (k > 0 and self.toks[k - 1].text == ","))
        return w in self.p.clause_openers

    def in_figure_list(self, k: int) -> bool:
        """Token k (a comma or "and") joins figures: "3 years, 2 months, and 16 hours"."""
        before = k - 1
        after = k + 1
        if after < len(self.toks) and self.lower[after] in ("and", "or"):
            after += 1
        if before > 0 and self.lower[before] in (",",):
            before -= 1
        return (before >= 0 and self.covered[before] and after < len(self.toks)
                and (self.covered[after] or self.toks[after].kind == "num"))

    def content_word(self, k: int, verbs_too: bool = False) -> bool:
        """A word that can name a subject or concept: not a function word, adverb or another
        figure. After an article a verb form is a noun ("the set", "a total")."""
        p = self.p
        tok, w = self.toks[k], self.lower[k]
        if self.person_words[k]:
            return tok.kind != "sym"
        if self.covered[k] and not self.counted_words[k]:
            return False  # part of another figure (but "five launches" can be a subject)
        if tok.kind == "num":
            # the number of a name: "S&P 500", "TA-125", "iPhone 14"
            j = k - 2 if k > 1 and self.toks[k - 1].text == "-" else k - 1
            return (j >= 0 and self.toks[j].text[:1].isupper() and self.toks[j].kind == "word"
                    and self.lower[j] not in p.stopwords)
        noun_use = k > 0 and self.lower[k - 1] in _ARTICLES and (
            w in p.verb_forms or w in p.irregular_verbs)
        return (tok.kind == "word" and (w not in p.stopwords or noun_use)
                and w not in p.determiners and w not in p.number_words
                and w not in p.weekdays and w not in p.months
                and (len(w) > 1 or tok.text.isupper())
                and not (w.endswith("ly") and tok.text.islower() and w not in p.not_adverbs)
                and (verbs_too or not self.is_verb(k)))

    def opens_clause(self, start: int) -> bool:
        """Nothing but function words stands between the clause start and token `start`:
        "Two sisters helped ...", "..., and 19 fouls proves": the figure is the subject."""
        k = start - 1
        while k >= 0 and not self.is_clause_break(k):
            if k > 0 and self.lower[k - 1] == "there" and self.lower[k] in _BE_FORMS:
                return True  # "there are 300 residents": the figure is the subject
            if self.content_word(k, True) or self.is_verb(k):
                return False  # "which has 13000 workers": the subject is before "which"
            k -= 1
        return True

    def _skip_parenthesis(self, k: int) -> int:
        """From a ")" at k, the index before its "(" (or k when unmatched nearby)."""
        for j in range(k - 1, max(-1, k - 30), -1):
            if self.toks[j].text == "(":
                return j - 1
        return k

    def subject(self, start: int) -> str | None:
        """Who or what a figure at token `start` is about: the words before the verb that
        governs it ("Nvidia advanced 8%": Nvidia; "researchers say fusion will feed the grid
        in 15 years": fusion), or, when its clause has none, the words of the clause before
        it or of an earlier clause (", wiping $340 million": the shares that fell)."""
        limit = start
        k = start - 1
        for _ in range(4):
            while k >= 0 and not self.is_clause_break(k):
                k -= 1
            if k >= 0 and self.toks[k].text == ")":
                k = self._skip_parenthesis(k)
                continue
            clause = k + 1
            # a relative or participle clause is about the noun before it: "bank stocks, which
            # were up 2.8%", "claims, ranging from $200 to $4 million"
            attached = k >= 0 and (self.lower[k] in _RELATIVES or (
                self.toks[k].text == "," and clause < limit
                and self.lower[clause].endswith("ing") and self.toks[clause].text.islower()))
            words = self._words_before_verb(clause, limit, not attached)
            # a participle with an object of its own ("Samsung improved the storage, doubling
            # it to 256GB") tells what the main clause's subject did; one followed by a
            # preposition ("claims, ranging from $200") describes the noun before it
            adverbial = self.lower[k] not in _RELATIVES and clause < limit and (
                self.lower[clause] in self.p.change_before  # ", dropping from 208 pounds"
                or (clause + 1 < limit and self.lower[clause + 1] in _OBJECT_STARTS)
                or all(self.lower[t] in self.p.bound_words for t in range(clause + 1, limit)))
                # ", totalling 5.8 percent": the figure is the participle's object
            if not words and attached and not adverbial:
                words = self.antecedent(k if self.lower[k] in _RELATIVES else k + 1)
            if not words and limit == start and self._change_after_name(k, clause, limit):
                words = self.antecedent(k + 1)  # "JD Sports, down 1.95p at 125.8p"
            if words and limit != start and self._apposition(k, clause, limit):
                words = []  # "Frankel, an investor in real estate, acquired 13%": go past it
            if words:
                first, last = words[0], words[-1]
                return self.text[self.toks[first].start: self.toks[last].end]
            if k < 0:
                return None
            limit = k
            k -= 1
        return None

    def _change_after_name(self, k: int, clause: int, limit: int) -> bool:
        """Tokens [clause, limit) are ", down" or ", up 5% at" after a comma at k that
        follows a name: a market report line about that name."""
        p = self.p
        return (k > 0 and self.toks[k].text == "," and clause < limit
                and self.toks[k - 1].text[:1].isupper() and self.lower[clause] in p.change_before
                and all(self.covered[t] or self.lower[t] in p.change_before
                        or self.lower[t] in p.change_gap or self.lower[t] in ("at", "to")
                        for t in range(clause, limit)))

    def _apposition(self, k: int, clause: int, limit: int) -> bool:
        """Tokens [clause, limit) are ", an investor in real estate," or ", on average,":
        between commas, opened by an article or a preposition, without a verb."""
        return (k >= 0 and self.toks[k].text == "," and limit < len(self.toks)
                and self.toks[limit].text == "," and (
                    self.lower[clause] in ("a", "an", "the")
                    or self.lower[clause] in _PARENTHETICAL_OPENERS)
                and not any(self.is_verb(t) for t in range(clause, limit)))

    def _words_before_verb(self, clause: int, limit: int, objects: bool = True) -> list[int]:
        """Content words of the noun phrase before the verb nearest to `limit` (scanning
        back from it within [clause, limit)), or of the whole span when it has no verb."""
        verb = next((v for v in range(limit - 1, clause - 1, -1) if self.is_verb(v)), None)
        nearest = verb
        if verb is None:
            if clause < limit and self.lower[clause].endswith("ing"):
                return []  # a participle clause has no subject: ", excluding banks,"
            content = [t for t in range(clause, limit) if self.content_word(t)]
            return content[:_MAX_SUBJECT_WORDS]
        while True:
            k = verb - 1
            while k >= clause and (self.is_verb(k) or self.lower[k] in self.p.stopwords) and not (
                    self.content_word(k, True) and not self.is_verb(k)):
                k -= 1  # the rest of the verb group: "will be", "has also been"
            # a non-finite verb ("to lay off", "having increased") has no subject of its own
            # ("was set to rise" is one verb group: its subject is its own)
            infinitive = k + 1 < verb and (self.lower[k + 1] == "to" or any(
                self.lower[t] == "having" for t in range(k + 1, verb)))
            joined = next((t for t in range(verb - 1, k, -1) if self.lower[t] in ("and", "or")),
                          None)
            if joined is not None and not any(
                    self.lower[t] in _PRONOUNS for t in range(joined + 1, verb)):
                # "X is the first model and offers 536 hp": the first verb's subject
                earlier = next((v for v in range(k - 1, clause - 1, -1) if self.is_verb(v)), None)
                if earlier is not None:
                    verb = earlier
                    continue
            words: list[int] = []
            # going back, only a past tense or auxiliary ends the phrase: an -s form there is
            # more often a plural noun ("exports to China dropped")
            while k >= clause and not (self.is_verb(k) and (
                    not self.lower[k].endswith("s") or self.lower[k] in self.p.irregular_verbs)
                    ) and len(words) < _MAX_SUBJECT_WORDS:
                if self.content_word(k, True):
                    words.append(k)
                k -= 1
            # "Dell announced plans to lay off 6,650 employees": the figure is Dell's (but
            # "cause sea levels to rise 11 feet": what the verb makes rise)
            if (words and infinitive and k >= clause and self.is_verb(k)
                    and self.lower[k] not in self.p.object_control_verbs):
                verb = k  # "Dell announced plans to lay off 6,650 employees": Dell's figure
                continue
            if words:
                return words[::-1]
            if k < clause and not objects:
                return []
            if k < clause:
                # no subject ("Get the mirror for $448", "There was a 60 basis point rise
                # to 64%", "It has an MSRP of $5"): the words between the verb and the figure
                after = [t for t in range(nearest + 1, limit) if self.content_word(t)]
                return after[:_MAX_SUBJECT_WORDS]
            verb = k  # "index gained 1% to close at 1,478": the subject of the earlier verb

    def object_before(self, start: int) -> str | None:
        """"pulled the healthcare sector 0.68 percent lower": the object between the verb
        and the figure, when one stands there."""
        words: list[int] = []
        k = start - 1
        while k >= 0 and not self.is_clause_break(k) and len(words) < 6:
            if self.is_verb(k):
                if not words:
                    return None
                return self.text[self.toks[words[-1]].start: self.toks[words[0]].end]
            if self.content_word(k):
                words.append(k)
            elif words and self.lower[k] in self.p.stopwords and self.lower[k] not in (
                    "of", "the", "a", "an", "its", "their", "his", "her"):
                return None  # a prepositional phrase, not an object: "in 2018 at 5%"
            k -= 1
        return None

    def past_restatement(self, end: int) -> int:
        """The token after a bracketed restatement at `end` ("1.8 billion-mile (2.8bn km)
        journey"), or `end` when none stands there."""
        if end < len(self.toks) and self.toks[end].text == "(":
            for close in range(end + 1, min(end + 12, len(self.toks))):
                if self.toks[close].text == ")":
                    return close + 1
                if self.toks[close].text == "(":
                    break
        return end

    def phrase_after(self, end: int) -> str | None:
        """"47.6% from the field", "$1 billion in gains": the noun of the phrase right after
        the figure, when nothing closer names what it measures."""
        end = self.past_restatement(end)
        if end + 1 >= len(self.toks) or self.lower[end] not in _PHRASE_PREPOSITIONS:
            return None
        np = self.of_phrase_after(end)
        return self.phrase_text(np) if np is not None else None

    def antecedent(self, k: int) -> list[int]:
        """The noun phrase just before a relative word at token k: "bank stocks, which"."""
        j = k - 1
        if j >= 0 and self.toks[j].text == ",":
            j -= 1
        words: list[int] = []
        while j >= 0 and len(words) < 4 and self.content_word(j, True):
            words.append(j)
            j -= 1
        return words[::-1]

    def phrase_text(self, np: _NounPhrase) -> str:
        return self.text[self.toks[np.first].start: self.toks[np.last].end]

    def of_phrase(self, j: int) -> _NounPhrase | None:
        """The noun phrase after "of" at token j: "of the deal", "of its Echo devices"."""
        if j + 1 >= len(self.toks) or self.lower[j] != "of":
            return None
        return self.of_phrase_after(j)

    def of_phrase_after(self, j: int) -> _NounPhrase | None:
        """The noun phrase after the preposition at token j, past a determiner or "a"."""
        k = j + 2 if self.lower[j + 1] in _DETERMINERS or self.lower[j + 1] in (
            "a", "an") else j + 1
        if k < len(self.toks) and self.toks[k].kind == "num":
            # "for an 8.5 kW system", "of 30% fuming acid": past the figure inside it
            k += 1
            unit = unit_at(self.t, k)
            if unit is not None:
                k = unit[1]
        return self.noun_phrase(k, False) or self.noun_phrase(k, True)

    def owner_before(self, start: int,
                     prepositions: frozenset[str] | tuple[str, ...] = ()) -> str | None:
        """"a speed of 15 mph", "fines from $250,000", "margins to 64%": the noun before the
        preposition that introduces the figure (past a cue: "a survey of more than 6,000")."""
        k = start - 1
        while k > 0 and self.covered[k] and self.lower[k] in self.p.bound_words:
            k -= 1
        if k < 1 or self.lower[k] not in (prepositions or _OWNER_PREPOSITIONS):
            return None
        words = []
        j = k - 1
        while (j >= 0 and len(words) < 3 and self.content_word(j)
               and self.toks[j].kind == "word" and not self.lower[j].endswith("ing")):
            words.append(j)
            j -= 1
        if not words:
            return None
        return self.text[self.toks[words[-1]].start: self.toks[words[0]].end]

    def attributive(self, start: int, end: int, age: bool = False) -> str | None:
        """"a 25% duty", "the 40 yard line", "a 750 meter swim": the noun the figure
        describes, when a determiner or adjective stands before it and a noun after it."""
        toks, lower = self.toks, self.lower
        end = self.past_restatement(end)
        if end >= len(toks) or toks[end].kind != "word" or not (
                self.content_word(end, True) or lower[end] in self.p.verb_forms
                or self.covered[end]):
            return None
        after = end + 1
        if lower[end].endswith("er") and (after >= len(toks) or toks[after].kind == "sym"
                                          or lower[after] == "than"):
            return None  # a comparison: "0.68 percent lower,", "25k cheaper than"
        before = start - 1
        if not (before < 0 or age or lower[before] in self.p.determiners
                or lower[start] in _ARTICLES or lower[before] in _ATTRIBUTIVE_AFTER
                or self.is_clause_break(before) or toks[before].text == ","
                # another figure: "eight million 250ml bottles" (but not a cue: "about 70%")
                or (self.covered[before] and lower[before] not in self.p.bound_words)
                or (toks[before].kind == "word" and self.content_word(before))
                or self.is_verb(before)):  # "offering 95 per cent loan-to-value mortgages"
            return None
        np = self.noun_phrase(end, False) or self.noun_phrase(end, True)
        return toks[end].text if np is None else self.phrase_text(np)

    # -- cues
    def bound_before(self, i: int) -> tuple[str, int] | None:
        for n in range(min(4, i), 0, -1):
            key = join_tokens(self.toks, i - n, i).lower()
            if key in self.p.bound_before:
                return self.p.bound_before[key], i - n
        return None

    def bound_after(self, j: int) -> tuple[str, int] | None:
        for n in range(min(3, len(self.toks) - j), 0, -1):
            key = join_tokens(self.toks, j, j + n).lower()
            if key in self.p.bound_after:
                if n == 1 and self.toks[j].text == "+" and not self.t.adjacent(j):
                    continue
                return self.p.bound_after[key], j + n
        return None

    def change_before(self, i: int) -> str | None:
        lower, p = self.lower, self.p
        k = i - 1
        steps = 0
        while k >= 0 and steps < 5:
            w = lower[k]
            if w in p.change_before:
                if k > 0 and lower[k - 1] == "to":
                    return None  # "is expected to rise to 1.9%": a forecast level
                return p.change_before[w]
            if w not in p.change_gap:
                return None
            k -= 1
            steps += 1
        return None


def _segments(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of sentence-sized pieces, so each piece is read with bounded work."""
    for line in _LINE_RE.finditer(text):
        start = line.start()
        pieces = [m.end() for m in _SENTENCE_END_RE.finditer(line.group())]
        for cut in [*pieces, line.end() - start]:
            end = line.start() + cut
            while end - start > _MAX_SEGMENT:
                split = text.rfind(" ", start + 1, start + _MAX_SEGMENT)
                split = split if split > start else start + _MAX_SEGMENT
                yield start, split
                start = split
            if end > start:
                yield start, end
            start = end


def iter_quantities(text: str, patterns_dir: Path | None = None) -> Iterator[Quantity]:
    """Figures in text, in order, one sentence at a time (memory stays bounded)."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    p = load_patterns(patterns_dir)
    dot_thousands = uses_dot_thousands(text)
    for start, end in _segments(text):
        segment = text[start:end]
        if not p.hint_re.search(segment):
            continue
        yield from _read_segment(text, start, end, p, dot_thousands)


def find_quantities(text: str, patterns_dir: Path | None = None) -> list[Quantity]:
    """All figures in text: value, unit, bound, change, concept and character offsets."""
    return list(iter_quantities(text, patterns_dir))


def article_quantities(text: str) -> list[Quantity]:
    """find_quantities(text), remembered for the last texts read: the prefilter and then
    the extractor read the same articles, a batch of them at a time."""
    return list(_remembered_quantities(text))


@lru_cache(maxsize=64)
def _remembered_quantities(text: str) -> tuple[Quantity, ...]:
    return tuple(iter_quantities(text))


def _read_segment(text: str, seg_start: int, seg_end: int, p: Patterns,
                  dot_thousands: bool = False) -> list[Quantity]:
    segment = text[seg_start:seg_end]
    toks = tokenize(segment, seg_start)
    r = _Reader(text, toks, p, dot_thousands)
    for pattern in _NON_FIGURE_RES:
        for m in pattern.finditer(segment):
            r.block(seg_start + m.start(), seg_start + m.end())
    out: list[_Draft] = []
    i = 0
    n = len(toks)
    while i < n:
        tok = toks[i]
        if r.blocked[i] or not (tok.kind == "num" or tok.text in p.prefix_starts
                                or r.lower[i] in p.starts or tok.text in p.fraction_chars):
            i += 1
            continue
        draft = _read_at(r, i)
        if draft is None:
            i += 1
            continue
        if draft.quantity is not None:
            out.append(draft)
        i = max(draft.next, i + 1)
    _share_elided_units(r, out)
    _compound_ages(r, out)
    _inherit_units(r, out)
    _share_context(r, out)
    return [d.quantity for d in out if d.quantity is not None and not d.lone]


def _compound_ages(r: _Reader, drafts: list[_Draft]) -> None:
    """The parts of an age before its last are ages too: "3 years and 6 months old",
    "1 year, 2 months and 5 days old"."""
    for a, b in reversed(list(itertools.pairwise(drafts))):
        qa, qb = a.quantity, b.quantity
        if (qa is None or qb is None or b.unit_kind != "age" or a.unit_kind != "time"
                or qa.unit not in r.p.age_units):
            continue
        if [r.lower[k] for k in range(a.after, b.first)] in (["and"], [","]):
            a.quantity = Quantity(**{**qa.to_dict(), "unit": r.p.age_units[qa.unit].name})
            a.unit_kind = "age"


def _inherit_units(r: _Reader, drafts: list[_Draft]) -> None:
    """A bare number after figures of the same size takes their unit: "The highest forecast
    is 84.75 cents, while the lowest is 74.07", "435 homes by sale and 187 by tender"."""
    for n, b in enumerate(drafts):
        qb = b.quantity
        if qb is None or b.lone or qb.unit != "count" or qb.noun is not None or not qb.value:
            continue
        for a in reversed(drafts[:n]):
            qa = a.quantity
            if qa is None or (qa.unit == "count" and qa.noun is None) or not qa.value or (
                    a.unit_kind in _NOT_LENT_KINDS):
                continue  # "a 44-day operation ... 361 mines": durations are not lent
            index_level = qa.unit == "point" and b.first > 0 and r.lower[b.first - 1] in (
                "to", "at")  # "rose 64.06 points to 4,577.10"
            if 0.1 <= abs(qb.value / qa.value) <= 10 or index_level:
                b.quantity = Quantity(**{**qb.to_dict(), "unit": qa.unit, "noun": qa.noun})
                break


_NOT_LENT_KINDS = frozenset({"time", "age"})
_COMPARED_WITH = frozenset({("up", "from"), ("down", "from"), ("compared", "with"),
                            ("compared", "to")})
_LIST_JOINERS = frozenset({",", "and", "or", "(", "/", "to"})


def _share_context(r: _Reader, drafts: list[_Draft]) -> None:
    """A figure restating the one before it ("$US113 trillion ($161 trillion)", "224 kW /
    300 PS") or listed after it ("24 hours, 39 minutes, and 35 seconds") is about the same
    thing: it takes that figure's subject, and its concept when it has none. So does an
    earlier value of the same unit it is compared with ("78% of the deal, up from 50%")."""
    for a, b in itertools.pairwise(drafts):
        qa, qb = a.quantity, b.quantity
        if qa is None or qb is None:
            continue
        between = [r.lower[k] for k in range(a.after, b.first)]
        compared = qa.unit == qb.unit and tuple(between[-2:]) in _COMPARED_WITH
        if not compared and (not between or any(w not in _LIST_JOINERS for w in between)):
            continue
        b.quantity = Quantity(**{**qb.to_dict(), "subject": qa.subject,
                                 "concept": qb.concept or qa.concept})


@dataclass
class _Draft:
    quantity: Quantity | None
    next: int
    first: int = 0  # token index where the figure's surface starts
    after: int = 0  # token index after the figure's surface
    counted: _NounPhrase | None = None
    lone: bool = False  # a number word with nothing counted; kept only if a neighbour lends one
    unit_kind: str = ""


def _read_number_with_range(
    r: _Reader, i: int, currency: bool, first: int
) -> tuple[Number, Number | None] | None:
    number = r.number_at(i, currency)
    if number is None:
        return None
    ranged = _range_end(r, number, number.end, currency, first)
    if ranged is None:
        return number, None
    return ranged


_DASHES = ("-", "–", "—")


def _range_end(
    r: _Reader, number: Number, j: int, currency: bool, first: int
) -> tuple[Number, Number] | None:
    """The second number of a range whose connector is token j: "5-6", "10 to 13",
    "between 10 and 13", "from 208 pounds to 193". Returns (first, second) or None."""
    toks, lower, p = r.toks, r.lower, r.p
    if j + 1 >= len(toks):
        return None
    before = lower[first - 1] if first > 0 else ""
    connector = lower[j]
    if not (connector in _DASHES or connector in ("to", "/") or (
            connector == "and" and before == "between")):
        return None
    k = j + 1
    second_currency = currency_prefix(r.t, k)
    if second_currency is not None:
        k = second_currency[1]
    if not (toks[k].kind == "num" or lower[k] in p.number_words) or r.blocked[k]:
        return None
    second = r.number_at(k, currency)
    if second is None:
        return None
    if connector == "/" and not (second_currency and r.t.adjacent(j) and r.t.adjacent(j + 1)):
        return None  # only "$7/$9" is a range; 24/7 and 9/11 are not
    if connector == "-" and not number.is_words and not second_currency and not (
            r.t.adjacent(j) and r.t.adjacent(k)) and (
            unit_after(r.t, second.end) is None or second.value <= number.value):
        # "10 - 12" with spaces is a score or a list, "Stoxx 50 -1.3%" a name and a change;
        # "40 - 50 years" (low to high, a unit after) is a range
        return None
    if not number.scaled and second.scaled and number.value < second.value:
        # "four to five thousand": the scale applies to both ends
        scaled_first = number.value * _scale_of(r, second)
        if scaled_first <= second.value:
            number = Number(scaled_first, number.start, number.end, True, number.is_words,
                             False)
    if connector == "to" and before != "from" and (
            number.value >= second.value or number.is_year_like
            or (before in ("by", "to") and (currency or number.scaled))):
        return None  # "increased by $43.6 billion to $419.2 billion" is two figures
    return number, second


def _scale_of(r: _Reader, n: Number) -> float:
    """The multiplier a scaled number carries (1.5 million -> 1e6)."""
    scale = 1.0
    for t in range(n.start + 1, n.end):
        w = r.toks[t].text
        if w in r.p.scale_suffixes:
            scale *= r.p.scale_suffixes[w]
        elif w.lower() in r.p.scales:
            scale *= r.p.scales[w.lower()]
    return scale


_AGE = Unit("year of age", "age")
_COUNT = Unit("count", "count")
_COMPARATIVES = frozenset({"more", "less", "higher", "lower", "greater", "fewer", "larger",
                           "smaller", "bigger", "longer", "shorter", "faster", "slower"})
_PARENTHETICAL_OPENERS = frozenset({"on", "in", "at", "by", "for", "as", "like", "with"})
_BE_FORMS = frozenset({"is", "are", "was", "were", "be", "been"})
_AUXILIARIES = frozenset({"is", "are", "was", "were", "be", "been", "being", "has", "have",
                          "had"})
# Words after which "<figure> <noun>" is a figure describing the noun ("50mL of 30% acid").
_ATTRIBUTIVE_AFTER = frozenset({"of", "with", "for", "per", "and", "to", "in", "at", "from",
                                "by", "on", "into"})  # "due to 50mph winds", "from 3-point range"
_OWNER_PREPOSITIONS = frozenset({"of", "from", "at", "to", "worth"})
_TIME_ADVERBS = frozenset({"earlier", "ago", "before", "later", "after", "previously"})
_PHRASE_PREPOSITIONS = frozenset({"in", "from", "for", "on"})
_MODALS = frozenset({"will", "would", "can", "could", "may", "might", "shall", "should",
                     "must"})
_RELATIVES = frozenset({"which", "who", "whose", "that"})
_PRONOUNS = frozenset({"i", "you", "he", "she", "it", "we", "they", "there", "this", "that"})
_OBJECT_STARTS = frozenset({"the", "a", "an", "it", "them", "its", "their", "his", "her", "this",
                            "these", "those", "some", "more", "up"})
_ARTICLES = frozenset({"a", "an", "the", "its", "their", "his", "her", "our", "your", "my"})
_DETERMINERS = ("the", "his", "her", "their", "its", "our", "these", "those", "my", "your")
_ADVERBS_BEFORE_VERB = frozenset({"later", "also", "still", "then", "reportedly"})
_MORE_WORDS = frozenset({"more", "further", "additional", "other"})
_GROUP_PRONOUNS = frozenset({"them", "whom", "us", "you", "which"})


def _read_at(r: _Reader, i: int) -> _Draft | None:
    toks, lower, p = r.toks, r.lower, r.p
    currency: Unit | None = None
    first = i
    prefix = currency_prefix(r.t, i)
    if prefix is not None:
        currency, i = prefix
    elif toks[i].kind == "sym" and toks[i].text not in p.fraction_chars:
        return None
    if currency is None:
        fraction = _read_unit_share(r, i) or _read_fraction(r, i)
        if fraction is not None:
            return fraction
    if toks[i].kind == "word":
        if lower[i] in p.vague:
            return _read_vague(r, i)
        if lower[i] not in p.number_words and lower[i] not in p.articles and lower[i] != "half":
            return None
        if currency is None and _word_number_is_name(r, i):
            return None
    ranged = _read_number_with_range(r, i, currency is not None, first)
    if ranged is None:
        return None
    number, second = ranged
    if currency is None and is_day_range(r.t, number, second):
        return _Draft(None, number.end + 2 if second is None else second.end)
    if r.is_non_figure(number, currency is not None):
        return _Draft(None, number.end if second is None else second.end)
    last = second if second is not None else number
    j = last.end
    # a score or date-like pair "2-2", "3-1" is not a range of figures
    if (second is not None and toks[number.end].text in _DASHES and currency is None
            and number.value >= second.value and not number.is_words):
        return _Draft(None, j)
    unit: Unit | None = None
    noun: str | None = None
    concept: str | None = None
    counted: _NounPhrase | None = None
    lone = False
    found = unit_after(r.t, j)
    unit_start = None  # token where a unit written after the number starts
    if found is not None:
        unit_start = j if r.toks[j].text not in _DASHES else j + 1
        unit, j = found
        if unit.scale != 1.0:  # "300 MUSD"
            number = Number(number.value * unit.scale, number.start, number.end, True,
                             number.is_words, False)
            unit = Unit(unit.name, unit.kind)
        if unit.kind == "currency" and currency is not None and unit.name == "dollar":
            unit = currency  # "A$5 dollars" keeps the prefix's currency
    elif currency is not None:
        unit = currency
    if unit is not None and second is None:
        # "from 208 pounds to 193", "5% to 10%", "between $10 and $13 million"
        ranged_after = _range_end(r, number, j, currency is not None, first)
        if ranged_after is not None:
            again = unit_after(r.t, ranged_after[1].end)
            same_unit = again is not None and again[0] == unit
            # "rose 15 pence to 333 pence": a change and the level it reached, two figures
            change_and_level = lower[j] == "to" and r.change_before(first) is not None
            if (same_unit and not change_and_level) or (
                    first > 0 and lower[first - 1] in ("from", "between")):
                number, second = ranged_after
                j = again[1] if same_unit and again is not None else second.end
    minor = r.minor_amount(unit, j) if unit is not None and second is None else None
    if minor is not None and number.value == int(number.value):
        number = Number(number.value + minor[0], number.start, number.end, number.scaled,
                         number.is_words, False)
        j = minor[1]
    if unit is not None and unit.name in p.age_units and first > 0 and (
            lower[first - 1] in p.age_before
            or (first > 1 and lower[first - 1] == "of" and lower[first - 2] == "age")):
        unit = p.age_units[unit.name]  # "under the age of 5 years", "aged 10 months"
    if unit is not None:
        unit, j = r.per_unit(unit, j)
        # "hectares of land": the noun after "of" is what is measured
        of_np = r.of_phrase(j)
        if of_np is None and j < len(toks) and toks[j].text == "(":
            # "8 miles (13 kilometers) of new tunnels"
            close = next((c for c in range(j + 1, min(j + 10, len(toks)))
                          if toks[c].text == ")"), None)
            of_np = r.of_phrase(close + 1) if close is not None else None
        if of_np is not None:
            for k in range(j, of_np.last + 1):
                r.covered[k] = True  # "of land" belongs to this figure, not to a subject
            # "hectares of land": the unit and what it measures
            concept = r.text[toks[unit_start if unit_start is not None else of_np.first].start:
                             toks[of_np.last].end]
    else:
        k = j
        partitive = False  # "three of them", "of whom six": a count of a group named before
        if k + 1 < len(toks) and lower[k] == "of" and (number.is_words or number.scaled):
            k += 1  # "one of the people", "two of Johnson's deputies", "35m of its devices"
            partitive = lower[k] in _GROUP_PRONOUNS and not (
                first > 0 and lower[first - 1] in p.determiners)  # not "the one of whom"
            if lower[k] in _DETERMINERS:
                k += 1
                if k + 1 < len(toks) and lower[k] == "own":
                    k += 1  # "one of our own deminers"
        singular = (number.value == 1 and second is None and not number.scaled and k == j
                    and not number.dot_group)
        np = r.noun_phrase(k, singular) if k < len(toks) else None
        if np is not None and number.is_year_like and not _year_counts(r, number, np):
            np = None
        if np is not None:
            head = toks[np.head].text
            named = any(toks[t].text[:1].isupper() and not toks[t].text.isupper()
                        for t in range(np.first, np.last + 1) if toks[t].kind == "word")
            if (head[:1].isupper() and not is_plural(r.p, head.lower()) and not head.isupper()) or (
                    named and not np.complete):
                if currency is None:
                    return _Draft(None, np.last + 1)  # a name: "787 Dreamliner", "4 Started"
            else:
                noun = lemma(r.p, head)
                counted = np
                of_np = r.of_phrase(np.last + 1)  # "35 sections of the Marten Hills region"
                concept = r.text[toks[np.first].start: toks[(of_np or np).last].end]
                # the figure ends at its counted noun: "a 12 page document" counts pages
                j = np.head + 1
        if noun is None and currency is None:
            if number.is_year_like:
                return None
            if number.is_words:
                # "three" alone: a figure only if "three or four mines" follows, or when it
                # names a group ("three of them") or is a verb's subject ("five were hurt")
                lone = not (partitive or _subject_count(r, number, second))
            elif second is None and _is_age(r, number):
                unit = _AGE
            elif first > 0 and (lower[first - 1] in p.age_before or (
                    first > 1 and lower[first - 1] == "of" and lower[first - 2] == "age")):
                unit = _AGE  # "men aged 18 to 34", "over the age of 21"
            elif number.value < 1 and (of_unit := _unit_of_a(r, j)) is not None:
                unit, j = of_unit  # "1/16 of a US pint"
            elif _name_before(r, number.start):
                return None  # "Big 12", "Apple Watch 5", "Part 3"
    if _dot_groups_thousands(r, number, unit, counted):
        number = _thousands(r, number)
        second = _thousands(r, second) if second is not None else None
    # bound and change
    bound = "="
    start_tok = first
    negative = False
    if first > 0 and lower[first - 1] == "between" and second is not None:
        start_tok = first - 1
    k = start_tok - 1
    if k > 0 and toks[k].text == "-" and r.t.adjacent(start_tok) and r.t.adjacent(k):
        if lower[k - 1] in p.hyphen_bounds:  # "sub-7 nanometer"
            bound, start_tok = p.hyphen_bounds[lower[k - 1]], k - 1
        elif lower[k - 1] in p.sign_words:  # "minus-5 yards"
            negative, start_tok = True, k - 1
    elif k >= 0 and lower[k] in p.sign_words:  # "minus 387 Fahrenheit"
        negative, start_tok = True, k
    found_bound = r.bound_before(start_tok)
    cue_start = start_tok
    if found_bound is not None:
        bound, cue_start = found_bound
        for k in range(cue_start, start_tok):
            r.covered[k] = True  # "an estimated", "about": not words of a subject
    after = r.bound_after(j)
    if after is not None:
        bound = after[0]
        if toks[j].text in "+" or lower[j] == "plus":
            j = after[1]
    change = r.change_before(cue_start) if unit is not None or (
        cue_start > 0 and lower[cue_start - 1] == "by") else None  # "grew by 125,600 jobs"
    value = -number.value if negative else number.value
    low = high = None
    if second is not None:
        low, high = sorted((number.value, second.value))
        value = low
    sign = _sign_before(r, start_tok) if not negative else None
    if sign is not None and second is None:
        start_tok -= 1
        if sign == "-":
            value = -value
        if unit is not None and unit.kind in ("ratio", "score"):
            change = "down" if sign == "-" else "up"  # "DAX -1.6%", "+0.3 points"
    # "X is one of the best speakers": the figure picks a member of a group, it does not
    # measure the clause's subject
    member_of = number.value == 1 and second is None and counted is not None and (
        number.end < len(toks) and lower[number.end] == "of")
    return _draft(r, value, low, high, unit or _COUNT, noun, bound, change, concept,
                  start_tok, j, counted, lone, with_subject=not member_of)


def _subject_count(r: _Reader, number: Number, second: Number | None) -> bool:
    """"five were injured", "of whom six died", "one later died": number words standing for
    people or things just named, as the subject of the verb after them. "One" only before a
    past tense: "one can see" is a pronoun."""
    before = r.lower[number.start - 1] if number.start > 0 else ""
    verb = (second if second is not None else number).end
    if verb < len(r.toks) and r.lower[verb] in _MORE_WORDS:
        verb += 1  # "two more were hurt"
    if verb < len(r.toks) and (r.lower[verb] in _ADVERBS_BEFORE_VERB or (
            r.lower[verb].endswith("ly") and r.lower[verb] not in r.p.not_adverbs)):
        verb += 1  # "one later died", "two subsequently died"
    if (verb >= len(r.toks) or not r.is_verb(verb) or before in r.p.determiners
            or r.toks[number.start].text.isupper()):
        return False
    return number.value >= 2 or r.lower[verb] in ("was", "were") or (
        r.lower[verb].endswith("ed") and r.toks[verb].text.islower())


def _dot_groups_thousands(r: _Reader, number: Number, unit: Unit | None,
                          counted: _NounPhrase | None) -> bool:
    """Whether "3.430" in this figure groups thousands, where the text's own convention does
    not say (see `uses_dot_thousands`): when it counts a plural noun that is never
    fractional ("3.430 people", "7.000 mines"; not a rate, "1.375 goals per game"), or when
    its three decimals are "000" before a unit or noun ("12.000 sq.m"), a precision nobody
    states. Otherwise it stays a decimal: "3.430 km"."""
    if not number.dot_group:
        return False
    if counted is not None and counted.complete and not (
            counted.last + 1 < len(r.toks) and r.lower[counted.last + 1] in r.p.per_words):
        return True
    return (unit is not None or counted is not None) and r.toks[number.start].text.endswith(
        ".000")


def _thousands(r: _Reader, n: Number) -> Number:
    """A number whose dot before three digits groups thousands: "3.430" -> 3430."""
    if not n.dot_group:
        return n
    value = float(r.toks[n.start].text.replace(".", ""))
    return Number(value, n.start, n.end, n.scaled, n.is_words, n.is_year_like)


def _draft(r: _Reader, value: float, low: float | None, high: float | None, unit: Unit,
           noun: str | None, bound: str, change: str | None, concept: str | None,
           start_tok: int, end_tok: int, counted: _NounPhrase | None = None,
           lone: bool = False, with_subject: bool = True) -> _Draft:
    start_char = r.toks[start_tok].start
    end_char = r.toks[end_tok - 1].end
    age = unit.kind == "age" and r.lower[end_tok - 1] in ("old", "olds")
    if concept is None and unit.kind == "count" and noun is None and not lone:
        # "a market worth over 2 billion", "make the S8 around 25k cheaper"
        concept = r.owner_before(start_tok) or r.object_before(start_tok)
    if concept is None and unit.kind != "count":
        # "400 million-year-old bedrock": an age written "N-year-old" describes the noun after
        concept = r.attributive(start_tok, end_tok, age) or r.owner_before(start_tok)
        if age and concept is None and start_tok > 0 and r.lower[start_tok - 1] in _ARTICLES:
            for k in range(start_tok, end_tok):
                r.person_words[k] = True  # "a 60 year-old might withdraw 2.72%": a person
            with_subject = with_subject and not r.opens_clause(start_tok)
        after = r.past_restatement(end_tok)
        if concept is None and unit.kind == "currency" and after + 1 < len(r.toks) and (
                r.lower[after] == "for"):
            bought = r.of_phrase_after(after)  # "$35,538 for an 8.5 kW system"
            concept = r.phrase_text(bought) if bought is not None else None
        if concept is None and after + 2 < len(r.toks) and r.lower[after + 1] == "than" and (
                r.lower[after] in _COMPARATIVES):
            compared = r.of_phrase_after(after + 1)  # "10mph less than the top wind speeds"
            concept = r.phrase_text(compared) if compared is not None else None
        if concept is None:
            concept = r.object_before(start_tok) or r.phrase_after(end_tok)
    for k in range(start_tok, end_tok):
        r.covered[k] = True
    if counted is not None:
        for k in range(counted.first, counted.last + 1):
            r.counted_words[k] = True
    q = Quantity(
        value=value, low=low, high=high, unit=unit.name, noun=noun, bound=bound,
        change=change, concept=concept, start=start_char, end=end_char,
        text=r.text[start_char:end_char],
        subject=None if not with_subject or (counted is not None and r.opens_clause(start_tok))
        else (counted is not None and r.owner_before(start_tok, ("of",))) or r.subject(start_tok),
    )
    return _Draft(q, end_tok, start_tok, end_tok, counted, lone, unit.kind)


_FRACTION = Unit("fraction", "ratio")
_NOT_BEFORE_HALF = frozenset({"the", "a", "an", "first", "second", "last", "this", "that",
                              "next", "latter", "former"})


def _read_unit_share(r: _Reader, i: int) -> _Draft | None:
    """Amounts of a unit written with an article and fraction words: "half a mile", "a
    quarter mile", "a mile and a half", "an hour and a quarter"."""
    toks, lower, p = r.toks, r.lower, r.p
    n = len(toks)
    if i + 2 >= n or lower[i] not in ("half", *p.articles):
        return None
    if lower[i] == "half":
        if lower[i + 1] not in p.articles or (i > 0 and lower[i - 1] in _NOT_BEFORE_HALF):
            return None
        found = unit_at(r.t, i + 2)
        return _draft(r, 0.5, None, None, found[0], None, "=", None, None, i, found[1]) if (
            found is not None and found[0].kind not in ("currency", "ratio")) else None
    if lower[i + 1] in p.fraction_words:
        found = unit_at(r.t, i + 2)  # "a quarter mile", "a half hour"
        if found is None or found[0].kind in ("currency", "ratio"):
            return None
        value = p.fraction_words[lower[i + 1]]
        return _draft(r, value, None, None, found[0], None, "=", None, None, i, found[1])
    found = unit_at(r.t, i + 1)  # "a mile and a half"
    if found is None or found[1] + 2 >= n:
        return None
    k = found[1]
    if not (lower[k] == "and" and lower[k + 1] in p.articles and lower[k + 2] in p.fraction_words
            and not lower[k + 2].endswith("s")):
        return None
    value = 1 + p.fraction_words[lower[k + 2]]
    return _draft(r, value, None, None, found[0], None, "=", None, None, i, k + 3)


def _read_fraction(r: _Reader, i: int) -> _Draft | None:
    """"a third of", "two-thirds of", "half the condos", "one out of three Germans":
    a share of something, with the unit "fraction"."""
    toks, lower, p = r.toks, r.lower, r.p
    n = len(toks)
    j = i
    if lower[i] == "half" and i > 0 and lower[i - 1] in _NOT_BEFORE_HALF:
        return None  # "the second half of the game" is a period, not a share
    if lower[i] == "half" and i + 1 < n and (
            lower[i + 1] == "of" or (lower[i + 1] in p.determiners and lower[i + 1] not in (
                "a", "an"))):
        value, j = 0.5, i + 1
    else:
        if lower[i] in p.articles:
            numerator = 1.0
        elif lower[i] in p.number_words:
            numerator = p.number_words[lower[i]]
        elif toks[i].kind == "num" and toks[i].text.isdecimal() and len(toks[i].text) < 4:
            numerator = float(toks[i].text)
        else:
            return None
        j = i + 1
        if j + 1 < n and toks[j].text == "-" and r.t.adjacent(j) and r.t.adjacent(j + 1):
            j += 1
        if j < n and lower[j] in p.fraction_words and (
                lower[j] != "half" or lower[i] in p.number_words):
            value = numerator * p.fraction_words[lower[j]]
            j += 1
            if j >= n or lower[j] != "of":
                return None
        elif (j + 1 < n and (lower[j] == "in" or (lower[j] == "out" and lower[j + 1] == "of"))
              and lower[i] not in p.articles):
            k = j + 2 if lower[j] == "out" else j + 1
            denominator = (p.number_words.get(lower[k]) if k < n else None) or (
                parse_numeral(toks[k].text) if k < n and toks[k].kind == "num" else None)
            if not denominator or numerator >= denominator:
                return None
            np = r.noun_phrase(k + 1, False)
            if np is None:
                return None  # "one in 10" alone is too often a score or a ratio of something
            value, j = numerator / denominator, k + 1
        else:
            return None
    of_unit = _unit_of_a(r, j)
    if of_unit is not None:  # "three quarters of a mile", "a third of a cup"
        return _draft(r, value, None, None, of_unit[0], None, "=", None, None, i, of_unit[1])
    of_np = r.of_phrase(j) if lower[j] == "of" else (
        r.noun_phrase(j + 1 if lower[j] in _DETERMINERS else j, False))
    concept = r.phrase_text(of_np) if of_np is not None else None
    bound_cue = r.bound_before(i)
    bound = bound_cue[0] if bound_cue is not None else "="
    return _draft(r, value, None, None, _FRACTION, None, bound, None, concept, i, j)


def _sign_before(r: _Reader, i: int) -> str | None:
    """"-1.3%", "+0.5": a sign written onto the figure, with a space (or nothing) before it."""
    k = i - 1
    if k < 0 or r.toks[k].text not in ("-", "−", "+") or not r.t.adjacent(i):
        return None
    if k > 0 and r.t.adjacent(k) and r.toks[k - 1].kind in ("word", "num"):
        return None  # TM-62, 5-6
    return "+" if r.toks[k].text == "+" else "-"


def _read_vague(r: _Reader, i: int) -> _Draft | None:
    """"thousands of job cuts", "tens of thousands of dollars": a range of magnitudes."""
    toks, lower, p = r.toks, r.lower, r.p
    low, high = p.vague[lower[i]]
    j = i + 1
    if j + 1 < len(toks) and lower[j] == "of" and lower[j + 1] in p.vague:
        scale = p.vague[lower[j + 1]][0]
        low, high = low * scale, high * scale
        j += 2
    if j + 1 >= len(toks) or lower[j] != "of":
        return None
    k = j + 2 if lower[j + 1] in _DETERMINERS else j + 1
    found = unit_at(r.t, k)
    if found is not None:
        return _draft(r, low, low, high, found[0], None, "=", None, None, i, found[1])
    np = r.noun_phrase(k, False)
    if np is None:
        return None
    concept = r.text[toks[np.first].start: toks[np.last].end]
    return _draft(r, low, low, high, _COUNT, lemma(r.p, toks[np.head].text), "=", None,
                  concept, i, np.last + 1, np)


def _word_number_is_name(r: _Reader, i: int) -> bool:
    """"Kick Six", "Big Ten", "production-four-door": number words that are part of a name
    or a compound, not figures."""
    toks = r.toks
    if r.t.adjacent(i) and toks[i - 1].text in _DASHES and i > 1 and r.t.adjacent(i - 1) and (
            toks[i - 2].kind == "word"):
        return True
    return toks[i].text[:1].isupper() and i > 0 and toks[i - 1].text not in _OPENERS


_OPENERS = frozenset(":;\"“'‘(-–—")


def _name_before(r: _Reader, i: int) -> bool:
    """A capitalized word (not the first of the segment) written just before token i."""
    k = i - 1
    if k < 1 or r.toks[k].kind != "word" or r.toks[i].start - r.toks[k].end > 1:
        return False
    word = r.toks[k].text
    return word[:1].isupper() and r.lower[k] not in r.p.stopwords and r.toks[k - 1].text not in (
        _OPENERS)


def _unit_of_a(r: _Reader, j: int) -> tuple[Unit, int] | None:
    """"of a pint", "of a US quart": the unit a fraction is taken of."""
    if not (j + 2 < len(r.toks) and r.lower[j] == "of" and r.lower[j + 1] in ("a", "an")):
        return None
    return unit_at(r.t, j + 2) or (
        unit_at(r.t, j + 3) if r.toks[j + 2].text[:1].isupper() else None)


def _is_age(r: _Reader, n: Number) -> bool:
    """"Maddon, 66, has", "Nick Hague 44 has spent": a person's age after their name."""
    toks, lower = r.toks, r.lower
    if n.scaled or n.value != int(n.value) or not 1 <= n.value <= 120 or "." in toks[
            n.start].text:
        return False
    if n.end >= len(toks) or lower[n.end] not in r.p.age_followers:
        return False
    k = n.start - 1
    if k >= 0 and toks[k].text == ",":
        k -= 1
    elif not (k >= 1 and toks[k].kind == "word" and toks[k - 1].text[:1].isupper()):
        return False  # without a comma, ask for a two-word name
    return k >= 0 and toks[k].kind == "word" and toks[k].text[:1].isupper() and (
        lower[k] not in r.p.months)


def _year_counts(r: _Reader, n: Number, np: _NounPhrase) -> bool:
    """A year-like number counts its noun in "about 2000 people" or "1500 hectares", not in
    "2018 sales" or "the 1988 horror film": years of this era need a bound cue to count."""
    first_word = r.toks[np.first].text
    before = r.lower[n.start - 1] if n.start > 0 else ""
    if n.value >= 1900 and r.bound_before(n.start) is None:
        return False
    return (first_word.islower() and is_plural(r.p, r.lower[np.head])
            and before not in r.p.year_before and before not in r.p.months and before != ",")


# (and the sides of a size: "a 10 x 12 foot room", "3 by 4 metres")
_ELISION_JOINERS = frozenset({"and", "or", ",", "to", "as", "well", "plus", "-", "–", "of",
                              "the", "x", "×", "by"})


def _share_elided_units(r: _Reader, drafts: list[_Draft]) -> None:
    """A figure whose unit or noun is left out borrows it from the next one:
    "972 anti-personnel and 1,020 anti-tank mines", "eight or nine euros"."""
    for a, b in reversed(list(itertools.pairwise(drafts))):
        qa, qb = a.quantity, b.quantity
        if qa is None or qb is None or qa.unit != "count" or (qb.unit == "count" and not qb.noun):
            continue
        between = [r.lower[k] for k in range(a.after, b.first)]
        if not between or any(w not in _ELISION_JOINERS for w in between):
            continue
        if qb.unit != "count":
            if qa.noun is None:
                a.quantity = Quantity(**{**qa.to_dict(), "unit": qb.unit})
                a.lone = False
            continue
        if a.counted is not None and a.counted.complete:
            continue
        head = r.toks[b.counted.head].text if b.counted else qb.noun
        concept = f"{qa.concept} {head}" if qa.concept else qb.concept
        a.quantity = Quantity(**{**qa.to_dict(), "noun": qb.noun, "concept": concept})
        a.lone = False


def _is_acronym(word: str) -> bool:
    return len(word) >= 2 and word.isupper() and word.isalpha()


def _has_modifier_prefix(r: _Reader, k: int) -> bool:
    """Word k ends a modifier such as anti-personnel, not a head noun of its own."""
    toks = r.toks
    return (k >= 2 and toks[k - 1].text in "-‑" and r.t.adjacent(k) and r.t.adjacent(k - 1)
            and r.lower[k - 2] in r.p.modifier_prefixes)
