"""Which numbers are figures, of which metric and subtype: a learned decision over the rules.

The rules (`figures._sentence_mentions`) read a sentence with the pack's word lists. Here
every number of the figure layer in a sentence near the pack's vocabulary is a candidate,
described by lexical and syntactic features (the words around it, its head, the verb that
governs it, the noun it counts and its modifiers, the dependency path, the pack's word
lists as hits, and the rules' own answer for it, `rule=metric:subtype`). A multinomial
logistic model trained on the real gold of `shared/corpus/dev` (`training/figures.py`)
labels each candidate `none` or `metric[:subtype]`: a rule mention it rejects is dropped
(one it keeps keeps the rules' label), a candidate the rules missed becomes a mention
with the pack's metric unless the pack's lists bar it; the two thresholds on P(figure)
are chosen by cross-validation and stored with the model. A pack with no
model (`extractor/models/figure.json` names the pack it was trained for) keeps the rules'
mentions as they are.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from .learned import Features, LinearModel, bucket, load_model
from .nlp import is_hypothetical, text_of
from .patterns import MetricRule, Pack
from .quantities import Quantity
from .record import AREA_UNITS

if TYPE_CHECKING:
    from .mentions import Mention

MODEL = "figure"
NONE = "none"
WINDOW = 4  # words either side of the number described by their lemmas
VERB_POS = {"VERB", "AUX"}
YEAR = re.compile(r"^(?:19|20)\d\d$")


@dataclass
class FigureCandidate:
    """A number that may be a figure of a pack, with what is known for and against it."""

    pack: Pack
    start: int  # where the number starts in the document text
    end: int
    value: float
    unit: str  # record unit ("ha", "m2", ..., "count")
    number: Token
    sent: Span
    sent_index: int
    bound: str = "="
    noun: str | None = None
    rule: Mention | None = None  # the rules' Mention for this number, if any
    features: Features = field(default_factory=dict)
    # The pack's lists say it is no figure (a negative word or a plan governs it, or the
    # casualties' cause is not mines): a number the rules passed over stays passed over.
    barred: bool = False

    @property
    def kind(self) -> str:
        return "count" if self.unit == "count" else "area"


def label_of(metric: str, subtype: str | None) -> str:
    return f"{metric}:{subtype}" if subtype else metric


# ---------------------------------------------------------------- candidates


def vocabulary(pack: Pack) -> frozenset[str]:
    """The pack's words: triggers, objects' context, people. A sentence with none of them
    near it holds no candidate (a cheap gate before any feature is computed)."""
    words: set[str] = set(pack.people)
    for metric in pack.metrics:
        words |= metric.all_triggers | metric.context | metric.negative
    return frozenset(w for w in words if " " not in w)


def candidates(doc: Doc, sentences: Sequence[Span], usable: Sequence[Sequence[Quantity]],
               pack: Pack, rule_mentions: Sequence[Mention]) -> list[FigureCandidate]:
    """The candidates of one pack: each number the figure layer found in a sentence near the
    pack's vocabulary (`usable[i]`: sentence i's numbers with an area unit or a count), with
    the rules' mention of it when they made one."""
    vocab = vocabulary(pack)
    lemmas = [{t.lemma_.lower() for t in s} | {t.lower_ for t in s} for s in sentences]
    article = set().union(*lemmas) if lemmas else set()
    by_start = {m.start: m for m in rule_mentions if m.pack is pack}
    found: dict[int, FigureCandidate] = {}
    for index, sent in enumerate(sentences):
        near = lemmas[index] | (lemmas[index - 1] if index else set())
        if not near & vocab:
            continue
        for q in usable[index]:
            first = _token_at(doc, q.start)
            if first is None:
                continue
            unit = AREA_UNITS.get(q.unit, "count")
            found[q.start] = FigureCandidate(pack, q.start, q.end, q.value, unit, first, sent,
                                             index, q.bound, q.noun)
    for m in by_start.values():
        c = found.get(m.start)
        if c is not None:
            c.rule, c.value, c.end = m, m.value, max(c.end, m.end)
    result = sorted(found.values(), key=lambda c: c.start)
    for c in result:
        c.features = features(c, lemmas, article)
        c.barred = bool({"chain_neg", "chain_hypothetical", "cause_excluded"} & set(c.features)
                        ) or _planned(c)
    return result


def _planned(c: FigureCandidate) -> bool:
    """The verb the number hangs from is the object of a plan ("the government expects
    470,000 hectares to be cleared", "aims to clear 5,000 hectares"), as the rules read it:
    a plan is no figure (FORMAT.md), whatever the words around it."""
    verb = _chain(c.number)[-1]
    return verb.pos_ in VERB_POS and verb.dep_ in ("ccomp", "xcomp") \
        and is_hypothetical(verb, c.pack.hypothetical, c.pack.achieved)


def caused_by_excluded(trigger: Token, metric: MetricRule) -> bool:
    """The subject or agent of the casualty verb is war, strikes, traffic...: not mines."""
    causes = [c for c in trigger.children if c.dep_ in ("nsubj", "agent")]
    words = {t.lower_ for c in causes for t in c.subtree}
    # "explosive remnants of war killed 11" is still mines: a context word names the cause
    return bool(words & metric.exclude_context) and not words & metric.context


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


# ---------------------------------------------------------------- features


def _lemma(tok: Token) -> str:
    return "#" if tok.like_num else tok.lemma_.lower()


def _number_tokens(c: FigureCandidate) -> tuple[Token, Token]:
    """The first and last token of the number ("1.7 million")."""
    last = c.number
    doc = c.number.doc
    while last.i + 1 < c.sent.end and doc[last.i + 1].idx < c.end and (
            doc[last.i + 1].like_num or doc[last.i + 1].lower_ in ("million", "thousand",
                                                                   "billion", "mln")):
        last = doc[last.i + 1]
    return c.number, last


def _chain(tok: Token) -> list[Token]:
    """The token and its heads up to the first verb (the verb that governs it)."""
    chain = [tok]
    while tok.head.i != tok.i:
        tok = tok.head
        chain.append(tok)
        if tok.pos_ in VERB_POS and tok.dep_ not in ("aux", "auxpass"):
            break
    return chain


def _hits(tokens: Sequence[Token], pack: Pack, prefix: str, f: Features) -> None:
    """The pack's word lists as features: which metric's trigger, negative, context..."""
    for tok in tokens:
        keys = {tok.lower_, tok.lemma_.lower()}
        for metric in pack.metrics:
            if keys & metric.triggers:
                f[f"{prefix}trig={metric.id}"] = 1.0
            for subtype, words in metric.subtypes.items():
                if keys & words:
                    f[f"{prefix}trig={metric.id}:{subtype}"] = 1.0
            if keys & metric.negative:
                f[f"{prefix}neg"] = 1.0
        if keys & pack.hypothetical:
            f[f"{prefix}hypothetical"] = 1.0
        if keys & pack.people:
            f[f"{prefix}people"] = 1.0


def _context(words: set[str], metrics: Sequence[MetricRule], prefix: str, f: Features) -> None:
    for metric in metrics:
        if words & metric.context:
            f[f"{prefix}ctx={metric.id}"] = 1.0
        if words & metric.exclude_context:
            f[f"{prefix}exclude={metric.id}"] = 1.0
        if words & metric.veto:
            f[f"{prefix}veto={metric.id}"] = 1.0


def features(c: FigureCandidate, lemmas: Sequence[set[str]], article: set[str]) -> Features:
    pack, doc, sent = c.pack, c.number.doc, c.sent
    text = text_of(doc)
    first, last = _number_tokens(c)
    f: Features = {"bias": 1.0, f"unit={c.unit}": 1.0, f"kind={c.kind}": 1.0,
                   f"bound={c.bound}": 1.0}
    rule = c.rule
    f[f"rule={label_of(rule.metric.id, rule.subtype) if rule else NONE}"] = 1.0
    if rule is not None:
        f[f"rule_metric={rule.metric.id}"] = 1.0
    f.update(bucket("log10", math.log10(c.value) if c.value > 0 else -1.0,
                    (0, 0.5, 1, 2, 3, 4, 5, 6, 7)))
    if c.unit == "count" and c.value.is_integer() and YEAR.match(str(int(c.value))):
        f["year_like"] = 1.0
    if not c.value.is_integer():
        f["fraction"] = 1.0
    if not first.like_num:
        f["worded"] = 1.0  # "a man", "another"
    # the words around the number
    for k in range(1, WINDOW + 1):
        i = first.i - k
        if i >= sent.start:
            f[f"L{min(k, 3)}={_lemma(doc[i])}"] = 1.0
        j = last.i + k
        if j < sent.end:
            f[f"R{min(k, 3)}={_lemma(doc[j])}"] = 1.0
    before = text[max(sent.start_char, c.start - 2):c.start]
    after = text[c.end:c.end + 2]
    if "(" in before:
        f["in_brackets"] = 1.0
    if after.lstrip().startswith("("):
        f["brackets_after"] = 1.0
    if first.i == sent.start:
        f["sentence_start"] = 1.0
    # the parse: head, governing verb, path
    chain = _chain(last)
    f[f"dep={last.dep_}"] = 1.0
    f[f"head={_lemma(last.head)}"] = 1.0
    f[f"head_pos={last.head.pos_}"] = 1.0
    path = ">".join(t.dep_ for t in chain[:4])
    f[f"path={path}"] = 1.0
    verb = chain[-1]
    if verb.pos_ in VERB_POS:
        f[f"verb={verb.lemma_.lower()}"] = 1.0
        f[f"verb_tag={verb.tag_}"] = 1.0
        for child in verb.children:
            if child.dep_ in ("aux", "auxpass", "neg", "prt"):
                f[f"verb_{child.dep_}={child.lemma_.lower()}"] = 1.0
            elif child.dep_ in ("nsubj", "nsubjpass", "dobj", "prep", "agent", "attr"):
                f[f"verb_{child.dep_}={_lemma(child)}"] = 1.0
        for conj in verb.conjuncts:
            f[f"verb_conj={conj.lemma_.lower()}"] = 1.0
        if any(caused_by_excluded(verb, m) for m in pack.metrics if m.kind == "people"):
            f["cause_excluded"] = 1.0
    else:
        f["no_verb"] = 1.0
    noun = last.head if last.head.i > last.i and last.head.pos_ in ("NOUN", "PROPN") else None
    if noun is None and last.i + 1 < sent.end and doc[last.i + 1].pos_ == "NOUN":
        noun = doc[last.i + 1]
    if c.noun:
        f[f"qnoun={c.noun.split()[-1].lower()}"] = 1.0
    if noun is not None:
        f[f"noun={noun.lemma_.lower()}"] = 1.0
        for child in noun.children:
            if child.dep_ in ("amod", "compound", "prep", "acl", "relcl", "nmod"):
                f[f"noun_{child.dep_}={_lemma(child)}"] = 1.0
        f[f"noun_dep={noun.dep_}"] = 1.0
    match = pack.match_object(text[last.idx + len(last.text):sent.end_char])
    if match is not None:
        f[f"object={match[0].subtype}"] = 1.0
    # the pack's word lists: on the path to the verb, beside it, in the sentence
    _hits(chain[1:], pack, "chain_", f)
    _hits([t for t in verb.children if t.i != last.i], pack, "verbkid_", f)
    _hits([t for t in doc[max(sent.start, first.i - 3):min(sent.end, last.i + 4)]
           if t.i < first.i or t.i > last.i], pack, "near_", f)
    _hits(list(sent), pack, "sent_", f)
    _context(lemmas[c.sent_index], pack.metrics, "s_", f)
    if c.sent_index:
        _context(lemmas[c.sent_index - 1], pack.metrics, "p_", f)
    _context(article, pack.metrics, "a_", f)
    return f


# ---------------------------------------------------------------- the decision


@dataclass(frozen=True)
class Detector:
    """A pack's model and its two thresholds on P(figure), chosen by cross-validation: a
    rule's mention is dropped below `drop_below`; a number the rules passed over is added
    from `add_from` on, unless the pack's lists bar it. The rules' metric and subtype
    stand for what they found (their subtype words are more precise than a model of a few
    hundred figures)."""

    model: LinearModel
    drop_below: float
    add_from: float

    @classmethod
    def bundled(cls, pack: Pack) -> Detector | None:
        """The bundled detector for this pack, or None (then the rules decide alone)."""
        model = load_model(MODEL)
        if model is None or model.meta.get("pack") != pack.name:
            return None
        return cls(model, float(model.meta["drop_below"]), float(model.meta["add_from"]))

    def decide(self, c: FigureCandidate) -> str:
        """`none`, or the candidate's label (the rule's, or the model's most probable one
        that fits the candidate's unit)."""
        probabilities = self.model.probabilities(c.features)
        kinds = self.model.meta.get("kinds", {})
        fitting = {label: p for label, p in probabilities.items() if label != NONE
                   and (kinds.get(label.split(":", 1)[0]) == "area") == (c.kind == "area")}
        figure = sum(fitting.values())
        if c.rule is not None:
            if figure < self.drop_below:
                return NONE
            return label_of(c.rule.metric.id, c.rule.subtype)
        if not fitting or figure < self.add_from or c.barred:
            return NONE
        return max(sorted(fitting), key=lambda label: fitting[label])

    def kept(self, candidates_: Sequence[FigureCandidate]
             ) -> list[tuple[FigureCandidate, MetricRule, str | None]]:
        """The candidates kept as figures, each with its metric and subtype."""
        result = []
        for c in candidates_:
            label = self.decide(c)
            metric_id, _, subtype = label.partition(":")
            metric = next((m for m in c.pack.metrics if m.id == metric_id), None)
            if label != NONE and metric is not None:
                result.append((c, metric, subtype or None))
        return result
