"""Article extraction benchmark: body text, publication dates, and fetch throughput.

Data: the Zyte article-extraction benchmark (181 pages with ground-truth bodies) in
../shared/benchmarks/article-extraction, scored as its README says: 4-word shingles,
precision and recall averaged over pages, F1 of the two means.

    .venv/bin/python benchmarks/article_extraction.py [--data DIR] [--fetch-requests N]

Prints our body extraction against plain trafilatura measured in the same run, pages per
second of CPU time (one core), exact-day accuracy of publication dates on the pages whose
URL has a full date (with and without passing the URL), and pages per second fetched from
a local HTTP server on 127.0.0.1 against a sequential httpx loop. The last line is one
JSON object with the figures.
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

from extractor.fetch import FetchConfig, fetch_pages
from extractor.parse import date_from_url, parse_html
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


def timed(function, items):
    """Results of function over items, and pages per second of this process's CPU time."""
    start = time.process_time()
    results = [function(item) for item in items]
    return results, len(items) / (time.process_time() - start)


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
    print(f"{len(pages)} pages from {args.data}")

    # Plain trafilatura: its default call, comments left out (they are not the article).
    plain, plain_rate = timed(
        lambda p: trafilatura.extract(p[1], include_comments=False) or "", pages)
    plain_p, plain_r, plain_f1 = score(dict(zip(truth, plain, strict=True)), truth)
    print(f"trafilatura       P={plain_p:.4f} R={plain_r:.4f} F1={plain_f1:.4f}  "
          f"{plain_rate:.1f} pages/s (CPU)")

    ours, our_rate = timed(lambda p: parse_html(p[1], Source(url=p[2])), pages)
    our_p, our_r, our_f1 = score({key: a.text for key, a in zip(truth, ours, strict=True)},
                                 truth)
    print(f"newsfacts         P={our_p:.4f} R={our_r:.4f} F1={our_f1:.4f}  "
          f"{our_rate:.1f} pages/s (CPU, body and metadata)")
    print(f"ratio to trafilatura: F1 {our_f1 / plain_f1:.4f}, speed {our_rate / plain_rate:.2f}")

    dated = [(page, article) for page, article in zip(pages, ours, strict=True)
             if date_from_url(page[2])]
    with_url = sum(article.source.published == date_from_url(page[2])
                   for page, article in dated)
    without_url = 0
    for (_, html, url), _article in dated:
        found = parse_html(html, Source(), use_url=False).source.published
        if found == date_from_url(url):
            without_url += 1
        else:
            print(f"  date without URL: got {found}, URL says {date_from_url(url)}: {url}")
    print(f"publication date exact day on {len(dated)} URL-dated pages: "
          f"{with_url} with the URL, {without_url} without")

    fetched = fetch_throughput([html.encode("utf-8") for _, html, _ in pages],
                               args.fetch_requests, args.concurrency)
    print(f"fetch from 127.0.0.1: {fetched['fetch_pages_per_s']:.0f} pages/s with "
          f"concurrency {args.concurrency} ({fetched['requests']} requests, "
          f"{fetched['failed']} failed); sequential httpx "
          f"{fetched['sequential_pages_per_s']:.0f} pages/s; ratio "
          f"{fetched['fetch_pages_per_s'] / fetched['sequential_pages_per_s']:.2f}")

    print(json.dumps({
        "body_f1": round(our_f1, 4),
        "body_precision": round(our_p, 4),
        "body_recall": round(our_r, 4),
        "trafilatura_f1": round(plain_f1, 4),
        "pages_per_s": round(our_rate, 1),
        "trafilatura_pages_per_s": round(plain_rate, 1),
        "date_pages": len(dated),
        "date_exact_with_url": with_url,
        "date_exact_without_url": without_url,
        "fetch_pages_per_s": round(fetched["fetch_pages_per_s"], 1),
        "fetch_sequential_pages_per_s": round(fetched["sequential_pages_per_s"], 1),
        "fetch_failed": fetched["failed"],
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
