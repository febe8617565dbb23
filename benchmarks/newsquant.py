"""NewsQuant benchmark: newsfacts' figure layer against quantulum3, in the same run.

Data: NewsQuant (Almasian et al., EMNLP 2023), 590 news sentences with 904 gold quantities,
read from --data (default ../shared/benchmarks/newsquant/data/formatted_test_set/
NewsQuant.json beside the checkout; format and provenance in that folder's README.md).
NewsQuant is the set the figure layer was BUILT ON (its errors guided the rules), so its
scores are development scores. The not-circular check is the four sets converted from the
Recognizers-Text English specs (age, currency, dimension, temperature; 328 sentences, 432
quantities, in the same folder), which were not used to build the layer: they are scored
for value and value+unit per set and pooled, for both systems (--recognizers-dir).

Matching rule (stated here, applied to both systems):
- Within each sentence, gold and predicted quantities are paired one-to-one, greedily in gold
  order (first unused prediction that satisfies the test); each score has its own pairing.
  P = pairs / predictions, R = pairs / gold quantities, summed over all sentences.
- value: math.isclose(rel_tol=1e-5). A gold range "a-b" matches a predicted range with the
  same two ends (in either order); for quantulum3, which reports a range as its midpoint, the
  gold range is compared as its midpoint (as the dataset README does).
- value+unit: value matches and the lower-cased gold normalized_unit equals the predicted
  unit after renaming. Our names: "count" with a noun -> the noun; "count" without a noun ->
  "-"; "percentage point" -> "percentage" (NewsQuant has no percentage point); "fraction"
  ("a third of") -> "percentage" (NewsQuant writes fractions as 0.333 with a "%" unit);
  "square foot" also accepts gold "square feet", "singapore dollar" gold "singaporean
  dollar", "pound-foot" gold "foot pound-force" (lb-ft), "year of age" gold "age", and
  "penny" gold "point" (NewsQuant names UK share prices in pence, "164p",
  points). A gold unit of the form "% X" (a
  percentage with a concept glued on, 6 cases) counts as "percentage". Gold units that are
  counted-noun phrases ("kia hyundai vehicle", "other employee") match a count prediction
  whose noun is one of the phrase's words (the phrase's head is one of them); gold "count"
  (a bare count such as "3200 times") matches any count prediction.
  quantulum3's names are renamed as in the dataset README's strict rule: dimensionless -> "-",
  per cent -> percentage, united states dollar -> dollar, degree celsius/fahrenheit ->
  celsius/fahrenheit, degree angle -> degree, tonne -> metric ton, cubic centimetre ->
  millilitre.
- value+bound: value matches and the gold `change` field equals our label. NewsQuant has
  one field for both, so our label is `bound` when it is "~", ">" or "<", else `change`
  ("up"/"down") when set, else "=".
- concept (partial overlap): value matches and the concept words overlap: gold
  referred_concepts split on commas and whitespace, lower-cased, against the words of our
  `concept` and `subject` (a figure's concept in NewsQuant's sense is both the thing measured
  and whose it is, "net worth, London-based brothers"), leaving out the words of the figure's
  own text (NewsQuant records a counted noun such as "mines" as the unit, not the concept;
  likewise the group of a fraction: "half the condos" has the unit "% condo", so the words
  of our `concept` of a fraction are left out too) and a few function words (of, the, a,
  in, ...); a gold "-" matches a prediction left with no words. concept_complete: the
  same, but the two word sets must be equal.
  (quantulum3 gives no bounds, changes or concepts, so it gets only value and value+unit.)
- How this differs from the paper's rule (evaluate_models.py::calculate_metrics, see the
  dataset README): the paper pairs a gold quantity with EVERY prediction of the same value
  until one also matches the unit, and counts a concept hit for each of them, so one
  prediction can be credited for several gold quantities and one gold quantity several
  times; it keeps all predicted words. Our one-to-one pairing is stricter. The line
  "concept, paper's counting" re-scores our words with the paper's loop (gold and
  predictions sorted by unit, a prediction used up on a value+unit match, no words -> "-").
- Partial overlap is a loose test: any shared word counts. As a floor, "all-words
  reference" scores the same value predictions with EVERY content word of the sentence as
  the concept; a concept extractor is only useful where it beats that on complete matches.
- "concept, raw words" scores our concept and subject words with nothing left out (no
  figure-text, function-word or fraction-group removal), to show what those steps add.
- Speed: sentences per second over the whole set, median of 3 passes per system after one
  warm-up call, one process; ratio = ours / quantulum3.

Prints the scores, then ONE JSON object with the figures on the last line.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from extractor.quantities import Quantity, find_quantities

# the shared folder sits beside the checkout
DEFAULT_DATA = (Path(__file__).resolve().parents[2]
                / "shared/benchmarks/newsquant/data/formatted_test_set/NewsQuant.json")
DEFAULT_RECOGNIZERS = DEFAULT_DATA.parent
RECOGNIZERS_SETS = ("age-model", "currency-model", "dimension-model", "temperature-model")
# quantulum3's names where CQE's vocabulary (the gold's) names the same unit otherwise; our
# units from the registry carry quantulum3's names, so the map applies to both systems
Q3_UNIT_NAMES = {
    "dimensionless": "-", "per cent": "percentage", "united states dollar": "dollar",
    "degree celsius": "celsius", "degree fahrenheit": "fahrenheit", "degree angle": "degree",
    "tonne": "metric ton", "cubic centimetre": "millilitre",
}
OUR_UNIT_NAMES = {**Q3_UNIT_NAMES, "dimensionless": "-", "percentage point": "percentage",
                  "fraction": "percentage"}
# Gold names for the same unit under another name: "square feet" (once), and "point" for
# UK share prices in pence ("164p"), which NewsQuant names points.
GOLD_SYNONYMS = {("square foot", "square feet"), ("penny", "point"),
                 ("singapore dollar", "singaporean dollar"), ("pound-foot", "foot pound-force"),
                 ("year of age", "age")}
# Left out of our concept words: NewsQuant's concepts are content words only.
FUNCTION_WORDS = frozenset({"of", "the", "a", "an", "in", "on", "at", "to", "for", "and", "or",
                            "its", "their", "his", "her", "from", "with", "by"})
_WORDS_RE = re.compile(r"[,\s]+")


# ---------------------------------------------------------------- gold


class Gold:
    def __init__(self, raw: dict[str, str]) -> None:
        value = raw["value"].strip()
        self.low = self.high = None
        if "-" in value[1:] and "e" not in value.lower():
            cut = value.index("-", 1)
            self.low, self.high = float(value[:cut]), float(value[cut + 1:])
            self.value = (self.low + self.high) / 2
        else:
            self.value = float(value)
        unit = raw["normalized_unit"].strip().lower()
        self.unit = "percentage" if unit.startswith("% ") else unit
        self.change = raw.get("change", "=").strip()
        concept = raw.get("referred_concepts", "-").strip()
        self.concept = set() if concept == "-" else _words(concept)


def _words(text: str | None) -> set[str]:
    return {w.lower() for w in _WORDS_RE.split(text or "") if w}


# ---------------------------------------------------------------- predictions


class Pred:
    """One prediction in a system-independent shape."""

    def __init__(self, value: float, low: float | None, high: float | None, unit: str,
                 noun: str | None, label: str | None, concept: set[str],
                 own_words: frozenset[str] = frozenset(),
                 raw_concept: frozenset[str] = frozenset()) -> None:
        self.value, self.low, self.high = value, low, high
        self.unit, self.noun, self.label, self.concept = unit, noun, label, concept
        self.own_words = own_words  # words of the figure's own text
        self.raw_concept = raw_concept  # concept and subject words, nothing left out


def renamed(name: str, table: dict[str, str]) -> str:
    """A unit name in the gold's vocabulary, part by part for a rate ("euro per share")."""
    return " per ".join(table.get(part, part) for part in name.split(" per "))


def ours(text: str) -> list[Pred]:
    return [_from_quantity(q) for q in find_quantities(text)]


def _from_quantity(q: Quantity) -> Pred:
    unit = renamed(q.unit, OUR_UNIT_NAMES)
    own = frozenset(_words(q.text) | (_words(q.concept) if q.unit == "fraction" else set()))
    raw = frozenset(_words(q.concept) | _words(q.subject))
    return Pred(q.value, q.low, q.high, unit, q.noun.lower() if q.noun else None,
                q.bound if q.bound != "=" else q.change or "=", set(raw - own - FUNCTION_WORDS),
                own, raw)


def quantulum3_predictions(parser: Any, text: str) -> list[Pred]:
    out = []
    for q in parser.parse(text):
        name = q.unit.name.lower()
        out.append(Pred(q.value, None, None, renamed(name, Q3_UNIT_NAMES), None, None, set()))
    return out


# ---------------------------------------------------------------- matching


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-5)


def value_ok(g: Gold, p: Pred, midpoint: bool) -> bool:
    if g.low is not None and not midpoint:
        if p.low is None or p.high is None:
            return False
        return (_close(g.low, p.low) and _close(g.high, p.high)) or (
            _close(g.low, p.high) and _close(g.high, p.low))
    if p.low is not None:
        return False
    return _close(g.value, p.value)


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word


def unit_ok(g: Gold, p: Pred) -> bool:
    if g.unit == p.unit:
        return True
    if (p.unit, g.unit) in GOLD_SYNONYMS:
        return True
    if p.unit == "count":
        if g.unit == "count":
            return True
        if p.noun is None:
            return g.unit == "-"
        gold_words = {_singular(w) for w in g.unit.split()}
        return _singular(p.noun) in gold_words
    return False


def concept_ok(g: Gold, p: Pred) -> bool:
    if not g.concept:
        return not p.concept
    return bool(g.concept & p.concept)


def concept_exact(g: Gold, p: Pred) -> bool:
    return g.concept == p.concept


def paper_concept_counts(data: list[dict], predictions: list[list[Pred]]) -> tuple[int, int]:
    """Partial and complete concept hits counted as the paper's calculate_metrics does."""
    partial = complete = 0
    for sentence, preds in zip(data, predictions, strict=True):
        golds = sorted(sentence["quantities"], key=lambda q: q["normalized_unit"])
        tags = sorted(preds, key=lambda p: p.unit)
        for raw in golds:
            g = Gold(raw)
            gold_words = g.concept or {"-"}
            for p in list(tags):
                if not value_ok(g, p, False):
                    continue
                words = p.concept or {"-"}
                partial += bool(gold_words & words)
                complete += gold_words == words
                if unit_ok(g, p):
                    tags.remove(p)
                    break
    return partial, complete


def raw_words(predictions: list[list[Pred]]) -> list[list[Pred]]:
    """The same predictions with their concept and subject words as they are."""
    return [[Pred(p.value, p.low, p.high, p.unit, p.noun, p.label, set(p.raw_concept))
             for p in preds] for preds in predictions]


def all_words_reference(texts: list[str], predictions: list[list[Pred]]) -> list[list[Pred]]:
    """The same predictions with every content word of their sentence as the concept."""
    out = []
    for text, preds in zip(texts, predictions, strict=True):
        words = _words(re.sub(r"[^\w\s'’-]", " ", text)) - FUNCTION_WORDS
        out.append([Pred(p.value, p.low, p.high, p.unit, p.noun, p.label,
                         words - p.own_words) for p in preds])
    return out


def pairs(golds: list[Gold], preds: list[Pred], test: Callable[[Gold, Pred], bool]) -> int:
    used = [False] * len(preds)
    n = 0
    for g in golds:
        for k, p in enumerate(preds):
            if not used[k] and test(g, p):
                used[k] = True
                n += 1
                break
    return n


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def score(data: list[dict], predictions: list[list[Pred]], midpoint: bool,
          with_cues: bool) -> dict[str, tuple[float, float, float]]:
    tests: dict[str, Callable[[Gold, Pred], bool]] = {
        "value": lambda g, p: value_ok(g, p, midpoint),
        "value_unit": lambda g, p: value_ok(g, p, midpoint) and unit_ok(g, p),
    }
    if with_cues:
        tests["value_bound"] = lambda g, p: value_ok(g, p, midpoint) and p.label == g.change
        tests["concept"] = lambda g, p: value_ok(g, p, midpoint) and concept_ok(g, p)
        tests["concept_complete"] = lambda g, p: value_ok(g, p, midpoint) and concept_exact(g, p)
    n_gold = sum(len(s["quantities"]) for s in data)
    n_pred = sum(len(p) for p in predictions)
    out = {}
    for name, test in tests.items():
        tp = 0
        for sentence, preds in zip(data, predictions, strict=True):
            golds = [Gold(q) for q in sentence["quantities"]]
            tp += pairs(golds, preds, test)
        out[name] = prf(tp, n_pred, n_gold)
    return out


def timed(run: Callable[[str], Any], texts: list[str], passes: int) -> tuple[float, list]:
    run(texts[0])  # warm-up: loads pattern data / unit tables once
    rates, last = [], []
    for _ in range(passes):
        t0 = time.perf_counter()
        last = [run(t) for t in texts]
        rates.append(len(texts) / (time.perf_counter() - t0))
    return statistics.median(rates), last


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--recognizers-dir", type=Path, default=DEFAULT_RECOGNIZERS)
    ap.add_argument("--passes", type=int, default=3)
    ap.add_argument("--errors", action="store_true",
                    help="print sentences where our value+unit pairing misses")
    args = ap.parse_args(argv)
    data = json.loads(args.data.read_text(encoding="utf-8"))
    texts = [s["text"] for s in data]

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from quantulum3 import classifier as q3_classifier
        from quantulum3 import parser as q3_parser

        # quantulum3's bundled classifier is a pickle that current scikit-learn cannot
        # load (installed here for training); its rule mode is what a plain install runs.
        q3_classifier.USE_CLF = False

        q3_rate, q3_preds = timed(lambda t: quantulum3_predictions(q3_parser, t), texts,
                                  args.passes)
    our_rate, our_preds = timed(ours, texts, args.passes)

    our = score(data, our_preds, midpoint=False, with_cues=True)
    q3 = score(data, q3_preds, midpoint=True, with_cues=False)
    n_gold = sum(len(s["quantities"]) for s in data)
    print(f"NewsQuant (the development set the layer was built on): {len(data)} sentences, "
          f"{n_gold} gold quantities")
    print(f"{'score':<12} {'newsfacts P/R/F1':>22} {'quantulum3 P/R/F1':>22}")
    for name in ("value", "value_unit", "value_bound", "concept", "concept_complete"):
        a = "/".join(f"{x * 100:5.1f}" for x in our[name])
        b = "/".join(f"{x * 100:5.1f}" for x in q3[name]) if name in q3 else "-"
        print(f"{name:<12} {a:>22} {b:>22}")
    n_pred = sum(len(p) for p in our_preds)
    paper_partial, paper_complete = paper_concept_counts(data, our_preds)
    paper = {"partial": prf(paper_partial, n_pred, n_gold),
             "complete": prf(paper_complete, n_pred, n_gold)}
    reference = score(data, all_words_reference(texts, our_preds), False, True)
    raw = score(data, raw_words(our_preds), False, True)
    for name, v in (("concept, paper's counting, partial", paper["partial"]),
                    ("concept, paper's counting, complete", paper["complete"]),
                    ("concept, raw words, partial", raw["concept"]),
                    ("concept, raw words, complete", raw["concept_complete"]),
                    ("all-words reference, partial", reference["concept"]),
                    ("all-words reference, complete", reference["concept_complete"])):
        print(f"{name:<36} " + "/".join(f"{x * 100:5.1f}" for x in v))
    print(f"speed: newsfacts {our_rate:.0f} sentences/s, quantulum3 {q3_rate:.0f} sentences/s, "
          f"ratio {our_rate / q3_rate:.2f}")
    held_out = recognizers_scores(args.recognizers_dir, q3_parser)
    if args.errors:
        _print_errors(data, our_preds)
    result = {
        "sentences": len(data),
        "gold_quantities": n_gold,
        **{f"{k}_{m}": round(v[i], 4) for k, v in our.items()
           for i, m in enumerate(("p", "r", "f1"))},
        **{f"quantulum3_{k}_f1": round(v[2], 4) for k, v in q3.items()},
        "concept_paper_counting_f1": round(paper["partial"][2], 4),
        "concept_complete_paper_counting_f1": round(paper["complete"][2], 4),
        "concept_raw_words_f1": round(raw["concept"][2], 4),
        "concept_complete_raw_words_f1": round(raw["concept_complete"][2], 4),
        "all_words_reference_concept_f1": round(reference["concept"][2], 4),
        "all_words_reference_concept_complete_f1": round(reference["concept_complete"][2], 4),
        "sentences_per_s": round(our_rate, 1),
        "quantulum3_sentences_per_s": round(q3_rate, 1),
        "speed_ratio_vs_quantulum3": round(our_rate / q3_rate, 3),
        **held_out,
    }
    print(json.dumps(result))
    return 0


def recognizers_scores(folder: Path, q3_parser: Any) -> dict[str, float]:
    """Value and value+unit F1 of both systems on each Recognizers-Text set and pooled;
    prints a table. These sets were not used to build the layer (see the module doc)."""
    pooled: dict[str, list[Any]] = {"data": [], "ours": [], "q3": []}
    rows = []
    for name in RECOGNIZERS_SETS:
        path = folder / f"{name}.json"
        if not path.exists():
            continue
        data = json.loads(path.read_text(encoding="utf-8"))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            q3 = [quantulum3_predictions(q3_parser, s["text"]) for s in data]
        our = [ours(s["text"]) for s in data]
        for key, part in (("data", data), ("ours", our), ("q3", q3)):
            pooled[key].extend(part)
        rows.append((name, data, our, q3))
    if not rows:
        return {}
    rows.append(("pooled", pooled["data"], pooled["ours"], pooled["q3"]))
    print("Recognizers-Text sets (held out: not used to build the layer)")
    print(f"{'set':<18} {'gold':>5} {'newsfacts value':>16} {'value+unit':>11} "
          f"{'quantulum3 value':>17} {'value+unit':>11}")
    out = {}
    for name, data, our, q3 in rows:
        a = score(data, our, midpoint=False, with_cues=False)
        b = score(data, q3, midpoint=True, with_cues=False)
        n_gold = sum(len(s["quantities"]) for s in data)
        print(f"{name:<18} {n_gold:>5} {a['value'][2]:>16.3f} {a['value_unit'][2]:>11.3f} "
              f"{b['value'][2]:>17.3f} {b['value_unit'][2]:>11.3f}")
        key = name.removesuffix("-model")
        out.update({f"recognizers_{key}_value_f1": round(a["value"][2], 4),
                    f"recognizers_{key}_value_unit_f1": round(a["value_unit"][2], 4),
                    f"recognizers_{key}_quantulum3_value_f1": round(b["value"][2], 4),
                    f"recognizers_{key}_quantulum3_value_unit_f1": round(b["value_unit"][2], 4)})
    return out


def _print_errors(data: list[dict], predictions: list[list[Pred]]) -> None:
    for sentence, preds in zip(data, predictions, strict=True):
        golds = [Gold(q) for q in sentence["quantities"]]
        test = lambda g, p: value_ok(g, p, False) and unit_ok(g, p)  # noqa: E731
        if pairs(golds, preds, test) == len(golds) == len(preds):
            continue
        print("##", sentence["text"], file=sys.stderr)
        for q in sentence["quantities"]:
            print(f"   gold {q['change']} {q['value']} [{q['normalized_unit']}] "
                  f"<{q['referred_concepts']}>", file=sys.stderr)
        for p in preds:
            rng = f"{p.low}-{p.high}" if p.low is not None else p.value
            print(f"   ours {p.label} {rng} [{p.unit}:{p.noun}] <{' '.join(sorted(p.concept))}>",
                  file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
