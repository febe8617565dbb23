"""Shared fixtures: a real HTTP server on 127.0.0.1 that tests fill with pages.

    def test_x(page_server):
        page_server.add("/a.html", Reply(body=b"<html>...</html>"))
        page_server.add("/flaky", lambda request: Reply(status=500) if request.count == 1
                        else Reply(body=b"ok"))
        url = page_server.url("/a.html")

Every request is logged in `page_server.requests` (method, path, headers), so a test can
check what the client sent (conditional requests, User-Agent, robots.txt lookups).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

PAGES = Path(__file__).parent / "pages"


@dataclass
class Reply:
    """What the server answers: status, headers, and a body (bytes or chunks to stream)."""

    status: int = 200
    body: bytes | Callable[[], Iterable[bytes]] = b""
    content_type: str | None = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to wait before answering (a slow server)


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    count: int  # how many times this path has been asked for, this one included


Route = Reply | Callable[[Request], Reply]


class PageServer:
    """A threaded HTTP/1.1 server on a random loopback port, serving registered routes."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,),
                                        daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def add(self, path: str, route: Route) -> str:
        """Serve `route` at `path`; returns the full URL."""
        self.routes[path] = route
        return self.url(path)

    def add_page(self, path: str, filename: str, content_type: str = "text/html; charset=utf-8",
                 **headers: str) -> str:
        """Serve a file from tests/pages at `path`."""
        return self.add(path, Reply(body=(PAGES / filename).read_bytes(),
                                    content_type=content_type, headers=headers))

    def requests_for(self, path: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def _record(self, method: str, path: str, headers: dict[str, str]) -> Request:
        with self._lock:
            count = sum(1 for r in self.requests if r.path == path) + 1
            request = Request(method, path, headers, count)
            self.requests.append(request)
            return request

    def start(self) -> PageServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def _handler_for(server: PageServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            request = server._record("GET", path, {k.lower(): v for k, v in self.headers.items()})
            route = server.routes.get(path)
            if route is None:
                reply = Reply(status=404, body=b"<html><body>Not found</body></html>")
            else:
                reply = route(request) if callable(route) else route
            if reply.delay:
                time.sleep(reply.delay)
            try:
                self._send(reply)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client hung up (timeouts, size limits)

        def _send(self, reply: Reply) -> None:
            self.send_response(reply.status)
            if reply.content_type:
                self.send_header("Content-Type", reply.content_type)
            for key, value in reply.headers.items():
                self.send_header(key, value)
            if callable(reply.body):
                # A streamed body of unknown length ends when the connection closes.
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                for chunk in reply.body():
                    self.wfile.write(chunk)
                return
            if reply.status not in (204, 304):
                self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if reply.status not in (204, 304):
                self.wfile.write(reply.body)

        def log_message(self, format: str, *args: object) -> None:
            pass  # keep test output clean

    return Handler


@pytest.fixture
def page_server() -> Iterable[PageServer]:
    """A fresh loopback HTTP server per test; add routes with `page_server.add`."""
    server = PageServer().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def extractor():
    """One FigureExtractor (model and packs loaded once) for the whole session."""
    from extractor.figures import FigureExtractor

    return FigureExtractor()

# ---------------------------------------------------------------- required suites

# `.ci/run` sets this, so a suite that would skip for want of a tool (the browser tests
# without Chromium) fails the CI run instead of passing it silently.
REQUIRE_ALL_ENV = "NEWSFACTS_REQUIRE_ALL"


def skip_unless_required(reason: str) -> None:
    """Skip the test on a developer's machine; fail it where every suite is required."""
    if os.environ.get(REQUIRE_ALL_ENV):
        pytest.fail(f"{reason} (required: {REQUIRE_ALL_ENV} is set)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _user_cache_in_tmp(tmp_path_factory, monkeypatch) -> None:
    """Fetch caches go to a temporary XDG cache folder, never the tester's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path_factory.mktemp("xdg-cache")))
