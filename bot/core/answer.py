"""Step 4: compose the answer — the user's own findings first, then the entry's steps; or an honest abstain."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.diagnosis import CREDENTIAL_NAMES, Answer, Credential, Finding, Match
from bot.core.text import MAX_INPUT_CHARS, CleanText
from bot.core.topic import GENERAL_PRACTICE, OWN_AUTH_SERVER, Topic
from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Link

CONTACT_ENTRY = "contact-support"
THANKS_TITLE = "You're welcome"


def _notes(cleaned: CleanText | None, credentials: list[Credential]) -> tuple[str, ...]:
    notes = []
    if cleaned is not None and cleaned.truncated:
        limit = f"{MAX_INPUT_CHARS:,}"
        notes.append(f"Your message was longer than {limit} characters; I read only the first {limit}.")
    if cleaned is not None and cleaned.evidence_lines is not None:
        notes.append(
            f"Your message was long ({cleaned.original_length:,} characters): I read its first and last lines and "
            f"{cleaned.evidence_lines} lines in between with errors, status codes, headers or URLs."
        )
    if credentials:
        kinds = ", ".join(sorted({CREDENTIAL_NAMES[c.kind] for c in credentials}))
        notes.append(
            f"Your text contained {kinds}; I only ever show it redacted. "
            "If it was posted publicly, revoke or rotate it."
        )
    return tuple(notes)


@dataclass(frozen=True)
class _NoAnswer:
    title: str
    headline: str
    steps: tuple[str, ...]
    links: tuple[Link, ...]
    escalate: bool  # a real gap in what the bot knows: offer a human (never for thanks or other topics)


DOCS = Link(title="LiveChat developer docs", url="https://platform.text.com/docs")


def _no_answer(kb: KnowledgeBase, topic: Topic, *, thanks: bool) -> _NoAnswer:
    """The four honest ways not to answer: thanks, another product, LiveChat but not authorization, a gap."""
    if thanks:
        headline = "Glad it's sorted! If something else about LiveChat authorization breaks, paste it here."
        return _NoAnswer(THANKS_TITLE, headline, (), (), escalate=False)
    if topic.foreign and topic.other_platforms == (GENERAL_PRACTICE,):
        return _NoAnswer(
            "Not a LiveChat question",
            "This looks like a question about authorization in general, not about LiveChat's APIs, so I won't "
            "answer it from LiveChat's Authorization FAQ.",
            (
                "The OAuth 2.0 specifications (RFC 6749, RFC 7636 for PKCE, RFC 9700 for current security advice) "
                "and OWASP's cheat sheets cover it; if it comes up with LiveChat's APIs, paste what you send.",
            ),
            (),
            escalate=False,
        )
    if topic.foreign:
        names = ", ".join(topic.other_platforms)
        who = (
            "the documentation or community of the OAuth library your server is built on"
            if topic.other_platforms == (OWN_AUTH_SERVER,)
            else f"{names} support or their developer community"
        )
        return _NoAnswer(
            "Not a LiveChat question",
            f"This looks like a question about {names}, not LiveChat's APIs, so I can't answer it from LiveChat's "
            "Authorization FAQ.",
            (f"Ask {who}: they know how that authorization works.",),
            (),
            escalate=False,
        )
    if topic.livechat and not topic.auth:
        return _NoAnswer(
            "Not an authorization question",
            "That's a LiveChat question, but not about authorization, which is all I know.",
            (
                "For the Chat Widget, the SDKs and the APIs' other features, see LiveChat's developer docs; for an "
                "SDK bug, the issue tracker of that SDK's GitHub repository reaches its maintainers.",
            ),
            (DOCS,),
            escalate=False,
        )
    contact = kb.get(CONTACT_ENTRY)
    return _NoAnswer(
        "I'm not sure about this one",
        "I don't know this one — nothing in LiveChat's Authorization FAQ fits it well enough.",
        (
            "Rephrase with the exact error text, the HTTP status and the API you call.",
            *(contact.steps[:1] if contact else ()),
        ),
        tuple(contact.links) if contact else (),
        escalate=True,
    )


def compose_answer(
    kb: KnowledgeBase,
    matches: list[Match],
    findings: list[Finding],
    *,
    abstained: bool,
    near_tie: bool,
    topic: Topic,
    cleaned: CleanText | None,
    credentials: list[Credential],
    thanks: bool = False,
) -> Answer:
    notes = _notes(cleaned, credentials)
    if abstained:
        no_answer = _no_answer(kb, topic, thanks=thanks)
        return Answer(
            abstained=True,
            headline=no_answer.headline,
            findings=tuple(findings),
            entry=None,
            steps=no_answer.steps,
            links=no_answer.links,
            example=None,
            confidence=None if thanks else (matches[0].score if matches else 0.0),
            runner_up=None,
            notes=notes,
            escalate=no_answer.escalate,
            title=no_answer.title,
        )
    top = kb.entries[matches[0].entry_id]
    runner_up = kb.entries[matches[1].entry_id] if near_tie and len(matches) > 1 else None
    return Answer(
        abstained=False,
        headline=top.summary,
        findings=tuple(findings),
        entry=top,
        steps=tuple(top.steps),
        links=tuple(top.links),
        example=top.example,
        confidence=matches[0].score,
        runner_up=runner_up,
        notes=notes,
    )


def entry_answer(kb: KnowledgeBase, entry_id: str) -> Answer:
    """The answer for an entry chosen by name (/faq, moderator answers): no findings, no confidence."""
    entry = kb.entries[entry_id]
    return Answer(
        abstained=False,
        headline=entry.summary,
        findings=(),
        entry=entry,
        steps=tuple(entry.steps),
        links=tuple(entry.links),
        example=entry.example,
        confidence=None,
        runner_up=None,
        notes=(),
    )
