"""Stages 3-5 for one article: nlp -> patterns -> normalize, giving Figure records.

Interface used by the pipeline and the CLI: `FigureExtractor(model, patterns_dir).extract(article)`.

How a figure is found, generically (the domain words come from the pattern packs):
1. the figure layer (`quantities.article_quantities`) gives every number with its unit;
2. a number with an area unit is an area figure; a number followed by one of a pack's
   objects ("anti-tank mines") is a count of that subtype; a number of people (or a bare
   number, "29 were injured") is a people figure;
3. the metric comes from the trigger word that governs the number in the dependency
   tree ("cleared", "planted", "died"), climbing from the number to its verb, then the
   verb's complements, then participles on the counted noun, then the nearest trigger
   in the sentence; a negative word ("sown") or a plan or possibility ("could help
   neutralize") there is no figure;
4. normalize.py adds qualifier, period, place and claimant from the sentence and the
   sentences before, and drops repeats (a headline restating the body).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from spacy.language import Language
from spacy.pipeline.tok2vec import Tok2VecListener
from spacy.tokens import Doc, Span, Token

from . import __version__, detect, normalize, periods
from .mentions import Mention
from .nlp import is_hypothetical, load_model, text_chunks, text_of, tree_distance
from .patterns import MetricRule, Pack, load_gazetteer, load_packs
from .quantities import Quantity, article_quantities, parse_number
from .record import AREA_UNITS, Article, Figure, Source

NUMBER_WORDS_AFTER = {"million", "thousand", "billion", "hundred", "mln", "bln", "-"}
ONE_WORDS = {"a", "an", "one"}
# A second area figure right after the first in these words restates it in another unit.
CONVERSION_GAP = re.compile(r"^\s*(?:\(\s*(?:about|around|approximately|some|nearly|almost|or)?\s*"
                            r"|,?\s+or\s+(?:about\s+|around\s+|some\s+|nearly\s+)?|\s*/\s*|\s*=\s*)$",
                            re.IGNORECASE)
VERB_POS = {"VERB", "AUX"}
DENOMINATOR = re.compile(r"\b(?:out\s+of|of\s+(?:the|a)\s+total(?:\s+of)?)\s*$", re.IGNORECASE)
NUMBER_OF = re.compile(
    r"\b(?:number|total|toll|count)\s+of\s+(?P<what>[\w-]+(?:\s+[\w-]+)?)\s+(?:[\w-]+\s+){0,6}?"
    r"(?:was|is|were|are|stood\s+at|stands\s+at|reached|rose\s+to|climbed\s+to|totals?|totalled"
    r"|amounted\s+to|to)\s+(?:about\s+|around\s+|over\s+|nearly\s+|some\s+)?$",
    re.IGNORECASE,
)
# "Two of our deminers", "188 of the victims": a part of a group of people
PARTITIVE = re.compile(r"\s+of\s+(?:the|our|their|its|his|her|these|those)\s+(?:own\s+)?"
                       r"(?P<noun>[A-Za-z]+)\b", re.IGNORECASE)
NOT_A_COUNT_AFTER = re.compile(
    r"\s*(?:times\b|-fold\b|fold\b|percent\b|per\s+cent\b|%|of\s+(?:the\s+|its\s+|their\s+)?"
    r"(?!them\b|whom\b|which\b|these\b|those\b|the\s+(?:victims|injured|dead|casualties)\b)"
    r"[A-Za-z])", re.IGNORECASE)
COPULA = re.compile(r"\s+(?:were|was|are|is)(?=\s)", re.IGNORECASE)
# Participles that make the counted thing a plan ("the 1,500 hectares planned for 2024");
# "land intended for farming" is land with a purpose, not a plan.
PLANNED = {"planned", "scheduled", "expected", "targeted", "envisaged", "projected", "foreseen"}
# "TM 62", "PMN-2", "F-1": a model name, not a count.
MODEL_NAME = re.compile(r"\b[A-Z]{1,4}[\s-]$")
# "This included ...", "of which ...": parts of what the sentence before counted.
INCLUSION = re.compile(r"\b(?:includ(?:ed|ing|es)|compris(?:ed|ing|es)|consist(?:ed|ing|s)\s+of"
                       r"|of\s+which|of\s+them|among\s+them|broken\s+down)\b", re.IGNORECASE)
# A sentence that opens by naming the whole it breaks down ("Of this area, ...")
PART_OPENING = re.compile(r"\s*(?:Of|Out\s+of|Among)\s+(?:this|that|these|those|which|them"
                          r"|the\s+(?:total|area|land|territory))\b", re.IGNORECASE)
# A longer text is parsed in pieces cut at paragraph (else sentence) boundaries: spaCy
# refuses texts over nlp.max_length, and its parser needs memory in proportion.
CHUNK_CHARS = 100_000
TOTAL_OF = re.compile(r"\b(?:number|total|count|tally)\s+of\s+(?P<rest>[\w\s-]{3,40}?)\b"
                      r"(?:removed|found|cleared|neutrali[sz]ed|destroyed|defused)?[^.;]{0,60}"
                      r"\b(?:to|at|reached|of|is|was|stood\s+at)\s+(?:about\s+|around\s+|over\s+)?$",
                      re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    """What finding figures gives, before attribution: the sentences and the mentions."""

    sentences: list[Span]
    mentions: list[Mention]


def deferrable(nlp: Language) -> tuple[str, ...]:
    """Components that finding figures does not read, run only over documents that hold
    a figure: the entity recognizer, when it is the last component and has a token
    encoder of its own (so its entities do not depend on when it runs)."""
    names = nlp.pipe_names
    if not names or names[-1] != "ner":
        return ()
    model = nlp.get_pipe("ner").model
    if any(isinstance(node, Tok2VecListener) for node in model.walk()):
        return ()
    return ("ner",)


class FigureExtractor:
    """Loads the spaCy model and pattern packs once; extracts figures from many articles."""

    def __init__(
        self,
        model: str | None = None,
        patterns_dir: Path | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        self.model = model
        self.patterns_dir = patterns_dir
        self.packs = load_packs(patterns_dir)
        self.gazetteer = load_gazetteer(patterns_dir)
        self.nlp = nlp if nlp is not None else load_model(model)
        self.normalizer = normalize.Normalizer(self.packs, self.gazetteer)
        # pack name -> its learned detector; a pack without one keeps the rules' say
        self.detectors: dict[str, detect.Detector] = {}
        for pack in self.packs:
            found = detect.Detector.bundled(pack)
            if found is not None:
                self.detectors[pack.name] = found
        self.chunk_chars = min(self.nlp.max_length, CHUNK_CHARS)
        self.deferred = deferrable(self.nlp)

    def extract(self, article: Article) -> list[Figure]:
        if len(article.text) > self.chunk_chars:
            return self._extract_long(article)
        doc = self.nlp(article.text, disable=self.deferred)
        return self.figures_of(doc, self.find(doc), article.source.published,
                                 article.source)

    def _extract_long(self, article: Article) -> list[Figure]:
        """A text too long for one parse, piece by piece; offsets index the whole text."""
        figures = []
        for offset, chunk in text_chunks(article.text, self.chunk_chars):
            # One piece at a time: nlp.pipe would hold a whole batch of parsed pieces.
            doc = self.nlp(chunk, disable=self.deferred)
            for figure in self.figures_of(doc, self.find(doc), article.source.published,
                                           article.source):
                figure.start, figure.end = figure.start + offset, figure.end + offset
                assert article.text[figure.start:figure.end] == figure.evidence
                figures.append(figure)
        return figures

    def extract_many(self, articles: Iterable[Article], batch_size: int = 16
                     ) -> Iterator[tuple[Article, list[Figure]]]:
        """Many articles through nlp.pipe, a batch at a time: the fast path for archives.
        The deferred components run, in one batch too, only over the documents that hold
        a figure."""
        pending = list(articles)
        for first in range(0, len(pending), batch_size):
            group = pending[first:first + batch_size]
            short = [a for a in group if len(a.text) <= self.chunk_chars]
            docs = list(self.nlp.pipe((a.text for a in short), batch_size=batch_size,
                                      disable=self.deferred))
            found = [self.find(doc) for doc in docs]
            self._complete([doc for doc, f in zip(docs, found, strict=True) if f.mentions],
                           batch_size)
            parsed = zip(docs, found, strict=True)  # in the order of `short`
            for article in group:
                if len(article.text) > self.chunk_chars:
                    yield article, self._extract_long(article)
                else:
                    doc, f = next(parsed)
                    yield article, self.figures_of(doc, f, article.source.published,
                                                    article.source, completed=True)

    def extract_doc(
        self, doc: Doc, published: str | None = None, source: Source | None = None
    ) -> list[Figure]:
        """Figures of a parsed document (its text is the body that offsets index)."""
        source = source or Source(published=published)
        return self.figures_of(doc, self.find(doc), published, source, completed=True)

    def find(self, doc: Doc) -> Found:
        """The figures' mentions of a document parsed without the deferred components."""
        sentences = list(doc.sents)
        usable = figure_quantities(doc, sentences)
        mentions = rule_mentions(doc, sentences, usable, self.packs)
        return Found(sentences, self.detected(doc, sentences, usable, mentions))

    def _complete(self, docs: list[Doc], batch_size: int = 16) -> None:
        """The deferred components over documents parsed without them."""
        for name in self.deferred:
            for _ in self.nlp.get_pipe(name).pipe(docs, batch_size=batch_size):
                pass  # each component sets its annotations on the docs in place

    def figures_of(self, doc: Doc, found: Found, published: str | None, source: Source,
                    completed: bool = False) -> list[Figure]:
        """Records of `found`: the deferred components run first unless `completed`."""
        if not found.mentions:
            return []  # no figure: no attribution, nothing the deferred components give
        if not completed:
            self._complete([doc])
        if source.sha256 is None:
            source = Article(text_of(doc), source).source
        figures = self.normalizer.figures(doc, found.sentences, found.mentions, published,
                                          source)
        for figure in figures:
            assert text_of(doc)[figure.start:figure.end] == figure.evidence
            figure.version = __version__
        return figures

    def detected(self, doc: Doc, sentences: list[Span], usable: list[list[Quantity]],
                 mentions: list[Mention]) -> list[Mention]:
        """The figures a pack's detector keeps among all candidate numbers (`detect.py`):
        a rule's mention kept (with its label) or dropped, a number the rules missed added."""
        # a number no detector judged (and a person worded "a man", "another": no number
        # at all) keeps the rules' say
        judged: set[int] = set()
        result: list[Mention] = []
        for pack in self.packs:
            if pack.name not in self.detectors:
                continue
            options = detect.candidates(doc, sentences, usable, pack, mentions)
            judged |= {id(c.rule) for c in options if c.rule is not None}
            for c, metric, subtype in self.detectors[pack.name].kept(options):
                if c.rule is not None:
                    result.append(replace(c.rule, metric=metric, subtype=subtype))
                else:
                    result.append(Mention(metric, pack, subtype, c.value, c.unit, c.start, c.end,
                                          c.number, c.sent, c.sent_index, noun=c.noun,
                                          bound=c.bound))
        result += [m for m in mentions if id(m) not in judged]
        return sorted(result, key=lambda m: (m.sent_index, m.start))


def figure_quantities(doc: Doc, sentences: list[Span]) -> list[list[Quantity]]:
    """Each sentence's numbers that may be figures: counts and areas, not dates, not model
    names ("TM 62"), and not a conversion that restates the area before it ("143 hectares
    (1,435,427 square meters)": one figure, in its first unit)."""
    text = text_of(doc)
    starts = [sent.start_char for sent in sentences]
    # each sentence's counts and areas, in the figure layer's order
    by_sentence: list[list[Quantity]] = [[] for _ in sentences]
    for q in article_quantities(text):
        index = bisect_right(starts, q.start) - 1
        if index >= 0 and q.start < sentences[index].end_char \
                and (q.unit in AREA_UNITS or q.unit == "count"):
            by_sentence[index].append(q)
    result = []
    for sent, quantities in zip(sentences, by_sentence, strict=True):
        if not quantities:
            result.append([])
            continue
        ctx = periods.DateContext(None, None)
        blocked = [(sent.start_char + m.start, sent.start_char + m.end)
                   for m in periods.find_period_mentions(sent.text, ctx)
                   if m.kind in ("range", "point", "since")]
        blocked += [(sent.start_char + a, sent.start_char + b)
                    for a, b in periods.day_dates(sent.text)]
        usable = []
        previous_area: Quantity | None = None
        for q in quantities:
            if any(s <= q.start < e for s, e in blocked) \
                    or MODEL_NAME.search(text[max(0, q.start - 6):q.start]):
                continue
            if q.unit in AREA_UNITS and previous_area is not None \
                    and CONVERSION_GAP.match(text[previous_area.end:q.start]):
                previous_area = q
                continue
            previous_area = q if q.unit in AREA_UNITS else None
            usable.append(q)
        result.append(usable)
    return result


def rule_mentions(doc: Doc, sentences: list[Span], usable: list[list[Quantity]],
                  packs: list[Pack]) -> list[Mention]:
    """What the packs' rules find, sentence by sentence."""
    mentions: list[Mention] = []
    for index, sent in enumerate(sentences):
        before = [m for m in mentions if m.sent_index == index - 1]
        people = [m for m in mentions if index - 3 <= m.sent_index < index
                  and m.metric.kind == "people"]
        for pack in packs:
            mentions.extend(_sentence_mentions(doc, sent, index, usable[index], pack, before,
                                               people))
    _resolve_totals(mentions)
    return mentions


# ---------------------------------------------------------------- one sentence


def _token_at(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _number_end(doc: Doc, first: Token, limit: int) -> Token:
    """The last token of the number that starts at `first` ("1.7 million", "Thirty-six")."""
    last = first
    for tok in doc[first.i + 1:]:
        if tok.idx >= limit:
            break
        if tok.like_num or (tok.lower_ in NUMBER_WORDS_AFTER and tok.i + 1 < len(doc) \
                and (tok.lower_ != "-" or doc[tok.i + 1].like_num)):
            last = tok
        else:
            break
    return last


def _sentence_mentions(
    doc: Doc, sent: Span, index: int, quantities: list[Quantity], pack: Pack,
    previous: list[Mention], people_before: list[Mention] | None = None,
) -> list[Mention]:
    mentions: list[Mention] = []
    for q in quantities:
        first = _token_at(doc, q.start)
        if first is None:
            continue
        if first.lower_ in ("a", "an") and first.i + 1 < sent.end:
            first = first.nbor(1)  # "a dozen children": the number word, not the article
        if q.unit in AREA_UNITS:
            if DENOMINATOR.search(text_of(doc)[max(0, q.start - 30):q.start]):
                continue  # "104,000 hectares out of 683,000": the whole, not a figure of it
            mentions.extend(_area_mention(doc, sent, index, q, first, pack, previous))
            continue
        number_last = _number_end(doc, first, sent.end_char)
        number_end = number_last.idx + len(number_last.text)
        after = text_of(doc)[number_end:sent.end_char]
        if after.startswith("+"):  # "294,000+ landmines": more than
            q = replace(q, bound=">")
            number_end += 1
            after = after[1:]
        obj = pack.match_object(after)
        copula = COPULA.match(after)
        if obj is None and copula:
            # "Of the items, 210 were anti-personnel mines": the object after the copula
            found = pack.match_object(after[copula.end():])
            obj = (found[0], found[1] + copula.end()) if found else None
        if obj is None:
            obj = _object_before(text_of(doc)[sent.start_char:q.start], pack)
        if obj is not None:
            mentions.extend(_count_mention(doc, sent, index, q, first, number_end, obj, pack,
                                           previous))
        else:
            mentions.extend(_people_mention(doc, sent, index, q, first, number_last, pack))
    mentions.extend(_one_person_mentions(doc, sent, index, pack, mentions))
    _resolve_only_with(mentions, pack, previous)
    # "Two residents were injured ... One of them lost his left foot": a part of a count
    # of the same kind is a detail of it, not another figure
    wholes = [m for m in (people_before or []) + mentions
              if m.metric.kind == "people" and not m.partitive]

    def detail(m: Mention) -> bool:
        whole = max((w for w in wholes if w.start < m.start), key=lambda w: w.start,
                    default=None)  # what "of them" refers to
        return whole is not None and whole.metric is m.metric and whole.subtype == m.subtype \
            and whole.value > m.value

    mentions = [m for m in mentions if not (m.partitive and detail(m))]
    return _drop_consumed(mentions)


def _area_mention(doc: Doc, sent: Span, index: int, q: Quantity, first: Token, pack: Pack,
                  previous: list[Mention]) -> list[Mention]:
    metrics = [m for m in pack.metrics if m.kind == "area"]
    found = _find_trigger(first, metrics, pack, sent)
    earlier = [m for m in previous if m.metric.kind == "area" and m.pack is pack]
    if found is None and earlier and (
            PART_OPENING.match(sent.text)
            or INCLUSION.search(text_of(doc)[sent.start_char:q.start])):
        # "Of this area, 610 hectares were in Izium district": a part of the area the
        # sentence before counted, with its metric
        found = (earlier[-1].metric, None, None)
    if found is None:
        return []
    metric, _, _ = found
    end = q.end
    # The evidence keeps a conversion in brackets with the figure.
    tail = re.match(r"\s*\([^()]{1,60}\)", text_of(doc)[end:sent.end_char])
    if tail and re.search(r"\d", tail[0]) and any(
            unit in tail[0].lower() for unit in ("acre", "hectare", "square", "sq", "km", "m2")):
        end += tail.end()
    return [Mention(metric, pack, None, q.value, AREA_UNITS[q.unit], q.start, end, first, sent,
                    index, bound=q.bound)]


def _object_before(before: str, pack: Pack) -> tuple | None:
    """"the total number of explosives removed ... up to 3,534": the object named before."""
    m = TOTAL_OF.search(before)
    if m is None:
        return None
    found = pack.match_object(" " + m["rest"])
    return (found[0], 0) if found is not None else None


def _count_mention(doc: Doc, sent: Span, index: int, q: Quantity, first: Token, number_end: int,
                   obj: tuple, pack: Pack, previous: list[Mention]) -> list[Mention]:
    rule, length = obj
    metrics = [m for m in pack.metrics if m.kind == "count" and rule.subtype in m.objects]
    found = _find_trigger(first, metrics, pack, sent)
    if found is not None:
        metric = found[0]
    elif INCLUSION.search(sent.text):
        # "This included 4,286 anti-personnel mines, ...": the sentence before said what.
        metric = next((m.metric for m in reversed(previous) if m.metric in metrics), None)
        if metric is None:
            return []
    else:
        return []
    end = number_end + length
    subtype = "only_with:" + rule.subtype if rule.only_with else rule.subtype
    mention = Mention(metric, pack, subtype, q.value, "count", q.start, end, first, sent, index,
                      bound=q.bound, object_rule=rule)
    mention.noun = ",".join(rule.only_with) if rule.only_with else None
    return [mention]


def _resolve_only_with(mentions: list[Mention], pack: Pack, previous: list[Mention]) -> None:
    """"a total number of 105,488 units" counts as mines and UXO only beside such figures;
    "1,150 items were cleared" right after a sentence that counted one kind of thing
    counts that kind."""
    subtypes = {m.subtype for m in mentions}
    before = [m for m in previous if m.metric.kind == "count" and m.pack is pack]
    for m in list(mentions):
        if m.subtype and m.subtype.startswith("only_with:"):
            needed = set((m.noun or "").split(","))
            if len(needed & subtypes) >= 2:
                m.subtype, m.noun = m.subtype.split(":", 1)[1], None
            elif len(mentions) == 1 and before and len({b.subtype for b in before}) == 1:
                m.subtype, m.noun = before[0].subtype, None
            elif m.object_rule is not None and m.object_rule.otherwise:
                m.subtype, m.noun = m.object_rule.otherwise, None
            else:
                mentions.remove(m)


def _resolve_totals(mentions: list[Mention]) -> None:
    """"412 explosive objects, including 16 anti-personnel mines, ...": a generic word is a
    total of mines and UXO when its sentence counts mines too, or when one sentence's
    counts add up to it."""
    by_sentence: dict[int, list[Mention]] = {}
    for m in mentions:
        by_sentence.setdefault(m.sent_index, []).append(m)
    for m in mentions:
        rule = m.object_rule
        if rule is None or not rule.total_of or not rule.total_subtype:
            continue
        after = [o for o in by_sentence.get(m.sent_index, []) if o.start > m.end]
        parts = [o for o in after if o.subtype in rule.total_of]
        if parts and INCLUSION.search(text_of(m.sent.doc)[m.end:min(o.start for o in parts)]):
            m.subtype = rule.total_subtype
            continue
        for group in by_sentence.values():
            parts = [o for o in group if o is not m and o.metric is m.metric
                     and o.subtype in (*rule.total_of, rule.subtype)]
            if any(o.subtype in rule.total_of for o in parts) \
                    and abs(sum(o.value for o in parts) - m.value) < 0.5:
                m.subtype = rule.total_subtype
                break


def _people_mention(doc: Doc, sent: Span, index: int, q: Quantity, first: Token,
                    number_last: Token, pack: Pack) -> list[Mention]:
    after = text_of(doc)[number_last.idx + len(number_last.text):sent.end_char]
    partitive = PARTITIVE.match(after)
    if partitive and partitive["noun"].lower() in pack.people:
        noun_tok = _token_at(doc, number_last.idx + len(number_last.text) + partitive.start("noun"))
    elif NOT_A_COUNT_AFTER.match(after):
        return []  # "three times the 390 casualties", "one of Myanmar's 14 states"
    else:
        noun_tok = _counted_noun(number_last)
    if noun_tok is None and COPULA.match(after):
        # "221 are civilians": the group a number of victims is
        noun_tok = next((c for c in number_last.head.children if c.dep_ == "attr"
                         and c.pos_ == "NOUN"), None)
    borrowed = noun_tok is None and q.noun is not None
    if borrowed:
        noun_tok = _antecedent(q.noun, sent, number_last)
    noun = _noun_phrase(noun_tok) if noun_tok is not None else None
    metrics = [m for m in pack.metrics if m.kind == "people"]
    # "69 fatalities and 308 injuries": the counted noun names the event itself
    nominal = _match_trigger(noun_tok, metrics) if noun_tok is not None \
        and not _is_people(noun_tok, pack) and noun_tok.pos_ == "NOUN" else None
    if noun_tok is not None and not _is_people(noun_tok, pack) and not (nominal and nominal[1]):
        return []
    if not metrics:
        return []
    found = (nominal[0], noun_tok, _nominal_subtype(noun_tok, nominal)) \
        if nominal and noun_tok is not None and nominal[1] \
        else _find_trigger(first, metrics, pack, sent, people=True)
    if found is None:
        found = _trigger_before(doc, sent, q, metrics)
    if found is None:
        return []
    metric, trigger, subtype = found
    if detect.caused_by_excluded(trigger, metric):
        return []  # "Israeli strikes have killed 344 people", "the war has killed ..."
    value, end = q.value, q.end
    if noun_tok is not None and not borrowed:
        end = max(end, noun_tok.idx + len(noun_tok.text))
        extra, extra_end = _coordinated_people(noun_tok, pack)
        if abs(extra - value) > 0.5:  # "45 citizens, 35 civilians and 10 servicemen": parts
            value += extra
            end = max(end, extra_end)
    if trigger.idx > end and trigger.i - number_last.i <= 8 and trigger.sent == sent:
        end = trigger.idx + len(trigger.text)
    return [Mention(metric, pack, subtype, value, "count", q.start, end, first, sent, index,
                    noun=noun, bound=q.bound, trigger_i=trigger.i,
                    partitive=bool(re.match(r"\s+of\s+(?:them|whom|these|those)\b", after,
                                            re.IGNORECASE)))]


def _antecedent(noun: str, sent: Span, number: Token) -> Token | None:
    """The word a number with its noun left out counts, earlier in its sentence: the
    figure layer's borrowed noun ("57 victims were identified, then 244 were reported in
    2018, 353 in 2019", "56 victims ..., compared to 84 in 2016": dev b5-003, b5-008)."""
    return next((t for t in reversed(sent.doc[sent.start:number.i])
                 if t.pos_ == "NOUN" and noun in (t.lower_, t.lemma_.lower())), None)


def _nominal_subtype(noun: Token, hit: tuple[MetricRule, str | None]) -> str | None:
    """"59 deaths and injuries": both kinds under one number are the total; not "69
    fatalities and 308 injuries", where each has its own number."""
    metric, subtype = hit
    for conj in noun.conjuncts:
        if any(c.dep_ == "nummod" for c in conj.children):
            continue
        again = _match_trigger(conj, [metric])
        if again is not None and again[1] not in (None, subtype) and "total" in metric.subtypes:
            return "total"
    return subtype


def _trigger_before(doc: Doc, sent: Span, q: Quantity, metrics: list[MetricRule]
                    ) -> tuple[MetricRule, Token, str | None] | None:
    """"the number of victims was 145": the trigger names the count before the number."""
    m = NUMBER_OF.search(text_of(doc)[sent.start_char:q.start])
    if m is None:
        return None
    for tok in doc.char_span(sent.start_char + m.start("what"), sent.start_char + m.end("what"),
                             alignment_mode="expand") or []:
        hit = _match_trigger(tok, metrics)
        if hit is not None:
            return hit[0], tok, hit[1]
    return None


def _counted_noun(number_last: Token) -> Token | None:
    """The noun a number counts: its head when it modifies one, or the noun after it."""
    head = number_last.head
    if number_last.dep_ in ("nummod", "quantmod", "compound") and head.pos_ in ("NOUN", "PROPN") \
            and head.i > number_last.i:
        return head
    nxt = number_last.nbor(1) if number_last.i + 1 < len(number_last.doc) else None
    while nxt is not None and nxt.pos_ in ("ADJ", "PROPN") and nxt.i + 1 < len(nxt.doc) \
            and nxt.dep_ in ("amod", "compound"):
        nxt = nxt.nbor(1)
    if nxt is not None and nxt.pos_ == "NOUN":
        return nxt
    return None


def _noun_phrase(noun: Token) -> str:
    """The counted noun with its compounds and adjectives ("military personnel")."""
    words = [c.lower_ for c in noun.lefts if c.dep_ in ("compound", "amod")] + [noun.lower_]
    return " ".join(words)


def _is_people(tok: Token, pack: Pack) -> bool:
    """A noun of the pack's people, or a plural proper noun such as a nationality ("over a
    thousand Yemenis", "270 Ukrainians": dev b4-008, b2-006), which no word list keeps up
    with (the tagger's NNPS: entities are not yet known when figures are found)."""
    return (tok.lower_ in pack.people or tok.lemma_.lower() in pack.people
            or tok.tag_ == "NNPS")


def _coordinated_people(noun: Token, pack: Pack) -> tuple[float, int]:
    """"two journalists and a government official": what the coordinated nouns add."""
    extra, end = 0.0, 0
    for conj in noun.conjuncts:
        if conj.i < noun.i or not _is_people(conj, pack):
            continue
        count = None
        for child in conj.children:
            if child.dep_ == "nummod":
                try:
                    count = parse_number(child.text)
                except ValueError:
                    count = None
            elif child.dep_ == "det" and child.lower_ in ONE_WORDS:
                count = 1.0
        if count is None:
            return 0.0, 0
        extra += count
        end = max(end, conj.idx + len(conj.text))
    return extra, end


def _one_person_mentions(doc: Doc, sent: Span, index: int, pack: Pack, found: list[Mention]
                         ) -> list[Mention]:
    """"a man was killed": one person, worded with an article."""
    metrics = [m for m in pack.metrics if m.kind == "people"]
    taken = [(m.start, m.end) for m in found]
    result = []
    for tok in sent:
        if tok.pos_ != "NOUN" or tok.lower_ not in pack.people or tok.tag_ not in ("NN",):
            continue
        if tok.dep_ not in ("nsubj", "nsubjpass", "dobj") \
                or any(s <= tok.idx < e for s, e in taken):
            continue
        det = next((c for c in tok.children if c.dep_ == "det"
                    and c.lower_ in ("a", "an", "another")), None)
        if det is None or not metrics:
            continue
        hit = _find_trigger(tok, metrics, pack, sent, people=True)
        if hit is None:
            continue
        metric, trigger, subtype = hit
        extra, extra_end = _coordinated_people(tok, pack)
        end = max(tok.idx + len(tok.text), extra_end)
        if trigger.idx > end and trigger.i - tok.i <= 10:
            end = trigger.idx + len(trigger.text)
        result.append(Mention(metric, pack, subtype, 1.0 + extra, "count", det.idx, end, tok,
                              sent, index, noun=tok.lower_))
        taken.append((det.idx, end))
    result.extend(_elliptical_person(sent, index, pack, metrics, taken))
    return result


def _elliptical_person(sent: Span, index: int, pack: Pack, metrics: list[MetricRule],
                       taken: list[tuple[int, int]]) -> list[Mention]:
    """"a third seriously injured", "another was killed": one more person, the noun left
    out because the sentence counted people before."""
    result = []
    for tok in sent:
        if tok.lower_ not in ("another", "third", "second", "fourth", "fifth", "sixth"):
            continue
        first = tok if tok.lower_ == "another" else (
            tok.nbor(-1) if tok.i > sent.start and tok.nbor(-1).lower_ == "a" else None)
        if first is None or any(s <= first.idx < e for s, e in taken):
            continue
        for nxt in sent.doc[tok.i + 1:min(sent.end, tok.i + 5)]:
            if nxt.pos_ in ("AUX", "ADV", "PART"):
                continue
            hit = _match_trigger(nxt, metrics) if nxt.pos_ in ("VERB", "ADJ") else None
            if hit is not None and hit[1] is not None \
                    and not is_hypothetical(nxt, pack.hypothetical, pack.achieved):
                end = nxt.idx + len(nxt.text)
                result.append(Mention(hit[0], pack, hit[1], 1.0, "count", first.idx, end, tok,
                                      sent, index))
            break
    return result


def _drop_consumed(mentions: list[Mention]) -> list[Mention]:
    """A figure inside another's evidence that the other counts (coordinated people), and
    a part with no event of its own ("Three people were injured ..., one of them a
    deminer"): the event word is its whole's."""
    result = []
    for m in mentions:
        inner = any(o is not m and o.metric.kind == "people" and m.metric.kind == "people"
                    and ((o.start < m.start < o.end)
                         or (m.partitive and m.trigger_i is not None
                             and o.trigger_i == m.trigger_i))
                    and o.value > m.value for o in mentions)
        if not inner:
            result.append(m)
    return result


# ---------------------------------------------------------------- triggers


def _keys(tok: Token) -> tuple[str, str]:
    return tok.lower_, tok.lemma_.lower()


def _match_trigger(tok: Token, metrics: list[MetricRule]) -> tuple[MetricRule, str | None] | None:
    rest = text_of(tok.doc)[tok.idx:tok.idx + 30].lower()
    for metric in metrics:
        # phrases first: "lost their lives" (killed) is not "lost a leg" (injured)
        for phrase in (w for w in metric.all_triggers if " " in w):
            if rest.startswith(phrase) and not rest[len(phrase):len(phrase) + 1].isalpha():
                return metric, (metric.trigger_subtype(phrase) if metric.kind == "people"
                                else None)
    for metric in metrics:
        for key in _keys(tok):
            if metric.kind == "people":
                subtype = metric.trigger_subtype(key)
                if subtype:
                    return metric, subtype
            elif key in metric.triggers:
                return metric, None
    return None


def _planned_noun(noun: Token, pack: Pack) -> bool:
    """"the 1,500 hectares planned for this year": the counted thing is a plan."""
    return any(c.dep_ in ("acl", "amod", "relcl") and c.lower_ in PLANNED
               for c in noun.children)


def _uncertain_ok(metric: MetricRule) -> bool:
    """Estimates and contamination are stated with "may" and "could"; events are not."""
    return metric.stock or metric.as_of_publication


def _joint_subtype(tok: Token, hit: tuple[MetricRule, str | None], metrics: list[MetricRule]
                   ) -> str | None:
    """"killed or injured", "dead and wounded": both kinds at once are the total."""
    metric, subtype = hit
    if metric.kind != "people" or subtype is None:
        return subtype
    own = ("nsubj", "nsubjpass", "dobj")
    others = [c for c in tok.children if c.dep_ == "conj"
              and not any(g.dep_ in own for g in c.children) and not _numbered(c)]
    if tok.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children) \
            and not any(c.dep_ == "dobj" for c in tok.head.children) \
            and not _numbered(tok) and not _numbered(tok.head):
        others.append(tok.head)  # "killed or injured more than 400 people"
    for other in others:
        # not "six were killed and 29 were injured", "killed 11 and injured 24 others"
        # and not "a landmine exploded and killed four": the event's verb is no kind of harm
        again = _match_trigger(other, [metric])
        if again is not None and again[1] not in (None, subtype, "total"):
            return "total" if "total" in metric.subtypes else subtype
    return subtype


def _numbered(verb: Token) -> bool:
    """A participle with a number of its own, as a list item ("including 188 killed and 864
    wounded"): the parser hangs the number on it or it on the number, and either way it
    counts its own kind, not the total of a joint "killed and wounded"."""
    return any(c.dep_ == "nummod" and c.like_num for c in verb.children) \
        or (verb.dep_ in ("acl", "amod") and verb.head.like_num)


def _unfinished(metric: MetricRule, trigger: Token, metrics: list[MetricRule]) -> MetricRule:
    """"still to be cleared", "left to clear": work still to do is the metric the pack names
    for it."""
    if metric.unfinished is None or not any(c.dep_ == "aux" and c.lower_ == "to"
                                            for c in trigger.children):
        return metric
    heads = [trigger, trigger.head, trigger.head.head]  # "have 1,600 km2 to clear"
    near = [*heads, *(c for t in heads for c in t.children)]
    if not any(t.lower_ in metric.unfinished_cues or t.lemma_.lower() in metric.unfinished_cues
               for t in near):
        return metric
    return next((m for m in metrics if m.id == metric.unfinished), metric)


def _negative(tok: Token, metrics: list[MetricRule]) -> bool:
    return any(key in m.negative for m in metrics for key in _keys(tok))


def _chain(number: Token) -> list[Token]:
    """The number's own word, its heads up to the first verb, and that verb's conjuncts."""
    chain = [number]
    tok = number
    while tok.head.i != tok.i:
        tok = tok.head
        chain.append(tok)
        if tok.pos_ in VERB_POS and tok.dep_ not in ("amod", "acl", "relcl", "aux", "auxpass"):
            # "found and neutralized"; not "became victims, and 69 of them died"
            chain.extend(c for c in tok.conjuncts if c.pos_ in VERB_POS and not any(
                g.dep_ in ("nsubj", "nsubjpass") for g in c.children))
            break
    return chain


def _find_trigger(
    number: Token, metrics: list[MetricRule], pack: Pack, sent: Span, *, people: bool = False
) -> tuple[MetricRule, Token, str | None] | None:
    """The metric whose trigger governs the number, or None (no trigger, a negative one,
    or only plans and possibilities)."""
    chain = _chain(number)
    verb = chain[-1]
    noun = next((t for t in chain[1:] if t.pos_ in ("NOUN", "PROPN")), number)
    if _planned_noun(noun, pack):
        return None
    following = [number.nbor(1)] if number.i + 1 < len(number.doc) else []
    if following and following[0].lower_ in ("other", "others", "more") \
            and number.i + 2 < sent.end:
        following.append(number.nbor(2))  # "one other wounded heavily"
    if following and following[0].lower_ == "of" and number.i + 3 < len(number.doc) \
            and number.nbor(2).lower_ in ("them", "whom", "these", "those"):
        following.append(number.nbor(3))  # "11 of them fatally"
    # A conjoined noun ("..., and three others, including a woman, sustained injuries") may
    # carry its own trigger, which the parser hangs somewhere below it: read it before the verb
    # of the first conjunct, whose trigger ("lost their lives") is the other group's.
    conj = next((k for k, t in enumerate(chain) if t.dep_ == "conj" and t.pos_ == "NOUN"),
                len(chain))
    own = [t for t in chain[conj].subtree if t.i > chain[conj].i] if conj < len(chain) else []
    tiers: list[list[Token]] = [
        # "13 injured", "two dead": the word right after the number
        [t for t in following if t.pos_ in ("ADJ", "VERB", "ADV")],
        chain[:conj + 1],
        own,
        chain[conj + 1:],
        [c for c in verb.children if c.dep_ in ("attr", "dobj", "acomp", "oprd", "prep", "agent",
                                                 "advcl", "xcomp", "nsubj", "nsubjpass")]
        + [g for c in verb.children if c.dep_ == "prep" for g in c.children]
        # "3,446 citizens have been victims ..., X told Trend": the copula's complement
        + [c for t in chain[1:-1] if t.pos_ == "AUX" for c in t.children
           if c.dep_ in ("attr", "acomp")],
        [c for t in (number, noun) for c in t.children
         if c.dep_ in ("acl", "relcl", "amod", "appos")] + following,
    ]
    planned = False
    for tier in tiers:
        for tok in tier:
            if tok.i < sent.start or tok.i >= sent.end:
                continue
            if _negative(tok, metrics):
                return None
            hit = _match_trigger(tok, metrics)
            if hit is not None and _unfinished(hit[0], tok, metrics) is not hit[0]:
                # "1,600 km2 still to clear": what remains, whatever the infinitive suggests
                return _unfinished(hit[0], tok, metrics), tok, None
            if hit is not None and is_hypothetical(tok, pack.hypothetical, pack.achieved) \
                    and not _uncertain_ok(hit[0]):
                planned = True  # a plan governs the figure; only a word on it may still say
                continue
            if hit is None:
                continue
            return hit[0], tok, _joint_subtype(tok, hit, metrics)
    if people or planned:
        return None
    scored = []
    for tok in sent:
        hit = _match_trigger(tok, metrics)
        if hit is not None and not is_hypothetical(tok, pack.hypothetical, pack.achieved) \
                and not _negative(tok, metrics):
            scored.append((tree_distance(number, tok), abs(tok.i - number.i), tok, hit))
    if not scored:
        return None
    _, _, tok, hit = min(scored, key=lambda s: (s[0], s[1]))
    return hit[0], tok, hit[1]
