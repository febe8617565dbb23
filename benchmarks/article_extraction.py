"""Article extraction benchmark: body text, publication dates, and fetch throughput.

Data: the Zyte article-extraction benchmark (181 pages with ground-truth bodies) in
../shared/benchmarks/article-extraction, scored as its README says: 4-word shingles,
precision and recall averaged over pages, F1 of the two means. The parser was TUNED ON
THIS SET (bodies and dates), so its figures here are optimistic; it is not held out.

    .venv/bin/python benchmarks/article_extraction.py [--data DIR] [--fetch-requests N]

Prints, all measured in this run:
- body F1 of newsfacts against trafilatura at EQUAL settings (`fast=True`, the mode
  newsfacts calls first), and against trafilatura's full mode; pages per second of CPU time
  (one core) for each, after the same warm-up pass over all pages, taking turns page by
  page so that a drifting load on a shared machine weighs on each alike;
- publication dates on the 46 pages whose URL has a full date (the only date truth this set
  has). Headline: the date found WITHOUT passing the URL. Stricter: also without the page's
  canonical link, og:url and JSON-LD mainEntityOfPage, which repeat the URL. With the URL
  is circular (the truth is read from the URL) and shown only for comparison. htmldate's
  `find_date` (extensive search, original date) is scored on the same pages;
- the same date comparison on the test pages of tests/pages (dates.json), written while
  building the parser: a check of the languages and layouts, not held out either;
- pages per second fetched from a local HTTP server on 127.0.0.1 against a sequential
  httpx loop.
The last line is one JSON object with the figures.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import re
import sys
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import trafilatura
from htmldate import find_date

from extractor.fetch import FetchConfig, fetch_pages
from extractor.parse import date_from_url, decode_html, parse_html
from extractor.record import Source

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared/benchmarks/article-extraction"
TOKEN = re.compile(r"\w+")


# ---------------------------------------------------------------- scoring (README rules)

def shingles(text: str | None) -> Counter:
    tokens = TOKEN.findall(text or "")
    if len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i:i + 4]) for i in range(len(tokens) - 3))


def score(predictions: dict[str, str], truth: dict[str, str]) -> tuple[float, float, float]:
    """Mean precision, mean recall over pages, and the F1 of those means."""
    precisions, recalls = [], []
    for key, expected in truth.items():
        want, got = shingles(expected), shingles(predictions.get(key))
        tp = sum((want & got).values())
        fp = sum((got - want).values())
        fn = sum((want - got).values())
        total = tp + fp + fn
        if not total:
            continue
        tp, fp, fn = tp / total, fp / total, fn / total
        if tp + fp > 0:
            precisions.append(tp / (tp + fp))
        if tp + fn > 0:
            recalls.append(tp / (tp + fn))
    p, r = sum(precisions) / len(precisions), sum(recalls) / len(recalls)
    return p, r, 2 * p * r / (p + r)


def timed(functions: dict, items: list) -> dict[str, tuple[list, float]]:
    """Results of each function over items, and its pages per second of this process's
    CPU time. The functions take turns on each item, in alternating order, so that a
    shared machine whose load drifts during the run weighs on all of them alike."""
    results: dict[str, list] = {name: [] for name in functions}
    seconds = dict.fromkeys(functions, 0.0)
    for index, item in enumerate(items):
        names = list(functions) if index % 2 == 0 else list(reversed(functions))
        for name in names:
            start = time.process_time()
            results[name].append(functions[name](item))
            seconds[name] += time.process_time() - start
    return {name: (results[name], len(items) / seconds[name]) for name in functions}


# ---------------------------------------------------------------- dates

URL_COPIES = re.compile(
    r"<link[^>]*\bcanonical\b[^>]*>|<meta[^>]*\bog:url\b[^>]*>|\"mainEntityOfPage\"",
    re.IGNORECASE)
OWN_PAGES = Path(__file__).resolve().parents[1] / "tests/pages"


def without_url_copies(html: str) -> str:
    """The page without the places that repeat its URL (canonical link, og:url, JSON-LD
    mainEntityOfPage), where a date in the URL would make the score circular."""
    return URL_COPIES.sub(lambda m: '"_removed"' if m[0].startswith('"') else "", html)


def compare_dates(pages: list[tuple[str, str]]) -> dict[str, int]:
    """Exact-day publication dates of newsfacts (no URL given) and of htmldate's
    find_date (extensive search, original date), on (html, true date) pairs."""
    ours = htmldate = 0
    for html, want in pages:
        ours += parse_html(html, Source(), use_url=False).source.published == want
        htmldate += find_date(html, extensive_search=True, original_date=True) == want
    return {"pages": len(pages), "ours": ours, "htmldate": htmldate}


def own_page_dates() -> dict[str, int]:
    """The date comparison on the test pages listed in tests/pages/dates.json."""
    expected = json.loads((OWN_PAGES / "dates.json").read_text("utf-8"))
    return compare_dates([(decode_html((OWN_PAGES / name).read_bytes()), want)
                          for name, want in expected.items()])


# ---------------------------------------------------------------- local server

def _serve(bodies: list[bytes], ready: multiprocessing.Queue) -> None:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            try:
                body = bodies[int(self.path.rsplit("/", 1)[1]) % len(bodies)]
            except (ValueError, IndexError):
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    ready.put(httpd.server_address[1])
    httpd.serve_forever()


def fetch_throughput(bodies: list[bytes], requests: int, concurrency: int) -> dict:
    """Pages per second (wall clock) from a local server in its own process."""
    ready: multiprocessing.Queue = multiprocessing.Queue()
    server = multiprocessing.Process(target=_serve, args=(bodies, ready), daemon=True)
    server.start()
    try:
        port = ready.get(timeout=10)
        urls = [f"http://127.0.0.1:{port}/page/{n}" for n in range(requests)]
        config = FetchConfig(delay=0.0, concurrency=concurrency, per_host=concurrency,
                             cache_dir=None, allow_private=True, robots=True)
        start = time.perf_counter()
        pages = list(fetch_pages(urls, config))
        ours = len(pages) / (time.perf_counter() - start)
        failed = sum(1 for page in pages if not hasattr(page, "body"))

        baseline_urls = urls[: max(1, requests // 4)]
        start = time.perf_counter()
        with httpx.Client() as client:
            for url in baseline_urls:
                client.get(url).raise_for_status()
        sequential = len(baseline_urls) / (time.perf_counter() - start)
    finally:
        server.terminate()
        server.join(5)
    return {"fetch_pages_per_s": ours, "sequential_pages_per_s": sequential,
            "failed": failed, "requests": requests}


# ---------------------------------------------------------------- main

def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=DEFAULT_DATA)
    ap.add_argument("--fetch-requests", type=int, default=1000)
    ap.add_argument("--concurrency", type=int, default=16)
    args = ap.parse_args()

    if not (args.data / "ground-truth.json").is_file():
        print(f"no benchmark data in {args.data} (ground-truth.json and html/)", file=sys.stderr)
        return 2
    truth_file = json.loads((args.data / "ground-truth.json").read_text("utf-8"))
    pages = []
    for path in sorted((args.data / "html").glob("*.html.gz")):
        key = path.name.split(".")[0]
        html = gzip.decompress(path.read_bytes()).decode("utf-8")
        pages.append((key, html, truth_file[key]["url"]))
    truth = {key: truth_file[key]["articleBody"] for key, _, _ in pages}
    print(f"{len(pages)} pages from {args.data} (the parser was tuned on this set)")

    # Equal settings: trafilatura's fast mode is the one newsfacts calls first (it falls
    # back to the full mode only for a fragment); comments are not the article.
    def trafilatura_fast(page: tuple) -> str:
        return trafilatura.extract(page[1], fast=True, favor_recall=True,
                                   include_comments=False) or ""

    def trafilatura_full(page: tuple) -> str:
        return trafilatura.extract(page[1], include_comments=False) or ""

    functions = {"trafilatura fast": trafilatura_fast, "trafilatura full": trafilatura_full,
                 "newsfacts": lambda p: parse_html(p[1], Source(url=p[2])).text}
    # Warm-up on every page: imports, lazily loaded data and caches are no per-page cost.
    # (Five pages were not enough: htmldate loads the month names of every dateparser
    # locale, 0.8 s, on the first page whose date it searches for in the text.)
    for function in functions.values():
        for page in pages:
            function(page)
    results = {}
    for name, (texts, rate) in timed(functions, pages).items():
        results[name] = (*score(dict(zip(truth, texts, strict=True)), truth), rate)
        p, r, f1, _ = results[name]
        print(f"{name:<17} P={p:.4f} R={r:.4f} F1={f1:.4f}  {rate:.1f} pages/s (CPU)")
    our_p, our_r, our_f1, our_rate = results["newsfacts"]
    fast_f1, fast_rate = results["trafilatura fast"][2], results["trafilatura fast"][3]
    print(f"ratio to trafilatura at equal settings (fast): F1 {our_f1 / fast_f1:.4f}, "
          f"speed {our_rate / fast_rate:.2f} (newsfacts also reads metadata and dates)")

    dated = [(html, date_from_url(url), url) for _, html, url in pages if date_from_url(url)]
    ours = compare_dates([(html, want) for html, want, _ in dated])
    strict = compare_dates([(without_url_copies(html), want) for html, want, _ in dated])
    with_url = sum(parse_html(html, Source(url=url)).source.published == want
                   for html, want, url in dated)
    print(f"publication date, exact day, on {len(dated)} URL-dated pages (tuned on):")
    print(f"  without the URL:  newsfacts {ours['ours']}, htmldate {ours['htmldate']}   "
          "<- headline")
    print(f"  without the URL nor its copies in the page (canonical, og:url): newsfacts "
          f"{strict['ours']}, htmldate {strict['htmldate']}")
    print(f"  with the URL (circular): newsfacts {with_url}")
    own = own_page_dates()
    print(f"publication date on {own['pages']} own test pages (tests/pages, written while "
          f"building, not held out): newsfacts {own['ours']}, htmldate {own['htmldate']}")

    fetched = fetch_throughput([html.encode("utf-8") for _, html, _ in pages],
                               args.fetch_requests, args.concurrency)
    print(f"fetch from 127.0.0.1: {fetched['fetch_pages_per_s']:.0f} pages/s with "
          f"concurrency {args.concurrency} ({fetched['requests']} requests, "
          f"{fetched['failed']} failed); sequential httpx "
          f"{fetched['sequential_pages_per_s']:.0f} pages/s; ratio "
          f"{fetched['fetch_pages_per_s'] / fetched['sequential_pages_per_s']:.2f}")

    print(json.dumps({
        "tuned_on": "zyte article-extraction (this set)",
        "body_f1": round(our_f1, 4),
        "body_precision": round(our_p, 4),
        "body_recall": round(our_r, 4),
        "trafilatura_fast_f1": round(fast_f1, 4),
        "trafilatura_full_f1": round(results["trafilatura full"][2], 4),
        "pages_per_s": round(our_rate, 1),
        "trafilatura_fast_pages_per_s": round(fast_rate, 1),
        "trafilatura_full_pages_per_s": round(results["trafilatura full"][3], 1),
        "speed_ratio_equal_settings": round(our_rate / fast_rate, 2),
        "date_pages": len(dated),
        "date_exact_without_url": ours["ours"],
        "htmldate_exact_without_url": ours["htmldate"],
        "date_exact_without_url_copies": strict["ours"],
        "htmldate_exact_without_url_copies": strict["htmldate"],
        "date_exact_with_url_circular": with_url,
        "own_pages": own["pages"],
        "own_pages_date_exact": own["ours"],
        "own_pages_htmldate_exact": own["htmldate"],
        "fetch_pages_per_s": round(fetched["fetch_pages_per_s"], 1),
        "fetch_sequential_pages_per_s": round(fetched["sequential_pages_per_s"], 1),
        "fetch_failed": fetched["failed"],
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
