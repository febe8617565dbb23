"""Stage 1: fetch pages over HTTP (httpx), politely, with a revalidating on-disk cache.

Interface used by the pipeline: `FetchConfig` and `fetch_articles(urls, config)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .record import Article, ItemError

DEFAULT_USER_AGENT = "newsfacts/0.1 (+https://example.org/newsfacts; figures from news)"


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
    cache_dir: Path | None = Path(".newsfacts-cache")  # None turns the cache off
    allow_private: bool = False


def fetch_articles(urls: list[str], config: FetchConfig) -> Iterator[Article | ItemError]:
    """Fetch and parse each URL into an Article, or an ItemError for that URL."""
    raise NotImplementedError("fetching is being built (issue 4)")
