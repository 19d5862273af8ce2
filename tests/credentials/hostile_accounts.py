"""A HOSTILE accounts server on 127.0.0.1: what the live check must survive if the host (or a proxy, or a
test double someone points LIVECHAT_ACCOUNTS_URL at) misbehaves.

Real HTTP over a real socket, no mocks of httpx. The scenario is chosen by the token in the Authorization
header, as in fake_accounts.py:

- TRICKLE: a 200 whose body arrives one byte every 0.3 s. Each read finishes well inside httpx's read
  timeout, so only an overall deadline stops it.
- HUGE / HUGE_DECLARED: a valid JSON 200 of tens of megabytes (close-delimited, or with an honest
  Content-Length), whose account_id is that big.
- NESTED / NESTED_VALUE: a 200 whose JSON nests 30,000 levels deep (under the size cap), at the top or
  inside a field.
- EXPIRES_*: a valid agent 200 whose `expires_in` is NaN, Infinity, 1e400, negative, a string or huge.
- ECHO: a 200 that echoes the token (raw and percent-encoded) in account_id, scope, organization_id and
  entity_id, and a secret-looking client_id.
- GZIP_BOMB: a 200 sent with `Content-Encoding: gzip` although we asked for `identity`.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler

from tests.credentials.fake_accounts import ACCOUNT_ID, CLIENT_ID, ORGANIZATION_ID, Seen, serve_with

TRICKLE = "dal:FAKE_hostile_trickle_0000101"
HUGE = "dal:FAKE_hostile_huge_body_000102"
HUGE_DECLARED = "dal:FAKE_hostile_huge_length_0103"
NESTED = "dal:FAKE_hostile_nested_json_0104"
NESTED_VALUE = "dal:FAKE_hostile_nested_value_105"
ECHO = "dal:FAKE_hostile_echo_token_00106"
GZIP_BOMB = "dal:FAKE_hostile_gzip_bomb_00107"

#: token -> the raw JSON text of `expires_in` in an otherwise normal agent 200.
EXPIRES = {
    "dal:FAKE_hostile_expires_nan_0201": "NaN",
    "dal:FAKE_hostile_expires_inf_0202": "Infinity",
    "dal:FAKE_hostile_expires_minf_203": "-Infinity",
    "dal:FAKE_hostile_expires_1e400_204": "1e400",
    "dal:FAKE_hostile_expires_neg_00205": "-5",
    "dal:FAKE_hostile_expires_str_00206": '"28800"',
    "dal:FAKE_hostile_expires_huge_0207": "1" + "0" * 40,
    "dal:FAKE_hostile_expires_big_f_208": "1e300",
}

TRICKLE_INTERVAL = 0.3
TRICKLE_BODY = json.dumps({"account_id": ACCOUNT_ID, "expires_in": 28800, "scope": "chats--all:ro"}).encode()
HUGE_BYTES = 20 * 1024 * 1024
NESTED_DEPTH = 30_000
#: A secret-looking value that is not the token: a client secret's shape (32 random-looking characters).
SECRETISH_CLIENT_ID = "FAKEsecretQ8xk2LmZp7Rt4Vw9Yb3Nc6Hd"


@dataclass
class HostileAccounts:
    host: str
    port: int
    requests: list[Seen] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    bytes_sent: dict[str, int] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"


def _agent_body(expires_in: str = "28800", **fields: object) -> bytes:
    body = {"account_id": ACCOUNT_ID, "client_id": CLIENT_ID, "organization_id": ORGANIZATION_ID,
            "scope": "chats--all:ro", "token_type": "Bearer", **fields}
    text = json.dumps(body)
    return (text[:-1] + f', "expires_in": {expires_in}}}').encode()


def _respond(handler: BaseHTTPRequestHandler, server: HostileAccounts) -> None:
    token = handler.headers.get("Authorization", "").partition(" ")[2]

    def head(status: int, headers: dict[str, str]) -> None:
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.end_headers()

    def send(payload: bytes, **headers: str) -> None:
        head(200, {"Content-Type": "application/json", "Content-Length": str(len(payload)), **headers})
        handler.wfile.write(payload)

    if token == TRICKLE:
        head(200, {"Content-Type": "application/json", "Content-Length": str(len(TRICKLE_BODY))})
        for byte in TRICKLE_BODY:
            handler.wfile.write(bytes([byte]))
            handler.wfile.flush()
            if server.release.wait(TRICKLE_INTERVAL):
                return None
        return None
    if token in {HUGE, HUGE_DECLARED}:
        prefix, suffix = b'{"account_id": "', b'", "scope": "chats--all:ro"}'
        filler = HUGE_BYTES - len(prefix) - len(suffix)
        headers = {"Content-Type": "application/json"}
        if token == HUGE_DECLARED:
            headers["Content-Length"] = str(HUGE_BYTES)
        head(200, headers)  # without Content-Length the body runs until the connection closes (HTTP/1.0)
        handler.wfile.write(prefix)
        sent = len(prefix)
        chunk = b"a" * 65536
        while filler > 0 and not server.release.is_set():
            piece = chunk[: min(filler, len(chunk))]
            handler.wfile.write(piece)
            sent += len(piece)
            filler -= len(piece)
            server.bytes_sent[token] = sent
        handler.wfile.write(suffix)
        return None
    if token == NESTED:
        return send(b"[" * NESTED_DEPTH + b"]" * NESTED_DEPTH)
    if token == NESTED_VALUE:
        return send(b'{"account_id": ' + b"[" * NESTED_DEPTH + b"]" * NESTED_DEPTH + b"}")
    if token in EXPIRES:
        return send(_agent_body(EXPIRES[token]))
    if token == ECHO:
        encoded = token.replace(":", "%3A")
        return send(_agent_body(
            access_token=token,
            account_id=token,
            organization_id=f"org-{encoded}",
            entity_id=f"{token[::-1]}|{token}",
            client_id=SECRETISH_CLIENT_ID,
            scope=f"chats--all:ro,{token},x" + "y" * 500,
        ))
    if token == GZIP_BOMB:
        # 20 MB of zeros in about 20 KB: a client that decodes whatever it gets would inflate it all.
        payload = gzip.compress(b'{"account_id": "' + b"0" * HUGE_BYTES + b'"}', compresslevel=9)
        return send(payload, **{"Content-Encoding": "gzip"})
    return send(b'{"error": "unauthorized"}')


@contextmanager
def serve_hostile(host: str = "127.0.0.1") -> Iterator[HostileAccounts]:
    # The client is expected to hang up on us: that is the point.
    with serve_with(HostileAccounts, _respond, host) as state:
        yield state
