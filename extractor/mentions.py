"""A figure found in a sentence by the rules or the detector, before its attributes:
what figures.py hands to normalize.py and the attribute resolvers."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Span, Token

from .patterns import MetricRule, ObjectRule, Pack


@dataclass
class Mention:
    """A figure found in a sentence, before its attributes are added."""

    metric: MetricRule = field(repr=False)
    pack: Pack = field(repr=False)
    subtype: str | None
    value: float
    unit: str
    start: int  # evidence span in the document text
    end: int
    number: Token  # where the figure sits in the parse
    sent: Span = field(repr=False)
    sent_index: int
    noun: str | None = None  # the counted noun (people figures)
    object_rule: ObjectRule | None = field(default=None, repr=False)
    bound: str = "="  # the figure layer's bound, for the qualifier when no cue word is seen
    trigger_i: int | None = None  # the token of the event word (people figures)
    partitive: bool = False  # "one of them": a part of a group counted before
