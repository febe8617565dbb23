"""What every training script needs: the gold articles, the extractor's figures for them
(with the candidates each decision chose from), and which figure matched which gold.

The gold sets live beside the checkout (`../shared/corpus/dev`); only `dev` is trained on.
`test` is held out: scripts may report an aggregate score on it, never read its errors.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor import evaluate, pipeline
from extractor.figures import FigureExtractor
from extractor.learned import Candidate, LinearModel, choose, fit, fit_choice
from extractor.patterns import load_aliases
from extractor.record import Article, Figure, Source

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "corpus"
DEV, TEST = SHARED / "dev", SHARED / "test"
MODELS = ROOT / "extractor" / "models"


@dataclass
class GoldArticle:
    name: str
    article: Article
    gold: list[dict[str, Any]]


@dataclass
class Match:
    """An extracted figure and the gold figure it was scored against (FORMAT.md pairing)."""

    article: GoldArticle
    figure: Figure
    gold: dict[str, Any]


def gold_articles(folder: Path = DEV) -> list[GoldArticle]:
    items = []
    for path in sorted(folder.glob("*.json")):
        data = path.read_bytes()
        article = pipeline.article_from_corpus_json(data, Source(path=str(path)))
        if isinstance(article, Article):
            items.append(GoldArticle(path.name, article, json.loads(data)["gold"]))
    return items


def extracted(articles: Sequence[GoldArticle], extractor: FigureExtractor
              ) -> Iterator[tuple[GoldArticle, list[Figure]]]:
    for item, (_, figures) in zip(articles, extractor.extract_many(a.article for a in articles),
                                  strict=True):
        yield item, figures


def matches(articles: Sequence[GoldArticle], extractor: FigureExtractor) -> list[Match]:
    """Each extracted figure paired with its gold figure, as `eval` pairs them."""
    aliases = load_aliases()
    found = []
    for item, figures in extracted(articles, extractor):
        dicts = [dict(f.to_dict(), _index=i) for i, f in enumerate(figures)]
        score = evaluate.score_article(item.gold, dicts, aliases, item.name, item.article.text)
        for pair in score.matched:
            found.append(Match(item, figures[pair.pred["_index"]], pair.gold))
    return found


def folds(articles: Sequence[GoldArticle], k: int = 5, seed: int = 0
          ) -> list[tuple[list[GoldArticle], list[GoldArticle]]]:
    """k train/held-out splits by article, for a cross-validated (not circular) score."""
    order = list(articles)
    random.Random(seed).shuffle(order)
    parts = [order[i::k] for i in range(k)]
    return [([a for j, p in enumerate(parts) if j != i for a in p], parts[i]) for i in range(k)]


def save_model(name: str, model: Any) -> Path:
    path = MODELS / f"{name}.json"
    path.write_text(json.dumps(model.to_json(), indent=1, sort_keys=True) + "\n", "utf-8")
    return path


# ---------------------------------------------------------------- attribute choices

Labeller = Callable[[dict[str, Any], Any], bool]  # (gold figure, candidate value) -> right?


def labelled(found: Sequence[Match], name: str, is_right: Labeller
             ) -> list[tuple[GoldArticle, list[tuple[Candidate, bool]]]]:
    """For each matched figure, its candidates for decision `name`, each marked right or
    wrong against the gold."""
    return [(m.article, [(c, is_right(m.gold, c.value)) for c in m.figure.candidates[name]])
            for m in found if m.figure.candidates.get(name)]


def examples(groups: Sequence[tuple[GoldArticle, list[tuple[Candidate, bool]]]]
             ) -> list[tuple[dict[str, float], str]]:
    return [(c.features, "1" if right else "0") for _, group in groups for c, right in group]


def accuracy(groups: Sequence[tuple[GoldArticle, list[tuple[Candidate, bool]]]],
             model: LinearModel | None, margin: float | None = None) -> float:
    """Share of figures whose chosen candidate is right (model None: the rules' choice)."""
    if not groups:
        return 0.0
    right = 0
    for _, group in groups:
        best = choose([c for c, _ in group], model, margin)
        right += any(c is best and ok for c, ok in group)
    return right / len(groups)


def oracle(groups: Sequence[tuple[GoldArticle, list[tuple[Candidate, bool]]]]) -> float:
    """Share of figures with a right candidate at all: the most any chooser can reach."""
    return sum(any(ok for _, ok in g) for _, g in groups) / len(groups) if groups else 0.0


MARGINS = (0.0, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1.0)  # 1.0: the rules always
CS = (0.1, 0.3, 1.0, 3.0)
REPEATS = 3  # shuffles of the articles the cross-validation is repeated over
Groups = Sequence[tuple[GoldArticle, list[tuple[Candidate, bool]]]]
# Two ways to learn a choice, compared in every run: each candidate judged on its own
# (logistic regression), or the candidates of one decision against each other
# (conditional logit).
FITTERS: dict[str, Callable[[Groups, float], LinearModel]] = {
    "per candidate": lambda groups, c: fit(examples(groups), c=c),
    "over the group": lambda groups, c: fit_choice(
        [[(cand.features, right) for cand, right in group] for _, group in groups], c=c),
}


def train_choice(name: str, is_right: Labeller, *, cs: Sequence[float] = CS,
                 meta: dict[str, Any] | None = None) -> LinearModel:
    """Train the model of decision `name` on dev; print rules vs model accuracy, cross-
    validated by article on dev and on the held-out test set, in the same run.

    Accuracy is cross-validated over `REPEATS` shuffles of the articles (one shuffle's
    folds move it by a few points). The way of fitting (`FITTERS`) and the regularization
    `c` are the ones with the best accuracy; how much the model must beat the rules' choice
    to override it (`margin`) is then the most conservative one within one standard error
    of the best (the one-standard-error rule), so a model that is not surely better than
    the rules leaves them be: unseen outlets differ from dev's more than dev's folds do."""
    extractor = FigureExtractor()
    dev = labelled(matches(gold_articles(DEV), extractor), name, is_right)
    test = labelled(matches(gold_articles(TEST), extractor), name, is_right)
    held_out = {(kind, c, m): 0 for kind in FITTERS for c in cs for m in MARGINS}
    articles = sorted({a.name: a for a, _ in dev}.values(), key=lambda a: a.name)
    for seed in range(REPEATS):
        for train, _ in folds(articles, seed=seed):
            names = {a.name for a in train}
            part = [g for g in dev if g[0].name not in names]
            for kind, fitter in FITTERS.items():
                for c in cs:
                    model = fitter([g for g in dev if g[0].name in names], c)
                    for margin in MARGINS:
                        held_out[kind, c, margin] += round(
                            accuracy(part, model, margin) * len(part))
    total = len(dev) * REPEATS

    def best_of(kind: str, c: float) -> int:
        return max(held_out[kind, c, m] for m in MARGINS)

    kind, c = max(((k, c) for k in FITTERS for c in cs), key=lambda kc: (best_of(*kc), -kc[1]))
    best = best_of(kind, c) / total
    standard_error = math.sqrt(best * (1 - best) / len(dev))
    margin = max(m for m in MARGINS if held_out[kind, c, m] / total >= best - standard_error)
    cv = held_out[kind, c, margin] / total
    model = FITTERS[kind](dev, c)
    model = LinearModel(model.labels, model.intercepts, model.weights, {
        **model.meta, "trained_on": "shared/corpus/dev", "figures": len(dev), "c": c,
        "fitted": kind, "margin": margin, "cv_model": round(cv, 4),
        "cv_rules": round(accuracy(dev, None), 4), **(meta or {})})
    print(f"{name}: {len(dev)} matched dev figures, {len(test)} test figures")
    print(f"  candidates hold the right answer: dev {oracle(dev):.3f}  test {oracle(test):.3f}")
    print(f"  rules alone:        dev {accuracy(dev, None):.3f}  test {accuracy(test, None):.3f}")
    for k in FITTERS:
        kc = max(cs, key=lambda x: (best_of(k, x), -x))
        by_margin = " ".join(f"{m:g}:{held_out[k, kc, m] / total:.3f}" for m in MARGINS)
        print(f"  fitted {k} (c={kc:g}), dev 5-fold cross-validated ({REPEATS} shuffles) by "
              f"margin {by_margin}")
        if k != kind:  # the way not kept, at its own best settings, on the test aggregate
            other = FITTERS[k](dev, kc)
            other_margin = max(m for m in MARGINS if held_out[k, kc, m] == best_of(k, kc))
            print(f"    test at margin {other_margin:g}: "
                  f"{accuracy(test, other, other_margin):.3f}")
    print(f"  kept: fitted {kind}, c={c:g}, margin {margin:g}: dev cross-validated {cv:.3f}")
    print(f"  model on its own training data {accuracy(dev, model):.3f}  "
          f"test {accuracy(test, model):.3f}")
    return model
