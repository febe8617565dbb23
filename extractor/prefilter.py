"""A cheap test of whether an article can hold any figure of the packs, before spaCy runs.

The extractor finds a figure only where one pack metric's words meet in one sentence: a
trigger of the metric (the event: "cleared", "killed") near a number or a counted person;
for an area metric an area unit, for a count metric one of its objects ("anti-tank
mines"); and where the metric names context words ("mine", "explosive"), one of them in
the article. Sentences never cross a blank line (nlp.mark_line_breaks), so a paragraph
without all of that for every metric holds no figure, and an article without such a
paragraph is skipped unchanged. The test is deliberately looser than the extractor (word
stems, whole paragraphs); tests/test_pipeline.py checks that it loses no figure of the
shared corpora.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .patterns import MetricRule, Pack
from .quantities import load_patterns

WORD = re.compile(r"[^\W\d_][\w'’-]*")
PARTS = re.compile(r"[-'’]")
PARAGRAPH_BREAK = re.compile(r"\n[^\S\n]*\n")
DIGIT = re.compile(r"\d")
# Every surface of an area unit of the figure layer (patterns/quantities/units.yaml),
# by its shortest distinctive part.
AREA_UNIT = re.compile(r"hectar|\bha\b|acre|\bsq\b|sq\.|sqm|sqkm|sqmi|sqft|square|"
                       r"\b[ckm]?m[2²]|\bmi2|metre\s+square|meter\s+square", re.IGNORECASE)
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
    has_count: bool  # a digit or a number word


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
            return para.has_count and AREA_UNIT.search(para.text) is not None
        if self.metric.kind == "count":
            return para.has_count and any(regex.search(para.text) for regex in self.objects)
        return para.has_count or bool(para.words & (self.people | ONE_MORE))


@dataclass(frozen=True)
class Prefilter:
    gates: tuple[MetricGate, ...]
    number_words: frozenset[str]

    def relevant(self, text: str) -> bool:
        """Whether any metric could find a figure in `text`; False means none can."""
        paragraphs = [self._paragraph(p) for p in PARAGRAPH_BREAK.split(text)]
        article_words = set().union(*(p.words for p in paragraphs))
        return any(gate.passes(p, article_words) for p in paragraphs for gate in self.gates)

    def _paragraph(self, text: str) -> Paragraph:
        words = {w.casefold() for w in WORD.findall(text)}
        # spaCy splits "de-mining" and "mine's": the parts count as words too
        words |= {part for w in words for part in PARTS.split(w) if part}
        has_count = DIGIT.search(text) is not None or bool(words & self.number_words)
        return Paragraph(text, words, {w[:STEM] for w in words}, has_count)


def build(packs: Iterable[Pack], patterns_dir: Path | None = None) -> Prefilter:
    gates = []
    for pack in packs:
        for metric in pack.metrics:
            # an object that counts only beside other objects ("items") needs those
            objects = tuple(rule.regex for rule in pack.objects if not rule.only_with
                            and (not metric.objects or rule.subtype in metric.objects))
            gates.append(MetricGate(metric, frozenset(_stem(w) for w in metric.all_triggers),
                                    objects, pack.people))
    numbers = load_patterns(patterns_dir)
    number_words = (set(numbers.starts) - set(numbers.articles)) | set(numbers.number_words) \
        | set(numbers.scales) | set(numbers.vague)
    return Prefilter(tuple(gates), frozenset(number_words))
