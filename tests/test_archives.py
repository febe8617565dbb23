"""Press archives: WARC(.gz) crawls, RSS/Atom feeds and sitemaps, served on loopback.

Each archive ingests the articles it holds; a corrupt or truncated record is an error
for that record and the run goes on; the kind is read from the content, not the name.
"""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

from conftest import Reply
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from extractor import archives, pipeline, store
from extractor.cli import main
from extractor.record import Article, ItemError

REPORTS = [
    "BAKU, Azerbaijan, October 14. From October 7 to October 13, 2024, {n} anti-tank mines "
    "and 141 anti-personnel mines were found and neutralized in the liberated territories, "
    "the Mine Action Agency (ANAMA) said.",
    "PHNOM PENH, March 3. Deminers of the Cambodian Mine Action Centre cleared {n} hectares "
    "of land contaminated by mines in Battambang province in February, CMAC said.",
    "KYIV, May 2. Sappers of the State Emergency Service neutralized {n} explosive objects in "
    "the Kharkiv region over the past week, the service said.",
]


def page(title: str, body: str) -> bytes:
    return (f"<!doctype html><html lang='en'><head><title>{title}</title></head><body>"
            f"<article><h1>{title}</h1><p>{body}</p></article></body></html>").encode()


def report(i: int) -> bytes:
    return page(f"Demining report {i}", REPORTS[i % len(REPORTS)].format(n=10 + i))


def write_warc(records: list[tuple[str, bytes, str]], gz: bool) -> tuple[bytes, list[int]]:
    """A WARC of response records (url, body, content type), with a request record and
    a warcinfo record as real crawls have; returns the bytes and each response's offset."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    writer.write_record(writer.create_warcinfo_record("crawl.warc", {"software": "test"}))
    offsets = []
    for url, body, content_type in records:
        offsets.append(buf.tell())
        headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)],
                                   protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      http_headers=headers))
        request = StatusAndHeaders(f"GET {url} HTTP/1.1", [("Host", "x")], is_http_request=True)
        writer.write_record(writer.create_warc_record(url, "request", payload=io.BytesIO(b""),
                                                      http_headers=request))
    return buf.getvalue(), offsets


HTML = "text/html; charset=utf-8"


def _crawl(n: int = 4) -> list[tuple[str, bytes, str]]:
    records = [(f"https://news.example/{i}.html", report(i), HTML) for i in range(n)]
    records.insert(2, ("https://news.example/logo.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64,
                       "image/png"))
    return records


def _load(*specs: str, since=None) -> list[Article | ItemError]:
    return list(pipeline.load_articles(specs, since=since))


def test_warc_gz_with_a_corrupt_record_gives_its_error_and_every_other_page(tmp_path) -> None:
    data, offsets = write_warc(_crawl(), gz=True)
    corrupt = bytearray(data)
    start = offsets[1] + 40  # inside the compressed data of the second page's record
    corrupt[start:start + 40] = b"\x00" * 40
    path = tmp_path / "crawl.warc.gz"
    path.write_bytes(bytes(corrupt))
    items = _load(str(path))
    articles = [i for i in items if isinstance(i, Article)]
    errors = [i for i in items if isinstance(i, ItemError)]
    assert [a.source.url for a in articles] == [
        "https://news.example/0.html", "https://news.example/2.html",
        "https://news.example/3.html"]  # the image is no article; page 1 is corrupt
    assert all("neutralized" in a.text or "cleared" in a.text for a in articles)
    [error] = errors
    assert error.kind == "archive" and f"byte {offsets[1]}" in error.message
    assert error.source.path == str(path)


def test_truncated_plain_warc_without_extension_is_read_by_its_content(tmp_path) -> None:
    data, offsets = write_warc(_crawl(3), gz=False)
    path = tmp_path / "crawl-0001"  # no extension: the content says WARC
    path.write_bytes(data[:offsets[-1] + 300])  # the last page's record cut short
    items = _load(str(path))
    assert [i.source.url for i in items if isinstance(i, Article)] == [
        "https://news.example/0.html", "https://news.example/1.html"]
    [error] = [i for i in items if isinstance(i, ItemError)]
    assert "truncated" in error.message and f"byte {offsets[-1]}" in error.message


def test_content_sniffing_tells_archives_from_pages() -> None:
    warc, _ = write_warc(_crawl(1), gz=True)
    assert archives.sniff(warc) == "warc"
    assert archives.sniff(b'<?xml version="1.0"?>\n<rss version="2.0"><channel>') == "feed"
    assert archives.sniff(b'<feed xmlns="http://www.w3.org/2005/Atom">') == "feed"
    assert archives.sniff(b'<?xml version="1.0"?><urlset xmlns="x">') == "sitemap"
    assert archives.sniff(gzip.compress(b'<sitemapindex xmlns="x">')) == "sitemap"
    assert archives.sniff(b"<!doctype html><html><body><p>rss feed</p>") is None
    assert archives.sniff(b"Sappers cleared 12 hectares.") is None


def _rss(links: list[str]) -> bytes:
    items = "".join(f"<item><title>Report {i}</title><link>{url}</link>"
                    f"<pubDate>Mon, 14 Oct 2024 10:00:00 GMT</pubDate></item>"
                    for i, url in enumerate(links))
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>'
            f"{items}</channel></rss>").encode()


FETCH = ["--allow-private", "--delay", "0", "--retries", "0", "--no-cache"]


def test_rss_feed_by_url_fetches_and_extracts_its_articles(page_server, capsys) -> None:
    links = [page_server.add(f"/news/{i}.html", Reply(body=report(i))) for i in range(2)]
    links.append(page_server.url("/news/missing.html"))
    feed = page_server.add("/feed", Reply(body=_rss(links), content_type="application/rss+xml"))
    status = main(["extract", feed, *FETCH])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 1  # the missing article
    figures = [r for r in rows if "metric" in r]
    assert {r["source"]["url"] for r in figures} == set(links[:2])
    assert {r["value"] for r in figures} >= {10, 11}
    [error] = [r for r in rows if "error" in r]
    assert error["source"]["url"] == links[2] and error["error"]["kind"] == "http"


def _urlset(entries: list[tuple[str, str | None]], news: bool = False) -> bytes:
    def entry(url: str, day: str | None) -> str:
        if day is None:
            return f"<url><loc>{url}</loc></url>"
        if news:
            return (f"<url><loc>{url}</loc><news:news><news:publication_date>{day}"
                    f"</news:publication_date></news:news></url>")
        return f"<url><loc>{url}</loc><lastmod>{day}</lastmod></url>"

    return ('<?xml version="1.0" encoding="UTF-8"?><urlset '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            + "".join(entry(u, d) for u, d in entries) + "</urlset>").encode()


def test_sitemap_index_with_since_ingests_only_recent_articles(page_server, tmp_path,
                                                               capsys) -> None:
    urls = [page_server.add(f"/a/{i}.html", Reply(body=report(i))) for i in range(4)]
    plain = page_server.add("/sitemap-1.xml", Reply(
        body=_urlset([(urls[0], "2024-10-14"), (urls[1], "2019-01-01T08:00:00+00:00")]),
        content_type="application/xml"))
    news = page_server.add("/sitemap-news.xml.gz", Reply(
        body=gzip.compress(_urlset([(urls[2], "2024-11-02T09:30:00Z"), (urls[3], None)],
                                   news=True)),
        content_type="application/gzip"))
    old = page_server.add("/sitemap-2015.xml", Reply(body=_urlset([(urls[1], "2015-01-01")]),
                                                     content_type="application/xml"))
    index = page_server.add("/sitemap.xml", Reply(body=(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{plain}</loc><lastmod>2024-11-05</lastmod></sitemap>"
        f"<sitemap><loc>{news}</loc></sitemap>"
        f"<sitemap><loc>{old}</loc><lastmod>2015-01-02</lastmod></sitemap>"
        "</sitemapindex>").encode(), content_type="text/xml"))
    db = tmp_path / "facts.db"
    assert main(["ingest", index, "--since", "2024-01-01", "--db", str(db), *FETCH]) == 0
    capsys.readouterr()
    with store.open_store(str(db), create=False) as facts:
        stored = {a.source.url for a in store.list_articles(facts)}
        figures = store.current_figures(facts)
    assert stored == {urls[0], urls[2], urls[3]}  # 1 is old; 3 has no date, so is kept
    assert {f.source.url for f in figures} == stored
    assert not page_server.requests_for("/sitemap-2015.xml")  # an old sitemap is not read
    assert not page_server.requests_for("/a/1.html")


def test_folder_mixing_a_warc_an_atom_feed_and_a_text_file(page_server, tmp_path,
                                                           capsys) -> None:
    linked = page_server.add("/linked.html", Reply(body=report(5)))
    folder = tmp_path / "archive"
    folder.mkdir()
    warc, _ = write_warc(_crawl(2), gz=True)
    (folder / "crawl.warc.gz").write_bytes(warc)
    (folder / "feed.xml").write_bytes((
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        f'<title>t</title><entry><title>x</title><link href="{linked}"/>'
        "<updated>2024-10-14T10:00:00Z</updated></entry>"
        '<entry><title>y</title><link href="/relative.html"/></entry></feed>').encode())
    (folder / "note.txt").write_text(REPORTS[1].format(n=77), encoding="utf-8")
    status = main(["extract", str(folder), *FETCH])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 1  # the relative link of the feed
    sources = {r["source"]["url"] or r["source"]["path"] for r in rows if "metric" in r}
    assert sources == {"https://news.example/0.html", "https://news.example/1.html", linked,
                       str(folder / "note.txt")}
    [error] = [r for r in rows if "error" in r]
    assert "relative.html" in error["error"]["message"]


def test_archive_records_keep_exact_offsets(tmp_path) -> None:
    data, _ = write_warc(_crawl(3), gz=True)
    path = tmp_path / "c.warc.gz"
    path.write_bytes(data)
    outcomes = list(pipeline.run([str(path)], _extractor()))
    figures = [f for o in outcomes for f in o.figures]
    assert len({f.source.url for f in figures}) == 3
    for outcome in outcomes:
        for fig in outcome.figures:
            assert outcome.article.text[fig.start:fig.end] == fig.evidence


def _extractor():
    from extractor.figures import FigureExtractor

    return FigureExtractor()


def test_since_on_a_local_feed_file(tmp_path) -> None:
    feed = tmp_path / "feed.rss"
    feed.write_bytes(_rss(["https://a.example/1"]).replace(b"2024", b"2001"))
    assert _load_links(feed, "2024-01-01") == []
    assert _load_links(feed, None) == ["https://a.example/1"]


def _load_links(path: Path, since: str | None) -> list[str]:
    import datetime as dt

    day = dt.date.fromisoformat(since) if since else None
    return [i.url for i in pipeline.items_from_file(path, day) if isinstance(i, archives.Link)]
