"""Step 3a: is this message about LiveChat authorization at all? Decides abstaining before ranking."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from bot.core.diagnosis import Credential, CredentialKind, Signals
from bot.core.tokens import stem
from bot.knowledge.schema import Vocabulary


@dataclass(frozen=True)
class Topic:
    livechat: bool  # names LiveChat, its APIs, hosts, or carries a LiveChat-shaped token
    auth: bool  # uses authorization vocabulary
    other_platforms: tuple[str, ...]  # other products named in an auth context

    @property
    def foreign(self) -> bool:
        """About another product's authorization and not LiveChat's."""
        return bool(self.other_platforms) and not self.livechat


@lru_cache(maxsize=8)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    # Words of five letters or more also match their inflections (authorized, tokens, credentials).
    alternatives = "|".join(
        re.escape(t) + (r"[a-z0-9]*" if len(t) >= 5 and t[-1].isalpha() else "")
        for t in sorted((t.lower() for t in terms), key=len, reverse=True)
    )
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")


# Hosts the user's own request goes to (curl, an HTTP verb, a client call), as opposed to any URL.
_REQUEST_HOST = re.compile(
    r"(?:curl\b[^\n]*?|\b(?:get|post|put|patch|delete)\s+|fetch\(\s*[\"'`]|requests\.\w+\(\s*[\"']|axios\.\w+\(\s*[\"'`])"
    r"https?://([a-z0-9.-]+)"
)
_LOCAL_HOSTS = ("localhost", "127.0.0.1", "example.com", "example.org")
_LIVECHAT_API = re.compile(r"\b(?:livechat|text\.com|text platform)(?: (?:rest|web|rtm))? apis?\b")
_LIVECHAT_WORKS = re.compile(
    r"livechat (?:side|part|api|one|calls?|webhooks?|integration)s? (?:is |are |still )*(?:fine|ok|works|working|fires)"
)
LIVECHAT_HOST_SUFFIXES = ("livechat.com", "livechatinc.com", "helpdesk.com", "text.com")
_API_ACCESS = re.compile(
    r"\b(?:call|calls|calling|access|accessing|connect|connecting|requests?|hit|hitting|talk(?:s|ing)? to)\b"
)
_LIVECHAT_SIGNALS = ("endpoint.", "oauth.", "details.", "rtm.", "error.", "param.")
AUTH_ERROR_TYPES = frozenset(
    f"error_type.{t}"
    for t in (
        "authentication", "authorization", "missing_access", "misdirected_request", "validation",
        "requester_awaiting_approval", "requester_suspended",
    )
)
_LIVECHAT_CREDENTIALS = {
    CredentialKind.agent_token, CredentialKind.customer_token, CredentialKind.pat_basic,
    CredentialKind.legacy_basic, CredentialKind.authorization_code,
}


@lru_cache(maxsize=8)
def _auth_stems(terms: tuple[str, ...]) -> frozenset[str]:
    return frozenset(stem(t) for t in terms if " " not in t and t.isalpha())


def classify_topic(
    text: str,
    vocabulary: Vocabulary,
    signals: Signals,
    credentials: list[Credential],
    corrected_words: Iterable[str] = (),
) -> Topic:
    """`corrected_words` are the matcher's typo-corrected words, so "tokn" still counts as auth talk."""
    lower = text.lower().replace("-", " ")  # "sign-in" and "sign in" are the same words here
    livechat = bool(_pattern(tuple(vocabulary.livechat_terms)).search(lower))
    livechat = livechat or any(c.kind in _LIVECHAT_CREDENTIALS for c in credentials)
    livechat_hosts = [h for h in signals.hosts if h.endswith(LIVECHAT_HOST_SUFFIXES)]
    livechat = livechat or bool(livechat_hosts)
    auth = bool(_pattern(tuple(vocabulary.auth_terms)).search(lower)) or any(
        s.startswith(_LIVECHAT_SIGNALS) for s in signals.ids
    )
    # An API error about rate limits, routing or licences is LiveChat, but not authorization.
    auth = auth or bool(signals.ids & AUTH_ERROR_TYPES)
    # "How do I call the Customer Chat API?" is an authorization question without the word;
    # "What's the rate limit of the Agent Chat API?" is not.
    names_an_api = any(s.startswith("api.") for s in signals.ids) or bool(_LIVECHAT_API.search(lower))
    auth = auth or (names_an_api and bool(_API_ACCESS.search(lower)))
    auth = auth or not _auth_stems(tuple(vocabulary.auth_terms)).isdisjoint(corrected_words)
    others: tuple[str, ...] = ()
    if auth or any(c.kind is CredentialKind.foreign_secret for c in credentials):
        others = tuple(sorted(set(_pattern(tuple(vocabulary.other_platforms)).findall(lower))))
        if any(c.kind is CredentialKind.foreign_secret for c in credentials):
            others = others or ("another product",)
    # "We use LiveChat and Zendesk; our Zendesk calls fail": LiveChat is named, but every request shown
    # goes to another host, or the user says the LiveChat part works.
    called = [h for h in _REQUEST_HOST.findall(text.lower()) if not h.endswith(_LOCAL_HOSTS)]
    if called and not any(h.endswith(LIVECHAT_HOST_SUFFIXES) for h in called):
        others = others or (called[0],)
    request_elsewhere = bool(others) and (
        (bool(signals.hosts) and not livechat_hosts) or bool(_LIVECHAT_WORKS.search(lower))
    )
    return Topic(livechat=livechat and not request_elsewhere, auth=auth, other_platforms=others)
