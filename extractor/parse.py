"""Stage 2: an HTML page to the article body and its metadata.

Interface used by the pipeline: `parse_html(html, source)`; `decode_html(data, declared)`
turns the raw bytes of a page into text first.

The body comes from trafilatura, then a few structural clean-ups that it does not make
(leading headline and standfirst, link lists, trailing teasers). Metadata comes from
JSON-LD, meta tags, <time> elements, visible bylines and datelines, and the URL.
"""

from __future__ import annotations

import codecs
import functools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime
from urllib.parse import urljoin, urlsplit

import charset_normalizer
from lxml import etree
from lxml import html as lxml_html
from trafilatura import bare_extraction
from trafilatura.xml import xmltotxt

from .record import Article, Source, sha256_text

# ---------------------------------------------------------------- decoding

META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE
)


def _codec(name: str | None) -> str | None:
    """The Python codec for a declared charset name, or None if it is unknown."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    # Browsers read latin-1 and ascii declarations as windows-1252 (WHATWG encoding spec).
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def declared_charset(data: bytes) -> str | None:
    """The charset a page declares in its first bytes (<meta charset> or http-equiv)."""
    match = META_CHARSET.search(data[:4096])
    return _codec(match.group(1).decode("ascii", "replace")) if match else None


def decode_html(data: bytes, header_charset: str | None = None) -> str:
    """Page bytes to text: BOM, then the HTTP header charset, then <meta>, then detection."""
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    for codec in (_codec(header_charset), declared_charset(data)):
        if codec:
            try:
                return data.decode(codec)
            except (UnicodeDecodeError, LookupError):
                continue  # a wrong declaration is common; fall through to the next clue
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(data[:200_000]).best()
        return data.decode(best.encoding if best else "cp1252", errors="replace")


# ---------------------------------------------------------------- dates

MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")),
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?"
ISO_DATE = re.compile(r"(?<!\d)(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})(?!\d)")
COMPACT_DATE = re.compile(r"(?P<year>\d{4})(?P<mnum>\d{2})(?P<day>\d{2})$")
# "April 25, 2024", "Apr. 25 2024", "25 April 2024", "25th of April, 2024"
TEXT_DATE = re.compile(
    rf"\b(?:{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})"
    rf"|(?P<day2>\d{{1,2}})(?:st|nd|rd|th|\.)?\s+(?:of\s+)?"
    rf"{_MONTH.replace('month', 'month2')},?\s+(?P<year2>\d{{4}}))\b",
    re.IGNORECASE,
)
# A dateline without a year: "BAKU, Azerbaijan, February 12" at the start of the body.
DATELINE = re.compile(
    rf"^\s*[A-Z][A-Za-z.\- ]{{1,40}}(?:,\s*[A-Z][A-Za-z.\- ]{{1,40}})?,\s*(?i:{_MONTH})\s+"
    r"(?P<day>\d{1,2})(?:,?\s+(?P<year>\d{4}))?\b"
)
URL_DATE = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d{2})(?P<sep>[/_-]?)(?P<mnum>[01]\d)(?P=sep)(?P<day>[0-3]\d)(?!\d)"
)
# Labels before a visible date; which of the two fields the date belongs to.
UPDATE_LABEL = re.compile(r"\b(?:last\s+)?(?:update[ds]?|modified|revised)\b\s*(?:on|at)?\s*:?",
                          re.IGNORECASE)
PUBLISH_LABEL = re.compile(r"\b(?:published|posted|publication\s+date|first\s+published)\b"
                           r"\s*(?:on|at)?\s*:?", re.IGNORECASE)
DATE_LABEL = re.compile(rf"(?P<update>{UPDATE_LABEL.pattern})|{PUBLISH_LABEL.pattern}",
                        re.IGNORECASE)
FOUR_DIGITS = re.compile(r"\d{4}")
WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?"
CLOCK = r"(?:at[ \t]+)?\d{1,2}[:.]\d{2}(?:[ \t]*[ap]\.?m\.?)?(?:[ \t]+[A-Z]{2,4})?"
# A line that is only a date, maybe with a weekday and a time: "November 15, 2019",
# "Monday, November 18, 2019", "Nov. 19, 2019 5:50 PM", "- November 20, 2019 - 11:28 AMT"
LONE_DATE = re.compile(
    rf"^[ \t]*[-–|•]?[ \t]*(?:on[ \t]+)?(?:{WEEKDAY},?[ \t]+)?"
    rf"(?:{TEXT_DATE.pattern}|\d{{4}}-\d{{1,2}}-\d{{1,2}})"
    rf"(?:[ \t]*[,\-–|@]?[ \t]*{CLOCK})?[ \t]*$",
    re.IGNORECASE,
)
EARLIEST_PLAUSIBLE = date(1971, 1, 1)  # 0001-01-01 and the 1970 epoch are placeholders


def _valid_date(year: int, month: int, day: int, latest: date | None) -> str | None:
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    if value < EARLIEST_PLAUSIBLE or (latest is not None and value > latest):
        return None
    return value.isoformat()


def parse_date(text: str | None, latest: date | None = None) -> str | None:
    """The first calendar date in `text` as YYYY-MM-DD, or None (placeholders are no date)."""
    if not text:
        return None
    match = ISO_DATE.search(text) or COMPACT_DATE.match(text.strip())
    if match:
        return _valid_date(int(match["year"]), int(match["mnum"]), int(match["day"]), latest)
    match = TEXT_DATE.search(text)
    if match:
        month = MONTHS[(match["month"] or match["month2"]).lower()]
        day, year = match["day"] or match["day2"], match["year"] or match["year2"]
        return _valid_date(int(year), month, int(day), latest)
    return None


def date_from_url(url: str | None, latest: date | None = None) -> str | None:
    """A full date written in the URL path (/2019/11/19/, 2019-11-19, 20191119)."""
    if not url:
        return None
    for match in URL_DATE.finditer(urlsplit(url).path):
        found = _valid_date(int(match["year"]), int(match["mnum"]), int(match["day"]), latest)
        if found:
            return found
    return None


def dateline_date(text: str, reference: date) -> str | None:
    """The date of a dateline opening the body; a missing year is the latest one not after
    `reference` (a dateline names a recent day)."""
    match = next(filter(None, (DATELINE.match(line) for line in text[:600].split("\n")[:3])),
                 None)
    if not match:
        return None
    month, day = MONTHS[match["month"].lower()], int(match["day"])
    if match["year"]:
        return _valid_date(int(match["year"]), month, day, reference)
    for year in (reference.year, reference.year - 1):
        found = _valid_date(year, month, day, reference)
        if found:
            return found
    return None


# ---------------------------------------------------------------- metadata

@dataclass
class PageMeta:
    """What a page says about itself; None where it says nothing."""

    title: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None
    modified: str | None = None
    canonical_url: str | None = None
    language: str | None = None


ARTICLE_TYPES = re.compile(r"article|posting|report|news|blog", re.IGNORECASE)
PUBLISHED_META = (
    "article:published_time", "article:published", "datepublished", "pdate",
    "og:published_time", "published_time",
    "article.published", "pubdate", "publishdate", "publish-date", "publish_date",
    "parsely-pub-date", "sailthru.date", "dc.date.issued", "dcterms.created", "dc.date",
    "citation_publication_date", "citation_date", "date", "article_date_original",
    "originalpublicationdate", "cxenseparse:recs:publishtime", "og:article:published_time",
)
MODIFIED_META = (
    "article:modified_time", "article:modified", "datemodified", "og:updated_time",
    "article:updated_time",
    "modified_time", "dcterms.modified", "dc.date.modified", "last-modified", "lastmod",
    "og:article:modified_time",
)
TITLE_META = ("og:title", "twitter:title", "headline", "dc.title", "title")
AUTHOR_META = ("author", "article:author", "dc.creator", "byl", "parsely-author",
               "sailthru.author", "citation_author", "twitter:creator")
PUBLISHER_META = ("og:site_name", "application-name", "publisher", "dc.publisher",
                  "twitter:site")
BYLINE = re.compile(r"^\s*by\s+(?P<name>[^\n|•]{3,80}?)\s*(?:$|\||•|,\s*(?:updated|published))",
                    re.IGNORECASE)
WS = re.compile(r"\s+")


def _clean(text: str | None) -> str | None:
    text = WS.sub(" ", text or "").strip()
    return text or None


def _meta_tags(tree: etree._Element) -> dict[str, str]:
    """name/property/itemprop of every <meta> (lower-cased) to its first non-empty content."""
    tags: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = _clean(meta.get("content"))
        if not content:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            for key in (meta.get(attr) or "").lower().split():  # itemprop lists several
                tags.setdefault(key, content)
    return tags


def _json_ld_objects(tree: etree._Element) -> Iterator[dict]:
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        try:
            data = json.loads(script.text)
        except ValueError:
            try:  # trailing commas and control characters are common in hand-made JSON-LD
                data = json.loads(re.sub(r",\s*([}\]])", r"\1", script.text), strict=False)
            except ValueError:
                continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                for key in ("@graph", "mainEntity", "itemListElement"):
                    if isinstance(item.get(key), list | dict):
                        stack.append(item[key])


def _names(value: object) -> list[str]:
    """Names from a JSON-LD person/organisation value (a string, an object, or a list)."""
    if isinstance(value, str):
        return [value] if value.strip() and not value.startswith("http") else []
    if isinstance(value, dict):
        name = value.get("name")
        return [name] if isinstance(name, str) and name.strip() else []
    if isinstance(value, list):
        return [name for item in value for name in _names(item)]
    return []


def _json_ld_meta(tree: etree._Element) -> PageMeta:
    meta = PageMeta()
    for obj in _json_ld_objects(tree):
        kinds = obj.get("@type")
        kinds = " ".join(kinds) if isinstance(kinds, list) else str(kinds or "")
        if not ARTICLE_TYPES.search(kinds):
            if not meta.publisher and re.search(r"organization|website", kinds, re.IGNORECASE):
                meta.publisher = _clean(str(obj.get("name") or ""))
            continue
        meta.title = meta.title or _clean(str(obj.get("headline") or obj.get("name") or ""))
        meta.published = meta.published or _clean(str(obj.get("datePublished") or ""))
        meta.modified = meta.modified or _clean(str(obj.get("dateModified") or ""))
        authors = _names(obj.get("author")) or _names(obj.get("creator"))
        meta.author = meta.author or _clean(", ".join(dict.fromkeys(authors)))
        publishers = _names(obj.get("publisher"))
        if publishers:
            meta.publisher = _clean(publishers[0])
        language = obj.get("inLanguage")
        meta.language = meta.language or (_clean(language) if isinstance(language, str) else None)
        entity = obj.get("mainEntityOfPage")
        entity = entity.get("@id") if isinstance(entity, dict) else entity
        if isinstance(entity, str) and entity.startswith("http"):
            meta.canonical_url = meta.canonical_url or entity
    return meta


def _all(tags: dict[str, str], keys: tuple[str, ...]) -> list[str]:
    return [tags[key] for key in keys if tags.get(key)]


def _first(tags: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((tags[key] for key in keys if tags.get(key)), None)


def _time_elements(tree: etree._Element) -> tuple[str | None, str | None]:
    """Published and modified datetimes from <time> (and itemprop) elements."""
    published = modified = None
    for el in tree.xpath("//*[self::time[@datetime] or (@itemprop='datePublished' or "
                         "@itemprop='dateModified') and not(self::meta)]"):
        value = el.get("datetime") or el.get("content") or el.text_content()
        parent = el.getparent()
        hints = " ".join(filter(None, (el.get("itemprop"), el.get("class"), el.get("id"),
                                       parent.get("class") if parent is not None else None)))
        if re.search(r"publish|creat", hints, re.IGNORECASE):
            published = published or value
        elif re.search(r"modif|updat", hints, re.IGNORECASE):
            modified = modified or value
        elif not published:
            published = value
    return published, modified


DATE_HOLDERS = ("//time | //*[contains(@class,'date') or contains(@class,'time') or "
                "contains(@class,'publish') or contains(@class,'byline')][not(self::meta)]")


def _shown_dates(tree: etree._Element, latest: date) -> list[str]:
    """Dates shown to readers in date-like elements (the publisher's local day)."""
    found = []
    for el in tree.xpath(DATE_HOLDERS):
        text = _clean(el.text_content()) or ""
        if len(text) < 150 and not UPDATE_LABEL.search(text):
            value = parse_date(text, latest)
            if value:
                found.append(value)
    return found


# A UTC timestamp, or a bare midnight (often a date stored as a datetime): its day may not
# be the publisher's.
UTC_SUFFIX = re.compile(r"(?:Z|[+-]00:?00|\bGMT|\bUTC)(?:[+-]0000)?\s*$|T00:00:00",
                        re.IGNORECASE)
TIME_OF_DAY = re.compile(r"\d{1,2}:\d{2}")


def _choose_date(candidates: list[str | None], fallback: Callable[[], str | None],
                 shown: Callable[[], list[str]], latest: date) -> str | None:
    """The first parseable candidate (else the fallback), unless it is a UTC timestamp: its
    day may differ from the publisher's local day, which a local timestamp or a shown date
    within a day gives. Fallback and shown dates are only looked for when needed."""
    parsed = [(raw, parse_date(raw, latest)) for raw in candidates if raw]
    parsed = [(raw, day) for raw, day in parsed if day]
    if not parsed:
        return fallback()
    raw, day = parsed[0]
    if not UTC_SUFFIX.search(raw):
        return day
    utc_time = TIME_OF_DAY.search(raw)
    local = [d for r, d in parsed[1:] if not UTC_SUFFIX.search(r) and TIME_OF_DAY.search(r)
             and (utc_time is None or TIME_OF_DAY.search(r)[0] != utc_time[0])]
    for other in [*local, *shown()]:
        if abs((date.fromisoformat(other) - date.fromisoformat(day)).days) <= 1:
            return other
    return day


def _visible_dates(tree: etree._Element, latest: date) -> tuple[str | None, str | None]:
    """Dates after 'Published'/'Last update' labels in short visible texts; a text that is
    only a date counts as the publication date when no label says otherwise."""
    body = tree.find("body")
    # One string, one short text a line: regexes over it run in C, not per text node.
    lines = "\n".join(text.replace("\n", " ") for text in
                      (body if body is not None else tree).itertext() if 3 < len(text) < 200)
    published = modified = None
    for match in DATE_LABEL.finditer(lines):
        after = lines[match.end():match.end() + 60].split("\n", 1)[0]
        found = parse_date(after, latest)
        if found and match["update"]:
            modified = modified or found
        elif found:
            published = published or found
        if published and modified:
            break
    if not published:
        lone = next((line for line in lines.split("\n")  # a year first: a cheap filter
                     if len(line) < 60 and FOUR_DIGITS.search(line) and LONE_DATE.match(line)),
                    None)
        published = parse_date(lone, latest)
    return published, modified


def _byline(tree: etree._Element) -> str | None:
    for el in tree.xpath("//*[contains(@class,'byline') or contains(@class,'author') or "
                         "@rel='author'][not(self::meta)]"):
        text = _clean(el.text_content())
        if not text or len(text) > 120:
            continue
        match = BYLINE.match(text)
        if match:
            return _clean(match["name"])
        if el.get("rel") == "author" or "name" in (el.get("class") or ""):
            return text
    return None


def _language(tree: etree._Element, tags: dict[str, str]) -> str | None:
    value = tree.get("lang") or tags.get("content-language") or tags.get("og:locale")
    value = _clean(value)
    return value.replace("_", "-") if value else None


def _canonical(tree: etree._Element, tags: dict[str, str], base: str | None) -> str | None:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return urljoin(base or "", link.get("href").strip())
    return tags.get("og:url")


def extract_metadata(tree: etree._Element, url: str | None, latest: date) -> PageMeta:
    """Metadata from structured data first, then meta tags, <time>, visible text, the URL."""
    tags = _meta_tags(tree)
    ld = _json_ld_meta(tree)
    title_el = tree.find(".//title")
    h1 = tree.find(".//h1")
    title = (ld.title or _first(tags, TITLE_META)
             or _clean(title_el.text_content() if title_el is not None else None)
             or _clean(h1.text_content() if h1 is not None else None))
    time_published, time_modified = _time_elements(tree)
    visible = functools.cache(lambda: _visible_dates(tree, latest))
    canonical = ld.canonical_url or _canonical(tree, tags, url)
    # The day in the URL the page declares for itself is the publisher's local day: it
    # settles a UTC timestamp's day, and dates a page that gives no other date.
    canonical_day = date_from_url(canonical, latest)
    published = _choose_date(
        [ld.published, *_all(tags, PUBLISHED_META), time_published],
        lambda: visible()[0],
        lambda: _shown_dates(tree, latest) + ([canonical_day] if canonical_day else []),
        latest,
    )
    modified = _choose_date([ld.modified, *_all(tags, MODIFIED_META), time_modified],
                            lambda: visible()[1], list, latest)
    # A date in the URL path is the publisher's own record of first publication.
    published = date_from_url(url, latest) or published or canonical_day
    author = ld.author or _byline(tree)
    if not author:
        meta_author = _first(tags, AUTHOR_META)
        author = meta_author if meta_author and not meta_author.startswith(("http", "@")) else None
    return PageMeta(
        title=title,
        publisher=ld.publisher or _first(tags, PUBLISHER_META),
        author=author,
        published=published,
        modified=modified,
        canonical_url=canonical,
        language=ld.language or _language(tree, tags),
    )


# ---------------------------------------------------------------- body

NEVER_BODY = ("head", "script", "style", "noscript", "template", "svg", "iframe", "nav",
              "aside", "footer", "button", "select", "option", "input", "textarea", "canvas",
              "video", "audio", "picture", "object", "embed", "map", "noindex")
REGION_SHARE = 0.85  # of the page's paragraph text that an article region must hold
LINK_DENSE = 0.7  # share of an item's text inside links above which it is a link list entry
LINKED_PROSE = 250  # characters (spaces aside) from which a linked paragraph is prose
TRAILING_LINKS = 0.3  # link share from which a list closing the body is a link list
SHORT_BODY = 300  # characters; below this the link-aware pass is redone without links


def _text_length(el: etree._Element) -> int:
    return len(WS.sub("", "".join(el.itertext())))


def _link_density(el: etree._Element) -> float:
    length = _text_length(el)
    return sum(_text_length(ref) for ref in el.iter("ref")) / length if length else 0.0


def clean_body(body: etree._Element) -> None:
    """Structural clean-up of trafilatura's output tree, in place."""
    # The headline, and date lines before the first paragraph, are metadata.
    for el in list(body):
        if el.tag != "head" and not _is_date_line(el):
            break
        body.remove(el)
    # Related-article lists and navigation: items, and short paragraphs, that are mostly
    # links (a long paragraph wrapped in one link is still prose).
    for el in list(body.iter("item", "p")):
        parent = el.getparent()
        if (parent is not None and _link_density(el) > LINK_DENSE
                and (el.tag == "item" or _text_length(el) < LINKED_PROSE)):
            parent.remove(el)
    # Teaser headings, newsletter boxes and link lists (or what is left of them) after the
    # last paragraph; a list of plain items there is content.
    for el in reversed(list(body)):
        link_list = el.tag == "list" and (_link_density(el) >= TRAILING_LINKS
                                          or _text_length(el) == 0)
        if el.tag != "head" and not link_list:
            break
        body.remove(el)
    etree.strip_tags(body, "ref")


def article_region(tree: etree._Element) -> etree._Element:
    """The smallest <article>, <main> or articleBody element holding nearly all paragraph
    text, as a document of its own; else the whole tree. Trafilatura then works on far
    fewer elements, and what lies outside (teasers, comments, footers) cannot leak in."""
    body = tree.find("body")
    if body is None:
        return tree
    candidates = {*body.iter("article", "main"), *body.xpath(".//*[@itemprop='articleBody']")}
    if not candidates:
        return tree
    held = dict.fromkeys(candidates, 0)
    total = 0
    for paragraph in body.iter("p"):
        length = len(paragraph.text_content())
        total += length
        for ancestor in paragraph.iterancestors():
            if ancestor in held:
                held[ancestor] += length
    best, best_size = None, 0
    for el, length in held.items():
        if total and length >= REGION_SHARE * total:
            size = sum(1 for _ in el.iter())
            if best is None or size < best_size:
                best, best_size = el, size
    if best is None:
        return tree
    document = lxml_html.Element("html")
    etree.SubElement(document, "body").append(best)
    return document


def _is_date_line(el: etree._Element) -> bool:
    """A short block that only says when the page was published or updated."""
    text = _clean("".join(el.itertext())) or ""
    if len(text) > 80:
        return False
    label = UPDATE_LABEL.match(text) or PUBLISH_LABEL.match(text)
    return bool(LONE_DATE.match(text[label.end():] if label else text))


def _trafilatura_body(tree: etree._Element, links: bool) -> etree._Element | None:
    # No base URL: link targets are only counted, so resolving them is wasted work.
    doc = bare_extraction(tree, url=None, fast=True, favor_recall=True, include_comments=False,
                          include_links=links, with_metadata=False)
    return None if doc is None else doc.body


def extract_body(tree: etree._Element) -> str:
    """The article text, one paragraph a line."""
    body = _trafilatura_body(tree, links=True)
    text = ""
    if body is not None:
        clean_body(body)
        text = xmltotxt(body, include_formatting=False).strip()
    if len(text) < SHORT_BODY:
        # Keeping links can make trafilatura reject a link-rich article; retry plainly.
        plain = _trafilatura_body(tree, links=False)
        if plain is not None:
            for el in list(plain):
                if el.tag != "head":
                    break
                plain.remove(el)
            plain_text = xmltotxt(plain, include_formatting=False).strip()
            text = plain_text if len(plain_text) > len(text) else text
    return text


# ---------------------------------------------------------------- entry point

def load_tree(html: str) -> etree._Element | None:
    """The lxml tree of a page, or None when there is no markup to parse."""
    if not html or not html.strip():
        return None
    try:
        tree = lxml_html.document_fromstring(html.encode("utf-8", "replace"),
                                             parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return tree


_PARSER = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, collect_ids=False,
                               default_doctype=False)


ODD_CHARS = re.compile("[\ufffd\x01-\x08\x0b\x0e-\x1f]")


def has_nul_bytes(data: bytes) -> bool:
    """Raw bytes that cannot be text: a NUL near the start (images, archives, executables)."""
    return b"\x00" in data[:8192]


def _looks_binary(html: str) -> bool:
    """NUL bytes, or many control or undecodable characters, at the start of the page."""
    sample = html[:8192]
    return "\x00" in sample or len(ODD_CHARS.findall(sample)) > len(sample) / 10


def _reference_date(source: Source) -> date:
    """The latest day a page can be dated: when it was fetched, else today (UTC)."""
    if source.fetched_at:
        try:
            return datetime.fromisoformat(source.fetched_at.replace("Z", "+00:00")).date()
        except ValueError:
            pass
    return datetime.now(UTC).date()


def parse_html(html: str, source: Source, use_url: bool = True) -> Article:
    """Body text (paragraphs kept) plus metadata merged into a copy of `source`.

    Values already set on `source` (for example from a corpus file) win over what
    the page says. `use_url=False` ignores dates written in the URL.
    """
    if _looks_binary(html):
        raise ValueError("binary content, not an HTML page")
    tree = load_tree(html)
    if tree is None:
        raise ValueError("empty page: no HTML to parse")
    url = source.final_url or source.url
    latest = _reference_date(source)
    meta = extract_metadata(tree, url if use_url else None, latest)
    # Elements that trafilatura discards anyway; dropping them now (the metadata is read)
    # spares it copying and walking them several times.
    etree.strip_elements(tree, *NEVER_BODY, with_tail=False)
    text = extract_body(article_region(tree))
    if not meta.published and text:
        meta.published = dateline_date(text, date.fromisoformat(meta.modified)
                                       if meta.modified else latest)
    page_values = {f.name: getattr(meta, f.name) for f in fields(PageMeta)}
    merged = replace(source, **{key: value for key, value in page_values.items()
                                if getattr(source, key) is None and value is not None})
    merged.sha256 = sha256_text(text)
    return Article(text=text, source=merged)
