"""Step 2: read signals from the (already redacted) text — statuses, error bodies, OAuth params, scheme, API.

Every signal id belongs to a family listed in `bot.knowledge.schema.SIGNAL_FAMILIES`, so knowledge
entries can name them in their `signals` map.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache
from urllib.parse import parse_qsl, unquote, urlsplit

from bot.core.diagnosis import Credential, CredentialKind, Signals


class _Gated:
    """A pattern that can only match when one of its literal words is in the text: the `in` tests run at C
    speed, while Python's regex engine tries every alternative at every position of a 4,000-character
    paste (a few tenths of a millisecond per pattern). Every alternative of the pattern must contain one
    of `needles`, so skipping the scan never changes what is found."""

    def __init__(self, pattern: str, *needles: str) -> None:
        self.pattern = re.compile(pattern)
        self.needles = needles

    def _possible(self, text: str) -> bool:
        return any(needle in text for needle in self.needles)

    def search(self, text: str) -> re.Match[str] | None:
        return self.pattern.search(text) if self._possible(text) else None

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.pattern.finditer(text) if self._possible(text) else iter(())

OAUTH_CODES = (
    "invalid_request", "unauthorized_client", "access_denied", "unsupported_response_type", "invalid_scope",
    "server_error", "temporarily_unavailable", "unsupported_grant_type", "invalid_grant", "invalid_client",
    "missing_grant", "insufficient_scope", "unauthorized", "identity_lost", "credentials_login_disabled",
)
EXCEPTION_DETAILS = ("client_id_not_found", "redirect_uri_not_set", "invalid_redirect_uri", "too_many_redirects")
RTM_REASONS = (
    "access_token_expired", "access_token_revoked", "agent_logged_out_remotely", "logged_out_remotely",
    "misdirected_connection", "too_many_unauthorized_connections", "role_permissions_changed",
    "connection_timeout",
)
# The FAQ's error sentences, as users paste them (lower-case; matched as substrings).
ERROR_MESSAGES = {
    "invalid access token": "error.invalid_access_token",
    "invalid message": "error.invalid_message",
    "client is not authorized to request a token": "error.unauthorized_client",
    "request is missing a required parameter": "error.invalid_request",
    "otherwise malformed": "error.invalid_request",
    "wrong region": "error.wrong_region",
    "authorization grant type is not supported": "error.unsupported_grant_type",
    "does not support obtaining a token using this method": "error.unsupported_response_type",
    "requested scope is invalid": "error.invalid_scope",
    "resource owner or authorization server denied": "error.access_denied",
    "client is missing granted rights": "error.missing_grant",
    "client authentication failed": "error.invalid_client",
}
PARAMS = (
    "entity_id", "response_type", "client_id", "redirect_uri", "grant_type", "organization_id", "license_id",
    "refresh_token", "code_verifier", "code_challenge", "client_secret", "owner_client_id", "bot_secret", "bot_id",
    "expires_in", "scope", "state", "prompt",
)

# The same codes written as words in prose ("too many redirects", "invalid grant"). Codes that are
# ordinary English when spaced ("invalid request", "access denied", "server error", "access token expired")
# are left out.
_PLAIN_ENGLISH = ("access_token_expired", "access_token_revoked")
SPACED_CODES = {
    code.replace("_", " "): code
    for code in (
        *EXCEPTION_DETAILS, *RTM_REASONS, "unauthorized_client", "invalid_grant", "unsupported_grant_type",
        "unsupported_response_type", "invalid_scope", "invalid_client", "missing_grant", "insufficient_scope",
    )
    if code not in _PLAIN_ENGLISH
}

_STATUS = re.compile(
    r"(?:http/\d(?:\.\d)?\s+|status(?:\s*code)?\s*[:=]?\s*|->\s*|\berror\s+|\b)"
    r"(?P<code>[45]\d\d)\b(?P<reason>\s+(?:unauthorized|forbidden|client error|bad request|unprocessable|too many"
    r"|internal server|misdirected))?",
)
_ERROR_TYPE = re.compile(r"[\"']?type[\"']?\s*[:=]\s*[\"'](?P<type>[a-z_]+)[\"']")
_OAUTH_FIELD = re.compile(
    r"(?P<field>oauth_exception|identity_exception|exception_details|error|sub_error|reason)[\"']?\s*[:=]\s*"
    r"[\"']?(?P<value>[a-z_]+)",
)
# A host written without its scheme but with a path ("api.acme.com/v1/contacts"); not an email's domain.
_BARE_HOST = re.compile(r"(?<![\w.@/:-])((?:[a-z0-9-]+\.)+(?:com|io|net|org|app|dev|co|ai|so|chat))(?=/\w)")
_URL = re.compile(r"(?:https?|wss?)://[^\s\"'`<>)\]]+", re.I)
_SCHEME = _Gated(
    r"authorization[\"']?\s*[:=,]\s*(?:[frb$@]{0,2}[\"'`])?(?P<a>bearer|basic)\b|(?P<b>bearer|basic)\s*[\"']?\s*\+"
    r"|\b(?P<c>bearer|basic)\s+(?:header|auth|scheme|token|authentication|authorization)\b"
    r"|\b(?:header|scheme)\s+[\"'`]?(?P<d>bearer|basic)\b|\b(?:use|using|with|send|sending)\s+[\"'`]?(?P<e>bearer|basic)\b"
    r"|-h\s*[\"']authorization:\s*(?P<f>bearer|basic)|\bauthorization\s+(?P<g>bearer|basic)\b",
    "bearer", "basic",
)
_PAT_WORDS = re.compile(r"\bpats?\b|personal[\s_-]*(?:access[\s_-]*)?tokens?\b")
# ("(not a customer token)" says which token it isn't)
_CUSTOMER_TOKEN_WORDS = re.compile(r"(?<!not a )(?<!\bno )\bcustomer(?:'s)?[\s_-]+(?:access[\s_-]+)?tokens?\b")
# "an agent token", "only agent ones": the token meant is an agent's, whatever customer tokens are named beside it
_AGENT_TOKEN_WORDS = re.compile(
    # (not the redaction's "[agent-access-token …]" label: a pasted token is the credential.* signal's)
    r"(?<!\[)\bagent(?:'s)?[\s_-]+(?:oauth[\s_-]+)?(?:access[\s_-]+)?(?:tokens?|ones)\b"
    r"|\bagent (?:oauth|login|sign[ -]?in)\b"
)
_CONTACT = re.compile(
    r"\b(?:contact|reach|get in touch with|(?:talk|speak|chat)(?: directly)? (?:to|with)|email|e-mail|escalate)\b"
    r".{0,15}"
    r"\b(?:livechat|support|team|devs?|developers?|someone|somebody|human|person|people|anyone|platform|you|us"
    r"|staff|engineers?)\b"
    r"|\bwhere (?:else )?(?:can|do|should|could) (?:i|we) (?:ask|go|get help|turn)\b"
    r"|\b(?:is there|there is) (?:an? |some |any )?(?:email|e-mail|contact|support)\b|\b(?:developer|dev) support\b"
    r"|\b(?:talk|speak|chat) (?:to|with) (?:a )?(?:real )?(?:human|person)\b"
    r"|\bwho (?:do|should|can|could) (?:i|we) (?:escalate|contact|reach|email|write to)\b"
    r"|\b(?:right|correct) contact\b",
)
# What the developer team is asked about: the API, an integration, the docs, tokens. Sales, billing or a
# customer's data ("do we have to contact you to delete it?") are the product's support, not this entry's.
_DEVELOPER_MATTER = re.compile(
    r"\b(?:dev(?:eloper)?s?|apis?|platform|integrations?|marketplace|partners?|faq|docs?|documentation|bot|code"
    r"|sdks?|endpoints?|technical|tokens?|auth\w*|oauth|webhooks?|scripts?)\b"
)
_DOCS_MISTAKE = _Gated(
    # "error" counts only as "an error in the docs": "Error occurred prerendering page" is a build log
    r"\b(?:mistake|typo|wrong|outdated|unclear)\b.{0,40}\b(?:docs?|documentation|faq|page|guide)\b"
    r"|\berrors? (?:in|on) (?:the |your |this )?(?:docs?|documentation|faq|guide)\b"
    r"|\b(?:docs?|documentation|faq|page|guide)\b.{0,80}\b(?:mistake|typo|wrong|outdated|unclear)\b|pull request"
    r"|\b(?:get|have) (?:that|it|this) (?:corrected|fixed in the docs|updated)\b",
    "doc", "faq", "page", "guide", "pull request", "corrected", "updated",
)
_CODE_PARAM = _Gated(r"\bcode=|[\"']code[\"']\s*:|\bexchang\w*\b.{0,30}\bcode\b|\bcode\b.{0,30}\bexchang", "code")
# The grant a request asks for, in a form body, a query, JSON or code: LiveChat's five grants only.
_GRANT = _Gated(
    r"grant_type[\"']?\s*[:=]\s*[\"'`]?(?P<grant>authorization_code|refresh_token|agent_token|cookie|identity_token)\b",
    "grant_type",
)
# "thanks, that fixed it": a closing word, not a question (answered with a friendly note, not an entry)
_THANKS = re.compile(
    r"^\W*(?:(?:many |big )?thanks?(?: you)?|thx|ty|cheers|solved|fixed|works now|that (?:did it|worked|fixed it))\b"
    r"|\b(?:thanks?|thx|ty)\b.{0,60}\b(?:fixed|solved|works|worked|helped|sorted)\b"
    r"|\b(?:fixed|solved|works|worked|helped|sorted)\b.{0,40}\b(?:thanks?|thx|ty)\b"
)

# Patterns above and below run on the lower-cased text without re.I, which is several times faster
# on a 4,000-character paste.
# Which API / endpoint the text talks about, each with the literal words every one of its alternatives
# contains: a paste that lacks them all is not scanned for that name at all.
_API_PARTS = {
    "customer_chat": (
        r"/customer/(?:action|rtm)\b|customer[\s_-]*chat(?:[\s_-]*api)?|customer[\s_-]*(?:web\s+)?api\b"
        r"|customer[\s_-]*sdk|\[customer\]",
        ("customer",),
    ),
    "agent_chat": (r"/agent/(?:action|rtm)\b|agent[\s_-]*chat(?:[\s_-]*api)?|agent[\s_-]*api\b|\[agent\]", ("agent",)),
    "configuration": (
        r"/configuration/action\b|configuration[\s_-]*api|config(?:uration)?\s+api|\[config\]", ("config",)
    ),
    "reports": (r"/reports/|reports[\s_-]*api", ("reports",)),
    # "our help desk is Kayako" is anybody's; HelpDesk, LiveChat's product, is written as one word
    # (not inside someone's hostname: helpdesk.acme-corp.net is a self-hosted help desk)
    "helpdesk": (r"api\.helpdesk\.com|help[_-]?desk(?!\.(?!com\b)[a-z])", ("help",)),
    "customer_accounts": (r"/v2/customer/|customer[\s_-]*accounts[\s_-]*api", ("customer",)),
    "global_accounts": (r"accounts\.livechat(?:inc)?\.com/v2/(?!customer)|global[\s_-]*accounts", ("accounts",)),
    "text": (r"api\.text\.com|text\s+api\b", ("text",)),
}
_ENDPOINT_PARTS = {
    "customer_token": (r"/(?:v2/)?customer/token\b|accounts\.livechat(?:inc)?\.com/customer/?", ("customer",)),
    "token": (r"accounts\.livechat(?:inc)?\.com(?:/v2)?/token\b|/v2/token\b", ("/token",)),
    "info": (r"/v2/(?:customer/)?info\b|accounts\.livechat(?:inc)?\.com/info\b", ("info",)),
    "accounts_me": (r"/v2/accounts/me\b", ("/v2/accounts/me",)),
    "error_page": (r"/ooops\b", ("/ooops",)),
    "authorize": (r"accounts\.livechat(?:inc)?\.com/?\?", ("accounts.livechat",)),
    "rtm": (r"/rtm/ws\b|\brtm\b", ("rtm",)),
}


def _named_patterns(parts: dict[str, tuple[str, tuple[str, ...]]]) -> dict[str, _Gated]:
    # Matched against the lower-cased text: case-insensitive matching costs several times more.
    return {name.replace("_", "-"): _Gated(pattern, *needles) for name, (pattern, needles) in parts.items()}


_API = _named_patterns(_API_PARTS)
_ENDPOINT = _named_patterns(_ENDPOINT_PARTS)
# Every snake_case word we know (OAuth codes, exception details, RTM reasons, parameters) in one pass.
_KNOWN_WORDS = re.compile(
    r"\b(" + "|".join(sorted({*OAUTH_CODES, *EXCEPTION_DETAILS, *RTM_REASONS, *PARAMS}, key=len, reverse=True)) + r")\b"
)


def _names(patterns: dict[str, _Gated], text: str) -> list[str]:
    """The names whose pattern matches anywhere, in the order they first appear in the text."""
    found = [(match.start(), name) for name, pattern in patterns.items() if (match := pattern.search(text))]
    return [name for _, name in sorted(found)]


def _add(signals: Signals, family: str, value: str, bucket: list[str] | list[int] | None = None) -> None:
    signals.ids.add(f"{family}.{value}")
    if bucket is not None and value not in bucket:
        bucket.append(value)  # type: ignore[arg-type]


@lru_cache(maxsize=16)  # the signal step and several finding rules ask for the same text's parameters
def _query_params(text: str) -> tuple[tuple[str, str], ...]:
    params: list[tuple[str, str]] = []
    for url in _URL.findall(text):
        try:
            parts = urlsplit(url)
        except ValueError:  # "[" in the host: a redaction marker where userinfo was, or a broken paste
            continue
        for chunk in (parts.query, parts.fragment):
            params += parse_qsl(chunk, keep_blank_values=True)
    # form bodies (curl -d "a=b&c=d") and bare query strings in logs
    for body in re.findall(r"(?:^|[\s\"'?#])([a-z_]+=[^\s\"'&]*(?:&[a-z_]+=[^\s\"'&]*)+)", text, re.I):
        params += parse_qsl(body, keep_blank_values=True)
    return tuple(params)


def extract_signals(text: str, credentials: list[Credential]) -> Signals:
    """Read every signal from redacted `text`; `credentials` come from the redaction step."""
    signals = Signals()
    lower = text.lower()

    for match in _STATUS.finditer(lower):
        code = int(match.group("code"))
        bare = not match.group(0)[: match.start("code") - match.start()].strip() and not match.group("reason")
        if bare and code not in (401, 403):
            continue  # a bare 404/500 in prose is too often something else
        _add(signals, "status", str(code), signals.statuses)  # type: ignore[arg-type]

    for needle, signal in ERROR_MESSAGES.items():
        if needle in lower:
            signals.ids.add(signal)
            signals.error_messages.append(needle)

    if re.search(r"[\"']?error[\"']?\s*[:=]\s*\{", text, re.I) or "success" in lower:
        for match in _ERROR_TYPE.finditer(lower):
            _add(signals, "error_type", match.group("type").lower(), signals.error_types)

    params = _query_params(text)
    for field, value in [*((m.group("field"), m.group("value")) for m in _OAUTH_FIELD.finditer(lower)), *params]:
        field, value = field.lower(), value.lower()
        if value in EXCEPTION_DETAILS:
            _add(signals, "details", value)
        elif field == "identity_exception":
            _add(signals, "identity", value)
        elif value in OAUTH_CODES and field in {"oauth_exception", "error", "sub_error"}:
            _add(signals, "oauth", value, signals.oauth_errors)
        elif value in RTM_REASONS:
            _add(signals, "rtm", value)
    known_words = set(_KNOWN_WORDS.findall(lower)) if "_" in lower else set()
    known_words.update(code for phrase, code in SPACED_CODES.items() if phrase in lower)
    for code in OAUTH_CODES:
        if "_" in code and code in known_words:
            _add(signals, "oauth", code, signals.oauth_errors)
    for detail in EXCEPTION_DETAILS:
        if detail in known_words:
            _add(signals, "details", detail)
    for reason in RTM_REASONS:
        if reason in known_words:
            _add(signals, "rtm", reason)

    for name in _names(_API, lower):
        _add(signals, "api", name, signals.apis)
    for name in _names(_ENDPOINT, lower):
        _add(signals, "endpoint", name, signals.endpoints)
    for host in [*re.findall(r"(?:https?|wss?)://([a-z0-9.-]+)", lower), *_BARE_HOST.findall(lower)]:
        if host not in signals.hosts:
            signals.hosts.append(host)

    for match in _SCHEME.finditer(lower):
        scheme = next(g for g in match.groups() if g).lower()
        _add(signals, "scheme", scheme, signals.schemes)
    for credential in credentials:
        if credential.scheme:
            _add(signals, "scheme", credential.scheme, signals.schemes)
        _add(signals, "credential", credential.kind.value)
        if credential.kind in {CredentialKind.pat, CredentialKind.pat_basic, CredentialKind.legacy_basic}:
            signals.ids.add("credential.pat")

    param_names = {name.lower() for name, _ in params}
    for param in PARAMS:
        # bare words such as "state" or "scope" count only as real parameters (query or form)
        if param in param_names or param in known_words:
            _add(signals, "param", param, signals.params)
    for match in _GRANT.finditer(lower):
        signals.ids.update({f"grant.{match.group('grant')}", "param.grant_type"})
    if "x-region" in lower:
        _add(signals, "param", "x-region", signals.params)
    if _CODE_PARAM.search(lower):
        _add(signals, "param", "code", signals.params)

    if _PAT_WORDS.search(lower):
        signals.ids.update({"credential.pat-mentioned", "credential.pat"})
    if _CUSTOMER_TOKEN_WORDS.search(lower):
        signals.ids.add("credential.customer-token-mentioned")
    if _AGENT_TOKEN_WORDS.search(lower):
        signals.ids.add("credential.agent-token-mentioned")
    # (a bare "contact us?" in the developers' community is asked of the developer team)
    contact = _CONTACT.search(lower)
    if contact and (_DEVELOPER_MATTER.search(lower) or len(lower.strip()) - len(contact.group(0)) < 25):
        signals.ids.add("intent.contact")
    if _DOCS_MISTAKE.search(lower):
        signals.ids.add("intent.docs-mistake")
    if len(lower) < 200 and "?" not in lower and _THANKS.search(lower):
        signals.ids.add("intent.thanks")
    _sdk_signals(signals, lower)
    return signals


# LiveChat's SDKs and widgets, by package, class or setup call in pasted code; the deprecated REST API
# v2 by its `curl -u login:api_key` against the unversioned host.
_SDKS = {
    "customer-sdk": re.compile(r"@livechat/customer-sdk|customersdk\.init|customer[- ]sdk"),
    "widget": re.compile(r"@livechat/widget-(?:react|vue|angular|core)|<livechatwidget|window\.__lc|__lc\.license"),
    "react-native": re.compile(r"react-native-livechat|@livechat/react-native"),
    "android": re.compile(r"chat-window-android|chatwindowactivity|chatwindowconfiguration|livechat\.initialize\("),
    "ios": re.compile(r"chat-window-ios|livechat\.licenseid|import livechat\b"),
    "lc-sdk": re.compile(r"lc-sdk-(?:python|js|go)|from livechat\.|@livechat/lc-sdk-js"),
    "accounts-sdk": re.compile(r"@livechat/accounts-sdk|accountssdk"),
    "visitor-sdk": re.compile(r"visitor[- ]sdk|visitorsdk"),
    "api-v2": _Gated(
        r"curl\s+(?:-u|--user)\s*\S+@\S+?:\S+[^\n]{0,200}api\.livechatinc\.com/(?!v3)|x-api-version:\s*2"
        r"|\bapi[ _-]?key\b[^\n]{0,80}\b(?:agent profile|api v2|rest api|v2\b)"
        r"|\b(?:api v2|rest api 2)[^\n]{0,80}api[ _-]?key",
        "curl", "x-api-version", "key",
    ),
}
# camelCase options in SDK code name the same parameters as the OAuth ones.
_CAMEL_PARAMS = {"licenseid": "license_id", "organizationid": "organization_id", "clientid": "client_id",
                 "redirecturi": "redirect_uri", "entityid": "entity_id"}


def _sdk_signals(signals: Signals, lower: str) -> None:
    for name, pattern in _SDKS.items():
        if pattern.search(lower):
            signals.ids.add(f"sdk.{name}")
    for camel, param in _CAMEL_PARAMS.items():
        if camel in lower:
            _add(signals, "param", param, signals.params)


def query_params(text: str) -> dict[str, str]:
    """The last value of each OAuth/query parameter in the text (URLs and form bodies), URL-decoded."""
    return {name.lower(): unquote(value) for name, value in _query_params(text)}


def mentions_pat(text: str) -> bool:
    return bool(_PAT_WORDS.search(text.lower()))
