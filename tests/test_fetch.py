"""Fetching over real HTTP on loopback: good pages, misbehaving servers, bad input."""

from __future__ import annotations

import gzip
import time
from pathlib import Path

import pytest
from conftest import PAGES, PageServer, Reply

from extractor.fetch import FetchConfig, fetch_articles, fetch_pages
from extractor.record import Article, ItemError, sha256_text


def config(tmp_path: Path, **overrides: object) -> FetchConfig:
    """Short timeouts and no delay, so misbehaving endpoints cost little time (but not so
    short that a loaded machine times out a page that is served at once)."""
    settings: dict[str, object] = dict(
        delay=0.0, connect_timeout=2.0, read_timeout=2.0, retries=2, backoff=0.01,
        max_redirects=3, max_bytes=2 * 1024 * 1024, cache_dir=tmp_path / "cache",
        allow_private=True, concurrency=8, per_host=4,
    )
    settings.update(overrides)
    return FetchConfig(**settings)  # type: ignore[arg-type]


def run(urls: list[str], cfg: FetchConfig) -> dict[str, Article | ItemError]:
    """Results by requested URL; asserts that every URL got exactly one result."""
    results = {}
    for item in fetch_articles(urls, cfg):
        assert item.source.url not in results
        results[item.source.url] = item
    assert sorted(results) == sorted(u.strip() for u in urls)
    return results


def error(item: Article | ItemError, kind: str) -> ItemError:
    assert isinstance(item, ItemError), f"expected a {kind} error, got an article"
    assert item.kind == kind, f"{item.kind}: {item.message}"
    return item


def test_article_has_body_metadata_and_provenance(page_server: PageServer, tmp_path: Path):
    url = page_server.add_page("/world/riverton.html", "jsonld_article.html")
    before = time.strftime("%Y-%m-%dT%H", time.gmtime())
    article = run([url], config(tmp_path))[url]
    assert isinstance(article, Article)
    src = article.source
    assert (src.url, src.final_url, src.status) == (url, url, 200)
    assert src.fetched_at.startswith(before[:10]) and src.fetched_at.endswith("Z")
    assert src.sha256 == sha256_text(article.text)
    assert src.title == "Deminers clear 120 hectares of farmland near Riverton"
    assert src.publisher == "The Valley Courier"
    assert src.author == "Amina Karimova, Tom Reyes"
    assert (src.published, src.modified) == ("2024-04-20", "2024-04-25")
    assert src.canonical_url == "https://news.example.org/world/deminers-clear-farmland-riverton"
    assert src.language == "en"
    assert "cleared 120 hectares of farmland" in article.text
    assert "37 anti-personnel mines and 12 anti-tank mines" in article.text
    for boilerplate in ("cookies", "Advertisement", "Related stories", "Mine risk education",
                        "All rights reserved", "Sport"):
        assert boilerplate not in article.text
    assert article.text.count("\n") >= 4  # one paragraph a line


def test_sends_user_agent_and_accepts_compression(page_server: PageServer, tmp_path: Path):
    body = (PAGES / "og_byline.html").read_bytes()
    url = page_server.add("/gz", Reply(body=gzip.compress(body),
                                       headers={"Content-Encoding": "gzip"}))
    article = run([url], config(tmp_path, user_agent="test-agent/9"))[url]
    assert isinstance(article, Article) and "41 casualties" in article.text
    request = page_server.requests_for("/gz")[0]
    assert request.headers["user-agent"] == "test-agent/9"
    assert {"gzip", "deflate", "br"} <= {
        part.strip() for part in request.headers["accept-encoding"].split(",")}


def test_brotli_body_is_decoded(page_server: PageServer, tmp_path: Path):
    import brotli

    body = (PAGES / "og_byline.html").read_bytes()
    url = page_server.add("/br", Reply(body=brotli.compress(body),
                                       headers={"Content-Encoding": "br"}))
    article = run([url], config(tmp_path))[url]
    assert isinstance(article, Article) and "41 casualties" in article.text


def test_compression_bomb_is_cut_off_by_decoded_size(page_server: PageServer, tmp_path: Path):
    bomb = gzip.compress(b"<p>" + b" " * 20_000_000 + b"</p>")  # about 20 kB on the wire
    url = page_server.add("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    item = run([url], config(tmp_path, max_bytes=1_000_000))[url]
    assert "stopped reading" in error(item, "too_large").message


def test_misbehaving_endpoints_give_errors_and_the_batch_goes_on(
    page_server: PageServer, tmp_path: Path
):
    good = page_server.add_page("/good.html", "og_byline.html")
    slow = page_server.add("/slow", Reply(body=b"<p>late</p>", delay=5.0))
    missing = page_server.url("/missing")
    loop_a = page_server.add("/loop-a", Reply(status=302, headers={"Location": "/loop-b"}))
    page_server.add("/loop-b", Reply(status=302, headers={"Location": "/loop-a"}))
    binary = page_server.add("/binary", Reply(body=bytes(range(256)) * 64))
    empty = page_server.add("/empty", Reply(body=b""))
    pdf = page_server.add("/doc.pdf", Reply(body=b"%PDF-1.4 ...", content_type="application/pdf"))
    always_500 = page_server.add("/down", Reply(status=503, body=b"busy"))

    urls = [good, slow, missing, loop_a, binary, empty, pdf, always_500]
    results = run(urls, config(tmp_path))

    assert isinstance(results[good], Article)
    assert "timed out" in error(results[slow], "timeout").message
    assert "404" in error(results[missing], "http").message
    assert (results[missing].source.status, results[missing].source.final_url) == (404, missing)
    assert "redirect loop" in error(results[loop_a], "redirect").message
    assert "binary" in error(results[binary], "decode").message
    assert "empty" in error(results[empty], "empty").message
    assert "application/pdf" in error(results[pdf], "content_type").message
    assert "503 after 2 retries" in error(results[always_500], "http").message
    assert len(page_server.requests_for("/down")) == 3  # first try and two retries


def test_500_then_200_is_retried(page_server: PageServer, tmp_path: Path):
    page = (PAGES / "og_byline.html").read_bytes()
    url = page_server.add("/flaky", lambda request: Reply(status=500) if request.count == 1
                          else Reply(body=page))
    article = run([url], config(tmp_path))[url]
    assert isinstance(article, Article) and article.source.status == 200
    assert len(page_server.requests_for("/flaky")) == 2


def test_429_waits_for_retry_after(page_server: PageServer, tmp_path: Path):
    page = (PAGES / "og_byline.html").read_bytes()
    url = page_server.add(
        "/busy", lambda request: Reply(status=429, headers={"Retry-After": "1"})
        if request.count == 1 else Reply(body=page))
    started = time.monotonic()
    article = run([url], config(tmp_path))[url]
    assert isinstance(article, Article)
    assert time.monotonic() - started >= 1.0  # honoured, not the 0.01 s backoff


def test_retry_after_beyond_the_limit_gives_up(page_server: PageServer, tmp_path: Path):
    url = page_server.add("/later", Reply(status=429, headers={"Retry-After": "3600"}))
    item = run([url], config(tmp_path, max_retry_after=5.0))[url]
    assert "retry after 3600" in error(item, "http").message
    assert len(page_server.requests_for("/later")) == 1


def test_redirect_is_followed_and_recorded(page_server: PageServer, tmp_path: Path):
    target = page_server.add_page("/final.html", "og_byline.html")
    start = page_server.add("/old", Reply(status=301, headers={"Location": "/final.html"}))
    article = run([start], config(tmp_path))[start]
    assert isinstance(article, Article)
    assert (article.source.url, article.source.final_url) == (start, target)


def test_too_many_redirects(page_server: PageServer, tmp_path: Path):
    for n in range(5):
        page_server.add(f"/hop{n}", Reply(status=302, headers={"Location": f"/hop{n + 1}"}))
    page_server.add_page("/hop5", "og_byline.html")
    item = run([page_server.url("/hop0")], config(tmp_path, max_redirects=3))
    assert "more than 3 redirects" in error(item[page_server.url("/hop0")], "redirect").message


def test_huge_streamed_body_is_cut_off(page_server: PageServer, tmp_path: Path):
    sent = []

    def fifty_megabytes():
        chunk = b"<p>" + b"x" * 65_530 + b"</p>"
        for _ in range(50 * 16):
            sent.append(len(chunk))
            yield chunk

    url = page_server.add("/huge", Reply(body=fifty_megabytes))
    item = run([url], config(tmp_path, max_bytes=1_000_000))[url]
    assert "over the limit of 1000000 bytes" in error(item, "too_large").message
    assert sum(sent) < 50 * 1024 * 1024  # the client hung up; the server stopped early


def test_declared_length_over_limit_is_refused_before_reading(page_server: PageServer,
                                                               tmp_path: Path):
    url = page_server.add("/big", Reply(body=b"<p>" + b"y" * 3_000_000 + b"</p>"))
    item = run([url], config(tmp_path, max_bytes=1_000_000))[url]
    assert "3000007 bytes" in error(item, "too_large").message


def test_windows_1251_declared_only_in_meta(page_server: PageServer, tmp_path: Path):
    url = page_server.add_page("/ru.html", "cp1251_meta_only.html", content_type="text/html")
    article = run([url], config(tmp_path))[url]
    assert isinstance(article, Article)
    assert "Саперные группы очистили от мин более ста гектаров" in article.text
    assert article.source.title == "Саперы очистили поля у реки"
    assert article.source.language == "ru"


def test_header_charset_wins_over_meta(page_server: PageServer, tmp_path: Path):
    # The page says windows-1251 in <meta>, but the server's header says KOI8-R and the
    # bytes are KOI8-R: the header is right.
    html = (PAGES / "cp1251_meta_only.html").read_bytes().decode("cp1251")
    url = page_server.add("/koi8", Reply(body=html.encode("koi8-r"),
                                         content_type="text/html; charset=KOI8-R"))
    article = run([url], config(tmp_path))[url]
    assert isinstance(article, Article) and "Саперные группы" in article.text


def test_undeclared_charset_is_detected(page_server: PageServer, tmp_path: Path):
    html = (PAGES / "cp1251_meta_only.html").read_bytes().decode("cp1251")
    undeclared = html.replace("; charset=windows-1251", "")
    url = page_server.add("/guess", Reply(body=undeclared.encode("cp1251"),
                                          content_type="text/html"))
    article = run([url], config(tmp_path))[url]
    assert isinstance(article, Article) and "Саперные группы" in article.text


def test_robots_txt_disallow(page_server: PageServer, tmp_path: Path):
    page_server.add("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /private/\n",
                                         content_type="text/plain"))
    allowed = page_server.add_page("/public/a.html", "og_byline.html")
    blocked = page_server.add_page("/private/b.html", "og_byline.html")
    results = run([allowed, blocked], config(tmp_path, robots=True))
    assert isinstance(results[allowed], Article)
    assert "robots.txt" in error(results[blocked], "robots").message
    assert page_server.requests_for("/private/b.html") == []
    assert len(page_server.requests_for("/robots.txt")) == 1  # once per host

    ignored = run([blocked], config(tmp_path, robots=False))[blocked]
    assert isinstance(ignored, Article)


def test_cache_revalidates_with_etag_and_last_modified(page_server: PageServer, tmp_path: Path):
    body = (PAGES / "og_byline.html").read_bytes()
    etag, modified = '"v1"', "Mon, 22 Apr 2024 10:00:00 GMT"

    def conditional(request):
        if request.headers.get("if-none-match") == etag:
            return Reply(status=304, content_type=None)
        return Reply(body=body, headers={"ETag": etag, "Last-Modified": modified})

    url = page_server.add("/cached.html", conditional)
    cfg = config(tmp_path)
    first = run([url], cfg)[url]
    second = run([url], cfg)[url]
    assert isinstance(first, Article) and isinstance(second, Article)
    assert second.text == first.text and second.source.status == 200
    sent = page_server.requests_for("/cached.html")[1].headers
    assert sent["if-none-match"] == etag and sent["if-modified-since"] == modified
    assert len(page_server.requests_for("/cached.html")) == 2

    no_cache = run([url], config(tmp_path, cache_dir=None))[url]
    assert isinstance(no_cache, Article)
    assert "if-none-match" not in page_server.requests_for("/cached.html")[2].headers


def test_private_addresses_refused_unless_allowed(page_server: PageServer, tmp_path: Path):
    url = page_server.add_page("/a.html", "og_byline.html")
    item = run([url], config(tmp_path, allow_private=False))[url]
    assert "--allow-private" in error(item, "blocked").message
    assert page_server.requests == []  # refused before connecting
    for private in ("http://10.1.2.3/x", "http://169.254.169.254/latest", "http://[::1]/",
                    "http://localhost/"):
        refused = run([private], config(tmp_path, allow_private=False))[private]
        assert error(refused, "blocked")


def test_bad_urls_give_input_and_dns_errors(tmp_path: Path):
    urls = ["file:///etc/passwd", "ftp://example.org/file.html", "javascript:alert(1)",
            "http://", "http://exa mple.org/", "http://example.org:99999/",
            "https://no-such-host.invalid/page"]
    results = run(urls, config(tmp_path))
    for url in urls[:3]:
        assert "unsupported URL scheme" in error(results[url], "input").message
    for url in urls[3:6]:
        assert "malformed URL" in error(results[url], "input").message
    assert "does not resolve" in error(results[urls[6]], "dns").message


def test_connection_refused_is_retried_then_reported(tmp_path: Path):
    import socket

    with socket.socket() as sock:  # a port that was free a moment ago: nobody listens
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/x"
    item = run([url], config(tmp_path))[url]
    assert "after 2 retries" in error(item, "fetch").message


def test_plain_text_is_an_article(page_server: PageServer, tmp_path: Path):
    url = page_server.add("/note.txt", Reply(body=b"Teams cleared 5 hectares.\n",
                                             content_type="text/plain; charset=utf-8"))
    article = run([url], config(tmp_path))[url]
    assert isinstance(article, Article) and article.text == "Teams cleared 5 hectares."


def test_per_host_delay_spaces_requests(page_server: PageServer, tmp_path: Path):
    urls = [page_server.add_page(f"/d{n}.html", "og_byline.html") for n in range(3)]
    started = time.monotonic()
    results = run(urls, config(tmp_path, delay=0.3, robots=False))
    assert all(isinstance(item, Article) for item in results.values())
    assert time.monotonic() - started >= 0.6  # three requests, two gaps


def test_many_pages_concurrently(page_server: PageServer, tmp_path: Path):
    urls = [page_server.add_page(f"/p{n}.html", "jsonld_article.html") for n in range(40)]
    pages = list(fetch_pages(urls, config(tmp_path, cache_dir=None, robots=False)))
    assert sorted(page.url for page in pages) == sorted(urls)
    assert all(page.status == 200 and b"Riverton" in page.body for page in pages)


def test_stopping_early_does_not_hang(page_server: PageServer, tmp_path: Path):
    urls = [page_server.add_page(f"/s{n}.html", "og_byline.html") for n in range(30)]
    started = time.monotonic()
    stream = fetch_articles(urls, config(tmp_path, concurrency=2))
    first = next(stream)
    stream.close()
    assert isinstance(first, Article)
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("raw", ["  http://127.0.0.1:1/x  "])
def test_urls_are_stripped(raw: str, tmp_path: Path):
    results = run([raw], config(tmp_path, retries=0))
    assert error(results[raw.strip()], "fetch")


def test_robots_txt_server_error_disallows_everything(page_server: PageServer, tmp_path: Path):
    page_server.add("/robots.txt", Reply(status=503))
    url = page_server.add_page("/a.html", "og_byline.html")
    item = run([url], config(tmp_path))[url]
    assert error(item, "robots")
    assert page_server.requests_for("/a.html") == []


def test_pipeline_hands_urls_to_the_fetcher(page_server: PageServer, tmp_path: Path):
    from extractor.pipeline import load_articles

    url = page_server.add_page("/p.html", "jsonld_article.html")
    items = list(load_articles([url, "ftp://example.org/x"], config(tmp_path)))
    by_url = {item.source.url: item for item in items}
    assert isinstance(by_url[url], Article) and by_url[url].source.status == 200
    assert error(by_url["ftp://example.org/x"], "input")


def test_connections_are_checked_when_they_are_made(page_server: PageServer, tmp_path: Path):
    # The address check sits in the network backend, so no request (page, redirect hop or
    # robots.txt) can reach an address other than the one that was checked.
    import asyncio

    from extractor.fetch import FetchFailed, GuardedBackend

    port = int(page_server.base_url.rsplit(":", 1)[1])

    async def connect(allow_private: bool) -> None:
        backend = GuardedBackend(config(tmp_path, allow_private=allow_private))
        stream = await backend.connect_tcp("localhost", port, timeout=1.0)
        await stream.aclose()

    asyncio.run(connect(True))
    with pytest.raises(FetchFailed, match="private, loopback"):
        asyncio.run(connect(False))


def test_guarded_transport_is_a_plain_httpx_transport(page_server: PageServer, tmp_path: Path):
    # The pinning plugs into httpx through its public transport interface, so any httpx
    # client can use it, and httpx's own errors come out of it (the fetcher retries on them).
    import asyncio
    import socket

    import httpx

    from extractor.fetch import FetchFailed, GuardedTransport

    url = page_server.add("/t.html", Reply(body=b"<html><body>hi</body></html>"))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/"

    async def get(target: str, allow_private: bool) -> httpx.Response:
        transport = GuardedTransport(config(tmp_path, allow_private=allow_private),
                                     httpx.Limits(max_connections=2))
        async with httpx.AsyncClient(transport=transport) as client:
            return await client.get(target)

    assert isinstance(GuardedTransport(config(tmp_path), httpx.Limits()),
                      httpx.AsyncBaseTransport)
    response = asyncio.run(get(url, True))
    assert response.status_code == 200 and response.text == "<html><body>hi</body></html>"
    with pytest.raises(httpx.ConnectError):
        asyncio.run(get(closed, True))
    with pytest.raises(FetchFailed, match="private, loopback"):
        asyncio.run(get(url, False))


def test_cache_folder_is_made_on_first_store_and_pruned_by_age_and_size(
        page_server: PageServer, tmp_path: Path):
    import os

    from extractor.fetch import PageCache

    root = tmp_path / "cache"
    blocked = page_server.add_page("/b.html", "og_byline.html")
    error(run([blocked], config(tmp_path, allow_private=False))[blocked], "blocked")
    assert not root.exists()  # nothing fetched, nothing made

    urls = [page_server.add_page(f"/p{n}.html", "og_byline.html") for n in range(4)]
    run(urls, config(tmp_path, robots=False))
    cache = PageCache(root)
    assert len(list(root.glob("*.json"))) == 4
    now = time.time()
    metas = {url: cache._paths(url)[0] for url in urls}
    for age_days, url in zip((40, 3, 2, 1), urls, strict=True):  # last used this long ago
        for path in cache._paths(url):
            os.utime(path, (now - age_days * 86400, now - age_days * 86400))
    entry_size = sum(p.stat().st_size for p in cache._paths(urls[1]))
    removed = cache.prune(max_age=30 * 86400, max_bytes=2 * entry_size + 10, now=now)
    assert removed == 2
    assert [metas[url].exists() for url in urls] == [False, False, True, True]  # old, then LRU

    # A revalidated entry (304) counts as used: pruning by age keeps it.
    etag = '"v1"'
    url = page_server.add("/etag.html", lambda r: Reply(status=304, content_type=None)
                          if r.headers.get("if-none-match") == etag
                          else Reply(body=b"<html><body><p>x</p></body></html>",
                                     headers={"ETag": etag}))
    run([url], config(tmp_path, robots=False))
    meta = cache._paths(url)[0]
    os.utime(meta, (now - 40 * 86400, now - 40 * 86400))
    for path in cache._paths(url)[1:]:
        os.utime(path, (now - 40 * 86400, now - 40 * 86400))
    run([url], config(tmp_path, robots=False))
    assert meta.exists() and time.time() - meta.stat().st_mtime < 60
