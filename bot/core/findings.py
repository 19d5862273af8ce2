"""Step 2b: findings — concrete problems in the user's own request, stated before any generic step.

Each rule looks at the redacted text, its signals and the credentials found, and says what is wrong
with *this* request. Every claim is one the FAQ or ../shared/research/livechat-auth.md makes.
A rule that fires also adds `finding.<id>` to the signals so entries can weigh it.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from urllib.parse import urlsplit

from bot.core.diagnosis import Credential, CredentialKind, Finding, Signals
from bot.core.signals import mentions_pat, query_params

Rule = Callable[[str, Signals, list[Credential]], str | None]

_AGENT_TOKEN_WORDS = re.compile(
    r"agent[\s_-]*(?:access[\s_-]*)?token|same token|token i use (?:for|with|everywhere)|"
    r"token (?:that|which) works (?:for|with) (?:the )?(?:agent|config)"
    r"|works? (?:for|with) (?:the )?(?:agent|configuration)",
    re.I,
)
_REUSE_WORDS = re.compile(r"second time|twice|again|same code|re-?us|both times|more than once|already used", re.I)
_STALE_WORDS = re.compile(
    r"(?:an? |\d+ )?hours? ago|(?:\d{2,}|several|many|few|10|15|20|30) minutes? ago|yesterday|old code|expired code|"
    r"code (?:has )?expired|(?:next|the following) day|after a while",
    re.I,
)
_BOT_TOKEN = re.compile(r"issue_bot_token|\bbot(?:'s)?[\s_-]+(?:access[\s_-]+)?token", re.I)
# Said of a bot token: kept with no expiry, or in use for a day or more.
_KEPT_A_DAY = re.compile(
    r"\b(?:no|without(?: an?)?)\s+(?:ttl|expir\w*)\b|\bforever\b|\bnever (?:refresh|renew|re-?issu)\w*"
    r"|\byesterday\b|\b(?:two|three|several|\d+) days\b|\bonce a day\b|\b24\s*h(?:ours?|rs?)?\b"
    r"|\b(?:next|following) day\b|\bafter (?:a|one) day\b",
    re.I,
)
_WEB_APP = re.compile(
    r"\b(?:web app|javascript app|js app|spa|single[- ]page|frontend app|browser app|web client)\b", re.I
)
_SERVER_APP = re.compile(r"\bserver[- ]side\b|\bbackend app\b", re.I)


def _has(signals: Signals, *ids: str) -> bool:
    return all(i in signals.ids for i in ids)


def pat_as_bearer(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    pat_sent_as_bearer = any(c.kind is CredentialKind.pat and c.scheme == "bearer" for c in credentials)
    pat_with_bearer_header = _has(signals, "scheme.bearer") and mentions_pat(text) and "scheme.basic" not in signals.ids
    if pat_sent_as_bearer or pat_with_bearer_header:
        return (
            "Your request sends a Personal Access Token with the Bearer scheme. PATs use the Basic scheme: "
            "`Authorization: Basic <base64 of account_id:PAT>`."
        )
    return None


# `f"Basic {PAT}"`, `'Basic ' + pat`, `"Basic " . $token`: the header built from the variable holding the PAT;
# `Basic <PAT>`, `Basic $LIVECHAT_PAT`, `Basic {{personal_access_token}}`: written with a placeholder for it.
# (`Basic <base64 of account_id:PAT>` names the encoding first, so it is not this.)
_BASIC_FROM_VARIABLE = re.compile(
    r"basic\s*(?:\{|\$\{|[\"'`]\s*(?:\+|\.|,)\s*\$?)\s*(?:[a-z_]+\.){0,2}(?:pat|personal_access_token|lc_pat|livechat_pat)\b"
    r"|basic\s+(?:<|\$\{?|\{\{?|\[|%)\s*(?:(?:your|my|the|livechat|lc)[_ \-])?(?:pat|personal[_ \-]access[_ \-]token)"
    r"\s*(?:>|}}?|]|%)?(?![\w:(\-])",  # not a redaction marker: "[pat-basic …"
    re.I,
)


def raw_pat_in_basic(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    raw_pat = (CredentialKind.pat, "basic", None, "header")
    if any((c.kind, c.scheme, c.account_id, c.source) == raw_pat for c in credentials) or _BASIC_FROM_VARIABLE.search(
        text
    ):
        return (
            "Your Basic header carries the PAT itself. The Basic value must be the base64 encoding of "
            "`<account_id>:<PAT>` (your Account ID is shown in the Developer Console when you create the token)."
        )
    if any(
        c.kind is CredentialKind.basic_other and c.source == "header" and not _decodes_with_newline(c)
        for c in credentials
    ):  # a value that is right but for echo's newline gets the newline finding instead
        return (
            "Your Basic value does not decode to `<account_id>:<PAT>`. Encode `account_id:PAT` with base64 "
            "and send `Authorization: Basic <that value>`."
        )
    return None


# `echo "id:pat" | base64` encodes echo's closing newline too; `echo -n` and `printf '%s'` don't add one.
_ECHO_INTO_BASE64 = re.compile(r"\becho\s+(?!-[a-z]*n\b)[^|\n]*:[^|\n]*\|\s*base64\b", re.I)


def _decodes_with_newline(credential: Credential) -> bool:
    try:
        decoded = base64.b64decode(credential.raw + "=" * (-len(credential.raw) % 4), validate=True)
    except (binascii.Error, ValueError):
        return False
    return b":" in decoded and decoded.endswith(b"\n")


def basic_value_with_newline(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    basic_values = [c for c in credentials if c.scheme == "basic" or c.kind is CredentialKind.pat_basic]
    if _ECHO_INTO_BASE64.search(text) or any(_decodes_with_newline(c) for c in basic_values):
        return (
            "Your Basic value encodes a trailing newline: `echo` ends its output with one, so the server reads "
            "`<account_id>:<PAT>` plus a line break and rejects it. Encode without it: "
            "`printf '%s' '<account_id>:<PAT>' | base64` (or `echo -n`)."
        )
    return None


# "email:pat", `${LC_EMAIL}:${process.env.LC_PAT}`: the pair as code writes it, names in any case
_EMAIL_PAT_IN_CODE = re.compile(
    r"(?<![a-z])(?:e-?mail|login)(?![a-z])\W{0,8}:\W{0,8}(?:[\w.]{0,24}?[._])?(?:pat|personal|token)", re.I
)


# An email address as the Basic username: a tool's form ("Username: a@b.c") or a client library's pair.
_EMAIL_AS_USERNAME = re.compile(
    r"\b(?:user(?:name)?|login)\W{0,4}[:=]\W{0,4}[\w.+-]+@[\w-]+\.[\w.]+"
    r"|BasicAuth\(\s*[\"'][\w.+-]+@|\bauth\s*=\s*\(\s*[\"'][\w.+-]+@",
    re.I,
)


def legacy_email_basic(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    basic = "scheme.basic" in signals.ids or "base64" in text.lower() or "basicauth" in text.lower()
    built_from_email = basic and (_EMAIL_PAT_IN_CODE.search(text) or _EMAIL_AS_USERNAME.search(text))
    if any(c.kind is CredentialKind.legacy_basic for c in credentials) or built_from_email:
        return (
            "Your Basic value is `email:PAT`. That username form is only for the deprecated Configuration API "
            "v2; current APIs take your Account ID as the username."
        )
    return None


def pat_on_customer_api(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    pat = mentions_pat(text) or any(c.kind in {CredentialKind.pat, CredentialKind.pat_basic} for c in credentials)
    if pat and _has(signals, "api.customer-chat"):
        return (
            "You use a Personal Access Token with the Customer Chat API. PATs don't work there: the Customer "
            "Chat API needs a customer access token."
        )
    return None


# "like there is for agent tokens", "as long as agent tokens", "unlike the agent token": named to compare, not used.
_COMPARISON = re.compile(r"\b(?:like|unlike|than|as|similar to|compared to|versus|vs\.?)\b[^.?!\n]{0,20}$", re.I)


def _uses_agent_token(text: str) -> bool:
    return any(
        not _COMPARISON.search(text[max(0, m.start() - 40) : m.start()]) for m in _AGENT_TOKEN_WORDS.finditer(text)
    )


def agent_token_on_customer_api(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    if _has(signals, "api.customer-chat") and _uses_agent_token(text) and not mentions_pat(text):
        return (
            "You call the Customer Chat API with an agent token. The Customer Chat API needs a different token: "
            "the access token of a customer."
        )
    return None


def token_percent_encoded(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    encoded = any(c.percent_encoded for c in credentials if c.kind is not CredentialKind.authorization_code)
    if encoded or re.search(r"%3a", text, re.I) and re.search(r"token", text, re.I):
        return "Your token contains `%3A` — that is a URL-encoded colon. Replace it with `:`."
    return None


def code_percent_encoded(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    if any(c.percent_encoded and c.kind is CredentialKind.authorization_code for c in credentials):
        return "Your authorization code contains `%3A`. Replace it with `:` (a colon) before exchanging it."
    return None


def _unauthorized_client(signals: Signals) -> bool:
    return "oauth.unauthorized_client" in signals.ids or "error.unauthorized_client" in signals.ids


def code_reused(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    if _unauthorized_client(signals) and _REUSE_WORDS.search(text):
        return "You exchange the same code more than once. A code can be exchanged for a token only once."
    return None


def code_expired(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    if _unauthorized_client(signals) and _STALE_WORDS.search(text):
        return "Your code is older than a few minutes. A code is only valid for a few minutes after it is created."
    return None


_SAME_CUSTOMER = re.compile(
    r"again|every time|each time|new customer|different entity|expire|renew|refresh|existing|already|same customer"
    r"|old (?:one|customer|token)|stops? working|ran out|8 ?h",
    re.I,
)


def customer_token_without_entity_id(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    agent_token_grant = _has(signals, "endpoint.customer-token") and "agent_token" in text
    if agent_token_grant and "entity_id" not in text and _SAME_CUSTOMER.search(text):
        return (
            "Your customer token request has no `entity_id`, so every call creates a new customer. Add the "
            "`entity_id` returned when you created the customer to get a new token for that same customer."
        )
    return None


def _response_type(text: str) -> str | None:
    """The response_type the user sends: a URL/form parameter, `response_type: x`, or "response_type I put code"."""
    for pattern in (r"response_type\s*[=:]\s*[\"'`]?([a-z_]+)", r"response_type\b.{0,20}?\b(code|token)\b"):
        if match := re.search(pattern, text, re.I):
            return query_params(text).get("response_type") or match.group(1).lower()
    return query_params(text).get("response_type")


def response_type_invalid(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    value = _response_type(text)
    if value and value.lower() not in {"code", "token"}:
        return f"You send `response_type={value}`. Only `code` (server-side apps) and `token` (web apps) are supported."
    return None


# The grants LiveChat's token endpoints take (/v2/token; the customer ones on /v2/customer/token), and the
# ones other findings and entries answer (client_credentials is disabled: unsupported-grant-type says so).
_KNOWN_GRANTS = frozenset(
    {"authorization_code", "refresh_token", "cookie", "agent_token", "identity_token", "client_credentials",
     "password", "implicit"}
)
# The value sent: quoted after a colon (JSON, a dict), or after "=" in a form or query; an unquoted name after
# a colon is a variable or a type (`grant_type: grantType`, `grant_type: string`).
_GRANT_TYPE = re.compile(r"grant_type[\"'`]?\s*(?::\s*[\"'`]|=\s*[\"'`]?)([A-Za-z_\-]+)")


def grant_type_invalid(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    """A grant_type no LiveChat token endpoint knows ("authorisation_code", "auth_code")."""
    for match in _GRANT_TYPE.finditer(text):
        value = match.group(1)
        if value.lower() not in _KNOWN_GRANTS | {"grant_type"} and not value.isupper():  # not a placeholder like GRANT
            return (
                f"You send `grant_type={value}`, which the token endpoint doesn't know. /v2/token takes "
                "`authorization_code` or `refresh_token` (customer tokens: `cookie`, `agent_token`, `identity_token`)."
            )
    return None


def refresh_token_from_implicit_grant(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    implicit = _response_type(text) == "token" or re.search(r"implicit (?:grant|flow)", text, re.I)
    if implicit and re.search(r"refresh[_ ]token", text, re.I):
        return (
            "You use the implicit grant (`response_type=token`), which issues no refresh token. Refresh tokens "
            "come only from the authorization code grant (`response_type=code`)."
        )
    return None


def response_type_mismatch(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    response_type = _response_type(text)
    if response_type == "code" and _WEB_APP.search(text) and not _SERVER_APP.search(text):
        return "You send `response_type=code` from a web app. Web apps use `token`; `code` is for server-side apps."
    if response_type == "token" and _SERVER_APP.search(text) and not _WEB_APP.search(text):
        return "You send `response_type=token` from a server-side app. Server-side apps use `code`."
    return None


def _without_query(url: str) -> str:
    return re.split(r"[?#]", url, maxsplit=1)[0]


def shown_url(url: str) -> str:
    """A URL as a finding quotes it: query and fragment values masked (`?code=…&state=…`), since they
    hold codes, tokens and session ids more often than anything worth repeating."""
    start = re.search(r"[?#]", url)
    if start is None:
        return url
    return url[: start.end()] + re.sub(r"=[^&#]*", "=…", url[start.end() :])


def redirect_uri_mismatch(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    requested = query_params(text).get("redirect_uri")
    if not requested:
        return None
    others = {u.rstrip(".,)") for u in re.findall(r"https?://[^\s\"'`<>]+", text)} - {requested}
    for other in sorted(others):
        if "accounts.livechat" in other or "%2F" in other:
            continue
        shown_requested, shown_other = shown_url(requested), shown_url(other)
        if _without_query(other).rstrip("/") == _without_query(requested).rstrip("/") and (
            _without_query(other) != _without_query(requested)
        ):
            return (
                f"The `redirect_uri` you send ({shown_requested}) and the one you mention ({shown_other}) differ by "
                "the trailing slash. It must match the URI in the Developer Console, including the slash at the end."
            )
        try:
            a, b = urlsplit(other), urlsplit(requested)
        except ValueError:  # a broken host ("[" without "]"): nothing to compare
            continue
        if a.hostname and a.hostname == b.hostname and (a.scheme != b.scheme or a.port != b.port):
            return (
                f"The `redirect_uri` you send ({shown_requested}) differs from {shown_other} in its scheme or port. "
                "Scheme and host (with port) must match the configured redirect URI exactly."
            )
    return None


MAX_JSON_DEPTH = 64  # json.loads recurses once per level: `[[[[…` a thousand deep raised RecursionError


def _nesting_depth(payload: str) -> int:
    """The deepest bracket nesting outside strings, counted without recursion."""
    depth = deepest = 0
    in_string = escaped = False
    for char in payload:
        if in_string:
            escaped, in_string = (False, True) if escaped else (char == "\\", char != '"')
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def body_not_json(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    for body in re.findall(r"(?:-d|--data(?:-raw)?)\s+([\"'])(.*?)(?:\1(?:\s|$)|$)", text, re.S):
        payload = body[1].strip()
        if not payload.startswith(("{", "[")):
            continue
        if _nesting_depth(payload) > MAX_JSON_DEPTH:
            return f"Your request body nests brackets more than {MAX_JSON_DEPTH} deep, so it is not the JSON you meant."
        try:
            json.loads(payload)
        except json.JSONDecodeError as error:
            return f"Your request body is not valid JSON ({error.msg} at character {error.pos}). Send a JSON body."
    form_body = re.search(r"form[- ]?data|x-www-form-urlencoded|form[- ]encoded", text, re.I)
    if form_body and "error.invalid_message" in signals.ids:
        return "You send the body as form data. The API expects a JSON body (`Content-Type: application/json`)."
    return None


def agent_token_grant_without_bearer(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    agent_token_grant = _has(signals, "endpoint.customer-token") and "agent_token" in text
    if agent_token_grant and not re.search(r"authorization[\"']?\s*[:=]\s*[\"'`]?bearer\s+\S", text, re.I):
        return (
            "Your `agent_token` request to /v2/customer/token sends no `Authorization: Bearer` header. It needs "
            "`Authorization: Bearer <agent access token>` (a token with `customers:own`, from any agent flow "
            "except PATs)."
        )
    return None


def customer_api_without_organization_id(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    # the API's host (api.livechatinc.com …), not the chat window's own pages (secure.livechatinc.com/customer/…)
    for url in re.findall(r"(?:https?|wss?)://api\.[^\s\"'`<>]+/customer/(?:action/|rtm/ws)[^\s\"'`<>]*", text):
        version = re.search(r"/v(\d+)\.(\d+)/", url)
        modern = version is not None and (int(version.group(1)), int(version.group(2))) >= (3, 4)
        if "license_id" in url and modern:
            return (
                "Your Customer Chat API URL sends `license_id`, but from v3.4 on the Customer Chat API (Web and "
                "RTM) takes `organization_id` in the query string instead."
            )
        if "organization_id" not in url and "license_id" not in url:
            return (
                "Your Customer Chat API URL has no `organization_id` query parameter; every Customer Chat API "
                "request, and the RTM connection, needs it."
            )
    return None


def bot_token_kept_too_long(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    """A bot token issued once and reused past its 24 hours: the pasted "Invalid access token" is the symptom."""
    if _BOT_TOKEN.search(text) and _KEPT_A_DAY.search(text) and not re.search(r"\bhow long\b", text, re.I):
        return (
            "Your bot token looks older than a day: tokens from issue_bot_token are valid for 24 hours and "
            "can't be refreshed. Issue a new one before the old one expires."
        )
    return None


_LATER = re.compile(
    r"\b(?:overnight|by (?:the )?(?:evening|night|next morning)|in the morning|after (?:\d+|a few) hours)\b", re.I
)


def customer_token_expired(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    """A customer token rejected long after it was issued: it ran out, and the customer need not be new."""
    rejected = bool(signals.ids & {"error.invalid_access_token", "status.401", "rtm.access_token_expired"})
    if rejected and "credential.customer-token-mentioned" in signals.ids and (
        _STALE_WORDS.search(text) or _LATER.search(text)
    ):
        return (
            "Your customer token looks older than its lifetime (28800 seconds by default). Get a new token for "
            "the same customer with its entity_id instead of creating a new customer."
        )
    return None


def scheme_inside_token(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    if re.search(r"\b(Bearer|Basic)\s+(Bearer|Basic)\b", text, re.I):
        return "Your header repeats the scheme (e.g. `Bearer Bearer …`). Put the scheme once, then the token."
    return None


_UUID = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
# `license="0f3c…-…"`, `KEY_LICENCE_NUMBER, "0f3c…"`, `LiveChat.licenseId = "0f3c…"`: a UUID where a license
# number goes; `organizationId: 11223344`, `organization_id=11223344`: a number where a UUID goes.
_LICENSE_HOLDS_UUID = re.compile(rf"licen[cs]e(?:_?id|_?number)?\W{{0,6}}{_UUID}", re.IGNORECASE)
_ORGANIZATION_HOLDS_NUMBER = re.compile(r"organi[sz]ation_?id\W{0,6}\d{5,10}(?![\w-])", re.IGNORECASE)


def license_holds_organization_id(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    if _LICENSE_HOLDS_UUID.search(text):
        return (
            "Your license value is a UUID, the shape of an organization ID. The chat widget packages and the "
            "mobile chat windows take the license number (digits, e.g. 12345678) there."
        )
    return None


def organization_id_holds_license(text: str, signals: Signals, credentials: list[Credential]) -> str | None:
    if _ORGANIZATION_HOLDS_NUMBER.search(text):
        return (
            "Your organization ID is a plain number, the shape of a license number. Organization IDs are UUIDs "
            "(e.g. from the /v2/customer/token or /v2/info response)."
        )
    return None


RULES: dict[str, Rule] = {
    "pat-as-bearer": pat_as_bearer,
    "pat-not-base64": raw_pat_in_basic,
    "basic-newline": basic_value_with_newline,
    "legacy-email-basic": legacy_email_basic,
    "pat-on-customer-api": pat_on_customer_api,
    "agent-token-on-customer-api": agent_token_on_customer_api,
    "token-percent-encoded": token_percent_encoded,
    "code-percent-encoded": code_percent_encoded,
    "code-reused": code_reused,
    "code-expired": code_expired,
    "customer-token-without-entity-id": customer_token_without_entity_id,
    "response-type-invalid": response_type_invalid,
    "grant-type-invalid": grant_type_invalid,
    "response-type-mismatch": response_type_mismatch,
    "refresh-token-with-implicit-grant": refresh_token_from_implicit_grant,
    "redirect-uri-mismatch": redirect_uri_mismatch,
    "body-not-json": body_not_json,
    "agent-token-grant-without-bearer": agent_token_grant_without_bearer,
    "customer-api-without-organization-id": customer_api_without_organization_id,
    "scheme-repeated": scheme_inside_token,
    "bot-token-expired": bot_token_kept_too_long,
    "customer-token-expired": customer_token_expired,
    "license-holds-organization-id": license_holds_organization_id,
    "organization-id-holds-license": organization_id_holds_license,
}


def find_problems(text: str, signals: Signals, credentials: list[Credential]) -> list[Finding]:
    """Run every rule; record `finding.<id>` in `signals` for those that fire."""
    findings = []
    for finding_id, rule in RULES.items():
        message = rule(text, signals, credentials)
        if message:
            findings.append(Finding(finding_id, message))
            signals.ids.add(f"finding.{finding_id}")
    return findings
