"""A real HTTP server on 127.0.0.1 that behaves like LiveChat's documented accounts endpoints.

Bodies come from ../shared/research/livechat-auth.md section 3 (the documented /v2/info and
/v2/customer/info responses, the Global Accounts error envelope, the 403 insufficient-scope body).
The status and body for an EXPIRED token are not documented; the `expired` scenario is our stand-in
(a 401 in the accounts envelope whose description says "expired").

Every request's Host header, method and path is recorded so tests can assert where tokens went.
Which scenario a request gets is chosen by the token in its Authorization header.
"""

from __future__ import annotations

import base64
import contextlib
import json
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol, TypeVar

from bot.settings import Settings

ACCOUNT_ID = "bbe8b147-d60e-46ac-a1e5-1e94b11ea6e1"
PAT_ACCOUNT_ID = "b7eff798-f8df-4364-8059-649c35c9ed0c"
ORGANIZATION_ID = "390e44e6-f1e6-0368c-z6ddb-74g14508c2ex"
CLIENT_ID = "9cbf3a968289727cb3cdfe83ab1d9836"
ENTITY_ID = "bf18d1a8-1afe-4a3e-4cc0-a3148f1143db"

# Obviously fake tokens, one per scenario.
AGENT = "dal:FAKE_valid_agent_000000001"
AGENT_CUSTOMERS_OWN = "dal:FAKE_agent_custown_00000002"
EXPIRED = "dal:FAKE_expired_token_00000003"
CUSTOMER = "fra:FAKE_customer_token_0000004"
SCOPE = "dal:FAKE_insufficient_scope_05"
INVALID = "dal:FAKE_invalid_request_00006"
RATE_LIMITED = "dal:FAKE_rate_limited_0000007"
SERVER_ERROR = "dal:FAKE_server_error_00000008"
STALL = "dal:FAKE_stall_token_000000009"
NOT_JSON = "dal:FAKE_not_json_token_000010"
REDIRECT = "dal:FAKE_redirect_token_00011"
PAT = "dal:FAKE_pat_token_0000000012"
BAD_PAT = "dal:FAKE_bad_pat_token_000013"
UNKNOWN = "dal:FAKE_unknown_token_0000014"

STALL_SECONDS = 3.0


def basic(account_id: str, pat: str) -> str:
    return base64.b64encode(f"{account_id}:{pat}".encode()).decode()


UNAUTHORIZED = {"error": "unauthorized", "error_description": "The account is not authorized."}
CUSTOMER_UNAUTHORIZED = {
    "oauth_exception": "invalid_request",
    "exception_description": "The request is missing a required parameter, includes an invalid parameter value, "
    "includes a parameter more than once, or is otherwise malformed.",
}


def agent_info(token: str, scope: str = "chats--all:ro,chats--all:rw") -> dict[str, object]:
    return {
        "access_token": token,
        "account_id": ACCOUNT_ID,
        "client_id": CLIENT_ID,
        "expires_in": 28725,
        "organization_id": ORGANIZATION_ID,
        "scope": scope,
        "token_type": "Bearer",
    }


@dataclass
class Seen:
    host: str
    method: str
    path: str


@dataclass
class FakeAccounts:
    host: str
    port: int
    requests: list[Seen] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def hosts(self) -> set[str]:
        return {seen.host.rsplit(":", 1)[0] for seen in self.requests}


def _respond(handler: BaseHTTPRequestHandler, server: FakeAccounts) -> None:
    path = handler.path.split("?", 1)[0]
    auth = handler.headers.get("Authorization", "")
    scheme, _, value = auth.partition(" ")

    def send(status: int, body: object = None, headers: dict[str, str] | None = None, raw: bytes | None = None) -> None:
        payload = raw if raw is not None else json.dumps(body).encode() if body is not None else b""
        handler.send_response(status)
        handler.send_header("Content-Type", "text/html" if raw is not None else "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        for name, header in (headers or {}).items():
            handler.send_header(name, header)
        handler.end_headers()
        handler.wfile.write(payload)

    if path == "/v2/accounts/me":
        if scheme == "Basic" and value == basic(PAT_ACCOUNT_ID, PAT):
            return send(200, {"account_id": PAT_ACCOUNT_ID, "name": "Fake Agent", "email": "agent@example.com",
                              "default_organization_id": ORGANIZATION_ID})
        return send(401, UNAUTHORIZED)
    if scheme != "Bearer":
        return send(401, UNAUTHORIZED)
    if value == STALL:
        server.release.wait(STALL_SECONDS)
        return send(200, agent_info(value))
    if value == RATE_LIMITED:
        return send(429, {"error": "temporarily_unavailable"}, {"Retry-After": "30"})
    if value == SERVER_ERROR:
        return send(500, {"error": "server_error", "error_description": "The server encountered an unexpected "
                          "condition that prevented it from fulfilling the request."})
    if value == NOT_JSON:
        return send(200, raw=b"<html><body>Maintenance</body></html>")
    if value == REDIRECT:
        return send(302, None, {"Location": "https://evil.example/collect?from=authbot"})
    if value == INVALID:
        return send(422, {"error": "invalid_request", "error_description": "Invalid request."})
    if value == SCOPE:
        return send(403, {"error": "access_denied", "sub_error": "insufficient_scope",
                          "error_description": "The resource owner or authorization server denied the request."})
    if path == "/v2/info":
        if value == AGENT:
            return send(200, agent_info(value))
        if value == AGENT_CUSTOMERS_OWN:
            return send(200, agent_info(value, "chats--all:ro,customers:own"))
        if value == EXPIRED:
            return send(401, {"error": "unauthorized", "error_description": "The access token has expired."})
        return send(401, UNAUTHORIZED)
    if path == "/v2/customer/info":
        if value == CUSTOMER:
            return send(200, {"access_token": value, "client_id": CLIENT_ID, "entity_id": ENTITY_ID,
                              "expires_in": 28800, "organization_id": ORGANIZATION_ID, "token_type": "Bearer"})
        return send(401, CUSTOMER_UNAUTHORIZED)
    return send(404, {"error": "resource_not_found"})


class _Served(Protocol):
    requests: list[Seen]
    release: threading.Event


S = TypeVar("S", bound=_Served)


@contextmanager
def serve_with(
    make_state: Callable[[str, int], S], respond: Callable[[BaseHTTPRequestHandler, S], None], host: str = "127.0.0.1"
) -> Iterator[S]:
    """A real HTTP server on `host` (a free port) answering GETs with `respond`; shared by the fake and the
    hostile accounts servers."""
    holder: list[S] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            state = holder[0]
            state.requests.append(Seen(self.headers.get("Host", ""), "GET", self.path))
            # The client may have given up (a stall, a trickle): then there is nobody to answer.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                respond(self, state)

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # keep request lines (and anything in them) out of test output

    httpd = ThreadingHTTPServer((host, 0), Handler)
    httpd.daemon_threads = True
    state = make_state(host, httpd.server_address[1])
    holder.append(state)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.release.set()  # let a stalled handler finish now instead of after its timeout
        httpd.shutdown()
        httpd.server_close()


@contextmanager
def serve(host: str = "127.0.0.1") -> Iterator[FakeAccounts]:
    with serve_with(FakeAccounts, _respond, host) as state:
        yield state


def make_settings(url: str, *, allowed: list[str] | None = None, timeout: float = 0.5, **extra: object) -> Settings:
    """Settings pointing the live check at `url`, with only 127.0.0.1 allowed unless told otherwise."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        livechat_accounts_url=url,
        livechat_allowed_hosts=allowed if allowed is not None else ["127.0.0.1"],
        http_timeout=timeout,
        **extra,
    )


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connection refused)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
