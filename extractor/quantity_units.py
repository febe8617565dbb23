"""The units stage of the figure layer: the unit written at a token, pure functions over a
segment's `Tokens` (the catalogue's surfaces and the senses of ambiguous ones, see
`quantity_catalogue`)."""

from __future__ import annotations

from .quantity_catalogue import Tokens, Unit, join_tokens, pick_sense


def unit_at(t: Tokens, j: int) -> tuple[Unit, int] | None:
    """Longest unit surface starting at token j: (unit, index after it)."""
    toks, p = t.toks, t.p
    if j >= len(toks):
        return None
    longest = p.unit_starts.get(t.lower[j], 0)
    for n in range(min(longest, len(toks) - j), 0, -1):
        key = join_tokens(toks, j, j + n)
        if " - " in key:
            key = key.replace(" - ", "-")  # tokenized text: "10 - year - old"
        unit = p.unit_symbols.get(key) or p.unit_words.get(key.lower())
        sense = p.senses.get(key) or p.senses.get(key.lower())
        if sense is not None:
            unit = pick_sense(sense, toks, t.lower, j, j + n, p.sense_window)
        if unit is not None:
            after = j + n
            if (after + 1 < len(toks) and toks[after].text == "-" and t.adjacent(after)
                    and t.adjacent(after + 1) and toks[after + 1].kind == "num"):
                return None  # a model code, not a unit: "3 F-1 grenades"
            return unit, after
    return None


def unit_after(t: Tokens, j: int) -> tuple[Unit, int] | None:
    """The unit written after a number that ends before token j: "5 km", "a 40-yard run",
    "a 5 - mile run" (tokenized), "20 (kg)"; (unit, index after it)."""
    toks = t.toks
    if j >= len(toks) or toks[j].start - toks[j - 1].end > 2:
        return None
    if toks[j].text in "-–" and j + 1 < len(toks) and (
            t.adjacent(j) == t.adjacent(j + 1)):
        j += 1  # five-year, 40-yard; spaced in tokenized text: "a 5 - mile run"
    if toks[j].text == "(" and toks[j].kind == "sym":
        inside = unit_at(t, j + 1)  # "The weight is 20 (kg)": the unit in brackets
        if inside is not None and inside[1] < len(toks) and toks[inside[1]].text == ")":
            return inside[0], inside[1] + 1
        return None
    return unit_at(t, j)


def money_at(t: Tokens, j: int) -> bool:
    """A currency is named at token j: "300 m usd", "5 k euros"."""
    found = unit_at(t, j)
    return found is not None and found[0].kind == "currency"


def currency_prefix(t: Tokens, i: int) -> tuple[Unit, int] | None:
    """A currency written before the number at token i ("$5", "US$ 5", "usd 500"): (its
    unit, the token where the number starts)."""
    p, toks = t.p, t.toks
    if toks[i].text not in p.prefix_starts:
        return None
    for n in range(min(p.max_prefix_tokens, len(toks) - i), 0, -1):
        key = join_tokens(toks, i, i + n)
        unit = p.currency_prefixes.get(key)
        if unit is None and key.islower() and " " not in key and (
                not key.isalpha() or key in p.currency_words):
            # lower-cased text: "hk$ 1 million", "us$ 5", "rs. 500", and a code that is a
            # currency after a number too: "usd 500" (but not the word "try")
            unit = p.currency_prefixes.get(key.upper()) or p.currency_prefixes.get(
                key.capitalize())
        if unit is None:
            continue
        j = i + n
        if j < len(toks) and toks[j].start - toks[j - 1].end <= 1 and (
                toks[j].kind == "num" or t.lower[j] in p.number_words):
            # letters run into the number on the left: "XUS$5" is not a price
            if t.adjacent(i) and toks[i - 1].kind == "word":
                return None
            return unit, j
    return None
