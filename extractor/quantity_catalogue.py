"""The figure layer's pattern data: tokens, and the catalogue of units, numbers and cues.

The catalogue stage of the figure layer (`extractor.quantities`): the YAML in
`patterns/quantities/` (news-specific units and currencies, number words, cue words, the senses
of ambiguous units) and the unit registry generated from quantulum3 and CLDR
(`registry_units.json`, see `extractor.units`), loaded once per process into `Patterns`.
`pick_sense` decides which unit an ambiguous surface stands for from the words around it.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from .units import REGISTRY_FILE

# Digits with separators, words (letters only; hyphens and apostrophes are own tokens), or
# any other single non-space character.
_TOKEN_RE = re.compile(r"(?<![\w.,])\.\d+|\d+(?:[.,]\d+)*|[^\W\d_]+|\S")


class QuantityError(ValueError):
    """The pattern data cannot be loaded or is malformed."""


class Tok(NamedTuple):
    text: str
    start: int
    end: int
    kind: str  # "num", "word", "sym"


def tokenize(text: str, offset: int = 0) -> list[Tok]:
    toks = []
    for m in _TOKEN_RE.finditer(text):
        s = m.group()
        c = s[0]
        kind = "num" if c.isdecimal() or (c == "." and len(s) > 1) else (
            "word" if c.isalpha() else "sym")
        toks.append(Tok(s, m.start() + offset, m.end() + offset, kind))
    return toks


def join_tokens(toks: list[Tok], i: int, j: int) -> str:
    """Tokens i..j-1 as one string: written-together tokens joined directly, others by ' '."""
    parts = [toks[i].text]
    for t in range(i + 1, j):
        if toks[t].start > toks[t - 1].end:
            parts.append(" ")
        parts.append(toks[t].text)
    return "".join(parts)


def surface_key(surface: str) -> str:
    toks = tokenize(surface.strip())
    return join_tokens(toks, 0, len(toks)) if toks else ""


def phrase_table(phrases: dict[str, list[str]]) -> dict[str, str]:
    return {surface_key(p).lower(): label for label, ps in phrases.items() for p in ps}


def pluralize(word: str) -> str:
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def verb_forms(base: str) -> tuple[str, ...]:
    """base, -s, -ing and -ed forms of a regular verb (with a doubled last consonant too)."""
    stem = base[:-1] if base.endswith("e") and not base.endswith("ee") else base
    past = base + "d" if base.endswith("e") else base + "ed"
    forms = [base, pluralize(base), stem + "ing", past]
    if base.endswith("y") and len(base) > 2 and base[-2] not in "aeiou":
        forms.append(base[:-1] + "ied")
    if len(base) >= 3 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou" and (
            base[-3] not in "aeiou"):
        forms += [base + base[-1] + "ing", base + base[-1] + "ed"]
    return tuple(forms)


@dataclass(frozen=True)
class Unit:
    name: str
    kind: str
    scale: float = 1.0  # a scale letter written onto a currency code: "MUSD" is 1e6 dollars


@dataclass(frozen=True)
class Sense:
    """The readings of an ambiguous unit surface: the default unit (None: no unit unless a
    cue says), cue words naming another, and the words that must follow it to be a unit."""

    default: Unit | None
    cues: dict[str, Unit]  # cue word -> the unit it picks
    only_before: frozenset[str]  # empty: anything may follow; "<end>", "<punct>" are marks


@dataclass(frozen=True)
class Patterns:
    unit_words: dict[str, Unit]
    unit_symbols: dict[str, Unit]
    senses: dict[str, Sense]  # ambiguous surfaces (symbols as written, words lower-cased)
    sense_window: int
    currency_prefixes: dict[str, Unit]
    unit_starts: dict[str, int]  # lower-cased first token of a unit surface -> most tokens
    max_prefix_tokens: int
    prefix_starts: frozenset[str]  # first tokens of currency prefixes, to skip other tokens fast
    currency_words: frozenset[str]  # lower-case surfaces of currencies ("usd", "rmb", "euros")
    starts: frozenset[str]  # lower-cased words that can begin a figure
    number_words: dict[str, float]
    scales: dict[str, float]
    scale_suffixes: dict[str, float]
    ambiguous_suffixes: frozenset[str]
    articles: frozenset[str]
    fraction_words: dict[str, float]
    vague: dict[str, tuple[float, float]]
    fraction_chars: dict[str, float]
    sign_words: frozenset[str]
    hyphen_bounds: dict[str, str]
    np_openers: frozenset[str]
    bound_before: dict[str, str]
    bound_words: frozenset[str]  # the words of bound_before phrases
    bound_after: dict[str, str]
    change_before: dict[str, str]
    change_gap: frozenset[str]
    identifier_before: frozenset[str]
    time_after: frozenset[str]
    clock_after: frozenset[str]  # a time of day after a four-digit hhmm numeral only
    months: frozenset[str]
    months_also_words: frozenset[str]
    month_word_after: frozenset[str]  # "on march 3": a month name that is a word, after these
    weekdays: frozenset[str]
    ordinal_suffixes: frozenset[str]
    year_before: frozenset[str]
    age_followers: frozenset[str]
    age_before: frozenset[str]
    age_units: dict[str, Unit]  # time unit name -> its age unit ("month" -> "month of age")
    stopwords: frozenset[str]
    irregular_plurals: dict[str, str]
    not_plurals: frozenset[str]
    not_adverbs: frozenset[str]
    modifier_prefixes: frozenset[str]
    verb_forms: frozenset[str]
    object_control_verbs: frozenset[str]
    irregular_verbs: frozenset[str]
    determiners: frozenset[str]
    clause_openers: frozenset[str]
    per_words: frozenset[str]
    minor_units: frozenset[str]  # currency units worth a hundredth of the main one
    article_divisor_kinds: frozenset[str]
    hint_re: re.Pattern[str]


@dataclass(frozen=True, eq=False)
class Tokens:
    """One segment's tokens as the figure layer's stages read them (never change them): the
    tokens, their lower-cased texts and the pattern data."""

    toks: list[Tok]
    lower: list[str]
    p: Patterns

    @classmethod
    def of(cls, toks: list[Tok], p: Patterns) -> Tokens:
        return cls(toks, [t.text.lower() for t in toks], p)

    def adjacent(self, i: int) -> bool:
        """Token i is written right after token i-1."""
        return 0 < i < len(self.toks) and self.toks[i].start == self.toks[i - 1].end

    def is_word(self, i: int) -> bool:
        return 0 <= i < len(self.toks) and self.toks[i].kind == "word"


def _surface_starts(surfaces: list[str]) -> dict[str, int]:
    """The lower-cased first token of each surface, with the most tokens a surface starting
    with it has: a reader looks up only the lengths that can match."""
    starts: dict[str, int] = {}
    for surface in surfaces:
        toks = tokenize(surface)
        if toks:
            first = toks[0].text.lower()
            starts[first] = max(starts.get(first, 0), len(toks))
    return starts


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
def _load_patterns(patterns_dir: str | None) -> Patterns:
    folder: Any = (
        Path(patterns_dir) if patterns_dir else resources.files("newsfacts_patterns")
    )
    units_data = _read_yaml(folder, "units.yaml")
    numbers = _read_yaml(folder, "numbers.yaml")
    cues = _read_yaml(folder, "cues.yaml")
    lexicon = _read_yaml(folder, "lexicon.yaml")

    unit_words: dict[str, Unit] = {}
    unit_symbols: dict[str, Unit] = {}
    prefixes: dict[str, Unit] = {}
    for entry in units_data.get("units", []):
        unit = Unit(str(entry["name"]), str(entry.get("kind", "")))
        for word in entry.get("words", []) or []:
            key = surface_key(str(word)).lower()
            unit_words.setdefault(key, unit)
            last = key.rsplit(" ", 1)[-1]
            if last.isalpha() and len(last) >= 3:
                unit_words.setdefault(key[: len(key) - len(last)] + pluralize(last), unit)
        for symbol in entry.get("symbols", []) or []:
            unit_symbols.setdefault(surface_key(str(symbol)), unit)
        for prefix in entry.get("prefixes", []) or []:
            prefixes.setdefault(surface_key(str(prefix)), unit)
    senses_data = _read_yaml(folder, "senses.yaml")
    scale_letters = {str(k): float(v) for k, v in numbers.get("scale_suffixes", {}).items()
                     if len(str(k)) == 1}
    units_by_name = _add_registry_units(folder, senses_data, unit_words, unit_symbols, prefixes,
                                        scale_letters, units_data.get("per_words", []) or [])
    senses = _read_senses(senses_data, units_by_name)

    def ntoks(keys: Any) -> int:
        return max((len(tokenize(k)) for k in keys), default=1)

    def words(data: dict[str, Any], name: str) -> frozenset[str]:
        items = data.get(name, []) or []
        for w in items:
            if not isinstance(w, str):
                # YAML reads a bare on/off/yes/no as a boolean: the entry must be quoted
                raise QuantityError(f"quantity patterns: {name}: {w!r} is not a string; quote it")
        return frozenset(surface_key(w).lower() for w in items)

    number_words = {str(k).lower(): float(v) for k, v in numbers.get("units", {}).items()}
    scales = {str(k).lower(): float(v) for k, v in numbers.get("scales", {}).items()}
    vague = {str(k).lower(): (float(v[0]), float(v[1]))
             for k, v in numbers.get("vague_magnitudes", {}).items()}
    fraction_words = {str(k).lower(): float(v)
                      for k, v in numbers.get("fraction_words", {}).items()}
    hint_words = sorted({*number_words, *vague, *scales, *fraction_words}, key=len,
                        reverse=True)
    hint_re = re.compile(
        r"\d|[" + "".join(re.escape(c) for c in numbers.get("fraction_chars", {})) + r"]|\b(?:"
        + "|".join(re.escape(w) for w in hint_words) + r")\b",
        re.IGNORECASE,
    )
    change_before = {}
    for label, ws in cues.get("change_before", {}).items():
        for w in ws:
            change_before[str(w).lower()] = str(label)
    return Patterns(
        unit_words=unit_words,
        unit_symbols=unit_symbols,
        senses=senses,
        sense_window=int(senses_data.get("window", 12)),
        currency_prefixes=prefixes,
        unit_starts=_surface_starts([*unit_words, *unit_symbols, *senses]),
        max_prefix_tokens=ntoks(prefixes),
        currency_words=frozenset(k for k, u in unit_words.items() if u.kind == "currency"),
        prefix_starts=frozenset(t for k in prefixes for t in (
            tokenize(k)[0].text, tokenize(k)[0].text.lower())),
        starts=frozenset({*number_words, *vague, *fraction_words,
                          *words(numbers, "article_numbers")}),
        number_words=number_words,
        scales=scales,
        scale_suffixes={str(k): float(v) for k, v in numbers.get("scale_suffixes", {}).items()},
        ambiguous_suffixes=frozenset(numbers.get("ambiguous_scale_suffixes", []) or []),
        articles=words(numbers, "article_numbers"),
        fraction_words=fraction_words,
        vague=vague,
        fraction_chars={str(k): float(v) for k, v in numbers.get("fraction_chars", {}).items()},
        sign_words=words(numbers, "sign_words"),
        hyphen_bounds={str(k).lower(): str(v)
                       for k, v in (numbers.get("hyphen_bounds", {}) or {}).items()},
        np_openers=words(lexicon, "noun_phrase_openers"),
        bound_before=phrase_table(cues.get("bound_before", {})),
        bound_words=frozenset(w for phrase in phrase_table(cues.get("bound_before", {}))
                              for w in phrase.split()),
        bound_after=phrase_table(cues.get("bound_after", {})),
        change_before=change_before,
        change_gap=words(cues, "change_gap"),
        identifier_before=words(cues, "identifier_before"),
        time_after=words(cues, "time_after"),
        clock_after=words(cues, "clock_after"),
        months=words(cues, "months"),
        months_also_words=words(cues, "months_also_words"),
        month_word_after=words(cues, "month_word_after"),
        weekdays=words(cues, "weekdays"),
        ordinal_suffixes=words(cues, "ordinal_suffixes"),
        year_before=words(cues, "year_before"),
        age_followers=words(cues, "age_after_name_followers"),
        age_before=words(cues, "age_before"),
        age_units={u.name.removesuffix(" of age"): u for u in unit_words.values()
                   if u.kind == "age" and u.name.endswith(" of age")},
        stopwords=words(lexicon, "stopwords"),
        irregular_plurals={str(k).lower(): str(v)
                           for k, v in lexicon.get("irregular_plurals", {}).items()},
        not_plurals=words(lexicon, "not_plurals"),
        not_adverbs=words(lexicon, "not_adverbs"),
        modifier_prefixes=words(lexicon, "modifier_prefixes"),
        verb_forms=frozenset(f for v in words(lexicon, "verbs") for f in verb_forms(v)),
        irregular_verbs=words(lexicon, "irregular_verb_forms"),
        object_control_verbs=frozenset(
            f for v in words(lexicon, "object_control_verbs") for f in verb_forms(v)),
        determiners=words(lexicon, "determiners"),
        clause_openers=words(lexicon, "clause_openers"),
        per_words=words(units_data, "per_words"),
        minor_units=frozenset(str(u) for u in units_data.get("minor_units", []) or []),
        article_divisor_kinds=frozenset(units_data.get("article_divisor_kinds", []) or []),
        hint_re=hint_re,
    )


def _add_registry_units(folder: Any, senses_data: dict[str, Any], unit_words: dict[str, Unit],
                        unit_symbols: dict[str, Unit], prefixes: dict[str, Unit],
                        scale_letters: dict[str, float], units_per_words: list[str],
                        ) -> dict[str, Unit]:
    """Adds the registry's units (see `extractor.units`) where units.yaml names no unit for a
    surface; returns every unit by name. A currency symbol that is a sign or an ISO code also
    stands before the number ("₡500", "CRC 500")."""
    path = folder / "quantities" / REGISTRY_FILE
    try:
        registry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise QuantityError(f"cannot load the unit registry {path}: {exc}") from exc
    policy = senses_data.get("registry", {}) or {}
    skip_kinds = frozenset(policy.get("skip_kinds", []) or [])
    skip_symbols = frozenset(str(s) for s in policy.get("skip_symbols", []) or [])
    skip_words = frozenset(str(s).lower() for s in policy.get("skip_words", []) or [])
    by_name = {u.name: u for u in (*unit_words.values(), *unit_symbols.values(),
                                   *prefixes.values())}
    for name, entry in registry["units"].items():
        by_name.setdefault(name, Unit(name, str(entry["kind"])))

    def usable(names: list[str]) -> Unit | None:
        units = [by_name[n] for n in names if registry["units"][n]["kind"] not in skip_kinds]
        return units[0] if units else None

    per_words = frozenset(str(w) for w in units_per_words)
    for surface, names in registry["words"].items():
        key = surface_key(surface).lower()
        unit = usable(names)
        # a rate is read as its unit, "per" and the divisor ("per second" is no unit alone)
        if unit is not None and key and key not in unit_symbols and key not in skip_words and (
                key.split(" ", 1)[0] not in per_words):
            unit_words.setdefault(key, unit)
    for symbol, names in registry["symbols"].items():
        key = surface_key(symbol)
        unit = usable(names)
        if unit is None or not key or symbol in skip_symbols or key.lower() in unit_words:
            continue
        unit_symbols.setdefault(key, unit)
        if unit.kind == "currency" and (not key.isalpha() or (len(key) == 3 and key.isupper())):
            prefixes.setdefault(key, unit)
    # lower-cased text ("100 mbit", "5 kwh"): a technical symbol written in mixed case, of
    # three or more characters, that no other symbol folds to, is read in any case (not a
    # currency code: "5 bad loans" is no Bosnian dinar)
    folded: dict[str, set[str]] = {}
    for symbol in unit_symbols:
        folded.setdefault(symbol.lower(), set()).add(unit_symbols[symbol].name)
    for symbol, unit in list(unit_symbols.items()):
        lower = symbol.lower()
        if (len(lower) >= 3 and len(folded[lower]) == 1 and unit.kind != "currency"
                and symbol != lower and symbol != symbol.upper()):
            unit_words.setdefault(lower, unit)
    for code, unit in [(k, u) for k, u in prefixes.items() if len(k) == 3 and k.isupper()]:
        for letter, scale in scale_letters.items():  # "300 MUSD", "5 kEUR"
            unit_symbols.setdefault(letter + code, Unit(unit.name, unit.kind, scale))
    for table in (unit_words, unit_symbols):  # the micro sign and the Greek mu: "µg", "μg"
        for key, unit in [(k, u) for k, u in table.items() if "µ" in k]:
            table.setdefault(key.replace("µ", "μ"), unit)
    return by_name


def _read_senses(data: dict[str, Any], units: dict[str, Unit]) -> dict[str, Sense]:
    def unit(name: str) -> Unit | None:
        if name == "-":
            return None
        if name not in units:
            raise QuantityError(f"senses.yaml: unknown unit {name!r}")
        return units[name]

    senses = {}
    for surface, rule in (data.get("senses", {}) or {}).items():
        cues = {}
        for name, words in (rule.get("cues", {}) or {}).items():
            for w in words:
                cues.setdefault(str(w).lower(), unit(str(name)))
        key = surface_key(str(surface))
        senses[key if not key.isalpha() or len(key) <= 2 else key.lower()] = Sense(
            unit(str(rule["units"][0])), {w: u for w, u in cues.items() if u is not None},
            frozenset(str(w).lower() for w in rule.get("only_before", []) or []))
    return senses


def is_plural(p: Patterns, w: str) -> bool:
    """A lower-cased word is a plural noun form: "mines", "people" (the lexicon's irregular
    plurals), not "glass", "status", "analysis" or the lexicon's not_plurals."""
    if w in p.irregular_plurals:
        return True  # people, feet, and the same-in-both ordnance, personnel, aircraft
    return (len(w) > 2 and w.endswith("s") and not w.endswith(("ss", "us", "is"))
            and w not in p.not_plurals)


def lemma(p: Patterns, word: str) -> str:
    """The singular of a noun, lower-cased unless it has capitals after its first letter
    ("Mines" -> "mine", "UAVs" -> "UAV", "batteries" -> "battery")."""
    low = word.lower()
    keep_case = any(c.isupper() for c in word[1:])
    base = word if keep_case else low
    if low in p.irregular_plurals:
        return p.irregular_plurals[low]
    if not is_plural(p, low):
        return base
    if low.endswith("ies") and len(low) > 4:
        return base[:-3] + ("Y" if keep_case and base[-3:].isupper() else "y")
    if low.endswith(("ches", "shes", "xes", "sses", "zzes")):
        return base[:-2]
    return base[:-1]


def pick_sense(sense: Sense, toks: list[Tok], lower: list[str], first: int, after: int,
               window: int) -> Unit | None:
    """The unit an ambiguous surface at tokens [first, after) stands for: the one named by the
    cue word nearest to it within `window` tokens, else the default; none when the token after
    it is not one the surface needs ("5 in the morning")."""
    if sense.only_before:
        nxt = ("<end>" if after >= len(toks) else "<punct>" if toks[after].kind == "sym"
               else lower[after])
        if nxt not in sense.only_before:
            return None
    for distance in range(1, window + 1):
        for k in (after - 1 + distance, first - distance):
            if 0 <= k < len(toks) and lower[k] in sense.cues:
                return sense.cues[lower[k]]
    return sense.default


def load_patterns(patterns_dir: Path | None = None) -> Patterns:
    """The quantity pattern data, loaded once per process (per folder)."""
    return _load_patterns(str(patterns_dir) if patterns_dir else None)

