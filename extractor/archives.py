"""Press archives: WARC crawls, RSS/Atom feeds and XML sitemaps, told apart by their content.

A WARC (plain or .gz) holds the pages themselves: each HTML response record becomes an
Article through the same page parser as a fetched URL. A feed or sitemap only lists
pages: it gives Links for the fetcher (a sitemap index lists more sitemaps, which are
fetched and read in turn). One corrupt or truncated record is an ItemError for that
record; reading goes on at the next record the archive holds.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import mmap
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import feedparser
from lxml import etree
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from .fetch import Page, page_to_article
from .record import Article, ItemError, Source

GZIP_MAGIC = b"\x1f\x8b\x08"
WARC_MAGIC = b"WARC/"
# The root element names what an XML document is (namespace prefixes aside).
XML_ROOT = re.compile(rb"<(?:[\w-]+:)?(rss|RDF|feed|urlset|sitemapindex)\b")
ROOT_KINDS = {b"rss": "feed", b"RDF": "feed", b"feed": "feed", b"urlset": "sitemap",
              b"sitemapindex": "sitemap"}
SNIFF_BYTES = 4096
GZIP_CHUNK = 1 << 20
MAX_LISTING_BYTES = 100 * 1024 * 1024  # the sitemap protocol allows 50 MB uncompressed
CONTENT_LENGTH = re.compile(rb"^content-length:\s*(\d+)\s*$", re.IGNORECASE | re.MULTILINE)
HTML_MIME = ("text/html", "application/xhtml+xml")


@dataclass(frozen=True)
class Link:
    """A page a feed or sitemap lists, with the date it gives for it (if any)."""

    url: str
    date: str | None = None


def _gunzip_head(data: bytes) -> bytes:
    """The first bytes of gzip data, or b'' when it does not decompress."""
    try:
        return zlib.decompressobj(31).decompress(data[:SNIFF_BYTES * 4], SNIFF_BYTES)
    except zlib.error:
        return b""


def sniff(head: bytes) -> str | None:
    """'warc', 'feed', 'sitemap' (index or urlset) from the first bytes, else None
    (an ordinary page or text: the file name decides)."""
    if head.startswith(GZIP_MAGIC):
        head = _gunzip_head(head)
    if head.startswith(WARC_MAGIC):
        return "warc"
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:SNIFF_BYTES]
    if not start.startswith(b"<"):
        return None
    if re.search(rb"<html\b", start, re.IGNORECASE):
        return None
    m = XML_ROOT.search(start)
    return ROOT_KINDS[m[1]] if m else None


def sniff_file(path: Path) -> str | None:
    with path.open("rb") as f:
        return sniff(f.read(SNIFF_BYTES * 4))


# ---------------------------------------------------------------- WARC


def _gzip_members(buf: bytes | mmap.mmap) -> Iterator[tuple[int, bytes | str]]:
    """Each gzip member (a WARC.gz holds one record per member) as (offset, bytes), or
    (offset, reason) for one that does not decompress; the next member is then found
    by its magic bytes."""
    pos = 0
    while pos < len(buf):
        inflate = zlib.decompressobj(31)
        parts: list[bytes] = []
        cursor = pos
        try:
            while not inflate.eof and cursor < len(buf):
                chunk = buf[cursor:cursor + GZIP_CHUNK]
                parts.append(inflate.decompress(chunk))
                cursor += len(chunk)
        except zlib.error as exc:
            yield pos, f"corrupt compressed record: {exc}"
            pos = buf.find(GZIP_MAGIC, pos + 1)
            if pos < 0:
                return
            continue
        if not inflate.eof:
            yield pos, "truncated: the archive ends inside this record"
            return
        yield pos, b"".join(parts)
        pos = cursor - len(inflate.unused_data)


def _plain_records(buf: bytes | mmap.mmap) -> Iterator[tuple[int, bytes | str]]:
    """Each record of an uncompressed WARC, framed by its Content-Length."""
    pos = 0
    while pos < len(buf):
        while pos < len(buf) and buf[pos:pos + 1] in (b"\r", b"\n"):
            pos += 1
        if pos >= len(buf):
            return
        head_end = buf.find(b"\r\n\r\n", pos)
        if head_end < 0 and buf[pos:pos + 5] == WARC_MAGIC:
            yield pos, "truncated: the archive ends inside this record's header"
            return
        length = CONTENT_LENGTH.search(buf[pos:head_end]) if head_end > 0 else None
        if buf[pos:pos + 5] != WARC_MAGIC or length is None:
            yield pos, "not a WARC record header"
            found = buf.find(b"\n" + WARC_MAGIC, pos + 1)
            if found < 0:
                return
            pos = found + 1
            continue
        end = head_end + 4 + int(length[1])
        if end > len(buf):
            yield pos, "truncated: the archive ends inside this record"
            return
        yield pos, buf[pos:end]
        pos = end


def _record_article(raw: bytes, where: Source) -> Article | ItemError | None:
    """An HTML response record as an Article; None for records that are no page
    (requests, metadata, images, redirects)."""
    try:
        record = next(iter(ArchiveIterator(io.BytesIO(raw), arc2warc=True)))
        if record.rec_type not in ("response", "resource"):
            return None
        url = record.rec_headers.get_header("WARC-Target-URI")
        fetched = record.rec_headers.get_header("WARC-Date")
        if record.http_headers is not None:
            status = int(record.http_headers.get_statuscode() or 0)
            content_type = record.http_headers.get_header("Content-Type") or ""
        else:
            status = 200
            content_type = record.rec_headers.get_header("Content-Type") or ""
        body = record.content_stream().read()
    except (ArchiveLoadFailed, StopIteration, ValueError, OSError, EOFError) as exc:
        return ItemError("archive", f"unreadable WARC record: {exc or type(exc).__name__}",
                         where)
    mime, _, params = content_type.partition(";")
    if status != 200 or mime.strip().lower() not in HTML_MIME:
        return None
    charset = next((v.strip().strip("\"'") for k, _, v in
                    (p.partition("=") for p in params.split(";"))
                    if k.strip().lower() == "charset"), None)
    page = Page(url or where.path or "", url or "", status, mime.strip().lower(), charset or None,
                body, fetched or "")
    article = page_to_article(page)
    article.source.path = where.path
    return article


def warc_articles(path: Path) -> Iterator[Article | ItemError]:
    """The HTML pages of a WARC or WARC.gz file, one Article (or ItemError) per record."""
    label = str(path)
    with path.open("rb") as f:
        try:
            buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError) as exc:  # empty or unmappable
            yield ItemError("archive", f"cannot read WARC: {exc}", Source(path=label))
            return
        with buf:
            records = _gzip_members(buf) if buf[:3] == GZIP_MAGIC else _plain_records(buf)
            for offset, raw in records:
                where = Source(path=label)
                if isinstance(raw, str):
                    yield ItemError("archive", f"WARC record at byte {offset}: {raw}", where)
                    continue
                item = _record_article(raw, where)
                if isinstance(item, ItemError):
                    item.message = f"WARC record at byte {offset}: {item.message}"
                if item is not None:
                    yield item


# ---------------------------------------------------------------- feeds and sitemaps


def _day(text: str | None) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00")).date()
    except ValueError:
        try:
            return dt.date.fromisoformat(text.strip()[:10])
        except ValueError:
            return None


def _recent(link: Link, since: dt.date | None) -> bool:
    """Entries without a date are kept: nothing says they are old."""
    day = _day(link.date)
    return since is None or day is None or day >= since


def _decompressed(data: bytes) -> bytes:
    if not data.startswith(GZIP_MAGIC):
        return data
    with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
        return f.read(MAX_LISTING_BYTES)


def feed_links(data: bytes) -> list[Link]:
    """The article links of an RSS or Atom feed, with their published or updated dates."""
    parsed = feedparser.parse(data)
    if not parsed.entries and parsed.get("bozo"):
        raise ValueError(f"malformed feed: {parsed.get('bozo_exception')}")
    links = []
    for entry in parsed.entries:
        url = entry.get("link")
        if not url:
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        date = dt.date(*stamp[:3]).isoformat() if stamp else None
        links.append(Link(url.strip(), date))
    return links


def sitemap_links(data: bytes) -> list[Link]:
    """The <loc> of a sitemap (pages) or sitemap index (more sitemaps), with lastmod (or
    the news sitemap's publication date)."""
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             huge_tree=False)
    root = etree.fromstring(_decompressed(data), parser=parser)
    if root is None:
        raise ValueError("malformed sitemap: no XML root")
    links = []
    for entry in root.iterfind("{*}url") if etree.QName(root).localname == "urlset" \
            else root.iterfind("{*}sitemap"):
        loc = entry.findtext("{*}loc")
        if not loc or not loc.strip():
            continue
        date = entry.findtext("{*}lastmod") or entry.findtext("{*}news/{*}publication_date")
        links.append(Link(loc.strip(), date.strip() if date else None))
    return links


LISTING_READERS = {"feed": feed_links, "sitemap": sitemap_links}


def listing_links(data: bytes, kind: str, since: dt.date | None,
                  where: Source) -> Iterator[Link | ItemError]:
    """The recent links of a feed or sitemap; a listing that cannot be read is its error."""
    try:
        links = LISTING_READERS[kind](data)
    except (ValueError, etree.XMLSyntaxError, OSError, EOFError, zlib.error) as exc:
        yield ItemError("archive", f"cannot read {kind}: {exc}", where)
        return
    for link in links:
        if not re.match(r"https?://", link.url, re.IGNORECASE):
            yield ItemError("archive", f"{kind} entry is not an http(s) URL: {link.url!r}", where)
        elif _recent(link, since):
            yield link
