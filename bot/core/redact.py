"""Step 1: find credentials and replace them with a redacted form before anything else sees the text.

Token shapes come from ../shared/research/livechat-auth.md: OAuth tokens are `<region>:<chars>`
(`dal:`, `fra:`, `fra-a:` …, URL-encoded as `%3A` in redirects), PATs are sent as
`Basic base64(<account_id>:<PAT>)` (legacy `email:PAT` for Configuration API v2), refresh tokens
have no region prefix since late 2024. We accept any lowercase region, not a fixed list.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace

from bot.core.diagnosis import Credential, CredentialKind

# The regions the docs name (research section 2); others are accepted when the token looks random.
KNOWN_REGIONS = frozenset({"dal", "fra", "fra-a", "fra-b"})
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
EMAIL = re.compile(r"^[^@\s:]+@[^@\s:]+\.[a-z]{2,}$", re.I)

_TOKEN_CHARS = r"A-Za-z0-9_\-"
# <region>:<chars> or <region>%3A<chars>; the region may carry a suffix (fra-a).
REGION_TOKEN = re.compile(
    rf"(?<![A-Za-z0-9_/.\-])(?P<region>[a-z]{{2,9}}(?:-[a-z0-9]{{1,9}})?)(?P<sep>:|%3[Aa])"
    rf"(?P<body>[{_TOKEN_CHARS}]{{10,}})(?![{_TOKEN_CHARS}])"
)
# Known regions are caught even glued to other text ("Adal:…", "token=fra-a:…"), so an attacker-free
# typo cannot make a real token slip through unredacted.
KNOWN_REGION_TOKEN = re.compile(
    rf"(?P<region>dal|fra-a|fra-b|fra)(?P<sep>:|%3[Aa])(?P<body>[{_TOKEN_CHARS}]{{10,}})(?![{_TOKEN_CHARS}])"
)
AUTH_HEADER = re.compile(
    r"(?P<scheme>Bearer|Basic)(?:\s+|%20)(?P<value>[A-Za-z0-9+/=_.:%\-]{8,})", re.I
)
CURL_USER = re.compile(r"(?:^|\s)(?:-u|--user)\s*[\"']?(?P<user>[^\s:\"']+):(?P<secret>[^\s\"']{6,})")
# "name": "value" / name=value / name: value for fields that always hold a secret.
SECRET_FIELD = re.compile(
    r"(?P<name>access_token|refresh_token|client_secret|bot_secret|code|token|personal_access_token|pat"
    r"|customer_access_token|secret|password|passwd|api_key|apikey)[\"']?\s*(?:[:=]|=>)\s*[\"']?"
    r"(?P<value>[A-Za-z0-9_\-.:%+/=]{8,})",
    re.I,
)
# "my refresh token is …", "the client secret was …": secrets named in prose.
PROSE_SECRET = re.compile(
    r"(?P<name>refresh token|access token|personal access token|pat|client secret|token)\s+(?:is|was|=|:)\s*"
    r"[`\"']?(?P<value>(?=[A-Za-z0-9_\-:%]*\d)[A-Za-z0-9_\-:%]{12,})",
    re.I,
)
# A Basic value pasted on its own: long base64 that decodes to `<uuid>:<secret>` or `<email>:<secret>`.
BARE_BASE64 = re.compile(r"(?<![A-Za-z0-9+/])[A-Za-z0-9+/]{40,}={0,2}(?![A-Za-z0-9+/=])")
# A token wrapped onto the next line: that line holds nothing but more token characters.
CONTINUATION = re.compile(r"\n(?=[A-Za-z0-9_\-]*[\d_\-])([A-Za-z0-9_\-]{4,})(?=[ \t]*(?:\n|$))")
# Other products' secrets: redacted too, and they tell the matcher the message is not about LiveChat.
FOREIGN_SECRETS = (
    re.compile(r"\b(?:sk|rk|pk)_(?:test|live)_[A-Za-z0-9]{10,}"),  # Stripe
    re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}|\bgithub_pat_[A-Za-z0-9_]{20,}"),  # GitHub
    re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}"),  # Slack
    re.compile(r"\bAIza[0-9A-Za-z_\-]{30,}"),  # Google API key
    re.compile(r"\bsk-(?=[A-Za-z0-9_\-]*\d)[A-Za-z0-9_\-]{20,}"),  # OpenAI-style (digits: not "sk-learn-…")
    re.compile(r"\b[A-Za-z0-9_\-]{23,28}\.[A-Za-z0-9_\-]{6,7}\.[A-Za-z0-9_\-]{27,}"),  # Discord bot token
)
_PLACEHOLDER = re.compile(r"^[<{\[$]|^[A-Z][A-Z0-9_]*$|^(?i:x{4,})$|^\*+$|^\.{3}|(?i:redacted|your_|example)")


def is_placeholder(value: str) -> bool:
    """`<ACCESS_TOKEN>`, `{token}`, `$TOKEN`, `ACCESS_TOKEN`, `xxxx` are not credentials."""
    return bool(_PLACEHOLDER.search(value)) or len(set(value)) <= 3


def redacted_form(kind: CredentialKind, value: str, prefix_len: int = 4) -> str:
    """Kind, a short prefix and the last 4 characters: enough to recognise, useless to abuse."""
    prefix = value[:prefix_len]
    tail = value[-4:] if len(value) > prefix_len + 8 else ""
    return f"[{kind.value} {prefix}…{tail}]"


def _region_prefix_len(token: str) -> int:
    match = REGION_TOKEN.match(token)
    return len(match.group("region")) + len(match.group("sep")) + 2 if match else 4


def _plausible_region_token(match: re.Match[str]) -> bool:
    region, body = match.group("region"), match.group("body")
    if region in KNOWN_REGIONS or body.startswith("test_"):
        return True
    # Unknown prefixes: demand a long, mixed body so "stage:deployment_pipeline" is not a token.
    mixed = sum(bool(re.search(p, body)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]")) >= 3
    return len(body) >= 20 and mixed


def base64_text(value: str, *, also_urlsafe: bool = False) -> str | None:
    """The printable text inside a base64 value (padding optional), or None."""
    padded = value + "=" * (-len(value) % 4)
    decoders = (lambda v: base64.b64decode(v, validate=True),) + ((base64.urlsafe_b64decode,) if also_urlsafe else ())
    for decode in decoders:
        try:
            text = decode(padded).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
        if text and text.isprintable():
            return text
    return None


def decode_basic(value: str) -> str | None:
    """The `user:password` inside a Basic value, or None when it is not base64 of that."""
    decoded = base64_text(value)
    return decoded if decoded and ":" in decoded else None


def _redacted(kind: CredentialKind, value: str) -> str:
    region_kinds = {CredentialKind.agent_token, CredentialKind.customer_token}
    return redacted_form(kind, value, _region_prefix_len(value) if kind in region_kinds else 4)


def _make(kind: CredentialKind, value: str, start: int, **extra: object) -> Credential:
    return Credential(
        kind=kind,
        redacted=_redacted(kind, value),
        start=start,
        end=start + len(value),
        raw=value,
        **extra,  # type: ignore[arg-type]
    )


def _classify_token(value: str, start: int, scheme: str | None, context: str) -> Credential | None:
    """A bare token value (from a Bearer header, a JSON field, a form field)."""
    if is_placeholder(value):
        return None
    region = REGION_TOKEN.fullmatch(value)
    if region and _plausible_region_token(region):
        kind = CredentialKind.customer_token if "customer" in context else CredentialKind.agent_token
        if re.search(r"\bpat\b|personal[_ ]access", context, re.I) and "customer" not in context:
            kind = CredentialKind.pat
        return _make(
            kind, value, start, scheme=scheme, region=region.group("region"),
            percent_encoded=region.group("sep") != ":",
        )
    return None


def _basic(value: str, start: int) -> Credential:
    decoded = decode_basic(value)
    if decoded is not None:
        user = decoded.split(":", 1)[0]
        if UUID.match(user):
            return _make(CredentialKind.pat_basic, value, start, scheme="basic", account_id=user)
        if EMAIL.match(user):
            return _make(CredentialKind.legacy_basic, value, start, scheme="basic")
    region = REGION_TOKEN.fullmatch(value)
    if region:
        # A raw PAT where base64(account_id:PAT) belongs.
        return _make(CredentialKind.pat, value, start, scheme="basic", region=region.group("region"))
    return _make(CredentialKind.basic_other, value, start, scheme="basic")


def _header_credentials(text: str) -> Iterator[Credential]:
    for match in AUTH_HEADER.finditer(text):
        scheme, value = match.group("scheme").lower(), match.group("value").rstrip(".,;")
        start = match.start("value")
        if is_placeholder(value):
            continue
        if scheme == "basic":
            yield replace(_basic(value, start), source="header")
            continue
        context = text[max(0, match.start() - 300) : match.end() + 80].lower()
        credential = _classify_token(value, start, "bearer", context)
        yield replace(credential or _make(CredentialKind.bearer_other, value, start, scheme="bearer"), source="header")


def _field_credentials(text: str) -> Iterator[Credential]:
    for match in SECRET_FIELD.finditer(text):
        name, value = match.group("name").lower(), match.group("value").rstrip(".,;&\"'")
        start = match.start("value")
        if is_placeholder(value) or value.lower().startswith(("bearer", "basic")):
            continue
        context = text[max(0, match.start() - 300) : match.end()].lower()
        if name == "refresh_token":
            yield _make(CredentialKind.refresh_token, value, start)
        elif name in {"client_secret", "bot_secret", "secret"}:
            if len(value) >= 16:
                yield _make(CredentialKind.client_secret, value, start)
        elif name == "code":
            region = REGION_TOKEN.fullmatch(value)
            if region:
                yield _make(
                    CredentialKind.authorization_code, value, start,
                    region=region.group("region"), percent_encoded=region.group("sep") != ":",
                )
        elif name in {"pat", "personal_access_token"}:
            yield _make(CredentialKind.pat, value, start)
        elif name in {"password", "passwd", "api_key", "apikey"}:
            yield _make(CredentialKind.foreign_secret, value, start)
        else:
            credential = _classify_token(value, start, None, context)
            if credential is not None:
                yield credential


def _bare_tokens(text: str) -> Iterator[Credential]:
    for match in (*REGION_TOKEN.finditer(text), *KNOWN_REGION_TOKEN.finditer(text)):
        if not _plausible_region_token(match):
            continue
        context = text[max(0, match.start() - 300) : match.end() + 80].lower()
        credential = _classify_token(match.group(0), match.start(), None, context)
        if credential is not None:
            yield credential


def _prose_secrets(text: str) -> Iterator[Credential]:
    for match in PROSE_SECRET.finditer(text):
        name, value = match.group("name").lower(), match.group("value")
        if is_placeholder(value):
            continue
        start = match.start("value")
        context = text[max(0, match.start() - 300) : match.end() + 80].lower()
        if name == "refresh token":
            yield _make(CredentialKind.refresh_token, value, start)
        elif name == "client secret":
            yield _make(CredentialKind.client_secret, value, start)
        elif name in {"pat", "personal access token"}:
            yield _make(CredentialKind.pat, value, start)
        else:
            yield _classify_token(value, start, None, context) or _make(CredentialKind.bearer_other, value, start)


def _bare_basic_values(text: str) -> Iterator[Credential]:
    for match in BARE_BASE64.finditer(text):
        decoded = decode_basic(match.group(0))
        user = decoded.split(":", 1)[0] if decoded else ""
        if UUID.match(user) or EMAIL.match(user):
            yield _basic(match.group(0), match.start())


def _curl_users(text: str) -> Iterator[Credential]:
    for match in CURL_USER.finditer(text):
        user, secret = match.group("user"), match.group("secret")
        if is_placeholder(secret):
            continue
        kind = CredentialKind.pat if UUID.match(user) else CredentialKind.basic_other
        account_id = user if UUID.match(user) else None
        # curl -u encodes user:password itself, so a raw value here is correct usage
        yield _make(kind, secret, match.start("secret"), scheme="basic", account_id=account_id, source="curl-user")


def _foreign(text: str) -> Iterator[Credential]:
    for pattern in FOREIGN_SECRETS:
        for match in pattern.finditer(text):
            yield _make(CredentialKind.foreign_secret, match.group(0), match.start())


def _without_overlaps(found: Iterable[Credential]) -> list[Credential]:
    """Keep the first finder's claim on a span; later finders only add what is new."""
    kept: list[Credential] = []
    for credential in found:
        if any(credential.start < k.end and k.start < credential.end for k in kept):
            continue
        kept.append(credential)
    return sorted(kept, key=lambda c: c.start)


def find_credentials(text: str) -> list[Credential]:
    """Every credential in `text`, most specific finder first (header > field > curl > bare > foreign)."""
    finders = (
        _header_credentials, _field_credentials, _curl_users, _prose_secrets, _bare_basic_values, _bare_tokens, _foreign
    )
    found = _without_overlaps([credential for finder in finders for credential in finder(text)])
    return [_with_continuation(text, credential) for credential in found]


def _with_continuation(text: str, credential: Credential) -> Credential:
    """Swallow the rest of a token that a line break cut in two, so no tail of it is left in the clear."""
    continuation = CONTINUATION.match(text, credential.end)
    if continuation is None or credential.kind is CredentialKind.foreign_secret:
        return credential
    raw = credential.raw + continuation.group(1)
    end = continuation.end(1)
    return replace(credential, raw=raw, end=end, redacted=_redacted(credential.kind, raw))


def redact(text: str, credentials: list[Credential] | None = None) -> tuple[str, list[Credential]]:
    """Return the text with every credential replaced by its redacted form, and the credentials."""
    if credentials is None:
        credentials = find_credentials(text)
    parts: list[str] = []
    cursor = 0
    for credential in credentials:
        parts.append(text[cursor : credential.start])
        parts.append(credential.redacted)
        cursor = credential.end
    parts.append(text[cursor:])
    return "".join(parts), credentials


def redact_text(text: str) -> str:
    """Convenience for logs and exception messages: the redacted text only."""
    return redact(text)[0]
