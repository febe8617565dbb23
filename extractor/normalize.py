"""Mentions -> Figure records: qualifier, unit, period, place, claimant, group; repeats out.

An article is read in order and keeps what is in force from one sentence to the next:
the reporting period ("In the reporting period, ..."), the place, and who is speaking
("He noted that ..."). Places and organisations come from the packs' gazetteers first,
then from spaCy's entities, then from the text's own wording ("Chiragli village").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Span, Token

from . import claimants, periods
from . import places as place_resolver
from .document import Document
from .nlp import ents_in, governing_verb, heading_like, text_of, tree_distance
from .patterns import Gazetteer, Pack, Place
from .record import HECTARES_PER_UNIT, Figure, Source, compact_period

if TYPE_CHECKING:
    from .mentions import Mention

BOUND_QUALIFIER = {"=": "exact", "~": "approx", ">": "min", "<": "max"}

# English attribution: verbs whose subject is the source of what follows.
REPORT_VERBS = frozenset((
    "issued", "issues", "say", "said", "says", "tell", "told", "report", "reported", "reports",
    "note", "noted",
    "notes", "state", "stated", "states", "announce", "announced", "announces", "add",
    "added", "adds", "stress", "stressed", "stresses", "disclose", "disclosed", "reveal",
    "revealed", "reveals", "inform", "informed", "informs", "explain", "explained", "declare",
    "declared", "confirm", "confirmed", "claim", "claimed", "estimate", "estimated",
    "publish", "published", "release", "released", "share", "shared", "disseminate",
    "disseminated", "present", "presented", "show", "showed", "shows", "indicate",
    "indicated", "mention", "mentioned", "emphasize", "emphasized", "underline", "underlined",
    "highlight", "highlighted", "specify", "specified", "clarify", "clarified", "convinced",
    "believe", "believes", "believed", "warn", "warned", "write", "wrote", "writes", "record",
    "recorded", "register", "registered", "document", "documented",
))
SOURCE_MARKERS = {"citing", "quoting", "referring", "reference", "via"}
PRONOUNS = {"he", "she", "they", "it", "we", "i", "him", "her", "them"}
DOCUMENT_NOUNS = {"report", "reports", "statement", "statements", "information", "data",
                  "statistics", "figures", "investigation", "investigations", "results",
                  "estimates", "sources", "records", "document", "update", "release"}
AGENCY_NOUNS = {"agency", "ministry", "organization", "organisation", "authority", "center",
                "centre", "service", "office", "project", "department", "committee", "company",
                "union", "campaign", "group", "programme", "program", "administration",
                "institute", "commission", "council", "team", "teams", "trust", "foundation",
                "association", "prosecutor", "army", "forces", "police", "government",
                "operations", "brigade", "bureau", "directorate", "mission", "staff"}
# Head nouns of a body the text describes in its own words ("the U.N. monitoring mission").
INSTITUTION_NOUNS = {"mission", "office", "committee", "council", "commission", "service",
                     "department", "ministry", "agency", "authority", "directorate", "centre",
                     "center", "administration", "observatory", "monitor", "programme", "program"}
# Descriptions of a body that stand for the one named before ("by the agency staff").
AGENT_NOUNS = {"agency", "ministry", "organization", "organisation", "authority", "project",
               "centre", "center", "directorate", "commission", "administration"}
TITLE_WORDS = {"chairman", "chair", "head", "director", "spokesperson", "spokesman",
               "spokeswoman", "representative", "minister", "deputy", "instructor", "chief",
               "official", "officer", "president", "board", "member", "advisor", "adviser"}
PLACE_KIND_WORDS = ("village|settlement|town|city|district|province|region|oblast|Oblast"
                    "|governorate|municipality|rayon|county|commune|reservoir|lake|river|valley")
NAME = (r"(?!(?:In|On|At|The|From|Of|For|By|To|And|Near|Across|Since|During|After|Before|An?)"
        r"\b)[A-Z][\w'’-]+")
TEXT_PLACES = (
    re.compile(rf"\b(?P<name>{NAME}(?:\s+{NAME})?)\s+(?P<kind>{PLACE_KIND_WORDS})\b"),
    re.compile(rf"\b(?P<kind>village|town|city|province|region|district|settlement|municipality"
               rf"|governorate|department)\s+of\s+(?P<name>{NAME}(?:\s+{NAME}){{0,2}})"),
    re.compile(rf"\bin\s+(?:central|northern|southern|eastern|western|north-?eastern"
               rf"|north-?western|south-?eastern|south-?western|rural)\s+(?P<name>{NAME})"),
)
PLACE_LIST = re.compile(
    rf"\b(?P<kind>provinces|districts|regions|governorates|villages|municipalities|cities)"
    rf"\s+of\s+(?P<names>{NAME}(?:,\s+{NAME})*,?\s+and\s+{NAME})"
)
KIND_RANK = {"village": 0, "settlement": 0, "reservoir": 0, "lake": 0, "river": 1, "valley": 3,
             "town": 2, "city": 2, "commune": 1,
             "municipality": 3, "district": 4, "rayon": 4, "county": 4, "province": 5,
             "oblast": 5, "governorate": 5, "department": 5, "region": 6}
DEMONYM_NOUNS = ("lands?|territor(?:y|ies)|soil|citizens?|civilians?|nationals?|people|villages?"
                 "|regions?|districts?|population|farmers|residents")
DATELINE = re.compile(
    r"(?m)^[ \t]*(?:\([^)\n]{0,40}\)\s*)?(?:[A-Z][A-Za-z'’ -]{1,30})(?:,\s*[A-Z][A-Za-z ]{1,30})?"
    r"(?:,\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}\b\.?"
    r"(?:\s*\([^)\n]{1,30}\)(?:\s+[-–—])?)?"
    r"|\s*\([^)\n]{1,20}\)\s+[-–—]\s|\s+[–—]\s)"  # "BAGHDAD (AP) - ", "KYIV — "
)
# The publication stamp some pages open with ("date 2023-03-06"), before their dateline
# (dev b1-013, b1-015, 015).
DATE_STAMP = re.compile(r"\s*date\s+\d{4}-\d{2}-\d{2}\s+")
# Dates right after these words date an event, not a figure ("liberated in November 2022").
EVENT_BEFORE = re.compile(
    r"\b(?:liberated|launched|founded|established|ended|began|started|signed|occupied|born"
    r"|created|adopted|erupted|broke\s+out)\s+(?:by\s+(?:[\w'’-]+\s+){1,3})?$",
    re.IGNORECASE,
)
# "the National Mine Action Centre (NMAC)", "DanChurchAid (DCA)": an acronym defined in the text
ACRONYM_DEFINED = re.compile(
    r"(?:the\s+)?(?P<long>[A-Z][\w'’.-]*(?:\s+(?:of|for|and|the|de|on|[A-Z][\w'’.-]*))*?)"
    r"\s*\((?P<short>[A-Z][A-Za-z]{1,9})\)")
ORIGIN_NOUNS = {"resident", "native", "citizen", "inhabitant", "villager", "local", "refugee",
                "idp"}
# Verbs whose subject is who acted, never where ("Armenia planted mines in ...").
ACTOR_VERBS = {"plant", "lay", "leave", "scatter", "drop", "fire", "launch", "hand", "attack",
               "occupy", "bury", "place", "use", "deploy", "shell"}
REACHING = re.compile(r"\b(?:bring|bringing|brought|brings|raising|raised|rising|rose|total)\b")
BREAKDOWN_START = re.compile(
    r"\s*[\"“]?(?:(?:\d[\d,]*|[A-Za-z]+(?:-[a-z]+)?)\s+of\s+(?:them|whom|these|those)\b"
    r"|(?:Of|Among)\s+(?:them|these|those|the\s+victims)\b)", re.IGNORECASE)
ANAPHORIC_OF = re.compile(r"\s+of\s+(?:them|whom|which|these|those)\b", re.IGNORECASE)
TIME_PHRASE = re.compile(r"\b(?:since|after|before|until|end\s+of|start\s+of|beginning\s+of)"
                         r"\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?(war|hostilities|conflict|fighting"
                         r"|occupation|clashes|aggression)\b", re.IGNORECASE)
LIST_INSIDE = re.compile(r"\s+(?:districts?|provinces?|villages?)?\s*in\s+(?:the\s+)?")
NATIONWIDE = re.compile(r"\b(?:nationwide|countrywide|across\s+the\s+country|throughout\s+the"
                        r"\s+country|in\s+the\s+whole\s+country|nationally)\b", re.IGNORECASE)
RELATIVE_AFTER = re.compile(r",\s+(?:where|which|who|whose)\b", re.IGNORECASE)
# "while" as a contrast, not as time ("while on patrol", "while working")
CONTRAST = re.compile(r"\b(?:compared\s+(?:with|to)|versus|vs\.?|against|whereas|but"
                      r"|while(?!\s+(?:on|in|at|during|\w+ing)\b)|up\s+from|down\s+from)\b",
                      re.IGNORECASE)
SUBSET_BEFORE = re.compile(
    r"\b(?:(?:most|one|some|two|three|several|many|few)\s+of\s+(?:them|whom)|mostly|mainly|largely|majority|including|especially"
    r"|particularly|notably|size\s+of|larger\s+than|bigger\s+than|border\s+with"
    r"|bordering|funding\s+from|funded\s+by|donated\s+by|donors?\s+such\s+as"
    r"|smaller\s+than|as\s+large\s+as|equivalent\s+to)\b[^.;]{0,60}$",
    re.IGNORECASE)
TREATED_BEFORE = re.compile(r"\b(?:hospitals?|clinic|taken\s+to|evacuated\s+to|transferred\s+to"
                            r"|transported\s+to|airlifted\s+to)\b[^.;,]{0,25}$", re.IGNORECASE)
# "in the province": the place of that kind the article named last
KIND_REFERENCE = re.compile(r"\b(?:in|across|throughout)\s+the\s+(?P<kind>province|region|oblast"
                            r"|governorate|country|district|state)\b", re.IGNORECASE)
KIND_REFERENCE_RANKS = {"province": {5}, "oblast": {5}, "governorate": {5}, "state": {5},
                        "region": {5, 6}, "district": {4}, "country": {7}}
DASH_LINE = re.compile(r"\s*[-–—]\s+\S")
FIRST_PERSON = {"we", "our", "us", "i", "my"}
# "Ako Aziz: ..." at the start of a line: who answers in an interview
SPEAKER_LABEL = re.compile(r"(?P<who>[A-Z][\w.'’-]*(?:\s[A-Z][\w.'’-]*){0,3}):(?:\s|$)")
QUIET_SENTENCES = 2  # figure-less sentences a report's source carries over
ALONE_AFTER = re.compile(rf"(?:\s+(?:{PLACE_KIND_WORDS}))?\s+alone\b", re.IGNORECASE)
# Nouns of what someone did: a place that owns one ("Russia's invasion") acted, it is not where
ACTION_NOUNS = {"invasion", "aggression", "occupation", "attack", "attacks", "war", "offensive",
                "shelling", "bombing", "forces", "army", "troops", "military", "withdrawal"}
SOURCE_LINE = re.compile(r"^\s*Source:\s*(?P<who>[^\n]+)", re.IGNORECASE)
HEADLINE_COLON = re.compile(r"(?:^|\s)(?P<who>[A-Z][\w.&'’-]*(?: [\w.&'’-]+){0,5}):\s+\S")


@dataclass
class Claim:
    """Who a sentence attributes its figures to."""

    name: str
    named: bool  # an organisation or person, not a description ("officials in Baku")
    actor: bool = False  # who did the work ("the engineering units of X cleared ...")


@dataclass
class ArticleState:
    """What carries over from sentence to sentence."""

    published: date | None
    partial: str | None = None  # a publication date known only to the month or year
    period: periods.Period | None = None
    location: str | None = None
    location_from_incident: bool = False  # set by a one-day figure (an incident)
    location_is_part: bool = False  # the place in force replaced an earlier one
    claim: Claim | None = None
    orgs_seen: list[str] = field(default_factory=list)
    people_seen: dict[str, str | None] = field(default_factory=dict)  # full name -> org
    report_owner: str | None = None
    last_person: str | None = None
    casualty_sentence: bool = False
    own_claim: bool = False
    quote_claim: Claim | None = None  # 'X issued the following statement:' until the quote ends
    quote_closed: bool = False
    place_history: list[PlaceHit] = field(default_factory=list)
    year: int | None = None  # the year the text talks about
    article_words: set[str] | None = None
    article_orgs: list[str] = field(default_factory=list)  # bodies the gazetteer knows
    acronyms: dict[str, str] = field(default_factory=dict)  # "DCA" -> "DanChurchAid"
    last_people_claim: Claim | None = None
    statement: date | None = None  # "said on June 19": when the figures were stated
    quiet: int = 0  # sentences since the last one with figures or a source
    bodies_described: list[str] = field(default_factory=list)  # "Mykolaiv regional police"
    publisher_org: str | None = None  # a body publishing its own figures ("our deminers")
    # every date expression of each sentence (by its first token), as the rules read it
    read_dates: dict[int, list[periods.ReadDate]] = field(default_factory=dict)


@dataclass
class PlaceHit:
    name: str
    start: int
    end: int
    rank: int
    place: Place | None = None
    alone: bool = False  # "in Penjwen district alone": a part, not the report's place
    kind_known: bool = True  # False for a spaCy place whose kind the text does not say


class Normalizer:
    def __init__(self, packs: Sequence[Pack], gazetteer: Gazetteer) -> None:
        self.packs = list(packs)
        self.gazetteer = gazetteer
        self.named_periods = [
            periods.NamedPeriod(rule.regex, rule.start, rule.end, rule.context)
            for pack in packs for rule in pack.named_periods
        ]
        self._place_alias: dict[str, Place] = {}
        self._demonym: dict[str, Place] = {}
        for place in gazetteer.places:
            for alias in (place.name, *place.aliases):
                self._place_alias.setdefault(_alias_key(alias), place)
            for demonym in place.demonyms:
                self._demonym.setdefault(demonym.casefold().replace("’", "'"), place)
        self._capitalized = {
            _alias_key(alias)
            for place in gazetteer.places for alias in (place.name, *place.aliases)
            if alias[:1].isupper() and not any(
                a.casefold() == alias.casefold() and a[:1].islower()
                for p in gazetteer.places for a in p.aliases)
        }
        aliases = sorted(self._place_alias, key=len, reverse=True)
        self._place_re = re.compile(
            r"(?<![\w-])(?:" + "|".join(_alias_pattern(a) for a in aliases) + r")(?![\w-])",
            re.IGNORECASE) if aliases else None
        demonyms = sorted(self._demonym, key=len, reverse=True)
        self._demonym_re = re.compile(
            r"(?<![\w-])(?P<d>" + "|".join(re.escape(d).replace("'", "['’]") for d in demonyms)
            + rf")(?:\s+(?:\w+\s+)?(?:{DEMONYM_NOUNS})\b|s\b)", re.IGNORECASE) if demonyms else None
        self._demonym_word_re = re.compile(
            r"(?<![\w-])(?:" + "|".join(_alias_pattern(d) for d in demonyms) + r")(?![\w-])",
            re.IGNORECASE) if demonyms else None  # written as a name: checked where used
        self._place_patterns = [(re.compile(p, re.IGNORECASE), place)
                                for place in gazetteer.places for p in place.patterns]
        self._org_alias: dict[str, str] = {}
        for org in gazetteer.organizations:
            for alias in (org.name, *org.aliases):
                self._org_alias.setdefault(_alias_key(alias), org.name)
        org_aliases = sorted(self._org_alias, key=len, reverse=True)
        # a long name followed by another capitalized word is a longer name: "Directorate of
        # Mine Action" is not "Directorate of Mine Action Coordination"
        self._org_re = re.compile(
            r"(?<![\w-])(?:" + "|".join(
                _alias_pattern(a) + (r"(?!\s+(?-i:[A-Z])[a-z])" if " " in a else "")
                for a in org_aliases)
            + r")(?![\w-])", re.IGNORECASE) if org_aliases else None
        self._media = {m.casefold() for m in gazetteer.media}
        # Only names of more than one word, or written as a name: "Report" is also a word.
        media_names = sorted((m for m in gazetteer.media if len(m) > 3), key=len, reverse=True)
        self._media_re = re.compile(
            r"(?<![\w-])(?:" + "|".join(_alias_pattern(m) for m in media_names) + r")(?![\w-])"
        ) if media_names else None

    # ------------------------------------------------------------ the article

    def figures(self, doc: Doc, sentences: list[Span], mentions: list[Mention],
                published: str | None, source: Source) -> list[Figure]:
        state = ArticleState(periods.parse_published(published),
                             partial=periods.partial_published(published))
        state.article_orgs = self._orgs_in(text_of(doc))
        publisher = self._orgs_in(source.publisher) if source.publisher else []
        if publisher and not self._is_media(source.publisher or ""):
            state.publisher_org = publisher[0]
            if publisher[0] not in state.article_orgs:
                state.article_orgs.append(publisher[0])
        state.acronyms = {
            m["short"]: m["long"] for m in ACRONYM_DEFINED.finditer(text_of(doc))
            if _alias_key(m["short"]) not in self._org_alias
            and _alias_key(m["long"]) not in self._org_alias and len(m["long"]) > len(m["short"])
            and not self._is_object_word(m["short"])}
        state.statement = _statement_date(text_of(doc), state.published)
        by_sentence: dict[int, list[Mention]] = {}
        for m in mentions:
            by_sentence.setdefault(m.sent_index, []).append(m)
        records: list[tuple[Mention, Figure]] = []
        headline_until = _headline_end(doc, sentences)
        undated: list[Figure] = []  # incident figures waiting for a date in the next sentence
        for index, sent in enumerate(sentences):
            found = sorted(by_sentence.get(index, []), key=lambda m: m.start)
            found = self._in_context(found, sentences, index, state)
            orgs = self._orgs_in(sent, state)
            for name in orgs:
                if name not in state.orgs_seen:
                    state.orgs_seen.append(name)
            claim = self._claim(doc, sent, index, state, found)
            if state.own_claim and claim is not None:
                # "Cambodia reported 44 casualties. In its monthly report, the CMAA noted
                # ...": a country reports through its national authority
                body = self.gazetteer.organization(claim.name.split(" (")[-1].rstrip(")"))
                for m, figure in records:
                    if body and body.country and m.sent_index == index - 1 \
                            and figure.claimant == body.country:
                        figure.claimant = claim.name
            if state.own_claim and claim is not None and BREAKDOWN_START.match(sent.text):
                # "46 people fell victim ... 13 of them were killed, the ANAMA press service
                # told APA": the source of the breakdown states the total too
                for m, figure in records:
                    if m.sent_index == index - 1 and figure.claimant is None:
                        figure.claimant = claim.name
            period_mentions = self._period_mentions(doc, sent, state)
            places = self._places_in(doc, sent)
            if undated and not found:
                # "Five people were hit ... The incident occurred yesterday ...": the date
                # of an incident may follow its figures.
                days = [p.period for p in period_mentions
                        if p.period and p.kind in ("point", "relative") and p.period.start
                        and len(p.period.start) == 10 and p.period.start == p.period.end]
                for figure in undated if days else []:
                    figure.period_start, figure.period_end = days[0].start, days[0].end
                if days:
                    state.period = days[0]
            undated = []
            for m in found:
                figure = self._figure(doc, m, sent, state, claim, period_mentions, places, source)
                records.append((m, figure))
                if m.metric.kind == "people" and figure.period_start is None \
                        and figure.period_end is None:
                    undated.append(figure)
            self._carry(sent, found, claim, period_mentions, places, state, records)
        _mark_groups(records)
        self._last_resort_places(doc, records, headline_until)
        document = Document(doc, sentences, source, state.published, self.gazetteer,
                            self.packs, headline_until, state.statement,
                            memo={periods.READ_DATES: state.read_dates})
        for m, figure in records:
            period = periods.resolve(document, m, figure)
            # the model may choose a candidate read from the text ("2023-02-01".."2023-02-28"
            # for "last month"): written one way, as the record is when it is made
            figure.period_start, figure.period_end = compact_period(period.start, period.end)
            figure.location = place_resolver.resolve(document, m, figure)
            figure.claimant = claimants.resolve(document, m, figure)
        figures = _dedupe(records, headline_until)
        return figures

    def _in_context(self, found: list[Mention], sentences: list[Span], index: int,
                    state: ArticleState) -> list[Mention]:
        """Figures whose metric needs a context (mines, not traffic) keep only with it."""
        kept = []
        if not found:  # a sentence without figures reads no words
            state.casualty_sentence = False
            return kept
        if state.article_words is None:
            state.article_words = {t.lower_ for t in sentences[0].doc}
        words = {t.lower_ for t in sentences[index]}
        before = set()
        for back in (1, 2, 3):
            if index - back >= 0:
                before |= {t.lower_ for t in sentences[index - back]}
        for m in found:
            rule = m.metric
            if words & rule.veto:
                continue
            if rule.context and rule.context_scope == "article":
                if not state.article_words & rule.context:
                    continue
            elif rule.context:
                here = bool(words & rule.context)
                if not here and (words - _time_words(sentences[index].text)) \
                        & rule.exclude_context:
                    continue
                near = before & rule.context
                chained = rule.kind == "people" and state.casualty_sentence
                if not here and not near and not chained:
                    continue
            kept.append(m)
        state.casualty_sentence = any(m.metric.kind == "people" for m in kept)
        return kept

    def _figure(self, doc: Doc, m: Mention, sent: Span, state: ArticleState, claim: Claim | None,
                period_mentions: list[periods.PeriodMention], places: list[PlaceHit],
                source: Source) -> Figure:
        qualifier, start = self._qualifier(doc, m)
        ctx = periods.DateContext(state.published, state.year, state.statement, state.partial)
        start_in, end_in = m.start - sent.start_char, m.end - sent.start_char
        applicable = [p for p in period_mentions if not _across_contrast(sent.text, p, start_in,
                                                                          end_in)]
        period = periods.resolve_for_figure(
            applicable, start_in, end_in, state.period, ctx,
            stock=m.metric.stock or m.metric.as_of_publication)
        if self._current_state(m) and period.end is None and ctx.until:
            period = periods.Period(period.start, ctx.until)
        if m.metric.kind == "people":
            if ANAPHORIC_OF.match(text_of(doc)[m.end:m.end + 12]) or ANAPHORIC_OF.match(
                    text_of(doc)[m.number.idx + len(m.number.text):m.number.idx + 20]):
                claim = claim or state.last_people_claim
            state.last_people_claim = claim
        cumulative = bool(period.end and period.start != period.end and (
            period.end == ctx.until or period.start is None))
        location = self._location(m, places, state, claim, cumulative)
        unit = m.unit
        normalized_value = m.value * HECTARES_PER_UNIT.get(unit, 1.0)
        normalized_value = round(normalized_value, 6)
        normalized = {"value": int(normalized_value) if normalized_value.is_integer()
                      else normalized_value, "unit": "ha" if unit in HECTARES_PER_UNIT else "count"}
        return Figure(
            metric=m.metric.id, subtype=m.subtype, value=m.value, unit=unit, qualifier=qualifier,
            normalized=normalized, period_start=period.start, period_end=period.end,
            location=location, claimant=claim.name if claim else None,
            evidence=text_of(doc)[start:m.end], start=start, end=m.end, sentence=sent.text.strip(),
            source=source, pattern=m.metric.pattern, version="",
        )

    @staticmethod
    def _current_state(m: Mention) -> bool:
        """A figure of what exists now (land contaminated, mines "estimated" or "remaining"),
        whose period ends at the statement (FORMAT.md); mines "planted" or "laid" are history.
        (dev 000-seed, b4-009, b5-016, b5-019)"""
        if m.metric.as_of_publication:
            return True
        verb = governing_verb(m.number)
        return m.metric.stock and (verb is None
                                   or verb.lemma_.lower() not in m.pack.history_verbs)

    def _carry(self, sent: Span, found: list[Mention], claim: Claim | None,
               period_mentions: list[periods.PeriodMention], places: list[PlaceHit],
               state: ArticleState, records: list[tuple[Mention, Figure]]) -> None:
        """Update what is in force for the sentences that follow."""
        mine = [f for m, f in records if m.sent.start == sent.start]
        flows = [f for m, f in records if m.sent.start == sent.start and not m.metric.stock
                 and not m.metric.as_of_publication]  # a state is no reporting period
        if flows:
            # the sentence's first figure is its main one; later ones are often comparisons
            main = flows[0]
            state.period = periods.Period(main.period_start, main.period_end)
        elif not found:
            explicit = [p for p in period_mentions if (p.period and p.kind in ("range", "relative"))
                        or (p.period and p.kind in ("point", "since") and state.period is None)]
            if explicit:
                state.period = explicit[0].period
                for _, figure in records:  # "so far" made exact by a later range
                    refined = periods.refine_end(
                        periods.Period(figure.period_start, figure.period_end),
                        explicit[0].period, state.published)
                    figure.period_start, figure.period_end = refined.start, refined.end
        state.place_history.extend(places)
        parts = {h.name for h in places if h.alone}
        located = [f for f in mine if f.location and f.location not in parts]
        if located:
            state.location_is_part = state.location is not None \
                and located[-1].location != state.location
            state.location = located[-1].location
            state.location_from_incident = bool(
                located[-1].period_start and located[-1].period_start == located[-1].period_end
                and len(located[-1].period_start) == 10)
        elif places and state.location is None:
            state.location = places[0].name  # the place the article opens with
        if found or state.own_claim:
            state.claim = claim if claim and claim.named else None
            state.quiet = 0
        else:
            # a sentence or two without figures or a source of their own go on with the same
            # report ("The works were conducted in ..."); a heading or longer background ends it
            state.quiet += 1
            line = sent.text.strip()
            if state.quiet > QUIET_SENTENCES or line.endswith(":") or (
                    heading_like(line) and not line.endswith((".", "!", "?", '"', "”"))):
                state.claim = None
        if state.quote_closed:  # what follows a quoted statement is no longer the statement
            state.claim, state.quote_closed = None, False

    # ------------------------------------------------------------ qualifier

    def _qualifier(self, doc: Doc, m: Mention) -> tuple[str, int]:
        """The qualifier from the words right before the figure (or right after: "or
        more"); the evidence then starts with those words."""
        before = text_of(doc)[max(0, m.start - 40):m.start]
        folded = before.casefold()
        for phrase, qualifier in m.pack.qualifiers:
            hit = re.search(rf"(?<![\w-]){re.escape(phrase)}\s*$", folded)
            wider = text_of(doc)[max(0, m.start - 120):m.start].casefold()
            if hit and phrase == "up to" and REACHING.search(wider[:len(wider) - len(folded)
                                                                  + hit.start()]):
                return "exact", m.start  # "bringing the total ... up to 3,534": reached
            if hit and len(folded) == len(before):
                return qualifier, m.start - (len(before) - hit.start())
        if re.match(r"\s*(?:or\s+more|or\s+above|\+|-plus)\b", text_of(doc)[m.end:m.end + 12],
                    re.IGNORECASE):
            return "min", m.start
        return BOUND_QUALIFIER.get(m.bound, "exact"), m.start

    # ------------------------------------------------------------ periods

    def _period_mentions(self, doc: Doc, sent: Span, state: ArticleState
                         ) -> list[periods.PeriodMention]:
        """The sentence's period expressions, without dates of events ("liberated in
        November 2022"); the year the text talks about follows the dates it states."""
        ctx = periods.DateContext(state.published, state.year, state.statement, state.partial)
        found = periods.find_period_mentions(sent.text, ctx, self.named_periods, text_of(doc))
        datelines = [(m.start(), m.end()) for m in DATELINE.finditer(sent.text)
                     if sent.start_char + m.start() == 0
                     or text_of(doc)[sent.start_char + m.start() - 1] == "\n"]
        # "date 2023-03-06 BAKU, Azerbaijan, March 6.": the dateline after the stamp
        stamp = DATE_STAMP.match(sent.text) if sent.start_char == 0 else None
        if stamp and (dateline := DATELINE.match(sent.text[stamp.end():])):
            datelines.append((stamp.end(), stamp.end() + dateline.end()))
        def set_aside(p: periods.PeriodMention) -> str | None:
            if any(a <= p.start < b for a, b in datelines) or _date_line(doc, sent, p):
                return "dateline"
            if p.kind not in ("point", "range"):
                return None
            if EVENT_BEFORE.search(sent.text[max(0, p.start - 40):p.start]):
                return "event"
            # "mine-free by 2030": a date after publication is a target, not a period
            if state.published is not None and p.period and p.period.start \
                    and p.period.start[:4] > str(state.published.year):
                return "target"
            return None

        read = [periods.ReadDate(p, set_aside(p)) for p in found]
        # the period resolver reads the same expressions, with why a rule set one aside
        state.read_dates[sent.start] = read
        kept = [r.mention for r in read if r.set_aside is None]
        for p in kept:
            if p.kind in ("point", "range") and p.period and p.period.end:
                state.year = int(p.period.end[:4])
        return kept

    # ------------------------------------------------------------ places

    def _last_resort_places(self, doc: Doc, records: list[tuple[Mention, Figure]],
                            headline_end: int) -> None:
        """Figures still without a place: a headline figure takes the body's first place;
        the rest the country the article names most ("Ukrainian deminers ... Ukraine")."""
        body = [f.location for _, f in records if f.start >= headline_end and f.location]
        countries: dict[str, int] = {}
        text = text_of(doc)
        for regex in (self._place_re, self._demonym_word_re):
            for m in regex.finditer(text) if regex else ():
                place = self._place_alias.get(_alias_key(m[0])) or self._demonym.get(
                    _alias_key(m[0]))
                after = re.match(r"\s+(\w+)", text[m.end():m.end() + 20])
                if after and after[1].lower() in ACTION_NOUNS:
                    continue  # "the Vietnam War" names a war, not where
                if place and place.kind == "country" and m[0][:1].isupper():
                    countries[place.name] = countries.get(place.name, 0) + 1
        country = max(countries, key=lambda c: countries[c]) if countries else None
        bodies = [self.gazetteer.organization(o) for o in self._orgs_in(text)]
        home = next((o.country for o in bodies if o and o.country), None)
        country = home or country  # ANAMA's figures are Azerbaijan's, whoever else is named
        for _, figure in records:
            if figure.location is None:
                figure.location = body[0] if figure.start < headline_end and body else country

    def _places_in(self, doc: Doc, sent: Span) -> list[PlaceHit]:
        text, base = sent.text, sent.start_char
        masked = self._org_spans(sent) + self._media_spans(sent) + [
            (base + m.start(), base + m.end()) for m in DATELINE.finditer(text)
            if m.start() == 0 or text[m.start() - 1] == "\n"]
        if base == 0 or text_of(doc)[base - 1] == "\n":
            masked += [(base + m.start(), base + m.end()) for m in DATELINE.finditer(text)]
        hits: list[PlaceHit] = []

        def add(hit: PlaceHit) -> None:
            if any(s <= hit.start < e or s < hit.end <= e for s, e in masked):
                return
            if SUBSET_BEFORE.search(text_of(doc)[max(base, hit.start - 40):hit.start]):
                return  # "most of them in the Khojali district": where some of it was
            if TREATED_BEFORE.search(text_of(doc)[max(base, hit.start - 40):hit.start]):
                return  # "taken to hospital in Mykolaiv": where victims were treated
            if any(h.start <= hit.start < h.end or hit.start <= h.start < hit.end for h in hits):
                return
            hit.alone = bool(ALONE_AFTER.match(text_of(doc), hit.end))
            hits.append(hit)

        for regex, place in self._place_patterns:
            for m in regex.finditer(text):
                add(PlaceHit(place.name, base + m.start(), base + m.end(), place.rank, place))
        for m in PLACE_LIST.finditer(text):
            names = re.split(r",\s+(?:and\s+)?|\s+and\s+", m["names"])
            add(PlaceHit(_join(names), base + m.start(), base + m.end(), KIND_RANK.get(
                m["kind"].lower().rstrip("s").replace("ie", "y"), 5)))
        if self._place_re:
            for m in self._place_re.finditer(text):
                alias = m[0]
                place = self._place_alias[_alias_key(alias)]
                if alias[0].islower() and _alias_key(alias) in self._capitalized:
                    continue  # "Lachin" is a name; a lower-case word is not
                add(PlaceHit(place.name, base + m.start(), base + m.end(), place.rank, place))
        if self._demonym_re:
            for m in self._demonym_re.finditer(text):
                if m["d"][0].isupper():
                    place = self._demonym[m["d"].casefold().replace("’", "'")]
                    add(PlaceHit(place.name, base + m.start(), base + m.end(), place.rank, place))
        for regex in TEXT_PLACES:
            for m in regex.finditer(text):
                name = m["name"]
                if name.split()[0].casefold() in self._place_alias or _is_month(name):
                    continue
                kind = (m.groupdict().get("kind") or "province").lower()
                label = f"{name} {kind}" if kind in ("village", "settlement", "oblast", "reservoir",
                                                     "lake", "river", "valley") else name
                if kind == "oblast":
                    label = f"{name} Oblast"
                add(PlaceHit(label, base + m.start("name"), base + m.end(), KIND_RANK.get(kind, 5)))
        for ent in ents_in(sent):
            if ent.label_ in ("GPE", "LOC") and not _is_month(ent.text) \
                    and re.search(r"[^\W\d_]", ent.text):
                name = re.sub(r"^the\s+", "", ent.text, flags=re.IGNORECASE)
                name = re.sub(r"['’]s?\s*$", "", name).strip()  # "Hays" keeps its s
                place = self._place_alias.get(name.casefold())
                if place is None and name.casefold() in self._media:
                    continue
                add(PlaceHit(place.name if place else name, ent.start_char, ent.end_char,
                             place.rank if place else 4, place, kind_known=place is not None))
        grouped = _group_lists(doc, sorted(hits, key=lambda h: h.start), self.gazetteer)
        # "the districts of Hays, Al-Khawkhah and Al-Tuhayta in Hodeidah province": a list
        # of places inside one named after it is that place
        return [h for i, h in enumerate(grouped)
                if not (i + 1 < len(grouped) and re.search(r",|\sand\s", h.name)
                        and LIST_INSIDE.fullmatch(text_of(doc)[h.end:grouped[i + 1].start]))]

    def _media_spans(self, sent: Span) -> list[tuple[int, int]]:
        if not self._media_re:
            return []
        return [(sent.start_char + m.start(), sent.start_char + m.end())
                for m in self._media_re.finditer(sent.text)]

    def _org_spans(self, sent: Span) -> list[tuple[int, int]]:
        spans = []
        if self._org_re:
            spans += [(sent.start_char + m.start(), sent.start_char + m.end())
                      for m in self._org_re.finditer(sent.text)]
        spans += [(e.start_char, e.end_char) for e in ents_in(sent)
                  if e.label_ == "ORG" and _org_like(e.text)]
        return spans

    def _location(self, m: Mention, places: list[PlaceHit], state: ArticleState,
                  claim: Claim | None, cumulative: bool = False) -> str | None:
        doc = m.number.doc
        scored = []
        for hit in places:
            tok = _first_token(doc, hit.start)
            if tok is None:
                continue
            distance = tree_distance(m.number, tok)
            prep = _preposition_of(tok)
            last = doc[max(tok.i, _first_token(doc, hit.end - 1).i)] \
                if _first_token(doc, hit.end - 1) is not None else tok
            if last.dep_ in ("poss", "compound") and last.head.lemma_.lower() in ACTION_NOUNS:
                continue  # "since Russia's full-scale invasion", "the Vietnam War": not where
            if _in_source(tok, m.number):
                distance += 20  # "the Kharkiv regional prosecutor's office said": who says
            said = governing_verb(tok)
            if said is not None and said.lower_ in REPORT_VERBS \
                    and said != governing_verb(m.number) and prep is not None:
                continue  # "told a press conference in Sarajevo": where it was said
            if _is_agent(tok, m.number):
                verb = governing_verb(m.number)
                if verb is not None and verb.lemma_.lower() in ACTOR_VERBS:
                    continue  # "Armenia had planted ... mines": who acted, not where
                distance += 6
            if (prep in ("from", "by") or _origin_of(tok)) and m.metric.kind == "people":
                # "a man from Mykolaiv Oblast", "a resident of Tartar district" ... was hurt in
                distance += 10
            elif prep in ("from", "by", "with"):
                distance += 4  # "funding from Japan", "launched by Russia"
            elif prep == "by":
                distance += 3
            scored.append((distance, hit.rank, hit))
        if scored:
            best = min(scored, key=lambda s: (s[0], s[1]))[2]
            if best.place is not None and state.location and state.location in best.place.covers:
                return state.location
            return best.name
        if NATIONWIDE.search(m.sent.text):
            return None  # "Nationwide, ...": the article's country, not the place in force
        reference = KIND_REFERENCE.search(m.sent.text)
        if reference:
            ranks = KIND_REFERENCE_RANKS[reference["kind"].lower()]
            earlier = [h for h in state.place_history if h.rank in ranks and h.kind_known]
            if earlier:
                return earlier[-1].name
            narrower = [h for h in state.place_history if h.name == state.location]
            if narrower and narrower[-1].rank < min(ranks):
                return None  # "in the province" after a district: the article's country
        if (m.metric.stock or m.metric.as_of_publication or cumulative) \
                and state.location_is_part:
            # a state or running total without a place of its own is the whole country's,
            # not the district a figure before it named
            return None
        org = self.gazetteer.organization(claim.name.split(" (")[-1].rstrip(")")) if claim else None
        if state.location and not (state.location_from_incident and cumulative and org
                                   and org.country):
            return state.location
        # a running total ("since the war, 391 people ...") is not about the last incident's
        # village: it is the reporting body's country
        return org.country if org and org.country else state.location

    # ------------------------------------------------------------ claimants

    def _interviewee(self, doc: Doc, state: ArticleState) -> Claim | None:
        """The first person the article names who is not its author ("Interview by X")."""
        for ent in ents_in(doc[:]):
            if ent.label_ == "PERSON" and self._is_person(ent, state) and not (
                    ent.start > 0 and doc[ent.start - 1].lower_ == "by"):
                return self._resolve_span(ent, ent.sent, state)
        return None

    def _orgs_in(self, span: Span | str, state: ArticleState | None = None) -> list[str]:
        text = span if isinstance(span, str) else span.text
        names = []
        matches = list(self._org_re.finditer(text)) if self._org_re else []
        for m in matches:
            name = self._org_alias[_alias_key(m[0])]
            if name not in names:
                names.append(name)
        if not isinstance(span, str):
            known = [(span.start_char + m.start(), span.start_char + m.end()) for m in matches]
            for e in ents_in(span):
                if e.label_ == "ORG" and _org_like(e.text) and not self._is_media(e.text) \
                        and not self._is_object_word(e.text):
                    clean = _clean_org(e.text)
                    clean = (state.acronyms.get(clean) if state else None) or clean
                    if any(a < e.end_char and e.start_char < b for a, b in known):
                        continue
                    # "the National Mine Action Agency (ANAM)": the long form of a known name
                    acronym = re.match(r"\s*\((\w+)\)", text_of(e.doc)[e.end_char:e.end_char + 12])
                    if acronym and _alias_key(acronym[1]) in self._org_alias:
                        continue
                    clean = self._known_org(clean, state) or _with_demonym(e, clean)
                    if clean not in names:
                        names.append(clean)
        # "Mine Action Centre" inside "Zimbabwe's Mine Action Centre": one body
        return [n for n in names if not any(
            o != n and re.search(rf"(?<!\w){re.escape(n)}(?!\w)", o) for o in names)]

    def _is_object_word(self, text: str) -> bool:
        """"UXO", "ERW": what is counted, not who counts."""
        for pack in self.packs:
            found = pack.match_object(" " + text.strip())
            if found and found[1] >= len(text.strip()) + 1:
                return True
        return False

    def _known_org(self, name: str, state: ArticleState | None) -> str | None:
        """A shortened name ("the Mine Action Agency") of a body the article has named, or
        of the only body in the gazetteer it can be."""
        folded = name.casefold()
        if len(folded.split()) < 2:
            # "HALO" for the HALO Trust the article names
            seen = [o for o in self.gazetteer.organizations if o.name in (
                state.article_orgs if state else []) and any(
                a.casefold().split()[0] == folded or a.casefold().startswith("the " + folded)
                for a in (o.name, *o.aliases))]
            return seen[0].name if len(seen) == 1 else None
        matches = [o.name for o in self.gazetteer.organizations
                   if any(folded in a.casefold() for a in (o.name, *o.aliases))]
        seen = [n for n in (state.article_orgs if state else []) if n in matches]
        if seen:
            return seen[-1]
        return matches[0] if len(matches) == 1 else None

    def _is_media(self, text: str) -> bool:
        """A relaying outlet, written as its name ("Trend", not "the report")."""
        name = re.sub(r"^the\s+", "", text.strip(), flags=re.IGNORECASE).replace("’", "'")
        name = re.sub(r"'s$", "", name)
        return name.casefold() in self._media and name[:1].isupper()

    def _claim(self, doc: Doc, sent: Span, index: int, state: ArticleState,
               found: list[Mention]) -> Claim | None:
        """The sentence's own attribution, else the one in force from the sentence before."""
        own = self._attribution(doc, sent, index, state, found)
        if own is not None and own.actor and state.quote_claim is not None:
            own = None  # inside a statement, who did the work is not who states it
        line_start = sent.start_char == 0 or text_of(doc)[sent.start_char - 1] == "\n"
        if own is None and SPEAKER_LABEL.match(sent.text) and line_start:
            state.quote_claim = None  # "Radio North: ...": the interviewer asks
        if own is None and line_start and DASH_LINE.match(sent.text):
            # "- How many ...?" / "- Since 2022, our units have ...": an interview's
            # questions and answers; the answers are the interviewee's
            own = None if sent.text.rstrip().endswith("?") else self._interviewee(doc, state)
            state.quote_claim = None
        if own is None and state.quote_claim is not None:
            # inside the statement a sentence ending in ":" introduced
            own = state.quote_claim
            if re.search(r"[”\"]\s*$", sent.text):
                state.quote_claim = None
                state.quote_closed = True
        elif own is not None and sent.text.rstrip().endswith(":"):
            state.quote_claim = own
        state.own_claim = own is not None
        if own is not None:
            if any(w in sent.text.casefold() for w in ("report", "statement", "information")):
                state.report_owner = own.name
            return own
        return state.claim

    def _attribution(self, doc: Doc, sent: Span, index: int, state: ArticleState,
                     found: list[Mention]) -> Claim | None:
        text = sent.text
        line = SOURCE_LINE.match(text)
        if line:
            who = line["who"]
            return self._resolve_text(who, sent, state, source_line=True)
        candidates: list[tuple[int, int, Span]] = []  # (priority, distance, span)
        # a verb that is the figure's own event ("teams released 1,048,311 m2") says nothing
        # about who reports it
        figure_verbs = {v.i for m in found for v in [governing_verb(m.number)]
                        if v is not None and (v.lower_ in m.metric.all_triggers
                                              or v.lemma_.lower() in m.metric.all_triggers)}
        datelines = [(sent.start_char + d.start(), sent.start_char + d.end())
                     for d in DATELINE.finditer(sent.text)
                     if d.start() == 0 or sent.text[d.start() - 1] == "\n"]
        anchor = found[0].number if found else sent.root
        for tok in sent:
            if tok.lower_ == "according" and tok.i + 1 < sent.end and doc[tok.i + 1].lower_ == "to":
                obj = next((c for c in doc[tok.i + 1].children if c.dep_ == "pobj"), None)
                if obj is not None:
                    candidates.append((0, tree_distance(anchor, tok), _subtree(obj)))
            elif tok.lower_ in SOURCE_MARKERS:
                obj = _object_of(tok)
                if obj is not None:
                    candidates.append((0, tree_distance(anchor, tok), _subtree(obj)))
            elif tok.lower_ in REPORT_VERBS and tok.pos_ in ("VERB", "AUX", "ADJ") \
                    and tok.i not in figure_verbs \
                    and not claimants.names_event(tok):  # "mines claimed the lives of"
                # "Officials in Baku are convinced that ...": the subject of the copula.
                holder = tok.head if tok.dep_ in ("acomp", "xcomp") else tok
                subj = next((c for c in holder.children if c.dep_ in ("nsubj", "nsubjpass")
                             and not (c.dep_ == "nsubjpass" and c.lower_ == "it")), None)
                speaker = self._speaker_before(tok, sent, state)
                if speaker is not None:
                    candidates.append((1, tree_distance(anchor, tok) - 1, speaker))
                if subj is not None and not self._is_media(_subtree(subj).text):
                    if subj.dep_ == "nsubjpass" and tok.lower_ not in ("convinced",):
                        continue
                    candidates.append((1, tree_distance(anchor, tok), _subtree(subj)))
                    core = _without_aside(subj)
                    if len(core) < len(_subtree(subj)):
                        # "the Syria Civil Defence, known as the White Helmets, said"
                        candidates.append((1, tree_distance(anchor, tok) + 1, core))
                agent = next((c for c in tok.children if c.dep_ == "agent"), None)
                if agent is not None:
                    obj = next((c for c in agent.children if c.dep_ == "pobj"), None)
                    if obj is not None:
                        candidates.append((1, tree_distance(anchor, tok), _subtree(obj)))
        for m in found:
            verb = governing_verb(m.number)
            if verb is None:
                continue
            # "ANAMA staff detected and defused 93 mines": the subject of the first verb
            verbs = [verb, verb.head] if verb.dep_ == "conj" else [verb]
            for child in (c for v in verbs for c in v.children):
                if child.dep_ == "nsubj" or child.dep_ == "agent":
                    target = child if child.dep_ == "nsubj" else next(
                        (c for c in child.children if c.dep_ == "pobj"), None)
                    if target is not None:
                        span = _subtree(target)
                        if span.start <= m.number.i < span.end:
                            continue
                        orgs = self._orgs_in(span, state)
                        if any(t.lower_ in FIRST_PERSON for t in span):
                            candidates.append((2, tree_distance(m.number, target), span))
                        elif orgs:  # "NMAC, together with the army's unit, has cleared": NMAC
                            first = self._org_span(span, orgs[0])
                            candidates.append((2, tree_distance(m.number, target), first))
                        elif any(t.lower_ in AGENT_NOUNS for t in span):
                            candidates.append((2, tree_distance(m.number, target), span))
        label = SPEAKER_LABEL.match(text)
        if label and (sent.start_char == 0 or text_of(doc)[sent.start_char - 1] == "\n"):
            # "Ako Aziz: According to our survey, ...": the speaker of an interview's answer
            who = sent.char_span(label.start("who"), label.end("who"))
            if who is not None and (self._known_person(who.text, state) or any(
                    self._is_person(e, state) for e in ents_in(who))):
                candidates.append((0, 0, who))
        if index <= 1 or sent.text.isupper():
            head = HEADLINE_COLON.search(text[:60])
            if head and (self._orgs_in(head["who"]) or len(head["who"].split()) <= 3):
                candidates.append((1, 0, sent.char_span(head.start("who"), head.end("who"))
                                   or sent))
        candidates = [c for c in candidates
                      if not any(a <= c[2].start_char < b for a, b in datelines)]
        resolved = []
        for priority, _, span in sorted(candidates, key=lambda c: (c[0], c[1])):
            found_claim = self._resolve_span(span, sent, state)
            if found_claim is not None:
                # the subject of the figure's own verb did the work; it states nothing
                resolved.append(replace(found_claim, actor=True) if priority == 2
                                else found_claim)
        if not resolved and not found:
            resolved = self._topic_claim(sent, state)
        named = [c for c in resolved if c.named]
        return (named or resolved or [None])[0]

    def _org_span(self, span: Span, name: str) -> Span:
        """The words of `span` that name the body `name` (or the span itself)."""
        doc = span.doc
        text = text_of(doc)
        candidates = []
        if self._org_re:
            candidates += [m for m in self._org_re.finditer(text, span.start_char, span.end_char)
                           if self._org_alias[_alias_key(m[0])] == name]
        for e in ents_in(span):
            if name in (_clean_org(e.text), self._known_org(_clean_org(e.text), None)):
                return e
        for m in candidates:
            found = doc.char_span(m.start(), m.end(), alignment_mode="expand")
            if found is not None:
                return found
        return span

    def _speaker_before(self, verb: Token, sent: Span, state: ArticleState) -> Span | None:
        """"..., Samir Poladov, deputy chairman of ANAMA's board, told Report": the person
        or body named just before a verb of saying, whatever the parse made of it."""
        doc = sent.doc
        names = [e for e in ents_in(sent) if e.label_ in ("PERSON", "ORG") and e.end <= verb.i
                 and verb.i - e.end <= 12 and not self._is_media(e.text)
                 and (_org_like(e.text) if e.label_ == "ORG" else self._is_person(e, state))]
        if self._org_re:
            for m in self._org_re.finditer(text_of(doc), sent.start_char, verb.idx):
                span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
                if span is not None and verb.i - span.end <= 12:
                    names.append(span)
        if not names:
            return None
        gap = doc[max(n.end for n in names):verb.i]
        if any(t.lower_ in ("that", "which", "who") or t.pos_ == "VERB" for t in gap):
            return None
        first = min(names, key=lambda n: n.start)
        return doc[first.start:max(n.end for n in names)]

    def _topic_claim(self, sent: Span, state: ArticleState) -> list[Claim]:
        """"ANAMA has summed up its activity for 2023": a body that is the subject of a
        sentence without figures speaks for the figures that follow."""
        for subj in (t for t in sent if t.dep_ in ("nsubj", "nsubjpass")):
            span = _subtree(subj)
            if self._is_media(span.text):
                continue
            orgs = [o for o in self._orgs_in(span, state) if self.gazetteer.organization(o)]
            if orgs:
                return [Claim(orgs[0], True)]
        return []

    def _resolve_span(self, span: Span, sent: Span, state: ArticleState) -> Claim | None:
        """A claimant from the words that name the source."""
        words = [t for t in span if not t.is_punct]
        if not words:
            return None
        if any(t.lower_ in FIRST_PERSON for t in words) and not self._orgs_in(span, state):
            # "our survey", "we have cleared": the speaker in force, else the body that
            # publishes its own figures
            if state.claim and state.claim.named:
                return state.claim
            return Claim(state.publisher_org, True) if state.publisher_org else None
        if len(words) == 1 and words[0].lower_ in PRONOUNS:
            if words[0].lower_ in ("he", "she", "him", "her") and state.last_person:
                return Claim(self._person_label(state.last_person, state), True)
            if words[0].lower_ in ("it", "they") and state.orgs_seen:
                return Claim(state.orgs_seen[-1], True)
            return None
        orgs = [o for o in self._orgs_in(span, state) if not self._is_media(o)]
        root = span.root
        named_spans = self._org_spans(span)
        if orgs and root.lower_ in INSTITUTION_NOUNS and len(words) <= 10 and not any(
                a <= root.idx < b for a, b in named_spans):
            # "the U.N. human rights monitoring mission in Ukraine": a body the text describes
            return Claim(re.sub(r"^(?:the|a|an)\s+", "", span.text.strip(), flags=re.I), True)
        persons = [e for e in ents_in(span) if self._is_person(e, state)]
        if not persons:
            # "the local representative of ANAM Ismael Brito": the name beside the title
            persons = [e for e in ents_in(sent) if self._is_person(e, state)
                       and (0 <= e.start - span.end <= 1 or 0 <= span.start - e.end <= 1)]
        if persons:
            person = _clean_person(persons[0].text)
            known = self._known_person(person, state)
            if not orgs:
                orgs = self._orgs_near(persons[0], sent, state)
            # "army spokesman X" after "the Thai army said": the body named before
            orgs = [next((b for b in reversed(state.bodies_described)
                          if b.casefold().endswith(" " + o.casefold())), o) for o in orgs]
            if orgs or (known or person) not in state.people_seen:
                state.people_seen[known or person] = orgs[0] if orgs else None
            person = known or person
            state.last_person = person
            return Claim(self._person_label(person, state), True)
        if orgs:
            return Claim(" and ".join(orgs), True)
        surname = next((t for t in words if t.pos_ == "PROPN"), None)
        if surname is not None and len(words) <= 2:
            known = self._known_person(surname.text, state)
            if known:
                state.last_person = known
                return Claim(self._person_label(known, state), True)
        nouns = {t.lower_ for t in words if t.pos_ in ("NOUN", "PROPN")}
        lemmas = {t.lemma_.lower() for t in words if t.pos_ in ("NOUN", "PROPN")}
        for label in reversed(state.bodies_described):
            # "police said" after "the Mykolaiv regional police said", "prosecutors said"
            # after "the regional prosecutor's office said", unless the gazetteer's body
            label_words = set(re.sub(r"['’]s\b", "", label.casefold()).split())
            if lemmas and lemmas <= AGENCY_NOUNS and lemmas <= label_words \
                    and not self._known_org(label, state):
                return Claim(label, True)
        if nouns & AGENCY_NOUNS and any(t.lower_ in ("the", "this", "its") for t in words):
            wanted = nouns & AGENCY_NOUNS
            for name in reversed(state.orgs_seen):
                org = self.gazetteer.organization(name)
                names = [name, *(org.aliases if org else ())]
                if any(w in n.casefold() for w in wanted for n in names):
                    return Claim(name, True)
            if all(t.pos_ == "PROPN" or not t.is_alpha or t.lower_ in ("the", "of")
                   for t in words):
                pass  # "The Army Command": a name the gazetteer does not know; its words
            elif state.orgs_seen and not wanted & DOCUMENT_NOUNS:
                return Claim(state.orgs_seen[-1], True)
            elif state.claim and state.claim.named and not wanted & DOCUMENT_NOUNS \
                    and not any(t.pos_ == "PROPN" for t in words):
                return state.claim  # "the group said": the source in force
            elif not (span.root.lower_ in AGENCY_NOUNS and any(t.pos_ == "PROPN" for t in words)):
                return None  # else "the Mykolaiv regional police": a body the text describes
        if nouns and nouns <= DOCUMENT_NOUNS | {"joint", "weekly", "monthly", "annual"}:
            if any(t.lower_ in ("the", "this", "its") for t in words) and (
                    state.report_owner or state.claim):
                return Claim(state.report_owner or state.claim.name, True)
            return None
        if not nouns or len(words) > 8 or all(t.lower_ in TITLE_WORDS | {"the", "a", "an", "of"}
                                               for t in words):
            return None
        label = re.sub(r"^(?:the|a|an)\s+", "", span.text.strip(), flags=re.IGNORECASE)
        label = re.sub(r"(?:['’]s)?\s+(?:figures|data|statistics|report|estimates)$", "", label)
        label = state.acronyms.get(label, label)
        if span.root.lower_ in AGENCY_NOUNS and any(t.pos_ == "PROPN" for t in words):
            state.bodies_described.append(label)
            return Claim(label, True)
        return Claim(label, label in state.acronyms.values())

    def _resolve_text(self, text: str, sent: Span, state: ArticleState, *, source_line: bool
                      ) -> Claim | None:
        """A "Source: Name, role at Organisation" line."""
        start = sent.text.find(text)
        span = sent.char_span(start, start + len(text), alignment_mode="expand")
        if span is None:
            return None
        person = next((e.text for e in ents_in(span) if e.label_ == "PERSON"), None)
        orgs = self._orgs_in(span)
        if person is None:
            person = text.split(",")[0].strip() if source_line and "," in text else None
        if person and orgs:
            state.people_seen[person] = orgs[0]
            state.last_person = person
            return Claim(f"{person} ({orgs[0]})", True)
        if orgs:
            return Claim(orgs[0], True)
        return Claim(person, True) if person else None

    def _is_person(self, ent: Span, state: ArticleState) -> bool:
        """spaCy's PERSON, without the place and body names the small model mislabels:
        one-word names count only as the surname of someone named before."""
        if ent.label_ != "PERSON" or self._is_media(ent.text):
            return False
        text = _clean_person(ent.text)
        if text.casefold() in self._place_alias or (self._org_re and self._org_re.search(text)):
            return False
        if text.casefold().replace("’", "'") in self._demonym:
            return False
        return len(text.split()) >= 2 or self._known_person(text, state) is not None

    def _orgs_near(self, person: Span, sent: Span, state: ArticleState) -> list[str]:
        """The body a person speaks for, named right before or after the name
        ("Chairman of ANAMA Vugar Suleymanov", "Chhiv Lim of the CMAA")."""
        doc = sent.doc
        start = max(sent.start, person.start - 16)
        end = min(sent.end, person.end + 8)
        before = self._orgs_in(doc[start:person.start], state)
        after = self._orgs_in(doc[person.end:end], state)
        before.sort(key=lambda name: text_of(doc).rfind(name, 0, person.start_char))
        if before:
            return before[-1:]
        if after:
            return after[:1]
        # "the agency's head Vugar Suleymanov": the body the article named before
        descriptor = [t for t in doc[start:person.start] if t.lower_ in AGENT_NOUNS]
        if descriptor and state.orgs_seen:
            return state.orgs_seen[-1:]
        return []

    def _known_person(self, name: str, state: ArticleState) -> str | None:
        for full in state.people_seen:
            if full == name or full.split()[-1] == name.split()[-1]:
                return full
        return None

    def _person_label(self, person: str, state: ArticleState) -> str:
        org = state.people_seen.get(person)
        return f"{person} ({org})" if org else person


# ---------------------------------------------------------------- helpers


# "Separately, the Prosecutor General's Office said on Sunday": another source's statement
ANOTHER_SOURCE = re.compile(r"(?:^|[.\n]\s*)(?:Separately|Meanwhile|Elsewhere|In\s+a\s+separate"
                            r"|In\s+another)\b[^.\n]*$")
STATEMENT_DAY = re.compile(
    r"\b(?:said|told|stated|announced|noted|reported|declared|added|informed|spoke)\b"
    r"(?:(?!\b(?:that|was|were|is|are|had|has|have|been)\b)[^.;\n]){0,60}?"
    r"\b(?:on\s+|(?<=said\s))(?:(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
    r"|(?P<date>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}"
    r"|\d{1,2}\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*))\b"
)


def _statement_date(text: str, published: date | None) -> date | None:
    """"..., Suleymanov said at a conference on June 19": the day the figures were stated,
    where "since" and "so far" end."""
    if published is None:
        return None
    m = next((m for m in STATEMENT_DAY.finditer(text)
              if not ANOTHER_SOURCE.search(text[max(0, m.start() - 200):m.start()])), None)
    if m is None:
        return None
    if m["weekday"]:
        return periods.last_weekday(m["weekday"], published)
    parts = periods.parse_date_parts(m["date"])
    if parts is None or parts.month is None or parts.day is None:
        return None
    year = published.year - (1 if (parts.month, parts.day) > (published.month,
                                                               published.day) else 0)
    try:
        return date(year, parts.month, parts.day)
    except ValueError:
        return None


# What follows the date of a date line: its end, "(IRIN) - ", " - ", ":"
DATE_LINE_END = re.compile(r"\s*(?:$|[-–—:]|\()")
BARE_DATE = re.compile(rf"\d|{periods.MONTH}")


def _date_line(doc: Doc, sent: Span, mention: periods.PeriodMention) -> bool:
    """"Tripoli, 9 August 2013:", "31 January 2012 - ...", a day alone on its line: when the
    story was filed, not a period of its figures."""
    p = mention.period
    if mention.kind != "point" or not p or not p.start or len(p.start) != 10 \
            or not BARE_DATE.match(sent.text, mention.start):
        return False  # only a day without a lead word ("on", "in")
    text = text_of(doc)
    start, end = sent.start_char + mention.start, sent.start_char + mention.end
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    after = text[end:len(text) if line_end < 0 else line_end]
    return start - line_start <= 40 and bool(DATE_LINE_END.match(after))


def _across_contrast(text: str, mention: periods.PeriodMention, start: int, end: int) -> bool:
    """"35 casualties, compared with 29 in the same period last year": the period after
    "compared with" is the other figure's."""
    between = text[end:mention.start] if mention.start >= end else text[mention.end:start]
    if mention.start >= end and RELATIVE_AFTER.search(between):
        return True  # "385 hectares in Kupiansk district, where fighting went on until 2022"
    return bool(CONTRAST.search(between))


def _time_words(text: str) -> set[str]:
    """Words that only date something ("since the end of the 2020 war"): no cause."""
    return {m[1].lower() for m in TIME_PHRASE.finditer(text)}


def _is_month(text: str) -> bool:
    return bool(re.fullmatch(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?",
                             text.split()[0]))


def _org_like(text: str) -> bool:
    return any(w.casefold() in AGENCY_NOUNS for w in re.findall(r"[\w'’-]+", text)) or (
        text.isupper() and 2 <= len(text) <= 8)


def _clean_org(text: str) -> str:
    """"the HALO teams" -> "HALO": the body, not its people."""
    text = re.sub(r"^the\s+", "", text.strip(), flags=re.IGNORECASE)
    text = re.sub(r"\s+(?:teams?|staff|deminers|experts|specialists|officials|personnel|units?)$",
                  "", text)
    return re.sub(r"['’]s$", "", text)


def _alias_pattern(alias: str) -> str:
    """A name as a regex that allows any run of spaces or a line break between words and
    either apostrophe."""
    return r"\s+".join(re.escape(w).replace("'", "['’]").replace("’", "['’]")
                       for w in alias.split())


def _alias_key(text: str) -> str:
    return " ".join(text.casefold().replace("’", "'").split())


def _with_demonym(ent: Span, name: str) -> str:
    """"the Azerbaijani Foreign Ministry": the adjective spaCy leaves out of the name."""
    if ent.start > 0:
        before = ent.doc[ent.start - 1]
        if before.ent_type_ == "NORP" and before.text[:1].isupper():
            return f"{before.text} {name}"
    return name


def _clean_person(text: str) -> str:
    text = re.sub(r"['’]s$", "", text.strip())
    return text


def _join(names: list[str]) -> str:
    names = [n.strip() for n in names if n.strip()]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _first_token(doc: Doc, char: int) -> Token | None:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span[0] if span is not None and len(span) else None


def _preposition_of(tok: Token) -> str | None:
    for t in (tok, tok.head, tok.head.head):
        if t.dep_ in ("pobj",) and t.head.pos_ == "ADP":
            return t.head.lower_
        if t.dep_ == "agent" or t.lower_ == "by":
            return "by"
    return None


def _in_source(place: Token, number: Token) -> bool:
    """The place is part of the name of who says it (the subject of a verb of saying
    that the figure is not part of)."""
    for t in (place, *place.ancestors):
        if t.dep_ in ("nsubj", "nsubjpass") and t.head.lower_ in REPORT_VERBS \
                and not claimants.names_event(t.head):
            if t.i == place.i or t.lower_ in KIND_RANK:
                return False  # "Cambodia reported ...", "the department of X recorded ..."
            subject = _subtree(t)
            return not subject.start <= number.i < subject.end
    return False


def _is_agent(place: Token, number: Token) -> bool:
    """The place is the subject of the verb that governs the figure: who acted, not where."""
    verb = governing_verb(number)
    return verb is not None and place.dep_ in ("nsubj",) and place.head.i == verb.i


def _origin_of(place: Token) -> bool:
    """"a resident of Tartar district", "natives of Fuzuli": where people come from."""
    for t in (place, place.head, place.head.head):
        if t.dep_ == "pobj" and t.head.lower_ == "of" \
                and t.head.head.lemma_.lower() in ORIGIN_NOUNS:
            return True
    return False


def _subtree(tok: Token) -> Span:
    doc = tok.doc
    return doc[tok.left_edge.i:tok.right_edge.i + 1]


def _without_aside(tok: Token) -> Span:
    """The words of a noun phrase before an aside set off by a comma (", known as ...",
    ", which ...")."""
    doc = tok.doc
    end = tok.right_edge.i + 1
    for child in tok.rights:
        if child.dep_ in ("acl", "relcl", "appos") and child.left_edge.i > 0 \
                and doc[child.left_edge.i - 1].text == ",":
            end = min(end, child.left_edge.i - 1)
    return doc[tok.left_edge.i:end]


def _object_of(tok: Token) -> Token | None:
    for child in tok.children:
        if child.dep_ in ("dobj", "pobj"):
            return child
        if child.dep_ == "prep":
            obj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if obj is not None:
                return obj
    return None


def _group_lists(doc: Doc, hits: list[PlaceHit], gazetteer: Gazetteer) -> list[PlaceHit]:
    """Consecutive places in a list ("in Aghdam, Fuzuli and Zangilan districts") are one
    place; a list naming at least half the districts of a region is that region."""
    result: list[PlaceHit] = []
    run: list[PlaceHit] = []

    def flush() -> None:
        if len(run) < 2:
            result.extend(run)
        else:
            region = _common_region(gazetteer, [h.place for h in run if h.place])
            covered = {d.name for h in run if h.place
                       for d in (_districts_of(gazetteer, h.place.name) or [h.place])}
            if region and all(h.place for h in run) and \
                    len(covered) >= max(3, len(_districts_of(gazetteer, region.name)) / 2):
                result.append(PlaceHit(region.name, run[0].start, run[-1].end, region.rank,
                                       region))
            else:
                result.append(PlaceHit(_join([h.name for h in run]), run[0].start, run[-1].end,
                                       min(h.rank for h in run)))
        run.clear()

    for hit in hits:
        gap = text_of(doc)[run[-1].end:hit.start] if run else ""
        if run and re.fullmatch(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s+)", gap) \
                and hit.place and run[-1].place:
            run.append(hit)
            continue
        flush()
        run.append(hit)
    flush()
    return result


def _ancestors(gazetteer: Gazetteer, place: Place) -> list[Place]:
    chain, seen = [], {place.name}
    while place.parent and place.parent not in seen:
        parent = gazetteer.place(place.parent)
        if parent is None:
            break
        chain.append(parent)
        seen.add(parent.name)
        place = parent
    return chain


def _common_region(gazetteer: Gazetteer, places: list[Place]) -> Place | None:
    """The most specific place all of `places` lie in."""
    if not places:
        return None
    common = [p.name for p in _ancestors(gazetteer, places[0])]
    for place in places[1:]:
        names = {p.name for p in _ancestors(gazetteer, place)}
        common = [n for n in common if n in names]
    return gazetteer.place(common[0]) if common else None


def _districts_of(gazetteer: Gazetteer, region: str) -> list[Place]:
    return [p for p in gazetteer.places
            if p.rank < (gazetteer.place(region) or p).rank
            and region in {a.name for a in _ancestors(gazetteer, p)}
            and p.kind in ("district", "city")]


def _headline_end(doc: Doc, sentences: list[Span]) -> int:
    """Where the headline part ends: what comes before the first sentence of the body (one
    of ten words or more that ends with a stop)."""
    for sent in sentences[:10]:
        text = sent.text.strip()
        if len(text.split()) >= 10 and re.search(r"[.!?\"”:]$", text):
            return sent.start_char
    return 0


def _mark_groups(records: list[tuple[Mention, Figure]]) -> None:
    """A casualty figure of a population group ("four servicemen") after a larger figure of
    the same kind about people in general is a breakdown of it, not a figure of its own."""
    for i, (m, figure) in enumerate(records):
        if m.metric.kind != "people" or not m.noun:
            continue
        group = m.pack.group_of(m.noun)
        if group is None:
            continue
        for other_m, other in records[:i]:
            if other.metric == figure.metric and other.subtype == figure.subtype \
                    and other.value > figure.value and other_m.noun \
                    and (other.period_start, other.period_end) == (figure.period_start,
                                                                   figure.period_end) \
                    and m.pack.group_of(other_m.noun) is None:
                figure.group = group
                break


def _hectares(figure: Figure) -> float:
    return figure.value * HECTARES_PER_UNIT.get(figure.unit, 1.0)


def _dedupe(records: list[tuple[Mention, Figure]], headline_end: int) -> list[Figure]:
    """One figure per fact: repeats, a headline restating the body (rounded, or with a
    looser subtype), and the same figure found by two packs."""
    kept: list[tuple[Mention, Figure]] = []

    def same_value(a: Figure, b: Figure, tolerance: float) -> bool:
        x, y = _hectares(a), _hectares(b)
        return abs(x - y) <= tolerance * max(abs(x), abs(y))

    body = [f for _, f in records if f.start >= headline_end]
    for m, figure in records:
        in_headline = figure.start < headline_end
        if in_headline:
            restated = any(
                b.metric == figure.metric and (
                    same_value(b, figure, 0.001)
                    or (figure.qualifier != "exact" and same_value(b, figure, 0.1)))
                for b in body)
            if restated:
                continue
        # A repeat states the same figure for the same time; "11 anti-tank mines" found
        # in two different weeks are two figures, and so are "a civilian" and "a tractor
        # driver" killed the same day (places are resolved too loosely to tell repeats).
        duplicate = any(k.metric == figure.metric and k.subtype == figure.subtype
                        and same_value(k, figure, 0.001) and k.group == figure.group
                        and (k.period_start, k.period_end) == (figure.period_start,
                                                               figure.period_end)
                        and not (figure.value == 1 and km.noun != m.noun)
                        for km, k in kept)
        if not duplicate:
            kept.append((m, figure))
    return [f for _, f in kept]
