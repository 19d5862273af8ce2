"""The values that flow through the pipeline: text → redact → signals → match → answer.

Every front end (terminal, Discord, eval) consumes a `Diagnosis`. Nothing here holds a raw
credential in a form that can be printed: `Credential.raw` is excluded from repr and from
`to_public()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from bot.knowledge.schema import Entry, Example, Link


class CredentialKind(StrEnum):
    agent_token = "agent-access-token"  # <region>:<chars> OAuth access token (agent or customer)
    customer_token = "customer-access-token"  # a <region>:<chars> token known to belong to a customer
    refresh_token = "refresh-token"
    pat_basic = "pat-basic"  # Basic base64(account_id:PAT)
    legacy_basic = "legacy-basic"  # Basic base64(email:PAT), Configuration API v2 only
    basic_other = "basic-credential"  # Basic value we could not attribute
    pat = "personal-access-token"  # a raw PAT value
    client_secret = "client-secret"
    authorization_code = "authorization-code"
    bearer_other = "bearer-credential"  # Bearer value that is not a LiveChat token shape
    foreign_secret = "other-secret"  # another product's secret (Stripe, GitHub, Discord …)
    session_cookie = "session-cookie"  # LiveChat's customer session cookie (__lc_cst) from the cookie grant
    unknown_secret = "secret"  # random-looking or vaguely named: masked, but not acted on by the leak guard


#: Each kind in plain words: the answer's note, the leak guard's notice and its DM all say the same.
CREDENTIAL_NAMES: dict[CredentialKind, str] = {
    CredentialKind.agent_token: "a LiveChat access token",
    CredentialKind.customer_token: "a LiveChat customer access token",
    CredentialKind.refresh_token: "a LiveChat refresh token",
    CredentialKind.pat_basic: "a LiveChat Personal Access Token (Basic value)",
    CredentialKind.legacy_basic: "a LiveChat Personal Access Token (email:PAT Basic value)",
    CredentialKind.pat: "a LiveChat Personal Access Token",
    CredentialKind.client_secret: "an app's client secret",
    CredentialKind.authorization_code: "a LiveChat authorization code",
    CredentialKind.basic_other: "a Basic authorization credential",
    CredentialKind.bearer_other: "a Bearer token",
    CredentialKind.foreign_secret: "another service's secret (an API key or token)",
    CredentialKind.session_cookie: "a LiveChat customer session cookie (__lc_cst)",
    CredentialKind.unknown_secret: "a value that looks like a secret",
}


@dataclass(frozen=True)
class Credential:
    """A secret found in the user's text. `raw` is only for a live check; never show or store it."""

    kind: CredentialKind
    redacted: str
    start: int
    end: int
    raw: str = field(repr=False, compare=False)
    scheme: str | None = None  # "bearer" / "basic" when it came from an Authorization header
    region: str | None = None
    account_id: str | None = None  # not secret: the Basic username (a UUID) of a PAT credential
    percent_encoded: bool = False
    source: str = "text"  # where it was found: header, curl-user, field, text

    def to_public(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "redacted": self.redacted,
            "scheme": self.scheme,
            "region": self.region,
            "percent_encoded": self.percent_encoded,
        }


@dataclass(frozen=True)
class Finding:
    """Something specific about the user's own text, shown before the generic steps."""

    id: str
    message: str


@dataclass
class Signals:
    """What the extractor read from the text. `ids` is the flat set entries refer to."""

    ids: set[str] = field(default_factory=set)
    statuses: list[int] = field(default_factory=list)
    error_types: list[str] = field(default_factory=list)
    error_messages: list[str] = field(default_factory=list)
    oauth_errors: list[str] = field(default_factory=list)
    apis: list[str] = field(default_factory=list)
    endpoints: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    schemes: list[str] = field(default_factory=list)
    params: list[str] = field(default_factory=list)

    def to_public(self) -> dict[str, Any]:
        return {
            "ids": sorted(self.ids),
            "statuses": self.statuses,
            "error_types": self.error_types,
            "error_messages": self.error_messages,
            "oauth_errors": self.oauth_errors,
            "apis": self.apis,
            "endpoints": self.endpoints,
            "hosts": self.hosts,
            "schemes": self.schemes,
            "params": self.params,
        }


@dataclass(frozen=True)
class Topic:
    livechat: bool  # names LiveChat, its APIs, hosts, or carries a LiveChat-shaped token
    auth: bool  # uses authorization vocabulary
    other_platforms: tuple[str, ...]  # other products named in an auth context

    @property
    def foreign(self) -> bool:
        """About another product's authorization and not LiveChat's."""
        return bool(self.other_platforms) and not self.livechat


@dataclass(frozen=True)
class Match:
    entry_id: str
    score: float  # calibrated confidence in [0, 1]
    text_score: float  # the fuzzy part alone, in [0, 1]
    signal_score: float  # the signal boost alone
    raw: float = 0.0  # the evidence sum before calibration (near ties are judged on it)
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """What a front end renders. Findings come first, then the entry's steps."""

    abstained: bool
    headline: str
    findings: tuple[Finding, ...]
    entry: Entry | None
    steps: tuple[str, ...]
    links: tuple[Link, ...]
    example: Example | None
    confidence: float | None  # None when someone chose the entry by name: there was no guess
    runner_up: Entry | None
    notes: tuple[str, ...]  # e.g. "your message was cut at 4,000 characters"
    escalate: bool = False  # an honest "I don't know": point to (or ping) humans; not for a thank-you
    title: str = ""  # an abstain's heading ("Not an authorization question"); entries use their own
    # Several questions in one message: the others this answer covers (question excerpt, entry) and the ones
    # it doesn't (excerpts), so the reply says which parts it leaves out.
    more: tuple[tuple[str, Entry], ...] = ()
    uncovered: tuple[str, ...] = ()


@dataclass
class Diagnosis:
    text: str  # the redacted, normalised text: safe to log and store
    truncated: bool
    matches: list[Match]
    abstained: bool
    near_tie: bool
    signals: Signals
    findings: list[Finding]
    credentials: list[Credential]
    answer: Answer
    ms: float = 0.0
    features: tuple[float, ...] = ()  # what the confidence was computed from (confidence.FEATURES)
    # LiveChat-specific evidence: its name, hosts, token shapes, error bodies or API names. Help channels
    # answer unprompted only with it: a confident guess about a message that never mentions LiveChat is
    # too often another product's question.
    livechat_evidence: bool = False
    topic: Topic | None = None  # what the message is about (LiveChat? authorization? another product?)

    @property
    def top(self) -> Match | None:
        return self.matches[0] if self.matches else None

    @property
    def has_credentials(self) -> bool:
        return bool(self.credentials)

    def to_public(self) -> dict[str, Any]:
        """JSON-ready view with no raw credential in it."""
        answer = self.answer
        return {
            "abstained": self.abstained,
            "near_tie": self.near_tie,
            "truncated": self.truncated,
            "matches": [
                {"id": m.entry_id, "score": round(m.score, 4), "reasons": list(m.reasons)} for m in self.matches
            ],
            "findings": [{"id": f.id, "message": f.message} for f in self.findings],
            "credentials": [c.to_public() for c in self.credentials],
            "signals": self.signals.to_public(),
            "answer": {
                "headline": answer.headline,
                "entry": answer.entry.id if answer.entry else None,
                "findings": [f.message for f in answer.findings],
                "steps": list(answer.steps),
                "links": [{"title": link.title, "url": link.url} for link in answer.links],
                "example": answer.example.code if answer.example else None,
                "confidence": None if answer.confidence is None else round(answer.confidence, 4),
                "runner_up": answer.runner_up.id if answer.runner_up else None,
                "notes": list(answer.notes),
            },
            "ms": round(self.ms, 3),
        }
