"""Inputs (text and corpus files, saved pages, WARCs, feeds, sitemaps, folders, URLs, stdin)
to articles to figures.

I/O lives here so the stages stay pure: each input yields an Article or an ItemError,
and one bad item never stops the batch.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import multiprocessing
import queue
import re
import signal
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import charset_normalizer

from . import archives, fetch, parse, prefilter
from .record import Article, Figure, ItemError, Source

if TYPE_CHECKING:  # figures loads spaCy; `facts`, `conflicts` and `report` never need it
    from .figures import FigureExtractor

TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm"}
JSON_SUFFIXES = {".json"}
# Anything with a scheme is handed to the fetcher, which refuses what it cannot fetch
# (file:, ftp:, javascript:) with an error record of its own.
URL_LIKE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:|^www\.")
MAX_LISTING_DEPTH = 3  # sitemap index -> sitemap -> pages, with one level to spare


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


def items_from_file(path: Path, since: dt.date | None = None,
                    text_input: TextInput | None = None
                    ) -> Iterator[Article | ItemError | archives.Link]:
    """A file's articles: one for a page or text; every page of a WARC; the links of a
    feed or sitemap (to fetch). The kind is read from the content, not only the name."""
    try:
        kind = archives.sniff_file(path)
    except OSError as exc:
        yield ItemError("input", f"cannot read file: {exc.strerror or exc}", Source(path=str(path)))
        return
    if kind == "warc":
        yield from archives.warc_articles(path)
    elif kind in archives.LISTING_READERS:
        yield from archives.listing_links(path.read_bytes(), kind, since, Source(path=str(path)))
    else:
        yield article_from_file(path, text_input)


def fetch_links(urls: list[str], config: fetch.FetchConfig, since: dt.date | None = None
                ) -> Iterator[Article | ItemError]:
    """Fetch URLs; a fetched feed or sitemap gives its links, fetched in the next round
    (a sitemap index lists sitemaps, which list pages)."""
    seen = set(urls)
    for _ in range(MAX_LISTING_DEPTH + 1):
        found: list[str] = []
        for page in fetch.fetch_pages(urls, config):
            if isinstance(page, ItemError):
                yield page
                continue
            kind = archives.sniff(page.body[:archives.SNIFF_BYTES * 4])
            if kind not in archives.LISTING_READERS:
                yield fetch.page_to_article(page)
                continue
            where = Source(url=page.url, final_url=page.final_url, status=page.status)
            for link in archives.listing_links(page.body, kind, since, where):
                if isinstance(link, ItemError):
                    yield link
                elif link.url not in seen:
                    seen.add(link.url)
                    found.append(link.url)
        if not found:
            return
        urls = found
    yield ItemError("archive", f"sitemaps nested more than {MAX_LISTING_DEPTH} deep; "
                               f"{len(urls)} links not followed", Source(url=urls[0]))


def load_articles(
    specs: Iterable[str], fetch_config: fetch.FetchConfig | None = None,
    since: dt.date | None = None,
    text_input: TextInput | None = None,
) -> Iterator[Article | ItemError]:
    """Every input as an Article or an ItemError, local items first, then fetched URLs
    (given, or listed by a local feed or sitemap)."""
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
            for path in expand_paths(spec):
                if isinstance(path, ItemError):
                    yield path
                    continue
                for item in items_from_file(path, since, text_input):
                    if isinstance(item, archives.Link):
                        urls.append(item.url)
                    else:
                        yield item
    if urls:
        yield from fetch_links(urls, fetch_config or fetch.FetchConfig(), since)


# ---------------------------------------------------------------- extraction


@dataclass
class RunOptions:
    """How a run extracts: batches through nlp.pipe, worker processes, the prefilter."""

    batch_size: int = 16
    jobs: int = 1
    prefilter: bool = True
    since: dt.date | None = None
    # Articles already stored (a resumed ingest): not extracted again.
    known: Callable[[Article], bool] | None = None
    # Encoding and metadata of plain-text inputs, from the command line
    text_input: TextInput | None = None


def _extract_batch(batch: list[Article], extractor: FigureExtractor) -> Iterator[Outcome]:
    """A batch through nlp.pipe; if it fails, each article again alone to find the bad one."""
    if not batch:
        return
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


Work = list[Article | Outcome]  # articles to extract, between outcomes already known


def process(work: Work, extractor: FigureExtractor, use_prefilter: bool = True
            ) -> list[Outcome]:
    """Outcomes of one batch, in its order; articles the prefilter rules out give no
    figures without the statistical pipeline."""
    gate = prefilter_for(extractor) if use_prefilter else None
    limit = extractor.nlp.max_length
    needed = [w for w in work if isinstance(w, Article)
              and (gate is None or _needed(gate, w, limit))]
    extracted = {id(o.article): o for o in _extract_batch(needed, extractor)}
    result = []
    for item in work:
        if isinstance(item, Outcome):
            result.append(item)
        else:
            result.append(extracted.get(id(item)) or Outcome(item.source, [], None, item))
    return result


def _needed(gate: prefilter.Prefilter, article: Article, max_length: int) -> bool:
    if len(article.text) > max_length:
        return True  # the extractor refuses it with an error record, as without the prefilter
    try:
        return gate.relevant(article.text)
    except Exception:  # the extractor decides, and reports a failure as that item's error
        return True


def prefilter_for(extractor: FigureExtractor) -> prefilter.Prefilter:
    cached = getattr(extractor, "_newsfacts_prefilter", None)
    if cached is None:
        cached = prefilter.build(extractor.packs, extractor.nlp)
        extractor._newsfacts_prefilter = cached  # type: ignore[attr-defined]
    return cached


def _ready_batches(items: Iterator[Article | ItemError], size: int) -> Iterator[list]:
    """Items in batches of up to `size`; a batch goes as soon as no more input is ready,
    so a slow source (fetched URLs) streams instead of waiting for a full batch. While
    nothing is ready, empty batches come every fraction of a second (for the caller to
    collect finished work)."""
    ready: queue.Queue = queue.Queue(maxsize=4 * size)
    done = object()
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                while not stop.is_set():
                    try:
                        ready.put(item, timeout=0.2)
                        break
                    except queue.Full:
                        continue
                if stop.is_set():
                    return
        except BaseException as exc:  # surfaced in the consumer
            ready.put(("__failed__", exc))
        finally:
            ready.put(done)

    thread = threading.Thread(target=produce, name="newsfacts-input", daemon=True)
    thread.start()
    batch: list = []
    try:
        while True:
            try:
                item = ready.get(timeout=0.2) if not batch else ready.get_nowait()
            except queue.Empty:
                yield batch  # an empty batch: nothing ready, time to collect results
                batch = []
                continue
            if item is done:
                break
            if isinstance(item, tuple) and item and item[0] == "__failed__":
                raise item[1]
            batch.append(item)
            if len(batch) >= size:
                yield batch
                batch = []
        if batch:
            yield batch
    finally:
        stop.set()


def _work(batch: list[Article | ItemError], options: RunOptions) -> Work:
    work: Work = []
    for item in batch:
        if isinstance(item, ItemError):
            work.append(Outcome(item.source, [], item))
        elif options.known is not None and options.known(item):
            work.append(Outcome(item.source, [], None, item))  # stored by an earlier run
        else:
            work.append(item)
    return work


_worker_extractor: FigureExtractor | None = None


def _init_worker(extractor: FigureExtractor) -> None:
    global _worker_extractor
    _worker_extractor = extractor
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us


def _process_in_worker(work: Work, use_prefilter: bool) -> list[Outcome]:
    assert _worker_extractor is not None
    return process(work, _worker_extractor, use_prefilter)


def work_batches(specs: Iterable[str], fetch_config: fetch.FetchConfig | None,
                 options: RunOptions) -> Iterator[Work]:
    """The inputs as batches of work, streamed (empty ones while input is slow)."""
    for batch in _ready_batches(load_articles(specs, fetch_config, options.since,
                                              options.text_input), options.batch_size):
        yield _work(batch, options)


def in_order(batches: Iterator[Work], submit: Callable[[Work], Any],
             done: Callable[[Any], bool], result: Callable[[Any], list[Outcome]],
             capacity: int) -> Iterator[Outcome]:
    """Outcomes of batches run elsewhere (worker processes, a cluster), in input order,
    each batch as soon as it and those before it are finished; at most `capacity`
    batches in flight."""
    pending: deque = deque()
    for work in batches:
        if work:
            pending.append(submit(work))
        while pending and (len(pending) > capacity or done(pending[0])):
            yield from result(pending.popleft())
    while pending:
        yield from result(pending.popleft())


def run(
    specs: Iterable[str],
    extractor: FigureExtractor,
    fetch_config: fetch.FetchConfig | None = None,
    options: RunOptions | None = None,
) -> Iterator[Outcome]:
    """Extract figures from every input, in input order; a failure is that item's error.

    Articles go to the extractor in batches (spaCy's nlp.pipe is several times faster
    than one call per text); with `jobs` > 1 batches run in forked worker processes that
    share the loaded model, and come back in input order.
    """
    options = options or RunOptions()
    if options.jobs <= 1:
        for work in work_batches(specs, fetch_config, options):
            yield from process(work, extractor, options.prefilter)
        return
    prefilter_for(extractor)  # built once, before the fork
    context = multiprocessing.get_context("fork")  # workers inherit the loaded model
    pool = context.Pool(options.jobs, initializer=_init_worker, initargs=(extractor,))
    try:
        yield from in_order(
            work_batches(specs, fetch_config, options),
            lambda work: pool.apply_async(_process_in_worker, (work, options.prefilter)),
            lambda pending: pending.ready(), lambda pending: pending.get(), 2 * options.jobs)
        pool.close()
    finally:
        pool.terminate()
        pool.join()
