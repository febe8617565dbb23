"""The claimant of a figure: who the text attributes a figure to.

`resolve` generates candidates: nobody (`None`), the rules' choice (feature `rule`; a choice
that names nobody, a generic noun or unnamed officials, is `rule_generic` instead), every
person and body the article names (spaCy's PERSON and ORG entities, the gazetteer's
organisations, acronyms the text defines), the publisher when it is a body, and a country
that itself reports. Each candidate is described by where it stands to the figure
(sentences and paragraphs before or after, same sentence), the role the text gives it
(subject of a verb of saying, object of "according to", the outlet a statement was told to,
who did the work), what it is (person, body the gazetteer knows, media outlet, publisher,
generic noun) and how the article uses it (how often, headline, dateline). A binary
logistic model trained on the real gold (`training/claimants.py`) scores each candidate and
the most probable one wins; without a model file the rules' choice stands (nobody when it
names nobody).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING

import yaml
from spacy.tokens import Token

from .document import Document
from .learned import (
    Candidate,
    Features,
    bucket,
    choose,
    load_model,
)
from .nlp import ents_in, text_of
from .patterns import Gazetteer, bundled_root
from .record import Figure

if TYPE_CHECKING:
    from .mentions import Mention

MODEL = "claimant"
SENTENCE_EDGES = (0, 1, 2, 3, 5, 8, 15)
# A name more sentences than this from a figure, and none of the article's own bodies, is
# no candidate: news articles are shorter than this, so it only keeps a long text (a
# book-length page, a concatenated archive) from weighing every name for every figure.
NEAR_SENTENCES = 60
COUNT_EDGES = (1, 2, 3, 5, 9)
# "the National Mine Action Centre (NMAC)": a name and the acronym the text defines for it
ACRONYM = re.compile(r"(?P<long>[A-Z][\w'’.&-]*(?:\s+(?:of|for|and|the|de|on|&|[A-Z][\w'’.-]*))*?)"
                     r"\s*\((?P<short>[A-Z][A-Za-z-]{1,12})\)")
# "DAMASCUS (SANA) -", "KYIV, March 3 (Reuters) -": a place and an outlet opening a line
DATELINE = re.compile(r"(?m)^[ \t]*[A-Z][A-Za-z'’ .-]{1,30}(?:,[^\n]{1,30}?)?"
                      r"\s*(?:\([^)\n]{1,30}\))?\s*[-–—:]\s")
QUOTE = re.compile(r"[“\"][^“”\"\n]{12,}[”\"]")
TRAILING_WORDS = re.compile(r"\s+(?:teams?|staff|deminers|experts|specialists|officials"
                            r"|personnel|units?|press\s+service)$", re.IGNORECASE)
BODY_WORDS = {"agency", "ministry", "organization", "organisation", "authority", "center",
              "centre", "service", "office", "project", "department", "committee", "union",
              "campaign", "group", "programme", "program", "administration", "institute",
              "commission", "council", "trust", "foundation", "association", "army", "forces",
              "police", "government", "bureau", "directorate", "mission", "monitor", "command",
              "international", "cross", "crescent", "un", "nations"}


@dataclass(frozen=True)
class Attribution:
    """The words of attribution (patterns/attribution.yaml)."""

    reporting: frozenset[str]
    markers: frozenset[str]
    relaying: frozenset[str]
    generic: frozenset[str]
    documents: frozenset[str]
    media_words: frozenset[str]
    people: frozenset[str]
    events: frozenset[str]
    outlets: frozenset[str]  # folded names of the outlets in publishers.yaml


@cache
def attribution() -> Attribution:
    root = bundled_root()
    data = yaml.safe_load(root.joinpath("attribution.yaml").read_text("utf-8"))
    publishers = yaml.safe_load(root.joinpath("publishers.yaml").read_text("utf-8")) or {}
    outlets = frozenset(_fold(n) for group in ("outlets", "aggregators")
                        for entry in publishers.get(group) or ()
                        for n in (entry.get("name", ""), *(entry.get("aliases") or ())) if n)
    return Attribution(*(frozenset(str(w).casefold() for w in data.get(key) or ())
                         for key in ("reporting", "markers", "relaying", "generic",
                                     "documents", "media_words", "people", "events")), outlets)


def names_event(verb: Token) -> bool:
    """A verb of saying whose object is an event ("mines have claimed the lives of 50,000
    people") is the event itself: its subject caused it, it did not state it."""
    events = attribution().events
    return any(c.dep_ == "dobj" and (c.lower_ in events or c.lemma_.casefold() in events)
               for c in verb.children)


def is_media(name: str, media: frozenset[str]) -> bool:
    """An outlet: listed (gazetteer `media`, publishers.yaml) or named like one."""
    words = attribution()
    key = _fold(name)
    return key in media or key in words.outlets or bool(
        set(re.findall(r"[a-z]+", key)) & words.media_words)


@dataclass
class Name:
    """One person or body the article names, with what it is."""

    value: str
    kind: str  # person, body, place (a country that reports), publisher
    known: bool = False  # the gazetteer knows the body
    media: bool = False
    publisher: bool = False
    defined: bool = False  # the text defines an acronym for it
    bodylike: bool = False  # known to the gazetteer, an acronym or named with a body's word


@dataclass
class Occurrence:
    key: str
    start: int  # characters in the document text
    sent: int
    roles: frozenset[str]


@dataclass
class Names:
    """The article's names and where they occur, built once per article."""

    names: dict[str, Name] = field(default_factory=dict)
    occurrences: list[Occurrence] = field(default_factory=list)
    paragraph: list[int] = field(default_factory=list)  # per sentence
    quotes: list[tuple[int, int]] = field(default_factory=list)
    first_body: str | None = None
    most_body: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    by_key: dict[str, list[Occurrence]] = field(default_factory=dict)
    speakers: list[Occurrence] = field(default_factory=list)  # said / according roles
    persons: dict[str, str] = field(default_factory=dict)  # full names, folded


# ---------------------------------------------------------------- the gazetteer's bodies


@dataclass(frozen=True)
class Bodies:
    regex: re.Pattern[str] | None
    alias: dict[str, str]
    media: frozenset[str]


_BODIES: dict[int, tuple[Gazetteer, Bodies]] = {}


def _bodies(gazetteer: Gazetteer) -> Bodies:
    cached = _BODIES.get(id(gazetteer))
    if cached is not None and cached[0] is gazetteer:
        return cached[1]
    alias: dict[str, str] = {}
    for org in gazetteer.organizations:
        for name in (org.name, *org.aliases):
            alias.setdefault(_fold(name), org.name)
    names = sorted(alias, key=len, reverse=True)
    regex = re.compile(r"(?<![\w-])(?:" + "|".join(
        r"\s+".join(re.escape(w).replace("'", "['’]") for w in n.split()) for n in names)
        + r")(?![\w-])", re.IGNORECASE) if names else None
    bodies = Bodies(regex, alias, frozenset(_fold(m) for m in gazetteer.media))
    _BODIES[id(gazetteer)] = (gazetteer, bodies)
    return bodies


def _fold(text: str) -> str:
    text = text.casefold().replace("’", "'")
    text = re.sub(r"^the\s+", "", text.strip())
    text = re.sub(r"'s$", "", text)
    return " ".join(text.split())


# ---------------------------------------------------------------- roles in the parse


def _roles(root: Token, words: Attribution) -> set[str]:
    """What the parse makes of a name: who says (`said`), whose words are quoted
    (`according`), the outlet told (`relay`), who acted (`subject`, `agent`), whose
    document (`owner`)."""
    roles: set[str] = set()
    tok = root
    for depth in range(4):
        head = tok.head
        lemma = head.lemma_.casefold()
        if tok.dep_ in ("nsubj", "nsubjpass") and head.pos_ in ("VERB", "AUX", "ADJ"):
            if (lemma in words.reporting or head.lower_ in words.reporting) \
                    and not names_event(head):
                roles.add("said" if depth == 0 else "said_inside")
            else:
                roles.add("subject" if depth == 0 else "subject_inside")
            break
        if tok.dep_ == "pobj":
            prep = head.lower_
            if (prep == "to" and head.head.lower_ == "according") or prep in words.markers \
                    or head.head.lower_ in words.markers:
                roles.add("according")
                break
            if prep == "by" and head.dep_ == "agent":
                roles.add("said" if head.head.lemma_.casefold() in words.reporting else "agent")
                break
            if prep == "to" and head.head.lemma_.casefold() in words.relaying:
                roles.add("relay")
                break
        if tok.dep_ in ("dobj", "dative") and lemma in words.relaying:
            roles.add("relay")
            break
        if tok.dep_ == "poss" and head.lower_ in words.documents:
            roles.add("owner")
            break
        if tok.dep_ in ("appos", "compound", "conj", "pobj", "prep", "poss", "amod") \
                and head.i != tok.i:
            tok = head
            continue
        break
    return roles


# ---------------------------------------------------------------- the article's names


def _names(document: Document) -> Names:
    cached = document.memo.get("claimant_names")
    if cached is not None:
        return cached
    words = attribution()
    doc = document.doc
    text = text_of(doc)
    bodies = _bodies(document.gazetteer)
    starts = [s.start_char for s in document.sentences]
    result = Names()
    result.paragraph = _paragraphs(text, starts)
    result.quotes = [(m.start(), m.end()) for m in QUOTE.finditer(text)]
    datelines = [(m.start(), m.end()) for m in DATELINE.finditer(text)]
    acronyms = {m["short"]: m["long"].strip() for m in ACRONYM.finditer(text)
                if len(m["long"]) > len(m["short"]) + 2}
    taken: list[tuple[int, int]] = []

    def add(key: str, name: Name, start: int, end: int, roles: set[str]) -> None:
        result.names.setdefault(key, name)
        if start < document.headline_end:
            roles.add("headline")
        if any(a <= start < b for a, b in datelines):
            roles.add("dateline")
        sent = max(0, bisect_right(starts, start) - 1)
        result.occurrences.append(Occurrence(key, start, sent, frozenset(roles)))
        taken.append((start, end))

    def token_at(start: int, end: int) -> Token | None:
        span = doc.char_span(start, end, alignment_mode="expand")
        return span.root if span is not None and len(span) else None

    if bodies.regex is not None:
        for m in bodies.regex.finditer(text):
            value = bodies.alias[_fold(m[0])]
            root = token_at(m.start(), m.end())
            add(_fold(value), Name(value, "body", known=True), m.start(), m.end(),
                _roles(root, words) if root is not None else set())
    ents = [e for e in ents_in(doc[:]) if e.label_ in ("PERSON", "ORG", "GPE")]
    full_names = sorted({_clean(e.text) for e in ents if e.label_ == "PERSON"
                         and len(_clean(e.text).split()) >= 2}, key=lambda n: -len(n.split()))
    for ent in ents:
        if any(a < ent.end_char and ent.start_char < b for a, b in taken):
            continue
        roles = _roles(ent.root, words)
        clean = _clean(ent.text)
        if not clean or not re.search(r"[A-Za-z]", clean):
            continue
        key = _fold(clean)
        media = is_media(clean, bodies.media)
        person = _person_of(clean, full_names)  # "Reva", "Abdinur Aden": named in full
        if ent.label_ == "PERSON" or person is not None:
            if key in bodies.alias or _is_place(document.gazetteer, clean):
                continue
            full = person or clean
            add(_fold(full), Name(full, "person", media=media), ent.start_char, ent.end_char,
                roles)
        elif ent.label_ == "ORG":
            if _is_object_word(document, clean):
                continue
            long = acronyms.get(clean)
            value = long or clean
            known = _fold(value) in bodies.alias
            value = bodies.alias.get(_fold(value), value)
            add(_fold(value), Name(value, "body", known=known, media=media,
                                   defined=long is not None or clean in acronyms.values()),
                ent.start_char, ent.end_char, roles)
        elif roles & {"said", "according"}:  # "Cambodia reported 44 casualties"
            add(key, Name(clean, "place"), ent.start_char, ent.end_char, roles)
    result.persons = {_fold(n): _fold(n) for n in full_names}
    _add_publisher(document, result, bodies, acronyms)
    for name in result.names.values():
        name.bodylike = name.bodylike or name.known or (name.kind == "body" and (
            name.defined or bool(set(name.value.casefold().split()) & BODY_WORDS)))
    result.occurrences.sort(key=lambda o: o.start)
    for occ in result.occurrences:
        result.by_key.setdefault(occ.key, []).append(occ)
        result.counts[occ.key] = result.counts.get(occ.key, 0) + 1
        if occ.roles & {"said", "said_inside", "according"} and not occ.roles & {"dateline"}:
            result.speakers.append(occ)
    bodies_in_body = [o.key for o in result.occurrences if "headline" not in o.roles
                      and result.names[o.key].kind == "body" and not result.names[o.key].media]
    result.first_body = bodies_in_body[0] if bodies_in_body else None
    if bodies_in_body:
        result.most_body = max(bodies_in_body, key=lambda k: (bodies_in_body.count(k),
                                                               -bodies_in_body.index(k)))
    document.memo["claimant_names"] = result
    return result


def _clean(text: str) -> str:
    """"the HALO teams" -> "HALO", "Reva's" -> "Reva": the name, not its people."""
    text = re.sub(r"^the\s+", "", text.strip(), flags=re.IGNORECASE)
    return TRAILING_WORDS.sub("", re.sub(r"['’]s$", "", text)).strip()


def _person_of(name: str, full_names: list[str]) -> str | None:
    """The longer name of a person the text names in part ("Reva" or "Serhii" for "Serhii
    Reva", "Abdinur Aden" for "Deqow Abdinur Aden")."""
    words = name.casefold().split()
    for full in full_names:
        parts = full.casefold().split()
        if len(parts) > len(words) and (parts[-len(words):] == words
                                        or parts[:len(words)] == words):
            return full
    return None


def _add_publisher(document: Document, names: Names, bodies: Bodies,
                   acronyms: dict[str, str]) -> None:
    """The publisher as a candidate: a body publishing its own figures is their claimant.
    Its parts ("ReliefWeb (Humanity & Inclusion)", "The HALO Trust (halotrust.org)") that
    the text names mark that name; else the body the gazetteer knows, or its acronym."""
    publisher = document.source.publisher
    if not publisher:
        return
    parts = [p.strip() for p in re.split(r"\s*[(),/|]\s*|\s+[-–—]\s+", publisher)]
    parts = [p for p in parts if p[:1].isupper() and not re.fullmatch(r"\S+\.\w+", p)
             and not is_media(p, bodies.media)]
    found = False
    for part in parts:
        key = _fold(bodies.alias.get(_fold(part), part))
        long = _fold(acronyms.get(part, part))
        for name_key in (key, long):
            if name_key in names.names:
                names.names[name_key].publisher = True
                found = True
    if found or not parts:
        return
    known = [bodies.alias[_fold(p)] for p in parts if _fold(p) in bodies.alias]
    acronym = [p for p in parts if p.isupper() and len(p) <= 12]
    value = (known or acronym or parts)[0]
    body = bool(known or acronym) or bool(set(value.casefold().split()) & BODY_WORDS)
    names.names.setdefault(_fold(value), Name(value, "publisher", known=bool(known),
                                              publisher=True, bodylike=body))


def _paragraphs(text: str, starts: list[int]) -> list[int]:
    """The paragraph of each sentence: blank lines separate paragraphs, or line breaks in
    a text that has no blank line."""
    breaks = [m.start() for m in re.finditer(r"\n\s*\n" if "\n\n" in text else r"\n", text)]
    return [bisect_right(breaks, s) for s in starts]


def _is_place(gazetteer: Gazetteer, text: str) -> bool:
    return gazetteer.place(text) is not None


def _is_object_word(document: Document, text: str) -> bool:
    """"UXO", "ERW": what is counted, not who counts."""
    for pack in document.packs:
        found = pack.match_object(" " + text)
        if found and found[1] >= len(text) + 1:
            return True
    return False


# ---------------------------------------------------------------- candidates


@lru_cache(maxsize=65536)  # bounded: an archive run meets ever new names
def _generic(value: str, words: Attribution) -> bool:
    tokens = re.findall(r"[\w'’-]+", value.casefold())
    return not tokens or value[:1].islower() or all(t in words.generic for t in tokens)


def _unnamed_people(value: str, words: Attribution, names: Names) -> bool:
    """"Ukrainian officials", "senior sources": people the text does not name, described
    by words that name no body the article holds ("ANAMA officials" names ANAMA)."""
    tokens = value.split()
    described = (names.names.get(_fold(" ".join(tokens[:i]))) for i in range(1, len(tokens)))
    return len(tokens) > 1 and tokens[-1].casefold() in words.people and not any(
        name is not None and name.bodylike for name in described)


def _parts(value: str) -> list[str]:
    return [p for p in re.split(r"\s*[(),]\s*|\s+and\s+", value) if p.strip()]


def _key_of(value: str, names: Names) -> str:
    """The key of a name, a person named in part mapped to the full name ("Reva")."""
    key = _fold(value)
    if key not in names.names:
        key = _fold(_person_of(key, list(names.persons)) or key)
    return key


def _sentence_features(prefix: str, distance: int | None) -> Features:
    if distance is None:
        return {f"{prefix}:none": 1.0}
    return bucket(prefix, distance, SENTENCE_EDGES)


@dataclass(frozen=True)
class Speakers:
    """Who speaks around one figure, the same for every name described for it (found once
    per figure: a long text has hundreds of names)."""

    last: Occurrence | None  # the latest speaker at or before the figure's sentence
    next: Occurrence | None  # the first speaker in the sentence after it
    quoted: bool  # the figure stands inside a quotation

    @classmethod
    def around(cls, names: Names, mention: Mention) -> Speakers:
        here = mention.sent_index
        spoken = [o for o in names.speakers if o.sent <= here]
        after = [o for o in names.speakers if here < o.sent <= here + 1]
        return cls(spoken[-1] if spoken else None, after[0] if after else None,
                   _in_quote(names, mention.start))


def _describe(key: str, names: Names, document: Document, mention: Mention,
              actors: set[int], speakers: Speakers) -> Features:
    """Where a name stands to the figure and what the article makes of it."""
    name = names.names[key]
    here, para = mention.sent_index, names.paragraph[mention.sent_index]
    occs = names.by_key.get(key, [])
    before = [o for o in occs if o.sent <= here and "dateline" not in o.roles]
    after = [o for o in occs if o.sent > here]
    f: Features = {f"kind={name.kind}": 1.0}
    if name.known:
        f["known"] = 1.0
    if name.media:
        f["media"] = 1.0
    if name.publisher:
        f["publisher"] = 1.0
        f["publisher_body" if name.bodylike else "publisher_other"] = 1.0
    if name.bodylike:
        f["bodylike"] = 1.0
    if name.defined:
        f["defined"] = 1.0
    if name.kind == "person" and len(name.value.split()) == 1:
        f["one_word_person"] = 1.0
    f.update(_sentence_features("before", here - before[-1].sent if before else None))
    f.update(_sentence_features("after", after[0].sent - here if after else None))
    if before and names.paragraph[before[-1].sent] == para:
        f["same_paragraph"] = 1.0
    elif after and names.paragraph[after[0].sent] == para:
        f["same_paragraph_after"] = 1.0
    same = [o for o in occs if o.sent == here]
    roles_here = set().union(*(o.roles for o in same)) if same else set()
    for role in roles_here:
        f[f"here:{role}"] = 1.0
    roles_before = set().union(*(o.roles for o in before)) if before else set()
    for role in roles_before - {"headline", "dateline"}:
        f[f"before:{role}"] = 1.0
    if occs and all("dateline" in o.roles for o in occs):
        f["only_dateline"] = 1.0
    if occs and all("headline" in o.roles for o in occs):
        f["only_headline"] = 1.0
    elif any("headline" in o.roles for o in occs):
        f["headline"] = 1.0
    if any(o.roles & {"relay"} for o in occs):
        f["ever_relay"] = 1.0
    if any(o.roles & {"said", "according"} for o in occs):
        f["ever_said"] = 1.0
    f.update(bucket("count", names.counts.get(key, 0), COUNT_EDGES))
    if key == names.first_body:
        f["first_body"] = 1.0
    if key == names.most_body:
        f["most_body"] = 1.0
    if any(o.sent == here and o.start in actors for o in occs):
        f["actor"] = 1.0
    # the latest speaker at or before the figure, and whether it spoke in this paragraph
    last = speakers.last
    if last is not None and last.key == key:
        f["last_speaker"] = 1.0
        if names.paragraph[last.sent] == para:
            f["last_speaker_paragraph"] = 1.0
        f.update(_sentence_features("last_speaker_distance", here - last.sent))
    if speakers.next is not None and speakers.next.key == key:
        f["next_speaker"] = 1.0
    if speakers.quoted and ("said" in roles_here or f.get("last_speaker")
                            or f.get("next_speaker")):
        f["quote_speaker"] = 1.0
    return f


def _near(occurrences: list[Occurrence], sent: int) -> bool:
    """Some occurrence within NEAR_SENTENCES of sentence `sent`."""
    return any(abs(o.sent - sent) <= NEAR_SENTENCES for o in occurrences)


def _in_quote(names: Names, char: int) -> bool:
    return any(a <= char < b for a, b in names.quotes)


def _actor_starts(mention: Mention) -> set[int]:
    """Character offsets of the subject or agent of the figure's own verb ("HI cleared")."""
    verb = next((t for t in mention.number.ancestors if t.pos_ in ("VERB", "AUX")), None)
    if verb is None:
        return set()
    found = set()
    for child in verb.children:
        target = child if child.dep_ in ("nsubj", "nsubjpass") else next(
            (c for c in child.children if c.dep_ == "pobj"), None) if child.dep_ == "agent" \
            else None
        if target is not None:
            found.update(t.idx for t in target.subtree)
    return found


def candidates(document: Document, mention: Mention, figure: Figure) -> list[Candidate]:
    words = attribution()
    names = _names(document)
    actors = _actor_starts(mention)
    rule = figure.claimant
    speakers_here = [o for o in names.speakers if o.sent <= mention.sent_index
                     and names.paragraph[o.sent] == names.paragraph[mention.sent_index]]
    null: Features = {"null": 1.0}
    if rule is None:
        null["rule"] = 1.0
        null["null_rule"] = 1.0
    if not speakers_here:
        null["null_no_speaker_paragraph"] = 1.0
    if not names.speakers:
        null["null_no_speaker"] = 1.0
    if not any(n.kind == "body" and not n.media for n in names.names.values()):
        null["null_no_body"] = 1.0
    if any(n.publisher and n.bodylike for n in names.names.values()):
        null["null_publisher_body"] = 1.0
    options = [Candidate(None, null)]
    # "according to the source", "officials said": a rules' choice that names nobody is no
    # choice (FORMAT.md: generic nouns are not claimants); the model's ranking decides
    vague = bool(rule) and (_generic(rule, words) or _unnamed_people(rule, words, names))
    rule_key = _key_of(rule, names) if rule else None
    # "Samir Poladov (ANAMA)": the rules' combination has what all its named parts have
    parts = {_key_of(p, names) for p in _parts(rule)} if rule else set()
    combined = rule_key not in names.names and bool(parts & set(names.names))
    described: list[Features] = []
    speakers = Speakers.around(names, mention)
    for key, name in names.names.items():
        if not (name.publisher or key in (rule_key, names.first_body, names.most_body)
                or _near(names.by_key.get(key, []), mention.sent_index)):
            continue
        features = _describe(key, names, document, mention, actors, speakers)
        if _generic(name.value, words):
            features["generic"] = 1.0
        if combined and key in parts:
            described.append(dict(features))
            features["part_of_rule"] = 1.0
        if key == rule_key:
            features["rule_generic" if vague else "rule"] = 1.0
        options.append(Candidate(name.value, features))
    if rule and rule_key not in names.names:  # a choice of the rules the names do not hold
        features = {k: v for k, v in described[0].items()
                    if all(k in d for d in described)} if described else {}
        features.update({"rule_generic" if vague else "rule": 1.0, "rule_only": 1.0})
        if combined:
            features["rule_combined"] = 1.0
        if any(d.get("media") for d in described):
            features["rule_with_media"] = 1.0
        if _generic(rule, words):
            features["generic"] = 1.0
        options.append(Candidate(rule, features))
    return options


def resolve(document: Document, mention: Mention, figure: Figure) -> str | None:
    options = candidates(document, mention, figure)
    figure.candidates[MODEL] = options
    best = choose(options, load_model(MODEL))  # overrides the rules by the model's margin
    return best.value if best else None

