"""Stages 3-5 for one article: nlp -> patterns -> normalize, giving Figure records.

Interface used by the pipeline and the CLI: `FigureExtractor(model, patterns_dir).extract(article)`.
"""

from __future__ import annotations

from pathlib import Path

from .record import Article, Figure


class FigureExtractor:
    """Loads the spaCy model and pattern packs once; extracts figures from many articles."""

    def __init__(self, model: str | None = None, patterns_dir: Path | None = None) -> None:
        self.model = model
        self.patterns_dir = patterns_dir

    def extract(self, article: Article) -> list[Figure]:
        raise NotImplementedError("mine-action extraction is being built (issue 3)")
