"""The `newsfacts` spaCy pipeline component.

`nlp.add_pipe("newsfacts")` in a user's own pipeline (the factory is registered through
the `spacy_factories` entry point in pyproject.toml) puts the figures on `doc._.figures`.
Set `doc._.published` (ISO date) before the component runs to resolve relative dates.
"""

from __future__ import annotations

from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from .figures import FigureExtractor

if not Doc.has_extension("figures"):
    Doc.set_extension("figures", default=None)
if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)


class NewsfactsComponent:
    """Runs the figure extractor on a parsed Doc and stores the figures on `doc._.figures`."""

    def __init__(self, nlp: Language, patterns_dir: str | None) -> None:
        self.nlp = nlp
        self.patterns_dir = Path(patterns_dir) if patterns_dir else None
        self._extractor: FigureExtractor | None = None

    @property
    def extractor(self) -> FigureExtractor:
        if self._extractor is None:
            self._extractor = FigureExtractor(nlp=self.nlp, patterns_dir=self.patterns_dir)
        return self._extractor

    def __call__(self, doc: Doc) -> Doc:
        doc._.figures = self.extractor.extract_doc(doc, published=doc._.published)
        return doc


@Language.factory("newsfacts", default_config={"patterns_dir": None})
def make_newsfacts_component(
    nlp: Language, name: str, patterns_dir: str | None
) -> NewsfactsComponent:
    """spaCy factory: `nlp.add_pipe("newsfacts", config={"patterns_dir": ...})`."""
    return NewsfactsComponent(nlp, patterns_dir)
