"""Offline inspection of ONE pasted token: what it is, what was damaged in copying, what that means.

Every claim comes from ../shared/research/livechat-auth.md (sections 1–4). What the research marks
UNCONFIRMED (exact token length and alphabet, the PAT format) is never stated as fact: a `<region>:<chars>`
value could be an agent token, a customer token or even a PAT, so we say so and let the live check decide.

The cleaned value (`Inspection.token`) is the only raw thing here; it is excluded from repr and is meant
for the live check alone.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import parse_qs, unquote, urlsplit

from bot.core.detectors import FOREIGN_SECRETS
from bot.core.diagnosis import CredentialKind
from bot.core.redact import EMAIL, REGION_TOKEN, UUID, base64_text, redacted_form
from bot.credentials.leaks import KIND_NAMES


class TokenKind(StrEnum):
    access_token = "access-token"  # <region>:<chars>: agent or customer; only the live check can tell
    agent_token = "agent-access-token"  # known after a live check (or never, offline)
    customer_token = "customer-access-token"
    refresh_token = "refresh-token"  # no region prefix (since late 2024)
    pat_basic = "pat-basic"  # base64(account_id:PAT), the value after `Basic `
    raw_pat = "personal-access-token"  # the PAT itself, where the Basic value belongs or with an Account ID
    legacy_basic = "legacy-basic"  # base64(email:PAT): Configuration API v2 only
    bad_basic = "basic-credential"  # meant as a Basic value, but not base64 of account_id:PAT
    authorization_code = "authorization-code"
    bot_token = "bot-token"  # a JWT: what issue_bot_token returns
    foreign_secret = "foreign-secret"  # a Stripe, GitHub, Slack, Google, AWS, OpenAI or Discord key
    unknown = "unknown"


#: Plain-words names, used in every reply.
KIND_LABELS: dict[TokenKind, str] = {
    TokenKind.access_token: "an OAuth access token (agent or customer)",
    TokenKind.agent_token: "an agent OAuth access token",
    TokenKind.customer_token: "a customer access token",
    TokenKind.refresh_token: "probably a refresh token",
    TokenKind.pat_basic: "a Personal Access Token, Basic-encoded (`account_id:PAT` in base64)",
    TokenKind.raw_pat: "a Personal Access Token (the raw PAT, not Basic-encoded)",
    TokenKind.legacy_basic: "a legacy `email:PAT` Basic value",
    TokenKind.bad_basic: "a Basic value I can't decode into `account_id:PAT`",
    TokenKind.authorization_code: "an authorization code",
    TokenKind.bot_token: "a JWT (LiveChat bot tokens are JWTs)",
    TokenKind.foreign_secret: KIND_NAMES[CredentialKind.foreign_secret],  # the leak guard's name for it
    TokenKind.unknown: "something I don't recognise as a LiveChat credential",
}

# Kinds whose redacted form keeps the region prefix visible (it is not secret and helps the user).
_REDACT_AS: dict[TokenKind, CredentialKind] = {
    TokenKind.access_token: CredentialKind.agent_token,
    TokenKind.agent_token: CredentialKind.agent_token,
    TokenKind.customer_token: CredentialKind.customer_token,
    TokenKind.refresh_token: CredentialKind.refresh_token,
    TokenKind.pat_basic: CredentialKind.pat_basic,
    TokenKind.raw_pat: CredentialKind.pat,
    TokenKind.legacy_basic: CredentialKind.legacy_basic,
    TokenKind.bad_basic: CredentialKind.basic_other,
    TokenKind.authorization_code: CredentialKind.authorization_code,
    TokenKind.bot_token: CredentialKind.bearer_other,
    TokenKind.foreign_secret: CredentialKind.foreign_secret,
    TokenKind.unknown: CredentialKind.bearer_other,
}

# The regions the docs name (research section 2); `us-south1` is only hinted at, so it is not listed.
DOCUMENTED_REGIONS = frozenset({"dal", "fra", "fra-a", "fra-b"})
_HEADER_NAME = re.compile(r"^\s*authorization\s*:\s*", re.I)
_SCHEME = re.compile(r"^(bearer|basic)(?:\s+|%20)", re.I)
_QUOTES = "\"'`“”‘’"
# Zero-width and BOM characters ride along when copying from web pages and chat clients.
_INVISIBLE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]+")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_SHORT_REGION_TOKEN = re.compile(r"^[a-z]{2,9}(?:-[a-z0-9]{1,9})?:[A-Za-z0-9_-]{1,9}$")
# Refresh-token samples are 20+ URL-safe characters with letters and digits; demand that much so a
# pasted word is not called a refresh token.
_BARE_TOKEN = re.compile(r"^(?=.*[0-9])(?=.*[A-Za-z])[A-Za-z0-9_-]{16,}$")
_JWT = re.compile(r"^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Problem:
    """Something wrong with the pasted value, in plain words, with what to do about it."""

    id: str
    message: str


@dataclass(frozen=True)
class Inspection:
    kind: TokenKind
    redacted: str  # safe to show
    token: str = field(repr=False)  # the cleaned value; only for the live check, never shown or stored
    basic_value: str | None = field(default=None, repr=False)  # base64(account_id:PAT) for a PAT check
    region: str | None = None
    account_id: str | None = None  # not secret: the Basic username of a PAT
    pasted_scheme: str | None = None  # "bearer"/"basic" when the user pasted the scheme into the field
    problems: tuple[Problem, ...] = ()
    notes: tuple[str, ...] = ()  # neutral facts that are not problems

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def checkable(self) -> bool:
        """Only access tokens and PAT credentials have a validation endpoint; refresh tokens don't."""
        if self.kind in {TokenKind.pat_basic, TokenKind.raw_pat}:
            return self.basic_value is not None
        return self.kind in {TokenKind.access_token, TokenKind.agent_token, TokenKind.customer_token}


def _strip_quotes(value: str) -> tuple[str, bool]:
    stripped = value.strip().strip(_QUOTES).strip()
    return stripped, stripped != value.strip()


def _from_url(value: str) -> tuple[str, str | None] | None:
    """A whole redirect URL pasted: pull out `access_token` (implicit flow) or `code` (code flow)."""
    if "access_token=" not in value and "code=" not in value:
        return None
    parts = urlsplit(value)
    for part in (parts.fragment, parts.query, value):
        params = parse_qs(part.split("?", 1)[-1].split("#", 1)[-1])
        if "access_token" in params:
            return params["access_token"][0], "access_token"
        if "code" in params:
            return params["code"][0], "code"
    return None


class _Cleaner:
    """Undo the usual copy-and-paste damage step by step, remembering each fix for the report."""

    def __init__(self, value: str) -> None:
        self.value = value
        self.problems: list[Problem] = []
        self.scheme: str | None = None
        self.from_url: str | None = None

    def add(self, problem_id: str, message: str) -> None:
        if all(p.id != problem_id for p in self.problems):
            self.problems.append(Problem(problem_id, message))

    def run(self) -> str:
        value = self.value.strip()
        if _HEADER_NAME.match(value):
            value = _HEADER_NAME.sub("", value)
            self.add("header-name", "You pasted the header name (`Authorization:`) too. Only the value goes there.")
        value, quoted = _strip_quotes(value)
        while match := _SCHEME.match(value):
            if self.scheme is not None:
                self.add("scheme-repeated", "The scheme appears twice (e.g. `Bearer Bearer …`). Send it once.")
            self.scheme = match.group(1).lower()
            value, more_quotes = _strip_quotes(value[match.end() :])
            quoted = quoted or more_quotes
        if self.scheme is not None:
            self.add(
                "scheme-pasted",
                f"You pasted `{self.scheme.title()} ` in front of the token. In a token field or an SDK that adds "
                f"the scheme itself, that gives `{self.scheme.title()} {self.scheme.title()} …`; put only the "
                "token there.",
            )
        extracted = _from_url(value) if ("://" in value or value.startswith(("#", "?"))) else None
        if extracted is not None:
            value, self.from_url = extracted
            self.add("whole-url", "You pasted a whole URL; I took the token out of it.")
        if any(q in value for q in _QUOTES):
            quoted = True
            value = "".join(ch for ch in value if ch not in _QUOTES)
        if quoted:
            self.add("quotes", "The token was wrapped in (or contained) quote marks. They are not part of it.")
        if _INVISIBLE.search(value):
            value = _INVISIBLE.sub("", value)
            self.add(
                "whitespace",
                "The token had spaces, line breaks or invisible characters inside it, usually from copying. "
                "I removed them; remove them in your code too.",
            )
        if _PERCENT.search(value):
            encoded_colon = re.search("%3a", value, re.I) is not None
            value = unquote(value)
            if encoded_colon:
                self.add(
                    "percent-encoded",
                    "The token contains `%3A`, a URL-encoded colon (redirect URLs encode it). Replace `%3A` "
                    "with `:`. I checked it with the colon.",
                )
            else:
                self.add("percent-encoded", "The token is URL-encoded (`%..`). Decode it before you use it.")
        return value


def _redacted(kind: TokenKind, value: str, region: str | None) -> str:
    """The core's redacted form, labelled with what we know offline. Only the region prefix (`dal:`, not
    secret, and it helps the user) is kept whole; of the secret itself at most the last 4 characters, and
    none when it is under 20 characters (4 of 16 is a quarter of the secret)."""
    prefix = len(region) + 1 if region and value.startswith(f"{region}:") else 0
    core = redacted_form(_REDACT_AS[kind], value, prefix)
    return f"[{kind.value} {core.split(' ', 1)[1]}"


def _inspect_basic_text(decoded: str, cleaner: _Cleaner, value: str) -> tuple[TokenKind, str | None, str | None]:
    """(kind, account_id, basic value to send) for the text inside a Basic value."""
    if ":" not in decoded:
        cleaner.add(
            "basic-no-account-id",
            "This Basic value decodes to a single value without the `account_id:` part. Encode "
            "`<account_id>:<PAT>` (your Account ID, a colon, then the PAT) with base64.",
        )
        return TokenKind.bad_basic, None, None
    if REGION_TOKEN.fullmatch(decoded):
        cleaner.add(
            "basic-no-account-id",
            "This Basic value is the base64 of the token alone, without the `account_id:` part. Encode "
            "`<account_id>:<PAT>` (your Account ID, a colon, then the PAT) with base64.",
        )
        return TokenKind.bad_basic, None, None
    user, secret = decoded.split(":", 1)
    if UUID.match(user) and secret:
        return TokenKind.pat_basic, user.lower(), value
    if EMAIL.match(user):
        cleaner.add(
            "legacy-email",
            "This Basic value is `email:PAT`. The email username is only for the deprecated Configuration API "
            "v2; current APIs take your Account ID (a UUID) as the username: base64 of `<account_id>:<PAT>`.",
        )
        return TokenKind.legacy_basic, None, None
    cleaner.add(
        "basic-bad-username",
        "This Basic value decodes to `username:password`, but the username is not an Account ID (a UUID). "
        "Use your Account ID from the Developer Console as the username.",
    )
    return TokenKind.bad_basic, None, None


def inspect_token(pasted: str, *, account_id: str | None = None) -> Inspection:
    """Inspect one pasted credential. `account_id` (not secret) turns a raw PAT into a checkable Basic value."""
    cleaner = _Cleaner(pasted)
    value = cleaner.run()
    notes: list[str] = []
    account_id = (account_id or "").strip().strip(_QUOTES).lower() or None
    if account_id is not None and not UUID.match(account_id):
        cleaner.add(
            "account-id-format", "The Account ID you gave is not a UUID (like `b7eff798-f8df-4364-8059-649c35c9ed0c`)."
        )
        account_id = None

    kind, region, basic_value, owner = TokenKind.unknown, None, None, None
    region_match = REGION_TOKEN.fullmatch(value)
    raw_pair = re.match(r"^([^:\s]+):(.+)$", value)
    decoded = base64_text(value, also_urlsafe=True) if value and not region_match else None
    if not value:
        cleaner.add("empty", "There was no token in what you pasted.")
    elif cleaner.from_url == "code":
        kind = TokenKind.authorization_code
        region = region_match.group("region") if region_match else None
        notes.append(
            "An authorization code is single-use and valid only a few minutes; exchange it at "
            "`POST https://accounts.livechat.com/v2/token`. It can't be checked like a token."
        )
    elif region_match:
        region = region_match.group("region")
        if cleaner.scheme == "basic" or account_id:
            kind = TokenKind.raw_pat
            if cleaner.scheme == "basic" and account_id is None:
                cleaner.add(
                    "raw-pat-in-basic",
                    "After `Basic ` you pasted the PAT itself. The Basic value must be the base64 encoding of "
                    "`<account_id>:<PAT>`. Give me your Account ID (shown in the Developer Console) to check it.",
                )
            if account_id:
                basic_value = base64.b64encode(f"{account_id}:{value}".encode()).decode()
                owner = account_id
        else:
            kind = TokenKind.access_token
            notes.append(
                f"It has the `<region>:<characters>` shape of an OAuth access token (region `{region}`). "
                "Agent and customer tokens look the same; a Personal Access Token may too (its format isn't "
                "documented)."
            )
        if region not in DOCUMENTED_REGIONS:
            notes.append(f"The region prefix `{region}` is not one the docs name (dal, fra, fra-a, fra-b).")
    elif raw_pair and (UUID.match(raw_pair.group(1)) or EMAIL.match(raw_pair.group(1))):
        # `account_id:PAT` or `email:PAT` pasted as plain text: the base64 step was skipped.
        cleaner.add(
            "basic-not-encoded",
            "This is `username:PAT` in plain text. A Basic header needs it base64-encoded: "
            "`Authorization: Basic <base64 of account_id:PAT>`.",
        )
        kind, owner, basic_value = _inspect_basic_text(value, cleaner, base64.b64encode(value.encode()).decode())
    elif _SHORT_REGION_TOKEN.match(value):
        kind, region = TokenKind.access_token, value.split(":", 1)[0]
        cleaner.add(
            "too-short",
            "This looks like the start of an access token but is shorter than any documented example "
            "(they have 15–27 characters after the colon). Make sure you copied all of it.",
        )
    elif decoded is not None and (":" in decoded or cleaner.scheme == "basic"):
        kind, owner, basic_value = _inspect_basic_text(decoded, cleaner, value)
    elif cleaner.scheme == "basic":
        kind = TokenKind.bad_basic
        cleaner.add(
            "basic-not-base64",
            "The value after `Basic ` is not valid base64. It must be the base64 encoding of `<account_id>:<PAT>`.",
        )
    elif _JWT.match(value):
        kind = TokenKind.bot_token
        notes.append(
            "It looks like a JWT. A bot token from `issue_bot_token` is a JWT, valid for 24 hours and not "
            "revocable; I can't check those."
        )
    elif any(pattern.fullmatch(value) for _, pattern in FOREIGN_SECRETS):
        # Checked before the bare-token shape, which `sk_live_…` also has: it is no LiveChat token at all.
        kind = TokenKind.foreign_secret
        cleaner.add(
            "not-livechat",
            "This is another service's key (Stripe, GitHub, Slack, Google, AWS, OpenAI or Discord), not a "
            "LiveChat credential, so it is never sent to LiveChat. Check it with that service, and rotate it "
            "if you pasted it anywhere public.",
        )
    elif _BARE_TOKEN.match(value):
        kind = TokenKind.refresh_token
        notes.append(
            "It has no `dal:`/`fra:` region prefix. Refresh tokens have had none since late 2024; access "
            "tokens carry one. Refresh tokens can't be validated directly: exchange it at "
            "`POST https://accounts.livechat.com/v2/token` with `grant_type=refresh_token`."
        )
        if cleaner.scheme == "bearer":
            cleaner.add(
                "refresh-as-bearer",
                "You use it with `Bearer `. API calls need an access token (with its region prefix); a refresh "
                "token only gets you a new access token.",
            )

    if kind in {TokenKind.pat_basic, TokenKind.raw_pat} and cleaner.scheme == "bearer":
        cleaner.add(
            "pat-as-bearer",
            "You use a Personal Access Token with `Bearer `. PATs use the Basic scheme: "
            "`Authorization: Basic <base64 of account_id:PAT>`.",
        )
    return Inspection(
        kind=kind,
        redacted=_redacted(kind, value, region) if value else "[empty]",
        token=value,
        basic_value=basic_value,
        region=region,
        account_id=owner,
        pasted_scheme=cleaner.scheme,
        problems=tuple(cleaner.problems),
        notes=tuple(notes),
    )
