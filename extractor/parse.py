"""Stage 2: an HTML page to the article body and its metadata.

Interface used by the pipeline: `parse_html(html, source)`; `decode_html(data, declared)`
turns the raw bytes of a page into text first.

The body comes from trafilatura's fast mode, then a few structural clean-ups that it does
not make (leading headline, byline and date lines, link lists, trailing teasers); when that
is a fragment of the page's paragraphs, trafilatura's full mode or the article region's
paragraphs take over. Metadata comes from JSON-LD, meta tags, <time> elements, visible
labels, bylines, copyright lines and datelines, htmldate and the URL; the publication date
is the first full date in the order of PUBLISHED_PRECEDENCE. Words for other languages are
data: patterns/pages.yaml, and dateparser's locale data for month and weekday names.
"""

from __future__ import annotations

import codecs
import functools
import importlib
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields, replace
from datetime import UTC, date, datetime
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import yaml
from htmldate import find_date
from lxml import etree
from lxml import html as lxml_html
from trafilatura import bare_extraction
from trafilatura.xml import xmltotxt

from .patterns import bundled_root
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


# ---------------------------------------------------------------- words

def _page_words() -> dict:
    """The word lists of patterns/pages.yaml (labels, roles, connectors, languages)."""
    return yaml.safe_load((bundled_root() / "pages.yaml").read_text(encoding="utf-8"))


PAGE_WORDS = _page_words()
MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august",
              "september", "october", "november", "december")
WEEKDAY_KEYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def _locale_info(language: str) -> dict:
    """dateparser's locale data of a language (month and weekday names, date order)."""
    module = importlib.import_module(f"dateparser.data.date_translation_data.{language}")
    return module.info


def _calendar_words(languages: list[str]) -> tuple[dict[str, int], list[str], dict[str, str]]:
    """Month names to numbers, weekday names, and each language's numeric date order, from
    dateparser's data. A name that means two different months is left out."""
    months: dict[str, set[int]] = {}
    weekdays: set[str] = set()
    orders: dict[str, str] = {}
    for language in languages:
        info = _locale_info(language)
        for number, key in enumerate(MONTH_KEYS, start=1):
            for name in info.get(key, []):
                months.setdefault(name.lower().rstrip("."), set()).add(number)
        for key in WEEKDAY_KEYS:
            weekdays.update(name.lower().rstrip(".") for name in info.get(key, []))
        orders[language] = info.get("date_order", "DMY")
        for locale, specific in info.get("locale_specific", {}).items():
            if "date_order" in specific:
                orders[locale.lower()] = specific["date_order"]
    # Two-letter abbreviations ("mo", "ma") are common words in some language.
    return ({name: next(iter(numbers)) for name, numbers in months.items()
             if len(numbers) == 1 and len(name) >= 3},
            sorted(name for name in weekdays if len(name) >= 3),
            orders)


MONTHS, WEEKDAYS, DATE_ORDERS = _calendar_words(PAGE_WORDS["date_languages"])


def _alternation(words: object) -> str:
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


# ---------------------------------------------------------------- dates

_MONTH = rf"(?P<month>{_alternation(MONTHS)})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|º|\.)?"
_CONNECTOR = rf"(?:\s*[-/]\s*|\s+(?:(?:{_alternation(PAGE_WORDS['date_connectors'])})\s+)?)"
_YEAR = r"(?P<year>\d{4})(?!\d)"
ISO_DATE = re.compile(r"(?<![\d.])(?P<year>\d{4})(?P<sep>[-/.])(?P<mnum>\d{1,2})(?P=sep)"
                      r"(?P<day>\d{1,2})(?![\d])")
COMPACT_DATE = re.compile(r"(?P<year>\d{4})(?P<mnum>\d{2})(?P<day>\d{2})$")
# "15.03.2023", "15/03/2023", "03/15/2023": which number is the day depends on the language.
NUMERIC_DATE = re.compile(r"(?<![\d.])(?P<first>\d{1,2})(?P<sep>[./-])(?P<second>\d{1,2})"
                          r"(?P=sep)(?P<year>\d{4})(?!\d)")
# "April 25, 2024", "25th of April, 2024", "25. März 2024", "15 de marzo de 2023",
# "15 марта 2023 г.", "١٥ مارس ٢٠٢٣" (\d takes every script's digits, and int() reads them)
TEXT_DATE = re.compile(
    rf"(?<!\w)(?:{_MONTH}\s+{_DAY},?\s+{_YEAR}"
    rf"|{_DAY.replace('day', 'day2')}{_CONNECTOR}{_MONTH.replace('month', 'month2')}"
    rf"(?:,\s*|{_CONNECTOR}){_YEAR.replace('year', 'year2')})",
    re.IGNORECASE,
)
# A dateline without a year: "BAKU, Azerbaijan, February 12" or "BERLIN, 12. März" opening
# the body.
_PLACE = r"[^\W\d_][\w.'’\- ]{1,40}"
DATELINE = re.compile(
    rf"^\s*(?P<place>{_PLACE}(?:,\s*{_PLACE})?),\s*(?:{_MONTH}\s+{_DAY}"
    rf"|{_DAY.replace('day', 'day2')}\s*{_MONTH.replace('month', 'month2')})"
    rf"(?:,?\s+{_YEAR})?(?!\w)",
    re.IGNORECASE,
)
URL_DATE = re.compile(
    r"(?<!\d)(?P<year>(?:19|20)\d{2})(?P<sep>[/_-]?)(?P<mnum>[01]\d)(?P=sep)(?P<day>[0-3]\d)(?!\d)"
)
# Labels before a visible date; which of the two fields the date belongs to.
UPDATE_LABEL = re.compile(rf"(?<!\w)(?:{_alternation(PAGE_WORDS['updated_labels'])})(?!\w)"
                          r"\s*(?:on|at|am|le|el|le)?\s*:?", re.IGNORECASE)
PUBLISH_LABEL = re.compile(rf"(?<!\w)(?:{_alternation(PAGE_WORDS['published_labels'])})"
                           r"(?!\w)\s*(?:on|at|am|le|el)?\s*:?", re.IGNORECASE)
DATE_LABEL = re.compile(rf"(?P<update>{UPDATE_LABEL.pattern})|{PUBLISH_LABEL.pattern}",
                        re.IGNORECASE)
YEAR_DIGITS = re.compile(r"\d{4}")
WEEKDAY = rf"(?:{_alternation(WEEKDAYS)})\.?"
ZONE = r"(?:[ \t]*\(?(?:UTC|GMT)?[ \t]*[+-]\d{1,2}(?::?\d{2})?\)?|[ \t]+[A-Z]{2,4})?"
CLOCK = rf"(?:(?:at|um|à|a las|в)[ \t]+)?\d{{1,2}}[:.h]\d{{2}}(?:[ \t]*[ap]\.?m\.?)?{ZONE}"
YEAR_SUFFIX = rf"(?:[ \t]*(?:{_alternation(PAGE_WORDS['year_suffixes'])})(?!\w))?"
# A line that is only a date, maybe with a weekday and a time: "November 15, 2019",
# "Monday, November 18, 2019", "Nov. 19, 2019 5:50 PM", "15 December 2022 16:17 (UTC +04:00)",
# "Mittwoch, 15.03.2023, 10:15 Uhr"
LONE_DATE = re.compile(
    rf"^[ \t]*[-–|•]?[ \t]*(?:on[ \t]+|le[ \t]+|el[ \t]+)?(?:{WEEKDAY},?[ \t]+)?"
    rf"(?:{TEXT_DATE.pattern}|\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}[./]\d{{1,2}}[./]\d{{4}})"
    rf"{YEAR_SUFFIX}"
    rf"(?:[ \t]*[,\-–|@]?[ \t]*{CLOCK}(?:[ \t]*(?:Uhr|h|ч\.?))?)?[ \t]*$",
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


def day_first(language: str | None) -> bool:
    """Whether a numeric date such as 03/04/2024 names the day first on a page in this
    language (dateparser's date order; an unknown language reads it day first, as most do)."""
    if not language:
        return True
    language = language.lower()
    order = DATE_ORDERS.get(language) or DATE_ORDERS.get(language.split("-")[0], "DMY")
    return order.index("D") < order.index("M")


def _date_of(match: re.Match[str], dmy: bool, latest: date | None) -> str | None:
    groups = match.groupdict()
    if "first" in groups:
        first, second = int(match["first"]), int(match["second"])
        # Dots always put the day first; a number above 12 can only be the day.
        if match["sep"] == "." or first > 12 or (dmy and second <= 12):
            day, month = first, second
        else:
            day, month = second, first
        return _valid_date(int(match["year"]), month, day, latest)
    if "mnum" in groups:
        return _valid_date(int(match["year"]), int(match["mnum"]), int(match["day"]), latest)
    month = MONTHS[(match["month"] or match["month2"]).lower()]
    return _valid_date(int(match["year"] or match["year2"]), month,
                       int(match["day"] or match["day2"]), latest)


def parse_date(text: str | None, latest: date | None = None,
               language: str | None = None) -> str | None:
    """The first calendar date in `text` as YYYY-MM-DD, or None (placeholders are no date).
    `language` decides the order of day and month in an ambiguous numeric date."""
    if not text:
        return None
    compact = COMPACT_DATE.match(text.strip())
    if compact:
        return _date_of(compact, True, latest)
    matches = [m for m in (pattern.search(text) for pattern in (ISO_DATE, TEXT_DATE,
                                                                 NUMERIC_DATE)) if m]
    if not matches:
        return None
    return _date_of(min(matches, key=lambda m: m.start()), day_first(language), latest)


def date_from_url(url: str | None, latest: date | None = None) -> str | None:
    """A full date written in the URL path (/2019/11/19/, 2019-11-19, 20191119)."""
    if not url:
        return None
    for match in URL_DATE.finditer(urlsplit(url).path):
        found = _valid_date(int(match["year"]), int(match["mnum"]), int(match["day"]), latest)
        if found:
            return found
    return None


def dateline_date(text: str, reference: date | None) -> str | None:
    """The date of a dateline opening the body. A dateline names a recent day: a missing
    year is the latest one that puts the day not after `reference`, a date the page gives
    elsewhere (its update date, say); without a reference a year-less dateline is no date."""
    match = None
    for line in text[:600].split("\n")[:3]:
        match = DATELINE.match(line)
        if match and not match["place"].lstrip()[0].islower():
            break
        match = None
    if not match:
        return None
    month = MONTHS[(match["month"] or match["month2"]).lower()]
    day = int(match["day"] or match["day2"])
    if match["year"]:
        return _valid_date(int(match["year"]), month, day, reference)
    if reference is None:
        return None
    for year in (reference.year, reference.year - 1):
        found = _valid_date(year, month, day, reference)
        if found:
            return found
    return None


def htmldate_signal(tree: etree._Element | str, original: bool, latest: date) -> str | None:
    """htmldate's date for the page (its extensive search): the original publication date,
    or with `original=False` the latest update."""
    try:
        return find_date(tree, extensive_search=True, original_date=original,
                         max_date=latest.isoformat())
    except (ValueError, TypeError, etree.LxmlError):  # htmldate gives up on odd markup
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
    "dc:date.issued", "dcterms:issued", "dcterms.issued", "dcterms:created", "dc:date",
    "dc.date.created", "dc:created", "citation_publication_date", "citation_date", "date",
    "article_date_original", "originalpublicationdate", "cxenseparse:recs:publishtime",
    "og:article:published_time", "datecreated",
)
MODIFIED_META = (
    "article:modified_time", "article:modified", "datemodified", "og:updated_time",
    "article:updated_time",
    "modified_time", "dcterms.modified", "dcterms:modified", "dc.date.modified",
    "last-modified", "lastmod", "og:article:modified_time",
)
TITLE_META = ("og:title", "twitter:title", "headline", "dc.title", "dc:title", "title")
AUTHOR_META = ("author", "article:author", "dc.creator", "dc:creator", "byl", "parsely-author",
               "sailthru.author", "citation_author", "twitter:creator")
SITE_NAME_META = ("og:site_name", "application-name", "publisher", "dc.publisher",
                  "dc:publisher")
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


SITE_TYPES = re.compile(r"organization|website", re.IGNORECASE)


def _json_ld_meta(tree: etree._Element) -> tuple[PageMeta, PageMeta]:
    """What JSON-LD says of the article (NewsArticle, BlogPosting, Report, ...), and what it
    says of the page around it (WebPage or any other type with dates, the site's name)."""
    article, page = PageMeta(), PageMeta()
    for obj in _json_ld_objects(tree):
        kinds = obj.get("@type")
        kinds = " ".join(kinds) if isinstance(kinds, list) else str(kinds or "")
        if SITE_TYPES.search(kinds):  # a site's founding date is no article's date
            page.publisher = page.publisher or _clean(str(obj.get("name") or ""))
            continue
        meta = article if ARTICLE_TYPES.search(kinds) else page
        meta.title = meta.title or _clean(str(obj.get("headline") or obj.get("name") or ""))
        meta.published = meta.published or _clean(str(obj.get("datePublished")
                                                      or obj.get("dateCreated") or ""))
        meta.modified = meta.modified or _clean(str(obj.get("dateModified") or ""))
        authors = _names(obj.get("author")) or _names(obj.get("creator"))
        meta.author = meta.author or _clean(", ".join(dict.fromkeys(authors)))
        publishers = _names(obj.get("publisher"))
        if publishers:
            meta.publisher = meta.publisher or _clean(publishers[0])
        language = obj.get("inLanguage")
        meta.language = meta.language or (_clean(language) if isinstance(language, str) else None)
        entity = obj.get("mainEntityOfPage")
        entity = entity.get("@id") if isinstance(entity, dict) else entity
        if isinstance(entity, str) and entity.startswith("http"):
            meta.canonical_url = meta.canonical_url or entity
    return article, page


def _all(tags: dict[str, str], keys: tuple[str, ...]) -> list[str]:
    return [tags[key] for key in keys if tags.get(key)]


def _first(tags: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((tags[key] for key in keys if tags.get(key)), None)


# Page furniture: a date in these belongs to another story or to the site.
FURNITURE_TEST = ("self::aside or self::footer or self::nav or contains(@class,'related') or "
                  "contains(@class,'sidebar') or contains(@class,'teaser') or "
                  "contains(@class,'comment')")
FURNITURE = f"ancestor::*[{FURNITURE_TEST}]"


def _time_elements(tree: etree._Element) -> tuple[list[str], list[str]]:
    """Published and modified datetimes from <time> (and itemprop) elements outside page
    furniture, those whose markup says which they are first."""
    published: list[str] = []
    modified: list[str] = []
    unnamed: list[str] = []
    for el in TIMESTAMP_ELEMENTS(tree):
        value = el.get("datetime") or el.get("content") or el.text_content()
        parent = el.getparent()
        hints = " ".join(filter(None, (el.get("itemprop"), el.get("class"), el.get("id"),
                                       parent.get("class") if parent is not None else None)))
        if re.search(r"publish|creat", hints, re.IGNORECASE):
            published.append(value)
        elif re.search(r"modif|updat", hints, re.IGNORECASE):
            modified.append(value)
        else:
            unnamed.append(value)
    return published + unnamed[:1], modified


# Compiled once. Each first tests that an attribute is there at all, the cheap test that
# rules out most elements, and reads @class once per element: twice as fast as
# `//*[contains(@class,...) or ...]` on the Zyte pages, with the same elements.
TIMESTAMP_ELEMENTS = etree.XPath(
    "/descendant::*[@datetime or @itemprop][self::time[@datetime] or (@itemprop="
    f"'datePublished' or @itemprop='dateModified') and not(self::meta)][not({FURNITURE})]")
DATE_HOLDERS = etree.XPath(
    "/descendant::*[self::time or @class[contains(.,'date') or contains(.,'time') or "
    "contains(.,'publish') or contains(.,'byline')] and not(self::meta)]")
BYLINE_HOLDERS = etree.XPath(
    "/descendant::*[@class or @rel][@class[contains(.,'byline') or contains(.,'author')] "
    "or @rel='author'][not(self::meta)]")


def _shown_dates(tree: etree._Element, latest: date, language: str | None) -> list[str]:
    """Dates shown to readers in date-like elements (the publisher's local day)."""
    found = []
    for el in DATE_HOLDERS(tree):
        text = _clean(el.text_content()) or ""
        if len(text) < 150 and not UPDATE_LABEL.search(text):
            value = parse_date(text, latest, language)
            if value:
                found.append(value)
    return found


# A UTC timestamp, or a bare midnight (often a date stored as a datetime): its day may not
# be the publisher's.
UTC_SUFFIX = re.compile(r"(?:Z|[+-]00:?00|\bGMT|\bUTC)(?:[+-]0000)?\s*$|T00:00:00",
                        re.IGNORECASE)
TIME_OF_DAY = re.compile(r"\d{1,2}:\d{2}")


def _short_lines(tree: etree._Element) -> str:
    """The page's short visible texts, one a line: regexes over one string run in C."""
    body = tree.find("body")
    texts = [text for text in (body if body is not None else tree).itertext()
             if 3 < len(text) < 200]
    # Joined at NUL, which no lxml text can hold, then one replace each.
    return "\0".join(texts).replace("\n", " ").replace("\0", "\n")


def _labelled_dates(lines: str, latest: date, language: str | None
                    ) -> tuple[list[str], list[str]]:
    """Dates after 'Published'/'Veröffentlicht'/... and 'Last update'/'Mis à jour'/...
    labels in short visible texts: the date on the label's line or the next one."""
    published: list[str] = []
    modified: list[str] = []
    rows = lines.split("\n")
    # Only lines with a year can hold a date: the label search (a long alternation) runs
    # on those and the line before them.
    for index in (i for i, row in enumerate(rows) if YEAR_DIGITS.search(row)):
        text = "\n".join(rows[max(0, index - 1):index + 1])
        for match in DATE_LABEL.finditer(text):
            after = text[match.end():match.end() + 80].lstrip(" :\n").split("\n", 1)[0]
            found = parse_date(after, latest, language)
            if found:
                (modified if match["update"] else published).append(found)
    return published, modified


# The site's own header (outside the article) shows today's date on many news sites.
SITE_HEADER = "ancestor::header[not(ancestor::article or ancestor::main)]"


def _in_furniture(tree: etree._Element, text: str) -> bool:
    """Whether every text node holding `text` lies in page furniture or the site header."""
    nodes = tree.xpath("//body//text()[contains(., $text)]", text=text.strip())
    return bool(nodes) and all(
        node.getparent() is not None
        and node.getparent().xpath(f"boolean(ancestor-or-self::*[{FURNITURE_TEST}] | "
                                   f"{SITE_HEADER})")
        for node in nodes)


def _lone_date(tree: etree._Element, lines: str, latest: date,
               language: str | None) -> list[str]:
    """The first short line, outside page furniture, that is only a date (with maybe a
    weekday and a time)."""
    for line in lines.split("\n"):
        # A year first: a cheap filter before the long pattern.
        if (len(line) < 70 and YEAR_DIGITS.search(line) and LONE_DATE.match(line)
                and not _in_furniture(tree, line)):
            found = parse_date(line, latest, language)
            return [found] if found else []
    return []


# Where the publication date comes from, most trusted first: the first source that gives a
# full date wins (a year-less dateline comes after all of them, see parse_html). The
# article's own metadata comes before dates shown on the page, and those before htmldate's
# search of the whole page, which may pick a date from page furniture.
PUBLISHED_PRECEDENCE = (
    "url",            # the page's URL path (/2024/03/05/), when the caller trusts the URL
    "canonical_url",  # a date in the URL the page declares for itself (as htmldate does)
    "json_ld",        # the article's JSON-LD (NewsArticle, BlogPosting, Report, ...)
    "meta",           # article:published_time, dc:date, ... meta tags
    "time",           # <time datetime> and itemprop=datePublished outside page furniture
    "json_ld_page",   # JSON-LD of the page (WebPage, ...)
    "label",          # a visible date after "Published", "Veröffentlicht", "Publié", ...
    "lone_date",      # a short line that is only a date
    "htmldate",       # htmldate's extensive search for the original date
)
# htmldate's update search (original_date=False) scans the whole page: it more than halves
# the pages parsed per second, so it only gives the year of a year-less dateline.
MODIFIED_PRECEDENCE = ("json_ld", "meta", "time", "json_ld_page", "label")
TIMESTAMP_SOURCES = ("json_ld", "meta", "time", "json_ld_page")
SEARCHED_SOURCES = ("htmldate", "lone_date")  # found by searching the page, not declared


@dataclass
class DateChoice:
    """The chosen date, the source it came from, and the raw text it was read from."""

    day: str
    source: str
    raw: str


def choose_date(signals: dict[str, Callable[[], list[str]]], precedence: tuple[str, ...],
                latest: date, language: str | None = None) -> DateChoice | None:
    """The first full date given by the sources in `precedence` order (each source is only
    asked when all before it gave nothing)."""
    for source in precedence:
        for raw in signals[source]():
            day = parse_date(raw, latest, language)
            if day:
                return DateChoice(day, source, raw)
    return None


def _local_day(choice: DateChoice, signals: dict[str, Callable[[], list[str]]],
               latest: date) -> str:
    """A UTC timestamp's day may differ from the publisher's local day, which a local
    timestamp of the other metadata or a date shown on the page within a day gives."""
    if choice.source not in TIMESTAMP_SOURCES or not UTC_SUFFIX.search(choice.raw):
        return choice.day
    utc_time = TIME_OF_DAY.search(choice.raw)
    stamps = [raw for source in TIMESTAMP_SOURCES for raw in signals[source]()]
    local = [parse_date(raw, latest) for raw in stamps
             if not UTC_SUFFIX.search(raw) and TIME_OF_DAY.search(raw)
             and (utc_time is None or TIME_OF_DAY.search(raw)[0] != utc_time[0])]
    # Dates shown on the page are only searched when no local timestamp settles the day.
    later = (lambda: filter(None, local), signals["shown"], signals["canonical_url"])
    for other in (day for dates in later for day in dates()):
        if abs((date.fromisoformat(other) - date.fromisoformat(choice.day)).days) <= 1:
            return other
    return choice.day


def _byline(tree: etree._Element) -> str | None:
    for el in BYLINE_HOLDERS(tree):
        text = _clean(el.text_content())
        if not text or len(text) > 120:
            continue
        if AUTHOR_PREFIX.match(text):
            return clean_author(text)
        if el.get("rel") == "author" or "name" in (el.get("class") or ""):
            return clean_author(text)
    return None


AUTHOR_PREFIX = re.compile(rf"^\s*(?:{_alternation(PAGE_WORDS['author_prefixes'])})\s*:?\s+"
                           r"(?=\S)", re.IGNORECASE)
AUTHOR_ROLE = re.compile(rf"(?:^|\s)(?:{_alternation(PAGE_WORDS['author_roles'])})$",
                         re.IGNORECASE)  # a role, or a part ending in one ("AP Sports Writer")
AUTHOR_PARTS = re.compile(r"\s*(?:[,;|•/]|\s[-–—]\s)\s*")
NOT_IN_A_NAME = re.compile(rf"@\w+|(?:at\s+)?{CLOCK}", re.IGNORECASE)  # handles, times
NOT_A_NAME = re.compile(r"@|https?:|www\.|\d")


def clean_author(text: str | None) -> str | None:
    """The names in an author string, without the dates, roles, labels and contacts that
    bylines carry: "By Leyla Aliyeva, 14 March 2023" is "Leyla Aliyeva"."""
    text = _clean(text)
    if not text:
        return None
    text = AUTHOR_PREFIX.sub("", text)
    for pattern in (TEXT_DATE, ISO_DATE, NUMERIC_DATE, DATE_LABEL, NOT_IN_A_NAME):
        text = pattern.sub(",", text)
    names = []
    for part in AUTHOR_PARTS.split(text):
        part = AUTHOR_PREFIX.sub("", part.strip(" .:-"))
        if part and not AUTHOR_ROLE.search(part) and not NOT_A_NAME.search(part):
            names.append(part)
    return ", ".join(dict.fromkeys(names)) or None


TITLE_SEPARATOR = re.compile(r"\s+[|–—•·-]\s+|\s*::\s*|\s+»\s+")
NAME_KEY = re.compile(r"[\W_]+")


def _name_key(text: str) -> str:
    return NAME_KEY.sub("", text.lower())


def split_site_name(title: str, site_names: list[str]) -> str:
    """The title without the site name a separator adds before or after it ("Mines cleared
    - officer | Trend" on trend.az is "Mines cleared - officer"). A segment is the site's
    name when it matches one of `site_names` (the site name, the publisher, the host)."""
    keys = {key for key in map(_name_key, site_names) if len(key) >= 3}
    if not keys:
        return title
    separators = list(TITLE_SEPARATOR.finditer(title))
    if not separators:
        return title

    def names_site(segment: str) -> bool:
        # "Trend" names "Trend News Agency"; "Sportsnet.ca" names sportsnet; "The Guardian
        # view on Hong Kong" does not name the Guardian.
        key = _name_key(segment)
        return len(key) >= 3 and any(key in k or (k in key and len(key) <= 2 * len(k))
                                     for k in keys)

    last, first = separators[-1], separators[0]
    if names_site(title[last.end():]) and last.start() > 0:
        return title[:last.start()].strip()
    if names_site(title[:first.start()]) and first.end() < len(title):
        return title[first.end():].strip()
    return title


def _host_names(*urls: str | None) -> list[str]:
    """The distinctive label of each URL's host: trend.az gives "trend"."""
    names = []
    for url in urls:
        host = urlsplit(url).hostname if url and "//" in url else None
        if host:
            labels = [label for label in host.split(".") if label not in ("www", "m", "amp")]
            names.extend(labels[:-1][-1:] if len(labels) > 1 else labels)
    return names


COPYRIGHT = re.compile(  # on one line: a lone "©" is followed by any text
    r"(?:©|\(c\)|&copy;|\bcopyright\b)[ \t]*(?:©[ \t]*)?(?:\d{4}(?:[ \t]*[-–][ \t]*\d{4})?)?"
    r"[ \t]*,?[ \t]*(?:by[ \t]+)?(?P<name>[^\W\d_][^\n©|]{1,60}?)[ \t]*"
    rf"(?=[.,|]|\n|$|(?:{_alternation(PAGE_WORDS['rights_reserved'])}))",
    re.IGNORECASE,
)


def copyright_holder(lines: str) -> str | None:
    """The name in the page's last copyright line ("© 2023 Example News. All rights
    reserved." gives "Example News")."""
    found = None
    for match in COPYRIGHT.finditer(lines):
        name = _clean(match["name"])
        if name and len(name.split()) <= 6:
            found = name
    return found


def _language(tree: etree._Element, tags: dict[str, str]) -> str | None:
    value = tree.get("lang") or tags.get("content-language") or tags.get("og:locale")
    value = _clean(value)
    return value.replace("_", "-") if value else None


def _canonical(tree: etree._Element, tags: dict[str, str], base: str | None) -> str | None:
    for link in tree.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return urljoin(base or "", link.get("href").strip())
    return tags.get("og:url")


def date_signals(tree: etree._Element, tags: dict[str, str], ld: PageMeta, ld_page: PageMeta,
                 url: str | None, canonical: str | None, latest: date,
                 language: str | None, lines: Callable[[], str]
                 ) -> tuple[dict[str, Callable[[], list[str]]],
                            dict[str, Callable[[], list[str]]]]:
    """Every source of a publication and of an update date, each computed when first
    asked for. `lines`: the page's short texts (see _short_lines)."""
    times = functools.cache(lambda: _time_elements(tree))
    labelled = functools.cache(lambda: _labelled_dates(lines(), latest, language))
    canonical_day = functools.cache(lambda: list(filter(None, [date_from_url(canonical,
                                                                             latest)])))
    published = {
        "canonical_url": canonical_day,
        "shown": functools.cache(lambda: _shown_dates(tree, latest, language)),
        "url": lambda: list(filter(None, [date_from_url(url, latest)])),
        "json_ld": lambda: list(filter(None, [ld.published])),
        "meta": lambda: _all(tags, PUBLISHED_META),
        "time": lambda: times()[0],
        "json_ld_page": lambda: list(filter(None, [ld_page.published])),
        "label": lambda: labelled()[0],
        "htmldate": lambda: list(filter(None, [htmldate_signal(tree, True, latest)])),
        "lone_date": lambda: _lone_date(tree, lines(), latest, language),
    }
    modified = {
        "json_ld": lambda: list(filter(None, [ld.modified])),
        "meta": lambda: _all(tags, MODIFIED_META),
        "time": lambda: times()[1],
        "json_ld_page": lambda: list(filter(None, [ld_page.modified])),
        "label": lambda: labelled()[1],
    }
    return published, modified


def extract_metadata(tree: etree._Element, url: str | None, latest: date) -> PageMeta:
    """Metadata from structured data first, then meta tags, <time>, visible text, htmldate,
    the URL (dates: see PUBLISHED_PRECEDENCE)."""
    return _page_metadata(tree, url, latest)[0]


def _page_metadata(tree: etree._Element, url: str | None, latest: date
                   ) -> tuple[PageMeta, DateChoice | None]:
    """The page's metadata, and where its publication date came from."""
    tags = _meta_tags(tree)
    ld, ld_page = _json_ld_meta(tree)
    language = ld.language or ld_page.language or _language(tree, tags)
    canonical = ld.canonical_url or _canonical(tree, tags, url) or ld_page.canonical_url
    lines = functools.cache(lambda: _short_lines(tree))
    published_signals, modified_signals = date_signals(tree, tags, ld, ld_page, url, canonical,
                                                       latest, language, lines)
    choice = choose_date(published_signals, PUBLISHED_PRECEDENCE, latest, language)
    published = _local_day(choice, published_signals, latest) if choice else None
    modified = choose_date(modified_signals, MODIFIED_PRECEDENCE, latest, language)

    site_name = _first(tags, SITE_NAME_META)
    publisher = (ld.publisher or site_name or ld_page.publisher or copyright_holder(lines())
                 or tags.get("twitter:site"))
    title_el = tree.find(".//title")
    h1 = tree.find(".//h1")
    title = (ld.title or _first(tags, TITLE_META)
             or _clean(title_el.text_content() if title_el is not None else None)
             or _clean(h1.text_content() if h1 is not None else None))
    if title:
        title = split_site_name(title, [name for name in (site_name, publisher, ld_page.publisher)
                                        if name] + _host_names(canonical, url))
    author = clean_author(ld.author) or _byline(tree)
    if not author:
        meta_author = _first(tags, AUTHOR_META)
        author = (clean_author(meta_author)
                  if meta_author and not meta_author.startswith(("http", "@")) else None)
    return PageMeta(
        title=title,
        publisher=publisher,
        author=author,
        published=published,
        modified=modified.day if modified else None,
        canonical_url=canonical,
        language=language,
    ), choice


def update_date(tree: etree._Element | str, latest: date) -> str | None:
    """The page's latest date by htmldate (original_date=False): the year of a year-less
    dateline when the page names no update."""
    return htmldate_signal(tree, False, latest)


# ---------------------------------------------------------------- body

NEVER_BODY = ("head", "script", "style", "noscript", "template", "svg", "iframe", "nav",
              "aside", "footer", "button", "select", "option", "input", "textarea", "canvas",
              "video", "audio", "picture", "object", "embed", "map", "noindex")
REGION_SHARE = 0.85  # of the page's paragraph text that an article region must hold
LINK_DENSE = 0.7  # share of an item's text inside links above which it is a link list entry
LINKED_PROSE = 250  # characters (spaces aside) from which a linked paragraph is prose
TRAILING_LINKS = 0.3  # link share from which a list closing the body is a link list
SHORT_BODY = 300  # characters; below this the link-aware pass is redone without links
FAR_SHORTER = 0.5  # of a paragraph length, below which an extraction is a fragment of it


def _text_length(el: etree._Element) -> int:
    return len(WS.sub("", "".join(el.itertext())))


def _link_density(el: etree._Element) -> float:
    length = _text_length(el)
    return sum(_text_length(ref) for ref in el.iter("ref")) / length if length else 0.0


def clean_body(body: etree._Element) -> None:
    """Structural clean-up of trafilatura's output tree, in place."""
    # The headline, and date lines before the first paragraph, are metadata. (A heading
    # after the headline may be a standfirst; keeping it cost 0.002 F1 on the Zyte set,
    # whose bodies leave such headings out. A standfirst paragraph is kept.)
    for el in list(body):
        if el.tag != "head" and not _is_date_line(el) and not _is_byline(el):
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
            size = len(list(el.iter()))  # a C-built list counts faster than a generator
            if best is None or size < best_size:
                best, best_size = el, size
    if best is None:
        return tree
    document = lxml_html.Element("html")
    etree.SubElement(document, "body").append(best)
    return document


CONTENT_HOLDERS = ("noscript", "nav")  # stripped as page furniture, unless they hold the post
HOLDER_SHARE = 0.6  # of the page's paragraph text from which a holder holds the post


def keep_content_holders(tree: etree._Element) -> None:
    """Turn a <noscript> or <nav> holding most of the page's paragraph text into a <div>:
    some blogs render their post there, and it would be stripped with the furniture."""
    holders = [el for el in tree.iter(*CONTENT_HOLDERS) if el.find(".//p") is not None]
    if not holders:
        return
    total = sum(_text_length(p) for p in tree.iter("p"))
    for holder in holders:
        if sum(_text_length(p) for p in holder.iter("p")) >= HOLDER_SHARE * total:
            holder.tag = "div"


def _is_byline(el: etree._Element) -> bool:
    """A short block naming the author ("By ...", "Par ...", "Von ...")."""
    text = _clean("".join(el.itertext())) or ""
    return len(text) <= 80 and bool(AUTHOR_PREFIX.match(text))


def _is_date_line(el: etree._Element) -> bool:
    """A short block that only says when the page was published or updated."""
    text = _clean("".join(el.itertext())) or ""
    if len(text) > 80:
        return False
    label = UPDATE_LABEL.match(text) or PUBLISH_LABEL.match(text)
    return bool(LONE_DATE.match(text[label.end():] if label else text))


def _trafilatura_body(tree: etree._Element, links: bool, fast: bool = True
                      ) -> etree._Element | None:
    # No base URL: link targets are only counted, so resolving them is wasted work.
    doc = bare_extraction(tree, url=None, fast=fast, favor_recall=True, include_comments=False,
                          include_links=links, with_metadata=False)
    return None if doc is None else doc.body


def paragraph_lengths(tree: etree._Element) -> tuple[int, int]:
    """Characters of the page's largest block of paragraphs (the <p> children of one
    element: about the length of the article text), and of all its paragraphs."""
    blocks: dict[etree._Element, int] = {}
    total = 0
    for paragraph in tree.iter("p"):
        length = len(paragraph.text_content())
        total += length
        parent = paragraph.getparent()
        if parent is not None:
            blocks[parent] = blocks.get(parent, 0) + length
    return max(blocks.values(), default=0), total


def main_block_length(tree: etree._Element) -> int:
    """Characters of the page's largest block of paragraphs (see paragraph_lengths)."""
    return paragraph_lengths(tree)[0]


def _cleaned_text(body: etree._Element | None) -> str:
    if body is None:
        return ""
    clean_body(body)
    return xmltotxt(body, include_formatting=False).strip()


# Paragraphs of an article region, those of its comments aside.
ARTICLE_PARAGRAPHS = ("//p[not(ancestor::*[contains(@class,'comment') or "
                      "contains(@id,'comment')])]")


def extract_body(tree: etree._Element, region: bool = False) -> str:
    """The article text, one paragraph a line. `region`: the tree is the article's region
    (see article_region), so all its paragraphs are the article's."""
    text = _cleaned_text(_trafilatura_body(tree, links=True))
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
    main_block, all_paragraphs = paragraph_lengths(tree)  # trafilatura works on a copy
    if len(text) < FAR_SHORTER * main_block:
        # The fast extraction kept a fragment of the article: trafilatura's full mode
        # compares its result with readability's and jusText's.
        full = _cleaned_text(_trafilatura_body(tree, links=True, fast=False))
        text = full if len(full) > len(text) else text
    if region and len(text) < FAR_SHORTER * all_paragraphs:
        # Still a fragment of the region's paragraphs (an article split into blocks
        # between ads): the region's paragraphs, its comments aside, are the article.
        joined = "\n".join(filter(None, (_clean(p.text_content())
                                         for p in tree.xpath(ARTICLE_PARAGRAPHS))))
        text = joined if len(text) < FAR_SHORTER * len(joined) else text
    return text


# ---------------------------------------------------------------- entry point

def load_tree(html: str) -> etree._Element | None:
    """The lxml tree of a page, or None when there is no markup to parse."""
    if not html or not html.strip():
        return None
    try:
        tree = lxml_html.document_fromstring(
            html.encode("utf-8", "replace").translate(None, CONTROL_BYTES), parser=_PARSER)
    except (etree.ParserError, ValueError):
        return None
    return tree


_PARSER = lxml_html.HTMLParser(encoding="utf-8", remove_comments=True, collect_ids=False,
                               default_doctype=False)


ODD_CHARS = re.compile("[\ufffd\x01-\x08\x0b\x0e-\x1f]")


def has_nul_bytes(data: bytes) -> bool:
    """Raw bytes that cannot be text: a NUL near the start (images, archives, executables)."""
    return b"\x00" in data[:8192]


# Control characters (BEL, ESC, ...) are not allowed in XML: trafilatura's tree copies fail
# on them and give no body. No byte of a multi-byte UTF-8 character is one of them, so they
# are deleted from the encoded page (bytes.translate is far faster than a regex).
CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


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
    the page says. `use_url=False` ignores a date written in the source's URL (a date in
    the canonical URL the page declares for itself still counts).
    """
    if _looks_binary(html):
        raise ValueError("binary content, not an HTML page")
    tree = load_tree(html)
    if tree is None:
        raise ValueError("empty page: no HTML to parse")
    url = source.final_url or source.url
    latest = _reference_date(source)
    meta, choice = _page_metadata(tree, url if use_url else None, latest)
    # Without a full publication date, or with only the update date found by searching the
    # page, the body's dateline dates the page; a year-less one takes its year from the
    # page's update date or htmldate's latest date on the page (never from today).
    dateline_wins = choice is None or (choice.source in SEARCHED_SOURCES
                                       and choice.day == meta.modified)
    # Elements that trafilatura discards anyway; dropping them now (the metadata is read)
    # spares it copying and walking them several times.
    keep_content_holders(tree)
    etree.strip_elements(tree, *NEVER_BODY, with_tail=False)
    region = article_region(tree)
    text = extract_body(region, region=region is not tree)
    # (htmldate's update search is slow: only for a dateline that is there, on the page
    # before its clean-up.)
    if dateline_wins and text and dateline_date(text, latest):
        reference = meta.modified or update_date(CONTROL_CHARS.sub("", html), latest)
        year_reference = date.fromisoformat(reference) if reference else None
        meta.published = dateline_date(text, year_reference) or meta.published
    page_values = {f.name: getattr(meta, f.name) for f in fields(PageMeta)}
    merged = replace(source, **{key: value for key, value in page_values.items()
                                if getattr(source, key) is None and value is not None})
    merged.sha256 = sha256_text(text)
    return Article(text=text, source=merged)
