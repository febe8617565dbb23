"""The location of a figure: the most specific place a figure is about.

`resolve` generates candidates (the rules' choice among them, with feature `rule`),
describes each with features from the parse and the document, and lets the model trained
on the real gold (`training/`) choose; without a model file the rules' choice stands.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .document import Document
from .learned import Candidate, choose, load_model
from .record import Figure

if TYPE_CHECKING:
    from .figures import Mention

MODEL = "location"


def candidates(document: Document, mention: Mention, figure: Figure) -> list[Candidate]:
    return [Candidate(figure.location, {"rule": 1.0})]


def resolve(document: Document, mention: Mention, figure: Figure) -> str | None:
    options = candidates(document, mention, figure)
    figure.candidates[MODEL] = options
    best = choose(options, load_model(MODEL))
    return best.value if best else None
