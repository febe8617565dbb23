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
from extractor.learned import LinearModel, choose, fit
from extractor.patterns import load_aliases
from training.common import DEV, TEST, Match, folds, gold_articles, matches, save_model

NAME = "location"
C = 0.3


def labelled(pairs: Sequence[Match], aliases: dict[str, str]
             ) -> list[tuple[dict[str, float], str]]:
    return [(c.features, str(int(evaluate.names_match(p.gold.get("location"), c.value, aliases))))
            for p in pairs for c in p.figure.candidates.get(NAME, [])]


def accuracy(pairs: Sequence[Match], model: LinearModel | None, aliases: dict[str, str]
             ) -> float:
    right = 0
    for p in pairs:
        best = choose(p.figure.candidates.get(NAME, []), model)
        right += evaluate.names_match(p.gold.get("location"), best.value if best else None,
                                      aliases)
    return right / len(pairs) if pairs else 0.0


def recall(pairs: Sequence[Match], aliases: dict[str, str]) -> float:
    found = sum(any(evaluate.names_match(p.gold.get("location"), c.value, aliases)
                    for c in p.figure.candidates.get(NAME, [])) for p in pairs)
    return found / len(pairs) if pairs else 0.0


def main() -> int:
    aliases = load_aliases()
    extractor = FigureExtractor()
    dev = gold_articles(DEV)
    dev_pairs = matches(dev, extractor)
    print(f"dev: {len(dev)} articles, {len(dev_pairs)} matched figures, "
          f"candidate recall {recall(dev_pairs, aliases):.3f}")
    held_rules = held_model = 0.0
    for _, held in folds(dev):
        names = {a.name for a in held}
        train_pairs = [p for p in dev_pairs if p.article.name not in names]
        held_pairs = [p for p in dev_pairs if p.article.name in names]
        model = fit(labelled(train_pairs, aliases), c=C)
        held_rules += accuracy(held_pairs, None, aliases) * len(held_pairs)
        held_model += accuracy(held_pairs, model, aliases) * len(held_pairs)
    print(f"dev cross-validated location accuracy: rules {held_rules / len(dev_pairs):.3f}  "
          f"model {held_model / len(dev_pairs):.3f}")
    model = fit(labelled(dev_pairs, aliases), c=C,
                meta={"trained_on": "shared/corpus/dev", "pairs": len(dev_pairs), "C": C})
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
