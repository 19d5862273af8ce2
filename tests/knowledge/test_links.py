"""`authbot kb links`: URLs with file:line, and --check against a real HTTP server on 127.0.0.1 only."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bot.knowledge.links import find_links
from tests.conftest import run_authbot

# path -> (status for HEAD, status for GET, Location)
ROUTES = {
    "/ok": (200, 200, None),
    "/head-refused": (405, 200, None),  # a server that only answers GET
    "/moved": (301, 301, "/ok"),
    "/gone": (404, 404, None),
    "/login": (401, 401, None),
}


@pytest.fixture
def site() -> Iterator[tuple[str, list[str]]]:
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def _answer(self, method: str) -> None:
            seen.append(f"{method} {self.path}")
            head, get, location = ROUTES.get(self.path, (404, 404, None))
            self.send_response(head if method == "HEAD" else get)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def do_HEAD(self) -> None:  # noqa: N802 (http.server's naming)
            self._answer("HEAD")

        def do_GET(self) -> None:  # noqa: N802
            self._answer("GET")

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", seen
    finally:
        server.shutdown()
        server.server_close()


def _knowledge(tmp_path: Path, base: str) -> Path:
    folder = tmp_path / "kb"
    folder.mkdir()
    (folder / "a.yaml").write_text(
        f"links:\n  - url: {base}/ok#anchor\n  - url: '{base}/moved'\nexample: curl {base}/gone, then {base}/login\n"
    )
    (folder / "b.yaml").write_text(f"source: [{base}/head-refused]\nurl: {base}/v2/customer/<organization_id>/token\n")
    return folder


def test_every_url_is_listed_with_file_and_line(tmp_path: Path) -> None:
    folder = _knowledge(tmp_path, "http://127.0.0.1:9")
    listed = [f"{s.file}:{s.line}: {s.url}" for s in find_links(folder)]
    assert listed == [
        "a.yaml:2: http://127.0.0.1:9/ok#anchor",
        "a.yaml:3: http://127.0.0.1:9/moved",
        "a.yaml:4: http://127.0.0.1:9/gone",
        "a.yaml:4: http://127.0.0.1:9/login",
        "b.yaml:1: http://127.0.0.1:9/head-refused",
    ]  # the URL template with <organization_id> is not a page


def test_shipped_knowledge_lists_its_links() -> None:
    result = run_authbot("kb", "links")
    assert result.returncode == 0
    assert "pkce-code-exchange.yaml:" in result.stdout
    assert "agent-authorization/" not in result.stdout  # the dead page the audit found is gone


def test_check_reports_dead_and_redirected_links_without_following(tmp_path: Path, site) -> None:
    base, seen = site
    result = run_authbot("kb", "links", "--check", "--timeout", "2", "--concurrency", "2", str(_knowledge(tmp_path, base)))
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    assert f"a.yaml:3: redirected (301 -> /ok) {base}/moved" in out
    assert f"a.yaml:4: dead (404) {base}/gone" in out
    assert f"a.yaml:4: refused (401) {base}/login" in out
    assert f"{base}/ok#anchor" not in out and "head-refused" not in out  # answered 200, nothing to fix
    assert "5 URL(s) checked, 2 dead or redirected" in out
    assert "GET /ok" not in seen  # HEAD was enough, and the redirect to /ok was not followed
    assert "HEAD /head-refused" in seen and "GET /head-refused" in seen


def test_check_reports_a_host_that_does_not_answer(tmp_path: Path) -> None:
    folder = tmp_path / "kb"
    folder.mkdir()
    with ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler) as closed:
        port = closed.server_address[1]
    (folder / "a.yaml").write_text(f"url: http://127.0.0.1:{port}/nothing\n")
    result = run_authbot("kb", "links", "--check", "--timeout", "1", str(folder))
    assert result.returncode == 1
    assert f"a.yaml:1: dead (no answer -> ConnectError) http://127.0.0.1:{port}/nothing" in result.stdout
