"""Train the claimant model: P(candidate is the figure's claimant), over the candidates
`extractor.claimants` generates, on the matched figures of ../shared/corpus/dev.

    python -m training.claimants [--c 3] [--margin 0.5]

Prints, in one run: the upper bound (how often the gold claimant is among the candidates),
the cross-validated dev accuracy (5 folds by article) of the rules alone and of the model
(at several margins: the model overrides the rules' choice only when it is that much surer
of its own), and the held-out test aggregate both ways (aggregate only: no test error is
read). Saves extractor/models/claimant.json, trained on all of dev.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace

from extractor import claimants, evaluate
from extractor.figures import FigureExtractor
from extractor.learned import Candidate, LinearModel, fit
from extractor.patterns import load_aliases

from .common import DEV, MODELS, TEST, Match, folds, gold_articles, matches, save_model

Example = tuple[Mapping[str, float], str]


def options_of(match: Match) -> list[Candidate]:
    return match.figure.candidates.get(claimants.MODEL, [])


def examples(found: Sequence[Match], aliases: Mapping[str, str]) -> list[Example]:
    rows: list[Example] = []
    for match in found:
        for candidate in options_of(match):
            right = evaluate.names_match(match.gold.get("claimant"), candidate.value, aliases)
            rows.append((candidate.features, "1" if right else "0"))
    return rows


def accuracy(found: Sequence[Match], model: LinearModel | None,
             aliases: Mapping[str, str]) -> float:
    right = 0
    for match in found:
        right += evaluate.names_match(match.gold.get("claimant"),
                                      claimants.pick(options_of(match), model), aliases)
    return right / len(found) if found else 0.0


def upper_bound(found: Sequence[Match], aliases: Mapping[str, str]) -> float:
    hit = sum(any(evaluate.names_match(m.gold.get("claimant"), c.value, aliases)
                  for c in options_of(m)) for m in found)
    return hit / len(found) if found else 0.0


def cross_validated(found: Sequence[Match], c: float, margins: Sequence[float],
                    aliases: Mapping[str, str]) -> tuple[float, dict[float, float]]:
    """Accuracy of the rules, and of the model at each margin over the rules, on held-out
    articles, over all folds."""
    articles = sorted({m.article.name: m.article for m in found}.values(), key=lambda a: a.name)
    rules, model = 0.0, dict.fromkeys(margins, 0.0)
    for train, held in folds(articles):
        train_names = {a.name for a in train}
        held_names = {a.name for a in held}
        fitted = fit(examples([m for m in found if m.article.name in train_names], aliases),
                     c=c)
        held_matches = [m for m in found if m.article.name in held_names]
        rules += accuracy(held_matches, None, aliases) * len(held_matches)
        for margin in margins:
            at = replace(fitted, meta={"margin": margin})
            model[margin] += accuracy(held_matches, at, aliases) * len(held_matches)
    return rules / len(found), {k: v / len(found) for k, v in model.items()}


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--c", type=float, default=3.0, help="inverse regularization")
    parser.add_argument("--margin", type=float, default=0.5,
                        help="how much surer of its choice than of the rules' the model must "
                             "be to override them")
    args = parser.parse_args(argv)
    aliases = load_aliases()
    extractor = FigureExtractor()
    started = time.perf_counter()
    dev = matches(gold_articles(DEV), extractor)
    print(f"dev: {len(dev)} matched figures ({time.perf_counter() - started:.1f} s)")
    print(f"candidate recall (upper bound)  {upper_bound(dev, aliases):.3f}")
    margins = sorted({0.0, 0.1, 0.25, args.margin})
    rules, model = cross_validated(dev, args.c, margins, aliases)
    print(f"dev claimant accuracy, 5-fold CV: rules {rules:.3f}  model "
          + "  ".join(f"{model[m]:.3f} (margin {m:g})" for m in margins))
    final = fit(examples(dev, aliases), c=args.c,
                meta={"trained_on": "shared/corpus/dev", "matched": len(dev), "c": args.c,
                      "margin": args.margin, "cv_rules": round(rules, 4),
                      "cv_model": round(model[args.margin], 4)})
    MODELS.mkdir(exist_ok=True)
    print(f"saved {save_model(claimants.MODEL, final)}")
    if TEST.is_dir():
        test = matches(gold_articles(TEST), extractor)
        unguarded = replace(final, meta={"margin": 0.0})
        print(f"test (held out, aggregate): {len(test)} matched figures, claimant accuracy "
              f"rules {accuracy(test, None, aliases):.3f}  model "
              f"{accuracy(test, final, aliases):.3f} (margin {args.margin:g}), "
              f"{accuracy(test, unguarded, aliases):.3f} (margin 0)  (candidate recall "
              f"{upper_bound(test, aliases):.3f})")


if __name__ == "__main__":
    main()
