"""The shape of one knowledge entry (one YAML file in knowledge/).

The pydantic models are the single source of truth: the loader validates with them and
`authbot kb schema` exports them as JSON Schema for editors.
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, field_validator

EntryId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=80)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

#: Name of the Authorization FAQ the knowledge base grew from (../shared/seed); an entry marked `seed`
#: may leave a summary or step unsourced, which then means "as the seed says".
SEED_SOURCE = "seed"
#: `<key>` or `<key>#<anchor>`: a document named in knowledge/_sources.yaml, and a heading in it.
SourceRef = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*(?:#[A-Za-z0-9_./~%-]+)?$")]


class SourcedText(str):
    """Answer text that remembers which upstream documents it rests on.

    A `str`, so the matcher, the renderers and the Discord views, which only ever read the text, work
    unchanged; `authbot kb check` reads `.sources`.
    """

    sources: tuple[str, ...] = ()

    def __new__(cls, text: str, sources: tuple[str, ...] = ()) -> SourcedText:
        value = super().__new__(cls, text)
        value.sources = sources
        return value


class Sourced(BaseModel):
    """A summary or step written as `{text: ..., source: [ref, ...]}`."""

    model_config = ConfigDict(extra="forbid")

    text: Line
    source: list[SourceRef] = Field(min_length=1, description="Where the text comes from: keys of _sources.yaml.")


def _sourced(value: str | Sourced) -> SourcedText:
    if isinstance(value, Sourced):
        return SourcedText(value.text, tuple(value.source))
    return SourcedText(value)


#: Plain text (unsourced) or text with its sources; either way the entry holds a `SourcedText`.
Text = Annotated[Line | Sourced, AfterValidator(_sourced)]

#: Signal ids an entry may name in `signals`. The extractor (bot/core/signals.py) emits exactly
#: these families; a trailing `*` part is free-form (e.g. `oauth.invalid_grant`).
SIGNAL_FAMILIES = (
    "error.",  # a known error message was pasted, e.g. error.invalid_access_token
    "error_type.",  # the Agent/Customer/Configuration API error envelope's `type`
    "oauth.",  # an OAuth error code (oauth_exception / error= / error JSON)
    "identity.",  # identity_exception values from the accounts login page
    "details.",  # exception_details values
    "rtm.",  # RTM disconnect reasons
    "status.",  # HTTP status codes, e.g. status.401
    "api.",  # which API the text talks to, e.g. api.customer-chat
    "endpoint.",  # accounts endpoints, e.g. endpoint.customer-token
    "scheme.",  # Authorization scheme used: scheme.bearer / scheme.basic
    "credential.",  # credential kinds found, e.g. credential.pat
    "param.",  # OAuth/request parameters mentioned, e.g. param.entity_id
    "finding.",  # a problem found in the user's own text, e.g. finding.pat-as-bearer
    "intent.",  # what the user asks for, e.g. intent.contact
    "topic.",  # LiveChat auth vocabulary present, e.g. topic.auth
    "sdk.",  # a LiveChat SDK or widget in the pasted code, e.g. sdk.customer-sdk, sdk.widget, sdk.api-v2
    "grant.",  # the grant_type a request sends: grant.authorization_code, refresh_token, agent_token, cookie
)


class Api(StrEnum):
    agent_chat = "agent-chat"
    customer_chat = "customer-chat"
    configuration = "configuration"
    reports = "reports"
    global_accounts = "global-accounts"
    customer_accounts = "customer-accounts"
    helpdesk = "helpdesk"
    text = "text"
    oauth = "oauth"


class Link(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: Line = Field(max_length=100)
    url: Annotated[str, StringConstraints(pattern=r"^https://[^\s]+$")]


class Example(BaseModel):
    """A real request (or response) the answer shows, e.g. the customer token refresh."""

    model_config = ConfigDict(extra="forbid")

    title: Line = Field(max_length=100)
    language: Annotated[str, StringConstraints(pattern=r"^[a-z]*$")] = "shell"
    code: Line


class Explains(BaseModel):
    """This entry is the specific cause behind a generic symptom that another entry answers.

    When one of the `when` signals is in the message (a finding about the request, a credential shape, an
    error type), the ranker puts this entry above `entry`: a pasted "Invalid access token" is the
    symptom, a PAT sent with Bearer is the cause, and the cause is what helps.
    """

    model_config = ConfigDict(extra="forbid")

    entry: EntryId = Field(description="The generic entry this one explains.")
    when: list[str] = Field(min_length=1, description="Signals, each one of this entry's own `signals`.")
    unless: list[str] = Field(
        default_factory=list,
        description="Signals that name a still more specific cause (\"insufficient_scope\" beside an authorization "
        "error): with one of them in the message, the relation does not apply.",
    )


class Entry(BaseModel):
    """One question and its answer."""

    model_config = ConfigDict(extra="forbid")

    id: EntryId
    title: Line = Field(max_length=256, description="Shown as the answer's heading.")
    question: Line = Field(description="The canonical question, in the FAQ's words.")
    summary: Text = Field(description="The key line: one or two sentences (at most 300 characters).")
    phrasings: list[Line] = Field(
        min_length=1, description="Other ways users ask this (not copied from evaluation sets)."
    )
    error_strings: list[Line] = Field(
        default_factory=list, description="Exact error text users paste, matched inside long logs."
    )
    keywords: list[Line] = Field(default_factory=list, description="Words and short phrases of the topic.")
    signals: dict[str, float] = Field(
        default_factory=dict,
        description="Signal id -> weight (0..1) added to the match when the signal is in the user's text.",
    )
    steps: list[Text] = Field(
        min_length=1, description="Ordered fix steps, short imperative sentences, each with its sources."
    )
    example: Example | None = None
    links: list[Link] = Field(default_factory=list)
    related: list[EntryId] = Field(default_factory=list)
    explains: list[Explains] = Field(
        default_factory=list, description="Generic entries this one is the specific cause of, and the evidence."
    )
    apis: list[Api] = Field(min_length=1)
    source: list[Line] = Field(min_length=1, description="The entry's sources as a reader would cite them.")
    seed: bool = Field(
        default=False,
        description="Answers a question of the Authorization FAQ seed: unsourced text is read as the seed's.",
    )

    @field_validator("summary")
    @classmethod
    def _summary_length(cls, value: SourcedText) -> SourcedText:
        # The length rule lives here because a sourced summary is a mapping, not a constrained string.
        if len(value) > 300:
            raise ValueError(f"summary is {len(value)} characters; at most 300")
        return value

    @field_validator("signals")
    @classmethod
    def _known_signal_families(cls, value: dict[str, float]) -> dict[str, float]:
        for signal, weight in value.items():
            if not signal.startswith(SIGNAL_FAMILIES) or not re.fullmatch(r"[a-z_]+\.[a-z0-9_:.\-]+", signal):
                raise ValueError(f"unknown signal {signal!r}; it must start with one of {SIGNAL_FAMILIES}")
            if not 0 < weight <= 1:
                raise ValueError(f"signal {signal!r} weight must be in (0, 1], got {weight}")
        return value


class Vocabulary(BaseModel):
    """Words that decide whether a message is about LiveChat authorization at all.

    Kept in knowledge/_vocabulary.yaml so that tuning what counts as on-topic is a content change.
    """

    model_config = ConfigDict(extra="forbid")

    livechat_terms: list[Line] = Field(min_length=1, description="Words that name LiveChat or its APIs.")
    shared_livechat_terms: list[Line] = Field(
        default_factory=list,
        description="Words LiveChat shares with other products (live chat, help desk, developer console): "
        "they count as LiveChat only when no other product is named.",
    )
    auth_terms: list[Line] = Field(min_length=1, description="Words of authorization trouble.")
    other_platforms: list[Line] = Field(
        default_factory=list, description="Other products whose auth questions we must not answer."
    )
    synonyms: dict[str, str] = Field(
        default_factory=dict, description="User word -> canonical word, applied before matching."
    )


class Document(BaseModel):
    """An upstream document that answers cite (knowledge/_sources.yaml)."""

    model_config = ConfigDict(extra="forbid")

    title: Line
    url: Annotated[str, StringConstraints(pattern=r"^https://[^\s#]+$")]
    path: Line = Field(description="Where the text lives upstream, e.g. a file in livechat/livechat-public-docs.")
    anchors: list[Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_./~%-]+$")]] = Field(
        default_factory=list, description="Headings a reference may point at (`key#anchor`)."
    )

