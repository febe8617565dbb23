"""Train the location model (extractor/models/location.json) on the dev gold.

    python -m training.places

Each matched figure's location candidates (extractor/places.py) are labelled with whether
they match the gold place as `eval` scores it; `common.train_choice` fits, cross-validates
and reports rules vs model on dev and on the held-out test aggregate.
"""

from __future__ import annotations

from typing import Any

from extractor import evaluate
from extractor.patterns import load_aliases
from extractor.places import MODEL

from .common import DEV, gold_articles, save_model, train_choice

ALIASES = load_aliases()


def is_right(gold: dict[str, Any], place: str | None) -> bool:
    return evaluate.names_match(gold.get("location"), place, ALIASES)


if __name__ == "__main__":
    # resolve() leaves texts shorter than every training article to the rules
    shortest = min(len(a.article.text) for a in gold_articles(DEV))
    model = train_choice(MODEL, is_right, meta={"min_article_chars": shortest})
    print("wrote", save_model(MODEL, model))
