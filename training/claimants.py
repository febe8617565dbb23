"""Train the claimant model: P(candidate is the figure's claimant), over the candidates
`extractor.claimants` generates, on the matched figures of ../shared/corpus/dev.

    python -m training.claimants      # writes extractor/models/claimant.json

Prints, in one run (see `common.train_choice`): how often the gold claimant is among the
candidates, the rules' accuracy, the model's 5-fold cross-validated dev accuracy at each
margin over the rules (the margin kept is the best), and the held-out test aggregate.
"""

from __future__ import annotations

from typing import Any

from extractor import claimants, evaluate
from extractor.patterns import load_aliases

from .common import save_model, train_choice

ALIASES = load_aliases()


def is_right(gold: dict[str, Any], name: str | None) -> bool:
    return evaluate.names_match(gold.get("claimant"), name, ALIASES)


if __name__ == "__main__":
    print("wrote", save_model(claimants.MODEL, train_choice(claimants.MODEL, is_right)))
