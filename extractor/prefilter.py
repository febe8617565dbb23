"""A cheap test of whether an article can hold any figure of the packs, before spaCy runs.

The extractor finds a figure only where one pack metric's words meet in one sentence: a
trigger of the metric (the event: "cleared", "killed") with a quantity of the figure
layer (a count, or an area for an area metric) or a counted person ("a man"); for a count
metric one of its objects ("anti-tank mines"); and where the metric names context words
("mine", "explosive"), one of them in the article. Sentences never cross a blank line
(nlp.mark_line_breaks), so a paragraph without all of that for every metric holds no
figure, and an article without such a paragraph is skipped unchanged. The quantities are
the extractor's own (article_quantities of the same text, read once for both); the words
are matched looser than the extractor does (stems, the lemmatizer's irregular forms, whole
paragraphs).
tests/test_pipeline.py checks that no record of the shared corpora is lost.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .patterns import MetricRule, Pack
from .quantities import Quantity, article_quantities
from .record import AREA_UNITS

if TYPE_CHECKING:  # the prefilter runs before spaCy is needed
    from spacy.language import Language

WORD = re.compile(r"[^\W\d_][\w'’-]*")
PARTS = re.compile(r"[-'’]")
PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
# Trigger words match by lemma in the extractor ("clears" -> clear): a stem of this many
# letters stands for every inflection; shorter words match as prefixes.
STEM = 4
# "another was killed", "a third seriously injured": one more person, with no number
ONE_MORE = frozenset({"another", "second", "third", "fourth", "fifth", "sixth"})


def _stem(word: str) -> str:
    return word.casefold().split()[0][:STEM]


@dataclass(frozen=True)
class Paragraph:
    text: str
    words: set[str]
    stems: set[str]
    has_count: bool  # a count quantity of the figure layer starts here
    has_area: bool  # an area quantity starts here


@dataclass(frozen=True)
class MetricGate:
    """What one metric needs in a paragraph before it can give a figure."""

    metric: MetricRule
    trigger_stems: frozenset[str]
    objects: tuple[re.Pattern[str], ...]  # count metrics: one of these must occur
    people: frozenset[str]  # people metrics: a counted person stands for a number

    def passes(self, para: Paragraph, article_words: set[str]) -> bool:
        if not self.trigger_stems & para.stems:
            return False
        if self.metric.context and not self.metric.context & article_words:
            return False
        if self.metric.kind == "area":
            return para.has_area
        if self.metric.kind == "count":
            return para.has_count and any(regex.search(para.text) for regex in self.objects)
        return para.has_count or bool(para.words & (self.people | ONE_MORE))


@dataclass(frozen=True)
class Prefilter:
    gates: tuple[MetricGate, ...]
    trigger_stems: frozenset[str]  # of every gate: an article without any is skipped at once

    def relevant(self, text: str) -> bool:
        """Whether any metric could find a figure in `text`; False means none can."""
        if not self.trigger_stems & _stems(_words(text)):
            return False
        quantities = article_quantities(text)  # as FigureExtractor.find reads them
        spans, start = [], 0
        for brk in PARAGRAPH_BREAK.finditer(text):
            spans.append((start, brk.start()))
            start = brk.end()
        spans.append((start, len(text)))
        paragraphs = [_paragraph(text, a, b, quantities) for a, b in spans]
        article_words = set().union(*(p.words for p in paragraphs))
        return any(gate.passes(p, article_words) for p in paragraphs for gate in self.gates)


def _words(text: str) -> set[str]:
    words = {w.casefold() for w in WORD.findall(text)}
    # spaCy splits "de-mining" and "mine's": the parts count as words too
    return words | {part for w in words for part in PARTS.split(w) if part}


def _stems(words: set[str]) -> set[str]:
    return {w[:STEM] for w in words}


def _paragraph(text: str, start: int, end: int, quantities: list[Quantity]) -> Paragraph:
    inside = [q for q in quantities if start <= q.start < end]
    words = _words(text[start:end])
    return Paragraph(text[start:end], words, _stems(words),
                     any(q.unit == "count" for q in inside),
                     any(q.unit in AREA_UNITS for q in inside))


def irregular_forms(nlp: Language | None) -> dict[str, set[str]]:
    """lemma -> the irregular forms the model's lemmatizer maps to it ("lay" -> lie), so
    that a trigger matched by lemma is found by its surface too."""
    forms: dict[str, set[str]] = {}
    if nlp is None or "lemmatizer" not in nlp.pipe_names:
        return forms
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_exc"):
        return forms
    table = lookups.get_table("lemma_exc")
    for pos in ("verb", "noun", "adj", "adv"):
        for form, lemmas in (table.get(pos) or {}).items():
            for lemma in lemmas:
                forms.setdefault(lemma, set()).add(form)
    return forms


def build(packs: Iterable[Pack], nlp: Language | None = None) -> Prefilter:
    irregular = irregular_forms(nlp)
    gates = []
    for pack in packs:
        for metric in pack.metrics:
            # an object that counts only beside other objects ("items") needs those
            objects = tuple(rule.regex for rule in pack.objects if not rule.only_with
                            and (not metric.objects or rule.subtype in metric.objects))
            words = {w.split()[0] for w in metric.all_triggers}
            words |= {form for w in words for form in irregular.get(w, ())}
            gates.append(MetricGate(metric, frozenset(_stem(w) for w in words), objects,
                                    pack.people))
    return Prefilter(tuple(gates), frozenset().union(*(g.trigger_stems for g in gates)))
