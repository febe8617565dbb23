"""Train the location model (extractor/models/location.json) on the dev gold.

    python -m training.places

Each matched figure's location candidates (extractor/places.py) are labelled with whether
they match the gold place as `eval` scores it; a binary logistic model learns P(right).
Prints, in one run: candidate recall (how often a right candidate exists), the
cross-validated dev accuracy (5 folds by article) of the rules alone and of the model,
and the held-out test aggregate both ways. Only dev is trained on.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from extractor import evaluate
from extractor.figures import FigureExtractor
from extractor.learned import LinearModel, fit
from extractor.patterns import load_aliases
from extractor.places import pick
from training.common import (
    DEV,
    TEST,
    GoldArticle,
    Match,
    folds,
    gold_articles,
    matches,
    save_model,
)

NAME = "location"
# Settings tried; the best cross-validated pair is kept: regularization strength, and how
# much surer of its choice than of the rules' the model must be to override them
CS = (0.03, 0.1, 0.3, 1.0)
MARGINS = (0.0, 0.1, 0.2, 0.3)


def labelled(pairs: Sequence[Match], aliases: dict[str, str]
             ) -> list[tuple[dict[str, float], str]]:
    return [(c.features, str(int(evaluate.names_match(p.gold.get("location"), c.value, aliases))))
            for p in pairs for c in p.figure.candidates.get(NAME, [])]


def accuracy(pairs: Sequence[Match], model: LinearModel | None, aliases: dict[str, str]
             ) -> float:
    right = 0
    for p in pairs:
        best = pick(p.figure.candidates.get(NAME, []), model)
        right += evaluate.names_match(p.gold.get("location"), best.value if best else None,
                                      aliases)
    return right / len(pairs) if pairs else 0.0


def recall(pairs: Sequence[Match], aliases: dict[str, str]) -> float:
    found = sum(any(evaluate.names_match(p.gold.get("location"), c.value, aliases)
                    for c in p.figure.candidates.get(NAME, [])) for p in pairs)
    return found / len(pairs) if pairs else 0.0


def cross_validated(dev: Sequence[GoldArticle], pairs: Sequence[Match], c: float | None,
                    aliases: dict[str, str], margin: float = 0.0) -> float:
    """Accuracy on each fold's articles of a model fitted on the other folds (the rules'
    choice when `c` is None)."""
    right = 0.0
    for _, held in folds(dev):
        names = {a.name for a in held}
        held_pairs = [p for p in pairs if p.article.name in names]
        model = None if c is None else fit(
            labelled([p for p in pairs if p.article.name not in names], aliases), c=c,
            meta={"margin": margin})
        right += accuracy(held_pairs, model, aliases) * len(held_pairs)
    return right / len(pairs) if pairs else 0.0


def main() -> int:
    aliases = load_aliases()
    extractor = FigureExtractor()
    dev = gold_articles(DEV)
    dev_pairs = matches(dev, extractor)
    print(f"dev: {len(dev)} articles, {len(dev_pairs)} matched figures, "
          f"candidate recall {recall(dev_pairs, aliases):.3f}")
    rules = cross_validated(dev, dev_pairs, None, aliases)
    scores = {(c, m): cross_validated(dev, dev_pairs, c, aliases, m)
              for c in CS for m in MARGINS}
    print(f"dev cross-validated location accuracy: rules {rules:.3f}  model "
          + "  ".join(f"(C={c:g} margin={m:g}) {s:.3f}" for (c, m), s in scores.items()))
    c, margin = max(scores, key=lambda k: (scores[k], -k[0], k[1]))
    print(f"kept C={c:g} margin={margin:g}: dev cross-validated {scores[c, margin]:.3f} "
          f"(the best of {len(scores)} settings, so slightly optimistic)")
    model = fit(labelled(dev_pairs, aliases), c=c,
                meta={"trained_on": "shared/corpus/dev", "pairs": len(dev_pairs), "C": c,
                      "margin": margin,
                      # resolve() leaves texts shorter than every training article to the rules
                      "min_article_chars": min(len(a.article.text) for a in dev),
                      "cross_validated_accuracy": round(scores[c, margin], 4),
                      "rules_cross_validated_accuracy": round(rules, 4)})
    print(f"dev fitted (circular): model {accuracy(dev_pairs, model, aliases):.3f}")
    path = save_model(NAME, model)
    print(f"saved {path}")
    if TEST.is_dir():
        test_pairs = matches(gold_articles(TEST), extractor)
        print(f"test (held out, aggregate): {len(test_pairs)} matched figures, candidate "
              f"recall {recall(test_pairs, aliases):.3f}, location accuracy rules "
              f"{accuracy(test_pairs, None, aliases):.3f}  model "
              f"{accuracy(test_pairs, model, aliases):.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
