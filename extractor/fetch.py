"""Stage 1: fetch pages over HTTP (httpx), politely, with a revalidating on-disk cache.

Interface used by the pipeline: `FetchConfig` and `fetch_articles(urls, config)`.
`fetch_pages(urls, config)` gives the raw pages without parsing them.

Fetching runs on an asyncio loop in a worker thread; pages are handed over through a
bounded queue, so the caller parses one page while the next ones download. Every
connection resolves its host and checks the addresses itself (GuardedBackend), so pages,
redirect hops and robots.txt alike never reach a private address unless allowed.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import ipaddress
import json
import os
import queue
import random
import socket
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import httpcore
import httpx

from .record import Article, ItemError, Source

DEFAULT_USER_AGENT = "newsfacts/0.1 (+https://example.org/newsfacts; figures from news)"
HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain",)
# Feeds and sitemaps (read by archives.py, not parsed as pages).
LISTING_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml",
                 "application/gzip", "application/x-gzip")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
ROBOTS_MAX_BYTES = 500 * 1024
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
# Errors worth another try: the connection failed or broke, not a slow server.
RETRY_ERRORS = (httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadError,
                httpx.RemoteProtocolError, httpx.WriteError)


def default_cache_dir() -> Path:
    """The user's cache folder for newsfacts (XDG_CACHE_HOME on Linux), not the working
    directory, so a run leaves nothing behind where it was started."""
    home = Path.home()
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local")
    elif sys.platform == "darwin":
        base = home / "Library" / "Caches"
    else:
        base = Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache")
    return base / "newsfacts" / "pages"


@dataclass
class FetchConfig:
    user_agent: str = DEFAULT_USER_AGENT
    concurrency: int = 8  # connections overall
    per_host: int = 2  # connections per host
    delay: float = 1.0  # seconds between requests to one host
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    retries: int = 3
    max_redirects: int = 5
    max_bytes: int = 10 * 1024 * 1024
    robots: bool = True
    cache_dir: Path | None = field(default_factory=default_cache_dir)  # None: no cache
    cache_max_age: float = 30 * 86400.0  # seconds; older entries are pruned after a batch
    cache_max_bytes: int = 500 * 1024 * 1024  # then the oldest go until the rest fit
    allow_private: bool = False
    backoff: float = 0.5  # seconds before the first retry; doubles each time
    max_retry_after: float = 120.0  # a longer Retry-After gives up on the URL instead
    total_timeout: float = 300.0  # one request, start to last byte (slow-drip servers)


@dataclass
class Page:
    """A downloaded page: the body bytes and where they came from."""

    url: str
    final_url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    fetched_at: str
    from_cache: bool = False


class FetchFailed(Exception):
    """One URL's failure, carrying the ItemError kind (and the HTTP status, if any)."""

    def __init__(self, kind: str, message: str, status: int | None = None,
                 final_url: str | None = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.final_url = final_url


# ---------------------------------------------------------------- URL checks

def normalize_url(raw: str) -> str:
    """A checked absolute http(s) URL, or FetchFailed('input') saying what is wrong."""
    text = raw.strip()
    if text.lower().startswith("www."):
        text = "https://" + text
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018  (raises ValueError on a bad port)
    except ValueError as exc:
        raise FetchFailed("input", f"malformed URL: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme else "no scheme"
        raise FetchFailed("input", f"unsupported URL scheme ({shown}); only http and https")
    if not parts.hostname or any(ch.isspace() for ch in text):
        raise FetchFailed("input", f"malformed URL: {raw.strip()!r}")
    try:
        httpx.URL(text)
    except httpx.InvalidURL as exc:
        raise FetchFailed("input", f"malformed URL: {exc}") from None
    return text


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if ip.version == 6 and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


async def resolve(host: str, port: int, config: FetchConfig) -> list[str]:
    """The addresses of `host`; FetchFailed if it does not resolve, or if it resolves to a
    private, loopback or link-local address and private addresses are not allowed."""
    loop = asyncio.get_running_loop()
    try:
        infos = await asyncio.wait_for(
            loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), config.connect_timeout
        )
    except (TimeoutError, socket.gaierror, UnicodeError) as exc:
        reason = "timed out" if isinstance(exc, TimeoutError) else str(exc)
        raise FetchFailed("dns", f"host does not resolve: {host} ({reason})") from None
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    private = [address for address in addresses if not _is_public(address)]
    if private and not config.allow_private:
        raise FetchFailed(
            "blocked",
            f"{host} resolves to a private, loopback or link-local address ({private[0]}); "
            "pass --allow-private to fetch it",
        )
    return addresses


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """Resolves each host itself when connecting and connects only to the addresses it
    checked, so a name cannot pass the check with one address and connect to another."""

    def __init__(self, config: FetchConfig) -> None:
        self.config = config
        self.inner = httpcore.AnyIOBackend()

    async def connect_tcp(self, host: str, port: int, timeout: float | None = None,
                          local_address: str | None = None,
                          socket_options: Iterable[Any] | None = None
                          ) -> httpcore.AsyncNetworkStream:
        error: Exception | None = None
        for address in await resolve(host, port, self.config):
            try:
                return await self.inner.connect_tcp(address, port, timeout, local_address,
                                                    socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc  # try the host's next address
        raise error or httpcore.ConnectError(f"no address for {host}")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


# httpcore's errors as the httpx errors the fetcher handles, most specific first.
_HTTPX_ERRORS: tuple[tuple[type[Exception], type[httpx.HTTPError]], ...] = (
    (httpcore.ConnectTimeout, httpx.ConnectTimeout),
    (httpcore.ReadTimeout, httpx.ReadTimeout),
    (httpcore.WriteTimeout, httpx.WriteTimeout),
    (httpcore.PoolTimeout, httpx.PoolTimeout),
    (httpcore.TimeoutException, httpx.TimeoutException),
    (httpcore.ConnectError, httpx.ConnectError),
    (httpcore.ReadError, httpx.ReadError),
    (httpcore.WriteError, httpx.WriteError),
    (httpcore.NetworkError, httpx.NetworkError),
    (httpcore.RemoteProtocolError, httpx.RemoteProtocolError),
    (httpcore.LocalProtocolError, httpx.LocalProtocolError),
    (httpcore.ProtocolError, httpx.ProtocolError),
    (httpcore.UnsupportedProtocol, httpx.UnsupportedProtocol),
    (httpcore.ProxyError, httpx.ProxyError),
)
_CORE_ERRORS = tuple(core for core, _ in _HTTPX_ERRORS)


@contextlib.contextmanager
def _as_httpx_errors() -> Iterator[None]:
    try:
        yield
    except _CORE_ERRORS as exc:
        mapped = next(to for core, to in _HTTPX_ERRORS if isinstance(exc, core))
        raise mapped(str(exc)) from exc


class _BodyStream(httpx.AsyncByteStream):
    def __init__(self, stream: AsyncIterator[bytes]) -> None:
        self.stream = stream

    async def __aiter__(self) -> AsyncIterator[bytes]:
        with _as_httpx_errors():
            async for chunk in self.stream:
                yield chunk

    async def aclose(self) -> None:
        aclose = getattr(self.stream, "aclose", None)
        if aclose is not None:
            await aclose()


class GuardedTransport(httpx.AsyncBaseTransport):
    """An httpx transport (the public way to change how httpx connects) over an httpcore
    connection pool whose network backend is GuardedBackend."""

    def __init__(self, config: FetchConfig, limits: httpx.Limits) -> None:
        self.pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(config),
        )

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        core_request = httpcore.Request(
            method=request.method,
            url=httpcore.URL(scheme=request.url.raw_scheme, host=request.url.raw_host,
                             port=request.url.port, target=request.url.raw_path),
            headers=request.headers.raw,
            content=request.stream,
            extensions=request.extensions,
        )
        with _as_httpx_errors():
            response = await self.pool.handle_async_request(core_request)
        return httpx.Response(status_code=response.status, headers=response.headers,
                              stream=_BodyStream(response.stream),  # type: ignore[arg-type]
                              extensions=response.extensions)

    async def aclose(self) -> None:
        await self.pool.aclose()


# ---------------------------------------------------------------- cache

@dataclass
class CacheEntry:
    url: str
    final_url: str
    status: int
    content_type: str
    charset: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: str


class PageCache:
    """Bodies and validators on disk, one pair of files per URL (keyed by its sha256).
    The folder is made when the first page is stored, not before."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _paths(self, url: str) -> tuple[Path, Path]:
        key = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.root / f"{key}.json", self.root / f"{key}.body"

    def get(self, url: str) -> tuple[CacheEntry, bytes] | None:
        meta_path, body_path = self._paths(url)
        try:
            entry = CacheEntry(**json.loads(meta_path.read_text("utf-8")))
            return entry, body_path.read_bytes()
        except (OSError, ValueError, TypeError):
            return None  # missing or damaged: fetch afresh

    def put(self, entry: CacheEntry, body: bytes) -> None:
        meta_path, body_path = self._paths(entry.url)
        self.root.mkdir(parents=True, exist_ok=True)
        for path, data in ((body_path, body), (meta_path, json.dumps(asdict(entry)).encode())):
            tmp = path.with_suffix(f".tmp{threading.get_ident()}")
            tmp.write_bytes(data)
            tmp.replace(path)  # atomic, so a crash never leaves half an entry

    def touch(self, url: str) -> None:
        """Mark an entry as used (a 304 revalidated it), so pruning keeps it."""
        with contextlib.suppress(OSError):
            self._paths(url)[0].touch()

    def prune(self, max_age: float, max_bytes: int, now: float | None = None) -> int:
        """Remove entries unused for longer than max_age seconds, then the least recently
        used ones until the rest fit in max_bytes. Returns how many entries went."""
        now = time.time() if now is None else now
        entries = []  # (last used, size, files) per URL
        for meta in self.root.glob("*.json"):
            files = [meta, meta.with_suffix(".body")]
            with contextlib.suppress(OSError):
                stats = [f.stat() for f in files if f.exists()]
                entries.append((max(s.st_mtime for s in stats),
                                sum(s.st_size for s in stats), files))
        entries.sort(key=lambda entry: entry[0], reverse=True)  # newest first
        kept_bytes, removed = 0, 0
        for used, size, files in entries:
            if now - used <= max_age and kept_bytes + size <= max_bytes:
                kept_bytes += size
                continue
            for file in files:
                file.unlink(missing_ok=True)
            removed += 1
        return removed


# ---------------------------------------------------------------- politeness

@dataclass
class HostState:
    slots: asyncio.Semaphore
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_at: float = 0.0
    delay: float = 0.0
    robots: RobotFileParser | None = None
    robots_checked: bool = False


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (delta seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _content_type(headers: httpx.Headers) -> tuple[str, str | None]:
    raw = headers.get("content-type", "")
    mime, _, params = raw.partition(";")
    charset = None
    for param in params.split(";"):
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return mime.strip().lower(), charset


class Fetcher:
    """One batch of URLs over one httpx client, polite per host."""

    def __init__(self, config: FetchConfig, client: httpx.AsyncClient) -> None:
        self.config = config
        self.client = client
        self.hosts: dict[str, HostState] = {}
        self.cache = PageCache(config.cache_dir) if config.cache_dir else None

    def _host(self, url: str) -> HostState:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc.lower()}"
        if origin not in self.hosts:
            self.hosts[origin] = HostState(asyncio.Semaphore(self.config.per_host),
                                           delay=self.config.delay)
        return self.hosts[origin]

    async def _wait_turn(self, host: HostState) -> None:
        """Space requests to one host by its delay (robots.txt Crawl-delay if longer)."""
        async with host.lock:
            wait = host.next_at - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            host.next_at = time.monotonic() + host.delay

    async def _allowed(self, url: str, host: HostState) -> bool:
        if not self.config.robots:
            return True
        if not host.robots_checked:
            async with host.lock:
                if not host.robots_checked:
                    host.robots = await self._load_robots(url)
                    host.robots_checked = True
            if host.robots is not None:
                crawl_delay = host.robots.crawl_delay(self.config.user_agent)
                if crawl_delay:
                    host.delay = max(host.delay, float(crawl_delay))
        return host.robots is None or host.robots.can_fetch(self.config.user_agent, url)

    async def _load_robots(self, url: str) -> RobotFileParser | None:
        """robots.txt of the URL's origin; None allows everything (missing or unreadable)."""
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        parser = RobotFileParser(robots_url)
        try:
            async with self.client.stream("GET", robots_url, follow_redirects=True) as response:
                status = response.status_code
                body = b""
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) >= ROBOTS_MAX_BYTES:  # RFC 9309 lets crawlers stop at 500 KiB
                        break
        except httpx.HTTPError:
            return None  # the page request will report the network problem itself
        if status >= 500:
            parser.disallow_all = True  # RFC 9309: a server error means complete disallow
        elif status < 400:
            parser.parse(body[:ROBOTS_MAX_BYTES].decode("utf-8", "replace").splitlines())
        else:
            return None
        return parser

    async def fetch(self, raw_url: str) -> Page:
        url = normalize_url(raw_url)
        seen = [url]
        for _ in range(self.config.max_redirects + 1):
            host = self._host(url)
            if not await self._allowed(url, host):
                raise FetchFailed("robots", f"disallowed by robots.txt: {url}")
            async with host.slots:
                result = await self._fetch_one(url, host)
            if isinstance(result, Page):
                result.url = raw_url.strip()
                return result
            url = result
            if url in seen:
                raise FetchFailed("redirect", "redirect loop: " + " -> ".join([*seen, url]))
            seen.append(url)
        raise FetchFailed("redirect", f"more than {self.config.max_redirects} redirects: "
                                      + " -> ".join(seen))

    async def _fetch_one(self, url: str, host: HostState) -> Page | str:
        """One hop: a Page, or the URL a redirect points to. Retries transient failures."""
        cached = self.cache.get(url) if self.cache else None
        headers = {}
        if cached:
            entry = cached[0]
            if entry.etag:
                headers["If-None-Match"] = entry.etag
            if entry.last_modified:
                headers["If-Modified-Since"] = entry.last_modified
        attempt = 0
        while True:
            await self._wait_turn(host)
            try:
                outcome = await asyncio.wait_for(self._request(url, headers, cached),
                                                 self.config.total_timeout)
            except RETRY_ERRORS as exc:
                if attempt >= self.config.retries:
                    raise FetchFailed("fetch", f"{_describe(exc)} (after {attempt} retries)") \
                        from None
                wait = self.config.backoff * 2**attempt
            except (httpx.TimeoutException, TimeoutError) as exc:
                raise FetchFailed("timeout", f"timed out: {_describe(exc)}") from None
            except httpx.HTTPError as exc:
                raise FetchFailed("fetch", _describe(exc)) from None
            else:
                if not isinstance(outcome, _Retry):
                    return outcome
                if attempt >= self.config.retries:
                    raise FetchFailed("http", f"HTTP {outcome.status} after {attempt} retries",
                                      outcome.status, url)
                wait = outcome.after if outcome.after is not None else \
                    self.config.backoff * 2**attempt
                if wait > self.config.max_retry_after:
                    raise FetchFailed("http", f"HTTP {outcome.status}: server asks to retry "
                                              f"after {wait:.0f} s", outcome.status, url)
            attempt += 1
            await asyncio.sleep(wait * (1 + 0.1 * random.random()))  # jitter spreads retries

    async def _request(self, url: str, headers: dict[str, str],
                       cached: tuple[CacheEntry, bytes] | None) -> Page | str | _Retry:
        async with self.client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status in RETRY_STATUSES:
                return _Retry(status, _retry_after(response.headers.get("retry-after")))
            if status in REDIRECT_STATUSES:
                location = response.headers.get("location")
                if not location:
                    raise FetchFailed("http", f"HTTP {status} redirect without a Location")
                return urljoin(url, location.strip())
            if status == 304 and cached:
                entry, body = cached
                if self.cache:
                    self.cache.touch(url)
                return Page(entry.url, url, entry.status, entry.content_type, entry.charset,
                            body, _now_iso(), from_cache=True)
            if status != 200:
                raise FetchFailed("http", f"HTTP {status} {response.reason_phrase}".strip(),
                                  status, url)
            mime, charset = _content_type(response.headers)
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.config.max_bytes:
                raise FetchFailed("too_large", f"body of {int(declared)} bytes is over the "
                                               f"limit of {self.config.max_bytes}")
            if mime and mime not in HTML_TYPES + TEXT_TYPES + LISTING_TYPES:
                raise FetchFailed("content_type", f"not an HTML page: {mime}")
            body = await self._read_limited(response)
        page = Page(url, url, status, mime, charset, body, _now_iso())
        if self.cache:
            self.cache.put(CacheEntry(url, url, status, mime, charset,
                                      response.headers.get("etag"),
                                      response.headers.get("last-modified"), page.fetched_at),
                           body)
        return page

    async def _read_limited(self, response: httpx.Response) -> bytes:
        """The decoded body, stopping as soon as it passes max_bytes."""
        chunks, size = [], 0
        async for chunk in response.aiter_bytes():
            size += len(chunk)
            if size > self.config.max_bytes:
                raise FetchFailed("too_large", f"body is over the limit of "
                                               f"{self.config.max_bytes} bytes; stopped reading")
            chunks.append(chunk)
        return b"".join(chunks)


@dataclass
class _Retry:
    status: int
    after: float | None


def _describe(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


# ---------------------------------------------------------------- running a batch

_DONE = object()


async def _fetch_all(urls: list[str], config: FetchConfig, out: queue.Queue,
                     stop: threading.Event) -> None:
    timeout = httpx.Timeout(config.read_timeout, connect=config.connect_timeout)
    limits = httpx.Limits(max_connections=config.concurrency,
                          max_keepalive_connections=config.concurrency)
    headers = {"User-Agent": config.user_agent,
               "Accept": "text/html,application/xhtml+xml;q=0.9,text/plain;q=0.8,*/*;q=0.5"}
    slots = asyncio.Semaphore(config.concurrency)
    loop = asyncio.get_running_loop()
    transport = GuardedTransport(config, limits)
    async with httpx.AsyncClient(timeout=timeout, headers=headers, follow_redirects=False,
                                 trust_env=False, transport=transport) as client:
        fetcher = Fetcher(config, client)

        async def one(url: str) -> None:
            if stop.is_set():
                return
            async with slots:
                try:
                    item: Page | ItemError = await fetcher.fetch(url)
                except FetchFailed as exc:
                    item = ItemError(exc.kind, str(exc), Source(
                        url=url.strip(), final_url=exc.final_url, status=exc.status))
                except Exception as exc:  # one URL's surprise must not stop the batch
                    item = ItemError("fetch", _describe(exc), Source(url=url.strip()))
            try:
                out.put_nowait(item)
            except queue.Full:  # the caller is busy parsing: wait off the event loop
                await loop.run_in_executor(None, _put, out, item, stop)

        await asyncio.gather(*(one(url) for url in urls))
    if fetcher.cache:
        fetcher.cache.prune(config.cache_max_age, config.cache_max_bytes)


def _put(out: queue.Queue, item: object, stop: threading.Event) -> None:
    while not stop.is_set():
        with contextlib.suppress(queue.Full):
            out.put(item, timeout=0.1)
            return


def fetch_pages(urls: list[str], config: FetchConfig) -> Iterator[Page | ItemError]:
    """Download each URL (in order of completion): a Page, or an ItemError for that URL."""
    out: queue.Queue = queue.Queue(maxsize=max(4, 2 * config.concurrency))
    stop = threading.Event()

    def run() -> None:
        try:
            asyncio.run(_fetch_all(list(urls), config, out, stop))
        finally:
            _put(out, _DONE, stop)

    worker = threading.Thread(target=run, name="newsfacts-fetch", daemon=True)
    worker.start()
    try:
        while (item := out.get()) is not _DONE:
            yield item
    finally:
        stop.set()  # the consumer stopped early: let the worker wind down
        worker.join(timeout=5)


def page_to_article(page: Page) -> Article | ItemError:
    """Decode and parse a downloaded page into an Article, or the error that stopped it."""
    from . import parse  # trafilatura is slow to import; the CLI's --help reads this module

    source = Source(url=page.url, final_url=page.final_url, status=page.status,
                    fetched_at=page.fetched_at)
    if not page.body.strip():
        return ItemError("empty", "empty response body", source)
    if parse.has_nul_bytes(page.body):
        return ItemError("decode", f"binary content served as {page.content_type or 'text'}",
                         source)
    text = parse.decode_html(page.body, page.charset)
    if page.content_type in TEXT_TYPES:
        return Article(text=text.strip(), source=source)
    try:
        article = parse.parse_html(text, source)
    except Exception as exc:  # a broken page is that item's error, not the batch's
        return ItemError("parse", f"cannot parse HTML: {_describe(exc)}", source)
    if not article.text.strip():
        return ItemError("parse", "no article text found on the page", article.source)
    return article


def fetch_articles(urls: list[str], config: FetchConfig) -> Iterator[Article | ItemError]:
    """Fetch and parse each URL into an Article, or an ItemError for that URL."""
    for item in fetch_pages(urls, config):
        yield item if isinstance(item, ItemError) else page_to_article(item)
