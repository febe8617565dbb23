"""The location of a figure: the most specific place a figure is about.

`resolve` generates candidates (the rules' choice among them, with feature `rule`),
describes each with features from the parse and the document, and lets the model trained
on the real gold (`training/places.py`) choose; without a model file the rules' choice
stands.

Candidates: no place; the rules' choice; the places the world gazetteer (extractor/
gazetteer.py) and spaCy find in the figure's sentence, the sentences before it and the
headline; the country of a place in the sentence; the article's focus country (the one
most of its places, bodies and demonyms point to); `Global` for a worldwide report. A region
of a continent ("West Africa") is one candidate of kind `continent`, and a name the rules
give with a kind word ("Khartoum State") is the same candidate as the text's "Khartoum".
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from functools import cache, cached_property, lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

from spacy.tokens import Doc, Token

from .document import Document
from .gazetteer import WorldPlace, fold, world_gazetteer
from .learned import (
    Candidate,
    Features,
    bucket,
    choose,
    load_model,
)
from .nlp import ents_in, text_of, tree_distance
from .patterns import Gazetteer
from .record import Figure

if TYPE_CHECKING:
    from .mentions import Mention

MODEL = "location"
GLOBAL = "Global"
MEMO = "places"
# How far back a place may be and still be a candidate, in sentences
LOOKBACK = 3
PREPOSITIONS = ("in", "across", "from", "of", "near", "at", "to", "by", "on", "throughout",
                "around", "within", "outside", "into")
PLACE_ENTS = ("GPE", "LOC", "FAC")
GLOBAL_CUE = re.compile(
    r"\b(?:worldwide|globally|global|around\s+the\s+world|across\s+the\s+world|in\s+the\s+world"
    r"|world'?s|world\s*wide|\d+\s+countries|countries\s+and\s+(?:other\s+)?areas"
    r"|Landmine\s+Monitor|Cluster\s+Munition\s+Monitor)\b", re.IGNORECASE)
# Words for a kind of place, not which one: the rules' "Khartoum State" is the text's
# "Khartoum" (FORMAT.md compares places without them)
KIND_WORDS = frozenset({"district", "districts", "province", "provinces", "region", "regions",
                        "village", "villages", "oblast", "governorate", "city", "town", "state",
                        "municipality", "municipalities", "county", "rayon", "the"})
LIST_GAP = re.compile(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s+)")
# "in northern Chad", "south-west Bosnia": a part of a place the gold names as written
DIRECTION = re.compile(r"\b(?:(?:north|south)(?:-?(?:east|west))?(?:ern)?|east(?:ern)?|west(?:ern)?"
                       r"|central)\s+$", re.IGNORECASE)


@dataclass
class PlaceMention:
    """A place named in the article."""

    value: str  # the canonical name, or the text for a place the gazetteer does not know
    start: int
    end: int
    sent_index: int
    place: WorldPlace | None
    in_body: bool = False  # inside the name of a body ("Kharkiv regional police")
    in_list: bool = False  # one of several places in a row ("in A, B and C")
    entity: bool = False  # spaCy calls it a place too
    direction: str | None = None  # "northern" in "northern Chad"


@dataclass
class ArticlePlaces:
    """What the article says about places, computed once for all its figures."""

    mentions: list[PlaceMention]
    focus: str | None  # the country most of the article is about
    focus_share: float  # its share of all country evidence
    named: set[str]  # countries the text names itself (not only through their places)
    countries: Counter[str]
    frequency: Counter[str]
    global_cues: int

    @cached_property
    def keys(self) -> set[str]:
        """The names of every place mentioned, as FORMAT.md compares them."""
        return {name_key(m.value) for m in self.mentions}


# ---------------------------------------------------------------- the article


def _sentence_starts(document: Document) -> list[int]:
    return [s.start_char for s in document.sentences]


def _sentence_of(starts: list[int], char: int) -> int:
    return max(0, bisect_right(starts, char) - 1)


def _overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s < end and start < e for s, e in spans)


def _article(document: Document) -> ArticlePlaces:
    cached = document.memo.get(MEMO)
    if cached is not None:
        return cached
    doc, gazetteer = document.doc, world_gazetteer(document.gazetteer)
    text = text_of(doc)
    starts = _sentence_starts(document)
    ents = ents_in(doc[:])
    place_ents = [(e.start_char, e.end_char) for e in ents if e.label_ in PLACE_ENTS]
    # "West Africa", "the Horn of Africa": a region of a continent, not its words' places
    continental = [e for e in ents if e.label_ in PLACE_ENTS and gazetteer.names_continent(e.text)]
    continent_spans = [(e.start_char, e.end_char) for e in continental]
    org_spans = [(e.start_char, e.end_char) for e in ents if e.label_ == "ORG"]
    bodies = _bodies(document, text)
    org_spans += [span for span, _ in bodies]
    matches = []
    for match in gazetteer.find(text):
        if _overlaps(match.start, match.end, continent_spans):
            continue
        entity = _overlaps(match.start, match.end, place_ents)
        if any(p.from_pack or p.kind == "country" for p in match.places) or entity \
                or _all_proper(doc, match.start, match.end):
            matches.append((match, entity))  # else "Police" the Polish town is a word here
    # Which country a name shared by several places is in: the one the article is about
    # (read from the names every reading agrees on, and the bodies and demonyms)
    countries: Counter[str] = Counter()
    for match, _ in matches:
        readings = sorted({p.country for p in match.places if p.country})
        for country in readings:  # in a fixed order: a tie for focus must not hang on hashing
            countries[country] += (2 if match.places[0].kind == "country" else 1) / len(readings)
    for _, country in bodies:
        if country:
            countries[country] += 2
    for country in _demonym_countries(document, text):
        countries[country] += 1
    focus = countries.most_common(1)[0][0] if countries else None
    mentions: list[PlaceMention] = []
    for match, entity in matches:
        place = next((p for p in match.places if p.from_pack), None) or next(
            (p for p in match.places if p.country == focus), match.places[0])
        # a world place is reported as written ("Sanamein", not geonames' "Aş Şanamayn")
        value = place.name if place.from_pack or place.kind == "country" else match.text
        mentions.append(PlaceMention(value, match.start, match.end,
                                     _sentence_of(starts, match.start), place,
                                     _overlaps(match.start, match.end, org_spans), entity=entity))
    for ent in continental:
        name = _entity_name(ent.text)
        mentions.append(PlaceMention(name, ent.start_char, ent.end_char,
                                     _sentence_of(starts, ent.start_char),
                                     WorldPlace(name, "continent", None), entity=True))
    known = [(m.start, m.end) for m in mentions]
    for ent in ents:
        if ent.label_ in PLACE_ENTS and not _overlaps(ent.start_char, ent.end_char, known) \
                and re.search(r"[^\W\d_]", ent.text):
            name = _entity_name(ent.text)
            if name:
                mentions.append(PlaceMention(name, ent.start_char, ent.end_char,
                                             _sentence_of(starts, ent.start_char), None,
                                             _overlaps(ent.start_char, ent.end_char, org_spans),
                                             entity=True))
    mentions.sort(key=lambda m: m.start)
    for a, b in pairwise(mentions):
        if LIST_GAP.fullmatch(text[a.end:b.start]):
            a.in_list = b.in_list = True
    for m in mentions:
        direction = DIRECTION.search(text, max(0, m.start - 16), m.start)
        if direction:
            m.direction = f"{direction[0].strip().lower()} {text[m.start:m.end]}"
    total = sum(countries.values())
    named = {m.place.country for m in mentions
             if m.place and m.place.kind == "country" and m.place.country and not m.in_body}
    named.update(_demonym_countries(document, text))
    article = ArticlePlaces(
        mentions, focus, countries[focus] / total if focus else 0.0, named, countries,
        Counter(m.value for m in mentions), len(GLOBAL_CUE.findall(text)))
    document.memo[MEMO] = article
    return article


def _entity_name(text: str) -> str:
    """"the Horn of Africa's" -> "Horn of Africa"."""
    name = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    return re.sub(r"['’]s?\s*$", "", name).strip()


def _all_proper(doc: Doc, start: int, end: int) -> bool:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span is not None and all(t.pos_ == "PROPN" for t in span if t.is_alpha) \
        and not span[0].is_sent_start


@cache
def _body_names(gazetteer: Gazetteer
                ) -> tuple[re.Pattern[str] | None, dict[str, tuple[str | None, set[str]]]]:
    """One regex over all the packs' bodies' names (a few hundred); folded name -> the
    body's country and the name's spellings."""
    names: dict[str, tuple[str | None, set[str]]] = {}
    for org in gazetteer.organizations:
        for alias in (org.name, *org.aliases):
            names.setdefault(alias.casefold(), (org.country, set()))[1].add(alias)
    keys = sorted(names, key=len, reverse=True)
    regex = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, keys)) + r")(?![\w-])",
                       re.IGNORECASE) if keys else None
    return regex, names


@cache
def _demonyms(gazetteer: Gazetteer) -> dict[str, str]:
    return {fold(d): p.country or p.name for p in gazetteer.places for d in p.demonyms}


def _bodies(document: Document, text: str) -> list[tuple[tuple[int, int], str | None]]:
    """The pack's bodies named in the text, with where and their country; an acronym
    only as written ("SES" the body, not "ses")."""
    regex, names = _body_names(document.gazetteer)
    found = []
    for m in regex.finditer(text) if regex else ():
        country, spellings = names[m[0].casefold()]
        if m[0] in spellings or any(not s.isupper() for s in spellings):
            found.append(((m.start(), m.end()), country))
    return found


def _demonym_countries(document: Document, text: str) -> list[str]:
    demonyms = _demonyms(document.gazetteer)
    return [demonyms[fold(m[0])] for m in re.finditer(r"\b[A-Z][\w’']+", text)
            if fold(m[0]) in demonyms]


# ---------------------------------------------------------------- one figure


def _token_at(doc: Doc, start: int, end: int) -> Token | None:
    span = doc.char_span(start, end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _preposition(token: Token) -> str | None:
    for t in (token, *list(token.ancestors)[:2]):
        if t.dep_ == "pobj" and t.head.dep_ == "prep":
            word = t.head.lower_
            return word if word in PREPOSITIONS else "other"
    return None


def _mention_features(document: Document, article: ArticlePlaces, mention: Mention,
                      figure: Figure, place: PlaceMention) -> Features:
    distance = mention.sent_index - place.sent_index
    headline = place.sent_index < document.headline_end
    where = ("sentence" if distance == 0 else "before1" if distance == 1
             else "before" if 0 < distance <= LOOKBACK else "after" if distance < 0
             else "headline" if headline else "far")
    kind = place.place.kind if place.place else "unknown"
    kind_class = kind_class_of(place)
    features: Features = {
        f"where={where}": 1.0, f"kind={kind}": 1.0,
        f"kind={kind_class}&metric={mention.metric.kind}": 1.0,
        f"kind={kind_class}&where={where}": 1.0,
        "headline": float(headline),
        "in_body": float(place.in_body), "in_list": float(place.in_list),
        "entity": float(place.entity), "pack": float(bool(place.place and place.place.from_pack)),
        **bucket("frequency", article.frequency[place.value], (1, 2, 4, 8)),
    }
    country = place.place.country if place.place else None
    if article.focus and country:
        features["focus_country" if country == article.focus else "foreign"] = 1.0
    if distance == 0:
        token = _token_at(document.doc, place.start, place.end)
        if token is not None:
            features.update(bucket("tree", tree_distance(mention.number, token),
                                   (1, 2, 3, 5, 8, 12)))
            features[f"prep={_preposition(token)}"] = 1.0
            features["before_number"] = float(token.i < mention.number.i)
    return features


def kind_class_of(place: PlaceMention) -> str:
    kind = place.place.kind if place.place else "unknown"
    return kind if kind in ("country", "unknown", "continent") else (
        "broad" if kind in ("province", "region") else "narrow")


@lru_cache(maxsize=65536)  # bounded: an archive run meets ever new names
def name_key(name: str) -> str:
    """A name as FORMAT.md compares places: folded, without words for a kind of place
    ("Khartoum State" is Khartoum, "Chiragli village" Chiragli)."""
    return " ".join(w for w in re.findall(r"[\w'’-]+", fold(name)) if w not in KIND_WORDS)


def candidates(document: Document, mention: Mention, figure: Figure) -> list[Candidate]:
    article = _article(document)
    options: dict[str, Candidate] = {}

    def add(value: str | None, features: Features) -> None:
        key = name_key(value) if value else ""
        if key in options:
            merged = options[key].features
            for name, x in features.items():
                merged[name] = max(merged.get(name, 0.0), x)
        else:
            options[key] = Candidate(value, dict(features))

    rule = figure.location
    add(rule, {"rule": 1.0, "rule_list": float(bool(rule and re.search(r",|\sand\s", rule)))})
    add(None, {"null": 1.0})
    cues = len(GLOBAL_CUE.findall(mention.sent.text))
    add(GLOBAL, {"global": 1.0, "global_sentence": float(cues > 0),
                 **bucket("global_article", article.global_cues, (0, 1, 3))})
    if article.focus:
        named = "named" if article.focus in article.named else "unnamed"
        add(article.focus, {"focus": 1.0, f"focus_{named}": 1.0,
                            **bucket(f"focus_share_{named}", article.focus_share,
                                     (0.3, 0.5, 0.7, 0.9))})
    # a place inside the focus country, tied to the figure's words: alone, or in a list
    narrower_here: str | bool = False
    directional: set[str] = set()  # countries the nearby text writes as "northern Chad"
    for place in article.mentions:
        distance = mention.sent_index - place.sent_index
        if not (-1 <= distance <= LOOKBACK or place.sent_index < document.headline_end):
            continue
        features = _mention_features(document, article, mention, figure, place)
        if distance == 0 and place.place and place.place.kind != "country" \
                and place.place.country == article.focus and not place.in_body \
                and any(features.get(f"prep={p}") for p in ("in", "across", "of", "near", "at")):
            narrower_here = narrower_here or ("list" if place.in_list else "single")
        add(place.value, features)
        if place.direction:
            # "in northern Chad": the gold keeps a country's part as written, not a province's
            add(place.direction, {**features, "directional": 1.0,
                                  f"directional&kind={kind_class_of(place)}": 1.0})
            if place.place and place.place.kind == "country":
                directional.add(name_key(place.value))
        country = place.place.country if place.place else None
        if distance == 0 and country and country != place.value:
            add(country, {"country_of_sentence_place": 1.0,
                          "focus_country": float(country == article.focus)})
    rule_parts = {name_key(p) for p in re.split(r",\s*|\s+and\s+", rule)} if rule else set()
    named = article.keys
    rule_place = next((m.place for m in article.mentions
                       if name_key(m.value) == name_key(rule) and m.place), None) \
        if rule and name_key(rule) in named else None
    for candidate in options.values():
        folded = name_key(candidate.value) if candidate.value else ""
        if folded and rule and folded != name_key(rule) and folded in rule_parts:
            candidate.features["in_rule"] = 1.0
        if folded in directional:
            candidate.features["written_with_direction"] = 1.0
        if candidate.features.get("rule") and rule and not rule_parts & named:
            candidate.features["rule_unnamed"] = 1.0  # a fallback the text never names
        if candidate.features.get("rule"):
            # what the rules' choice is, for the model to trust it by kind and position
            candidate.features.update({f"rule&{name}": 1.0 for name, x in list(
                candidate.features.items()) if x and name.startswith(("where=", "kind=", "prep="))})
        if candidate.value == article.focus:
            # "in Kelbajar district": an article that never names its country is about
            # the place, not the country
            candidate.features["focus_in_sentence"] = float(any(
                m.sent_index == mention.sent_index and m.place and m.place.kind == "country"
                and m.value == article.focus for m in article.mentions))
            if narrower_here:
                candidate.features[f"narrower_in_sentence={narrower_here}"] = 1.0
            if rule_place is not None and rule_place.country == article.focus \
                    and rule_place.kind != "country":
                candidate.features["focus_over_narrower_rule"] = 1.0
    return list(options.values())


def resolve(document: Document, mention: Mention, figure: Figure) -> str | None:
    options = candidates(document, mention, figure)
    figure.candidates[MODEL] = options
    model = load_model(MODEL)
    if model is not None and len(text_of(document.doc)) < model.meta.get("min_article_chars", 0):
        # A text shorter than any article the model learned from (a sentence, a caption)
        # tells too little of the article's country for it: the rules' choice stands.
        model = None
    best = choose(options, model)  # overrides the rules by the model's margin
    return best.value if best else None
