"""Live validation of a token against LiveChat's accounts API, with one shared `httpx.AsyncClient`.

Endpoints (research section 3): agent tokens → `GET /v2/info` (Bearer), customer tokens →
`GET /v2/customer/info` (Bearer), PAT credentials → `GET /v2/accounts/me` (Basic). A `<region>:<chars>`
token of unknown type is tried on /v2/info, then /v2/customer/info — and only when the first one says
"not this token" (401/403/422); a 429, a 5xx, a timeout or a redirect stops the check, so we never hammer.

What the research leaves UNCONFIRMED shapes the wording: the exact status and body for an expired token
are not documented, so a 401 lists the likely causes instead of claiming one, unless LiveChat's own
`error_description` says "expired".

The server's reply is treated as untrusted input: the whole check has one deadline (`asyncio.timeout`;
httpx's timeouts bound each read, so a server trickling a byte at a time would otherwise hold it for
minutes), the body is read up to `MAX_BODY_BYTES`, JSON nesting past the recursion limit is a readable
outcome rather than a crash, numbers like NaN or 1e400 are "unknown", and every value shown (ids, scopes)
is checked for echoes of the token and for secret-looking text first.
"""

from __future__ import annotations

import asyncio
import email.utils
import json
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import unquote

import httpx

from bot.core.redact import base64_text, scrub
from bot.credentials.apis import APIS, TYPE_NAMES
from bot.credentials.inspect import Inspection, TokenKind
from bot.credentials.safe_http import DisallowedHostError, LiveCheckError, check_allowed, read_capped, safe_send
from bot.settings import Settings, is_livechat_host

log = logging.getLogger(__name__)

INFO, CUSTOMER_INFO, ACCOUNTS_ME = "/v2/info", "/v2/customer/info", "/v2/accounts/me"
MAX_RETRY_AFTER = 3600.0  # a silly Retry-After should not lock checks for days
#: The documented info bodies are a few hundred bytes; 64 KB is generous and still cheap to hold.
MAX_BODY_BYTES = 64 * 1024
#: Access tokens live 8 hours; anything past a year (or negative, or not a finite number) is nonsense.
MAX_EXPIRES_IN = 366 * 24 * 3600
MAX_SHOWN_CHARS = 100  # one id or scope as shown
MAX_SCOPES = 64


def user_agent() -> str:
    try:
        return f"authbot/{version('authbot')}"
    except PackageNotFoundError:
        return "authbot/0"


class Outcome(StrEnum):
    valid = "valid"
    invalid = "invalid"  # 401: LiveChat does not accept the credential
    insufficient_scope = "insufficient-scope"  # 403
    bad_request = "bad-request"  # 422
    rate_limited = "rate-limited"  # 429, or still inside an earlier Retry-After window
    server_error = "server-error"  # 5xx
    timeout = "timeout"
    unreachable = "unreachable"  # connection refused, DNS failure …
    redirect = "redirect"  # 3xx, not followed
    not_json = "not-json"
    too_large = "too-large"  # the reply passed MAX_BODY_BYTES; we stopped reading
    unreadable = "unreadable"  # JSON nested too deeply, or compressed although we asked for identity
    unexpected = "unexpected"  # any other status or transport error
    refused = "refused"  # the configured host is not allowed: nothing was sent
    not_checkable = "not-checkable"  # refresh tokens, codes, broken Basic values


@dataclass(frozen=True)
class TokenInfo:
    token_type: str  # "agent" / "customer" / "pat"
    account_id: str | None = None
    organization_id: str | None = None
    client_id: str | None = None
    entity_id: str | None = None
    expires_in: int | None = None
    scopes: tuple[str, ...] | None = None  # None: the endpoint does not report scopes
    expires_unknown: bool = False  # the reply had an expires_in we can't use (NaN, 1e400, negative, text …)


@dataclass(frozen=True)
class LiveResult:
    outcome: Outcome
    message: str  # the headline the user sees
    details: tuple[str, ...] = ()  # ids, lifetime, scopes, causes and fixes
    info: TokenInfo | None = None
    tried: tuple[str, ...] = ()  # endpoint paths that were actually requested
    retry_after: float | None = None
    statuses: tuple[int, ...] = field(default=(), repr=False)

    @property
    def valid(self) -> bool:
        return self.outcome is Outcome.valid


@dataclass(frozen=True)
class _Reply:
    """One endpoint's answer, already classified."""

    path: str
    outcome: Outcome
    status: int | None = None
    body: dict[str, Any] | None = None
    retry_after: float | None = None


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), capped."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        seconds = parsed.timestamp() - now
    if math.isnan(seconds):
        return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def format_duration(seconds: float) -> str:
    seconds = max(0, math.ceil(seconds))
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes, _ = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes} min"
    return f"{minutes} min"


class LiveChecker:
    """Owns THE AsyncClient. Build once (per bot or per CLI run); `await aclose()` at the end."""

    def __init__(self, settings: Settings, *, wall_clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        custom = settings.custom_livechat_hosts()
        if settings.livechat_allow_custom_hosts:
            for host in custom:  # said once, when the bot or the CLI starts: the operator chose this
                log.warning(
                    "LIVECHAT_ALLOW_CUSTOM_HOSTS is on: live token checks may send tokens to %s, which is not "
                    "a LiveChat accounts host", host,
                )
        # The floor again, for settings that skipped validation (model_construct, a test, a future caller):
        # without the opt-in, hosts that are neither LiveChat's nor loopback are dropped from the allow-list.
        self.allowed_hosts = tuple(
            h for h in settings.livechat_allowed_hosts
            if settings.livechat_allow_custom_hosts or is_livechat_host(h)
        )
        self._now = wall_clock
        self._blocked_until = 0.0  # from a 429's Retry-After: no request before this (wall clock)
        self.deadline = min(settings.http_timeout, 5.0)
        self.client = httpx.AsyncClient(
            base_url=settings.livechat_accounts_url,
            timeout=httpx.Timeout(self.deadline),
            follow_redirects=False,
            # identity: a compressed reply could inflate far past MAX_BODY_BYTES (see read_capped).
            headers={"User-Agent": user_agent(), "Accept": "application/json", "Accept-Encoding": "identity"},
            # No proxies or .netrc from the environment: the token goes to the allowed host and nowhere else.
            trust_env=False,
            event_hooks={"request": [self._guard]},
        )

    async def _guard(self, request: httpx.Request) -> None:
        check_allowed(request.url, self.allowed_hosts)

    async def aclose(self) -> None:
        await self.client.aclose()

    async def __aenter__(self) -> LiveChecker:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    # -- the public entry point -------------------------------------------------------------------

    async def check(self, inspection: Inspection, api: str | None = None) -> LiveResult:
        """Validate the inspected credential live. Never raises for HTTP trouble; returns a result."""
        if not inspection.checkable:
            return LiveResult(Outcome.not_checkable, NOT_CHECKABLE.get(inspection.kind, NOT_CHECKABLE_DEFAULT))
        try:
            check_allowed(self.client.base_url, self.allowed_hosts)
        except DisallowedHostError as error:
            log.warning("live token check refused: %s", error)
            return LiveResult(Outcome.refused, refused_message(error.host))
        wait = self._blocked_until - self._now()
        if wait > 0:
            return LiveResult(Outcome.rate_limited, holding_off_message(wait), retry_after=wait)
        if inspection.basic_value is not None:
            plan = [(ACCOUNTS_ME, f"Basic {inspection.basic_value}", "pat")]
        else:
            bearer = f"Bearer {inspection.token}"
            plan = [(INFO, bearer, "agent"), (CUSTOMER_INFO, bearer, "customer")]
            if api == "customer-chat":
                plan.reverse()  # they said it's for the customer API: ask the likelier endpoint first
        secrets = _secrets(inspection)
        replies: list[_Reply] = []
        attempted: list[str] = []
        try:
            # One deadline for the whole check, both endpoints included: httpx's timeout bounds each read
            # only, and a server sending one byte every 0.3 s never trips it.
            async with asyncio.timeout(self.deadline):
                for path, authorization, token_type in plan:
                    attempted.append(path)
                    reply = await self._get(path, authorization, secrets)
                    replies.append(reply)
                    if reply.outcome is Outcome.valid:
                        return self._valid(reply, token_type, inspection, api, replies, secrets)
                    if reply.outcome not in {Outcome.invalid, Outcome.insufficient_scope, Outcome.bad_request}:
                        return self._stopped(reply, replies)
        except TimeoutError:
            log.info("live token check stopped at its %g s deadline (%s)", self.deadline, attempted[-1])
            return LiveResult(
                Outcome.timeout, timeout_message(self.settings.http_timeout), tried=tuple(attempted),
                statuses=_statuses(replies),
            )
        return self._rejected(replies, inspection, api)

    # -- one request ------------------------------------------------------------------------------

    async def _get(self, path: str, authorization: str, secrets: tuple[str, ...]) -> _Reply:
        request = self.client.build_request("GET", path, headers={"Authorization": authorization})
        try:
            response = await safe_send(self.client, request, secrets, stream=True)
        except DisallowedHostError as error:
            log.warning("live token check refused: %s", error)
            return _Reply(path, Outcome.refused)
        except LiveCheckError as error:
            log.info("live token check failed: %s", error)  # sanitized: no headers, no query
            outcome = {"timeout": Outcome.timeout, "connect": Outcome.unreachable}.get(error.kind, Outcome.unexpected)
            return _Reply(path, outcome)
        try:
            status = response.status_code
            if 300 <= status < 400:
                return _Reply(path, Outcome.redirect, status)  # its body is of no use: not even read
            body, problem = await self._body(response, secrets)
            if status == 200 and problem is not None:
                return _Reply(path, problem, status)
            if status == 429:
                retry = parse_retry_after(response.headers.get("Retry-After"), self._now())
                self._blocked_until = self._now() + (retry if retry is not None else 60.0)
                return _Reply(path, Outcome.rate_limited, status, body, retry)
            if status >= 500:
                return _Reply(path, Outcome.server_error, status, body)
            if status == 200:
                if body is None:
                    return _Reply(path, Outcome.not_json, status)
                if body.get("error"):  # third-party checkers treat a 200 carrying an error as a failure
                    return _Reply(path, Outcome.invalid, status, body)
                return _Reply(path, Outcome.valid, status, body)
            if status == 401:
                return _Reply(path, Outcome.invalid, status, body)
            if status == 403:
                return _Reply(path, Outcome.insufficient_scope, status, body)
            if status == 422:
                return _Reply(path, Outcome.bad_request, status, body)
            return _Reply(path, Outcome.unexpected, status, body)
        finally:
            await response.aclose()

    async def _body(
        self, response: httpx.Response, secrets: tuple[str, ...]
    ) -> tuple[dict[str, Any] | None, Outcome | None]:
        """The reply's JSON object (or None), and why it could not be read when that matters."""
        try:
            raw = await read_capped(response, MAX_BODY_BYTES, secrets)
        except LiveCheckError as error:
            log.info("live token check: %s", error)
            problem = {
                "too-large": Outcome.too_large, "encoding": Outcome.unreadable, "timeout": Outcome.timeout,
            }.get(error.kind, Outcome.unexpected)
            return None, problem
        return _json_object(raw)

    # -- turning replies into what the user reads ---------------------------------------------------

    def _valid(
        self,
        reply: _Reply,
        token_type: str,
        inspection: Inspection,
        api: str | None,
        replies: list[_Reply],
        secrets: tuple[str, ...],
    ) -> LiveResult:
        body = reply.body or {}
        if token_type == "agent" and body.get("entity_id") and not body.get("account_id"):
            token_type = "customer"  # customer token info carries entity_id, agent info account_id
        expires_in, expires_unknown = _expires_in(body)

        def shown(key: str) -> str | None:
            return _shown(body.get(key), secrets)

        info = TokenInfo(
            token_type=token_type,
            account_id=shown("account_id") or inspection.account_id,
            organization_id=shown("organization_id") or shown("default_organization_id"),
            client_id=shown("client_id"),
            entity_id=shown("entity_id"),
            expires_in=expires_in,
            scopes=_scopes(body.get("scope"), secrets) if token_type != "pat" else None,
            expires_unknown=expires_unknown,
        )
        details = [*describe_info(info), *api_fit(info, api)]
        return LiveResult(
            Outcome.valid, valid_message(info), tuple(details), info,
            tuple(r.path for r in replies), statuses=_statuses(replies),
        )

    def _stopped(self, reply: _Reply, replies: list[_Reply]) -> LiveResult:
        tried = tuple(r.path for r in replies)
        if reply.outcome is Outcome.rate_limited:
            return LiveResult(
                Outcome.rate_limited, rate_limited_message(reply.retry_after), tried=tried,
                retry_after=reply.retry_after, statuses=_statuses(replies),
            )
        message = {
            Outcome.server_error: lambda: server_error_message(reply.status or 500),
            Outcome.timeout: lambda: timeout_message(self.settings.http_timeout),
            Outcome.unreachable: lambda: UNREACHABLE,
            Outcome.redirect: lambda: redirect_message(reply.status or 302),
            Outcome.not_json: lambda: NOT_JSON,
            Outcome.too_large: lambda: TOO_LARGE,
            Outcome.unreadable: lambda: UNREADABLE,
            Outcome.refused: lambda: refused_message(self.client.base_url.host),
        }.get(reply.outcome, lambda: unexpected_message(reply.status))()
        return LiveResult(reply.outcome, message, tried=tried, statuses=_statuses(replies))

    def _rejected(self, replies: list[_Reply], inspection: Inspection, api: str | None) -> LiveResult:
        tried = tuple(r.path for r in replies)
        statuses = _statuses(replies)
        scope_reply = next((r for r in replies if r.outcome is Outcome.insufficient_scope), None)
        if scope_reply is not None and _sub_error(scope_reply) == "insufficient_scope":
            details = _scope_details(api, pat=inspection.basic_value is not None)
            return LiveResult(Outcome.insufficient_scope, INSUFFICIENT_SCOPE, details, tried=tried, statuses=statuses)
        if all(r.outcome is Outcome.bad_request for r in replies):
            return LiveResult(Outcome.bad_request, BAD_REQUEST, BAD_REQUEST_DETAILS, tried=tried, statuses=statuses)
        expired = any("expired" in _description(r).lower() for r in replies)
        if inspection.basic_value is not None:
            return LiveResult(Outcome.invalid, PAT_REJECTED, PAT_REJECTED_DETAILS, tried=tried, statuses=statuses)
        if expired:
            return LiveResult(Outcome.invalid, EXPIRED, EXPIRED_DETAILS, tried=tried, statuses=statuses)
        return LiveResult(Outcome.invalid, TOKEN_REJECTED, TOKEN_REJECTED_DETAILS, tried=tried, statuses=statuses)


# -- helpers that read bodies --------------------------------------------------------------------------


def _json_object(raw: bytes) -> tuple[dict[str, Any] | None, Outcome | None]:
    """(object, None), (None, None) when the body is valid JSON but not an object, or (None, problem)."""
    try:
        data = json.loads(raw)
    except RecursionError:
        # The C parser recurses per nesting level; 64 KB of `[` is 65,536 levels. Python stops it with a
        # RecursionError, which is an answer we can't read, not a crash.
        return None, Outcome.unreadable
    except ValueError:  # includes UnicodeDecodeError and ints of more than 4,300 digits
        return None, Outcome.not_json
    return (data if isinstance(data, dict) else None), None


def _secrets(inspection: Inspection) -> tuple[str, ...]:
    """Everything the reply must not echo: the token, the Basic value, and the PAT inside it."""
    found = [inspection.token, inspection.basic_value or ""]
    if inspection.basic_value:
        decoded = base64_text(inspection.basic_value) or ""
        found.append(decoded.partition(":")[2])
    return tuple(s for s in found if s)


ECHO_PIECE = 10  # a 10-character piece of the token is already too much to show
HIDDEN_ECHO = "[hidden: it repeats your token]"
HIDDEN_SECRET = "[hidden: it looks like a secret]"
# A long run of token characters mixing upper case, lower case and digits: the shape of an access token,
# a PAT or a client secret. LiveChat's ids (UUIDs, 32-hex client ids) are lower case, so they pass.
_TOKEN_RUN = re.compile(r"[A-Za-z0-9_\-+/=.~]{20,}")
# UUID-like ids: lower-case letters and digits in 4 to 6 dash-separated groups (account, organization,
# entity ids). The documented sample organization id has non-hex letters, so not only [0-9a-f].
_ID_SHAPE = re.compile(r"[0-9a-z]{4,12}(?:-[0-9a-z]{4,12}){3,5}")


def _echoes(value: str, secrets: tuple[str, ...]) -> bool:
    # Percent-decoded twice: `dal%3A…` and `dal%253A…` are the same token.
    once = unquote(value)
    forms = {value, once, unquote(once)}
    for secret in secrets:
        size = min(ECHO_PIECE, len(secret))
        for start in range(len(secret) - size + 1):
            piece = secret[start : start + size]
            if any(piece in form for form in forms):
                return True
    return False


def _looks_secret(value: str) -> bool:
    for run in _TOKEN_RUN.findall(value):
        if all(re.search(kind, run) for kind in (r"[a-z]", r"[A-Z]", r"[0-9]")):
            return True
    return False


def _shown(value: object, secrets: tuple[str, ...]) -> str | None:
    """A value from the server as we may show it: never the token, nothing secret-looking, short."""
    if not isinstance(value, str) or not value:
        return None
    if _echoes(value, secrets):
        return HIDDEN_ECHO
    if _ID_SHAPE.fullmatch(value):
        return value  # an id, which is what the check is there to show (the docs' sample ids aren't hex)
    # scrub: the redactor's detectors plus the egress check for random-looking runs; _looks_secret on top,
    # so the rule holds whatever those heuristics decide about one value.
    if scrub(value) != value or _looks_secret(value):
        # Hidden whole rather than in the redactor's partial form: nothing a server sends needs a hint.
        return HIDDEN_SECRET
    text = "".join(ch if ch.isprintable() else " " for ch in value).replace("`", "'")
    return text if len(text) <= MAX_SHOWN_CHARS else text[: MAX_SHOWN_CHARS - 1] + "…"


def _expires_in(body: dict[str, Any]) -> tuple[int | None, bool]:
    """(seconds, unknown): a missing expires_in is (None, False); an unusable one (None, True)."""
    value = body.get("expires_in")
    if value is None:
        return None, False
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None, True
    # isfinite before int(): int(nan) raises ValueError, int(inf) OverflowError (json reads 1e400 as inf).
    if isinstance(value, float) and not math.isfinite(value):
        return None, True
    if not 0 <= value <= MAX_EXPIRES_IN:
        return None, True
    return int(value), False


def _scopes(value: object, secrets: tuple[str, ...]) -> tuple[str, ...] | None:
    if isinstance(value, str):
        items: list[object] = [s.strip() for s in value.split(",")]
    elif isinstance(value, list):
        items = list(value)
    else:
        return None
    scopes = [shown for item in items[:MAX_SCOPES] if (shown := _shown(item, secrets))]
    return tuple(scopes)


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _statuses(replies: list[_Reply]) -> tuple[int, ...]:
    return tuple(r.status for r in replies if r.status is not None)


def _sub_error(reply: _Reply) -> str | None:
    body = reply.body or {}
    return _str(body.get("sub_error")) or ("insufficient_scope" if body.get("error") == "access_denied" else None)


def _description(reply: _Reply) -> str:
    body = reply.body or {}
    return " ".join(
        str(body.get(k) or "") for k in ("error", "error_description", "oauth_exception", "exception_description")
    )


# -- the texts (exact: tests assert them) ----------------------------------------------------------------

NOT_CHECKABLE_DEFAULT = "I can't check this kind of credential live."
NOT_CHECKABLE: dict[TokenKind, str] = {
    TokenKind.refresh_token: (
        "I can't check a refresh token live: LiveChat doesn't support validating refresh tokens directly."
    ),
    TokenKind.raw_pat: (
        "To check a Personal Access Token I need your Account ID too (it's the Basic username). "
        "Give it and try again."
    ),
    TokenKind.authorization_code: "I don't check authorization codes: exchanging one would use it up.",
    TokenKind.bot_token: "I can't check bot tokens live.",
}
UNREACHABLE = "I couldn't connect to LiveChat's accounts server, so I couldn't check the token. Try again later."
NOT_JSON = (
    "LiveChat's accounts server answered with something that isn't JSON, so I can't tell whether the token is valid."
)
TOO_LARGE = (
    f"LiveChat's accounts server sent a reply larger than {MAX_BODY_BYTES // 1024} KB, so I stopped reading it "
    "and can't tell whether the token is valid."
)
UNREADABLE = (
    "LiveChat's accounts server sent a reply I can't read safely (nested too deeply or encoded in a way I "
    "didn't ask for), so I can't tell whether the token is valid."
)
EXPIRES_UNKNOWN = "Lifetime: unknown (LiveChat's reply had an `expires_in` I can't read)."
INSUFFICIENT_SCOPE = (
    "LiveChat accepted the credential but refused the request for lack of a scope (403 insufficient_scope)."
)
BAD_REQUEST = "LiveChat rejected the request as invalid (HTTP 422 invalid_request): the token is probably malformed."
BAD_REQUEST_DETAILS = (
    "Check that you copied the whole token and nothing else: no quotes, spaces, line breaks or `%3A`.",
)
EXPIRED = "LiveChat says this token has expired."
EXPIRED_DETAILS = (
    "Access tokens last 8 hours (28800 s) by default. Get a new one with your refresh token "
    "(`POST https://accounts.livechat.com/v2/token`, `grant_type=refresh_token`) or authorize again.",
)
TOKEN_REJECTED = "LiveChat did not accept this token, neither as an agent token nor as a customer token."
PAT_REJECTED = "LiveChat did not accept this Personal Access Token (checked with Basic auth on /v2/accounts/me)."


def refused_message(host: str) -> str:
    return f"Live checks are misconfigured: `{host}` isn't an allowed LiveChat host, so I sent nothing."


def holding_off_message(wait: float) -> str:
    return (
        "LiveChat asked me to slow down, so I'm not checking tokens right now. "
        f"Try again in {format_duration(wait)}."
    )


def rate_limited_message(retry_after: float | None) -> str:
    when = f"Try again in {format_duration(retry_after)}." if retry_after is not None else "Try again in a minute."
    return f"LiveChat is rate-limiting token checks (HTTP 429). {when}"


def server_error_message(status: int) -> str:
    return (
        f"LiveChat's accounts server had an error (HTTP {status}). That says nothing about your token; "
        "try again in a few minutes."
    )


def timeout_message(timeout: float) -> str:
    return (
        f"LiveChat's accounts server didn't answer within {timeout:g} seconds, so I couldn't check the token. "
        "Try again later."
    )


def redirect_message(status: int) -> str:
    return (
        f"LiveChat's accounts server answered with a redirect (HTTP {status}). I don't follow redirects with "
        "your token, so it went nowhere else, and I can't tell whether it's valid."
    )


def unexpected_message(status: int | None) -> str:
    if status is None:
        return "Something went wrong while talking to LiveChat, so I couldn't check the token. Try again later."
    return f"LiveChat answered with HTTP {status}, which I don't know how to read, so I can't tell whether it's valid."


def valid_message(info: TokenInfo) -> str:
    kind = {"agent": "an agent access token", "customer": "a customer access token"}.get(
        info.token_type, "a Personal Access Token"
    )
    return f"Valid: LiveChat accepts this as {kind}."


def describe_info(info: TokenInfo) -> list[str]:
    lines = []
    for label, value in (
        ("Account ID", info.account_id),
        ("Organization ID", info.organization_id),
        ("Client ID", info.client_id),
        ("Entity (customer) ID", info.entity_id),
    ):
        if value:
            lines.append(f"{label}: `{value}`")
    if info.expires_unknown:
        lines.append(EXPIRES_UNKNOWN)
    elif info.expires_in is not None:
        if info.expires_in > 0:
            lines.append(f"Expires in {format_duration(info.expires_in)} (expires_in = {info.expires_in} s).")
        else:
            lines.append("It has no lifetime left (expires_in = 0): get a new token.")
    if info.scopes is not None:
        lines.append("Scopes: " + (", ".join(f"`{s}`" for s in info.scopes) if info.scopes else "none"))
    elif info.token_type == "pat":
        lines.append(
            "I can't see a PAT's scopes from here. The Token Debugger in the Developer Console shows them; "
            "a PAT's scopes are fixed when it is created."
        )
    return lines


def api_fit(info: TokenInfo, api: str | None) -> list[str]:
    """Does this token fit the API they said they call? Only sourced statements; otherwise 'can't tell'."""
    if api is None or api not in APIS:
        return []
    target = APIS[api]
    lines: list[str] = []
    if info.token_type not in target.accepts:
        if api == "customer-chat" and info.token_type == "pat":
            lines.append("PATs don't work with the Customer Chat API: it needs a customer access token.")
        elif api == "customer-chat":
            lines.append(
                "This is an agent token, but the Customer Chat API needs a customer access token — a different "
                "one. Get it with the `agent_token` grant (`POST https://accounts.livechat.com/v2/customer/token`)."
            )
        else:
            lines.append(
                f"This is {TYPE_NAMES[info.token_type]}, meant for the Customer Chat API. The {target.name} "
                "takes an agent token or a PAT instead."
            )
    if target.required_scopes and info.scopes is not None and info.token_type == "agent":
        missing = sorted(target.required_scopes - set(info.scopes))
        if missing:
            lines.append(f"This token lacks {', '.join(f'`{s}`' for s in missing)}.")
        else:
            lines.append(f"This token has {', '.join(f'`{s}`' for s in sorted(target.required_scopes))}.")
    if target.scope_note:
        lines.append(target.scope_note)
    elif info.token_type in target.accepts:
        lines.append(
            f"I can't tell which scopes your {target.name} call needs: that depends on the method. "
            "Look the method up in the API reference."
        )
    return lines


def _scope_details(api: str | None, *, pat: bool) -> tuple[str, ...]:
    target = APIS.get(api or "")
    lines = [target.scope_note] if target and target.scope_note else ["I can't tell which scope is missing."]
    if pat:
        lines.append("A PAT's scopes are fixed when it is created: create a new PAT with the scopes you need.")
    return tuple(lines)


TOKEN_REJECTED_DETAILS = (
    "Likely causes:",
    "• It expired: access tokens last 8 hours (28800 s) by default. Use your refresh token "
    "(`POST https://accounts.livechat.com/v2/token`, `grant_type=refresh_token`) or authorize again.",
    "• It was revoked: LiveChat keeps at most 25 access tokens per app and user and revokes the oldest.",
    "• It's a Personal Access Token: PATs go in a Basic header with your Account ID as the username. "
    "Check it again with your Account ID.",
    "• It wasn't copied whole.",
)
PAT_REJECTED_DETAILS = (
    "Check that the Account ID is the one shown in the Developer Console with the token, and that the PAT "
    "was copied whole. PATs use Basic auth, never Bearer.",
    "If it still fails, create a new one: Developer Console → Settings → Authorization → Personal Access Tokens.",
)
