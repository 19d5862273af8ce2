"""Credential detectors over *normalised* text (see normalize.py). Each yields `Hit`s; redact.py maps them
back to the original text and turns them into `Credential`s.

Three families, so a new way of writing a secret is covered by construction rather than by one more regex:
- **shape**: the value alone proves it (`dal:…` region tokens, JWTs, base64 of `user:secret`, vendor
  prefixes such as `sk_live_`);
- **context**: a secret-named key or word says what follows is secret, in any syntax (JSON, YAML, `.env`,
  form bodies, headers, cookies, query strings and fragments, keyword arguments, prose like "my PAT is …"),
  plus the places a username/password pair is written (`-u id:pat`, `https://id:pat@host`,
  `HTTPBasicAuth('id', 'pat')`, `btoa('id:pat')`);
- **entropy**: a long run of random-looking characters that is not a harmless shape (ids, hashes, paths,
  words) is masked even with no context. Those are redaction-only: the leak guard does not delete for them.

Token shapes come from ../shared/research/livechat-auth.md: OAuth tokens are `<region>:<chars>` (`dal:`,
`fra:`, `fra-a:` …), PATs are sent as `Basic base64(<account_id>:<PAT>)` (legacy `email:PAT`), refresh
tokens have no region prefix since late 2024, bot tokens are JWTs, the cookie grant sets `__lc_cst`.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from bot.core.diagnosis import CredentialKind
from bot.core.secret_shapes import (
    EMAIL,
    UUID,
    is_placeholder,
    is_wordlike,
    looks_random,
    plausible_secret_value,
    real_part,
)

K = CredentialKind
KNOWN_REGIONS = frozenset({"dal", "fra", "fra-a", "fra-b"})
_BODY = r"[A-Za-z0-9_\-.~+/]"
_VALUE_END = ".,;:!?)]}>'\"`"


@dataclass(frozen=True)
class Hit:
    """A credential found at `text[start:end]` of the normalised text."""

    start: int
    end: int
    kind: CredentialKind
    scheme: str | None = None  # "bearer" / "basic" when it came from an Authorization header
    region: str | None = None
    account_id: str | None = None
    source: str = "text"  # header, field, curl-user, userinfo, pair, prose, shape, entropy


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop sentence punctuation and quotes that the value pattern swallowed at its end."""
    while end > start and text[end - 1] in _VALUE_END:
        end -= 1
    return start, end


# -- shape ----------------------------------------------------------------------------------------------

# <region>:<body>. Known regions match in any case and glued to other text ("Adal:…", "token=fra-a:…");
# other lower-case prefixes only when the body reads as random, so "stage:deployment_pipeline" is no token.
REGION_TOKEN = re.compile(
    r"(?<![A-Za-z0-9_/.\-])(?P<region>[a-z]{2,9}(?:-[a-z0-9]{1,9})?)(?P<sep>:|%3[Aa])"
    r"(?P<body>[A-Za-z0-9_\-]{10,})(?![A-Za-z0-9_\-])"
)
_REGION_ANY = re.compile(
    rf"(?<![A-Za-z0-9_/.\-])(?P<region>[a-z]{{2,9}}(?:-[a-z0-9]{{1,9}})?|(?i:dal|fra-a|fra-b|fra))(?P<sep>:)"
    rf"(?P<body>(?!/){_BODY}{{10,}})"
)
# A known region glued to other text ("Adal:…", "_dal:…", "token=fra-a:…") is still a token.
_KNOWN_REGION_GLUED = re.compile(rf"(?P<region>(?i:dal|fra-a|fra-b|fra))(?P<sep>:)(?P<body>(?!/){_BODY}{{10,}})")
# Prefixes that are followed by a colon without being a region: URL schemes, log levels, hash names …
_NOT_REGIONS = frozenset(
    "http https ftp ws wss mailto file data urn tel sms git ssh javascript localhost sha sha1 sha256 sha512 md5 "
    "blob npm pip docker image note error warning warn info debug trace step todo fix re fwd std".split()
)
_JWT = re.compile(r"(?<![A-Za-z0-9_\-])eyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}")
_BASE64 = re.compile(r"(?<![A-Za-z0-9+/_\-])[A-Za-z0-9+/]{16,}={0,2}(?![A-Za-z0-9+/=_\-])")
# (literal that must be in the text, pattern): the literal skips a scan of long pastes that can't match.
FOREIGN_SECRETS = (
    ("_test_", re.compile(r"\b(?:sk|rk|pk)_test_[A-Za-z0-9]{10,}")),  # Stripe
    ("_live_", re.compile(r"\b(?:sk|rk|pk)_live_[A-Za-z0-9]{10,}")),
    ("_", re.compile(r"\bgh[pousr]_[A-Za-z0-9]{20,}|\bgithub_pat_[A-Za-z0-9_]{20,}")),  # GitHub
    ("xox", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}")),  # Slack
    ("AIza", re.compile(r"\bAIza[0-9A-Za-z_\-]{30,}")),  # Google API key
    ("IA", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),  # AWS access key id
    ("sk-", re.compile(r"\bsk-(?=[A-Za-z0-9_\-]*\d)[A-Za-z0-9_\-]{20,}")),  # OpenAI-style (digits: not "sk-learn-…")
    (".", re.compile(  # Discord bot token; the lookbehind keeps the scan from retrying inside every run
        r"(?<![A-Za-z0-9_\-])[A-Za-z0-9_\-]{23,28}\.[A-Za-z0-9_\-]{6,7}\.[A-Za-z0-9_\-]{27,}"
    )),
)


def base64_text(value: str, *, also_urlsafe: bool = False) -> str | None:
    """The printable text inside a base64 value (padding optional), or None."""
    padded = value + "=" * (-len(value) % 4)
    decoders: tuple[Callable[[str], bytes], ...] = (lambda v: base64.b64decode(v, validate=True),)
    if also_urlsafe:
        decoders += (base64.urlsafe_b64decode,)
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


def plausible_region_token(region: str, body: str) -> bool:
    if region.lower() in KNOWN_REGIONS:
        if not is_placeholder(body):
            return not body.isalpha()
        rest = real_part(body)  # "<token>REDACTED": the token is still there
        return len(rest) >= 10 and any(c.isdigit() for c in rest) and not is_placeholder(rest) and not rest.isalpha()
    if region in _NOT_REGIONS or region != region.lower():
        return False
    if body.startswith("test_"):
        return True
    return looks_random(body, min_length=10)


def token_kind(context: str) -> CredentialKind:
    """A `<region>:<chars>` value: a customer's or an agent's token, or a PAT, by the words around it."""
    if "customer" in context:
        return K.customer_token
    if re.search(r"\bpat\b|personal[_ ]access", context):
        return K.pat
    return K.agent_token


def _context(text: str, start: int, end: int) -> str:
    return text[max(0, start - 300) : end + 80].lower()


def region_tokens(text: str) -> Iterator[Hit]:
    for pattern in (_REGION_ANY, _KNOWN_REGION_GLUED):
        for match in pattern.finditer(text):
            start, end = _trimmed(text, match.start("region"), match.end("body"))
            region, body = match.group("region"), text[match.start("body") : end]
            if len(body) < 10 or not plausible_region_token(region, body):
                continue
            yield Hit(start, end, token_kind(_context(text, start, end)), region=region.lower(), source="shape")


def jwts(text: str) -> Iterator[Hit]:
    for match in _JWT.finditer(text):
        yield Hit(match.start(), match.end(), K.bearer_other, source="shape")


def _basic_kind(decoded: str | None) -> tuple[CredentialKind, str | None] | None:
    if decoded is None:
        return None
    user, secret = decoded.split(":", 1)
    if UUID.match(user):
        return K.pat_basic, user
    if EMAIL.match(user):
        return K.legacy_basic, None
    if secret and not is_placeholder(secret) and (looks_random(secret, min_length=6) or len(secret) >= 8):
        return K.basic_other, None
    return None


def base64_pairs(text: str) -> Iterator[Hit]:
    """A Basic value pasted on its own: base64 that decodes to `<user>:<secret>`."""
    for match in _BASE64.finditer(text):
        found = _basic_kind(decode_basic(match.group(0)))
        if found is not None:
            yield Hit(match.start(), match.end(), found[0], scheme="basic", account_id=found[1], source="shape")


def foreign(text: str) -> Iterator[Hit]:
    for literal, pattern in FOREIGN_SECRETS:
        if literal not in text:
            continue
        for match in pattern.finditer(text):
            yield Hit(match.start(), match.end(), K.foreign_secret, source="shape")


# -- context: headers and secret-named keys ----------------------------------------------------------------

_AUTH_HEADER = re.compile(r"\b(?P<scheme>Bearer|Basic)\s+(?P<value>[A-Za-z0-9+/=_.:%~\-]{8,})", re.I)


def classify_bearer(text: str, start: int, end: int) -> Hit:
    value = text[start:end]
    region = REGION_TOKEN.fullmatch(value) or _REGION_ANY.fullmatch(value)
    if region and plausible_region_token(region.group("region"), region.group("body")):
        kind = token_kind(_context(text, start, end))
        return Hit(start, end, kind, scheme="bearer", region=region.group("region").lower(), source="header")
    return Hit(start, end, K.bearer_other, scheme="bearer", source="header")


def _basic_header(text: str, start: int, end: int) -> Hit:
    value = text[start:end]
    found = _basic_kind(decode_basic(value))
    if found is not None and found[0] is not K.basic_other:
        return Hit(start, end, found[0], scheme="basic", account_id=found[1], source="header")
    region = _REGION_ANY.fullmatch(value)
    if region:  # a raw PAT where base64(account_id:PAT) belongs
        return Hit(start, end, K.pat, scheme="basic", region=region.group("region").lower(), source="header")
    return Hit(start, end, K.basic_other, scheme="basic", source="header")


def auth_headers(text: str) -> Iterator[Hit]:
    for match in _AUTH_HEADER.finditer(text):
        start, end = _trimmed(text, *match.span("value"))
        value = text[start:end]
        if is_placeholder(value) or len(value) < 8 or value.lower() in {"realm", "token"}:
            continue
        if match.group("scheme").lower() == "basic":
            if value.isalpha() and decode_basic(value) is None:
                continue  # "Basic authentication", "Basic Authorization header": prose
            yield _basic_header(text, start, end)
        elif value.isalpha() and len(value) < 16:
            continue  # "Bearer authentication", "Token expired": prose, not a header
        else:
            yield classify_bearer(text, start, end)


# A key (identifier, possibly quoted), a separator, a value (possibly quoted). The key decides.
_KEYED = re.compile(
    r"(?<![A-Za-z0-9_.\-])(?P<key>[A-Za-z_][A-Za-z0-9_.\-]{0,48})(?P<kq>[\"']?)[ \t]*"
    r"(?P<sep>=>|:=|:|=|,)[ \t]*(?=(?:[bru]?(?P<vq>[\"'`]))?(?P<value>[^\s\"'`,;&<>(){}\[\]\\|]{4,}))"
)
_CAMEL_SPLIT = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SECRET_WORDS = frozenset(
    {"token", "secret", "password", "passwd", "pwd", "apikey", "pat", "cst", "sid", "session", "sessionid",
     "credential", "credentials", "jwt", "bearer", "passphrase"}
)
_KEY_QUALIFIERS = frozenset({"api", "private", "secret", "access", "auth", "client", "signing", "app", "master"})
_SAFE_LAST = frozenset(
    "type url uri endpoint endpoints expires expiry expiration in at id ids name names count length len path file "
    "header hint kind format scope scopes lifetime ttl prefix field param version status error label "
    "placeholder description desc info list limit mode method source env var vars host provider manager "
    "store storage handler service response request helper key_id".split()
)


def _key_parts(key: str) -> list[str]:
    return [p for p in re.split(r"[_.\-]+", _CAMEL_SPLIT.sub("_", key).lower()) if p]


_SECRET_LAST = _SECRET_WORDS | {"code", "key", "secret"}


def key_kind(key: str) -> CredentialKind | None:
    """The kind of secret a key names (`client_secret`, `X-Api-Key`, `__lc_cst`), or None. The secret word
    must end the key: `access_token` names a secret, `token-verifier.js` and `token_type` don't."""
    parts = _key_parts(key)
    if not parts or parts[-1] in _SAFE_LAST or parts[-1] not in _SECRET_LAST:
        return None
    names = set(parts)
    if parts == ["code"] or parts[-2:] in (["auth", "code"], ["authorization", "code"], ["oauth", "code"]):
        return K.authorization_code
    if "cst" in names:
        return K.session_cookie
    if "refresh" in names and "token" in names:
        return K.refresh_token
    if "pat" in names or {"personal", "access", "token"} <= names:
        return K.pat
    if "secret" in names:
        return K.client_secret
    if names & {"password", "passwd", "pwd", "passphrase", "apikey", "sid", "session", "sessionid"}:
        return K.foreign_secret
    if parts[-1] == "key" and names & _KEY_QUALIFIERS:
        return K.foreign_secret
    if names & {"token", "jwt", "bearer", "credential", "credentials"}:
        return K.bearer_other
    return None


def _quoted_pair(text: str, match: re.Match[str]) -> bool:
    """`("X-Api-Key", "…")` or `["token", "…"]`, not `"grant_type": "agent_token", "client_id": …`."""
    if not (match.group("kq") and match.group("vq")):
        return False
    opened = text[: match.start("key")].rstrip()[:-1].rstrip()[-1:]  # the character before the key's quote
    after = text[match.end("value") :].lstrip()[1:].lstrip()[:1]  # the character after the value's quote
    return opened in ("(", "[") and after != ":"


def keyed_values(text: str) -> Iterator[Hit]:
    for match in _KEYED.finditer(text):
        if match.group("sep") == "," and not _quoted_pair(text, match):
            continue  # a comma separates key and value only in a quoted pair: ("X-Api-Key", "…")
        kind = key_kind(match.group("key"))
        if kind is None:
            continue
        start, end = _trimmed(text, *match.span("value"))
        value = text[start:end]
        password = kind is K.foreign_secret
        if not plausible_secret_value(value, password=password):
            continue
        yield _keyed_hit(text, start, end, kind)


def _keyed_hit(text: str, start: int, end: int, kind: CredentialKind) -> Hit:
    value = text[start:end]
    region = _REGION_ANY.fullmatch(value)
    region_name = region.group("region").lower() if region else None
    if kind is K.bearer_other:
        if region and plausible_region_token(region.group("region"), region.group("body")):
            return Hit(start, end, token_kind(_context(text, start, end)), region=region_name, source="field")
        strong = looks_random(value, min_length=10) or _JWT.fullmatch(value) is not None
        return Hit(start, end, K.bearer_other if strong else K.unknown_secret, source="field")
    if kind is K.authorization_code:
        return Hit(start, end, kind, region=region_name, source="field")
    if kind is K.pat and region is None and not looks_random(value, min_length=8):
        return Hit(start, end, K.unknown_secret, source="field")
    return Hit(start, end, kind, region=region_name, source="field")


# -- context: username/password pairs ----------------------------------------------------------------------

_CURL_USER = re.compile(r"(?:^|\s)(?:-u|--user)\s*[\"']?(?P<user>[^\s:\"']+):(?P<secret>[^\s\"']{6,})")
_USERINFO = re.compile(r"://(?P<user>[^\s:/@\"'<>]*):(?P<secret>[^\s/@\"'<>]{4,})@")
_QUOTED_PAIR = re.compile(r"(?P<q>[\"'`])(?P<user>[^\s\"'`:]{3,64}):(?P<secret>[^\s\"'`]{6,})(?P=q)")
_TWO_ARGS = re.compile(
    r"[(\[]\s*[bru]?(?P<q1>[\"'])(?P<user>[^\"'\s]{3,80})(?P=q1)\s*,\s*"
    r"[bru]?(?P<q2>[\"'])(?P<secret>[^\"'\s]{6,})(?P=q2)\s*[)\]]"
)
_AUTH_CALL = re.compile(r"auth|basic|credential|login|encode|btoa|buffer", re.I)
_WORD_PASSWORDS = frozenset({"password", "passwd", "secret", "pass", "pat", "token", "apikey", "api_key"})


def _pair_hit(user: str, start: int, end: int, source: str) -> Hit:
    if UUID.match(user):
        return Hit(start, end, K.pat, scheme="basic", account_id=user, source=source)
    if EMAIL.match(user):  # the legacy username: email:PAT
        return Hit(start, end, K.legacy_basic, scheme="basic", source=source)
    return Hit(start, end, K.basic_other, scheme="basic", source=source)


def user_secret_pairs(text: str) -> Iterator[Hit]:
    for match in _CURL_USER.finditer(text) if ("-u" in text or "--user" in text) else ():
        start, end = _trimmed(text, *match.span("secret"))
        if not is_placeholder(text[start:end]):
            # curl -u encodes user:password itself, so a raw value here is correct usage
            yield _pair_hit(match.group("user"), start, end, "curl-user")
    for match in _USERINFO.finditer(text) if "@" in text else ():
        secret = match.group("secret")
        if not is_placeholder(secret) and secret.lower() not in _WORD_PASSWORDS:
            yield _pair_hit(match.group("user"), *match.span("secret"), "userinfo")
    for match in _QUOTED_PAIR.finditer(text):
        user, secret = match.group("user"), match.group("secret")
        before = text[max(0, match.start() - 30) : match.start()]
        named_user = UUID.match(user) or EMAIL.match(user)
        if is_placeholder(secret) or secret.startswith("/") or not (named_user or _AUTH_CALL.search(before)):
            continue
        if named_user or looks_random(secret, min_length=6):
            yield _pair_hit(user, *match.span("secret"), "pair")
    for match in _TWO_ARGS.finditer(text):
        user, secret = match.group("user"), match.group("secret")
        named_user = UUID.match(user) or EMAIL.match(user)
        if is_placeholder(secret) or secret.lower() in _WORD_PASSWORDS:
            continue
        if named_user or _AUTH_CALL.search(text[max(0, match.start() - 30) : match.start()]):
            yield _pair_hit(user, *match.span("secret"), "pair")


# -- context: secrets named in prose -----------------------------------------------------------------------

_PROSE_NAME = re.compile(
    r"\b(?P<name>refresh[ _-]?token|access[ _-]?token|personal access token|pat|client[ _-]?secret|secret"
    r"|tokens?|password|api[ _-]?key|bot[ _-]?token|jwt|key)\b",
    re.I,
)
_CANDIDATE = re.compile(r"(?<![A-Za-z0-9_\-+/=.~%:])[A-Za-z0-9_\-+/.~%:]{10,}={0,2}(?![A-Za-z0-9_\-+/=.~%:])")
_DIRECT = re.compile(r"\s*(?:is|was|are|=|:|->|=>)?\s*[`\"']?")
_PROSE_KIND = {"refresh": K.refresh_token, "pat": K.pat, "personal": K.pat, "client": K.client_secret,
               "secret": K.client_secret, "password": K.foreign_secret, "api": K.foreign_secret}


def prose_secrets(text: str) -> Iterator[Hit]:
    """"my refresh token is …", "PAT -> …", "here's the key …": a random run shortly after a secret word."""
    for match in _PROSE_NAME.finditer(text):
        window_end = min(len(text), match.end() + 48)
        for candidate in _CANDIDATE.finditer(text, match.end(), window_end):
            start, end = _trimmed(text, *candidate.span())
            value = text[start:end]
            # "my refresh token is X": a value named this directly needs only to be plausible (with a digit).
            direct = _DIRECT.fullmatch(text[match.end() : start]) is not None
            numbered = re.search(r"\d{3}", value) is not None or not is_wordlike(value)  # not "base64-encoded"
            named = direct and numbered and plausible_secret_value(value)
            if UUID.match(value) or not (named or looks_random(value, min_length=10)):
                continue
            name = match.group("name").lower()
            kind = next((k for word, k in _PROSE_KIND.items() if name.startswith(word)), K.bearer_other)
            if name == "key" or (kind is K.bearer_other and len(value) < 16):
                kind = K.unknown_secret  # too vague to delete a message for; still masked
            yield Hit(start, end, kind, source="prose")
            break


# -- entropy -------------------------------------------------------------------------------------------------

_RUN = re.compile(r"(?<![A-Za-z0-9_\-+/=~%])[A-Za-z0-9_\-+/~%]{16,}={0,2}(?![A-Za-z0-9_\-+/=~%])")


def random_runs(text: str, *, min_length: int = 24) -> Iterator[Hit]:
    """Long random-looking runs with no context at all: redacted, never acted on by the leak guard."""
    for match in _RUN.finditer(text):
        value = match.group(0)
        if len(value) < min_length or value.startswith("/"):
            continue  # too short to judge, or a path (`/v1/website/…`); the cheap tests first: logs are full of both
        segments = [s for s in value.split("/") if s]
        if len(segments) > 1 and sum(map(is_wordlike, segments)) * 2 >= len(segments):
            continue  # a relative path (`chat/v1/website/8c1f…`), not a key
        if looks_random(value, min_length=min_length) and not is_wordlike(value):
            yield Hit(match.start(), match.end(), K.unknown_secret, source="entropy")


#: Most specific first: a later detector only adds spans nobody claimed.
DETECTORS: tuple[Callable[[str], Iterator[Hit]], ...] = (
    auth_headers, keyed_values, user_secret_pairs, foreign, jwts, base64_pairs, region_tokens, prose_secrets,
    random_runs,
)


def detect(text: str) -> list[Hit]:
    """Every credential span in normalised `text`, without overlaps, in text order."""
    kept: list[Hit] = []
    for detector in DETECTORS:
        for hit in detector(text):
            if hit.end > hit.start and not any(hit.start < k.end and k.start < hit.end for k in kept):
                kept.append(hit)
    return sorted(kept, key=lambda h: h.start)

