"""Train the figure detector (`extractor/detect.py`) on the real gold of shared/corpus/dev.

    python -m training.figures            # cross-validate, train on all dev, save the model
    python -m training.figures --no-test  # skip the held-out test aggregate

Each candidate number is labelled by the gold figure whose evidence contains it and whose
value matches (a gold `other` figure is neither: left out); a number outside every evidence
that repeats a gold value of ten or more (a headline restating the body) takes that label.
Prints, in one run: the cross-validated (by article) dev P/R/F1 of the rules alone and of
rules + model, overall and per metric; then the test aggregate both ways (held out: only
the aggregate is printed, never an error).
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from extractor import detect, evaluate
from extractor.figures import FigureExtractor, figure_quantities, rule_mentions
from extractor.learned import LinearModel, fit
from extractor.patterns import Pack, load_aliases
from training.common import DEV, TEST, GoldArticle, folds, gold_articles, save_model

PACK = "mine_action"
# (drop_below, add_from) tried; the best cross-validated dev F1 is shipped
THRESHOLDS = [(d, a) for d in (0.0, 0.1, 0.2) for a in (0.6, 0.7, 0.8)]
C = 1.0  # inverse regularization (1.0 beat 0.1 and 0.3 in cross-validation)
REPEAT_MIN = 10  # a repeated value this large is the same figure, not a coincidence


@dataclass
class Parsed:
    item: GoldArticle
    doc: Any
    candidates: list[detect.FigureCandidate]
    labels: list[str | None]  # None: a gold `other` figure, left out of training


def _same_value(c: detect.FigureCandidate, gold: dict[str, Any]) -> bool:
    """The FORMAT.md value rule, as `eval` applies it."""
    return evaluate.values_match(gold, {"value": c.value, "unit": c.unit})


def _kind(gold: dict[str, Any]) -> str:
    return "count" if (gold.get("unit") or "count") == "count" else "area"


def label(c: detect.FigureCandidate, gold: Sequence[dict[str, Any]], text: str) -> str | None:
    for g in gold:
        for m in re.finditer(re.escape(g["evidence"]), text):
            if m.start() <= c.start < m.end() and _same_value(c, g):
                return None if g["metric"] == "other" else detect.label_of(g["metric"],
                                                                           g.get("subtype"))
    if c.value >= REPEAT_MIN:
        for g in gold:
            if _kind(g) == c.kind and _same_value(c, g):
                return None if g["metric"] == "other" else detect.label_of(g["metric"],
                                                                           g.get("subtype"))
    return detect.NONE


def parse(items: Sequence[GoldArticle], extractor: FigureExtractor, pack: Pack) -> list[Parsed]:
    docs = extractor.nlp.pipe([i.article.text for i in items], batch_size=16)
    result = []
    for item, doc in zip(items, docs, strict=True):
        sentences = list(doc.sents)
        usable = figure_quantities(doc, sentences)
        mentions = rule_mentions(doc, sentences, usable, extractor.packs)
        options = detect.candidates(doc, sentences, usable, pack, mentions)
        result.append(Parsed(item, doc, options,
                             [label(c, item.gold, item.article.text) for c in options]))
    return result


def train(parsed: Sequence[Parsed], pack: Pack, thresholds: tuple[float, float]
          ) -> LinearModel:
    examples = [(c.features, y) for p in parsed for c, y in zip(p.candidates, p.labels,
                                                                strict=True) if y is not None]
    kinds = {m.id: ("area" if m.kind == "area" else "count") for m in pack.metrics}
    return fit(examples, c=C, meta={"pack": pack.name, "drop_below": thresholds[0],
                                    "add_from": thresholds[1], "kinds": kinds,
                                    "trained_on": "shared/corpus/dev", "C": C})


def score(parsed: Sequence[Parsed], extractor: FigureExtractor,
          detectors: dict[str, detect.Detector]) -> evaluate.Report:
    aliases = load_aliases()
    extractor.detectors = detectors
    scores = []
    for p in parsed:
        figures = extractor.extract_doc(p.doc, p.item.article.source.published,
                                        p.item.article.source)
        scores.append(evaluate.score_article(p.item.gold, [f.to_dict() for f in figures],
                                             aliases, p.item.name, p.item.article.text))
    return evaluate.aggregate(scores)


def show(title: str, report: evaluate.Report) -> None:
    print(f"  {title}")
    for name, counts in [*report.by_metric.items(), ("overall", report.overall)]:
        print(f"    {name:20} P {counts.precision:.3f}  R {counts.recall:.3f}  "
              f"F1 {counts.f1:.3f}  (tp {counts.tp} fp {counts.fp} fn {counts.fn})")


def merge(reports: Sequence[evaluate.Report]) -> evaluate.Report:
    by_metric = {m: evaluate.Counts() for m in reports[0].by_metric}
    for r in reports:
        for m, c in r.by_metric.items():
            by_metric[m].tp += c.tp
            by_metric[m].fp += c.fp
            by_metric[m].fn += c.fn
    overall = evaluate.Counts(sum(c.tp for c in by_metric.values()),
                              sum(c.fp for c in by_metric.values()),
                              sum(c.fn for c in by_metric.values()))
    return evaluate.Report(sum(r.articles for r in reports), overall, by_metric, {}, 0)


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-test", action="store_true", help="skip the test aggregate")
    args = parser.parse_args(argv)
    extractor = FigureExtractor()
    pack = next(p for p in extractor.packs if p.name == PACK)
    items = gold_articles(DEV)
    parsed = parse(items, extractor, pack)
    by_name = {p.item.name: p for p in parsed}
    labelled = sum(y not in (None, detect.NONE) for p in parsed for y in p.labels)
    print(f"dev: {len(parsed)} articles, {sum(len(p.candidates) for p in parsed)} candidates, "
          f"{labelled} labelled figures")
    splits = [([by_name[a.name] for a in tr], [by_name[a.name] for a in te])
              for tr, te in folds(items)]
    # 1. one model per fold; 2. rules alone vs rules + model, cross-validated, same run
    fold_models = [train(train_part, pack, (0.0, 1.0)) for train_part, _ in splits]
    rules = merge([score(held, extractor, {}) for _, held in splits])
    tried = {}
    for drop_below, add_from in THRESHOLDS:
        tried[drop_below, add_from] = merge([
            score(held, extractor, {PACK: detect.Detector(model, drop_below, add_from)})
            for (_, held), model in zip(splits, fold_models, strict=True)])
        print(f"  drop below {drop_below:.2f}, add from {add_from:.2f}: cross-validated F1 "
              f"{tried[drop_below, add_from].overall.f1:.3f}", flush=True)
    chosen = max(THRESHOLDS, key=lambda t: tried[t].overall.f1)
    print(f"chosen: drop below {chosen[0]}, add from {chosen[1]}")
    print("dev, cross-validated by article (5 folds); thresholds chosen on the same folds:")
    show("rules alone", rules)
    show("rules + model", tried[chosen])
    # 3. the model on all of dev, saved
    final = train(parsed, pack, chosen)
    print(f"saved {save_model(detect.MODEL, final)}")
    if not args.no_test and TEST.is_dir():
        test_items = gold_articles(TEST)
        test_parsed = parse(test_items, extractor, pack)
        print("test (held out; aggregate only):")
        show("rules alone", score(test_parsed, extractor, {}))
        show("rules + model", score(test_parsed, extractor,
                                    {PACK: detect.Detector(final, *chosen)}))


if __name__ == "__main__":
    main()
