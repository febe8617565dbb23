"""What every attribute resolver knows about one article: the parse, the source, the packs.

Built once per article by `normalize.Normalizer.figures` and handed to `claimants.resolve`,
`places.resolve` and `periods.resolve` with each figure; `memo` keeps per-article work
(the article's focus country, its bodies) that several figures share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from spacy.tokens import Doc, Span

from .patterns import Gazetteer, Pack
from .record import Source


@dataclass
class Document:
    doc: Doc
    sentences: list[Span]
    source: Source
    published: date | None
    gazetteer: Gazetteer
    packs: list[Pack]
    headline_end: int  # first sentence index of the body (after the headline lines)
    statement: date | None = None  # when the figures were stated, if the text says
    memo: dict[str, Any] = field(default_factory=dict)
