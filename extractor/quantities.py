"""The figure layer: every quantity in news text, with value, unit, bound, change, concept.

`find_quantities(text)` returns `Quantity` records with exact character offsets. The core is
a regex tokenizer plus a left-to-right reader over the tokens around each number, driven by
the YAML data in `patterns/quantities/` (units, number words, cue words, non-figure cues), so
it needs no NLP model and runs at thousands of sentences per second.

Reading one figure: [currency prefix] number [scale] [range] [unit | counted noun phrase],
then cue words before/after give the bound (more than, about, up to) and the change (rose,
fell), and the words around give the concept. Numbers that are dates, years, times of day,
ordinals, phone numbers or identifiers ("TM-62", "Section 427", "ID1107655017") are skipped.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import yaml

BOUNDS = ("=", "~", ">", "<")
CHANGES = ("up", "down")

# Digits with separators, words (letters only; hyphens and apostrophes are own tokens), or
# any other single non-space character.
_TOKEN_RE = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+|\S")
# Sentence-ish segments: lines, split after sentence punctuation. Long ones are cut further.
_LINE_RE = re.compile(r"[^\n]+")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?;])\s+(?=[\"“'‘(\[]?[A-Z0-9])")
_MAX_SEGMENT = 2000
# Longest run of digits accepted as a figure; longer runs are codes or garbage.
_MAX_DIGITS = 21
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
    re.compile(r"(?<![\d.,])\d{3,4}[\s-]\d{3}[\s-]\d{3,4}(?![\d,.])"),
)


class QuantityError(ValueError):
    """The pattern data cannot be loaded or is malformed."""


@dataclass(frozen=True)
class Quantity:
    """One figure in the text. `text == input[start:end]`."""

    value: float  # the stated value; for a range, its low end (the first number)
    low: float | None  # range bounds, else None
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


# ---------------------------------------------------------------- pattern data


class _Tok(NamedTuple):
    text: str
    start: int
    end: int
    kind: str  # "num", "word", "sym"


def _tokenize(text: str, offset: int = 0) -> list[_Tok]:
    toks = []
    for m in _TOKEN_RE.finditer(text):
        s = m.group()
        c = s[0]
        kind = "num" if c.isdigit() else "word" if c.isalpha() else "sym"
        toks.append(_Tok(s, m.start() + offset, m.end() + offset, kind))
    return toks


def _key(toks: list[_Tok], i: int, j: int) -> str:
    """Tokens i..j-1 as one string: written-together tokens joined directly, others by ' '."""
    parts = [toks[i].text]
    for t in range(i + 1, j):
        if toks[t].start > toks[t - 1].end:
            parts.append(" ")
        parts.append(toks[t].text)
    return "".join(parts)


def _surface_key(surface: str) -> str:
    toks = _tokenize(surface.strip())
    return _key(toks, 0, len(toks)) if toks else ""


def _phrase_table(phrases: dict[str, list[str]]) -> dict[str, str]:
    return {_surface_key(p).lower(): label for label, ps in phrases.items() for p in ps}


def _pluralize(word: str) -> str:
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


@dataclass(frozen=True)
class _Unit:
    name: str
    kind: str


@dataclass(frozen=True)
class _Patterns:
    unit_words: dict[str, _Unit]
    unit_symbols: dict[str, _Unit]
    currency_prefixes: dict[str, _Unit]
    max_unit_tokens: int
    max_prefix_tokens: int
    number_words: dict[str, float]
    scales: dict[str, float]
    scale_suffixes: dict[str, float]
    ambiguous_suffixes: frozenset[str]
    articles: frozenset[str]
    fraction_words: dict[str, float]
    vague: dict[str, tuple[float, float]]
    fraction_chars: dict[str, float]
    bound_before: dict[str, str]
    bound_after: dict[str, str]
    change_before: dict[str, str]
    change_gap: frozenset[str]
    identifier_before: frozenset[str]
    time_after: frozenset[str]
    months: frozenset[str]
    weekdays: frozenset[str]
    ordinal_suffixes: frozenset[str]
    year_before: frozenset[str]
    stopwords: frozenset[str]
    irregular_plurals: dict[str, str]
    not_plurals: frozenset[str]
    modifier_prefixes: frozenset[str]
    per_words: frozenset[str]
    article_divisor_kinds: frozenset[str]
    hint_re: re.Pattern[str]


def _read_yaml(folder: Any, name: str) -> dict[str, Any]:
    path = folder / "quantities" / name
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise QuantityError(f"cannot load quantity patterns {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise QuantityError(f"quantity patterns {path}: expected a mapping at the top")
    return data


@functools.lru_cache(maxsize=8)
def _load_patterns(patterns_dir: str | None) -> _Patterns:
    folder: Any = (
        Path(patterns_dir) if patterns_dir else resources.files("newsfacts_patterns")
    )
    units_data = _read_yaml(folder, "units.yaml")
    numbers = _read_yaml(folder, "numbers.yaml")
    cues = _read_yaml(folder, "cues.yaml")
    lexicon = _read_yaml(folder, "lexicon.yaml")

    unit_words: dict[str, _Unit] = {}
    unit_symbols: dict[str, _Unit] = {}
    prefixes: dict[str, _Unit] = {}
    for entry in units_data.get("units", []):
        unit = _Unit(str(entry["name"]), str(entry.get("kind", "")))
        for word in entry.get("words", []) or []:
            key = _surface_key(str(word)).lower()
            unit_words.setdefault(key, unit)
            last = key.rsplit(" ", 1)[-1]
            if last.isalpha() and len(last) >= 3:
                unit_words.setdefault(key[: len(key) - len(last)] + _pluralize(last), unit)
        for symbol in entry.get("symbols", []) or []:
            unit_symbols.setdefault(_surface_key(str(symbol)), unit)
        for prefix in entry.get("prefixes", []) or []:
            prefixes.setdefault(_surface_key(str(prefix)), unit)

    def ntoks(keys: Any) -> int:
        return max((len(_tokenize(k)) for k in keys), default=1)

    def words(data: dict[str, Any], name: str) -> frozenset[str]:
        return frozenset(_surface_key(str(w)).lower() for w in data.get(name, []) or [])

    number_words = {str(k).lower(): float(v) for k, v in numbers.get("units", {}).items()}
    scales = {str(k).lower(): float(v) for k, v in numbers.get("scales", {}).items()}
    vague = {str(k).lower(): (float(v[0]), float(v[1]))
             for k, v in numbers.get("vague_magnitudes", {}).items()}
    fraction_words = {str(k).lower(): float(v)
                      for k, v in numbers.get("fraction_words", {}).items()}
    hint_words = sorted({*number_words, *vague}, key=len, reverse=True)
    hint_re = re.compile(
        r"\d|[" + "".join(re.escape(c) for c in numbers.get("fraction_chars", {})) + r"]|\b(?:"
        + "|".join(re.escape(w) for w in hint_words) + r")\b",
        re.IGNORECASE,
    )
    change_before = {}
    for label, ws in cues.get("change_before", {}).items():
        for w in ws:
            change_before[str(w).lower()] = str(label)
    return _Patterns(
        unit_words=unit_words,
        unit_symbols=unit_symbols,
        currency_prefixes=prefixes,
        max_unit_tokens=ntoks([*unit_words, *unit_symbols]),
        max_prefix_tokens=ntoks(prefixes),
        number_words=number_words,
        scales=scales,
        scale_suffixes={str(k): float(v) for k, v in numbers.get("scale_suffixes", {}).items()},
        ambiguous_suffixes=frozenset(numbers.get("ambiguous_scale_suffixes", []) or []),
        articles=words(numbers, "article_numbers"),
        fraction_words=fraction_words,
        vague=vague,
        fraction_chars={str(k): float(v) for k, v in numbers.get("fraction_chars", {}).items()},
        bound_before=_phrase_table(cues.get("bound_before", {})),
        bound_after=_phrase_table(cues.get("bound_after", {})),
        change_before=change_before,
        change_gap=words(cues, "change_gap"),
        identifier_before=words(cues, "identifier_before"),
        time_after=words(cues, "time_after"),
        months=words(cues, "months"),
        weekdays=words(cues, "weekdays"),
        ordinal_suffixes=words(cues, "ordinal_suffixes"),
        year_before=words(cues, "year_before"),
        stopwords=words(lexicon, "stopwords"),
        irregular_plurals={str(k).lower(): str(v)
                           for k, v in lexicon.get("irregular_plurals", {}).items()},
        not_plurals=words(lexicon, "not_plurals"),
        modifier_prefixes=words(lexicon, "modifier_prefixes"),
        per_words=words(units_data, "per_words"),
        article_divisor_kinds=frozenset(units_data.get("article_divisor_kinds", []) or []),
        hint_re=hint_re,
    )


def load_patterns(patterns_dir: Path | None = None) -> _Patterns:
    """The quantity pattern data, loaded once per process (per folder)."""
    return _load_patterns(str(patterns_dir) if patterns_dir else None)


# ---------------------------------------------------------------- numbers

_NUMERAL_RE = re.compile(r"\d+(?:[.,]\d+)*")


def _parse_numeral(s: str) -> float | None:
    """Digits with thousands separators and/or a decimal mark, English or European style.

    "1,198.7" 1198.7; "53081,8" 53081.8; "1.435.427" 1435427; "1.234,5" 1234.5;
    "5,264,14" 5264.14 (a slip: comma groups whose last group is not three digits).
    """
    if not _NUMERAL_RE.fullmatch(s) or sum(c.isdigit() for c in s) > _MAX_DIGITS:
        return None
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


def _words_value(words: list[str], p: _Patterns) -> float | None:
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

    "1,198.7", "53081,8", "1.435.427", "5,264,14" (5264.14), "six thousand", "1.5 million",
    "two dozen", "a hundred", "Thirty-six", "one", "1.2bn", "½".
    """
    p = load_patterns(patterns_dir)
    toks = _tokenize(text.strip())
    if not toks:
        return None
    value: float | None
    rest: list[_Tok]
    if toks[0].kind == "num":
        value = _parse_numeral(toks[0].text)
        rest = toks[1:]
        if value is None:
            return None
        if rest and rest[0].start == toks[0].end and rest[0].text in p.scale_suffixes:
            value *= p.scale_suffixes[rest[0].text]
            rest = rest[1:]
        words = [t.text.lower() for t in rest]
        if words:
            scale = _words_value(words, p)
            if scale is None or any(w in p.number_words for w in words):
                return None
            value *= scale
    elif len(toks) == 1 and toks[0].text in p.fraction_chars:
        value = p.fraction_chars[toks[0].text]
    else:
        words = [t.text.lower() for t in toks]
        if len(words) == 1 and words[0] in p.articles:
            return None  # "a" alone is not a number
        value = _words_value(words, p)
    if value is None or not math.isfinite(value):
        return None
    return value


# ---------------------------------------------------------------- reading figures


@dataclass
class _Number:
    value: float
    start: int  # token index of its first token
    end: int  # token index after its last token
    scaled: bool
    is_words: bool
    is_year_like: bool


class _Reader:
    """Reads the figures of one segment (a sentence or line) of text."""

    def __init__(self, text: str, toks: list[_Tok], p: _Patterns) -> None:
        self.text = text
        self.toks = toks
        self.p = p
        self.lower = [t.text.lower() for t in toks]
        self.blocked = [False] * len(toks)

    # -- small token helpers
    def adjacent(self, i: int) -> bool:
        """Token i is written right after token i-1."""
        return 0 < i < len(self.toks) and self.toks[i].start == self.toks[i - 1].end

    def is_word(self, i: int) -> bool:
        return 0 <= i < len(self.toks) and self.toks[i].kind == "word"

    def block(self, start_char: int, end_char: int) -> None:
        for i, t in enumerate(self.toks):
            if t.start < end_char and t.end > start_char:
                self.blocked[i] = True

    # -- numbers
    def numeral(self, i: int, currency: bool) -> _Number | None:
        toks, p = self.toks, self.p
        tok = toks[i]
        value = _parse_numeral(tok.text)
        if value is None:
            return None
        j = i + 1
        scaled = False
        # fraction written with a slash: 1/2, 3/4 (but 24/7 and 9/11 are not figures)
        if (j + 1 < len(toks) and toks[j].text == "/" and self.adjacent(j)
                and toks[j + 1].kind == "num" and self.adjacent(j + 1)):
            denominator = _parse_numeral(toks[j + 1].text)
            if not denominator or value >= denominator or "," in tok.text:
                return None
            value /= denominator
            j += 2
        # abbreviated scale written on the number: 35m, $1.762bn, 2.8 bn
        near = j < len(toks) and toks[j].start - toks[j - 1].end <= 1
        if near and toks[j].text in p.scale_suffixes:
            suffix = toks[j].text
            if suffix not in p.ambiguous_suffixes or currency or self._counts_follow(j + 1):
                value *= p.scale_suffixes[suffix]
                scaled = True
                j += 1
        j, value, scaled = self.scale_words(j, value, scaled)
        year_like = (not scaled and "," not in tok.text and "." not in tok.text
                     and len(tok.text) == 4 and 1000 <= value <= 2100)
        return _Number(value, i, j, scaled, False, year_like)

    def _counts_follow(self, j: int) -> bool:
        """After "35m": "of" or a plural noun makes the m a million, not metres."""
        if j >= len(self.toks):
            return False
        if self.lower[j] == "of":
            return True
        return self.is_word(j) and self.is_plural(self.lower[j]) and self.lower[j] not in (
            self.p.unit_words)

    def scale_words(self, j: int, value: float, scaled: bool) -> tuple[int, float, bool]:
        toks, p = self.toks, self.p
        while j < len(toks) and self.lower[j] in p.scales and toks[j].start - toks[j - 1].end <= 1:
            value *= p.scales[self.lower[j]]
            scaled = True
            j += 1
            if j + 1 < len(toks) and toks[j].text == "-" and self.adjacent(j) and (
                    self.lower[j + 1] in p.scales):
                j += 1
        return j, value, scaled

    def word_number(self, i: int) -> _Number | None:
        """Number words from token i: "Thirty-six", "six thousand", "a hundred", "two dozen"."""
        toks, p, lower = self.toks, self.p, self.lower
        j = i
        words: list[str] = []
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
            elif words and j + 1 < len(toks) and lower[j + 1] in p.number_words and (
                    (w == "-" and self.adjacent(j) and self.adjacent(j + 1)
                     and lower[j - 1] in p.number_words)
                    or (w == "and" and lower[j - 1] in p.scales)):
                j += 1  # thirty-six, one hundred and twenty
            else:
                break
        if not words or all(w in p.articles for w in words) or words[0] in p.scales:
            return None
        value = _words_value(words, p)
        if value is None:
            return None
        return _Number(value, i, j, any(w in p.scales for w in words), True, False)

    def number_at(self, i: int, currency: bool) -> _Number | None:
        tok = self.toks[i]
        if tok.kind == "num":
            return self.numeral(i, currency)
        if tok.text in self.p.fraction_chars:
            return _Number(self.p.fraction_chars[tok.text], i, i + 1, False, False, False)
        if tok.kind == "word":
            return self.word_number(i)
        return None

    # -- non-figures
    def is_non_figure(self, n: _Number, currency: bool) -> bool:
        toks, lower, p = self.toks, self.lower, self.p
        i, j = n.start, n.end
        if n.is_words:
            return False
        prev = i - 1
        if self.adjacent(i) and not currency:
            # letters or a code hyphen written onto the number: ID1107655017, TM-62, XC40
            if toks[prev].kind == "word":
                return True
            if toks[prev].text in "-/#№" and prev > 0 and self.adjacent(prev) and (
                    toks[prev - 1].kind in ("word", "num")):
                return True
        if j < len(toks) and self.adjacent(j) and toks[j].kind in ("word", "num"):
            nxt = toks[j].text
            if toks[j].kind == "num" or lower[j] in p.ordinal_suffixes or nxt == "s":
                return True  # 22nd, 1990s, 25122023000187011040ID...
            if (nxt not in p.unit_symbols and lower[j] not in p.unit_words
                    and not self._unit_at(j)):
                return True  # 3D, 5am, A320neo
        if j + 1 < len(toks) and toks[j].text == ":" and toks[j + 1].kind == "num":
            return True  # 18:00, 3:1
        if j < len(toks) and lower[j] in p.time_after:
            return True
        if prev >= 0 and not currency:
            before = lower[prev]
            if before in p.identifier_before and not (toks[prev].text.islower() and before in (
                    p.stopwords)):
                return True
            if before == "." and prev > 0 and lower[prev - 1] + "." in p.identifier_before:
                return True
            # dates: December 18, Dec. 2, 4 July, 4th of July
            k = prev - 1 if before in (".", ",") else prev
            if k >= 0 and lower[k] in p.months and toks[k].text[:1].isupper():
                return True
            # plate or code: 99 DH 343
            if (toks[prev].kind == "word" and toks[prev].text.isupper() and len(
                    toks[prev].text) <= 3 and prev > 0 and toks[prev - 1].kind == "num"
                    and toks[prev].text not in p.unit_symbols
                    and lower[prev] not in p.unit_words):
                return True
        if j < len(toks):
            k = j + 1 if lower[j] == "of" else j
            if k < len(toks) and lower[k] in p.months and toks[k].text[:1].isupper():
                return True
        # plate or code: 99 DH 343
        return (j + 1 < len(toks) and toks[j].kind == "word" and toks[j].text.isupper()
                and len(toks[j].text) <= 3 and toks[j + 1].kind == "num"
                and toks[j].text not in p.unit_symbols and lower[j] not in p.unit_words)

    # -- units and nouns
    def _unit_at(self, j: int) -> tuple[_Unit, int] | None:
        """Longest unit surface starting at token j: (unit, index after it)."""
        toks, p = self.toks, self.p
        if j >= len(toks):
            return None
        for n in range(min(p.max_unit_tokens, len(toks) - j), 0, -1):
            key = _key(toks, j, j + n)
            unit = p.unit_symbols.get(key) or p.unit_words.get(key.lower())
            if unit is not None:
                # a word unit must end at a word boundary: "m" of "mines" is not metres
                return unit, j + n
        return None

    def unit_after(self, j: int) -> tuple[_Unit, int] | None:
        toks = self.toks
        if j >= len(toks) or toks[j].start - toks[j - 1].end > 2:
            return None
        if toks[j].text in "-–" and self.adjacent(j) and j + 1 < len(toks) and self.adjacent(j + 1):
            j += 1  # five-year, 40-yard
        return self._unit_at(j)

    def per_unit(self, unit: _Unit, j: int) -> tuple[_Unit, int]:
        """"$52 a barrel", "barrels per day", "20 points per game": a divided unit."""
        toks, lower, p = self.toks, self.lower, self.p
        if j >= len(toks) or lower[j] not in p.per_words:
            return unit, j
        divisor = self._unit_at(j + 1)
        if divisor is not None:
            if lower[j] in ("a", "an", "each", "every") and (
                    divisor[0].kind not in p.article_divisor_kinds):
                return unit, j
            return _Unit(f"{unit.name} per {divisor[0].name}", unit.kind), divisor[1]
        if lower[j] in ("per", "/") and self.is_word(j + 1) and lower[j + 1] not in p.stopwords:
            return _Unit(f"{unit.name} per {self.lemma(toks[j + 1].text)}", unit.kind), j + 2
        return unit, j

    def is_plural(self, w: str) -> bool:
        p = self.p
        if w in p.irregular_plurals:
            return w not in p.irregular_plurals.values() or w in ("people", "police", "staff",
                                                                   "personnel")
        return (len(w) > 2 and w.endswith("s") and not w.endswith(("ss", "us", "is"))
                and w not in p.not_plurals)

    def lemma(self, word: str) -> str:
        p = self.p
        low = word.lower()
        keep_case = any(c.isupper() for c in word[1:])
        base = word if keep_case else low
        if low in p.irregular_plurals:
            return p.irregular_plurals[low]
        if not self.is_plural(low):
            return base
        if low.endswith("ies") and len(low) > 4:
            return base[:-3] + ("Y" if keep_case and base[-3:].isupper() else "y")
        if low.endswith(("ches", "shes", "xes", "sses", "zzes")):
            return base[:-2]
        return base[:-1]

    def noun_phrase(self, j: int) -> tuple[list[int], int] | None:
        """Words of the counted noun phrase from token j: word token indices and the end."""
        toks, lower, p = self.toks, self.lower, self.p
        if j >= len(toks) or toks[j].start - toks[j - 1].end > 2:
            return None
        words: list[int] = []
        k = j
        while k < len(toks) and len(words) < 6:
            if toks[k].kind != "word":
                # hyphenated compounds: anti-tank, 1.5-tonne is handled as a unit
                if (toks[k].text in "-‑" and words and self.adjacent(k) and k + 1 < len(toks)
                        and self.adjacent(k + 1) and self.is_word(k + 1)):
                    k += 1
                    continue
                if (toks[k].text in "'’" and words and self.adjacent(k) and k + 1 < len(toks)
                        and lower[k + 1] == "s" and self.adjacent(k + 1)):
                    k += 2  # Johnson's
                    continue
                break
            w = lower[k]
            if (w in p.stopwords or w in p.months or w in p.weekdays or w in p.number_words
                    or w in p.scales) and not (words and self.adjacent(k)):
                break
            words.append(k)
            k += 1
        if not words:
            return None
        # drop trailing verb-like words: "people killed", "mines found"
        while len(words) > 1 and lower[words[-1]].endswith(("ed", "ing", "ly")) and not (
                self.is_plural(lower[words[-1]])):
            words.pop()
        end = words[-1] + 1
        return words, end

    # -- cues
    def bound_before(self, i: int) -> tuple[str, int] | None:
        for n in range(min(4, i), 0, -1):
            key = _key(self.toks, i - n, i).lower()
            if key in self.p.bound_before:
                return self.p.bound_before[key], i - n
        return None

    def bound_after(self, j: int) -> tuple[str, int] | None:
        for n in range(min(3, len(self.toks) - j), 0, -1):
            key = _key(self.toks, j, j + n).lower()
            if key in self.p.bound_after:
                if n == 1 and self.toks[j].text == "+" and not self.adjacent(j):
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
    for start, end in _segments(text):
        segment = text[start:end]
        if not p.hint_re.search(segment):
            continue
        yield from _read_segment(text, start, end, p)


def find_quantities(text: str, patterns_dir: Path | None = None) -> list[Quantity]:
    """All figures in text: value, unit, bound, change, concept and character offsets."""
    return list(iter_quantities(text, patterns_dir))


def _read_segment(text: str, seg_start: int, seg_end: int, p: _Patterns) -> list[Quantity]:
    segment = text[seg_start:seg_end]
    toks = _tokenize(segment, seg_start)
    r = _Reader(text, toks, p)
    for pattern in _NON_FIGURE_RES:
        for m in pattern.finditer(segment):
            r.block(seg_start + m.start(), seg_start + m.end())
    out: list[_Draft] = []
    i = 0
    n = len(toks)
    while i < n:
        draft = _read_at(r, i) if not r.blocked[i] else None
        if draft is None:
            i += 1
            continue
        if draft.quantity is not None:
            out.append(draft)
        i = max(draft.next, i + 1)
    _share_elided_nouns(r, out)
    return [d.quantity for d in out if d.quantity is not None]


@dataclass
class _Draft:
    quantity: Quantity | None
    next: int
    first: int = 0  # token index where the figure's surface starts
    after: int = 0  # token index after the figure's surface
    noun_words: tuple[int, ...] = ()


def _currency_prefix(r: _Reader, i: int) -> tuple[_Unit, int] | None:
    p, toks = r.p, r.toks
    for n in range(min(p.max_prefix_tokens, len(toks) - i), 0, -1):
        key = _key(toks, i, i + n)
        unit = p.currency_prefixes.get(key)
        if unit is None:
            continue
        j = i + n
        if j < len(toks) and toks[j].start - toks[j - 1].end <= 1 and (
                toks[j].kind == "num" or r.lower[j] in p.number_words):
            # letters run into the number on the left: "XUS$5" is not a price
            if r.adjacent(i) and toks[i - 1].kind == "word":
                return None
            return unit, j
    return None


def _read_number_with_range(
    r: _Reader, i: int, currency: bool
) -> tuple[_Number, _Number | None] | None:
    number = r.number_at(i, currency)
    if number is None:
        return None
    toks, lower, p = r.toks, r.lower, r.p
    j = number.end
    if j + 1 < len(toks) and (lower[j] in ("-", "–", "—", "to") or (
            lower[j] == "and" and number.start > 0 and lower[number.start - 1] == "between")):
        k = j + 1
        second_currency = _currency_prefix(r, k)
        if second_currency is not None:
            k = second_currency[1]
        if toks[k].kind == "num" or lower[k] in p.number_words:
            second = r.number_at(k, currency)
            if second is not None and not r.blocked[k]:
                spaced = not (r.adjacent(j) and r.adjacent(k))
                if lower[j] in ("-", "–", "—") and not number.is_words and spaced and (
                        not second_currency):
                    return number, None
                if not number.scaled and second.scaled and number.value < second.value:
                    # "four to five thousand": the scale applies to both ends
                    first_raw = number.value
                    ratio = _scale_of(r, second)
                    if first_raw * ratio <= second.value:
                        number = _Number(first_raw * ratio, number.start, number.end, True,
                                         number.is_words, False)
                return number, second
    return number, None


def _scale_of(r: _Reader, n: _Number) -> float:
    """The multiplier a scaled number carries (1.5 million -> 1e6)."""
    scale = 1.0
    for t in range(n.start + 1, n.end):
        w = r.toks[t].text
        if w in r.p.scale_suffixes:
            scale *= r.p.scale_suffixes[w]
        elif w.lower() in r.p.scales:
            scale *= r.p.scales[w.lower()]
    return scale


def _read_at(r: _Reader, i: int) -> _Draft | None:
    toks, lower, p = r.toks, r.lower, r.p
    currency: _Unit | None = None
    first = i
    prefix = _currency_prefix(r, i)
    if prefix is not None:
        currency, i = prefix
    elif toks[i].kind == "sym" and toks[i].text not in p.fraction_chars:
        return None
    if toks[i].kind == "word" and lower[i] not in p.number_words and lower[i] not in p.articles:
        return None
    ranged = _read_number_with_range(r, i, currency is not None)
    if ranged is None:
        return None
    number, second = ranged
    if r.is_non_figure(number, currency is not None):
        return _Draft(None, number.end if second is None else second.end)
    last = second if second is not None else number
    j = last.end
    # a score or date-like pair "2-2", "3-1" is not a range of figures
    if (second is not None and toks[number.end].text in "-–—" and currency is None
            and number.value >= second.value and not number.is_words):
        return _Draft(None, j)
    unit: _Unit | None = None
    noun: str | None = None
    concept: str | None = None
    noun_words: tuple[int, ...] = ()
    found = r.unit_after(j)
    if found is not None:
        unit, j = found
        if unit.kind == "currency" and currency is not None:
            unit = currency if unit.name == "dollar" else unit
    elif currency is not None:
        unit = currency
    if unit is None and j < len(toks) and r.adjacent(j) and toks[j].kind == "word" and (
            number.scaled is False and lower[j] in p.scale_suffixes):
        return None
    if unit is not None:
        unit, j = r.per_unit(unit, j)
        # "hectares of land": the noun after "of" is what is measured
        if j + 1 < len(toks) and lower[j] == "of":
            np = r.noun_phrase(j + 1 if lower[j + 1] not in ("the", "its", "their") else j + 2)
            if np is not None:
                concept = r.text[toks[np[0][0]].start: toks[np[0][-1]].end]
    else:
        k = j
        if k + 1 < len(toks) and lower[k] == "of" and number.is_words:
            k += 1  # "one of the people", "two of Johnson's deputies"
            if lower[k] in ("the", "his", "her", "their", "its", "our", "these", "those"):
                k += 1
        np = r.noun_phrase(k) if k < len(toks) else None
        if np is not None and (not number.is_year_like or r.is_plural(lower[np[0][-1]])):
            words, end = np
            head = toks[words[-1]].text
            if head[:1].isupper() and not r.is_plural(head.lower()) and not head.isupper():
                np = None  # a name after a number: "Galaxy Note 20 Ultra"
            else:
                noun = r.lemma(head)
                concept = r.text[toks[words[0]].start: toks[words[-1]].end]
                noun_words = tuple(words)
                j = end
        if noun is None:
            if number.is_words and number.value == 1 and not number.scaled:
                return None  # "one" without a noun is a pronoun
            if number.is_year_like and currency is None:
                return None
    # bound and change
    bound = "="
    start_tok = first
    if number.start > 0 and lower[number.start - 1] == "between" and second is not None:
        start_tok = number.start - 1
    found_bound = r.bound_before(start_tok)
    cue_start = start_tok
    if found_bound is not None:
        bound, cue_start = found_bound
    after = r.bound_after(j)
    if after is not None:
        bound = after[0]
        if toks[j].text in "+" or lower[j] == "plus":
            j = after[1]
    change = r.change_before(cue_start) if unit is not None else None
    if number.is_year_like and unit is None and noun is None:
        return None
    value = number.value
    low = high = None
    if second is not None:
        low, high = number.value, second.value
    if unit is None:
        unit = _Unit("count", "count")
    start_char = toks[start_tok].start
    end_char = toks[j - 1].end
    q = Quantity(
        value=value, low=low, high=high, unit=unit.name, noun=noun, bound=bound,
        change=change, concept=concept, start=start_char, end=end_char,
        text=r.text[start_char:end_char],
    )
    return _Draft(q, j, start_tok, j, noun_words)


def _share_elided_nouns(r: _Reader, drafts: list[_Draft]) -> None:
    """"972 anti-personnel and 1,020 anti-tank mines": the first figure counts mines too."""
    for a, b in itertools.pairwise(drafts):
        qa, qb = a.quantity, b.quantity
        if qa is None or qb is None or qa.unit != "count" or qb.unit != "count" or not qb.noun:
            continue
        between = [r.lower[k] for k in range(a.after, b.first)]
        if not between or any(w not in ("and", "or", ",", "as", "well", "plus") for w in between):
            continue
        if qa.noun and not _is_modifier(r, a.noun_words[-1]):
            continue
        head = r.toks[b.noun_words[-1]].text
        new_concept = f"{qa.concept} {head}" if qa.concept else head
        a.quantity = Quantity(**{**qa.to_dict(), "noun": qb.noun, "concept": new_concept})


def _is_modifier(r: _Reader, k: int) -> bool:
    """Word k is the end of a modifier like anti-personnel, not a head noun of its own."""
    toks = r.toks
    if k >= 2 and toks[k - 1].text in "-‑" and r.adjacent(k) and r.adjacent(k - 1):
        return r.lower[k - 2] in r.p.modifier_prefixes
    return not r.is_plural(r.lower[k])
