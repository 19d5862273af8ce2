"""The two guards around every request that carries a token.

1. The host guard: a token is only ever sent to a host on `settings.livechat_allowed_hosts`, over HTTPS
   (plain HTTP only to a loopback address, which is what the tests use). It runs before the request is
   built into a connection, as an httpx request hook, so no code path can skip it.
2. The sanitizing wrapper: httpx exceptions carry the request (headers included) and their messages
   carry the URL (and its query, e.g. `?code=<token>`). We replace them with `LiveCheckError`, whose
   message has only the method, host and path, and which is raised OUTSIDE the `except` block so it
   has neither `__cause__` nor `__context__` pointing back at the original.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

import httpx

from bot.core.redact import redact_text

_LOOPBACK_NAMES = frozenset({"localhost"})


class LiveCheckError(Exception):
    """An HTTP failure, described without headers, query strings or tokens."""

    def __init__(self, message: str, *, kind: str = "error") -> None:
        super().__init__(message)
        self.kind = kind


class DisallowedHostError(LiveCheckError):
    """A request to a host that is not on the allow-list (or not over HTTPS)."""

    def __init__(self, host: str, reason: str) -> None:
        super().__init__(f"refused to contact {host or '(no host)'}: {reason}", kind="disallowed-host")
        self.host = host


def is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


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


async def safe_send(client: httpx.AsyncClient, request: httpx.Request, secrets: Iterable[str] = ()) -> httpx.Response:
    """`client.send(request)`, with httpx errors replaced by a sanitized `LiveCheckError`."""
    failure: LiveCheckError | None = None
    try:
        return await client.send(request)
    except LiveCheckError as error:  # raised by our own request hook: already safe, but drop its context
        failure = LiveCheckError(str(error), kind=error.kind)
        if isinstance(error, DisallowedHostError):
            failure = DisallowedHostError(error.host, str(error).split(": ", 1)[-1])
    except httpx.HTTPError as error:
        failure = sanitize(error, secrets)
    # Raised here, outside the except blocks, so the original exception is not chained as __context__.
    raise failure
