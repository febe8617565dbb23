"""Inputs (text and corpus files, saved pages, folders, URLs, stdin) to articles to figures.

I/O lives here so the stages stay pure: each input yields an Article or an ItemError,
and one bad item never stops the batch.
"""

from __future__ import annotations

import codecs
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import charset_normalizer

from . import fetch, parse
from .record import Article, Figure, ItemError, Source

if TYPE_CHECKING:  # figures loads spaCy; `facts`, `conflicts` and `report` never need it
    from .figures import FigureExtractor

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json"}
# Anything with a scheme is handed to the fetcher, which refuses what it cannot fetch
# (file:, ftp:, javascript:) with an error record of its own.
URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^www\.")


# A legacy encoding this close in "chaos" to charset-normalizer's best guess is taken
# instead: short English texts with a few accented letters fit many code pages, and
# Windows-1252 (a superset of Latin-1's printable range) is by far the commonest of them.
PREFERRED_LEGACY = ("cp1252", "latin_1")
LEGACY_MARGIN = 0.05


@dataclass
class TextInput:
    """What plain-text files and stdin cannot say themselves: their encoding (None to
    detect it) and the source metadata given on the command line."""

    encoding: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: str | None = None

    def source(self, path: str) -> Source:
        return Source(path=path, url=self.url, publisher=self.publisher,
                      published=self.published)


@dataclass
class Outcome:
    """The result of one input item: its figures, or the error that stopped it."""

    source: Source
    figures: list[Figure]
    error: ItemError | None = None
    article: Article | None = None


def is_url(spec: str) -> bool:
    return bool(URL_LIKE.match(spec)) and not Path(spec).exists()


def read_url_list(path: str) -> list[str]:
    """URLs from a file (or '-' for stdin), one per line; blank lines and # comments skipped."""
    stream = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
    try:
        lines = [line.strip() for line in stream]
    finally:
        if stream is not sys.stdin:
            stream.close()
    return [line for line in lines if line and not line.startswith("#")]


def decode_text(data: bytes, source: Source, encoding: str | None = None) -> str | ItemError:
    """Text file bytes to text: the given encoding, else a BOM, UTF-8, or the detected one."""
    if parse.has_nul_bytes(data):
        return ItemError("decode", "binary file: contains NUL bytes", source)
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            return ItemError("decode", f"not {encoding} text: {exc}", source)
    for bom, codec in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                       (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guesses = list(charset_normalizer.from_bytes(data[:200_000]))
    if not guesses:
        return ItemError("decode", "not text in any known encoding; try --encoding", source)
    best = guesses[0]
    close = [g.encoding for g in guesses if g.chaos <= best.chaos + LEGACY_MARGIN]
    codec = next((c for c in PREFERRED_LEGACY if c in close), best.encoding)
    return data.decode(codec, errors="replace")


def _decode_utf8(data: bytes, source: Source) -> str | ItemError:
    if parse.has_nul_bytes(data):
        return ItemError("decode", "binary file: contains NUL bytes", source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return ItemError("decode", f"not UTF-8 text: {exc}", source)


def article_from_corpus_json(data: bytes, source: Source) -> Article | ItemError:
    """A file in the corpus format: its `text` (or `html`) with url/publisher/published."""
    raw = _decode_utf8(data, source)
    if isinstance(raw, ItemError):
        return raw
    try:
        obj = json.loads(raw)
    except json.JSONDecodeError as exc:
        return ItemError("input", f"malformed JSON: {exc}", source)
    if not isinstance(obj, dict):
        return ItemError("input", "corpus JSON must be an object with a 'text' field", source)
    text, html = obj.get("text"), obj.get("html")
    if not isinstance(text, str) and not isinstance(html, str):
        return ItemError("input", "corpus JSON has no 'text' string", source)
    for key in ("url", "publisher", "published", "title", "author", "modified"):
        if isinstance(obj.get(key), str) and obj[key]:
            setattr(source, key, obj[key])
    if isinstance(html, str) and html.strip():
        return _article_from_html(html, source)
    return Article(text=text, source=source)


def _article_from_html(html: str, source: Source) -> Article | ItemError:
    try:
        return parse.parse_html(html, source)
    except Exception as exc:  # a broken page is that item's error, not the batch's
        return ItemError("parse", f"cannot parse HTML: {exc}", source)


def article_from_file(path: Path, text_input: TextInput | None = None) -> Article | ItemError:
    text_input = text_input or TextInput()
    source = Source(path=str(path))
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ItemError("input", f"cannot read file: {exc.strerror or exc}", source)
    if not data.strip():
        return ItemError("input", "empty file", source)
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        return article_from_corpus_json(data, source)
    if suffix in HTML_SUFFIXES:
        return _article_from_html(parse.decode_html(data), source)  # <meta> charset, detection
    source = text_input.source(str(path))
    text = decode_text(data, source, text_input.encoding)
    return text if isinstance(text, ItemError) else Article(text=text, source=source)


def expand_paths(spec: str) -> Iterator[Path | ItemError]:
    path = Path(spec)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
        yield from files
    elif path.is_file():
        yield path
    else:
        yield ItemError("input", f"no such file or directory: {spec}", Source(path=spec))


def load_articles(
    specs: Iterable[str], fetch_config: fetch.FetchConfig | None = None,
    text_input: TextInput | None = None,
) -> Iterator[Article | ItemError]:
    """Every input as an Article or an ItemError, local items first, then fetched URLs."""
    text_input = text_input or TextInput()
    urls: list[str] = []
    for spec in specs:
        if spec == "-":
            source = text_input.source("-")
            text = decode_text(sys.stdin.buffer.read(), source, text_input.encoding)
            if isinstance(text, ItemError):
                yield text
            elif text.strip():
                yield Article(text, source)
            else:
                yield ItemError("input", "empty stdin", source)
        elif is_url(spec):
            urls.append(spec)
        else:
            for item in expand_paths(spec):
                yield item if isinstance(item, ItemError) else article_from_file(item, text_input)
    if urls:
        yield from fetch.fetch_articles(urls, fetch_config or fetch.FetchConfig())


def _extract_batch(batch: list[Article], extractor: FigureExtractor) -> Iterator[Outcome]:
    """A batch through nlp.pipe; if it fails, each article again alone to find the bad one."""
    try:
        results = list(extractor.extract_many(batch))
    except Exception:  # one article's failure must not stop the batch
        results = None
    if results is not None:
        for article, figures in results:
            yield Outcome(article.source, figures, None, article)
        return
    for article in batch:
        try:
            figures = extractor.extract(article)
        except Exception as exc:
            error = ItemError("extract", f"{type(exc).__name__}: {exc}", article.source)
            yield Outcome(article.source, [], error, article)
        else:
            yield Outcome(article.source, figures, None, article)


def run(
    specs: Iterable[str],
    extractor: FigureExtractor,
    fetch_config: fetch.FetchConfig | None = None,
    batch_size: int = 16,
    text_input: TextInput | None = None,
) -> Iterator[Outcome]:
    """Extract figures from every input, in input order; a failure is that item's error.

    Articles go to the extractor in batches (spaCy's nlp.pipe is several times faster
    than one call per text), so results come out a batch at a time.
    """
    batch: list[Article] = []
    for item in load_articles(specs, fetch_config, text_input):
        if isinstance(item, Article):
            batch.append(item)
            if len(batch) < batch_size:
                continue
            yield from _extract_batch(batch, extractor)
            batch = []
        else:
            yield from _extract_batch(batch, extractor)
            batch = []
            yield Outcome(item.source, [], item)
    yield from _extract_batch(batch, extractor)
