"""The two guards around every request that carries a token.

1. The host guard: a token is only ever sent to a host on `settings.livechat_allowed_hosts`, over HTTPS
   (plain HTTP only to a loopback address, which is what the tests use). It runs before the request is
   built into a connection, as an httpx request hook, so no code path can skip it. The list itself has a
   floor (bot/settings.py): LiveChat's accounts hosts and loopback; others need LIVECHAT_ALLOW_CUSTOM_HOSTS.
2. The sanitizing wrapper: httpx exceptions carry the request (headers included) and their messages
   carry the URL (and its query, e.g. `?code=<token>`). We replace them with `LiveCheckError`, whose
   message has only the method, host and path, and which is raised OUTSIDE the `except` block so it
   has neither `__cause__` nor `__context__` pointing back at the original.
3. The capped body reader: a reply is read as a stream and abandoned past a size limit, so a server
   (or anything answering in its place) cannot make us buffer megabytes. Only uncompressed bodies are
   read: we ask for `identity`, and a compressed reply could inflate a thousandfold past the cap.
"""

from __future__ import annotations

from collections.abc import Iterable

import httpx

from bot.core.redact import redact_text
from bot.settings import is_loopback


class LiveCheckError(Exception):
    """An HTTP failure, described without headers, query strings or tokens."""

    def __init__(self, message: str, *, kind: str = "error") -> None:
        super().__init__(message)
        self.kind = kind


class ResponseTooLarge(LiveCheckError):
    """The reply declared or sent more than the cap; we stopped reading."""

    def __init__(self, limit: int) -> None:
        super().__init__(f"reply larger than {limit} bytes", kind="too-large")


class UnexpectedEncoding(LiveCheckError):
    """The reply came compressed although we asked for `identity`."""

    def __init__(self, encoding: str) -> None:
        # Only a short, printable form of the header: it comes from the server.
        shown = "".join(ch for ch in encoding[:20] if ch.isprintable())
        super().__init__(f"reply in an encoding we did not ask for ({shown})", kind="encoding")


class DisallowedHostError(LiveCheckError):
    """A request to a host that is not on the allow-list (or not over HTTPS)."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(f"refused to contact {host or '(no host)'}: {reason}", kind="disallowed-host")
        self.host = host


def check_allowed(url: httpx.URL, allowed_hosts: Iterable[str]) -> None:
    """Raise `DisallowedHostError` unless `url` may receive a token."""
    host = (url.host or "").lower()
    allowed = {h.strip().lower() for h in allowed_hosts}
    if host not in allowed:
        raise DisallowedHostError(host, "not on the allow-list")
    if url.scheme != "https" and not (url.scheme == "http" and is_loopback(host)):
        raise DisallowedHostError(host, "only HTTPS is allowed (plain HTTP only to loopback)")
    if url.userinfo:
        raise DisallowedHostError(host, "URLs with credentials in them are not allowed")


def safe_location(url: httpx.URL) -> str:
    """`scheme://host[:port]/path` with no user info, query or fragment."""
    port = f":{url.port}" if url.port else ""
    return f"{url.scheme}://{url.host}{port}{url.raw_path.split(b'?', 1)[0].decode('ascii', 'replace')}"


def sanitize(error: httpx.HTTPError, secrets: Iterable[str] = ()) -> LiveCheckError:
    """A `LiveCheckError` describing `error` without anything that could carry a token."""
    try:
        request: httpx.Request | None = error.request
    except RuntimeError:  # httpx raises when the error has no request attached
        request = None
    where = f" during {request.method} {safe_location(request.url)}" if request is not None else ""
    kind = (
        "timeout" if isinstance(error, httpx.TimeoutException)
        else "connect" if isinstance(error, httpx.ConnectError)
        else "error"
    )
    message = f"{type(error).__name__}{where}"
    for secret in secrets:
        if secret:
            message = message.replace(secret, "[secret]")
    return LiveCheckError(redact_text(message), kind=kind)


async def safe_send(
    client: httpx.AsyncClient, request: httpx.Request, secrets: Iterable[str] = (), *, stream: bool = False
) -> httpx.Response:
    """`client.send(request)`, with httpx errors replaced by a sanitized `LiveCheckError`.

    With `stream=True` only the headers are read; read the body with `read_capped` and close the response."""
    failure: LiveCheckError | None = None
    try:
        return await client.send(request, stream=stream)
    except LiveCheckError as error:  # raised by our own request hook: already safe, but drop its context
        failure = LiveCheckError(str(error), kind=error.kind)
        if isinstance(error, DisallowedHostError):
            failure = DisallowedHostError(error.host, str(error).split(": ", 1)[-1])
    except httpx.HTTPError as error:
        failure = sanitize(error, secrets)
    # Raised here, outside the except blocks, so the original exception is not chained as __context__.
    raise failure


async def read_capped(response: httpx.Response, limit: int, secrets: Iterable[str] = ()) -> bytes:
    """The body of a streamed `response`, at most `limit` bytes, else `ResponseTooLarge`.

    A declared Content-Length over the limit is refused before reading anything; a body without one
    (chunked or close-delimited) is read until it passes the limit, then abandoned."""
    encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in {"", "identity"}:
        raise UnexpectedEncoding(encoding)
    declared = response.headers.get("Content-Length", "").strip()
    # Length first: int() of a 5,000-digit header raises ValueError (and any 16 digits are too many).
    if declared.isascii() and declared.isdigit() and (len(declared) > 15 or int(declared) > limit):
        raise ResponseTooLarge(limit)
    failure: LiveCheckError | None = None
    chunks: list[bytes] = []
    size = 0
    try:
        # aiter_raw: no content decoding happens here (see UnexpectedEncoding above).
        async for chunk in response.aiter_raw():
            size += len(chunk)
            if size > limit:
                failure = ResponseTooLarge(limit)
                break
            chunks.append(chunk)
    except httpx.HTTPError as error:
        failure = sanitize(error, secrets)
    if failure is not None:
        raise failure  # outside the except block: no chained httpx exception
    return b"".join(chunks)
