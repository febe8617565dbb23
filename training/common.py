"""What every training script needs: the gold articles, the extractor's figures for them
(with the candidates each decision chose from), and which figure matched which gold.

The gold sets live beside the checkout (`../shared/corpus/dev`); only `dev` is trained on.
`test` is held out: scripts may report an aggregate score on it, never read its errors.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor import evaluate, pipeline
from extractor.figures import FigureExtractor
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
