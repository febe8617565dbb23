"""Scoring predicted figures against gold files by the rule in shared corpus/FORMAT.md.

Everything here is a pure function over plain dicts (gold figures as in a corpus file,
predicted figures as `Figure.to_dict()` gives them), so the rules are unit-testable apart
from running the extractor. Loading files and running the extractor live in the CLI.
"""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from . import pipeline
from .record import HECTARES_PER_UNIT, Article, ItemError, Source

METRICS = (
    "area_cleared", "area_contaminated", "mines_neutralized", "mines_estimated", "casualties",
    "other",
)
SCORED_METRICS = METRICS[:-1]
SUBTYPES: dict[str, tuple[str | None, ...]] = {
    "mines_neutralized": ("anti_personnel", "anti_tank", "uxo", "mines_and_uxo", "mines"),
    "mines_estimated": ("anti_personnel", "anti_tank", "uxo", "mines_and_uxo", "mines"),
    "casualties": ("killed", "injured", "total"),
}
AREA_METRICS = ("area_cleared", "area_contaminated")
UNITS = (*HECTARES_PER_UNIT, "count")
QUALIFIERS = ("exact", "approx", "min", "max")
ATTRIBUTES = ("qualifier", "period", "location", "claimant")

SAME_UNIT_TOLERANCE = 0.001
CONVERSION_TOLERANCE = 0.01
# How far a rounded restatement ("over 330" for 337) may sit from the figure it restates.
RESTATEMENT_TOLERANCE = 0.10

# Words that say what kind of place or body a name is, not which one.
PLACE_KIND_WORDS = frozenset({
    "district", "districts", "province", "provinces", "region", "regions", "village",
    "villages", "oblast", "governorate", "governorates", "city", "town", "settlement",
    "municipality", "rayon", "county", "counties", "the",
})
# Words an acronym skips ("Agency for Mine Action" -> AMA).
ACRONYM_SMALL_WORDS = frozenset({"of", "for", "and", "the", "on", "in", "to", "de", "del", "&"})
PART_SEPARATORS = re.compile(r"\s*(?:[,;()\[\]]|\band\b|\bciting\b|\bvia\b)\s*")
ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


# ---------------------------------------------------------------- values

def hectares(value: float, unit: str | None) -> float:
    """The value in hectares for an area unit; counts (and unknown units) unchanged."""
    return float(value) * HECTARES_PER_UNIT.get(unit or "count", 1.0)


def values_match(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    """Equal within 0.1%, or 1% when the two are stated in different units."""
    g, p = hectares(gold["value"], gold.get("unit")), hectares(pred["value"], pred.get("unit"))
    same_unit = (gold.get("unit") or "count") == (pred.get("unit") or "count")
    tolerance = SAME_UNIT_TOLERANCE if same_unit else CONVERSION_TOLERANCE
    return abs(p - g) <= tolerance * abs(g) + 1e-12


def figures_match(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    """Same (metric, subtype, value) under the tolerance rule."""
    return (
        gold.get("metric") == pred.get("metric")
        and gold.get("subtype") == pred.get("subtype")
        and values_match(gold, pred)
    )


def is_rounded_restatement(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    """A qualified prediction ("about", "over", "up to") within 10% of a gold figure."""
    qualifier = pred.get("qualifier")
    if qualifier not in ("approx", "min", "max"):
        return False
    if gold.get("metric") != pred.get("metric") or gold.get("subtype") != pred.get("subtype"):
        return False
    g, p = hectares(gold["value"], gold.get("unit")), hectares(pred["value"], pred.get("unit"))
    if abs(p - g) > RESTATEMENT_TOLERANCE * abs(g):
        return False
    slack = SAME_UNIT_TOLERANCE * abs(g)
    if qualifier == "min":  # "over 330" restates 337, not 320
        return p <= g + slack
    if qualifier == "max":
        return p >= g - slack
    return True


# ---------------------------------------------------------------- periods

def _date_range(text: str) -> tuple[date, date] | None:
    """First and last day named by an ISO date, month (2020-11) or year (2021)."""
    m = ISO_DATE.match(text.strip()) if isinstance(text, str) else None
    if not m:
        return None
    year = int(m[1])
    try:
        if m[3]:
            day = date(year, int(m[2]), int(m[3]))
            return day, day
        if m[2]:
            month = int(m[2])
            return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return date(year, 1, 1), date(year, 12, 31)
    except ValueError:
        return None


def period_bound_matches(gold: str | None, pred: str | None, *, end: bool) -> bool:
    """One bound: equal to the day, inside a partial gold date, or a partial predicted date
    whose first day (start) or last day (end) is the gold day. None matches only None."""
    if gold is None or pred is None:
        return gold is None and pred is None
    g, p = _date_range(gold), _date_range(pred)
    if g is None or p is None:
        return gold == pred
    if g[0] == g[1]:  # the gold names a day
        return (p[1] if end else p[0]) == g[0]
    return g[0] <= p[0] and p[1] <= g[1]


def period_matches(gold: Mapping[str, Any], pred: Mapping[str, Any]) -> bool:
    return period_bound_matches(
        gold.get("period_start"), pred.get("period_start"), end=False
    ) and period_bound_matches(gold.get("period_end"), pred.get("period_end"), end=True)


# ---------------------------------------------------------------- names

def _fold(text: str) -> str:
    text = text.casefold().replace("’", "'").replace("‘", "'")
    text = re.sub(r"'s\b", "", text)
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s&-]", " ", text)).strip()


def normalize_name(text: str) -> str:
    """Case-folded, punctuation and kind-of-place words (district, village...) dropped."""
    return " ".join(w for w in _fold(text).split() if w not in PLACE_KIND_WORDS)


def _initials(words: Sequence[str], skip_small: bool) -> str:
    return "".join(w[0] for w in words if w and not (skip_small and w in ACRONYM_SMALL_WORDS))


def is_acronym_of(short: str, long: str) -> bool:
    """ANAMA for Azerbaijan National Agency for Mine Action: initials, small words skipped."""
    short, words = _fold(short), _fold(long).replace("-", " ").split()
    if " " in short or len(short) < 2 or len(words) < 2:
        return False
    return short in (_initials(words, True), _initials(words, False))


def _canonical(text: str, aliases: Mapping[str, str]) -> str:
    for key in (text.casefold().strip(), _fold(text), normalize_name(text)):
        if key in aliases:
            return normalize_name(aliases[key])
    return normalize_name(text)


def same_name(a: str, b: str, aliases: Mapping[str, str]) -> bool:
    """One name: equal after folding, the same canonical alias, or an acronym of the other."""
    if not normalize_name(a) or not normalize_name(b):
        return False
    if normalize_name(a) == normalize_name(b) or _canonical(a, aliases) == _canonical(b, aliases):
        return True
    return is_acronym_of(a, b) or is_acronym_of(b, a)


def _name_parts(text: str) -> list[str]:
    return [p for p in PART_SEPARATORS.split(text) if normalize_name(p)]


def names_match(gold: str | None, pred: str | None, aliases: Mapping[str, str]) -> bool:
    """Location or claimant: the same name, or every name one lists is among the other's
    ('Chiragli (Chirag) village, Kalbajar district' lists Chiragli, Chirag and Kalbajar)."""
    if gold is None or pred is None:
        return gold is None and pred is None
    if same_name(gold, pred, aliases):
        return True
    gold_parts = _name_parts(gold)
    pred_parts = _name_parts(pred)

    def covered(parts: list[str], others: list[str]) -> bool:
        return bool(parts) and all(any(same_name(p, o, aliases) for o in others) for p in parts)

    return covered(pred_parts, gold_parts) or covered(gold_parts, pred_parts)


def attribute_matches(
    gold: Mapping[str, Any], pred: Mapping[str, Any], aliases: Mapping[str, str]
) -> dict[str, bool]:
    return {
        "qualifier": gold.get("qualifier") == pred.get("qualifier"),
        "period": period_matches(gold, pred),
        "location": names_match(gold.get("location"), pred.get("location"), aliases),
        "claimant": names_match(gold.get("claimant"), pred.get("claimant"), aliases),
    }


# ---------------------------------------------------------------- one article

@dataclass
class Pair:
    gold: dict[str, Any]
    pred: dict[str, Any]
    attributes: dict[str, bool]


@dataclass
class ArticleScore:
    """How one article's predictions compare with its gold figures."""

    name: str
    matched: list[Pair] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)  # gold not found
    false_hits: list[dict[str, Any]] = field(default_factory=list)  # predictions not in gold
    # Predictions neither right nor wrong: restatements, `other` gold, repeats, breakdowns.
    ignored: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    text: str = ""


def _is_scored(figure: Mapping[str, Any]) -> bool:
    return figure.get("metric") in SCORED_METRICS and not figure.get("group")


def _match(
    gold: list[dict[str, Any]], preds: list[dict[str, Any]], aliases: Mapping[str, str]
) -> dict[int, int]:
    """Prediction index -> gold index: as many pairs as possible (augmenting paths), each
    prediction trying first the gold figures whose attributes agree with it most."""
    candidates: list[list[int]] = []
    for p in preds:
        options = [i for i, g in enumerate(gold) if figures_match(g, p)]
        options.sort(key=lambda i: -sum(attribute_matches(gold[i], p, aliases).values()))
        candidates.append(options)
    gold_owner: dict[int, int] = {}

    def assign(p: int, seen: set[int]) -> bool:
        for g in candidates[p]:
            if g in seen:
                continue
            seen.add(g)
            if g not in gold_owner or assign(gold_owner[g], seen):
                gold_owner[g] = p
                return True
        return False

    for p in range(len(preds)):
        assign(p, set())
    return {p: g for g, p in gold_owner.items()}


def score_article(
    gold: Iterable[Mapping[str, Any]],
    predicted: Iterable[Mapping[str, Any]],
    aliases: Mapping[str, str] | None = None,
    name: str = "",
    text: str = "",
) -> ArticleScore:
    """Compare one article's predictions with its gold figures (the FORMAT.md rule)."""
    aliases = aliases or {}
    score = ArticleScore(name=name, text=text)
    scored_gold = [dict(g) for g in gold if _is_scored(g)]
    reference_gold = [dict(g) for g in gold if g.get("metric") == "other"]
    preds: list[dict[str, Any]] = []
    for p in predicted:
        if _is_scored(p):
            preds.append(dict(p))
        else:
            score.ignored.append(("not scored (other metric or group breakdown)", dict(p)))
    pairs = _match(scored_gold, preds, aliases)
    for p_index, g_index in sorted(pairs.items()):
        g, p = scored_gold[g_index], preds[p_index]
        score.matched.append(Pair(g, p, attribute_matches(g, p, aliases)))
    found = set(pairs.values())
    score.missed = [g for i, g in enumerate(scored_gold) if i not in found]
    for i, p in enumerate(preds):
        if i in pairs:
            continue
        if any(figures_match(g, p) for g in scored_gold):
            score.ignored.append(("repeats a figure already matched", p))
        elif any(is_rounded_restatement(g, p) for g in scored_gold):
            score.ignored.append(("rounded restatement of a gold figure", p))
        elif any(values_match(g, p) for g in reference_gold):
            score.ignored.append(("matches a gold `other` value", p))
        else:
            score.false_hits.append(p)
    return score


# ---------------------------------------------------------------- a folder

@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4), "recall": round(self.recall, 4),
            "f1": round(self.f1, 4), "tp": self.tp, "fp": self.fp, "fn": self.fn,
        }


@dataclass
class Report:
    """Micro-averaged scores over articles, overall and per metric, and attribute accuracy."""

    articles: int
    overall: Counts
    by_metric: dict[str, Counts]
    attributes: dict[str, tuple[int, int]]  # name -> (correct, matched)
    ignored: int

    def accuracy(self, attribute: str) -> float:
        correct, total = self.attributes[attribute]
        return correct / total if total else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "overall": self.overall.to_dict(),
            "metrics": {m: c.to_dict() for m, c in self.by_metric.items()},
            "attributes": {
                a: {"accuracy": round(self.accuracy(a), 4), "correct": c, "total": t}
                for a, (c, t) in self.attributes.items()
            },
            "ignored_predictions": self.ignored,
        }


def aggregate(scores: Sequence[ArticleScore]) -> Report:
    by_metric = {m: Counts() for m in SCORED_METRICS}
    attributes = {a: [0, 0] for a in ATTRIBUTES}
    for s in scores:
        for pair in s.matched:
            by_metric[pair.gold["metric"]].tp += 1
            for a, ok in pair.attributes.items():
                attributes[a][0] += ok
                attributes[a][1] += 1
        for g in s.missed:
            by_metric[g["metric"]].fn += 1
        for p in s.false_hits:
            by_metric[p["metric"]].fp += 1
    overall = Counts(
        tp=sum(c.tp for c in by_metric.values()),
        fp=sum(c.fp for c in by_metric.values()),
        fn=sum(c.fn for c in by_metric.values()),
    )
    return Report(
        articles=len(scores),
        overall=overall,
        by_metric=by_metric,
        attributes={a: (c, t) for a, (c, t) in attributes.items()},
        ignored=sum(len(s.ignored) for s in scores),
    )


# ---------------------------------------------------------------- gold files

class GoldError(ValueError):
    """A gold file that cannot be scored (malformed JSON, no text, no gold list)."""


def parse_gold_file(data: bytes) -> dict[str, Any]:
    """The corpus-format object, checked just enough to be scored."""
    try:
        obj = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise GoldError(f"not UTF-8: {exc}") from None
    except json.JSONDecodeError as exc:
        raise GoldError(f"malformed JSON: {exc}") from None
    if not isinstance(obj, dict):
        raise GoldError("a gold file must be a JSON object")
    if not isinstance(obj.get("text"), str) or not obj["text"].strip():
        raise GoldError("no 'text' string")
    gold = obj.get("gold")
    if not isinstance(gold, list) or not all(isinstance(g, dict) for g in gold):
        raise GoldError("'gold' must be a list of objects")
    for i, g in enumerate(gold):
        if g.get("metric") not in METRICS:
            raise GoldError(f"gold[{i}]: unknown metric {g.get('metric')!r}")
        if not isinstance(g.get("value"), int | float) or isinstance(g.get("value"), bool):
            raise GoldError(f"gold[{i}]: value must be a JSON number")
    return obj


def gold_problems(obj: Mapping[str, Any]) -> list[str]:
    """Every way a parsed gold file departs from FORMAT.md (empty when it conforms)."""
    problems: list[str] = []
    text = obj.get("text")
    if not isinstance(text, str) or not text.strip():
        return ["no 'text' string"]
    published = obj.get("published")
    if published is not None and _date_range(published) is None:
        problems.append(f"published is not an ISO date: {published!r}")
    gold = obj.get("gold")
    if not isinstance(gold, list):
        return [*problems, "'gold' must be a list"]
    for i, g in enumerate(gold):
        where = f"gold[{i}]"
        metric, subtype, unit = g.get("metric"), g.get("subtype"), g.get("unit")
        if metric not in METRICS:
            problems.append(f"{where}: unknown metric {metric!r}")
        if subtype not in SUBTYPES.get(metric, (None,)):
            problems.append(f"{where}: subtype {subtype!r} is not valid for {metric!r}")
        value = g.get("value")
        if not isinstance(value, int | float) or isinstance(value, bool):
            problems.append(f"{where}: value must be a JSON number")
        if unit not in UNITS:
            problems.append(f"{where}: unknown unit {unit!r}")
        elif metric in AREA_METRICS and unit == "count":
            problems.append(f"{where}: an area needs an area unit")
        elif metric in ("mines_neutralized", "mines_estimated", "casualties") and unit != "count":
            problems.append(f"{where}: a count needs unit 'count'")
        if g.get("qualifier") not in QUALIFIERS:
            problems.append(f"{where}: unknown qualifier {g.get('qualifier')!r}")
        for bound in ("period_start", "period_end"):
            if g.get(bound) is not None and _date_range(g[bound]) is None:
                problems.append(f"{where}: {bound} is not an ISO (partial) date: {g[bound]!r}")
        for key in ("location", "claimant"):
            if g.get(key) is not None and not (isinstance(g[key], str) and g[key].strip()):
                problems.append(f"{where}: {key} must be a non-empty string or null")
        evidence = g.get("evidence")
        if not isinstance(evidence, str) or not evidence or evidence not in text:
            problems.append(f"{where}: evidence is not a substring of text: {evidence!r}")
        missing = {"metric", "subtype", "value", "unit", "qualifier", "period_start",
                   "period_end", "location", "claimant", "evidence"} - set(g)
        if missing:
            problems.append(f"{where}: missing fields {sorted(missing)}")
    return problems


# ---------------------------------------------------------------- text output

def sentence_around(text: str, evidence: str) -> str:
    """The sentence (or line block) of `text` that holds `evidence`, for error listings."""
    at = text.find(evidence) if evidence else -1
    if at < 0:
        return ""
    start = max(text.rfind(". ", 0, at) + 2, text.rfind("\n\n", 0, at) + 2, 0)
    stops = [i for i in (text.find(". ", at + len(evidence)), text.find("\n\n", at)) if i >= 0]
    end = min(stops) + 1 if stops else len(text)
    return " ".join(text[start:end].split())


def format_table(report: Report) -> str:
    lines = [f"{'metric':<20}{'P':>7}{'R':>7}{'F1':>7}{'tp':>6}{'fp':>6}{'fn':>6}"]
    rows = [*((m, c) for m, c in report.by_metric.items() if c.tp + c.fp + c.fn),
            ("overall", report.overall)]
    for name, c in rows:
        lines.append(
            f"{name:<20}{c.precision:>7.3f}{c.recall:>7.3f}{c.f1:>7.3f}{c.tp:>6}{c.fp:>6}{c.fn:>6}"
        )
    lines.append("")
    lines.append(f"{'attribute':<20}{'accuracy':>9}{'correct':>9}{'matched':>9}")
    for a in ATTRIBUTES:
        correct, total = report.attributes[a]
        lines.append(f"{a:<20}{report.accuracy(a):>9.3f}{correct:>9}{total:>9}")
    lines.append("")
    lines.append(f"articles: {report.articles}   predictions not counted either way: "
                 f"{report.ignored}")
    return "\n".join(lines)


def _figure_label(f: Mapping[str, Any]) -> str:
    subtype = f"/{f['subtype']}" if f.get("subtype") else ""
    return f"{f.get('metric')}{subtype} {f.get('value')} {f.get('unit')} ({f.get('qualifier')})"


def format_errors(scores: Sequence[ArticleScore]) -> str:
    """Misses, false hits, attribute mismatches and predictions not counted, by article."""
    lines: list[str] = []
    for s in scores:
        entries: list[str] = []
        for g in s.missed:
            entries.append(f"  MISS  {_figure_label(g)}  evidence: {g.get('evidence')!r}")
            entries.append(f"        sentence: {sentence_around(s.text, g.get('evidence', ''))}")
        for p in s.false_hits:
            entries.append(f"  FALSE {_figure_label(p)}  evidence: {p.get('evidence')!r}"
                           f"  pattern: {(p.get('extractor') or {}).get('pattern')}")
            sentence = p.get("sentence") or sentence_around(s.text, p.get("evidence", ""))
            entries.append(f"        sentence: {' '.join(str(sentence).split())}")
        for pair in s.matched:
            for a, ok in pair.attributes.items():
                if ok:
                    continue
                keys = _attribute_keys(a)
                gold_value = " .. ".join(str(pair.gold.get(k)) for k in keys)
                pred_value = " .. ".join(str(pair.pred.get(k)) for k in keys)
                entries.append(f"  ATTR  {a}: gold {gold_value!r} predicted {pred_value!r}"
                               f"  [{_figure_label(pair.gold)}]")
        for reason, p in s.ignored:
            entries.append(f"  SKIP  {_figure_label(p)}  evidence: {p.get('evidence')!r}"
                           f"  ({reason})")
        if entries:
            lines.append(f"== {s.name}")
            lines.extend(entries)
    return "\n".join(lines)


def errors_to_dict(score: ArticleScore) -> dict[str, Any]:
    return {
        "article": score.name,
        "missed": [
            {**g, "sentence": sentence_around(score.text, g.get("evidence", ""))}
            for g in score.missed
        ],
        "false_hits": [
            {k: p.get(k) for k in ("metric", "subtype", "value", "unit", "qualifier",
                                   "evidence", "sentence", "extractor")}
            for p in score.false_hits
        ],
        "ignored": [
            {"reason": reason, **{k: p.get(k) for k in ("metric", "subtype", "value", "unit",
                                                         "qualifier", "evidence")}}
            for reason, p in score.ignored
        ],
        "attribute_mismatches": [
            {"attribute": a, "figure": _figure_label(pair.gold),
             "gold": {k: pair.gold.get(k) for k in _attribute_keys(a)},
             "predicted": {k: pair.pred.get(k) for k in _attribute_keys(a)}}
            for pair in score.matched for a, ok in pair.attributes.items() if not ok
        ],
    }


def _attribute_keys(attribute: str) -> tuple[str, ...]:
    return ("period_start", "period_end") if attribute == "period" else (attribute,)


# ---------------------------------------------------------------- scoring files (I/O edge)

@dataclass
class FileError:
    path: str
    message: str


def gold_paths(specs: Iterable[str]) -> Iterator[Path | FileError]:
    """The .json files of the given folders and files, sorted within each folder."""
    for spec in specs:
        path = Path(spec)
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*.json") if p.is_file()
                              and not p.name.startswith("."))
        elif path.is_file():
            yield path
        else:
            yield FileError(spec, "no such file or directory")


def score_files(
    specs: Iterable[str],
    extract: Callable[[Article], list[dict[str, Any]]],
    aliases: Mapping[str, str] | None = None,
) -> tuple[list[ArticleScore], list[FileError]]:
    """Score every gold file: its article (built as `extract` would get it from the
    pipeline) through `extract`, compared with its gold. Bad files are errors, skipped;
    an extraction failure is an error too, and its gold counts as missed."""
    scores: list[ArticleScore] = []
    errors: list[FileError] = []
    for item in gold_paths(specs):
        if isinstance(item, FileError):
            errors.append(item)
            continue
        try:
            data = item.read_bytes()
            obj = parse_gold_file(data)
        except OSError as exc:
            errors.append(FileError(str(item), f"cannot read: {exc.strerror or exc}"))
            continue
        except GoldError as exc:
            errors.append(FileError(str(item), str(exc)))
            continue
        article = pipeline.article_from_corpus_json(data, Source(path=str(item)))
        if isinstance(article, ItemError):
            errors.append(FileError(str(item), article.message))
            continue
        try:
            predicted = extract(article)
        except Exception as exc:  # one article's failure must not stop the evaluation
            errors.append(FileError(str(item), f"extraction failed: {type(exc).__name__}: {exc}"))
            predicted = []
        scores.append(score_article(obj["gold"], predicted, aliases, str(item), article.text))
    return scores, errors
