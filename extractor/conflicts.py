"""Figures from different sources that state the same thing, and where they disagree.

Pure functions over `Figure` records. What they know about the domain (which metrics add
up over time, which subtypes make a total, how loosely a rounded or qualified figure may be
read, which names mean the same place, claimant or outlet) comes from
patterns/conflicts.yaml and patterns/publishers.yaml.

Conflict kinds:
- `disagreement`: same metric, subtype, place and period, values that cannot both be true
  after rounding, qualifiers and unit conversion, stated by different sources;
- `cumulative_decrease`: a total since the same start, stated later, that is smaller;
- `subperiod_exceeds`: a figure for a period inside another's that is larger than it;
- `parts_exceed_total`: parts (anti-personnel + anti-tank) larger than the stated total
  for the same period and claimant.
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import importlib.resources
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from .record import Figure, Source

KINDS = ("disagreement", "cumulative_decrease", "subperiod_exceeds", "parts_exceed_total")

# ---------------------------------------------------------------- knowledge from patterns/


@dataclass(frozen=True)
class Tolerance:
    approx_relative: float = 0.10
    conversion_relative: float = 0.01
    round_min_trailing_zeros: int = 3
    round_max_significant_digits: int = 2


@dataclass(frozen=True)
class Outlet:
    """The organisation whose report a copy is; `via` names the aggregator that carried it."""

    name: str
    via: str | None = None


@dataclass
class Publishers:
    """Outlet and aggregator names and domains, for resolving a source to its outlet."""

    outlet_by_alias: dict[str, str] = field(default_factory=dict)
    outlet_by_domain: dict[str, str] = field(default_factory=dict)
    aggregator_by_alias: dict[str, str] = field(default_factory=dict)
    aggregator_by_domain: dict[str, str] = field(default_factory=dict)
    credit_separators: tuple[str, ...] = (" / ",)


@dataclass
class Knowledge:
    flow_metrics: frozenset[str]
    stock_metrics: frozenset[str]
    stock_same_time_days: int
    same_period_min_length_ratio: float
    # metric -> total subtype -> ways to split it into disjoint parts
    parts_of_totals: dict[str, dict[str, list[tuple[str, ...]]]]
    tolerance: Tolerance
    generic_place_words: frozenset[str]
    place_alias: dict[str, str]  # normalized name -> canonical name
    claimant_alias: dict[str, str]
    publishers: Publishers


def _read_yaml(name: str, patterns_dir: Path | None) -> dict[str, Any]:
    if patterns_dir is not None:
        path = Path(patterns_dir) / name
        if not path.is_file():  # a replacement pack without this file keeps the bundled one
            path = None
    else:
        path = None
    if path is not None:
        text = path.read_text(encoding="utf-8")
    else:
        text = importlib.resources.files("newsfacts_patterns").joinpath(name).read_text("utf-8")
    data = yaml.safe_load(text) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{name}: expected a mapping at the top level")
    return data


def _alias_map(entries: dict[str, list[str] | None], normalize) -> dict[str, str]:
    mapping: dict[str, str] = {}
    for canonical, aliases in (entries or {}).items():
        for name in [canonical, *(aliases or [])]:
            mapping[normalize(str(name))] = str(canonical)
    return mapping


def _publishers(data: dict[str, Any]) -> Publishers:
    pubs = Publishers(credit_separators=tuple(data.get("credit_separators") or [" / "]))
    for kind, by_alias, by_domain in (
        ("outlets", pubs.outlet_by_alias, pubs.outlet_by_domain),
        ("aggregators", pubs.aggregator_by_alias, pubs.aggregator_by_domain),
    ):
        for entry in data.get(kind) or []:
            name = str(entry["name"])
            for alias in [name, *(entry.get("aliases") or [])]:
                by_alias[_fold(str(alias))] = name
            for domain in entry.get("domains") or []:
                by_domain[str(domain).lower()] = name
    return pubs


def load_knowledge(patterns_dir: Path | None = None) -> Knowledge:
    """Read conflicts.yaml and publishers.yaml (from `patterns_dir`, else the bundled ones)."""
    rules = _read_yaml("conflicts.yaml", patterns_dir)
    tol = Tolerance(**(rules.get("tolerance") or {}))
    generic = frozenset(w.lower() for w in rules.get("generic_place_words") or [])
    parts = {
        metric: {total: [tuple(split) for split in splits] for total, splits in totals.items()}
        for metric, totals in (rules.get("parts_of_totals") or {}).items()
    }
    return Knowledge(
        flow_metrics=frozenset(rules.get("flow_metrics") or []),
        stock_metrics=frozenset(rules.get("stock_metrics") or []),
        stock_same_time_days=int(rules.get("stock_same_time_days", 31)),
        same_period_min_length_ratio=float(rules.get("same_period_min_length_ratio", 0.9)),
        parts_of_totals=parts,
        tolerance=tol,
        generic_place_words=generic,
        place_alias=_alias_map(rules.get("place_aliases"), lambda s: _place_fold(s, generic)),
        claimant_alias=_alias_map(rules.get("claimant_aliases"), _fold),
        publishers=_publishers(_read_yaml("publishers.yaml", patterns_dir)),
    )


# ---------------------------------------------------------------- names

_NON_WORD = re.compile(r"[^\w]+")


def _fold(text: str) -> str:
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


def _place_fold(text: str, generic: frozenset[str]) -> str:
    return " ".join(w for w in _fold(text).split() if w not in generic)


def place_key(location: str | None, knowledge: Knowledge) -> str | None:
    """A place name reduced to its canonical form ("Garabagh region" -> "Karabakh")."""
    if not location:
        return None
    folded = _place_fold(location, knowledge.generic_place_words)
    return knowledge.place_alias.get(folded, folded) or None


def claimant_key(claimant: str | None, knowledge: Knowledge) -> str | None:
    if not claimant:
        return None
    folded = _fold(claimant)
    return knowledge.claimant_alias.get(folded, folded) or None


@lru_cache(maxsize=65536)
def _domain(url: str | None) -> str | None:
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower()
    return host or None


def _by_domain(host: str | None, table: dict[str, str]) -> str | None:
    while host:
        if host in table:
            return table[host]
        _, _, host = host.partition(".")
    return None


def resolve_outlet(source: Source, publishers: Publishers) -> Outlet:
    """The outlet whose report this is: "MENAFN / AzerNews" on menafn.com is AzerNews."""
    host = _domain(source.final_url) or _domain(source.url)
    via = _by_domain(host, publishers.aggregator_by_domain)
    credited: str | None = None
    if source.publisher:
        parts = [source.publisher]
        for sep in publishers.credit_separators:
            parts = [piece for part in parts for piece in part.split(sep)]
        for part in (p.strip() for p in parts):
            folded = _fold(part)
            if not folded:
                continue
            if folded in publishers.aggregator_by_alias:
                via = publishers.aggregator_by_alias[folded]
            elif credited is None:
                credited = publishers.outlet_by_alias.get(folded, part)
    if credited is None and via is None:
        credited = _by_domain(host, publishers.outlet_by_domain) or host or source.path
    if credited is None:  # an aggregator's own report, crediting nobody else
        return Outlet(via or "unknown")
    return Outlet(credited, via)


# ---------------------------------------------------------------- dates and periods

DateRange = tuple[int, int]  # first and last day (proleptic ordinals) a date may mean


@lru_cache(maxsize=65536)
def date_range(text: str | None) -> DateRange | None:
    """"2020-11-10" is that day, "2020-11" any day of the month, "2021" any day of the year."""
    if not text:
        return None
    head = text.strip()[:10]
    try:
        if len(head) >= 10 and head[4] == "-" and head[7] == "-":
            day = dt.date.fromisoformat(head).toordinal()
            return day, day
        if len(head) == 7 and head[4] == "-":
            year, month = int(head[:4]), int(head[5:7])
            first = dt.date(year, month, 1)
            nxt = dt.date(year + month // 12, month % 12 + 1, 1)
            return first.toordinal(), nxt.toordinal() - 1
        if len(head) == 4 and head.isdigit():
            year = int(head)
            return dt.date(year, 1, 1).toordinal(), dt.date(year, 12, 31).toordinal()
    except ValueError:
        return None
    return None


def _overlap(a: DateRange, b: DateRange) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


# ---------------------------------------------------------------- values


@dataclass(frozen=True)
class Reading:
    """The range of true values a stated figure allows, in its normalized unit."""

    value: float  # normalized
    lo: float
    hi: float
    step: float  # the precision the figure is stated to, normalized
    stated_unit: str
    qualifier: str


def _precision(value: float, count: bool, tol: Tolerance) -> tuple[float, bool]:
    """(step, is_round): the last stated digit's size, and whether it looks rounded."""
    try:
        dec = Decimal(repr(round(float(value), 6))).normalize()
    except InvalidOperation:
        return 0.0, False
    _sign, digits, exponent = dec.as_tuple()
    if not isinstance(exponent, int):
        return 0.0, False
    if exponent < 0:
        return 10.0**exponent, False
    if exponent >= tol.round_min_trailing_zeros and len(digits) <= tol.round_max_significant_digits:
        return 10.0**exponent, True
    return (0.0 if count else 1.0), False


def reading(figure: Figure, tol: Tolerance) -> Reading:
    norm = figure.normalized or {}
    value = float(figure.value)
    nvalue = float(norm.get("value", value)) if norm.get("value") is not None else value
    scale = nvalue / value if value else 1.0
    count = (norm.get("unit") or figure.unit) == "count"
    step, is_round = _precision(value, count, tol)
    step *= scale
    if is_round:  # "6,000" may be any rounding of 5,500..6,500, but not of 9,000
        half = min(step / 2, tol.approx_relative * nvalue)
        lo, hi = nvalue - half, nvalue + half
    else:  # "1,198" may round or truncate 1,198.7
        lo, hi = nvalue - step / 2, nvalue + step
    qualifier = figure.qualifier or "exact"
    if qualifier == "approx":
        lo = min(lo, nvalue * (1 - tol.approx_relative))
        hi = max(hi, nvalue * (1 + tol.approx_relative))
    elif qualifier == "min":
        hi = float("inf")
    elif qualifier == "max":
        lo = 0.0
    return Reading(nvalue, lo, hi, step, figure.unit, qualifier)


def agree(a: Reading, b: Reading, tol: Tolerance) -> bool:
    """Can both statements be true of one value?"""
    if (
        a.qualifier == b.qualifier == "exact"
        and a.stated_unit == b.stated_unit
        and abs(a.step - b.step) <= 1e-9 * max(a.step, b.step, 1.0)
    ):
        # Two figures stated to the same precision in the same unit state the same digits.
        return abs(a.value - b.value) <= 1e-9 * max(abs(a.value), abs(b.value), 1.0)
    slack = 0.0
    if a.stated_unit != b.stated_unit:
        slack = tol.conversion_relative * max(abs(a.value), abs(b.value))
    if a.qualifier == b.qualifier == "exact" and slack == 0.0:
        # The finer figure is the value itself; the coarser must be its rounding or truncation.
        fine, coarse = (a, b) if a.step < b.step else (b, a)
        return coarse.lo <= fine.value < coarse.hi or fine.value == coarse.value
    return a.lo <= b.hi + slack and b.lo <= a.hi + slack


# ---------------------------------------------------------------- statements


@dataclass
class Statement:
    """One outlet's figure, with every copy of it (headline and body, syndicated copies)."""

    figures: list[Figure]
    outlet: Outlet
    claimant: str | None  # canonical claimant
    reading: Reading
    start: DateRange | None
    end: DateRange | None

    @property
    def first(self) -> Figure:
        return self.figures[0]


@dataclass
class Conflict:
    kind: str
    metric: str
    subtype: str | None
    location: str | None
    side_a: list[Figure]
    side_b: list[Figure]
    reason: str
    outlets_a: list[str] = field(default_factory=list)
    outlets_b: list[str] = field(default_factory=list)

    @property
    def id(self) -> str:
        """Stable across runs: the kind and the figures on each side."""
        ids = [*sorted(f.id for f in self.side_a), "|", *sorted(f.id for f in self.side_b)]
        return hashlib.sha256((self.kind + "".join(ids)).encode()).hexdigest()[:16]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "metric": self.metric,
            "subtype": self.subtype,
            "location": self.location,
            "reason": self.reason,
            "side_a": [figure_summary(f) for f in self.side_a],
            "side_b": [figure_summary(f) for f in self.side_b],
            # The outlets as the reason names them (a figure's `publisher` is its page's
            # raw credit line, "MENAFN / Trend News Agency")
            "outlets_a": self.outlets_a,
            "outlets_b": self.outlets_b,
        }


def figure_summary(figure: Figure) -> dict[str, Any]:
    src = figure.source
    value: float | int = int(figure.value) if float(figure.value).is_integer() else figure.value
    return {
        "id": figure.id,
        "value": value,
        "unit": figure.unit,
        "qualifier": figure.qualifier,
        "period_start": figure.period_start,
        "period_end": figure.period_end,
        "location": figure.location,
        "claimant": figure.claimant,
        "url": src.url or src.path,
        "publisher": src.publisher,
        "published": src.published,
        "evidence": figure.evidence,
        "sentence": figure.sentence,
    }


def _period(figure: Figure, knowledge: Knowledge) -> tuple[DateRange | None, DateRange | None]:
    start = date_range(figure.period_start)
    end = date_range(figure.period_end)
    if end is None and start is not None:
        # A total "since X" with no stated end runs to its publication (corpus FORMAT.md).
        end = date_range(figure.source.published)
    if figure.metric in knowledge.stock_metrics and end is None:
        end = date_range(figure.source.published)
    return start, end


def _statements(figures: Iterable[Figure], knowledge: Knowledge) -> dict[tuple, list[Statement]]:
    """Figures grouped by what they are about, copies of one outlet's figure merged.

    Copies merge when the same outlet states the same value in the same sentence for the
    same start: a syndicated copy published a week later is the old report, not a new one,
    so it keeps the earliest period end among its copies.
    """
    tol = knowledge.tolerance
    # Names, sources, sentences and values repeat across figures: work each out once.
    outlets: dict[tuple, Outlet] = {}
    places: dict[str | None, str | None] = {}
    claimants: dict[str | None, str | None] = {}
    sentences: dict[str, str] = {}
    readings: dict[tuple, Reading] = {}
    merged: dict[tuple, Statement] = {}
    for fig in figures:
        src = fig.source
        okey = (src.publisher, _domain(src.url), _domain(src.final_url), src.path)
        outlet = outlets.get(okey)
        if outlet is None:
            outlet = outlets[okey] = resolve_outlet(src, knowledge.publishers)
        if fig.location not in places:
            places[fig.location] = place_key(fig.location, knowledge)
        if fig.claimant not in claimants:
            claimants[fig.claimant] = claimant_key(fig.claimant, knowledge)
        place, claimant = places[fig.location], claimants[fig.claimant]
        where = ("place", place) if place else ("claimant", claimant) if claimant else None
        if where is None:  # nowhere and nobody: no basis to compare it with anything
            continue
        start, end = _period(fig, knowledge)
        norm = fig.normalized or {}
        rkey = (fig.value, fig.unit, fig.qualifier, norm.get("value"), norm.get("unit"))
        read = readings.get(rkey)
        if read is None:
            read = readings[rkey] = reading(fig, tol)
        sentence = fig.sentence or ""
        if sentence not in sentences:
            sentences[sentence] = " ".join(sentence.casefold().split())
        topic = (fig.metric, fig.subtype, where, fig.group)
        copy_key = (
            topic, outlet.name, claimant, start, read.value, read.qualifier, sentences[sentence],
        )
        existing = merged.get(copy_key)
        if existing is None:
            merged[copy_key] = Statement([fig], outlet, claimant, read, start, end)
        else:
            existing.figures.append(fig)
            if end is not None and (existing.end is None or end[1] < existing.end[1]):
                existing.end = end
                existing.figures.insert(0, existing.figures.pop())
    by_topic: dict[tuple, list[Statement]] = defaultdict(list)
    for (topic, *_rest), statement in merged.items():
        by_topic[topic].append(statement)
    return by_topic


# ---------------------------------------------------------------- formatting


def _num(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.6f}".rstrip("0").rstrip(".")


def _unit_label(statement: Statement) -> str:
    unit = (statement.first.normalized or {}).get("unit") or statement.first.unit
    return "" if unit == "count" else f" {unit}"


_QUALIFIER_WORDS = {"approx": "about ", "min": "at least ", "max": "at most ", "exact": ""}


def _said(statement: Statement) -> str:
    words = _QUALIFIER_WORDS.get(statement.reading.qualifier, "")
    return f"{words}{_num(statement.reading.value)}{_unit_label(statement)}"


def _day(ordinal: int) -> str:
    return dt.date.fromordinal(ordinal).isoformat()


def _period_text(start: DateRange | None, end: DateRange | None) -> str:
    def bound(r: DateRange | None) -> str:
        if r is None:
            return "?"
        return _day(r[0]) if r[0] == r[1] else f"{_day(r[0])}/{_day(r[1])}"

    return f"{bound(start)}..{bound(end)}"


def _outlets(statements: Iterable[Statement]) -> list[str]:
    return sorted({s.outlet.name for s in statements})


def _figures(statements: Iterable[Statement]) -> list[Figure]:
    return [f for s in statements for f in s.figures]


# ---------------------------------------------------------------- the checks


def _same_period(a_start: DateRange | None, a_end: DateRange | None,
                 b_start: DateRange | None, b_end: DateRange | None, min_ratio: float) -> bool:
    """Could two flow periods be the same one? Bounds given to a day, month or year must
    overlap, and the periods must be about as long: "since November 2020" to a day is the
    period "since 10 November 2020" to that day, but "in 2022" is not one week in it."""
    if a_end is None or b_end is None or (a_start is None) != (b_start is None):
        return False
    if not _overlap(a_end, b_end):
        return False
    if a_start is None or b_start is None:  # totals to a date, from an unstated start
        return True
    if not _overlap(a_start, b_start):
        return False
    length_a, length_b = a_end[1] - a_start[0] + 1, b_end[1] - b_start[0] + 1
    return min(length_a, length_b) >= min_ratio * max(length_a, length_b)


def _same_time(a: Statement, b: Statement, stock: bool, kn: Knowledge) -> bool:
    if stock:  # a stock is a moment: its period end, else its publication
        if a.end is None or b.end is None:
            return False
        days = kn.stock_same_time_days
        return a.end[0] - days <= b.end[1] and b.end[0] - days <= a.end[1]
    return _same_period(a.start, a.end, b.start, b.end, kn.same_period_min_length_ratio)


def _clusters(statements: list[Statement], tol: Tolerance) -> list[list[Statement]]:
    """Statements that agree with each other, the best-supported cluster first."""
    clusters: list[list[Statement]] = []
    ordered = sorted(statements, key=lambda s: (-len(s.figures), s.reading.step, s.reading.value))
    for st in ordered:
        for cluster in clusters:
            if all(agree(st.reading, member.reading, tol) for member in cluster):
                cluster.append(st)
                break
        else:
            clusters.append([st])
    clusters.sort(key=lambda c: (-len(_outlets(c)), -sum(len(s.figures) for s in c)))
    return clusters


def _disagreements(topic: tuple, statements: list[Statement], kn: Knowledge) -> list[Conflict]:
    metric, subtype, _where, _group = topic
    stock = metric in kn.stock_metrics
    tol = kn.tolerance
    timed = [s for s in statements if s.end is not None]
    # Statements about the same time: exact periods share a key; others join by overlap.
    buckets: dict[tuple, list[Statement]] = defaultdict(list)
    loose: list[Statement] = []
    for st in timed:
        exact = st.end[0] == st.end[1] and (st.start is None or st.start[0] == st.start[1])
        if exact and not stock:
            buckets[(st.start, st.end)].append(st)
        else:
            loose.append(st)
    groups = list(buckets.values())
    for st in loose:
        joined = False
        for group in groups:
            if all(_same_time(st, member, stock, kn) for member in group):
                group.append(st)
                joined = True
                break
        if not joined:
            groups.append([st])
    conflicts: list[Conflict] = []
    for group in groups:
        if len({s.outlet.name for s in group}) < 2:
            continue  # one source, however many copies, cannot disagree with another
        clusters = _clusters(group, tol)
        main = clusters[0]
        for other in clusters[1:]:
            if _outlets(main) == _outlets(other) and len(_outlets(main)) == 1:
                continue
            a, b = main[0], other[0]
            conflicts.append(Conflict(
                kind="disagreement", metric=metric, subtype=subtype, location=a.first.location,
                side_a=_figures(main), side_b=_figures(other),
                outlets_a=_outlets(main), outlets_b=_outlets(other),
                reason=(
                    f"{', '.join(_outlets(main))} say {_said(a)} but {', '.join(_outlets(other))} "
                    f"say {_said(b)} for {_period_text(a.start, a.end)}; beyond rounding, "
                    "qualifiers and unit conversion"
                ),
            ))
    return conflicts


@dataclass
class _Period:
    start: DateRange
    end: DateRange
    top: Statement  # the statement with the highest lower bound
    bottom: Statement  # the statement with the lowest upper bound


def _inside(a: _Period, b: _Period, min_ratio: float) -> bool:
    """Is period a within period b and not the same period? Partial bounds are read as
    whole months or years: "2022" to "2022" is the year, and holds each week of it."""
    if not (a.start[0] >= b.start[0] and a.end[1] <= b.end[1]):
        return False
    return not _same_period(a.start, a.end, b.start, b.end, min_ratio)


def _nesting(topic: tuple, statements: list[Statement], kn: Knowledge) -> list[Conflict]:
    """A flow figure for a period inside another's cannot be larger than it."""
    metric, subtype, _where, _group = topic
    periods: dict[tuple, _Period] = {}
    for st in statements:
        if st.start is None or st.end is None:
            continue
        key = (st.start, st.end)
        p = periods.get(key)
        if p is None:
            periods[key] = _Period(st.start, st.end, st, st)
            continue
        if st.reading.lo > p.top.reading.lo:
            p.top = st
        if st.reading.hi < p.bottom.reading.hi:
            p.bottom = st
    ratio = kn.same_period_min_length_ratio
    ordered = sorted(periods.values(), key=lambda p: p.end[1])
    end_his = [p.end[1] for p in ordered]
    prefix_top: list[float] = []  # the highest lower bound among ordered[:i + 1]
    for p in ordered:
        prefix_top.append(max(p.top.reading.lo, prefix_top[-1] if prefix_top else p.top.reading.lo))
    # For each containing period, the contained figure that exceeds it most.
    culprits: dict[tuple[int, str], tuple[_Period, list[_Period]]] = {}
    for outer in ordered:
        limit = outer.bottom.reading.hi
        count = bisect_right(end_his, outer.end[1])  # periods ending when this one ends or before
        if count == 0 or prefix_top[count - 1] <= limit:
            continue  # nothing that ends earlier is larger: the common case, in O(1)
        best: _Period | None = None
        for i in range(count - 1, -1, -1):
            inner = ordered[i]
            if inner.end[1] < outer.start[0]:
                break  # ends before this period starts, as do all earlier ones
            lo = inner.top.reading.lo
            if (lo > limit and (best is None or lo > best.top.reading.lo)
                    and _inside(inner, outer, ratio)):
                best = inner
        if best is not None:
            # Totals "since" one start, each to the day it was stated: a cumulative series.
            series = (_overlap(best.start, outer.start) and best.end[0] == best.end[1]
                      and outer.end[0] == outer.end[1])
            kind = "cumulative_decrease" if series else "subperiod_exceeds"
            culprits.setdefault((id(best), kind), (best, []))[1].append(outer)
    conflicts: list[Conflict] = []
    for (_, kind), (inner, outers) in culprits.items():
        a = inner.top
        sides_b = [p.bottom for p in outers]
        b = min(sides_b, key=lambda s: s.reading.hi)
        if kind == "cumulative_decrease":
            reason = (
                f"total since {_day(a.start[0])} was {_said(a)} to {_day(a.end[1])} "
                f"({a.outlet.name}) but {_said(b)} to {_day(b.end[1])} ({b.outlet.name}); "
                "a cumulative total cannot shrink"
            )
        else:
            reason = (
                f"{_said(a)} for {_period_text(a.start, a.end)} ({a.outlet.name}) exceeds "
                f"{_said(b)} for the longer period {_period_text(b.start, b.end)} "
                f"({b.outlet.name}) that contains it"
            )
        conflicts.append(Conflict(
            kind=kind, metric=metric, subtype=subtype, location=a.first.location,
            side_a=list(a.figures), side_b=_figures(sides_b),
            outlets_a=[a.outlet.name], outlets_b=_outlets(sides_b), reason=reason,
        ))
    return conflicts


def _parts(by_topic: dict[tuple, list[Statement]], kn: Knowledge) -> list[Conflict]:
    """Parts (anti-personnel + anti-tank) that add up to more than the stated total."""
    # (metric, where, group, claimant or outlet, period) -> subtype -> statements
    table: dict[tuple, dict[str | None, list[Statement]]] = defaultdict(lambda: defaultdict(list))
    for (metric, subtype, where, group), statements in by_topic.items():
        if metric not in kn.parts_of_totals:
            continue
        for st in statements:
            if st.end is None:
                continue  # no stated time: nothing says parts and total cover the same one
            who = ("claimant", st.claimant) if st.claimant else ("outlet", st.outlet.name)
            table[(metric, where, group, who, st.start, st.end)][subtype].append(st)
    conflicts: list[Conflict] = []
    for (metric, _where, _group, who, start, end), subtypes in table.items():
        for total, splits in kn.parts_of_totals[metric].items():
            totals = subtypes.get(total)
            if not totals:
                continue
            ceiling = max(s.reading.hi for s in totals)
            for split in splits:
                present = [(part, subtypes[part]) for part in split if subtypes.get(part)]
                if not present:
                    continue
                # The least each part can be, across everyone who stated it.
                floors = [min(parts, key=lambda s: s.reading.lo) for _, parts in present]
                floor_sum = sum(s.reading.lo for s in floors)
                if floor_sum <= ceiling * (1 + 1e-9):
                    continue
                top_total = max(totals, key=lambda s: s.reading.hi)
                terms = " + ".join(f"{part} {_said(s)}" for (part, _), s in zip(present, floors,
                                                                                strict=True))
                stated = top_total.first.claimant or ""
                owner = (kn.claimant_alias.get(_fold(stated), stated) if who[0] == "claimant"
                         else f"as reported by {who[1]}")
                conflicts.append(Conflict(
                    kind="parts_exceed_total", metric=metric, subtype=total,
                    location=top_total.first.location,
                    side_a=_figures(s for _, parts in present for s in parts),
                    side_b=_figures(totals),
                    outlets_a=_outlets(s for _, parts in present for s in parts),
                    outlets_b=_outlets(totals),
                    reason=(
                        f"{terms} = {_num(floor_sum)} exceeds the stated {total} "
                        f"{_said(top_total)} for {_period_text(start, end)} ({owner})"
                    ),
                ))
                break  # one split is enough to show the total cannot hold
    return conflicts


@contextmanager
def without_gc_pauses() -> Iterator[None]:
    """Building many small objects that all stay alive makes the cyclic collector rescan
    them again and again, doubling the time; they are freed by reference counting anyway."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _articles(statement: Statement) -> set[str]:
    """The articles (by body hash, else address) that state a statement."""
    return {f.source.sha256 or f.source.url or f.source.path or "" for f in statement.figures}


def _without_parts(statements: list[Statement]) -> list[Statement]:
    """The statements of one topic less those an article states beside a larger figure
    for the same period: a total and its breakdown ("104,000 hectares cleared, 86,000 of
    which is agricultural land"; "1,966 hectares including 1,554 hectares of farmland").
    The article's total speaks for it; its part is no total to compare with others'."""
    largest: dict[tuple, float] = {}  # (article, start, end) -> its largest lower bound
    for st in statements:
        for article in _articles(st):
            key = (article, st.start, st.end)
            largest[key] = max(largest.get(key, st.reading.lo), st.reading.lo)
    return [st for st in statements
            if all(largest[(article, st.start, st.end)] <= st.reading.hi
                   for article in _articles(st))]


def _sibling(total: Statement, part: Statement) -> bool:
    """Is a stated total smaller than a part stated in the same sentence of an article?"""
    return (part.reading.lo > total.reading.hi and total.first.sentence == part.first.sentence
            and bool(_articles(total) & _articles(part)))


def _without_list_items(by_topic: dict[tuple, list[Statement]], kn: Knowledge
                        ) -> dict[tuple, list[Statement]]:
    """Less the "totals" smaller than one of their parts in the same sentence: an item of
    the list beside them ("3 anti-tank mines, 701 UXO and 11 explosive devices"), not the
    total of the others, nor one to compare with another source's total."""
    kept = dict(by_topic)
    for (metric, subtype, where, group), statements in by_topic.items():
        splits = kn.parts_of_totals.get(metric, {}).get(subtype, ())
        parts = [part for split in splits for name in dict.fromkeys(split)
                 for part in by_topic.get((metric, name, where, group), ())]
        if parts:
            kept[(metric, subtype, where, group)] = [
                st for st in statements if not any(_sibling(st, part) for part in parts)]
    return kept


def find_conflicts(figures: Sequence[Figure], knowledge: Knowledge) -> list[Conflict]:
    """Every conflict among the figures, in a stable order."""
    conflicts: list[Conflict] = []
    with without_gc_pauses():
        by_topic = _without_list_items(_statements(figures, knowledge), knowledge)
        by_topic = {topic: _without_parts(statements) for topic, statements in by_topic.items()}
        for topic, statements in by_topic.items():
            conflicts.extend(_disagreements(topic, statements, knowledge))
            if topic[0] in knowledge.flow_metrics:
                conflicts.extend(_nesting(topic, statements, knowledge))
        conflicts.extend(_parts(by_topic, knowledge))
    conflicts.sort(key=lambda c: (
        c.metric, c.subtype or "", c.location or "", KINDS.index(c.kind),
        c.side_a[0].period_start or "", c.side_a[0].period_end or "",
    ))
    return conflicts
